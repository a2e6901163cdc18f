//! # 何を検査するか
//! 第2表で、短期目標が長期目標と同じ（またはほとんど同じ）文言でないか。
//!
//! # なぜ問題か
//! 短期目標は長期目標に至る具体的な段階です。同じ文言では段階が示されず、評価もできません。
//!
//! # 例
//! 長期目標「自宅で入浴できる」、短期目標「自宅で入浴できる」。
//!
//! # 直し方
//! 短期目標を、長期目標に向けた具体的な段階として書き分けてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（短期目標は長期目標の達成のための段階）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_07: Rule = Rule {
    info: RuleInfo {
        code: "T2-07",
        severity: Severity::Warning,
        title: "長期目標と短期目標が同じ",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_07_long_equals_short.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let threshold = cx.config.thresholds.goal_similarity;
    for (need, texts) in cx.plan.table2.needs.iter().zip(cx.goals()) {
        for (g, gt) in need.long_goals.iter().zip(&texts.long_goals) {
            let Some(long) = &g.text else { continue };
            for (s, st) in g.short_goals.iter().zip(&gt.short_goals) {
                let Some(short) = &s.text else { continue };
                if crate::audit::rules::similar_goals(&gt.text, st, threshold) {
                    out.push(
                            crate::audit::rules::at(&s.sources, "text", &s.source),
                            format!("長期目標と短期目標が同じ内容です（「{short}」）。短期目標は長期目標に至る具体的な段階として書き分けてください。"),
                            Some(format!("長期目標「{long}」、短期目標「{short}」")),
                            None,
                        );
                }
            }
        }
    }
}
