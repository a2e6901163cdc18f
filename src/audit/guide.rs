//! 判定の目安: each heuristic rule's precision and recall on its labelled
//! corpus (`src/audit/guide.toml`, kept true by the corpus test), printed
//! by `lsw rule CODE` with the rule's manual.

use serde::Deserialize;
use std::sync::LazyLock;

pub const BUILTIN: &str = include_str!("guide.toml");

/// One rule on its corpus.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub code: String,
    /// The corpus file (under tests/corpora/).
    pub corpus: String,
    /// Whether the rule's words were chosen on this corpus (its numbers are
    /// then what the rule does on phrasings it was fitted to).
    pub fitted: bool,
    /// What a positive case is, when it is not a phrasing the rule should
    /// flag (PR-10: a 第5表 entry that is not a home visit).
    #[serde(default)]
    pub positive: Option<String>,
    pub positives: u32,
    pub negatives: u32,
    /// Positives the rule flags.
    pub flagged_right: u32,
    /// Negatives the rule flags.
    pub flagged_wrong: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    format_version: u32,
    #[serde(default)]
    rule: Vec<Guide>,
}

/// Every rule's 判定の目安 in the shipped file.
pub fn all() -> &'static [Guide] {
    static G: LazyLock<Vec<Guide>> = LazyLock::new(|| match toml::from_str::<File>(BUILTIN) {
        Ok(f) => f.rule,
        Err(e) => panic!("src/audit/guide.toml: {e}"),
    });
    &G
}

/// A rule's 判定の目安, one per corpus.
pub fn of(code: &str) -> impl Iterator<Item = &'static Guide> + '_ {
    all().iter().filter(move |g| g.code == code)
}

impl Guide {
    /// 適合率: of the cases flagged, how many should be (percent, rounded down).
    pub fn precision(&self) -> Option<u32> {
        let flagged = self.flagged_right + self.flagged_wrong;
        (flagged > 0).then(|| self.flagged_right * 100 / flagged)
    }

    /// 再現率: of the cases that should be flagged, how many are.
    pub fn recall(&self) -> Option<u32> {
        (self.positives > 0).then(|| self.flagged_right * 100 / self.positives)
    }

    /// The lines `lsw rule CODE` prints.
    pub fn text(&self) -> String {
        let pct = |v: Option<u32>| v.map(|v| format!("{v}%")).unwrap_or_else(|| "—".into());
        let flagged = self.flagged_right + self.flagged_wrong;
        let role = if self.fitted {
            "規則の語を選ぶのに使った文例"
        } else {
            "規則の調整に使っていない文例"
        };
        let what = self.positive.as_deref().unwrap_or("指摘すべき文例");
        format!(
            "{role} {}件（{what} {}件・それ以外 {}件、{}）で：\n適合率 {}（{what}と判定した {flagged}件のうち正しいもの {}件）、再現率 {}（{what} {}件のうち判定できたもの {}件）。\n",
            self.positives + self.negatives,
            self.positives,
            self.negatives,
            self.corpus,
            pct(self.precision()),
            self.flagged_right,
            pct(self.recall()),
            self.positives,
            self.flagged_right
        )
    }
}
