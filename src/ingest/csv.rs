//! CSV reading on decoded text: records with their 1-based start line.
//!
//! Quoted fields may hold CR/LF and commas (the standard quotes free text and
//! keeps line breaks, formats.md §1.2); CRLF and LF both end records. A quote
//! left open at the end of the file is reported at the line it opened and
//! that record is not used. Column counts are the mapping layer's business:
//! only it knows how many columns a layout has.

use crate::diag::{Problem, ProblemKind, Source};

/// One CSV record. `fields` shares one buffer per record (csv::StringRecord).
#[derive(Debug, Clone)]
pub struct CsvRecord {
    /// 1-based line on which the record starts.
    pub line: u64,
    pub fields: csv::StringRecord,
}

#[derive(Debug, Clone, Default)]
pub struct CsvTable {
    pub records: Vec<CsvRecord>,
}

/// Longest cell Excel can hold; longer cells cannot travel into the xlsx outputs.
pub const MAX_CELL_CHARS: usize = 32_767;

pub fn parse(text: &str, file: &str, problems: &mut Vec<Problem>) -> CsvTable {
    let open_quote_line = unclosed_quote_line(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    // csv's own line count skips blank lines and counts a quoted line break
    // differently: map the record's byte offset to the physical line instead.
    let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    // A record's reported offset may sit before the line breaks (and blank
    // lines) that precede it: step over them to the record's first byte.
    let bytes = text.as_bytes();
    let line_of = |byte: u64| {
        let mut b = byte as usize;
        while b < bytes.len() && matches!(bytes[b], b'\r' | b'\n') {
            b += 1;
        }
        newlines.partition_point(|&nl| nl < b) as u64 + 1
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let line = record.position().map(|p| line_of(p.byte())).unwrap_or(0);
                // A blank line is a record with one empty field: skip it.
                if record.len() == 1 && record[0].is_empty() {
                    continue;
                }
                if let Some(open) = open_quote_line {
                    if line >= open {
                        problems.push(Problem::new(
                            ProblemKind::Csv,
                            Source::line(file, open),
                            format!(
                                "{open}行目で始まった「\"」がファイルの終わりまで閉じられていません。この行から後は読み込めませんでした（ファイルが途中で切れている可能性があります）"
                            ),
                        ));
                        break;
                    }
                }
                for (i, f) in record.iter().enumerate() {
                    let chars = f.chars().count();
                    if chars > MAX_CELL_CHARS {
                        problems.push(Problem::new(
                            ProblemKind::Limit,
                            Source::csv(file, line, i as u32 + 1),
                            format!(
                                "項目が{chars}文字あります。Excelの1セルの上限（{MAX_CELL_CHARS}文字）を超えるため、xlsx出力では切り詰められます（JSONには全文を残します）"
                            ),
                        ));
                    }
                }
                records.push(CsvRecord { line, fields: std::mem::take(&mut record) });
            }
            Ok(false) => break,
            Err(e) => {
                // Reading from a &str cannot fail with I/O; keep going past anything else.
                let line = e.position().map(|p| line_of(p.byte())).unwrap_or(0);
                problems.push(Problem::new(
                    ProblemKind::Csv,
                    Source::line(file, line),
                    format!("CSVとして読めません: {e}"),
                ));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    CsvTable { records }
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
    bytes.iter().position(|&b| b == b'"')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &CsvTable) -> Vec<(u64, Vec<String>)> {
        t.records.iter().map(|r| (r.line, r.fields.iter().map(str::to_string).collect())).collect()
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
    fn blank_lines_are_skipped() {
        let mut p = vec![];
        let t = parse("a\n\nb\n", "f.csv", &mut p);
        assert_eq!(rows(&t), vec![(1, vec!["a".into()]), (3, vec!["b".into()])]);
    }
}
