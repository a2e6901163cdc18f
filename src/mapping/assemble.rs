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

use super::record::{Key, Record};
use super::schema::Target;
use super::Value;
use crate::diag::{Problem, ProblemKind, Source};
use crate::model::fields::F;
use crate::model::smallmap::SmallMap;
use crate::model::*;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;

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
fn sort_records(recs: &mut [Record]) {
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
fn fill_down(recs: &mut [Record]) {
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

type Conflicts = Vec<Conflict>;

/// Sets model slots from record fields once; a later different value is kept
/// in the plan's `conflicts` (typed: which field, both values, where each
/// came from) and reported, so it is not lost.
struct Setter<'a> {
    sources: &'a mut Sources,
    conflicts: &'a mut Conflicts,
}

impl Setter<'_> {
    fn put<T: PartialEq + ToText>(&mut self, slot: &mut Option<T>, v: T, src: Option<Source>, field: PlanField) {
        let key = field.source_key();
        match slot {
            None => {
                *slot = Some(v);
                if let Some(src) = src {
                    self.sources.insert(Cow::Borrowed(key), src);
                }
            }
            Some(old) if *old != v => self.conflicts.push(Conflict {
                field,
                kept: old.to_text(),
                kept_source: self.sources.get(key).cloned(),
                other: v.to_text(),
                other_source: src.unwrap_or_default(),
            }),
            Some(_) => {}
        }
    }

    fn text(&mut self, slot: &mut Option<String>, r: &Record, f: F, field: PlanField) {
        // The same value again (the office on every record) costs no copy.
        if let (Some(old), Some(new)) = (slot.as_deref(), r.str(f)) {
            if old == new {
                return;
            }
        }
        if let Some(v) = r.text(f) {
            self.put(slot, v, r.source_of(f), field);
        }
    }

    fn date(&mut self, slot: &mut Option<NaiveDate>, r: &Record, f: F, field: PlanField) {
        if let Some(d) = r.date(f) {
            self.put(slot, d, r.source_of(f), field);
        }
    }

    fn int(&mut self, slot: &mut Option<i64>, r: &Record, f: F, field: PlanField) {
        if let Some(n) = r.int(f) {
            self.put(slot, n, r.source_of(f), field);
        }
    }
}

/// Fills the fields of one 第4表 meeting or 第5表 entry: each record is its
/// own item, so a field is set at most once.
struct Fill<'a> {
    sources: &'a mut Sources,
}

impl Fill<'_> {
    fn text(&mut self, slot: &mut Option<String>, r: &Record, f: F, key: &'static str) {
        if let Some(v) = r.text(f) {
            self.at(r, f, key);
            *slot = Some(v);
        }
    }

    fn date(&mut self, slot: &mut Option<NaiveDate>, r: &Record, f: F, key: &'static str) {
        if let Some(d) = r.date(f) {
            self.at(r, f, key);
            *slot = Some(d);
        }
    }

    fn int(&mut self, slot: &mut Option<i64>, r: &Record, f: F, key: &'static str) {
        if let Some(n) = r.int(f) {
            self.at(r, f, key);
            *slot = Some(n);
        }
    }

    fn at(&mut self, r: &Record, f: F, key: &'static str) {
        if let Some(src) = r.source_of(f) {
            self.sources.insert(Cow::Borrowed(key), src);
        }
    }
}

