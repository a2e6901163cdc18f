//! Loading a mapping file: TOML → checked, compiled [`Mapping`].
//!
//! Every problem is collected with its TOML line (syntax errors, unknown keys,
//! wrong types, unknown field names, bad regexes, unknown transforms…), not
//! just the first (design/STYLE.md §6).

use super::record::{Key, RecordMeta};
use super::schema::*;
use super::transforms::{self, Transform};
use super::Value;
use crate::model::fields;
use crate::model::fields::F;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

pub use crate::diag::TomlProblem as MappingProblem;
pub use lists::{CompiledCellList, CompiledList};

mod lists;

pub type Chain = Vec<(&'static Transform, Option<String>)>;

#[derive(Debug, Clone)]
pub struct CompiledField {
    pub name: String,
    pub key: Key,
    pub spec: FieldSpec,
    pub chain: Chain,
    /// A shortcut for common chains on plain input (no allocation).
    pub fast: Fast,
    /// `pattern`, compiled.
    pub pattern: Option<Regex>,
    /// `file_name` or `sheet_name`, compiled.
    pub name_pattern: Option<Regex>,
    /// `cell`, compiled.
    pub cell_pattern: Option<Regex>,
    /// `recode`, keys normalised.
    pub recode: Vec<(String, String)>,
    /// `fallback`, compiled (same name and key).
    pub fallback: Option<Box<CompiledField>>,
}

impl CompiledField {
    /// The raw value through `pattern` and `recode`, before the transforms.
    pub fn prepare(&self, v: Value) -> Value {
        let v = match (&self.pattern, &v) {
            (Some(re), Value::Text(t)) => match crate::mapping::apply::first_group(re, t) {
                Some(m) => Value::text(m),
                None => Value::Empty,
            },
            _ => v,
        };
        if self.recode.is_empty() || v.is_empty() {
            return v;
        }
        let key = crate::text::norm_label(&v.display());
        match self.recode.iter().find(|(from, _)| *from == key) {
            Some((_, to)) => Value::text(to.clone()),
            None => v,
        }
    }

    /// Whether the field reads a choice group (its printed text is its value
    /// when nothing is written beside it).
    pub fn is_choice(&self) -> bool {
        self.chain.iter().any(|(t, _)| matches!(t.name, "choice" | "selected" | "care_level"))
    }
}

/// Chains the CSV hot path runs without building intermediate values. Each
/// falls back to the full chain when the input is not of the plain shape, so
/// results and error messages are the same as the full chain's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fast {
    None,
    /// No transform, or `trim`.
    Text,
    /// `trim`/`hankaku`/`nfkc`/`id` on ASCII input (they leave ASCII as it is, but `id` needs alphanumerics).
    AsciiText {
        id: bool,
    },
    /// `date` on `YYYYMMDD`.
    Date8,
    /// `integer` on ASCII digits.
    Int,
    /// `time` on `HHMM`.
    Time4,
    /// `yearmonth` on `YYYYMM`.
    YearMonth6,
}

fn fast_of(chain: &Chain) -> Fast {
    let names: Vec<&str> = chain.iter().map(|(t, a)| if a.is_some() { "" } else { t.name }).collect();
    match names.as_slice() {
        [] | ["trim"] => Fast::Text,
        ["date"] => Fast::Date8,
        ["integer"] => Fast::Int,
        ["time"] => Fast::Time4,
        ["yearmonth"] => Fast::YearMonth6,
        ns if ns.iter().all(|n| matches!(*n, "trim" | "hankaku" | "nfkc" | "id")) => {
            Fast::AsciiText { id: ns.contains(&"id") }
        }
        _ => Fast::None,
    }
}

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

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Finds the TOML line of a key path such as `sources.2.fields.need`.
struct Locator<'a> {
    text: &'a str,
    doc: &'a DeTable<'a>,
}

impl Locator<'_> {
    fn line(&self, path: &[&str]) -> usize {
        let mut table = self.doc;
        let mut best = 0;
        let mut i = 0;
        while i < path.len() {
            let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref() == path[i]) else { break };
            best = line_of(self.text, k.span().start);
            match v.get_ref() {
                DeValue::Table(t) => table = t,
                DeValue::Array(a) => {
                    let Some(idx) = path.get(i + 1).and_then(|s| s.parse::<usize>().ok()) else { break };
                    let Some(item) = a.get(idx) else { break };
                    best = line_of(self.text, item.span().start);
                    match item.get_ref() {
                        DeValue::Table(t) => table = t,
                        _ => break,
                    }
                    i += 1;
                }
                _ => break,
            }
            i += 1;
        }
        best
    }
}

