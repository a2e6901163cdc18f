//! A 第2表 頻度 read as far as the rules need it: times per week, the
//! weekdays it names, and whether it is weekly at all.
//!
//! 「週1回（月曜）」 names Monday and is weekly; 「月1回」 is monthly. A
//! weekday is a day character followed by 曜, or one of a list of days
//! (月・木, 月〜金, (水)); a 月 followed by a number or に is a month.

const DAYS: [char; 7] = ['月', '火', '水', '木', '金', '土', '日'];

/// What a normalised 頻度 says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Freq {
    /// `週n回` (or `週n`): n.
    pub per_week: Option<u32>,
    /// The weekdays named, bit 0 = 月 … bit 6 = 日.
    pub days: u8,
    /// 週, 毎日, weekdays or 平日: a weekly rhythm.
    pub weekly: bool,
}

impl Freq {
    pub fn day_count(&self) -> u32 {
        self.days.count_ones()
    }
}

fn day_index(c: char) -> Option<usize> {
    DAYS.iter().position(|d| *d == c)
}

/// Reads a normalised 頻度 (NFKC, no white space).
pub fn parse(f: &str) -> Freq {
    // A 頻度 is a few characters: kept on the stack.
    let chars: smallvec::SmallVec<[char; 24]> = f.chars().collect();
    let mut out = Freq::default();
    // 週n回 / 週n
    if let Some(i) = chars.iter().position(|c| *c == '週') {
        let digits: String = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse::<u32>() {
            if n > 0 && n <= 14 {
                out.per_week = Some(n);
            }
        }
        out.weekly = true;
    }
    // 毎日・連日・平日・土日, read off the character pairs in one pass (the
    // audit reads every service's 頻度).
    let (mut every_day, mut weekdays, mut weekend) = (false, false, false);
    for w in chars.windows(2).filter(|w| w[1] == '日') {
        match w[0] {
            '毎' | '連' => every_day = true,
            '平' => weekdays = true,
            '土' => weekend = true,
            _ => {}
        }
    }
    if every_day {
        out.weekly = true;
        out.days = 0x7F;
    }
    if weekdays {
        out.weekly = true;
        out.days |= 0x1F;
    }
    // Weekdays: 月〜金 ranges, lists and 曜.
    let is_sep = |c: char| matches!(c, '・' | '、' | ',' | '/' | '(' | ')' | '「' | '」');
    for (i, c) in chars.iter().enumerate() {
        let Some(d) = day_index(*c) else { continue };
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| chars[p]);
        // 月 before a number or に is a month (月1回, 月に2回); 日 after a number is a date.
        if next.is_some_and(|n| n.is_ascii_digit() || n == 'に' || n == '間') {
            continue;
        }
        if prev.is_some_and(|p| p.is_ascii_digit() || p == '毎' || p == '隔' || (p == '土' && *c == '日')) {
            continue;
        }
        let named = next == Some('曜')
            || next.is_some_and(|n| is_sep(n) || day_index(n).is_some() || matches!(n, '〜' | '~' | '-' | 'ー'))
            || prev.is_some_and(|p| is_sep(p) || day_index(p).is_some() || matches!(p, '〜' | '~' | '-'))
            || (next.is_none() && prev.is_some_and(|p| p == '(' || p == '回'));
        if !named {
            continue;
        }
        out.days |= 1 << d;
        out.weekly = true;
        // A range 月〜金.
        if matches!(next, Some('〜' | '~' | '-')) {
            if let Some(e) = chars.get(i + 2).and_then(|c| day_index(*c)) {
                for k in d..=e {
                    out.days |= 1 << k;
                }
            }
        }
    }
    // 土日 written together.
    if weekend {
        out.days |= 0x60;
        out.weekly = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Freq {
        parse(&crate::text::norm_cow(s))
    }

    #[test]
    fn weekdays_are_not_months() {
        let f = p("週1回（月曜）");
        assert_eq!((f.per_week, f.days, f.weekly), (Some(1), 1, true));
        let f = p("月1回");
        assert_eq!((f.per_week, f.days, f.weekly), (None, 0, false));
        assert!(!p("月に2回").weekly);
        let f = p("週2回（月・木）");
        assert_eq!((f.per_week, f.day_count()), (Some(2), 2));
        assert_eq!(p("月〜金").day_count(), 5);
        assert_eq!(p("(水)").day_count(), 1);
        assert_eq!(p("毎日").day_count(), 7);
        assert_eq!(p("週3").per_week, Some(3));
        assert!(!p("1日2回").weekly);
        assert_eq!(p("月・水・金").day_count(), 3);
        assert_eq!(p("土日").day_count(), 2);
        assert!(!p("随時").weekly);
    }
}
