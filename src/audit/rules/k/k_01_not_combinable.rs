//! # 何を検査するか
//! 小規模多機能モード（`--config` の small_multi = true）で、計画に
//! 併用（算定）できないサービスが位置付けられていないか。併用できないもの：居宅介護支援、訪問介護、訪問入浴介護、
//! 通所介護（地域密着型・認知症対応型を含む）、通所リハビリテーション、短期入所生活介護・療養介護、夜間対応型訪問介護、
//! 認知症対応型共同生活介護、地域密着型特定施設、地域密着型介護老人福祉施設、定期巡回・随時対応型訪問介護看護。
//! 訪問看護・訪問リハビリテーション・居宅療養管理指導・福祉用具貸与（K-02）は併用できます。
//!
//! # なぜ問題か
//! 小規模多機能型居宅介護は通い・訪問・宿泊を一体で提供するため、これらのサービスは同時に算定できません。
//!
//! # 例
//! 小規模多機能型居宅介護の利用者の第6表に通所介護（15xxxx）がある。
//!
//! # 直し方
//! 小規模多機能型居宅介護の通い・訪問・宿泊で対応するか、サービスを見直してください。
//!
//! # 根拠
//! 指定地域密着型サービスに要する費用の額の算定に関する基準；小規模多機能型居宅介護の手引き（併用できるサービス）。
//! 一覧は mappings/audit-constants.toml の [small_multi] にあります。

use crate::audit::{Check, Cx, Out, Rule, RuleInfo, Severity};

pub static K_01: Rule = Rule {
    info: RuleInfo {
        code: "K-01",
        severity: Severity::Error,
        title: "小規模多機能と併用できないサービス",
        check: Check::Exact,
        needs: &[],
        source: include_str!("k_01_not_combinable.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.config.small_multi {
        return;
    }
    let sm = &cx.constants.small_multi;
    for sv in cx.services() {
        let v = sv.service;
        let Some(kind) = v.kind.as_deref() else { continue };
        if v.insured == Some(false) || kind.contains("小規模多機能") {
            continue;
        }
        if sm.excluded_names.any(kind) {
            out.push(
                crate::audit::rules::at(&v.sources, "kind", &v.source),
                format!("小規模多機能型居宅介護の利用中は{kind}を併用（算定）できません（第2表）。"),
                v.content.clone(),
                Some("小規模多機能型居宅介護の通い・訪問・宿泊で対応するか、サービスを見直してください。"),
            );
        }
    }
    if let Some(t6) = cx.plan.table6.as_deref() {
        for r in &t6.rows {
            let Some(code) = r.service_code.as_deref() else { continue };
            if sm.excluded_kinds.iter().any(|k| code.starts_with(k.as_str())) {
                out.push(
                        r.sources.first().cloned().unwrap_or_default(),
                        format!(
                            "小規模多機能型居宅介護の利用中はサービスコード {code}（{}）を併用（算定）できません（第6表）。",
                            r.provider.as_deref().unwrap_or("事業所不明")
                        ),
                        Some(format!("サービスコード={code} 事業所番号={}", r.provider_code.as_deref().unwrap_or(""))),
                        Some("小規模多機能型居宅介護の通い・訪問・宿泊で対応するか、サービスを見直してください。"),
                    );
            }
        }
    }
}
