//! Ingest: bytes of one input file → a table of cells with positions.
//!
//! In: a path (or bytes) and an encoding choice. Out: [`Ingested`] holding
//! either CSV records with their lines, or a workbook with absolute cell
//! positions and merged regions, plus every problem found on the way
//! (undecodable bytes, open quotes, unreadable workbooks). Ingest knows
//! nothing of care plans.

pub mod csv;
pub mod encoding;
pub mod excel;
pub mod limits;
mod xls_check;
mod xlsx_check;
mod xlsx_layout;

use crate::diag::{Problem, ProblemKind, Source};
use crate::hash::sha256_hex;
use encoding::{DecidedBy, Encoding, EncodingChoice};
use std::path::Path;

#[derive(Debug, Clone)]
pub enum Content {
    Csv { table: csv::CsvTable, encoding: Encoding, decided_by: DecidedBy },
    Workbook(excel::Workbook),
}

#[derive(Debug, Clone)]
pub struct Ingested {
    /// How the file is named in every message and `source` (the path as given
    /// on the command line or found under a given folder).
    pub name: String,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: u64,
    pub content: Option<Content>,
    pub problems: Vec<Problem>,
}

/// The kinds of file `lsw` reads, by extension (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Workbook,
}

pub fn kind_of(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => Some(FileKind::Csv),
        "xlsx" | "xlsm" | "xls" => Some(FileKind::Workbook),
        _ => None,
    }
}

pub fn read_file(path: &Path, name: &str, choice: EncodingChoice) -> Ingested {
    match read_bytes_of(path) {
        Ok(bytes) => {
            let kind = kind_of_file(path, &bytes);
            let sha256 = sha256_hex(&bytes);
            read_bytes_hashed(bytes, name, kind, choice, sha256)
        }
        Err(e) => unreadable(name, &e),
    }
}

/// A first look at a file, for the people and plans it holds: [`read_file`]
/// without the hash, and a CSV's bytes are not decoded as a whole but field
/// by field as they are read ([`csv::CsvTable::undecoded`]); bytes that do
/// not decode are not listed (the full reading lists them).
pub fn read_file_first_look(path: &Path, name: &str, choice: EncodingChoice) -> Ingested {
    match read_bytes_of(path) {
        Ok(bytes) => {
            let kind = kind_of_file(path, &bytes);
            if kind != FileKind::Csv || bytes.is_empty() {
                return read_bytes_hashed(bytes, name, kind, choice, String::new());
            }
            let size = bytes.len() as u64;
            let (encoding, decided_by) = encoding::decide(&bytes, choice);
            let table = csv::CsvTable::undecoded(bytes, encoding);
            Ingested {
                name: name.into(),
                sha256: String::new(),
                size,
                content: Some(Content::Csv { table, encoding, decided_by }),
                problems: Vec::new(),
            }
        }
        Err(e) => unreadable(name, &e),
    }
}

thread_local! {
    /// Buffers given back after a file (its bytes, its text), for the next
    /// file this thread reads. Fresh memory costs a page fault and zeroing
    /// per page (most of a run's kernel time on the VMs we measured), and
    /// the allocator does not always put a large buffer where the last one was.
    static SPARE: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Buffers a thread keeps at most, and the largest it keeps.
const SPARE_BUFFERS: usize = 2;
const SPARE_MAX: usize = 64 << 20;

/// An empty buffer with room for `capacity` bytes, given back earlier if any.
fn spare(capacity: usize) -> Vec<u8> {
    let mut b = SPARE.with(|s| s.borrow_mut().pop()).unwrap_or_default();
    b.reserve(capacity);
    b
}

/// [`spare`] as an empty string.
fn spare_text(capacity: usize) -> String {
    // An empty buffer is valid UTF-8.
    String::from_utf8(spare(capacity)).unwrap_or_default()
}

/// Keeps a file's buffer for the next file read on this thread.
pub fn give_back(mut b: Vec<u8>) {
    if b.capacity() == 0 || b.capacity() > SPARE_MAX {
        return;
    }
    b.clear();
    SPARE.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < SPARE_BUFFERS {
            s.push(b);
        }
    });
}

/// Why a file's bytes were not read.
enum ReadFail {
    Io(std::io::Error),
    /// A FIFO, socket or device.
    Special,
    /// Larger than [`limits::Limits::file_bytes`] (its size, when known).
    TooLarge(u64),
}

/// A file's bytes, in a buffer given back earlier if any; never more than
/// the file size limit (a file that grows while read, or a special file
/// that never ends, stops there).
fn read_bytes_of(path: &Path) -> Result<Vec<u8>, ReadFail> {
    use std::io::Read as _;
    let limit = limits::current().file_bytes;
    // Looked at before it is opened: opening a FIFO waits for a writer.
    if !std::fs::metadata(path).map_err(ReadFail::Io)?.is_file() {
        return Err(ReadFail::Special);
    }
    let f = std::fs::File::open(path).map_err(ReadFail::Io)?;
    let meta = f.metadata().map_err(ReadFail::Io)?;
    if !meta.is_file() {
        // Discovery lets only regular files through; a file swapped for a
        // FIFO or device since is not read either (it might never end).
        return Err(ReadFail::Special);
    }
    if meta.len() > limit {
        return Err(ReadFail::TooLarge(meta.len()));
    }
    // One more byte than the file holds: the read ends without growing the buffer.
    let mut b = spare((meta.len() as usize).saturating_add(1).min(SPARE_MAX));
    f.take(limit + 1).read_to_end(&mut b).map_err(ReadFail::Io)?;
    if b.len() as u64 > limit {
        return Err(ReadFail::TooLarge(b.len() as u64));
    }
    Ok(b)
}

