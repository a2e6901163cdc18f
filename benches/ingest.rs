//! Ingest + map throughput against the bare decode + parse floor.
//!
//! Run: `cargo bench --bench ingest` (set `LSW_BENCH_PLANS` / `LSW_BENCH_OFFICES`
//! for another size; defaults 10,000 plans over 50 offices).
//!
//! Writes a synthetic standard-CSV set (tests/support/bench_gen.rs) under
//! `target/bench-data/`, reused while its parameters stay the same, then
//! times on the same bytes:
//! - bare: `std::fs::read` + `encoding_rs::SHIFT_JIS.decode` + `csv` records,
//!   one thread and rayon over files on all cores: the floor any reader pays;
//! - lsw: `lsw::batch::ingest_and_map` (discover, read, decode, parse,
//!   recognise, map, group into plans) with 1 thread and all cores.
//!
//! Every measurement runs in its own child process (this binary re-executed
//! with `--child`), so each peak RSS (`VmHWM`) is that path's alone and no
//! run inherits another's heap. Each is repeated three times, interleaved,
//! and the best and median are reported as a Markdown table. The exit code
//! is non-zero only when something fails (a child, a wrong plan count, a
//! problem reported); missing the speed goal is reported, not failed.

#[path = "../tests/support/mod.rs"]
mod support;

