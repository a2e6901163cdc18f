//! Applying one compiled source to an ingested file: cells → [`Record`]s.

use super::load::{CompiledField, CompiledSource, Fast};
use super::record::{Key, Record};
use super::schema::{GridSpec, SourceKind, TableSpec, Target};
use super::transforms::{self, trim_spaces, Context};
use super::Value;
use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::csv::CsvTable;
use crate::ingest::excel::{Cell, Sheet, Workbook};
use crate::model::fields::F;
use crate::text::norm_label;
use chrono::NaiveDate;
use std::sync::Arc;

/// What a source read from a file: records, problems and counts.
#[derive(Debug, Default)]
pub struct Extracted {
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Records skipped by `row_filter` (header lines in headerless files).
    pub skipped: usize,
}

/// Runs a field's transform chain. A rejected value becomes a problem that
/// quotes it (so it is not lost) and the field is left empty.
fn transform(
    f: &CompiledField,
    target: Target,
    v: Value,
    ctx: &Context,
    src: impl FnOnce() -> Source,
    problems: &mut Vec<Problem>,
) -> Value {
    if v.is_empty() {
        return Value::Empty;
    }
    match transforms::apply_chain(&f.chain, v, ctx) {
        Ok(v) => v,
        Err(e) => {
            // Transform messages already quote the value they found.
            problems.push(Problem::new(
                ProblemKind::Value,
                src(),
                format!("{}: {}", label_of(target, &f.name), e.message),
            ));
            Value::Empty
        }
    }
}

fn label_of(target: Target, name: &str) -> String {
    match crate::model::fields::label(target, name) {
        Some(l) => format!("{l}（{name}）"),
        None => name.to_string(),
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn digits(s: &str) -> u32 {
    s.bytes().fold(0, |n, b| n * 10 + (b - b'0') as u32)
}

/// Reads one raw field into the record, through the fast path where the
/// input has the plain shape the standard writes, else through the chain.
fn put_raw(
    r: &mut Record,
    f: &CompiledField,
    target: Target,
    raw: &str,
    ctx: &Context,
    src: impl FnOnce() -> Source,
    problems: &mut Vec<Problem>,
) {
    match f.fast {
        Fast::Text => return r.push_new_str(f.key, trim_spaces(raw)),
        Fast::AsciiText { id } if raw.is_ascii() => {
            let t = raw.trim();
            if !id || t.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return r.push_new_str(f.key, t);
            }
        }
        Fast::Date8 if raw.len() == 8 && all_digits(raw) => {
            if raw == "00000000" {
                return;
            }
            if let Some(d) = NaiveDate::from_ymd_opt(digits(&raw[..4]) as i32, digits(&raw[4..6]), digits(&raw[6..])) {
                return r.push(f.key, Value::Date(d), None);
            }
        }
        Fast::Int if all_digits(raw) && raw.len() < 16 => {
            return r.push(f.key, Value::Number(digits_u64(raw) as f64), None)
        }
        Fast::Time4 if raw.len() == 4 && all_digits(raw) => {
            if raw == "9999" {
                return;
            }
            let (h, m) = (digits(&raw[..2]), digits(&raw[2..]));
            if m < 60 && (h < 24 || (h == 24 && m == 0)) {
                return r.push(f.key, Value::Time((h * 60 + m) as u16), None);
            }
        }
        Fast::YearMonth6 if raw.len() == 6 && all_digits(raw) => {
            if raw == "000000" {
                return;
            }
            let m = digits(&raw[4..]);
            if (1..=12).contains(&m) {
                let mut ym = [0u8; 7];
                ym[..4].copy_from_slice(&raw.as_bytes()[..4]);
                ym[4] = b'-';
                ym[5..].copy_from_slice(&raw.as_bytes()[4..]);
                return r.push_str(f.key, std::str::from_utf8(&ym).unwrap_or_default(), None);
            }
        }
        _ => {}
    }
    if raw.is_empty() {
        return;
    }
    let v = transform(f, target, Value::Text(raw.to_string()), ctx, src, problems);
    r.push(f.key, v, None);
}

fn digits_u64(s: &str) -> u64 {
    s.bytes().fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add((b - b'0') as u64))
}

