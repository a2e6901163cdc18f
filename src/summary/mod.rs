//! `lsw summary`: one picture across many offices' `lsw run` outputs.
//!
//! In: run folders (manifest.json + plans.csv) and earlier summary folders
//! (summary.json). Out: summary.json, summary.xlsx, one CSV per aggregate and
//! summary.pdf under `--out`.
//!
//! Everything is built from additive per-office counts ([`OfficeAgg`]), so
//! summarising summaries gives the same result as summarising all runs at
//! once; the tables (ranks, shares, per 100 plans) are derived at the end.
//! Redaction happens when a run is read: a redacted aggregate never holds a
//! person's name or a whole insured number.

pub mod render;

use crate::batch::PlanColumn;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Version of summary.json's aggregate; summaries of another version are refused.
pub const FORMAT: u32 = 1;

/// Usage thresholds of the 区分支給限度基準額 (percent).
pub const USAGE_BANDS: [u32; 3] = [70, 90, 100];

/// One plan over a usage band, as listed (redacted unless `--no-redact`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UsagePlan {
    pub office: String,
    pub insurer_no: String,
    /// Masked (`******0012`) unless `--no-redact`.
    pub insured_no: String,
    pub plan_date: String,
    /// Empty unless `--no-redact`.
    pub person: String,
    pub care_level: String,
    pub month: String,
    pub limit_units: i64,
    pub planned_units: i64,
    /// Per mille of the limit (1000 = 100%), an integer so sums stay exact.
    pub usage_permille: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleAgg {
    pub severity: String,
    pub findings: u64,
    /// Plans with at least one finding of the rule.
    pub plans: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelAgg {
    pub plans: u64,
    pub findings: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthAgg {
    pub plans: u64,
    /// error, warning, info.
    pub findings: [u64; 3],
}

/// Everything about one office, additive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OfficeAgg {
    pub name: String,
    pub plans: u64,
    /// error, warning, info.
    pub findings: [u64; 3],
    pub by_rule: BTreeMap<String, RuleAgg>,
    pub by_level: BTreeMap<String, LevelAgg>,
    pub by_month: BTreeMap<String, MonthAgg>,
    /// Plans with a 第7表 total and a limit.
    pub plans_with_usage: u64,
    /// Plans at ≥ 70%, ≥ 90% and > 100% of the limit.
    pub usage_bands: [u64; 3],
    /// Σ limits, Σ planned units, Σ 訪問介護 units (PR-17).
    pub limit_units: i64,
    pub planned_units: i64,
    pub home_help_units: i64,
    /// Plans over 100% of the limit, listed.
    pub over_limit: Vec<UsagePlan>,
}

impl OfficeAgg {
    fn merge(&mut self, o: OfficeAgg) {
        if self.name.is_empty() {
            self.name = o.name;
        }
        self.plans += o.plans;
        for i in 0..3 {
            self.findings[i] += o.findings[i];
            self.usage_bands[i] += o.usage_bands[i];
        }
        for (k, v) in o.by_rule {
            let e = self.by_rule.entry(k).or_default();
            if e.severity.is_empty() {
                e.severity = v.severity;
            }
            e.findings += v.findings;
            e.plans += v.plans;
        }
        for (k, v) in o.by_level {
            let e = self.by_level.entry(k).or_default();
            e.plans += v.plans;
            e.findings += v.findings;
        }
        for (k, v) in o.by_month {
            let e = self.by_month.entry(k).or_default();
            e.plans += v.plans;
            for i in 0..3 {
                e.findings[i] += v.findings[i];
            }
        }
        self.plans_with_usage += o.plans_with_usage;
        self.limit_units += o.limit_units;
        self.planned_units += o.planned_units;
        self.home_help_units += o.home_help_units;
        self.over_limit.extend(o.over_limit);
        self.over_limit.sort();
    }
}

/// Where a part of the aggregate came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RunInfo {
    /// The run's settings fingerprint (manifest.json), which identifies it.
    pub settings: String,
    pub tool_version: String,
    pub rule_set: String,
    pub plans: u64,
}

/// The additive core of summary.json.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub format: u32,
    pub redacted: bool,
    pub runs: Vec<RunInfo>,
    pub offices: BTreeMap<String, OfficeAgg>,
}

impl Aggregate {
    pub fn merge(&mut self, other: Aggregate) {
        self.runs.extend(other.runs);
        self.runs.sort();
        for (k, v) in other.offices {
            self.offices.entry(k).or_default().merge(v);
        }
    }
}

