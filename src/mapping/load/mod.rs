//! Loading a mapping file: TOML → checked, compiled [`Mapping`].
//!
//! Every problem is collected with its TOML line (syntax errors, unknown keys,
//! wrong types, unknown field names, bad regexes, unknown transforms…), not
//! just the first (design/STYLE.md §6).

use super::record::{Key, RecordMeta};
use super::schema::*;
use super::transforms::Transform;
use crate::model::fields::F;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::Arc;
use toml::de::DeTable;

pub use crate::diag::TomlProblem as MappingProblem;
pub(crate) use field::regex;
pub use field::{CompiledField, Fast};
pub use lists::{CompiledCellList, CompiledList};

mod field;
mod lists;
mod locate;

use field::{compile_fields, MAX_COLUMN};
use locate::{line_of, walk, Locator};

pub type Chain = Vec<(&'static Transform, Option<String>)>;

#[derive(Debug, Clone)]
pub struct CompiledSource {
    pub spec: SourceSpec,
    pub meta: Arc<RecordMeta>,
    pub file_name: Option<Regex>,
    pub sheet: Option<Regex>,
    /// `titles`, as label keys.
    pub titles: Vec<String>,
    /// The titles of the mapping's other sources (a stacked sheet's blocks
    /// end at them).
    pub other_titles: Vec<String>,
    /// Every label of the mapping: a value running across cells ends at one.
    pub stop: crate::mapping::apply::LabelSet,
    /// `grouping.sheet_group`, compiled.
    pub sheet_group: Option<Regex>,
    pub sheets: Vec<Regex>,
    pub first_record: Vec<(usize, Regex)>,
    pub row_filter: Option<(usize, Regex)>,
    pub fields: Vec<CompiledField>,
    pub lists: Vec<CompiledList>,
}

#[derive(Debug, Clone)]
pub struct Mapping {
    pub file: MappingFile,
    /// Where it was loaded from (`builtin:NAME` for the shipped ones).
    pub origin: String,
    /// SHA-256 of the TOML text (recorded in manifest.json).
    pub sha256: String,
    pub sources: Vec<CompiledSource>,
}

impl std::fmt::Debug for Transform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Loads and checks a mapping. On failure returns every problem, sorted by line.
pub fn load_str(text: &str, origin: &str) -> Result<Mapping, Vec<MappingProblem>> {
    let mut problems = Vec::new();
    let (doc, syntax) = DeTable::parse_recoverable(text);
    for e in syntax {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        problems.push(MappingProblem {
            line,
            message: format!("TOMLの書き方に誤りがあります: {}", crate::diag::toml_ja(e.message())),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let schema = crate::mapping::json_schema();
    walk(text, &schema, &schema, doc.get_ref(), "", &mut problems);
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    let file: MappingFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            return Err(vec![MappingProblem {
                line,
                message: format!("マッピングとして読めません: {}", crate::diag::toml_ja(e.message())),
            }]);
        }
    };
    let locate = Locator { text, doc: doc.get_ref() };
    let compiled = compile(file, &locate, &mut problems);
    if problems.is_empty() {
        Ok(Mapping {
            file: compiled.0,
            origin: origin.into(),
            sha256: crate::hash::sha256_hex(text.as_bytes()),
            sources: compiled.1,
        })
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

fn compile(
    file: MappingFile,
    at: &Locator<'_>,
    problems: &mut Vec<MappingProblem>,
) -> (MappingFile, Vec<CompiledSource>) {
    if file.format_version != FORMAT_VERSION {
        problems.push(MappingProblem {
            line: at.line(&["format_version"]),
            message: format!("format_version は {FORMAT_VERSION} です（{} が書かれています）", file.format_version),
        });
    }
    if file.sources.is_empty() {
        problems.push(MappingProblem { line: at.line(&["sources"]), message: "sources が空です".into() });
    }
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for (i, s) in file.sources.iter().enumerate() {
        let idx = i.to_string();
        let base = ["sources", idx.as_str()];
        let line_at = |rest: &[&str]| {
            let mut p: Vec<&str> = base.to_vec();
            p.extend_from_slice(rest);
            at.line(&p)
        };
        if !ids.insert(s.id.clone()) {
            problems.push(MappingProblem {
                line: line_at(&["id"]),
                message: format!("source の id「{}」が重複しています", s.id),
            });
        }
        let re = |pattern: &str, path: &[&str], problems: &mut Vec<MappingProblem>| -> Option<Regex> {
            match regex(pattern) {
                Ok(r) => Some(r),
                Err(message) => {
                    problems.push(MappingProblem { line: line_at(path), message });
                    None
                }
            }
        };
        let file_name = s.recognise.file_name.as_deref().and_then(|p| re(p, &["match", "file_name"], problems));
        let sheet = s.sheet.as_deref().and_then(|p| re(p, &["sheet"], problems));
        let sheets: Vec<Regex> =
            s.recognise.sheets.iter().filter_map(|p| re(p, &["match", "sheets"], problems)).collect();
        let mut first_record = Vec::new();
        for (col, pat) in &s.recognise.first_record {
            let r = re(pat, &["match", "first_record", col.as_str()], problems);
            match (col.parse::<usize>(), r) {
                (Ok(c), Some(r)) if c >= 1 => first_record.push((c, r)),
                (Ok(_), None) => {}
                _ => problems.push(MappingProblem {
                    line: line_at(&["match", "first_record", col.as_str()]),
                    message: format!("first_record のキー「{col}」は1から始まる列番号で書きます"),
                }),
            }
        }
        if let Some(f) = &s.row_filter {
            if f.column == 0 || f.column > MAX_COLUMN {
                problems.push(MappingProblem {
                    line: line_at(&["row_filter"]),
                    message: format!("row_filter の column は 1 から {MAX_COLUMN} までの列番号です（{} が書かれています。列は1から数えます）", f.column),
                });
            }
        }
        let row_filter = s
            .row_filter
            .as_ref()
            .filter(|f| (1..=MAX_COLUMN).contains(&f.column))
            .and_then(|f| re(&f.pattern, &["row_filter"], problems).map(|r| (f.column, r)));
        let sheet_group = s.grouping.sheet_group.as_deref().and_then(|p| re(p, &["grouping", "sheet_group"], problems));
        for (what, t) in s
            .table
            .iter()
            .map(|t| ("table", t))
            .chain(s.lists.iter().filter_map(|l| Some(("lists", l.table.as_ref()?))))
        {
            if t.header_rows.is_some_and(|n| n == 0 || n > 10) {
                problems.push(MappingProblem {
                    line: line_at(&[what]),
                    message: format!(
                        "{what} の header_rows は 1 から 10 までです（省略すると見出しの文字から見つけます）"
                    ),
                });
            }
            if t.stop_blank_rows == 0 || t.stop_blank_rows > 1000 {
                problems.push(MappingProblem {
                    line: line_at(&[what]),
                    message: format!(
                        "{what} の stop_blank_rows は 1 から 1000 までです（{} が書かれています）",
                        t.stop_blank_rows
                    ),
                });
            }
        }
        if s.recognise.file_name.is_none()
            && s.recognise.header_has.is_empty()
            && s.recognise.sheets.is_empty()
            && s.recognise.anchors.is_empty()
            && s.recognise.first_record.is_empty()
            && s.titles.is_empty()
        {
            problems.push(MappingProblem {
                line: line_at(&["match"]),
                message: format!("source「{}」の match に見分ける条件が一つもありません", s.id),
            });
        }
        match s.kind {
            SourceKind::Csv => {
                if s.sheet.is_some()
                    || s.table.is_some()
                    || s.grid.is_some()
                    || !s.lists.is_empty()
                    || !s.recognise.sheets.is_empty()
                    || !s.recognise.anchors.is_empty()
                {
                    problems.push(MappingProblem { line: line_at(&["kind"]), message: format!("source「{}」は CSV なので sheet / table / grid / lists / match.sheets / match.anchors は使えません", s.id) });
                }
            }
            SourceKind::Excel => {
                if s.sheet.is_none() && s.titles.is_empty() {
                    problems.push(MappingProblem {
                        line: line_at(&["kind"]),
                        message: format!(
                            "source「{}」は Excel なので sheet（シート名の正規表現）か titles（様式の表題）が必要です",
                            s.id
                        ),
                    });
                }
                if s.header
                    || s.columns.is_some()
                    || s.row_filter.is_some()
                    || !s.recognise.header_has.is_empty()
                    || !s.recognise.first_record.is_empty()
                {
                    problems.push(MappingProblem { line: line_at(&["kind"]), message: format!("source「{}」は Excel なので header / columns / row_filter / match.header_has / match.first_record は使えません", s.id) });
                }
            }
        }
        let mut extra_labels: Vec<Arc<str>> = Vec::new();
        let fields_out = compile_fields(s, &s.fields, &["sources", &idx, "fields"], at, problems, &mut extra_labels);
        let lists = lists::compile_lists(s, &idx, at, problems);
        if let Some(t) = &s.table {
            for n in t.line_split.iter().filter(|n| !s.fields.contains_key(*n)) {
                problems.push(MappingProblem {
                    line: line_at(&["table", "line_split"]),
                    message: format!("table.line_split の「{n}」はこの source の fields にありません"),
                });
            }
        }
        for (what, names) in [("order_by", &s.grouping.order_by), ("fill_down", &s.grouping.fill_down)] {
            for n in names {
                if !s.fields.contains_key(n) {
                    problems.push(MappingProblem {
                        line: line_at(&["grouping", what]),
                        message: format!("grouping.{what} の「{n}」はこの source の fields にありません"),
                    });
                }
            }
        }
        // A plan needs its key: every record must be able to name its person.
        let has = |n: &str| s.fields.contains_key(n);
        let workbook_scope = s.grouping.key_scope == KeyScope::Workbook;
        if !(workbook_scope || has("insurer_no") && has("insured_no") || has("person_name")) {
            problems.push(MappingProblem { line: line_at(&["fields"]), message: format!("source「{}」に計画を識別する insurer_no（保険者番号）と insured_no（被保険者番号）、または person_name（利用者名）がありません（Excelで他のシートから取る場合は grouping.key_scope = \"workbook\"）", s.id) });
        }
        if let (Some(cols), SourceKind::Csv) = (s.columns, s.kind) {
            for (name, f) in &s.fields {
                if let Some(c) = f.column {
                    if c == 0 || c > cols {
                        problems.push(MappingProblem {
                            line: at.line(&["sources", &idx, "fields", name.as_str()]),
                            message: format!("項目「{name}」の column = {c} は 1〜{cols} の範囲にありません"),
                        });
                    }
                }
            }
        }
        let to_f = |names: &Vec<String>| names.iter().filter_map(|n| F::from_name(n)).collect::<Vec<F>>();
        let mut meta = RecordMeta::new(
            s.target,
            &file.name,
            &s.id,
            to_f(&s.grouping.fill_down),
            to_f(&s.grouping.order_by),
            extra_labels,
        );
        for f in &fields_out {
            if let Some(c) = f.spec.column {
                meta.set_column(f.key, c as u32);
            }
            if let Key::Field(id) = f.key {
                meta.declared |= 1u128 << (id as u32);
            }
        }
        if let Some(g) = &s.grid {
            // A 第3表 grid yields its fields without declaring them.
            for id in
                [F::Service, F::Day, F::Start, F::End, F::Activity, F::ActivityStart, F::ActivityEnd, F::NonWeekly]
            {
                meta.declared |= 1u128 << (id as u32);
            }
            if g.days.is_empty() || g.days.iter().any(|d| crate::text::norm_label(d).is_empty()) {
                problems.push(MappingProblem {
                    line: line_at(&["grid", "days"]),
                    message: format!(
                        "source「{}」の grid.days には曜日の見出し（月〜日）を空でない文字で並べます",
                        s.id
                    ),
                });
            }
        }
        for l in &lists {
            for f in &l.fields {
                if let Key::Field(id) = f.key {
                    meta.declared |= 1u128 << (id as u32);
                }
            }
        }
        let meta = Arc::new(meta);
        out.push(CompiledSource {
            spec: s.clone(),
            meta,
            file_name,
            sheet,
            titles: s.titles.iter().map(|t| title_key(t)).collect(),
            other_titles: Vec::new(),
            stop: Default::default(),
            sheet_group,
            sheets,
            first_record,
            row_filter,
            fields: fields_out,
            lists,
        });
    }
    // What each source needs of the others: their titles (a stacked sheet's
    // blocks), and every label of the mapping (values end at them).
    let labels = mapping_labels(&file);
    let stop = crate::mapping::apply::LabelSet::new(labels.iter().map(String::as_str));
    let all_titles: Vec<(usize, String)> =
        out.iter().enumerate().flat_map(|(i, s)| s.titles.iter().map(move |t| (i, t.clone()))).collect();
    for (i, s) in out.iter_mut().enumerate() {
        s.other_titles =
            all_titles.iter().filter(|(j, t)| *j != i && !s.titles.contains(t)).map(|(_, t)| t.clone()).collect();
        s.stop = stop.clone();
    }
    (file, out)
}

/// A title as sheets are searched for it (label key).
fn title_key(t: &str) -> String {
    crate::mapping::apply::label_key(&crate::text::norm_label(t))
}

/// Every label a mapping's Excel sources name (anchors, headers, grid labels,
/// titles), and the words forms print beside values.
fn mapping_labels(file: &MappingFile) -> Vec<String> {
    let mut out: Vec<String> = file.form_words.clone();
    fn field_labels(f: &FieldSpec, out: &mut Vec<String>) {
        for l in [&f.anchor, &f.header].into_iter().flatten() {
            out.extend(l.all().iter().cloned());
        }
        if let Some(fb) = &f.fallback {
            field_labels(fb, out);
        }
    }
    for s in file.sources.iter().filter(|s| s.kind == SourceKind::Excel) {
        out.extend(s.titles.iter().cloned());
        for f in s.fields.values() {
            field_labels(f, &mut out);
        }
        for l in &s.lists {
            if let Some(t) = &l.table {
                out.extend(t.header_anchor.all().iter().cloned());
                out.extend(t.stop_at.iter().cloned());
            }
            if let Some(c) = &l.cell {
                out.extend(c.anchor.all().iter().cloned());
            }
            for f in l.fields.values() {
                field_labels(f, &mut out);
            }
        }
        if let Some(t) = &s.table {
            out.extend(t.header_anchor.all().iter().cloned());
            out.extend(t.stop_at.iter().cloned());
        }
        if let Some(g) = &s.grid {
            for l in g.activity.iter().chain(&g.non_weekly) {
                out.extend(l.all().iter().cloned());
            }
        }
    }
    out
}
