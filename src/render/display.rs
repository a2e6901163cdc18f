//! How places, periods and vendor text read where people read them: the
//! PDFs, the workbooks, the CSV tables and the terminal. The JSON outputs keep
//! the values as read (the path as given, the period as written); these
//! helpers only shape what is printed.
//!
//! - A place names its file relative to the input folder given on the command
//!   line (`さくら/UP2KYO_….CSV`), a workbook cell as Excel users say it
//!   (`シート「第2表」セル C12`), a CSV position as a row and a column letter
//!   (`35行目・G列`, the row and column Excel shows when it opens the file).
//! - A period prints in the one 和暦 style of the forms' dates
//!   (`令和7年4月1日～令和7年9月30日`), not as the vendor wrote it
//!   (`R 7/ 4/ 1～R 7/ 9/30`).
//! - Half-width katakana of vendor exports (`ｹｱﾌﾟﾗﾝ`) prints full-width
//!   (`ケアプラン`).

use crate::diag::{a1, Source};
use crate::model::plan::PeriodJson;
use crate::model::wareki;
use regex::Regex;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The input paths of a run, to name its files relative to them.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// Each input and the part of its path that a printed name drops: the
    /// folder itself for a single input folder; its parent when several
    /// inputs were given (so `office1/a.csv` and `office2/a.csv` stay apart)
    /// or when the input is a file (its name is what is left).
    roots: Vec<(PathBuf, PathBuf)>,
}

impl Places {
    pub fn new(inputs: &[PathBuf]) -> Places {
        let several = inputs.len() > 1;
        let roots = inputs
            .iter()
            .map(|input| {
                let folder = std::fs::metadata(input).map(|m| m.is_dir()).unwrap_or(true);
                let dropped = if folder && !several {
                    input.clone()
                } else {
                    input.parent().map(Path::to_path_buf).unwrap_or_default()
                };
                (input.clone(), dropped)
            })
            .collect();
        Places { roots }
    }

    /// A file's name as printed: relative to the input it was found under
    /// (the longest input that holds it), else as given.
    pub fn file<'a>(&self, file: &'a str) -> Cow<'a, str> {
        let path = Path::new(file);
        let best = self
            .roots
            .iter()
            .filter(|(input, _)| path.starts_with(input))
            .max_by_key(|(input, _)| input.as_os_str().len());
        match best.and_then(|(_, dropped)| path.strip_prefix(dropped).ok()) {
            Some(rest) if !rest.as_os_str().is_empty() => Cow::Owned(slashed(rest)),
            _ => Cow::Borrowed(file),
        }
    }

    /// A copy of `s` naming its file as printed.
    pub fn source(&self, s: &Source) -> Source {
        match self.file(&s.file) {
            Cow::Borrowed(_) => s.clone(),
            Cow::Owned(f) => Source { file: f.into(), ..s.clone() },
        }
    }

    /// What the printed names depend on, for the incremental run's settings:
    /// the same plan read through another input path prints other names.
    pub fn fingerprint(&self) -> String {
        self.roots.iter().map(|(_, d)| d.display().to_string()).collect::<Vec<_>>().join("\n")
    }
}

