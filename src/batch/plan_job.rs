//! The per-plan job, run on each plan as soon as it is built (on the
//! reading threads): fingerprint → forms → audit → files → journal → PDF job
//! → spill. A plan done before with the same fingerprint keeps its files.

use super::setup::Setup;
use super::tables::{findings_csv_row, plans_csv_row, slash, write_problem};
use super::{progress::Progress, spill, RunOptions};
use crate::diag::{Problem, ProblemKind, Source};
use crate::files;
use crate::mapping::assemble::Finished;
use crate::model::PlanKey;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a run keeps of a plan once its files are written: little, so that
/// a run's memory does not grow with its plans. The rest (findings, rows,
/// inputs) waits in the [`spill`] until the run-level files are written.
pub(super) struct Written {
    pub office_dir: String,
    pub unclassified: u32,
    pub problem: Option<Box<Problem>>,
    /// An lsw.xlsx changed by hand was kept; the new one is lsw.new.xlsx
    /// (an errors.json warning; the plan's files are otherwise complete).
    pub workbook_kept: Option<Box<Problem>>,
    /// The hashes of the lsw.xlsx files lsw wrote in the plan's folder
    /// (the manifest's `lsw_xlsx_sha256`), newest last.
    pub workbooks: Vec<String>,
    /// See [`super::incremental`].
    pub fingerprint: String,
    /// Files kept from an earlier run (nothing rewritten).
    pub reused: bool,
    pub stored: spill::Stored,
}

impl Written {
    /// The plan's folder under the output folder.
    pub fn dir(&self, key: &PlanKey) -> PathBuf {
        plan_dir(&self.office_dir, key)
    }
}

fn plan_dir(office_dir: &str, key: &PlanKey) -> PathBuf {
    Path::new("offices").join(office_dir).join("plans").join(key.dir_name())
}

/// The parts of a plan's spill record.
pub(super) const SPILL_FINDINGS_JSON: usize = 0;
pub(super) const SPILL_FINDINGS_CSV: usize = 1;
pub(super) const SPILL_PLANS_CSV: usize = 2;
pub(super) const SPILL_META: usize = 3;

/// A plan's spilled facts for the manifest and the office report.
#[derive(Serialize, serde::Deserialize)]
pub(super) struct Meta {
    pub inputs: Vec<String>,
    /// For the office report: `氏名　様`, 事業所名, 作成日 (和暦).
    pub person: String,
    pub office_name: String,
    pub created: String,
    /// 利用者名 as the plan writes it, for findings.xlsx.
    #[serde(default)]
    pub name: String,
}

/// Findings counted as plans finish (the findings themselves are spilled).
#[derive(Default)]
pub(super) struct Tally {
    pub findings: [usize; 3],
    pub by_code: [BTreeMap<String, usize>; 3],
}

/// The job every built plan goes through.
pub(super) struct PlanJob<'a> {
    opts: &'a RunOptions,
    setup: &'a Setup,
    progress: Arc<Progress>,
    spill: spill::Spill,
    tally: Mutex<Tally>,
}

