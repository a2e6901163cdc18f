//! Law-revision constants with effective dates and their 告示, and the word
//! lists and patterns of the rules (`mappings/audit-constants.toml`). The
//! services themselves are the catalogue ([`crate::model::services`]).

use super::words::{Endings, Patterns, Vocab, VocabSet};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const BUILTIN: &str = include_str!("../../mappings/audit-constants.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constants {
    pub format_version: u32,
    pub limits: Vec<Dated>,
    pub living_support_counts: Vec<Dated>,
    pub living_support_codes: LivingSupportCodes,
    pub selection: Selection,
    pub words: Words,
    pub activity_groups: BTreeMap<String, Vocab>,
    pub records: Records,
    pub patterns: PatternSet,
    /// Lists searched together, made from the ones above when loading.
    #[serde(skip)]
    pub sets: Sets,
    /// Which loading these constants come from: the rules' readings of a
    /// text are remembered per thread for it ([`crate::memo`]). Constants
    /// are not changed once loaded.
    #[serde(skip, default = "crate::memo::new_owner")]
    pub id: u64,
}

/// Word lists a rule asks one text about together ([`VocabSet`]).
#[derive(Debug, Clone, Default)]
pub struct Sets {
    /// T1-11: `policy_services`, `care_acts`, `policy_roles` (bits 0, 1, 2).
    pub policy: VocabSet,
    /// T1-12: `emergency_when`, `emergency_then` (bits 0, 1).
    pub emergency: VocabSet,
    /// T2-09: `vague_phrases`, `goal_acts` (bits 0, 1).
    pub goal: VocabSet,
    /// L4-01: the `activity_groups` 起床 and 就寝 (bits 0, 1), when both exist.
    pub day_ends: Option<VocabSet>,
    /// T3-02: the `activity_groups`, in their (name) order.
    pub activity_groups: VocabSet,
    /// T2-10: `user_goal_endings`.
    pub goal_endings: Endings,
    /// The lists the 福祉用具 rules (PR-19, PR-20, PR-25, T2-21) ask a
    /// row's サービス内容 about, searched once per row
    /// ([`crate::audit::ServiceView::equipment`]); bits [`EquipmentWords`].
    pub equipment_row: VocabSet,
}

/// The bits of [`Sets::equipment_row`].
#[derive(Debug, Clone, Copy)]
pub enum EquipmentWords {
    /// `records.several_reasons` (PR-20).
    SeveralReasons,
    /// `selection.explained` (PR-25).
    Explained,
    /// `selection.not_items` (PR-25).
    NotItems,
    /// `records.exception_grounds` (PR-19).
    ExceptionGrounds,
    /// `records.urine_only` (PR-19).
    UrineOnly,
    /// `words.equipment_needs` (T2-21).
    Needs,
}

impl EquipmentWords {
    pub fn bit(self) -> u64 {
        1 << (self as u32)
    }
}

/// A table of values per 要介護度 in force from a date, with its 告示.
#[derive(Debug, Clone, Deserialize)]
pub struct Dated {
    pub from: NaiveDate,
    pub source: String,
    #[serde(flatten)]
    pub values: BTreeMap<String, i64>,
}

/// サービスコード prefixes of 生活援助中心型 訪問介護 (PR-16, T2-22, T1-13).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LivingSupportCodes {
    pub from: NaiveDate,
    pub source: String,
    pub codes: Vec<String>,
}

/// 福祉用具貸与・特定福祉用具販売の選択制 (PR-25).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub from: NaiveDate,
    pub source: String,
    pub items: Vocab,
    pub not_items: Vocab,
    pub explained: Vocab,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Compared whole (the 意向 is nothing but one of these).
    pub empty_intentions: Vec<String>,
    pub person_speakers: Vocab,
    pub family_speakers: Vocab,
    pub speaker_suffixes: Vocab,
    pub speaker_joins: Vocab,
    pub speaker_marks: Vec<String>,
    pub speaker_openers: Vec<String>,
    pub policy_services: Vocab,
    pub care_acts: Vocab,
    pub policy_roles: Vocab,
    pub goal_acts: Vocab,
    pub vague_phrases: Vocab,
    pub user_goal_endings: Vec<String>,
    pub user_goal_subjects: Vocab,
    pub equipment_needs: Vocab,
    pub home_help_reasons: Vocab,
    pub emergency_when: Vocab,
    pub emergency_then: Vocab,
    pub contact_lists: Vocab,
    pub frequency: Vocab,
}

/// What 第5表 (and 第4表) entries record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    pub visit_items: Vocab,
    pub visit_phrases: Vocab,
    pub other_means: Vocab,
    pub visit_services: Vocab,
    pub monitoring: Vocab,
    pub user_circumstances: Vocab,
    pub cm_reasons: Vocab,
    pub meetings: Vocab,
    pub inquiries: Vocab,
    pub corporate_words: Vocab,
    pub preventive_offices: Vocab,
    pub preventive_titles: Vocab,
    pub doctors: Vocab,
    pub doctor_opinions: Vocab,
    /// `doctors` and `doctor_opinions` searched together (bits 0, 1), made
    /// when loading.
    #[serde(skip)]
    pub doctor_words: VocabSet,
    pub minor_change: Vocab,
    pub minor_grounds: Vocab,
    pub never_minor: Vocab,
    pub exception_grounds: Vocab,
    pub urine_only: Vocab,
    pub several: Vocab,
    pub several_reasons: Vocab,
    pub period_extended: Vocab,
    pub over_limit: Vocab,
    pub service_words: Vocab,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternSet {
    pub measures: Patterns,
    pub policy_frequencies: Patterns,
    pub helper_goal: Patterns,
    pub emergency_numbers: Patterns,
    pub not_yet: Patterns,
    pub non_weekly_frequency: Patterns,
}

