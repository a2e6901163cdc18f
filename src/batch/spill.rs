//! Spill file: what the run-level files need of each plan, parked on disk.
//!
//! A run writes findings.json/csv, plans.csv, the manifest and the office
//! reports after every plan is done, in plan-key order. Keeping each plan's
//! findings and rows in memory until then made a run's memory grow with its
//! plans (about 10 KB per plan). Instead each plan's pieces, already
//! serialised, are appended to one temporary file as the plan finishes (in
//! any order); the run keeps only where they are and copies them out in key
//! order at the end. The file is one of [`output`](super::output)'s
//! temporaries: removed when the run ends, and by the next run if this one
//! was killed.
//!
//! If the file cannot be written (disk full), the pieces stay in memory:
//! the run is slower to grow than to fail, and nothing is lost.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many pieces each record has.
pub const PARTS: usize = 4;

/// Where one plan's record is: in the file, or held in memory.
#[derive(Debug)]
pub struct Stored {
    at: Place,
    lens: [u32; PARTS],
}

#[derive(Debug)]
enum Place {
    File(u64),
    Held(Box<[u8]>),
}

/// The writing side, shared by the workers.
pub struct Spill {
    path: PathBuf,
    file: Mutex<Option<(BufWriter<File>, u64)>>,
    /// After a failed write (a full disk): the file as far as it got and
    /// the buffered bytes that did not reach it (records already placed
    /// in the file may be among them).
    stopped: Mutex<Option<Stopped>>,
}

/// A spill file that stopped taking writes: `file` holds the bytes before
/// `tail_at`, `tail` the bytes from there.
struct Stopped {
    file: Option<File>,
    tail_at: u64,
    tail: Vec<u8>,
}

impl Stopped {
    /// What a writer that failed had: its file and the bytes still buffered.
    fn from(w: BufWriter<File>) -> Stopped {
        let (mut file, buffered) = w.into_parts();
        let tail = buffered.unwrap_or_default();
        // Written in order from an empty file: its length is what reached it.
        let tail_at = file.seek(SeekFrom::End(0)).unwrap_or(0);
        Stopped { file: Some(file), tail_at, tail }
    }
}

impl Spill {
    /// A spill file under `out` (`.lsw-spill.tmp<pid>`); without one (the
    /// folder refuses it) every record is held in memory.
    pub fn create(out: &Path) -> Spill {
        let path = out.join(format!(".lsw-spill.tmp{}", std::process::id()));
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .ok()
            .map(|f| (BufWriter::with_capacity(1 << 20, f), 0));
        Spill { path, file: Mutex::new(file), stopped: Mutex::new(None) }
    }

    /// Appends one record made of `parts`.
    pub fn put(&self, parts: [&[u8]; PARTS]) -> Stored {
        let mut lens = [0u32; PARTS];
        for (l, p) in lens.iter_mut().zip(&parts) {
            *l = u32::try_from(p.len()).unwrap_or(u32::MAX);
        }
        let fits = parts.iter().all(|p| p.len() < u32::MAX as usize);
        if fits {
            let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((w, end)) = guard.as_mut() {
                let at = *end;
                if parts.iter().try_for_each(|p| w.write_all(p)).is_ok() {
                    *end += parts.iter().map(|p| p.len() as u64).sum::<u64>();
                    return Stored { at: Place::File(at), lens };
                }
                // A failed write may have left part of the record: later
                // records go to memory, earlier ones stay readable (from
                // the file, or from the bytes it still had buffered).
                if let Some((w, _)) = guard.take() {
                    *self.stopped.lock().unwrap_or_else(|e| e.into_inner()) = Some(Stopped::from(w));
                }
            }
        }
        Stored { at: Place::Held(parts.concat().into_boxed_slice()), lens }
    }

    /// Done writing: the reading side.
    pub fn finish(self) -> Reader {
        let writer = self.file.into_inner().unwrap_or_else(|e| e.into_inner());
        let stopped = self.stopped.into_inner().unwrap_or_else(|e| e.into_inner());
        let stopped = match (writer, stopped) {
            (_, Some(s)) => s,
            (Some((w, _)), None) => match w.into_inner() {
                Ok(file) => Stopped { file: Some(file), tail_at: u64::MAX, tail: Vec::new() },
                // The last flush failed (a full disk): what it held stays readable.
                Err(e) => Stopped::from(e.into_parts().1),
            },
            (None, None) => Stopped { file: None, tail_at: u64::MAX, tail: Vec::new() },
        };
        Reader { path: self.path, file: stopped.file, tail_at: stopped.tail_at, tail: stopped.tail, buf: Vec::new() }
    }
}

