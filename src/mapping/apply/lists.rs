//! Lists inside a form record (第4表's 会議出席者), as forms write them: a
//! table with one entry per row, numbered labels with one value each
//! (`出席者1所属` | …, `出席者1氏名` | …), or all entries in one cell
//! (`A事業所（職種）　氏名、B事業所…`).

use super::form::{find, value_at, value_of, Found, View};
use super::table::table_rows;
use super::{plausible, transform};
use crate::diag::{Problem, Source};
use crate::mapping::load::{CompiledField, CompiledList};
use crate::mapping::record::Key;
use crate::mapping::schema::{Labels, Target};
use crate::mapping::transforms::Context;
use crate::mapping::Value;
use crate::model::fields::F;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One entry: its fields with their cells.
pub(super) type Entry = Vec<(F, Value, Source)>;

/// Where a list is read and what it reads into.
pub(super) struct ListContext<'a> {
    pub view: &'a View<'a>,
    pub file: &'a Arc<str>,
    pub sheet: &'a Arc<str>,
    pub target: Target,
    pub ctx: &'a Context,
    pub stop: &'a super::form::LabelSet,
}

/// The entries of a list: from its table when the table's header is on the
/// sheet, else from numbered labels, else from its one cell.
pub(super) fn list_entries(l: &CompiledList, at: &ListContext, problems: &mut Vec<Problem>) -> Vec<Entry> {
    let only_table = l.numbered.is_empty() && l.cell.is_none();
    if let Some(t) = &l.table {
        if only_table || find(at.view, &t.header_anchor, None).is_some() {
            let rows = table_rows(at.view, t, &l.fields, at.file, at.target, at.ctx, at.stop, problems);
            let entries: Vec<Entry> = rows
                .into_iter()
                .map(|(_, _, cells)| {
                    cells
                        .into_iter()
                        .filter_map(|(k, v, (r, c))| match k {
                            Key::Field(f) => Some((f, v, Source::cell(at.file.clone(), at.sheet.clone(), r, c))),
                            Key::Extra(_) => None,
                        })
                        .collect()
                })
                .collect();
            if !entries.is_empty() || only_table {
                return entries;
            }
        }
    }
    let entries = numbered(l, at, problems);
    if !entries.is_empty() {
        return entries;
    }
    cell(l, at, problems)
}

/// A value through the list field's transforms (when the list names it).
fn through(
    l: &CompiledList,
    name: &str,
    raw: Value,
    at: &ListContext,
    src: &Source,
    problems: &mut Vec<Problem>,
) -> Option<(F, Value)> {
    let field = F::from_name(name)?;
    let v = match l.field(name) {
        Some(f) => read_as(f, raw, at, src, problems),
        None => raw,
    };
    (!v.is_empty()).then_some((field, v))
}

fn read_as(f: &CompiledField, raw: Value, at: &ListContext, src: &Source, problems: &mut Vec<Problem>) -> Value {
    let raw = f.prepare(raw);
    let v = transform(f, at.target, raw.clone(), at.ctx, || src.clone(), problems);
    plausible(f, at.target, v, &raw, || src.clone(), problems)
}

/// `出席者1所属` | …, `出席者1氏名` | …: each label whose text a field's
/// regex matches gives that field of entry number (the regex's group).
fn numbered(l: &CompiledList, at: &ListContext, problems: &mut Vec<Problem>) -> Vec<Entry> {
    if l.numbered.is_empty() {
        return Vec::new();
    }
    let mut by_number: BTreeMap<u64, Entry> = BTreeMap::new();
    for label in &at.view.labels {
        for (name, res) in &l.numbered {
            let Some(no) = res.iter().find_map(|re| re.captures(&label.norm)?.get(1)?.as_str().parse::<u64>().ok())
            else {
                continue;
            };
            let own = Labels::One(label.norm.clone());
            let found = Found {
                row: label.row,
                col: label.col,
                exact: true,
                alt: &label.norm,
                labels: &own,
                choice: false,
                whole_cell: false,
            };

            // The cell right of the label: a value such as 本人 is an entry
            // here, though it is a label elsewhere on the form.
            let Some(read) = value_at(at.view, &found, [0, 1], 1) else { continue };
            let src = Source::cell(at.file.clone(), at.sheet.clone(), read.row, read.col);
            if let Some((f, v)) = through(l, name, read.value, at, &src, problems) {
                by_number.entry(no).or_default().push((f, v, src));
            }
        }
    }
    by_number.into_values().collect()
}

/// All entries in the cell of `cell.anchor`, between its separators.
fn cell(l: &CompiledList, at: &ListContext, problems: &mut Vec<Problem>) -> Vec<Entry> {
    let Some(c) = &l.cell else { return Vec::new() };
    let Some(found) = find(at.view, &c.spec.anchor, None) else { return Vec::new() };
    let Some(read) = value_of(at.view, &found, at.stop) else { return Vec::new() };
    let text = read.value.display();
    let src = Source::cell(at.file.clone(), at.sheet.clone(), read.row, read.col);
    let names: Vec<&str> = c.pattern.capture_names().flatten().collect();
    let mut out = Vec::new();
    let separators: Vec<&str> = c.spec.separators.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    for part in split_all(&text, &separators) {
        let part = part.trim_matches(|ch: char| ch.is_whitespace());
        if part.is_empty() {
            continue;
        }
        let mut entry = Entry::new();
        match c.pattern.captures(part) {
            Some(caps) => {
                for n in &names {
                    if let Some(m) = caps.name(n) {
                        if let Some((f, v)) = through(l, n, Value::text(m.as_str().to_string()), at, &src, problems) {
                            entry.push((f, v, src.clone()));
                        }
                    }
                }
            }
            None => {
                if let Some(n) = names.first() {
                    if let Some((f, v)) = through(l, n, Value::text(part.to_string()), at, &src, problems) {
                        entry.push((f, v, src.clone()));
                    }
                }
            }
        }
        if !entry.is_empty() {
            out.push(entry);
        }
    }
    out
}

/// `text` split at any of the separators.
fn split_all<'t>(text: &'t str, separators: &[&str]) -> Vec<&'t str> {
    let mut parts = vec![text];
    for sep in separators {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
}
