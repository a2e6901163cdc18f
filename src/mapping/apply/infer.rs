//! `lsw mapping infer SAMPLE.xlsx`: a draft mapping for a workbook whose
//! layout no built-in mapping reads (sheets named `Sheet1`, no form title,
//! labels in an office's own words).
//!
//! The built-in `excel-form` mapping is the vocabulary: each sheet is read
//! against each of its forms, the form whose labels the sheet holds is
//! chosen, and the draft keeps that form's fields pinned to this workbook —
//! the sheet by its name, each label in the wording found, a value the
//! general reader does not find beside its label by an `offset` to the cell
//! where the sample has it. Every field not found is a comment saying so.
//! The draft reads its sample (tests/mapping_infer.rs runs it).

use super::form::{find, value_of, View};
use super::table::table_read;
use crate::diag::a1;
use crate::ingest::excel::{Cell, Sheet, Workbook};
use crate::mapping::load::{CompiledSource, Mapping};
use crate::mapping::schema::{Labels, MappingFile, SourceKind, SourceSpec};
use crate::mapping::transforms::Context;
use crate::model::fields;
use crate::text::norm_label;
use std::fmt::Write;

/// How many of a form's labels a sheet must hold to be taken for that form.
const MIN_LABELS: usize = 3;

/// What the draft says of one source: its field comments.
struct Notes {
    /// Per field name: the comment line (value seen, or why not placed).
    fields: Vec<(String, String)>,
}

/// Writes the draft (TOML text). `Err` when no sheet looks like any form.
pub fn infer(vocabulary: &Mapping, wb: &Workbook, file_name: &str) -> Result<String, String> {
    let mut sources = Vec::new();
    let mut notes = Vec::new();
    let mut skipped = Vec::new();
    for (si, sheet) in wb.sheets.iter().enumerate() {
        let picks = pick_forms(vocabulary, sheet);
        if picks.is_empty() {
            skipped.push(sheet.name.clone());
            continue;
        }
        for s in picks {
            let (spec, n) = specialise(s, sheet, si, wb);
            sources.push(spec);
            notes.push(n);
        }
    }
    if sources.is_empty() {
        return Err(format!(
            "「{file_name}」のどのシートにも、居宅サービス計画書（第1〜5表）の見出しが{MIN_LABELS}つ以上見つかりません"
        ));
    }
    let stem =
        std::path::Path::new(file_name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let file = MappingFile {
        format_version: 1,
        name: format!("draft-{}", ascii_name(&stem)),
        title: format!("{stem} の読み方（下書き）"),
        description: format!("lsw mapping infer が「{file_name}」から作った下書き"),
        encoding: Default::default(),
        form_words: vocabulary.file.form_words.clone(),
        sources,
    };
    let body = toml::to_string(&file).map_err(|e| format!("下書きを書き出せません（{e}）"))?;
    let mut out = String::new();
    let _ = writeln!(out, "# lsw mapping infer が「{file_name}」から作ったマッピングの下書きです。");
    let _ = writeln!(out, "# 見出しの言葉とシート名はこのブックのものです。「# 見本:」は見本で読めた値、");
    let _ =
        writeln!(out, "# 「# 未配置:」は見つからなかった項目です。確かめてから lsw mapping check で試してください。");
    for name in &skipped {
        let _ = writeln!(out, "# シート「{name}」: どの表の見出しも見つからないため読みません");
    }
    out.push('\n');
    out.push_str(&annotate(&body, &notes));
    Ok(out)
}

/// A name usable on the command line (`--mapping draft-…`).
fn ascii_name(stem: &str) -> String {
    let s: String = stem.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    if s.is_empty() {
        "workbook".into()
    } else {
        s
    }
}

/// The forms of the vocabulary a sheet holds: every form whose `match`
/// labels are all there and none of its `absent` ones, with at least
/// [`MIN_LABELS`] of its labels; else the one with most labels.
fn pick_forms<'m>(vocabulary: &'m Mapping, sheet: &Sheet) -> Vec<&'m CompiledSource> {
    let view = View::whole(sheet);
    let mut scored: Vec<(usize, bool, &CompiledSource)> = Vec::new();
    for s in vocabulary.sources.iter().filter(|s| s.spec.kind == SourceKind::Excel) {
        if s.spec.recognise.absent.iter().any(|a| find(&view, a, None).is_some()) {
            continue;
        }
        let matched = s.spec.recognise.anchors.iter().all(|a| find(&view, a, None).is_some());
        let labels = s
            .fields
            .iter()
            .filter_map(|f| f.spec.anchor.as_ref().or(f.spec.header.as_ref()))
            .filter(|l| find(&view, l, None).is_some())
            .count();
        if labels >= MIN_LABELS {
            scored.push((labels, matched, s));
        }
    }
    let all: Vec<&CompiledSource> = scored.iter().filter(|(_, m, _)| *m).map(|(_, _, s)| *s).collect();
    if !all.is_empty() {
        return all;
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored.first().map(|(_, _, s)| vec![*s]).unwrap_or_default()
}

