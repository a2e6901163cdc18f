//! # 何を検査するか
//! 第7表の各明細の回数が、同じ月の第6表の同じ事業所・サービスコードの予定の合計回数（合計回数の欄、なければ
//! 予定日の数×1日の回数）と一致するか。
//!
//! # なぜ問題か
//! 第7表の回数は第6表の予定欄から1か月分の合計回数を転記したものです。一致しないと、単位数・利用者負担・
//! 給付管理がすべて予定と食い違います。
//!
//! # 例
//! 第6表の訪問介護の予定 9回、第7表の回数 8。
//!
//! # 直し方
//! 第6表の予定を数え直し、第7表の回数と単位数を直してください。
//!
//! # 根拠
//! サービス利用票別表の記載要領（回数は第6表の予定欄から1月間分の合計回数を記載）。

use crate::audit::rules::Amount;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_03: Rule = Rule {
    info: RuleInfo {
        code: "T7-03",
        severity: Severity::Error,
        title: "第7表の回数が第6表の予定合計と一致しない",
        check: Check::Exact,
        needs: &[Needs::Table6, Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_03_count_differs_from_table6.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let (Some(t6), Some(t7)) = (cx.plan.table6.as_deref(), cx.plan.table7.as_deref()) else { return };
    if t6.month != t7.month {
        return;
    }
    for row in t7.rows.iter().filter(|r| r.row_kind == "detail") {
        let (Some(code), Some(count)) = (row.service_code.as_deref(), row.amounts.get("count").copied()) else {
            continue;
        };
        let same = |r: &&crate::model::Table6Row| {
            r.service_code.as_deref() == Some(code)
                && (row.provider_code.is_none() || r.provider_code == row.provider_code)
        };
        let planned: Vec<_> = t6.rows.iter().filter(same).collect();
        if planned.is_empty() {
            continue;
        }
        let total: i64 = planned
            .iter()
            .map(|r| r.planned_total.unwrap_or(r.dates.len() as i64 * r.count_per_day.unwrap_or(1).max(1)))
            .sum();
        if (count - total as f64).abs() < 0.5 {
            continue;
        }
        out.push(
            row.source.clone(),
            format!(
                "第7表の回数（{}）が第6表の予定合計回数（{total}）と一致しません：{}（{code}）。",
                Amount(count),
                row.provider.as_deref().unwrap_or("事業所名なし")
            ),
            Some(format!("対象年月 {}、第7表の回数 {}、第6表の予定合計 {total}", t7.month, Amount(count))),
            None,
        );
    }
}
