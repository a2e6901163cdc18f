//! Batch: the `lsw run` pipeline over many files.
//!
//! In: input paths, options. Out: the contract output layout under `--out`
//! (manifest.json, plans.csv, errors.json, offices/<office>/plans/<key>/plan.json),
//! every file written atomically. Files are read, recognised and mapped in
//! parallel (rayon); records are then grouped into plans in one place so that
//! plans can join across files.

pub mod discover;
pub mod incremental;
pub mod progress;
pub mod spill;

use crate::diag::{Problem, ProblemKind, Source};
use crate::files;
use crate::ingest::{self, encoding::EncodingChoice, Content};
use crate::mapping::{self, apply, assemble, detect, Mapping, Record};
use crate::model::CarePlan;
use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub mappings: Vec<String>,
    pub encoding: EncodingChoice,
    pub jobs: Option<usize>,
    pub quiet: bool,
    /// An office's own placement rules for the Life Support Work forms.
    pub lsw_rules: Option<PathBuf>,
    /// Skip the workbooks (lsw.xlsx, findings.xlsx).
    pub no_xlsx: bool,
    /// Audit settings (`--config`).
    pub audit_config: Option<PathBuf>,
    /// PDF settings; `None` skips the PDFs (`--no-pdf`).
    pub pdf: Option<crate::render::pdf::EngineOptions>,
    /// Redo every plan, whatever earlier runs left (`--force`).
    pub force: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub files: usize,
    pub files_read: usize,
    pub plans: usize,
    pub records: usize,
    pub duplicates: usize,
    pub skipped_records: usize,
    /// Plan values no rule placed on the forms (in each lsw.json's `unclassified`).
    pub unclassified: usize,
    /// Findings per severity: error, warning, info.
    pub findings: [usize; 3],
    /// PDFs written (lsw.pdf per plan, audit-report.pdf per office).
    pub pdfs: usize,
    /// Plans whose files an earlier run wrote with the same fingerprint.
    pub reused: usize,
    /// Plan folders removed because their inputs are gone.
    pub removed: usize,
    /// Earlier plans this run did not have but kept, because an input of
    /// theirs could not be read this time (see `incremental::kept`).
    pub kept: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub counts: Counts,
    /// Findings per rule code, per severity (error, warning, info).
    pub by_code: [BTreeMap<String, usize>; 3],
    pub elapsed_ms: u128,
}

impl RunSummary {
    pub fn exit_code(&self) -> u8 {
        if self.counts.errors > 0 {
            2
        } else {
            0
        }
    }

    /// The final summary line.
    pub fn line(&self) -> String {
        let c = &self.counts;
        let incremental = if c.reused + c.removed + c.kept > 0 {
            let kept = if c.kept > 0 {
                format!("、入力を読めず前回の出力を残したもの {}件", c.kept)
            } else {
                String::new()
            };
            format!("（前回のまま {}件、入力がなくなり削除 {}件{kept}）", c.reused, c.removed)
        } else {
            String::new()
        };
        format!(
            "完了: 計画 {}件{incremental} / ファイル {}件（読めたもの {}件） / レコード {}件（重複 {}件を統合） / 様式に未分類 {}件 / 点検 エラー {}件・警告 {}件・情報 {}件 / PDF {}件 / 読み込みエラー {}件 / {:.1}秒",
            c.plans,
            c.files,
            c.files_read,
            c.records,
            c.duplicates,
            c.unclassified,
            c.findings[0],
            c.findings[1],
            c.findings[2],
            c.pdfs,
            c.errors,
            self.elapsed_ms as f64 / 1000.0
        )
    }

    /// One line per severity with findings: `点検 警告 3件: L3-04 2件、T1-12 1件`.
    pub fn severity_lines(&self) -> Vec<String> {
        use crate::audit::Severity;
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .zip(&self.by_code)
            .filter(|(_, codes)| !codes.is_empty())
            .map(|(s, codes)| {
                let total: usize = codes.values().sum();
                let each: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}件")).collect();
                format!("点検 {} {total}件: {}", s.ja(), each.join("、"))
            })
            .collect()
    }
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
struct MappingEntry {
    name: String,
    origin: String,
    sha256: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
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
    timings_ms: Timings,
}

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct PlanEntry<'a> {
    key: &'a crate::model::PlanKey,
    path: String,
    inputs: Vec<String>,
    /// Settings + plan.json hashed; absent when the plan's files failed
    /// (the next run redoes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

/// The manifest's plans, streamed from the spill as the manifest is written.
struct PlanEntries<'a> {
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
                .map_err(|e| S::Error::custom(format!("作業用の一時ファイルを読めません: {e}")))?;
            let ok = w.problem.is_none() && (self.finished)(&path);
            seq.serialize_element(&PlanEntry {
                key,
                fingerprint: ok.then(|| w.fingerprint.clone()),
                path,
                inputs: meta.inputs,
            })?;
        }
        seq.end()
    }
}

