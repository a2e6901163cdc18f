//! Who a record is about, and which office: the first half of the plan
//! identity contract (docs/ARCHITECTURE.md "Plan identity").
//!
//! A record with both 保険者番号 and 被保険者番号 is about those numbers. A
//! record without them (the paper 第1〜5表 carry none) is about the person
//! its sheet names: the office, 利用者名 normalised and 生年月日. A roster
//! (利用者一覧) attaches the numbers to such a person before grouping, so
//! that an Excel plan joins the same person's 第6/7表 from the standard CSV.

use super::FileInfo;
use crate::diag::{Problem, ProblemKind};
use crate::mapping::record::{Key, Record};
use crate::mapping::roster::Roster;
use crate::mapping::Value;
use crate::model::fields::F;
use crate::model::key::normalise_name;
use crate::model::PersonKey;
use rustc_hash::FxHashMap as HashMap;

/// How a run tells offices apart: the 事業所番号, else the code other files
/// of the same folder (or office name) carry, else the office's name and
/// folder. A workbook without a 事業所番号 beside the office's CSV exports
/// in one folder is that office, not a second one.
#[derive(Debug, Default)]
pub struct Offices {
    /// Folder → the one 事業所番号 its files carry (None: several).
    by_folder: HashMap<String, Option<String>>,
    /// Office name (normalised) → the one 事業所番号 it carries.
    by_name: HashMap<String, Option<String>>,
}

impl Offices {
    /// Learns which folders and office names carry which 事業所番号.
    pub fn learn(records: &[Vec<Record>], files: &[FileInfo]) -> Offices {
        let mut o = Offices::default();
        for r in records.iter().flatten() {
            o.learn_record(r, files);
        }
        o
    }

    pub fn learn_record(&mut self, r: &Record, files: &[FileInfo]) {
        let Some(code) = r.str(F::OfficeCode).filter(|c| !c.is_empty()) else { return };
        if let Some(f) = files.get(r.file_index as usize) {
            note(&mut self.by_folder, f.folder.clone(), code);
        }
        if let Some(name) = r.str(F::OfficeName) {
            note(&mut self.by_name, crate::text::norm_label(name), code);
        }
    }

    /// Adds what another part of the run learnt.
    pub fn merge(&mut self, other: Offices) {
        for (map, theirs) in [(&mut self.by_folder, other.by_folder), (&mut self.by_name, other.by_name)] {
            for (k, v) in theirs {
                match v {
                    Some(code) => note(map, k, &code),
                    // Several codes there: several here.
                    None => {
                        map.insert(k, None);
                    }
                }
            }
        }
    }

    /// The 事業所番号 of a record's office, when the run knows it.
    pub fn code(&self, r: &Record, files: &[FileInfo]) -> Option<String> {
        if let Some(c) = r.str(F::OfficeCode).filter(|c| !c.is_empty()) {
            return Some(c.to_string());
        }
        let by_folder = files.get(r.file_index as usize).and_then(|f| self.by_folder.get(&f.folder)).cloned().flatten();
        by_folder.or_else(|| {
            let name = crate::text::norm_label(r.str(F::OfficeName)?);
            self.by_name.get(&name).cloned().flatten()
        })
    }

    /// The office part of a person's key: its 事業所番号, else its name, else
    /// its folder.
    pub fn office_key(&self, r: &Record, files: &[FileInfo]) -> String {
        if let Some(code) = self.code(r, files) {
            return code;
        }
        if let Some(name) = r.str(F::OfficeName).map(crate::text::norm_label).filter(|n| !n.is_empty()) {
            return format!("name:{name}");
        }
        let folder = files.get(r.file_index as usize).map(|f| f.folder.as_str()).unwrap_or("");
        format!("folder:{folder}")
    }
}

fn note(map: &mut HashMap<String, Option<String>>, key: String, code: &str) {
    match map.get_mut(&key) {
        None => {
            map.insert(key, Some(code.to_string()));
        }
        Some(slot) => {
            if slot.as_deref() != Some(code) {
                *slot = None;
            }
        }
    }
}

/// The person a record without numbers names, if it names one.
pub fn person_key(r: &Record, offices: &Offices, files: &[FileInfo]) -> Option<PersonKey> {
    let name = normalise_name(r.str(F::PersonName)?);
    if name.is_empty() {
        return None;
    }
    Some(PersonKey { office: offices.office_key(r, files), name, birth_date: r.date(F::BirthDate) })
}

/// Attaches the roster's numbers to the records of each person who has
/// none, and checks the numbers records carry against the roster. One
/// problem per person, never per record; nothing is guessed: a person with
/// no roster row or two keeps a key by name.
pub fn apply_roster(
    records: &mut [Vec<Record>],
    roster: &Roster,
    offices: &Offices,
    files: &[FileInfo],
    problems: &mut Vec<Problem>,
) {
    // Decided once per person (office, name, birth date).
    let mut decided: HashMap<PersonKey, Option<(Value, Value, crate::diag::Source)>> = HashMap::default();
    let mut checked: std::collections::HashSet<(String, String, PersonKey)> = Default::default();
    for r in records.iter_mut().flatten() {
        let Some(person) = person_key(r, offices, files) else { continue };
        if let (Some(a), Some(b)) = (r.str(F::InsurerNo), r.str(F::InsuredNo)) {
            // Numbers from the input: the roster must not say otherwise.
            let key = (a.to_string(), b.to_string(), person.clone());
            if checked.insert(key) {
                if let Some(p) = roster.contradiction(&person, a, b, &r.source()) {
                    problems.push(p);
                }
            }
            continue;
        }
        let attach = decided.entry(person.clone()).or_insert_with(|| match roster.find(&person) {
            Ok(row) => {
                Some((Value::text(row.insurer_no.clone()), Value::text(row.insured_no.clone()), row.source.clone()))
            }
            Err(why) => {
                problems.push(why.problem(&person, r.source()));
                None
            }
        });
        if let Some((a, b, at)) = attach {
            r.push_copied(Key::Field(F::InsurerNo), a.clone(), at.clone());
            r.push_copied(Key::Field(F::InsuredNo), b.clone(), at.clone());
        }
    }
}

/// A record with one number but not the other: the number cannot key the
/// plan, so it is said (with its value) instead of dropped.
pub fn partial_numbers(r: &Record) -> Option<Problem> {
    let (a, b) = (r.str(F::InsurerNo), r.str(F::InsuredNo));
    let (what, value, missing) = match (a, b) {
        (Some(a), None) => ("保険者番号", a, "被保険者番号"),
        (None, Some(b)) => ("被保険者番号", b, "保険者番号"),
        _ => return None,
    };
    Some(Problem::new(
        ProblemKind::Warning,
        r.source(),
        format!(
            "{missing}がないため、{what}「{value}」は計画の識別に使っていません（利用者名と生年月日で識別しました）"
        ),
    ))
}
