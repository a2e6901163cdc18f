//! # 何を検査するか
//! 第2表で、短期目標の期間が同じ長期目標の期間の中に収まっているか。
//!
//! # なぜ問題か
//! 短期目標は長期目標に至る段階です。長期目標より早く始まったり遅く終わったりする短期目標は、
//! 期間の設定か目標の対応づけが誤っています。
//!
//! # 例
//! 長期目標 令和7年4月1日〜令和8年3月31日、短期目標 令和7年4月1日〜令和8年9月30日。
//!
//! # 直し方
//! 短期目標の期間を長期目標の期間内に設定し直してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表「（期間）」の定義（老企第29号）。包含の判定は本ツールによる。

use crate::audit::rules::wareki;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_04: Rule = Rule {
    info: RuleInfo {
        code: "T2-04",
        severity: Severity::Error,
        title: "短期目標の期間が長期目標の期間を超えている",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_04_short_goal_outside_long.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        for long in &need.long_goals {
            let Some(lp) = &long.period else { continue };
            let (Some(lf), Some(lt)) = (lp.from, lp.to) else { continue };
            for short in &long.short_goals {
                let Some(sp) = &short.period else { continue };
                let (Some(sf), Some(st)) = (sp.from, sp.to) else { continue };
                if sf < lf || st > lt {
                    let src = crate::audit::rules::at(&short.sources, "period", &short.source);
                    out.push(
                            src,
                            format!(
                                "短期目標「{}」の期間（{}〜{}）が長期目標「{}」の期間（{}〜{}）を超えています（短期目標は長期目標達成のための段階です）。",
                                short.text.as_deref().unwrap_or(""),
                                wareki(sf),
                                wareki(st),
                                long.text.as_deref().unwrap_or(""),
                                wareki(lf),
                                wareki(lt)
                            ),
                            Some(format!("短期 {} / 長期 {}", sp.raw, lp.raw)),
                            Some("短期目標の期間を長期目標の期間内に設定し直してください。"),
                        );
                }
            }
        }
    }
}