/// The form's spec pinned to this sheet, and what to say of each field.
fn specialise(s: &CompiledSource, sheet: &Sheet, si: usize, wb: &Workbook) -> (SourceSpec, Notes) {
    let view = View::whole(sheet).knowing(&s.stop);
    let mut spec = s.spec.clone();
    spec.id = format!("{}_{}", s.spec.id, si + 1);
    spec.sheet = Some(format!("^{}$", regex::escape(&norm_label(&sheet.name))));
    spec.titles.clear();
    spec.recognise.file_name = None;
    spec.recognise.sheets.clear();
    spec.recognise.anchors = spec.recognise.anchors.iter().map(|a| found_wording(&view, a)).collect();
    // What the form reads from this sheet as it is, for the table columns.
    let table_cols = spec.table.as_ref().and_then(|t| {
        let fields: Vec<_> = s.fields.iter().filter(|f| f.spec.header.is_some()).cloned().collect();
        let mut problems = Vec::new();
        let ctx = Context { date1904: wb.date1904 };
        let (_, shape) = table_read(&view, t, &fields, &"".into(), s.spec.target, &ctx, &s.stop, &mut problems);
        shape
    });
    let mut notes = Notes { fields: Vec::new() };
    for f in &s.fields {
        let Some(fs) = spec.fields.get_mut(&f.name) else { continue };
        let ja = label_ja(s, &f.name);
        if let Some(anchor) = fs.anchor.clone() {
            match find(&view, &anchor, None) {
                Some(found) => {
                    fs.anchor = Some(Labels::One(found.alt.to_string()));
                    let read = value_of(&view, &found, &s.stop);
                    match read.filter(|r| !r.value.is_empty()) {
                        Some(r) => notes.fields.push((
                            f.name.clone(),
                            format!("# 見本: {ja} = 「{}」（{}）", short(&r.value.display()), a1(r.row, r.col)),
                        )),
                        None => match nearest_value(&view, found.row, found.col, &s.stop) {
                            Some((dr, dc, text, at)) if fs.offset.is_none() => {
                                fs.offset = Some([dr, dc]);
                                notes.fields.push((
                                    f.name.clone(),
                                    format!("# 見本: {ja} = 「{}」（{at}、見出しから offset で指定）", short(&text)),
                                ));
                            }
                            _ => notes.fields.push((f.name.clone(), format!("# 見本: {ja} は空でした"))),
                        },
                    }
                }
                None if fs.fallback.is_some() => {
                    notes.fields.push((f.name.clone(), format!("# {ja}: 見出しがなく、fallback の場所で読みます")));
                }
                None => {
                    notes.fields.push((
                        f.name.clone(),
                        format!("# 未配置: {ja}（{}）: 見出し「{anchor}」が見つかりません", f.name),
                    ));
                    spec.fields.remove(&f.name);
                }
            }
        } else if let Some(header) = fs.header.clone() {
            let col = table_cols
                .as_ref()
                .and_then(|t| t.columns.iter().find(|(n, _)| *n == f.name))
                .and_then(|(_, cols)| cols.first().copied().flatten());
            match (col, &table_cols) {
                (Some(c), Some(t)) => {
                    if let Some(w) = header_wording(sheet, &header, t.header, c) {
                        fs.header = Some(Labels::One(w));
                        fs.fallback = None;
                    }
                    let at = a1(t.header.0, c);
                    notes
                        .fields
                        .push((f.name.clone(), format!("# 見本: {ja} は {} 列（見出し {at}）", col_letters(c))));
                }
                _ if fs.fallback.is_some() => {
                    notes.fields.push((f.name.clone(), format!("# {ja}: 列がなく、fallback の場所で読みます")));
                }
                _ => {
                    notes.fields.push((
                        f.name.clone(),
                        format!("# 未配置: {ja}（{}）: 列の見出し「{header}」が見つかりません", f.name),
                    ));
                    spec.fields.remove(&f.name);
                }
            }
        }
    }
    // Grouping names only fields the draft keeps.
    spec.grouping.fill_down.retain(|n| spec.fields.contains_key(n));
    spec.grouping.order_by.retain(|n| spec.fields.contains_key(n));
    if let Some(t) = &mut spec.table {
        t.line_split.retain(|n| spec.fields.contains_key(n));
    }
    (spec, notes)
}

