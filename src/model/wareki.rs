//! 和暦 (Japanese era) dates as the forms print them: `令和7年4月1日`,
//! `令和元年5月1日`.

use chrono::{Datelike, NaiveDate};

/// (year, month, day) of the Gregorian calendar.
pub type Ymd = (i32, u32, u32);

/// A Japanese era: its name, the letter people write for it (R7.4.1), and
/// the days it begins and ends on (改元の日).
pub struct Era {
    pub name: &'static str,
    pub letter: char,
    pub first: Ymd,
    pub last: Option<Ymd>,
}

/// The days each era begins and ends on (改元の日), in order.
pub const ERAS: &[Era] = &[
    Era { name: "明治", letter: 'M', first: (1868, 10, 23), last: Some((1912, 7, 29)) },
    Era { name: "大正", letter: 'T', first: (1912, 7, 30), last: Some((1926, 12, 24)) },
    Era { name: "昭和", letter: 'S', first: (1926, 12, 25), last: Some((1989, 1, 7)) },
    Era { name: "平成", letter: 'H', first: (1989, 1, 8), last: Some((2019, 4, 30)) },
    Era { name: "令和", letter: 'R', first: (2019, 5, 1), last: None },
];

impl Era {
    /// A Gregorian day written in this era, `令和元年5月1日`.
    pub fn write(&self, (y, m, d): Ymd) -> String {
        format!("{}{}年{m}月{d}日", self.name, era_year(y - self.first.0 + 1))
    }

    fn index(&self) -> usize {
        ERAS.iter().position(|e| e.name == self.name).unwrap_or(0)
    }

    /// Why a day outside the era cannot be written in it, naming the
    /// neighbouring era so the reader sees which one was meant.
    pub fn bounds_note(&self, before: bool) -> String {
        let i = self.index();
        if before {
            let prev = i.checked_sub(1).and_then(|p| ERAS.get(p));
            match (prev, prev.and_then(|p| p.last)) {
                (Some(p), Some(last)) => {
                    format!("{}は{}から。前日までは{}", self.name, self.write(self.first), p.write(last))
                }
                _ => format!("{}は{}から", self.name, self.write(self.first)),
            }
        } else {
            let last = self.last.unwrap_or(self.first);
            match ERAS.get(i + 1) {
                Some(next) => format!("{}は{}まで。翌日からは{}", self.name, self.write(last), next.write(next.first)),
                None => format!("{}は{}まで", self.name, self.write(last)),
            }
        }
    }
}

/// `元` for the first year of an era, else the number.
pub fn era_year(n: i32) -> String {
    if n == 1 {
        "元".to_string()
    } else {
        n.to_string()
    }
}

/// `令和7年4月1日`; dates before 明治 are written in the Western calendar.
pub fn date(d: NaiveDate) -> String {
    let ymd = (d.year(), d.month(), d.day());
    match ERAS.iter().rev().find(|e| ymd >= e.first) {
        Some(era) => era.write(ymd),
        None => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

/// `令和7年4月1日`, or empty for no date.
pub fn opt(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// `2025-10` (対象年月) as `令和7年10月`; other text is kept as written.
pub fn month(ym: &str) -> String {
    let parsed = ym.split_once('-').and_then(|(y, m)| {
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        NaiveDate::from_ymd_opt(y, m, 1)
    });
    match parsed {
        // The era of the month's last day: 2019-05 is 令和元年5月.
        Some(first) => {
            let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
            let full = date(last);
            full[..full.rfind('月').map(|i| i + '月'.len_utf8()).unwrap_or(full.len())].to_string()
        }
        None => ym.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn months() {
        assert_eq!(month("2025-10"), "令和7年10月");
        assert_eq!(month("2019-05"), "令和元年5月");
        assert_eq!(month("2019-04"), "平成31年4月");
        assert_eq!(month("不明"), "不明");
    }

    #[test]
    fn eras_and_first_years() {
        assert_eq!(date(d(2025, 4, 1)), "令和7年4月1日");
        assert_eq!(date(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(date(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(date(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(date(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(date(d(1952, 6, 21)), "昭和27年6月21日");
        assert_eq!(date(d(1912, 7, 30)), "大正元年7月30日");
        assert_eq!(date(d(1900, 1, 1)), "明治33年1月1日");
    }
}
