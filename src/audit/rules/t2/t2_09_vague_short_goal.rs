//! # 何を検査するか
//! 第2表の短期目標が、測れる要素（回数・頻度・距離・時間・場面）を持たず、抽象的な言葉（安全に・安心して・維持する など）だけでできていないか。
//!
//! # なぜ問題か
//! 短期目標はモニタリングで達成を確かめる単位です。誰が見ても同じに評価できない目標では、計画の見直しができません。
//!
//! # 例
//! 短期目標「安心して穏やかに過ごす」。
//!
//! # 直し方
//! 評価できる行動・回数・場面で書いてください（例：週2回、手すりを使って一人で浴槽をまたげる）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（抽象的な言葉ではなく誰にでも分かる具体的な内容）。判定は語による推定です。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_09: Rule = Rule {
    info: RuleInfo {
        code: "T2-09",
        severity: Severity::Warning,
        title: "短期目標が抽象的",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        source: include_str!("t2_09_vague_short_goal.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for (need, texts) in cx.plan.table2.needs.iter().zip(cx.goals()) {
        for (g, gt) in need.long_goals.iter().zip(&texts.long_goals) {
            for (s, normalised) in g.short_goals.iter().zip(&gt.short_goals) {
                let Some(text) = &s.text else { continue };
                let vague = cx.constants.words.vague.find(&normalised.text).is_some();
                let measurable = text.chars().any(|c| {
                    c.is_ascii_digit()
                        || ('０'..='９').contains(&c)
                        || matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
                }) || cx.constants.words.measures.find(&normalised.text).is_some();
                if vague && !measurable {
                    out.push(
                            crate::audit::rules::at(&s.sources, "text", &s.source),
                            format!("短期目標「{text}」が抽象的です。誰にでも分かる具体的な内容（評価できる行動・回数・場面など）で記載してください。"),
                            Some(text.clone()),
                            None,
                        );
                }
            }
        }
    }
}