#[derive(Debug, Serialize)]
struct OfficeEntry {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct Timings {
    read_and_map: u128,
    assemble: u128,
    write: u128,
    total: u128,
}

/// Loads the mappings the run uses: the built-in ones, or those named.
pub fn load_mappings(names: &[String]) -> anyhow::Result<Vec<Mapping>> {
    if names.is_empty() {
        return mapping::builtin().map_err(anyhow::Error::msg);
    }
    let mut out = Vec::new();
    for n in names {
        if let Some((name, text)) = mapping::BUILTIN.iter().find(|(b, _)| b == n) {
            out.push(mapping::load_str(text, &format!("builtin:{name}")).map_err(|ps| problems_error(n, &ps))?);
        } else {
            let text = std::fs::read_to_string(n)
                .with_context(|| format!("マッピング「{n}」は組み込みにもファイルにもありません"))?;
            out.push(mapping::load_str(&text, n).map_err(|ps| problems_error(n, &ps))?);
        }
    }
    Ok(out)
}

fn problems_error(name: &str, ps: &[mapping::MappingProblem]) -> anyhow::Error {
    let lines: Vec<String> = ps.iter().map(|p| format!("  {name}:{p}")).collect();
    anyhow::anyhow!(
        "マッピング「{name}」に問題があります（lsw mapping check {name} で確認できます）:\n{}",
        lines.join("\n")
    )
}

/// Everything read from one file.
pub struct FileResult {
    pub entry: FileEntry,
    pub records: Vec<Record>,
    pub problems: Vec<Problem>,
}

/// Reads, recognises and maps one file (a CSV only for the fields `only`
/// names, if given).
pub fn process_file(
    file: &discover::InputFile,
    index: usize,
    mappings: &[Mapping],
    choice: EncodingChoice,
    only: Option<&[mapping::Key]>,
) -> FileResult {
    // A first look (`only` some fields) needs neither the file's hash nor
    // its whole text.
    let read = |choice| match only {
        Some(_) => ingest::read_file_first_look(&file.path, &file.name, choice),
        None => ingest::read_file(&file.path, &file.name, choice),
    };
    let mut ing = read(choice);
    let mut entry = FileEntry {
        file: file.name.clone(),
        sha256: ing.sha256.clone(),
        size: ing.size,
        encoding: None,
        encoding_decided_by: None,
        format: None,
        mapping: None,
        sources: vec![],
        records: 0,
        skipped_records: 0,
        problems: 0,
    };
    let mut records = Vec::new();
    let shared_name: std::sync::Arc<str> = file.name.as_str().into();
    let base = file.path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some(content) = ing.content.take() {
        match detect::detect(mappings, &base, &content) {
            Ok(d) => {
                let m = &mappings[d.mapping()];
                entry.mapping = Some(m.file.name.clone());
                // A mapping that fixes the encoding re-reads a CSV decoded otherwise.
                let content = match (&content, m.file.encoding, choice) {
                    (Content::Csv { encoding, .. }, want, EncodingChoice::Auto)
                        if want != EncodingChoice::Auto && !matches_choice(*encoding, want) =>
                    {
                        ing = read(want);
                        ing.content.take().unwrap_or(content)
                    }
                    _ => content,
                };
                match (&d, &content) {
                    (detect::Detection::Csv { source, .. }, Content::Csv { table, .. }) => {
                        let s = &m.sources[*source];
                        entry.sources.push(s.spec.id.clone());
                        let ex = apply::csv(s, &shared_name, index, table, only);
                        entry.skipped_records += ex.skipped;
                        records.extend(ex.records);
                        ing.problems.extend(ex.problems);
                    }
                    (detect::Detection::Workbook { sources, .. }, Content::Workbook(wb)) => {
                        for si in sources {
                            let s = &m.sources[*si];
                            entry.sources.push(s.spec.id.clone());
                            let ex = apply::excel(s, &shared_name, index, wb);
                            records.extend(ex.records);
                            ing.problems.extend(ex.problems);
                        }
                    }
                    _ => {}
                }
                set_meta(&mut entry, &content);
                if let Content::Csv { table, .. } = content {
                    ingest::give_back(table.into_bytes());
                }
            }
            Err(msg) => {
                ing.problems.push(Problem::new(ProblemKind::Layout, Source::file(shared_name.clone()), msg));
                set_meta(&mut entry, &content);
            }
        }
    }
    entry.records = records.len();
    entry.problems = ing.problems.len();
    FileResult { entry, records, problems: ing.problems }
}

fn set_meta(entry: &mut FileEntry, content: &Content) {
    match content {
        Content::Csv { encoding, decided_by, .. } => {
            entry.encoding = Some(*encoding);
            entry.encoding_decided_by = Some(*decided_by);
            entry.format = Some("csv");
        }
        Content::Workbook(wb) => entry.format = Some(wb.format),
    }
}

fn matches_choice(e: ingest::encoding::Encoding, want: EncodingChoice) -> bool {
    use ingest::encoding::Encoding::*;
    // A UTF-16 BOM leaves no doubt, whatever a mapping expects.
    matches!(
        (e, want),
        (Ascii | Utf16Le | Utf16Be, _) | (Utf8 | Utf8Bom, EncodingChoice::Utf8) | (Cp932, EncodingChoice::Cp932)
    )
}

/// Everything read from the inputs, each plan turned into `T` by the sink.
pub struct Mapped<T = CarePlan> {
    pub files: Vec<discover::InputFile>,
    pub entries: Vec<FileEntry>,
    pub assembled: assemble::Assembled<T>,
    pub problems: Vec<Problem>,
    pub counts: Counts,
    pub read_ms: u128,
    pub assemble_ms: u128,
}

/// Discovers, reads, recognises and maps every input and keeps every plan
/// (tests and small runs; `lsw run` streams with [`ingest_and_map_with`]).
pub fn ingest_and_map(
    inputs: &[PathBuf],
    mappings: &[Mapping],
    choice: EncodingChoice,
    pool: &rayon::ThreadPool,
) -> Mapped {
    ingest_and_map_with(inputs, mappings, choice, pool, |f| f.plan)
}

/// Discovers, reads, recognises and maps every input (in parallel) and
/// groups the records into plans, handing each finished plan to `sink` on a
/// worker as soon as it is built: the ingest + map half of `lsw run`.
pub fn ingest_and_map_with<T: Send>(
    inputs: &[PathBuf],
    mappings: &[Mapping],
    choice: EncodingChoice,
    pool: &rayon::ThreadPool,
    sink: impl Fn(assemble::Finished) -> T + Sync,
) -> Mapped<T> {
    let mut problems = Vec::new();
    let files = discover::discover(inputs, &[], &mut problems);
    map_files(files, problems, mappings, choice, pool, sink)
}

/// [`ingest_and_map_with`] for files already discovered (`lsw run` leaves
/// its output folder out of them), with the problems discovery found.
pub fn map_files<T: Send>(
    files: Vec<discover::InputFile>,
    mut problems: Vec<Problem>,
    mappings: &[Mapping],
    choice: EncodingChoice,
    pool: &rayon::ThreadPool,
    sink: impl Fn(assemble::Finished) -> T + Sync,
) -> Mapped<T> {
    let t0 = Instant::now();
    let limit = std::env::var("LSW_BATCH_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(BATCH_BYTES);
    let (batches, plan_estimate) = plan_batches(&files, mappings, choice, pool, limit);
    let read_ms = t0.elapsed().as_millis();
    let t1 = Instant::now();
    let infos: Vec<assemble::FileInfo> =
        files.iter().map(|f| assemble::FileInfo { name: f.name.clone(), folder: f.folder.clone() }).collect();
    let sink = &sink;
    // Sized up front: growing by doubling would hold 1.5× the entries while copying.
    let capacity = plan_estimate.unwrap_or(0);
    let mut keyed: Vec<(crate::model::PlanKey, T)> = Vec::with_capacity(capacity + capacity / 16);
    let mut assembled_problems = Vec::new();
    let mut duplicates = 0;
    // Per file: its manifest entry and problems, from the full reading.
    let mut read: Vec<Option<(FileEntry, Vec<Problem>)>> = (0..files.len()).map(|_| None).collect();
    for batch in batches {
        // Pass 2: this batch's files read in full, then its plans.
        let results: Vec<FileResult> =
            pool.install(|| batch.par_iter().map(|&i| process_file(&files[i], i, mappings, choice, None)).collect());
        let mut records = Vec::with_capacity(results.len());
        for (&i, r) in batch.iter().zip(results) {
            read[i] = Some((r.entry, r.problems));
            records.push(r.records);
        }
        let a = pool.install(|| {
            assemble::assemble(records, &infos, |mut f: assemble::Finished| {
                if let Some(n) = plan_estimate {
                    f.total = n;
                }
                sink(f)
            })
        });
        assembled_problems.extend(a.problems);
        duplicates += a.duplicates;
        keyed.extend(a.keys.into_iter().zip(a.plans));
    }
    let mut counts = Counts { files: files.len(), ..Counts::default() };
    let mut entries = Vec::with_capacity(files.len());
    for (entry, file_problems) in read.into_iter().flatten() {
        if entry.mapping.is_some() {
            counts.files_read += 1;
        }
        counts.skipped_records += entry.skipped_records;
        counts.records += entry.records;
        entries.push(entry);
        problems.extend(file_problems);
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let (keys, plans): (Vec<_>, Vec<_>) = keyed.into_iter().unzip();
    assembled_problems.sort();
    let mut assembled = assemble::Assembled { plans, keys, problems: assembled_problems, duplicates };
    let assemble_ms = t1.elapsed().as_millis();
    problems.append(&mut assembled.problems);
    counts.plans = assembled.plans.len();
    counts.duplicates = assembled.duplicates;
    Mapped { files, entries, assembled, problems, counts, read_ms, assemble_ms }
}

/// The files of each batch, and (when it took a first look) how many plans
/// the run will build, for progress (months without a plan of their own
/// may add a few).
///
/// Inputs of at most `limit` bytes are one batch, read once. Otherwise
/// every file is read once for the people it holds (a CSV mapped only for
/// its key fields, see [`ingest::read_file_first_look`]) and the records
/// dropped. Files sharing a person are assembled together (a plan joins
/// across files), so the run then holds the records of a batch of such
/// groups of files at a time, not of all inputs.
fn plan_batches(
    files: &[discover::InputFile],
    mappings: &[Mapping],
    choice: EncodingChoice,
    pool: &rayon::ThreadPool,
    limit: u64,
) -> (Vec<Vec<usize>>, Option<usize>) {
    let size = |f: &discover::InputFile| std::fs::metadata(&f.path).map_or(u64::MAX, |m| m.len());
    if files.iter().map(size).try_fold(0u64, |a, b| a.checked_add(b)).is_some_and(|total| total <= limit) {
        return (vec![(0..files.len()).collect()], None);
    }
    type First = (u64, Vec<assemble::PersonId>, Vec<assemble::PlanId>);
    let firsts: Vec<First> = pool.install(|| {
        files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                let mut r = process_file(f, i, mappings, choice, Some(&apply::KEY_FIELDS));
                let (people, plans) = assemble::people(&mut r.records);
                (r.entry.size, people, plans)
            })
            .collect()
    });
    let mut groups = Groups::new(files.len());
    let mut sizes = Vec::with_capacity(files.len());
    let mut plan_keys = std::collections::HashSet::new();
    let mut owner: std::collections::HashMap<assemble::PersonId, usize> = std::collections::HashMap::new();
    for (i, (size, people, plans)) in firsts.into_iter().enumerate() {
        plan_keys.extend(plans);
        sizes.push(size);
        for p in people {
            match owner.get(&p) {
                Some(&j) => groups.join(i, j),
                None => {
                    owner.insert(p, i);
                }
            }
        }
    }
    (groups.batches(&sizes, limit), Some(plan_keys.len()))
}

/// Plans per volume of an office report (audit-report.pdf, then
/// audit-report-2.pdf…): typst holds a whole document until it is written,
/// about 1 MB per report page, so volumes keep a large office's report from
/// taking gigabytes. `LSW_REPORT_PLANS` overrides it (tests, measurements).
const REPORT_PLANS: usize = 200;

fn report_plans() -> usize {
    std::env::var("LSW_REPORT_PLANS").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(REPORT_PLANS)
}

/// Input bytes read together at most (several groups of files share a
/// batch up to this size; one group larger than it is read alone).
/// `LSW_BATCH_BYTES` overrides it (tests, measurements).
const BATCH_BYTES: u64 = 16 << 20;

/// Files joined by the people they share (union-find).
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups { parent: (0..n).collect() }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller index leads, so groups come in discovery order.
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.parent[hi] = lo;
        }
    }

    /// The files of each batch: whole groups in the order of their first
    /// file, packed up to `limit` bytes.
    fn batches(&mut self, sizes: &[u64], limit: u64) -> Vec<Vec<usize>> {
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.parent.len() {
            let r = self.find(i);
            by_root.entry(r).or_default().push(i);
        }
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut bytes = 0u64;
        for (_, group) in by_root {
            let size: u64 = group.iter().map(|&i| sizes[i]).sum();
            match out.last_mut() {
                Some(last) if bytes + size <= limit => {
                    last.extend(group);
                    bytes += size;
                }
                _ => {
                    out.push(group);
                    bytes = size;
                }
            }
        }
        for b in &mut out {
            b.sort_unstable();
        }
        out
    }
}

