//! Table regions on a sheet: the header found from its anchor label, its
//! rows found by their text (one header row or two, merged group labels),
//! columns by header text in any of their wordings (a repeated 「期間」 by
//! occurrence or by the column it follows), data rows until a stop label,
//! the footnotes printed under the table (※1 ※2), blank rows, or the end of
//! the form's block; repeated column sets side by side.

use super::excel::{cell_text, cell_value, CellValue};
use super::form::{find, label_key, LabelSet, View};
use super::{label_of, plausible, transform};

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::excel::Cell;
use crate::mapping::load::CompiledField;
use crate::mapping::schema::{Labels, TableSpec, Target};
use crate::mapping::transforms::Context;
use crate::mapping::Value;
use crate::text::norm_label;
use std::sync::Arc;

/// A field's column and the field (or fallback) that reads it.
type Placed<'f> = Option<(u32, &'f CompiledField)>;

/// Header rows at most, when they are found by their text.
const MAX_HEADER_ROWS: u32 = 4;

/// Whether a row is a footnote printed under a table: its first text starts
/// with ※ (`※1「保険給付の対象となるかどうかの区分」について…`).
fn is_note_row(view: &View, row: u32) -> bool {
    view.labels.iter().filter(|l| l.row == row).min_by_key(|l| l.col).is_some_and(|l| {
        let t = l.norm.as_str();
        t.starts_with('※') && t.chars().count() > 3
    })
}

/// Where a table was found: its header rows, data rows and each field's
/// column (per column set), for `lsw mapping check`.
#[derive(Debug, Clone)]
pub struct TableShape {
    pub sheet: String,
    /// The header rows, `top..end` (absolute, 0-based).
    pub header: (u32, u32),
    /// The data rows read, `start..end`.
    pub data: (u32, u32),
    /// Per field, its column in each column set (`None`: not found).
    pub columns: Vec<(String, Vec<Option<u32>>)>,
}

/// A table's rows: (order, row source, fields) per entry.
pub(super) type Rows = Vec<(u64, (u32, u32), Vec<CellValue>)>;

/// Reads a table region: returns (order, row source, fields) per data row.
#[allow(clippy::too_many_arguments)]
pub(super) fn table_rows(
    view: &View,
    t: &TableSpec,
    fields: &[CompiledField],
    file: &Arc<str>,
    target: Target,
    ctx: &Context,
    stop: &LabelSet,
    problems: &mut Vec<Problem>,
) -> Rows {
    table_read(view, t, fields, file, target, ctx, stop, problems).0
}

