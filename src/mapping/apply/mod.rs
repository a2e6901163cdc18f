//! Applying one compiled source to an ingested file: cells → [`Record`]s.
//! CSV records column by column ([`csv`]); workbooks by form labels, table
//! regions and 第3表 grids ([`excel`]).

mod csv;
mod excel;
mod grid;
mod table;

pub use csv::{csv, KEY_FIELDS};
pub use excel::{excel, selected_sheets, sheet_has_anchors};

use crate::diag::{Problem, ProblemKind, Source};
use crate::mapping::load::{CompiledField, Fast};
use crate::mapping::record::Record;
use crate::mapping::schema::Target;
use crate::mapping::transforms::{self, trim_spaces, Context};
use crate::mapping::Value;
use chrono::NaiveDate;

/// What a source read from a file: records, problems and counts.
#[derive(Debug, Default)]
pub struct Extracted {
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
    /// Records skipped by `row_filter` (header lines in headerless files).
    pub skipped: usize,
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
            problems.push(Problem::new(
                ProblemKind::Value,
                src(),
                format!("{}: {}", label_of(target, &f.name), e.message),
            ));
            Value::Empty
        }
    }
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
    let v = transform(f, target, Value::Text(raw.to_string()), ctx, src, problems);
    r.push(f.key, v, None);
}

fn digits_u64(s: &str) -> u64 {
    s.bytes().fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add((b - b'0') as u64))
}
