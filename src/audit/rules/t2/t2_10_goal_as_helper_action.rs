//! # 何を検査するか
//! 第2表の長期目標・短期目標が、利用者の状態や行動ではなく、支援者の行為（〜を介助する・支援する・見守る など）で書かれていないか。
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
//! 居宅サービス計画書記載要領 第2表。判定は語による推定です。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_10: Rule = Rule {
    info: RuleInfo {
        code: "T2-10",
        severity: Severity::Warning,
        title: "目標が支援者の行為になっている",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        source: include_str!("t2_10_goal_as_helper_action.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for (need, texts) in cx.plan.table2.needs.iter().zip(cx.goals()) {
        for (g, gt) in need.long_goals.iter().zip(&texts.long_goals) {
            let mut check = |kind: &str,
                             text: &Option<String>,
                             normalised: &str,
                             sources: &crate::model::Sources,
                             item: &crate::diag::Source| {
                let Some(t) = text else { return };
                if let Some(w) = cx.constants.words.helper_actions.find(normalised) {
                    out.push(crate::audit::rules::at(sources, "text", item), format!("{kind}「{t}」が支援者側の行為（{w}）になっています。目標は利用者を主語とした状態・行動で記載し、支援者の行為はサービス内容に記載してください。"), Some(t.clone()), None);
                }
            };
            check("長期目標", &g.text, &gt.text.text, &g.sources, &g.source);
            for (s, st) in g.short_goals.iter().zip(&gt.short_goals) {
                check("短期目標", &s.text, &st.text, &s.sources, &s.source);
            }
        }
    }
}
