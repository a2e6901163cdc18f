//! Readings of a text remembered per thread. A run's texts repeat: an
//! office writes the same 定型文 into many plans, a person's plan comes again
//! in each month's export, the rows of a plan repeat their periods and
//! service names. A reading that depends only on the text (and on what
//! `owner` stands for, such as the run's audit constants) is made once per
//! thread and text, then looked up.
//!
//! A text is remembered the second time it is read, not the first: a run
//! whose texts are all different keeps only their hashes, one per place of
//! a small table (no copy of each text, no memory filling up and emptied
//! again), and pays for a hash, a lookup and a store per text.

use std::cell::RefCell;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::thread::LocalKey;

/// A memory holds at most this many texts, of at most [`MAX_BYTES`] in
/// all; past that it is emptied (a run with that many different texts gains
/// little from remembering them, and a thread's memories stay small).
pub const MAX: usize = 1 << 14;

/// See [`MAX`].
pub const MAX_BYTES: usize = 1 << 20;

/// Places for the hashes of texts read once: a text is remembered when it
/// comes again before another text's hash takes its place. Small, so that
/// looking a new text up stays in the processor's cache.
pub const SEEN: usize = 1 << 12;

/// The owner of readings that depend on the text and on data built into
/// the program only.
pub const STATIC: u64 = 0;

/// A hash → value map whose keys are hashes already.
type ByHash<V> = std::collections::HashMap<u64, V, BuildHasherDefault<rustc_hash::FxHasher>>;

/// Readings of texts made with the same `owner`.
pub struct Memo<V> {
    owner: u64,
    /// A text's hash → the text and its reading.
    map: ByHash<(Box<str>, V)>,
    /// The bytes of the texts in `map`.
    bytes: usize,
    /// The hashes of texts read once, each at its place (hash mod
    /// [`SEEN`]); empty until a text is first read.
    seen: Vec<u64>,
}

impl<V> Default for Memo<V> {
    fn default() -> Memo<V> {
        Memo { owner: STATIC, map: Default::default(), bytes: 0, seen: Vec::new() }
    }
}

/// A number no other `owner` has had in this process, for what a reading
/// depends on besides the text (each loaded [`crate::audit::Constants`]).
pub fn new_owner() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// `read(text)`, remembered in this thread's `memo` for the texts read with
/// the same `owner` (a memory with another owner is forgotten first), from
/// the second time a text is read. `read` may use other memories, not this
/// one.
pub fn remembered<V: Clone>(
    memo: &'static LocalKey<RefCell<Memo<V>>>,
    owner: u64,
    text: &str,
    read: impl FnOnce(&str) -> V,
) -> V {
    let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text);
    let known = memo.with_borrow(|m| match m.map.get(&hash) {
        Some((t, v)) if m.owner == owner && **t == *text => Some(v.clone()),
        _ => None,
    });
    if let Some(v) = known {
        return v;
    }
    let v = read(text);
    memo.with_borrow_mut(|m| {
        if m.owner != owner {
            m.map.clear();
            m.seen.clear();
            m.owner = owner;
            m.bytes = 0;
        }
        if m.seen.is_empty() {
            m.seen.resize(SEEN, 0);
        }
        let place = &mut m.seen[hash as usize % SEEN];
        if *place != hash {
            // The first time (or since another text took the place): its
            // hash only.
            *place = hash;
            return;
        }
        if m.map.len() >= MAX || m.bytes + text.len() > MAX_BYTES {
            m.map.clear();
            m.bytes = 0;
        }
        // Another text with the same hash gives way.
        if let Some((old, _)) = m.map.insert(hash, (text.into(), v.clone())) {
            m.bytes -= old.len();
        }
        m.bytes += text.len();
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LENGTHS: RefCell<Memo<usize>> = Default::default();
    }

    #[test]
    fn a_reading_is_made_at_most_twice_per_text_and_owner() {
        let (a, b) = (new_owner(), new_owner());
        let reads = std::cell::Cell::new(0);
        let len = |owner, t: &str| {
            remembered(&LENGTHS, owner, t, |t| {
                reads.set(reads.get() + 1);
                t.len()
            })
        };
        // Read, seen again and remembered, then looked up.
        for _ in 0..4 {
            assert_eq!(len(a, "週2回"), 7);
        }
        assert_eq!(len(a, "毎日"), 6);
        assert_eq!(reads.get(), 3);
        // Another owner's readings are made again.
        assert_eq!(len(b, "週2回"), 7);
        assert_eq!(len(b, "週2回"), 7);
        assert_eq!(reads.get(), 5);
    }
}
