//! 和暦 (Japanese era) dates as the forms print them: `令和7年4月1日`,
//! `令和元年5月1日`.

use chrono::{Datelike, NaiveDate};

/// Era start dates, newest first.
const ERAS: [(&str, i32, u32, u32); 5] =
    [("令和", 2019, 5, 1), ("平成", 1989, 1, 8), ("昭和", 1926, 12, 25), ("大正", 1912, 7, 30), ("明治", 1868, 10, 23)];

/// `令和7年4月1日`; dates before 明治 are written in the Western calendar.
pub fn date(d: NaiveDate) -> String {
    for (name, y, m, day) in ERAS {
        let start = NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN);
        if d >= start {
            let year = d.year() - y + 1;
            let year = if year == 1 { "元".to_string() } else { year.to_string() };
            return format!("{name}{year}年{}月{}日", d.month(), d.day());
        }
    }
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
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