/// Path components joined with `/` (the names people see are the same on
/// every system; the JSON keeps the path as given).
fn slashed(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A place as people say it: `さくら/第2表.xlsx シート「第2表」セル C12`,
/// `さくら/UP2KYO.CSV 35行目・G列`, `さくら/UP2KYO.CSV 35行目`.
pub fn place(s: &Source) -> String {
    let mut out = full_width_kana(&s.file).into_owned();
    if let Some(sheet) = &s.sheet {
        out.push_str(&format!(" シート「{}」", full_width_kana(sheet)));
    }
    if let Some(cell) = &s.cell {
        // `シート「第2表」セル C12`: no space after the closing bracket.
        let gap = if s.sheet.is_some() { "" } else { " " };
        out.push_str(&format!("{gap}セル {cell}"));
    }
    match (s.line, s.column) {
        (Some(line), Some(col)) => out.push_str(&format!(" {line}行目・{}列", column_letters(col))),
        (Some(line), None) => out.push_str(&format!(" {line}行目")),
        (None, Some(col)) => out.push_str(&format!(" {}列", column_letters(col))),
        (None, None) => {}
    }
    out
}

/// Excel's letters of a 1-based column: 1 → `A`, 7 → `G`, 27 → `AA`.
pub fn column_letters(col: u32) -> String {
    let a1 = a1(0, col.saturating_sub(1));
    a1.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
}

/// A period in the forms' 和暦 style: `令和7年4月1日～令和7年9月30日`,
/// `令和7年4月1日～` (open end); as written when it was not read as dates.
pub fn period(p: &PeriodJson) -> String {
    match (p.from, p.to) {
        (None, None) => full_width_kana(p.raw.trim()).into_owned(),
        (Some(a), Some(b)) if a == b => wareki::date(a),
        (a, b) => format!("{}～{}", wareki::opt(a), wareki::opt(b)),
    }
}

/// A value kept as text for the list of values the forms have no place for
/// (`ケアプラン登録年月日: 2025-03-25`, `利用者補足情報(2025-10).認定日: …`):
/// its ISO dates and bracketed months, which the mappings wrote when they
/// read a date, print in 和暦 like every other date (`令和7年3月25日`,
/// `(令和7年10月)`). Digits that are not a real date stay as they are.
pub fn dates_in_text(s: &str) -> Cow<'_, str> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(^|[^0-9])([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?([^0-9]|$)").expect("a fixed pattern")
    });
    if !s.as_bytes().windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b'-' && w[2].is_ascii_digit()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut last = 0;
    let mut at = 0;
    // Matches one by one (not replace_all): a match's trailing boundary may
    // be the leading boundary of the next date (`2025-04-01～2025-09-30`).
    while let Some(c) = ISO.captures_at(s, at) {
        let (y, m) = (&c[2], &c[3]);
        let whole = c.get(0).expect("group 0");
        let (start, end) = (c.get(2).expect("year").start(), c.get(4).or(c.get(3)).expect("month").end());
        let bracketed_month = c.get(4).is_none() && c[1].ends_with('(') && c[5].starts_with(')');
        let printed = match c.get(4) {
            Some(d) => format!("{y}-{m}-{}", d.as_str()).parse::<chrono::NaiveDate>().ok().map(wareki::date),
            None if bracketed_month => {
                let ym = format!("{y}-{m}");
                let w = wareki::month(&ym);
                (w != ym).then_some(w)
            }
            None => None,
        };
        if let Some(p) = printed {
            out.push_str(&s[last..start]);
            out.push_str(&p);
            last = end;
        }
        at = end.max(whole.start() + 1);
    }
    if last == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// What a rule needs, as people name it (a rule that could not be checked
/// says which table the inputs lacked).
pub fn needs(n: crate::audit::Needs) -> &'static str {
    use crate::audit::Needs::*;
    match n {
        Table1 => "第1表",
        Table2 => "第2表",
        Table3 => "第3表",
        Table4 => "第4表",
        Table5 => "第5表",
        Table6 => "第6表",
        Table7 => "第7表",
        Table6Totals => "第6表の合計回数",
        Table4Form => "第4表（サービス担当者会議の要点）",
        Table5Form => "第5表（居宅介護支援経過）",
        Records => "第4表または第5表",
        Consent => "説明・同意日",
        AuditDate => "点検日",
    }
}

/// The full-width letters of U+FF61..=U+FF9F (｡ to ﾟ), in order.
const FULL: [char; 63] = [
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー', 'ア', 'イ', 'ウ',
    'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ',
    'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル',
    'レ', 'ロ', 'ワ', 'ン', '゛', '゜',
];

fn half_width(c: char) -> bool {
    ('\u{FF61}'..='\u{FF9F}').contains(&c)
}

/// Half-width katakana (and its punctuation) as full-width, a sound mark
/// joined to the letter before it: `ｹｱﾌﾟﾗﾝ` → `ケアプラン`, `ｳﾞ` → `ヴ`.
/// Everything else is kept as it is (full-width ASCII, symbols, spaces).
pub fn full_width_kana(s: &str) -> Cow<'_, str> {
    if !s.chars().any(half_width) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !half_width(c) {
            out.push(c);
            continue;
        }
        let full = FULL[(c as u32 - 0xFF61) as usize];
        // ﾞ and ﾟ after a letter that takes them: one letter (ガ, パ, ヴ).
        let mark = match c {
            '\u{FF9E}' => Some('\u{3099}'),
            '\u{FF9F}' => Some('\u{309A}'),
            _ => None,
        };
        let joined = mark.and_then(|m| {
            let last = out.chars().next_back()?;
            unicode_normalization::char::compose(last, m).map(|j| (last, j))
        });
        match joined {
            Some((last, j)) => {
                out.truncate(out.len() - last.len_utf8());
                out.push(j);
            }
            None => out.push(full),
        }
    }
    Cow::Owned(out)
}

