//! Workbook sources: the sheets (or blocks of a sheet) a source reads, its
//! form fields found by their labels, then its tables and 第3表 grid: one
//! record per sheet (plus rows and slots).

use super::form::{self, find, value_at, value_of, Read, View};
use super::grid::grid;
use super::lists::{list_entries, ListContext};
use super::table::table_read;
use super::{label_of, transform, Extracted};
use crate::mapping::detect::Why;

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
        // A TRUE/FALSE cell is a check box (a spreadsheet's ☑): read as the
        // mark people write, which choices and ※1 understand.
        Cell::Bool(b) => Value::text(if *b { "☑" } else { "☐" }),
        Cell::Date(d) => Value::Date(*d),
        Cell::DateTime(dt) => Value::Date(dt.date()),
        Cell::Error(e) => Value::text(e.clone()),
    }
}

pub(super) fn cell_text(c: &Cell) -> String {
    cell_value(c).display()
}

/// Rows searched for a form's title.
const TITLE_ROWS: u32 = 10;

/// The rows where a title of `titles` (label keys) stands, within the first
/// rows of a sheet — or anywhere, for the titles of forms stacked on one sheet.
fn title_rows(sheet: &Sheet, titles: &[String], anywhere: bool) -> Vec<u32> {
    if titles.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<u32> = sheet
        .cells()
        .filter(|(r, _, _)| anywhere || *r < sheet.origin.0 + TITLE_ROWS)
        .filter_map(|(r, _, cell)| match cell {
            Cell::Text(t) => {
                let key = form::label_key(&norm_label(t));
                titles.iter().any(|title| key == *title || key.starts_with(title.as_str())).then_some(r)
            }
            _ => None,
        })
        .collect();
    rows.dedup();
    rows
}

/// A part of a workbook a source reads: a sheet, or the block of a sheet
/// between this source's title and the next title.
pub struct Part<'w> {
    pub sheet: &'w Sheet,
    /// The sheet's index in the workbook.
    pub index: usize,
    pub top: u32,
    pub bottom: u32,
}

/// The sheets (or blocks) of a workbook a source reads: sheets whose name
/// matches `sheet`, or whose first rows hold one of its `titles`; on a sheet
/// holding the titles of several sources, the rows from this source's title
/// to the next title of another.
pub fn selected_parts<'w>(s: &CompiledSource, wb: &'w Workbook) -> Vec<Part<'w>> {
    let mut out = Vec::new();
    for (index, sheet) in wb.sheets.iter().enumerate() {
        let (end, _) = sheet.end();
        let Some((mine, others)) = sheet_test(s, sheet, &mut ()) else { continue };
        if mine.is_empty() || others.is_empty() {
            out.push(Part { sheet, index, top: sheet.origin.0, bottom: end });
            continue;
        }
        // Stacked forms: each of this source's titles starts a block that
        // ends at the next title of another source.
        for (i, &start) in mine.iter().enumerate() {
            let next_mine = mine.get(i + 1).copied().unwrap_or(end);
            let next_other = others.iter().copied().find(|r| *r > start).unwrap_or(end);
            out.push(Part { sheet, index, top: start, bottom: next_mine.min(next_other) });
        }
    }
    out
}

/// Whether a source reads a sheet: its name or title, its anchors, none of
/// its `absent` labels. Gives the rows of this source's titles and of the
/// others' (stacked forms), or None with the reason said to `why`.
fn sheet_test(s: &CompiledSource, sheet: &Sheet, why: &mut impl Why) -> Option<(Vec<u32>, Vec<u32>)> {
    let by_name = s.sheet.as_ref().is_some_and(|re| re.is_match(&norm_label(&sheet.name)));
    let mine = title_rows(sheet, &s.titles, true);
    let others = title_rows(sheet, &s.other_titles, true);
    let by_title = mine.iter().any(|r| *r < sheet.origin.0 + TITLE_ROWS) || (!others.is_empty() && !mine.is_empty());
    if !by_name && !by_title {
        why.say(|| format!("シート「{}」は名前も表題も違います", sheet.name));
        return None;
    }
    if !s.spec.recognise.anchors.is_empty() {
        let view = View::whole(sheet);
        if let Some(missing) = s.spec.recognise.anchors.iter().find(|a| find(&view, a, None).is_none()) {
            why.say(|| format!("シート「{}」に見出し「{missing}」がありません", sheet.name));
            return None;
        }
    }
    if !s.spec.recognise.absent.is_empty() {
        let view = View::whole(sheet);
        if let Some(present) = s.spec.recognise.absent.iter().find(|a| find(&view, a, None).is_some()) {
            why.say(|| format!("シート「{}」には「{present}」があるため、別の形として読みます", sheet.name));
            return None;
        }
    }
    Some((mine, others))
}

