//! Time each audit rule over a folder of plans (a profiling aid):
//! `cargo run --release --example rule_costs -- DIR`.
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: rule_costs DIR"))?;
    let mappings = lsw::batch::load_mappings(&[])?;
    let pool = lsw::batch::thread_pool(Some(1))?;
    let m = lsw::batch::ingest_and_map(&[dir.into()], &mappings, lsw::ingest::encoding::EncodingChoice::Auto, &pool);
    let rules = lsw::lsw::rules::builtin();
    // `AUDIT_DATE=2025-10-20` audits on that day, as the ingest bench does
    // (the rules of dates run only with one).
    let on = std::env::var("AUDIT_DATE").ok().and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let (constants, config) = (lsw::audit::Constants::builtin(), lsw::audit::Config::default().on(on));
    let plans = &m.assembled.plans;
    let t = Instant::now();
    let forms: Vec<_> = plans.iter().map(|p| lsw::lsw::convert(p, &rules)).collect();
    println!("forms: {:?} for {} plans", t.elapsed(), plans.len());
    let t = Instant::now();
    for (p, f) in plans.iter().zip(&forms) {
        std::hint::black_box(lsw::audit::audit(p, f, "o", &constants, &config));
    }
    println!("audit, plans in memory: {:?}", t.elapsed());
    // For a profiler: the audit alone, `REPEAT` more times.
    let repeat: usize = std::env::var("REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    for _ in 0..repeat {
        for (p, f) in plans.iter().zip(&forms) {
            std::hint::black_box(lsw::audit::audit(p, f, "o", &constants, &config));
        }
    }
    // As a run does it: each plan audited right after its forms, while hot.
    // Best of three passes: one pass varies by ±5% on a busy VM.
    let hot = (0..3)
        .map(|_| {
            let mut hot = Duration::ZERO;
            for p in plans {
                let f = lsw::lsw::convert(p, &rules);
                let t = Instant::now();
                std::hint::black_box(lsw::audit::audit(p, &f, "o", &constants, &config));
                hot += t.elapsed();
            }
            hot
        })
        .min()
        .unwrap_or_default();
    println!("audit, each plan right after its forms (best of 3): {hot:?}");
    // The engine alone: every rule disabled.
    let codes: Vec<String> = lsw::audit::rules::all().iter().map(|r| format!("\"{}\"", r.info().code)).collect();
    let none = lsw::audit::Config::load(&format!("disable = [{}]", codes.join(","))).map_err(anyhow::Error::msg)?;
    let t = Instant::now();
    for (p, f) in plans.iter().zip(&forms) {
        std::hint::black_box(lsw::audit::audit(p, f, "o", &constants, &none));
    }
    println!("audit engine without rules: {:?}", t.elapsed());
    // Each rule's own cost, as a run meets it: each plan right after its
    // forms, the shared per-plan context (normalised 第2表 services, goals,
    // 第3表 names) made first and timed apart.
    let only = std::env::var("RULE").ok();
    let all: Vec<_> =
        lsw::audit::rules::all().iter().filter(|r| only.as_deref().is_none_or(|o| o == r.info().code)).collect();
    let mut per_rule = vec![(Duration::ZERO, 0usize); all.len()];
    let mut context = Duration::ZERO;
    for p in plans {
        let f = lsw::lsw::convert(p, &rules);
        let cx = lsw::audit::Cx::new(p, &f, &constants, &config);
        let t = Instant::now();
        cx.services();
        cx.goals();
        cx.week();
        context += t.elapsed();
        for (r, cost) in all.iter().zip(per_rule.iter_mut()) {
            let t = Instant::now();
            let mut out = lsw::audit::Out::new(r.info(), &cx.plan.key, "o");
            r.check(&cx, &mut out);
            cost.0 += t.elapsed();
            cost.1 += out.findings.len();
        }
    }
    println!("shared context (normalised services, goals, 第3表 names): {context:?}");
    let mut costs: Vec<(Duration, &str, usize)> =
        all.iter().zip(per_rule).map(|(r, (d, n))| (d, r.info().code, n)).collect();
    costs.sort();
    for (d, c, n) in costs.iter().rev() {
        println!("{c}\t{d:?}\t{n} findings");
    }
    Ok(())
}
