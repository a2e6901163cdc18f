//! One cohesive thing (kept in one file on purpose): the reader of dates as
//! Japanese plans write them, with its tests.
//!
//! Dates, year-months, times and periods, in the shapes the standard CSV,
//! ほのぼの exports and Excel forms write them (formats.md §1.2, §3.1, §3.6).
//!
//! 和暦 is always checked against its era and never guessed: `平成31年5月1日`
//! is an error, not 令和元年5月1日, because a date that cannot exist points
//! at a typing mistake the care manager has to see.

use chrono::{Datelike, Days, NaiveDate};

use super::text::{err, hankaku, integral, ok, quoted, trim_spaces};
use super::{ArgSpec, Context, Example, Transform, TransformError};
use crate::mapping::value::{Period, Value};

pub(super) fn transforms() -> Vec<Transform> {
    vec![
        Transform {
            name: "date",
            summary: "日付にする（YYYYMMDD、2025/4/1、令和7年4月1日、R7.4.1、Excelの日付）",
            args: ArgSpec::None,
            examples: DATE_EXAMPLES,
            apply: date,
        },
        Transform {
            name: "yearmonth",
            summary: "年月（YYYY-MM）にする（YYYYMM、2025/4、令和7年4月、R7/4）",
            args: ArgSpec::None,
            examples: YEARMONTH_EXAMPLES,
            apply: yearmonth,
        },
        Transform {
            name: "time",
            summary: "時刻にする（HHMM、H:MM、24:00まで。9999は時刻なし）",
            args: ArgSpec::None,
            examples: TIME_EXAMPLES,
            apply: time,
        },
        Transform {
            name: "period",
            summary: "期間（開始～終了）を読む。日付の範囲でない文はそのまま残す",
            args: ArgSpec::None,
            examples: PERIOD_EXAMPLES,
            apply: period,
        },
        Transform {
            name: "period_in",
            summary: "文の終わりに書かれた期間を読む（「自宅で入浴できる\n（R7.4.1～R8.3.31）」→ 期間）。なければ空",
            args: ArgSpec::None,
            examples: PERIOD_IN_EXAMPLES,
            apply: period_in,
        },
        Transform {
            name: "drop_period",
            summary: "文の終わりに書かれた期間を取り除く（目標と期間が一つのセルのとき、目標の文だけにする）",
            args: ArgSpec::None,
            examples: DROP_PERIOD_EXAMPLES,
            apply: drop_period,
        },
    ]
}

const PERIOD_IN_EXAMPLES: &[Example] = &[
    ok("自宅で入浴を続けられる\n（R7.4.1～R8.3.31）", "2025-04-01..2026-03-31"),
    ok("自宅で入浴を続けられる（R7.4.1～R8.3.31）", "2025-04-01..2026-03-31"),
    ok("掃除を一緒に行える　R7.4.1～R7.9.30", "2025-04-01..2025-09-30"),
    ok("自宅で入浴を続けられる", ""),
    ok("週2回（月・木）通う", ""),
];

const DROP_PERIOD_EXAMPLES: &[Example] = &[
    ok("自宅で入浴を続けられる\n（R7.4.1～R8.3.31）", "自宅で入浴を続けられる"),
    ok("自宅で入浴を続けられる（R7.4.1～R8.3.31）", "自宅で入浴を続けられる"),
    ok("自宅で入浴を続けられる", "自宅で入浴を続けられる"),
    ok("週2回（月・木）通う", "週2回（月・木）通う"),
];

/// Where a period written after a text begins: its last line, or its last
/// (parenthesised) part, or after its last run of spaces — whichever reads
/// as a period with at least one date.
fn trailing_period(s: &str) -> Option<(usize, Period)> {
    let t = s.trim_end();
    let mut starts: Vec<usize> = Vec::new();
    if let Some(i) = t.rfind('\n') {
        starts.push(i + 1);
    }
    if t.ends_with(['）', ')']) {
        if let Some(i) = t.rfind(['（', '(']) {
            starts.push(i);
        }
    }
    if let Some(i) = t.rfind([' ', '\u{3000}']) {
        starts.push(i + t[i..].chars().next().map_or(1, char::len_utf8));
    }
    starts.sort_unstable();
    for i in starts {
        let part = t[i..].trim().trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
        if let Ok(p) = parse_period_text(part) {
            if p.from.is_some() || p.to.is_some() {
                return Some((i, p));
            }
        }
    }
    None
}

fn period_in(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    match &v {
        Value::Text(s) => Ok(trailing_period(s).map_or(Value::Empty, |(_, p)| Value::Period(p))),
        _ => Ok(Value::Empty),
    }
}

fn drop_period(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    match &v {
        Value::Text(s) => Ok(match trailing_period(s) {
            Some((i, _)) => Value::text(s[..i].trim_end().to_string()),
            None => v.clone(),
        }),
        _ => Ok(v),
    }
}

// ---------------------------------------------------------------------------
// Eras

use crate::model::wareki::{era_year, Era, ERAS};

/// Days in a month (the year and month are checked before it is asked).
fn days_in_month(y: i32, m: u32) -> u32 {
    use chrono::Datelike as _;
    chrono::NaiveDate::from_ymd_opt(y, m, 1).map_or(31, |d| u32::from(d.num_days_in_month()))
}

// ---------------------------------------------------------------------------
// Reading the written form

/// A date or year-month as written, before any check.
struct Written {
    era: Option<&'static Era>,
    /// The era year when `era` is set, else the Gregorian year.
    year: i32,
    month: u32,
    day: Option<u32>,
}

