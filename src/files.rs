//! Atomic output: every file is written to a temporary name in its folder and
//! renamed into place, so a killed run never leaves a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    // A failed write (a full disk) leaves no temporary behind.
    written.and_then(|()| std::fs::rename(&tmp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Like [`write_atomic`], for output written piece by piece (large
/// run-level files are streamed, never held whole in memory).
pub fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut Atomic) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut a = Atomic::create(path)?;
    fill(&mut a)?;
    a.commit()
}

/// A file written under a temporary name in its folder: [`Atomic::commit`]
/// renames it into place; dropped uncommitted, it is removed.
pub struct Atomic {
    path: PathBuf,
    tmp: PathBuf,
    w: Option<std::io::BufWriter<std::fs::File>>,
}

impl Atomic {
    pub fn create(path: &Path) -> std::io::Result<Atomic> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        Ok(Atomic { path: path.to_path_buf(), tmp, w: Some(w) })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(w) = self.w.take() else { return Err(std::io::Error::other("already closed")) };
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)
    }
}

impl Write for Atomic {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.w {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("already closed")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.w {
            Some(w) => w.write_all(buf),
            None => Err(std::io::Error::other("already closed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.w {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Atomic {
    fn drop(&mut self) {
        // Committed: the temporary has been renamed (a failed rename leaves it).
        self.w = None;
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// A pretty-printed JSON array written element by element, byte for byte as
/// [`json_to`] writes the whole array: elements come already printed by
/// [`json_elements`].
#[derive(Default)]
pub struct JsonArray {
    started: bool,
}

impl JsonArray {
    pub fn begin<W: Write>(w: &mut W) -> std::io::Result<JsonArray> {
        w.write_all(b"[")?;
        Ok(JsonArray { started: false })
    }

    /// Adds printed elements (nothing when `printed` is empty).
    pub fn add<W: Write>(&mut self, w: &mut W, printed: &[u8]) -> std::io::Result<()> {
        if printed.is_empty() {
            return Ok(());
        }
        w.write_all(if self.started { b",\n" } else { b"\n" })?;
        self.started = true;
        w.write_all(printed)
    }

    /// Closes the array and ends the file with a newline.
    pub fn end<W: Write>(self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.started { b"\n]\n" } else { b"]\n" })
    }
}

/// `items` printed as elements of a top-level pretty JSON array (indented
/// one level, separated by `,` + newline), for [`JsonArray::add`].
pub fn json_elements<T: serde::Serialize>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        // Strings never hold a raw newline in JSON: every line break is
        // layout, and each line gets the one level of indentation.
        let printed = serde_json::to_vec_pretty(item).unwrap_or_default();
        for (j, line) in printed.split(|&b| b == b'\n').enumerate() {
            if j > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(b"  ");
            out.extend_from_slice(line);
        }
    }
    out
}

/// CSV rows (CRLF), no header and no BOM: pieces of a file [`csv_to`] starts.
pub fn csv_rows<R: AsRef<[u8]>>(rows: impl Iterator<Item = Vec<R>>) -> Vec<u8> {
    let mut c = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for r in rows {
        let _ = c.write_record(&r);
    }
    c.into_inner().unwrap_or_default()
}

/// JSON (two-space indentation, final newline) streamed to `w`.
pub fn json_to<T: serde::Serialize, W: Write>(w: &mut W, v: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

/// CSV with BOM streamed to `w`: the header, then each row from `rows`.
pub fn csv_to<W: Write, R: AsRef<[u8]>>(
    w: &mut W,
    header: &[&str],
    rows: impl Iterator<Item = Vec<R>>,
) -> std::io::Result<()> {
    w.write_all(&[0xEF, 0xBB, 0xBF])?;
    let mut c = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(w);
    c.write_record(header)?;
    for r in rows {
        c.write_record(&r)?;
    }
    c.flush()
}

/// Whether a file name is one of [`write_atomic`]'s temporaries.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name.rsplit_once(".tmp").is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Creates an output folder (and its parents), with a Japanese error.
pub fn create_out_dir(out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)
        .map_err(|e| anyhow::anyhow!("出力フォルダ {} を作れません: {}", out.display(), crate::diag::io_error_ja(&e)))
}

/// Takes the output folder for this run: an exclusive lock on
/// `out/.lsw-lock` (released when the returned file is dropped, or by the OS
/// when the process ends, so a killed run leaves no stale lock). A folder
/// another run holds is an error naming it.
pub fn lock_output(out: &Path) -> anyhow::Result<std::fs::File> {
    let path = out.join(".lsw-lock");
    let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| {
        anyhow::anyhow!("出力フォルダ {} を使えません: {}", out.display(), crate::diag::io_error_ja(&e))
    })?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(anyhow::anyhow!(
            "出力フォルダ {} には別の lsw run が書き込んでいます。その実行が終わってから、もう一度実行してください",
            out.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(anyhow::anyhow!(
            "出力フォルダ {} を使えません（排他ロックを取れません）: {}",
            out.display(),
            crate::diag::io_error_ja(&e)
        )),
    }
}

/// Removes the temporaries a killed run left under `out` (never a finished
/// output: those have their own names).
pub fn remove_stale_temporaries(out: &Path) {
    for e in walkdir::WalkDir::new(out).into_iter().flatten() {
        if e.file_type().is_file() && is_temporary(&e.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Every regular file below `dir` (links not followed), sorted by path.
pub fn files_below(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(std::io::Error::from)?;
        if e.file_type().is_file() {
            out.push(e.into_path());
        }
    }
    Ok(out)
}

/// JSON with two-space indentation and a final newline.
pub fn json_bytes<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// CSV as UTF-8 with BOM (Excel opens it as UTF-8 only with the BOM).
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_written_piece_by_piece_match_the_whole() {
        let items: Vec<serde_json::Value> = vec![
            serde_json::json!({"a": 1, "b": ["x", "改行\nあり"], "c": {"d": null}}),
            serde_json::json!([]),
            serde_json::json!("s"),
            serde_json::json!({"e": {}}),
        ];
        for split in 0..=items.len() {
            let mut w = Vec::new();
            let mut a = JsonArray::begin(&mut w).unwrap();
            a.add(&mut w, &json_elements(&items[..split])).unwrap();
            a.add(&mut w, &json_elements::<serde_json::Value>(&[])).unwrap();
            a.add(&mut w, &json_elements(&items[split..])).unwrap();
            a.end(&mut w).unwrap();
            assert_eq!(String::from_utf8(w).unwrap(), String::from_utf8(json_bytes(&items)).unwrap(), "split {split}");
        }
        let mut w = Vec::new();
        JsonArray::begin(&mut w).unwrap().end(&mut w).unwrap();
        assert_eq!(w, json_bytes(&Vec::<u8>::new()));
    }

    #[test]
    fn csv_rows_continue_a_file_with_a_header() {
        let rows = [vec!["a", "b,c"], vec!["改\n行", "\"q\""]];
        let mut w = Vec::new();
        csv_to(&mut w, &["h1", "h2"], std::iter::empty::<Vec<&str>>()).unwrap();
        w.extend(csv_rows(rows[..1].iter().cloned()));
        w.extend(csv_rows(rows[1..].iter().cloned()));
        let whole = csv_bytes(
            &["h1", "h2"],
            &rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect::<Vec<_>>(),
        );
        assert_eq!(w, whole);
    }

    #[test]
    fn an_uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        {
            let mut a = Atomic::create(&path).unwrap();
            a.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut a = Atomic::create(&path).unwrap();
        a.write_all(b"whole").unwrap();
        a.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporaries_are_recognised() {
        assert!(is_temporary(".lsw.pdf.tmp1234"));
        assert!(!is_temporary("lsw.pdf"));
        assert!(!is_temporary(".lsw-journal"));
        assert!(!is_temporary(".x.tmp"));
    }
}
