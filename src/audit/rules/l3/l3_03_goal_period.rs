//! # 何を検査するか
//! 様式3の当面の目標・ニーズごとの期間について、
//! 期間がない（エラー）、認定の有効期間を超えている（警告）、設定の月数（既定 6か月、`--config` の
//! thresholds.short_goal_months）より長い（情報）かを見ます。
//!
//! # なぜ問題か
//! 当面の目標は、本人の変化に合わせて見直せるよう、できるだけ短い期間で設定します。認定の有効期間を
//! 超える期間は設定できません。
//!
//! # 例
//! 認定の有効期間が令和8年3月31日まで、当面の目標の期間が令和8年9月30日まで。
//!
//! # 直し方
//! 認定の有効期間内で、できるだけ短い期間を設定してください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式3（可能な限り短い期間）。

use crate::audit::rules::{plan_source, wareki};
use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L3_03: Rule = Rule {
    info: RuleInfo {
        code: "L3-03",
        severity: Severity::Error,
        title: "当面の目標の期間がない・長すぎる",
        check: Check::Exact,
        needs: &[Needs::Table2],
        source: include_str!("l3_03_goal_period.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let valid_to = cx.plan.table1.certification.valid_to;
    let limit = cx.config.thresholds.short_goal_months;
    for n in &cx.forms.form3.needs {
        let at = || {
            n.short_goal
                .as_ref()
                .and_then(|g| g.source.clone())
                .or_else(|| n.need.source.clone())
                .unwrap_or_else(|| plan_source(cx.plan))
        };
        // The row's 当面の目標 (the 第2表 短期目標), else its ニーズ.
        let need = n.short_goal.as_ref().map_or(&n.need.text, |g| &g.text);
        let period = n.period.as_ref();
        let (from, to) = (period.and_then(|p| p.from), period.and_then(|p| p.to));
        let raw = period.map(|p| p.raw.clone());
        let Some(to) = to else {
            out.with_severity(Severity::Error).push(
                at(),
                format!("当面の目標「{need}」の期間が未記載です（可能な限り短い期間で設定してください）。"),
                raw,
                Some("当面の目標ごとに期間（開始〜終了）を書いてください。"),
            );
            continue;
        };
        if let Some(v) = valid_to.filter(|v| to > *v) {
            out.with_severity(Severity::Warning).push(
                at(),
                format!(
                    "当面の目標「{need}」の期間（{}まで）が認定有効期間（{}まで）を超過しています。",
                    wareki(to),
                    wareki(v)
                ),
                raw,
                Some("認定の有効期間内の期間を設定してください。"),
            );
            continue;
        }
        if let Some(from) = from {
            let months = crate::audit::rules::months_between(from, to);
            if months > limit {
                out.with_severity(Severity::Info).push(
                        at(),
                        format!("当面の目標「{need}」の期間が長期です（{months}か月、目安 {limit}か月以内。可能な限り短い期間で設定）。"),
                        raw,
                        Some("本人の変化に合わせて見直せるよう、短い期間を設定してください。"),
                    );
            }
        }
    }
}
