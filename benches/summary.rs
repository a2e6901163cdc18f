//! `lsw summary` over 500 offices × 200 plans of findings (issue goal: under
//! 10 s and 500 MiB on the 2-core machine).
//!
//! The run folders are synthesised as `lsw run` writes them (manifest.json
//! and plans.csv with the summary's columns; ~9 findings per plan over the
//! rule codes, 第7表 figures, several 対象年月), under `target/bench-data/`.
//! The summary (JSON, CSV, xlsx and PDF) then runs in a child process
//! (this binary with `--child`) so that its peak RSS is its own.
//!
//! `cargo bench --bench summary` (`LSW_BENCH_SUMMARY_OFFICES`, default 500;
//! `LSW_BENCH_SUMMARY_PLANS`, default 200 per office). Without `--bench` a
//! 5 × 20 smoke run checks the harness.

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "../src/memory.rs"]
mod memory;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::bail;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const TAG: &str = "LSW_SUMMARY_RESULT";
const LEVELS: [&str; 7] = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"];
const LIMITS: [i64; 7] = [5032, 10531, 16765, 19705, 27048, 30938, 36217];

fn main() -> ExitCode {
    support::bench::main("summary", child, parent)
}

/// Writes `offices` run folders of `plans` plans each; returns their paths.
fn synthesise(root: &Path, offices: usize, plans: usize) -> anyhow::Result<Vec<PathBuf>> {
    let codes: Vec<(&str, &str)> = lsw::audit::rules::all()
        .iter()
        .map(|r| {
            let i = r.info();
            (i.code, lsw::render::pdf::view::level(i.severity))
        })
        .collect();
    let done = root.join(".done");
    let dirs: Vec<PathBuf> = (0..offices).map(|o| root.join(format!("run-{o:04}"))).collect();
    if done.exists() {
        return Ok(dirs);
    }
    let _ = std::fs::remove_dir_all(root);
    let header = lsw::batch::PlanColumn::ALL.map(lsw::batch::PlanColumn::header).join(",");
    let mut rng = support::Rng::new(42);
    for (o, dir) in dirs.iter().enumerate() {
        std::fs::create_dir_all(dir)?;
        let code = format!("13{:08}", 70_000 + o);
        let mut csv = String::from("\u{feff}");
        csv.push_str(&header);
        csv.push_str("\r\n");
        for p in 0..plans {
            let level = rng.below(7);
            let limit = LIMITS[level];
            let planned = limit * (40 + rng.below(75) as i64) / 100;
            let home = planned * rng.below(100) as i64 / 100;
            let mut counts = [0usize; 3];
            let mut parts = Vec::new();
            for _ in 0..rng.below(18) {
                let (c, s) = codes[rng.below(codes.len())];
                let i = ["error", "warning", "info"].iter().position(|x| *x == s).unwrap_or(2);
                counts[i] += 1;
                parts.push(format!("{c}:{s}:1"));
            }
            let month = ["2025-09", "2025-10", "2025-11"][rng.below(3)];
            csv.push_str(&format!(
                "{code},架空ケアプラン{o},131{:03},{:010},2025-{:02}-01,架空 利用者{p},{},2,8,3,0,0,{month},0,1,offices/{code}/plans/x{p},{limit},{planned},{home},{},{},{},{}\r\n",
                o % 1000,
                o * 1000 + p,
                1 + rng.below(12),
                LEVELS[level],
                counts[0],
                counts[1],
                counts[2],
                parts.join(" ")
            ));
        }
        std::fs::write(dir.join("plans.csv"), csv)?;
        let manifest = serde_json::json!({
            "tool": {"name": "lsw", "version": env!("CARGO_PKG_VERSION")},
            "settings": format!("{o:064}"),
            "rule_set": "bench",
            "counts": {"plans": plans},
        });
        std::fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&manifest)?)?;
    }
    std::fs::write(done, "")?;
    Ok(dirs)
}

fn parent(full: bool) -> anyhow::Result<()> {
    let (offices, plans) = if full {
        (
            support::bench::env_usize("LSW_BENCH_SUMMARY_OFFICES", 500),
            support::bench::env_usize("LSW_BENCH_SUMMARY_PLANS", 200),
        )
    } else {
        (5, 20)
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-data")
        .join(format!("summary-{offices}x{plans}"));
    synthesise(&root, offices, plans)?;
    let out = root.with_extension("out");
    let mut results = Vec::new();
    for _ in 0..3 {
        let line = support::bench::run_child(
            &[root.display().to_string(), out.display().to_string(), offices.to_string()],
            TAG,
        )?;
        results.push(line);
    }
    println!("\n### lsw summary ({offices} offices × {plans} plans; 2-core machine; 3 runs)\n");
    for r in &results {
        println!("{r}");
    }
    let best = results
        .iter()
        .filter_map(|l| l.split_whitespace().find_map(|w| w.strip_prefix("secs=")).and_then(|v| v.parse::<f64>().ok()))
        .fold(f64::MAX, f64::min);
    let peak = results
        .iter()
        .filter_map(|l| {
            l.split_whitespace().find_map(|w| w.strip_prefix("peak_kib=")).and_then(|v| v.parse::<f64>().ok())
        })
        .fold(0.0, f64::max)
        / 1024.0;
    println!(
        "\nGoals: < 10 s: best {best:.2} s ({}); < 500 MiB: {peak:.0} MiB ({})",
        if best < 10.0 { "met" } else { "NOT met" },
        if peak < 500.0 { "met" } else { "NOT met" }
    );
    Ok(())
}

fn child(args: &[String]) -> anyhow::Result<()> {
    memory::keep_freed_memory();
    let root = PathBuf::from(&args[0]);
    let out = PathBuf::from(&args[1]);
    let offices: usize = args[2].parse()?;
    let dirs: Vec<PathBuf> = (0..offices).map(|o| root.join(format!("run-{o:04}"))).collect();
    let t = Instant::now();
    let o = lsw::summary::run(&lsw::summary::SummaryOptions {
        dirs,
        out,
        redact: true,
        xlsx: true,
        pdf: Some(lsw::render::pdf::EngineOptions {
            moment: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).and_then(|d| d.and_hms_opt(15, 0, 0)).expect("date"),
            ..Default::default()
        }),
    })?;
    let secs = t.elapsed().as_secs_f64();
    if !o.problems.is_empty() {
        bail!("{:?}", o.problems);
    }
    let peak = support::bench::status_kib("VmHWM:");
    println!("{TAG} secs={secs:.3} plans={} offices={} peak_kib={peak}", o.plans, o.offices);
    Ok(())
}
