//! `lsw run` as a nightly batch: whole runs over a synthetic standard-CSV
//! set (`LSW_BENCH_PLANS`, default 10,000 plans over `LSW_BENCH_OFFICES`,
//! default 50 offices; varied text), each in its own child process (this
//! binary with `--child`) so each peak RSS is that run's alone.
//!
//! Runs, in order, on the same output folder where it says so:
//! 1. everything on (JSON, xlsx, PDF, audit) into an empty folder;
//! 2. the same again, nothing changed (incremental: goal < 5% of run 1);
//! 3. 1% of the plans' texts changed in the inputs, re-run (proportional);
//! 4. without PDFs and xlsx into an empty folder (goal < 20 s);
//! 5. without PDFs and xlsx at 5× the plans (`LSW_BENCH_BIG_PLANS`, default
//!    50,000): peak RSS against run 4.
//!
//! Run: `cargo bench --bench batch`. Without `--bench` (`cargo test
//! --benches`) a 40-plan smoke run checks the harness.

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "../src/memory.rs"]
mod memory;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const SEED: u64 = 20_261_121;
const TAG: &str = "LSW_BATCH_RESULT";

fn main() -> ExitCode {
    support::bench::main("batch", child, parent)
}

fn input_set(plans: usize, offices: usize) -> anyhow::Result<PathBuf> {
    let dir = support::bench::data_root().join(format!("batch-in-{plans}p-{offices}o"));
    if !dir.join(".done").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        support::bench_gen::write_standard_set(&dir, plans, offices, SEED);
        std::fs::write(dir.join(".done"), "")?;
    }
    Ok(dir)
}

/// A copy of the input set whose 第1表 texts change for `percent`% of the
/// plans (0: an exact copy of the records).
fn changed_copy(src: &Path, dst: &Path, percent: usize) -> anyhow::Result<usize> {
    let _ = std::fs::remove_dir_all(dst);
    let mut changed = 0;
    for office in std::fs::read_dir(src)?.flatten().filter(|e| e.path().is_dir()) {
        let to = dst.join(office.file_name());
        std::fs::create_dir_all(&to)?;
        for f in std::fs::read_dir(office.path())?.flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            let bytes = std::fs::read(f.path())?;
            let out = if name.starts_with("UP1KYO") {
                // Records hold line breaks inside quotes: edit them as CSV.
                // Field 24 is 総合的な援助の方針 (free text).
                let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
                let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
                let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
                for (i, rec) in r.records().enumerate() {
                    let mut rec: Vec<String> = rec?.iter().map(str::to_string).collect();
                    if percent > 0 && i % (100 / percent) == 0 && rec.len() > 23 {
                        rec[23].push_str("（見直し）");
                        changed += 1;
                    }
                    w.write_record(&rec)?;
                }
                support::sjis(&String::from_utf8(w.into_inner()?)?)
            } else {
                bytes
            };
            std::fs::write(to.join(&name), out)?;
        }
    }
    Ok(changed)
}

struct Res {
    secs: f64,
    plans: u64,
    reused: u64,
    pdfs: u64,
    peak_mib: f64,
}

fn run_child(input: &Path, out: &Path, flags: &str) -> anyhow::Result<Res> {
    let line =
        support::bench::run_child(&[input.display().to_string(), out.display().to_string(), flags.to_string()], TAG)?;
    let f = |k: &str| -> anyhow::Result<f64> {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .context("field")?
            .parse::<f64>()
            .map_err(Into::into)
    };
    Ok(Res {
        secs: f("secs")?,
        plans: f("plans")? as u64,
        reused: f("reused")? as u64,
        pdfs: f("pdfs")? as u64,
        peak_mib: f("peak_kib")? / 1024.0,
    })
}

