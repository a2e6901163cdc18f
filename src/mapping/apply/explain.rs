//! What `lsw mapping check` says of a sample file, so that a person writing
//! or reviewing a mapping sees what it does: per source and sheet, each
//! field's value with its cell and the label wording that matched (or why
//! nothing was read); each table's header rows, data rows and columns; and
//! the problems reading gave.

use super::excel::{selected_parts, Part};
use super::form::{find, View};
use super::{csv, excel, Extracted};
use crate::diag::a1;
use crate::ingest::Content;
use crate::mapping::load::{CompiledField, CompiledSource, Mapping};
use crate::mapping::record::{Key, Record};
use crate::mapping::schema::SourceKind;
use crate::model::fields;

/// The report on one source: its lines (Japanese) and whether the sample
/// read cleanly (no problem, no required field empty).
pub struct Explained {
    pub lines: Vec<String>,
    pub clean: bool,
}

/// Reads a sample with one source of a mapping and says what it read.
pub fn explain_source(m: &Mapping, si: usize, name: &str, content: &Content) -> Explained {
    let s = &m.sources[si];
    let ex = match (s.spec.kind, content) {
        (SourceKind::Csv, Content::Csv { table, .. }) => csv(s, &name.into(), 0, table, None),
        (SourceKind::Excel, Content::Workbook(wb)) => excel(s, &name.into(), 0, wb),
        _ => {
            return Explained {
                lines: vec![format!("source「{}」はこのファイルの種類を読みません", s.spec.id)],
                clean: false,
            }
        }
    };
    let mut lines = vec![format!("source「{}」（{}）: レコード {}件", s.spec.id, s.spec.title, ex.records.len())];
    match content {
        Content::Workbook(wb) => {
            for part in selected_parts(s, wb) {
                sheet_lines(s, &part, &ex, &mut lines);
            }
        }
        Content::Csv { .. } => csv_lines(s, &ex, &mut lines),
    }
    let missing: Vec<String> = s
        .fields
        .iter()
        .filter(|f| f.spec.required && !ex.records.iter().any(|r| r.has_key(f.key)))
        .map(|f| label(s, f))
        .collect();
    if !missing.is_empty() {
        lines.push(format!("  必須なのに値がない項目: {}", missing.join("、")));
    }
    if ex.skipped > 0 {
        lines.push(format!("  row_filter で飛ばした行: {}行", ex.skipped));
    }
    for p in &ex.problems {
        lines.push(format!("  {p}"));
    }
    Explained { clean: missing.is_empty() && ex.problems.is_empty(), lines }
}

/// `利用者名（person_name）`.
fn label(s: &CompiledSource, f: &CompiledField) -> String {
    let ja = fields::COMMON
        .iter()
        .chain(fields::fields(s.spec.target))
        .find(|(n, _)| *n == f.name)
        .map(|(_, l)| *l)
        .unwrap_or(f.name.strip_prefix("extra.").unwrap_or(&f.name));
    format!("{ja}（{}）", f.name)
}

/// The first record of a sheet part holding a field, and its value and cell.
fn read_in<'r>(ex: &'r Extracted, sheet: &str, key: Key) -> Option<(&'r Record, String, String)> {
    ex.records.iter().filter(|r| r.source().sheet.as_deref() == Some(sheet)).find_map(|r| {
        let v = r.get(key)?;
        let name = match key {
            Key::Field(f) => f.name().to_string(),
            Key::Extra(_) => String::new(),
        };
        let cell = r
            .fields()
            .find(|(n, _, _)| !name.is_empty() && *n == name)
            .and_then(|(_, _, src)| src.cell)
            .unwrap_or_default();
        Some((r, shown(&v), cell))
    })
}

