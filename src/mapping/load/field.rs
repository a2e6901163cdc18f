//! Compiling one field of a mapping: its place (column, header, label,
//! cell, names, fixed value), the bounds on its numbers, its regexes, its
//! transform chain and fallback, each problem with its TOML line.

use super::{Chain, Locator, MappingProblem};
use crate::mapping::record::Key;
use crate::mapping::schema::*;
use crate::mapping::transforms;
use crate::mapping::Value;
use crate::model::fields;
use crate::model::fields::F;
use regex::Regex;
use std::sync::Arc;

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

pub(super) fn compile_fields(
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
pub(super) const MAX_COLUMN: usize = 16_384;
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
