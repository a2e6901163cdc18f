//! # 何を検査するか
//! 医療系サービス（サービスの目録で「医療系」とされるもの：訪問看護・訪問リハビリ・通所リハビリ・居宅療養管理指導・
//! 短期入所療養介護・看護小規模多機能 など）を位置付けた計画で、担当者会議（第4表）に主治医（医師）が出席しておらず、
//! 会議の記録に主治医への照会・意見もないか。主治医の意見が第1表・第4表・第5表のどこにもない場合は PR-14 が知らせ、
//! この規則は知らせません。
//!
//! # なぜ問題か
//! 医療系サービスの内容は主治医の意見を踏まえて担当者会議で検討します。会議の記録に主治医の意見がないと、
//! 医療面の留意点がチームで共有されたか分かりません。
//!
//! # 例
//! 第2表に訪問看護、第5表に主治医の指示書の受領はあるが、第4表の出席者・検討内容に主治医の意見がない。
//!
//! # 直し方
//! 主治医に照会（意見の聴取）を行い、その年月日・内容・回答を第4表に記録してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表（欠席者への照会）；運営基準 第13条第19号。判定は語による推定です。

use crate::audit::records::doctor_opinion;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::text::norm_cow;

pub static T4_07: Rule = Rule {
    info: RuleInfo {
        code: "T4-07",
        severity: Severity::Warning,
        title: "医療系サービスについて担当者会議で主治医の意見を聴いていない",
        check: Check::Heuristic,
        needs: &[Needs::Table2, Needs::Table4],
        applies: Applies::Care,
        source: include_str!("t4_07_doctor_not_heard.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    // A blank 第4表 records no meeting: PR-05's finding.
    if cx.plan.table4.iter().all(crate::audit::records::blank_meeting) {
        return;
    }
    use super::super::pr::pr_14_medical_without_doctor::{has_medical, medical_services};
    // Nothing anywhere is PR-14's finding; one fact, one finding.
    if !has_medical(cx) || cx.doctor_evidence().is_none() {
        return;
    }
    let r = &cx.constants.records;
    let heard = cx.plan.table4.iter().any(|m| {
        m.attendees.iter().any(|a| {
            r.doctors.any(&norm_cow(&format!(
                "{}{}",
                a.affiliation.as_deref().unwrap_or(""),
                a.name.as_deref().unwrap_or("")
            )))
        }) || [&m.items, &m.discussion, &m.conclusion, &m.remaining]
            .iter()
            .any(|f| doctor_opinion(r, &crate::audit::rules::norm_opt(f)))
    });
    if heard {
        return;
    }
    let Some(medical) = medical_services(cx) else { return };
    let at = cx.plan.table4.last().map(|m| m.source.clone()).unwrap_or_default();
    out.push(
        at,
        format!("医療系サービス（{medical}）を位置付けていますが、担当者会議（第4表）に主治医の出席も意見の聴取の記録もありません。"),
        None,
        None,
    );
}