// ---------------------------------------------------------------- CSV

/// Records reserved for a CSV file at most before it is read.
const RESERVE_RECORDS: usize = 1 << 14;

/// The fields a first look at a file needs: who and which plan each record
/// is for (see `batch::ingest_and_map_with`).
pub const KEY_FIELDS: [Key; 3] = [Key::Field(F::InsurerNo), Key::Field(F::InsuredNo), Key::Field(F::PlanDate)];

/// Maps a CSV table's records; with `only`, just those fields (the records
/// and CSV problems are the same, value problems only of those fields).
pub fn csv(
    s: &CompiledSource,
    file: &Arc<str>,
    file_index: usize,
    table: &CsvTable,
    only: Option<&[Key]>,
) -> Extracted {
    let mut out = Extracted::default();
    // At most a record per line: sized once instead of grown by copying (up
    // to a bound: a file of blank or rejected lines must not reserve
    // memory for records it never makes).
    let lines = memchr::memchr_iter(b'\n', table.bytes()).take(RESERVE_RECORDS).count() + 1;
    out.records.reserve(lines.min(RESERVE_RECORDS));
    // A first look reads only the leading columns it needs.
    let mut reader = if only.is_some() { table.lead_reader(file) } else { table.reader(file) };
    let target = s.spec.target;
    // Header names → 0-based column.
    let mut header_cols: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    // Without a declared count, a headered file's records must match its header.
    let mut expected = s.spec.columns;
    if s.spec.header {
        if let Some((_, h)) = reader.next_record() {
            expected = expected.or(Some(h.len()));
            for (i, name) in h.iter().enumerate() {
                header_cols.entry(norm_label(&name)).or_default().push(i);
            }
        }
    }
    // Resolve each field to a 0-based column once.
    let mut cols: Vec<(&CompiledField, Option<usize>)> = Vec::new();
    let mut header_columns: Vec<(Key, u32)> = Vec::new();
    for f in s.fields.iter().filter(|f| only.is_none_or(|o| o.contains(&f.key))) {
        let col = if let Some(c) = f.spec.column {
            Some(c - 1)
        } else if let Some(h) = &f.spec.header {
            let idx = f.spec.occurrence.unwrap_or(1).max(1) - 1;
            let found = header_cols.get(&norm_label(h)).and_then(|v| v.get(idx)).copied();
            match found {
                Some(c) => header_columns.push((f.key, c as u32 + 1)),
                None if f.spec.required => out.problems.push(Problem::new(
                    ProblemKind::Layout,
                    Source::line(file.clone(), 1),
                    format!("見出し行に必須の列「{h}」がありません（{}）", label_of(target, &f.name)),
                )),
                None => {}
            }
            found
        } else {
            None
        };
        cols.push((f, col));
    }
    let last = cols.iter().filter_map(|(_, c)| *c).chain(s.row_filter.as_ref().map(|(c, _)| c - 1)).max();
    reader.set_lead(last.map_or(1, |c| c + 1));
    // Columns found by header name differ per file: the records of this file
    // carry them in their own copy of the source's description.
    let meta = if header_columns.is_empty() {
        s.meta.clone()
    } else {
        let mut m = (*s.meta).clone();
        for (k, c) in header_columns {
            m.set_column(k, c);
        }
        Arc::new(m)
    };
    let ctx = Context::default();
    let title = if s.spec.title.is_empty() { &s.spec.id } else { &s.spec.title };
    // The last value the row filter let through: a file repeats one value
    // (the CSV version) on every record, so the pattern runs about once.
    let mut passed: Option<Vec<u8>> = None;
    while let Some((line, fields)) = reader.next_record() {
        if let Some((c, re)) = &s.row_filter {
            let raw = fields.bytes(c - 1).unwrap_or_default();
            if passed.as_deref() != Some(raw) {
                if !re.is_match(&fields.get(c - 1).unwrap_or_default()) {
                    out.skipped += 1;
                    continue;
                }
                passed = Some(raw.to_vec());
            }
        }
        if let Some(n) = expected {
            if fields.len() != n {
                out.problems.push(Problem::new(
                    ProblemKind::Csv,
                    Source::line(file.clone(), line),
                    format!(
                        "この行は{}項目あります（{title}では{n}項目のはずです）。列がずれている可能性があるため、この行は読み込みませんでした",
                        fields.len(),
                    ),
                ));
                continue;
            }
        }
        // Size the record for what it will hold: the non-empty mapped fields
        // (sizing by the whole line over-allocated records several times over).
        let (mut text_len, mut used) = (0, 0);
        for (_, col) in &cols {
            if let Some(v) = col.and_then(|c| fields.bytes(c)).filter(|v| !v.is_empty()) {
                text_len += v.len();
                used += 1;
            }
        }
        let mut r = Record::csv(meta.clone(), file_index, file.clone(), line, text_len, used);
        for (f, col) in &cols {
            let cell;
            let raw: &str = match (col, &f.spec.value) {
                (_, Some(v)) => v,
                (Some(c), None) => {
                    cell = fields.get(*c).unwrap_or_default();
                    &cell
                }
                (None, None) => continue,
            };
            let column = col.map(|c| c as u32 + 1);
            let src = || {
                let mut s = Source::line(file.clone(), line);
                s.column = column;
                s
            };
            put_raw(&mut r, f, target, raw, &ctx, src, &mut out.problems);
            if f.spec.required && !r.has_key(f.key) {
                out.problems.push(Problem::new(
                    ProblemKind::Value,
                    src(),
                    format!("必須の項目「{}」が空です", label_of(target, &f.name)),
                ));
            }
        }
        out.records.push(r);
    }
    out.problems.append(&mut reader.problems);
    out
}

