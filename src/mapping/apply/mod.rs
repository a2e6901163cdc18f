//! Applying one compiled source to an ingested file: cells → [`Record`]s.
//! CSV records column by column ([`csv`]); workbooks by form labels, table
//! regions and 第3表 grids ([`excel`]).

mod csv;
mod excel;
mod explain;
mod form;
mod grid;
mod infer;
mod lists;
mod table;

pub use explain::{explain_source, Explained};
pub use form::{label_key, LabelSet};
pub use infer::infer;
pub use table::TableShape;

pub use csv::{csv, KEY_FIELDS};
pub use excel::{excel, selected_parts, sheet_has_anchors, why_no_parts, Part};

use crate::diag::{Problem, ProblemKind, Source};
use crate::mapping::load::{CompiledField, Fast};
use crate::mapping::record::{Key, Record};
use crate::mapping::schema::Target;
use crate::mapping::transforms::{self, trim_spaces, Context};
use crate::mapping::Value;
use crate::model::fields::F;
use chrono::NaiveDate;

/// What a source read from a file: records, problems and counts.
#[derive(Debug, Default)]
pub struct Extracted {
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Records skipped by `row_filter` (header lines in headerless files).
    pub skipped: usize,
    /// Where the source's tables were found (Excel).
    pub tables: Vec<table::TableShape>,
}

/// Runs a field's transform chain. A rejected value becomes a problem that
/// quotes it (so it is not lost) and the field is left empty.
pub(super) fn transform(
    f: &CompiledField,
    target: Target,
    v: Value,
    ctx: &Context,
    src: impl FnOnce() -> Source,
    problems: &mut Vec<Problem>,
) -> Value {
    if v.is_empty() {
        return Value::Empty;
    }
    match transforms::apply_chain(&f.chain, v, ctx) {
        Ok(v) => v,
        Err(e) => {
            // Transform messages already quote the value they found.
            let kind = if e.unreadable { ProblemKind::Warning } else { ProblemKind::Value };
            problems.push(Problem::new(kind, src(), format!("{}: {}", label_of(target, &f.name), e.message)));
            Value::Empty
        }
    }
}

/// The first non-empty group of a regex's match (or the whole match).
pub fn first_group(re: &regex::Regex, text: &str) -> Option<String> {
    let caps = re.captures(text)?;
    let m = caps.iter().skip(1).flatten().find(|m| !m.as_str().is_empty()).or_else(|| caps.get(0))?;
    Some(m.as_str().to_string())
}

/// The earliest date a plan's own dates can have: 介護保険 began on 2000-04-01.
const PLAN_DATES_FROM: (i32, u32, u32) = (2000, 4, 1);