/// A JSON document (a template's `/data.json`) with every half-width
/// katakana shown full-width: these characters are never part of JSON's
/// syntax, so the text of every string changes and nothing else.
pub fn full_width_kana_json(data: Vec<u8>) -> Vec<u8> {
    // U+FF61..=U+FF9F is EF BD A1..EF BE 9F in UTF-8.
    if !data.windows(2).any(|w| w[0] == 0xEF && (w[1] == 0xBD || w[1] == 0xBE)) {
        return data;
    }
    match std::str::from_utf8(&data) {
        Ok(text) => match full_width_kana(text) {
            Cow::Borrowed(_) => data,
            Cow::Owned(s) => s.into_bytes(),
        },
        Err(_) => data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn half_width_katakana_prints_full_width() {
        assert_eq!(full_width_kana("ｹｱﾌﾟﾗﾝあさひ"), "ケアプランあさひ");
        assert_eq!(full_width_kana("通所ﾘﾊﾋﾞﾘ"), "通所リハビリ");
        assert_eq!(full_width_kana("ﾍﾙﾊﾟｰｽﾃｰｼｮﾝ虹ﾃﾞｲｻｰﾋﾞｽ和"), "ヘルパーステーション虹デイサービス和");
        assert_eq!(full_width_kana("ｳﾞｨ ｶﾞｯｺｳ｡｢ｱ｣､･"), "ヴィ ガッコウ。「ア」、・");
        // A mark after a letter that does not take it stays a mark.
        assert_eq!(full_width_kana("ｱﾞ Aﾟ"), "ア゛ A゜");
        // Nothing else changes: full-width ASCII, half-width ASCII, kanji.
        assert!(matches!(full_width_kana("ＡＢＣ abc 山田 ①"), Cow::Borrowed(_)));
        let out = full_width_kana_json(r#"{"kind":"ﾘﾊﾋﾞﾘ","n":1}"#.as_bytes().to_vec());
        assert_eq!(String::from_utf8(out).expect("utf-8"), r#"{"kind":"リハビリ","n":1}"#);
    }

    #[test]
    fn places_read_as_excel_users_say_them() {
        let cell = Source::cell("さくら/計画.xlsx", "第2表", 11, 2);
        assert_eq!(place(&cell), "さくら/計画.xlsx シート「第2表」セル C12");
        assert_eq!(place(&Source::csv("UP2KYO.CSV", 35, 7)), "UP2KYO.CSV 35行目・G列");
        assert_eq!(place(&Source::line("UP2KYO.CSV", 3)), "UP2KYO.CSV 3行目");
        assert_eq!(place(&Source::file("ﾃﾞｰﾀ.csv")), "データ.csv");
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(27), "AA");
    }

    #[test]
    fn files_are_named_relative_to_the_input_folder() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        let input = dir.join("exports");
        std::fs::create_dir_all(input.join("さくら")).expect("mkdir");
        let file = input.join("さくら").join("UP2KYO.CSV");
        std::fs::write(&file, b"").expect("write");
        let places = Places::new(std::slice::from_ref(&input));
        assert_eq!(places.file(&file.display().to_string()), "さくら/UP2KYO.CSV");
        // Not under any input: as given.
        assert_eq!(places.file("/elsewhere/x.csv"), "/elsewhere/x.csv");
        // The input itself (a missing folder, say): as given.
        assert_eq!(places.file(&input.display().to_string()), input.display().to_string());
        // Several inputs: each file keeps its input folder's name.
        let other = dir.join("others");
        std::fs::create_dir_all(&other).expect("mkdir");
        let places = Places::new(&[input.clone(), other.clone()]);
        assert_eq!(places.file(&file.display().to_string()), "exports/さくら/UP2KYO.CSV");
        // A file given as input: its name.
        let places = Places::new(std::slice::from_ref(&file));
        assert_eq!(places.file(&file.display().to_string()), "UP2KYO.CSV");
        let s = places.source(&Source::csv(file.display().to_string(), 4, 2));
        assert_eq!(place(&s), "UP2KYO.CSV 4行目・B列");
    }

    #[test]
    fn periods_print_in_wareki() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let p = |from, to, raw: &str| PeriodJson { from, to, raw: raw.to_string() };
        assert_eq!(period(&p(d(2025, 4, 1), d(2025, 9, 30), "R 7/ 4/ 1～R 7/ 9/30")), "令和7年4月1日～令和7年9月30日");
        assert_eq!(period(&p(d(2025, 4, 1), None, "R7.4.1～")), "令和7年4月1日～");
        assert_eq!(period(&p(d(2019, 5, 1), d(2019, 5, 1), "2019-05-01")), "令和元年5月1日");
        assert_eq!(period(&p(None, None, " ６ヶ月 ")), "６ヶ月");
    }

    #[test]
    fn dates_kept_as_text_print_in_wareki() {
        assert_eq!(dates_in_text("ケアプラン登録年月日: 2025-03-25"), "ケアプラン登録年月日: 令和7年3月25日");
        assert_eq!(
            dates_in_text("利用者補足情報(2025-10).限度額適用終了年月日: 2027-03-31"),
            "利用者補足情報(令和7年10月).限度額適用終了年月日: 令和9年3月31日"
        );
        assert_eq!(dates_in_text("2025-04-01～2025-09-30"), "令和7年4月1日～令和7年9月30日");
        // Near misses: a telephone number, an impossible date, a bare month, longer digit runs.
        for kept in ["℡ 03-0000-0000", "記録日: 2025-02-30", "対象 2025-10", "番号 12025-03-25", "0120-12-3456"]
        {
            assert!(matches!(dates_in_text(kept), Cow::Borrowed(_)), "{kept}");
        }
    }
}