/// Reads over text that `hankaku` has already made ASCII where it could, so
/// only ASCII spaces remain as padding (`R 8/ 7/ 1`, `令和 7年`).
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip_spaces(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start_matches([' ', '\t']).len();
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_spaces();
        self.rest().chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn digits(&mut self) -> Option<&'a str> {
        self.skip_spaces();
        let r = self.rest();
        let n = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if n == 0 {
            return None;
        }
        self.pos += n;
        Some(&r[..n])
    }

    /// A month or day: one or two digits.
    fn small(&mut self) -> Option<u32> {
        let save = self.pos;
        match self.digits() {
            Some(d) if d.len() <= 2 => d.parse().ok(),
            _ => {
                self.pos = save;
                None
            }
        }
    }

    fn era(&mut self) -> Option<&'static Era> {
        self.skip_spaces();
        let r = self.rest();
        if let Some(era) = ERAS.iter().find(|e| r.starts_with(e.name)) {
            self.pos += era.name.len();
            return Some(era);
        }
        let c = r.chars().next()?;
        let era = ERAS.iter().find(|e| e.letter == c.to_ascii_uppercase())?;
        // A letter is an era only when a year follows it.
        let mut probe = Cursor { s: self.s, pos: self.pos + c.len_utf8() };
        match probe.peek() {
            Some(d) if d.is_ascii_digit() || d == '元' => {
                self.pos = probe.pos;
                Some(era)
            }
            _ => None,
        }
    }
}

/// `inherit` is the era of the other end of a period: `令和7年4月1日～8年3月31日`
/// writes the era once. It applies only before `年`, since `R7/4/1～9/30`
/// omits the year rather than the era.
fn parse_written(c: &mut Cursor, inherit: Option<&'static Era>) -> Option<Written> {
    if let Some(era) = c.era() {
        let year = if c.eat('元') { 1 } else { year_of_era(c)? };
        return after_year(c, Some(era), year);
    }
    let digits = c.digits()?;
    if let Some(era) = inherit {
        if digits.len() <= 2 && c.peek() == Some('年') {
            return after_year(c, Some(era), digits.parse().ok()?);
        }
    }
    // All digits are ASCII here, so byte slicing stays on char boundaries.
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|d| d.parse::<u32>().ok());
    match digits.len() {
        8 => Some(Written { era: None, year: num(0..4)? as i32, month: num(4..6)?, day: Some(num(6..8)?) }),
        6 => Some(Written { era: None, year: num(0..4)? as i32, month: num(4..6)?, day: None }),
        4 => after_year(c, None, num(0..4)? as i32),
        _ => None,
    }
}

fn year_of_era(c: &mut Cursor) -> Option<i32> {
    c.digits().filter(|d| d.len() <= 2).and_then(|d| d.parse().ok())
}

/// The month and the optional day after the year: `年M月D日` or `/M/D`
/// (also `-` or `.`, the same separator twice).
fn after_year(c: &mut Cursor, era: Option<&'static Era>, year: i32) -> Option<Written> {
    let month_only = |month| Written { era, year, month, day: None };
    if c.eat('年') {
        let month = c.small()?;
        if !c.eat('月') {
            return None;
        }
        let save = c.pos;
        if let Some(day) = c.small() {
            if c.eat('日') {
                return Some(Written { era, year, month, day: Some(day) });
            }
        }
        c.pos = save;
        return Some(month_only(month));
    }
    let sep = c.peek().filter(|s| matches!(s, '/' | '-' | '.'))?;
    c.pos += sep.len_utf8();
    let month = c.small()?;
    let save = c.pos;
    if c.eat(sep) {
        if let Some(day) = c.small() {
            return Some(Written { era, year, month, day: Some(day) });
        }
    }
    c.pos = save;
    Some(month_only(month))
}

/// What birth dates carry after them: an age (`（73歳）`, `(満73歳)`), or
/// 生 / 生まれ (`昭和15年5月10日生`), or both.
fn is_age(rest: &str) -> bool {
    let rest = trim_spaces(rest);
    if let Some(after) = rest.strip_prefix("生まれ").or_else(|| rest.strip_prefix('生')) {
        let after = trim_spaces(after);
        return after.is_empty() || is_age(after);
    }
    let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return false;
    };
    let inner = trim_spaces(inner);
    let inner = inner.strip_prefix('満').unwrap_or(inner);
    let Some(number) = inner.strip_suffix('歳').or_else(|| inner.strip_suffix('才')) else {
        return false;
    };
    let number = trim_spaces(number);
    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// Checking

enum Parsed {
    Day(NaiveDate),
    Month { first: NaiveDate, last: NaiveDate },
}

impl Parsed {
    fn first(&self) -> NaiveDate {
        match self {
            Parsed::Day(d) => *d,
            Parsed::Month { first, .. } => *first,
        }
    }

    fn last(&self) -> NaiveDate {
        match self {
            Parsed::Day(d) => *d,
            Parsed::Month { last, .. } => *last,
        }
    }
}

struct Read {
    parsed: Parsed,
    era: Option<&'static Era>,
}

enum Failure {
    /// Not shaped like a date at all.
    NoShape,
    /// A date followed by other text (given).
    Trailing(String),
    /// Shaped like a date, but no such day or month exists.
    Invalid(TransformError),
}

fn nonexistent(shown: &str, what: &str, why: &str) -> TransformError {
    TransformError::new(format!("{shown}は存在しない{what}です（{why}）"))
}

/// [`read`], naming the input `shown()` in a message: most texts are dates,
/// so the name is made only when one is not (the text is read again).
fn read_shown(t: &str, shown: impl Fn() -> String, inherit: Option<&'static Era>) -> Result<Read, Failure> {
    match read(t, "", inherit) {
        Err(Failure::Invalid(_)) => read(t, &shown(), inherit),
        r => r,
    }
}

