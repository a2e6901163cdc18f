//! # 何を検査するか
//! 第2表で、長期目標がニーズと同じ（またはほとんど同じ）文言でないか。
//!
//! # なぜ問題か
//! 長期目標は、ニーズを「いつまでに・どのレベルまで」解決するかを示すものです。同じ文言では到達点が分かりません。
//!
//! # 例
//! ニーズ「安全に入浴したい」、長期目標「安全に入浴したい」。
//!
//! # 直し方
//! 長期目標に到達する状態と時期が分かるように書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（長期目標と期間の定義）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_08: Rule = Rule {
    info: RuleInfo {
        code: "T2-08",
        severity: Severity::Warning,
        title: "ニーズと長期目標が同じ",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_08_need_equals_long_goal.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let threshold = cx.config.thresholds.goal_similarity;
    for (need, texts) in cx.plan.table2.needs.iter().zip(cx.goals()) {
        let Some(n) = &need.text else { continue };
        for (g, gt) in need.long_goals.iter().zip(&texts.long_goals) {
            let Some(long) = &g.text else { continue };
            if crate::audit::rules::similar_goals(&texts.text, &gt.text, threshold) {
                out.push(
                        crate::audit::rules::at(&g.sources, "text", &g.source),
                        format!("ニーズと長期目標が同じ文言です（「{long}」）。長期目標は「いつまでに・どのレベルまで」解決するかを示してください。"),
                        Some(format!("ニーズ「{n}」、長期目標「{long}」")),
                        None,
                    );
            }
        }
    }
}
