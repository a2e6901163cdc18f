//! # 何を検査するか
//! 計画のサービスが、第1表の説明・同意日より前に始まっていないか。サービスの始まりは、第2表のサービスの期間の開始日と、
//! 第6表の予定日のうち、計画作成日以後（「初回」の計画はすべて）で最も早い日です。
//!
//! # なぜ問題か
//! サービスは同意を得た計画に基づいて提供します。同意より前に始まったサービスは、計画に基づかない提供になり、
//! 運営基準減算・返還の対象になり得ます。
//!
//! # 例
//! 説明・同意日 令和7年4月10日、第2表の訪問介護の期間 令和7年4月1日〜。
//!
//! # 直し方
//! 同意日とサービス開始日を確かめ、同意を得てから提供を始めた記録にしてください（日付の誤記なら直してください）。
//!
//! # 根拠
//! 運営基準 第13条第10号（説明と文書による同意）から本ツールが導いた確認です。

use crate::audit::rules::wareki;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_08: Rule = Rule {
    info: RuleInfo {
        code: "PR-08",
        severity: Severity::Error,
        title: "同意より前にサービスが始まっている",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Consent],
        applies: Applies::Care,
        source: include_str!("pr_08_service_before_consent.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let p = cx.plan;
    let (Some(consent), Some(date)) = (p.table1.consent_on, p.key.plan_date) else { return };
    let first_plan = p.table1.plan_kind.as_deref().is_some_and(|k| k.contains("初回"));
    let counts = |d: chrono::NaiveDate| first_plan || d >= date;
    let mut first: Option<(chrono::NaiveDate, String, crate::diag::Source)> = None;
    let mut consider = |d: chrono::NaiveDate, what: String, at: crate::diag::Source| {
        if counts(d) && first.as_ref().is_none_or(|(f, _, _)| d < *f) {
            first = Some((d, what, at));
        }
    };
    for sv in cx.services() {
        let v = sv.service;
        if let Some(d) = v.period.as_ref().and_then(|p| p.from) {
            let what = format!("第2表「{}」の期間の開始", v.content.as_deref().or(v.kind.as_deref()).unwrap_or(""));
            consider(d, what, crate::audit::rules::at(&v.sources, "period", &v.source));
        }
    }
    for t6 in p.table6.iter().chain(p.earlier_months.iter().filter_map(|m| m.table6.as_ref())) {
        for r in &t6.rows {
            if let Some(d) = r.dates.iter().min() {
                let what =
                    format!("第6表「{}」の予定", r.provider.as_deref().or(r.service_code.as_deref()).unwrap_or(""));
                consider(*d, what, r.sources.first().cloned().unwrap_or_default());
            }
        }
    }
    let Some((start, what, at)) = first else { return };
    if start >= consent {
        return;
    }
    out.push(
        at,
        format!(
            "計画の説明・同意日（{}）より前にサービス提供（予定）が始まっています：{what}（{}）。",
            wareki(consent),
            wareki(start)
        ),
        Some(format!("説明・同意日 {}、サービスの開始 {}", wareki(consent), wareki(start))),
        None,
    );
}