trait ToText {
    fn to_text(&self) -> String;
}
impl ToText for String {
    fn to_text(&self) -> String {
        self.clone()
    }
}
impl ToText for NaiveDate {
    fn to_text(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}
impl ToText for i64 {
    fn to_text(&self) -> String {
        self.to_string()
    }
}

fn period_of(r: &Record, f: F) -> Option<PeriodJson> {
    if let Some(p) = r.period(f) {
        return Some(PeriodJson { from: p.from, to: p.to, raw: p.raw.clone() });
    }
    if let Some(d) = r.date(f) {
        return Some(PeriodJson { from: Some(d), to: None, raw: d.format("%Y-%m-%d").to_string() });
    }
    r.text(f).map(|raw| PeriodJson { from: None, to: None, raw })
}

/// A period from a range column, completed by separate start/end columns.
fn period_with_ends(r: &Record, range: F, from: F, to: F) -> Option<PeriodJson> {
    let mut p = period_of(r, range);
    let (f, t) = (r.date(from), r.date(to));
    if f.is_some() || t.is_some() {
        let p = p.get_or_insert_with(PeriodJson::default);
        p.from = p.from.or(f);
        p.to = p.to.or(t);
        if p.raw.is_empty() {
            p.raw = format!(
                "{}～{}",
                f.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                t.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
            );
        }
    }
    p
}

const KEY_FIELDS: &[F] = &[
    F::InsurerNo,
    F::InsuredNo,
    F::PlanDate,
    F::CsvVersion,
    F::OfficeCode,
    F::OfficeName,
    F::PersonName,
    F::UpdaterCode,
    F::Identifier,
];

/// Fields no model slot takes, kept under `extra` (Japanese label → text).
fn extras(r: &Record, used: &[F]) -> Extra {
    let mut e = Extra::new();
    for f in r.field_ids() {
        if !used.contains(&f) && !KEY_FIELDS.contains(&f) {
            if let Some(v) = r.text(f) {
                let label = crate::model::fields::label_of(r.target(), f).unwrap_or(f.name());
                e.insert(label.to_string(), v);
            }
        }
    }
    for (label, v) in r.extras() {
        e.insert(label.to_string(), v.display());
    }
    e
}

/// The (file, mapping, source) triples a plan was read from, each once (a
/// few per plan: a vector beats a set for the lookup per record).
type Used = Vec<(usize, std::sync::Arc<str>, std::sync::Arc<str>)>;

fn note_input(plan: &mut CarePlan, r: &Record, used: &mut Used) {
    plan.provenance.records += 1;
    plan.declared_fields |= r.meta.declared;
    // Records of one source share its id (`Arc`): compare pointers first.
    let same = |(i, _, s): &(usize, std::sync::Arc<str>, std::sync::Arc<str>)| {
        *i == r.file_index as usize && (std::sync::Arc::ptr_eq(s, &r.meta.source_id) || *s == r.meta.source_id)
    };
    if !used.iter().any(same) {
        used.push((r.file_index as usize, r.meta.mapping.clone(), r.meta.source_id.clone()));
    }
}

fn common(plan: &mut CarePlan, r: &Record, conflicts: &mut Conflicts) {
    let mut s = Setter { sources: &mut plan.office.sources, conflicts };
    s.text(&mut plan.office.code, r, F::OfficeCode, PlanField::OfficeCode);
    s.text(&mut plan.office.name, r, F::OfficeName, PlanField::OfficeName);
    let mut s = Setter { sources: &mut plan.person.sources, conflicts };
    s.text(&mut plan.person.name, r, F::PersonName, PlanField::PersonName);
}

fn build_plan(plan: &mut CarePlan, mut recs: Vec<Record>, used: &mut Used, problems: &mut Vec<Problem>) {
    let mut conflicts = Conflicts::new();
    sort_records(&mut recs);
    for r in &recs {
        note_input(plan, r, used);
        common(plan, r, &mut conflicts);
    }
    // Records are sorted by target: handle each target's run.
    let mut start = 0;
    while start < recs.len() {
        let target = recs[start].target();
        let end = start + recs[start..].iter().take_while(|r| r.target() == target).count();
        let run = &mut recs[start..end];
        match target {
            Target::Person => run.iter().for_each(|r| person(plan, r, &mut conflicts)),
            Target::Table1 => run.iter().for_each(|r| table1(plan, r, &mut conflicts)),
            Target::Table2 => table2(plan, run),
            Target::Table3 => {
                fill_down(run);
                table3(plan, run)
            }
            Target::Table4 => run.iter().for_each(|r| table4(plan, r)),
            Target::Table5 => {
                fill_down(run);
                run.iter().for_each(|r| table5(plan, r))
            }
            Target::Table6 | Target::Table7 => {}
        }
        start = end;
    }
    record_conflicts(plan, conflicts, problems);
}

fn record_conflicts(plan: &mut CarePlan, conflicts: Conflicts, problems: &mut Vec<Problem>) {
    for c in conflicts {
        problems.push(Problem::new(
            ProblemKind::Grouping,
            c.other_source.clone(),
            format!(
                "同じ計画の{}に別の値「{}」があります（先に読んだ値は「{}」）。先に読んだ値を使い、この値は plan.json の conflicts に残しました",
                c.field.label(),
                c.other,
                c.kept
            ),
        ));
        plan.conflicts.push(c);
    }
}

/// The person's own fields of a record (the same in every month's record).
fn person_fields(p: &mut Person, r: &Record, conflicts: &mut Conflicts) {
    let mut s = Setter { sources: &mut p.sources, conflicts };
    s.text(&mut p.kana, r, F::Kana, PlanField::PersonKana);
    s.text(&mut p.sex, r, F::Sex, PlanField::PersonSex);
    s.date(&mut p.birth_date, r, F::BirthDate, PlanField::PersonBirthDate);
    s.text(&mut p.postal_code, r, F::PostalCode, PlanField::PersonPostalCode);
    if let Some((a, src)) = join_address(r, F::Address1, F::Address2) {
        s.put(&mut p.address, a, Some(src), PlanField::PersonAddress);
    }
    s.text(&mut p.phone, r, F::Phone, PlanField::PersonPhone);
}

fn person(plan: &mut CarePlan, r: &Record, conflicts: &mut Conflicts) {
    person_fields(&mut plan.person, r, conflicts);
    let c = &mut plan.table1.certification;
    let mut s = Setter { sources: &mut plan.table1.sources, conflicts };
    s.text(&mut c.status, r, F::CertStatus, PlanField::CertStatus);
    s.date(&mut c.certified_on, r, F::CertifiedOn, PlanField::CertifiedOn);
    s.text(&mut c.care_level, r, F::CareLevel, PlanField::CareLevel);
    s.int(&mut c.limit_units, r, F::LimitUnits, PlanField::LimitUnits);
    s.text(&mut c.previous_care_level, r, F::PreviousCareLevel, PlanField::PreviousCareLevel);
    s.date(&mut c.care_level_changed_on, r, F::CareLevelChangedOn, PlanField::CareLevelChangedOn);
    s.date(&mut c.limit_from, r, F::LimitFrom, PlanField::LimitFrom);
    s.date(&mut c.limit_to, r, F::LimitTo, PlanField::LimitTo);
    let used = [
        F::Kana,
        F::Sex,
        F::BirthDate,
        F::PostalCode,
        F::Address1,
        F::Address2,
        F::Phone,
        F::CertStatus,
        F::CertifiedOn,
        F::CareLevel,
        F::LimitUnits,
        F::PreviousCareLevel,
        F::CareLevelChangedOn,
        F::LimitFrom,
        F::LimitTo,
        F::Month,
    ];
    for (k, v) in extras(r, &used) {
        plan.table1.extra.insert_if_absent(format!("利用者補足情報.{k}"), v);
    }
}

fn join_address(r: &Record, a: F, b: F) -> Option<(String, Source)> {
    let src = r.source_of(a).or_else(|| r.source_of(b))?;
    let parts: Vec<String> = [r.text(a), r.text(b)].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| (parts.join(" "), src))
}

