//! Reading and mapping the inputs in batches: every file read, recognised
//! and mapped in parallel; files that share a person are grouped
//! (union-find) and read together, so plans join across files while a run
//! holds the records of one batch at a time.

use super::manifest::FileEntry;
use super::{discover, Counts};
use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::{self, encoding::EncodingChoice, Content};
use crate::mapping::{self, apply, assemble, detect, Mapping, Record};
use crate::model::CarePlan;
use anyhow::Context as _;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

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

pub(super) fn problems_error(name: &str, ps: &[mapping::MappingProblem]) -> anyhow::Error {
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
                        if only.is_none() {
                            ing.problems.extend(mixed_versions(&ex.records));
                        }
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
                // Recognising read a few records: a record over the limits
                // among them is reported here (no mapping reads the file).
                if let (Content::Csv { table, .. }, None) = (&content, only) {
                    let mut r = table.reader(&shared_name);
                    while r.next_record().is_some() {}
                    ing.problems.extend(r.problems.into_iter().filter(|p| p.kind == ProblemKind::Limit));
                }
                // A file whose content a limit or damage kept out (every
                // record, every sheet) is that entry, not also an unknown
                // layout: calling a damaged workbook an unknown form sends
                // the person to the wrong fix.
                let limited = ing.problems.iter().any(|p| matches!(p.kind, ProblemKind::Limit | ProblemKind::Excel));
                if !(limited && is_bare(&content)) {
                    ing.problems.push(Problem::new(ProblemKind::Layout, Source::file(shared_name.clone()), msg));
                }
                set_meta(&mut entry, &content);
            }
        }
    }
    entry.records = records.len();
    entry.problems = ing.problems.len();
    FileResult { entry, records, problems: ing.problems }
}

/// The standard's CSV files hold one CSVバージョン each (its column
/// layout follows the version): a record of another version than the
/// file's first is reported at its line (the first such record; the
/// others counted), since its columns may mean something else.
fn mixed_versions(records: &[Record]) -> Option<Problem> {
    use crate::model::fields::F;
    let mut versions = records.iter().filter_map(|r| Some((r.str(F::CsvVersion)?, r)));
    let (first, _) = versions.next()?;
    let mut others = versions.filter(|(v, _)| *v != first);
    let (other, at) = others.next()?;
    let more = others.count();
    let rest = if more > 0 { format!("（ほかにも {more} 件）") } else { String::new() };
    Some(Problem::new(
        ProblemKind::Value,
        at.source_of(F::CsvVersion).unwrap_or_else(|| at.source()),
        format!(
            "CSVバージョンが途中で変わっています（ファイルの最初は {first}、この行は {other}）{rest}。標準仕様では1つのファイルのCSVバージョンはすべて同じです。書き出しを確認してください"
        ),
    ))
}

/// Whether a file's content has nothing left to recognise (no sheet, or
/// no record within the limits).
fn is_bare(content: &Content) -> bool {
    match content {
        Content::Workbook(wb) => wb.sheets.iter().all(|s| s.end() == s.origin),
        Content::Csv { table, .. } => table.head(1).is_empty(),
    }
}

pub(super) fn set_meta(entry: &mut FileEntry, content: &Content) {
    match content {
        Content::Csv { encoding, decided_by, .. } => {
            entry.encoding = Some(*encoding);
            entry.encoding_decided_by = Some(*decided_by);
            entry.format = Some("csv");
        }
        Content::Workbook(wb) => entry.format = Some(wb.format),
    }
}

pub(super) fn matches_choice(e: ingest::encoding::Encoding, want: EncodingChoice) -> bool {
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
    let reading = Reading { mappings, choice, pool, batch_bytes: BATCH_BYTES, roster: None };
    map_files(files, problems, &reading, sink)
}

/// How the inputs are read.
pub struct Reading<'a> {
    pub mappings: &'a [Mapping],
    pub choice: EncodingChoice,
    pub pool: &'a rayon::ThreadPool,
    /// Input bytes read together at most ([`BATCH_BYTES`]).
    pub batch_bytes: u64,
    /// The office's roster (利用者一覧), if any.
    pub roster: Option<&'a mapping::roster::Roster>,
}

