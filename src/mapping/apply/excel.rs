//! Workbook sources: form fields found by their labels, then the source's
//! tables and 第3表 grid, one record per sheet (plus rows and slots).

use super::grid::grid;
use super::table::table_rows;
use super::{label_of, transform, Extracted};

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::excel::{Cell, Sheet, Workbook};
use crate::mapping::load::{CompiledField, CompiledSource};
use crate::mapping::record::{Key, Record};
use crate::mapping::schema::SourceKind;
use crate::mapping::transforms::Context;
use crate::mapping::Value;
use crate::model::fields::F;
use crate::text::norm_label;
use std::sync::Arc;

pub(super) fn cell_value(c: &Cell) -> Value {
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

pub(super) fn cell_text(c: &Cell) -> String {
    cell_value(c).display()
}

/// The normalised text of every non-empty cell, with its position.
pub(super) fn labels(sheet: &Sheet) -> Vec<(u32, u32, String)> {
    sheet
        .cells()
        .filter_map(|(r, c, cell)| match cell {
            Cell::Text(t) => Some((r, c, norm_label(t))),
            _ => None,
        })
        .collect()
}

/// First cell whose label is `label` exactly, else the first that starts with it.
pub(super) fn find_label(labels: &[(u32, u32, String)], label: &str) -> Option<(u32, u32, bool)> {
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
pub(super) type CellValue = (Key, Value, (u32, u32));

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
pub(super) fn anchored(
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
pub(super) fn strip_label(text: &str, label: &str) -> Option<String> {
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