/// Reads a whole date or year-month from `t` (already `hankaku`-ed and
/// trimmed); `shown` is the input as the messages quote it.
fn read(t: &str, shown: &str, inherit: Option<&'static Era>) -> Result<Read, Failure> {
    let mut c = Cursor { s: t, pos: 0 };
    let w = parse_written(&mut c, inherit).ok_or(Failure::NoShape)?;
    let rest = trim_spaces(c.rest());
    if !rest.is_empty() && !is_age(rest) {
        return Err(Failure::Trailing(rest.to_string()));
    }
    let parsed = match w.day {
        Some(day) => resolve_day(&w, day, shown),
        None => resolve_month(&w, shown),
    };
    parsed.map(|parsed| Read { parsed, era: w.era }).map_err(Failure::Invalid)
}

fn gregorian_year(w: &Written, shown: &str, what: &str) -> Result<i32, TransformError> {
    match w.era {
        Some(era) if w.year < 1 => {
            Err(nonexistent(shown, what, &format!("{0}0年はありません。最初の年は{0}元年", era.name)))
        }
        Some(era) => Ok(era.first.0 + w.year - 1),
        None if w.year < 1 => Err(nonexistent(shown, what, "0年はありません")),
        None => Ok(w.year),
    }
}

/// `令和7年` or `2025年`, as the message should name the year.
fn year_label(w: &Written) -> String {
    match w.era {
        Some(era) => format!("{}{}年", era.name, era_year(w.year)),
        None => format!("{}年", w.year),
    }
}

fn resolve_day(w: &Written, day: u32, shown: &str) -> Result<Parsed, TransformError> {
    const WHAT: &str = "日付";
    let y = gregorian_year(w, shown, WHAT)?;
    let m = w.month;
    if !(1..=12).contains(&m) {
        return Err(nonexistent(shown, WHAT, "月は1〜12"));
    }
    let last_day = days_in_month(y, m);
    if !(1..=last_day).contains(&day) {
        let why = format!("{}{m}月は{last_day}日まで", year_label(w));
        return Err(nonexistent(shown, WHAT, &why));
    }
    if let Some(era) = w.era {
        if (y, m, day) < era.first {
            return Err(nonexistent(shown, WHAT, &era.bounds_note(true)));
        }
        if era.last.is_some_and(|last| (y, m, day) > last) {
            return Err(nonexistent(shown, WHAT, &era.bounds_note(false)));
        }
    }
    NaiveDate::from_ymd_opt(y, m, day).map(Parsed::Day).ok_or_else(|| nonexistent(shown, WHAT, "暦の範囲外"))
}

fn resolve_month(w: &Written, shown: &str) -> Result<Parsed, TransformError> {
    const WHAT: &str = "年月";
    let y = gregorian_year(w, shown, WHAT)?;
    let m = w.month;
    if !(1..=12).contains(&m) {
        return Err(nonexistent(shown, WHAT, "月は1〜12"));
    }
    let last_day = days_in_month(y, m);
    // A month belongs to an era when any of its days does: 平成31年4月 and
    // 令和元年5月 both exist, 令和元年4月 does not.
    if let Some(era) = w.era {
        if (y, m, last_day) < era.first {
            return Err(nonexistent(shown, WHAT, &era.bounds_note(true)));
        }
        if era.last.is_some_and(|last| (y, m, 1) > last) {
            return Err(nonexistent(shown, WHAT, &era.bounds_note(false)));
        }
    }
    match (NaiveDate::from_ymd_opt(y, m, 1), NaiveDate::from_ymd_opt(y, m, last_day)) {
        (Some(first), Some(last)) => Ok(Parsed::Month { first, last }),
        _ => Err(nonexistent(shown, WHAT, "暦の範囲外")),
    }
}

/// The standard CSV writes `00000000` / `000000` for "no date" (formats.md §1.2).
fn is_placeholder(t: &str) -> bool {
    t.is_empty() || t.bytes().all(|b| b == b'0')
}

const DATE_SHAPES: &str = "20250401、2025/4/1、2025-04-01、2025年4月1日、令和7年4月1日、R7.4.1、R 7/ 4/ 1";
const MONTH_SHAPES: &str = "202504、2025/4、2025年4月、令和7年4月、R7/4";

// ---------------------------------------------------------------------------
// date

const DATE_EXAMPLES: &[Example] = &[
    ok("20250401", "2025-04-01"),
    ok("2025/4/1", "2025-04-01"),
    ok("2025/04/01", "2025-04-01"),
    ok("2025-4-1", "2025-04-01"),
    ok("2025.4.1", "2025-04-01"),
    ok("2025年4月1日", "2025-04-01"),
    ok("２０２５年４月１日", "2025-04-01"),
    ok("令和07年11月29日", "2025-11-29"),
    ok("令和元年5月1日", "2019-05-01"),
    ok("令和 7年12月16日", "2025-12-16"),
    ok("R 8/ 7/ 1", "2026-07-01"),
    ok("R7/01/01", "2025-01-01"),
    ok("H31.4.30", "2019-04-30"),
    ok("r7.4.1", "2025-04-01"),
    ok("Ｒ７．４．１", "2025-04-01"),
    ok("R07年04月01日", "2025-04-01"),
    ok("昭和27年06月21日  （73歳）", "1952-06-21"),
    ok("S27.6.21(73歳)", "1952-06-21"),
    ok("昭和15年5月10日生", "1940-05-10"),
    ok("昭和15年5月10日生まれ（85歳）", "1940-05-10"),
    ok("昭和64年1月7日", "1989-01-07"),
    ok("平成元年1月8日", "1989-01-08"),
    ok("明治45年7月29日", "1912-07-29"),
    ok("大正元年7月30日", "1912-07-30"),
    ok("00000000", ""),
    ok("0", ""),
    ok("", ""),
    ok("#serial:45658", "2025-01-01"),
    ok("#serial:45658.75", "2025-01-01"),
    ok("#serial:1", "1900-01-01"),
    ok("#serial:59", "1900-02-28"),
    ok("#serial:61", "1900-03-01"),
    ok("#serial:20250401", "2025-04-01"),
    err("#serial:60", "存在しない日付"),
    err("#serial:0.5", "日付になりません"),
    err("2025年2月30日", "存在しない日付"),
    err("2025/13/1", "存在しない日付"),
    err("平成31年5月1日", "平成は平成31年4月30日まで"),
    err("令和元年4月30日", "令和は令和元年5月1日から"),
    err("昭和64年1月8日", "存在しない日付"),
    err("令和0年5月1日", "存在しない日付"),
    err("2025/4/1 10:00", "日付の後に余計な文字"),
    err("昭和27年6月21日頃", "日付の後に余計な文字"),
    err("来月", "日付として読めません"),
    err("3/20", "月日だけで年がありません"),
    err("4月1日", "月日だけで年がありません"),
    err("25/4/1", "日付として読めません"),
    err("令和7年4月", "日付として読めません"),
];

