//! # 何を検査するか
//! 点検日（`--audit-date`、省略時は実行日）に、短期目標の期間が終了しているのに、見直した計画
//! （同じ利用者の新しい計画）も、軽微な変更としての期間延長の記録（第5表「期間を延長」など、終了日以後の記録）もないか。
//! 一つの計画で終了した短期目標をまとめて一件として知らせます。
//!
//! # なぜ問題か
//! 短期目標の期間は評価と見直しの期限です。期限を過ぎた目標のままの計画は、モニタリングの結果が計画に
//! 反映されておらず、保険者の点検では見直しのない計画として扱われます。
//!
//! # 例
//! 点検日 令和8年1月15日、短期目標「浴槽をまたぐ動作が自分でできる」の期間 令和7年4月1日〜令和7年9月30日、
//! 新しい計画も期間延長の記録もない。
//!
//! # 直し方
//! モニタリングの結果を基に短期目標を評価し、計画を見直す（または軽微な変更として期間を延長し、その根拠を第5表に記録する）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（期間）；軽微な変更の例「目標期間の延長」（介護保険最新情報Vol.959）。

use crate::audit::rules::{newer_plan, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_06: Rule = Rule {
    info: RuleInfo {
        code: "T2-06",
        severity: Severity::Error,
        title: "期間の終了した短期目標が見直されていない",
        check: Check::Exact,
        needs: &[Needs::Table2, Needs::AuditDate],
        applies: Applies::Care,
        source: include_str!("t2_06_short_goal_expired.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(today) = cx.config.audit_date else { return };
    if newer_plan(cx.plan).is_some() {
        return;
    }
    let ext = &cx.constants.records.period_extended;
    // The last 第5表 entry that records an extension: read once per plan,
    // when a goal has ended (an entry up to a month before the end counts).
    let extended = std::cell::OnceCell::new();
    let extended_after = |end: chrono::NaiveDate| {
        let last = extended.get_or_init(|| {
            cx.plan
                .table5
                .iter()
                .filter_map(|e| {
                    let text = || format!("{}{}", e.item.as_deref().unwrap_or(""), e.content.as_deref().unwrap_or(""));
                    e.date.filter(|_| ext.any(&crate::text::norm_cow(&text())))
                })
                .max()
        });
        last.is_some_and(|d| d >= end - chrono::Duration::days(31))
    };
    let mut expired = Vec::new();
    let mut first = None;
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            for s in &g.short_goals {
                let (Some(text), Some(end)) = (&s.text, s.period.as_ref().and_then(|p| p.to)) else { continue };
                if end < today && !extended_after(end) {
                    first.get_or_insert_with(|| crate::audit::rules::at(&s.sources, "period", &s.source));
                    expired.push(format!("「{text}」（{}まで）", wareki(end)));
                }
            }
        }
    }
    if let Some(at) = first {
        out.push(
            at,
            format!(
                "短期目標の期間が終了していますが、見直した計画も期間延長の記録もありません（点検日 {}）：{}。",
                wareki(today),
                expired.join("、")
            ),
            Some(expired.join("、")),
            None,
        );
    }
}