/// [`table_rows`] and the table's shape (None when its header is missing).
#[allow(clippy::too_many_arguments)]
pub(super) fn table_read(
    view: &View,
    t: &TableSpec,
    fields: &[CompiledField],
    file: &Arc<str>,
    target: Target,
    ctx: &Context,
    stop: &LabelSet,
    problems: &mut Vec<Problem>,
) -> (Rows, Option<TableShape>) {
    let sheet = view.sheet;
    let mut out = Vec::new();
    let Some(anchor) = find(view, &t.header_anchor, None) else {
        problems.push(Problem::new(
            ProblemKind::Layout,
            Source { file: file.clone(), sheet: Some(sheet.name.as_str().into()), ..Source::default() },
            format!("表の見出し「{}」がシートにありません", t.header_anchor),
        ));
        return (out, None);
    };
    let top = anchor.row;
    let (_, end_col) = sheet.end();
    let end_row = view.bottom;
    // Every header wording of the table: a row is a header row when its
    // texts are all such labels.
    let header_keys: Vec<String> = fields
        .iter()
        .flat_map(|f| header_labels(f))
        .chain(t.header_anchor.all().iter().map(String::as_str))
        .map(|l| label_key(&norm_label(l)))
        .filter(|k| !k.is_empty())
        .collect();
    let group_keys: Vec<String> = t.group_labels.iter().map(|l| label_key(&norm_label(l))).collect();
    let dittos: Vec<String> = t.ditto.iter().map(|d| norm_label(d)).filter(|d| !d.is_empty()).collect();
    let is_header_text = |key: &str| header_keys.iter().any(|h| key == h || key.starts_with(h.as_str()));
    let is_header_row = |r: u32| {
        let mut any = false;
        for l in view.labels.iter().filter(|l| l.row == r) {
            // A cell merged down from a header row above is part of the header.
            if sheet.merged_at(r, l.col).is_some_and(|m| m.top < r) {
                continue;
            }
            if !is_header_text(&l.key) && !group_keys.contains(&l.key) {
                return false;
            }
            any = true;
        }
        any
    };
    let header_end = match t.header_rows {
        Some(n) => top + n.clamp(1, 10),
        None => {
            // The anchor's row, the rows its merged header cells reach down
            // to, and the rows below made only of header labels.
            let mut end = top + 1;
            for l in view.labels.iter().filter(|l| l.row == top) {
                // Only a field's header merged down (第2表's 課題 over both
                // header rows), not a label beside the table (第4表's 会議出席者).
                if let Some(m) = sheet.merged_at(l.row, l.col) {
                    if is_header_text(&l.key) {
                        end = end.max(m.bottom + 1);
                    }
                }
            }
            while end < top + MAX_HEADER_ROWS && end < end_row && is_header_row(end) {
                end += 1;
            }
            end
        }
    };
    // Header labels per column (merged group labels reach every column they cover).
    let header_of = |col: u32| -> Vec<String> {
        (top..header_end)
            .map(|r| label_key(&norm_label(&cell_text(sheet.shown(r, col)))))
            .filter(|s| !s.is_empty())
            .collect()
    };
    let headers: Vec<(u32, Vec<String>)> = (sheet.origin.1..end_col).map(|c| (c, header_of(c))).collect();
    // Columns whose header is one of the labels, left to right (exact first,
    // then prefix), counted once where a label is merged over columns.
    let columns_for = |labels: &Labels| -> Vec<u32> {
        let wants: Vec<String> = labels.all().iter().map(|l| label_key(&norm_label(l))).collect();
        let first_col = |c: u32, want: &str| !is_merge_continuation(view, top..header_end, c, want);
        let exact: Vec<u32> = headers
            .iter()
            .filter(|(c, hs)| wants.iter().any(|w| hs.contains(w) && first_col(*c, w)))
            .map(|(c, _)| *c)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        headers
            .iter()
            .filter(|(c, hs)| wants.iter().any(|w| hs.iter().any(|h| h.starts_with(w.as_str())) && first_col(*c, w)))
            .map(|(c, _)| *c)
            .collect()
    };
    let anchor_cols = columns_for(&t.header_anchor);
    let sets = if t.side_by_side { anchor_cols.len().max(1) } else { 1 };
    // Per field, its column (and the field or fallback reading it) per set.
    let mut field_cols: Vec<(&CompiledField, Vec<Placed>)> = Vec::new();
    for f in fields {
        let cols = field_columns(f, &columns_for, &headers, sets);
        if cols.iter().all(Option::is_none) && f.spec.required {
            problems.push(Problem::new(
                ProblemKind::Layout,
                Source::cell(file.clone(), sheet.name.as_str(), top, sheet.origin.1),
                format!(
                    "表に必須の列「{}」がありません（{}）",
                    f.spec.header.as_ref().map(|h| h.to_string()).unwrap_or_default(),
                    label_of(target, &f.name)
                ),
            ));
        }
        field_cols.push((f, cols));
    }
    // A header cell merged downwards (第2表's 課題 over both header rows) moves
    // the data down; a label merged beside the table (第4表's 会議出席者) does not.
    let mut data_start = header_end;
    for m in &sheet.merged {
        let in_table =
            field_cols.iter().flat_map(|(_, cols)| cols.iter().flatten()).any(|(c, _)| (m.left..=m.right).contains(c));
        if in_table && m.top >= top && m.top < header_end {
            data_start = data_start.max(m.bottom + 1);
        }
    }
    let stops: Vec<String> = t.stop_at.iter().map(|s| label_key(&norm_label(s))).filter(|s| !s.is_empty()).collect();
    let mut data_end = data_start;
    for set in 0..sets {
        let mut blank_run = 0;
        // The last value written in each column, which a ditto mark repeats.
        let mut above: Vec<(u32, Cell)> = Vec::new();
        for r in data_start..end_row {
            let stop_here =
                view.labels.iter().filter(|l| l.row == r).any(|l| stops.iter().any(|s| l.key.starts_with(s.as_str())));
            if stop_here || (t.stop_at_notes && is_note_row(view, r)) {
                break;
            }
            // A header printed again (the next page of a long table on one
            // sheet) is skipped, not read as data.
            if r > top && is_header_row(r) && view.labels.iter().filter(|l| l.row == r).count() >= 2 {
                continue;
            }
            // The row's cells, field by field (dittos resolved).
            let mut raws: Vec<(&CompiledField, u32, Cell)> = Vec::new();
            for (_, cols) in &field_cols {
                let Some((c, f)) = cols[set] else { continue };
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
                let cell = match cell {
                    Cell::Text(t) if dittos.contains(&norm_label(t)) => match above.iter().find(|(col, _)| *col == c) {
                        Some((_, v)) => v,
                        None => {
                            problems.push(Problem::new(
                                ProblemKind::Value,
                                Source::cell(file.clone(), sheet.name.as_str(), r, c),
                                format!(
                                    "{}: 「{}」（上と同じ）ですが、上に値がありません",
                                    label_of(target, &f.name),
                                    t.trim()
                                ),
                            ));
                            continue;
                        }
                    },
                    _ => {
                        above.retain(|(col, _)| *col != c);
                        above.push((c, cell.clone()));
                        cell
                    }
                };
                raws.push((f, c, cell.clone()));
            }
            if raws.is_empty() {
                blank_run += 1;
                if blank_run >= t.stop_blank_rows.max(1) {
                    break;
                }
                continue;
            }
            blank_run = 0;
            let lines = line_count(&raws, &t.line_split);
            for line in 0..lines {
                let mut fields_out: Vec<CellValue> = Vec::new();
                let mut first: Option<(u32, u32)> = None;
                for (f, c, cell) in &raws {
                    let split = lines > 1 && t.line_split.contains(&f.name);
                    let value = if split {
                        let text = cell_text(cell).replace("\r\n", "\n");
                        Value::text(text.split('\n').nth(line).unwrap_or("").to_string())
                    } else if line == 0 {
                        cell_value(cell)
                    } else {
                        // A field not written line by line belongs to the
                        // first entry; the others continue it (fill_down).
                        continue;
                    };
                    if value.is_empty() || matches!(&value, Value::Text(t) if t.trim_matches(SPACES).is_empty()) {
                        continue;
                    }
                    let (r, c) = (r, *c);
                    first.get_or_insert((r, c));
                    let src = || Source::cell(file.clone(), sheet.name.as_str(), r, c);
                    let raw = f.prepare(value);
                    let v = transform(f, target, raw.clone(), ctx, src, problems);
                    let v = plausible(f, target, v, &raw, src, problems);
                    if !v.is_empty() {
                        fields_out.push((f.key, v, (r, c)));
                    }
                }
                if fields_out.is_empty() {
                    continue;
                }
                data_end = data_end.max(r + 1);
                let seq = ((((set as u64) << 24) + r as u64) << 8) + line as u64;
                out.push((seq, first.unwrap_or((r, 0)), fields_out));
            }
        }
    }
    let _ = stop;
    let shape = TableShape {
        sheet: sheet.name.clone(),
        header: (top, header_end),
        data: (data_start, data_end),
        columns: field_cols
            .iter()
            .map(|(f, cols)| (f.name.clone(), cols.iter().map(|c| c.map(|(c, _)| c)).collect()))
            .collect(),
    };
    (out, Some(shape))
}