fn table1(plan: &mut CarePlan, r: &Record, conflicts: &mut Conflicts) {
    if plan.table1.source.is_none() {
        plan.table1.source = Some(r.source());
    }
    {
        let p = &mut plan.person;
        let mut s = Setter { sources: &mut p.sources, conflicts };
        s.date(&mut p.birth_date, r, F::BirthDate, PlanField::PersonBirthDate);
        s.text(&mut p.postal_code, r, F::PostalCode, PlanField::PersonPostalCode);
        if let Some((a, src)) = join_address(r, F::Address1, F::Address2) {
            s.put(&mut p.address, a, Some(src), PlanField::PersonAddress);
        }
        let o = &mut plan.office;
        let mut s = Setter { sources: &mut o.sources, conflicts };
        s.text(&mut o.postal_code, r, F::OfficePostalCode, PlanField::OfficePostalCode);
        if let Some((a, src)) = join_address(r, F::OfficeAddress1, F::OfficeAddress2) {
            s.put(&mut o.address, a, Some(src), PlanField::OfficeAddress);
        }
    }
    let t = &mut plan.table1;
    let mut s = Setter { sources: &mut t.sources, conflicts };
    s.date(&mut t.created_on, r, F::CreatedOn, PlanField::CreatedOn);
    s.date(&mut t.first_created_on, r, F::FirstCreatedOn, PlanField::FirstCreatedOn);
    s.text(&mut t.plan_kind, r, F::PlanKind, PlanField::PlanKind);
    s.text(&mut t.certification.status, r, F::CertStatus, PlanField::CertStatus);
    s.date(&mut t.certification.certified_on, r, F::CertifiedOn, PlanField::CertifiedOn);
    s.date(&mut t.certification.valid_from, r, F::ValidFrom, PlanField::ValidFrom);
    s.date(&mut t.certification.valid_to, r, F::ValidTo, PlanField::ValidTo);
    if let Some(p) = r.period(F::ValidPeriod) {
        let src = r.source_of(F::ValidPeriod);
        if let Some(d) = p.from {
            s.put(&mut t.certification.valid_from, d, src.clone(), PlanField::ValidFrom);
        }
        if let Some(d) = p.to {
            s.put(&mut t.certification.valid_to, d, src.clone(), PlanField::ValidTo);
        }
        if !p.raw.is_empty() {
            s.put(&mut t.certification.valid_period, p.raw.clone(), src, PlanField::ValidPeriod);
        }
    }
    s.text(&mut t.certification.care_level, r, F::CareLevel, PlanField::CareLevel);
    s.text(&mut t.planner, r, F::Planner, PlanField::Planner);
    let src = r.source_of(F::Intentions);
    if let Some(parts) = r.parts(F::Intentions) {
        let whole: Vec<String> = parts
            .iter()
            .map(|(k, v)| match k.as_str() {
                "person" => format!("【本人の意向】{v}"),
                "family" => format!("【家族の意向】{v}"),
                _ => v.clone(),
            })
            .collect();
        s.put(&mut t.intentions.text, whole.join("\n"), src.clone(), PlanField::IntentionsText);
        for (k, v) in parts {
            match k.as_str() {
                "person" => s.put(&mut t.intentions.person, v.clone(), src.clone(), PlanField::IntentionsPerson),
                "family" => s.put(&mut t.intentions.family, v.clone(), src.clone(), PlanField::IntentionsFamily),
                _ => {}
            }
        }
    } else if let Some(v) = r.text(F::Intentions) {
        s.put(&mut t.intentions.text, v, src, PlanField::IntentionsText);
    }
    s.text(&mut t.intentions.person, r, F::IntentionsPerson, PlanField::IntentionsPerson);
    s.text(&mut t.intentions.family, r, F::IntentionsFamily, PlanField::IntentionsFamily);
    s.text(&mut t.review_opinion, r, F::ReviewOpinion, PlanField::ReviewOpinion);
    s.text(&mut t.policy, r, F::Policy, PlanField::Policy);
    s.text(&mut t.living_support_reason.code, r, F::LivingSupportReason, PlanField::LivingSupportCode);
    s.text(&mut t.living_support_reason.other, r, F::LivingSupportOther, PlanField::LivingSupportOther);
    s.date(&mut t.consent_on, r, F::ConsentOn, PlanField::ConsentOn);
    let used = [
        F::CreatedOn,
        F::PostalCode,
        F::Address1,
        F::Address2,
        F::BirthDate,
        F::Planner,
        F::OfficePostalCode,
        F::OfficeAddress1,
        F::OfficeAddress2,
        F::FirstCreatedOn,
        F::PlanKind,
        F::CertStatus,
        F::CertifiedOn,
        F::ValidFrom,
        F::ValidTo,
        F::ValidPeriod,
        F::CareLevel,
        F::Intentions,
        F::IntentionsPerson,
        F::IntentionsFamily,
        F::ReviewOpinion,
        F::Policy,
        F::LivingSupportReason,
        F::LivingSupportOther,
        F::ConsentOn,
    ];
    for (k, v) in extras(r, &used) {
        t.extra.insert_if_absent(k, v);
    }
}

