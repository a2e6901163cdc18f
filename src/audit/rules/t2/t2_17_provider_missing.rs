//! # 何を検査するか
//! 第2表の※2で、保険給付対象のサービスに事業所名が、家族などの支援に「誰が」（続柄）が書かれているか。
//!
//! # なぜ問題か
//! 誰が提供するのかが分からないと、担当者会議への参加依頼や個別サービス計画の照会ができません。
//!
//! # 例
//! サービス種別「通所介護」、※1「○」、※2 空欄。
//!
//! # 直し方
//! 事業所名（家族等の場合は続柄）を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表 ※2。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_17: Rule = Rule {
    info: RuleInfo {
        code: "T2-17",
        severity: Severity::Warning,
        title: "事業所名（家族等は誰か）がない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        source: include_str!("t2_17_provider_missing.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            for s in &g.short_goals {
                for v in &s.services {
                    if v.provider.as_deref().is_some_and(|p| !p.trim().is_empty()) {
                        continue;
                    }
                    let kind = v.kind.as_deref().unwrap_or("");
                    let family = kind.contains("家族");
                    if v.insured == Some(true) || family {
                        out.push(
                            v.source.clone(),
                            format!(
                                "サービス提供を行う{}が記載されていません：{}（{}）。",
                                if family { "家族（誰が行うか）" } else { "事業所名" },
                                v.content.as_deref().unwrap_or(""),
                                kind
                            ),
                            None,
                            None,
                        );
                    }
                }
            }
        }
    }
}