/// Checks a TOML value against the JSON Schema of [`MappingFile`]: unknown
/// keys, missing required keys and wrong types, each with its line.
fn walk(
    text: &str,
    root: &serde_json::Value,
    schema: &serde_json::Value,
    table: &DeTable<'_>,
    path: &str,
    problems: &mut Vec<MappingProblem>,
) {
    let schema = resolve(root, schema);
    let props = schema.get("properties").and_then(|p| p.as_object());
    let Some(props) = props else { return };
    for (k, v) in table.iter() {
        let key = k.get_ref().as_ref();
        let line = line_of(text, k.span().start);
        let full = if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
        match props.get(key) {
            None => {
                let known: Vec<&str> = props.keys().map(String::as_str).collect();
                problems.push(MappingProblem {
                    line,
                    message: format!("「{full}」は知らないキーです（使えるキー: {}）", known.join(", ")),
                });
            }
            Some(sub) => check_value(text, root, sub, v.get_ref(), &full, line, problems),
        }
    }
    if let Some(req) = schema.get("required").and_then(|r| r.as_array()) {
        for r in req.iter().filter_map(|r| r.as_str()) {
            if !table.iter().any(|(k, _)| k.get_ref() == r) {
                let where_ =
                    if path.is_empty() { "ファイルの先頭".to_string() } else { format!("「{path}」") };
                let line = table.iter().next().map_or(0, |(k, _)| line_of(text, k.span().start));
                problems.push(MappingProblem {
                    line, message: format!("{where_}に必須のキー「{r}」がありません")
                });
            }
        }
    }
}

fn resolve<'a>(root: &'a serde_json::Value, schema: &'a serde_json::Value) -> &'a serde_json::Value {
    let mut s = schema;
    for _ in 0..8 {
        if let Some(r) = s.get("$ref").and_then(|r| r.as_str()) {
            let name = r.rsplit('/').next().unwrap_or("");
            match root.get("$defs").and_then(|d| d.get(name)) {
                Some(t) => s = t,
                None => break,
            }
        } else {
            break;
        }
    }
    s
}

fn types_of(root: &serde_json::Value, schema: &serde_json::Value) -> BTreeSet<String> {
    let schema = resolve(root, schema);
    let mut out = BTreeSet::new();
    match schema.get("type") {
        Some(serde_json::Value::String(t)) => {
            out.insert(t.clone());
        }
        Some(serde_json::Value::Array(ts)) => out.extend(ts.iter().filter_map(|t| t.as_str().map(String::from))),
        _ => {}
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(|a| a.as_array()) {
            for a in alts {
                out.extend(types_of(root, a));
            }
        }
    }
    if schema.get("enum").is_some() || schema.get("const").is_some() {
        out.insert("string".into());
    }
    out
}

