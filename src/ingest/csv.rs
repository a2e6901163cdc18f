//! CSV reading on decoded text: records with their 1-based start line.
//!
//! Quoted fields may hold CR/LF and commas (the standard quotes free text and
//! keeps line breaks, formats.md §1.2); CRLF and LF both end records. A quote
//! left open at the end of the file is reported at the line it opened and
//! that record is not used. Column counts are the mapping layer's business:
//! only it knows how many columns a layout has.

use crate::diag::{Problem, ProblemKind, Source};

/// One CSV record (owned; see [`CsvReader`] for the streaming form).
#[derive(Debug, Clone)]
pub struct CsvRecord {
    /// 1-based line on which the record starts.
    pub line: u64,
    pub fields: csv::StringRecord,
}

/// A decoded CSV file. Records are parsed on demand by [`CsvTable::reader`],
/// so a large file is never held as records: recognising it reads the first
/// few, mapping streams through the rest with one reused buffer.
#[derive(Debug, Clone, Default)]
pub struct CsvTable {
    pub text: String,
}

/// Longest cell Excel can hold; longer cells cannot travel into the xlsx outputs.
pub const MAX_CELL_CHARS: usize = 32_767;

impl CsvTable {
    pub fn new(text: String) -> CsvTable {
        CsvTable { text }
    }

    /// A streaming reader; `file` names the file in problems.
    pub fn reader<'a>(&'a self, file: &'a str) -> CsvReader<'a> {
        CsvReader {
            text: &self.text,
            file,
            inner: csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(self.text.as_bytes()),
            record: csv::ByteRecord::new(),
            counted_to: 0,
            line: 1,
            last_start: 0,
            last_line: 0,
            done: false,
            problems: Vec::new(),
        }
    }

    /// The first `n` records (for recognising the file).
    pub fn head(&self, n: usize) -> Vec<CsvRecord> {
        let mut r = self.reader("");
        let mut out = Vec::new();
        while out.len() < n {
            match r.next_record() {
                Some((line, rec)) => out.push(CsvRecord { line, fields: rec.iter().collect() }),
                None => break,
            }
        }
        out
    }
}

/// One record's fields, borrowed from the reader's buffer.
///
/// The reader parses the bytes of a `&str` and splits it only at ASCII bytes
/// (`,` `"` CR LF), dropping only ASCII quotes: every field is a run of whole
/// UTF-8 characters of that text. So fields are not validated again (csv's
/// `StringRecord` would, at about a tenth of a run's reading time).
#[derive(Clone, Copy)]
pub struct Fields<'a>(&'a csv::ByteRecord);

impl<'a> Fields<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.0.get(i).map(as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().map(as_str)
    }
}

fn as_str(b: &[u8]) -> &str {
    debug_assert!(std::str::from_utf8(b).is_ok());
    // SAFETY: see `Fields`: a field of a record parsed from a `&str` is
    // whole UTF-8 characters of it (csv splits and unquotes at ASCII bytes only).
    unsafe { std::str::from_utf8_unchecked(b) }
}

/// Streams records with their physical start line. Problems (an unclosed
/// quote, cells longer than Excel allows) are collected in `problems`.
pub struct CsvReader<'a> {
    text: &'a str,
    file: &'a str,
    inner: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    counted_to: usize,
    line: u64,
    last_start: usize,
    last_line: u64,
    done: bool,
    pub problems: Vec<Problem>,
}

