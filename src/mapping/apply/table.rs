//! Table regions on a sheet: header rows found from an anchor label, data
//! rows until a stop label or blank rows, repeated column sets side by side.

use super::excel::{cell_text, cell_value, find_label, CellValue};
use super::{label_of, transform};

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::excel::{Cell, Sheet};
use crate::mapping::load::CompiledField;
use crate::mapping::schema::{TableSpec, Target};
use crate::mapping::transforms::Context;
use crate::text::norm_label;
use std::sync::Arc;

/// Reads a table region: returns (order, row source, fields) per data row.
#[allow(clippy::too_many_arguments)]
pub(super) fn table_rows(
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

pub(super) fn is_merge_continuation(sheet: &Sheet, rows: std::ops::Range<u32>, col: u32, want: &str) -> bool {
    rows.into_iter().any(|r| {
        sheet
            .merged_at(r, col)
            .is_some_and(|m| m.left != col && norm_label(&cell_text(sheet.get(m.top, m.left))) == want)
    })
}
