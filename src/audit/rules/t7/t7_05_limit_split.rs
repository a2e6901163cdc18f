//! # 何を検査するか
//! 第7表の合計で、区分支給限度基準を超える単位数が max(0, 合計 − 限度額)、基準内単位数が 合計 − 超える単位数 になっているか。
//!
//! # なぜ問題か
//! 限度額を超えた分は全額自己負担です。計算が違うと、利用者負担と保険請求の両方が誤ります。
//!
//! # 例
//! 合計 20,000単位、限度額 19,705単位、超える単位数 0。
//!
//! # 直し方
//! 限度額と合計から、超える単位数と基準内単位数を計算し直してください。
//!
//! # 根拠
//! 第7表の記載例の計算。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_05: Rule = Rule {
    info: RuleInfo {
        code: "T7-05",
        severity: Severity::Error,
        title: "区分支給限度基準を超える・内の単位数が合わない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_05_limit_split.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    let Some(total) = &t7.totals else { return };
    let limit = cx.plan.table6.as_deref().and_then(|t| t.limit_units).or(cx.plan.table1.certification.limit_units);
    let Some(limit) = limit else { return };
    let a = &total.amounts;
    let Some(sum) = a.get("service_units").copied() else { return };
    let over = a.get("category_over_units").copied().unwrap_or(0.0);
    let within = a.get("category_within_units").copied();
    let want_over = (sum - limit as f64).max(0.0);
    let bad_over = (over - want_over).abs() > 0.5;
    let bad_within = within.is_some_and(|w| (w - (sum - over)).abs() > 0.5);
    if bad_over || bad_within {
        let amount = crate::audit::rules::Amount;
        let want_within = sum - want_over;
        let within_text = match within {
            Some(w) => format!("基準内 記載 {}（正しくは {}）", amount(w), amount(want_within)),
            None => format!("基準内 記載なし（正しくは {}）", amount(want_within)),
        };
        out.push(
            total.source.clone(),
            format!(
                "区分支給限度基準を超える単位数／基準内単位数の計算が一致しません：合計 {}、限度額 {limit}、超える 記載 {}（正しくは {}）、{within_text}。",
                amount(sum),
                amount(over),
                amount(want_over)
            ),
            Some(format!("対象年月 {}、合計 {}、限度額 {limit}", t7.month, amount(sum))),
            None,
        );
    }
}
