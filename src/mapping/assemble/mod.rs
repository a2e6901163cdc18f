//! Records → plans, per the plan-identity contract.
//!
//! Plan-level records (第1〜5表, 利用者補足情報 of a plan) join on
//! (保険者番号, 被保険者番号, 計画作成日). Monthly records (第6/7表, and
//! 利用者補足情報 tied to a 対象年月) join on (保険者番号, 被保険者番号, 対象年月)
//! and attach to the person's plan in force that month: the latest plan
//! whose date is on or before the month's last day. Exact duplicate records
//! are merged and listed; blank cells continue the value above where the
//! mapping says so; 第2表 is rebuilt into needs → goals → services.
//!
//! Grouping is one hashing pass; the plans are then built in parallel, each
//! from its own records, and sorted by key so the output order is fixed.

mod fields;
mod months;
mod tables;

use fields::Used;
use months::build_month;
use tables::build_plan;
pub use tables::insured_flag;

use super::record::{Key, Record};
use super::schema::Target;
use super::Value;
use crate::diag::{Problem, ProblemKind, Source};
use crate::model::fields::F;
use crate::model::*;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// Where each input file sits, for the office fallback.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub name: String,
    /// Name of the folder the file is in (the office when no code is given).
    pub folder: String,
}

/// What assembling gives: per plan, in key order, whatever the sink made of it.
#[derive(Debug)]
pub struct Assembled<T> {
    pub plans: Vec<T>,
    /// The key of each plan (same order as `plans`, which is key order).
    pub keys: Vec<PlanKey>,
    pub problems: Vec<Problem>,
    pub duplicates: usize,
}

/// A finished plan and the folder name of its office (the 事業所番号, or the
/// input folder when the input carries none).
pub struct Finished {
    pub plan: CarePlan,
    pub office_dir: String,
    /// How many plans this run builds in all (for progress).
    pub total: usize,
}

/// One plan's records: its own, and those of each month attached to it.
struct Task {
    key: PlanKey,
    records: Vec<Record>,
    months: Vec<(String, Vec<Record>)>,
}

struct Built {
    plan: CarePlan,
    office_dir: String,
    problems: Vec<Problem>,
    duplicates: usize,
}

