//! User templates (`--templates`) typeset in a supervised child process.
//!
//! A template is a program: a loop over 10^10, `"x" * 4000000000` or a
//! plugin that never returns would hold the whole night's run, and typst
//! cannot be stopped from inside. So a run with a template folder typesets
//! each document in a child `lsw` (this binary, started with
//! [`CHILD_ARG`]): one child per render worker, reused document after
//! document, with a per-document time budget (the child is killed when it
//! is over) and a memory budget (the child's address space, so an
//! allocation past it fails there and ends the child, not the run). Either
//! becomes that PDF's errors.json entry; the next document gets a new
//! child. The built-in templates are lsw's own and are typeset in the run's
//! process as before (no child, no cost).
//!
//! Protocol on the child's stdin/stdout, one document at a time:
//! `kind u8, ident len u32 + bytes, data len u64 + bytes` →
//! `status u8 (0 PDF, 1 error text), len u64 + bytes`.

use super::{Engine, EngineOptions, Kind, RenderError, Standard};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// The first argument that makes `lsw` a typesetting child (not a command
/// people type; `main` checks it before the command line is parsed).
pub const CHILD_ARG: &str = "__lsw-pdf-child";
/// The child's engine options, as JSON.
const OPTIONS_ENV: &str = "LSW_PDF_CHILD_OPTIONS";

/// What one document of a user template may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Seconds per document (`template_seconds` in `[limits]`).
    pub seconds: u64,
    /// The child's address space in MB (`template_mb`).
    pub memory_mb: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        // The largest built-in document (an office report volume of 200
        // plans) takes seconds and a few hundred MB; a user template doing
        // the same work fits well inside.
        Budget { seconds: 120, memory_mb: 4096 }
    }
}

/// How the run's engine starts its children.
#[derive(Debug, Clone)]
pub(super) struct Supervised {
    options: String,
    budget: Budget,
}

impl Supervised {
    pub fn new(opts: &EngineOptions) -> Supervised {
        let standard = match opts.standard {
            Standard::Pdf17 => "1.7",
            Standard::A2b => "a-2b",
        };
        let options = serde_json::json!({
            "templates": opts.templates,
            "font_dirs": opts.font_dirs,
            "moment": opts.moment.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "standard": standard,
            "tagged": opts.tagged,
            "evict_every": opts.evict_every,
            "evict_age": opts.evict_age,
        })
        .to_string();
        Supervised { options, budget: opts.budget }
    }
}

/// A child and the thread reading its answers.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<Answer>,
}

type Answer = Result<(u8, Vec<u8>), ()>;

