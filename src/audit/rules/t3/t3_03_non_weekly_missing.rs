//! # 何を検査するか
//! 第2表に週単位以外のサービスがあるのに、第3表「週単位以外のサービス」が空欄でないか。週単位以外とは、
//! サービスの目録で週単位でないもの（福祉用具・短期入所・居宅療養管理指導・住宅改修・通院 など）、または頻度が
//! 月・年・随時のもの（月1回・隔月・必要時）。「週1回（月曜）」のように曜日を書いた頻度は週単位です。
//!
//! # なぜ問題か
//! 週間計画だけでは、月単位や随時のサービスが計画全体のどこにあるかが分かりません。
//!
//! # 例
//! 第2表に福祉用具貸与（毎日）があり、第3表「週単位以外のサービス」が空欄。
//!
//! # 直し方
//! 第2表の週単位以外のサービスを第3表の下欄に書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第3表（週単位以外のサービス）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T3_03: Rule = Rule {
    info: RuleInfo {
        code: "T3-03",
        severity: Severity::Warning,
        title: "週単位以外のサービスが第3表にない",
        check: Check::Exact,
        needs: &[Needs::Table2, Needs::Table3],
        applies: Applies::Care,
        source: include_str!("t3_03_non_weekly_missing.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.table3.non_weekly.is_empty() {
        return;
    }
    let monthly = &cx.constants.patterns.non_weekly_frequency;
    let mut items: Vec<String> = Vec::new();
    for sv in cx.services() {
        let by_service = sv.certain().is_some_and(|s| {
            s.non_weekly && s.plan_service && s.category != crate::model::services::Category::Informal
        });
        let by_frequency = !sv.freq.weekly && monthly.is_match(&sv.frequency);
        if !(by_service || by_frequency) {
            continue;
        }
        let v = sv.service;
        let name = v.content.clone().or(v.kind.clone()).unwrap_or_default();
        let item = match v.frequency.as_deref() {
            Some(f) if !f.trim().is_empty() => format!("{name}（{f}）"),
            _ => name,
        };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if items.is_empty() {
        return;
    }
    out.push(
        cx.plan
            .table3
            .weekly
            .first()
            .map(|w| w.source.clone())
            .unwrap_or_else(|| crate::audit::rules::plan_source(cx.plan)),
        format!(
            "第2表に週単位以外のサービス（{}）がありますが、第3表「週単位以外のサービス」に記載がありません。",
            items.join("・")
        ),
        None,
        None,
    );
}
