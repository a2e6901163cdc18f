//! # 何を検査するか
//! ライフサポートワーク様式3（ライフサポートプラン①）の長期的目標（ゴール）に記入が必要か。ゴールは第2表の長期目標から
//! 作ります。第2表にニーズがあるのに長期目標がない場合は T2-01 が知らせるので、この規則は第2表にニーズが一つもない計画で、
//! 小規模多機能の介護支援専門員が様式3に記入する必要があることを情報として知らせます（居宅サービス計画の誤りではありません）。
//!
//! # なぜ問題か
//! ライフサポートプランは「その人らしい暮らし」のゴールから当面の目標を立てます。ゴールがないと、
//! 当面の目標や本人・家族・地域・事業所の取り組みが何に向かうのか分かりません。
//!
//! # 例
//! 入力に第2表がなく（第1表と第6・7表だけ）、様式3のゴール欄が空。
//!
//! # 直し方
//! 本人の望む暮らしを長期的目標（ゴール）として様式3に記入してください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式3。

use crate::audit::rules::plan_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L3_02: Rule = Rule {
    info: RuleInfo {
        code: "L3-02",
        severity: Severity::Info,
        title: "様式3 長期的目標（ゴール）の記入が必要",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("l3_02_no_goal.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if cx.forms.form3.goal.is_empty() && cx.plan.table2.needs.is_empty() {
        out.push(
            plan_source(cx.plan),
            "ライフサポートワーク様式3に記入が必要です：長期的目標（ゴール）（入力に第2表がありません）。".into(),
            None,
            Some("本人の望む暮らしをゴールとして様式3に記入してください。"),
        );
    }
}
