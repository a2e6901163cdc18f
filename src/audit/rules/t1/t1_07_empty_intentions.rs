//! # 何を検査するか
//! 第1表「利用者及び家族の生活に対する意向を踏まえた課題分析の結果」が空欄、または
//! 「特になし」「同上」だけでないか。
//!
//! # なぜ問題か
//! 計画は本人と家族がどう暮らしたいかから始まります。意向がないと、目標やサービスが
//! 誰の何のためのものか分かりません。
//!
//! # 例
//! 意向欄「特になし」。
//!
//! # 直し方
//! 本人・家族の言葉で、望む暮らしを具体的に書いてください。
//!
//! # 根拠
//! ケアプラン点検支援マニュアル 第1表「利用者の言葉で具体的に」。

use crate::audit::rules::t1_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::text::norm_label;

pub static T1_07: Rule = Rule {
    info: RuleInfo {
        code: "T1-07",
        severity: Severity::Warning,
        title: "意向が記載されていない",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("t1_07_empty_intentions.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let i = &cx.plan.table1.intentions;
    let text = [i.text.as_deref(), i.person.as_deref(), i.family.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("");
    // The words are a few characters; a longer 意向 (NFKC at most halves
    // the characters left once white space is gone) needs no normalising.
    if text.chars().filter(|c| !c.is_whitespace()).nth(16).is_some() {
        return;
    }
    let n = norm_label(&text);
    let empty =
        n.is_empty() || cx.constants.words.empty_intentions.iter().any(|w| crate::text::norm_cow(w) == n.as_str());
    if empty {
        out.push(
                t1_source(cx.plan, "intentions.text"),
                "利用者及び家族の生活に対する意向が記載されていません（「特になし」は避け、本人の言葉で記載してください）。".into(),
                (!text.is_empty()).then_some(text),
                Some("本人・家族それぞれの言葉で、望む暮らしを書いてください。"),
            );
    }
}
