//! # 何を検査するか
//! 第2表の※2で、保険給付対象のサービス（※1 が○、またはサービスの目録で介護保険のサービス）に事業所名が、
//! 家族・地域などの支援（目録のインフォーマル）に「誰が」（続柄など）が書かれているか。本人の取り組みは調べません。
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

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_17: Rule = Rule {
    info: RuleInfo {
        code: "T2-17",
        severity: Severity::Warning,
        title: "事業所名（家族等は誰か）がない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_17_provider_missing.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for sv in cx.services() {
        let v = sv.service;
        // A name usually starts at its first character: trimmed only if not.
        let named = |p: &str| p.chars().next().is_some_and(|c| !c.is_whitespace()) || !p.trim().is_empty();
        if v.provider.as_deref().is_some_and(named) {
            continue;
        }
        let kind = v.kind.as_deref().unwrap_or("");
        let informal = sv.certain().is_some_and(|s| s.category == crate::model::services::Category::Informal);
        let insured = v.insured == Some(true) || sv.certain().is_some_and(|s| s.insured && s.code.is_some());
        if !insured && !informal {
            continue;
        }
        // 本人 needs no name.
        if informal && sv.certain().is_some_and(|s| s.name.starts_with("本人")) {
            continue;
        }
        out.push(
            crate::audit::rules::at(&v.sources, "provider", &v.source),
            format!(
                "サービス提供を行う{}が記載されていません：{}（{}）。",
                if informal { "人（家族は続柄、地域は誰か）" } else { "事業所名" },
                v.content.as_deref().unwrap_or(""),
                kind
            ),
            None,
            Some(if informal {
                "家族は続柄（長女など）、地域は誰か（民生委員・近所の友人など）を書いてください。"
            } else {
                "サービスを提供する事業所名を書いてください。"
            }),
        );
    }
}