/// Why a source reads no sheet of a workbook: each sheet's reason.
pub fn why_no_parts(s: &CompiledSource, wb: &Workbook) -> String {
    if wb.sheets.is_empty() {
        return "シートがありません".into();
    }
    let reasons: Vec<String> = wb
        .sheets
        .iter()
        .filter_map(|sheet| {
            let mut why: Option<String> = None;
            sheet_test(s, sheet, &mut why);
            why
        })
        .collect();
    let wanted = match (&s.spec.sheet, s.spec.titles.first()) {
        (Some(re), Some(t)) => format!("（シート名「{re}」か、最初の{TITLE_ROWS}行に表題「{t}」）"),
        (Some(re), None) => format!("（シート名「{re}」）"),
        (None, Some(t)) => format!("（最初の{TITLE_ROWS}行に表題「{t}」）"),
        (None, None) => String::new(),
    };
    format!("{}{wanted}", reasons.join("、"))
}

/// Whether every `match.anchors` label is on the sheet.
pub fn sheet_has_anchors(sheet: &Sheet, anchors: &[crate::mapping::schema::Labels]) -> bool {
    let view = View::whole(sheet);
    anchors.iter().all(|a| find(&view, a, None).is_some())
}

/// A value read from a sheet with its cell.
pub(super) type CellValue = (Key, Value, (u32, u32));

/// The group of a sheet (`第1表 (2)` → `2`): sheets of one group are one
/// person's plan (see `grouping.sheet_group`).
fn sheet_group(s: &CompiledSource, sheet: &Sheet) -> Arc<str> {
    let Some(re) = &s.sheet_group else { return Arc::from("") };
    let name = norm_label(&sheet.name);
    let group = re
        .captures(&name)
        .and_then(|c| c.iter().skip(1).flatten().map(|m| m.as_str()).find(|m| !m.is_empty()).map(str::to_string))
        .unwrap_or_default();
    Arc::from(group.as_str())
}

