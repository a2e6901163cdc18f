//! # 何を検査するか
//! 第2表の各長期目標に期間（少なくとも開始時期）が書かれているか。
//!
//! # なぜ問題か
//! 期間は「いつまでに、どのレベルまで」解決するかを示します。期間がないと、いつ評価し見直すのかが決まりません。
//!
//! # 例
//! 長期目標「安全に入浴できる」、（期間）空欄。
//!
//! # 直し方
//! 開始時期と終了時期を書いてください（例：R7.4.1～R8.3.31）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表「（期間）」（老企第29号）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_02: Rule = Rule {
    info: RuleInfo {
        code: "T2-02",
        severity: Severity::Error,
        title: "長期目標の期間がない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_02_long_goal_period.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            let Some(text) = &g.text else { continue };
            if g.period.as_ref().and_then(|p| p.from).is_none() {
                let written = g.period.as_ref().map(|p| p.raw.clone()).filter(|r| !r.is_empty());
                out.push(
                    crate::audit::rules::at(&g.sources, "period", &g.source),
                    match &written {
                        Some(w) => format!("長期目標「{text}」の期間（{w}）から開始時期が読み取れません。"),
                        None => format!("長期目標「{text}」の期間（開始時期・終了時期）が記載されていません。"),
                    },
                    written,
                    Some("開始時期と終了時期を書いてください（例：R7.4.1～R8.3.31）。"),
                );
            }
        }
    }
}