impl Constants {
    pub fn load(text: &str) -> Result<Constants, String> {
        let mut c: Constants = toml::from_str(text).map_err(|e| format!("点検の定数ファイルを読めません: {e}"))?;
        if c.format_version != 2 {
            return Err(format!("点検の定数ファイルの format_version は 2 です（{}）", c.format_version));
        }
        for d in c.limits.iter().chain(&c.living_support_counts) {
            if d.source.trim().is_empty() {
                return Err(format!("点検の定数ファイル: {} から施行の値に source（告示）がありません", d.from));
            }
        }
        c.records.doctor_words = VocabSet::new(&[&c.records.doctors, &c.records.doctor_opinions]);
        let w = &c.words;
        c.sets = Sets {
            policy: VocabSet::new(&[&w.policy_services, &w.care_acts, &w.policy_roles]),
            emergency: VocabSet::new(&[&w.emergency_when, &w.emergency_then]),
            goal: VocabSet::new(&[&w.vague_phrases, &w.goal_acts]),
            day_ends: match (c.activity_groups.get("起床"), c.activity_groups.get("就寝")) {
                (Some(rise), Some(bed)) => Some(VocabSet::new(&[rise, bed])),
                _ => None,
            },
            activity_groups: VocabSet::new(&c.activity_groups.values().collect::<Vec<_>>()),
            goal_endings: Endings::new(&w.user_goal_endings),
            // In the order of `EquipmentWords`.
            equipment_row: VocabSet::new(&[
                &c.records.several_reasons,
                &c.selection.explained,
                &c.selection.not_items,
                &c.records.exception_grounds,
                &c.records.urine_only,
                &w.equipment_needs,
            ]),
        };
        Ok(c)
    }

    pub fn builtin() -> Constants {
        match Constants::load(BUILTIN) {
            Ok(c) => c,
            Err(e) => panic!("mappings/audit-constants.toml: {e}"),
        }
    }

    /// The table in force on `on`.
    fn table_on(tables: &[Dated], on: NaiveDate) -> Option<&Dated> {
        tables.iter().filter(|t| t.from <= on).max_by_key(|t| t.from)
    }

    /// 区分支給限度基準額 in force on a date.
    pub fn limit(&self, care_level: &str, on: NaiveDate) -> Option<i64> {
        Constants::table_on(&self.limits, on).and_then(|t| t.values.get(care_level).copied())
    }

    /// The 区分支給限度基準額 table in force on a date (for its 告示).
    pub fn limits_on(&self, on: NaiveDate) -> Option<&Dated> {
        Constants::table_on(&self.limits, on)
    }

    /// 生活援助中心型の基準回数 in force on a date.
    pub fn living_support_count(&self, care_level: &str, on: NaiveDate) -> Option<i64> {
        Constants::table_on(&self.living_support_counts, on).and_then(|t| t.values.get(care_level).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn the_values_in_force_on_the_date_apply() {
        let c = Constants::builtin();
        assert_eq!(c.limit("要介護2", d(2019, 9, 30)), Some(19616));
        assert_eq!(c.limit("要介護2", d(2019, 10, 1)), Some(19705));
        assert_eq!(c.limit("要支援1", d(2025, 4, 1)), Some(5032));
        assert_eq!(c.limit("事業対象者", d(2025, 4, 1)), None);
        assert_eq!(c.living_support_count("要介護3", d(2025, 4, 1)), Some(43));
        assert_eq!(c.living_support_count("要介護3", d(2018, 9, 30)), None);
    }

    /// The amounts before 2014-04 are those of 2006 and 2000, not the 2014
    /// amounts dated back (issue 21).
    #[test]
    fn limits_before_2014_are_their_own() {
        let c = Constants::builtin();
        assert_eq!(c.limit("要介護1", d(2014, 3, 31)), Some(16580));
        assert_eq!(c.limit("要支援1", d(2010, 4, 1)), Some(4970));
        assert_eq!(c.limit("要支援2", d(2006, 4, 1)), Some(10400));
        assert_eq!(c.limit("要支援1", d(2005, 4, 1)), None, "要支援1 did not exist before 2006-04");
        assert_eq!(c.limit("要支援", d(2005, 4, 1)), Some(6150));
        assert_eq!(c.limit("要介護5", d(2014, 4, 1)), Some(36065));
        assert_eq!(c.limit("要介護1", d(2000, 3, 31)), None);
    }

    /// Every dated constant names its 告示; a table without one is refused.
    #[test]
    fn every_constant_cites_its_source() {
        let c = Constants::builtin();
        for t in c.limits.iter().chain(&c.living_support_counts) {
            assert!(t.source.contains("告示"), "{}: {}", t.from, t.source);
        }
        assert!(c.living_support_codes.source.contains("告示"));
        assert!(c.selection.source.contains("告示"));
        let bad = BUILTIN.replacen("source = \"平成12年厚生省告示第33号。", "source = \" \"\n#", 1);
        assert!(Constants::load(&bad).expect_err("no source").contains("source"));
    }
}
