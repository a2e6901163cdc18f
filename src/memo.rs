//! Readings of a text remembered per thread. A run's texts repeat: an
//! office writes the same 定型文 into many plans, a person's plan comes again
//! in each month's export, the rows of a plan repeat their periods and
//! service names. A reading that depends only on the text (and on what
//! `owner` stands for, such as the run's audit constants) is made once per
//! thread and text, then looked up.

use std::cell::RefCell;
use std::thread::LocalKey;

/// A memory holds at most this many texts, of at most [`MAX_BYTES`] in
/// all; past that it is emptied (a run with that many different texts gains
/// little from remembering them, and a thread's memories stay small).
pub const MAX: usize = 1 << 14;

/// See [`MAX`].
pub const MAX_BYTES: usize = 1 << 20;

/// Readings of texts made with the same `owner`.
pub struct Memo<V> {
    owner: u64,
    map: rustc_hash::FxHashMap<Box<str>, V>,
    /// The bytes of the texts in `map`.
    bytes: usize,
}

impl<V> Default for Memo<V> {
    fn default() -> Memo<V> {
        Memo { owner: STATIC, map: Default::default(), bytes: 0 }
    }
}

/// The owner of readings that depend on the text and on data built into
/// the program only.
pub const STATIC: u64 = 0;

/// A number no other `owner` has had in this process, for what a reading
/// depends on besides the text (each loaded [`crate::audit::Constants`]).
pub fn new_owner() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// `read(text)`, remembered in this thread's `memo` for the texts read with
/// the same `owner` (a memory with another owner is forgotten first).
/// `read` may use other memories, not this one.
pub fn remembered<V: Clone>(
    memo: &'static LocalKey<RefCell<Memo<V>>>,
    owner: u64,
    text: &str,
    read: impl FnOnce(&str) -> V,
) -> V {
    let known = memo.with_borrow(|m| if m.owner == owner { m.map.get(text).cloned() } else { None });
    if let Some(v) = known {
        return v;
    }
    let v = read(text);
    memo.with_borrow_mut(|m| {
        if m.owner != owner || m.map.len() >= MAX || m.bytes + text.len() > MAX_BYTES {
            m.map.clear();
            m.owner = owner;
            m.bytes = 0;
        }
        m.bytes += text.len();
        m.map.insert(text.into(), v.clone());
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
    fn a_reading_is_made_once_per_text_and_owner() {
        let (a, b) = (new_owner(), new_owner());
        let mut reads = 0;
        let mut len = |owner, t: &str| {
            remembered(&LENGTHS, owner, t, |t| {
                reads += 1;
                t.len()
            })
        };
        assert_eq!(len(a, "週2回"), 7);
        assert_eq!(len(a, "週2回"), 7);
        assert_eq!(len(a, "毎日"), 6);
        // Another owner's readings are made again.
        assert_eq!(len(b, "週2回"), 7);
        assert_eq!(reads, 3);
    }
}