/// Groups records into plans and hands each finished plan to `sink` as soon
/// as it is built (in parallel), so a run never holds all plans at once; the
/// sink's results come back in plan-key order.
///
/// Records come per file (not concatenated: that copy alone cost tens of MB
/// on a large run).
pub fn assemble<T: Send>(
    mut records: Vec<Vec<Record>>,
    files: &[FileInfo],
    sink: impl Fn(Finished) -> T + Sync,
) -> Assembled<T> {
    let mut problems: Vec<Problem> = Vec::new();
    for file in &mut records {
        inherit_workbook_keys(file);
    }
    let total: usize = records.iter().map(Vec::len).sum();

    // Which group each record belongs to, by one hashing pass over borrowed keys.
    enum Group {
        Plan(usize),
        Month(usize),
    }
    let mut assign: Vec<Option<Group>> = Vec::with_capacity(total);
    let mut plan_keys: Vec<PlanKey> = Vec::new();
    let mut month_keys: Vec<(String, String, String)> = Vec::new();
    {
        let mut plans: HashMap<(&str, &str, NaiveDate), usize> = HashMap::default();
        let mut months: HashMap<(&str, &str, &str), usize> = HashMap::default();
        for r in records.iter().flatten() {
            let (Some(insurer), Some(insured)) = (r.str(F::InsurerNo), r.str(F::InsuredNo)) else {
                problems.push(Problem::new(
                    ProblemKind::Grouping,
                    r.source(),
                    "保険者番号と被保険者番号がそろっていないため、どの利用者の計画か分かりません。この行（シート）は計画に入れていません",
                ));
                assign.push(None);
                continue;
            };
            let plan_date = r.date(F::PlanDate);
            let monthly = matches!(r.target(), Target::Table6 | Target::Table7)
                || (r.target() == Target::Person && plan_date.is_none());
            let group = if monthly {
                match r.str(F::Month) {
                    Some(m) => {
                        let next = month_keys.len();
                        let g = *months.entry((insurer, insured, m)).or_insert(next);
                        if g == next {
                            month_keys.push((insurer.to_string(), insured.to_string(), m.to_string()));
                        }
                        Some(Group::Month(g))
                    }
                    None => {
                        problems.push(Problem::new(
                            ProblemKind::Grouping,
                            r.source(),
                            "対象年月も計画作成日もないため、どの月・どの計画の情報か分かりません",
                        ));
                        None
                    }
                }
            } else {
                match plan_date {
                    Some(d) => {
                        let next = plan_keys.len();
                        let g = *plans.entry((insurer, insured, d)).or_insert(next);
                        if g == next {
                            plan_keys.push(PlanKey {
                                insurer_no: insurer.into(),
                                insured_no: insured.into(),
                                plan_date: Some(d),
                            });
                        }
                        Some(Group::Plan(g))
                    }
                    None => {
                        problems.push(Problem::new(
                            ProblemKind::Grouping,
                            r.source(),
                            "居宅サービス計画作成（変更）日がないため、どの計画の情報か分かりません",
                        ));
                        None
                    }
                }
            };
            assign.push(group);
        }
    }
    // Each group's records counted first, so that moving them in does not
    // grow (and copy) every group's vector several times.
    let (mut plan_sizes, mut month_sizes) = (vec![0usize; plan_keys.len()], vec![0usize; month_keys.len()]);
    for g in assign.iter().flatten() {
        match g {
            Group::Plan(i) => plan_sizes[*i] += 1,
            Group::Month(i) => month_sizes[*i] += 1,
        }
    }
    let mut tasks: Vec<Task> = plan_keys
        .into_iter()
        .zip(plan_sizes)
        .map(|(key, n)| Task { key, records: Vec::with_capacity(n), months: Vec::new() })
        .collect();
    let mut month_groups: Vec<Vec<Record>> = month_sizes.into_iter().map(Vec::with_capacity).collect();
    for (r, g) in records.into_iter().flatten().zip(assign) {
        match g {
            Some(Group::Plan(i)) => tasks[i].records.push(r),
            Some(Group::Month(i)) => month_groups[i].push(r),
            None => {}
        }
    }

    // Each month goes to the person's plan in force that month.
    let mut by_person: HashMap<(String, String), Vec<(NaiveDate, usize)>> = HashMap::default();
    for (i, t) in tasks.iter().enumerate() {
        if let Some(d) = t.key.plan_date {
            by_person.entry((t.key.insurer_no.clone(), t.key.insured_no.clone())).or_default().push((d, i));
        }
    }
    for v in by_person.values_mut() {
        v.sort_unstable();
    }
    let mut undated: HashMap<(String, String), usize> = HashMap::default();
    for ((insurer, insured, month), recs) in month_keys.into_iter().zip(month_groups) {
        let end = month_last_day(&month);
        let person = (insurer, insured);
        let in_force = by_person.get(&person).and_then(|dates| {
            let end = end?;
            let n = dates.partition_point(|(d, _)| *d <= end);
            n.checked_sub(1).map(|i| dates[i].1)
        });
        let target = match in_force {
            Some(i) => i,
            None => *undated.entry(person.clone()).or_insert_with(|| {
                tasks.push(Task {
                    key: PlanKey { insurer_no: person.0.clone(), insured_no: person.1.clone(), plan_date: None },
                    records: Vec::new(),
                    months: Vec::new(),
                });
                tasks.len() - 1
            }),
        };
        tasks[target].months.push((month, recs));
    }

    let total = tasks.len();
    let mut built: Vec<(PlanKey, T, Vec<Problem>, usize)> = tasks
        .into_par_iter()
        .map(|t| {
            let b = build(t, files);
            let key = b.plan.key.clone();
            (key, sink(Finished { plan: b.plan, office_dir: b.office_dir, total }), b.problems, b.duplicates)
        })
        .collect();
    built.sort_by(|a, b| a.0.cmp(&b.0));
    let mut duplicates = 0;
    let mut plans = Vec::with_capacity(built.len());
    let mut keys = Vec::with_capacity(built.len());
    for (k, t, p, d) in built {
        problems.extend(p);
        duplicates += d;
        plans.push(t);
        keys.push(k);
    }
    problems.sort();
    Assembled { plans, keys, problems, duplicates }
}