/// White space a blank line of a cell may hold.
const SPACES: [char; 4] = [' ', '\u{3000}', '\t', '\r'];

/// How many entries a row holds: several when every `line_split` cell of
/// it holds that many lines, and at least two such cells do (a care
/// software prints a short goal's services in one row, one per line:
/// `入浴の見守り⏎浴室の手すり` beside `通所介護⏎福祉用具貸与`). One
/// multi-line cell alone is one value written over lines.
fn line_count(raws: &[(&CompiledField, u32, Cell)], line_split: &[String]) -> usize {
    if line_split.is_empty() {
        return 1;
    }
    let counts: Vec<usize> = raws
        .iter()
        .filter(|(f, _, _)| line_split.contains(&f.name))
        .map(|(_, _, cell)| match cell {
            Cell::Text(t) => t.trim_end_matches(SPACES).split('\n').count(),
            _ => 1,
        })
        .collect();
    match counts.first() {
        Some(&n) if n > 1 && counts.len() >= 2 && counts.iter().all(|c| *c == n) => n.min(64),
        _ => 1,
    }
}

/// Every header wording of a field and of its fallbacks.
fn header_labels(f: &CompiledField) -> Vec<&str> {
    let mut out: Vec<&str> = f.spec.header.iter().flat_map(|h| h.all().iter().map(String::as_str)).collect();
    if let Some(fb) = &f.fallback {
        out.extend(header_labels(fb));
    }
    out
}

