//! Loading a mapping file: TOML → checked, compiled [`Mapping`].
//!
//! Every problem is collected with its TOML line (syntax errors, unknown keys,
//! wrong types, unknown field names, bad regexes, unknown transforms…), not
//! just the first (design/STYLE.md §6).

use super::record::{Key, RecordMeta};
use super::schema::*;
use super::transforms::{self, Transform};
use crate::model::fields;
use crate::model::fields::F;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

pub use crate::diag::TomlProblem as MappingProblem;

pub type Chain = Vec<(&'static Transform, Option<String>)>;

#[derive(Debug, Clone)]
pub struct CompiledField {
    pub name: String,
    pub key: Key,
    pub spec: FieldSpec,
    pub chain: Chain,
    /// A shortcut for common chains on plain input (no allocation).
    pub fast: Fast,
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
pub struct CompiledList {
    pub field: String,
    pub table: TableSpec,
    pub fields: Vec<CompiledField>,
}

#[derive(Debug, Clone)]
pub struct CompiledSource {
    pub spec: SourceSpec,
    pub meta: Arc<RecordMeta>,
    pub file_name: Option<Regex>,
    pub sheet: Option<Regex>,
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
            line, message: format!("TOMLの書き方に誤りがあります: {}", e.message())
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
                line, message: format!("マッピングとして読めません: {}", e.message())
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
            match regex::RegexBuilder::new(pattern).case_insensitive(true).build() {
                Ok(r) => Some(r),
                Err(e) => {
                    problems.push(MappingProblem {
                        line: line_at(path),
                        message: format!("正規表現「{pattern}」が正しくありません: {e}"),
                    });
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
        let row_filter =
            s.row_filter.as_ref().and_then(|f| re(&f.pattern, &["row_filter"], problems).map(|r| (f.column, r)));
        if s.recognise.file_name.is_none()
            && s.recognise.header_has.is_empty()
            && s.recognise.sheets.is_empty()
            && s.recognise.anchors.is_empty()
            && s.recognise.first_record.is_empty()
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
                if s.sheet.is_none() {
                    problems.push(MappingProblem {
                        line: line_at(&["kind"]),
                        message: format!("source「{}」は Excel なので sheet（シート名の正規表現）が必要です", s.id),
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
        let mut lists = Vec::new();
        for (li, l) in s.lists.iter().enumerate() {
            let lidx = li.to_string();
            if !fields::is_known(s.target, &l.field) {
                problems.push(MappingProblem {
                    line: at.line(&["sources", &idx, "lists", &lidx, "field"]),
                    message: format!("「{}」は {:?} の項目ではありません", l.field, s.target),
                });
            }
            let mut list_extras = Vec::new();
            let fs = compile_fields(
                s,
                &l.fields,
                &["sources", &idx, "lists", &lidx, "fields"],
                at,
                problems,
                &mut list_extras,
            );
            if !list_extras.is_empty() {
                problems.push(MappingProblem {
                    line: at.line(&["sources", &idx, "lists", &lidx, "fields"]),
                    message: "lists の項目には extra.* は使えません".into(),
                });
            }
            lists.push(CompiledList { field: l.field.clone(), table: l.table.clone(), fields: fs });
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
            sheets,
            first_record,
            row_filter,
            fields: fields_out,
            lists,
        });
    }
    (file, out)
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
        let places = [f.column.is_some(), f.header.is_some(), f.anchor.is_some(), f.value.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        let in_grid = s.grid.is_some();
        if places != 1 && !(in_grid && places == 0) {
            problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」には column / header / anchor / value のどれか一つを書きます"),
            });
        }
        match s.kind {
            SourceKind::Csv if f.anchor.is_some() => problems.push(MappingProblem {
                line,
                message: format!("項目「{name}」: anchor は Excel の source でだけ使えます"),
            }),
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
        let mut chain = Vec::new();
        for t in &f.transforms {
            match transforms::resolve(t) {
                Ok(r) => chain.push(r),
                Err(msg) => problems.push(MappingProblem { line, message: format!("項目「{name}」: {msg}") }),
            }
        }
        // `meta.*` is kept like `extra.*`, its label keeping the prefix so that
        // assembly puts it in the plan's `meta`, not in a table's `extra`.
        let extra = name.strip_prefix("extra.").or_else(|| name.starts_with("meta.").then_some(name.as_str()));
        let key = match extra {
            Some(label) => {
                extra_labels.push(label.into());
                Key::Extra((extra_labels.len() - 1) as u16)
            }
            // Unknown names were reported above; the placeholder is never used.
            None => Key::Field(F::from_name(name).unwrap_or(F::Identifier)),
        };
        let fast = fast_of(&chain);
        out.push(CompiledField { name: name.clone(), key, spec: f.clone(), chain, fast });
    }
    // Records store fields in id order: reading them in that order appends.
    out.sort_by_key(|f| f.key);
    out
}
