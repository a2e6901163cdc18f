//! # 何を検査するか
//! ライフサポートワーク様式3の当面の目標・ニーズごとの期間が、設定の月数（既定 6か月、`--config` の
//! thresholds.short_goal_months）より長くないか。情報として知らせます。期間がない場合は T2-03 が、認定の有効期間を
//! 超える場合は T2-05 が同じ期間について知らせるので、この規則は知らせません（一つの事実に一つの指摘）。
//!
//! # なぜ問題か
//! 当面の目標は、本人の変化に合わせて見直せるよう、できるだけ短い期間で設定します。
//!
//! # 例
//! 当面の目標の期間が令和7年7月1日〜令和8年3月31日（9か月）。
//!
//! # 直し方
//! 本人の変化に合わせて見直せるよう、できるだけ短い期間を様式3に設定してください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式3（可能な限り短い期間）。

use crate::audit::rules::{plan_source, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L3_03: Rule = Rule {
    info: RuleInfo {
        code: "L3-03",
        severity: Severity::Info,
        title: "様式3 当面の目標の期間が長い",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("l3_03_goal_period.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let limit = cx.config.thresholds.short_goal_months;
    let valid_to = cx.plan.table1.certification.valid_to;
    for n in &cx.forms.form3.needs {
        let Some(p) = n.period.as_ref() else { continue };
        let (Some(from), Some(to)) = (p.from, p.to) else { continue };
        // Past the certification: T2-05's finding.
        if valid_to.is_some_and(|v| to > v) {
            continue;
        }
        // The row's 当面の目標 (the 第2表 短期目標), else its ニーズ.
        let (goal, at) = match &n.short_goal {
            Some(g) => (&g.text, g.source.clone().or_else(|| n.need.source.clone())),
            None => (&n.need.text, n.need.source.clone()),
        };
        let months = crate::audit::rules::months_between(from, to);
        if months > limit {
            out.push(
                at.unwrap_or_else(|| plan_source(cx.plan)),
                format!(
                    "当面の目標「{goal}」の期間が長めです（{}〜{}、{months}か月、目安 {limit}か月以内）。可能な限り短い期間で設定してください。",
                    wareki(from),
                    wareki(to)
                ),
                Some(p.raw.clone()),
                None,
            );
        }
    }
}
