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
        let core = csv_core::ReaderBuilder::new().delimiter(self.delim).build();
        self.reader_with(file, Some(core))
    }

    fn reader_with<'a>(&'a self, file: &'a str, core: Option<csv_core::Reader>) -> CsvReader<'a> {
        let limits = super::limits::current();
        CsvReader {
            bytes: &self.bytes,
            text: self.text,
            delim: self.delim,
            file,
            core,
            at: 0,
            max_bytes: usize::try_from(limits.record_bytes).unwrap_or(usize::MAX),
            max_fields: usize::try_from(limits.record_fields).unwrap_or(usize::MAX),
            record: Rec::default(),
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
    record: &'a Rec,
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

/// One record's fields: their bytes back to back and where each ends (what
/// csv's `ByteRecord` holds, filled by `csv_core` here so that a record
/// stops growing at the record limits).
#[derive(Debug, Default)]
struct Rec {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Fields in use (`ends[..len]`) and bytes in use (`bytes[..used]`).
    len: usize,
    used: usize,
}

impl Rec {
    fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.len {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.bytes.get(start..self.ends[i])
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len).filter_map(move |i| self.get(i))
    }

    fn clear(&mut self) {
        self.len = 0;
        self.used = 0;
    }

    fn push_field(&mut self, f: &[u8]) {
        if self.bytes.len() < self.used + f.len() {
            self.bytes.resize(self.used + f.len(), 0);
        }
        self.bytes[self.used..self.used + f.len()].copy_from_slice(f);
        self.used += f.len();
        if self.ends.len() <= self.len {
            self.ends.push(0);
        }
        self.ends[self.len] = self.used;
        self.len += 1;
    }
}

/// A buffer doubled as csv's records grow, never past `max`; false when
/// it is at `max` already.
fn grow<T: Default + Clone>(v: &mut Vec<T>, max: usize) -> bool {
    if v.len() >= max {
        return false;
    }
    let to = v.len().saturating_mul(2).clamp(64, max.max(1));
    v.resize(to, T::default());
    true
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
    /// The CSV state machine (none for a lead reader) and where it is.
    core: Option<csv_core::Reader>,
    at: usize,
    /// A record's bytes and fields at most ([`super::limits::Limits`]).
    max_bytes: usize,
    max_fields: usize,
    record: Rec,
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
            let start = self.at;
            let over = match self.read_one()? {
                Some(over) => Some(over),
                None if self.done => return None,
                None => None,
            };
            let (line, first_byte) = self.line_at(start as u64);
            // A quote left open swallows the rest of the file, so it
            // can only be in a record that ends at the end of the text.
            let end = self.at.min(self.bytes.len());
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
            if let Some(fields) = over {
                self.too_large(line, end - first_byte.min(end), fields);
                continue;
            }
            // A blank line is a record with one empty field: skip it
            // (after the check above: a lone `"` at the end is a quote left open).
            if self.record.len == 1 && self.record.get(0).is_some_and(<[u8]>::is_empty) {
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
            let len = self.record.len;
            return Some((line, Fields { record: &self.record, text: self.text, len }));
        }
    }

    /// Reads the next record into `self.record` (as csv's
    /// `read_byte_record` does, on `csv_core`): `None` at the end of the
    /// text (`done` set) or for a record within the limits; `Some(fields)`
    /// for a record over them, which is read to its end into a buffer that
    /// no longer grows (its fields counted, its bytes dropped).
    fn read_one(&mut self) -> Option<Option<usize>> {
        use csv_core::ReadRecordResult::*;
        let core = self.core.as_mut()?;
        let rec = &mut self.record;
        rec.clear();
        let (mut outlen, mut endlen) = (0, 0);
        let mut over: Option<usize> = None;
        loop {
            let input = &self.bytes[self.at.min(self.bytes.len())..];
            let (res, nin, nout, nend) = core.read_record(input, &mut rec.bytes[outlen..], &mut rec.ends[endlen..]);
            self.at += nin;
            outlen += nout;
            endlen += nend;
            if let Some(fields) = over.as_mut() {
                *fields += nend;
            }
            match res {
                InputEmpty => continue,
                OutputFull => {
                    if over.is_none() && !grow(&mut rec.bytes, self.max_bytes.saturating_add(1)) {
                        over = Some(endlen);
                    }
                    if over.is_some() {
                        outlen = 0;
                    }
                }
                OutputEndsFull => {
                    if over.is_none() && !grow(&mut rec.ends, self.max_fields.saturating_add(1)) {
                        over = Some(endlen);
                    }
                    if over.is_some() {
                        endlen = 0;
                    }
                }
                Record => {
                    if over.is_none() && (endlen > self.max_fields || outlen > self.max_bytes) {
                        over = Some(endlen);
                    }
                    if over.is_some() {
                        rec.clear();
                        return Some(over);
                    }
                    rec.len = endlen;
                    rec.used = outlen;
                    return Some(None);
                }
                End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    fn too_large(&mut self, line: u64, bytes: usize, fields: usize) {
        let kb = self.max_bytes.div_ceil(1024) as u64;
        let what = if fields > self.max_fields {
            format!(
                "項目が {fields} 個あります（上限 {} 個）。区切りの「,」が壊れていないか確認してください。{}",
                self.max_fields,
                super::limits::how_to_raise("csv_fields", fields as u64 * 2)
            )
        } else {
            format!(
                "レコードの大きさが {} あります（上限 {}）。{}",
                super::limits::size_ja(bytes as u64),
                super::limits::size_ja(self.max_bytes as u64),
                super::limits::how_to_raise("csv_record_kb", (bytes as u64).div_ceil(1024).max(kb) * 2)
            )
        };
        self.problems.push(Problem::new(
            ProblemKind::Limit,
            Source::line(self.file, line),
            format!("このレコードは大きすぎるため読みませんでした: {what}"),
        ));
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
            // Over the record limits: the full reading reports it and reads
            // none of it.
            if count > self.max_fields || self.pos.saturating_sub(start) > self.max_bytes {
                continue;
            }
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

    /// A record over the limits (fields, bytes) is reported at its line and
    /// skipped, the records around it are read, and its fields never all
    /// sit in memory: the buffers stop at the limits.
    #[test]
    fn a_record_over_the_limits_is_reported_and_the_others_read() {
        let max = super::super::limits::Limits::default();
        let many = "a,".repeat(max.record_fields as usize + 5);
        let long = format!("\"{}\"", "x\r\n".repeat(max.record_bytes as usize / 3 + 10));
        let text = format!("1,2\r\n{many}\r\n3,4\r\n{long},5\r\n6,7\r\n");
        let table = CsvTable::new(text.clone());
        let mut r = table.reader("f.csv");
        let mut got = Vec::new();
        while let Some((line, f)) = r.next_record() {
            got.push((line, f.iter().map(|c| c.into_owned()).collect::<Vec<_>>().join("|")));
        }
        let long_lines = long.matches('\n').count() as u64;
        assert_eq!(got, vec![(1, "1|2".into()), (3, "3|4".into()), (5 + long_lines, "6|7".into())]);
        assert!(r.record.bytes.len() <= max.record_bytes as usize + 1, "{}", r.record.bytes.len());
        assert!(r.record.ends.len() <= max.record_fields as usize + 1, "{}", r.record.ends.len());
        let lines: Vec<(Option<u64>, &str)> =
            r.problems.iter().map(|p| (p.location.line, p.message.as_str())).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].0, Some(2));
        assert!(lines[0].1.contains("項目が 10006 個") && lines[0].1.contains("csv_fields"), "{lines:?}");
        assert_eq!(lines[1].0, Some(4));
        assert!(lines[1].1.contains("csv_record_kb"), "{lines:?}");
        // The first look skips the same records.
        let mut lead = table.lead_reader("f.csv");
        lead.set_lead(1);
        let mut firsts = Vec::new();
        while let Some((line, f)) = lead.next_record() {
            firsts.push((line, f.get(0).map(|c| c.into_owned())));
        }
        assert_eq!(firsts, vec![(1, Some("1".into())), (3, Some("3".into())), (5 + long_lines, Some("6".into()))]);
        // Just within the limits: read.
        let fit = "a,".repeat(max.record_fields as usize - 1) + "a";
        let mut p = Vec::new();
        assert_eq!(parse(&fit, "f.csv", &mut p)[0].fields.len(), max.record_fields as usize);
        assert!(p.is_empty(), "{p:?}");
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
