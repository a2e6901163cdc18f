//! # 何を検査するか
//! 第2表の※1（保険給付の対象かどうか）が、サービス種別と合っているか：介護保険のサービスに○（Y）がない、または家族・地域などインフォーマルな支援に○がある。
//!
//! # なぜ問題か
//! ※1 は給付管理の前提です。誤っていると、保険給付の対象とそうでない支援の区別が計画から読み取れません。
//!
//! # 例
//! サービス種別「訪問介護」、※1 空欄。サービス種別「家族」、※1「○」。
//!
//! # 直し方
//! 介護保険のサービスには○を付け、家族・地域・保険外のサービスには付けないでください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表 ※1。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_16: Rule = Rule {
    info: RuleInfo {
        code: "T2-16",
        severity: Severity::Error,
        title: "※1（保険給付対象）の区分が不正",
        check: Check::Exact,
        needs: &[Needs::Table2],
        source: include_str!("t2_16_insured_mark.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let words = &cx.constants.words;
    for sv in cx.services() {
        let v = sv.service;
        let Some(kind) = v.kind.as_deref() else { continue };
        let informal = words.informal_kinds.find(&sv.kind).is_some();
        if v.insured != Some(true) && !informal && words.insured_kinds.find(&sv.kind).is_some() {
            out.push(crate::audit::rules::at(&v.sources, "insured", &v.source), format!("※1（保険給付対象）の区分が不正です：「{kind}」（{}）に○がありません。保険給付対象のサービスに○を付けてください。", v.content.as_deref().unwrap_or("")), v.insured_mark.clone(), None);
        } else if informal && v.insured == Some(true) {
            out.push(crate::audit::rules::at(&v.sources, "insured", &v.source), format!("※1（保険給付対象）の区分が不正です：「{kind}」（{}）に○が付いています。家族・地域などの支援は保険給付の対象外です。", v.content.as_deref().unwrap_or("")), v.insured_mark.clone(), None);
        }
    }
}
