//! The run-level tables: findings.json, findings.csv and plans.csv (in plan
//! key order, from the spill), and the columns of each.

use super::plan_job::{Written, SPILL_FINDINGS_CSV, SPILL_FINDINGS_JSON, SPILL_PLANS_CSV};
use super::spill;
use crate::diag::{Problem, ProblemKind, Source};
use crate::files;
use crate::model::CarePlan;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

/// findings.json, findings.csv and plans.csv, in plan-key order, in one pass
/// over the spill.
pub(super) fn write_run_tables(
    out: &Path,
    written: &[(crate::model::PlanKey, Written)],
    spill: &mut spill::Reader,
    problems: &mut Vec<Problem>,
) {
    fn put(f: &mut std::io::Result<files::Atomic>, op: impl FnOnce(&mut files::Atomic) -> std::io::Result<()>) {
        if let Ok(a) = f {
            if let Err(e) = op(a) {
                *f = Err(e);
            }
        }
    }
    let names = ["findings.json", "findings.csv", "plans.csv"];
    let mut files = names.map(|n| files::Atomic::create(&out.join(n)));
    let mut array = files::JsonArray::default();
    put(&mut files[0], |w| files::JsonArray::begin(w).map(|a| array = a));
    let no_rows = std::iter::empty::<Vec<&str>>;
    put(&mut files[1], |w| files::csv_to(w, &FINDINGS_CSV_HEADER, no_rows()));
    put(&mut files[2], |w| files::csv_to(w, &PlanColumn::ALL.map(PlanColumn::header), no_rows()));
    for (_, w) in written {
        match spill.read(&w.stored) {
            Ok(r) => {
                put(&mut files[0], |f| array.add(f, r.get(SPILL_FINDINGS_JSON)));
                put(&mut files[1], |f| f.write_all(r.get(SPILL_FINDINGS_CSV)));
                put(&mut files[2], |f| f.write_all(r.get(SPILL_PLANS_CSV)));
            }
            Err(e) => {
                let msg = format!(
                    "作業用の一時ファイル {} を読めません: {}",
                    spill.path().display(),
                    crate::diag::io_error_ja(&e)
                );
                files = files.map(|_| Err(std::io::Error::other(msg.clone())));
                break;
            }
        }
    }
    put(&mut files[0], |w| std::mem::take(&mut array).end(w));
    for (name, f) in names.iter().zip(files) {
        if let Err(e) = f.and_then(files::Atomic::commit) {
            problems.push(write_problem(&out.join(name), &e));
        }
    }
}

pub(super) fn slash(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

pub(super) fn write_file(out: &Path, name: &str, bytes: &[u8], problems: &mut Vec<Problem>) {
    let path = out.join(name);
    if let Err(e) = files::write_atomic(&path, bytes) {
        problems.push(write_problem(&path, &e));
    }
}

/// An output file that could not be written, for errors.json.
pub(super) fn write_problem(path: &Path, e: &std::io::Error) -> Problem {
    Problem::new(
        ProblemKind::Output,
        Source::file(path.display().to_string()),
        format!("書き込めません: {}", crate::diag::io_error_ja(e)),
    )
}

/// The columns of plans.csv, in order. `lsw summary` reads them by name
/// ([`PlanColumn::header`], or [`PlanColumn::legacy_header`] in older
/// runs), so they are named here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanColumn {
    OfficeCode,
    OfficeName,
    InsurerNo,
    InsuredNo,
    PlanDate,
    PersonName,
    CareLevel,
    Needs,
    Services,
    WeeklySlots,
    Meetings,
    ProgressEntries,
    Table6Month,
    Duplicates,
    Unclassified,
    Path,
    LimitUnits,
    PlannedUnits,
    HomeHelpUnits,
    FindingsError,
    FindingsWarning,
    FindingsInfo,
    FindingCodes,
}

impl PlanColumn {
    pub const ALL: [PlanColumn; 23] = [
        PlanColumn::OfficeCode,
        PlanColumn::OfficeName,
        PlanColumn::InsurerNo,
        PlanColumn::InsuredNo,
        PlanColumn::PlanDate,
        PlanColumn::PersonName,
        PlanColumn::CareLevel,
        PlanColumn::Needs,
        PlanColumn::Services,
        PlanColumn::WeeklySlots,
        PlanColumn::Meetings,
        PlanColumn::ProgressEntries,
        PlanColumn::Table6Month,
        PlanColumn::Duplicates,
        PlanColumn::Unclassified,
        PlanColumn::Path,
        PlanColumn::LimitUnits,
        PlanColumn::PlannedUnits,
        PlanColumn::HomeHelpUnits,
        PlanColumn::FindingsError,
        PlanColumn::FindingsWarning,
        PlanColumn::FindingsInfo,
        PlanColumn::FindingCodes,
    ];

