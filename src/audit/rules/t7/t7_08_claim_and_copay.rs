//! # 何を検査するか
//! 第7表の各行で、保険給付額が 費用総額 × 給付率（円未満切り捨て）、利用者負担が 費用総額 − 保険給付額 と一致するか。
//!
//! # なぜ問題か
//! 給付額と負担額の誤りは、返戻や利用者への過大・過少請求につながります。
//!
//! # 例
//! 費用総額 80,632円、給付率 90%、保険給付額 72,568円、利用者負担 8,063円（正しくは 8,064円）。
//!
//! # 直し方
//! 保険給付額を切り捨てで計算し、利用者負担を差し引きで計算し直してください。
//!
//! # 根拠
//! 第7表の記載例の計算。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_08: Rule = Rule {
    info: RuleInfo {
        code: "T7-08",
        severity: Severity::Error,
        title: "保険給付額・利用者負担が合わない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_08_claim_and_copay.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    for row in t7.rows.iter().chain(t7.totals.iter()) {
        let a = &row.amounts;
        let (Some(cost), Some(rate), Some(claim)) =
            (a.get("total_cost").copied(), a.get("benefit_rate").copied(), a.get("insurance_claim").copied())
        else {
            continue;
        };
        let cost_i = cost.round() as i64;
        let want_claim = cost_i * (rate.round() as i64) / 100;
        let copay = a.get("copay_insured").copied();
        let amount = crate::audit::rules::Amount;
        let bad_claim = claim.round() as i64 != want_claim;
        let bad_copay = copay.is_some_and(|c| c.round() as i64 != cost_i - claim.round() as i64);
        if bad_claim || bad_copay {
            let want_copay = cost_i - want_claim;
            let copay_text = match copay {
                Some(c) => format!("利用者負担 記載 {}円（正しくは {want_copay}円）", amount(c)),
                None => format!("利用者負担 記載なし（正しくは {want_copay}円）"),
            };
            out.push(
                row.source.clone(),
                format!(
                    "保険給付額または利用者負担額の計算が一致しません：費用総額 {cost_i}円 × 給付率 {}% ＝ 保険給付額 {want_claim}円（切り捨て）、記載 {}円；{copay_text}。",
                    amount(rate),
                    amount(claim)
                ),
                Some(format!("費用総額 {cost_i}、給付率 {}、保険給付額 {}", amount(rate), amount(claim))),
                None,
            );
        }
    }
}
