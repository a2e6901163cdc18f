//! Batch: the `lsw run` pipeline over many files.
//!
//! In: input paths, options. Out: the contract output layout under `--out`
//! (manifest.json, plans.csv, errors.json, offices/<office>/plans/<key>/plan.json),
//! every file written atomically. Files are read, recognised and mapped in
//! parallel (rayon); records are then grouped into plans in one place so that
//! plans can join across files.

pub mod discover;
pub mod incremental;
mod manifest;
mod offices;
mod plan_job;
pub mod progress;
mod read;
mod setup;
pub mod spill;
mod tables;

pub use manifest::FileEntry;
pub use offices::REPORT_PLANS;
pub use read::{
    ingest_and_map, ingest_and_map_with, load_mappings, map_files, process_file, FileResult, Mapped, BATCH_BYTES,
};
pub use setup::load_lsw_rules;
pub use tables::PlanColumn;

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::encoding::EncodingChoice;
use anyhow::Context as _;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub mappings: Vec<String>,
    pub encoding: EncodingChoice,
    pub jobs: Option<usize>,
    pub quiet: bool,
    /// An office's own placement rules for the Life Support Work forms.
    pub lsw_rules: Option<PathBuf>,
    /// Skip the workbooks (lsw.xlsx, findings.xlsx).
    pub no_xlsx: bool,
    /// Audit settings (`--config`).
    pub audit_config: Option<PathBuf>,
    /// PDF settings; `None` skips the PDFs (`--no-pdf`).
    pub pdf: Option<crate::render::pdf::EngineOptions>,
    /// Redo every plan, whatever earlier runs left (`--force`).
    pub force: bool,
    /// Input bytes read together at most (see [`read::BATCH_BYTES`]).
    pub batch_bytes: u64,
    /// Plans per office report volume (see [`offices::REPORT_PLANS`]).
    pub report_plans: usize,
    /// The office's roster (利用者一覧, `--roster`): numbers for plans read
    /// from forms that carry none.
    pub roster: Option<PathBuf>,
    /// The day the plans are audited against (`--audit-date`); `None`: the
    /// run's day in Japan (`SOURCE_DATE_EPOCH` when set).
    pub audit_date: Option<chrono::NaiveDate>,
}

impl RunOptions {
    /// Options with the defaults of `lsw run INPUTS --out OUT`.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> RunOptions {
        RunOptions {
            inputs,
            out,
            mappings: Vec::new(),
            encoding: EncodingChoice::Auto,
            jobs: None,
            quiet: false,
            lsw_rules: None,
            no_xlsx: false,
            audit_config: None,
            pdf: None,
            force: false,
            batch_bytes: read::BATCH_BYTES,
            report_plans: offices::REPORT_PLANS,
            roster: None,
            audit_date: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub files: usize,
    pub files_read: usize,
    pub plans: usize,
    pub records: usize,
    pub duplicates: usize,
    pub skipped_records: usize,
    /// Plan values no rule placed on the forms (in each lsw.json's `unclassified`).
    pub unclassified: usize,
    /// Findings per severity: error, warning, info.
    pub findings: [usize; 3],
    /// PDFs written (lsw.pdf per plan, audit-report.pdf per office).
    pub pdfs: usize,
    /// Plans whose files an earlier run wrote with the same fingerprint.
    pub reused: usize,
    /// Plan folders removed because their inputs are gone.
    pub removed: usize,
    /// Earlier plans this run did not have but kept, because an input of
    /// theirs could not be read this time (see `incremental::kept`).
    pub kept: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub counts: Counts,
    /// Findings per rule code, per severity (error, warning, info).
    pub by_code: [BTreeMap<String, usize>; 3],
    pub elapsed_ms: u128,
}

impl RunSummary {
    pub fn exit_code(&self) -> u8 {
        if self.counts.errors > 0 {
            2
        } else {
            0
        }
    }

    /// The final summary line.
    pub fn line(&self) -> String {
        let c = &self.counts;
        let incremental = if c.reused + c.removed + c.kept > 0 {
            let kept = if c.kept > 0 {
                format!("、入力を読めず前回の出力を残したもの {}件", c.kept)
            } else {
                String::new()
            };
            format!("（前回のまま {}件、入力がなくなり削除 {}件{kept}）", c.reused, c.removed)
        } else {
            String::new()
        };
        format!(
            "完了: 計画 {}件{incremental} / ファイル {}件（読めたもの {}件） / レコード {}件（重複 {}件を統合） / 様式に未分類 {}件 / 点検 エラー {}件・警告 {}件・情報 {}件 / PDF {}件 / 読み込みエラー {}件 / {:.1}秒",
            c.plans,
            c.files,
            c.files_read,
            c.records,
            c.duplicates,
            c.unclassified,
            c.findings[0],
            c.findings[1],
            c.findings[2],
            c.pdfs,
            c.errors,
            self.elapsed_ms as f64 / 1000.0
        )
    }

