//! # 何を検査するか
//! 第7表の各行で、費用総額が 区分支給限度基準内単位数 × 単位数単価（円未満切り捨て）と一致するか。
//!
//! # なぜ問題か
//! 費用総額は保険請求額と利用者負担の元です。計算が違うと請求と負担が誤ります。
//!
//! # 例
//! 基準内単位数 7,073、単位数単価 11.40円、費用総額 80,633円（正しくは 80,632円）。
//!
//! # 直し方
//! 基準内単位数 × 単位数単価を計算し、円未満を切り捨ててください。
//!
//! # 根拠
//! 第7表の記載要領（端数処理）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_07: Rule = Rule {
    info: RuleInfo {
        code: "T7-07",
        severity: Severity::Error,
        title: "費用総額が単位数×単価と合わない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_07_total_cost.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    for row in t7.rows.iter().chain(t7.totals.iter()) {
        let a = &row.amounts;
        let (Some(within), Some(price), Some(cost)) =
            (a.get("category_within_units").copied(), a.get("unit_price").copied(), a.get("total_cost").copied())
        else {
            continue;
        };
        // 単位数単価 is written with two decimals: compute in hundredths to avoid float error.
        let expected = ((within.round() as i64) * ((price * 100.0).round() as i64)) / 100;
        if (cost.round() as i64) != expected {
            let amount = crate::audit::rules::Amount;
            out.push(
                row.source.clone(),
                format!(
                    "費用総額が一致しません：基準内単位数 {} × 単位数単価 {}円 ＝ {expected}円（切り捨て）、記載 {}円。",
                    amount(within),
                    amount(price),
                    amount(cost)
                ),
                Some(format!("基準内単位数 {}、単位数単価 {}、費用総額 {}", amount(within), amount(price), amount(cost))),
                None,
            );
        }
    }
}