/// What a run keeps of a plan once its files are written: little, so that
/// a run's memory does not grow with its plans. The rest (findings, rows,
/// inputs) waits in the [`spill`] until the run-level files are written.
struct Written {
    office_dir: String,
    unclassified: u32,
    problem: Option<Box<Problem>>,
    /// See [`incremental`].
    fingerprint: String,
    /// Files kept from an earlier run (nothing rewritten).
    reused: bool,
    stored: spill::Stored,
}

impl Written {
    fn dir(&self, key: &crate::model::PlanKey) -> PathBuf {
        Path::new("offices").join(&self.office_dir).join("plans").join(key.dir_name())
    }
}

/// The parts of a plan's spill record.
const SPILL_FINDINGS_JSON: usize = 0;
const SPILL_FINDINGS_CSV: usize = 1;
const SPILL_PLANS_CSV: usize = 2;
const SPILL_META: usize = 3;

/// A plan's spilled facts for the manifest and the office report.
#[derive(Serialize, serde::Deserialize)]
struct Meta {
    inputs: Vec<String>,
    /// For the office report: `氏名　様`, 事業所名, 作成日 (和暦).
    person: String,
    office_name: String,
    created: String,
}

/// Findings counted as plans finish (the findings themselves are spilled).
#[derive(Default)]
struct Tally {
    findings: [usize; 3],
    by_code: [BTreeMap<String, usize>; 3],
}