fn date(v: Value, _: Option<&str>, ctx: &Context) -> Result<Value, TransformError> {
    match v {
        Value::Empty => Ok(Value::Empty),
        Value::Date(_) => Ok(v),
        Value::Text(s) => Ok(parse_date_text(&s)?.map_or(Value::Empty, Value::Date)),
        Value::Number(n) => from_serial(n, ctx).map(Value::Date),
        other => Err(unreadable_date(&quoted(&other.display()), "")),
    }
}

fn unreadable_date(shown: &str, note: &str) -> TransformError {
    TransformError::new(format!("{shown}は日付として読めません（{note}使える形: {DATE_SHAPES}）"))
}

/// Reads a date in any of the written shapes `date` accepts. `Ok(None)` for
/// an empty text and the placeholders `0` / `00000000`.
pub fn parse_date_text(s: &str) -> Result<Option<NaiveDate>, TransformError> {
    let h = hankaku(s);
    let t = trim_spaces(&h);
    if is_placeholder(t) {
        return Ok(None);
    }
    // How the input is named in a message: made only for one.
    let shown = || quoted(trim_spaces(s));
    match read_shown(t, shown, None) {
        Ok(Read { parsed: Parsed::Day(d), .. }) => Ok(Some(d)),
        Ok(Read { parsed: Parsed::Month { .. }, .. }) => Err(unreadable_date(&shown(), "年月だけで日がありません。")),
        Err(Failure::NoShape) if is_month_day(t) => {
            Err(unreadable_date(&shown(), "月日だけで年がありません。どの年か決められないため読みませんでした。"))
        }
        Err(Failure::NoShape) => Err(unreadable_date(&shown(), "")),
        Err(Failure::Trailing(rest)) => Err(TransformError::new(format!(
            "{}の日付の後に余計な文字{}があります（後に書けるのは「生」と「（73歳）」のような年齢だけです）",
            shown(),
            quoted(&rest)
        ))),
        Err(Failure::Invalid(e)) => Err(e),
    }
}

/// `3/20`, `3月20日`: a month and day without a year.
fn is_month_day(t: &str) -> bool {
    let t = t.trim_end_matches('日');
    let Some((m, d)) = t.split_once(['/', '月', '.', '-']) else { return false };
    let num = |x: &str, max: u32| x.trim().parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    num(m, 12) && num(d, 31)
}

/// The last day Excel can show, 9999-12-31, is serial 2958465 (1900 system).
const EXCEL_MAX_YEAR: i32 = 9999;

/// An Excel date cell read as its number. The 1900 system counts 1900-01-01
/// as 1 and keeps Lotus 1-2-3's 1900-02-29 as serial 60, so later serials are
/// one day ahead of a plain count; the 1904 system counts 1904-01-01 as 0.
fn from_serial(n: f64, ctx: &Context) -> Result<NaiveDate, TransformError> {
    let shown = quoted(&Value::Number(n).display());
    // No serial reaches eight digits, so a number cell holding 20250401 is
    // the YYYYMMDD someone typed, not a day in a far future.
    if let Some(i) = integral(n) {
        if (10_000_101..=99_991_231).contains(&i) {
            return parse_date_text(&i.to_string())?.ok_or_else(|| unreadable_date(&shown, ""));
        }
    }
    let not_a_date = |why: &str| TransformError::new(format!("Excelの日付の値{shown}は日付になりません（{why}）"));
    if !n.is_finite() {
        return Err(not_a_date("数ではありません"));
    }
    let days = n.floor();
    let (base, offset) = if ctx.date1904 {
        if days < 0.0 {
            return Err(not_a_date("1904年日付系では0以上の値が必要です"));
        }
        (NaiveDate::from_ymd_opt(1904, 1, 1), days)
    } else if days < 1.0 {
        return Err(not_a_date("1以上の値が必要です。時刻だけのセルではありませんか"));
    } else if days == 60.0 {
        return Err(TransformError::new(format!(
            "Excelの日付の値{shown}は1900年2月29日で、存在しない日付です（Excelの1900年日付系にだけある日）"
        )));
    } else if days < 60.0 {
        (NaiveDate::from_ymd_opt(1899, 12, 31), days)
    } else {
        (NaiveDate::from_ymd_opt(1899, 12, 30), days)
    };
    // The bound keeps the cast exact; later years are rejected just below.
    if offset > 4_000_000.0 {
        return Err(not_a_date("9999年12月31日より後です"));
    }
    base.and_then(|b| b.checked_add_days(Days::new(offset as u64)))
        .filter(|d| d.year() <= EXCEL_MAX_YEAR)
        .ok_or_else(|| not_a_date("9999年12月31日より後です"))
}

