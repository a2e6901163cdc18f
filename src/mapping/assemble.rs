//! Records → plans, per the plan-identity contract.
//!
//! Plan-level records (第1〜5表, 利用者補足情報 of a plan) join on
//! (保険者番号, 被保険者番号, 計画作成日). Monthly records (第6/7表, and
//! 利用者補足情報 tied to a 対象年月) join on (保険者番号, 被保険者番号, 対象年月)
//! and attach to the person's plan in force that month: the latest plan
//! whose date is on or before the month's last day. Exact duplicate records
//! are merged and listed; blank cells continue the value above where the
//! mapping says so; 第2表 is rebuilt into needs → goals → services.

use super::schema::Target;
use super::{Field, Record, Value};
use crate::diag::{Problem, ProblemKind, Source};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Where each input file sits, for the office fallback and provenance.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub name: String,
    /// Name of the folder the file is in (the office when no code is given).
    pub folder: String,
}

#[derive(Debug, Default)]
pub struct Assembled {
    pub plans: Vec<CarePlan>,
    pub problems: Vec<Problem>,
    /// Office folder name per plan (same order as `plans`).
    pub office_dirs: Vec<String>,
    pub duplicates: usize,
}

type MonthKey = (String, String, String);

pub fn assemble(mut records: Vec<Record>, files: &[FileInfo]) -> Assembled {
    let mut out = Assembled::default();
    inherit_workbook_keys(&mut records);

    // Split into plan-level and monthly records.
    let mut plan_recs: BTreeMap<PlanKey, Vec<Record>> = BTreeMap::new();
    let mut month_recs: BTreeMap<MonthKey, Vec<Record>> = BTreeMap::new();
    for r in records {
        let insurer = r.text("insurer_no");
        let insured = r.text("insured_no");
        let (Some(insurer), Some(insured)) = (insurer, insured) else {
            out.problems.push(Problem::new(
                ProblemKind::Grouping,
                r.source.clone(),
                "保険者番号と被保険者番号がそろっていないため、どの利用者の計画か分かりません。この行（シート）は計画に入れていません",
            ));
            continue;
        };
        let plan_date = match r.value("plan_date") {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        };
        let month = r.text("month");
        let monthly =
            matches!(r.target, Target::Table6 | Target::Table7) || (r.target == Target::Person && plan_date.is_none());
        if monthly {
            match month {
                Some(m) => month_recs.entry((insurer, insured, m)).or_default().push(r),
                None => out.problems.push(Problem::new(
                    ProblemKind::Grouping,
                    r.source.clone(),
                    "対象年月も計画作成日もないため、どの月・どの計画の情報か分かりません",
                )),
            }
        } else {
            match plan_date {
                Some(d) => plan_recs
                    .entry(PlanKey { insurer_no: insurer, insured_no: insured, plan_date: Some(d) })
                    .or_default()
                    .push(r),
                None => out.problems.push(Problem::new(
                    ProblemKind::Grouping,
                    r.source.clone(),
                    "居宅サービス計画作成（変更）日がないため、どの計画の情報か分かりません",
                )),
            }
        }
    }

    let mut plans: BTreeMap<PlanKey, (CarePlan, BTreeSet<usize>)> = BTreeMap::new();
    for (key, recs) in plan_recs {
        let (recs, dups) = dedupe(recs);
        out.duplicates += dups.len();
        let mut plan = CarePlan { key: key.clone(), ..CarePlan::default() };
        plan.provenance.duplicates = dups;
        let files_used = build_plan(&mut plan, recs, &mut out.problems);
        plans.insert(key, (plan, files_used));
    }

    // Attach months to the plan in force.
    for ((insurer, insured, month), recs) in month_recs {
        let (recs, dups) = dedupe(recs);
        out.duplicates += dups.len();
        let month_end = month_last_day(&month);
        let target_key = plans
            .keys()
            .filter(|k| k.insurer_no == insurer && k.insured_no == insured)
            .filter(|k| match (k.plan_date, month_end) {
                (Some(d), Some(end)) => d <= end,
                _ => false,
            })
            .max()
            .cloned()
            .unwrap_or(PlanKey { insurer_no: insurer.clone(), insured_no: insured.clone(), plan_date: None });
        let entry = plans
            .entry(target_key.clone())
            .or_insert_with(|| (CarePlan { key: target_key, ..CarePlan::default() }, BTreeSet::new()));
        entry.0.provenance.duplicates.extend(dups);
        let used = build_month(&mut entry.0, &month, recs, &mut out.problems);
        entry.1.extend(used);
    }

    for (_, (mut plan, used)) in plans {
        plan.earlier_months.sort_by(|a, b| a.month.cmp(&b.month));
        plan.provenance.inputs.sort();
        plan.provenance.inputs.dedup();
        plan.provenance.duplicates.sort();
        let folder = used.iter().next().and_then(|i| files.get(*i)).map(|f| f.folder.clone()).unwrap_or_default();
        let office_dir = plan.office.code.clone().map(|c| sanitize(&c)).unwrap_or_else(|| sanitize_dir(&folder));
        out.office_dirs.push(office_dir);
        out.plans.push(plan);
    }
    out.problems.sort();
    out
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

/// Records of one workbook without key fields take them from its other sheets
/// (one workbook per person: the key is on 第1表).
fn inherit_workbook_keys(records: &mut [Record]) {
    let mut keys: BTreeMap<usize, BTreeMap<String, Field>> = BTreeMap::new();
    for r in records.iter() {
        for k in ["insurer_no", "insured_no", "plan_date", "office_code", "office_name", "person_name"] {
            if let Some(f) = r.fields.get(k).filter(|f| !f.value.is_empty()) {
                keys.entry(r.file_index).or_default().entry(k.to_string()).or_insert_with(|| f.clone());
            }
        }
    }
    for r in records.iter_mut() {
        if r.source.sheet.is_none() {
            continue;
        }
        if let Some(k) = keys.get(&r.file_index) {
            for (name, f) in k {
                if r.value(name).is_none() {
                    r.fields.insert(name.clone(), f.clone());
                }
            }
        }
    }
}

/// Signature of a record for exact-duplicate detection: target, source kind
/// and every field value (not positions).
fn signature(r: &Record) -> String {
    let mut s = format!("{:?}\u{1}{}\u{1}", r.target, r.source_id);
    for (k, f) in &r.fields {
        s.push_str(k);
        s.push('\u{2}');
        s.push_str(&format!("{:?}", f.value));
        s.push('\u{1}');
    }
    for (k, l) in &r.lists {
        s.push_str(&format!(
            "{k}:{:?}",
            l.iter().map(|m| m.values().map(|f| f.value.display()).collect::<Vec<_>>()).collect::<Vec<_>>()
        ));
    }
    s
}

fn dedupe(recs: Vec<Record>) -> (Vec<Record>, Vec<Duplicate>) {
    let mut seen: BTreeMap<String, Source> = BTreeMap::new();
    let mut keep = Vec::with_capacity(recs.len());
    let mut dups = Vec::new();
    for r in recs {
        let sig = signature(&r);
        match seen.get(&sig) {
            Some(first) => dups.push(Duplicate { source: r.source.clone(), duplicate_of: first.clone() }),
            None => {
                seen.insert(sig, r.source.clone());
                keep.push(r);
            }
        }
    }
    (keep, dups)
}

/// Sorts records by the mapping's order_by fields (numbers numerically), then
/// by reading order.
fn sort_records(recs: &mut [Record]) {
    fn key(r: &Record) -> Vec<(u8, f64, String)> {
        r.order_by
            .iter()
            .map(|name| match r.value(name) {
                Some(Value::Number(n)) => (0, *n, String::new()),
                Some(v) => {
                    let t = v.display();
                    match t.trim().parse::<f64>() {
                        Ok(n) => (0, n, String::new()),
                        Err(_) => (1, 0.0, t),
                    }
                }
                None => (2, 0.0, String::new()),
            })
            .collect()
    }
    recs.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.partial_cmp(&kb)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.file_index.cmp(&b.file_index))
            .then(a.seq.cmp(&b.seq))
    });
}