// ---------------------------------------------------------------- Excel

fn cell_value(c: &Cell) -> Value {
    match c {
        Cell::Empty => Value::Empty,
        Cell::Text(s) => Value::text(s.clone()),
        Cell::Number(n) => Value::Number(*n),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Date(d) => Value::Date(*d),
        Cell::DateTime(dt) => Value::Date(dt.date()),
        Cell::Error(e) => Value::text(e.clone()),
    }
}

fn cell_text(c: &Cell) -> String {
    cell_value(c).display()
}

/// The normalised text of every non-empty cell, with its position.
fn labels(sheet: &Sheet) -> Vec<(u32, u32, String)> {
    sheet
        .cells()
        .filter_map(|(r, c, cell)| match cell {
            Cell::Text(t) => Some((r, c, norm_label(t))),
            _ => None,
        })
        .collect()
}

/// First cell whose label is `label` exactly, else the first that starts with it.
fn find_label(labels: &[(u32, u32, String)], label: &str) -> Option<(u32, u32, bool)> {
    let want = norm_label(label);
    if want.is_empty() {
        return None;
    }
    labels
        .iter()
        .find(|(_, _, t)| *t == want)
        .map(|(r, c, _)| (*r, *c, true))
        .or_else(|| labels.iter().find(|(_, _, t)| t.starts_with(&want)).map(|(r, c, _)| (*r, *c, false)))
}

/// Whether every `match.anchors` label is on the sheet.
pub fn sheet_has_anchors(sheet: &Sheet, anchors: &[String]) -> bool {
    let ls = labels(sheet);
    anchors.iter().all(|a| find_label(&ls, a).is_some())
}

/// The sheets of a workbook a source reads.
pub fn selected_sheets<'w>(s: &CompiledSource, wb: &'w Workbook) -> Vec<&'w Sheet> {
    wb.sheets
        .iter()
        .filter(|sh| s.sheet.as_ref().is_some_and(|re| re.is_match(&norm_label(&sh.name))))
        .filter(|sh| s.spec.recognise.anchors.is_empty() || sheet_has_anchors(sh, &s.spec.recognise.anchors))
        .collect()
}

/// A value read from a sheet with its cell.
type CellValue = (Key, Value, (u32, u32));

