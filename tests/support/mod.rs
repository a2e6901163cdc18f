//! Synthetic inputs for tests, the bundled sample and the benchmarks.
//!
//! Everything here is invented: names, numbers and texts belong to no one.
//! Tests write their inputs with these builders (CSV as bytes, CP932 where
//! the real exports are; workbooks through rust_xlsxwriter) so that each test
//! shows the table it reads. `examples/make_sample.rs` writes
//! `fixtures/sample/` with the same code.
#![allow(dead_code)]

pub mod bench;
pub mod bench_gen;
pub mod forms;
pub mod honobono;
pub mod mutate;
pub mod sample;
pub mod standard;

use std::path::Path;

/// CP932 bytes of a text; panics on characters CP932 cannot hold, because a
/// fixture with such a character would test nothing real.
pub fn sjis(s: &str) -> Vec<u8> {
    let (b, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
    assert!(!unmappable, "not CP932: {s}");
    b.into_owned()
}

/// A CSV field quoted as the standard quotes free text.
pub fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Joins CSV lines with CRLF (and a final CRLF).
pub fn crlf(lines: &[String]) -> String {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s
}

pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("create fixture dir");
    }
    std::fs::write(path, bytes).expect("write fixture");
}

/// A small deterministic generator (xorshift) for varied synthetic text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
