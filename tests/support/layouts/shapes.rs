//! 第2表 as offices lay it out (excel-layouts.md §4, T2-A…T2-F): one writer,
//! told the shape, the merging, the period style and the marks.

use super::people::{dots, kanji, long_ptr, need_ptr, period_fields, short_ptr, spaced_slash, svc_ptr, western, Who};
use super::{Exp, Field, Sh, Ymd};
use rust_xlsxwriter::XlsxError;

/// 第2表 shapes.
#[derive(Clone, Copy, PartialEq)]
pub enum T2 {
    /// Two header rows, 「目標」/「援助内容」 groups over the columns.
    A,
    /// One header row.
    B,
    /// Goal and its period in one cell: 「長期目標（期間）」.
    BPrime,
    /// A 「No」 column first, 「期間」 three times, 「援助目標」.
    C,
    /// A flat export: one row per service, every value repeated, no merges.
    D,
}

/// How periods are written (excel-layouts.md §3.3).
#[derive(Clone, Copy, PartialEq)]
pub enum PStyle {
    /// 「R7.4.1～R7.9.30」
    Dots,
    /// 「R 7/ 4/ 1～R 7/ 9/30」
    SpacedSlash,
    /// 「2025/4/1～2025/9/30」
    Western,
    /// 「令和7年4月1日～令和7年9月30日」
    Kanji,
    /// 「令和7年4月～\n令和7年9月」: to the month only (kept as text).
    MonthBreak,
    /// Long goal 「1年」, short goal 「6ヶ月」, service 「R7.4～R7.9」 (kept as text).
    Words,
}

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Long,
    Short,
    Service,
}

/// (text written, the text plan.json must keep when the period has no days).
fn period(style: PStyle, which: Which, p: (Ymd, Ymd)) -> (String, Option<String>) {
    let (a, b) = p;
    let both = |f: fn(Ymd) -> String| (format!("{}～{}", f(a), f(b)), None);
    match style {
        PStyle::Dots => both(dots),
        PStyle::SpacedSlash => both(spaced_slash),
        PStyle::Western => both(western),
        PStyle::Kanji => both(kanji),
        PStyle::MonthBreak => {
            let t = format!("令和{}年{}月～\n令和{}年{}月", a.0 - 2018, a.1, b.0 - 2018, b.1);
            (t.clone(), Some(t))
        }
        PStyle::Words => {
            let t = match which {
                Which::Long => "1年".to_string(),
                Which::Short => "6ヶ月".to_string(),
                Which::Service => format!("R{}.{}～R{}.{}", a.0 - 2018, a.1, b.0 - 2018, b.1),
            };
            (t.clone(), Some(t))
        }
    }
}

/// ※1 as written.
#[derive(Clone, Copy, PartialEq)]
pub enum Ins {
    /// 「○」 or blank.
    Circle,
    /// Boolean cells (Google Sheets check boxes).
    Bool,
}

pub struct T2Opts {
    pub shape: T2,
    /// Needs and goals merged down; false: written on every row.
    pub merged: bool,
    /// Not merged: 「〃」 in the repeated cells instead of the text.
    pub ditto: bool,
    /// One blank row between needs.
    pub blank_between: bool,
    /// The 「〃」 also for a service period equal to the one above.
    pub ditto_periods: bool,
    pub footnotes: Vec<&'static str>,
    pub period: PStyle,
    /// Physical columns of each logical column (narrow grids merge several).
    pub spans: Option<Vec<(u16, u16)>>,
    /// 「目標」 or 「援助目標」 over the goal columns.
    pub group: &'static str,
    /// 「※１」「※２」 or 「※1」「※2」.
    pub marks: (&'static str, &'static str),
    pub ins: Ins,
    /// The first short goal's two services in one row, one per line.
    pub multi_first: bool,
    /// How names and frequencies are written (half-width kana, full-width
    /// digits) and what is appended to a service content.
    pub provider: fn(&str) -> String,
    pub frequency: fn(&str) -> String,
    pub content: fn(&str) -> String,
    /// Every value padded with U+3000 runs (vendor print layout).
    pub pad: bool,
    /// Only these service rows (0-based over all services of the plan); a
    /// first row inside a need continues it (blank need and long goal).
    pub rows: Option<std::ops::Range<usize>>,
    /// Bordered empty rows up to this many data rows (a fixed print block).
    pub block: Option<u32>,
}

fn same(s: &str) -> String {
    s.to_string()
}

pub const FOOTNOTES: [&str; 2] = [
    "※１「保険給付の対象となるかどうかの区分」について、保険給付対象内サービスについては○印を付す。",
    "※２「当該サービス提供を行う事業所」について記入する。",
];