fn parent(full: bool) -> anyhow::Result<()> {
    let (plans, offices, big) = if full {
        (
            support::bench::env_usize("LSW_BENCH_PLANS", 10_000),
            support::bench::env_usize("LSW_BENCH_OFFICES", 50),
            support::bench::env_usize("LSW_BENCH_BIG_PLANS", 50_000),
        )
    } else {
        (40, 2, 80)
    };
    let input = input_set(plans, offices)?;
    let out = support::bench::data_root().join("batch-out");
    let _ = std::fs::remove_dir_all(&out);
    // Runs 1–3 read a working copy, changed in place for run 3 (plans keep
    // their file names, as a nightly export overwrites its files).
    let work = support::bench::data_root().join("batch-work");
    changed_copy(&input, &work, 0)?;
    let mut rows = Vec::new();
    let first = run_child(&work, &out, "all")?;
    rows.push(("1. everything on, empty output", first.secs, &first));
    let again = run_child(&work, &out, "all")?;
    let changed = changed_copy(&input, &work, 1)?;
    let one = run_child(&work, &out, "all")?;
    let _ = std::fs::remove_dir_all(&out);
    let lean = run_child(&input, &out, "lean")?;
    let _ = std::fs::remove_dir_all(&out);
    let big_in = input_set(big, offices)?;
    let big_run = run_child(&big_in, &out, "lean")?;
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&work);
    rows.push(("2. re-run, nothing changed", again.secs, &again));
    rows.push(("3. re-run, 1% of plans changed", one.secs, &one));
    rows.push(("4. no PDF/xlsx, empty output", lean.secs, &lean));
    rows.push(("5. no PDF/xlsx, empty output, 5× plans", big_run.secs, &big_run));
    println!("\n### lsw run ({plans} plans, {offices} offices; 2-core machine)\n");
    println!("| run | wall s | plans | plans/s | redone | PDFs | peak RSS MiB |");
    println!("|---|---|---|---|---|---|---|");
    for (name, secs, r) in &rows {
        println!(
            "| {name} | {secs:.1} | {} | {:.0} | {} | {} | {:.0} |",
            r.plans,
            r.plans as f64 / secs,
            r.plans - r.reused,
            r.pdfs,
            r.peak_mib
        );
    }
    println!(
        "\nGoals: run 1 < 300 s: {:.1} s ({}); RSS < 1024 MiB: {:.0} ({}); run 4 < 20 s: {:.1} s ({}); \
         re-run < 5% of run 1: {:.1}% ({}); 1% changed ({changed} 第1表 lines): {:.1}% of run 1; \
         RSS at 5× plans not higher: {:.0} vs {:.0} MiB ({})",
        first.secs,
        met(first.secs < 300.0),
        first.peak_mib,
        met(first.peak_mib < 1024.0),
        lean.secs,
        met(lean.secs < 20.0),
        again.secs / first.secs * 100.0,
        met(again.secs / first.secs < 0.05),
        one.secs / first.secs * 100.0,
        big_run.peak_mib,
        lean.peak_mib,
        met(big_run.peak_mib <= lean.peak_mib * 1.1)
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

fn child(args: &[String]) -> anyhow::Result<()> {
    memory::keep_freed_memory();
    let (input, out, flags) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]), args[2].as_str());
    let all = flags == "all";
    let opts = lsw::batch::RunOptions {
        quiet: true,
        no_xlsx: !all,
        pdf: all.then(|| lsw::render::pdf::EngineOptions {
            moment: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).and_then(|d| d.and_hms_opt(15, 0, 0)).expect("date"),
            ..Default::default()
        }),
        ..lsw::batch::RunOptions::new(vec![input], out)
    };
    let t = Instant::now();
    let s = lsw::batch::run(&opts)?;
    let secs = t.elapsed().as_secs_f64();
    if s.counts.errors > 0 {
        bail!("{} errors", s.counts.errors);
    }
    let peak = support::bench::status_kib("VmHWM:");
    println!(
        "{TAG} secs={secs:.3} plans={} reused={} pdfs={} peak_kib={peak}",
        s.counts.plans, s.counts.reused, s.counts.pdfs
    );
    Ok(())
}
