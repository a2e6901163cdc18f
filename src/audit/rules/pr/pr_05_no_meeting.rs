//! # 何を検査するか
//! 新規作成（「初回」）、認定の更新、要介護状態区分の変更に伴う計画で、サービス担当者会議の記録（第4表）も、
//! 会議を開かない場合の照会の記録（第5表の「照会」「担当者会議」）もないか。開催日も出席者も内容もない第4表は会議の記録と
//! みなしません。第4表の欄を持たない入力の計画は調べません。
//! 更新・区分変更は、認定の有効期間の開始日または区分の変更日が作成日の前60日から後31日にあることで判断します。
//!
//! # なぜ問題か
//! 新規・更新・区分変更のときの担当者会議は運営基準で義務付けられ、開かないと運営基準減算の対象になります。
//!
//! # 例
//! 計画区分「初回」、第4表の記録がなく、第5表にも照会の記録がない。
//!
//! # 直し方
//! 担当者会議を開いて第4表に記録するか、やむを得ず開かない場合は理由と各担当者への照会の内容を記録してください。
//!
//! # 根拠
//! 運営基準 第13条第15号；居宅介護支援費の運営基準減算（担当者会議を開催していない場合）。

use crate::audit::rules::{t1_source, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_05: Rule = Rule {
    info: RuleInfo {
        code: "PR-05",
        severity: Severity::Error,
        title: "新規・更新・区分変更の担当者会議の記録がない",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Table4Form],
        applies: Applies::Care,
        source: include_str!("pr_05_no_meeting.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let p = cx.plan;
    if p.table4.iter().any(|m| !crate::audit::records::blank_meeting(m)) {
        return;
    }
    let Some(event) = event(cx) else { return };
    let r = &cx.constants.records;
    let recorded = p.table5.iter().any(|e| {
        let t = crate::text::norm_cow(&format!(
            "{}{}",
            e.item.as_deref().unwrap_or(""),
            e.content.as_deref().unwrap_or("")
        ))
        .into_owned();
        r.meetings.any(&t) || r.inquiries.any(&t)
    });
    if recorded {
        return;
    }
    out.push(
        t1_source(p, "plan_kind"),
        format!("{event}に伴うサービス担当者会議（または照会）の記録がありません。"),
        Some(event.clone()),
        None,
    );
}

/// What makes the plan need a meeting: 初回, or a new certification or
/// 要介護状態区分 near its date.
fn event(cx: &Cx) -> Option<String> {
    let p = cx.plan;
    let date = p.key.plan_date?;
    if p.table1.plan_kind.as_deref().is_some_and(|k| k.contains("初回")) {
        return Some(format!("新規作成（計画作成日 {}）", wareki(date)));
    }
    let near = |d: chrono::NaiveDate| d >= date - chrono::Duration::days(60) && d <= date + chrono::Duration::days(31);
    let c = &p.table1.certification;
    if let Some(d) = c.care_level_changed_on.filter(|d| near(*d)) {
        return Some(format!("要介護状態区分の変更（{}）", wareki(d)));
    }
    if let (Some(before), Some(now)) = (c.previous_care_level.as_deref(), c.care_level.as_deref()) {
        if before != now {
            return Some(format!("要介護状態区分の変更（{before}→{now}）"));
        }
    }
    c.valid_from.filter(|d| near(*d)).map(|d| format!("認定の更新（有効期間の開始 {}）", wareki(d)))
}