pub fn excel(s: &CompiledSource, file: &Arc<str>, file_index: usize, wb: &Workbook) -> Extracted {
    debug_assert_eq!(s.spec.kind, SourceKind::Excel);
    let mut out = Extracted::default();
    let ctx = Context { date1904: wb.date1904 };
    let target = s.spec.target;
    for (si, sheet) in selected_sheets(s, wb).into_iter().enumerate() {
        let ls = labels(sheet);
        let seq_base = (si as u64) << 40;
        let sheet_name: Arc<str> = sheet.name.as_str().into();
        let here = Source { file: file.clone(), sheet: Some(sheet_name.clone()), ..Source::default() };
        // Form fields: anchor + offset, or fixed values.
        let mut form: Vec<CellValue> = Vec::new();
        let mut fixed: Vec<(Key, Value)> = Vec::new();
        for f in
            s.fields.iter().filter(|f| f.spec.anchor.is_some() || (f.spec.value.is_some() && s.spec.table.is_none()))
        {
            if let Some(v) = &f.spec.value {
                fixed.push((f.key, Value::text(v.clone())));
                continue;
            }
            let Some(anchor) = &f.spec.anchor else { continue };
            let scope: Vec<(u32, u32, String)> = match &f.spec.after {
                Some(after) => match find_label(&ls, after) {
                    Some((r0, c0, _)) => ls.iter().filter(|(r, c, _)| (*r, *c) > (r0, c0)).cloned().collect(),
                    None => Vec::new(),
                },
                None => ls.clone(),
            };
            match anchored(sheet, &scope, anchor, f.spec.offset.unwrap_or([0, 1]), f.spec.span.unwrap_or(1)) {
                Some((raw, row, col)) => {
                    let src = || Source::cell(file.clone(), sheet_name.clone(), row, col);
                    let v = transform(f, target, raw, &ctx, src, &mut out.problems);
                    if f.spec.required && v.is_empty() {
                        out.problems.push(Problem::new(
                            ProblemKind::Value,
                            src(),
                            format!("必須の項目「{}」が空です", label_of(target, &f.name)),
                        ));
                    }
                    form.push((f.key, v, (row, col)));
                }
                None if f.spec.required => out.problems.push(Problem::new(
                    ProblemKind::Layout,
                    here.clone(),
                    format!("見出し「{anchor}」がシートにありません（必須の項目「{}」）", label_of(target, &f.name)),
                )),
                None => {}
            }
        }
        let first_cell = form.iter().map(|(_, _, rc)| *rc).min();
        let record = |cells: &[CellValue], start: Option<(u32, u32)>, seq: u64| -> Record {
            let mut rec =
                Record::sheet(s.meta.clone(), file_index, file.clone(), sheet_name.clone(), start, seq_base + seq);
            for (k, v) in &fixed {
                rec.push(*k, v.clone(), None);
            }
            for (k, v, rc) in form.iter().chain(cells) {
                rec.push(*k, v.clone(), Some(*rc));
            }
            rec
        };
        let mut lists = Vec::new();
        for l in &s.lists {
            let rows = table_rows(sheet, &ls, &l.table, &l.fields, file, target, &ctx, &mut out.problems);
            let rows = rows
                .into_iter()
                .map(|(_, _, cells)| {
                    cells
                        .into_iter()
                        .filter_map(|(k, v, (r, c))| match k {
                            Key::Field(f) => Some((f, v, Source::cell(file.clone(), sheet_name.clone(), r, c))),
                            Key::Extra(_) => None,
                        })
                        .collect()
                })
                .collect();
            if let Some(f) = F::from_name(&l.field) {
                lists.push((f, rows));
            }
        }
        if let Some(t) = &s.spec.table {
            let table_fields: Vec<CompiledField> =
                s.fields.iter().filter(|f| f.spec.header.is_some()).cloned().collect();
            for (seq, start, cells) in table_rows(sheet, &ls, t, &table_fields, file, target, &ctx, &mut out.problems) {
                out.records.push(record(&cells, Some(start), seq));
            }
        } else if let Some(g) = &s.spec.grid {
            match grid(sheet, &ls, g, file) {
                Ok(items) => {
                    for (seq, start, cells) in items {
                        out.records.push(record(&cells, Some(start), seq));
                    }
                }
                Err(p) => out.problems.push(*p),
            }
        } else {
            let mut rec = record(&[], first_cell, 0);
            rec.set_lists(lists);
            out.records.push(rec);
        }
    }
    out
}