// ---------------------------------------------------------------------------
// yearmonth

const YEARMONTH_EXAMPLES: &[Example] = &[
    ok("202504", "2025-04"),
    ok("000000", ""),
    ok("", ""),
    ok("2025/4", "2025-04"),
    ok("2025年4月", "2025-04"),
    ok("R7年4月", "2025-04"),
    ok("令和7年4月", "2025-04"),
    ok("令和７年４月分", "2025-04"),
    ok("H12年10月", "2000-10"),
    ok("R7/4", "2025-04"),
    ok("平成31年4月", "2019-04"),
    ok("令和元年5月", "2019-05"),
    ok("#serial:202504", "2025-04"),
    ok("#serial:45748", "2025-04"),
    err("202513", "存在しない年月"),
    err("2025年13月", "月は1〜12"),
    err("平成31年5月", "平成は平成31年4月30日まで"),
    err("令和元年4月", "存在しない年月"),
    err("2025/4/1", "年月として読めません"),
    err("4月", "年月として読めません"),
    err("R7年4月末", "年月の後に余計な文字"),
];

fn yearmonth(v: Value, _: Option<&str>, ctx: &Context) -> Result<Value, TransformError> {
    let month_text = |d: NaiveDate| Value::Text(d.format("%Y-%m").to_string());
    match v {
        Value::Empty => Ok(Value::Empty),
        // Excel stores a year-month cell as the first day of the month.
        Value::Date(d) => Ok(month_text(d)),
        Value::Text(s) => Ok(parse_yearmonth_text(&s)?.map_or(Value::Empty, month_text)),
        Value::Number(n) => match integral(n) {
            // Six digits is YYYYMM typed into a number cell; serial 100000 is
            // already in the 22nd century.
            Some(i) if (100_001..=999_912).contains(&i) => {
                Ok(parse_yearmonth_text(&i.to_string())?.map_or(Value::Empty, month_text))
            }
            _ => from_serial(n, ctx).map(month_text),
        },
        other => Err(unreadable_month(&quoted(&other.display()), "")),
    }
}

fn unreadable_month(shown: &str, note: &str) -> TransformError {
    TransformError::new(format!("{shown}は年月として読めません（{note}使える形: {MONTH_SHAPES}）"))
}

/// The first day of the month written in `s`.
fn parse_yearmonth_text(s: &str) -> Result<Option<NaiveDate>, TransformError> {
    let h = hankaku(s);
    let t = trim_spaces(&h);
    if is_placeholder(t) {
        return Ok(None);
    }
    // `令和7年4月分` is how 第6表 heads its month.
    let t = t.strip_suffix('分').unwrap_or(t);
    // How the input is named in a message: made only for one.
    let shown = || quoted(trim_spaces(s));
    match read_shown(t, shown, None) {
        Ok(Read { parsed: Parsed::Month { first, .. }, .. }) => Ok(Some(first)),
        Ok(Read { parsed: Parsed::Day(_), .. }) => Err(unreadable_month(&shown(), "日まで書かれています。")),
        Err(Failure::NoShape) => Err(unreadable_month(&shown(), "")),
        Err(Failure::Trailing(rest)) => Err(TransformError::new(format!(
            "{}の年月の後に余計な文字{}があります（年月だけを書いてください）",
            shown(),
            quoted(&rest)
        ))),
        Err(Failure::Invalid(e)) => Err(e),
    }
}

// ---------------------------------------------------------------------------
// time

const TIME_EXAMPLES: &[Example] = &[
    ok("0600", "06:00"),
    ok("600", "06:00"),
    ok("6:00", "06:00"),
    ok("18:30", "18:30"),
    ok("１８：３０", "18:30"),
    ok("6時", "06:00"),
    ok("6時30分", "06:30"),
    ok("2400", "24:00"),
    ok("24:00", "24:00"),
    ok("9:30:00", "09:30"),
    ok("9999", ""),
    ok("", ""),
    ok("#serial:1230", "12:30"),
    ok("#serial:0.25", "06:00"),
    ok("#serial:9999", ""),
    err("2561", "時刻"),
    err("12:75", "時刻"),
    err("24:30", "時刻"),
    err("abc", "時刻"),
    err("6", "時刻"),
    err("#serial:12.5", "時刻"),
];

fn time(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    let minutes = match &v {
        Value::Empty => return Ok(Value::Empty),
        Value::Time(_) => return Ok(v),
        Value::Text(s) => parse_time_text(s)?,
        Value::Number(n) => time_from_number(*n)?,
        other => return Err(unreadable_time(&quoted(&other.display()))),
    };
    Ok(minutes.map_or(Value::Empty, Value::Time))
}

fn unreadable_time(shown: &str) -> TransformError {
    TransformError::new(format!("{shown}は時刻として読めません（使える形: 0600、600、6:00、6時30分。00:00〜24:00）"))
}

/// Minutes after midnight; 24:00 is allowed because a service may end at
/// midnight (1440).
fn to_minutes(h: u32, m: u32, shown: &str) -> Result<u16, TransformError> {
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(TransformError::new(format!(
            "{shown}は時刻として正しくありません（時は0〜24、分は0〜59、最大24:00）"
        )));
    }
    u16::try_from(h * 60 + m).map_err(|_| unreadable_time(shown))
}

