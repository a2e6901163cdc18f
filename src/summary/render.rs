//! The summary's tables (derived from the aggregate) and their files:
//! summary.json, one CSV per table, summary.xlsx (a sheet per table) and
//! the data of summary.pdf.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use super::{Aggregate, USAGE_BANDS};

/// One aggregate as a table: the same rows go to CSV, xlsx and PDF.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// File and sheet stem: `offices` → summary-offices.csv, sheet 事業所別.
    pub name: &'static str,
    pub title: &'static str,
    pub columns: Vec<String>,
    /// Cells are strings or numbers.
    pub rows: Vec<Vec<Value>>,
}

fn per100(n: u64, plans: u64) -> Value {
    if plans == 0 {
        return json!(0.0);
    }
    json!(((n as f64) * 1000.0 / plans as f64).round() / 10.0)
}

fn pct(a: i64, b: i64) -> f64 {
    if b <= 0 {
        0.0
    } else {
        ((a as f64) * 1000.0 / b as f64).round() / 10.0
    }
}

fn sev_ja(s: &str) -> &'static str {
    match s {
        "error" => "エラー",
        "warning" => "警告",
        "info" => "情報",
        _ => "",
    }
}

/// PR-17 (運営基準 13条18号の3): ≥ 70% of the limits used in total and
/// ≥ 60% of that on 訪問介護.
pub fn pr17(limit: i64, planned: i64, home_help: i64) -> bool {
    limit > 0 && planned * 10 >= limit * 7 && planned > 0 && home_help * 10 >= planned * 6
}

