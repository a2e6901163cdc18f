//! # 何を検査するか
//! 同じ計画の第1表・第2表・第3表で作成年月日が一致するか。
//!
//! # なぜ問題か
//! 作成日が表ごとに違うと、別の版の表が混ざっている可能性があります。
//!
//! # 例
//! 第1表 令和7年4月1日、第2表 令和7年3月25日。
//!
//! # 直し方
//! 同じ版の表を組み合わせ、作成日をそろえてください。
//!
//! # 根拠
//! 帳票間の整合（本ツールによる確認）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static X_05: Rule = Rule {
    info: RuleInfo {
        code: "X-05",
        severity: Severity::Warning,
        title: "第1〜3表の作成日が一致しない",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Table2],
        applies: Applies::All,
        source: include_str!("x_05_plan_dates_differ.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let dates: Vec<(&str, chrono::NaiveDate)> = [
        ("第1表", cx.plan.table1.created_on),
        ("第2表", cx.plan.table2.created_on),
        ("第3表", cx.plan.table3.created_on),
    ]
    .into_iter()
    .filter_map(|(t, d)| d.map(|d| (t, d)))
    .collect();
    if dates.windows(2).any(|w| w[0].1 != w[1].1) {
        let list: Vec<String> = dates.iter().map(|(t, d)| format!("{t} {}", crate::audit::rules::wareki(*d))).collect();
        out.push(
            crate::audit::rules::t1_source(cx.plan, "created_on"),
            format!("同一計画の第1〜3表で作成（変更）日が一致しません（{}）。", list.join("、")),
            None,
            None,
        );
    }
}