fn check_value(
    text: &str,
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &DeValue<'_>,
    path: &str,
    line: usize,
    problems: &mut Vec<MappingProblem>,
) {
    let types = types_of(root, schema);
    let (got, ok) = match value {
        DeValue::String(_) => ("文字列", types.contains("string")),
        DeValue::Integer(_) => ("整数", types.contains("integer") || types.contains("number")),
        DeValue::Float(_) => ("数値", types.contains("number")),
        DeValue::Boolean(_) => ("真偽値", types.contains("boolean")),
        DeValue::Datetime(_) => ("日時", false),
        DeValue::Array(_) => ("配列", types.contains("array")),
        DeValue::Table(_) => ("表", types.contains("object")),
    };
    if !ok && !types.is_empty() {
        let want: Vec<&str> = types
            .iter()
            .map(|t| match t.as_str() {
                "string" => "文字列",
                "integer" => "整数",
                "number" => "数値",
                "boolean" => "真偽値（true/false）",
                "array" => "配列",
                "object" => "表",
                _ => "値",
            })
            .filter(|t| *t != "値")
            .collect();
        problems.push(MappingProblem {
            line,
            message: format!("「{path}」には{}を書きます（{got}が書かれています）", want.join("か")),
        });
        return;
    }
    let schema = resolve(root, schema);
    // Option<T> is anyOf [T, null]: descend into the non-null alternative.
    let schema = schema
        .get("anyOf")
        .and_then(|a| a.as_array())
        .and_then(|alts| alts.iter().find(|a| a.get("type").and_then(|t| t.as_str()) != Some("null")))
        .map(|a| resolve(root, a))
        .unwrap_or(schema);
    match value {
        DeValue::Table(t) => {
            if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
                // A map (e.g. `fields`): each value follows `additionalProperties`.
                for (k, v) in t.iter() {
                    let l = line_of(text, k.span().start);
                    let p = format!("{path}.{}", k.get_ref());
                    check_value(text, root, additional, v.get_ref(), &p, l, problems);
                }
            } else {
                walk(text, root, schema, t, path, problems);
            }
        }
        DeValue::Array(a) => {
            if let Some(items) = schema.get("items") {
                for (i, item) in a.iter().enumerate() {
                    let l = line_of(text, item.span().start);
                    check_value(text, root, items, item.get_ref(), &format!("{path}.{i}"), l, problems);
                }
            }
        }
        // Transform names are checked when compiling, with a better message.
        DeValue::String(_) if path.contains(".transforms.") => {}
        DeValue::String(s) => {
            if let Some(allowed) = schema.get("enum").and_then(|e| e.as_array()) {
                let ok: Vec<&str> = allowed.iter().filter_map(|v| v.as_str()).collect();
                if !ok.contains(&s.as_ref()) {
                    problems.push(MappingProblem {
                        line,
                        message: format!("「{path}」の値「{s}」は使えません（{} のどれか）", ok.join(" / ")),
                    });
                }
            }
            if let Some(alts) = schema.get("oneOf").and_then(|e| e.as_array()) {
                let ok: Vec<&str> = alts
                    .iter()
                    .filter_map(|a| a.get("const").or_else(|| a.get("enum").and_then(|e| e.get(0))))
                    .filter_map(|v| v.as_str())
                    .collect();
                if !ok.is_empty() && !ok.contains(&s.as_ref()) {
                    problems.push(MappingProblem {
                        line,
                        message: format!("「{path}」の値「{s}」は使えません（{} のどれか）", ok.join(" / ")),
                    });
                }
            }
        }
        _ => {}
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

fn compile_fields(
    s: &SourceSpec,
    specs: &std::collections::BTreeMap<String, FieldSpec>,
    path: &[&str],
    at: &Locator<'_>,
    problems: &mut Vec<MappingProblem>,
    extra_labels: &mut Vec<Arc<str>>,
) -> Vec<CompiledField> {
    let mut out = Vec::new();
    for (name, f) in specs {
        let mut p: Vec<&str> = path.to_vec();
        p.push(name);
        let line = at.line(&p);
        if !fields::is_known(s.target, name) {
            let known: Vec<&str> = fields::COMMON.iter().chain(fields::fields(s.target)).map(|(n, _)| *n).collect();
            problems.push(MappingProblem {
                line,
                message: format!(
                    "「{name}」は {:?} の項目ではありません（使える項目: {}、または extra.名前）",
                    s.target,
                    known.join(", ")
                ),
            });
        }
        let key = match name.strip_prefix("extra.") {
            Some(label) => {
                extra_labels.push(label.into());
                Key::Extra((extra_labels.len() - 1) as u16)
            }
            // Unknown names were reported above; the placeholder is never used.
            None => Key::Field(F::from_name(name).unwrap_or(F::Identifier)),
        };
        out.push(compile_field(s, name, key, f, line, problems, 0));
    }
    // Records store fields in id order: reading them in that order appends.
    out.sort_by_key(|f| f.key);
    out
}

/// Bounds on a mapping's numbers: beyond them a value is a mistake (and
/// `span = 4000000000` would hang a run), so it is a problem with its line.
const MAX_SPAN: u32 = 64;
const MAX_OCCURRENCE: usize = 100;
const MAX_COLUMN: usize = 16_384;
/// Regexes are compiled with this size limit (a mapping's patterns are
/// short; a huge one is a mistake or an attack).
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Fallbacks nested deeper than this are a mistake.
const MAX_FALLBACKS: usize = 4;

pub(crate) fn regex(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => format!("正規表現「{pattern}」が大きすぎます"),
            _ => format!("正規表現「{pattern}」が正しくありません（{}）", regex_error_ja(&e)),
        })
}

/// regex's message without its English: where the pattern breaks.
fn regex_error_ja(e: &regex::Error) -> String {
    let text = e.to_string();
    // The crate prints the pattern with a caret under the error, then
    // "error: <what>"; keep the caret lines (they point at the place).
    let lines: Vec<&str> =
        text.lines().filter(|l| !l.trim_start().starts_with("error:") && !l.contains("regex parse error")).collect();
    format!("書き方の誤り。位置:\n{}", lines.join("\n"))
}