/// The columns of plans.csv the summary reads (by name, so older columns
/// can move).
const NEEDED: [PlanColumn; 13] = [
    PlanColumn::OfficeCode,
    PlanColumn::OfficeName,
    PlanColumn::InsurerNo,
    PlanColumn::InsuredNo,
    PlanColumn::PlanDate,
    PlanColumn::PersonName,
    PlanColumn::CareLevel,
    PlanColumn::Table6Month,
    PlanColumn::LimitUnits,
    PlanColumn::PlannedUnits,
    PlanColumn::HomeHelpUnits,
    PlanColumn::FindingCodes,
    PlanColumn::Path,
];

/// An office's key in the aggregate: its 事業所番号; a plan without one of
/// its own that `lsw run` filed under a numbered office folder (a workbook
/// beside that office's CSV), that office; an office without any number
/// (plans read from paper-form workbooks) by its name, and without a name
/// by the run folder and its office folder, so that two such offices never
/// become one row. The prefix shows in the 事業所番号 column of the tables.
fn office_key(code: &str, name: &str, run_dir: &Path, plan_path: &str) -> String {
    if !code.is_empty() {
        return code.to_string();
    }
    let folder = office_folder(plan_path).unwrap_or("");
    if !folder.is_empty() && folder.bytes().all(|b| b.is_ascii_digit()) {
        return folder.to_string();
    }
    let name = crate::text::norm_label(&crate::render::display::full_width_kana(name));
    if !name.is_empty() {
        return format!("（番号なし）{name}");
    }
    let run = run_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("（番号なし）{run}/{folder}")
}

/// `******0012`: all but the last two characters hidden.
pub fn mask(insured: &str) -> String {
    let n = insured.chars().count();
    insured.chars().enumerate().map(|(i, c)| if i + 2 >= n { c } else { '*' }).collect()
}

/// `<事業所>` of a plans.csv 出力フォルダ `offices/<事業所>/plans/<計画>`.
fn office_folder(path: &str) -> Option<&str> {
    let mut parts = path.split(['/', '\\']);
    match (parts.next(), parts.next(), parts.next()) {
        (Some("offices"), Some(office), Some("plans")) if !office.is_empty() => Some(office),
        _ => None,
    }
}

/// A severity of plans.csv's 指摘の内訳: Japanese since the Japanese
/// headers, English (`error`…) in older runs.
fn severity_index(s: &str) -> Option<usize> {
    match s {
        "error" | "エラー" => Some(0),
        "warning" | "警告" => Some(1),
        "info" | "情報" => Some(2),
        _ => None,
    }
}

/// The severity's key in summary.json (English, as every JSON key and code).
const SEVERITY_KEYS: [&str; 3] = ["error", "warning", "info"];

/// Reads one `lsw run` output folder into an aggregate.
pub fn read_run(dir: &Path, redact: bool) -> anyhow::Result<Aggregate> {
    let bytes = std::fs::read(dir.join("manifest.json")).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            anyhow::anyhow!("{} に manifest.json がありません（lsw run の出力フォルダではありません）", dir.display())
        }
        _ => anyhow::anyhow!("{}/manifest.json を読めません: {}", dir.display(), crate::diag::io_error_ja(&e)),
    })?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{}/manifest.json が JSON として壊れています（{e}）", dir.display()))?;
    let text = std::fs::read_to_string(dir.join("plans.csv"))
        .with_context(|| format!("{}/plans.csv を読めません", dir.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = r.headers().with_context(|| format!("{}/plans.csv の見出しを読めません", dir.display()))?.clone();
    let mut idx = [0usize; NEEDED.len()];
    for (i, col) in NEEDED.iter().enumerate() {
        // Japanese headers, or the English ones of older runs.
        let (name, legacy) = (col.header(), col.legacy_header());
        idx[i] = headers.iter().position(|h| h == name || h == legacy).with_context(|| {
            format!(
                "{}/plans.csv に列「{name}」がありません（この lsw より古い版の出力です。lsw run をやり直してください）",
                dir.display()
            )
        })?;
    }
    let mut agg = Aggregate { format: FORMAT, redacted: redact, ..Default::default() };
    let mut plans = 0u64;
    for (n, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}/plans.csv {}行目を読めません", dir.display(), n + 2))?;
        let f = |i: usize| rec.get(idx[i]).unwrap_or("");
        let office = office_key(f(0), f(1), dir, f(12));
        let o = agg.offices.entry(office.clone()).or_default();
        if o.name.is_empty() {
            // Runs before full-width tables wrote vendors' half-width kana.
            o.name = crate::render::display::full_width_kana(f(1)).into_owned();
        }
        plans += 1;
        o.plans += 1;
        let level = if f(6).is_empty() { "不明".to_string() } else { f(6).to_string() };
        let month = if f(7).is_empty() { "対象年月なし".to_string() } else { f(7).to_string() };
        let mut plan_findings = [0u64; 3];
        for part in f(11).split_whitespace() {
            // code:severity:count
            let mut it = part.split(':');
            let (Some(code), Some(sev), Some(count)) = (it.next(), it.next(), it.next()) else { continue };
            let (Some(si), Ok(count)) = (severity_index(sev), count.parse::<u64>()) else { continue };
            plan_findings[si] += count;
            let e = o.by_rule.entry(code.to_string()).or_default();
            e.severity = SEVERITY_KEYS[si].to_string();
            e.findings += count;
            e.plans += 1;
        }
        let total: u64 = plan_findings.iter().sum();
        for (sum, n) in o.findings.iter_mut().zip(plan_findings) {
            *sum += n;
        }
        let l = o.by_level.entry(level.clone()).or_default();
        l.plans += 1;
        l.findings += total;
        let m = o.by_month.entry(month.clone()).or_default();
        m.plans += 1;
        for (sum, n) in m.findings.iter_mut().zip(plan_findings) {
            *sum += n;
        }
        let num = |i: usize| f(i).parse::<i64>().ok();
        if let (Some(limit), Some(planned)) = (num(8), num(9)) {
            if limit > 0 {
                o.plans_with_usage += 1;
                o.limit_units += limit;
                o.planned_units += planned;
                o.home_help_units += num(10).unwrap_or(0);
                let permille = planned * 1000 / limit;
                for (b, band) in USAGE_BANDS.iter().enumerate() {
                    let at = *band as i64 * 10;
                    let hit = if b == 2 { permille > at || planned > limit } else { permille >= at };
                    if hit {
                        o.usage_bands[b] += 1;
                    }
                }
                if planned > limit {
                    o.over_limit.push(UsagePlan {
                        office: office.clone(),
                        insurer_no: f(2).to_string(),
                        insured_no: if redact { mask(f(3)) } else { f(3).to_string() },
                        plan_date: f(4).to_string(),
                        person: if redact { String::new() } else { f(5).to_string() },
                        care_level: level,
                        month,
                        limit_units: limit,
                        planned_units: planned,
                        usage_permille: permille,
                    });
                }
            }
        }
    }
    for o in agg.offices.values_mut() {
        o.over_limit.sort();
    }
    let s = |k: &str| manifest[k].as_str().unwrap_or("").to_string();
    agg.runs.push(RunInfo {
        settings: s("settings"),
        tool_version: manifest["tool"]["version"].as_str().unwrap_or("").to_string(),
        rule_set: s("rule_set"),
        plans,
    });
    Ok(agg)
}