impl CsvReader<'_> {
    /// csv's own line count skips blank lines and counts a quoted line break
    /// differently: count newlines up to each record's first byte instead
    /// (records come in order, so this is one pass over the text).
    fn line_at(&mut self, byte: u64) -> (u64, usize) {
        let bytes = self.text.as_bytes();
        // The reported offset may sit before the line breaks (and blank
        // lines) that precede the record: step over them.
        let mut b = (byte as usize).max(self.counted_to);
        while b < bytes.len() && matches!(bytes[b], b'\r' | b'\n') {
            b += 1;
        }
        self.line += memchr::memchr_iter(b'\n', &bytes[self.counted_to..b]).count() as u64;
        self.counted_to = b;
        (self.line, b)
    }

    /// The next record and its line, or None at the end.
    pub fn next_record(&mut self) -> Option<(u64, Fields<'_>)> {
        if self.done {
            return None;
        }
        loop {
            match self.inner.read_byte_record(&mut self.record) {
                Ok(true) => {
                    let pos = self.record.position().map(|p| p.byte()).unwrap_or(0);
                    let (line, first_byte) = self.line_at(pos);
                    // A blank line is a record with one empty field: skip it.
                    if self.record.len() == 1 && self.record[0].is_empty() {
                        continue;
                    }
                    // A quote left open swallows the rest of the file, so it
                    // can only be in a record that ends at the end of the text.
                    let end = (self.inner.position().byte() as usize).min(self.text.len());
                    let ends_text = self.text[end..].trim_start_matches(['\r', '\n']).is_empty();
                    let open = if ends_text {
                        unclosed_quote_line(&self.text[first_byte.min(self.text.len())..])
                    } else {
                        None
                    };
                    if let Some(open) = open {
                        let open = line + open - 1;
                        self.problems.push(Problem::new(
                            ProblemKind::Csv,
                            Source::line(self.file, open),
                            format!(
                                "{open}行目で始まった「\"」がファイルの終わりまで閉じられていません。この行から後は読み込めませんでした（ファイルが途中で切れている可能性があります）"
                            ),
                        ));
                        self.done = true;
                        return None;
                    }
                    self.last_start = first_byte;
                    self.last_line = line;
                    for (i, f) in Fields(&self.record).iter().enumerate() {
                        // Bytes ≥ chars: only long fields need counting.
                        if f.len() > MAX_CELL_CHARS {
                            let chars = f.chars().count();
                            if chars > MAX_CELL_CHARS {
                                self.problems.push(Problem::new(
                                    ProblemKind::Limit,
                                    Source::csv(self.file, line, i as u32 + 1),
                                    format!(
                                        "項目が{chars}文字あります。Excelの1セルの上限（{MAX_CELL_CHARS}文字）を超えるため、xlsx出力では切り詰められます（JSONには全文を残します）"
                                    ),
                                ));
                            }
                        }
                    }
                    return Some((line, Fields(&self.record)));
                }
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    // Reading from a &str cannot fail with I/O, and byte records are not validated.
                    let line = e.position().map(|p| self.line_at(p.byte()).0).unwrap_or(0);
                    self.problems.push(Problem::new(
                        ProblemKind::Csv,
                        Source::line(self.file, line),
                        format!("CSVとして読めません: {e}"),
                    ));
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

/// Every record of a text (tests and small files).
pub fn parse(text: &str, file: &str, problems: &mut Vec<Problem>) -> Vec<CsvRecord> {
    let table = CsvTable::new(text.to_string());
    let mut r = table.reader(file);
    let mut out = Vec::new();
    while let Some((line, rec)) = r.next_record() {
        out.push(CsvRecord { line, fields: rec.iter().collect() });
    }
    problems.append(&mut r.problems);
    out
}

/// The 1-based line where a quoted field opens that never closes, if any.
fn unclosed_quote_line(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    // Only files that contain a quote at all need the scan.
    memchr_quote(bytes)?;
    let mut line = 1u64;
    let mut in_quote = false;
    let mut at_field_start = true;
    let mut opened = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quote {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quote = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else {
            match b {
                b'"' if at_field_start => {
                    in_quote = true;
                    opened = line;
                }
                b',' => {
                    at_field_start = true;
                    i += 1;
                    continue;
                }
                b'\n' => {
                    line += 1;
                    at_field_start = true;
                    i += 1;
                    continue;
                }
                b'\r' => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            at_field_start = false;
        }
        i += 1;
    }
    in_quote.then_some(opened)
}

fn memchr_quote(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'"', bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &[CsvRecord]) -> Vec<(u64, Vec<String>)> {
        t.iter().map(|r| (r.line, r.fields.iter().map(str::to_string).collect())).collect()
    }

    #[test]
    fn quoted_newlines_and_commas_crlf() {
        let mut p = vec![];
        let t = parse("a,\"x,\r\ny\"\r\nb,c\r\n", "f.csv", &mut p);
        assert!(p.is_empty());
        assert_eq!(rows(&t), vec![(1, vec!["a".into(), "x,\r\ny".into()]), (3, vec!["b".into(), "c".into()])]);
    }

    #[test]
    fn lf_and_escaped_quotes() {
        let mut p = vec![];
        let t = parse("\"He said \"\"hi\"\"\",2\n3,4", "f.csv", &mut p);
        assert_eq!(rows(&t), vec![(1, vec!["He said \"hi\"".into(), "2".into()]), (2, vec!["3".into(), "4".into()])]);
    }

    #[test]
    fn open_quote_at_end_is_reported_and_dropped() {
        let mut p = vec![];
        let t = parse("a,b\n\"c,d\ne,f\n", "f.csv", &mut p);
        assert_eq!(rows(&t), vec![(1, vec!["a".into(), "b".into()])]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].location.line, Some(2));
        assert!(p[0].message.contains("閉じられていません"));
    }

    #[test]
    fn quote_inside_unquoted_field_is_not_an_open_quote() {
        assert_eq!(unclosed_quote_line("a\"b,c\n"), None);
        assert_eq!(unclosed_quote_line("a,\"b\nc"), Some(1));
    }

    #[test]
    fn a_closed_quote_in_the_last_record_is_fine() {
        let mut p = vec![];
        let t = parse("a,b\r\n\"c,\r\nd\",e\r\n", "f.csv", &mut p);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(rows(&t), vec![(1, vec!["a".into(), "b".into()]), (2, vec!["c,\r\nd".into(), "e".into()])]);
    }

    #[test]
    fn blank_lines_are_skipped() {
        let mut p = vec![];
        let t = parse("a\n\nb\n", "f.csv", &mut p);
        assert_eq!(rows(&t), vec![(1, vec!["a".into()]), (3, vec!["b".into()])]);
    }
}
