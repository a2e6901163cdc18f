//! # 何を検査するか
//! 第3表「主な日常生活上の活動」に、起床・食事・就寝など平均的な一日の過ごし方が書かれているか（3つ未満なら知らせます）。
//!
//! # なぜ問題か
//! 日常生活上の活動は、サービスがその人の一日のどこに入るかを見る基準です。空欄では生活全体の流れが見えません。
//!
//! # 例
//! 主な日常生活上の活動が「起床」だけ。
//!
//! # 直し方
//! 起床・食事・排泄・就寝などの平均的な一日の過ごし方を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第3表（主な日常生活上の活動）。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T3_02: Rule = Rule {
    info: RuleInfo {
        code: "T3-02",
        severity: Severity::Warning,
        title: "主な日常生活上の活動が少ない",
        check: Check::Heuristic,
        needs: &[Needs::Table3],
        source: include_str!("t3_02_daily_activities.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let acts = &cx.plan.table3.daily_activities;
    let anchors = ["起床", "食", "就寝", "排泄", "トイレ", "入浴", "服薬"];
    // Three are enough: stop there.
    let found = anchors.iter().filter(|a| acts.iter().any(|x| x.text.contains(*a))).take(3).count();
    if found < 3 {
        let src = acts
            .first()
            .map(|a| a.source.clone())
            .or_else(|| cx.plan.table3.weekly.first().map(|w| w.source.clone()))
            .unwrap_or_else(|| crate::audit::rules::plan_source(cx.plan));
        out.push(
                src,
                format!("主な日常生活上の活動（起床・食事・排泄・就寝などの平均的な一日の過ごし方）を記載してください（記載 {}件）。", acts.len()),
                Some(acts.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join("・")).filter(|s| !s.is_empty()),
                None,
            );
    }
}
