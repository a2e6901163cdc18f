//! # 何を検査するか
//! 様式3（ライフサポートプラン①）の長期的目標（ゴール）が書かれているか。
//!
//! # なぜ問題か
//! ライフサポートプランは「その人らしい暮らし」のゴールから当面の目標を立てます。ゴールがないと、
//! 当面の目標や本人・家族・地域・事業所の取り組みが何に向かうのか分かりません。
//!
//! # 例
//! 第2表に長期目標が一つもなく、様式3のゴール欄が空。
//!
//! # 直し方
//! 本人の望む暮らしを長期的目標（ゴール）として記載してください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式3。

use crate::audit::rules::plan_source;
use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L3_02: Rule = Rule {
    info: RuleInfo {
        code: "L3-02",
        severity: Severity::Error,
        title: "長期的目標（ゴール）がない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        source: include_str!("l3_02_no_goal.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if cx.forms.form3.goal.is_empty() {
        out.push(
            plan_source(cx.plan),
            "長期的目標（ゴール）が記載されていません。".into(),
            None,
            Some("本人の望む暮らしをゴールとして記載してください。"),
        );
    }
}