/// One record read back.
pub struct Parts<'a> {
    bytes: &'a [u8],
    lens: [u32; PARTS],
}

impl Parts<'_> {
    pub fn get(&self, i: usize) -> &[u8] {
        let start: usize = self.lens[..i].iter().map(|&l| l as usize).sum();
        &self.bytes[start..start + self.lens[i] as usize]
    }
}

/// The reading side (one thread, at the end of the run). Dropping it
/// removes the file.
pub struct Reader {
    path: PathBuf,
    file: Option<File>,
    /// Bytes from `tail_at` on that never reached the file.
    tail_at: u64,
    tail: Vec<u8>,
    buf: Vec<u8>,
}

impl Reader {
    /// A record's parts.
    pub fn read<'a>(&'a mut self, s: &'a Stored) -> std::io::Result<Parts<'a>> {
        let len: usize = s.lens.iter().map(|&l| l as usize).sum();
        let bytes: &[u8] = match &s.at {
            Place::Held(bytes) => bytes,
            Place::File(at) => {
                let at = *at;
                self.buf.resize(len, 0);
                // The part before the tail from the file, the rest from the tail.
                let in_file = (self.tail_at.saturating_sub(at)).min(len as u64) as usize;
                if in_file > 0 {
                    let f = self.file.as_mut().ok_or_else(|| std::io::Error::other("一時ファイルがありません"))?;
                    f.seek(SeekFrom::Start(at))?;
                    f.read_exact(&mut self.buf[..in_file])?;
                }
                if in_file < len {
                    let from = (at + in_file as u64 - self.tail_at) as usize;
                    let rest = self
                        .tail
                        .get(from..from + (len - in_file))
                        .ok_or_else(|| std::io::Error::other("一時ファイルの内容が足りません"))?;
                    self.buf[in_file..].copy_from_slice(rest);
                }
                &self.buf
            }
        };
        Ok(Parts { bytes, lens: s.lens })
    }

    /// The file's path (for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.file = None;
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_by_part_in_any_order_and_the_file_goes() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path());
        let a = spill.put([b"a0", b"", b"a2", b"a33"]);
        let b = spill.put([b"b0", b"b1", b"", b""]);
        let mut r = spill.finish();
        assert_eq!(r.read(&b).unwrap().get(1), b"b1");
        let parts = r.read(&a).unwrap();
        assert_eq!([parts.get(0), parts.get(1), parts.get(2), parts.get(3)], [&b"a0"[..], b"", b"a2", b"a33"]);
        let path = r.path().to_path_buf();
        assert!(path.exists());
        drop(r);
        assert!(!path.exists());
    }

    /// A disk that fills up: records already placed (some still in the
    /// write buffer) come back from the file and the buffer, later ones
    /// from memory. /dev/full refuses every write with "no space left".
    #[cfg(target_os = "linux")]
    #[test]
    fn records_survive_a_full_disk() {
        let f = File::options().write(true).read(true).open("/dev/full").expect("/dev/full");
        let spill = Spill {
            path: PathBuf::from("/nonexistent/spill"),
            file: Mutex::new(Some((BufWriter::with_capacity(64, f), 0))),
            stopped: Mutex::new(None),
        };
        let a = spill.put([b"first", b"", b"", b"!"]);
        let b = spill.put([&[b'b'; 100], b"", b"", b""]);
        let c = spill.put([b"third", b"", b"", b""]);
        let mut r = spill.finish();
        assert_eq!(r.read(&a).unwrap().get(0), b"first");
        assert_eq!(r.read(&a).unwrap().get(3), b"!");
        assert_eq!(r.read(&b).unwrap().get(0), &[b'b'; 100][..]);
        assert_eq!(r.read(&c).unwrap().get(0), b"third");
    }

    #[test]
    fn without_a_file_records_are_held_in_memory() {
        let spill = Spill::create(Path::new("/nonexistent/folder"));
        let a = spill.put([b"x", b"yy", b"", b"z"]);
        let mut r = spill.finish();
        let parts = r.read(&a).unwrap();
        assert_eq!([parts.get(1), parts.get(3)], [&b"yy"[..], b"z"]);
    }
}
