//! # 何を検査するか
//! 第1表で「認定済」なのに、認定日または認定の有効期間が書かれていないか。
//!
//! # なぜ問題か
//! 認定の有効期間は、目標の期間や計画の見直し時期を決める前提です。認定済なのに日付がないと、
//! 期間の設定が正しいか確かめられません。
//!
//! # 例
//! 認定済・申請中「■認定済」、認定日 空欄。
//!
//! # 直し方
//! 被保険者証から認定日と認定の有効期間（開始・終了）を転記してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（老企第29号）。

use crate::audit::rules::t1_source;
use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_03: Rule = Rule {
    info: RuleInfo {
        code: "T1-03",
        severity: Severity::Error,
        title: "認定済なのに認定日・有効期間がない",
        check: Check::Exact,
        needs: &[Needs::Table1],
        source: include_str!("t1_03_certified_without_dates.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let t1 = &cx.plan.table1;
    let c = &t1.certification;
    if c.status.as_deref() != Some("認定済") {
        return;
    }
    let mut missing = Vec::new();
    if c.certified_on.is_none() {
        missing.push("認定日");
    }
    if c.valid_from.is_none() || c.valid_to.is_none() {
        missing.push("認定の有効期間");
    }
    if !missing.is_empty() {
        out.push(
            t1_source(cx.plan, "certification.status"),
            format!("「認定済」ですが{}が記載されていません。", missing.join("・")),
            Some(format!("認定状況=認定済 認定日={:?} 有効期間={:?}〜{:?}", c.certified_on, c.valid_from, c.valid_to)),
            Some("被保険者証から認定日と認定の有効期間を転記してください。"),
        );
    }
}
