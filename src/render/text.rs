//! Display texts shared by the workbook and the PDF: how a list of placed
//! values, a dated goal, a period, a cell left to the 小多機 team and the
//! 第6/7表 grids read on a form.

use crate::model::lsw::*;
use crate::model::services::Catalogue;
use crate::model::wareki;
use crate::model::{Table6, Table7, Table7Row};
use chrono::Datelike;

/// A placed value as printed: its text, and for a service a 小規模多機能
/// 登録者 cannot keep, the mark with what replaces it on its own line.
pub fn placed(p: &Placed) -> String {
    match &p.replace {
        Some(r) => {
            let by = r.by.as_deref().map(|b| format!("→{b}")).unwrap_or_default();
            format!("{}\n【{}：{}{by}】", p.text, r.mark, r.service)
        }
        None => p.text.clone(),
    }
}
use crate::render::display;

/// Values one per line.
pub fn join(ps: &[Placed]) -> String {
    ps.iter().map(placed).collect::<Vec<_>>().join("\n")
}

/// A cell's text and whether the 小多機 team still fills it (printed
/// [`TO_FILL`] under what the 居宅 plan says).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Filled {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(rename = "f")]
    pub fill: bool,
}

impl Filled {
    pub fn new(text: String, fill: bool) -> Filled {
        Filled { text, fill }
    }

    /// The text with the mark, for places that print plain text.
    pub fn plain(&self) -> String {
        match (self.text.is_empty(), self.fill) {
            (_, false) => self.text.clone(),
            (true, true) => TO_FILL.to_string(),
            (false, true) => format!("{}\n{TO_FILL}", self.text),
        }
    }
}

fn has(to_fill: &[String], name: &str) -> bool {
    to_fill.iter().any(|f| f == name)
}