fn build(t: Task, files: &[FileInfo]) -> Built {
    let mut problems = Vec::new();
    let mut plan = CarePlan { key: t.key, ..CarePlan::default() };
    let mut used: Used = Vec::new();
    let mut duplicates = 0;
    let (recs, dups) = dedupe(t.records);
    duplicates += dups.len();
    plan.provenance.duplicates.extend(dups);
    build_plan(&mut plan, recs, &mut used, &mut problems);
    let mut months = t.months;
    months.sort_by(|a, b| a.0.cmp(&b.0));
    for (month, recs) in months {
        let (recs, dups) = dedupe(recs);
        duplicates += dups.len();
        plan.provenance.duplicates.extend(dups);
        build_month(&mut plan, &month, recs, &mut used, &mut problems);
    }
    used.sort();
    plan.provenance.inputs = used
        .iter()
        .map(|(i, mapping, source)| InputRef {
            file: files.get(*i).map(|f| f.name.clone()).unwrap_or_default(),
            mapping: mapping.to_string(),
            source: source.to_string(),
        })
        .collect();
    plan.provenance.inputs.sort();
    plan.provenance.inputs.dedup();
    plan.provenance.duplicates.sort();
    let folder = used.first().and_then(|(i, _, _)| files.get(*i)).map(|f| f.folder.clone()).unwrap_or_default();
    let office_dir = plan.office.code.clone().map(|c| sanitize(&c)).unwrap_or_else(|| sanitize_dir(&folder));
    Built { plan, office_dir, problems, duplicates }
}

/// Office folder names may be Japanese: keep them, only drop path separators
/// and characters Windows forbids.
pub fn sanitize_dir(s: &str) -> String {
    let out: String =
        s.chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
    let out = out.trim_matches(['.', ' ']).to_string();
    if out.is_empty() {
        "_".into()
    } else {
        out
    }
}

fn month_last_day(month: &str) -> Option<NaiveDate> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first_next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) }?;
    first_next.pred_opt()
}

/// (保険者番号, 被保険者番号), hashed (see [`people`]).
pub type PersonId = u64;

/// (保険者番号, 被保険者番号, 計画作成日), hashed like [`PersonId`].
pub type PlanId = u64;

/// The people (保険者番号, 被保険者番号) whose records a file holds, as
/// assembly will see them (workbook sheets take their keys from the
/// workbook's other sheets), and the plans it names. Files that share a
/// person must be assembled together.
///
/// Both come as 64-bit hashes: a run keeps them for every file until it has
/// grouped the files, and strings kept that long pinned the pages of the
/// records freed around them (RSS grew with the batch). Two people sharing
/// a hash only put their files in one batch; two plans, one fewer in the
/// progress estimate.
pub fn people(records: &mut [Record]) -> (Vec<PersonId>, Vec<PlanId>) {
    use std::hash::{Hash, Hasher};
    fn id(v: impl Hash) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        v.hash(&mut h);
        h.finish()
    }
    inherit_workbook_keys(records);
    let mut people: Vec<PersonId> = Vec::new();
    let mut plans: Vec<PlanId> = Vec::new();
    for r in records.iter() {
        if let (Some(a), Some(b)) = (r.str(F::InsurerNo), r.str(F::InsuredNo)) {
            people.push(id((a, b)));
            if let Some(d) = r.date(F::PlanDate) {
                plans.push(id((a, b, d)));
            }
        }
    }
    people.sort_unstable();
    people.dedup();
    plans.sort_unstable();
    plans.dedup();
    people.shrink_to_fit();
    plans.shrink_to_fit();
    (people, plans)
}

