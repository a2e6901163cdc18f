//! Batch: the `lsw run` pipeline over many files.
//!
//! In: input paths, options. Out: the contract output layout under `--out`
//! (manifest.json, plans.csv, errors.json, offices/<office>/plans/<key>/plan.json),
//! every file written atomically. Files are read, recognised and mapped in
//! parallel (rayon); records are then grouped into plans in one place so that
//! plans can join across files.

pub mod discover;
mod guard;
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
    /// lsw.xlsx files changed by hand and kept; the new one is lsw.new.xlsx.
    pub workbooks_kept: usize,
    /// errors.json entries that are not warnings: inputs or outputs that
    /// could not be processed (exit code 2).
    pub errors: usize,
    /// errors.json entries that are warnings (`ProblemKind::Warning`): read,
    /// with a caveat a person should check; they leave the exit code alone.
    pub warnings: usize,
}

/// errors.json entries the end-of-run summary shows (the rest are counted
/// and found in errors.json).
pub const SHOWN_PROBLEMS: usize = 5;

#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub counts: Counts,
    /// Findings per rule code, per severity (error, warning, info).
    pub by_code: [BTreeMap<String, usize>; 3],
    pub elapsed_ms: u128,
    /// The first errors.json entries that are not warnings, then the first
    /// warnings ([`SHOWN_PROBLEMS`] of each at most), in errors.json's order.
    pub first_problems: Vec<Problem>,
    /// Whether plans.csv, findings.csv and findings.json were written: a run
    /// that built no plan and has errors leaves them (the previous run's, if
    /// any, stay beside its kept plans).
    pub tables_written: bool,
    /// Outputs that could not be written (errors.json lists them), and how
    /// many of those because the disk is full.
    pub unwritten: usize,
    pub disk_full: usize,
    /// Whether errors.json itself was among them.
    pub errors_json_unwritten: bool,
}

impl RunSummary {
    pub fn exit_code(&self) -> u8 {
        if self.counts.errors > 0 {
            2
        } else {
            0
        }
    }

    /// The end-of-run summary, a few lines: what was made, from what.
    pub fn lines(&self, out: &std::path::Path) -> Vec<String> {
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
        let seconds = self.elapsed_ms as f64 / 1000.0;
        let read = format!(
            "  入力: ファイル {}件（読めたもの {}件）、レコード {}件（重複 {}件をまとめました）",
            c.files, c.files_read, c.records, c.duplicates
        );
        if c.plans == 0 && c.errors > 0 {
            return vec![format!("終了: 計画を1件も作れませんでした{incremental}（{seconds:.1}秒）"), read];
        }
        let mut lines = vec![
            format!("完了: 計画 {}件{incremental} を {} に書きました（{seconds:.1}秒）", c.plans, out.display()),
            read,
        ];
        if c.unclassified > 0 {
            lines.push(format!(
                "  様式に振り分けられなかった値: {}件（各計画の lsw.pdf・lsw.xlsx に一覧）",
                c.unclassified
            ));
        }
        if c.pdfs > 0 {
            lines.push(format!("  PDF: {}件", c.pdfs));
        }
        if c.workbooks_kept > 0 {
            lines.push(format!(
                "  手で変更された lsw.xlsx は残し、新しいものを lsw.new.xlsx に書きました: {}件（errors.json に一覧）",
                c.workbooks_kept
            ));
        }
        lines.push(format!("  点検: エラー {}件・警告 {}件・情報 {}件", c.findings[0], c.findings[1], c.findings[2]));
        lines.extend(self.severity_lines().into_iter().map(|l| format!("  {l}")));
        lines
    }

    /// One line per severity with findings: `点検 警告 3件: L3-04 2件、T1-12 1件`.
    /// Outputs the run could not write, said even in a quiet run: a
    /// nightly job's log must show a full disk, not only errors.json.
    pub fn unwritten_line(&self) -> Option<String> {
        if self.unwritten == 0 {
            return None;
        }
        let why = if self.disk_full > 0 {
            format!("（うち {}件は{}）", self.disk_full, crate::diag::DISK_FULL_JA)
        } else {
            String::new()
        };
        let list = if self.errors_json_unwritten {
            "その一覧の errors.json も書き込めませんでした"
        } else {
            "一覧は errors.json にあります"
        };
        Some(format!(
            "エラー: 出力 {}件を書き込めませんでした{why}。{list}。書き込めたファイルと前回の出力は残っています。出力先の空きや権限を確かめてから、もう一度実行してください",
            self.unwritten
        ))
    }

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
    let mut reserve = Reserve::take(out);
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

    // 4. The run-level tables, in plan-key order from the spill — unless
    //    the run built no plan because of errors (a wrong path, a share not
    //    mounted): empty tables beside an error would read as "no plans",
    //    and the previous run's tables still describe its kept plans.
    let failed_empty =
        written.is_empty() && counts.removed == 0 && problems.iter().any(|p| p.kind != ProblemKind::Warning);
    // On a disk the plans filled, the reserve makes room for them.
    reserve.release();
    if !failed_empty {
        tables::write_run_tables(out, &written, &mut spill, &mut problems);
    }

