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
mod identity;

pub use identity::Offices;
mod months;
mod tables;

use crate::mapping::roster::Roster;
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
    /// The date of the person's next plan, if any.
    newer: Option<NaiveDate>,
}

struct Built {
    plan: CarePlan,
    office_dir: String,
    problems: Vec<Problem>,
    duplicates: usize,
}

/// What assembling needs besides the records.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Every input file of the run, by file index.
    pub files: &'a [FileInfo],
    /// The office's roster (利用者一覧), if the run has one.
    pub roster: Option<&'a Roster>,
    /// Which folders and office names carry which 事業所番号 across the
    /// whole run (learnt in the first look when the run reads in batches);
    /// without it, learnt from the records at hand.
    pub offices: Option<&'a Offices>,
}

/// Who a plan is about, as grouping sees it.
enum Who {
    Numbers(String, String),
    Person(PersonKey),
}

/// Groups records into plans and hands each finished plan to `sink` as soon
/// as it is built (in parallel), so a run never holds all plans at once; the
/// sink's results come back in plan-key order.
///
/// Records come per file (not concatenated: that copy alone cost tens of MB
/// on a large run).
pub fn assemble<T: Send>(
    mut records: Vec<Vec<Record>>,
    cx: Context,
    sink: impl Fn(Finished) -> T + Sync,
) -> Assembled<T> {
    let mut problems: Vec<Problem> = Vec::new();
    for file in &mut records {
        inherit_workbook_keys(file);
    }
    let learnt;
    let offices = match cx.offices {
        Some(o) => o,
        None => {
            learnt = Offices::learn(&records, cx.files);
            &learnt
        }
    };
    if let Some(roster) = cx.roster {
        identity::apply_roster(&mut records, roster, offices, cx.files, &mut problems);
    }
    let total: usize = records.iter().map(Vec::len).sum();

    // Which group each record belongs to, by one hashing pass over borrowed
    // keys (numbers); records without numbers by their person.
    enum Group {
        Plan(usize),
        Month(usize),
    }
    let mut assign: Vec<Option<Group>> = Vec::with_capacity(total);
    let mut people: Vec<Who> = Vec::new();
    // Whether a plan's (or a month's) records carry their numbers themselves
    // (else the roster gave them): the key's basis.
    let mut plan_native: Vec<bool> = Vec::new();
    let mut month_native: Vec<bool> = Vec::new();
    let mut plan_keys: Vec<(usize, NaiveDate)> = Vec::new();
    let mut month_keys: Vec<(usize, String)> = Vec::new();
    {
        let mut by_numbers: HashMap<(&str, &str), usize> = HashMap::default();
        let mut by_person: HashMap<PersonKey, usize> = HashMap::default();
        let mut plans: HashMap<(usize, NaiveDate), usize> = HashMap::default();
        let mut months: HashMap<(usize, &str), usize> = HashMap::default();
        let roster_file = cx.roster.map(|r| r.file.as_str());
        for r in records.iter().flatten() {
            let mut native = false;
            let person = match (r.str(F::InsurerNo), r.str(F::InsuredNo)) {
                (Some(insurer), Some(insured)) => {
                    let next = people.len();
                    let p = *by_numbers.entry((insurer, insured)).or_insert(next);
                    if p == next {
                        people.push(Who::Numbers(insurer.to_string(), insured.to_string()));
                    }
                    // Copied numbers are a workbook's own (from its 第1表) or
                    // the roster's: only then is the source looked at.
                    native = !roster_file.is_some_and(|f| {
                        r.is_copied(F::InsuredNo) && r.source_of(F::InsuredNo).is_some_and(|s| &*s.file == f)
                    });
                    p
                }
                _ => {
                    problems.extend(identity::partial_numbers(r));
                    match identity::person_key(r, offices, cx.files) {
                        Some(key) => {
                            let next = people.len();
                            let p = *by_person.entry(key.clone()).or_insert(next);
                            if p == next {
                                people.push(Who::Person(key));
                            }
                            p
                        }
                        None => {
                            problems.push(Problem::new(
                                ProblemKind::Grouping,
                                r.source(),
                                "保険者番号・被保険者番号も利用者名もないため、どの利用者の計画か分かりません。この行（シート）は計画に入れていません",
                            ));
                            assign.push(None);
                            continue;
                        }
                    }
                }
            };
            let plan_date = r.date(F::PlanDate);
            let monthly = matches!(r.target(), Target::Table6 | Target::Table7)
                || (r.target() == Target::Person && plan_date.is_none());
            let group = if monthly {
                match r.str(F::Month) {
                    Some(m) => {
                        let next = month_keys.len();
                        let g = *months.entry((person, m)).or_insert(next);
                        if g == next {
                            month_keys.push((person, m.to_string()));
                            month_native.push(false);
                        }
                        month_native[g] |= native;
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
                        let g = *plans.entry((person, d)).or_insert(next);
                        if g == next {
                            plan_keys.push((person, d));
                            plan_native.push(false);
                        }
                        plan_native[g] |= native;
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
    let key_of = |person: usize, date: Option<NaiveDate>, native: bool| match &people[person] {
        Who::Numbers(a, b) => PlanKey::numbered(a, b, date, if native { KeyBasis::Numbers } else { KeyBasis::Roster }),
        Who::Person(p) => PlanKey::named(p.clone(), date),
    };
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
        .iter()
        .zip(plan_sizes)
        .zip(&plan_native)
        .map(|((&(p, d), n), &native)| Task {
            key: key_of(p, Some(d), native),
            records: Vec::with_capacity(n),
            months: Vec::new(),
            newer: None,
        })
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
    let mut plans_of: HashMap<usize, Vec<(NaiveDate, usize)>> = HashMap::default();
    for (i, &(p, d)) in plan_keys.iter().enumerate() {
        plans_of.entry(p).or_default().push((d, i));
    }
    for v in plans_of.values_mut() {
        v.sort_unstable();
        for w in v.windows(2) {
            tasks[w[0].1].newer = Some(w[1].0);
        }
    }
    let mut undated: HashMap<usize, usize> = HashMap::default();
    for (((person, month), recs), native) in month_keys.into_iter().zip(month_groups).zip(month_native) {
        let end = month_last_day(&month);
        let in_force = plans_of.get(&person).and_then(|dates| {
            let end = end?;
            let n = dates.partition_point(|(d, _)| *d <= end);
            n.checked_sub(1).map(|i| dates[i].1)
        });
        let target = match in_force {
            Some(i) => i,
            None => *undated.entry(person).or_insert_with(|| {
                tasks.push(Task {
                    key: key_of(person, None, native),
                    records: Vec::new(),
                    months: Vec::new(),
                    newer: None,
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
            let b = build(t, cx.files, offices);
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

fn build(t: Task, files: &[FileInfo], offices: &Offices) -> Built {
    let mut problems = Vec::new();
    let mut plan = CarePlan { key: t.key, newer_plan_on: t.newer, ..CarePlan::default() };
    let mut used: Used = Vec::new();
    let mut duplicates = 0;
    // The office's 事業所番号 as the run knows it (a workbook without one
    // takes the code the rest of its folder, or its office name, carries).
    let known_code = t.records.iter().chain(t.months.iter().flat_map(|(_, r)| r)).find_map(|r| offices.code(r, files));
    for (f, name) in [(F::InsurerNo, "insurer_no"), (F::InsuredNo, "insured_no"), (F::PlanDate, "plan_date")] {
        if let Some(src) = t.records.iter().find_map(|r| r.has(f).then(|| r.source_of(f)).flatten()) {
            plan.key_sources.insert(name.into(), src);
        }
    }
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
    let code = plan.office.code.clone().or(known_code);
    let office_dir =
        code.map(|c| crate::model::key::sanitize(&c)).unwrap_or_else(|| crate::model::key::safe_component(&folder));
    if plan.key.basis == KeyBasis::Name {
        problems.push(Problem::new(
            ProblemKind::Warning,
            plan.person.sources.get("name").cloned().unwrap_or_else(|| Source::file(used.first().and_then(|(i, _, _)| files.get(*i)).map(|f| f.name.clone()).unwrap_or_default())),
            format!(
                "保険者番号・被保険者番号も生年月日もないため、この計画（{}）は事業所・利用者名・作成日だけで識別しています。同じ事業所の同姓同名の方とは区別できません",
                plan.person.name.as_deref().unwrap_or("")
            ),
        ));
    }
    Built { plan, office_dir, problems, duplicates }
}

fn month_last_day(month: &str) -> Option<NaiveDate> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first_next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) }?;
    first_next.pred_opt()
}

/// A person (保険者番号, 被保険者番号 — or 利用者名 and 生年月日 for records
/// without numbers), hashed (see [`people`]).
pub type PersonId = u64;

/// A plan (a person and a 計画作成日), hashed like [`PersonId`].
pub type PlanId = u64;

/// The people whose records a file holds, as assembly will see them
/// (workbook sheets take their keys from the workbook's other sheets; a
/// person without numbers by name and 生年月日, and by the roster's numbers
/// when it has them), and the plans it names. Files that share a person
/// must be assembled together.
///
/// Both come as 64-bit hashes: a run keeps them for every file until it has
/// grouped the files, and strings kept that long pinned the pages of the
/// records freed around them (RSS grew with the batch). Two people sharing
/// a hash only put their files in one batch; two plans, one fewer in the
/// progress estimate.
pub fn people(records: &mut [Record], roster: Option<&Roster>) -> (Vec<PersonId>, Vec<PlanId>) {
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
        let person = match (r.str(F::InsurerNo), r.str(F::InsuredNo)) {
            (Some(a), Some(b)) => id((a, b)),
            _ => {
                let Some(name) = r.str(F::PersonName).map(crate::model::key::normalise_name) else { continue };
                let birth = r.date(F::BirthDate);
                // The office is not known file by file: people of one name
                // and birth date in two offices only share a batch.
                let by_name = id(("name", &name, birth));
                let key = PersonKey { office: String::new(), name, birth_date: birth };
                match roster.and_then(|ro| ro.find_any_office(&key)) {
                    Some((a, b)) => {
                        people.push(by_name);
                        id((a, b))
                    }
                    None => by_name,
                }
            }
        };
        people.push(person);
        if let Some(d) = r.date(F::PlanDate) {
            plans.push(id((person, d)));
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

/// Records of one workbook without key fields take them from its other
/// sheets (the key is on 第1表, 生年月日 too) — of the same sheet group
/// (`第1表 (2)` with `第2表 (2)`: a second person or generation). A group
/// without a plan date of its own (a `第2表 (2)` and no `第1表 (2)`) is the
/// next page of the group before it: the one of the same 利用者名 if its
/// sheet names one, else the nearest before it.
fn inherit_workbook_keys(records: &mut [Record]) {
    const KEYS: [F; 7] =
        [F::InsurerNo, F::InsuredNo, F::PlanDate, F::OfficeCode, F::OfficeName, F::PersonName, F::BirthDate];
    #[derive(Default)]
    struct Group {
        keys: Vec<(F, Value, Source)>,
        first_sheet: u32,
    }
    type Id = (usize, String);
    let id_of = |r: &Record| -> Id {
        let g = r.group().map_or("", |(_, g)| g);
        (r.file_index as usize, g.to_string())
    };
    let mut groups: HashMap<Id, Group> = HashMap::default();
    for r in records.iter().filter(|r| r.from_sheet()) {
        let sheet = r.group().map_or(0, |(i, _)| i);
        let g = groups.entry(id_of(r)).or_insert_with(|| Group { first_sheet: sheet, ..Group::default() });
        g.first_sheet = g.first_sheet.min(sheet);
        for k in KEYS {
            if !g.keys.iter().any(|(f, _, _)| *f == k) {
                if let Some((v, s)) = r.take_copy(Key::Field(k)) {
                    g.keys.push((k, v, s));
                }
            }
        }
    }
    if groups.is_empty() {
        return;
    }
    let has = |g: &Group, f: F| g.keys.iter().any(|(k, _, _)| *k == f);
    let name = |g: &Group| {
        g.keys
            .iter()
            .find(|(k, _, _)| *k == F::PersonName)
            .map(|(_, v, _)| crate::model::key::normalise_name(&v.display()))
    };
    // Each group's donor: itself when it has its own plan date, else the
    // group it continues.
    let mut ids: Vec<&Id> = groups.keys().collect();
    ids.sort_by_key(|id| (id.0, groups[*id].first_sheet));
    let mut donor: HashMap<Id, Id> = HashMap::default();
    for id in &ids {
        let g = &groups[*id];
        if has(g, F::PlanDate) || has(g, F::InsuredNo) {
            continue;
        }
        let candidates: Vec<&&Id> = ids
            .iter()
            .filter(|o| o.0 == id.0 && *o != id && (has(&groups[**o], F::PlanDate) || has(&groups[**o], F::InsuredNo)))
            .collect();
        let before: Vec<&&Id> =
            candidates.iter().copied().filter(|o| groups[**o].first_sheet < g.first_sheet).collect();
        let same_name =
            name(g).and_then(|n| candidates.iter().copied().find(|o| name(&groups[**o]).as_ref() == Some(&n)));
        if let Some(d) = same_name.or_else(|| before.last().copied()).or_else(|| candidates.first().copied()) {
            donor.insert((*id).clone(), (**d).clone());
        }
    }
    for r in records.iter_mut().filter(|r| r.from_sheet()) {
        let id = id_of(r);
        let own = groups.get(&id).map(|g| g.keys.clone()).unwrap_or_default();
        let from = donor.get(&id).and_then(|d| groups.get(d)).map(|g| g.keys.clone()).unwrap_or_default();
        for (f, v, s) in own.iter().chain(&from) {
            if !r.has(*f) {
                r.push_copied(Key::Field(*f), v.clone(), s.clone());
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
