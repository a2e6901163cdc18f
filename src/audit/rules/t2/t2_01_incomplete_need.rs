//! # 何を検査するか
//! 第2表の各ニーズに、長期目標・短期目標・サービス内容がそろっているか。ニーズ欄が空でないか。
//!
//! # なぜ問題か
//! 第2表は「ニーズ → 長期目標 → 短期目標 → サービス」の流れで読みます。どこかが欠けると、
//! サービスが何のためのものか、目標に向けて何をするのかが分かりません。
//!
//! # 例
//! ニーズ「自宅で入浴したい」に長期目標はあるが短期目標とサービスがない。
//!
//! # 直し方
//! 欠けている目標・サービス内容を記載するか、不要なニーズを整理してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（老企第29号）の構成。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_01: Rule = Rule {
    info: RuleInfo {
        code: "T2-01",
        severity: Severity::Error,
        title: "ニーズに目標・サービスがそろっていない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_01_incomplete_need.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        let text = need.text.as_deref().unwrap_or("");
        let mut missing = Vec::new();
        if text.trim().is_empty() {
            missing.push("ニーズ");
        }
        if !need.long_goals.iter().any(|g| g.text.is_some()) {
            missing.push("長期目標");
        }
        if !need.long_goals.iter().flat_map(|g| &g.short_goals).any(|s| s.text.is_some()) {
            missing.push("短期目標");
        }
        if !need.long_goals.iter().flat_map(|g| &g.short_goals).any(|s| !s.services.is_empty()) {
            missing.push("サービス内容");
        }
        if !missing.is_empty() {
            let label = if text.is_empty() { "（空欄）".to_string() } else { format!("「{text}」") };
            out.push(
                need.source.clone(),
                format!("ニーズ{label}に対応する{}が未記載です。", missing.join("・")),
                Some(text.to_string()).filter(|t| !t.is_empty()),
                Some("ニーズごとに長期目標・短期目標・サービス内容をそろえてください。"),
            );
        }
    }
}