    /// The column's header in plans.csv: Japanese, for the office staff
    /// who open it in Excel (the JSON outputs keep English keys).
    pub fn header(self) -> &'static str {
        match self {
            PlanColumn::OfficeCode => "事業所番号",
            PlanColumn::OfficeName => "事業所名",
            PlanColumn::InsurerNo => "保険者番号",
            PlanColumn::InsuredNo => "被保険者番号",
            PlanColumn::PlanDate => "計画作成日",
            PlanColumn::PersonName => "利用者名",
            PlanColumn::CareLevel => "要介護状態区分",
            PlanColumn::Needs => "ニーズの数",
            PlanColumn::Services => "サービスの数",
            PlanColumn::WeeklySlots => "週間サービスの数",
            PlanColumn::Meetings => "担当者会議の数",
            PlanColumn::ProgressEntries => "支援経過の数",
            PlanColumn::Table6Month => "利用票の対象年月",
            PlanColumn::Duplicates => "まとめた重複行",
            PlanColumn::Unclassified => "様式に未分類の値",
            PlanColumn::Path => "出力フォルダ",
            PlanColumn::LimitUnits => "区分支給限度基準額（単位）",
            PlanColumn::PlannedUnits => "計画の単位数",
            PlanColumn::HomeHelpUnits => "訪問介護の単位数",
            PlanColumn::FindingsError => "指摘（エラー）",
            PlanColumn::FindingsWarning => "指摘（警告）",
            PlanColumn::FindingsInfo => "指摘（情報）",
            PlanColumn::FindingCodes => "指摘の内訳（コード:重大度:件数）",
        }
    }

    /// The English header of runs before the Japanese ones; `lsw summary`
    /// still reads their plans.csv.
    pub fn legacy_header(self) -> &'static str {
        match self {
            PlanColumn::OfficeCode => "office_code",
            PlanColumn::OfficeName => "office_name",
            PlanColumn::InsurerNo => "insurer_no",
            PlanColumn::InsuredNo => "insured_no",
            PlanColumn::PlanDate => "plan_date",
            PlanColumn::PersonName => "person_name",
            PlanColumn::CareLevel => "care_level",
            PlanColumn::Needs => "needs",
            PlanColumn::Services => "services",
            PlanColumn::WeeklySlots => "weekly_slots",
            PlanColumn::Meetings => "meetings",
            PlanColumn::ProgressEntries => "progress_entries",
            PlanColumn::Table6Month => "table6_month",
            PlanColumn::Duplicates => "duplicates",
            PlanColumn::Unclassified => "unclassified",
            PlanColumn::Path => "path",
            PlanColumn::LimitUnits => "limit_units",
            PlanColumn::PlannedUnits => "planned_units",
            PlanColumn::HomeHelpUnits => "home_help_units",
            PlanColumn::FindingsError => "findings_error",
            PlanColumn::FindingsWarning => "findings_warning",
            PlanColumn::FindingsInfo => "findings_info",
            PlanColumn::FindingCodes => "finding_codes",
        }
    }
}

/// findings.csv's columns (UTF-8 with BOM, for Excel): the words of
/// findings.xlsx.
pub(super) const FINDINGS_CSV_HEADER: [&str; 16] = [
    "事業所",
    "利用者名",
    "保険者番号",
    "被保険者番号",
    "計画作成日",
    "コード",
    "重大度",
    "項目",
    "内容",
    "ファイル",
    "シート",
    "セル",
    "行",
    "列",
    "該当する記載",
    "直し方",
];

/// Vendors' half-width katakana (`ｹｱﾌﾟﾗﾝ`) as people read it in Excel:
/// full-width, as in the PDFs and workbooks (the JSON keeps it as read).
fn kana(s: &str) -> String {
    crate::render::display::full_width_kana(s).into_owned()
}