fn parse_time_text(s: &str) -> Result<Option<u16>, TransformError> {
    let h = hankaku(s);
    let t = trim_spaces(&h);
    // The standard CSV writes 9999 for a service without a time (formats.md §1.2).
    if t.is_empty() || t == "9999" {
        return Ok(None);
    }
    let shown = quoted(trim_spaces(s));
    let number = |d: &str, max_len: usize| {
        let d = trim_spaces(d);
        if !d.is_empty() && d.len() <= max_len && d.bytes().all(|b| b.is_ascii_digit()) {
            d.parse::<u32>().ok()
        } else {
            None
        }
    };
    let parts: Option<(u32, u32)> = if t.contains(':') {
        let mut it = t.split(':');
        let hour = it.next().and_then(|d| number(d, 2));
        let minute = it.next().filter(|d| trim_spaces(d).len() == 2).and_then(|d| number(d, 2));
        // Seconds come from cells formatted as times; round to the minute.
        let second = match it.next() {
            None => Some(0),
            Some(d) if trim_spaces(d).len() == 2 => number(d, 2).filter(|&s| s < 60),
            Some(_) => None,
        };
        match (hour, minute, second, it.next()) {
            (Some(h), Some(m), Some(sec), None) if m <= 59 => {
                let m = m + u32::from(sec >= 30);
                Some(if m == 60 { (h + 1, 0) } else { (h, m) })
            }
            (Some(h), Some(m), Some(_), None) => Some((h, m)),
            _ => None,
        }
    } else if let Some((hour, rest)) = t.split_once('時') {
        let minute = match trim_spaces(rest) {
            "" => Some(0),
            r => r.strip_suffix('分').and_then(|d| number(d, 2)),
        };
        number(hour, 2).zip(minute)
    } else if (3..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        let split = t.len() - 2;
        number(&t[..split], 2).zip(number(&t[split..], 2))
    } else {
        None
    };
    let (hour, minute) = parts.ok_or_else(|| unreadable_time(&shown))?;
    to_minutes(hour, minute, &shown).map(Some)
}

/// A number cell is either HHMM typed as a number (1 and above) or an
/// Excel time, a fraction of a day.
fn time_from_number(n: f64) -> Result<Option<u16>, TransformError> {
    let shown = quoted(&Value::Number(n).display());
    if (0.0..1.0).contains(&n) {
        // At most 1440 (24:00), so the cast is exact.
        return Ok(Some((n * 1440.0).round() as u16));
    }
    match integral(n) {
        Some(9999) => Ok(None),
        Some(i) if (1..=2400).contains(&i) => {
            let i = i as u32;
            to_minutes(i / 100, i % 100, &shown).map(Some)
        }
        _ => Err(unreadable_time(&shown)),
    }
}

// ---------------------------------------------------------------------------
// period

const PERIOD_EXAMPLES: &[Example] = &[
    ok("令和06年07月29日  ～  令和08年07月31日", "2024-07-29..2026-07-31"),
    ok("R 8/ 7/ 1～R 8/12/31", "2026-07-01..2026-12-31"),
    ok("R7/01/01～R9/12/31", "2025-01-01..2027-12-31"),
    ok("2025-04-01 - 2025-09-30", "2025-04-01..2025-09-30"),
    ok("2025/4/1-2025/9/30", "2025-04-01..2025-09-30"),
    ok("20250401~20250930", "2025-04-01..2025-09-30"),
    ok("R7.4.1〜R8.3.31", "2025-04-01..2026-03-31"),
    ok("R7.4.1ーR8.3.31", "2025-04-01..2026-03-31"),
    ok("R7年4月～R8年3月", "2025-04-01..2026-03-31"),
    ok("令和7年4月1日～8年3月31日", "2025-04-01..2026-03-31"),
    ok("R7.4.1～", "2025-04-01.."),
    ok("～R8.3.31", "..2026-03-31"),
    ok("2025-04-01", "2025-04-01.."),
    ok("R7年4月", "2025-04-01.."),
    ok("#serial:45748", "2025-04-01.."),
    ok("6ヶ月", ".."),
    ok("次回認定まで", ".."),
    ok("令和7年4月1日から令和9年3月31日まで", "2025-04-01..2027-03-31"),
    ok("R7.4.1から", "2025-04-01.."),
    ok("R7/4/1～9/30", ".."),
    ok("", ""),
    ok("#serial:45658", "2025-01-01.."),
    err("令和元年4月30日～令和2年3月31日", "存在しない日付"),
    err("2025/2/30～2025/3/31", "存在しない日付"),
    err("2025-04-01 - 2025-09-31", "存在しない日付"),
    err("平成31年5月1日～", "平成は平成31年4月30日まで"),
    err("2025/2/29", "存在しない日付"),
];

fn period(v: Value, _: Option<&str>, ctx: &Context) -> Result<Value, TransformError> {
    let single =
        |d: NaiveDate| Value::Period(Period { from: Some(d), to: None, raw: d.format("%Y-%m-%d").to_string() });
    match v {
        Value::Empty | Value::Period(_) => Ok(v),
        Value::Date(d) => Ok(single(d)),
        Value::Number(n) => from_serial(n, ctx).map(single),
        Value::Text(s) => {
            let p = parse_period_text(&s)?;
            Ok(if p.raw.is_empty() { Value::Empty } else { Value::Period(p) })
        }
        other => Err(TransformError::new(format!(
            "{}は期間として読めません（例: 令和7年4月1日～令和8年3月31日）",
            quoted(&other.display())
        ))),
    }
}

