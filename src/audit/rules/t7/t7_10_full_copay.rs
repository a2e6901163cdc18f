//! # 何を検査するか
//! 第7表で区分支給限度基準を超える単位数がある行の利用者負担（全額負担分）が、超える単位数 × 単位数単価
//! （円未満切り捨て）と一致するか。
//!
//! # なぜ問題か
//! 限度額を超えた部分は保険給付の対象外で、利用者が全額を負担します。計算が違うと、利用者への請求額が誤ります。
//!
//! # 例
//! 超える単位数 1,200、単位数単価 11.40円、利用者負担（全額負担分）13,000円（正しくは 13,680円）。
//!
//! # 直し方
//! 超える単位数 × 単位数単価を計算し、円未満を切り捨てて記載してください。
//!
//! # 根拠
//! サービス利用票別表の記載要領（全額負担分、端数処理）。

use crate::audit::rules::Amount;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_10: Rule = Rule {
    info: RuleInfo {
        code: "T7-10",
        severity: Severity::Error,
        title: "全額負担分の計算が一致しない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_10_full_copay.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    for row in t7.rows.iter().chain(t7.totals.iter()) {
        let a = &row.amounts;
        let (Some(over), Some(price), Some(found)) =
            (a.get("category_over_units").copied(), a.get("unit_price").copied(), a.get("copay_full").copied())
        else {
            continue;
        };
        if over <= 0.0 {
            continue;
        }
        // 単位数単価 has two decimals: compute in hundredths.
        let expected = ((over.round() as i64) * ((price * 100.0).round() as i64)) / 100;
        if found.round() as i64 == expected {
            continue;
        }
        out.push(
            row.source.clone(),
            format!(
                "利用者負担（全額負担分）が一致しません：超える単位数 {} × 単位数単価 {}円 ＝ {expected}円（切り捨て）、記載 {}円。",
                Amount(over),
                Amount(price),
                Amount(found)
            ),
            Some(format!("超える単位数 {}、単位数単価 {}、全額負担分 {}", Amount(over), Amount(price), Amount(found))),
            None,
        );
    }
}
