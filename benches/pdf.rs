//! Plan PDFs per second, memory over a long batch, PDF size, and LibreOffice
//! converting the same plans' lsw.xlsx for comparison.
//!
//! Run: `cargo bench --bench pdf` (`LSW_BENCH_PDF_PLANS`, default 5,000;
//! `LSW_BENCH_LO_PLANS`, default 40, plans converted by LibreOffice).
//!
//! The parent writes a synthetic standard-CSV set (varied text, the same
//! generator as the ingest bench), reads, maps and audits it once, and
//! stores each plan's PDF data (`/data.json` of plan.typ) under
//! `target/bench-data/`. Each measurement then runs in its own child process
//! (this binary with `--child`): the engine is built (fonts, library,
//! templates), and the plans are typeset by N render workers exactly as
//! `lsw run` does (`lsw::render::pdf::pool`), each PDF written to disk. The
//! child samples its RSS every 500 plans, so a growing cache shows.
//! LibreOffice (`soffice --headless --convert-to pdf`) runs as two processes
//! with separate profiles over the same plans' lsw.xlsx, in three rounds,
//! each right after lsw typesets 400 plans on 2 workers (the VM's speed
//! drifts over minutes: paired rounds compare like with like).
//!
//! Without `--bench` (as `cargo test --benches` runs it) a 40-plan smoke run
//! checks the harness.

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "../src/memory.rs"]
mod memory;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context as _};
use lsw::render::pdf::{pool, view, Engine, EngineOptions, Kind};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::Instant;

const SEED: u64 = 20_261_121;
const RESULT_TAG: &str = "LSW_PDF_RESULT";
/// Issue goals.
const GOAL_PER_SECOND: f64 = 40.0;
const GOAL_RSS_MIB: f64 = 500.0;
const GOAL_KB: f64 = 250.0;
const GOAL_LO_RATIO: f64 = 8.0;

fn main() -> ExitCode {
    support::bench::main("pdf", child, parent)
}