    /// One line per severity with findings: `点検 警告 3件: L3-04 2件、T1-12 1件`.
    pub fn severity_lines(&self) -> Vec<String> {
        use crate::audit::Severity;
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .zip(&self.by_code)
            .filter(|(_, codes)| !codes.is_empty())
            .map(|(s, codes)| {
                let total: usize = codes.values().sum();
                let each: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}件")).collect();
                format!("点検 {} {total}件: {}", s.ja(), each.join("、"))
            })
            .collect()
    }
}

pub fn thread_pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build().context("スレッドを用意できません")
}

/// `lsw run`: the stages, in order.
pub fn run(opts: &RunOptions) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    // 1. What the run needs before reading: mappings, rules, settings, the
    //    locked output folder, what earlier runs left, the PDF workers.
    let mut setup = setup::Setup::prepare(opts)?;
    let out = opts.out.as_path();
    let progress = Arc::new(progress::Progress::new(opts.quiet));

    // 2. Read and map the inputs; each plan goes through the plan job as
    //    soon as it is built (its files are written then).
    let roster_problems = std::mem::take(&mut setup.problems);
    let job = plan_job::PlanJob::new(opts, &setup, progress.clone());
    // The output folder is never an input, even when it sits inside one.
    let mut found = Vec::new();
    let files = discover::discover(&opts.inputs, std::slice::from_ref(&opts.out), &mut found);
    // Inputs and folders that could not be read: their earlier plans are not gone.
    let mut unread: Vec<PathBuf> = found.iter().map(|p| PathBuf::from(&*p.location.file)).collect();
    let reading = read::Reading {
        mappings: &setup.mappings,
        choice: opts.encoding,
        pool: &setup.pool,
        batch_bytes: opts.batch_bytes,
        roster: setup.roster.as_ref(),
    };
    let read::Mapped { entries, assembled, mut problems, mut counts, read_ms, assemble_ms, .. } =
        read::map_files(files, found, &reading, |f| job.run(f));
    problems.extend(roster_problems);
    let t2 = Instant::now();
    let written: Vec<(crate::model::PlanKey, plan_job::Written)> =
        assembled.keys.into_iter().zip(assembled.plans).collect();
    let (mut spill, tally) = job.finish();

    // 3. Earlier runs' plans: reused, kept (their inputs unreadable now), removed.
    counts.reused = written.iter().filter(|(_, w)| w.reused).count();
    unread.extend(entries.iter().filter(|e| e.mapping.is_none()).map(|e| PathBuf::from(&e.file)));
    let previous = &setup.previous;
    let mut current = written_paths(&written);
    let kept = incremental::kept(previous, &current, &unread, counts.files_read == 0);
    counts.kept = kept.len();
    current.extend(kept.iter().cloned());
    counts.removed = incremental::remove_gone(out, &previous.plan_paths, &current).len();
    let kept_plans: Vec<serde_json::Value> =
        kept.iter().filter_map(|p| previous.plan_entries.get(p).cloned()).collect();
    counts.unclassified = written.iter().map(|(_, w)| w.unclassified as usize).sum();
    counts.findings = tally.findings;

    // 4. The run-level tables, in plan-key order from the spill.
    tables::write_run_tables(out, &written, &mut spill, &mut problems);

    // 5. The office outputs (findings.xlsx, audit report volumes).
    progress.note("事業所の報告書を作っています");
    let offices = offices::office_outputs(
        &offices::OfficeJob {
            out,
            settings: &setup.settings,
            previous: &setup.previous,
            journal: &setup.journal,
            run_date: &setup.run_date,
            report_plans: opts.report_plans,
        },
        &written,
        &mut spill,
        !opts.no_xlsx,
        setup.renderer.as_ref(),
        &mut problems,
    );

    // 6. Wait for the PDFs.
    if let Some(pool) = setup.renderer.take() {
        let report = pool.finish();
        counts.pdfs = report.written;
        problems.extend(
            report
                .failures
                .into_iter()
                .map(|(path, msg)| Problem::new(ProblemKind::Output, Source::file(path.display().to_string()), msg)),
        );
    }
    progress.finish();

    // 7. errors.json.
    problems.extend(written.iter().filter_map(|(_, w)| w.problem.as_deref().cloned()));
    problems.sort();
    problems.dedup();
    counts.errors = problems.len();
    tables::write_file(out, "errors.json", &crate::files::json_bytes(&problems), &mut problems);
    let write_ms = t2.elapsed().as_millis();

    // 8. manifest.json, last; then the journal goes.
    manifest::write(
        &manifest::Run {
            opts,
            setup: &setup,
            entries: &entries,
            written: &written,
            kept_plans,
            offices,
            counts: &counts,
            timings: manifest::Timings {
                read_and_map: read_ms,
                assemble: assemble_ms,
                write: write_ms,
                total: started.elapsed().as_millis(),
            },
        },
        &problems,
        &mut spill,
    )?;
    if let Ok(j) = Arc::try_unwrap(setup.journal) {
        j.close(out);
    }
    Ok(RunSummary { counts, by_code: tally.by_code, elapsed_ms: started.elapsed().as_millis() })
}

/// The folder of every plan this run built.
fn written_paths(written: &[(crate::model::PlanKey, plan_job::Written)]) -> HashSet<String> {
    written.iter().map(|(k, w)| tables::slash(&w.dir(k))).collect()
}
