//! # 何を検査するか
//! 第2表のサービスに頻度が書かれ、週n回・月n回・毎日・随時（条件つき）などとして読めるか。
//!
//! # なぜ問題か
//! 頻度は第3表・第6表の予定と突き合わせる元です。空欄や曖昧な頻度では、予定が計画どおりか確かめられません。
//!
//! # 例
//! サービス「入浴介助」、頻度 空欄。
//!
//! # 直し方
//! 週2回（月・木）のように、回数と曜日・時期を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（頻度）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_19: Rule = Rule {
    info: RuleInfo {
        code: "T2-19",
        severity: Severity::Warning,
        title: "頻度がない・具体的でない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_19_frequency.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for sv in cx.services() {
        let v = sv.service;
        let f = v.frequency.as_deref().unwrap_or("").trim();
        if f.is_empty() || cx.constants.words.frequency.find(&sv.frequency).is_none() {
            out.push(
                crate::audit::rules::at(&v.sources, "frequency", &v.source),
                format!(
                    "頻度が{}：{}（例：週2回（月・木））。",
                    if f.is_empty() { "記載されていません" } else { "具体的でありません" },
                    v.content.as_deref().unwrap_or("")
                ),
                Some(f.to_string()).filter(|s| !s.is_empty()),
                None,
            );
        }
    }
}