impl<'a> PlanJob<'a> {
    pub fn new(opts: &'a RunOptions, setup: &'a Setup, progress: Arc<Progress>) -> PlanJob<'a> {
        PlanJob { opts, setup, progress, spill: spill::Spill::create(&opts.out), tally: Mutex::default() }
    }

    /// Converts, audits and writes one plan; its files are written (or
    /// kept) before this returns, its PDF is queued.
    pub fn run(&self, f: Finished) -> Written {
        let (opts, setup, out) = (self.opts, self.setup, self.opts.out.as_path());
        self.progress.set_total(f.total);
        let dir = plan_dir(&f.office_dir, &f.plan.key);
        let path = slash(&dir);
        let plan_json = files::json_bytes(&f.plan);
        let mut forms = crate::lsw::convert(&f.plan, &setup.rules);
        let audit = crate::audit::audit(&f.plan, &forms, &f.office_dir, &setup.constants, &setup.audit_config);
        // The findings are part of the fingerprint: rules read the audit date
        // and the person's newer plans, so an unchanged plan.json can still
        // get other findings (and then other files).
        let findings_json = files::json_bytes(&audit);
        let fingerprint =
            super::incremental::plan_fingerprint(&setup.settings, &[plan_json.as_slice(), &findings_json].concat());
        let expected: Vec<PathBuf> = setup.plan_files.iter().map(|n| dir.join(n)).collect();
        let reuse = setup.previous.is_done(out, &path, &fingerprint, &expected);
        // What people read (lsw.xlsx, lsw.pdf, findings.csv) names the input
        // files relative to the inputs; the JSON files keep the paths as given.
        let shown: Vec<crate::audit::Finding> = audit
            .findings
            .iter()
            .map(|x| crate::audit::Finding { location: setup.places.source(&x.location), ..x.clone() })
            .collect();
        let mut problem = None;
        let mut workbook_kept = None;
        let mut workbooks = setup.previous.workbooks.get(&path).cloned().unwrap_or_default();
        if reuse {
            self.progress.plan_done();
        } else {
            setup.journal.start(&path);
            let mut written: Vec<(&str, Vec<u8>)> = vec![
                ("plan.json", plan_json),
                ("lsw.json", files::json_bytes(&forms)),
                ("findings.json", findings_json),
            ];
            for u in &mut forms.unclassified {
                if let Some(src) = &mut u.source {
                    *src = setup.places.source(src);
                }
            }
            if !opts.no_xlsx {
                match crate::render::xlsx::lsw_workbook(&forms) {
                    Ok(bytes) => {
                        // A workbook changed since lsw wrote it holds the
                        // user's work: it stays, the new one goes beside it.
                        let target = out.join(&dir).join("lsw.xlsx");
                        let changed =
                            std::fs::read(&target).is_ok_and(|old| setup.previous.workbook_changed(&path, &old));
                        let name = if changed {
                            workbook_kept = Some(Box::new(Problem::new(
                                ProblemKind::Warning,
                                Source::file(target.display().to_string()),
                                "lsw.xlsx は前回 lsw が書いたあとで変更されているため（手で編集した内容を残すため）上書きしませんでした。今回の内容は同じフォルダの lsw.new.xlsx にあります",
                            )));
                            "lsw.new.xlsx"
                        } else {
                            "lsw.xlsx"
                        };
                        workbooks.retain(|h| *h != crate::hash::sha256_hex(&bytes));
                        workbooks.push(crate::hash::sha256_hex(&bytes));
                        let excess = workbooks.len().saturating_sub(super::incremental::WORKBOOK_HASHES);
                        workbooks.drain(..excess);
                        written.push((name, bytes));
                    }
                    Err(e) => {
                        problem = Some(
                            Problem::new(
                                ProblemKind::Output,
                                Source::file(out.join(&dir).join("lsw.xlsx").display().to_string()),
                                "lsw.xlsx を作れませんでした（Excelファイルの組み立てに失敗しました）".to_string(),
                            )
                            .with_detail(e.to_string()),
                        )
                    }
                }
            }
            for (name, bytes) in written {
                let p = out.join(&dir).join(name);
                // Journalled before it is written: a run killed in between
                // must not take lsw's own workbook for one changed by hand.
                if name.ends_with(".xlsx") {
                    setup.journal.workbook(&path, &crate::hash::sha256_hex(&bytes));
                }
                if let Err(e) = files::write_atomic(&p, &bytes) {
                    problem.get_or_insert(write_problem(&p, &e));
                }
            }
            // The plan is finished (journalled) only once every file is in place.
            let ok = problem.is_none();
            let finish = {
                let (journal, progress, path, fingerprint) =
                    (setup.journal.clone(), self.progress.clone(), path.clone(), fingerprint.clone());
                move || {
                    if ok {
                        journal.done(&path, &fingerprint);
                    }
                    progress.plan_done();
                }
            };
            match &setup.renderer {
                Some(pool) => {
                    let doc = crate::render::pdf::view::plan_doc(&forms, &shown, &audit.not_checked, &setup.run_date);
                    pool.submit(crate::render::pdf::pool::Job {
                        kind: crate::render::pdf::Kind::Plan,
                        data: files::json_bytes(&doc),
                        ident: f.plan.key.dir_name(),
                        path: out.join(&dir).join("lsw.pdf"),
                        on_done: Some(Box::new(finish)),
                    });
                }
                None => finish(),
            }
        }
        let mut inputs: Vec<String> = f.plan.provenance.inputs.iter().map(|i| i.file.clone()).collect();
        inputs.dedup();
        let meta = Meta {
            inputs,
            person: crate::render::pdf::view::person_name(&forms),
            office_name: forms.header.office_name.clone().unwrap_or_default(),
            created: crate::model::wareki::opt(forms.header.created_on),
            name: forms.header.person_name.clone().unwrap_or_default(),
        };
        {
            let mut t = self.tally.lock().unwrap_or_else(|e| e.into_inner());
            for f in &audit.findings {
                t.findings[f.severity as usize] += 1;
                *t.by_code[f.severity as usize].entry(f.code.to_string()).or_default() += 1;
            }
        }
        let stored = self.spill.put([
            &files::json_elements(&audit.findings),
            &files::csv_rows(shown.iter().map(|x| findings_csv_row(x, &meta.name))),
            &files::csv_rows(std::iter::once(plans_csv_row(&f.plan, &forms, &audit.findings, &dir))),
            &serde_json::to_vec(&meta).unwrap_or_default(),
        ]);
        Written {
            office_dir: f.office_dir,
            unclassified: forms.unclassified.len() as u32,
            problem: problem.map(Box::new),
            workbook_kept,
            workbooks,
            fingerprint,
            reused: reuse,
            stored,
        }
    }

    /// The spill, ready to be read back, and the findings counted.
    pub fn finish(self) -> (spill::Reader, Tally) {
        (self.spill.finish(), self.tally.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}
