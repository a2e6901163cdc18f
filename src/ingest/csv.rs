//! One cohesive thing (kept in one file on purpose): the CSV reader, its
//! lead reader for the first look and their tests against the csv crate.
//!
//! CSV reading: records with their 1-based start line.
//!
//! Quoted fields may hold CR/LF and commas (the standard quotes free text and
//! keeps line breaks, formats.md §1.2); CRLF and LF both end records. A quote
//! left open at the end of the file is reported at the line it opened and
//! that record is not used. Column counts are the mapping layer's business:
//! only it knows how many columns a layout has.

use crate::diag::{Problem, ProblemKind, Source};
use std::borrow::Cow;

/// One CSV record (owned; see [`CsvReader`] for the streaming form).
#[derive(Debug, Clone)]
pub struct CsvRecord {
    /// 1-based line on which the record starts.
    pub line: u64,
    pub fields: csv::StringRecord,
}

/// A CSV file's bytes. Records are parsed on demand by [`CsvTable::reader`],
/// so a large file is never held as records: recognising it reads the first
/// few, mapping streams through the rest with one reused buffer.
///
/// The bytes are usually the decoded text ([`CsvTable::new`]); a first look
/// at a file keeps them undecoded and decodes only the fields it reads
/// ([`CsvTable::undecoded`]).
#[derive(Debug, Clone)]
pub struct CsvTable {
    bytes: Vec<u8>,
    text: Text,
    /// `,`, or a tab for tab-separated text (Excel's テキスト（タブ区切り）
    /// and Unicode テキスト): see [`delimiter_of`].
    delim: u8,
}

impl Default for CsvTable {
    fn default() -> CsvTable {
        CsvTable { bytes: Vec::new(), text: Text::Utf8, delim: b',' }
    }
}

/// What a table's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Text {
    /// UTF-8 text.
    #[default]
    Utf8,
    /// CP932 bytes: each field is decoded as it is read.
    Cp932,
    /// UTF-8 with broken sequences: each field is decoded lossily as it is read.
    Utf8Lossy,
}

/// Longest cell Excel can hold; longer cells cannot travel into the xlsx outputs.
pub const MAX_CELL_CHARS: usize = 32_767;

impl CsvTable {
    pub fn new(text: String) -> CsvTable {
        let delim = delimiter_of(text.as_bytes());
        CsvTable { bytes: text.into_bytes(), text: Text::Utf8, delim }
    }

    /// Bytes in `encoding`, not decoded as a whole: each field is decoded
    /// when it is read, as [`encoding::decode_as`](super::encoding::decode_as)
    /// would have decoded it (without listing the bytes that do not decode).
    /// CP932 and UTF-8 never use the bytes of `,` `"` CR LF inside a
    /// character, and a CP932 byte that breaks a character leaves an ASCII
    /// byte after it to be read on its own, so the records and fields are
    /// the same as those of the decoded text.
    pub fn undecoded(mut bytes: Vec<u8>, encoding: super::encoding::Encoding) -> CsvTable {
        use super::encoding::Encoding;
        match encoding {
            Encoding::Cp932 => CsvTable { delim: delimiter_of(&bytes), bytes, text: Text::Cp932 },
            // Two bytes a character: decoded as a whole first.
            Encoding::Utf16Le | Encoding::Utf16Be => CsvTable::new(super::encoding::decode_as(&bytes, encoding).0),
            Encoding::Ascii | Encoding::Utf8 | Encoding::Utf8Bom => {
                if encoding == Encoding::Utf8Bom && bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes.drain(..3);
                }
                match String::from_utf8(bytes) {
                    Ok(text) => CsvTable::new(text),
                    Err(e) => {
                        let bytes = e.into_bytes();
                        CsvTable { delim: delimiter_of(&bytes), bytes, text: Text::Utf8Lossy }
                    }
                }
            }
        }
    }

    /// The table's buffer (to give back, see [`give_back`](super::give_back)).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The table's bytes (the text, or the undecoded bytes).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A streaming reader; `file` names the file in problems.
    pub fn reader<'a>(&'a self, file: &'a str) -> CsvReader<'a> {
        let inner = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delim)
            .from_reader(self.bytes.as_slice());
        self.reader_with(file, Some(inner))
    }

    fn reader_with<'a>(&'a self, file: &'a str, inner: Option<csv::Reader<&'a [u8]>>) -> CsvReader<'a> {
        CsvReader {
            bytes: &self.bytes,
            text: self.text,
            delim: self.delim,
            file,
            inner,
            record: csv::ByteRecord::new(),
            lead: None,
            pos: 0,
            field: Vec::new(),
            counted_to: 0,
            line: 1,
            last_start: 0,
            last_line: 0,
            done: false,
            problems: Vec::new(),
        }
    }

    /// A reader for a first look at the leading fields of each record
    /// (see [`CsvReader::set_lead`]); it reads every field until told otherwise.
    pub fn lead_reader<'a>(&'a self, file: &'a str) -> CsvReader<'a> {
        let mut r = self.reader_with(file, None);
        r.lead = Some(usize::MAX);
        r
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
/// The reader splits the bytes only at ASCII bytes (`,` `"` CR LF), dropping
/// only ASCII quotes: every field of a decoded text is a run of whole UTF-8
/// characters of it. So such fields are not validated again (csv's
/// `StringRecord` would, at about a tenth of a run's reading time).
///
/// A lead reader ([`CsvTable::lead_reader`]) keeps only a record's leading
/// fields: [`len`](Self::len) counts them all, the others read as missing.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    record: &'a csv::ByteRecord,
    text: Text,
    len: usize,
}