/// Reads `from～to`. Either end may be empty (open), a date, or a
/// year-month (standing for its first or last day); a lone date or
/// year-month is a period of that day or month. Anything else stays free
/// text (`6ヶ月`, `次回認定まで`) with both ends `None`, because the standard
/// defines periods as free text (formats.md §1.4 UP2KYO). A date that
/// cannot exist is an error even there: it is a typing mistake.
///
/// `raw` keeps the input trimmed, as written; it is empty only for an empty
/// input or the placeholder `00000000`.
pub fn parse_period_text(s: &str) -> Result<Period, TransformError> {
    // Readings remembered per thread: a plan's 第2表 rows repeat their
    // periods (a standard CSV writes three on every row), and the plans of
    // one office and year the same few.
    thread_local! {
        static PERIODS: std::cell::RefCell<crate::memo::Memo<Result<Period, TransformError>>> = Default::default();
    }
    crate::memo::remembered(&PERIODS, crate::memo::STATIC, s, read_period_text)
}

fn read_period_text(s: &str) -> Result<Period, TransformError> {
    let raw = trim_spaces(s).to_string();
    let h = hankaku(&raw);
    let t = trim_spaces(&h);
    if is_placeholder(t) {
        return Ok(Period::default());
    }
    // `令和7年4月1日から令和9年3月31日まで`: から separates the ends.
    let spelled;
    // Found with a searcher built once: every 第2表 row of a standard CSV
    // has three periods, and few of them are spelled out.
    static KARA: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("から"));
    let t = match KARA.find(t.as_bytes()).map(|i| (&t[..i], &t[i + "から".len()..])) {
        Some((from, to)) => {
            let to = to.trim_end_matches("まで").trim_end_matches('迄');
            spelled = format!("{from}~{to}");
            spelled.as_str()
        }
        None => t,
    };
    let strong = t.char_indices().filter(|&(_, c)| matches!(c, '~' | '〜' | 'ー'));
    // `-` also sits inside `2025-04-01`, so it separates only when both
    // sides are dates.
    let hyphens = t.char_indices().filter(|&(_, c)| c == '-');
    let mut impossible = None;
    for ((i, c), open_allowed) in strong.map(|x| (x, true)).chain(hyphens.map(|x| (x, false))) {
        match range(&t[..i], &t[i + c.len_utf8()..], open_allowed) {
            Ok(Some((from, to))) => return Ok(Period { from, to, raw }),
            Ok(None) => {}
            Err(e) => {
                impossible.get_or_insert(e);
            }
        }
    }
    // A lone date (or month) is where the period starts: the 記載要領 lets a
    // plan write only the start when the end cannot be fixed. Reading it as
    // a period of that one day would make it end the day it begins.
    match side(t, None) {
        Ok(Some(read)) => return Ok(Period { from: Some(read.parsed.first()), to: None, raw }),
        Err(Failure::Invalid(e)) => return Err(e),
        _ => {}
    }
    match impossible {
        Some(e) => Err(e),
        None => Ok(Period { from: None, to: None, raw }),
    }
}

/// One end of a period: `None` when open.
fn side(t: &str, inherit: Option<&'static Era>) -> Result<Option<Read>, Failure> {
    let t = trim_spaces(t);
    if is_placeholder(t) {
        return Ok(None);
    }
    read_shown(t, || quoted(t), inherit).map(Some)
}

type Range = (Option<NaiveDate>, Option<NaiveDate>);