/// Reads an earlier summary folder's aggregate.
pub fn read_summary(dir: &Path, redact: bool) -> anyhow::Result<Aggregate> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("summary.json"))?)
        .with_context(|| format!("{}/summary.json を読めません", dir.display()))?;
    let agg: Aggregate = serde_json::from_value(v["aggregate"].clone())
        .with_context(|| format!("{}/summary.json の集計部分を読めません", dir.display()))?;
    if agg.format != FORMAT {
        bail!("{}/summary.json は形式 {} です（この lsw は形式 {FORMAT}）", dir.display(), agg.format);
    }
    if redact && !agg.redacted {
        // A redacted summary may not carry what an internal one does.
        let mut agg = agg;
        agg.redacted = true;
        for o in agg.offices.values_mut() {
            for p in &mut o.over_limit {
                p.insured_no = mask(&p.insured_no);
                p.person.clear();
            }
        }
        return Ok(agg);
    }
    Ok(agg)
}

/// Whether a problem is with an input folder or with an output file: the
/// command counts them apart (a full disk is not an unreadable run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A run or summary folder that could not be read.
    Read,
    /// An output file that could not be made or written.
    Write,
}

/// A problem with one input folder or output file, in Japanese.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The folder read or the file written.
    pub folder: String,
    pub message: String,
}

/// Reads every folder (runs and summaries) in parallel and merges them.
pub fn collect(dirs: &[PathBuf], redact: bool) -> (Aggregate, Vec<Problem>) {
    let parts: Vec<(PathBuf, anyhow::Result<Aggregate>)> = dirs
        .par_iter()
        .map(|d| {
            let r = if d.join("summary.json").is_file() { read_summary(d, redact) } else { read_run(d, redact) };
            (d.clone(), r)
        })
        .collect();
    let mut agg = Aggregate { format: FORMAT, redacted: redact, ..Default::default() };
    let mut problems = Vec::new();
    for (d, r) in parts {
        match r {
            Ok(a) => agg.merge(a),
            Err(e) => problems.push(Problem {
                kind: ProblemKind::Read,
                folder: d.display().to_string(),
                message: japanese_chain(&e),
            }),
        }
    }
    (agg, problems)
}