pub fn tables(agg: &Aggregate) -> Vec<Table> {
    let o = &agg.offices;
    let total_plans: u64 = o.values().map(|x| x.plans).sum();
    // Offices ranked by findings per 100 plans (then errors, then code).
    let mut ranked: Vec<(&String, &super::OfficeAgg)> = o.iter().collect();
    let rate = |x: &super::OfficeAgg| (x.findings.iter().sum::<u64>() * 10_000).checked_div(x.plans).unwrap_or(0);
    ranked.sort_by(|a, b| rate(b.1).cmp(&rate(a.1)).then(b.1.findings[0].cmp(&a.1.findings[0])).then(a.0.cmp(b.0)));
    let offices = Table {
        name: "offices",
        title: "事業所別",
        columns: [
            "順位",
            "事業所",
            "事業所名",
            "計画数",
            "エラー",
            "警告",
            "情報",
            "指摘計",
            "100計画あたり指摘",
            "生活援助 基準回数以上（PR-16）",
            "限度額70%以上",
            "限度額90%以上",
            "限度額超過",
            "PR-17該当",
        ]
        .map(String::from)
        .to_vec(),
        rows: ranked
            .iter()
            .enumerate()
            .map(|(i, (code, x))| {
                let total: u64 = x.findings.iter().sum();
                vec![
                    json!(i + 1),
                    json!(code),
                    json!(x.name),
                    json!(x.plans),
                    json!(x.findings[0]),
                    json!(x.findings[1]),
                    json!(x.findings[2]),
                    json!(total),
                    per100(total, x.plans),
                    json!(x.by_rule.get("PR-16").map_or(0, |r| r.plans)),
                    json!(x.usage_bands[0]),
                    json!(x.usage_bands[1]),
                    json!(x.usage_bands[2]),
                    json!(if pr17(x.limit_units, x.planned_units, x.home_help_units) { "該当" } else { "" }),
                ]
            })
            .collect(),
    };
    // Per rule: count, share of plans affected, offices affected.
    // code → (severity, findings, plans, offices)
    type RuleRow = (String, u64, u64, u64);
    let mut rules: BTreeMap<&str, RuleRow> = BTreeMap::new();
    for x in o.values() {
        for (code, r) in &x.by_rule {
            let e = rules.entry(code).or_insert((r.severity.clone(), 0, 0, 0));
            e.1 += r.findings;
            e.2 += r.plans;
            e.3 += 1;
        }
    }
    let mut rule_rows: Vec<(&str, RuleRow)> = rules.into_iter().collect();
    rule_rows.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
    let rules = Table {
        name: "rules",
        title: "規則別",
        columns: ["規則", "重大度", "指摘件数", "該当計画", "該当計画の割合(%)", "該当事業所"]
            .map(String::from)
            .to_vec(),
        rows: rule_rows
            .iter()
            .map(|(code, (sev, n, plans, offices))| {
                vec![
                    json!(code),
                    json!(sev_ja(sev)),
                    json!(n),
                    json!(plans),
                    json!(pct(*plans as i64, total_plans as i64)),
                    json!(offices),
                ]
            })
            .collect(),
    };
    let mut levels: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for x in o.values() {
        for (l, v) in &x.by_level {
            let e = levels.entry(l).or_default();
            e.0 += v.plans;
            e.1 += v.findings;
        }
    }
    let levels = Table {
        name: "care-levels",
        title: "要介護度別",
        columns: ["要介護度", "計画数", "指摘件数", "100計画あたり指摘"].map(String::from).to_vec(),
        rows: levels.iter().map(|(l, (p, f))| vec![json!(l), json!(p), json!(f), per100(*f, *p)]).collect(),
    };
    let usage = Table {
        name: "limit-usage",
        title: "区分支給限度基準額の利用",
        columns: ["事業所", "事業所名", "第7表のある計画", "70%以上", "90%以上", "100%超", "利用割合(%)"]
            .map(String::from)
            .to_vec(),
        rows: o
            .iter()
            .map(|(code, x)| {
                vec![
                    json!(code),
                    json!(x.name),
                    json!(x.plans_with_usage),
                    json!(x.usage_bands[0]),
                    json!(x.usage_bands[1]),
                    json!(x.usage_bands[2]),
                    json!(pct(x.planned_units, x.limit_units)),
                ]
            })
            .collect(),
    };
    let over = Table {
        name: "over-limit",
        title: "限度額を超える計画",
        columns: [
            "事業所",
            "保険者番号",
            "被保険者番号",
            "計画作成日",
            "利用者",
            "要介護度",
            "対象年月",
            "限度額",
            "計画単位数",
            "利用割合(%)",
        ]
        .map(String::from)
        .to_vec(),
        rows: o
            .values()
            .flat_map(|x| &x.over_limit)
            .map(|p| {
                vec![
                    json!(p.office),
                    json!(p.insurer_no),
                    json!(p.insured_no),
                    json!(p.plan_date),
                    json!(p.person),
                    json!(p.care_level),
                    json!(p.month),
                    json!(p.limit_units),
                    json!(p.planned_units),
                    json!(p.usage_permille as f64 / 10.0),
                ]
            })
            .collect(),
    };
    let pr16 = Table {
        name: "pr16",
        title: "生活援助中心型 基準回数以上（PR-16）",
        columns: ["事業所", "事業所名", "計画数", "基準回数以上の計画"].map(String::from).to_vec(),
        rows: o
            .iter()
            .map(|(code, x)| {
                vec![json!(code), json!(x.name), json!(x.plans), json!(x.by_rule.get("PR-16").map_or(0, |r| r.plans))]
            })
            .collect(),
    };
    let pr17_rows = Table {
        name: "pr17",
        title: "限度額7割以上かつ訪問介護6割以上（PR-17、13条18号の3）",
        columns: ["事業所", "事業所名", "限度額の合計", "計画単位数の合計", "利用割合(%)", "うち訪問介護(%)", "該当"]
            .map(String::from)
            .to_vec(),
        rows: o
            .iter()
            .map(|(code, x)| {
                vec![
                    json!(code),
                    json!(x.name),
                    json!(x.limit_units),
                    json!(x.planned_units),
                    json!(pct(x.planned_units, x.limit_units)),
                    json!(pct(x.home_help_units, x.planned_units)),
                    json!(if pr17(x.limit_units, x.planned_units, x.home_help_units) { "該当" } else { "" }),
                ]
            })
            .collect(),
    };
    // Months side by side: findings per 100 plans of each office per month.
    let months: BTreeSet<&str> = o.values().flat_map(|x| x.by_month.keys().map(String::as_str)).collect();
    let mut month_cols = vec!["事業所".to_string(), "事業所名".to_string()];
    for m in &months {
        // 対象年月 in 和暦 (`令和7年10月`), as the forms print it.
        let m = crate::model::wareki::month(m);
        month_cols.push(format!("{m} 計画数"));
        month_cols.push(format!("{m} 100計画あたり指摘"));
    }
    let by_month = Table {
        name: "months",
        title: "月別（100計画あたり指摘）",
        columns: month_cols,
        rows: o
            .iter()
            .map(|(code, x)| {
                let mut row = vec![json!(code), json!(x.name)];
                for m in &months {
                    let v = x.by_month.get(*m);
                    let plans = v.map_or(0, |v| v.plans);
                    row.push(json!(plans));
                    row.push(per100(v.map_or(0, |v| v.findings.iter().sum()), plans));
                }
                row
            })
            .collect(),
    };
    let office_rules = Table {
        name: "office-rules",
        title: "事業所×規則",
        columns: ["事業所", "事業所名", "規則", "重大度", "指摘件数", "該当計画", "100計画あたり指摘"]
            .map(String::from)
            .to_vec(),
        rows: o
            .iter()
            .flat_map(|(code, x)| {
                x.by_rule.iter().map(move |(rule, r)| {
                    vec![
                        json!(code),
                        json!(x.name),
                        json!(rule),
                        json!(sev_ja(&r.severity)),
                        json!(r.findings),
                        json!(r.plans),
                        per100(r.findings, x.plans),
                    ]
                })
            })
            .collect(),
    };
    vec![offices, rules, levels, usage, over, pr16, pr17_rows, by_month, office_rules]
}

