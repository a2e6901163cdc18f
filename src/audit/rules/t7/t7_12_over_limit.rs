//! # 何を検査するか
//! 第7表で区分支給限度基準を超える単位数があるとき、その理由と全額自己負担についての利用者の同意が
//! 第5表（支援経過）または第4表（担当者会議）に記録されているか。「超過」「全額自己負担」などの言葉で推定します。
//!
//! # なぜ問題か
//! 限度額を超えた部分は全額自己負担です。なぜ超えるのか、利用者がそれを理解し同意したのかの記録が必要です。
//!
//! # 例
//! 区分支給限度基準を超える単位数 1,200、第5表に超過についての記載がない。
//!
//! # 直し方
//! 超過が必要な理由と、全額自己負担の説明・同意を支援経過に記録してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第7表；運営基準 第13条（利用者への説明と同意）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_12: Rule = Rule {
    info: RuleInfo {
        code: "T7-12",
        severity: Severity::Warning,
        title: "限度額超過の理由・同意の記録がない",
        check: Check::Heuristic,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_12_over_limit.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    let Some(totals) = t7.totals.as_ref() else { return };
    let over =
        totals.amounts.get("category_over_units").or(totals.amounts.get("type_over_units")).copied().unwrap_or(0.0);
    if over <= 0.0 {
        return;
    }
    let words = &cx.constants.records.over_limit;
    let recorded =
        cx.plan.table5.iter().any(|e| e.content.as_deref().is_some_and(|c| words.any(&crate::text::norm_cow(c))))
            || cx.plan.table4.iter().any(|m| {
                [&m.discussion, &m.conclusion, &m.items]
                    .iter()
                    .any(|t| t.as_deref().is_some_and(|c| words.any(&crate::text::norm_cow(c))))
            });
    if !recorded {
        out.push(
                totals.source.clone(),
                format!("区分支給限度基準額を{}単位超過しています。超過の理由と全額自己負担について利用者の同意を記録してください。", crate::audit::rules::Amount(over)),
                Some(format!("対象年月 {}、区分支給限度基準を超える単位数 {}", t7.month, crate::audit::rules::Amount(over))),
                Some("超過が必要な理由と、全額自己負担の説明・同意を支援経過（第5表）に記録してください。"),
            );
    }
}
