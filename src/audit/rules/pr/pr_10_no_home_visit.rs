//! # 何を検査するか
//! 計画の始まった月（説明・同意日の月）から、第5表の最後の記録の月まで（点検日の月と、同じ利用者の新しい計画の月からは除く）の
//! 暦月ごとに、利用者の居宅を訪問した記録が第5表にあるか。項目に「訪問」「モニタリング」（電話・FAX・来所・同行を除く）、
//! または内容に「自宅を訪問」「自宅にて」などがあれば居宅訪問とみなします。入院などの特段の事情が記録された月は PR-13 が扱います。
//!
//! # なぜ問題か
//! 介護支援専門員は少なくとも1月に1回、利用者の居宅を訪問し面接しなければなりません。記録のない月は運営基準減算の対象です。
//!
//! # 例
//! 令和7年6月の第5表の記録が電話だけ（モニタリング訪問を研修のため翌月に延期）。
//!
//! # 直し方
//! 毎月の居宅訪問を記録してください。訪問できなかった月は、利用者側の特段の事情（入院など）を記録してください。
//!
//! # 根拠
//! 運営基準 第13条第14号イ；居宅介護支援費の運営基準減算（1月に1回の居宅訪問・面接がない場合）。判定は記録の語による推定です。

use super::visits::months_of;
use crate::audit::records::month_ja;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_10: Rule = Rule {
    info: RuleInfo {
        code: "PR-10",
        severity: Severity::Error,
        title: "居宅訪問の記録がない月がある",
        check: Check::Heuristic,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("pr_10_no_home_visit.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let missing: Vec<_> = months_of(cx).into_iter().filter(|m| !m.home_visit && m.circumstance.is_none()).collect();
    let Some(first) = missing.first() else { return };
    let names: Vec<String> = missing.iter().map(|m| month_ja(m.month)).collect();
    out.push(
        first.at.clone(),
        format!("{}に利用者の居宅を訪問し面接した記録がありません（少なくとも1月に1回必要です）。", names.join("・")),
        Some(names.join("・")),
        None,
    );
}
