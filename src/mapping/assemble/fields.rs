//! Setting a plan's fields from records: each slot once, a later different
//! value kept as a typed conflict; values no slot takes kept under `extra`.

use crate::diag::{Problem, ProblemKind, Source};
use crate::mapping::record::Record;
use crate::model::fields::F;
use crate::model::*;
use chrono::NaiveDate;
use std::borrow::Cow;

pub(super) type Conflicts = Vec<Conflict>;

/// Sets model slots from record fields once; a later different value is kept
/// in the plan's `conflicts` (typed: which field, both values, where each
/// came from) and reported, so it is not lost.
pub(super) struct Setter<'a> {
    pub sources: &'a mut Sources,
    pub conflicts: &'a mut Conflicts,
}

impl Setter<'_> {
    pub(super) fn put<T: PartialEq + ToText>(
        &mut self,
        slot: &mut Option<T>,
        v: T,
        src: Option<Source>,
        field: PlanField,
    ) {
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

    pub(super) fn text(&mut self, slot: &mut Option<String>, r: &Record, f: F, field: PlanField) {
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

    pub(super) fn date(&mut self, slot: &mut Option<NaiveDate>, r: &Record, f: F, field: PlanField) {
        if let Some(d) = r.date(f) {
            self.put(slot, d, r.source_of(f), field);
        }
    }

    pub(super) fn int(&mut self, slot: &mut Option<i64>, r: &Record, f: F, field: PlanField) {
        if let Some(n) = r.int(f) {
            self.put(slot, n, r.source_of(f), field);
        }
    }
}

/// Fills the fields of one 第4表 meeting or 第5表 entry: each record is its
/// own item, so a field is set at most once.
pub(super) struct Fill<'a> {
    pub sources: &'a mut Sources,
}

impl Fill<'_> {
    pub(super) fn text(&mut self, slot: &mut Option<String>, r: &Record, f: F, key: &'static str) {
        if let Some(v) = r.text(f) {
            self.at(r, f, key);
            *slot = Some(v);
        }
    }

    pub(super) fn date(&mut self, slot: &mut Option<NaiveDate>, r: &Record, f: F, key: &'static str) {
        if let Some(d) = r.date(f) {
            self.at(r, f, key);
            *slot = Some(d);
        }
    }

    pub(super) fn int(&mut self, slot: &mut Option<i64>, r: &Record, f: F, key: &'static str) {
        if let Some(n) = r.int(f) {
            self.at(r, f, key);
            *slot = Some(n);
        }
    }

    pub(super) fn at(&mut self, r: &Record, f: F, key: &'static str) {
        if let Some(src) = r.source_of(f) {
            self.sources.insert(Cow::Borrowed(key), src);
        }
    }
}

pub(super) trait ToText {
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

pub(super) fn period_of(r: &Record, f: F) -> Option<PeriodJson> {
    if let Some(p) = r.period(f) {
        return Some(PeriodJson { from: p.from, to: p.to, raw: p.raw.clone() });
    }
    if let Some(d) = r.date(f) {
        return Some(PeriodJson { from: Some(d), to: None, raw: d.format("%Y-%m-%d").to_string() });
    }
    r.text(f).map(|raw| PeriodJson { from: None, to: None, raw })
}

/// A period from a range column, completed by separate start/end columns.
pub(super) fn period_with_ends(r: &Record, range: F, from: F, to: F) -> Option<PeriodJson> {
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

pub(super) const KEY_FIELDS: &[F] = &[
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
pub(super) fn extras(r: &Record, used: &[F]) -> Extra {
    let mut e = Extra::new();
    for f in r.field_ids() {
        // Copied values (a workbook's key on its other sheets) belong to the
        // record they were read on.
        if !used.contains(&f) && !KEY_FIELDS.contains(&f) && !r.is_copied(f) {
            if let Some(v) = r.text(f) {
                let label = crate::model::fields::label_of(r.target(), f).unwrap_or(f.name());
                e.insert(label.to_string(), v);
            }
        }
    }
    for (label, v) in r.extras() {
        // Metadata is the plan's (`note_input`), not the table's.
        if !label.starts_with(crate::model::fields::META_PREFIX) {
            e.insert(label.to_string(), v.into_owned());
        }
    }
    e
}

/// A record's `meta.*` values into the plan's `meta`: one entry per label and
/// value, counted.
fn note_meta(plan: &mut CarePlan, r: &Record) {
    for (label, v) in r.extras() {
        let Some(label) = label.strip_prefix(crate::model::fields::META_PREFIX) else { continue };
        if v.is_empty() {
            continue;
        }
        match plan.meta.iter_mut().find(|m| m.value == *v && m.label == label) {
            Some(m) => m.count += 1,
            None => plan.meta.push(crate::model::MetaValue {
                label: label.to_string(),
                value: v.into_owned(),
                count: 1,
                source: r.source(),
            }),
        }
    }
}

/// The (file, mapping, source) triples a plan was read from, each once (a
/// few per plan: a vector beats a set for the lookup per record).
pub(super) type Used = Vec<(usize, std::sync::Arc<str>, std::sync::Arc<str>)>;

pub(super) fn note_input(plan: &mut CarePlan, r: &Record, used: &mut Used) {
    plan.provenance.records += 1;
    note_meta(plan, r);
    plan.declared_fields |= r.meta.declared;
    // Records of one source share its id (`Arc`): compare pointers first.
    let same = |(i, _, s): &(usize, std::sync::Arc<str>, std::sync::Arc<str>)| {
        *i == r.file_index as usize && (std::sync::Arc::ptr_eq(s, &r.meta.source_id) || *s == r.meta.source_id)
    };
    if !used.iter().any(same) {
        used.push((r.file_index as usize, r.meta.mapping.clone(), r.meta.source_id.clone()));
    }
}

pub(super) fn common(plan: &mut CarePlan, r: &Record, conflicts: &mut Conflicts) {
    let mut s = Setter { sources: &mut plan.office.sources, conflicts };
    s.text(&mut plan.office.code, r, F::OfficeCode, PlanField::OfficeCode);
    s.text(&mut plan.office.name, r, F::OfficeName, PlanField::OfficeName);
    let mut s = Setter { sources: &mut plan.person.sources, conflicts };
    s.text(&mut plan.person.name, r, F::PersonName, PlanField::PersonName);
}

pub(super) fn record_conflicts(plan: &mut CarePlan, conflicts: Conflicts, problems: &mut Vec<Problem>) {
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

pub(super) fn join_address(r: &Record, a: F, b: F) -> Option<(String, Source)> {
    let src = r.source_of(a).or_else(|| r.source_of(b))?;
    let parts: Vec<String> = [r.text(a), r.text(b)].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| (parts.join(" "), src))
}

pub(super) fn sources_of(r: &Record, fields: &[(F, &'static str)]) -> Sources {
    let mut out = Sources::with_capacity(fields.len());
    for (f, name) in fields {
        if let Some(s) = r.source_of(*f) {
            out.insert(Cow::Borrowed(*name), s);
        }
    }
    out
}