/// Dated texts, each with its period in 和暦:
/// `安全に入浴できる（令和7年4月1日～令和8年3月31日）`.
pub fn join_dated(ps: &[Dated]) -> String {
    ps.iter()
        .map(|p| match &p.period {
            Some(period) if !period.raw.is_empty() && !p.text.contains(&period.raw) => {
                format!("{}（{}）", p.text, display::period(period))
            }
            _ => dated_text(p),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A dated text whose own words quote its period as written (`期間:
/// R7.4.1～R7.9.30`): the quote in 和暦, as every other date on the forms.
fn dated_text(p: &Dated) -> String {
    match &p.period {
        Some(period) if !period.raw.is_empty() && p.text.contains(&period.raw) => {
            p.text.replace(&period.raw, &display::period(period))
        }
        _ => p.text.clone(),
    }
}

/// 認定の有効期間 `令和7年4月1日～令和8年3月31日`, or empty.
pub fn certification(h: &Header) -> String {
    match (h.certification_valid_from, h.certification_valid_to) {
        (None, None) => String::new(),
        (a, b) => format!("{}～{}", wareki::opt(a), wareki::opt(b)),
    }
}

/// The 居宅 plan the forms were converted from: 作成日, 作成者, 事業所,
/// 初回作成日, 説明・同意日 (the 小多機 plan's own are left to fill).
pub fn original_plan(h: &Header) -> String {
    let mut parts = Vec::new();
    if let Some(d) = h.created_on {
        parts.push(format!("作成日 {}", wareki::date(d)));
    }
    if let Some(p) = &h.planner {
        parts.push(format!("作成者 {p}"));
    }
    if let Some(o) = &h.office_name {
        parts.push(o.clone());
    }
    if let Some(d) = h.first_created_on {
        parts.push(format!("初回作成日 {}", wareki::date(d)));
    }
    if let Some(k) = &h.plan_kind {
        parts.push(k.clone());
    }
    if let Some(d) = h.consent_on {
        parts.push(format!("説明・同意日 {}", wareki::date(d)));
    }
    parts.join("　")
}

fn text(p: &Option<Placed>) -> String {
    p.as_ref().map(|p| p.text.clone()).unwrap_or_default()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// 様式3's upper part: (label, cell) rows — the certification, the 居宅
/// plan converted (元計画), this plan's own 作成者 (to fill), the 意向 by
/// speaker, 審査会の意見, 方針, 緊急時, 長期的目標.
pub fn form3_rows(f: &LswForms) -> Vec<(String, Filled)> {
    let h = &f.header;
    let i = &f.form3.intentions;
    let plain = |t: String| Filled::new(t, false);
    let mut rows = vec![
        (
            "要介護度".to_string(),
            plain(
                [opt(&h.care_level), certification(h)]
                    .into_iter()
                    .zip(["", "認定の有効期間："])
                    .filter(|(s, _)| !s.is_empty())
                    .map(|(s, label)| format!("{label}{s}"))
                    .collect::<Vec<_>>()
                    .join("　　"),
            ),
        ),
        ("元計画（居宅サービス計画）".to_string(), plain(original_plan(h))),
        (
            "この計画の作成者・作成日・説明同意".to_string(),
            Filled::new(String::new(), has(&f.form3.to_fill, "planner")),
        ),
    ];
    // Nobody named in the 意向: its 本人／家族 rows say so instead of staying blank.
    let unsplit = i.person.is_none() && i.family.is_none() && i.other.is_some();
    let none = || {
        if unsplit {
            "（話者の区別なし。下の「意向（話者の記載なし）」を参照）".to_string()
        } else {
            String::new()
        }
    };
    rows.push(("本人の意向".into(), plain(i.person.as_ref().map(|p| p.text.clone()).unwrap_or_else(none))));
    rows.push(("家族・介護者の意向".into(), plain(i.family.as_ref().map(|p| p.text.clone()).unwrap_or_else(none))));
    if i.shared.is_some() {
        rows.push(("本人・家族の意向（共通）".into(), plain(text(&i.shared))));
    }
    if i.other.is_some() {
        rows.push(("意向（話者の記載なし）".into(), plain(text(&i.other))));
    }
    rows.extend([
        ("介護認定審査会の意見".to_string(), plain(text(&f.form3.review_opinion))),
        ("総合的な援助の方針".to_string(), plain(text(&f.form3.policy))),
        ("緊急時の対応".to_string(), plain(join(&f.form3.emergency))),
        ("長期的目標（ゴール）".to_string(), plain(join_dated(&f.form3.goal))),
    ]);
    rows
}

/// The 小多機 function that replaces an entry's service (the first, when
/// ほのぼの joined two).
fn mode_of(p: &Placed) -> Option<&str> {
    p.replace.as_ref().and_then(|r| r.by.as_deref()).and_then(|b| b.split('・').next())
}

/// 様式4's 事業所 columns, in order.
pub const MODES: [&str; 3] = ["通い", "訪問", "宿泊"];

/// A 様式4 row's cells: これまでの暮らし, 望む暮らし, できること,
/// 支援が必要なこと, then who supports: 本人, 家族・介護者, 地域, and the
/// 事業所's 通い, 訪問, 宿泊.
pub fn slot_cells(s: &Form4Slot) -> [Filled; 10] {
    let f = |ps: &[Placed], name: &str| Filled::new(join(ps), has(&s.to_fill, name));
    let su = &s.support;
    let mode = |m: &str| {
        let ps: Vec<Placed> = su.office.iter().filter(|p| mode_of(p) == Some(m)).cloned().collect();
        // The 事業所's own support is one task; its mark goes to the first
        // empty column (the three are merged when all are empty).
        Filled::new(join(&ps), false)
    };
    let mut office = MODES.map(mode);
    // Office entries without a 通い/訪問/宿泊 go with 通い.
    let other: Vec<Placed> =
        su.office.iter().filter(|p| !MODES.iter().any(|m| mode_of(p) == Some(*m))).cloned().collect();
    if !other.is_empty() {
        let t = join(&other);
        office[0].text = if office[0].text.is_empty() { t } else { format!("{}\n{t}", office[0].text) };
    }
    if has(&s.to_fill, "support.office") {
        if let Some(c) = office.iter_mut().find(|c| c.text.is_empty()) {
            c.fill = true;
        }
    }
    let [a, b, c] = office;
    [
        f(&s.before, "before"),
        f(&s.wish, "wish"),
        f(&s.can_do, "can_do"),
        f(&s.support_needed, "support_needed"),
        f(&su.person, "support.person"),
        f(&su.family, "support.family"),
        f(&su.community, "support.community"),
        a,
        b,
        c,
    ]
}

/// 様式1's 年月日／項目 cell (a サービス担当者会議 points to 様式2).
pub fn entry_when(e: &Form1Entry) -> String {
    let mut v = vec![wareki::opt(e.date), e.item.clone().unwrap_or_default()];
    if e.conference {
        v.push("→様式2（カンファレンス）".into());
    }
    v.retain(|s| !s.is_empty());
    v.join("\n")
}

/// 様式1's 記入者／介護支援専門員 cell: who wrote the entry, then the care
/// manager's own actions and notes.
pub fn entry_recorder(e: &Form1Entry) -> String {
    let mut v = Vec::new();
    if let Some(r) = &e.recorder {
        v.push(format!("記入者：{r}"));
    }
    if !e.care_manager.is_empty() {
        v.push(join(&e.care_manager));
    }
    v.join("\n")
}

/// 様式2's 年月日／項目 cell: date, where it was held, the item, the 居宅
/// plan's care manager who wrote the 第4表.
pub fn conference_when(c: &Form2) -> String {
    [
        wareki::opt(c.date),
        join(&c.held),
        c.item.as_ref().map(|p| p.text.clone()).unwrap_or_default(),
        c.recorder.as_ref().map(|p| format!("（元計画の作成者：{}）", p.text)).unwrap_or_default(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("\n")
}

/// 様式2's 考察, 本人（代理人）確認 and 介護支援専門員 cells.
pub fn conference_fills(c: &Form2) -> [Filled; 3] {
    [
        Filled::new(join(&c.consideration), has(&c.to_fill, "consideration")),
        Filled::new(String::new(), has(&c.to_fill, "person_confirmation")),
        Filled::new(String::new(), has(&c.to_fill, "care_manager")),
    ]
}

/// A 様式3 row: ニーズ, 当面の目標, 期間, 本人, 家族・介護者, 地域,
/// 専門職・事業所, 実現のプロセス, 行動計画.
pub fn need_cells(n: &Form3Need) -> [Filled; 9] {
    let f = |ps: &[Placed], name: &str| Filled::new(join(ps), has(&n.to_fill, name));
    [
        Filled::new(n.need.text.clone(), false),
        Filled::new(n.short_goal.as_ref().map(|p| p.text.clone()).unwrap_or_default(), false),
        Filled::new(n.period.as_ref().map(display::period).unwrap_or_default(), false),
        f(&n.person, "person"),
        f(&n.family, "family"),
        f(&n.community, "community"),
        f(&n.office, "office"),
        Filled::new(join_dated(&n.process), has(&n.to_fill, "process")),
        Filled::new(join_dated(&n.action_plan), false),
    ]
}

/// How many rows from `i` share row `i`'s ニーズ (0 when `i` continues the
/// rows above): the ニーズ cell spans them.
pub fn need_span(needs: &[Form3Need], i: usize) -> usize {
    let same = |a: &Form3Need, b: &Form3Need| a.need.text == b.need.text && a.need.source == b.need.source;
    if i > 0 && same(&needs[i - 1], &needs[i]) {
        return 0;
    }
    needs[i..].iter().take_while(|n| same(n, &needs[i])).count()
}

/// A 様式3 other service: 種別, 事業所, 必要性, 具体的内容, 頻度／期間.
pub fn other_service_cells(o: &OtherService) -> [String; 5] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    [o.kind.clone(), text(&o.provider), text(&o.necessity), text(&o.content), frequency(o)]
}

/// 様式3's 頻度／期間 cell of another service.
pub fn frequency(o: &OtherService) -> String {
    [o.frequency.clone().unwrap_or_default(), o.period.as_ref().map(display::period).unwrap_or_default()]
        .join("\n")
        .trim()
        .to_string()
}

/// The name of a サービスコード's service type (`111211` → 訪問介護).
pub fn service_name(code: Option<&str>) -> String {
    code.and_then(|c| Catalogue::builtin().by_code(c)).map(|s| s.name.clone()).unwrap_or_default()
}

/// One 第6表 service: its 予定 count per day of the month (実績 is the
/// provider's, printed empty).
#[derive(Debug, Clone)]
pub struct Table6Line {
    /// サービス内容: the service type and its code.
    pub content: String,
    pub provider: String,
    /// 提供時間帯 `09:30～16:00`.
    pub time: String,
    pub planned: Vec<Option<i64>>,
    pub total: i64,
}

/// 第6表's month: (day, 曜日) of each day, and one line per service.
pub fn table6_grid(t: &Table6) -> (Vec<(u32, &'static str)>, Vec<Table6Line>) {
    const WEEK: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let first = chrono::NaiveDate::parse_from_str(&format!("{}-01", t.month), "%Y-%m-%d").ok();
    let days: Vec<(u32, &str)> = match first {
        Some(f) => f
            .iter_days()
            .take_while(|d| d.month() == f.month())
            .map(|d| (d.day(), WEEK[d.weekday().num_days_from_monday() as usize]))
            .collect(),
        None => (1..=31).map(|d| (d, "")).collect(),
    };
    let lines = t
        .rows
        .iter()
        .map(|r| {
            let per_day = r.count_per_day.unwrap_or(1);
            let mut planned = vec![None; days.len()];
            for d in &r.dates {
                if let Some(slot) = planned.get_mut(d.day() as usize - 1) {
                    *slot = Some(slot.unwrap_or(0) + per_day);
                }
            }
            let total = r.planned_total.unwrap_or_else(|| planned.iter().flatten().sum());
            let name = service_name(r.service_code.as_deref());
            let code = r.service_code.clone().unwrap_or_default();
            let time = match (&r.start, &r.end) {
                (Some(s), Some(e)) => format!("{s}～{e}"),
                (Some(s), None) => s.clone(),
                _ => String::new(),
            };
            Table6Line {
                content: [name, code].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"),
                provider: r.provider.clone().unwrap_or_default(),
                time,
                planned,
                total,
            }
        })
        .collect();
    (days, lines)
}

/// 第7表's columns (区分支給限度管理・利用者負担計算), as printed, with the
/// amount each takes (none: the row's own texts).
pub const TABLE7_COLUMNS: [(&str, Option<&str>); 20] = [
    ("事業所名", None),
    ("事業所番号", None),
    ("サービス内容／種類", None),
    ("サービスコード", None),
    ("単位数", Some("units")),
    ("割引後 率%", Some("discount_rate")),
    ("割引後 単位数", Some("discounted_units")),
    ("回数", Some("count")),
    ("サービス単位／金額", Some("service_units")),
    ("種類支給限度基準を超える単位数", Some("type_over_units")),
    ("種類支給限度基準内単位数", Some("type_within_units")),
    ("区分支給限度基準を超える単位数", Some("category_over_units")),
    ("区分支給限度基準内単位数", Some("category_within_units")),
    ("単位数単価", Some("unit_price")),
    ("費用総額（保険／事業対象分）", Some("total_cost")),
    ("給付率（%）", Some("benefit_rate")),
    ("保険／事業費請求額", Some("insurance_claim")),
    ("定額利用者負担単価金額", Some("fixed_copay_price")),
    ("利用者負担（保険／事業対象分）", Some("copay_insured")),
    ("利用者負担（全額負担分）", Some("copay_full")),
];

/// A 第7表 cell: text, or a number (printed in parentheses for units
/// outside the 区分支給限度管理).
#[derive(Debug, Clone, PartialEq)]
pub enum T7 {
    Text(String),
    /// `money`: a 単位数単価, printed with its two decimals (11.40).
    Number {
        value: f64,
        paren: bool,
        money: bool,
    },
    Empty,
}

/// A number as printed: thousands separated, decimals only when it has them.
pub fn number(n: f64) -> String {
    if n.fract() != 0.0 {
        return format!("{n}");
    }
    let s = format!("{}", n.abs() as i64);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 {
        out.insert(0, '-');
    }
    out
}

impl T7 {
    pub fn text(&self) -> String {
        match self {
            T7::Text(s) => s.clone(),
            T7::Number { value, money: true, .. } => format!("{value:.2}"),
            T7::Number { value, paren: true, .. } => format!("({})", number(*value)),
            T7::Number { value, paren: false, .. } => number(*value),
            T7::Empty => String::new(),
        }
    }
}

/// 第7表's rows as the form prints them: detail rows; a type subtotal
/// (`xxAAAA`) as 「<種類>合計」 without a code; a subtotal outside the limit
/// (`EEEE`) and out-of-limit units in parentheses; `ZZZZ` as
/// 「30日超<種類>合計」; the 全合計 (`999999`) as 「合計」.
pub fn table7_rows(t: &Table7) -> Vec<[T7; 20]> {
    t.rows.iter().chain(t.totals.iter()).map(table7_row).collect()
}

fn table7_row(r: &Table7Row) -> [T7; 20] {
    let kind = service_name(r.service_code.as_deref());
    let (content, code, provider, office_no, paren) = match r.row_kind.as_str() {
        "type_subtotal" => (format!("{kind}合計"), String::new(), r.provider.clone(), r.provider_code.clone(), false),
        "outside_limit_subtotal" => (
            format!("{kind}合計（区分支給限度管理対象外）"),
            String::new(),
            r.provider.clone(),
            r.provider_code.clone(),
            true,
        ),
        "over_30_days_subtotal" => {
            (format!("30日超{kind}合計"), String::new(), r.provider.clone(), r.provider_code.clone(), false)
        }
        "total" => ("合計".to_string(), String::new(), None, None, false),
        _ => (kind, r.service_code.clone().unwrap_or_default(), r.provider.clone(), r.provider_code.clone(), false),
    };
    TABLE7_COLUMNS.map(|(label, key)| match (label, key) {
        ("事業所名", _) => provider.clone().map_or(T7::Empty, T7::Text),
        ("事業所番号", _) => office_no.clone().map_or(T7::Empty, T7::Text),
        ("サービス内容／種類", _) => T7::Text(content.clone()),
        ("サービスコード", _) => T7::Text(code.clone()),
        (_, Some(k)) => match r.amounts.get(k) {
            // 全合計 and subtotals carry 0 in the columns that do not add up.
            Some(v) if r.row_kind != "detail" && *v == 0.0 && matches!(k, "units" | "count") => T7::Empty,
            Some(v) => T7::Number {
                value: *v,
                paren: paren && matches!(k, "units" | "service_units" | "category_within_units"),
                money: k == "unit_price",
            },
            None => T7::Empty,
        },
        _ => T7::Empty,
    })
}

/// The 第6/7表 month's 利用者補足情報 by label (`種類別限度1サービス種類コード`…).
pub fn month_value<'a>(f: &'a LswForms, label: &str) -> Option<&'a str> {
    f.month_info.iter().find_map(|p| p.text.strip_prefix(label).and_then(|r| r.strip_prefix(": ")))
}

/// 第7表's 種類別支給限度管理: サービス種類, 種類支給限度基準額, 合計単位数,
/// 種類支給限度基準を超える単位数 (利用者補足情報 slots 1–9).
pub fn type_limits(f: &LswForms) -> Vec<[String; 4]> {
    (1..=9)
        .filter_map(|n| {
            let v = |what: &str| month_value(f, &format!("種類別限度{n}{what}")).unwrap_or("").to_string();
            let code = v("サービス種類コード");
            if code.is_empty() {
                return None;
            }
            let name = service_name(Some(&code));
            Some([if name.is_empty() { code } else { name }, v("支給限度基準額"), v("合計単位数"), v("限度超単位数")])
        })
        .collect()
}

/// The 第6表 dates of a row: `1日・8日・15日`.
pub fn days(dates: &[chrono::NaiveDate]) -> String {
    dates.iter().map(|d| format!("{}日", d.day())).collect::<Vec<_>>().join("・")
}
