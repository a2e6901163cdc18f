//! # 何を検査するか
//! 第2表の※1（保険給付の対象かどうか）が、サービス種別と合っているか：介護保険のサービスに○（Y）がない、
//! または家族・地域などインフォーマルな支援に○がある。サービス種別はサービスの目録（mappings/services.toml）で
//! 読み、名前だけでは決まらないもの（「デイサービス」は総合事業の場合も、「ヘルパー」は保険外の場合もある）は調べません。
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

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::model::services::Category;

pub static T2_16: Rule = Rule {
    info: RuleInfo {
        code: "T2-16",
        severity: Severity::Error,
        title: "※1（保険給付対象）の区分が不正",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::All,
        source: include_str!("t2_16_insured_mark.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.declares(crate::model::fields::F::Insured) {
        return;
    }
    for sv in cx.services() {
        let v = sv.service;
        let Some(kind) = v.kind.as_deref() else { continue };
        // Only a サービス種別 the catalogue reads with certainty: 「デイサービス」
        // may be 総合事業 and 「ヘルパー」 a private helper.
        let Some(m) = sv.resolved.filter(|m| m.certain && sv.kind.contains(m.alias)) else { continue };
        let s = m.service;
        // Made only for a finding: most rows have none.
        let mark = v.insured_mark.as_deref().unwrap_or("空欄");
        let at = || crate::audit::rules::at(&v.sources, "insured", &v.source);
        let content = v.content.as_deref().unwrap_or("");
        if s.insured && s.code.is_some() && s.plan_service && v.insured != Some(true) {
            out.push(
                at(),
                format!("※1（保険給付対象）の区分が不正です：「{kind}」（{content}）は介護保険の{}ですが、※1 が「{mark}」です。保険給付対象のサービスに○を付けてください。", s.name),
                Some(format!("サービス種別「{kind}」、※1「{mark}」")),
                Some("介護保険のサービスには※1に○を付けてください。"),
            );
        } else if matches!(s.category, Category::Informal) && v.insured == Some(true) {
            out.push(
                at(),
                format!("※1（保険給付対象）の区分が不正です：「{kind}」（{content}）に○が付いています。家族・地域などの支援は保険給付の対象外です。"),
                Some(format!("サービス種別「{kind}」、※1「{mark}」")),
                Some("家族・地域・保険外の支援には※1の○を付けないでください。"),
            );
        }
    }
}
