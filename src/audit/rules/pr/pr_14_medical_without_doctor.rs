//! # 何を検査するか
//! 医療系サービス（サービスの目録で「医療系」とされるもの：訪問看護・訪問リハビリ・通所リハビリ・居宅療養管理指導・
//! 短期入所療養介護・定期巡回・看護小規模多機能 と、その介護予防）を位置付けた計画に、主治医（医師）の意見・指示、
//! または主治医への照会・計画の交付の記録が、第1表・第2表・第4表・第5表のどこかにあるか。
//! 第4表も第5表も読めない入力の計画は調べません。
//!
//! # なぜ問題か
//! 医療系サービスは、主治の医師等がその必要性を認めた場合に限り位置付けられ、その意見を求めることと、作成した計画を
//! 主治医に交付することが運営基準で定められています。
//!
//! # 例
//! 第2表に「訪問看護」、第4表・第5表に主治医への照会・指示書・意見の記録がない。
//!
//! # 直し方
//! 主治医に意見を求め（照会）、その回答・指示の内容と、計画を主治医に交付したことを第5表か第4表に記録してください。
//!
//! # 根拠
//! 運営基準 第13条第19号・第19号の2・第20号。判定は語による推定です。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_14: Rule = Rule {
    info: RuleInfo {
        code: "PR-14",
        severity: Severity::Error,
        title: "医療系サービスに主治医の意見・指示の記録がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2, Needs::Records],
        applies: Applies::Care,
        source: include_str!("pr_14_medical_without_doctor.rs"),
    },
    run,
};

/// Whether the plan places a 医療系 service.
pub fn has_medical(cx: &Cx) -> bool {
    cx.services().iter().any(|sv| sv.resolved.is_some_and(|m| m.service.medical))
}

/// The 医療系 services of the plan, named (「訪問看護（訪問看護ステーションそら）」).
pub fn medical_services(cx: &Cx) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for sv in cx.services() {
        let Some(s) = sv.resolved.map(|m| m.service).filter(|s| s.medical) else { continue };
        let name = match sv.service.provider.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(p) => format!("{}（{p}）", s.name),
            None => s.name.clone(),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    (!names.is_empty()).then(|| names.join("、"))
}

fn run(cx: &Cx, out: &mut Out) {
    // The names are made only for a finding.
    if !has_medical(cx) || cx.doctor_evidence().is_some() {
        return;
    }
    let Some(medical) = medical_services(cx) else { return };
    let at = cx
        .services()
        .iter()
        .find(|sv| sv.resolved.is_some_and(|m| m.service.medical))
        .map(|sv| sv.service.source.clone())
        .unwrap_or_default();
    out.push(
        at,
        format!("医療系サービス（{medical}）を位置付けていますが、主治の医師等の意見（指示）の確認、または主治医への計画の交付の記録がありません。"),
        None,
        None,
    );
}