pub fn thread_pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().num_threads(jobs.unwrap_or(0)).build().context("スレッドを用意できません")
}

pub fn run(opts: &RunOptions) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    let mappings = load_mappings(&opts.mappings)?;
    let pool = thread_pool(opts.jobs)?;
    let rules = load_lsw_rules(opts.lsw_rules.as_deref())?;
    let config_text = match &opts.audit_config {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .with_context(|| format!("点検の設定ファイル {} を読み込めません", p.display()))?,
        ),
        None => None,
    };
    let audit_config = match &config_text {
        Some(t) => crate::audit::Config::load(t).map_err(anyhow::Error::msg)?,
        None => crate::audit::Config::default(),
    };
    let constants = crate::audit::Constants::builtin();
    let out = &opts.out;
    files::create_out_dir(out)?;
    // Held until the run returns: a nightly run that overlaps the next one
    // (or a second run started by hand) would clear the first one's
    // temporaries below and interleave both runs' files.
    let _lock = files::lock_output(out)?;
    let settings = settings_fingerprint(opts, &mappings, config_text.as_deref())?;
    files::remove_stale_temporaries(out);
    let previous = if opts.force { incremental::Previous::default() } else { incremental::Previous::load(out) };
    let journal = std::sync::Arc::new(incremental::Journal::open(out));
    let progress = progress::Progress::new(opts.quiet);
    let renderer = match &opts.pdf {
        Some(o) => {
            let engine = std::sync::Arc::new(crate::render::pdf::Engine::new(o)?);
            engine.require(&[crate::render::pdf::Kind::Plan, crate::render::pdf::Kind::OfficeReport])?;
            let workers = opts.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            Some(crate::render::pdf::pool::Pool::new(engine, workers))
        }
        None => None,
    };
    let run_date = opts.pdf.as_ref().map(|o| crate::render::pdf::run_date(o.moment)).unwrap_or_default();
    let mut plan_files = vec!["plan.json", "lsw.json", "findings.json"];
    if !opts.no_xlsx {
        plan_files.push("lsw.xlsx");
    }
    if opts.pdf.is_some() {
        plan_files.push("lsw.pdf");
    }
    let progress = std::sync::Arc::new(progress);
    let spill = spill::Spill::create(out);
    let tally = std::sync::Mutex::new(Tally::default());
    // Each plan is written as soon as it is built and then dropped; a plan
    // done before with the same fingerprint keeps its files.
    let write = |f: assemble::Finished| -> Written {
        progress.set_total(f.total);
        let dir = Path::new("offices").join(&f.office_dir).join("plans").join(f.plan.key.dir_name());
        let path = slash(&dir);
        let plan_json = files::json_bytes(&f.plan);
        let fingerprint = incremental::plan_fingerprint(&settings, &plan_json);
        let expected: Vec<PathBuf> = plan_files.iter().map(|n| dir.join(n)).collect();
        let reuse = previous.is_done(out, &path, &fingerprint, &expected);
        let forms = crate::lsw::convert(&f.plan, &rules);
        let audit = crate::audit::audit(&f.plan, &forms, &f.office_dir, &constants, &audit_config);
        let mut problem = None;
        if reuse {
            progress.plan_done();
        } else {
            journal.start(&path);
            let mut files: Vec<(&str, Vec<u8>)> = vec![
                ("plan.json", plan_json),
                ("lsw.json", files::json_bytes(&forms)),
                ("findings.json", files::json_bytes(&audit)),
            ];
            if !opts.no_xlsx {
                match crate::render::xlsx::lsw_workbook(&forms) {
                    Ok(bytes) => files.push(("lsw.xlsx", bytes)),
                    Err(e) => {
                        problem = Some(Problem::new(
                            ProblemKind::Output,
                            Source::file(out.join(&dir).join("lsw.xlsx").display().to_string()),
                            format!("lsw.xlsx を作れませんでした: {e}"),
                        ))
                    }
                }
            }
            for (name, bytes) in files {
                let p = out.join(&dir).join(name);
                if let Err(e) = files::write_atomic(&p, &bytes) {
                    problem.get_or_insert(write_problem(&p, &e));
                }
            }
            // The plan is finished (journalled) only once every file is in place.
            let ok = problem.is_none();
            let finish = {
                let (journal, progress, path, fingerprint) =
                    (journal.clone(), progress.clone(), path.clone(), fingerprint.clone());
                move || {
                    if ok {
                        journal.done(&path, &fingerprint);
                    }
                    progress.plan_done();
                }
            };
            match &renderer {
                Some(pool) => {
                    let doc =
                        crate::render::pdf::view::plan_doc(&forms, &audit.findings, &audit.not_checked, &run_date);
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
        };
        {
            let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
            for f in &audit.findings {
                t.findings[f.severity as usize] += 1;
                *t.by_code[f.severity as usize].entry(f.code.to_string()).or_default() += 1;
            }
        }
        let stored = spill.put([
            &files::json_elements(&audit.findings),
            &files::csv_rows(audit.findings.iter().map(findings_csv_row)),
            &files::csv_rows(std::iter::once(plans_csv_row(&f.plan, &forms, &audit.findings, &dir))),
            &serde_json::to_vec(&meta).unwrap_or_default(),
        ]);
        Written {
            office_dir: f.office_dir,
            unclassified: forms.unclassified.len() as u32,
            problem: problem.map(Box::new),
            fingerprint,
            reused: reuse,
            stored,
        }
    };
    // The output folder is never an input, even when it sits inside one.
    let mut found = Vec::new();
    let files = discover::discover(&opts.inputs, std::slice::from_ref(out), &mut found);
    // Inputs and folders that could not be read: their earlier plans are not gone.
    let mut unread: Vec<PathBuf> = found.iter().map(|p| PathBuf::from(&*p.location.file)).collect();
    let Mapped { entries, assembled, mut problems, mut counts, read_ms, assemble_ms, .. } =
        map_files(files, found, &mappings, opts.encoding, &pool, write);
    let t2 = Instant::now();
    let written: Vec<(crate::model::PlanKey, Written)> = assembled.keys.into_iter().zip(assembled.plans).collect();
    counts.reused = written.iter().filter(|(_, w)| w.reused).count();
    let mut current: std::collections::HashSet<String> = written.iter().map(|(k, w)| slash(&w.dir(k))).collect();
    unread.extend(entries.iter().filter(|e| e.mapping.is_none()).map(|e| PathBuf::from(&e.file)));
    let kept = incremental::kept(&previous, &current, &unread, counts.files_read == 0);
    counts.kept = kept.len();
    current.extend(kept.iter().cloned());
    counts.removed = incremental::remove_gone(out, &previous.plan_paths, &current).len();
    drop(current);
    let kept_plans: Vec<serde_json::Value> =
        kept.iter().filter_map(|p| previous.plan_entries.get(p).cloned()).collect();
    counts.unclassified = written.iter().map(|(_, w)| w.unclassified as usize).sum();
    let Tally { findings, by_code } = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    counts.findings = findings;
    let mut spill = spill.finish();
    run_files(out, &written, &mut spill, &mut problems);
    progress.note("事業所の報告書を作っています");
    let offices = office_outputs(
        &OfficeJob {
            out,
            settings: &settings,
            previous: &previous,
            journal: &journal,
            run_date: &run_date,
            report_plans: report_plans(),
        },
        &written,
        &mut spill,
        !opts.no_xlsx,
        renderer.as_ref(),
        &mut problems,
    );
    if let Some(pool) = renderer {
        let report = pool.finish();
        counts.pdfs = report.written;
        problems.extend(
            report
                .failures
                .into_iter()
                .map(|(path, msg)| Problem::new(ProblemKind::Output, Source::file(path.display().to_string()), msg)),
        );
    }
    progress.finish();
    problems.extend(written.iter().filter_map(|(_, w)| w.problem.as_deref().cloned()));
    problems.sort();
    problems.dedup();
    counts.errors = problems.len();
    write_file(out, "errors.json", &files::json_bytes(&problems), &mut problems);
    let write_ms = t2.elapsed().as_millis();
    // Plans whose files failed are left out of the fingerprints: the next
    // run redoes them.
    let failed: std::collections::HashSet<String> = problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Output)
        .filter_map(|p| Path::new(&*p.location.file).strip_prefix(out).ok().map(slash))
        .collect();
    let finished = |path: &str, files: &[&str]| files.iter().all(|f| !failed.contains(&format!("{path}/{f}")));
    let manifest = Manifest {
        tool: Tool { name: "lsw", version: env!("CARGO_PKG_VERSION") },
        settings: settings.clone(),
        rule_set: rule_set_fingerprint(&audit_config, config_text.as_deref()),
        inputs: opts.inputs.iter().map(|p| p.display().to_string()).collect(),
        mappings: mappings
            .iter()
            .map(|m| MappingEntry { name: m.file.name.clone(), origin: m.origin.clone(), sha256: m.sha256.clone() })
            .collect(),
        files: &entries,
        plans: PlanEntries {
            written: &written,
            spill: std::cell::RefCell::new(&mut spill),
            finished: &|path: &str| finished(path, &plan_files),
        },
        kept_plans,
        offices: offices
            .into_iter()
            .map(|(path, fp)| {
                let ok = !failed.contains(&path);
                OfficeEntry { path, fingerprint: ok.then_some(fp) }
            })
            .collect(),
        counts: &counts,
        timings_ms: Timings {
            read_and_map: read_ms,
            assemble: assemble_ms,
            write: write_ms,
            total: started.elapsed().as_millis(),
        },
    };
    let mut late = Vec::new();
    write_stream(out, "manifest.json", &mut late, |w| files::json_to(w, &manifest));
    if let Some(p) = late.first() {
        anyhow::bail!("{p}");
    }
    if let Ok(j) = std::sync::Arc::try_unwrap(journal) {
        j.close(out);
    }
    Ok(RunSummary { counts, by_code, elapsed_ms: started.elapsed().as_millis() })
}