fn sheet_lines(s: &CompiledSource, part: &Part, ex: &Extracted, lines: &mut Vec<String>) {
    let sheet = part.sheet;
    lines.push(format!("  シート「{}」（{}〜{}行目）", sheet.name, part.top + 1, part.bottom));
    let view = View::new(sheet, part.top, part.bottom).knowing(&s.stop);
    for f in s.fields.iter().filter(|f| f.spec.header.is_none()) {
        let read = read_in(ex, &sheet.name, f.key);
        let place = place_of(&view, f);
        let line = match (read, place) {
            (Some((_, v, cell)), place) => format!("    {} = 「{}」 {cell}{place}", label(s, f), short(&v)),
            (None, place) if place.is_empty() => format!("    {}: 値なし", label(s, f)),
            (None, place) => format!("    {}: 値なし{place}", label(s, f)),
        };
        lines.push(line);
    }
    for t in ex.tables.iter().filter(|t| t.sheet == sheet.name) {
        lines.push(format!(
            "    表: 見出し {}〜{}行目、データ {}〜{}行目",
            t.header.0 + 1,
            t.header.1,
            t.data.0 + 1,
            t.data.1.max(t.data.0)
        ));
        for (name, cols) in &t.columns {
            let at: Vec<String> = cols
                .iter()
                .map(|c| match c {
                    Some(c) => a1(t.header.0, *c).trim_end_matches(|ch: char| ch.is_ascii_digit()).to_string(),
                    None => "なし".into(),
                })
                .collect();
            let f = s.fields.iter().find(|f| &f.name == name);
            let shown = f.map(|f| label(s, f)).unwrap_or_else(|| name.clone());
            lines.push(format!("      {shown}: {}列", at.join("・")));
        }
    }
}

/// Where a form field is looked for, as a reader can check it: the label
/// wording found and its cell, or the wordings not found.
fn place_of(view: &View, f: &CompiledField) -> String {
    if let Some(anchor) = &f.spec.anchor {
        let after = f.spec.after.as_ref().and_then(|a| find(view, a, None)).map(|l| (l.row, l.col));
        return match find(view, anchor, after) {
            Some(found) => format!("（見出し「{}」{}）", found.alt, a1(found.row, found.col)),
            None => format!("（見出し「{anchor}」が見つかりません）"),
        };
    }
    if let Some(re) = &f.cell_pattern {
        return format!("（「{}」に当てはまるセル）", re.as_str());
    }
    if f.spec.sheet_name.is_some() {
        return "（シート名から）".into();
    }
    if f.spec.file_name.is_some() {
        return "（ファイル名から）".into();
    }
    if f.spec.value.is_some() {
        return "（固定の値）".into();
    }
    String::new()
}

/// Per field of a CSV source: its column and the first record's value.
fn csv_lines(s: &CompiledSource, ex: &Extracted, lines: &mut Vec<String>) {
    for f in &s.fields {
        let first = ex.records.iter().find_map(|r| r.get(f.key).map(|v| (r, v)));
        let col = f
            .spec
            .column
            .map(|c| format!("{c}列目"))
            .unwrap_or_else(|| f.spec.header.as_ref().map(|h| format!("見出し「{h}」")).unwrap_or_default());
        match first {
            Some((r, v)) => {
                let line = r.source().line.map(|l| format!("{l}行目")).unwrap_or_default();
                lines.push(format!("    {} = 「{}」 {line} {col}", label(s, f), short(&shown(&v))));
            }
            None => lines.push(format!("    {}: 値なし（{col}）", label(s, f))),
        }
    }
}

/// A value as a person reads it: a split value (the 意向 by speaker) by
/// its text as written.
fn shown(v: &crate::mapping::Value) -> String {
    match v {
        crate::mapping::Value::Parts(parts) => match parts.iter().find(|(k, _)| k == "text") {
            Some((_, t)) => t.clone(),
            None => parts.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("、"),
        },
        other => other.display(),
    }
}

/// A value shortened for one line.
fn short(v: &str) -> String {
    let one: String = v.replace('\n', "⏎");
    let n = one.chars().count();
    if n > 40 {
        format!("{}…（{n}文字）", one.chars().take(40).collect::<String>())
    } else {
        one
    }
}
