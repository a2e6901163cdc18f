//! Applying one compiled source to an ingested file: cells → [`Record`]s.

use super::load::{Chain, CompiledField, CompiledSource, Mapping};
use super::schema::{GridSpec, SourceKind, TableSpec, Target};
use super::transforms::{self, Context};
use super::{norm_label, Field, Record, Value};
use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::csv::CsvTable;
use crate::ingest::excel::{Cell, Sheet, Workbook};
use std::collections::BTreeMap;

/// What a source read from a file: records, problems and counts.
#[derive(Debug, Default)]
pub struct Extracted {
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Records skipped by `row_filter` (header lines in headerless files).
    pub skipped: usize,
}

fn new_record(m: &Mapping, s: &CompiledSource, file_index: usize, source: Source, seq: u64) -> Record {
    Record {
        target: s.spec.target,
        mapping: m.file.name.clone(),
        source_id: s.spec.id.clone(),
        file_index,
        source,
        seq,
        fields: BTreeMap::new(),
        lists: BTreeMap::new(),
        fill_down: s.spec.grouping.fill_down.clone(),
        order_by: s.spec.grouping.order_by.clone(),
    }
}

/// Runs a field's transform chain; a rejected value becomes a problem that
/// quotes it (so it is not lost) and the field is left empty.
fn transform(chain: &Chain, v: Value, ctx: &Context, src: &Source, label: &str, problems: &mut Vec<Problem>) -> Value {
    if v.is_empty() {
        return Value::Empty;
    }
    match transforms::apply_chain(chain, v, ctx) {
        Ok(v) => v,
        Err(e) => {
            // Transform messages already quote the value they found.
            problems.push(Problem::new(ProblemKind::Value, src.clone(), format!("{label}: {}", e.message)));
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

// ---------------------------------------------------------------- CSV

pub fn csv(m: &Mapping, s: &CompiledSource, file: &str, file_index: usize, table: &CsvTable) -> Extracted {
    let mut out = Extracted::default();
    let mut records = table.records.iter();
    // Header names → 0-based column.
    let mut header_cols: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // Without a declared count, a headered file's records must match its header.
    let mut expected = s.spec.columns;
    if s.spec.header {
        if let Some(h) = records.next() {
            expected = expected.or(Some(h.fields.len()));
            for (i, name) in h.fields.iter().enumerate() {
                header_cols.entry(norm_label(name)).or_default().push(i);
            }
        }
    }
    // Resolve each field to a 0-based column once.
    let mut cols: Vec<(&CompiledField, Option<usize>)> = Vec::new();
    for f in &s.fields {
        let col = if let Some(c) = f.spec.column {
            Some(c - 1)
        } else if let Some(h) = &f.spec.header {
            let idx = f.spec.occurrence.unwrap_or(1).max(1) - 1;
            let found = header_cols.get(&norm_label(h)).and_then(|v| v.get(idx)).copied();
            if found.is_none() && f.spec.required {
                out.problems.push(Problem::new(
                    ProblemKind::Layout,
                    Source::line(file, 1),
                    format!("見出し行に必須の列「{h}」がありません（{}）", label_of(s.spec.target, &f.name)),
                ));
            }
            found
        } else {
            None
        };
        cols.push((f, col));
    }
    let ctx = Context::default();
    for rec in records {
        if let Some((c, re)) = &s.row_filter {
            if !re.is_match(rec.fields.get(c - 1).unwrap_or("")) {
                out.skipped += 1;
                continue;
            }
        }
        if let Some(n) = expected {
            if rec.fields.len() != n {
                out.problems.push(Problem::new(
                    ProblemKind::Csv,
                    Source::line(file, rec.line),
                    format!(
                        "この行は{}項目あります（{}では{n}項目のはずです）。列がずれている可能性があるため、この行は読み込みませんでした",
                        rec.fields.len(),
                        if s.spec.title.is_empty() { &s.spec.id } else { &s.spec.title }
                    ),
                ));
                continue;
            }
        }
        let mut r = new_record(m, s, file_index, Source::line(file, rec.line), rec.line);
        for (f, col) in &cols {
            let (raw, src) = match (col, &f.spec.value) {
                (_, Some(v)) => (Value::text(v.clone()), Source::line(file, rec.line)),
                (Some(c), None) => (
                    Value::text(rec.fields.get(*c).unwrap_or("").to_string()),
                    Source::csv(file, rec.line, *c as u32 + 1),
                ),
                (None, None) => continue,
            };
            let v = transform(&f.chain, raw, &ctx, &src, &label_of(s.spec.target, &f.name), &mut out.problems);
            if f.spec.required && v.is_empty() {
                out.problems.push(Problem::new(
                    ProblemKind::Value,
                    src.clone(),
                    format!("必須の項目「{}」が空です", label_of(s.spec.target, &f.name)),
                ));
            }
            r.fields.insert(f.name.clone(), Field { value: v, source: src });
        }
        out.records.push(r);
    }
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

pub fn excel(m: &Mapping, s: &CompiledSource, file: &str, file_index: usize, wb: &Workbook) -> Extracted {
    debug_assert_eq!(s.spec.kind, SourceKind::Excel);
    let mut out = Extracted::default();
    let ctx = Context { date1904: wb.date1904 };
    for (si, sheet) in selected_sheets(s, wb).into_iter().enumerate() {
        let ls = labels(sheet);
        let seq_base = (si as u64) << 40;
        // Form fields: anchor + offset, or fixed values.
        let mut form = new_record(
            m,
            s,
            file_index,
            Source { file: file.into(), sheet: Some(sheet.name.clone()), ..Source::default() },
            seq_base,
        );
        for f in
            s.fields.iter().filter(|f| f.spec.anchor.is_some() || (f.spec.value.is_some() && s.spec.table.is_none()))
        {
            if let Some(v) = &f.spec.value {
                let src = form.source.clone();
                form.fields.insert(f.name.clone(), Field { value: Value::text(v.clone()), source: src });
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
                    let src = Source::cell(file, &sheet.name, row, col);
                    let v = transform(&f.chain, raw, &ctx, &src, &label_of(s.spec.target, &f.name), &mut out.problems);
                    if f.spec.required && v.is_empty() {
                        out.problems.push(Problem::new(
                            ProblemKind::Value,
                            src.clone(),
                            format!("必須の項目「{}」が空です", label_of(s.spec.target, &f.name)),
                        ));
                    }
                    form.fields.insert(f.name.clone(), Field { value: v, source: src });
                }
                None if f.spec.required => out.problems.push(Problem::new(
                    ProblemKind::Layout,
                    Source { file: file.into(), sheet: Some(sheet.name.clone()), ..Source::default() },
                    format!(
                        "見出し「{anchor}」がシートにありません（必須の項目「{}」）",
                        label_of(s.spec.target, &f.name)
                    ),
                )),
                None => {}
            }
        }
        if let Some(first) =
            form.fields.values().map(|f| &f.source).min_by_key(|s| s.cell.as_ref().map(|c| cell_order(c)))
        {
            form.source = first.clone();
        }
        for l in &s.lists {
            let rows = table_rows(sheet, &ls, &l.table, &l.fields, file, s.spec.target, &ctx, &mut out.problems);
            form.lists.insert(l.field.clone(), rows.into_iter().map(|(_, _, f)| f).collect());
        }
        if let Some(t) = &s.spec.table {
            let table_fields: Vec<CompiledField> =
                s.fields.iter().filter(|f| f.spec.header.is_some()).cloned().collect();
            for (seq, src, fields) in
                table_rows(sheet, &ls, t, &table_fields, file, s.spec.target, &ctx, &mut out.problems)
            {
                let mut r = form.clone();
                r.seq = seq_base + seq;
                r.source = src;
                r.fields.extend(fields);
                r.lists.clear();
                out.records.push(r);
            }
        } else if let Some(g) = &s.spec.grid {
            match grid(sheet, &ls, g, file) {
                Ok(items) => {
                    for (seq, src, fields) in items {
                        let mut r = form.clone();
                        r.seq = seq_base + seq;
                        r.source = src;
                        r.fields.extend(fields);
                        out.records.push(r);
                    }
                }
                Err(p) => out.problems.push(*p),
            }
        } else {
            out.records.push(form);
        }
    }
    out
}

fn cell_order(a1: &str) -> (u32, String) {
    let digits: String = a1.chars().filter(|c| c.is_ascii_digit()).collect();
    let letters: String = a1.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    (digits.parse().unwrap_or(0), format!("{:>3}", letters))
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
    file: &str,
    target: Target,
    ctx: &Context,
    problems: &mut Vec<Problem>,
) -> Vec<(u64, Source, BTreeMap<String, Field>)> {
    let mut out = Vec::new();
    let Some((top, _, _)) = find_label(ls, &t.header_anchor) else {
        problems.push(Problem::new(
            ProblemKind::Layout,
            Source { file: file.into(), sheet: Some(sheet.name.clone()), ..Source::default() },
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
                Source::cell(file, &sheet.name, top, sheet.origin.1),
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
            let mut fields_out = BTreeMap::new();
            let mut first: Option<Source> = None;
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
                let src = Source::cell(file, &sheet.name, r, c);
                first.get_or_insert_with(|| src.clone());
                let v = transform(&f.chain, cell_value(cell), ctx, &src, &label_of(target, &f.name), problems);
                fields_out.insert(f.name.clone(), Field { value: v, source: src });
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
            out.push((seq, first.unwrap_or_default(), fields_out));
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

type GridItem = (u64, Source, BTreeMap<String, Field>);

/// Reads a 第3表 grid with days along one axis and times along the other
/// (記載要領: 時間軸、曜日軸の縦横をどちらにとってもかまわない).
fn grid(sheet: &Sheet, ls: &[(u32, u32, String)], g: &GridSpec, file: &str) -> Result<Vec<GridItem>, Box<Problem>> {
    let here = Source { file: file.into(), sheet: Some(sheet.name.clone()), ..Source::default() };
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
    let transposed = if days.iter().all(|(r, _)| *r == days[0].0) {
        false
    } else if days.iter().all(|(_, c)| *c == days[0].1) {
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
    let header_major = major_of(days[0].0, days[0].1);
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
            let src = Source::cell(file, &sheet.name, r, c);
            let (start, end) = (time_at(top_major), time_at(bottom_major + 1));
            let mut f = BTreeMap::new();
            let put = |f: &mut BTreeMap<String, Field>, k: &str, v: Value| {
                f.insert(k.to_string(), Field { value: v, source: src.clone() });
            };
            match day {
                Some(d) => {
                    put(&mut f, "service", Value::text(text));
                    put(&mut f, "day", Value::text(d.to_string()));
                    put(&mut f, "start", Value::Time(start));
                    put(&mut f, "end", Value::Time(end));
                }
                None => {
                    put(&mut f, "activity", Value::text(text));
                    put(&mut f, "activity_start", Value::Time(start));
                    put(&mut f, "activity_end", Value::Time(end));
                }
            }
            let seq = ((minor as u64) << 24) + major as u64;
            items.push((seq, src, f));
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
            let src = Source::cell(file, &sheet.name, vr, vc);
            for (i, line) in cell_text(cell).lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let mut f = BTreeMap::new();
                f.insert("non_weekly".to_string(), Field { value: Value::text(line.to_string()), source: src.clone() });
                items.push((u64::MAX / 2 + i as u64, src.clone(), f));
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