/// Records of one workbook without key fields take them from its other sheets
/// (one workbook per person: the key is on 第1表).
fn inherit_workbook_keys(records: &mut [Record]) {
    const KEYS: [F; 6] = [F::InsurerNo, F::InsuredNo, F::PlanDate, F::OfficeCode, F::OfficeName, F::PersonName];
    let mut keys: HashMap<usize, Vec<(F, Value, Source)>> = HashMap::default();
    for r in records.iter().filter(|r| r.from_sheet()) {
        let entry = keys.entry(r.file_index as usize).or_default();
        for k in KEYS {
            if !entry.iter().any(|(f, _, _)| *f == k) {
                if let Some((v, s)) = r.take_copy(Key::Field(k)) {
                    entry.push((k, v, s));
                }
            }
        }
    }
    for r in records.iter_mut().filter(|r| r.from_sheet()) {
        if let Some(k) = keys.get(&(r.file_index as usize)) {
            for (f, v, s) in k {
                if !r.has(*f) {
                    r.push_copied(Key::Field(*f), v.clone(), s.clone());
                }
            }
        }
    }
}

/// Merges exact duplicates (same source kind and values; positions aside).
fn dedupe(recs: Vec<Record>) -> (Vec<Record>, Vec<Duplicate>) {
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::default();
    let mut keep: Vec<Record> = Vec::with_capacity(recs.len());
    let mut dups = Vec::new();
    for r in recs {
        let h = r.content_hash();
        let bucket = seen.entry(h).or_default();
        match bucket.iter().find(|&&i| keep[i].same_content(&r)) {
            Some(&i) => dups.push(Duplicate { source: r.source(), duplicate_of: keep[i].source() }),
            None => {
                bucket.push(keep.len());
                keep.push(r);
            }
        }
    }
    (keep, dups)
}

/// Order of records in a plan: by target, then the mapping's `order_by`
/// fields (numbers numerically, missing last), then reading order.
pub(super) fn sort_records(recs: &mut [Record]) {
    fn cmp_field(a: &Record, b: &Record, f: F) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match (a.num(f), b.num(f)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Equal),
            (Some(_), None) => Less,
            (None, Some(_)) => Greater,
            (None, None) => match (a.text(f), b.text(f)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Less,
                (None, Some(_)) => Greater,
                (None, None) => Equal,
            },
        }
    }
    recs.sort_by(|a, b| {
        a.target()
            .cmp(&b.target())
            .then_with(|| {
                let fields =
                    if a.meta.order_by.len() >= b.meta.order_by.len() { &a.meta.order_by } else { &b.meta.order_by };
                fields.iter().map(|f| cmp_field(a, b, *f)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
            })
            .then(a.file_index.cmp(&b.file_index))
            .then(a.seq.cmp(&b.seq))
    });
}

/// Continues blank cells of `fill_down` fields from the record above (same source).
pub(super) fn fill_down(recs: &mut [Record]) {
    let mut last: HashMap<(std::sync::Arc<str>, F), usize> = HashMap::default();
    for i in 0..recs.len() {
        let fields = recs[i].meta.fill_down.clone();
        for f in fields {
            let k = (recs[i].meta.source_id.clone(), f);
            if recs[i].has(f) {
                last.insert(k, i);
            } else if let Some(&j) = last.get(&k) {
                if let Some((v, s)) = recs[j].take_copy(Key::Field(f)) {
                    recs[i].push_copied(Key::Field(f), v, s);
                }
            }
        }
    }
}