/// The value next to an anchor label. When the label cell holds more than the
/// label (`利用者名：山田　花子　殿`), the rest of that cell is the value.
fn anchored(
    sheet: &Sheet,
    ls: &[(u32, u32, String)],
    anchor: &str,
    offset: [i32; 2],
    span: u32,
) -> Option<(Value, u32, u32)> {
    let (r, c, exact) = find_label(ls, anchor)?;
    if !exact {
        if let Cell::Text(t) = sheet.get(r, c) {
            if let Some(rest) = strip_label(t, anchor) {
                return Some((Value::text(rest), r, c));
            }
        }
    }
    let region =
        sheet.merged_at(r, c).copied().unwrap_or(crate::ingest::excel::Region { top: r, left: c, bottom: r, right: c });
    let row =
        if offset[0] > 0 { region.bottom as i64 + offset[0] as i64 } else { region.top as i64 + offset[0] as i64 };
    let col =
        if offset[1] > 0 { region.right as i64 + offset[1] as i64 } else { region.left as i64 + offset[1] as i64 };
    if row < 0 || col < 0 {
        return None;
    }
    let (row, col) = (row as u32, col as u32);
    if span <= 1 {
        return Some((cell_value(sheet.shown(row, col)), row, col));
    }
    let mut parts = Vec::new();
    let mut cc = col;
    for _ in 0..span {
        let t = cell_text(sheet.shown(row, cc));
        if !t.is_empty() {
            parts.push(t);
        }
        cc = sheet.merged_at(row, cc).map_or(cc, |m| m.right) + 1;
    }
    Some((Value::text(parts.join(" ")), row, col))
}

/// `利用者名：山田　花子` minus its label, if the label starts the text and a
/// separator (colon or space) follows it. Text right after the label without a
/// separator, such as `残された課題（次回の開催時期）`, is part of the label.
fn strip_label(text: &str, label: &str) -> Option<String> {
    let want = norm_label(label);
    let mut seen = String::new();
    for (i, ch) in text.char_indices() {
        if seen == want {
            let rest = &text[i..];
            if !rest.starts_with([' ', '\u{3000}', ':', '：', '\t', '\n']) {
                return None;
            }
            let rest = rest.trim_start_matches([' ', '\u{3000}', ':', '：', '\t', '\n']).trim_end();
            return (!rest.is_empty()).then(|| rest.to_string());
        }
        seen.push_str(&norm_label(&ch.to_string()));
        if !want.starts_with(&seen) {
            return None;
        }
    }
    None
}