/// The audit as configured: which rules run, at which severity, with which
/// thresholds (the config text), under this tool version's constants.
fn rule_set_fingerprint(config: &crate::audit::Config, text: Option<&str>) -> String {
    let mut s = incremental::Settings::new();
    for rule in crate::audit::rules::all() {
        let info = rule.info();
        let severity = config.severity(info.code).unwrap_or(info.severity);
        s.add(info.code, format!("{} {}", config.enabled(info.code), severity.ja()).as_bytes());
    }
    s.add("config", text.unwrap_or("").as_bytes());
    s.finish()
}

/// What every output depends on besides a plan's own content.
fn settings_fingerprint(opts: &RunOptions, mappings: &[Mapping], config: Option<&str>) -> anyhow::Result<String> {
    let mut s = incremental::Settings::new();
    for m in mappings {
        s.add("mapping", m.sha256.as_bytes());
    }
    s.add("encoding", format!("{:?}", opts.encoding).as_bytes());
    if let Some(p) = &opts.lsw_rules {
        s.add("lsw-rules", &std::fs::read(p).with_context(|| format!("{} を読み込めません", p.display()))?);
    }
    s.add("config", config.unwrap_or("").as_bytes());
    s.add("xlsx", &[u8::from(!opts.no_xlsx)]);
    match &opts.pdf {
        None => s.add("pdf", b"off"),
        Some(o) => {
            s.add("pdf", format!("{:?} tagged={}", o.standard, o.tagged).as_bytes());
            s.add("report-plans", report_plans().to_string().as_bytes());
            if let Some(t) = &o.templates {
                s.add_dir("templates", t)
                    .with_context(|| format!("テンプレートフォルダ {} を読めません", t.display()))?;
            }
            for d in &o.font_dirs {
                s.add_dir("fonts", d).with_context(|| format!("フォントフォルダ {} を読めません", d.display()))?;
            }
        }
    }
    Ok(s.finish())
}