/// The plans' PDF data, one JSON per plan, made once per size.
fn prepare(plans: usize, lo_plans: usize) -> anyhow::Result<PathBuf> {
    let dir = support::bench::data_root().join(format!("pdf-{plans}p"));
    if dir.join("DONE").exists() {
        return Ok(dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let input = dir.join("input");
    let offices = (plans / 200).max(1);
    support::bench_gen::write_standard_set(&input, plans, offices, SEED);
    let mappings = lsw::batch::load_mappings(&[])?;
    let rayon = lsw::batch::thread_pool(None)?;
    let rules = lsw::batch::load_lsw_rules(None)?;
    let constants = lsw::audit::Constants::builtin();
    let config = lsw::audit::Config::default();
    let docs = dir.join("docs");
    let xlsx = dir.join("xlsx");
    std::fs::create_dir_all(&docs)?;
    std::fs::create_dir_all(&xlsx)?;
    let mapped = lsw::batch::ingest_and_map_with(
        std::slice::from_ref(&input),
        &mappings,
        lsw::ingest::encoding::EncodingChoice::Auto,
        &rayon,
        |f| {
            let forms = lsw::lsw::convert(&f.plan, &rules);
            let audit = lsw::audit::audit(&f.plan, &forms, &f.office_dir, &constants, &config);
            let doc = view::plan_doc(&forms, &audit.findings, &audit.not_checked, "令和8年11月21日");
            let key = f.plan.key.dir_name();
            let xlsx_bytes = lsw::render::xlsx::lsw_workbook(&forms).expect("xlsx");
            (key, serde_json::to_vec(&doc).expect("json"), xlsx_bytes)
        },
    );
    let mut all = mapped.assembled.plans;
    if all.len() != plans {
        bail!("expected {plans} plans, got {}", all.len());
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (key, json, x)) in all.into_iter().enumerate() {
        std::fs::write(docs.join(format!("{i:05}.json")), &json)?;
        std::fs::write(docs.join(format!("{i:05}.key")), &key)?;
        if i < lo_plans {
            std::fs::write(xlsx.join(format!("{i:05}.xlsx")), &x)?;
        }
    }
    std::fs::remove_dir_all(&input)?;
    std::fs::write(dir.join("DONE"), "")?;
    Ok(dir)
}

struct ChildResult {
    secs: f64,
    bytes: u64,
    peak_kib: u64,
    /// (plans done, RSS KiB) every 500 plans.
    samples: Vec<(usize, u64)>,
}

fn parent(full: bool) -> anyhow::Result<()> {
    let (plans, lo_plans) = if full {
        (support::bench::env_usize("LSW_BENCH_PDF_PLANS", 5000), support::bench::env_usize("LSW_BENCH_LO_PLANS", 40))
    } else {
        (40, 0)
    };
    let dir = prepare(plans, lo_plans)?;
    let mut results = Vec::new();
    for workers in [1usize, 2] {
        let line = support::bench::run_child(
            &[dir.display().to_string(), workers.to_string(), plans.to_string()],
            RESULT_TAG,
        )?;
        results.push((workers, parse(&line)?));
    }
    println!("\n### Plan PDFs ({plans} plans, varied text; 2-core machine)\n");
    println!("| render workers | plans/s | ms/plan | avg PDF KB | peak RSS MiB |");
    println!("|---|---|---|---|---|");
    for (w, r) in &results {
        println!(
            "| {w} | {:.1} | {:.1} | {:.0} | {:.0} |",
            plans as f64 / r.secs,
            r.secs * 1000.0 / plans as f64,
            r.bytes as f64 / plans as f64 / 1000.0,
            r.peak_kib as f64 / 1024.0
        );
    }
    if let Some((_, r)) = results.iter().find(|(w, _)| *w == 2) {
        let s: Vec<String> = r.samples.iter().map(|(n, k)| format!("{n}: {:.0}", *k as f64 / 1024.0)).collect();
        println!("\nRSS MiB after N plans (2 workers): {}", s.join(", "));
        let best = results.iter().map(|(_, r)| plans as f64 / r.secs).fold(0.0, f64::max);
        let kb = r.bytes as f64 / plans as f64 / 1000.0;
        let rss = results.iter().map(|(_, r)| r.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
        println!(
            "\nGoals: ≥ {GOAL_PER_SECOND} plans/s: {best:.1} ({}); RSS < {GOAL_RSS_MIB} MiB: {rss:.0} ({}); PDF < {GOAL_KB} KB: {kb:.0} ({})",
            met(best >= GOAL_PER_SECOND),
            met(rss < GOAL_RSS_MIB),
            met(kb < GOAL_KB)
        );
        if lo_plans > 0 {
            libreoffice_rounds(&dir, plans.min(PAIRED_PLANS), lo_plans, (plans, r.secs))?;
        }
    }
    Ok(())
}

/// Plans lsw typesets in each paired round (beside LibreOffice's `lo_plans`).
const PAIRED_PLANS: usize = 400;
/// Paired rounds of lsw and LibreOffice.
const LO_ROUNDS: usize = 3;

/// lsw against LibreOffice per plan. This VM's speed drifts by ±15% over
/// minutes, and a LibreOffice conversion of 40 plans takes seconds, so one
/// LibreOffice run set against the long lsw run compares two moments.
/// Instead each round runs lsw (2 workers, `paired` plans) and then
/// LibreOffice back to back; the verdict is the median of the rounds' ratios.
/// The ratio against the long run is printed too.
fn libreoffice_rounds(dir: &Path, paired: usize, lo_plans: usize, long_run: (usize, f64)) -> anyhow::Result<()> {
    if Command::new("soffice").arg("--version").output().is_err() {
        println!("LibreOffice (soffice) not found: comparison not measured");
        return Ok(());
    }
    let mut ratios = Vec::new();
    let mut los = Vec::new();
    for round in 1..=LO_ROUNDS {
        let line = support::bench::run_child(&[dir.display().to_string(), "2".into(), paired.to_string()], RESULT_TAG)?;
        let ours = parse(&line)?.secs / paired as f64;
        let lo = libreoffice(dir, lo_plans)? / lo_plans as f64;
        println!(
            "round {round}: lsw {:.1} plans/s ({paired} plans, 2 workers), LibreOffice {:.2} plans/s ({lo_plans} lsw.xlsx, 2 processes with separate profiles) → {:.1}×",
            1.0 / ours,
            1.0 / lo,
            lo / ours
        );
        ratios.push(lo / ours);
        los.push(lo);
    }
    ratios.sort_by(f64::total_cmp);
    los.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!(
        "LibreOffice headless: lsw is {median:.1}× faster per plan (median of {LO_ROUNDS} paired rounds; goal ≥ {GOAL_LO_RATIO}×: {}); against the {}-plan run above: {:.1}×",
        met(median >= GOAL_LO_RATIO),
        long_run.0,
        los[los.len() / 2] / (long_run.1 / long_run.0 as f64)
    );
    Ok(())
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

fn parse(line: &str) -> anyhow::Result<ChildResult> {
    let field = |k: &str| -> Option<&str> {
        line.split_whitespace().find_map(|w| w.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
    };
    let samples = field("samples")
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.split_once(':').and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))))
        .collect();
    Ok(ChildResult {
        secs: field("secs").context("secs")?.parse()?,
        bytes: field("bytes").context("bytes")?.parse()?,
        peak_kib: field("peak_kib").unwrap_or("0").parse()?,
        samples,
    })
}

fn child(args: &[String]) -> anyhow::Result<()> {
    memory::keep_freed_memory();
    let dir = PathBuf::from(&args[0]);
    let workers: usize = args[1].parse()?;
    let plans: usize = args[2].parse()?;
    let engine = Arc::new(Engine::new(&EngineOptions {
        moment: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date").and_hms_opt(15, 0, 0).expect("time"),
        // A template folder to compare against the built-in one.
        templates: std::env::var_os("LSW_BENCH_TEMPLATES").map(PathBuf::from),
        tagged: std::env::var_os("LSW_BENCH_TAGGED").is_some(),
        // comemo eviction, for the measurements in docs/performance.md.
        evict_every: std::env::var("LSW_PDF_EVICT_EVERY").ok().and_then(|v| v.parse().ok()).unwrap_or(0),
        evict_age: std::env::var("LSW_PDF_EVICT_AGE").ok().and_then(|v| v.parse().ok()).unwrap_or(0),
        ..Default::default()
    })?);
    let out = tempfile::tempdir()?;
    let t = Instant::now();
    let pool = pool::Pool::new(engine.clone(), workers);
    let mut samples = Vec::new();
    for i in 0..plans {
        let data = std::fs::read(dir.join("docs").join(format!("{i:05}.json")))?;
        let ident = std::fs::read_to_string(dir.join("docs").join(format!("{i:05}.key")))?;
        // Each PDF is written, as lsw run writes it; 50 names recycled keep the disk small.
        pool.submit(pool::Job {
            kind: Kind::Plan,
            data,
            ident,
            path: out.path().join(format!("{}.pdf", i % 50)),
            on_done: None,
        });
        if (i + 1) % 500 == 0 {
            samples.push(format!("{}:{}", i + 1, support::bench::status_kib("VmRSS:")));
        }
    }
    let report = pool.finish();
    let secs = t.elapsed().as_secs_f64();
    if let Some((p, msg)) = report.failures.first() {
        bail!("{} failed: {msg}", p.display());
    }
    if report.written != plans {
        bail!("wrote {} of {plans}", report.written);
    }
    println!(
        "{RESULT_TAG} secs={secs:.3} bytes={} peak_kib={} samples={}",
        report.bytes,
        support::bench::status_kib("VmHWM:"),
        samples.join(",")
    );
    Ok(())
}

/// Seconds for two soffice processes (separate profiles) to convert the
/// first `n` plans' lsw.xlsx, half each.
fn libreoffice(dir: &Path, n: usize) -> anyhow::Result<f64> {
    let tmp = tempfile::tempdir()?;
    let files: Vec<PathBuf> = (0..n).map(|i| dir.join("xlsx").join(format!("{i:05}.xlsx"))).collect();
    // Warm start excluded: each profile is created once before timing.
    for p in 0..2 {
        let profile = tmp.path().join(format!("profile{p}"));
        Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--terminate_after_init"])
            .output()?;
    }
    let t = Instant::now();
    let halves: Vec<Vec<PathBuf>> =
        vec![files.iter().step_by(2).cloned().collect(), files.iter().skip(1).step_by(2).cloned().collect()];
    let children: Vec<std::process::Child> = halves
        .iter()
        .enumerate()
        .map(|(p, half)| {
            Command::new("soffice")
                .arg(format!("-env:UserInstallation=file://{}", tmp.path().join(format!("profile{p}")).display()))
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(tmp.path().join(format!("out{p}")))
                .args(half)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
        })
        .collect::<Result<_, _>>()?;
    for mut c in children {
        c.wait()?;
    }
    let secs = t.elapsed().as_secs_f64();
    let made = (0..2)
        .map(|p| std::fs::read_dir(tmp.path().join(format!("out{p}"))).map(|d| d.count()).unwrap_or(0))
        .sum::<usize>();
    if made != n {
        bail!("LibreOffice converted {made} of {n}");
    }
    Ok(secs)
}