fn compile_field(
    s: &SourceSpec,
    name: &str,
    key: Key,
    f: &FieldSpec,
    line: usize,
    problems: &mut Vec<MappingProblem>,
    depth: usize,
) -> CompiledField {
    let places = [
        f.column.is_some(),
        f.header.is_some(),
        f.anchor.is_some(),
        f.value.is_some(),
        f.file_name.is_some() || f.sheet_name.is_some(),
        f.cell.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let in_grid = s.grid.is_some();
    if places != 1 && !(in_grid && places == 0) {
        problems.push(MappingProblem {
            line,
            message: format!(
                "項目「{name}」には column / header / anchor / value / file_name / sheet_name / cell のどれか一つを書きます"
            ),
        });
    }
    if f.file_name.is_some() && f.sheet_name.is_some() {
        problems.push(MappingProblem {
            line,
            message: format!("項目「{name}」: file_name と sheet_name は一つだけ書きます"),
        });
    }
    match s.kind {
        SourceKind::Csv if f.anchor.is_some() || f.sheet_name.is_some() || f.cell.is_some() => {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: anchor・sheet_name・cell は Excel の source でだけ使えます"),
            })
        }
        SourceKind::Csv if f.header.is_some() && !s.header => problems.push(MappingProblem {
            line,
            message: format!("項目「{name}」: header で列を選ぶには source に header = true が必要です"),
        }),
        SourceKind::Excel if f.column.is_some() => problems.push(MappingProblem {
            line,
            message: format!("項目「{name}」: Excel では column ではなく header（表）か anchor（様式）を使います"),
        }),
        _ => {}
    }
    if let Some(c) = f.column {
        if c == 0 || c > MAX_COLUMN {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: column は 1 から {MAX_COLUMN} までの列番号です（{c} が書かれています。列は1から数えます）"),
            });
        }
    }
    if let Some(o) = f.occurrence {
        if o == 0 || o > MAX_OCCURRENCE {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: occurrence は 1 から {MAX_OCCURRENCE} までです（{o} が書かれています。1 が最初の見出し）"),
            });
        }
    }
    if let Some(span) = f.span {
        if span == 0 || span > MAX_SPAN {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: span は 1 から {MAX_SPAN} までです（{span} が書かれています）"),
            });
        }
        if f.offset.is_none() {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: span は offset と一緒に使います（offset がなければ、値は見出しの右か下から自動で読みます）"),
            });
        }
    }
    if let Some([r, c]) = f.offset {
        if r.unsigned_abs() > 1000 || c.unsigned_abs() > 1000 {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: offset は見出しから1000セル以内です（[{r}, {c}] が書かれています）"),
            });
        }
    }
    for labels in [&f.anchor, &f.header, &f.after].into_iter().flatten() {
        if labels.all().is_empty() || labels.all().iter().any(|l| crate::text::norm_label(l).is_empty()) {
            problems.push(MappingProblem {
                line, message: format!("項目「{name}」: 空の見出しは書けません")
            });
        }
    }
    let mut compile_re = |p: &str| match regex(p) {
        Ok(r) => Some(r),
        Err(m) => {
            problems.push(MappingProblem { line, message: format!("項目「{name}」: {m}") });
            None
        }
    };
    let pattern = f.pattern.as_deref().and_then(&mut compile_re);
    let name_pattern = f.file_name.as_deref().or(f.sheet_name.as_deref()).and_then(&mut compile_re);
    let cell_pattern = f.cell.as_deref().and_then(&mut compile_re);
    let recode = f.recode.iter().map(|(from, to)| (crate::text::norm_label(from), to.clone())).collect();
    let mut chain = Vec::new();
    for t in &f.transforms {
        match transforms::resolve(t) {
            Ok(r) => chain.push(r),
            Err(msg) => problems.push(MappingProblem { line, message: format!("項目「{name}」: {msg}") }),
        }
    }
    let fallback = match &f.fallback {
        Some(fb) if depth >= MAX_FALLBACKS => {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: fallback は{MAX_FALLBACKS}段までです"),
            });
            let _ = fb;
            None
        }
        Some(fb) => Some(Box::new(compile_field(s, name, key, fb, line, problems, depth + 1))),
        None => None,
    };
    let fast = if pattern.is_none() && recode_is_empty(f) { fast_of(&chain) } else { Fast::None };
    CompiledField {
        name: name.to_string(),
        key,
        spec: f.clone(),
        chain,
        fast,
        pattern,
        name_pattern,
        cell_pattern,
        recode,
        fallback,
    }
}

fn recode_is_empty(f: &FieldSpec) -> bool {
    f.recode.is_empty()
}