/// What the office outputs need of the run.
struct OfficeJob<'a> {
    out: &'a Path,
    settings: &'a str,
    previous: &'a incremental::Previous,
    journal: &'a std::sync::Arc<incremental::Journal>,
    run_date: &'a str,
    /// Plans per office report volume.
    report_plans: usize,
}

/// offices/<office>/findings.xlsx and audit-report.pdf for every office with
/// plans, each redone only when one of the office's plans changed. Returns
/// (path, fingerprint) of every office file the run stands for.
fn office_outputs(
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
        // The office's plans, back from the spill (one office at a time).
        let loaded = match load_office(&plans, spill) {
            Ok(l) => l,
            Err(e) => {
                let pdfs = pdf_names.iter().filter(|_| pdf_todo);
                for name in xlsx_todo.iter().chain(pdfs) {
                    problems.push(Problem::new(
                        ProblemKind::Output,
                        Source::file(job.out.join(name).display().to_string()),
                        format!("作業用の一時ファイル {} を読めません: {e}", spill.path().display()),
                    ));
                }
                continue;
            }
        };
        if let Some(name) = xlsx_todo {
            let path = slash(&name);
            job.journal.start(&path);
            let findings: Vec<&crate::audit::Finding> = loaded.iter().flat_map(|(_, _, f)| f).collect();
            let before = problems.len();
            match crate::render::findings_xlsx::findings_workbook(office, &findings) {
                Ok(bytes) => write_file(job.out, &path, &bytes, problems),
                Err(e) => problems.push(Problem::new(
                    ProblemKind::Output,
                    Source::file(job.out.join(&name).display().to_string()),
                    format!("findings.xlsx を作れませんでした: {e}"),
                )),
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
fn remove_extra_volumes(dir: &Path, volumes: usize) {
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
type Loaded<'a> = Vec<(&'a crate::model::PlanKey, Meta, Vec<crate::audit::Finding>)>;

fn load_office<'a>(
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

/// findings.json, findings.csv and plans.csv, in plan-key order, in one pass
/// over the spill.
fn run_files(
    out: &Path,
    written: &[(crate::model::PlanKey, Written)],
    spill: &mut spill::Reader,
    problems: &mut Vec<Problem>,
) {
    fn put(f: &mut std::io::Result<files::Atomic>, op: impl FnOnce(&mut files::Atomic) -> std::io::Result<()>) {
        if let Ok(a) = f {
            if let Err(e) = op(a) {
                *f = Err(e);
            }
        }
    }
    let names = ["findings.json", "findings.csv", "plans.csv"];
    let mut files = names.map(|n| files::Atomic::create(&out.join(n)));
    let mut array = files::JsonArray::default();
    put(&mut files[0], |w| files::JsonArray::begin(w).map(|a| array = a));
    let no_rows = std::iter::empty::<Vec<&str>>;
    put(&mut files[1], |w| files::csv_to(w, &FINDINGS_CSV_HEADER, no_rows()));
    put(&mut files[2], |w| files::csv_to(w, &PLANS_CSV_HEADER, no_rows()));
    for (_, w) in written {
        match spill.read(&w.stored) {
            Ok(r) => {
                put(&mut files[0], |f| array.add(f, r.get(SPILL_FINDINGS_JSON)));
                put(&mut files[1], |f| f.write_all(r.get(SPILL_FINDINGS_CSV)));
                put(&mut files[2], |f| f.write_all(r.get(SPILL_PLANS_CSV)));
            }
            Err(e) => {
                let msg = format!("作業用の一時ファイル {} を読めません: {e}", spill.path().display());
                files = files.map(|_| Err(std::io::Error::other(msg.clone())));
                break;
            }
        }
    }
    put(&mut files[0], |w| std::mem::take(&mut array).end(w));
    for (name, f) in names.iter().zip(files) {
        if let Err(e) = f.and_then(files::Atomic::commit) {
            problems.push(write_problem(&out.join(name), &e));
        }
    }
}

fn slash(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Streams a run-level file (see [`files::write_atomic_with`]).
fn write_stream(
    out: &Path,
    name: &str,
    problems: &mut Vec<Problem>,
    fill: impl FnOnce(&mut files::Atomic) -> std::io::Result<()>,
) {
    let path = out.join(name);
    if let Err(e) = files::write_atomic_with(&path, fill) {
        problems.push(write_problem(&path, &e));
    }
}

fn write_file(out: &Path, name: &str, bytes: &[u8], problems: &mut Vec<Problem>) {
    let path = out.join(name);
    if let Err(e) = files::write_atomic(&path, bytes) {
        problems.push(write_problem(&path, &e));
    }
}

/// An output file that could not be written, for errors.json.
fn write_problem(path: &Path, e: &std::io::Error) -> Problem {
    Problem::new(
        ProblemKind::Output,
        Source::file(path.display().to_string()),
        format!("書き込めません: {}", crate::diag::io_error_ja(e)),
    )
}

const PLANS_CSV_HEADER: [&str; 23] = [
    "office_code",
    "office_name",
    "insurer_no",
    "insured_no",
    "plan_date",
    "person_name",
    "care_level",
    "needs",
    "services",
    "weekly_slots",
    "meetings",
    "progress_entries",
    "table6_month",
    "duplicates",
    "unclassified",
    "path",
    "limit_units",
    "planned_units",
    "home_help_units",
    "findings_error",
    "findings_warning",
    "findings_info",
    "finding_codes",
];

/// findings.csv's columns (UTF-8 with BOM, for Excel).
const FINDINGS_CSV_HEADER: [&str; 15] = [
    "office",
    "insurer_no",
    "insured_no",
    "plan_date",
    "code",
    "severity",
    "title",
    "message",
    "file",
    "sheet",
    "cell",
    "line",
    "column",
    "evidence",
    "hint",
];

/// One row of findings.csv.
fn findings_csv_row(f: &crate::audit::Finding) -> Vec<String> {
    let l = &f.location;
    vec![
        f.office.to_string(),
        f.plan.insurer_no.clone(),
        f.plan.insured_no.clone(),
        f.plan.plan_date.map(|d| d.to_string()).unwrap_or_default(),
        f.code.to_string(),
        f.severity.ja().to_string(),
        f.title.to_string(),
        f.message.clone(),
        l.file.to_string(),
        l.sheet.as_deref().unwrap_or("").to_string(),
        l.cell.clone().unwrap_or_default(),
        l.line.map(|n| n.to_string()).unwrap_or_default(),
        l.column.map(|n| n.to_string()).unwrap_or_default(),
        f.evidence.clone().unwrap_or_default(),
        f.hint.as_deref().unwrap_or_default().to_string(),
    ]
}

/// The placement rules: the shipped ones, or an office's own file.
pub fn load_lsw_rules(path: Option<&Path>) -> anyhow::Result<crate::lsw::rules::Compiled> {
    let Some(path) = path else { return Ok(crate::lsw::rules::builtin()) };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("振り分けルール {} を読み込めません", path.display()))?;
    crate::lsw::rules::load(&text).map_err(|ps| {
        let lines: Vec<String> = ps.iter().map(|p| format!("  {}:{p}", path.display())).collect();
        anyhow::anyhow!("振り分けルール {} に問題があります:\n{}", path.display(), lines.join("\n"))
    })
}

/// One row of plans.csv.
/// 第7表 figures of a plan for the municipal summary: 区分支給限度基準額,
/// planned units (全合計 サービス単位数) and the 訪問介護 part (service type 11).
fn usage_columns(p: &CarePlan) -> [String; 3] {
    let Some(t7) = p.table7.as_deref() else { return Default::default() };
    let limit = p.table6.as_deref().and_then(|t| t.limit_units).or(p.table1.certification.limit_units);
    let planned = t7.totals.as_ref().and_then(|t| t.amounts.get("service_units").copied());
    let home_help: f64 = t7
        .rows
        .iter()
        .filter(|r| r.row_kind == "detail" && r.service_code.as_deref().is_some_and(|c| c.starts_with("11")))
        .filter_map(|r| r.amounts.get("service_units").copied())
        .sum();
    match (limit, planned) {
        (Some(l), Some(u)) => [l.to_string(), (u.round() as i64).to_string(), (home_help.round() as i64).to_string()],
        _ => Default::default(),
    }
}

/// `code:severity:count` per rule, for the summary (`L3-04:warning:2 T1-12:warning:1`).
fn finding_codes(findings: &[crate::audit::Finding]) -> String {
    let mut by: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in findings {
        *by.entry((&f.code, crate::render::pdf::view::level(f.severity))).or_default() += 1;
    }
    by.iter().map(|((c, s), n)| format!("{c}:{s}:{n}")).collect::<Vec<_>>().join(" ")
}

fn plans_csv_row(
    p: &CarePlan,
    forms: &crate::model::lsw::LswForms,
    findings: &[crate::audit::Finding],
    d: &Path,
) -> Vec<String> {
    let services: usize =
        p.table2.needs.iter().flat_map(|n| &n.long_goals).flat_map(|g| &g.short_goals).map(|s| s.services.len()).sum();
    let mut counts = [0usize; 3];
    for f in findings {
        counts[f.severity as usize] += 1;
    }
    let [limit, planned, home_help] = usage_columns(p);
    vec![
        p.office.code.clone().unwrap_or_default(),
        p.office.name.clone().unwrap_or_default(),
        p.key.insurer_no.clone(),
        p.key.insured_no.clone(),
        p.key.plan_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        p.person.name.clone().unwrap_or_default(),
        p.table1
            .certification
            .care_level
            .clone()
            .or_else(|| p.table6.as_ref().and_then(|t| t.care_level.clone()))
            .unwrap_or_default(),
        p.table2.needs.len().to_string(),
        services.to_string(),
        p.table3.weekly.len().to_string(),
        p.table4.len().to_string(),
        p.table5.len().to_string(),
        p.table6.as_ref().map(|t| t.month.clone()).unwrap_or_default(),
        p.provenance.duplicates.len().to_string(),
        forms.unclassified.len().to_string(),
        slash(d),
        limit,
        planned,
        home_help,
        counts[0].to_string(),
        counts[1].to_string(),
        counts[2].to_string(),
        finding_codes(findings),
    ]
}

#[cfg(test)]
mod tests {
    use super::Groups;

    #[test]
    fn inputs_within_the_batch_limit_are_one_batch_without_a_first_look() {
        let mut problems = Vec::new();
        let files = super::discover::discover(&["fixtures/sample".into()], &[], &mut problems);
        let mappings = super::load_mappings(&[]).expect("mappings");
        let pool = super::thread_pool(Some(1)).expect("pool");
        let auto = super::EncodingChoice::Auto;
        let (batches, estimate) = super::plan_batches(&files, &mappings, auto, &pool, u64::MAX);
        assert_eq!((batches, estimate), (vec![(0..files.len()).collect::<Vec<_>>()], None));
        // Over the limit: a first look groups the files by the people they share.
        let (batches, estimate) = super::plan_batches(&files, &mappings, auto, &pool, 1);
        assert!(batches.len() > 1, "{batches:?}");
        let mut all: Vec<usize> = batches.concat();
        all.sort_unstable();
        assert_eq!(all, (0..files.len()).collect::<Vec<_>>());
        assert_eq!(estimate, Some(8));
    }

    #[test]
    fn groups_stay_whole_and_batches_pack_them_in_order() {
        // Files 0–2 share people (0–2 via 1), 3 alone, 4–5 share.
        let mut g = Groups::new(6);
        g.join(0, 1);
        g.join(2, 1);
        g.join(5, 4);
        let sizes = [10, 10, 10, 25, 5, 5];
        // 30 + 25 > 40: the second group starts a batch; 25 + 10 fits.
        assert_eq!(g.batches(&sizes, 40), vec![vec![0, 1, 2], vec![3, 4, 5]]);
        // A limit smaller than a group still keeps the group together.
        assert_eq!(g.batches(&sizes, 1), vec![vec![0, 1, 2], vec![3], vec![4, 5]]);
        // A large limit puts everything in one batch.
        assert_eq!(g.batches(&sizes, 1000), vec![vec![0, 1, 2, 3, 4, 5]]);
    }
}