/// Reads a table region: returns (order, row source, fields) per data row.
#[allow(clippy::too_many_arguments)]
fn table_rows(
    sheet: &Sheet,
    ls: &[(u32, u32, String)],
    t: &TableSpec,
    fields: &[CompiledField],
    file: &Arc<str>,
    target: Target,
    ctx: &Context,
    problems: &mut Vec<Problem>,
) -> Vec<(u64, (u32, u32), Vec<CellValue>)> {
    let mut out = Vec::new();
    let Some((top, _, _)) = find_label(ls, &t.header_anchor) else {
        problems.push(Problem::new(
            ProblemKind::Layout,
            Source { file: file.clone(), sheet: Some(sheet.name.as_str().into()), ..Source::default() },
            format!("表の見出し「{}」がシートにありません", t.header_anchor),
        ));
        return out;
    };
    let header_rows = t.header_rows.max(1);
    let (_, end_col) = sheet.end();
    let (end_row, _) = sheet.end();
    // Header labels per column (merged group labels reach every column they cover).
    let header_end = top + header_rows;
    let header_of = |col: u32| -> Vec<String> {
        (top..header_end).map(|r| norm_label(&cell_text(sheet.shown(r, col)))).filter(|s| !s.is_empty()).collect()
    };
    let headers: Vec<(u32, Vec<String>)> = (sheet.origin.1..end_col).map(|c| (c, header_of(c))).collect();
    // Columns whose header matches a label, left to right (exact first, then prefix).
    let columns_for = |label: &str| -> Vec<u32> {
        let want = norm_label(label);
        let mut exact: Vec<u32> = Vec::new();
        for (c, hs) in &headers {
            // A label merged over several columns counts once, at its first column.
            if hs.contains(&want) && !is_merge_continuation(sheet, top..header_end, *c, &want) {
                exact.push(*c);
            }
        }
        if exact.is_empty() {
            for (c, hs) in &headers {
                if hs.iter().any(|h| h.starts_with(&want)) && !is_merge_continuation(sheet, top..header_end, *c, &want)
                {
                    exact.push(*c);
                }
            }
        }
        exact
    };
    let anchor_cols = columns_for(&t.header_anchor);
    let sets = if t.side_by_side { anchor_cols.len().max(1) } else { 1 };
    let mut field_cols: Vec<(&CompiledField, Vec<Option<u32>>)> = Vec::new();
    for f in fields {
        let Some(h) = &f.spec.header else { continue };
        let found = columns_for(h);
        let per_set = (found.len() / sets).max(1);
        let occ = f.spec.occurrence.unwrap_or(1).max(1) - 1;
        let cols: Vec<Option<u32>> = (0..sets).map(|k| found.get(k * per_set + occ).copied()).collect();
        if cols.iter().all(Option::is_none) && f.spec.required {
            problems.push(Problem::new(
                ProblemKind::Layout,
                Source::cell(file.clone(), sheet.name.as_str(), top, sheet.origin.1),
                format!("表に必須の列「{h}」がありません（{}）", label_of(target, &f.name)),
            ));
        }
        field_cols.push((f, cols));
    }
    // A header cell merged downwards (第2表's 課題 over both header rows) moves
    // the data down; a label merged beside the table (第4表's 会議出席者) does not.
    let mut data_start = header_end;
    for m in &sheet.merged {
        let in_table =
            field_cols.iter().flat_map(|(_, cols)| cols.iter().flatten()).any(|c| (m.left..=m.right).contains(c));
        if in_table && m.top >= top && m.top < header_end {
            data_start = data_start.max(m.bottom + 1);
        }
    }
    let stops: Vec<String> = t.stop_at.iter().map(|s| norm_label(s)).filter(|s| !s.is_empty()).collect();
    for set in 0..sets {
        let mut blank_run = 0;
        for r in data_start..end_row {
            let stop_here = (sheet.origin.1..end_col).any(|c| match sheet.get(r, c) {
                Cell::Text(t) => {
                    let n = norm_label(t);
                    stops.iter().any(|s| n.starts_with(s.as_str()))
                }
                _ => false,
            });
            if stop_here {
                break;
            }
            let mut fields_out: Vec<CellValue> = Vec::new();
            let mut first: Option<(u32, u32)> = None;
            for (f, cols) in &field_cols {
                let Some(c) = cols[set] else { continue };
                // Inside a merged region only its top row carries the value;
                // the rows below continue it (handled by fill_down).
                let cell = match sheet.merged_at(r, c) {
                    Some(m) if m.top != r => &Cell::Empty,
                    Some(m) => sheet.get(m.top, m.left),
                    None => sheet.get(r, c),
                };
                if cell.is_empty() {
                    continue;
                }
                first.get_or_insert((r, c));
                let src = || Source::cell(file.clone(), sheet.name.as_str(), r, c);
                let v = transform(f, target, cell_value(cell), ctx, src, problems);
                fields_out.push((f.key, v, (r, c)));
            }
            if fields_out.is_empty() {
                blank_run += 1;
                if blank_run >= t.stop_blank_rows.max(1) {
                    break;
                }
                continue;
            }
            blank_run = 0;
            let seq = ((set as u64) << 24) + r as u64;
            out.push((seq, first.unwrap_or((r, 0)), fields_out));
        }
    }
    out
}

