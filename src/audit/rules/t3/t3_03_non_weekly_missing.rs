//! # 何を検査するか
//! 第2表に週単位以外のサービス（福祉用具・短期入所・通院・住宅改修・月n回 など）があるのに、第3表「週単位以外のサービス」が空欄でないか。
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

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T3_03: Rule = Rule {
    info: RuleInfo {
        code: "T3-03",
        severity: Severity::Warning,
        title: "週単位以外のサービスが第3表にない",
        check: Check::Exact,
        needs: &[Needs::Table2, Needs::Table3],
        source: include_str!("t3_03_non_weekly_missing.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.table3.non_weekly.is_empty() {
        return;
    }
    let items: Vec<String> = cx
        .plan
        .table2
        .needs
        .iter()
        .flat_map(|n| &n.long_goals)
        .flat_map(|g| &g.short_goals)
        .flat_map(|s| &s.services)
        .filter(|v| {
            let k = v.kind.as_deref().unwrap_or("");
            let f = v.frequency.as_deref().unwrap_or("");
            ["福祉用具", "短期入所", "住宅改修", "居宅療養管理指導"].iter().any(|w| k.contains(w))
                || f.contains('月')
                || f.contains("通院")
        })
        .map(|v| v.content.clone().or(v.kind.clone()).unwrap_or_default())
        .collect();
    if !items.is_empty() {
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
}
