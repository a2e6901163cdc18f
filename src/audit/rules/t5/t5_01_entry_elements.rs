//! # 何を検査するか
//! 第5表の各記録に、年月日・項目（手段）・内容、入力の形式にあれば記入者が書かれているか。
//!
//! # なぜ問題か
//! 支援経過は、いつ誰がどのような手段で何をしたかを第三者が追えるように残す記録です。
//!
//! # 例
//! 年月日のない記録。
//!
//! # 直し方
//! 年月日・手段・内容・記入者をそろえてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第5表。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T5_01: Rule = Rule {
    info: RuleInfo {
        code: "T5-01",
        severity: Severity::Warning,
        title: "支援経過の記録に日付・項目などが不足",
        check: Check::Exact,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("t5_01_entry_elements.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    // 記入者 only where the source has the column at all (one entry names one).
    let want_recorder = cx.plan.table5.iter().any(|e| e.recorder.is_some());
    for e in &cx.plan.table5 {
        let mut missing = Vec::new();
        if e.date.is_none() {
            missing.push("年月日");
        }
        if e.item.is_none() {
            missing.push("項目（手段）");
        }
        if e.content.is_none() {
            missing.push("内容");
        }
        if want_recorder && e.recorder.is_none() {
            missing.push("記入者");
        }
        if !missing.is_empty() {
            out.push(
                e.source.clone(),
                format!("支援経過の記録に{}が不足しています。", missing.join("・")),
                e.content.clone(),
                None,
            );
        }
    }
}