/// [`ingest_and_map_with`] for files already discovered (`lsw run` leaves
/// its output folder out of them), with the problems discovery found.
pub fn map_files<T: Send>(
    files: Vec<discover::InputFile>,
    mut problems: Vec<Problem>,
    reading: &Reading,
    sink: impl Fn(assemble::Finished) -> T + Sync,
) -> Mapped<T> {
    let Reading { mappings, choice, pool, batch_bytes: limit, roster } = *reading;
    let t0 = Instant::now();
    let infos: Vec<assemble::FileInfo> =
        files.iter().map(|f| assemble::FileInfo { name: f.name.clone(), folder: f.folder.clone() }).collect();
    let (batches, plan_estimate, offices) = plan_batches(&files, &infos, mappings, choice, pool, limit, roster);
    let read_ms = t0.elapsed().as_millis();
    let t1 = Instant::now();
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
            let cx = assemble::Context { files: &infos, roster, offices: offices.as_ref() };
            assemble::assemble(records, cx, |mut f: assemble::Finished| {
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
pub(super) fn plan_batches(
    files: &[discover::InputFile],
    infos: &[assemble::FileInfo],
    mappings: &[Mapping],
    choice: EncodingChoice,
    pool: &rayon::ThreadPool,
    limit: u64,
    roster: Option<&mapping::roster::Roster>,
) -> (Vec<Vec<usize>>, Option<usize>, Option<assemble::Offices>) {
    let size = |f: &discover::InputFile| std::fs::metadata(&f.path).map_or(u64::MAX, |m| m.len());
    if files.iter().map(size).try_fold(0u64, |a, b| a.checked_add(b)).is_some_and(|total| total <= limit) {
        return (vec![(0..files.len()).collect()], None, None);
    }
    type First = (u64, Vec<assemble::PersonId>, Vec<assemble::PlanId>, assemble::Offices);
    let firsts: Vec<First> = pool.install(|| {
        files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                let mut r = process_file(f, i, mappings, choice, Some(&apply::KEY_FIELDS));
                let (people, plans) = assemble::people(&mut r.records, roster);
                let mut offices = assemble::Offices::default();
                for rec in &r.records {
                    offices.learn_record(rec, infos);
                }
                (r.entry.size, people, plans, offices)
            })
            .collect()
    });
    let mut groups = Groups::new(files.len());
    let mut sizes = Vec::with_capacity(files.len());
    let mut plan_keys = std::collections::HashSet::new();
    let mut owner: std::collections::HashMap<assemble::PersonId, usize> = std::collections::HashMap::new();
    let mut offices = assemble::Offices::default();
    for (i, (size, people, plans, o)) in firsts.into_iter().enumerate() {
        offices.merge(o);
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
    (groups.batches(&sizes, limit), Some(plan_keys.len()), Some(offices))
}

/// Input bytes read together at most (several groups of files share a
/// batch up to this size; one group larger than it is read alone).
/// [`super::RunOptions::batch_bytes`] overrides it (the CLI reads
/// `LSW_BATCH_BYTES` for tests and measurements).
pub const BATCH_BYTES: u64 = 16 << 20;

/// Files joined by the people they share (union-find).
pub(super) struct Groups {
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

#[cfg(test)]
mod tests {
    use super::Groups;

    #[test]
    fn inputs_within_the_batch_limit_are_one_batch_without_a_first_look() {
        let mut problems = Vec::new();
        let files = super::discover::discover(&["fixtures/sample".into()], &[], &mut problems);
        let mappings = super::load_mappings(&[]).expect("mappings");
        let pool = super::super::thread_pool(Some(1)).expect("pool");
        let auto = super::EncodingChoice::Auto;
        let infos: Vec<super::assemble::FileInfo> = files
            .iter()
            .map(|f| super::assemble::FileInfo { name: f.name.clone(), folder: f.folder.clone() })
            .collect();
        let (batches, estimate, _) = super::plan_batches(&files, &infos, &mappings, auto, &pool, u64::MAX, None);
        assert_eq!((batches, estimate), (vec![(0..files.len()).collect::<Vec<_>>()], None));
        // Over the limit: a first look groups the files by the people they share.
        let (batches, estimate, _) = super::plan_batches(&files, &infos, &mappings, auto, &pool, 1, None);
        assert!(batches.len() > 1, "{batches:?}");
        let mut all: Vec<usize> = batches.concat();
        all.sort_unstable();
        assert_eq!(all, (0..files.len()).collect::<Vec<_>>());
        assert_eq!(estimate, Some(9));
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