/// Continues blank cells of `fill_down` fields from the record above (same source).
fn fill_down(recs: &mut [Record]) {
    let mut last: BTreeMap<(String, String), Field> = BTreeMap::new();
    for r in recs.iter_mut() {
        for name in r.fill_down.clone() {
            let k = (r.source_id.clone(), name.clone());
            match r.fields.get(&name).filter(|f| !f.value.is_empty()) {
                Some(f) => {
                    last.insert(k, f.clone());
                }
                None => {
                    if let Some(prev) = last.get(&k) {
                        r.fields.insert(name, prev.clone());
                    }
                }
            }
        }
    }
}

/// Sets `slot` from a record field once; a later different value is kept in
/// `extra` under `conflict.<name>` so it is not lost.
struct Setter<'a> {
    sources: &'a mut Sources,
    conflicts: Vec<(String, String, Source)>,
}

impl Setter<'_> {
    fn text(&mut self, slot: &mut Option<String>, r: &Record, field: &str, name: &str) {
        if let (Some(v), Some(src)) = (r.text(field), r.source_of(field)) {
            self.put(slot, v, src, name);
        }
    }

    fn put<T: PartialEq + Clone + ToText>(&mut self, slot: &mut Option<T>, v: T, src: &Source, name: &str) {
        match slot {
            None => {
                *slot = Some(v);
                self.sources.insert(name.to_string(), src.clone());
            }
            Some(old) if *old != v => self.conflicts.push((name.to_string(), v.to_text(), src.clone())),
            Some(_) => {}
        }
    }

    fn date(&mut self, slot: &mut Option<NaiveDate>, r: &Record, field: &str, name: &str) {
        if let (Some(Value::Date(d)), Some(src)) = (r.value(field), r.source_of(field)) {
            self.put(slot, *d, src, name);
        }
    }

    fn int(&mut self, slot: &mut Option<i64>, r: &Record, field: &str, name: &str) {
        if let (Some(v), Some(src)) = (r.value(field), r.source_of(field)) {
            if let Some(n) = as_int(v) {
                self.put(slot, n, src, name);
            }
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

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) if n.fract() == 0.0 => Some(*n as i64),
        Value::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

fn period_of(v: Option<&Value>) -> Option<PeriodJson> {
    match v? {
        Value::Period(p) => Some(PeriodJson { from: p.from, to: p.to, raw: p.raw.clone() }),
        Value::Date(d) => Some(PeriodJson { from: Some(*d), to: None, raw: d.format("%Y-%m-%d").to_string() }),
        v if !v.is_empty() => Some(PeriodJson { from: None, to: None, raw: v.display() }),
        _ => None,
    }
}

/// A period from a range column, completed by separate start/end columns.
fn period_with_ends(r: &Record, range: &str, from: &str, to: &str) -> Option<PeriodJson> {
    let mut p = period_of(r.value(range));
    let f = match r.value(from) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let t = match r.value(to) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
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

/// Fields no model slot takes, kept under `extra` (label → text).
fn extras(r: &Record, used: &[&str]) -> Extra {
    let mut e = Extra::new();
    for (k, f) in &r.fields {
        if f.value.is_empty() {
            continue;
        }
        if let Some(label) = k.strip_prefix("extra.") {
            e.insert(label.to_string(), f.value.display());
        } else if !used.contains(&k.as_str()) && !KEY_FIELDS.contains(&k.as_str()) {
            let label = crate::model::fields::label(r.target, k).unwrap_or(k);
            e.insert(label.to_string(), f.value.display());
        }
    }
    e
}

const KEY_FIELDS: &[&str] = &[
    "insurer_no",
    "insured_no",
    "plan_date",
    "csv_version",
    "office_code",
    "office_name",
    "person_name",
    "updater_code",
    "identifier",
];

fn note_input(plan: &mut CarePlan, r: &Record, files: &mut BTreeSet<usize>) {
    plan.provenance.inputs.push(InputRef {
        file: r.source.file.clone(),
        mapping: r.mapping.clone(),
        source: r.source_id.clone(),
    });
    plan.provenance.records += 1;
    files.insert(r.file_index);
}

fn common(plan: &mut CarePlan, r: &Record, conflicts: &mut Vec<(String, String, Source)>) {
    let mut s = Setter { sources: &mut plan.office.sources, conflicts: Vec::new() };
    s.text(&mut plan.office.code, r, "office_code", "code");
    s.text(&mut plan.office.name, r, "office_name", "name");
    conflicts.append(&mut s.conflicts);
    let mut s = Setter { sources: &mut plan.person.sources, conflicts: Vec::new() };
    s.text(&mut plan.person.name, r, "person_name", "name");
    conflicts.append(&mut s.conflicts);
}

fn build_plan(plan: &mut CarePlan, mut recs: Vec<Record>, problems: &mut Vec<Problem>) -> BTreeSet<usize> {
    let mut files = BTreeSet::new();
    let mut conflicts = Vec::new();
    sort_records(&mut recs);
    let mut by_target: BTreeMap<Target, Vec<Record>> = BTreeMap::new();
    for r in recs {
        note_input(plan, &r, &mut files);
        common(plan, &r, &mut conflicts);
        by_target.entry(r.target).or_default().push(r);
    }
    for (target, mut recs) in by_target {
        match target {
            Target::Person => recs.iter().for_each(|r| person(plan, r, &mut conflicts)),
            Target::Table1 => recs.iter().for_each(|r| table1(plan, r, &mut conflicts)),
            Target::Table2 => table2(plan, &recs),
            Target::Table3 => {
                fill_down(&mut recs);
                table3(plan, &recs)
            }
            Target::Table4 => recs.iter().for_each(|r| table4(plan, r)),
            Target::Table5 => {
                fill_down(&mut recs);
                recs.iter().for_each(|r| table5(plan, r))
            }
            Target::Table6 | Target::Table7 => {}
        }
    }
    record_conflicts(plan, conflicts, problems);
    files
}

fn record_conflicts(plan: &mut CarePlan, conflicts: Vec<(String, String, Source)>, problems: &mut Vec<Problem>) {
    for (name, value, src) in conflicts {
        plan.table1.extra.insert(format!("conflict.{name}"), value.clone());
        problems.push(Problem::new(
            ProblemKind::Grouping,
            src,
            format!("同じ計画の「{name}」に別の値「{value}」があります。先に読んだ値を使い、この値は table1.extra に残しました"),
        ));
    }
}

fn person(plan: &mut CarePlan, r: &Record, conflicts: &mut Vec<(String, String, Source)>) {
    let p = &mut plan.person;
    let mut s = Setter { sources: &mut p.sources, conflicts: Vec::new() };
    s.text(&mut p.kana, r, "kana", "kana");
    s.text(&mut p.sex, r, "sex", "sex");
    s.date(&mut p.birth_date, r, "birth_date", "birth_date");
    s.text(&mut p.postal_code, r, "postal_code", "postal_code");
    if let Some(a) = join_address(r, "address1", "address2") {
        s.put(&mut p.address, a.0, &a.1, "address");
    }
    s.text(&mut p.phone, r, "phone", "phone");
    conflicts.append(&mut s.conflicts);
    let c = &mut plan.table1.certification;
    let mut s = Setter { sources: &mut plan.table1.sources, conflicts: Vec::new() };
    s.text(&mut c.status, r, "cert_status", "certification.status");
    s.date(&mut c.certified_on, r, "certified_on", "certification.certified_on");
    s.text(&mut c.care_level, r, "care_level", "certification.care_level");
    s.int(&mut c.limit_units, r, "limit_units", "certification.limit_units");
    s.text(&mut c.previous_care_level, r, "previous_care_level", "certification.previous_care_level");
    s.date(&mut c.care_level_changed_on, r, "care_level_changed_on", "certification.care_level_changed_on");
    conflicts.append(&mut s.conflicts);
    let used = [
        "kana",
        "sex",
        "birth_date",
        "postal_code",
        "address1",
        "address2",
        "phone",
        "cert_status",
        "certified_on",
        "care_level",
        "limit_units",
        "previous_care_level",
        "care_level_changed_on",
        "month",
    ];
    for (k, v) in extras(r, &used) {
        plan.table1.extra.entry(format!("利用者補足情報.{k}")).or_insert(v);
    }
}

fn join_address(r: &Record, a: &str, b: &str) -> Option<(String, Source)> {
    let src = r.source_of(a).or_else(|| r.source_of(b))?.clone();
    let parts: Vec<String> = [r.text(a), r.text(b)].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| (parts.join(" "), src))
}

fn table1(plan: &mut CarePlan, r: &Record, conflicts: &mut Vec<(String, String, Source)>) {
    if plan.table1.source.is_none() {
        plan.table1.source = Some(r.source.clone());
    }
    {
        let p = &mut plan.person;
        let mut s = Setter { sources: &mut p.sources, conflicts: Vec::new() };
        s.date(&mut p.birth_date, r, "birth_date", "birth_date");
        s.text(&mut p.postal_code, r, "postal_code", "postal_code");
        if let Some(a) = join_address(r, "address1", "address2") {
            s.put(&mut p.address, a.0, &a.1, "address");
        }
        conflicts.append(&mut s.conflicts);
        let o = &mut plan.office;
        let mut s = Setter { sources: &mut o.sources, conflicts: Vec::new() };
        s.text(&mut o.postal_code, r, "office_postal_code", "postal_code");
        if let Some(a) = join_address(r, "office_address1", "office_address2") {
            s.put(&mut o.address, a.0, &a.1, "address");
        }
        conflicts.append(&mut s.conflicts);
    }
    let t = &mut plan.table1;
    let mut s = Setter { sources: &mut t.sources, conflicts: Vec::new() };
    s.date(&mut t.created_on, r, "created_on", "created_on");
    s.date(&mut t.first_created_on, r, "first_created_on", "first_created_on");
    s.text(&mut t.plan_kind, r, "plan_kind", "plan_kind");
    s.text(&mut t.certification.status, r, "cert_status", "certification.status");
    s.date(&mut t.certification.certified_on, r, "certified_on", "certification.certified_on");
    s.date(&mut t.certification.valid_from, r, "valid_from", "certification.valid_from");
    s.date(&mut t.certification.valid_to, r, "valid_to", "certification.valid_to");
    if let (Some(Value::Period(p)), Some(src)) = (r.value("valid_period"), r.source_of("valid_period")) {
        if let Some(d) = p.from {
            s.put(&mut t.certification.valid_from, d, src, "certification.valid_from");
        }
        if let Some(d) = p.to {
            s.put(&mut t.certification.valid_to, d, src, "certification.valid_to");
        }
        if !p.raw.is_empty() {
            s.put(&mut t.certification.valid_period, p.raw.clone(), src, "certification.valid_period");
        }
    }
    s.text(&mut t.certification.care_level, r, "care_level", "certification.care_level");
    s.text(&mut t.planner, r, "planner", "planner");
    match r.value("intentions") {
        Some(Value::Parts(parts)) => {
            let src = r.source_of("intentions").cloned().unwrap_or_default();
            let whole: Vec<String> = parts
                .iter()
                .map(|(k, v)| match k.as_str() {
                    "person" => format!("【本人の意向】{v}"),
                    "family" => format!("【家族の意向】{v}"),
                    _ => v.clone(),
                })
                .collect();
            s.put(&mut t.intentions.text, whole.join("\n"), &src, "intentions.text");
            for (k, v) in parts {
                match k.as_str() {
                    "person" => s.put(&mut t.intentions.person, v.clone(), &src, "intentions.person"),
                    "family" => s.put(&mut t.intentions.family, v.clone(), &src, "intentions.family"),
                    _ => {}
                }
            }
        }
        Some(v) => {
            let src = r.source_of("intentions").cloned().unwrap_or_default();
            s.put(&mut t.intentions.text, v.display(), &src, "intentions.text");
        }
        None => {}
    }
    s.text(&mut t.intentions.person, r, "intentions_person", "intentions.person");
    s.text(&mut t.intentions.family, r, "intentions_family", "intentions.family");
    s.text(&mut t.review_opinion, r, "review_opinion", "review_opinion");
    s.text(&mut t.policy, r, "policy", "policy");
    s.text(&mut t.living_support_reason.code, r, "living_support_reason", "living_support_reason.code");
    s.text(&mut t.living_support_reason.other, r, "living_support_other", "living_support_reason.other");
    s.date(&mut t.consent_on, r, "consent_on", "consent_on");
    conflicts.append(&mut s.conflicts);
    let used = [
        "created_on",
        "postal_code",
        "address1",
        "address2",
        "birth_date",
        "planner",
        "office_postal_code",
        "office_address1",
        "office_address2",
        "first_created_on",
        "plan_kind",
        "cert_status",
        "certified_on",
        "valid_from",
        "valid_to",
        "valid_period",
        "care_level",
        "intentions",
        "intentions_person",
        "intentions_family",
        "review_opinion",
        "policy",
        "living_support_reason",
        "living_support_other",
        "consent_on",
    ];
    for (k, v) in extras(r, &used) {
        t.extra.entry(k).or_insert(v);
    }
}

/// Rebuilds 第2表's hierarchy. A need, long goal or short goal starts when
/// its number changes or its text is written and differs from the current
/// one; a blank (or repeated) text continues it. The standard changes the
/// short goal inside one 援助目標NO (formats.md §1.4), so short goals are
/// told apart by text only.
fn table2(plan: &mut CarePlan, recs: &[Record]) {
    let t = &mut plan.table2;
    let continues = |r: &Record, f: &str| r.fill_down.iter().any(|x| x == f);
    for r in recs {
        if t.created_on.is_none() {
            if let Some(Value::Date(d)) = r.value("created_on") {
                t.created_on = Some(*d);
            }
        }
        let need_no = r.value("need_no").and_then(as_int);
        let need_text = r.text("need");
        let new_need = match t.needs.last() {
            None => true,
            Some(n) => {
                (need_no.is_some() && need_no != n.no)
                    || (need_text.is_some() && need_text != n.text)
                    || (need_text.is_none() && !continues(r, "need"))
            }
        };
        if new_need {
            let mut sources = Sources::new();
            if let Some(s) = r.source_of("need") {
                sources.insert("text".into(), s.clone());
            }
            t.needs.push(Need { no: need_no, text: need_text, long_goals: vec![], source: r.source.clone(), sources });
        }
        let need = t.needs.last_mut().expect("pushed above");
        let goal_no = r.value("goal_no").and_then(as_int);
        let long_text = r.text("long_goal");
        let long_period = period_with_ends(r, "long_period", "long_from", "long_to");
        let new_long = new_need
            || match need.long_goals.last() {
                None => true,
                Some(g) => {
                    (goal_no.is_some() && goal_no != g.no)
                        || (long_text.is_some() && long_text != g.text)
                        || (long_text.is_none() && !continues(r, "long_goal"))
                }
            };
        if new_long {
            let mut sources = Sources::new();
            for (f, k) in [("long_goal", "text"), ("long_period", "period")] {
                if let Some(s) = r.source_of(f) {
                    sources.insert(k.into(), s.clone());
                }
            }
            need.long_goals.push(LongGoal {
                no: goal_no,
                text: long_text,
                period: long_period,
                short_goals: vec![],
                source: r.source.clone(),
                sources,
            });
        } else if let Some(g) = need.long_goals.last_mut() {
            if g.period.is_none() {
                g.period = long_period;
            }
        }
        let long = need.long_goals.last_mut().expect("pushed above");
        let short_text = r.text("short_goal");
        let short_period = period_with_ends(r, "short_period", "short_from", "short_to");
        let new_short = new_long
            || match long.short_goals.last() {
                None => true,
                Some(g) => {
                    (short_text.is_some() && short_text != g.text)
                        || (short_text.is_none() && !continues(r, "short_goal"))
                }
            };
        if new_short {
            let mut sources = Sources::new();
            for (f, k) in [("short_goal", "text"), ("short_period", "period")] {
                if let Some(s) = r.source_of(f) {
                    sources.insert(k.into(), s.clone());
                }
            }
            long.short_goals.push(ShortGoal {
                text: short_text,
                period: short_period,
                services: vec![],
                source: r.source.clone(),
                sources,
            });
        } else if let Some(g) = long.short_goals.last_mut() {
            if g.period.is_none() {
                g.period = short_period;
            }
        }
        let short = long.short_goals.last_mut().expect("pushed above");
        let service_fields = [
            "content",
            "insured",
            "kind",
            "provider_code",
            "provider",
            "frequency",
            "period",
            "period_from",
            "period_to",
            "service_no",
        ];
        let has_service = service_fields.iter().any(|f| r.value(f).is_some())
            || r.fields.keys().any(|k| k.starts_with("extra.") && r.value(k).is_some());
        if has_service {
            let mut sources = Sources::new();
            for f in service_fields {
                if let Some(s) = r.source_of(f) {
                    sources.insert(f.to_string(), s.clone());
                }
            }
            let insured_mark = r.text("insured");
            let used = [
                "created_on",
                "display_order",
                "need_no",
                "need",
                "goal_no",
                "long_goal",
                "long_period",
                "long_from",
                "long_to",
                "short_goal",
                "short_period",
                "short_from",
                "short_to",
                "service_no",
                "content",
                "insured",
                "kind",
                "provider_code",
                "provider",
                "frequency",
                "period",
                "period_from",
                "period_to",
            ];
            let mut extra = extras(r, &used);
            if let Some(order) = r.text("display_order") {
                extra.insert("表示順".into(), order);
            }
            short.services.push(Service {
                no: r.value("service_no").and_then(as_int),
                content: r.text("content"),
                insured: insured_mark.as_deref().and_then(insured_flag),
                insured_mark,
                kind: r.text("kind"),
                provider: r.text("provider"),
                provider_code: r.text("provider_code"),
                frequency: r.text("frequency"),
                period: period_with_ends(r, "period", "period_from", "period_to"),
                source: r.source.clone(),
                sources,
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

fn time_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Empty => None,
        v => Some(v.display()),
    }
}

fn table3(plan: &mut CarePlan, recs: &[Record]) {
    let t = &mut plan.table3;
    for r in recs {
        if t.created_on.is_none() {
            if let Some(Value::Date(d)) = r.value("created_on") {
                t.created_on = Some(*d);
            }
        }
        if t.from_month.is_none() {
            t.from_month = r.text("from_month");
        }
        if let Some(service) = r.text("service") {
            t.weekly.push(WeeklySlot {
                day: r.text("day"),
                start: time_text(r.value("start")),
                end: time_text(r.value("end")),
                service,
                source: r.source_of("service").cloned().unwrap_or_else(|| r.source.clone()),
            });
        }
        if let Some(text) = r.text("activity") {
            t.daily_activities.push(DailyActivity {
                start: time_text(r.value("activity_start")),
                end: time_text(r.value("activity_end")),
                text,
                source: r.source_of("activity").cloned().unwrap_or_else(|| r.source.clone()),
            });
        }
        if let Some(text) = r.text("non_weekly") {
            t.non_weekly.push(text);
            t.non_weekly_sources.push(r.source_of("non_weekly").cloned().unwrap_or_else(|| r.source.clone()));
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
    let mut m = Meeting { source: r.source.clone(), ..Meeting::default() };
    let mut s = Setter { sources: &mut m.sources, conflicts: Vec::new() };
    s.date(&mut m.held_on, r, "held_on", "held_on");
    s.text(&mut m.place, r, "place", "place");
    s.text(&mut m.time, r, "time", "time");
    s.text(&mut m.count, r, "count", "count");
    s.text(&mut m.person_attendance, r, "person_attendance", "person_attendance");
    s.text(&mut m.family_attendance, r, "family_attendance", "family_attendance");
    s.text(&mut m.items, r, "items", "items");
    s.text(&mut m.discussion, r, "discussion", "discussion");
    s.text(&mut m.conclusion, r, "conclusion", "conclusion");
    s.text(&mut m.remaining, r, "remaining", "remaining");
    s.text(&mut m.recorder, r, "recorder", "recorder");
    for list in r.lists.values() {
        for row in list {
            let text = |k: &str| row.get(k).filter(|f| !f.value.is_empty()).map(|f| f.value.display());
            let source = row.values().next().map(|f| f.source.clone()).unwrap_or_default();
            let a = Attendee { affiliation: text("affiliation"), name: text("name"), source };
            if a.affiliation.is_some() || a.name.is_some() {
                m.attendees.push(a);
            }
        }
    }
    let used = [
        "held_on",
        "place",
        "time",
        "count",
        "person_attendance",
        "family_attendance",
        "items",
        "discussion",
        "conclusion",
        "remaining",
        "recorder",
        "created_on",
    ];
    m.extra = extras(r, &used);
    if let Some(Value::Date(d)) = r.value("created_on") {
        m.extra.insert("作成年月日".into(), d.format("%Y-%m-%d").to_string());
    }
    plan.table4.push(m);
}

fn table5(plan: &mut CarePlan, r: &Record) {
    let mut e = ProgressEntry { source: r.source.clone(), ..ProgressEntry::default() };
    let mut s = Setter { sources: &mut e.sources, conflicts: Vec::new() };
    s.date(&mut e.date, r, "date", "date");
    s.text(&mut e.item, r, "item", "item");
    s.text(&mut e.content, r, "content", "content");
    s.text(&mut e.recorder, r, "recorder", "recorder");
    if e.item.is_some() || e.content.is_some() {
        plan.table5.push(e);
    } else if e.date.is_some() {
        // A date with nothing written beside it is still a value read.
        plan.table5.push(e);
    }
}

fn build_month(
    plan: &mut CarePlan,
    month: &str,
    mut recs: Vec<Record>,
    problems: &mut Vec<Problem>,
) -> BTreeSet<usize> {
    let mut files = BTreeSet::new();
    let mut conflicts = Vec::new();
    sort_records(&mut recs);
    let mut t6 = Table6 { month: month.to_string(), ..Table6::default() };
    let mut t7 = Table7 { month: month.to_string(), ..Table7::default() };
    let (mut has6, mut has7) = (false, false);
    let mut rows6: BTreeMap<Vec<String>, Table6Row> = BTreeMap::new();
    for r in &recs {
        note_input(plan, r, &mut files);
        common(plan, r, &mut conflicts);
        match r.target {
            Target::Person => {
                // 利用者補足情報 of the month: the 第6表 header.
                if t6.care_level.is_none() {
                    t6.care_level = r.text("care_level");
                }
                if t6.limit_units.is_none() {
                    t6.limit_units = r.value("limit_units").and_then(as_int);
                }
                let p = &mut plan.person;
                let mut s = Setter { sources: &mut p.sources, conflicts: Vec::new() };
                s.text(&mut p.kana, r, "kana", "kana");
                s.text(&mut p.sex, r, "sex", "sex");
                s.date(&mut p.birth_date, r, "birth_date", "birth_date");
                conflicts.append(&mut s.conflicts);
                for (k, v) in extras(r, &["kana", "sex", "birth_date", "care_level", "limit_units", "month"]) {
                    plan.table1.extra.entry(format!("利用者補足情報({month}).{k}")).or_insert(v);
                }
            }
            Target::Table6 => {
                has6 = true;
                if t6.created_on.is_none() {
                    if let Some(Value::Date(d)) = r.value("created_on") {
                        t6.created_on = Some(*d);
                    }
                }
                if t6.planner.is_none() {
                    t6.planner = r.text("planner");
                }
                let group: Vec<String> = [
                    "service_code",
                    "provider_code",
                    "satellite",
                    "start",
                    "end",
                    "count_per_day",
                    "units",
                    "tais_code",
                    "notified_code",
                    "product_name",
                    "detail_code",
                    "provider",
                ]
                .iter()
                .map(|f| r.text(f).unwrap_or_default())
                .collect();
                let row = rows6.entry(group).or_insert_with(|| Table6Row {
                    service_code: r.text("service_code"),
                    provider_code: r.text("provider_code"),
                    provider: r.text("provider"),
                    start: time_text(r.value("start")),
                    end: time_text(r.value("end")),
                    count_per_day: r.value("count_per_day").and_then(as_int),
                    units: r.value("units").and_then(as_int),
                    extra: extras(
                        r,
                        &[
                            "created_on",
                            "month",
                            "planner",
                            "service_date",
                            "service_code",
                            "provider_code",
                            "provider",
                            "start",
                            "end",
                            "count_per_day",
                            "units",
                            "prorate_days",
                            "planner_office_code",
                        ],
                    ),
                    ..Table6Row::default()
                });
                if let Some(Value::Date(d)) = r.value("service_date") {
                    row.dates.push(*d);
                }
                if let Some(p) = r.text("prorate_days") {
                    let key = format!("日割対象日({})", r.text("service_date").unwrap_or_default());
                    row.extra.insert(key, p);
                }
                if let Some(code) = r.text("planner_office_code") {
                    row.extra.entry("プラン担当業者コード".into()).or_insert(code);
                }
                row.sources.push(r.source.clone());
            }
            Target::Table7 => {
                has7 = true;
                if t7.created_on.is_none() {
                    if let Some(Value::Date(d)) = r.value("created_on") {
                        t7.created_on = Some(*d);
                    }
                }
                let code = r.text("service_code").unwrap_or_default();
                let provider_code = r.text("provider_code").unwrap_or_default();
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
                let mut amounts = BTreeMap::new();
                for f in crate::model::fields::TABLE7_AMOUNTS {
                    if let Some(v) = r.value(f) {
                        match v {
                            Value::Number(n) => {
                                amounts.insert(f.to_string(), *n);
                            }
                            other => {
                                if let Ok(n) = other.display().trim().parse::<f64>() {
                                    amounts.insert(f.to_string(), n);
                                }
                            }
                        }
                    }
                }
                let mut used: Vec<&str> = crate::model::fields::TABLE7_AMOUNTS.to_vec();
                used.extend(["created_on", "month", "provider", "provider_code", "service_code"]);
                let mut extra = extras(r, &used);
                // Amounts that did not read as numbers are kept as text.
                for f in crate::model::fields::TABLE7_AMOUNTS {
                    if let Some(v) = r.value(f) {
                        if !amounts.contains_key(*f) {
                            extra.insert(
                                crate::model::fields::label(Target::Table7, f).unwrap_or(f).to_string(),
                                v.display(),
                            );
                        }
                    }
                }
                let row = Table7Row {
                    provider: r.text("provider"),
                    provider_code: r.text("provider_code"),
                    service_code: r.text("service_code"),
                    row_kind: row_kind.into(),
                    amounts,
                    extra,
                    source: r.source.clone(),
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
    t6.rows = rows6.into_values().collect();
    for row in &mut t6.rows {
        row.dates.sort();
        row.dates.dedup();
    }
    t6.rows.sort_by(|a, b| {
        (a.dates.first(), &a.start, &a.service_code, &a.provider_code).cmp(&(
            b.dates.first(),
            &b.start,
            &b.service_code,
            &b.provider_code,
        ))
    });
    record_conflicts(plan, conflicts, problems);
    let has_header = t6.care_level.is_some() || t6.limit_units.is_some();
    let m = Month { month: month.to_string(), table6: (has6 || has_header).then_some(t6), table7: has7.then_some(t7) };
    // The latest month is the plan's table6/table7; earlier ones are kept beside.
    let current =
        plan.table6.as_ref().map(|t| t.month.clone()).or_else(|| plan.table7.as_ref().map(|t| t.month.clone()));
    match current {
        Some(cur) if cur.as_str() > month => plan.earlier_months.push(m),
        Some(cur) => {
            plan.earlier_months.push(Month { month: cur, table6: plan.table6.take(), table7: plan.table7.take() });
            plan.table6 = m.table6;
            plan.table7 = m.table7;
        }
        None => {
            plan.table6 = m.table6;
            plan.table7 = m.table7;
        }
    }
    files
}