/// The wording of a label as found on the sheet (all wordings when none is).
fn found_wording(view: &View, labels: &Labels) -> Labels {
    match find(view, labels, None) {
        Some(f) => Labels::One(f.alt.to_string()),
        None => labels.clone(),
    }
}

/// Which wording of a header stands over column `col` in the header rows.
fn header_wording(sheet: &Sheet, header: &Labels, rows: (u32, u32), col: u32) -> Option<String> {
    let keys: Vec<String> = (rows.0..rows.1)
        .map(|r| match sheet.shown(r, col) {
            Cell::Text(t) => super::form::label_key(&norm_label(t)),
            _ => String::new(),
        })
        .collect();
    header.all().iter().find(|w| keys.contains(&super::form::label_key(&norm_label(w)))).cloned()
}

/// The nearest value cell of a label the general reader finds nothing for:
/// right of it on its row (up to 8 cells), then below it (up to 2 rows).
fn nearest_value(view: &View, row: u32, col: u32, stop: &super::LabelSet) -> Option<(i32, i32, String, String)> {
    let region = view.region(row, col);
    let is_value = |r: u32, c: u32| -> Option<String> {
        let cell = view.sheet.shown(r, c);
        let text = match cell {
            Cell::Empty => return None,
            Cell::Text(t) if t.trim().is_empty() => return None,
            Cell::Text(t) => t.clone(),
            other => super::excel::cell_text(other),
        };
        let key = super::form::label_key(&norm_label(&text));
        (!stop.is_label(&key)).then_some(text)
    };
    for dc in 1..=8u32 {
        let c = region.right + dc;
        if let Some(t) = is_value(region.top, c) {
            return Some((0, dc as i32, t, a1(region.top, c)));
        }
    }
    for dr in 1..=2u32 {
        let r = region.bottom + dr;
        if let Some(t) = is_value(r, region.left) {
            return Some((dr as i32, 0, t, a1(r, region.left)));
        }
    }
    None
}

fn col_letters(c: u32) -> String {
    a1(0, c).trim_end_matches(|ch: char| ch.is_ascii_digit()).to_string()
}

fn label_ja(s: &CompiledSource, name: &str) -> String {
    fields::COMMON
        .iter()
        .chain(fields::fields(s.spec.target))
        .find(|(n, _)| *n == name)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| name.to_string())
}

fn short(v: &str) -> String {
    let one = v.replace('\n', "⏎");
    if one.chars().count() > 30 {
        format!("{}…", one.chars().take(30).collect::<String>())
    } else {
        one
    }
}

/// Puts each source's field comments into the TOML text: a placed field's
/// comment above its table, a field not placed after the source's fields.
fn annotate(body: &str, notes: &[Notes]) -> String {
    let mut out = String::new();
    let mut source = None::<usize>;
    let mut pending_unplaced: Vec<String> = Vec::new();
    let flush = |out: &mut String, pending: &mut Vec<String>| {
        for p in pending.drain(..) {
            out.push_str(&p);
            out.push('\n');
        }
    };
    for line in body.lines() {
        if line == "[[sources]]" {
            flush(&mut out, &mut pending_unplaced);
            source = Some(source.map_or(0, |s| s + 1));
            if let Some(n) = source.and_then(|s| notes.get(s)) {
                pending_unplaced =
                    n.fields.iter().filter(|(_, c)| c.starts_with("# 未配置")).map(|(_, c)| c.clone()).collect();
            }
        }
        if let (Some(s), Some(name)) = (source, line.strip_prefix("[sources.fields.").and_then(|l| l.strip_suffix(']')))
        {
            if let Some((_, c)) = notes.get(s).and_then(|n| n.fields.iter().find(|(f, _)| f == name)) {
                out.push_str(c);
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    flush(&mut out, &mut pending_unplaced);
    out
}
