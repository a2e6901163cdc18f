//! Render workers: plain threads, each typesetting one document at a time,
//! fed through a bounded queue (so memory is bounded by the documents in
//! flight, not by the batch). Not rayon: a rayon worker waiting inside typst
//! steals further documents onto its own stack.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{Engine, Kind};

/// One document to typeset and where it goes.
pub struct Job {
    pub kind: Kind,
    pub data: Vec<u8>,
    pub ident: String,
    pub path: PathBuf,
    /// Called once the PDF is written (e.g. to record the plan as finished).
    pub on_done: Option<Box<dyn FnOnce() + Send>>,
}

/// What the workers did.
#[derive(Debug, Default)]
pub struct Report {
    pub written: usize,
    pub bytes: u64,
    /// (output path, Japanese message), sorted by path.
    pub failures: Vec<(PathBuf, String)>,
}

pub struct Pool {
    tx: Option<SyncSender<Job>>,
    workers: Vec<JoinHandle<()>>,
    report: Arc<Mutex<Report>>,
}

/// typst recurses deeply on long tables; threads get a roomy stack.
const STACK: usize = 64 << 20;

impl Pool {
    pub fn new(engine: Arc<Engine>, workers: usize) -> Self {
        let workers = workers.max(1);
        let (tx, rx) = sync_channel::<Job>(workers * 2);
        let rx = Arc::new(Mutex::new(rx));
        let report = Arc::new(Mutex::new(Report::default()));
        let handles = (0..workers)
            .map(|i| {
                let (engine, rx, report) = (engine.clone(), rx.clone(), report.clone());
                std::thread::Builder::new()
                    .name(format!("lsw-render-{i}"))
                    .stack_size(STACK)
                    .spawn(move || work(&engine, &rx, &report))
                    .expect("spawn a render thread")
            })
            .collect();
        Pool { tx: Some(tx), workers: handles, report }
    }

    /// Queues a document; blocks while the queue is full.
    pub fn submit(&self, job: Job) {
        if let Some(tx) = &self.tx {
            // Send fails only when every worker is gone, which `finish` reports.
            let _ = tx.send(job);
        }
    }

    /// Waits for every queued document.
    pub fn finish(mut self) -> Report {
        self.tx.take();
        for h in self.workers.drain(..) {
            let _ = h.join();
        }
        let mut r = std::mem::take(&mut *self.report.lock().unwrap_or_else(|e| e.into_inner()));
        r.failures.sort();
        r
    }
}

fn work(engine: &Engine, rx: &Mutex<Receiver<Job>>, report: &Mutex<Report>) {
    loop {
        let job = {
            let guard = rx.lock().unwrap_or_else(|e| e.into_inner());
            match guard.recv() {
                Ok(j) => j,
                Err(_) => return,
            }
        };
        let path = job.path.clone();
        let on_done = job.on_done;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.render(job.kind, job.data, &job.ident).map_err(|e| e.0)
        }))
        .unwrap_or_else(|p| {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("PDFの組版中に内部エラーが起きました（{what}）"))
        });
        let outcome = outcome.and_then(|bytes| {
            crate::batch::output::write_atomic(&path, &bytes)
                .map(|_| bytes.len())
                .map_err(|e| format!("書き込めません: {}", crate::diag::io_error_ja(&e)))
        });
        let mut r = report.lock().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Ok(n) => {
                r.written += 1;
                r.bytes += n as u64;
                drop(r);
                if let Some(f) = on_done {
                    f();
                }
            }
            Err(msg) => r.failures.push((path, msg)),
        }
    }
}