/// summary-<name>.csv: UTF-8 with BOM, for Excel.
pub fn csv(t: &Table) -> Vec<u8> {
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect())
        .collect();
    let header: Vec<&str> = t.columns.iter().map(String::as_str).collect();
    crate::files::csv_bytes(&header, &rows)
}

/// A cell as the workbook and the PDF print it: 計画作成日 and 対象年月 in
/// 和暦 (the CSV and summary.json keep `2025-04-01` and `2025-10`), vendors'
/// half-width kana full-width.
fn printed(column: &str, s: &str) -> String {
    match column {
        "計画作成日" => match s.parse::<chrono::NaiveDate>() {
            Ok(d) => crate::model::wareki::date(d),
            Err(_) => s.to_string(),
        },
        "対象年月" => crate::model::wareki::month(s),
        _ => crate::render::display::full_width_kana(s).into_owned(),
    }
}

/// summary.xlsx: one sheet per table, filters and a frozen header row.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let font = crate::render::xlsx::FONT;
    let head =
        Format::new().set_font_name(font).set_bold().set_background_color("#E8EEF4").set_border(FormatBorder::Thin);
    let cell = Format::new().set_font_name(font);
    for t in tables {
        let ws = wb.add_worksheet().set_name(t.title.chars().take(31).collect::<String>())?;
        for (c, h) in t.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head)?;
            ws.set_column_width(c as u16, (h.chars().count() as f64 * 2.0).clamp(8.0, 30.0))?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    Value::Number(n) => {
                        ws.write_number_with_format(r, c, n.as_f64().unwrap_or(0.0), &cell)?;
                    }
                    Value::String(s) => {
                        let column = t.columns.get(c as usize).map_or("", String::as_str);
                        ws.write_string_with_format(r, c, printed(column, s), &cell)?;
                    }
                    other => {
                        ws.write_string_with_format(r, c, other.to_string(), &cell)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, t.rows.len() as u32, t.columns.len().saturating_sub(1) as u16)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
    }
    wb.save_to_buffer()
}

/// Rows of the over-limit list the PDF prints (highest usage first); the
/// CSV and xlsx hold them all.
pub const PDF_OVER_LIMIT_ROWS: usize = 100;

/// The data of summary.typ.
pub fn pdf_data(agg: &Aggregate, tables: &[Table], mismatches: &[String], run_date: &str) -> Value {
    // Every office × rule is for the spreadsheet; the PDF has the per-office
    // and per-rule tables.
    let mut tables: Vec<Table> = tables.iter().filter(|t| t.name != "office-rules").cloned().collect();
    let mut over_limit_total = 0;
    if let Some(t) = tables.iter_mut().find(|t| t.name == "over-limit") {
        over_limit_total = t.rows.len();
        // Usage is the last column.
        t.rows.sort_by(|a, b| {
            let u = |r: &Vec<Value>| r.last().and_then(Value::as_f64).unwrap_or(0.0);
            u(b).total_cmp(&u(a)).then_with(|| a.iter().map(|v| v.to_string()).cmp(b.iter().map(|v| v.to_string())))
        });
        t.rows.truncate(PDF_OVER_LIMIT_ROWS);
    }
    for t in &mut tables {
        for row in &mut t.rows {
            for (v, column) in row.iter_mut().zip(&t.columns) {
                if let Value::String(s) = v {
                    *s = printed(column, s);
                }
            }
        }
    }
    let plans: u64 = agg.offices.values().map(|x| x.plans).sum();
    let mut findings = [0u64; 3];
    for x in agg.offices.values() {
        for (total, n) in findings.iter_mut().zip(x.findings) {
            *total += n;
        }
    }
    json!({
        "run_date": run_date,
        "offices": agg.offices.len(),
        "plans": plans,
        "runs": agg.runs.len(),
        "findings": findings,
        "redacted": agg.redacted,
        "bands": USAGE_BANDS,
        "mismatches": mismatches,
        "over_limit_total": over_limit_total,
        "over_limit_shown": PDF_OVER_LIMIT_ROWS.min(over_limit_total),
        "tables": tables,
    })
}
