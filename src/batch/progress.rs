//! Progress of a run: a bar with counts, rate and ETA on a terminal
//! (indicatif), plain log lines every few seconds otherwise (nightly jobs
//! write to log files), nothing with `--quiet`.

use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Seconds between two log lines when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(10);

pub struct Progress {
    mode: Mode,
    done: AtomicUsize,
    total: AtomicUsize,
    started: Instant,
    last_log_ms: AtomicU64,
    log: Mutex<()>,
}

enum Mode {
    Quiet,
    Bar(ProgressBar),
    Log,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                // indicatif's {per_sec}, {elapsed} and {eta} print English
                // units (`12/s`, `3s`): the rate in 件/秒 and times as h:mm:ss.
                ProgressStyle::with_template(
                    "{spinner} 計画 {pos}/{len} [{bar:30}] {rate} 経過 {elapsed_precise} 残り約 {eta_precise} {msg}",
                )
                .map(|s| {
                    s.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1}件/秒", state.per_sec());
                    })
                })
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(250));
            Mode::Bar(bar)
        } else {
            Mode::Log
        };
        Progress {
            mode,
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            started: Instant::now(),
            last_log_ms: AtomicU64::new(0),
            log: Mutex::new(()),
        }
    }

    /// The number of plans of the run, once known.
    pub fn set_total(&self, total: usize) {
        if self.total.swap(total, Ordering::Relaxed) != total {
            if let Mode::Bar(b) = &self.mode {
                b.set_length(total as u64);
            }
        }
    }

    /// One plan has all its files.
    pub fn plan_done(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.mode {
            Mode::Quiet => {}
            Mode::Bar(b) => b.set_position(n as u64),
            Mode::Log => {
                let now = self.started.elapsed();
                let last = self.last_log_ms.load(Ordering::Relaxed);
                if now.as_millis() as u64 >= last + LOG_EVERY.as_millis() as u64 {
                    let _g = self.log.lock().unwrap_or_else(|e| e.into_inner());
                    if self
                        .last_log_ms
                        .compare_exchange(last, now.as_millis() as u64, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                    {
                        let total = self.total.load(Ordering::Relaxed);
                        let rate = n as f64 / now.as_secs_f64().max(0.001);
                        let eta = if rate > 0.0 && total > n { (total - n) as f64 / rate } else { 0.0 };
                        // Best effort: a closed log must not stop the run.
                        let _ = writeln!(
                            std::io::stderr(),
                            "進捗: 計画 {n}/{total}件（{rate:.1}件/秒、経過 {:.0}秒、残り約 {eta:.0}秒）",
                            now.as_secs_f64()
                        );
                    }
                }
            }
        }
    }

    /// A phase note (e.g. the office reports).
    pub fn note(&self, msg: &str) {
        match &self.mode {
            Mode::Quiet => {}
            Mode::Bar(b) => b.set_message(msg.to_string()),
            Mode::Log => {
                let _ = writeln!(std::io::stderr(), "{msg}");
            }
        }
    }

    pub fn finish(&self) {
        if let Mode::Bar(b) = &self.mode {
            b.finish_and_clear();
        }
    }
}
