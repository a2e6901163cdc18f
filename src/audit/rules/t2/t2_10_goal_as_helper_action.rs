//! # 何を検査するか
//! 第2表の長期目標・短期目標が、利用者の状態や行動ではなく、支援者の行為で結ばれていないか
//! （「〜を介助する」「服薬を確認する」「見守りを行う」「機会を確保する」「ヘルパーによる掃除」「排泄の支援」など）。
//! 目標の最後が利用者の行為（「〜できる」「入れる」「続ける」）なら、途中に「介助を受けて」「見守りのもと」と
//! あっても指摘しません。
//!
//! # なぜ問題か
//! 目標は利用者が主語です。支援者の行為はサービス内容に書くもので、目標にすると達成を利用者の変化で評価できません。
//!
//! # 例
//! 短期目標「入浴を介助する」。
//!
//! # 直し方
//! 利用者を主語にした状態・行動で書き、支援者の行為はサービス内容に移してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表。判定は文末の形による推定です。

use crate::audit::{Applies, Check, Constants, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_10: Rule = Rule {
    info: RuleInfo {
        code: "T2-10",
        severity: Severity::Warning,
        title: "目標が支援者の行為になっている",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_10_goal_as_helper_action.rs"),
    },
    run,
};

thread_local! {
    /// [`helper_action`] per goal text.
    static HELPER: std::cell::RefCell<crate::memo::Memo<Option<String>>> = Default::default();
}

fn run(cx: &Cx, out: &mut Out) {
    for (need, texts) in cx.plan.table2.needs.iter().zip(cx.goals()) {
        for (g, gt) in need.long_goals.iter().zip(&texts.long_goals) {
            let mut check = |kind: &str,
                             text: &Option<String>,
                             normalised: &str,
                             sources: &crate::model::Sources,
                             item: &crate::diag::Source| {
                let Some(t) = text else { return };
                if let Some(end) =
                    crate::memo::remembered(&HELPER, cx.constants.id, normalised, |t| helper_action(cx.constants, t))
                {
                    out.push(crate::audit::rules::at(sources, "text", item), format!("{kind}「{t}」が支援者側の行為（{end}）になっています。目標は利用者を主語とした状態・行動で記載し、支援者の行為はサービス内容に記載してください。"), Some(t.clone()), None);
                }
            };
            check("長期目標", &g.text, &gt.text.text, &g.sources, &g.source);
            for (s, st) in g.short_goals.iter().zip(&gt.short_goals) {
                check("短期目標", &s.text, &st.text, &s.sources, &s.source);
            }
        }
    }
}

/// The helper's act a normalised goal ends with, if it does.
pub fn helper_action(c: &Constants, normalised: &str) -> Option<String> {
    // The last clause, without a trailing 。 or （…）.
    let mut t = normalised.trim_end_matches(['。', '.', '!']);
    while t.ends_with(')') {
        match t.rfind('(') {
            Some(open) if open > 0 => t = t[..open].trim_end_matches(['。', '、']),
            _ => break,
        }
    }
    // The last 、 (E3 80 81) found by its bytes from the end: a char
    // search stops at every byte 0x81 of the Japanese text before it, and
    // comparing three-byte windows as slices calls memcmp for each.
    let b = t.as_bytes();
    let last =
        (2..b.len()).rev().find(|&i| b[i] == 0x81 && b[i - 1] == 0x80 && b[i - 2] == 0xE3).map_or(t, |i| &t[i + 1..]);
    let w = &c.words;
    if c.sets.goal_endings.ends(last) || w.user_goal_subjects.any(last) {
        return None;
    }
    let p = &c.patterns.helper_goal;
    // `last` is the whole text when it has no 、: not searched twice.
    p.find(last).or_else(|| (last.len() < t.len()).then(|| p.find(t)).flatten()).map(|m| m.to_string())
}
