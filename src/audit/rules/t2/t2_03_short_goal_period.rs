//! # 何を検査するか
//! 第2表の各短期目標に期間（開始時期と終了時期）が書かれているか。終了時期だけがない場合は情報として知らせます。
//!
//! # なぜ問題か
//! 短期目標は評価の単位です。期間がないとモニタリングでいつ達成を確かめるのかが決まりません。
//!
//! # 例
//! 短期目標「杖を使って歩く」、（期間）空欄。
//!
//! # 直し方
//! 開始時期と終了時期を書いてください。終了時期が決められない場合はその理由を記録してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表「（期間）」（老企第29号）。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_03: Rule = Rule {
    info: RuleInfo {
        code: "T2-03",
        severity: Severity::Error,
        title: "短期目標の期間がない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        source: include_str!("t2_03_short_goal_period.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            for s in &g.short_goals {
                let Some(text) = &s.text else { continue };
                match &s.period {
                    Some(p)
                        if p.from.is_some()
                            && p.to.is_none()
                            && !p.raw.contains('～')
                            && !p.raw.contains('〜')
                            && !p.raw.contains('~') =>
                    {
                        out.with_severity(crate::audit::Severity::Info).push(
                            crate::audit::rules::at(&s.sources, "period", &s.source),
                            format!(
                                "短期目標「{text}」の期間に終了時期がありません（原則、開始時期と終了時期を記載）。"
                            ),
                            Some(p.raw.clone()),
                            None,
                        );
                    }
                    Some(p) if p.from.is_some() => {}
                    other => {
                        out.with_severity(crate::audit::Severity::Error).push(
                            crate::audit::rules::at(&s.sources, "period", &s.source),
                            format!("短期目標「{text}」の期間が記載されていません（原則、開始時期と終了時期を記載）。"),
                            other.as_ref().map(|p| p.raw.clone()).filter(|r| !r.is_empty()),
                            Some("開始時期と終了時期を書いてください。"),
                        );
                    }
                }
            }
        }
    }
}