pub fn excel(s: &CompiledSource, file: &Arc<str>, file_index: usize, wb: &Workbook) -> Extracted {
    debug_assert_eq!(s.spec.kind, SourceKind::Excel);
    let mut out = Extracted::default();
    let ctx = Context { date1904: wb.date1904 };
    let target = s.spec.target;
    let file_name = std::path::Path::new(&**file).file_name().map(|n| n.to_string_lossy().into_owned());
    for (si, part) in selected_parts(s, wb).into_iter().enumerate() {
        let sheet = part.sheet;
        let view = View::new(sheet, part.top, part.bottom).knowing(&s.stop);
        let seq_base = (si as u64) << 40;
        let sheet_name: Arc<str> = sheet.name.as_str().into();
        let here = Source { file: file.clone(), sheet: Some(sheet_name.clone()), ..Source::default() };
        let names = Names { file: file_name.as_deref().unwrap_or(""), sheet: &sheet.name };
        // Form fields: by label, by name, or fixed values.
        let mut form: Vec<CellValue> = Vec::new();
        let mut fixed: Vec<(Key, Value)> = Vec::new();
        for f in s.fields.iter().filter(|f| f.spec.header.is_none()) {
            match read_field(&view, s, f, &names, &ctx, file, &sheet_name, &mut out.problems) {
                Some(Placed::Fixed(v)) => fixed.push((f.key, v)),
                Some(Placed::Cell(v, row, col)) => {
                    if f.spec.required && v.is_empty() {
                        out.problems.push(Problem::new(
                            ProblemKind::Value,
                            Source::cell(file.clone(), sheet_name.clone(), row, col),
                            format!("必須の項目「{}」が空です", label_of(target, &f.name)),
                        ));
                    }
                    form.push((f.key, v, (row, col)));
                }
                None if f.spec.required => out.problems.push(Problem::new(
                    ProblemKind::Layout,
                    here.clone(),
                    format!(
                        "見出し「{}」がシートにありません（必須の項目「{}」）",
                        f.spec.anchor.as_ref().map(|a| a.to_string()).unwrap_or_default(),
                        label_of(target, &f.name)
                    ),
                )),
                None => {}
            }
        }
        let first_cell = form.iter().map(|(_, _, rc)| *rc).min();
        let group = sheet_group(s, sheet);
        let record = |cells: &[CellValue], start: Option<(u32, u32)>, seq: u64| -> Record {
            let mut rec =
                Record::sheet(s.meta.clone(), file_index, file.clone(), sheet_name.clone(), start, seq_base + seq);
            rec.set_group(part.index as u32, group.clone());
            for (k, v) in &fixed {
                rec.push(*k, v.clone(), None);
            }
            for (k, v, rc) in form.iter().chain(cells) {
                rec.push(*k, v.clone(), Some(*rc));
            }
            rec
        };
        let mut lists = Vec::new();
        let at = ListContext { view: &view, file, sheet: &sheet_name, target, ctx: &ctx, stop: &s.stop };
        for l in &s.lists {
            let entries = list_entries(l, &at, &mut out.problems);
            if let Some(f) = F::from_name(&l.field) {
                lists.push((f, entries));
            }
        }
        if let Some(t) = &s.spec.table {
            let table_fields: Vec<CompiledField> =
                s.fields.iter().filter(|f| f.spec.header.is_some()).cloned().collect();
            let (rows, shape) = table_read(&view, t, &table_fields, file, target, &ctx, &s.stop, &mut out.problems);
            for (seq, start, cells) in rows {
                out.records.push(record(&cells, Some(start), seq));
            }
            out.tables.extend(shape);
        } else if let Some(g) = &s.spec.grid {
            match grid(&view, g, file, &s.stop, &mut out.problems) {
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

/// The names a field may take its value from.
struct Names<'a> {
    file: &'a str,
    sheet: &'a str,
}

/// Where a form field's value was found.
enum Placed {
    Fixed(Value),
    Cell(Value, u32, u32),
}

/// Reads one form field: its place (label, names or fixed value), the
/// pattern and recode, the transforms, and the checks that turn an
/// implausible value into a warning; then the fallback when nothing was read.
#[allow(clippy::too_many_arguments)]
fn read_field(
    view: &View,
    s: &CompiledSource,
    f: &CompiledField,
    names: &Names,
    ctx: &Context,
    file: &Arc<str>,
    sheet_name: &Arc<str>,
    problems: &mut Vec<Problem>,
) -> Option<Placed> {
    let target = s.spec.target;
    let spec = &f.spec;
    let placed = if let Some(v) = &spec.value {
        Some(Placed::Fixed(Value::text(v.clone())))
    } else if let Some(re) = &f.name_pattern {
        let name = if spec.file_name.is_some() { names.file } else { names.sheet };
        super::first_group(re, &crate::text::nfc(name)).map(|raw| {
            let src = || Source { file: file.clone(), sheet: Some(sheet_name.clone()), ..Source::default() };
            let raw = f.prepare(Value::text(raw));
            Placed::Fixed(transform(f, target, raw, ctx, src, problems))
        })
    } else if let Some(re) = &f.cell_pattern {
        form::matching_cell(view, re).map(|read| {
            let src = || Source::cell(file.clone(), sheet_name.clone(), read.row, read.col);
            let raw = f.prepare(read.value);
            let v = transform(f, target, raw.clone(), ctx, src, problems);
            let v = super::plausible(f, target, v, &raw, src, problems);
            Placed::Cell(v, read.row, read.col)
        })
    } else if let Some(anchor) = &spec.anchor {
        let after = match &spec.after {
            Some(a) => match find(view, a, None) {
                Some(found) => Some((found.row, found.col)),
                // The scope label is missing: the field is not on this sheet.
                None => return fallback(view, s, f, names, ctx, file, sheet_name, problems, None),
            },
            None => None,
        };
        match find(view, anchor, after) {
            None => None,
            Some(mut found) => {
                found.choice = f.is_choice();
                found.whole_cell = f.pattern.is_some();
                let read: Option<Read> = match spec.offset {
                    Some(offset) => value_at(view, &found, offset, spec.span.unwrap_or(1)),
                    None => value_of(view, &found, &s.stop),
                };
                let (raw, row, col) = match read {
                    Some(r) => (r.value, r.row, r.col),
                    // A label alone with its box empty (blank, or check-box
                    // formulas saved without their results): said as such,
                    // not read as a choice group it is not.
                    None if f.is_choice() && only_label(view.sheet.get(found.row, found.col), &s.stop) => {
                        problems.push(Problem::new(
                            ProblemKind::Warning,
                            Source::cell(file.clone(), sheet_name.clone(), found.row, found.col),
                            format!(
                                "{}: 見出し「{}」の欄が空で、選んだものが読めません（未記入か、チェックボックスの数式の結果が保存されていません）",
                                label_of(target, &f.name),
                                found.alt
                            ),
                        ));
                        (Value::Empty, found.row, found.col)
                    }
                    // A printed choice group with nothing beside it: the group
                    // itself is read, so that an unmarked group is said.
                    None if f.is_choice() => (cell_value(view.sheet.get(found.row, found.col)), found.row, found.col),
                    None => (Value::Empty, found.row, found.col),
                };
                let src = || Source::cell(file.clone(), sheet_name.clone(), row, col);
                let raw = f.prepare(raw);
                let v = transform(f, target, raw.clone(), ctx, src, problems);
                let v = super::plausible(f, target, v, &raw, src, problems);
                let v = if !v.is_empty() && is_label(&s.stop, &v) {
                    problems.push(Problem::new(
                        ProblemKind::Warning,
                        src(),
                        format!(
                            "{}: 「{}」は様式の見出しの文字で、値ではないため読みませんでした",
                            label_of(target, &f.name),
                            v.display()
                        ),
                    ));
                    Value::Empty
                } else {
                    v
                };
                Some(Placed::Cell(v, row, col))
            }
        }
    } else {
        None
    };
    let empty = match &placed {
        None => true,
        Some(Placed::Fixed(v)) | Some(Placed::Cell(v, _, _)) => v.is_empty(),
    };
    if empty {
        fallback(view, s, f, names, ctx, file, sheet_name, problems, placed)
    } else {
        placed
    }
}

/// The field's fallback place, when its first place gave nothing.
#[allow(clippy::too_many_arguments)]
fn fallback(
    view: &View,
    s: &CompiledSource,
    f: &CompiledField,
    names: &Names,
    ctx: &Context,
    file: &Arc<str>,
    sheet_name: &Arc<str>,
    problems: &mut Vec<Problem>,
    placed: Option<Placed>,
) -> Option<Placed> {
    match &f.fallback {
        Some(fb) => read_field(view, s, fb, names, ctx, file, sheet_name, problems).or(placed),
        None => placed,
    }
}

/// Whether a value read is the text of a form label (a label read as a value).
fn is_label(stop: &form::LabelSet, v: &Value) -> bool {
    match v {
        Value::Text(t) if form::has_marks(t) => false,
        Value::Text(t) => {
            let key = form::label_key(&norm_label(t));
            key.chars().count() >= 3 && stop.is_label(&key) && !key.chars().any(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// Whether a cell holds a form label and nothing else: no marks, and no
/// options (a printed group `初回・紹介・継続` separates its options).
fn only_label(cell: &Cell, stop: &form::LabelSet) -> bool {
    const SEPARATORS: [char; 7] = ['・', '･', '、', '/', '／', ',', '，'];
    match cell {
        Cell::Text(t) => {
            let key = form::label_key(&crate::text::norm_label(t));
            !form::has_marks(t) && !t.contains(SEPARATORS) && stop.is_label(&key)
        }
        _ => false,
    }
}
