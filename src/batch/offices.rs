//! The office outputs: offices/<office>/findings.xlsx and the audit
//! report volumes, each redone only when one of the office's plans changed.

use super::plan_job::{Meta, Written, SPILL_FINDINGS_JSON, SPILL_META};
use super::tables::{slash, write_file};
use super::{incremental, spill};
use crate::diag::{Problem, ProblemKind, Source};
use crate::files;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Plans per volume of an office report (audit-report.pdf, then
/// audit-report-2.pdf…): typst holds a whole document until it is written,
/// about 1 MB per report page, so volumes keep a large office's report from
/// taking gigabytes. [`super::RunOptions::report_plans`] overrides it (the CLI
/// reads `LSW_REPORT_PLANS` for tests and measurements).
pub const REPORT_PLANS: usize = 200;

/// What the office outputs need of the run.
pub(super) struct OfficeJob<'a> {
    pub out: &'a Path,
    pub settings: &'a str,
    pub previous: &'a incremental::Previous,
    pub journal: &'a std::sync::Arc<incremental::Journal>,
    pub run_date: &'a str,
    /// Plans per office report volume.
    pub report_plans: usize,
    /// How the printed files name the inputs.
    pub places: &'a crate::render::display::Places,
}

/// offices/<office>/findings.xlsx and audit-report.pdf for every office with
/// plans, each redone only when one of the office's plans changed. Returns
/// (path, fingerprint) of every office file the run stands for.
pub(super) fn office_outputs(
    job: &OfficeJob,
    written: &[(crate::model::PlanKey, Written)],
    spill: &mut spill::Reader,
    xlsx: bool,
    pool: Option<&crate::render::pdf::pool::Pool>,
    problems: &mut Vec<Problem>,
) -> Vec<(String, String)> {
    use crate::render::pdf::view::{office_reports, report_file, report_volumes, PlanSummary};
    let mut by_office: BTreeMap<&str, Vec<&(crate::model::PlanKey, Written)>> = Default::default();
    for w in written {
        by_office.entry(w.1.office_dir.as_str()).or_default().push(w);
    }
    let mut entries = Vec::new();
    for (office, plans) in by_office {
        let fps: Vec<&str> = plans.iter().map(|(_, w)| w.fingerprint.as_str()).collect();
        let fp = incremental::office_fingerprint(job.settings, &fps);
        let dir = Path::new("offices").join(office);
        let xlsx_name = xlsx.then(|| dir.join("findings.xlsx"));
        let volumes = if pool.is_some() { report_volumes(plans.len(), job.report_plans) } else { 0 };
        let pdf_names: Vec<PathBuf> = (1..=volumes).map(|v| dir.join(report_file(v))).collect();
        if pool.is_some() {
            remove_extra_volumes(&job.out.join(&dir), volumes);
        }
        let done = |n: &PathBuf| job.previous.is_done(job.out, &slash(n), &fp, std::slice::from_ref(n));
        let xlsx_todo = xlsx_name.as_ref().filter(|n| !done(n)).cloned();
        // The volumes share one ranking: any one missing redoes them all.
        let pdf_todo = !pdf_names.iter().all(done);
        entries.extend(xlsx_name.iter().chain(&pdf_names).map(|n| (slash(n), fp.clone())));
        if xlsx_todo.is_none() && !pdf_todo {
            continue;
        }
        // The office's plans, back from the spill (one office at a time),
        // their places named as people read them.
        let loaded = match load_office(&plans, spill) {
            Ok(mut l) => {
                for f in l.iter_mut().flat_map(|(_, _, f)| f.iter_mut()) {
                    f.location = job.places.source(&f.location);
                }
                l
            }
            Err(e) => {
                let pdfs = pdf_names.iter().filter(|_| pdf_todo);
                for name in xlsx_todo.iter().chain(pdfs) {
                    problems.push(
                        Problem::new(
                            ProblemKind::Output,
                            Source::file(job.out.join(name).display().to_string()),
                            format!(
                                "作業用の一時ファイル {} を読めません: {}",
                                spill.path().display(),
                                crate::diag::io_error_ja(&e)
                            ),
                        )
                        .with_detail(crate::diag::io_detail(&e)),
                    );
                }
                continue;
            }
        };
        if let Some(name) = xlsx_todo {
            let path = slash(&name);
            job.journal.start(&path);
            let rows: Vec<crate::render::findings_xlsx::FindingRow> = loaded
                .iter()
                .flat_map(|(_, meta, f)| {
                    f.iter().map(|finding| crate::render::findings_xlsx::FindingRow { finding, person: &meta.name })
                })
                .collect();
            let before = problems.len();
            match crate::render::findings_xlsx::findings_workbook(office, &rows) {
                Ok(bytes) => write_file(job.out, &path, &bytes, problems),
                Err(e) => problems.push(
                    Problem::new(
                        ProblemKind::Output,
                        Source::file(job.out.join(&name).display().to_string()),
                        "findings.xlsx を作れませんでした（Excelファイルの組み立てに失敗しました）".to_string(),
                    )
                    .with_detail(e.to_string()),
                ),
            }
            if problems.len() == before {
                job.journal.done(&path, &fp);
            }
        }
        if let Some(pool) = pool.filter(|_| pdf_todo) {
            let summaries: Vec<PlanSummary> = loaded
                .iter()
                .map(|(key, meta, findings)| PlanSummary {
                    key: key.dir_name(),
                    person: meta.person.clone(),
                    office_name: meta.office_name.clone(),
                    created: meta.created.clone(),
                    findings,
                })
                .collect();
            for (report, name) in
                office_reports(office, &summaries, job.run_date, job.report_plans).iter().zip(&pdf_names)
            {
                let path = slash(name);
                job.journal.start(&path);
                let (journal, p, f) = (job.journal.clone(), path.clone(), fp.clone());
                pool.submit(crate::render::pdf::pool::Job {
                    kind: crate::render::pdf::Kind::OfficeReport,
                    data: files::json_bytes(report),
                    ident: format!("office-{office}-{}", report.volume),
                    path: job.out.join(name),
                    on_done: Some(Box::new(move || journal.done(&p, &f))),
                });
            }
        }
    }
    entries
}

