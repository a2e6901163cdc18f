//! # 何を検査するか
//! 第4表の開催日が書かれているか（開催場所・時間・回数は T4-10）。
//!
//! # なぜ問題か
//! 担当者会議がいつ開かれたかは、計画作成の手順（会議→説明・同意→交付）と、新規・更新・区分変更のたびに
//! 会議を開いたこと（運営基準減算の確認項目）を確かめる前提です。
//!
//! # 例
//! 開催日 空欄。
//!
//! # 直し方
//! 開催日を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T4_01: Rule = Rule {
    info: RuleInfo {
        code: "T4-01",
        severity: Severity::Error,
        title: "第4表の開催日がない",
        check: Check::Exact,
        needs: &[Needs::Table4],
        applies: Applies::Care,
        source: include_str!("t4_01_meeting_date.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for m in cx.plan.table4.iter().filter(|m| !crate::audit::records::blank_meeting(m)) {
        if m.held_on.is_none() {
            out.push(
                crate::audit::rules::at(&m.sources, "held_on", &m.source),
                "第4表の開催日が未記載です。".into(),
                None,
                Some("開催日を書いてください。"),
            );
        }
    }
}
