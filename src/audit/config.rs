//! `--config FILE`: a municipality's or office's audit settings.
//!
//! ```toml
//! disable = ["T2-19"]
//! small_multi = false           # no plan of the run is 小規模多機能 (K- rules off)
//! [severity]
//! "T2-05" = "error"
//! [thresholds]
//! goal_similarity = 0.9
//! expiry_notice_days = 60
//! ```
//!
//! Whether a plan is a 小規模多機能型居宅介護 plan is decided per plan, from
//! its services (サービス種類 73/75/68/69 in 第2表 or 第6/7表): `small_multi = true`
//! is accepted and means the same; only `false` changes anything.

use super::Severity;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `false`: no plan is treated as 小規模多機能 (the K- rules are off).
    #[serde(default)]
    pub small_multi: Option<bool>,
    /// Rule codes not to run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity per rule code.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub thresholds: Thresholds,
    /// The day the plans are audited against (`--audit-date`, by default the
    /// run's day in Japan): rules about expiry (T1-05, T2-06) and the months
    /// of monitoring (PR-10/11/13) need it and are not checked without it.
    #[serde(skip)]
    pub audit_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// T2-07/T2-08: texts at least this similar count as the same (0–1).
    #[serde(default = "default_similarity")]
    pub goal_similarity: f64,
    /// L3-03: a 当面の目標 longer than this many months is shown (info).
    #[serde(default = "default_short_months")]
    pub short_goal_months: u32,
    /// T1-05: a 認定の有効期間 ending within this many days of the audit date is shown.
    #[serde(default = "default_expiry_days")]
    pub expiry_notice_days: u32,
}

fn default_similarity() -> f64 {
    0.9
}
fn default_short_months() -> u32 {
    6
}
fn default_expiry_days() -> u32 {
    60
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            goal_similarity: default_similarity(),
            short_goal_months: default_short_months(),
            expiry_notice_days: default_expiry_days(),
        }
    }
}

impl Config {
    pub fn load(text: &str) -> Result<Config, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e: toml::de::Error| {
            format!("点検の設定ファイルを読めません: {}", crate::diag::toml_ja(e.message()))
        })?;
        Config::from_table(table)
    }

    /// The audit settings of a config file's table (the run's own keys, such
    /// as `roster`, already taken out by the caller).
    pub fn from_table(table: toml::Table) -> Result<Config, String> {
        let c: Config = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            format!("点検の設定ファイルを読めません: {}", crate::diag::toml_ja(e.message()))
        })?;
        let known: Vec<&str> = super::rules::all().iter().map(|r| r.info().code).collect();
        for code in c.disable.iter().chain(c.severity.keys()) {
            if !known.contains(&code.as_str()) {
                return Err(format!(
                    "点検の設定ファイル: ルール「{code}」はありません（lsw rules で一覧を確認できます）"
                ));
            }
        }
        Ok(c)
    }

    /// The same settings audited against another day.
    pub fn on(mut self, date: Option<NaiveDate>) -> Config {
        self.audit_date = date;
        self
    }

    pub fn enabled(&self, code: &str) -> bool {
        if self.small_multi == Some(false) && code.starts_with("K-") {
            return false;
        }
        !self.disable.iter().any(|d| d == code)
    }

    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.severity.get(code).copied()
    }
}
