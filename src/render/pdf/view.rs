//! What the templates read (`/data.json`): the forms and findings as the
//! texts a care manager sees, already in 和暦 and joined line by line, so the
//! templates only lay them out.

use serde::Serialize;

use crate::audit::{Finding, Severity};
use crate::model::lsw::LswForms;
use crate::model::wareki;
use crate::render::display;
use crate::render::text::*;

#[derive(Debug, Serialize)]
pub struct Head {
    /// `山田　花子　様`, or empty.
    pub person: String,
    pub created: String,
    pub planner: String,
    pub office: String,
    pub care_level: String,
    pub certification: String,
    /// The plan key as a folder name (also the PDF's identity).
    pub key: String,
    /// The run's date in 和暦.
    pub run_date: String,
}

#[derive(Debug, Serialize)]
pub struct Entry1 {
    pub when: String,
    pub person: String,
    pub family: String,
    pub community: String,
    pub recorder: String,
    pub consideration: String,
    pub decision: String,
}

#[derive(Debug, Serialize)]
pub struct Conference {
    pub participants: String,
    pub count: usize,
    pub when: String,
    pub person: String,
    pub family: String,
    pub community: String,
    pub consideration: String,
    pub confirmed: String,
    pub planner: String,
}

#[derive(Debug, Serialize)]
pub struct Plan3 {
    /// (label, text) rows of the upper part.
    pub rows: Vec<[String; 2]>,
    /// 当面の目標・ニーズ … 行動計画 (8 columns).
    pub needs: Vec<[String; 8]>,
    /// 他の介護保険サービス: 種別, 事業所, 必要性, 内容, 頻度／期間.
    pub others: Vec<[String; 5]>,
}

#[derive(Debug, Serialize)]
pub struct Slot {
    pub band: String,
    /// Rows the band label spans from this row (0 on the band's later rows).
    pub band_rows: usize,
    /// 時刻, これまで, 望む, できること, 支援が必要, 本人, 家族, 地域, 事業所.
    pub cells: [String; 9],
}

#[derive(Debug, Serialize)]
pub struct Plan4 {
    pub slots: Vec<Slot>,
    pub non_daily: String,
}

#[derive(Debug, Serialize)]
pub struct Table {
    pub title: String,
    pub info: String,
    pub rows: Vec<Vec<String>>,
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
    pub form1: Vec<Entry1>,
    pub form2: Vec<Conference>,
    pub form3: Plan3,
    pub form4: Plan4,
    pub table6: Option<Table>,
    pub table7: Option<Table>,
    pub findings: Vec<FindingView>,
    /// Rules that could not be checked for lack of data.
    pub not_checked: Vec<String>,
    pub unclassified_count: usize,
    /// 値, 理由, 読み込んだ場所.
    pub unclassified: Vec<[String; 3]>,
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

/// The person's name as the forms address them: `山田　花子　様`.
pub fn person_name(f: &LswForms) -> String {
    f.header.person_name.as_deref().map(|n| format!("{n}　様")).unwrap_or_default()
}

pub fn plan_doc(f: &LswForms, findings: &[Finding], not_checked: &[&str], run_date: &str) -> PlanDoc {
    let h = &f.header;
    let head = Head {
        person: person_name(f),
        created: wareki::opt(h.created_on),
        planner: opt(&h.planner),
        office: opt(&h.office_name),
        care_level: opt(&h.care_level),
        certification: certification(h),
        key: f.key.dir_name(),
        run_date: run_date.to_string(),
    };
    let form1 = f
        .form1
        .entries
        .iter()
        .map(|e| Entry1 {
            when: entry_when(e),
            person: join(&e.person),
            family: join(&e.family),
            community: join(&e.community),
            recorder: opt(&e.recorder),
            consideration: join(&e.meeting.consideration),
            decision: join(&e.meeting.decision),
        })
        .collect();
    let form2 = f
        .form2
        .iter()
        .map(|c| Conference {
            participants: join(&c.participants),
            count: c.count,
            when: conference_when(c),
            person: join(&c.person),
            family: join(&c.family),
            community: join(&c.community),
            consideration: join(&c.consideration),
            confirmed: join(&c.confirmed),
            planner: c.recorder.as_ref().map(|p| p.text.clone()).or_else(|| h.planner.clone()).unwrap_or_default(),
        })
        .collect();
    let i = &f.form3.intentions;
    let text = |p: &Option<crate::model::lsw::Placed>| p.as_ref().map(|p| p.text.clone()).unwrap_or_default();
    let mut rows =
        vec![["本人の意向".to_string(), text(&i.person)], ["家族・介護者の意向".to_string(), text(&i.family)]];
    if i.other.is_some() {
        rows.push(["意向（その他）".to_string(), text(&i.other)]);
    }
    rows.extend([
        ["介護認定審査会の意見".to_string(), text(&f.form3.review_opinion)],
        ["総合的な援助の方針".to_string(), text(&f.form3.policy)],
        ["緊急時の対応".to_string(), join(&f.form3.emergency)],
        ["長期的目標（ゴール）".to_string(), join_dated(&f.form3.goal)],
    ]);
    let needs = f.form3.needs.iter().map(need_cells).collect();
    let others = f.form3.other_services.iter().map(other_service_cells).collect();
    let slots = f.form4.slots.iter().enumerate().map(|(k, s)| {
        let starts = k == 0 || f.form4.slots[k - 1].band != s.band;
        let band_rows = if starts { f.form4.slots[k..].iter().take_while(|n| n.band == s.band).count() } else { 0 };
        Slot { band: s.band.clone(), band_rows, cells: slot_cells(s) }
    });
    let table6 = f.table6.as_ref().map(|t| Table {
        title: format!("第６表　サービス利用票（{}分）", wareki::month(&t.month)),
        info: format!(
            "要介護状態区分：{}　　区分支給限度基準額：{}",
            t.care_level.as_deref().unwrap_or(""),
            t.limit_units.map(|n| format!("{n}単位")).unwrap_or_default()
        ),
        rows: t
            .rows
            .iter()
            .map(|r| {
                vec![
                    opt(&r.service_code),
                    opt(&r.provider),
                    opt(&r.start),
                    opt(&r.end),
                    r.count_per_day.map(|n| n.to_string()).unwrap_or_default(),
                    r.units.map(|n| n.to_string()).unwrap_or_default(),
                    days(&r.dates),
                ]
            })
            .collect(),
    });
    let table7 = f.table7.as_ref().map(|t| Table {
        title: format!("第７表　サービス利用票別表（{}分）", wareki::month(&t.month)),
        info: String::new(),
        rows: t
            .rows
            .iter()
            .chain(t.totals.iter())
            .map(|r| {
                let name = if r.row_kind == "total" { "合計".to_string() } else { opt(&r.provider) };
                let mut v = vec![name, opt(&r.provider_code), opt(&r.service_code)];
                v.extend(TABLE7_AMOUNTS.iter().map(|k| amount(r, k)));
                v
            })
            .collect(),
    });
    PlanDoc {
        head,
        form1,
        form2,
        form3: Plan3 { rows, needs, others },
        form4: Plan4 { slots: slots.collect(), non_daily: join(&f.form4.non_daily) },
        table6,
        table7,
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