impl<'a> Fields<'a> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Field `i`'s text (borrowed unless it had to be decoded).
    pub fn get(&self, i: usize) -> Option<Cow<'a, str>> {
        self.record.get(i).map(|b| field_text(b, self.text))
    }

    /// Field `i`'s bytes as the table holds them (for sizing).
    pub fn bytes(&self, i: usize) -> Option<&'a [u8]> {
        self.record.get(i)
    }

    pub fn iter(&self) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        let text = self.text;
        self.record.iter().map(move |b| field_text(b, text))
    }
}

fn field_text(b: &[u8], text: Text) -> Cow<'_, str> {
    match text {
        Text::Utf8 => {
            debug_assert!(std::str::from_utf8(b).is_ok());
            // SAFETY: see `Fields`: a field of a record parsed from a `&str` is
            // whole UTF-8 characters of it (csv splits and unquotes at ASCII bytes only).
            Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(b) })
        }
        Text::Cp932 => encoding_rs::SHIFT_JIS.decode_without_bom_handling(b).0,
        Text::Utf8Lossy => String::from_utf8_lossy(b),
    }
}

/// Streams records with their physical start line. Problems (an unclosed
/// quote, cells longer than Excel allows) are collected in `problems`.
pub struct CsvReader<'a> {
    bytes: &'a [u8],
    text: Text,
    delim: u8,
    file: &'a str,
    /// The `csv` crate's reader (none for a lead reader).
    inner: Option<csv::Reader<&'a [u8]>>,
    record: csv::ByteRecord,
    /// A lead reader: how many leading fields it keeps.
    lead: Option<usize>,
    /// A lead reader: where the next record starts; the field being read.
    pos: usize,
    field: Vec<u8>,
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
        let bytes = self.bytes;
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

    /// A lead reader keeps the first `n` fields of the records after this
    /// (at least one: a blank record is known by its first field).
    pub fn set_lead(&mut self, n: usize) {
        if self.lead.is_some() {
            self.lead = Some(n.max(1));
        }
    }

    /// The next record and its line, or None at the end.
    pub fn next_record(&mut self) -> Option<(u64, Fields<'_>)> {
        if self.done {
            return None;
        }
        if let Some(n) = self.lead {
            return self.next_lead(n);
        }
        loop {
            match self.inner.as_mut()?.read_byte_record(&mut self.record) {
                Ok(true) => {
                    let pos = self.record.position().map(|p| p.byte()).unwrap_or(0);
                    let (line, first_byte) = self.line_at(pos);
                    // A quote left open swallows the rest of the file, so it
                    // can only be in a record that ends at the end of the text.
                    let end = self.inner.as_ref().map_or(0, |r| r.position().byte() as usize).min(self.bytes.len());
                    let ends_text = self.bytes[end..].iter().all(|b| matches!(b, b'\r' | b'\n'));
                    let open = if ends_text {
                        unclosed_quote_line(&self.bytes[first_byte.min(self.bytes.len())..], self.delim)
                    } else {
                        None
                    };
                    if let Some(open) = open {
                        self.unclosed(line + open - 1);
                        return None;
                    }
                    // A blank line is a record with one empty field: skip it
                    // (after the check above: a lone `"` at the end is a quote left open).
                    if self.record.len() == 1 && self.record[0].is_empty() {
                        continue;
                    }
                    self.last_start = first_byte;
                    self.last_line = line;
                    for (i, f) in self.record.iter().enumerate() {
                        // Bytes ≥ chars: only long fields need counting.
                        if f.len() > MAX_CELL_CHARS {
                            let chars = field_text(f, self.text).chars().count();
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
                    let len = self.record.len();
                    return Some((line, Fields { record: &self.record, text: self.text, len }));
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

impl CsvReader<'_> {
    /// [`next_record`](Self::next_record) of a lead reader: the same records,
    /// lines and field counts as the `csv` crate gives, keeping only the first
    /// `n` fields. The rest of a record is skipped with `memchr` (quoted text
    /// is most of a file's bytes) instead of being split and copied field by
    /// field. A quote opens a quoted field only at the field's start; inside
    /// it `""` is a quote; after it the field goes on unquoted up to the next
    /// `,` or line break; CR, LF and CRLF end a record; blank lines are no records.
    fn next_lead(&mut self, n: usize) -> Option<(u64, Fields<'_>)> {
        let (b, delim) = (self.bytes, self.delim);
        loop {
            let mut i = self.pos;
            while i < b.len() && matches!(b[i], b'\r' | b'\n') {
                i += 1;
            }
            if i >= b.len() {
                self.done = true;
                return None;
            }
            let start = i;
            self.record.clear();
            let mut field = std::mem::take(&mut self.field);
            let mut count = 0;
            let mut first_empty = false;
            loop {
                count += 1;
                let keep = count <= n;
                field.clear();
                if b.get(i) == Some(&b'"') {
                    let Some(close) = closing_quote(b, i) else {
                        // Open to the end of the file: the record is not used.
                        self.open_quote(start, i);
                        return None;
                    };
                    if keep {
                        // `""` inside is one quote.
                        for (n, part) in b[i + 1..close].split(|&c| c == b'"').step_by(2).enumerate() {
                            if n > 0 {
                                field.push(b'"');
                            }
                            field.extend_from_slice(part);
                        }
                    }
                    i = close + 1;
                }
                let end = memchr::memchr3(delim, b'\r', b'\n', &b[i..]).map_or(b.len(), |k| i + k);
                if keep {
                    field.extend_from_slice(&b[i..end]);
                    self.record.push_field(&field);
                }
                if count == 1 {
                    first_empty = field.is_empty();
                }
                if b.get(end) == Some(&delim) {
                    i = end + 1;
                    if count < n {
                        continue;
                    }
                    // The rest of the record: its fields counted, not split.
                    match skip_fields(b, i, delim) {
                        Ok((fields, end)) => {
                            count += fields;
                            self.pos = end;
                        }
                        Err(open) => {
                            self.open_quote(start, open);
                            return None;
                        }
                    }
                    break;
                }
                self.pos = end;
                break;
            }
            self.field = field;
            // A blank line (or a record of one empty field) is skipped.
            if count == 1 && first_empty {
                continue;
            }
            let (line, _) = self.line_at(start as u64);
            return Some((line, Fields { record: &self.record, text: self.text, len: count }));
        }
    }

    /// [`unclosed`](Self::unclosed) for the quote at byte `quote` of the record starting at byte `start`.
    fn open_quote(&mut self, start: usize, quote: usize) {
        let (line, _) = self.line_at(start as u64);
        self.unclosed(line + memchr::memchr_iter(b'\n', &self.bytes[start..quote]).count() as u64);
    }

    fn unclosed(&mut self, open: u64) {
        self.problems.push(Problem::new(
            ProblemKind::Csv,
            Source::line(self.file, open),
            format!(
                "{open}行目で始まった「\"」がファイルの終わりまで閉じられていません。この行から後は読み込めませんでした（ファイルが途中で切れている可能性があります）"
            ),
        ));
        self.done = true;
    }
}

/// The fields from `start` (a field's first byte) to the end of its record,
/// and where the record ends; or where a quote opens that never closes.
/// Commas are counted in bulk between the quotes and line breaks.
fn skip_fields(b: &[u8], start: usize, delim: u8) -> Result<(usize, usize), usize> {
    let commas = |s: &[u8]| memchr::memchr_iter(delim, s).count();
    let mut fields = 1;
    let mut at = start;
    loop {
        let Some(k) = memchr::memchr3(b'"', b'\r', b'\n', &b[at..]) else {
            return Ok((fields + commas(&b[at..]), b.len()));
        };
        let p = at + k;
        fields += commas(&b[at..p]);
        if b[p] != b'"' {
            return Ok((fields, p));
        }
        // A quote opens a quoted field only at the field's start (after a
        // comma: `start` is after one too); elsewhere it is text.
        if b[p - 1] != delim {
            at = p + 1;
            continue;
        }
        at = closing_quote(b, p).ok_or(p)? + 1;
    }
}

/// Where the quoted field whose opening quote is at `open` closes: the
/// first quote after it that is not doubled (`""` is a quote inside).
fn closing_quote(b: &[u8], open: usize) -> Option<usize> {
    let mut j = open + 1;
    loop {
        let q = j + memchr::memchr(b'"', &b[j..])?;
        if b.get(q + 1) == Some(&b'"') {
            j = q + 2;
        } else {
            return Some(q);
        }
    }
}

/// The field separator of a text: a tab when its first line has more tabs
/// than commas (a tab-separated export; a header or record of a CSV has
/// commas and hardly a tab), else `,`. Tab, like `,`, is never a byte
/// inside a CP932 or UTF-8 character.
fn delimiter_of(bytes: &[u8]) -> u8 {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let first = memchr::memchr(b'\n', head).map_or(head, |n| &head[..n]);
    let tabs = memchr::memchr_iter(b'\t', first).count();
    if tabs > memchr::memchr_iter(b',', first).count() {
        b'\t'
    } else {
        b','
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
fn unclosed_quote_line(bytes: &[u8], delim: u8) -> Option<u64> {
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
                b if b == delim => {
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
        assert_eq!(unclosed_quote_line(b"a\"b,c\n", b','), None);
        assert_eq!(unclosed_quote_line(b"a,\"b\nc", b','), Some(1));
    }

    #[test]
    fn a_closed_quote_in_the_last_record_is_fine() {
        let mut p = vec![];
        let t = parse("a,b\r\n\"c,\r\nd\",e\r\n", "f.csv", &mut p);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(rows(&t), vec![(1, vec!["a".into(), "b".into()]), (2, vec!["c,\r\nd".into(), "e".into()])]);
    }

    /// (line, field count, first `n` fields) of a record.
    type Lead = (u64, usize, Vec<String>);

    /// Every record's [`Lead`], and the problems.
    fn leads(table: &CsvTable, lead: Option<usize>) -> (Vec<Lead>, Vec<String>) {
        let mut r = match lead {
            Some(n) => {
                let mut r = table.lead_reader("f.csv");
                r.set_lead(n);
                r
            }
            None => table.reader("f.csv"),
        };
        let n = lead.unwrap_or(usize::MAX);
        let mut out = Vec::new();
        while let Some((line, f)) = r.next_record() {
            out.push((line, f.len(), f.iter().take(n).map(|c| c.into_owned()).collect()));
        }
        (out, r.problems.iter().map(|p| format!("{:?} {}", p.location, p.message)).collect())
    }

    /// The lead reader against the `csv` crate on random texts made of the
    /// bytes that matter (quotes, commas, CR, LF) and CP932 text.
    #[test]
    fn the_lead_reader_splits_records_as_csv_does() {
        // Tabs too: a text whose first line has more tabs than commas is
        // read as tab-separated by both readers.
        let alphabet: [&[u8]; 10] = [b"a", b"1", b",", b"\t", b"\"", b"\"\"", b"\r", b"\n", b"\r\n", b"\x82\xa0"];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let mut bytes = Vec::new();
            for _ in 0..len {
                bytes.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let table = CsvTable::undecoded(bytes.clone(), crate::ingest::encoding::Encoding::Cp932);
            let (all, problems) = leads(&table, None);
            for n in [1, 2, 3] {
                let (lead, lead_problems) = leads(&table, Some(n));
                let want: Vec<_> =
                    all.iter().map(|(l, c, f)| (*l, *c, f.iter().take(n).cloned().collect::<Vec<_>>())).collect();
                assert_eq!(lead, want, "lead {n} of {bytes:?}");
                // An open quote is the only problem a lead reader reports.
                let open: Vec<_> = problems.iter().filter(|p| p.contains("閉じられていません")).cloned().collect();
                assert_eq!(lead_problems, open, "{bytes:?}");
            }
        }
    }

    /// Excel's テキスト（タブ区切り）: the same fields as the CSV, quoted
    /// tabs, commas and line breaks kept; a CSV whose text has a tab or two
    /// stays a CSV.
    #[test]
    fn tab_separated_text_is_read_as_its_csv() {
        let tsv = "氏名\t住所,番地\t備考\r\n山田\t\"東京\t1\"\t\"a\r\nb\"\"c\"\r\n";
        let csv = "氏名,\"住所,番地\",備考\r\n山田,\"東京\t1\",\"a\r\nb\"\"c\"\r\n";
        let (mut p, mut q) = (vec![], vec![]);
        let (a, b) = (parse(tsv, "f.txt", &mut p), parse(csv, "f.csv", &mut q));
        assert!(p.is_empty() && q.is_empty(), "{p:?} {q:?}");
        assert_eq!(rows(&a), rows(&b));
        assert_eq!(rows(&a)[1].1, ["山田", "東京\t1", "a\r\nb\"c"]);
        assert_eq!(delimiter_of(b"a,b\tc,d\n"), b',');
        assert_eq!(delimiter_of(b"a\tb\tc,d\n1,2,3,4,5"), b'\t');
        assert_eq!(delimiter_of(b""), b',');
    }

    #[test]
    fn blank_lines_are_skipped() {
        let mut p = vec![];
        let t = parse("a\n\nb\n", "f.csv", &mut p);
        assert_eq!(rows(&t), vec![(1, vec!["a".into()]), (3, vec!["b".into()])]);
    }
}
