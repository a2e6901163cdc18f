//! Display texts shared by the workbook and the PDF: how a list of placed
//! values, a dated goal or a period reads on a form.

use crate::model::lsw::*;
use crate::model::wareki;
use crate::render::display;

/// Values one per line.
pub fn join(ps: &[Placed]) -> String {
    ps.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
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

/// Dated texts without their periods appended (様式3's 行動計画 column);
/// a period the text quotes as written prints in 和暦.
pub fn join_texts(ps: &[Dated]) -> String {
    ps.iter().map(dated_text).collect::<Vec<_>>().join("\n")
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

/// A 様式4 row's cells: 時刻, これまで, 望む, できること, 支援が必要,
/// and who supports (本人, 家族, 地域, 事業所).
pub fn slot_cells(s: &Form4Slot) -> [String; 9] {
    [
        s.time.clone(),
        join(&s.before),
        join(&s.wish),
        join(&s.can_do),
        join(&s.support_needed),
        join(&s.support.person),
        join(&s.support.family),
        join(&s.support.community),
        join(&s.support.office),
    ]
}

/// 様式1's 年月日／項目 cell.
pub fn entry_when(e: &Form1Entry) -> String {
    [wareki::opt(e.date), e.item.clone().unwrap_or_default()].join("\n").trim().to_string()
}

/// 様式2's 年月日／項目 cell: date, where it was held, the item.
pub fn conference_when(c: &Form2) -> String {
    [wareki::opt(c.date), join(&c.held), c.item.as_ref().map(|p| p.text.clone()).unwrap_or_default()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A 様式3 need row: 当面の目標・ニーズ, 期間, 本人, 家族・介護者, 地域,
/// 専門職・事業所, 実現のプロセス, 行動計画.
pub fn need_cells(n: &Form3Need) -> [String; 8] {
    [
        n.need.text.clone(),
        n.period.as_ref().map(display::period).unwrap_or_default(),
        join(&n.person),
        join(&n.family),
        join(&n.community),
        join(&n.office),
        join_dated(&n.process),
        join_texts(&n.action_plan),
    ]
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

/// The 第6表 dates of a row: `1日・8日・15日`.
pub fn days(dates: &[chrono::NaiveDate]) -> String {
    dates.iter().map(|d| format!("{}日", chrono::Datelike::day(d))).collect::<Vec<_>>().join("・")
}

/// A 第7表 amount as written (no trailing `.0`).
pub fn amount(row: &crate::model::Table7Row, k: &str) -> String {
    row.amounts.get(k).map(|n| format!("{n}")).unwrap_or_default()
}

/// The 第7表 columns, in the form's order.
pub const TABLE7_AMOUNTS: [&str; 5] = ["units", "count", "service_units", "category_within_units", "copay_insured"];