impl Default for T2Opts {
    fn default() -> T2Opts {
        T2Opts {
            shape: T2::A,
            merged: true,
            ditto: false,
            blank_between: false,
            ditto_periods: false,
            footnotes: Vec::new(),
            period: PStyle::Dots,
            spans: None,
            group: "目標",
            marks: ("※１", "※２"),
            ins: Ins::Circle,
            multi_first: false,
            provider: same,
            frequency: same,
            content: same,
            pad: false,
            rows: None,
            block: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Col {
    No,
    Need,
    Long,
    LongP,
    Short,
    ShortP,
    LongWithP,
    ShortWithP,
    Content,
    Ins,
    Kind,
    Prov,
    Freq,
    Per,
}

fn columns(shape: T2) -> Vec<Col> {
    use Col::*;
    let tail = [Content, Ins, Kind, Prov, Freq, Per];
    let mut v = match shape {
        T2::A | T2::B => vec![Need, Long, LongP, Short, ShortP],
        T2::BPrime => vec![Need, LongWithP, ShortWithP],
        T2::C | T2::D => vec![No, Need, Long, LongP, Short, ShortP],
    };
    v.extend(tail);
    v
}

fn header(shape: T2, c: Col, o: &T2Opts) -> &'static str {
    use Col::*;
    let flat = shape == T2::D;
    match c {
        No if flat => "課題番号",
        No => "No",
        Need => "生活全般の解決すべき課題（ニーズ）",
        Long => "長期目標",
        LongP if flat => "長期目標（期間）",
        Short => "短期目標",
        ShortP if flat => "短期目標（期間）",
        LongP | ShortP if shape == T2::C => "期間",
        LongP | ShortP => "（期間）",
        LongWithP => "長期目標（期間）",
        ShortWithP => "短期目標（期間）",
        Content => "サービス内容",
        Ins if flat => "保険給付対象",
        Ins => o.marks.0,
        Kind => "サービス種別",
        Prov if flat => "サービス提供事業所",
        Prov => o.marks.1,
        Freq => "頻度",
        Per => "期間",
    }
}

/// One written row of 第2表: the services it holds (one, or two in a
/// multi-service cell).
struct Row {
    need: usize,
    short: usize,
    services: Vec<usize>,
}

fn rows_of(w: &Who, multi_first: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    for (n, need) in w.needs.iter().enumerate() {
        for (s, short) in need.shorts.iter().enumerate() {
            if multi_first && n == 0 && s == 0 {
                rows.push(Row { need: n, short: s, services: (0..short.services.len()).collect() });
            } else {
                rows.extend((0..short.services.len()).map(|v| Row { need: n, short: s, services: vec![v] }));
            }
        }
    }
    rows
}

/// Declares the lengths of the person's 第2表 arrays (call once per person).
pub fn t2_lens(sh: &mut Sh, w: &Who) {
    sh.t.len("/table2/needs", w.needs.len());
    for (n, need) in w.needs.iter().enumerate() {
        sh.t.len(format!("{}/long_goals", need_ptr(n)), 1);
        sh.t.len(format!("{}/short_goals", long_ptr(n)), need.shorts.len());
        for (s, short) in need.shorts.iter().enumerate() {
            sh.t.len(format!("{}/services", short_ptr(n, s)), short.services.len());
        }
    }
}

fn padded(s: &str, pad: bool) -> String {
    if pad {
        s.lines().map(|l| format!("{l}　　　　")).collect::<Vec<_>>().join("\n")
    } else {
        s.to_string()
    }
}

/// Writes the 第2表 header at `top` and the rows below; returns the first
/// row after the table (and its footnotes).
pub fn table2(sh: &mut Sh, w: &Who, top: u32, o: &T2Opts) -> Result<u32, XlsxError> {
    let cols = columns(o.shape);
    let span = |i: usize| -> (u16, u16) {
        match &o.spans {
            Some(s) => s[i],
            None => (i as u16, i as u16),
        }
    };
    let last_col = span(cols.len() - 1).1;
    let two_rows = matches!(o.shape, T2::A | T2::BPrime | T2::C);
    // Header.
    if two_rows {
        let goal_cols: Vec<usize> = (0..cols.len())
            .filter(|&i| {
                matches!(cols[i], Col::Long | Col::LongP | Col::Short | Col::ShortP | Col::LongWithP | Col::ShortWithP)
            })
            .collect();
        let svc_cols: Vec<usize> = (0..cols.len()).filter(|&i| i > *goal_cols.last().expect("goals")).collect();
        for (i, c) in cols.iter().enumerate() {
            let (a, b) = span(i);
            if matches!(c, Col::No | Col::Need) {
                sh.lrc(top, a, top + 1, b, header(o.shape, *c, o))?;
            } else {
                sh.lrc(top + 1, a, top + 1, b, header(o.shape, *c, o))?;
            }
        }
        sh.lrc(top, span(goal_cols[0]).0, top, span(*goal_cols.last().expect("goals")).1, o.group)?;
        sh.lrc(top, span(svc_cols[0]).0, top, span(*svc_cols.last().expect("services")).1, "援助内容")?;
    } else {
        for (i, c) in cols.iter().enumerate() {
            let (a, b) = span(i);
            sh.lrc(top, a, top, b, header(o.shape, *c, o))?;
        }
    }
    let mut r = top + if two_rows { 2 } else { 1 };
    let all = rows_of(w, o.multi_first);
    let range = o.rows.clone().unwrap_or(0..all.len());
    let first_data = r;
    let mut prev_need: Option<usize> = None;
    let mut prev_period: Option<String> = None;
    for i in range.clone() {
        let row = &all[i];
        if prev_need.is_some_and(|p| p != row.need) {
            // A 「〃」 never reaches over into another need.
            prev_period = None;
            if o.blank_between {
                r += 1;
            }
        }
        let need = &w.needs[row.need];
        let short = &need.shorts[row.short];
        let first_of_need = i == 0 || all[i - 1].need != row.need;
        let first_of_short = first_of_need || all[i - 1].short != row.short;
        // Rows of this need / short goal inside the range (for merges).
        let need_end = (i..range.end).take_while(|&j| all[j].need == row.need).count() as u32;
        let short_end =
            (i..range.end).take_while(|&j| all[j].need == row.need && all[j].short == row.short).count() as u32;
        let (n, s) = (row.need, row.short);
        for (ci, c) in cols.iter().enumerate() {
            let (a, b) = span(ci);
            let per_need = matches!(c, Col::No | Col::Need | Col::Long | Col::LongP | Col::LongWithP);
            let per_short = matches!(c, Col::Short | Col::ShortP | Col::ShortWithP);
            if per_need || per_short {
                let first = if per_need { first_of_need } else { first_of_short };
                let height = if per_need { need_end } else { short_end };
                let continues = !first && i == range.start;
                if continues {
                    // A continuation page: the need (or goal) goes on, its cells blank.
                    continue;
                }
                let (text, fields) = goal_cell(w, *c, n, s, o);
                if o.merged {
                    if first {
                        let text = padded(&text, o.pad);
                        sh.trc(r, a, r + height - 1, b, &text)?;
                        for f in fields {
                            let at = sh.at_rc(r, a, r + height - 1, b, &f.label);
                            sh.t.add(f, at, None);
                        }
                    }
                } else if first {
                    sh.trc(r, a, r, b, &padded(&text, o.pad))?;
                    for f in fields {
                        let at = sh.at_rc(r, a, r, b, &f.label);
                        sh.t.add(f, at, None);
                    }
                } else {
                    let t = if o.ditto { "〃".to_string() } else { padded(&text, o.pad) };
                    sh.trc(r, a, r, b, &t)?;
                }
                continue;
            }
            // Service columns.
            let mut texts = Vec::new();
            let mut fields = Vec::new();
            for &v in &row.services {
                let svc = &short.services[v];
                let p = svc_ptr(n, s, v);
                match c {
                    Col::Content => {
                        texts.push((o.content)(svc.content));
                        fields.push(Field::new(
                            format!("{p}/content"),
                            Exp::Text((o.content)(svc.content)),
                            "サービス内容",
                        ));
                    }
                    Col::Ins => {
                        texts.push(if svc.insured { "○".into() } else { String::new() });
                        let e = if svc.insured { Exp::True } else { Exp::NotTrue };
                        fields.push(Field::new(format!("{p}/insured"), e, "保険給付"));
                    }
                    Col::Kind => {
                        texts.push(svc.kind.to_string());
                        fields.push(Field::new(format!("{p}/kind"), Exp::Text(svc.kind.into()), "サービス種別"));
                    }
                    Col::Prov => {
                        texts.push((o.provider)(svc.provider));
                        fields.push(Field::new(format!("{p}/provider"), Exp::Text(svc.provider.into()), "事業所"));
                    }
                    Col::Freq => {
                        texts.push((o.frequency)(svc.frequency));
                        fields.push(Field::new(format!("{p}/frequency"), Exp::Text(svc.frequency.into()), "頻度"));
                    }
                    Col::Per => {
                        let (t, raw) = period(o.period, Which::Service, svc.period);
                        texts.push(t);
                        fields.extend(period_fields(&p, svc.period, raw.as_deref(), ""));
                    }
                    _ => unreachable!("goal columns handled above"),
                }
            }
            let mut text = texts.join("\n");
            if *c == Col::Per && o.ditto_periods {
                if prev_period.as_deref() == Some(text.as_str()) {
                    prev_period = Some(text.clone());
                    text = "〃".into();
                } else {
                    prev_period = Some(text.clone());
                }
            }
            if *c == Col::Ins && o.ins == Ins::Bool {
                let marked = short.services[row.services[0]].insured;
                let f = sh.cell.clone();
                sh.ws.write_boolean_with_format(r, a, marked, &f)?;
            } else {
                sh.trc(r, a, r, b, &padded(&text, o.pad))?;
            }
            for f in fields {
                let at = sh.at_rc(r, a, r, b, &f.label);
                sh.t.add(f, at, None);
            }
        }
        prev_need = Some(row.need);
        r += 1;
    }
    if let Some(block) = o.block {
        while r < first_data + block {
            for ci in 0..cols.len() {
                let (a, b) = span(ci);
                sh.trc(r, a, r, b, "")?;
            }
            r += 1;
        }
    }
    for f in &o.footnotes {
        sh.lrc(r, 0, r, last_col, f)?;
        r += 1;
    }
    Ok(r)
}

/// The text of a need or goal cell and the fields it carries.
fn goal_cell(w: &Who, c: Col, n: usize, s: usize, o: &T2Opts) -> (String, Vec<Field>) {
    let need = &w.needs[n];
    let short = &need.shorts[s];
    match c {
        Col::No => ((n + 1).to_string(), vec![]),
        Col::Need => {
            (need.text.into(), vec![Field::new(format!("{}/text", need_ptr(n)), Exp::Text(need.text.into()), "課題")])
        }
        Col::Long => (
            need.long.into(),
            vec![Field::new(format!("{}/text", long_ptr(n)), Exp::Text(need.long.into()), "長期目標")],
        ),
        Col::LongP => {
            let (t, raw) = period(o.period, Which::Long, need.long_period);
            (t, period_fields(&long_ptr(n), need.long_period, raw.as_deref(), ""))
        }
        Col::Short => (
            short.text.into(),
            vec![Field::new(format!("{}/text", short_ptr(n, s)), Exp::Text(short.text.into()), "短期目標")],
        ),
        Col::ShortP => {
            let (t, raw) = period(o.period, Which::Short, short.period);
            (t, period_fields(&short_ptr(n, s), short.period, raw.as_deref(), ""))
        }
        Col::LongWithP => {
            let (t, raw) = period(o.period, Which::Long, need.long_period);
            let mut f = vec![Field::new(format!("{}/text", long_ptr(n)), Exp::Text(need.long.into()), "長期目標")];
            f.extend(period_fields(&long_ptr(n), need.long_period, raw.as_deref(), ""));
            (format!("{}\n（{t}）", need.long), f)
        }
        Col::ShortWithP => {
            let (t, raw) = period(o.period, Which::Short, short.period);
            let mut f = vec![Field::new(format!("{}/text", short_ptr(n, s)), Exp::Text(short.text.into()), "短期目標")];
            f.extend(period_fields(&short_ptr(n, s), short.period, raw.as_deref(), ""));
            (format!("{}\n（{t}）", short.text), f)
        }
        _ => unreachable!("service columns"),
    }
}

/// The usual header block of 第2〜5表: 「第２表」, the title, 作成年月日 and
/// 「利用者名 … 殿」 (the created date recorded for 第2表/第3表 only).
pub fn head(sh: &mut Sh, w: &Who, no: &str, title: &str, last_col: u16, table: Option<&str>) -> Result<(), XlsxError> {
    if !no.is_empty() {
        sh.lrc(0, 0, 0, 0, no)?;
    }
    sh.lrc(0, 1, 0, last_col.saturating_sub(3).max(1), title)?;
    sh.lrc(0, last_col - 1, 0, last_col - 1, "作成年月日")?;
    let c = kanji(w.created);
    match table {
        Some(t) => sh.vrc(0, last_col, 0, last_col, &c, w.f_created_on(t))?,
        None => sh.trc(0, last_col, 0, last_col, &c)?,
    }
    sh.lrc(1, 0, 1, 0, "利用者名")?;
    sh.trc(1, 1, 1, 2, &w.name.replace(' ', "　"))?;
    sh.lrc(1, 3, 1, 3, "殿")?;
    Ok(())
}
