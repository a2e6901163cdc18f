//! Render workers: plain threads, each typesetting one document at a time,
//! fed through a bounded queue (so memory is bounded by the documents in
//! flight, not by the batch). Not rayon: a rayon worker waiting inside typst
//! steals further documents onto its own stack.
//!
//! With a worker per core, each worker runs typst's own parallel work (page
//! runs laid out side by side, PDF streams) on a rayon pool of its own
//! thread only: the page runs of one document are then laid out one after
//! the other while the other workers keep the other cores busy. Through the
//! shared global pool, workers waited for each other's page runs and the
//! cores were idle ~10% of the time (`cargo bench --bench pdf`: 2 workers
//! used 1.8 cores, now 2.0; 14% more plans per second). With fewer workers
//! than cores (`--jobs 1`) typst keeps the global pool.
//!
//! One writer thread writes the finished PDFs (temporary file, fsync,
//! rename): a render worker never waits for the disk, so the cores keep
//! typesetting while the writer syncs.

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
    writer: Option<JoinHandle<()>>,
    report: Arc<Mutex<Report>>,
}

/// A typeset document on its way to the disk.
struct Finished {
    path: PathBuf,
    outcome: Result<Vec<u8>, String>,
    on_done: Option<Box<dyn FnOnce() + Send>>,
}

/// typst recurses deeply on long tables; threads get a roomy stack.
const STACK: usize = 64 << 20;

impl Pool {
    pub fn new(engine: Arc<Engine>, workers: usize) -> Self {
        let workers = workers.max(1);
        let (tx, rx) = sync_channel::<Job>(workers * 2);
        let rx = Arc::new(Mutex::new(rx));
        let report = Arc::new(Mutex::new(Report::default()));
        // Room for a few documents per worker: the writer catches up while
        // the workers typeset the next ones.
        let (done_tx, done_rx) = sync_channel::<Finished>(workers * 4);
        let writer = {
            let report = report.clone();
            std::thread::Builder::new()
                .name("lsw-pdf-writer".into())
                .spawn(move || write(&done_rx, &report))
                .expect("spawn the PDF writer thread")
        };
        let own_pools = workers >= std::thread::available_parallelism().map_or(1, |n| n.get());
        let handles = (0..workers)
            .map(|i| {
                let (engine, rx, done_tx) = (engine.clone(), rx.clone(), done_tx.clone());
                std::thread::Builder::new()
                    .name(format!("lsw-render-{i}"))
                    .stack_size(STACK)
                    .spawn(move || {
                        if own_pools {
                            on_own_pool(|| work(&engine, &rx, &done_tx))
                        } else {
                            work(&engine, &rx, &done_tx)
                        }
                    })
                    .expect("spawn a render thread")
            })
            .collect();
        Pool { tx: Some(tx), workers: handles, writer: Some(writer), report }
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
        // The workers' senders are gone with them: the writer ends once the
        // last document is written.
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        let mut r = std::mem::take(&mut *self.report.lock().unwrap_or_else(|e| e.into_inner()));
        r.failures.sort();
        r
    }
}

/// Runs `f` on a rayon pool made of the calling thread alone, so that rayon
/// work started inside `f` stays on this thread.
fn on_own_pool(f: impl FnOnce() + Send) {
    match rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build() {
        Ok(pool) => pool.install(f),
        // Without a pool of its own the worker shares the global one.
        Err(_) => f(),
    }
}

fn work(engine: &Engine, rx: &Mutex<Receiver<Job>>, done: &SyncSender<Finished>) {
    loop {
        let job = {
            let guard = rx.lock().unwrap_or_else(|e| e.into_inner());
            match guard.recv() {
                Ok(j) => j,
                Err(_) => return,
            }
        };
        let outcome = crate::diag::catch_quietly(|| engine.render(job.kind, job.data, &job.ident).map_err(|e| e.0))
            .unwrap_or_else(|what| Err(format!("PDFの組版中に内部エラーが起きました（{what}）")));
        // Fails only when the writer is gone, which `finish` reports.
        let _ = done.send(Finished { path: job.path, outcome, on_done: job.on_done });
    }
}

fn write(rx: &Receiver<Finished>, report: &Mutex<Report>) {
    for Finished { path, outcome, on_done } in rx.iter() {
        let outcome = outcome.and_then(|bytes| {
            crate::files::write_atomic(&path, &bytes)
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