/// An error's chain of messages, a system error in Japanese (not the OS's
/// English text).
fn japanese_chain(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| match c.downcast_ref::<std::io::Error>() {
            Some(io) => crate::diag::io_error_ja(io),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Runs that do not fit together: other tool versions or rule sets.
pub fn mismatches(agg: &Aggregate) -> Vec<String> {
    let mut out = Vec::new();
    let mut versions: Vec<&str> = agg.runs.iter().map(|r| r.tool_version.as_str()).collect();
    versions.sort();
    versions.dedup();
    if versions.len() > 1 {
        out.push(format!("lsw の版が混在しています: {}", versions.join("、")));
    }
    let mut sets: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &agg.runs {
        *sets.entry(r.rule_set.as_str()).or_default() += 1;
    }
    if sets.len() > 1 {
        let list: Vec<String> =
            sets.iter().map(|(s, n)| format!("{}…（{n}件の実行）", &s[..s.len().min(12)])).collect();
        out.push(format!(
            "点検ルールの設定（有効なルール・重大度・しきい値）が異なる実行が混在しています: {}。件数を比べるときは注意してください",
            list.join("、")
        ));
    }
    out
}

/// What `lsw summary` was asked to do.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    pub dirs: Vec<PathBuf>,
    pub out: PathBuf,
    pub redact: bool,
    pub xlsx: bool,
    pub pdf: Option<crate::render::pdf::EngineOptions>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub offices: usize,
    pub plans: u64,
    pub runs: usize,
    pub problems: Vec<Problem>,
    pub mismatches: Vec<String>,
}

fn write(out: &Path, name: &str, bytes: &[u8], problems: &mut Vec<Problem>) {
    if let Err(e) = crate::files::write_atomic(&out.join(name), bytes) {
        problems.push(Problem {
            kind: ProblemKind::Write,
            folder: out.join(name).display().to_string(),
            message: format!("書き込めません: {}", crate::diag::io_error_ja(&e)),
        });
    }
}

pub fn run(opts: &SummaryOptions) -> anyhow::Result<Outcome> {
    // The same folder named twice would count its plans twice.
    let mut seen = std::collections::BTreeSet::new();
    let dirs: Vec<PathBuf> = opts
        .dirs
        .iter()
        .filter(|d| seen.insert(std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf())))
        .cloned()
        .collect();
    let (agg, mut problems) = collect(&dirs, opts.redact);
    let mismatches = mismatches(&agg);
    let tables = render::tables(&agg);
    crate::files::create_out_dir(&opts.out)?;
    let out = &opts.out;
    // The PDF's data first: the aggregate and tables are dropped before
    // typst runs, so the two never add up in memory.
    let pdf_data = match &opts.pdf {
        Some(o) => Some(serde_json::to_vec(&render::pdf_data(
            &agg,
            &tables,
            &mismatches,
            &crate::render::pdf::run_date(o.moment),
        ))?),
        None => None,
    };
    for t in &tables {
        write(out, &format!("summary-{}.csv", t.name), &render::csv(t), &mut problems);
    }
    if opts.xlsx {
        match render::xlsx(&tables) {
            Ok(b) => write(out, "summary.xlsx", &b, &mut problems),
            // The library's words are not shown (a summary problem has no
            // detail field); the Japanese says which file and why.
            Err(_) => problems.push(Problem {
                kind: ProblemKind::Write,
                folder: out.display().to_string(),
                message: "summary.xlsx を作れませんでした（Excelファイルの組み立てに失敗しました）".to_string(),
            }),
        }
    }
    #[derive(Serialize)]
    struct Tool {
        name: &'static str,
        version: &'static str,
    }
    #[derive(Serialize)]
    struct SummaryJson<'a> {
        tool: Tool,
        redacted: bool,
        mismatches: &'a [String],
        problems: &'a [Problem],
        tables: &'a [render::Table],
        aggregate: &'a Aggregate,
    }
    let read_problems = problems.clone();
    let json = crate::files::json_bytes(&SummaryJson {
        tool: Tool { name: "lsw", version: env!("CARGO_PKG_VERSION") },
        redacted: agg.redacted,
        mismatches: &mismatches,
        problems: &read_problems,
        tables: &tables,
        aggregate: &agg,
    });
    let (offices, plans, runs) = (agg.offices.len(), agg.offices.values().map(|o| o.plans).sum(), agg.runs.len());
    drop(tables);
    drop(agg);
    write(out, "summary.json", &json, &mut problems);
    drop(json);
    if let (Some(o), Some(data)) = (&opts.pdf, pdf_data) {
        let engine = crate::render::pdf::Engine::new(o)?;
        engine.require(&[crate::render::pdf::Kind::Summary])?;
        match engine.render(crate::render::pdf::Kind::Summary, data, "lsw-summary") {
            Ok(b) => write(out, "summary.pdf", &b, &mut problems),
            Err(e) => {
                problems.push(Problem { kind: ProblemKind::Write, folder: out.display().to_string(), message: e.0 })
            }
        }
    }
    problems.sort();
    Ok(Outcome { offices, plans, runs, problems, mismatches })
}
