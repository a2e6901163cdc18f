//! # 何を検査するか
//! 要介護状態区分が第1表と第6表（利用者補足情報）で一致するか。
//!
//! # なぜ問題か
//! 要介護度は限度額と報酬の前提です。帳票間で違うと、どちらかの転記誤りか、区分変更が計画に
//! 反映されていないことになります。
//!
//! # 例
//! 第1表「要介護2」、第6表「要介護3」。
//!
//! # 直し方
//! 被保険者証の最新の区分に合わせ、区分変更があった場合は計画を見直してください。
//!
//! # 根拠
//! 帳票間の整合（本ツールによる確認）。

use crate::audit::rules::t1_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static X_02: Rule = Rule {
    info: RuleInfo {
        code: "X-02",
        severity: Severity::Error,
        title: "要介護状態区分が帳票間で一致しない",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Table6],
        applies: Applies::All,
        source: include_str!("x_02_care_level_mismatch.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t6) = cx.plan.table6.as_deref() else { return };
    let (Some(a), Some(b)) = (cx.plan.table1.certification.care_level.as_deref(), t6.care_level.as_deref()) else {
        return;
    };
    if a != b {
        out.push(
            t1_source(cx.plan, "certification.care_level"),
            format!("要介護状態区分が帳票間で一致しません（第1表：{a}、第6表（{}）：{b}）。", t6.month),
            Some(format!("第1表「{a}」、第6表「{b}」")),
            Some("被保険者証の最新の区分に合わせ、区分変更があれば計画を見直してください。"),
        );
    }
}