/// `Ok(None)` when `left`/`right` are not both dates (so the text is not a
/// range split here).
fn range(left: &str, right: &str, open_allowed: bool) -> Result<Option<Range>, TransformError> {
    let left = side(left, None);
    let inherit = match &left {
        Ok(Some(read)) => read.era,
        _ => None,
    };
    let right = side(right, inherit);
    let (left, right) = match (left, right) {
        (Err(Failure::Invalid(e)), _) | (_, Err(Failure::Invalid(e))) => return Err(e),
        (Ok(l), Ok(r)) => (l, r),
        _ => return Ok(None),
    };
    if !open_allowed && (left.is_none() || right.is_none()) {
        return Ok(None);
    }
    Ok(Some((left.map(|r| r.parsed.first()), right.map(|r| r.parsed.last()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn msg<T: std::fmt::Debug>(r: Result<T, TransformError>) -> String {
        r.expect_err("should fail").message
    }

    #[test]
    fn era_boundaries_are_exact() {
        for (ok_text, want) in [
            ("明治元年10月23日", d(1868, 10, 23)),
            ("大正15年12月24日", d(1926, 12, 24)),
            ("昭和元年12月25日", d(1926, 12, 25)),
            ("平成31年4月30日", d(2019, 4, 30)),
            ("令和元年5月1日", d(2019, 5, 1)),
        ] {
            assert_eq!(parse_date_text(ok_text), Ok(Some(want)), "{ok_text}");
        }
        for bad in ["明治元年10月22日", "大正元年7月29日", "大正15年12月25日", "昭和元年12月24日", "平成元年1月7日"]
        {
            assert!(msg(parse_date_text(bad)).contains("存在しない日付"), "{bad}");
        }
    }

    #[test]
    fn era_messages_name_the_neighbour() {
        let m = msg(parse_date_text("平成31年5月1日"));
        assert!(m.contains("翌日からは令和元年5月1日"), "{m}");
        let m = msg(parse_date_text("令和元年4月30日"));
        assert!(m.contains("前日までは平成31年4月30日"), "{m}");
        let m = msg(parse_date_text("R1.4.30"));
        assert!(m.contains("「R1.4.30」"), "{m}");
    }

    #[test]
    fn leap_years() {
        assert_eq!(parse_date_text("2024/2/29"), Ok(Some(d(2024, 2, 29))));
        assert_eq!(parse_date_text("2000/2/29"), Ok(Some(d(2000, 2, 29))));
        let m = msg(parse_date_text("1900/2/29"));
        assert!(m.contains("1900年2月は28日まで"), "{m}");
        let m = msg(parse_date_text("令和7年2月29日"));
        assert!(m.contains("令和7年2月は28日まで"), "{m}");
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for s in [
            "R",
            "令和",
            "令和元",
            "令和元年",
            "R7/",
            "R7/4/",
            "2025年",
            "2025年4",
            "2025年4月1",
            "(73歳)",
            "R7.4.1(",
            "～",
            "ー",
            "-",
            "--",
            "1-2-3",
            "９９９９９９９９９",
            "R７年４月１日（",
            "昭和27年06月21日（歳）",
            "令和\u{3000}7年1月1日",
            "ｒ7.1.1",
            "Ｈ",
            "💡2025/1/1",
        ] {
            let _ = parse_date_text(s);
            let _ = parse_period_text(s);
            let _ = parse_yearmonth_text(s);
            let _ = parse_time_text(s);
        }
    }

    #[test]
    fn date_shapes_need_the_same_separator_and_short_parts() {
        assert!(parse_date_text("2025/4-1").is_err());
        assert!(parse_date_text("2025/004/01").is_err());
        assert!(parse_date_text("R123.4.1").is_err());
        assert!(parse_date_text("2025 04 01").is_err());
        assert_eq!(parse_date_text("令和\u{3000}7年1月1日"), Ok(Some(d(2025, 1, 1))));
        assert_eq!(parse_date_text("昭和27年6月21日(満73歳)"), Ok(Some(d(1952, 6, 21))));
    }

    #[test]
    fn date_passes_dates_and_rejects_other_kinds() {
        let ctx = Context::default();
        assert_eq!(date(Value::Date(d(2025, 1, 1)), None, &ctx), Ok(Value::Date(d(2025, 1, 1))));
        assert!(msg(date(Value::Bool(true), None, &ctx)).contains("日付として読めません"));
        assert!(msg(date(Value::Time(60), None, &ctx)).contains("日付として読めません"));
    }

    #[test]
    fn excel_serials() {
        let v1904 = Context { date1904: true };
        assert_eq!(from_serial(0.0, &v1904), Ok(d(1904, 1, 1)));
        // The two systems are 1462 days apart: 45658 in 1900 is 44196 in 1904.
        assert_eq!(from_serial(44196.0, &v1904), Ok(d(2025, 1, 1)));
        assert!(from_serial(-1.0, &v1904).is_err());
        let std = Context::default();
        assert_eq!(from_serial(2_958_465.0, &std), Ok(d(9999, 12, 31)));
        assert!(from_serial(2_958_466.0, &std).is_err());
        assert!(from_serial(f64::NAN, &std).is_err());
        assert!(from_serial(f64::INFINITY, &std).is_err());
        assert!(from_serial(1e300, &std).is_err());
        assert!(from_serial(-5.0, &std).is_err());
        assert!(msg(from_serial(20_250_230.0, &std)).contains("存在しない日付"));
    }

    #[test]
    fn times() {
        assert_eq!(parse_time_text("0000"), Ok(Some(0)));
        assert_eq!(parse_time_text("23:59:45"), Ok(Some(1440)));
        assert_eq!(parse_time_text("9:59:30"), Ok(Some(600)));
        assert!(parse_time_text("6:0").is_err());
        assert!(parse_time_text("6:00:00:00").is_err());
        assert!(parse_time_text("１２時半").is_err());
        assert!(parse_time_text("12345").is_err());
        assert_eq!(time_from_number(0.0), Ok(Some(0)));
        assert_eq!(time_from_number(0.99999), Ok(Some(1440)));
        assert!(time_from_number(-0.5).is_err());
        assert!(time_from_number(f64::NAN).is_err());
        assert!(time_from_number(10000.0).is_err());
        let ctx = Context::default();
        assert_eq!(time(Value::Time(90), None, &ctx), Ok(Value::Time(90)));
        assert!(msg(time(Value::Bool(true), None, &ctx)).contains("時刻"));
    }

    #[test]
    fn periods_keep_raw_text() {
        let p = parse_period_text("  R 8/ 7/ 1～R 8/12/31 ").expect("period");
        assert_eq!(p.raw, "R 8/ 7/ 1～R 8/12/31");
        assert_eq!((p.from, p.to), (Some(d(2026, 7, 1)), Some(d(2026, 12, 31))));
        let p = parse_period_text("次回認定まで").expect("period");
        assert_eq!(p, Period { from: None, to: None, raw: "次回認定まで".into() });
        assert_eq!(parse_period_text("00000000"), Ok(Period::default()));
        let p = parse_period_text("～").expect("period");
        assert_eq!((p.from, p.to, p.raw.as_str()), (None, None, "～"));
    }

    #[test]
    fn period_hyphen_needs_dates_on_both_sides() {
        let p = parse_period_text("2025/4/1-").expect("period");
        assert_eq!((p.from, p.to), (None, None));
        let p = parse_period_text("R7-4-1-R8-3-31").expect("period");
        assert_eq!((p.from, p.to), (Some(d(2025, 4, 1)), Some(d(2026, 3, 31))));
        let p = parse_period_text("2025-04-2025-09").expect("period");
        assert_eq!((p.from, p.to), (Some(d(2025, 4, 1)), Some(d(2025, 9, 30))));
    }

    #[test]
    fn period_month_side_checks_era() {
        assert!(msg(parse_period_text("平成31年5月～令和2年3月")).contains("存在しない年月"));
        let ctx = Context::default();
        assert!(period(Value::Bool(true), None, &ctx).is_err());
        let p = period(Value::Date(d(2025, 1, 1)), None, &ctx).expect("period");
        assert_eq!(p.display(), "2025-01-01..");
    }
}