fn sources_of(r: &Record, fields: &[(F, &'static str)]) -> Sources {
    let mut out = Sources::with_capacity(fields.len());
    for (f, name) in fields {
        if let Some(s) = r.source_of(*f) {
            out.insert(Cow::Borrowed(*name), s);
        }
    }
    out
}

/// Rebuilds 第2表's hierarchy. A need, long goal or short goal starts when
/// its number changes or its text is written and differs from the current
/// one; a blank (or repeated) text continues it. The standard changes the
/// short goal inside one 援助目標NO (formats.md §1.4), so short goals are
/// told apart by text only.
fn table2(plan: &mut CarePlan, recs: &[Record]) {
    let t = &mut plan.table2;
    let continues = |r: &Record, f: F| r.meta.fill_down.contains(&f);
    for r in recs {
        if t.created_on.is_none() {
            t.created_on = r.date(F::CreatedOn);
        }
        let need_no = r.int(F::NeedNo);
        let need_text = r.str(F::Need);
        let new_need = match t.needs.last() {
            None => true,
            Some(n) => {
                (need_no.is_some() && need_no != n.no)
                    || (need_text.is_some() && need_text != n.text.as_deref())
                    || (need_text.is_none() && !continues(r, F::Need))
            }
        };
        if new_need {
            t.needs.push(Need {
                no: need_no,
                text: need_text.map(str::to_string),
                long_goals: vec![],
                source: r.source(),
                sources: sources_of(r, &[(F::Need, "text")]),
            });
        }
        let Some(need) = t.needs.last_mut() else { continue };
        let goal_no = r.int(F::GoalNo);
        let long_text = r.str(F::LongGoal);
        let new_long = new_need
            || match need.long_goals.last() {
                None => true,
                Some(g) => {
                    (goal_no.is_some() && goal_no != g.no)
                        || (long_text.is_some() && long_text != g.text.as_deref())
                        || (long_text.is_none() && !continues(r, F::LongGoal))
                }
            };
        let long_period = period_with_ends(r, F::LongPeriod, F::LongFrom, F::LongTo);
        if new_long {
            need.long_goals.push(LongGoal {
                no: goal_no,
                text: long_text.map(str::to_string),
                period: long_period,
                short_goals: vec![],
                source: r.source(),
                sources: sources_of(r, &[(F::LongGoal, "text"), (F::LongPeriod, "period")]),
            });
        } else if let Some(g) = need.long_goals.last_mut() {
            if g.period.is_none() {
                g.period = long_period;
            }
        }
        let Some(long) = need.long_goals.last_mut() else { continue };
        let short_text = r.str(F::ShortGoal);
        let new_short = new_long
            || match long.short_goals.last() {
                None => true,
                Some(g) => {
                    (short_text.is_some() && short_text != g.text.as_deref())
                        || (short_text.is_none() && !continues(r, F::ShortGoal))
                }
            };
        let short_period = period_with_ends(r, F::ShortPeriod, F::ShortFrom, F::ShortTo);
        if new_short {
            long.short_goals.push(ShortGoal {
                text: short_text.map(str::to_string),
                period: short_period,
                services: vec![],
                source: r.source(),
                sources: sources_of(r, &[(F::ShortGoal, "text"), (F::ShortPeriod, "period")]),
            });
        } else if let Some(g) = long.short_goals.last_mut() {
            if g.period.is_none() {
                g.period = short_period;
            }
        }
        let Some(short) = long.short_goals.last_mut() else { continue };
        const SERVICE: [(F, &str); 10] = [
            (F::Content, "content"),
            (F::Insured, "insured"),
            (F::Kind, "kind"),
            (F::ProviderCode, "provider_code"),
            (F::Provider, "provider"),
            (F::Frequency, "frequency"),
            (F::Period, "period"),
            (F::PeriodFrom, "period_from"),
            (F::PeriodTo, "period_to"),
            (F::ServiceNo, "service_no"),
        ];
        let has_service = SERVICE.iter().any(|(f, _)| r.has(*f)) || r.extras().next().is_some();
        if has_service {
            let insured_mark = r.text(F::Insured);
            let used = [
                F::CreatedOn,
                F::DisplayOrder,
                F::NeedNo,
                F::Need,
                F::GoalNo,
                F::LongGoal,
                F::LongPeriod,
                F::LongFrom,
                F::LongTo,
                F::ShortGoal,
                F::ShortPeriod,
                F::ShortFrom,
                F::ShortTo,
                F::ServiceNo,
                F::Content,
                F::Insured,
                F::Kind,
                F::ProviderCode,
                F::Provider,
                F::Frequency,
                F::Period,
                F::PeriodFrom,
                F::PeriodTo,
            ];
            let mut extra = extras(r, &used);
            if let Some(order) = r.text(F::DisplayOrder) {
                extra.insert("表示順".into(), order);
            }
            short.services.push(Service {
                no: r.int(F::ServiceNo),
                content: r.text(F::Content),
                insured: insured_mark.as_deref().and_then(insured_flag),
                insured_mark,
                kind: r.text(F::Kind),
                provider: r.text(F::Provider),
                provider_code: r.text(F::ProviderCode),
                frequency: r.text(F::Frequency),
                period: period_with_ends(r, F::Period, F::PeriodFrom, F::PeriodTo),
                source: r.source(),
                sources: sources_of(r, &SERVICE),
                extra,
            });
        }
    }
}

/// ※1: Y / ○ (one per concatenated service in ほのぼの) / 対象 → true; N / 対象外 → false.
pub fn insured_flag(mark: &str) -> Option<bool> {
    let m = mark.trim();
    if m.is_empty() {
        return None;
    }
    if m == "対象外" || m.eq_ignore_ascii_case("n") || m.chars().all(|c| matches!(c, '×' | '✕' | 'x' | 'X')) {
        return Some(false);
    }
    if m == "対象" || m.eq_ignore_ascii_case("y") || m.chars().all(|c| matches!(c, '○' | '〇' | '◯')) {
        return Some(true);
    }
    None
}

fn table3(plan: &mut CarePlan, recs: &[Record]) {
    let t = &mut plan.table3;
    for r in recs {
        if t.created_on.is_none() {
            t.created_on = r.date(F::CreatedOn);
        }
        if t.from_month.is_none() {
            t.from_month = r.text(F::FromMonth);
        }
        if let Some(service) = r.text(F::Service) {
            t.weekly.push(WeeklySlot {
                day: r.text(F::Day),
                start: r.text(F::Start),
                end: r.text(F::End),
                service,
                source: r.source_of(F::Service).unwrap_or_else(|| r.source()),
            });
        }
        if let Some(text) = r.text(F::Activity) {
            t.daily_activities.push(DailyActivity {
                start: r.text(F::ActivityStart),
                end: r.text(F::ActivityEnd),
                text,
                source: r.source_of(F::Activity).unwrap_or_else(|| r.source()),
            });
        }
        if let Some(text) = r.text(F::NonWeekly) {
            t.non_weekly.push(text);
            t.non_weekly_sources.push(r.source_of(F::NonWeekly).unwrap_or_else(|| r.source()));
        }
    }
    let day_order = |d: &Option<String>| {
        ["月", "火", "水", "木", "金", "土", "日"].iter().position(|x| Some(*x) == d.as_deref()).unwrap_or(7)
    };
    t.weekly.sort_by(|a, b| {
        day_order(&a.day).cmp(&day_order(&b.day)).then(a.start.cmp(&b.start)).then(a.service.cmp(&b.service))
    });
    t.daily_activities.sort_by(|a, b| a.start.cmp(&b.start).then(a.text.cmp(&b.text)));
}

fn table4(plan: &mut CarePlan, r: &Record) {
    let mut m = Meeting { source: r.source(), ..Meeting::default() };
    let mut s = Fill { sources: &mut m.sources };
    s.date(&mut m.held_on, r, F::HeldOn, "held_on");
    s.text(&mut m.place, r, F::Place, "place");
    s.text(&mut m.time, r, F::Time, "time");
    s.text(&mut m.count, r, F::Count, "count");
    s.text(&mut m.person_attendance, r, F::PersonAttendance, "person_attendance");
    s.text(&mut m.family_attendance, r, F::FamilyAttendance, "family_attendance");
    s.text(&mut m.items, r, F::Items, "items");
    s.text(&mut m.discussion, r, F::Discussion, "discussion");
    s.text(&mut m.conclusion, r, F::Conclusion, "conclusion");
    s.text(&mut m.remaining, r, F::Remaining, "remaining");
    s.text(&mut m.recorder, r, F::Recorder, "recorder");
    for (_, rows) in r.lists() {
        for row in rows {
            let text = |k: F| row.iter().find(|(f, v, _)| *f == k && !v.is_empty()).map(|(_, v, _)| v.display());
            let source = row.first().map(|(_, _, s)| s.clone()).unwrap_or_default();
            let a = Attendee { affiliation: text(F::Affiliation), name: text(F::Name), source };
            if a.affiliation.is_some() || a.name.is_some() {
                m.attendees.push(a);
            }
        }
    }
    let used = [
        F::HeldOn,
        F::Place,
        F::Time,
        F::Count,
        F::PersonAttendance,
        F::FamilyAttendance,
        F::Items,
        F::Discussion,
        F::Conclusion,
        F::Remaining,
        F::Recorder,
    ];
    m.extra = extras(r, &used);
    plan.table4.push(m);
}

fn table5(plan: &mut CarePlan, r: &Record) {
    let mut e = ProgressEntry { source: r.source(), ..ProgressEntry::default() };
    let mut s = Fill { sources: &mut e.sources };
    s.date(&mut e.date, r, F::Date, "date");
    s.text(&mut e.item, r, F::Item, "item");
    s.text(&mut e.content, r, F::Content, "content");
    s.text(&mut e.recorder, r, F::Recorder, "recorder");
    // A date with nothing written beside it is still a value read.
    if e.item.is_some() || e.content.is_some() || e.date.is_some() {
        plan.table5.push(e);
    }
}

fn build_month(plan: &mut CarePlan, month: &str, mut recs: Vec<Record>, used: &mut Used, problems: &mut Vec<Problem>) {
    let mut conflicts = Conflicts::new();
    sort_records(&mut recs);
    let mut t6 = Table6 { month: month.to_string(), ..Table6::default() };
    let mut t7 = Table7 { month: month.to_string(), ..Table7::default() };
    let (mut has6, mut has7) = (false, false);
    // 第6表 rows: records of one service (same code, provider, times, units…)
    // gather their dates. Keyed by a hash of borrowed values, checked field by field.
    let mut rows6: Vec<Table6Row> = Vec::new();
    let mut row_of: HashMap<u64, Vec<(usize, usize)>> = HashMap::default();
    for (ri, r) in recs.iter().enumerate() {
        note_input(plan, r, used);
        common(plan, r, &mut conflicts);
        match r.target() {
            Target::Person => {
                // 利用者補足情報 of the month: the 第6表 header.
                let mut header = Fill { sources: &mut t6.sources };
                if t6.care_level.is_none() {
                    header.text(&mut t6.care_level, r, F::CareLevel, "care_level");
                }
                if t6.limit_units.is_none() {
                    header.int(&mut t6.limit_units, r, F::LimitUnits, "limit_units");
                }
                // The person is the same whatever the month; the month's
                // certification goes with its 第6表 (above) or, for the rest, extra.
                person_fields(&mut plan.person, r, &mut conflicts);
                let used = [
                    F::Kana,
                    F::Sex,
                    F::BirthDate,
                    F::PostalCode,
                    F::Address1,
                    F::Address2,
                    F::Phone,
                    F::CareLevel,
                    F::LimitUnits,
                    F::Month,
                ];
                for (k, v) in extras(r, &used) {
                    plan.table1.extra.insert_if_absent(format!("利用者補足情報({month}).{k}"), v);
                }
            }
            Target::Table6 => {
                has6 = true;
                if t6.created_on.is_none() {
                    t6.created_on = r.date(F::CreatedOn);
                }
                if t6.planner.is_none() {
                    t6.planner = r.text(F::Planner);
                }
                const GROUP: [F; 12] = [
                    F::ServiceCode,
                    F::ProviderCode,
                    F::Satellite,
                    F::Start,
                    F::End,
                    F::CountPerDay,
                    F::Units,
                    F::TaisCode,
                    F::NotifiedCode,
                    F::ProductName,
                    F::DetailCode,
                    F::Provider,
                ];
                let hash = {
                    use std::hash::{Hash, Hasher};
                    let mut h = rustc_hash::FxHasher::default();
                    for f in GROUP {
                        r.view(f).hash(&mut h);
                    }
                    h.finish()
                };
                let bucket = row_of.entry(hash).or_default();
                let found = bucket
                    .iter()
                    .find(|(_, rep)| GROUP.iter().all(|f| recs[*rep].view(*f) == r.view(*f)))
                    .map(|(i, _)| *i);
                let index = match found {
                    Some(i) => i,
                    None => {
                        bucket.push((rows6.len(), ri));
                        rows6.push(new_table6_row(r));
                        rows6.len() - 1
                    }
                };
                let row = &mut rows6[index];
                if let Some(d) = r.date(F::ServiceDate) {
                    row.dates.push(d);
                }
                if let Some(p) = r.text(F::ProrateDays) {
                    row.extra.insert(format!("日割対象日({})", r.text(F::ServiceDate).unwrap_or_default()), p);
                }
                if let Some(days) = r.text(F::ShortStayDaysBefore) {
                    row.extra.insert_if_absent("前月までの短期入所利用日数".into(), days);
                }
                if let Some(code) = r.text(F::PlannerOfficeCode) {
                    row.extra.insert_if_absent("プラン担当業者コード".into(), code);
                }
                row.sources.push(r.source());
            }
            Target::Table7 => {
                has7 = true;
                if t7.created_on.is_none() {
                    t7.created_on = r.date(F::CreatedOn);
                }
                let code = r.str(F::ServiceCode).unwrap_or_default();
                let provider_code = r.str(F::ProviderCode).unwrap_or_default();
                let row_kind = if code == "999999" || provider_code == "9999999999" {
                    "total"
                } else if code.ends_with("AAAA") {
                    "type_subtotal"
                } else if code.ends_with("EEEE") {
                    "outside_limit_subtotal"
                } else if code.ends_with("ZZZZ") {
                    "over_30_days_subtotal"
                } else {
                    "detail"
                };
                let mut amounts = SmallMap::new();
                let mut extra = extras(r, &TABLE7_USED);
                for (f, name) in TABLE7_AMOUNT_FIELDS {
                    match r.num(f) {
                        Some(n) => {
                            amounts.insert(Cow::Borrowed(name), n);
                        }
                        // Amounts that do not read as numbers are kept as text.
                        None => {
                            if let Some(v) = r.text(f) {
                                extra.insert(
                                    crate::model::fields::label(Target::Table7, name).unwrap_or(name).to_string(),
                                    v,
                                );
                            }
                        }
                    }
                }
                let row = Table7Row {
                    provider: r.text(F::Provider),
                    provider_code: r.text(F::ProviderCode),
                    service_code: r.text(F::ServiceCode),
                    row_kind: row_kind.into(),
                    amounts,
                    extra,
                    source: r.source(),
                };
                if row_kind == "total" && t7.totals.is_none() {
                    t7.totals = Some(row);
                } else {
                    t7.rows.push(row);
                }
            }
            _ => {}
        }
    }
    t6.rows = rows6;
    for row in &mut t6.rows {
        row.dates.sort();
        row.dates.dedup();
        row.sources.sort();
    }
    t6.rows.sort_by(|a, b| {
        (a.dates.first(), &a.start, &a.service_code, &a.provider_code, &a.sources).cmp(&(
            b.dates.first(),
            &b.start,
            &b.service_code,
            &b.provider_code,
            &b.sources,
        ))
    });
    record_conflicts(plan, conflicts, problems);
    let has_header = t6.care_level.is_some() || t6.limit_units.is_some();
    let m = Month {
        month: month.to_string(),
        table6: (has6 || has_header).then(|| Arc::new(t6)),
        table7: has7.then(|| Arc::new(t7)),
    };
    // Months arrive oldest first: the latest is the plan's table6/table7.
    if plan.table6.is_some() || plan.table7.is_some() {
        let current =
            plan.table6.as_ref().map(|t| t.month.clone()).or_else(|| plan.table7.as_ref().map(|t| t.month.clone()));
        plan.earlier_months.push(Month {
            month: current.unwrap_or_default(),
            table6: plan.table6.take(),
            table7: plan.table7.take(),
        });
    }
    plan.table6 = m.table6;
    plan.table7 = m.table7;
}

/// A 第6表 row started by the first record of a service.
fn new_table6_row(r: &Record) -> Table6Row {
    Table6Row {
        service_code: r.text(F::ServiceCode),
        provider_code: r.text(F::ProviderCode),
        provider: r.text(F::Provider),
        start: r.text(F::Start),
        end: r.text(F::End),
        count_per_day: r.int(F::CountPerDay),
        planned_total: r.int(F::PlannedTotal),
        units: r.int(F::Units),
        extra: extras(
            r,
            &[
                F::CreatedOn,
                F::Month,
                F::Planner,
                F::ServiceDate,
                F::ServiceCode,
                F::ProviderCode,
                F::Provider,
                F::Start,
                F::End,
                F::CountPerDay,
                F::PlannedTotal,
                F::Units,
                F::ProrateDays,
                F::PlannerOfficeCode,
                F::ShortStayDaysBefore,
            ],
        ),
        ..Table6Row::default()
    }
}

const TABLE7_AMOUNT_FIELDS: [(F, &str); 20] = [
    (F::Units, "units"),
    (F::DiscountRate, "discount_rate"),
    (F::DiscountedUnits, "discounted_units"),
    (F::Count, "count"),
    (F::ServiceUnits, "service_units"),
    (F::ManagedUnits, "managed_units"),
    (F::TypeOverUnits, "type_over_units"),
    (F::TypeWithinUnits, "type_within_units"),
    (F::CategoryOverUnits, "category_over_units"),
    (F::CategoryWithinUnits, "category_within_units"),
    (F::UnitPrice, "unit_price"),
    (F::TotalCost, "total_cost"),
    (F::BenefitRate, "benefit_rate"),
    (F::InsuranceClaim, "insurance_claim"),
    (F::FixedCopayPrice, "fixed_copay_price"),
    (F::CopayInsured, "copay_insured"),
    (F::CopayFull, "copay_full"),
    (F::DaysBefore, "days_before"),
    (F::DaysPlanned, "days_planned"),
    (F::DaysCumulative, "days_cumulative"),
];

const TABLE7_USED: [F; 25] = [
    F::Units,
    F::DiscountRate,
    F::DiscountedUnits,
    F::Count,
    F::ServiceUnits,
    F::ManagedUnits,
    F::TypeOverUnits,
    F::TypeWithinUnits,
    F::CategoryOverUnits,
    F::CategoryWithinUnits,
    F::UnitPrice,
    F::TotalCost,
    F::BenefitRate,
    F::InsuranceClaim,
    F::FixedCopayPrice,
    F::CopayInsured,
    F::CopayFull,
    F::DaysBefore,
    F::DaysPlanned,
    F::DaysCumulative,
    F::CreatedOn,
    F::Month,
    F::Provider,
    F::ProviderCode,
    F::ServiceCode,
];
