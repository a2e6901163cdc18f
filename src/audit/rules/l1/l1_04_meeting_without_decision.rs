//! # 何を検査するか
//! ライフサポートワーク様式1への記入が必要なこととして、情報として知らせます（第5表の誤りではありません）。
//! 様式1のミーティング（担当者会議・ミーティング・カンファレンスの記録）に、考察と決定（即時的プラン、
//! とりあえずの対応）の両方が書かれているか。
//!
//! # なぜ問題か
//! ライフサポートワークでは、記録からミーティングで考察し、その場で「とりあえずどうするか」を決めて実践します。
//! 決定がなければ実践につながらず、考察がなければ決定の根拠が残りません。
//!
//! # 例
//! 担当者会議「夜間の排泄について話し合った。」（決定がない）。
//!
//! # 直し方
//! 話し合った内容（考察）と、決めた対応（決定）を分けて書いてください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式1。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L1_04: Rule = Rule {
    info: RuleInfo {
        code: "L1-04",
        severity: Severity::Info,
        title: "様式1 ミーティングの考察・決定の記入が必要",
        check: Check::Exact,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("l1_04_meeting_without_decision.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for e in &cx.forms.form1.entries {
        let m = &e.meeting;
        let is_meeting = !m.consideration.is_empty()
            || !m.decision.is_empty()
            || e.item.as_deref().is_some_and(|i| cx.constants.records.meetings.any(&crate::text::norm_cow(i)));
        if !is_meeting {
            continue;
        }
        let missing = match (m.consideration.is_empty(), m.decision.is_empty()) {
            (false, false) => continue,
            (true, true) => "考察と決定",
            (true, false) => "考察",
            (false, true) => "決定（とりあえずの対応）",
        };
        let date = e.date.map(crate::audit::rules::wareki).unwrap_or_else(|| "日付なし".into());
        out.push(
            e.source.clone(),
            format!(
                "ライフサポートワーク様式1に記入が必要です：ミーティング（{date}・{}）の{missing}。",
                e.item.as_deref().unwrap_or("記載なし")
            ),
            m.consideration.first().or(m.decision.first()).map(|p| p.text.clone()),
            Some("話し合った内容（考察）と、決めた対応（決定）を分けて書いてください。"),
        );
    }
}
