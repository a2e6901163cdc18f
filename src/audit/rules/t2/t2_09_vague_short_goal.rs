//! # 何を検査するか
//! 第2表の短期目標に、測れる要素がないか。見て確かめられる行為（歩ける・浴槽をまたげる・自分で塗れる・
//! 参加する など）、数・頻度・量（週2回・50m・8割・1日1杯 など）のどちらも書かれていなければ抽象的とみなします。
//! 「できる」「毎日を」「自分らしく」は測れる要素に数えません。
//!
//! # なぜ問題か
//! 短期目標はモニタリングで達成を確かめる単位です。誰が見ても同じに評価できない目標では、計画の見直しができません。
//!
//! # 例
//! 短期目標「安心して在宅生活を継続できる」「現状維持」「清潔を保つ」。
//!
//! # 直し方
//! 評価できる行動・回数・場面で書いてください（例：週2回、手すりを使って一人で浴槽をまたげる）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（抽象的な言葉ではなく誰にでも分かる具体的な内容）。判定は語による推定です。

use crate::audit::{Applies, Check, Constants, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_09: Rule = Rule {
    info: RuleInfo {
        code: "T2-09",
        severity: Severity::Warning,
        title: "短期目標が抽象的",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_09_vague_short_goal.rs"),
    },
    run,
};

thread_local! {
    /// [`measurable`] per goal text.
    static MEASURABLE: std::cell::RefCell<crate::memo::Memo<bool>> = Default::default();
}

fn run(cx: &Cx, out: &mut Out) {
    for (need, texts) in cx.plan.table2.needs.iter().zip(cx.goals()) {
        for (g, gt) in need.long_goals.iter().zip(&texts.long_goals) {
            for (s, normalised) in g.short_goals.iter().zip(&gt.short_goals) {
                let Some(text) = &s.text else { continue };
                if crate::memo::remembered(&MEASURABLE, cx.constants.id, &normalised.text, |t| {
                    measurable(cx.constants, t)
                }) {
                    continue;
                }
                out.push(
                    crate::audit::rules::at(&s.sources, "text", &s.source),
                    format!("短期目標「{text}」が抽象的です（評価できる行為・回数・量が書かれていません）。誰にでも分かる具体的な内容で記載してください。"),
                    Some(text.clone()),
                    None,
                );
            }
        }
    }
}

/// Whether a normalised goal names an observable act or a quantity.
pub fn measurable(c: &Constants, normalised: &str) -> bool {
    // Both lists in one pass: a goal without a vague phrase is searched as
    // it is, only one with them is searched again once they are taken out.
    let lists = c.sets.goal.present(normalised);
    if lists & 1 == 0 {
        return lists & 2 != 0 || c.patterns.measures.is_match(normalised);
    }
    let t = c.words.vague_phrases.replace(normalised, "□");
    c.words.goal_acts.any(&t) || c.patterns.measures.is_match(&t)
}
