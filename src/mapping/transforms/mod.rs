//! The transform registry: small named functions that mapping files call
//! (`transforms = ["trim", "date"]`, or with an argument `"code:plan_kind"`).
//!
//! In: a [`Value`] from ingest (or from the previous transform) and a
//! [`Context`]. Out: a new [`Value`] or a [`TransformError`] whose message is
//! Japanese and says what was expected; the caller adds the position.
//!
//! Every transform declares examples; `registry_examples_hold` runs them all
//! as tests (the VRL pattern, design/STYLE.md §7).

use crate::mapping::value::Value;

mod codes;
mod dates;
mod text;

pub use codes::normalize_care_level;
pub use dates::{parse_date_text, parse_period_text};
/// Full-width ASCII (digits, colons…) as ASCII.
pub(crate) use text::hankaku as hankaku_digits;
pub(crate) use text::trim_spaces;

/// What a transform may know about where its value came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The workbook uses the 1904 date system (Excel serials count from 1904-01-01).
    pub date1904: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransformError {
    /// Japanese, says what was found and what was expected.
    pub message: String,
    /// The value is not wrong but cannot be read for sure (a choice marked
    /// by a drawn shape): reported as a warning, the field left empty.
    pub unreadable: bool,
}

impl TransformError {
    pub fn new(message: impl Into<String>) -> Self {
        TransformError { message: message.into(), unreadable: false }
    }

    /// A value that is there but cannot be read for sure (see `unreadable`).
    pub fn unreadable(message: impl Into<String>) -> Self {
        TransformError { message: message.into(), unreadable: true }
    }
}

/// One declared example: `input` (text; a leading `#serial:` makes an Excel
/// serial number, e.g. `#serial:45658`), optional argument, and the expected
/// result as `Ok(display text)` or `Err(fragment of the error message)`.
pub struct Example {
    pub input: &'static str,
    pub arg: Option<&'static str>,
    pub expected: Result<&'static str, &'static str>,
}

pub struct Transform {
    pub name: &'static str,
    /// One line in Japanese for `lsw mapping list` / the schema docs.
    pub summary: &'static str,
    /// Whether the transform takes an argument after `:` (and which are valid).
    pub args: ArgSpec,
    pub examples: &'static [Example],
    pub apply: fn(Value, Option<&str>, &Context) -> Result<Value, TransformError>,
}

#[derive(Debug, Clone, Copy)]
pub enum ArgSpec {
    None,
    /// One of these names.
    OneOf(&'static [&'static str]),
}

/// All transforms, sorted by name.
pub fn registry() -> &'static [Transform] {
    static REG: std::sync::OnceLock<Vec<Transform>> = std::sync::OnceLock::new();
    REG.get_or_init(|| {
        let mut v = Vec::new();
        v.extend(text::transforms());
        v.extend(dates::transforms());
        v.extend(codes::transforms());
        v.sort_by_key(|t| t.name);
        v
    })
}

pub fn lookup(name: &str) -> Option<&'static Transform> {
    registry().iter().find(|t| t.name == name)
}

/// Parses `name` or `name:arg` and checks the argument. The error is Japanese.
pub fn resolve(spec: &str) -> Result<(&'static Transform, Option<String>), String> {
    let (name, arg) = match spec.split_once(':') {
        Some((n, a)) => (n, Some(a.to_string())),
        None => (spec, None),
    };
    let t = lookup(name).ok_or_else(|| {
        let names: Vec<_> = registry().iter().map(|t| t.name).collect();
        format!("変換「{name}」はありません（使えるもの: {}）", names.join(", "))
    })?;
    match (&t.args, &arg) {
        (ArgSpec::None, None) => {}
        (ArgSpec::None, Some(a)) => {
            return Err(format!("変換「{name}」は引数を取りません（「{a}」が指定されています）"))
        }
        (ArgSpec::OneOf(ok), Some(a)) if ok.contains(&a.as_str()) => {}
        (ArgSpec::OneOf(ok), _) => {
            return Err(format!("変換「{name}」には引数 {} のどれかが必要です（例: {name}:{}）", ok.join(" / "), ok[0]))
        }
    }
    Ok((t, arg))
}

/// Applies a chain of resolved transforms.
pub fn apply_chain(
    chain: &[(&'static Transform, Option<String>)],
    mut v: Value,
    ctx: &Context,
) -> Result<Value, TransformError> {
    for (t, arg) in chain {
        v = (t.apply)(v, arg.as_deref(), ctx)?;
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_input(s: &str) -> Value {
        match s.strip_prefix("#serial:") {
            Some(n) => Value::Number(n.parse().expect("serial example")),
            None => Value::text(s),
        }
    }

    #[test]
    fn registry_examples_hold() {
        let mut failures = Vec::new();
        for t in registry() {
            assert!(!t.examples.is_empty(), "transform {} declares no example", t.name);
            for ex in t.examples {
                let got = (t.apply)(example_input(ex.input), ex.arg, &Context::default());
                let ok = match (&got, &ex.expected) {
                    (Ok(v), Ok(want)) => v.display() == *want,
                    (Err(e), Err(frag)) => e.message.contains(frag),
                    _ => false,
                };
                if !ok {
                    failures.push(format!(
                        "{}({:?}, arg {:?}): expected {:?}, got {:?}",
                        t.name, ex.input, ex.arg, ex.expected, got
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "failing examples:\n{}", failures.join("\n"));
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = registry().iter().map(|t| t.name).collect();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len());
    }
}