    // 5. The office outputs (findings.xlsx, audit report volumes).
    if !written.is_empty() {
        progress.note("事業所の報告書を作っています");
    }
    let offices = offices::office_outputs(
        &offices::OfficeJob {
            out,
            settings: &setup.settings,
            previous: &setup.previous,
            journal: &setup.journal,
            run_date: &setup.run_date,
            report_plans: opts.report_plans,
            places: &setup.places,
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

    // 7. errors.json, in the last of the reserve.
    reserve.release();
    problems.extend(written.iter().filter_map(|(_, w)| w.problem.as_deref().cloned()));
    counts.workbooks_kept = written.iter().filter(|(_, w)| w.workbook_kept.is_some()).count();
    problems.extend(written.iter().filter_map(|(_, w)| w.workbook_kept.as_deref().cloned()));
    problems.sort();
    problems.dedup();
    counts.warnings = problems.iter().filter(|p| p.kind == ProblemKind::Warning).count();
    counts.errors = problems.len() - counts.warnings;
    let first_problems = {
        let (warnings, errors): (Vec<&Problem>, Vec<&Problem>) =
            problems.iter().partition(|p| p.kind == ProblemKind::Warning);
        errors.into_iter().take(SHOWN_PROBLEMS).chain(warnings.into_iter().take(SHOWN_PROBLEMS)).cloned().collect()
    };
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
    )
    .map_err(|e| unwritten(e, &problems))?;
    if let Ok(j) = Arc::try_unwrap(setup.journal) {
        j.close(out);
    }
    let output: Vec<&Problem> = problems.iter().filter(|p| p.kind == ProblemKind::Output).collect();
    Ok(RunSummary {
        counts,
        by_code: tally.by_code,
        elapsed_ms: started.elapsed().as_millis(),
        first_problems,
        tables_written: !failed_empty,
        unwritten: output.len(),
        disk_full: output.iter().filter(|p| p.message.contains(crate::diag::DISK_FULL_JA)).count(),
        errors_json_unwritten: output.iter().any(|p| p.location.file.ends_with("errors.json")),
    })
}

/// Room held on the output's disk while the plans are written and given
/// back in two halves, before the run tables (plans.csv, findings) and
/// before errors.json and the manifest: when the plans fill the disk, the
/// files that say what happened are still written, errors.json first of
/// all. Whatever part of it the disk allows is held; the files go
/// whenever the run ends.
struct Reserve(Vec<PathBuf>);

/// Enough for the tables of a run of tens of thousands of plans.
const RESERVE_BYTES: usize = 8 << 20;

impl Reserve {
    fn take(out: &std::path::Path) -> Reserve {
        use std::io::Write as _;
        // At most an eighth of what is free: on a small disk the reserve
        // must not be what makes the plans fail.
        let bytes = free_bytes(out).map_or(RESERVE_BYTES, |free| RESERVE_BYTES.min((free / 8) as usize));
        let chunk = vec![0u8; 64 << 10];
        let mut held = Vec::new();
        for name in RESERVE_NAMES {
            let path = out.join(name);
            let Ok(mut f) = std::fs::File::create(&path) else { break };
            held.push(path);
            let mut left = bytes / 2;
            while left > 0 {
                let n = left.min(chunk.len());
                if f.write_all(&chunk[..n]).is_err() {
                    break;
                }
                left -= n;
            }
        }
        // Given back last-taken first (pop): the second half is the one a
        // full disk cut short, the whole first half is kept for errors.json.
        Reserve(held)
    }

    /// Gives back one half.
    fn release(&mut self) {
        if let Some(p) = self.0.pop() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl Drop for Reserve {
    fn drop(&mut self) {
        while !self.0.is_empty() {
            self.release();
        }
    }
}

/// Free bytes on the disk holding `dir`, where the system says.
#[cfg(target_os = "linux")]
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt as _;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs fills the struct it is given; the path is a valid C string.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

#[cfg(not(target_os = "linux"))]
fn free_bytes(_dir: &std::path::Path) -> Option<u64> {
    None
}

/// The reserve's names in the output folder (dot files: never an input,
/// never listed).
pub const RESERVE_NAMES: [&str; 2] = [".lsw-reserve1", ".lsw-reserve2"];

/// The manifest could not be written (most often a full disk): say how
/// many other outputs failed, since errors.json, which lists them, may
/// have failed too.
fn unwritten(e: anyhow::Error, problems: &[Problem]) -> anyhow::Error {
    let failed = problems.iter().filter(|p| p.kind == ProblemKind::Output).count();
    if failed == 0 {
        return e;
    }
    let errors_json =
        problems.iter().any(|p| p.kind == ProblemKind::Output && p.location.file.ends_with("errors.json"));
    anyhow::anyhow!(
        "{e}\nほかにも書き込めなかったファイルが {failed}件あります{}。書き込めたファイルと前回の出力は残っています。出力先の空きを確かめてから、もう一度実行してください（続きから作り直します）",
        if errors_json { "（その一覧の errors.json も書き込めませんでした）" } else { "（errors.json を見てください）" }
    )
}

/// The folder of every plan this run built.
fn written_paths(written: &[(crate::model::PlanKey, plan_job::Written)]) -> HashSet<String> {
    written.iter().map(|(k, w)| tables::slash(&w.dir(k))).collect()
}
