//! # 何を検査するか
//! 居宅訪問の記録がある月（計画の始まった月を除く）に、モニタリングの結果の記録があるか。居宅訪問の記録の項目・内容に
//! 「モニタリング」「実施状況」「目標の達成」「満足度」などがあればモニタリングの記録とみなします。
//! 居宅訪問そのものがない月は PR-10 が知らせます（一つの事実に一つの指摘）。
//!
//! # なぜ問題か
//! 少なくとも1月に1回、モニタリングの結果を記録しなければなりません。記録がないと、計画の実施状況と目標の達成度を
//! 確かめたことを示せず、運営基準減算の対象になり得ます。
//!
//! # 例
//! 令和7年9月の居宅訪問の記録が「担当者会議」だけで、実施状況・達成度の記載がない。
//!
//! # 直し方
//! 訪問時に、サービスの実施状況、目標の達成度、本人・家族の意向・満足度、計画変更の要否を記録してください。
//!
//! # 根拠
//! 運営基準 第13条第14号ロ。判定は記録の語による推定です。

use super::visits::months_of;
use crate::audit::records::month_ja;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_11: Rule = Rule {
    info: RuleInfo {
        code: "PR-11",
        severity: Severity::Error,
        title: "モニタリングの記録がない月がある",
        check: Check::Heuristic,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("pr_11_no_monitoring.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let missing: Vec<_> = months_of(cx).into_iter().filter(|m| !m.first && m.home_visit && !m.monitoring).collect();
    let Some(first) = missing.first() else { return };
    let names: Vec<String> = missing.iter().map(|m| month_ja(m.month)).collect();
    out.push(
        first.at.clone(),
        format!("{}のモニタリング結果の記録がありません（居宅訪問の記録はあります）。", names.join("・")),
        Some(names.join("・")),
        None,
    );
}
