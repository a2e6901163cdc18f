//! # 何を検査するか
//! 第7表の短期入所の累計利用日数が、前月までの利用日数＋当月の計画利用日数と一致するか。
//!
//! # なぜ問題か
//! 累計利用日数は、短期入所が認定の有効期間のおおむね半数を超えないか（PR-15）を確かめる元です。計算が違うと、
//! その確認ができません。
//!
//! # 例
//! 前月までの利用日数 20、当月の計画利用日数 7、累計利用日数 25（正しくは 27）。
//!
//! # 直し方
//! 前月までの利用日数と当月の計画利用日数を足して、累計利用日数を直してください。
//!
//! # 根拠
//! サービス利用票別表の記載要領（短期入所利用日数）。

use crate::audit::rules::Amount;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_13: Rule = Rule {
    info: RuleInfo {
        code: "T7-13",
        severity: Severity::Error,
        title: "短期入所の累計利用日数の計算が一致しない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_13_short_stay_days.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    for row in t7.rows.iter().chain(t7.totals.iter()) {
        let a = &row.amounts;
        let (Some(before), Some(planned), Some(found)) =
            (a.get("days_before").copied(), a.get("days_planned").copied(), a.get("days_cumulative").copied())
        else {
            continue;
        };
        let expected = before + planned;
        if (expected - found).abs() < 0.5 {
            continue;
        }
        out.push(
            row.source.clone(),
            format!(
                "短期入所の累計利用日数の計算が一致しません：前月まで {} ＋ 当月の計画 {} ＝ {}日、記載 {}日。",
                Amount(before),
                Amount(planned),
                Amount(expected),
                Amount(found)
            ),
            Some(format!("前月まで {}、当月 {}、累計 {}", Amount(before), Amount(planned), Amount(found))),
            None,
        );
    }
}
