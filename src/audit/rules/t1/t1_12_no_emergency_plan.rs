//! # 何を検査するか
//! 第1表「総合的な援助の方針」に緊急時の対応（想定される緊急事態、連絡先・対応機関）が書かれているか。
//!
//! # なぜ問題か
//! 急変や転倒のときに誰がどこへ連絡するかが計画にないと、チームが同じ動きを取れません。
//!
//! # 例
//! 方針に「緊急」「急変」「連絡先」「主治医」のどれも、電話番号もない。
//!
//! # 直し方
//! 想定される緊急事態と、連絡先（家族・主治医・事業所）を方針に書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（緊急時の対応を記載）。判定は語と電話番号の形による推定です。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_12: Rule = Rule {
    info: RuleInfo {
        code: "T1-12",
        severity: Severity::Warning,
        title: "緊急時の対応が書かれていない",
        check: Check::Heuristic,
        needs: &[Needs::Table1],
        source: include_str!("t1_12_no_emergency_plan.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.declared("policy") {
        return;
    }
    let policy = cx.plan.table1.policy.as_deref().unwrap_or("");
    let has_word = cx.constants.words.emergency.any(policy);
    let has_phone = policy.chars().filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).count() >= 8;
    if !has_word && !has_phone {
        out.push(
            crate::audit::rules::t1_source(cx.plan, "policy"),
            "緊急時の対応（想定される緊急事態、対応機関・連絡先）が総合的な援助の方針に記載されていません。".into(),
            Some(policy.to_string()).filter(|s| !s.is_empty()),
            Some("想定される緊急事態と連絡先（家族・主治医・事業所）を書いてください。"),
        );
    }
}