fn unreadable(name: &str, e: &ReadFail) -> Ingested {
    let problem = match e {
        ReadFail::Special => Problem::new(
            ProblemKind::Read,
            Source::file(name),
            "通常のファイルではありません（名前付きパイプ・ソケット・デバイスなど）。読まずに飛ばしました",
        ),
        ReadFail::Io(e) => Problem::new(
            ProblemKind::Read,
            Source::file(name),
            format!("ファイルを読み込めません: {}", crate::diag::io_error_ja(e)),
        )
        .with_detail(crate::diag::io_detail(e)),
        ReadFail::TooLarge(size) => {
            let limit = limits::current().file_bytes;
            Problem::new(
                ProblemKind::Limit,
                Source::file(name),
                format!(
                    "ファイルが大きすぎるため読みませんでした（{}。上限は {}）。書き出しの範囲を分けるか、{}",
                    limits::size_ja(*size),
                    limits::size_ja(limit),
                    limits::how_to_raise("file_mb", (size.div_ceil(1 << 20)).max(1))
                ),
            )
        }
    };
    Ingested { name: name.to_string(), sha256: String::new(), size: 0, content: None, problems: vec![problem] }
}

/// A file's kind: by its extension, but a workbook named .csv (renamed, or
/// saved under the wrong name) is read as the workbook it is, not as
/// thousands of bytes that do not decode.
pub fn kind_of_file(path: &Path, bytes: &[u8]) -> FileKind {
    match kind_of(path) {
        Some(FileKind::Csv) if sniff(bytes) == FileKind::Workbook => FileKind::Workbook,
        Some(k) => k,
        None => sniff(bytes),
    }
}

/// Guesses the kind of a file without a known extension from its first bytes.
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        FileKind::Workbook
    } else {
        FileKind::Csv
    }
}

pub fn read_bytes(bytes: Vec<u8>, name: &str, kind: FileKind, choice: EncodingChoice) -> Ingested {
    let sha256 = sha256_hex(&bytes);
    read_bytes_hashed(bytes, name, kind, choice, sha256)
}

fn read_bytes_hashed(bytes: Vec<u8>, name: &str, kind: FileKind, choice: EncodingChoice, sha256: String) -> Ingested {
    let size = bytes.len() as u64;
    let mut problems = Vec::new();
    if bytes.is_empty() {
        problems.push(Problem::new(ProblemKind::Read, Source::file(name), "ファイルが空です（0バイト）"));
        return Ingested { name: name.into(), sha256, size, content: None, problems };
    }
    let content = match kind {
        FileKind::Csv => {
            let c = decode_csv(&bytes, name, choice, &mut problems);
            give_back(bytes);
            Some(c)
        }
        FileKind::Workbook => excel::read(bytes, name, &mut problems).map(Content::Workbook),
    };
    Ingested { name: name.into(), sha256, size, content, problems }
}

/// Bytes that do not decode listed one by one per file; more are counted in one entry.
pub const ENCODING_ISSUES_LISTED: usize = 50;

/// Decodes and parses CSV bytes; used again when a mapping fixes the encoding.
pub fn decode_csv(bytes: &[u8], name: &str, choice: EncodingChoice, problems: &mut Vec<Problem>) -> Content {
    let decoded = encoding::decode(bytes, choice);
    for issue in decoded.issues.iter().take(ENCODING_ISSUES_LISTED) {
        problems.push(
            Problem::new(ProblemKind::Encoding, Source::line(name, issue.line), issue.message(decoded.encoding))
                .at_byte(issue.byte_offset),
        );
    }
    // A file that is not text at all (or not in any encoding lsw reads)
    // breaks every few bytes: the first ones are listed, the rest counted.
    if let Some(next) = decoded.issues.get(ENCODING_ISSUES_LISTED) {
        let more = decoded.issues.len() - ENCODING_ISSUES_LISTED;
        problems.push(
            Problem::new(
                ProblemKind::Encoding,
                Source::line(name, next.line),
                format!(
                    "ほかにも読めないバイト列が {more} か所あります（最初の {ENCODING_ISSUES_LISTED} か所だけを挙げました）。Shift-JIS（CP932）・UTF-8・UTF-16 のどれでもないか、CSV ではないファイルの可能性があります"
                ),
            )
            .at_byte(next.byte_offset),
        );
    }
    let table = csv::CsvTable::new(decoded.text);
    Content::Csv { table, encoding: decoded.encoding, decided_by: decoded.decided_by }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_given_back_are_reused_empty() {
        // Tests run on their own threads: this thread's spares are this test's.
        let a = encoding::decode_as("氏名,①℡\r\n".as_bytes(), encoding::Encoding::Utf8).0;
        let cap = a.capacity();
        give_back(a.into_bytes());
        let b = spare(1);
        assert!(b.is_empty() && b.capacity() >= cap, "{} < {cap}", b.capacity());
        give_back(b);
        // A text decoded into a reused buffer holds only itself.
        let sjis = encoding_rs::SHIFT_JIS.encode("髙﨑,Ⅱ").0.into_owned();
        let (text, issues) = encoding::decode_as(&sjis, encoding::Encoding::Cp932);
        assert_eq!((text.as_str(), issues.len()), ("髙﨑,Ⅱ", 0));
        // At most two are kept, none larger than SPARE_MAX.
        for _ in 0..4 {
            give_back(Vec::with_capacity(16));
        }
        give_back(Vec::with_capacity(SPARE_MAX + 1));
        assert_eq!(SPARE.with(|s| s.borrow().len()), SPARE_BUFFERS);
        assert!(SPARE.with(|s| s.borrow().iter().all(|b| b.capacity() <= SPARE_MAX)));
    }
}