/// One row of findings.csv; `f`'s place is already as printed (its file
/// relative to the inputs), its CSV column as Excel's letter.
pub(super) fn findings_csv_row(f: &crate::audit::Finding, person: &str) -> Vec<String> {
    let l = &f.location;
    vec![
        f.office.to_string(),
        kana(person),
        f.plan.insurer_no.clone().unwrap_or_default(),
        f.plan.insured_no.clone().unwrap_or_default(),
        f.plan.plan_date.map(|d| d.to_string()).unwrap_or_default(),
        f.code.to_string(),
        f.severity.ja().to_string(),
        f.title.to_string(),
        kana(&f.message),
        l.file.to_string(),
        l.sheet.as_deref().unwrap_or("").to_string(),
        l.cell.clone().unwrap_or_default(),
        l.line.map(|n| n.to_string()).unwrap_or_default(),
        l.column.map(crate::render::display::column_letters).unwrap_or_default(),
        kana(f.evidence.as_deref().unwrap_or_default()),
        f.hint.as_deref().unwrap_or_default().to_string(),
    ]
}

/// 第7表 figures of a plan for the municipal summary: 区分支給限度基準額,
/// planned units (全合計 サービス単位数) and the 訪問介護 part (service type 11).
pub(super) fn usage_columns(p: &CarePlan) -> [String; 3] {
    let Some(t7) = p.table7.as_deref() else { return Default::default() };
    let limit = p.table6.as_deref().and_then(|t| t.limit_units).or(p.table1.certification.limit_units);
    let planned = t7.totals.as_ref().and_then(|t| t.amounts.get("service_units").copied());
    let home_help: f64 = t7
        .rows
        .iter()
        .filter(|r| {
            r.row_kind == "detail"
                && r.service_code
                    .as_deref()
                    .is_some_and(|c| crate::model::services::Catalogue::builtin().is_home_help(c))
        })
        .filter_map(|r| r.amounts.get("service_units").copied())
        .sum();
    match (limit, planned) {
        (Some(l), Some(u)) => [l.to_string(), (u.round() as i64).to_string(), (home_help.round() as i64).to_string()],
        _ => Default::default(),
    }
}

/// `code:重大度:count` per rule, for the summary and for people
/// (`L3-04:警告:2 T1-12:警告:1`; runs before wrote `warning`, which the
/// summary still reads).
pub(super) fn finding_codes(findings: &[crate::audit::Finding]) -> String {
    let mut by: BTreeMap<(&str, u8, &str), usize> = BTreeMap::new();
    for f in findings {
        *by.entry((&f.code, f.severity as u8, f.severity.ja())).or_default() += 1;
    }
    by.iter().map(|((c, _, s), n)| format!("{c}:{s}:{n}")).collect::<Vec<_>>().join(" ")
}

/// One row of plans.csv.
pub(super) fn plans_csv_row(
    p: &CarePlan,
    forms: &crate::model::lsw::LswForms,
    findings: &[crate::audit::Finding],
    d: &Path,
) -> Vec<String> {
    let services: usize =
        p.table2.needs.iter().flat_map(|n| &n.long_goals).flat_map(|g| &g.short_goals).map(|s| s.services.len()).sum();
    let mut counts = [0usize; 3];
    for f in findings {
        counts[f.severity as usize] += 1;
    }
    let [limit, planned, home_help] = usage_columns(p);
    vec![
        p.office.code.clone().unwrap_or_default(),
        kana(p.office.name.as_deref().unwrap_or_default()),
        p.key.insurer_no.clone().unwrap_or_default(),
        p.key.insured_no.clone().unwrap_or_default(),
        p.key.plan_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        kana(p.person.name.as_deref().unwrap_or_default()),
        p.table1
            .certification
            .care_level
            .clone()
            .or_else(|| p.table6.as_ref().and_then(|t| t.care_level.clone()))
            .unwrap_or_default(),
        p.table2.needs.len().to_string(),
        services.to_string(),
        p.table3.weekly.len().to_string(),
        p.table4.len().to_string(),
        p.table5.len().to_string(),
        p.table6.as_ref().map(|t| t.month.clone()).unwrap_or_default(),
        p.provenance.duplicates.len().to_string(),
        forms.unclassified.len().to_string(),
        slash(d),
        limit,
        planned,
        home_help,
        counts[0].to_string(),
        counts[1].to_string(),
        counts[2].to_string(),
        finding_codes(findings),
    ]
}
