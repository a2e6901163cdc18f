//! # 何を検査するか
//! 第1表で「認定済」なのに、認定日または認定の有効期間が書かれていないか。
//! 認定の有効期間の開始日が終了日より後になっていないか（「認定済」かどうかを問わず）。
//!
//! # なぜ問題か
//! 認定の有効期間は、目標の期間や計画の見直し時期を決める前提です。認定済なのに日付がない、
//! または期間が前後していると、期間の設定が正しいか確かめられません。
//!
//! # 例
//! 認定済・申請中「■認定済」、認定日 空欄。認定の有効期間 令和7年7月1日〜令和7年6月30日。
//!
//! # 直し方
//! 被保険者証から認定日と認定の有効期間（開始・終了）を転記してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（老企第29号）。

use crate::audit::rules::{t1_source, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_03: Rule = Rule {
    info: RuleInfo {
        code: "T1-03",
        severity: Severity::Error,
        title: "認定済なのに認定日・有効期間がない（または前後している）",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::All,
        source: include_str!("t1_03_certified_without_dates.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let c = &cx.plan.table1.certification;
    if let (Some(from), Some(to)) = (c.valid_from, c.valid_to) {
        if from > to {
            out.push(
                t1_source(cx.plan, "certification.valid_from"),
                format!("認定の有効期間の開始日（{}）が終了日（{}）より後になっています。", wareki(from), wareki(to)),
                c.valid_period.clone(),
                Some("被保険者証の認定の有効期間（開始・終了）を確かめて直してください。"),
            );
            return;
        }
    }
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
        let written = [
            c.certified_on.map(|d| format!("認定日 {}", wareki(d))),
            c.valid_from.map(|d| format!("有効期間の開始 {}", wareki(d))),
            c.valid_to.map(|d| format!("有効期間の終了 {}", wareki(d))),
        ];
        let written: Vec<String> = written.into_iter().flatten().collect();
        out.push(
            t1_source(cx.plan, "certification.status"),
            format!("「認定済」ですが{}が記載されていません。", missing.join("・")),
            Some(if written.is_empty() {
                "認定済（日付の記載なし）".to_string()
            } else {
                format!("認定済（{}）", written.join("、"))
            }),
            Some("被保険者証から認定日と認定の有効期間を転記してください。"),
        );
    }
}
