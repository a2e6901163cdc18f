//! # 何を検査するか
//! 第1〜7表（の読み込み元）で利用者名・生年月日が一致するか。
//!
//! # なぜ問題か
//! 帳票ごとに氏名や生年月日が違うと、別人の帳票が混ざっているか転記の誤りです。
//!
//! # 例
//! 第1表「山田 花子」、利用者補足情報「山田 華子」。
//!
//! # 直し方
//! 被保険者証に合わせて帳票をそろえてください。
//!
//! # 根拠
//! 帳票間の整合（本ツールによる確認）。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static X_01: Rule = Rule {
    info: RuleInfo {
        code: "X-01",
        severity: Severity::Error,
        title: "帳票間で利用者名・生年月日が一致しない",
        check: Check::Exact,
        needs: &[Needs::Table1],
        source: include_str!("x_01_name_or_birth_mismatch.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for (key, value) in cx.plan.table1.extra.iter() {
        let what = match key.as_str() {
            "conflict.name" => "利用者名",
            "conflict.birth_date" => "生年月日",
            _ => continue,
        };
        let first = if what == "利用者名" {
            cx.plan.person.name.clone()
        } else {
            cx.plan.person.birth_date.map(|d| d.to_string())
        };
        let src = cx
            .plan
            .person
            .sources
            .get(if what == "利用者名" { "name" } else { "birth_date" })
            .cloned()
            .unwrap_or_else(|| crate::audit::rules::plan_source(cx.plan));
        out.push(
            src,
            format!("帳票間で{what}が一致しません（{} と {value}）。", first.unwrap_or_default()),
            Some(value.clone()),
            None,
        );
    }
}
