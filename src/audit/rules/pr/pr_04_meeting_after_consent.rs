//! # 何を検査するか
//! 第4表の担当者会議の開催日が、第1表の説明・同意日より後になっていないか（会議→説明・同意→交付の順）。
//! その計画の会議のうち一つでも同意日以前に開かれていれば、順序どおりとみなします。
//!
//! # なぜ問題か
//! 計画の原案は担当者会議で専門的な意見を聴いて固め、そのうえで利用者に説明し同意を得ます。会議が同意より後だと、
//! 会議の意見を反映しないまま同意を得たことになり、運営基準減算の対象になり得ます。
//!
//! # 例
//! 説明・同意日 令和7年4月1日、第4表の開催日 令和7年4月10日。
//!
//! # 直し方
//! 会議の開催日と同意日を確かめ、会議の後に説明・同意を得た記録にしてください（日付の誤記なら直してください）。
//!
//! # 根拠
//! 運営基準 第13条第9号〜第11号（担当者会議・説明と同意・交付の順）。

use crate::audit::rules::wareki;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_04: Rule = Rule {
    info: RuleInfo {
        code: "PR-04",
        severity: Severity::Error,
        title: "担当者会議が説明・同意より後",
        check: Check::Exact,
        needs: &[Needs::Table4, Needs::Consent],
        applies: Applies::Care,
        source: include_str!("pr_04_meeting_after_consent.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(consent) = cx.plan.table1.consent_on else { return };
    let dated: Vec<_> = cx.plan.table4.iter().filter_map(|m| m.held_on.map(|d| (d, m))).collect();
    if dated.is_empty() || dated.iter().any(|(d, _)| *d <= consent) {
        return;
    }
    let (first, m) = dated.iter().min_by_key(|(d, _)| *d).copied().expect("dated is not empty");
    out.push(
        crate::audit::rules::at(&m.sources, "held_on", &m.source),
        format!(
            "サービス担当者会議の開催日（{}）が計画の説明・同意日（{}）より後になっています（会議→説明・同意→交付の順が必要です）。",
            wareki(first),
            wareki(consent)
        ),
        Some(format!("開催日 {}、説明・同意日 {}", wareki(first), wareki(consent))),
        None,
    );
}