/// The column of a field in each column set, with the field (or the
/// fallback) that reads it: by its header (the `occurrence`-th, or the one
/// right after its `after` header), else by its fallback's.
fn field_columns<'f>(
    f: &'f CompiledField,
    columns_for: &dyn Fn(&Labels) -> Vec<u32>,
    headers: &[(u32, Vec<String>)],
    sets: usize,
) -> Vec<Placed<'f>> {
    let Some(h) = &f.spec.header else { return vec![None; sets] };
    let found = columns_for(h);
    let cols: Vec<Option<u32>> = match &f.spec.after {
        // The column right after the `after` header's (ignoring columns
        // merged into it): 「(期間)」 beside 「長期目標」.
        Some(after) => {
            let afters = columns_for(after);
            let after_keys: Vec<String> = after.all().iter().map(|l| label_key(&norm_label(l))).collect();
            // Columns the `after` header is merged over show its text too.
            let is_after = |hs: &[String]| hs.iter().any(|h| after_keys.contains(h));
            (0..sets)
                .map(|k| {
                    let a = *afters.get(k)?;
                    let next = headers
                        .iter()
                        .find(|(c, hs)| *c > a && !hs.is_empty() && !afters.contains(c) && !is_after(hs))?;
                    found.contains(&next.0).then_some(next.0)
                })
                .collect()
        }
        None => {
            let per_set = (found.len() / sets).max(1);
            let occ = f.spec.occurrence.unwrap_or(1).max(1) - 1;
            (0..sets).map(|k| found.get(k * per_set + occ).copied()).collect()
        }
    };
    match &f.fallback {
        Some(fb) if cols.iter().all(Option::is_none) => field_columns(fb, columns_for, headers, sets),
        _ => cols.into_iter().map(|c| c.map(|c| (c, f))).collect(),
    }
}

pub(super) fn is_merge_continuation(view: &View, rows: std::ops::Range<u32>, col: u32, want: &str) -> bool {
    rows.into_iter().any(|r| {
        view.sheet
            .merged_at(r, col)
            .is_some_and(|m| m.left != col && label_key(&norm_label(&cell_text(view.sheet.get(m.top, m.left)))) == want)
    })
}