impl Drop for Worker {
    fn drop(&mut self) {
        // Its stdin closes with it: a child waiting for work exits; one
        // still working is stopped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

thread_local! {
    /// Each render worker thread's child, kept from document to document.
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

fn start(s: &Supervised) -> Result<Worker, RenderError> {
    let exe = std::env::current_exe()
        .map_err(|e| RenderError(format!("組版用の子プロセスを起動できません: {}", crate::diag::io_error_ja(&e))))?;
    let mut child = Command::new(exe)
        .arg(CHILD_ARG)
        .env(OPTIONS_ENV, &s.options)
        .env("LSW_PDF_CHILD_MEMORY_MB", s.budget.memory_mb.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // An allocation past the budget prints the runtime's English line:
        // the parent says what happened instead.
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| RenderError(format!("組版用の子プロセスを起動できません: {}", crate::diag::io_error_ja(&e))))?;
    let stdin = child.stdin.take().ok_or_else(|| RenderError("組版用の子プロセスに書き込めません".into()))?;
    let mut stdout = child.stdout.take().ok_or_else(|| RenderError("組版用の子プロセスから読めません".into()))?;
    let (tx, answers) = std::sync::mpsc::channel();
    std::thread::spawn(move || loop {
        let answer = read_answer(&mut stdout);
        let failed = answer.is_err();
        if tx.send(answer).is_err() || failed {
            return;
        }
    });
    Ok(Worker { child, stdin, answers })
}

fn read_answer(r: &mut impl Read) -> Answer {
    let mut head = [0u8; 9];
    r.read_exact(&mut head).map_err(|_| ())?;
    let len = u64::from_le_bytes(head[1..9].try_into().map_err(|_| ())?);
    let mut body = Vec::new();
    r.take(len).read_to_end(&mut body).map_err(|_| ())?;
    if body.len() as u64 != len {
        return Err(());
    }
    Ok((head[0], body))
}

/// Typesets one document in this thread's child.
pub(super) fn render(s: &Supervised, kind: Kind, data: &[u8], ident: &str) -> Result<Vec<u8>, RenderError> {
    WORKER.with(|w| {
        let mut slot = w.borrow_mut();
        if slot.is_none() {
            *slot = Some(start(s)?);
        }
        let Some(worker) = slot.as_mut() else { return Err(RenderError("組版用の子プロセスがありません".into())) };
        let mut frame = Vec::with_capacity(data.len() + ident.len() + 13);
        frame.push(kind_code(kind));
        frame.extend_from_slice(&(ident.len() as u32).to_le_bytes());
        frame.extend_from_slice(ident.as_bytes());
        frame.extend_from_slice(&(data.len() as u64).to_le_bytes());
        frame.extend_from_slice(data);
        let sent = worker.stdin.write_all(&frame).and_then(|()| worker.stdin.flush());
        let answer = match sent {
            Ok(()) => worker.answers.recv_timeout(Duration::from_secs(s.budget.seconds)),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match answer {
            Ok(Ok((0, pdf))) => Ok(pdf),
            Ok(Ok((_, msg))) => Err(RenderError(String::from_utf8_lossy(&msg).into_owned())),
            Err(RecvTimeoutError::Timeout) => {
                *slot = None;
                Err(RenderError(format!(
                    "PDFを組版できませんでした: テンプレートの組版が {} 秒で終わらないため止めました。テンプレートに終わらない繰り返しや極端に大きな処理がないか確認してください。必要なら、--config で渡す設定ファイルの [limits] に template_seconds = {} のように書くと上限を変えられます",
                    s.budget.seconds,
                    s.budget.seconds * 4
                )))
            }
            Ok(Err(())) | Err(RecvTimeoutError::Disconnected) => {
                *slot = None;
                Err(RenderError(format!(
                    "PDFを組版できませんでした: テンプレートの組版が途中で止まりました（使えるメモリ {} MB を超えたか、組版部品が異常終了しました）。テンプレートに極端に大きな文字列や繰り返しがないか確認してください。必要なら、--config で渡す設定ファイルの [limits] に template_mb = {} のように書くと上限を変えられます",
                    s.budget.memory_mb,
                    s.budget.memory_mb * 2
                )))
            }
        }
    })
}

fn kind_code(kind: Kind) -> u8 {
    match kind {
        Kind::Plan => 0,
        Kind::OfficeReport => 1,
        Kind::Summary => 2,
    }
}

/// The child: when `lsw` was started with [`CHILD_ARG`], typesets the
/// documents its parent sends until its stdin closes, and returns the exit
/// code; otherwise `None` (a normal command line).
pub fn child_main() -> Option<u8> {
    if std::env::args_os().nth(1).is_none_or(|a| a != CHILD_ARG) {
        return None;
    }
    let memory_mb: u64 = std::env::var("LSW_PDF_CHILD_MEMORY_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    limit_memory(memory_mb);
    let Some(engine) = child_engine() else { return Some(2) };
    let (mut input, mut output) = (std::io::stdin().lock(), std::io::stdout().lock());
    loop {
        let Some((kind, ident, data)) = read_job(&mut input) else { return Some(0) };
        let outcome = crate::diag::catch_quietly(|| engine.render_here(kind, data, &ident).map_err(|e| e.0))
            .unwrap_or_else(|what| Err(format!("PDFの組版中に内部エラーが起きました（{what}）")));
        let (status, body) = match outcome {
            Ok(pdf) => (0u8, pdf),
            Err(msg) => (1u8, msg.into_bytes()),
        };
        let mut head = vec![status];
        head.extend_from_slice(&(body.len() as u64).to_le_bytes());
        if output.write_all(&head).and_then(|()| output.write_all(&body)).and_then(|()| output.flush()).is_err() {
            return Some(0);
        }
    }
}

fn child_engine() -> Option<Engine> {
    let v: serde_json::Value = serde_json::from_str(&std::env::var(OPTIONS_ENV).ok()?).ok()?;
    let paths = |k: &str| -> Vec<std::path::PathBuf> {
        v[k].as_array().map(|a| a.iter().filter_map(|p| p.as_str().map(Into::into)).collect()).unwrap_or_default()
    };
    let opts = EngineOptions {
        templates: v["templates"].as_str().map(Into::into),
        font_dirs: paths("font_dirs"),
        moment: chrono::NaiveDateTime::parse_from_str(v["moment"].as_str()?, "%Y-%m-%dT%H:%M:%S").ok()?,
        standard: if v["standard"] == "a-2b" { Standard::A2b } else { Standard::Pdf17 },
        tagged: v["tagged"].as_bool().unwrap_or(false),
        evict_every: v["evict_every"].as_u64().unwrap_or(0) as usize,
        evict_age: v["evict_age"].as_u64().unwrap_or(0) as usize,
        budget: Budget::default(),
        in_child: true,
    };
    Engine::new(&opts).ok()
}

fn read_job(r: &mut impl Read) -> Option<(Kind, String, Vec<u8>)> {
    let mut kind = [0u8; 1];
    r.read_exact(&mut kind).ok()?;
    let mut n = [0u8; 4];
    r.read_exact(&mut n).ok()?;
    let mut ident = vec![0u8; u32::from_le_bytes(n) as usize];
    r.read_exact(&mut ident).ok()?;
    let mut n = [0u8; 8];
    r.read_exact(&mut n).ok()?;
    let mut data = Vec::new();
    let len = u64::from_le_bytes(n);
    r.take(len).read_to_end(&mut data).ok()?;
    let kind = match kind[0] {
        0 => Kind::Plan,
        1 => Kind::OfficeReport,
        _ => Kind::Summary,
    };
    Some((kind, String::from_utf8_lossy(&ident).into_owned(), data))
}

/// The child's address space: an allocation past it fails in the child.
fn limit_memory(mb: u64) {
    #[cfg(target_os = "linux")]
    if mb > 0 {
        let bytes = mb.saturating_mul(1 << 20) as libc::rlim_t;
        let limit = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
        // SAFETY: setrlimit reads the struct it is given and changes only
        // this process's limit.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &limit);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = mb;
}
