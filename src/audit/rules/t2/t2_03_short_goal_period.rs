//! # 何を検査するか
//! 第2表の各短期目標に期間が書かれ、少なくとも開始時期が読み取れるか。終了時期が決められない場合は
//! 開始時期だけでもよい（記載要領）ので、終了時期だけがないことは指摘しません。
//!
//! # なぜ問題か
//! 短期目標は評価の単位です。期間がないとモニタリングでいつ達成を確かめるのかが決まりません。
//!
//! # 例
//! 短期目標「杖を使って歩く」、（期間）空欄。
//!
//! # 直し方
//! 開始時期と終了時期を書いてください（例：R7.4.1～R7.9.30）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表「（期間）」（老企第29号）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_03: Rule = Rule {
    info: RuleInfo {
        code: "T2-03",
        severity: Severity::Error,
        title: "短期目標の期間がない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_03_short_goal_period.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            for s in &g.short_goals {
                let Some(text) = &s.text else { continue };
                if s.period.as_ref().is_some_and(|p| p.from.is_some()) {
                    continue;
                }
                let written = s.period.as_ref().map(|p| p.raw.clone()).filter(|r| !r.is_empty());
                out.push(
                    crate::audit::rules::at(&s.sources, "period", &s.source),
                    match &written {
                        Some(w) => format!("短期目標「{text}」の期間（{w}）から開始時期が読み取れません。"),
                        None => {
                            format!("短期目標「{text}」の期間が記載されていません（原則、開始時期と終了時期を記載）。")
                        }
                    },
                    written,
                    Some("開始時期と終了時期を書いてください（例：R7.4.1～R7.9.30）。"),
                );
            }
        }
    }
}