fn is_merge_continuation(sheet: &Sheet, rows: std::ops::Range<u32>, col: u32, want: &str) -> bool {
    rows.into_iter().any(|r| {
        sheet
            .merged_at(r, col)
            .is_some_and(|m| m.left != col && norm_label(&cell_text(sheet.get(m.top, m.left))) == want)
    })
}

// ---------------------------------------------------------------- 第3表 grid

/// Parses a time label such as `6:00`, `06:00`, `6時` or an Excel time.
fn time_label(c: &Cell) -> Option<u16> {
    match c {
        Cell::Number(n) if (0.0..1.0).contains(n) => Some((n * 1440.0).round() as u16),
        Cell::DateTime(dt) => {
            use chrono::Timelike;
            Some((dt.hour() * 60 + dt.minute()) as u16)
        }
        Cell::Text(t) => {
            let t = norm_label(t);
            let t = t.trim_end_matches('~').trim_end_matches('〜');
            if let Some((h, m)) = t.split_once(':') {
                let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
                (h <= 24 && m < 60).then_some(h * 60 + m)
            } else if let Some(h) = t.strip_suffix('時') {
                let h = h.parse::<u16>().ok()?;
                (h <= 24).then_some(h * 60)
            } else {
                None
            }
        }
        _ => None,
    }
}

type GridItem = (u64, (u32, u32), Vec<CellValue>);

