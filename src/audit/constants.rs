//! Law-revision constants with effective dates (`mappings/audit-constants.toml`).

use crate::text::Terms;
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
    pub words: Words,
    pub service_codes: ServiceCodes,
    pub small_multi: SmallMulti,
}

/// サービスコード prefixes the rules count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCodes {
    /// 生活援助中心型 訪問介護 (PR-16, T2-22).
    pub living_support: Vec<String>,
}

/// 小規模多機能型居宅介護 and what cannot be billed alongside it (K-01).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmallMulti {
    pub excluded_kinds: Vec<String>,
    pub excluded_names: Terms,
}

/// A table of values per 要介護度 in force from a date.
#[derive(Debug, Clone, Deserialize)]
pub struct Dated {
    pub from: NaiveDate,
    #[serde(flatten)]
    pub values: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    // Each list is matched as one automaton, on normalised text.
    pub vague: Terms,
    pub helper_actions: Terms,
    /// Compared whole (the 意向 is nothing but one of these).
    pub empty_intentions: Vec<String>,
    pub emergency: Terms,
    pub reasons: Terms,
    pub over_limit: Terms,
    /// Stock phrases of a 総合的な援助の方針 that say nothing on their own (T1-11).
    pub stock_phrases: Terms,
    /// Words a readable 頻度 contains (T2-19).
    pub frequency: Terms,
    /// Words that make a goal measurable (T2-09).
    pub measures: Terms,
    /// サービス種別 words of 介護保険 services, and of informal support (T2-16).
    pub insured_kinds: Terms,
    pub informal_kinds: Terms,
}

impl Constants {
    pub fn load(text: &str) -> Result<Constants, String> {
        toml::from_str(text).map_err(|e| format!("点検の定数ファイルを読めません: {e}"))
    }

    pub fn builtin() -> Constants {
        match Constants::load(BUILTIN) {
            Ok(c) => c,
            Err(e) => panic!("mappings/audit-constants.toml: {e}"),
        }
    }

    /// The value for `care_level` from the table in force on `on`.
    fn in_force(tables: &[Dated], care_level: &str, on: NaiveDate) -> Option<i64> {
        tables.iter().filter(|t| t.from <= on).max_by_key(|t| t.from).and_then(|t| t.values.get(care_level).copied())
    }

    /// 区分支給限度基準額 in force on a date.
    pub fn limit(&self, care_level: &str, on: NaiveDate) -> Option<i64> {
        Constants::in_force(&self.limits, care_level, on)
    }

    /// 生活援助中心型の基準回数 in force on a date.
    pub fn living_support_count(&self, care_level: &str, on: NaiveDate) -> Option<i64> {
        Constants::in_force(&self.living_support_counts, care_level, on)
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
}
