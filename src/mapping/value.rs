//! The value a mapped field carries between ingest and the model.
//!
//! Ingest yields text, numbers, booleans and (for Excel cells with a date
//! number format) dates; transforms turn these into the typed values the
//! model needs.

use chrono::NaiveDate;
use std::fmt;

/// A period such as `令和7年4月1日～令和8年3月31日`. Either end may be
/// missing; `raw` always keeps the text as it was written, because the
/// standard CSV defines periods as free text (formats.md §1.4 UP2KYO).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    /// Minutes after midnight (`HHMM`, `H:MM`); 24:00 is 1440.
    Time(u16),
    Period(Period),
    /// Named parts, e.g. the `【本人の意向】…【家族の意向】…` split gives
    /// `[("person", …), ("family", …)]` and `("rest", …)` for text outside any block.
    Parts(Vec<(String, String)>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.is_empty(),
            Value::Parts(p) => p.iter().all(|(_, v)| v.is_empty()),
            Value::Period(p) => p.from.is_none() && p.to.is_none() && p.raw.is_empty(),
            _ => false,
        }
    }

    /// The value as the text a person would read (used for free-text fields
    /// and for the examples of transforms).
    pub fn display(&self) -> String {
        self.to_string()
    }
}

/// Consistent with `==` (0.0 and -0.0 hash alike); for finding equal
/// records without formatting their values.
impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Value::Empty => {}
            Value::Text(s) => s.hash(h),
            Value::Number(n) => (if *n == 0.0 { 0 } else { n.to_bits() }).hash(h),
            Value::Bool(b) => b.hash(h),
            Value::Date(d) => d.hash(h),
            Value::Time(t) => t.hash(h),
            Value::Period(p) => (p.from, p.to, &p.raw).hash(h),
            Value::Parts(parts) => parts.hash(h),
        }
    }
}

/// `YYYY-MM-DD` without chrono's format-string parser (dates are displayed
/// once per value on the mapping hot path).
fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    use chrono::Datelike;
    write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Canonical text form. Dates are ISO `YYYY-MM-DD`, times `HH:MM`, periods
/// `from..to` (an open end is empty), parts `name=value` joined by `|`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Empty => Ok(()),
            Value::Text(s) => f.write_str(s),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    write!(f, "{}", *n as i64)
                } else {
                    write!(f, "{n}")
                }
            }
            Value::Bool(b) => write!(f, "{b}"),
            Value::Date(d) => write_date(f, *d),
            Value::Time(m) => write!(f, "{:02}:{:02}", m / 60, m % 60),
            Value::Period(p) => {
                if let Some(d) = p.from {
                    write_date(f, d)?;
                }
                f.write_str("..")?;
                if let Some(d) = p.to {
                    write_date(f, d)?;
                }
                Ok(())
            }
            Value::Parts(parts) => {
                for (i, (k, v)) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("|")?;
                    }
                    write!(f, "{k}={v}")?;
                }
                Ok(())
            }
        }
    }
}