/// Reads a 第3表 grid with days along one axis and times along the other
/// (記載要領: 時間軸、曜日軸の縦横をどちらにとってもかまわない).
fn grid(
    sheet: &Sheet,
    ls: &[(u32, u32, String)],
    g: &GridSpec,
    file: &Arc<str>,
) -> Result<Vec<GridItem>, Box<Problem>> {
    let here = Source { file: file.clone(), sheet: Some(sheet.name.as_str().into()), ..Source::default() };
    let mut days = Vec::new();
    for d in &g.days {
        let want = norm_label(d);
        // Day labels are short: demand an exact match.
        match ls.iter().find(|(_, _, t)| *t == want) {
            Some((r, c, _)) => days.push((*r, *c)),
            None => {
                return Err(Box::new(Problem::new(
                    ProblemKind::Layout,
                    here,
                    format!("第3表の曜日の見出し「{d}」が見つかりません"),
                )));
            }
        }
    }
    let Some(&first) = days.first() else {
        // Loading rejects a grid without days; a mapping built otherwise gets a problem, not a panic.
        return Err(Box::new(Problem::new(
            ProblemKind::Layout,
            here,
            "第3表の曜日の見出しが指定されていません".to_string(),
        )));
    };
    let transposed = if days.iter().all(|(r, _)| *r == first.0) {
        false
    } else if days.iter().all(|(_, c)| *c == first.1) {
        true
    } else {
        return Err(Box::new(Problem::new(
            ProblemKind::Layout,
            here,
            "第3表の曜日の見出しが一行（または一列）に並んでいません".to_string(),
        )));
    };
    // (major = time axis index, minor = day axis index) → (row, col).
    let at = |major: u32, minor: u32| if transposed { (minor, major) } else { (major, minor) };
    let major_of = |r: u32, c: u32| if transposed { c } else { r };
    let minor_of = |r: u32, c: u32| if transposed { r } else { c };
    let header_major = major_of(first.0, first.1);
    let day_minors: Vec<u32> = days.iter().map(|(r, c)| minor_of(*r, *c)).collect();
    let first_day_minor = *day_minors.iter().min().unwrap_or(&0);
    let activity = g.activity.as_ref().and_then(|a| find_label(ls, a)).map(|(r, c, _)| minor_of(r, c));
    let non_weekly = g.non_weekly.as_ref().and_then(|a| find_label(ls, a));
    let (end_row, end_col) = sheet.end();
    let major_end = match non_weekly {
        Some((r, c, _)) if major_of(r, c) > header_major => major_of(r, c),
        _ => major_of(end_row, end_col),
    };
    // Time labels: on the minor positions before the first day, pick the line with most labels.
    let mut best: Vec<(u32, u16)> = Vec::new();
    for minor in minor_of(sheet.origin.0, sheet.origin.1)..first_day_minor {
        let mut found = Vec::new();
        for major in header_major + 1..major_end {
            let (r, c) = at(major, minor);
            if let Some(t) = time_label(sheet.get(r, c)) {
                found.push((major, t));
            }
        }
        if found.len() > best.len() {
            best = found;
        }
    }
    if best.len() < 2 {
        return Err(Box::new(Problem::new(
            ProblemKind::Layout,
            here,
            "第3表の時刻の見出し（0:00、2:00 … など）が2つ以上見つかりません".to_string(),
        )));
    }
    let time_at = |major: u32| -> u16 {
        let i = match best.iter().rposition(|(m, _)| *m <= major) {
            Some(i) => i.min(best.len() - 2),
            None => 0,
        };
        let (m0, t0) = best[i];
        let (m1, t1) = best[i + 1];
        let step = (t1 as f64 - t0 as f64) / (m1 as f64 - m0 as f64);
        let t = t0 as f64 + (major as f64 - m0 as f64) * step;
        t.clamp(0.0, 1440.0).round() as u16
    };
    let mut items = Vec::new();
    let walk = |minor: u32, day: Option<&str>, items: &mut Vec<GridItem>| {
        for major in header_major + 1..major_end {
            let (r, c) = at(major, minor);
            let (top_major, bottom_major) = match sheet.merged_at(r, c) {
                Some(m) => {
                    let (t, b) = if transposed { (m.left, m.right) } else { (m.top, m.bottom) };
                    if t != major {
                        continue;
                    }
                    (t, b)
                }
                None => (major, major),
            };
            let cell = sheet.shown(r, c);
            if cell.is_empty() {
                continue;
            }
            let text = cell_text(cell).trim().to_string();
            let (start, end) = (time_at(top_major), time_at(bottom_major + 1));
            let at = (r, c);
            let f: Vec<CellValue> = match day {
                Some(d) => vec![
                    (Key::Field(F::Service), Value::text(text), at),
                    (Key::Field(F::Day), Value::text(d.to_string()), at),
                    (Key::Field(F::Start), Value::Time(start), at),
                    (Key::Field(F::End), Value::Time(end), at),
                ],
                None => vec![
                    (Key::Field(F::Activity), Value::text(text), at),
                    (Key::Field(F::ActivityStart), Value::Time(start), at),
                    (Key::Field(F::ActivityEnd), Value::Time(end), at),
                ],
            };
            let seq = ((minor as u64) << 24) + major as u64;
            items.push((seq, at, f));
        }
    };
    for (i, minor) in day_minors.iter().enumerate() {
        walk(*minor, Some(["月", "火", "水", "木", "金", "土", "日"].get(i).copied().unwrap_or("")), &mut items);
    }
    if let Some(a) = activity {
        walk(a, None, &mut items);
    }
    if let Some((r, c, _)) = non_weekly {
        let region = sheet.merged_at(r, c).copied().unwrap_or(crate::ingest::excel::Region {
            top: r,
            left: c,
            bottom: r,
            right: c,
        });
        // The value sits after the label along the day axis (right when days are columns).
        let (vr, vc) = if transposed { (region.bottom + 1, region.left) } else { (region.top, region.right + 1) };
        let cell = sheet.shown(vr, vc);
        if !cell.is_empty() {
            for (i, line) in cell_text(cell).lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let f = vec![(Key::Field(F::NonWeekly), Value::text(line.to_string()), (vr, vc))];
                items.push(((1u64 << 39) + i as u64, (vr, vc), f));
            }
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_values_need_a_separator() {
        assert_eq!(strip_label("利用者名：山田　花子　殿", "利用者名").as_deref(), Some("山田　花子　殿"));
        assert_eq!(strip_label("利用者名　山田", "利用者名").as_deref(), Some("山田"));
        assert_eq!(strip_label("残された課題（次回の開催時期）", "残された課題"), None);
        assert_eq!(strip_label("利用者名", "利用者名"), None);
        assert_eq!(strip_label("利用者", "利用者名"), None);
    }
}
