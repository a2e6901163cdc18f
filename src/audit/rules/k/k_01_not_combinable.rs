//! # 何を検査するか
//! 小規模多機能型居宅介護の計画（第2表・第6表・第7表に小規模多機能型居宅介護〈サービス種類 73・75、短期利用 68・69〉がある計画）に、
//! 併用（算定）できないサービスが位置付けられていないか。併用できるかどうかはサービスの目録（mappings/services.toml の
//! small_multi）によります：居宅介護支援、訪問介護、訪問入浴介護、通所介護（地域密着型・認知症対応型を含む）、通所リハビリ、
//! 短期入所生活介護・療養介護（介護医療院を含む）、夜間対応型訪問介護、定期巡回・随時対応型訪問介護看護、看護小規模多機能、
//! 認知症対応型共同生活介護、特定施設、施設サービスは併用できません。訪問看護・訪問リハビリ・居宅療養管理指導・福祉用具貸与・
//! 特定福祉用具販売・住宅改修は併用できます。第2表は名前で確かに読めるサービスだけを、小多機の事業所自身の「デイ」「ヘルパー」
//! （通い・訪問）を除いて調べます。第6表はサービスコードで調べます。
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
//! 指定地域密着型サービスに要する費用の額の算定に関する基準；熊本市医師会 在宅医療ハンドブック（小規模多機能型居宅介護の利用中に算定できないサービス）。

use crate::audit::{Applies, Check, Cx, Out, Rule, RuleInfo, Severity};
use crate::model::services::SmallMulti;

pub static K_01: Rule = Rule {
    info: RuleInfo {
        code: "K-01",
        severity: Severity::Error,
        title: "小規模多機能と併用できないサービス",
        check: Check::Exact,
        needs: &[],
        applies: Applies::All,
        source: include_str!("k_01_not_combinable.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(small_multi) = cx.kind().small_multi.clone() else { return };
    // The 小多機's own 事業所: its 「デイ」 and 「ヘルパー」 are its 通い and 訪問.
    let own: Vec<&str> = cx
        .services()
        .iter()
        .filter(|s| s.certain().is_some_and(|c| c.small_multi_itself))
        .map(|s| s.provider())
        .filter(|p| !p.is_empty())
        .collect();
    let hint = "小規模多機能型居宅介護の通い・訪問・宿泊で対応するか、サービスを見直してください。";
    for sv in cx.services() {
        let v = sv.service;
        let Some(s) = sv.certain() else { continue };
        if s.small_multi != SmallMulti::Excluded || v.insured == Some(false) {
            continue;
        }
        if !sv.provider().is_empty() && own.contains(&sv.provider()) {
            continue;
        }
        out.push(
            crate::audit::rules::at(&v.sources, "kind", &v.source),
            format!(
                "小規模多機能型居宅介護の利用中は{}を併用（算定）できません（第2表「{}」、計画の小規模多機能：{small_multi}）。",
                s.name,
                v.kind.as_deref().unwrap_or("")
            ),
            v.content.clone(),
            Some(hint),
        );
    }
    if let Some(t6) = cx.plan.table6.as_deref() {
        for r in &t6.rows {
            let Some(code) = r.service_code.as_deref() else { continue };
            let Some(s) = cx.catalogue.by_code(code) else { continue };
            if s.small_multi != SmallMulti::Excluded {
                continue;
            }
            out.push(
                r.sources.first().cloned().unwrap_or_default(),
                format!(
                    "小規模多機能型居宅介護の利用中は{}（サービスコード {code}、{}）を併用（算定）できません（第6表）。",
                    s.name,
                    r.provider.as_deref().unwrap_or("事業所名なし")
                ),
                Some(format!("サービスコード {code}、事業所番号 {}", r.provider_code.as_deref().unwrap_or("記載なし"))),
                Some(hint),
            );
        }
    }
}
