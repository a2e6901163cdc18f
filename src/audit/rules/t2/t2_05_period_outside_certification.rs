//! # 何を検査するか
//! 第2表の長期目標・短期目標・サービスの期間が、第1表の認定の有効期間を超えていないか。
//!
//! # なぜ問題か
//! 目標やサービスの期間は認定の有効期間を考慮して設定します。超えていると、更新時に見直す前提が崩れます。
//!
//! # 例
//! 認定の有効期間 令和7年4月1日〜令和9年3月31日、長期目標の期間 令和7年4月1日〜令和9年9月30日。
//!
//! # 直し方
//! 期間を認定の有効期間内に設定し直してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表「（期間）」（認定の有効期間も考慮）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_05: Rule = Rule {
    info: RuleInfo {
        code: "T2-05",
        severity: Severity::Warning,
        title: "期間が認定の有効期間を超えている",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_05_period_outside_certification.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let c = &cx.plan.table1.certification;
    let (Some(from), Some(to)) = (c.valid_from, c.valid_to) else { return };
    // Written out (和暦) only for a finding.
    let range = std::cell::OnceCell::new();
    let range = || {
        range
            .get_or_init(|| format!("{}〜{}", crate::audit::rules::wareki(from), crate::audit::rules::wareki(to)))
            .as_str()
    };
    let mut check = |what: &str,
                     text: &str,
                     p: &Option<crate::model::PeriodJson>,
                     sources: &crate::model::Sources,
                     item: &crate::diag::Source| {
        let Some(p) = p else { return };
        let outside = p.from.is_some_and(|d| d < from) || p.to.is_some_and(|d| d > to);
        if outside {
            out.push(crate::audit::rules::at(sources, "period", item), format!("{what}「{text}」の期間（{}）が認定の有効期間（{}）を超えています。期間設定は認定の有効期間を考慮してください。", p.raw, range()), Some(p.raw.clone()), None);
        }
    };
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            check("長期目標", g.text.as_deref().unwrap_or(""), &g.period, &g.sources, &g.source);
            for s in &g.short_goals {
                check("短期目標", s.text.as_deref().unwrap_or(""), &s.period, &s.sources, &s.source);
                for v in &s.services {
                    check("サービス", v.content.as_deref().unwrap_or(""), &v.period, &v.sources, &v.source);
                }
            }
        }
    }
}
