//! Where in a mapping's TOML text a problem is, and the check of its keys
//! and types against the JSON Schema (unknown keys, missing required keys,
//! wrong types), each with its line.

use crate::mapping::load::MappingProblem;
use std::collections::BTreeSet;
use toml::de::{DeTable, DeValue};

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Finds the TOML line of a key path such as `sources.2.fields.need`.
pub(super) struct Locator<'a> {
    pub text: &'a str,
    pub doc: &'a DeTable<'a>,
}

impl Locator<'_> {
    pub fn line(&self, path: &[&str]) -> usize {
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
pub(super) fn walk(
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