/// Removes the volumes of an office report beyond `volumes` (the office has
/// fewer plans than before).
pub(super) fn remove_extra_volumes(dir: &Path, volumes: usize) {
    let Ok(files) = std::fs::read_dir(dir) else { return };
    for f in files.flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        let volume =
            name.strip_prefix("audit-report-").and_then(|n| n.strip_suffix(".pdf")).and_then(|n| n.parse().ok());
        if volume.is_some_and(|v: usize| v > volumes && v >= 2) {
            let _ = std::fs::remove_file(f.path());
        }
    }
}

/// An office's plans as the office files need them: key, facts, findings.
pub(super) type Loaded<'a> = Vec<(&'a crate::model::PlanKey, Meta, Vec<crate::audit::Finding>)>;

pub(super) fn load_office<'a>(
    plans: &[&'a (crate::model::PlanKey, Written)],
    spill: &mut spill::Reader,
) -> std::io::Result<Loaded<'a>> {
    let mut out = Vec::with_capacity(plans.len());
    for (key, w) in plans {
        let r = spill.read(&w.stored)?;
        let meta: Meta = serde_json::from_slice(r.get(SPILL_META)).map_err(std::io::Error::other)?;
        // The findings were spilled as elements of findings.json's array.
        let mut array = Vec::with_capacity(r.get(SPILL_FINDINGS_JSON).len() + 2);
        array.push(b'[');
        array.extend_from_slice(r.get(SPILL_FINDINGS_JSON));
        array.push(b']');
        let findings = serde_json::from_slice(&array).map_err(std::io::Error::other)?;
        out.push((key, meta, findings));
    }
    Ok(out)
}