// The same allocator as the `lsw` binary, so the pipeline is measured as it runs.
#[path = "../src/memory.rs"]
mod memory;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context as _};
use lsw::batch::{ingest_and_map_with, load_mappings, thread_pool};
use lsw::ingest::encoding::EncodingChoice;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SEED: u64 = 20_251_020;
/// Repetitions of each measurement in a benchmark run.
const RUNS: usize = 5;
/// The smoke run's size (see `main`).
const SMOKE_PLANS: usize = 200;
const SMOKE_OFFICES: usize = 4;
/// Prefix of the one line a child prints for the parent.
const RESULT_TAG: &str = "LSW_BENCH_RESULT";
/// The goal from the issue: lsw at least half as fast as the bare path.
/// Issue goal: the forms add less than this to ingest + map.
const FORMS_GOAL_PERCENT: f64 = 20.0;
/// Issue goal: auditing adds less than this to ingest + map.
const AUDIT_GOAL_PERCENT: f64 = 20.0;
const GOAL_RATIO: f64 = 0.5;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --benches` (or
    // `--all-targets`) runs the binary without it, and then a small smoke run
    // checks the harness instead of spending minutes on the full benchmark.
    let result = match args.iter().position(|a| a == "--child") {
        Some(i) => child(&args[i + 1..]),
        None => parent(args.iter().any(|a| a == "--bench")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ingest bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Parent: data set, children, table

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pipeline {
    Bare,
    Lsw,
    /// lsw plus the Life Support Work forms of every plan (issue: < 20% more).
    Forms,
    /// lsw plus the forms and the audit of every plan (issue: the audit adds < 20%).
    Audit,
}

impl Pipeline {
    fn name(self) -> &'static str {
        match self {
            Pipeline::Bare => "bare",
            Pipeline::Lsw => "lsw",
            Pipeline::Forms => "forms",
            Pipeline::Audit => "audit",
        }
    }
}

/// How many threads a run uses: one, or rayon's default (all cores).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Threads {
    One,
    All,
}

impl Threads {
    fn arg(self) -> &'static str {
        match self {
            Threads::One => "1",
            Threads::All => "all",
        }
    }
}

struct Config {
    pipeline: Pipeline,
    threads: Threads,
    runs: Vec<ChildResult>,
}

/// What one child reports.
#[derive(Debug, Clone)]
struct ChildResult {
    elapsed: Duration,
    peak_kib: Option<u64>,
    threads: usize,
    bytes: u64,
    records: u64,
    /// lsw only: its own phase timings (read + map, assemble).
    read_ms: Option<u64>,
    assemble_ms: Option<u64>,
    /// The forms and audit paths: time spent in the forms and in the audit
    /// themselves, summed over the worker threads.
    forms_ns: Option<u64>,
    audit_ns: Option<u64>,
    /// CPU time of the whole child (user, kernel).
    user_ms: Option<u64>,
    sys_ms: Option<u64>,
}

fn parent(full: bool) -> anyhow::Result<()> {
    let (plans, offices, runs) = if full {
        (env_usize("LSW_BENCH_PLANS", 10_000)?, env_usize("LSW_BENCH_OFFICES", 50)?, RUNS)
    } else {
        println!("smoke run ({SMOKE_PLANS} plans, one run each); `cargo bench --bench ingest` measures");
        (SMOKE_PLANS, SMOKE_OFFICES, 1)
    };
    if plans == 0 || offices == 0 {
        bail!("LSW_BENCH_PLANS and LSW_BENCH_OFFICES must be at least 1");
    }
    let dir = ensure_data(plans, offices)?;
    let files = list_files(&dir)?;
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "data: {} ({} files, {:.1} MB, {plans} plans, {offices} offices); cores: {cores}; {runs} run(s) each",
        dir.display(),
        files.len(),
        bytes as f64 / 1e6
    );

    let mut configs = Vec::new();
    for pipeline in [Pipeline::Bare, Pipeline::Lsw, Pipeline::Forms, Pipeline::Audit] {
        configs.push(Config { pipeline, threads: Threads::One, runs: vec![] });
        // On one core "all" would measure the same thing twice.
        if cores > 1 {
            configs.push(Config { pipeline, threads: Threads::All, runs: vec![] });
        }
    }
    let exe = std::env::current_exe().context("cannot find the benchmark's own executable")?;
    // Rounds interleave the paths so a slow phase of the machine (another
    // build, thermal throttling) does not fall on one path only.
    for round in 0..runs {
        for c in &mut configs {
            let r = run_child(&exe, c.pipeline, c.threads, &dir, plans).with_context(|| {
                format!("{} with {} thread(s), run {}", c.pipeline.name(), c.threads.arg(), round + 1)
            })?;
            if r.bytes != bytes {
                bail!("{} read {} bytes, the data set has {bytes}", c.pipeline.name(), r.bytes);
            }
            c.runs.push(r);
        }
    }
    print_report(&configs, bytes, plans, runs);
    Ok(())
}

fn env_usize(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(v) => v.trim().replace('_', "").parse().with_context(|| format!("{name}={v} is not a whole number")),
        Err(_) => Ok(default),
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The data set for these parameters, written unless a complete one exists.
/// A `PARAMS` file, written last, marks a set as complete and records what
/// made it; any change (including the generator's version) rewrites it.
fn ensure_data(plans: usize, offices: usize) -> anyhow::Result<PathBuf> {
    let base = target_dir().join("bench-data");
    let dir = base.join(format!("standard-{plans}p-{offices}o"));
    let params =
        format!("generator={} plans={plans} offices={offices} seed={SEED}", support::bench_gen::GENERATOR_VERSION);
    let marker = dir.join("PARAMS");
    if std::fs::read_to_string(&marker).is_ok_and(|s| s.lines().next() == Some(params.as_str())) {
        return Ok(dir);
    }
    let t = Instant::now();
    // Written beside the final place, then renamed, so an interrupted run
    // never leaves a half set that a later run would take as complete.
    let tmp = base.join(format!("standard-{plans}p-{offices}o.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_context(|| format!("cannot remove {}", tmp.display()))?;
    }
    std::fs::create_dir_all(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let written = support::bench_gen::write_standard_set(&tmp, plans, offices, SEED);
    std::fs::write(tmp.join("PARAMS"), format!("{params}\nbytes={written}\n"))
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove the old {}", dir.display()))?;
    }
    std::fs::rename(&tmp, &dir).with_context(|| format!("cannot move {} to {}", tmp.display(), dir.display()))?;
    println!("generated {:.1} MB in {:.1} s", written as f64 / 1e6, t.elapsed().as_secs_f64());
    Ok(dir)
}

/// Every CSV under `dir`, sorted (PARAMS and anything else is not input).
fn list_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))? {
            let p = e.with_context(|| format!("cannot list {}", d.display()))?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn run_child(
    exe: &Path,
    pipeline: Pipeline,
    threads: Threads,
    dir: &Path,
    plans: usize,
) -> anyhow::Result<ChildResult> {
    let out = Command::new(exe)
        .args(["--child", pipeline.name(), "--threads", threads.arg(), "--plans", &plans.to_string(), "--dir"])
        .arg(dir)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot start the child process")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("child exited with {}; its output:\n{stdout}", out.status);
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(RESULT_TAG))
        .with_context(|| format!("child printed no {RESULT_TAG} line; its output:\n{stdout}"))?;
    let kv: HashMap<&str, &str> = line.split_whitespace().filter_map(|w| w.split_once('=')).collect();
    let num = |k: &str| -> anyhow::Result<u64> {
        kv.get(k)
            .with_context(|| format!("child result lacks {k}: {line}"))?
            .parse()
            .with_context(|| format!("bad {k} in {line}"))
    };
    let opt = |k: &str| kv.get(k).and_then(|v| v.parse().ok());
    Ok(ChildResult {
        elapsed: Duration::from_nanos(num("nanos")?),
        peak_kib: opt("peak_kib"),
        threads: num("threads")? as usize,
        bytes: num("bytes")?,
        records: num("records")?,
        read_ms: opt("read_ms"),
        assemble_ms: opt("assemble_ms"),
        forms_ns: opt("forms_ns"),
        audit_ns: opt("audit_ns"),
        user_ms: opt("user_ms"),
        sys_ms: opt("sys_ms"),
    })
}

fn best_and_median(runs: &[ChildResult]) -> (Duration, Duration) {
    let mut t: Vec<Duration> = runs.iter().map(|r| r.elapsed).collect();
    t.sort();
    (t[0], t[t.len() / 2])
}

fn print_report(configs: &[Config], bytes: u64, plans: usize, runs: usize) {
    let config =
        |pipeline: Pipeline, threads: Threads| configs.iter().find(|c| c.pipeline == pipeline && c.threads == threads);
    let best_of = |pipeline: Pipeline, threads: Threads| config(pipeline, threads).map(|c| best_and_median(&c.runs).0);
    println!();
    println!("| path | threads | best (s) | median (s) | MB/s | plans/s | peak RSS (MiB) | lsw / bare |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut verdicts = Vec::new();
    for c in configs {
        let (best, median) = best_and_median(&c.runs);
        let secs = best.as_secs_f64();
        let peak = c.runs.iter().filter_map(|r| r.peak_kib).max();
        let label = match c.pipeline {
            Pipeline::Bare => "bare decode + csv",
            Pipeline::Lsw => "lsw ingest + map",
            Pipeline::Forms => "lsw ingest + map + 様式1〜4",
            Pipeline::Audit => "lsw ingest + map + 様式1〜4 + 点検",
        };
        let ratio = match (c.pipeline, best_of(Pipeline::Bare, c.threads)) {
            (Pipeline::Forms | Pipeline::Audit, Some(bare)) => format!("{:.2}×", bare.as_secs_f64() / secs),
            (Pipeline::Lsw, Some(bare)) => {
                // Speed ratio: bare time over lsw time (1.0 = as fast as bare).
                let r = bare.as_secs_f64() / secs;
                verdicts.push((c.runs[0].threads, r));
                format!("{r:.2}×")
            }
            _ => "—".into(),
        };
        println!(
            "| {label} | {} | {:.3} | {:.3} | {:.1} | {:.0} | {} | {ratio} |",
            c.runs[0].threads,
            secs,
            median.as_secs_f64(),
            bytes as f64 / 1e6 / secs,
            plans as f64 / secs,
            peak.map_or_else(|| "n/a".into(), |k| format!("{:.0}", k as f64 / 1024.0)),
        );
    }
    println!();
    println!(
        "MB = 10^6 bytes of CP932 input; plans/s counts the {plans} plans the input holds (bare builds none); \
         best of {runs} run(s), each in its own process; peak RSS is the largest VmHWM of those runs."
    );
    // Both count CSV records (lsw after its row filter), so they should agree.
    let records = |p: Pipeline| configs.iter().find(|c| c.pipeline == p).map_or(0, |c| c.runs[0].records);
    println!("CSV records per run: bare {}, lsw {}", records(Pipeline::Bare), records(Pipeline::Lsw));
    for c in configs.iter().filter(|c| c.pipeline == Pipeline::Lsw) {
        let med = |f: fn(&ChildResult) -> Option<u64>| {
            let mut v: Vec<u64> = c.runs.iter().filter_map(f).collect();
            v.sort_unstable();
            v.get(v.len() / 2).copied()
        };
        if let (Some(read), Some(asm)) = (med(|r| r.read_ms), med(|r| r.assemble_ms)) {
            println!(
                "lsw phases ({} thread(s), median): read + recognise + map {read} ms, assemble {asm} ms",
                c.runs[0].threads
            );
        }
    }
    for threads in [Threads::One, Threads::All] {
        if let (Some(map), Some(forms)) = (best_of(Pipeline::Lsw, threads), best_of(Pipeline::Forms, threads)) {
            // Between separate runs, as for the audit below: a cross-check.
            let added = (forms.as_secs_f64() - map.as_secs_f64()) / map.as_secs_f64() * 100.0;
            println!(
                "様式1〜4 add {added:.1}% to ingest + map ({} thread(s), difference of separate runs' best; a cross-check that varies with the VM)",
                threads.arg()
            );
        }
        let inside = config(Pipeline::Forms, threads).and_then(|c| inside(c, |r| r.forms_ns, |r| r.forms_ns));
        if let Some((median, lo, hi)) = inside {
            println!(
                "様式1〜4 inside the forms runs: {median:.1}% of the same run's ingest + map (median; {lo:.1}–{hi:.1}%; {} thread(s); goal < {FORMS_GOAL_PERCENT}%): {}",
                threads.arg(),
                if median < FORMS_GOAL_PERCENT { "met" } else { "NOT met" }
            );
        }
    }
    for threads in [Threads::One, Threads::All] {
        let (Some(map), Some(forms), Some(audit)) =
            (best_of(Pipeline::Lsw, threads), best_of(Pipeline::Forms, threads), best_of(Pipeline::Audit, threads))
        else {
            continue;
        };
        // What the audit adds over the forms it reads, between separate
        // runs: every run's variation (±10% on this VM) lands on the
        // difference, so it is a cross-check; the verdict is the measure
        // inside the runs below.
        let added = (audit.as_secs_f64() - forms.as_secs_f64()) / map.as_secs_f64() * 100.0;
        println!(
            "点検 adds {added:.1}% to ingest + map ({} thread(s), difference of separate runs' best; a cross-check that varies with the VM)",
            threads.arg()
        );
        // The same, measured inside each audit run: the time in audit() over
        // the rest of that run (the forms taken out).
        let all = |r: &ChildResult| Some(r.forms_ns? + r.audit_ns?);
        if let Some((median, lo, hi)) = config(Pipeline::Audit, threads).and_then(|c| inside(c, |r| r.audit_ns, all)) {
            println!(
                "点検 inside the audit runs: {median:.1}% of the same run's ingest + map (median; {lo:.1}–{hi:.1}%; {} thread(s); goal < {AUDIT_GOAL_PERCENT}%): {}",
                threads.arg(),
                if median < AUDIT_GOAL_PERCENT { "met" } else { "NOT met" }
            );
        }
        // Does the work slow what is around it (caches, allocator)? The
        // ingest + map left in each kind of run, the timed forms and audit
        // taken out: what the audit runs' rest exceeds the forms runs' rest
        // by is the audit's indirect cost.
        let rest = |p: Pipeline| {
            config(p, threads)?
                .runs
                .iter()
                .map(|r| {
                    let n = r.threads.max(1) as f64;
                    let timed = (r.forms_ns.unwrap_or(0) + r.audit_ns.unwrap_or(0)) as f64 / n;
                    r.elapsed.as_secs_f64() - timed / 1e9
                })
                .min_by(f64::total_cmp)
        };
        if let (Some(a), Some(b), Some(c)) = (rest(Pipeline::Lsw), rest(Pipeline::Forms), rest(Pipeline::Audit)) {
            println!(
                "  ingest + map left in the runs (best; {} thread(s)): alone {a:.3} s, beside the forms {b:.3} s, beside forms + audit {c:.3} s",
                threads.arg()
            );
        }
        // CPU time per kind of run (medians): user time is the work, kernel
        // time mostly the clearing of fresh pages, which varies by run.
        let cpu = |p: Pipeline, f: fn(&ChildResult) -> Option<u64>| {
            let mut v: Vec<u64> = config(p, threads)?.runs.iter().filter_map(f).collect();
            v.sort_unstable();
            v.get(v.len() / 2).map(|ms| *ms as f64 / 1000.0)
        };
        let kinds = [Pipeline::Lsw, Pipeline::Forms, Pipeline::Audit];
        let user: Vec<Option<f64>> = kinds.iter().map(|p| cpu(*p, |r| r.user_ms)).collect();
        let sys: Vec<Option<f64>> = kinds.iter().map(|p| cpu(*p, |r| r.sys_ms)).collect();
        if let ([Some(ul), Some(uf), Some(ua)], [Some(sl), Some(sf), Some(sa)]) = (&user[..], &sys[..]) {
            println!(
                "  CPU (median user + kernel s; {} thread(s)): alone {ul:.2} + {sl:.2}, with the forms {uf:.2} + {sf:.2}, with forms + audit {ua:.2} + {sa:.2}; the audit's user time over the forms runs: {:.1}% of ingest + map's",
                threads.arg(),
                (ua - uf) / ul * 100.0
            );
        }
    }
    let met = verdicts.iter().all(|(_, r)| *r >= GOAL_RATIO);
    let detail: Vec<String> = verdicts.iter().map(|(t, r)| format!("{t} thread(s): {r:.2}×")).collect();
    println!("goal lsw ≥ {GOAL_RATIO} × bare: {} ({})", if met { "met" } else { "NOT met" }, detail.join(", "));
}

// ---------------------------------------------------------------------------
// Child: one measurement

fn child(args: &[String]) -> anyhow::Result<()> {
    // As the lsw binary does (bare runs with the same setting).
    memory::keep_freed_memory();
    let mut kind = None;
    let mut threads = None;
    let mut plans = None;
    let mut dir = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--threads" => threads = Some(value()?.clone()),
            "--plans" => plans = Some(value()?.parse::<usize>().context("--plans is not a number")?),
            "--dir" => dir = Some(PathBuf::from(value()?)),
            "bare" | "lsw" | "forms" | "audit" if kind.is_none() => kind = Some(a.clone()),
            _ => {}
        }
    }
    let dir = dir.context("--dir missing")?;
    let jobs = match threads.as_deref() {
        Some("all") => None,
        Some(n) => Some(n.parse::<usize>().context("--threads is not a number")?),
        None => bail!("--threads missing"),
    };
    match kind.as_deref() {
        Some("bare") => child_bare(&dir, jobs),
        Some(k @ ("lsw" | "forms" | "audit")) => child_lsw(&dir, jobs, plans.context("--plans missing")?, k),
        _ => bail!("--child needs bare or lsw"),
    }
}

/// Totals of the bare path; the field count keeps the parse from being
/// optimised away and shows both paths saw the same records.
#[derive(Default, Clone, Copy)]
struct Bare {
    bytes: u64,
    records: u64,
    fields: u64,
}

impl std::ops::Add for Bare {
    type Output = Bare;
    fn add(self, o: Bare) -> Bare {
        Bare { bytes: self.bytes + o.bytes, records: self.records + o.records, fields: self.fields + o.fields }
    }
}

/// The floor: read, decode CP932, split into records. One `StringRecord` is
/// reused per file, the cheapest way the `csv` crate offers; lsw must do at
/// least this much and more (keep the records, map, group).
fn bare_file(path: &Path) -> anyhow::Result<Bare> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    if had_errors {
        bail!("{} is not valid CP932", path.display());
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut out = Bare { bytes: bytes.len() as u64, ..Bare::default() };
    while reader.read_record(&mut record).with_context(|| format!("cannot parse {}", path.display()))? {
        out.records += 1;
        out.fields += record.len() as u64;
    }
    Ok(out)
}

fn child_bare(dir: &Path, jobs: Option<usize>) -> anyhow::Result<()> {
    let t = Instant::now();
    // Listing is part of the work, as discovery is part of lsw's.
    let files = list_files(dir)?;
    let (total, threads) = match jobs {
        Some(1) => (files.iter().map(|f| bare_file(f)).try_fold(Bare::default(), |a, b| b.map(|b| a + b))?, 1),
        _ => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build()?;
            let total =
                pool.install(|| files.par_iter().map(|f| bare_file(f)).try_reduce(Bare::default, |a, b| Ok(a + b)))?;
            (total, pool.current_num_threads())
        }
    };
    let elapsed = t.elapsed();
    println!(
        "{RESULT_TAG} kind=bare threads={threads} nanos={} bytes={} records={} fields={}{}",
        elapsed.as_nanos(),
        total.bytes,
        total.records,
        total.fields,
        peak_field() + &cpu_field()
    );
    Ok(())
}

fn child_lsw(dir: &Path, jobs: Option<usize>, plans: usize, kind: &str) -> anyhow::Result<()> {
    // Loading the built-in mappings (regex compilation) is a fixed cost
    // per run, not per byte, so it stays outside the timed part.
    let mappings = load_mappings(&[])?;
    let pool = thread_pool(jobs)?;
    let t = Instant::now();
    // As `lsw run` does, each plan is handed on as soon as it is built and
    // then dropped (the run writes it); what is kept is a small summary.
    let rules = lsw::lsw::rules::builtin();
    // Audited on a fixed day, as `lsw run` audits on its run's day: the rules
    // about dates run too.
    let (constants, config) = (
        lsw::audit::Constants::builtin(),
        lsw::audit::Config::default().on(chrono::NaiveDate::from_ymd_opt(2025, 10, 20)),
    );
    // The audit path also times its forms and its audit inside the run (a
    // second measure beside the difference between runs, which the VM's
    // run-to-run variation blurs).
    let (forms_ns, audit_ns) = (AtomicU64::new(0), AtomicU64::new(0));
    let mapped = ingest_and_map_with(&[dir.to_path_buf()], &mappings, EncodingChoice::Auto, &pool, |f| match kind {
        "forms" => {
            let t0 = Instant::now();
            let n = lsw::lsw::convert(&f.plan, &rules).form3.needs.len();
            forms_ns.fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
            n
        }
        "audit" => {
            let t0 = Instant::now();
            let forms = lsw::lsw::convert(&f.plan, &rules);
            let t1 = Instant::now();
            let a = lsw::audit::audit(&f.plan, &forms, &f.office_dir, &constants, &config);
            // Keep the findings from being optimised away.
            std::hint::black_box(&a);
            drop(a);
            let t2 = Instant::now();
            forms_ns.fetch_add((t1 - t0).as_nanos() as u64, Ordering::Relaxed);
            audit_ns.fetch_add((t2 - t1).as_nanos() as u64, Ordering::Relaxed);
            forms.form3.needs.len()
        }
        _ => f.plan.table2.needs.len(),
    });
    let elapsed = t.elapsed();
    let inside = match kind {
        "forms" => format!(" forms_ns={}", forms_ns.into_inner()),
        "audit" => format!(" forms_ns={} audit_ns={}", forms_ns.into_inner(), audit_ns.into_inner()),
        _ => String::new(),
    };
    if mapped.assembled.plans.iter().sum::<usize>() == 0 {
        bail!("no 第2表 needs were built");
    }
    if !mapped.problems.is_empty() {
        for p in mapped.problems.iter().take(10) {
            eprintln!("  {p}");
        }
        bail!("lsw reported {} problem(s) on the generated set (first ones above)", mapped.problems.len());
    }
    if mapped.counts.plans != plans {
        bail!("lsw found {} plans, the set holds {plans}", mapped.counts.plans);
    }
    let bytes: u64 = mapped.entries.iter().map(|e| e.size).sum();
    println!(
        "{RESULT_TAG} kind={} threads={} nanos={} bytes={bytes} records={} plans={} read_ms={} assemble_ms={}{inside}{}",
        kind,
        pool.current_num_threads(),
        elapsed.as_nanos(),
        mapped.counts.records,
        mapped.counts.plans,
        mapped.read_ms,
        mapped.assemble_ms,
        peak_field() + &cpu_field()
    );
    Ok(())
}

/// A timed part of each run (`part`, ns) as a share of the rest of that run
/// (its time without everything timed inside it, `timed`): median, lowest,
/// highest in percent. Times are summed over the workers and divided by
/// their number, so with several threads this assumes the part spreads over
/// them as the rest of the work does.
fn inside(
    c: &Config,
    part: fn(&ChildResult) -> Option<u64>,
    timed: fn(&ChildResult) -> Option<u64>,
) -> Option<(f64, f64, f64)> {
    let mut shares = Vec::new();
    for r in &c.runs {
        let n = r.threads.max(1) as f64;
        let (Some(part), Some(timed)) = (part(r), timed(r)) else { continue };
        let rest = r.elapsed.as_nanos() as f64 - timed as f64 / n;
        if rest > 0.0 {
            shares.push(part as f64 / n / rest * 100.0);
        }
    }
    shares.sort_by(f64::total_cmp);
    let (lo, hi) = (*shares.first()?, *shares.last()?);
    Some((shares[shares.len() / 2], lo, hi))
}

/// ` peak_kib=N` from this process's `VmHWM` (Linux), or nothing elsewhere.
fn peak_field() -> String {
    let peak = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| {
        s.lines().find_map(|l| {
            l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
    });
    peak.map(|k| format!(" peak_kib={k}")).unwrap_or_default()
}

/// ` user_ms=N sys_ms=N`: this process's CPU time so far (Linux
/// `/proc/self/stat`, in clock ticks taken as 1/100 s), or nothing elsewhere.
/// The kernel's share (clearing fresh huge pages) is what varies most from
/// run to run on this VM; user time shows the work itself.
fn cpu_field() -> String {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return String::new() };
    // Fields after the command name (which may hold spaces) in parentheses.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return String::new() };
    let f: Vec<&str> = rest.split_whitespace().collect();
    match (f.get(11).and_then(|v| v.parse::<u64>().ok()), f.get(12).and_then(|v| v.parse::<u64>().ok())) {
        (Some(user), Some(sys)) => format!(" user_ms={} sys_ms={}", user * 10, sys * 10),
        _ => String::new(),
    }
}
