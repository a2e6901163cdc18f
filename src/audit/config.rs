//! `--config FILE`: a municipality's or office's audit settings.
//!
//! ```toml
//! small_multi = true            # 小規模多機能 mode: K-03 (no 生活援助 reason needed), K-01 on
//! disable = ["T2-19"]
//! [severity]
//! "T2-05" = "error"
//! [thresholds]
//! goal_similarity = 0.9
//! ```

use super::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// 小規模多機能型居宅介護 mode.
    #[serde(default)]
    pub small_multi: bool,
    /// Rule codes not to run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity per rule code.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub thresholds: Thresholds,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// T2-07/T2-08: texts at least this similar count as the same (0–1).
    #[serde(default = "default_similarity")]
    pub goal_similarity: f64,
    /// L3-03: a 当面の目標 longer than this many months is flagged (info).
    #[serde(default = "default_short_months")]
    pub short_goal_months: u32,
}

fn default_similarity() -> f64 {
    0.9
}
fn default_short_months() -> u32 {
    6
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { goal_similarity: default_similarity(), short_goal_months: default_short_months() }
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

    pub fn enabled(&self, code: &str) -> bool {
        if self.disable.iter().any(|d| d == code) {
            return false;
        }
        // K- rules run only for 小規模多機能 plans.
        !code.starts_with("K-") || self.small_multi
    }

    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.severity.get(code).copied()
    }
}
