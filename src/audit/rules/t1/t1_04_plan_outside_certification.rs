//! # 何を検査するか
//! 居宅サービス計画作成（変更）日が認定の有効期間の外にないか。「申請中」の計画と、有効期間の
//! 開始・終了が前後している計画（T1-03 が知らせます）は調べません。
//!
//! # なぜ問題か
//! 有効期間外の日付で作った計画は、どの認定に基づく計画かが分からず、更新・区分変更に伴う
//! 見直しが漏れている可能性があります。
//!
//! # 例
//! 作成（変更）日 令和7年4月1日、認定の有効期間 令和5年4月1日〜令和7年3月31日。
//!
//! # 直し方
//! 最新の被保険者証の認定情報に書き換えるか、作成日を確認してください。
//!
//! # 根拠
//! 認定の有効期間と計画の関係から本ツールが導いた確認です。

use crate::audit::rules::{t1_source, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_04: Rule = Rule {
    info: RuleInfo {
        code: "T1-04",
        severity: Severity::Warning,
        title: "作成日が認定の有効期間外",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::All,
        source: include_str!("t1_04_plan_outside_certification.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let c = &cx.plan.table1.certification;
    let (Some(date), Some(from), Some(to)) = (cx.plan.key.plan_date, c.valid_from, c.valid_to) else { return };
    if c.status.as_deref() == Some("申請中") || from > to {
        return;
    }
    if date < from || date > to {
        out.push(
            t1_source(cx.plan, "certification.valid_from"),
            format!(
                "計画作成（変更）日（{}）が認定の有効期間（{}〜{}）の外です。認定情報・作成日を確認してください。",
                wareki(date),
                wareki(from),
                wareki(to)
            ),
            Some(format!("作成（変更）日 {}、有効期間 {}〜{}", wareki(date), wareki(from), wareki(to))),
            None,
        );
    }
}