/// Checks a value that transformed well but cannot be what the plan says: a
/// plan date before 介護保険 existed, a birth date that makes no user, a
/// 認定の有効期間 that ends the day it begins or has no end. Such a value is a
/// warning naming its cell, and the field is left empty (or, for a period,
/// its end) rather than filled wrongly.
pub(super) fn plausible(
    f: &CompiledField,
    target: Target,
    v: Value,
    raw: &Value,
    src: impl Fn() -> Source,
    problems: &mut Vec<Problem>,
) -> Value {
    let Key::Field(field) = f.key else { return v };
    let warn = |problems: &mut Vec<Problem>, why: String| {
        problems.push(Problem::new(ProblemKind::Warning, src(), format!("{}: {why}", label_of(target, &f.name))));
    };
    let (y, m, d) = PLAN_DATES_FROM;
    let plan_start = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let too_late = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or_default();
    let shown = |d: NaiveDate| crate::model::wareki::date(d);
    match (field, &v) {
        (F::BirthDate, Value::Date(d)) => {
            let (oldest, youngest) = (
                NaiveDate::from_ymd_opt(1890, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(1990, 12, 31).unwrap_or_default(),
            );
            if *d < oldest || *d > youngest {
                warn(
                    problems,
                    format!(
                        "生年月日{}は介護保険の利用者としてありえない日付です（値「{}」）。読み取りを確かめてください",
                        shown(*d),
                        raw.display()
                    ),
                );
                return Value::Empty;
            }
            v
        }
        (_, Value::Date(d)) if is_plan_date(field) => {
            if *d < plan_start || *d >= too_late {
                warn(problems, format!("{}は計画の日付としてありえません（介護保険は平成12年4月1日から。値「{}」）。元号や年の読み取りを確かめてください", shown(*d), raw.display()));
                return Value::Empty;
            }
            v
        }
        (F::ValidPeriod, Value::Period(p)) => {
            let mut p = p.clone();
            if p.from.is_some() && p.to.is_none() {
                warn(
                    problems,
                    format!("認定の有効期間の終わりの日付が読めません（値「{}」）。終わりは空のままにしました", p.raw),
                );
            } else if p.from.is_some() && p.from == p.to {
                warn(problems, format!("認定の有効期間が1日だけになっています（値「{}」）。終わりの日付が別のセルにないか確かめてください。終わりは空のままにしました", p.raw));
                p.to = None;
            }
            for end in [&mut p.from, &mut p.to] {
                if end.is_some_and(|d| d < plan_start || d >= too_late) {
                    warn(
                        problems,
                        format!(
                            "{}は認定の有効期間としてありえません（値「{}」）",
                            shown(end.unwrap_or_default()),
                            p.raw
                        ),
                    );
                    *end = None;
                }
            }
            Value::Period(p)
        }
        _ => v,
    }
}

/// Dates that a plan itself carries (not a person's).
fn is_plan_date(f: F) -> bool {
    matches!(
        f,
        F::PlanDate
            | F::CreatedOn
            | F::FirstCreatedOn
            | F::CertifiedOn
            | F::ValidFrom
            | F::ValidTo
            | F::ConsentOn
            | F::HeldOn
            | F::Date
            | F::LongFrom
            | F::LongTo
            | F::ShortFrom
            | F::ShortTo
            | F::PeriodFrom
            | F::PeriodTo
    )
}

pub(super) fn label_of(target: Target, name: &str) -> String {
    match crate::model::fields::label(target, name) {
        Some(l) => format!("{l}（{name}）"),
        None => name.to_string(),
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn digits(s: &str) -> u32 {
    s.bytes().fold(0, |n, b| n * 10 + (b - b'0') as u32)
}

/// Reads one raw field into the record, through the fast path where the
/// input has the plain shape the standard writes, else through the chain.
pub(super) fn put_raw(
    r: &mut Record,
    f: &CompiledField,
    target: Target,
    raw: &str,
    ctx: &Context,
    src: impl FnOnce() -> Source,
    problems: &mut Vec<Problem>,
) {
    match f.fast {
        Fast::Text => return r.push_new_str(f.key, trim_spaces(raw)),
        Fast::AsciiText { id } if raw.is_ascii() => {
            let t = raw.trim();
            if !id || t.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return r.push_new_str(f.key, t);
            }
        }
        Fast::Date8 if raw.len() == 8 && all_digits(raw) => {
            if raw == "00000000" {
                return;
            }
            if let Some(d) = NaiveDate::from_ymd_opt(digits(&raw[..4]) as i32, digits(&raw[4..6]), digits(&raw[6..])) {
                return r.push(f.key, Value::Date(d), None);
            }
        }
        Fast::Int if all_digits(raw) && raw.len() < 16 => {
            return r.push(f.key, Value::Number(digits_u64(raw) as f64), None)
        }
        Fast::Time4 if raw.len() == 4 && all_digits(raw) => {
            if raw == "9999" {
                return;
            }
            let (h, m) = (digits(&raw[..2]), digits(&raw[2..]));
            if m < 60 && (h < 24 || (h == 24 && m == 0)) {
                return r.push(f.key, Value::Time((h * 60 + m) as u16), None);
            }
        }
        Fast::YearMonth6 if raw.len() == 6 && all_digits(raw) => {
            if raw == "000000" {
                return;
            }
            let m = digits(&raw[4..]);
            if (1..=12).contains(&m) {
                let mut ym = [0u8; 7];
                ym[..4].copy_from_slice(&raw.as_bytes()[..4]);
                ym[4] = b'-';
                ym[5..].copy_from_slice(&raw.as_bytes()[4..]);
                return r.push_str(f.key, std::str::from_utf8(&ym).unwrap_or_default(), None);
            }
        }
        _ => {}
    }
    if raw.is_empty() {
        return;
    }
    let v = transform(f, target, f.prepare(Value::Text(raw.to_string())), ctx, src, problems);
    r.push(f.key, v, None);
}

fn digits_u64(s: &str) -> u64 {
    s.bytes().fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add((b - b'0') as u64))
}
