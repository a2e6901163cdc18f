//! # 何を検査するか
//! 第4表の開催場所・開催時間・開催回数が書かれているか（開催日は T4-01）。
//!
//! # なぜ問題か
//! 会議がどこで・どのくらいの時間・何回目として開かれたかは、会議の記録として残すことが求められています。
//!
//! # 例
//! 開催場所 空欄。
//!
//! # 直し方
//! 開催場所・時間・回数を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T4_10: Rule = Rule {
    info: RuleInfo {
        code: "T4-10",
        severity: Severity::Warning,
        title: "第4表の開催場所・時間・回数がない",
        check: Check::Exact,
        needs: &[Needs::Table4],
        applies: Applies::Care,
        source: include_str!("t4_10_meeting_details.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for m in cx.plan.table4.iter().filter(|m| !crate::audit::records::blank_meeting(m)) {
        let missing: Vec<&str> = [("開催場所", &m.place), ("開催時間", &m.time), ("開催回数", &m.count)]
            .iter()
            .filter(|(_, v)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
            .map(|(l, _)| *l)
            .collect();
        if !missing.is_empty() {
            let date = m.held_on.map(crate::audit::rules::wareki).unwrap_or_else(|| "開催日の記載なし".into());
            out.push(m.source.clone(), format!("第4表（{date}）の{}が未記載です。", missing.join("・")), None, None);
        }
    }
}
