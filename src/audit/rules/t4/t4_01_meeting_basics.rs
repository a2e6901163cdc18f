//! # 何を検査するか
//! 第4表の開催日・開催場所・開催時間・開催回数が書かれているか。開催日がない場合はエラー、ほかは警告です。
//!
//! # なぜ問題か
//! 担当者会議がいつ・どこで開かれたかは、計画作成の手順（会議→説明・同意→交付）を確かめる前提です。
//!
//! # 例
//! 開催日 空欄。
//!
//! # 直し方
//! 開催日・場所・時間・回数を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T4_01: Rule = Rule {
    info: RuleInfo {
        code: "T4-01",
        severity: Severity::Warning,
        title: "第4表の開催日・場所・時間・回数がない",
        check: Check::Exact,
        needs: &[Needs::Table4],
        source: include_str!("t4_01_meeting_basics.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for m in &cx.plan.table4 {
        if m.held_on.is_none() {
            out.with_severity(crate::audit::Severity::Error).push(
                m.source.clone(),
                "第4表の開催日が未記載です。".into(),
                None,
                None,
            );
        }
        let missing: Vec<&str> = [("開催場所", &m.place), ("開催時間", &m.time), ("開催回数", &m.count)]
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(l, _)| *l)
            .collect();
        if !missing.is_empty() {
            out.with_severity(crate::audit::Severity::Warning).push(
                m.source.clone(),
                format!("第4表の{}が未記載です。", missing.join("・")),
                None,
                None,
            );
        }
    }
}
