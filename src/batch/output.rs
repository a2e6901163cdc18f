//! Atomic output: every file is written to a temporary name in its folder and
//! renamed into place, so a killed run never leaves a half-written file.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Like [`write_atomic`], for output written piece by piece (large
/// run-level files are streamed, never held whole in memory).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    })();
    result.and_then(|_| std::fs::rename(&tmp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
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

/// Removes the temporaries a killed run left under `out` (never a finished
/// output: those have their own names).
pub fn remove_stale_temporaries(out: &Path) {
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() && is_temporary(&e.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
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
    fn temporaries_are_recognised() {
        assert!(is_temporary(".lsw.pdf.tmp1234"));
        assert!(!is_temporary("lsw.pdf"));
        assert!(!is_temporary(".lsw-journal"));
        assert!(!is_temporary(".x.tmp"));
    }
}
