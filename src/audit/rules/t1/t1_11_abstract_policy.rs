//! # 何を検査するか
//! 第1表「総合的な援助の方針」が空欄、またはごく短く抽象的な言葉（安心して・安全に・在宅生活を継続 など）だけでないか。
//!
//! # なぜ問題か
//! 方針はケアチーム全体が何をどう支えるかを共有するためのものです。抽象的な標語では、誰が何をするのか分かりません。
//!
//! # 例
//! 総合的な援助の方針「安心して在宅生活を継続できるよう支援します。」
//!
//! # 直し方
//! ケアチームの支援内容と本人・家族の役割を具体的に書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（総合的な援助の方針）。判定は文の長さと語による推定です。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_11: Rule = Rule {
    info: RuleInfo {
        code: "T1-11",
        severity: Severity::Warning,
        title: "総合的な援助の方針が抽象的",
        check: Check::Heuristic,
        needs: &[Needs::Table1],
        source: include_str!("t1_11_abstract_policy.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.declared("policy") {
        return;
    }
    let policy = cx.plan.table1.policy.as_deref().unwrap_or("").trim();
    let plain: String =
        policy.chars().filter(|c| !c.is_whitespace() && !matches!(c, '。' | '、' | '．' | '，' | '・')).collect();
    // What is left once the vague words and stock phrases are taken out.
    let rest = || cx.constants.words.stock_phrases.chars_left(&cx.constants.words.vague.remove_all(&plain));
    if plain.chars().count() < 20 || rest() < 8 {
        out.push(
                crate::audit::rules::t1_source(cx.plan, "policy"),
                "総合的な援助の方針が抽象的です。ケアチームがどのような支援を行うのか、本人・家族の役割を含めて具体的に記載してください。".into(),
                Some(policy.to_string()).filter(|s| !s.is_empty()),
                None,
            );
    }
}
