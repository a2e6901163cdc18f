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

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static X_01: Rule = Rule {
    info: RuleInfo {
        code: "X-01",
        severity: Severity::Error,
        title: "帳票間で利用者名・生年月日が一致しない",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::All,
        source: include_str!("x_01_name_or_birth_mismatch.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    use crate::model::PlanField;
    for c in &cx.plan.conflicts {
        if !matches!(c.field, PlanField::PersonName | PlanField::PersonBirthDate) {
            continue;
        }
        let what = c.field.label();
        let at = c.kept_source.clone().unwrap_or_else(|| crate::audit::rules::plan_source(cx.plan));
        out.push(
            at,
            format!(
                "帳票間で{what}が一致しません（{}：{}、{}：{}）。",
                c.kept_source.as_ref().map_or_else(|| "先に読んだ帳票".to_string(), |s| s.describe()),
                c.kept,
                c.other_source.describe(),
                c.other
            ),
            Some(format!("{} / {}", c.kept, c.other)),
            Some("被保険者証に合わせて帳票の氏名・生年月日をそろえてください。"),
        );
    }
}
