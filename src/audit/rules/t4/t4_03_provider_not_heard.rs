//! # 何を検査するか
//! 第2表に位置付けた介護保険の事業所（住宅改修と居宅介護支援を除く）が、その計画の担当者会議（第4表）に出席しているか、
//! 出席していない場合に照会（依頼）の記録（第4表の検討した項目・内容、または第5表の「照会」「欠席」の記録）があるか。
//! 事業所は、名前から法人名・サービス名を除いた固有の部分（「デイサービスひだまり」なら「ひだまり」）か、
//! 出席者の所属のサービスの種類で照らし合わせます。
//!
//! # なぜ問題か
//! サービス担当者会議は、計画に位置付けたすべての事業所の担当者から専門的な意見を聴く場です。出席も照会の記録もない
//! 事業所があると、その意見を聴かずに計画を作ったことになります（運営基準減算の確認項目）。
//!
//! # 例
//! 第2表に「ヘルパーステーションあおぞら」（訪問介護）があるが、第4表の出席者にも照会の記録にもない。
//!
//! # 直し方
//! 欠席した事業所には照会（依頼）を行い、その年月日・内容・回答と欠席の理由を第4表に記録してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表（欠席者への照会）；運営基準 第13条第9号。判定は事業所名の照合による推定です。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::model::services::Category;
use crate::text::norm_cow;

pub static T4_03: Rule = Rule {
    info: RuleInfo {
        code: "T4-03",
        severity: Severity::Error,
        title: "事業所が担当者会議に出席も照会もされていない",
        check: Check::Heuristic,
        needs: &[Needs::Table2, Needs::Table4],
        applies: Applies::Care,
        source: include_str!("t4_03_provider_not_heard.rs"),
    },
    run,
};

/// The distinctive part of a provider's name: without corporate words,
/// service names and （…） notes.
fn distinctive(cx: &Cx, name: &str) -> String {
    let mut n = norm_cow(name).into_owned();
    if let Some(open) = n.find('(') {
        if n.ends_with(')') && open > 0 {
            n.truncate(open);
        }
    }
    for m in cx.catalogue.find_all(&n).iter().rev() {
        n = n.replace(m.alias, "");
    }
    cx.constants.records.corporate_words.replace(&n, "").into_owned()
}

fn run(cx: &Cx, out: &mut Out) {
    // A blank 第4表 records no meeting: PR-05's finding.
    if cx.plan.table4.iter().all(crate::audit::records::blank_meeting) {
        return;
    }
    let r = &cx.constants.records;
    let own = cx.plan.office.name.as_deref().map(|n| distinctive(cx, n)).unwrap_or_default();
    // What the meetings and the 第5表 say, normalised.
    let mut attendees = Vec::new();
    let mut attendee_codes = Vec::new();
    let mut notes = Vec::new();
    for m in &cx.plan.table4 {
        for a in &m.attendees {
            let t = norm_cow(&format!("{}{}", a.affiliation.as_deref().unwrap_or(""), a.name.as_deref().unwrap_or("")))
                .into_owned();
            if let Some(code) = cx.catalogue.find(&t).and_then(|m| m.service.code.clone()) {
                attendee_codes.push(code);
            }
            attendees.push(t);
        }
        for f in [&m.items, &m.discussion, &m.conclusion, &m.remaining] {
            notes.push(crate::audit::rules::norm_opt(f).into_owned());
        }
    }
    for e in &cx.plan.table5 {
        notes.push(
            norm_cow(&format!("{}{}", e.item.as_deref().unwrap_or(""), e.content.as_deref().unwrap_or("")))
                .into_owned(),
        );
    }
    let inquired = |needle: &str| !needle.is_empty() && notes.iter().any(|n| n.contains(needle) && r.inquiries.any(n));
    let mut missing: Vec<String> = Vec::new();
    let mut first = None;
    for sv in cx.services() {
        let v = sv.service;
        let Some(provider) = v.provider.as_deref().filter(|p| !p.trim().is_empty()) else { continue };
        let Some(service) = sv.resolved.map(|m| m.service) else { continue };
        let insured = v.insured == Some(true) || (service.insured && service.code.is_some());
        if !insured
            || matches!(service.category, Category::HomeModification | Category::CareManagement | Category::Informal)
        {
            continue;
        }
        let token = distinctive(cx, provider);
        if token.chars().count() < 2 || (!own.is_empty() && token == own) {
            continue;
        }
        let full = norm_cow(provider);
        let present = attendees.iter().any(|a| a.contains(&token) || a.contains(&*full))
            || service.code.as_ref().is_some_and(|c| {
                // An attendee named only by the service (「デイ 石井」), when one
                // provider of that service is on the plan.
                attendee_codes.contains(c)
                    && cx
                        .services()
                        .iter()
                        .filter(|o| o.resolved.and_then(|m| m.service.code.as_ref()) == Some(c))
                        .map(|o| o.provider())
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
                        == 1
            });
        let service_word = norm_cow(&service.name).into_owned();
        if present || inquired(&token) || inquired(&service_word) || inquired(&sv.kind) {
            continue;
        }
        let item = format!("{provider}（{}）", v.kind.as_deref().unwrap_or(&service.name));
        if !missing.contains(&item) {
            first.get_or_insert_with(|| v.source.clone());
            missing.push(item);
        }
    }
    if missing.is_empty() {
        return;
    }
    let at = cx.plan.table4.last().map(|m| m.source.clone()).or(first).unwrap_or_default();
    out.push(
        at,
        format!(
            "計画に位置付けた事業所が担当者会議に出席しておらず、照会（依頼）の記録もありません：{}。",
            missing.join("、")
        ),
        Some(missing.join("、")),
        None,
    );
}
