//! manifest.json: what a run read, with which settings, what it wrote and
//! how long it took; the next run compares its plans' fingerprints.

use super::plan_job::{Meta, Written, SPILL_META};
use super::setup::Setup;
use super::tables::slash;
use super::{spill, Counts, RunOptions};
use crate::diag::{Problem, ProblemKind};
use crate::ingest;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// What the manifest says of a finished run.
pub(super) struct Run<'a> {
    pub opts: &'a RunOptions,
    pub setup: &'a Setup,
    pub entries: &'a [FileEntry],
    pub written: &'a [(crate::model::PlanKey, Written)],
    pub kept_plans: Vec<serde_json::Value>,
    /// Office files and their fingerprints.
    pub offices: Vec<(String, String)>,
    pub counts: &'a Counts,
    pub timings: Timings,
}

/// Writes manifest.json. Plans and office files whose files failed (an
/// output problem names them) get no fingerprint, so the next run redoes
/// them.
pub(super) fn write(run: &Run, problems: &[Problem], spill: &mut spill::Reader) -> anyhow::Result<()> {
    let (opts, setup) = (run.opts, run.setup);
    let out = opts.out.as_path();
    let failed: HashSet<String> = problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Output)
        .filter_map(|p| Path::new(&*p.location.file).strip_prefix(out).ok().map(slash))
        .collect();
    let finished = |path: &str| setup.plan_files.iter().all(|f| !failed.contains(&format!("{path}/{f}")));
    let manifest = Manifest {
        tool: Tool { name: "lsw", version: env!("CARGO_PKG_VERSION") },
        settings: setup.settings.clone(),
        rule_set: super::setup::rule_set_fingerprint(&setup.audit_config, setup.config_text.as_deref()),
        inputs: {
            let cwd = std::env::current_dir().ok();
            opts.inputs.iter().map(|p| super::discover::stable_name(p, cwd.as_deref())).collect()
        },
        mappings: setup
            .mappings
            .iter()
            .map(|m| MappingEntry { name: m.file.name.clone(), origin: m.origin.clone(), sha256: m.sha256.clone() })
            .collect(),
        files: run.entries,
        plans: PlanEntries { written: run.written, spill: std::cell::RefCell::new(spill), finished: &finished },
        kept_plans: run.kept_plans.clone(),
        offices: run
            .offices
            .iter()
            .map(|(path, fp)| OfficeEntry {
                path: path.clone(),
                fingerprint: (!failed.contains(path)).then(|| fp.clone()),
            })
            .collect(),
        counts: run.counts,
        timings_ms: &run.timings,
    };
    crate::files::write_atomic_with(&out.join("manifest.json"), |w| crate::files::json_to(w, &manifest))
        .map_err(|e| anyhow::anyhow!("{}", super::tables::write_problem(&out.join("manifest.json"), &e)))
}

/// What manifest.json says of one input file.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    pub file: String,
    pub sha256: String,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<ingest::encoding::Encoding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_decided_by: Option<ingest::encoding::DecidedBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    pub mapping: Option<String>,
    pub sources: Vec<String>,
    pub records: usize,
    pub skipped_records: usize,
    pub problems: usize,
}

#[derive(Debug, Serialize)]
pub(super) struct MappingEntry {
    name: String,
    origin: String,
    sha256: String,
}

#[derive(Serialize)]
pub(super) struct Manifest<'a> {
    tool: Tool,
    /// Fingerprint of the settings every output depends on (tool version,
    /// mappings, rules, config, templates, fonts, output switches).
    settings: String,
    /// Fingerprint of the audit as configured (rules on, their severities,
    /// thresholds): `lsw summary` compares it across runs.
    rule_set: String,
    inputs: Vec<String>,
    mappings: Vec<MappingEntry>,
    files: &'a [FileEntry],
    plans: PlanEntries<'a>,
    /// Earlier runs' entries of plans kept because an input of theirs could
    /// not be read this run (their folders stay; the next run decides again).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    kept_plans: Vec<serde_json::Value>,
    /// Office files (findings.xlsx, audit-report.pdf) and their fingerprints.
    offices: Vec<OfficeEntry>,
    counts: &'a Counts,
    timings_ms: &'a Timings,
}

#[derive(Debug, Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
pub(super) struct PlanEntry<'a> {
    key: &'a crate::model::PlanKey,
    path: String,
    inputs: Vec<String>,
    /// Settings + plan.json hashed; absent when the plan's files failed
    /// (the next run redoes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
    /// The lsw.xlsx files lsw wrote in the folder (newest last): another
    /// lsw.xlsx there was changed by hand, and is never overwritten.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    lsw_xlsx_sha256: &'a [String],
}

/// The manifest's plans, streamed from the spill as the manifest is written.
pub(super) struct PlanEntries<'a> {
    written: &'a [(crate::model::PlanKey, Written)],
    spill: std::cell::RefCell<&'a mut spill::Reader>,
    /// Whether every file of the plan folder is in place.
    finished: &'a dyn Fn(&str) -> bool,
}

impl Serialize for PlanEntries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let mut seq = s.serialize_seq(Some(self.written.len()))?;
        let mut spill = self.spill.borrow_mut();
        for (key, w) in self.written {
            let path = slash(&w.dir(key));
            let meta: Meta = spill
                .read(&w.stored)
                .and_then(|r| serde_json::from_slice(r.get(SPILL_META)).map_err(std::io::Error::other))
                .map_err(|e| {
                    S::Error::custom(format!("作業用の一時ファイルを読めません: {}", crate::diag::io_error_ja(&e)))
                })?;
            let ok = w.problem.is_none() && (self.finished)(&path);
            seq.serialize_element(&PlanEntry {
                key,
                fingerprint: ok.then(|| w.fingerprint.clone()),
                path,
                inputs: meta.inputs,
                lsw_xlsx_sha256: &w.workbooks,
            })?;
        }
        seq.end()
    }
}

#[derive(Debug, Serialize)]
pub(super) struct OfficeEntry {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub(super) struct Timings {
    pub read_and_map: u128,
    pub assemble: u128,
    pub write: u128,
    pub total: u128,
}
