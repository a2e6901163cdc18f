//! What the templates read (`/data.json`): the forms and findings as the
//! texts a care manager sees, already in 和暦 and joined line by line, so the
//! templates only lay them out. A cell the 小多機 team fills is `{t, f}`:
//! its text and whether to print 「（小多機で記入）」.

use serde::Serialize;

use crate::audit::{Finding, Severity};
use crate::model::lsw::{LswForms, TO_FILL};
use crate::model::wareki;
use crate::render::display;
use crate::render::text::*;

#[derive(Debug, Serialize)]
pub struct Head {
    /// `山田　花子　様`, or the 被保険者番号 when the source has no name.
    pub person: String,
    /// The 居宅 plan converted (元計画): 作成日, 作成者, 事業所….
    pub original: String,
    pub care_level: String,
    pub certification: String,
    /// The plan key as a folder name (also the PDF's identity).
    pub key: String,
    /// The run's date in 和暦.
    pub run_date: String,
    /// 「（小多機で記入）」.
    pub to_fill: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Entry1 {
    pub when: String,
    pub person: String,
    pub family: String,
    pub community: String,
    /// 記入者 and the care manager's own actions.
    pub recorder: String,
    pub consideration: String,
    pub decision: String,
}

/// 様式1: the converted entries, then the 小多機 team's own ミーティング.
#[derive(Debug, Serialize)]
pub struct Form1View {
    pub entries: Vec<Entry1>,
    /// 考察, 決定 (とりあえずの決定).
    pub meeting: [Filled; 2],
    /// The daily records to come.
    pub records: Filled,
}

#[derive(Debug, Serialize)]
pub struct Conference {
    pub participants: String,
    pub count: usize,
    pub when: String,
    pub person: String,
    pub family: String,
    pub community: String,
    pub consideration: Filled,
    pub confirmed: String,
    pub person_confirmation: Filled,
    pub care_manager: Filled,
}

#[derive(Debug, Serialize)]
pub struct NeedRow {
    /// Rows the ニーズ cell spans from this row (0: it continues above).
    pub span: usize,
    /// ニーズ, 当面の目標, 期間, 本人, 家族・介護者, 地域, 専門職・事業所,
    /// プロセス, 行動計画.
    pub cells: [Filled; 9],
}

#[derive(Debug, Serialize)]
pub struct Plan3 {
    /// (label, cell) rows of the upper part.
    pub rows: Vec<(String, Filled)>,
    pub needs: Vec<NeedRow>,
    /// 他の介護保険サービス: 種別, 事業所, 必要性, 内容, 頻度／期間.
    pub others: Vec<[String; 5]>,
}

#[derive(Debug, Serialize)]
pub struct Slot {
    pub band: String,
    /// Rows the band label spans from this row (0 on the band's later rows).
    pub band_rows: usize,
    pub time: String,
    /// これまで, 望む, できること, 支援が必要, 本人, 家族, 地域, 通い, 訪問, 宿泊.
    pub cells: [Filled; 10],
}

#[derive(Debug, Serialize)]
pub struct Plan4 {
    pub slots: Vec<Slot>,
    pub non_daily: String,
    /// 更新部分.
    pub updates: Filled,
}

#[derive(Debug, Serialize)]
pub struct Table6View {
    pub title: String,
    /// (label, value) of the header.
    pub info: Vec<[String; 2]>,
    /// (day, 曜日).
    pub days: Vec<[String; 2]>,
    pub rows: Vec<Table6Row>,
}

#[derive(Debug, Serialize)]
pub struct Table6Row {
    pub content: String,
    pub provider: String,
    pub time: String,
    pub planned: Vec<String>,
    pub total: String,
}

#[derive(Debug, Serialize)]
pub struct Table7View {
    pub title: String,
    pub columns: Vec<&'static str>,
    /// Cells as printed; `kinds` says which rows are 合計 rows.
    pub rows: Vec<Vec<String>>,
    pub kinds: Vec<String>,
    /// 区分支給限度基準額 (printed beside the 合計).
    pub limit: String,
    /// 種類別支給限度管理: 種類, 基準額, 合計単位数, 超える単位数.
    pub type_limits: Vec<[String; 4]>,
    /// 要介護認定期間中の短期入所利用日数: 前月まで, 当月の計画, 累計.
    pub short_stay: [String; 3],
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub code: String,
    pub severity: &'static str,
    /// `error`, `warning` or `info` (for colours).
    pub level: &'static str,
    pub title: String,
    pub message: String,
    pub location: String,
    pub evidence: String,
    pub hint: String,
}

#[derive(Debug, Serialize)]
pub struct PlanDoc {
    pub head: Head,
    pub form1: Form1View,
    pub form2: Vec<Conference>,
    pub form3: Plan3,
    pub form4: Plan4,
    pub table6: Option<Table6View>,
    pub table7: Option<Table7View>,
    pub findings: Vec<FindingView>,
    /// Rules that could not be checked for lack of data.
    pub not_checked: Vec<String>,
    pub unclassified_count: usize,
    /// 値, 理由, 読み込んだ場所.
    pub unclassified: Vec<[String; 3]>,
    /// Cells left to the 小多機 team, per form (様式1〜4).
    pub to_fill: [usize; 4],
    /// Metadata values kept in plan.json, not placed.
    pub meta_count: usize,
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

pub fn finding(f: &Finding) -> FindingView {
    FindingView {
        code: f.code.to_string(),
        severity: f.severity.ja(),
        level: level(f.severity),
        title: f.title.to_string(),
        message: f.message.clone(),
        location: display::place(&f.location),
        evidence: f.evidence.clone().unwrap_or_default(),
        hint: f.hint.as_deref().unwrap_or_default().to_string(),
    }
}

/// A rule that could not be checked, with its name and the tables it
/// needs: `T6-01 …（必要な表: 第6表）`.
pub fn not_checked(code: &str) -> String {
    match crate::audit::rules::all().iter().map(|r| r.info()).find(|i| i.code == code) {
        Some(i) => {
            let needs: Vec<&str> = i.needs.iter().map(|n| display::needs(*n)).collect();
            format!("{code} {}（必要な表: {}）", i.title, needs.join("・"))
        }
        None => code.to_string(),
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The person as the forms address them: `山田　花子　様`; a source without
/// the name (ほのぼの's exports carry none) gives the 被保険者番号.
pub fn person_name(f: &LswForms) -> String {
    match (&f.header.person_name, &f.key.insured_no) {
        (Some(n), _) => format!("{n}　様"),
        (None, Some(no)) => format!("（氏名の記載なし）被保険者番号 {no}"),
        (None, None) => String::new(),
    }
}

fn plan3(f: &LswForms) -> Plan3 {
    let rows = form3_rows(f);
    let needs = (0..f.form3.needs.len())
        .map(|k| NeedRow { span: need_span(&f.form3.needs, k), cells: need_cells(&f.form3.needs[k]) })
        .collect();
    Plan3 { rows, needs, others: f.form3.other_services.iter().map(other_service_cells).collect() }
}

fn table6(f: &LswForms) -> Option<Table6View> {
    let t = f.table6.as_ref()?;
    let (days, lines) = table6_grid(t);
    let mut info = vec![
        ["要介護状態区分".to_string(), opt(&t.care_level)],
        [
            "区分支給限度基準額".to_string(),
            t.limit_units.map(|n| format!("{}単位／月", number(n as f64))).unwrap_or_default(),
        ],
    ];
    for (label, key) in [("認定状況", "認定状況区分"), ("認定日", "認定日")] {
        if let Some(v) = month_value(f, key) {
            info.push([label.to_string(), v.to_string()]);
        }
    }
    if let (Some(a), Some(b)) = (month_value(f, "限度額適用開始年月日"), month_value(f, "限度額適用終了年月日"))
    {
        info.push(["限度額適用期間".to_string(), format!("{a}～{b}")]);
    }
    if let Some(p) = &t.planner {
        info.push(["担当者".to_string(), p.clone()]);
    }
    Some(Table6View {
        title: format!("第６表　サービス利用票（兼居宅サービス計画）　{}分", wareki::month(&t.month)),
        info,
        days: days.iter().map(|(d, w)| [d.to_string(), w.to_string()]).collect(),
        rows: lines
            .into_iter()
            .map(|l| Table6Row {
                content: l.content,
                provider: l.provider,
                time: l.time,
                planned: l.planned.iter().map(|n| n.map(|n| n.to_string()).unwrap_or_default()).collect(),
                total: l.total.to_string(),
            })
            .collect(),
    })
}

fn table7(f: &LswForms) -> Option<Table7View> {
    let t = f.table7.as_ref()?;
    let rows = table7_rows(t);
    let kinds = t.rows.iter().chain(t.totals.iter()).map(|r| r.row_kind.clone()).collect();
    let days = |k: &str| {
        t.rows.iter().chain(t.totals.iter()).find_map(|r| r.amounts.get(k)).map(|n| number(*n)).unwrap_or_default()
    };
    Some(Table7View {
        title: format!("第７表　サービス利用票別表　{}分", wareki::month(&t.month)),
        columns: TABLE7_COLUMNS.iter().map(|(l, _)| *l).collect(),
        rows: rows.iter().map(|r| r.iter().map(T7::text).collect()).collect(),
        kinds,
        limit: f.header.limit_units.map(number_i).unwrap_or_default(),
        type_limits: type_limits(f),
        short_stay: [days("days_before"), days("days_planned"), days("days_cumulative")],
    })
}

fn number_i(n: i64) -> String {
    number(n as f64)
}

pub fn plan_doc(f: &LswForms, findings: &[Finding], not_checked: &[&str], run_date: &str) -> PlanDoc {
    let h = &f.header;
    let head = Head {
        person: person_name(f),
        original: original_plan(h),
        care_level: opt(&h.care_level),
        certification: certification(h),
        key: f.key.dir_name(),
        run_date: run_date.to_string(),
        to_fill: TO_FILL,
    };
    let has = |v: &[String], n: &str| v.iter().any(|x| x == n);
    let form1 = Form1View {
        entries: f
            .form1
            .entries
            .iter()
            .map(|e| Entry1 {
                when: entry_when(e),
                person: join(&e.person),
                family: join(&e.family),
                community: join(&e.community),
                recorder: entry_recorder(e),
                consideration: join(&e.meeting.consideration),
                decision: join(&e.meeting.decision),
            })
            .collect(),
        meeting: [
            Filled::new(String::new(), has(&f.form1.to_fill, "meeting.consideration")),
            Filled::new(String::new(), has(&f.form1.to_fill, "meeting.decision")),
        ],
        records: Filled::new(String::new(), has(&f.form1.to_fill, "records")),
    };
    let form2 = f
        .form2
        .iter()
        .map(|c| {
            let [consideration, person_confirmation, care_manager] = conference_fills(c);
            Conference {
                participants: join(&c.participants),
                count: c.count,
                when: conference_when(c),
                person: join(&c.person),
                family: join(&c.family),
                community: join(&c.community),
                consideration,
                confirmed: join(&c.confirmed),
                person_confirmation,
                care_manager,
            }
        })
        .collect();
    let slots = f.form4.slots.iter().enumerate().map(|(k, s)| {
        let starts = k == 0 || f.form4.slots[k - 1].band != s.band;
        let band_rows = if starts { f.form4.slots[k..].iter().take_while(|n| n.band == s.band).count() } else { 0 };
        Slot { band: s.band.clone(), band_rows, time: s.time.clone(), cells: slot_cells(s) }
    });
    let c = &f.to_fill_counts;
    PlanDoc {
        head,
        form1,
        form2,
        form3: plan3(f),
        form4: Plan4 {
            slots: slots.collect(),
            non_daily: join(&f.form4.non_daily),
            updates: Filled::new(String::new(), has(&f.form4.to_fill, "updates")),
        },
        table6: table6(f),
        table7: table7(f),
        findings: findings.iter().map(finding).collect(),
        not_checked: not_checked.iter().map(|c| self::not_checked(c)).collect(),
        unclassified_count: f.unclassified.len(),
        unclassified: f
            .unclassified
            .iter()
            .map(|u| {
                [
                    display::dates_in_text(&u.text).into_owned(),
                    u.reason.clone(),
                    u.source.as_ref().map(display::place).unwrap_or_default(),
                ]
            })
            .collect(),
        to_fill: [c.form1, c.form2, c.form3, c.form4],
        meta_count: f.meta_count,
    }
}

/// One plan's line in the office report.
#[derive(Debug, Serialize)]
pub struct ReportPlan {
    /// 1 for the plan with the most findings.
    pub rank: usize,
    pub key: String,
    pub person: String,
    pub created: String,
    pub counts: [usize; 3],
    pub total: usize,
    pub findings: Vec<FindingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleCount {
    pub code: String,
    pub title: String,
    pub level: &'static str,
    pub count: usize,
}

/// One file of an office report and the ranks of the plans it holds.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub file: String,
    pub first: usize,
    pub last: usize,
}

#[derive(Debug, Serialize)]
pub struct OfficeReport {
    pub office: String,
    pub office_name: String,
    pub run_date: String,
    pub plans: usize,
    pub plans_with_findings: usize,
    /// error, warning, info.
    pub counts: [usize; 3],
    pub by_rule: Vec<RuleCount>,
    /// This file's place among `volumes` (1-based): the first has the cover
    /// and the counts, every one its share of the ranked plans.
    pub volume: usize,
    pub volumes: Vec<Volume>,
    /// This volume's plans, ranked by findings (most first; ties by key).
    pub ranked: Vec<ReportPlan>,
}

/// What the office report needs of one plan.
pub struct PlanSummary<'a> {
    pub key: String,
    pub person: String,
    pub office_name: String,
    pub created: String,
    pub findings: &'a [Finding],
}

/// The office's report file names: `audit-report.pdf`, then
/// `audit-report-2.pdf`, `audit-report-3.pdf`… for further volumes.
pub fn report_file(volume: usize) -> String {
    if volume <= 1 {
        "audit-report.pdf".to_string()
    } else {
        format!("audit-report-{volume}.pdf")
    }
}

/// How many files an office report of `plans` plans has.
pub fn report_volumes(plans: usize, per_volume: usize) -> usize {
    plans.div_ceil(per_volume.max(1)).max(1)
}

/// The office report, in volumes of at most `per_volume` ranked plans each:
/// a typst document holds all its pages until it is written, so an office
/// of thousands of plans in one document would need gigabytes.
pub fn office_reports(office: &str, plans: &[PlanSummary], run_date: &str, per_volume: usize) -> Vec<OfficeReport> {
    let mut counts = [0usize; 3];
    let mut by_rule: std::collections::BTreeMap<&str, RuleCount> = Default::default();
    for f in plans.iter().flat_map(|p| p.findings) {
        counts[f.severity as usize] += 1;
        by_rule
            .entry(&f.code)
            .or_insert_with(|| RuleCount {
                code: f.code.to_string(),
                title: f.title.to_string(),
                level: level(f.severity),
                count: 0,
            })
            .count += 1;
    }
    let mut by_rule: Vec<RuleCount> = by_rule.into_values().collect();
    by_rule.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    let mut ranked: Vec<(&PlanSummary, [usize; 3])> = plans
        .iter()
        .map(|p| {
            let mut c = [0usize; 3];
            for f in p.findings {
                c[f.severity as usize] += 1;
            }
            (p, c)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
    let per_volume = per_volume.max(1);
    let volumes: Vec<Volume> = (0..report_volumes(plans.len(), per_volume))
        .map(|v| Volume {
            file: report_file(v + 1),
            first: v * per_volume + 1,
            last: ((v + 1) * per_volume).min(plans.len()),
        })
        .collect();
    let office_name =
        plans.iter().map(|p| p.office_name.as_str()).find(|n| !n.is_empty()).unwrap_or(office).to_string();
    let plans_with_findings = plans.iter().filter(|p| !p.findings.is_empty()).count();
    (0..volumes.len())
        .map(|v| OfficeReport {
            office: office.to_string(),
            office_name: office_name.clone(),
            run_date: run_date.to_string(),
            plans: plans.len(),
            plans_with_findings,
            counts,
            by_rule: by_rule.clone(),
            volume: v + 1,
            volumes: volumes.clone(),
            ranked: ranked
                .iter()
                .enumerate()
                .skip(v * per_volume)
                .take(per_volume)
                .map(|(i, (p, c))| ReportPlan {
                    rank: i + 1,
                    key: p.key.clone(),
                    person: p.person.clone(),
                    created: p.created.clone(),
                    counts: *c,
                    total: p.findings.len(),
                    findings: p.findings.iter().map(finding).collect(),
                })
                .collect(),
        })
        .collect()
}
