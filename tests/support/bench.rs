//! What the benchmark binaries share: the parent/child split (each
//! measurement in its own process, so its peak RSS is its own), settings
//! from the environment, and this process's memory figures.

use std::process::ExitCode;

/// Runs `child` with the arguments after `--child`, else `parent(full)`,
/// where `full` is whether `cargo bench` asked (`--bench`); `cargo test
/// --benches` runs the binary without it, for a smoke run.
pub fn main(
    name: &str,
    child: fn(&[String]) -> anyhow::Result<()>,
    parent: fn(bool) -> anyhow::Result<()>,
) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.iter().position(|a| a == "--child") {
        Some(i) => child(&args[i + 1..]),
        None => parent(args.iter().any(|a| a == "--bench")),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name} bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A `/proc/self/status` figure in KiB (`VmHWM:` peak, `VmRSS:` now); 0
/// where there is none.
pub fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()))
        })
        .unwrap_or(0)
}

/// `target/bench-data/`: generated inputs and outputs, kept between runs.
pub fn data_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data")
}

/// Runs this binary with `--child ARGS…` and returns its line starting
/// with `tag` (the measurement); a failing child is an error with its stderr.
pub fn run_child(args: &[String], tag: &str) -> anyhow::Result<String> {
    use anyhow::Context as _;
    let out =
        std::process::Command::new(std::env::current_exe()?).arg("--child").args(args).output().context("child")?;
    if !out.status.success() {
        anyhow::bail!("child failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with(tag))
        .map(str::to_string)
        .with_context(|| format!("the child printed no {tag} line"))
}
