//! # 何を検査するか
//! 第7表の各明細で、サービス単位数が「単位数（割引後があればその単位数）× 回数」と一致するか。
//!
//! # なぜ問題か
//! サービス単位数は限度額管理と利用者負担の計算の元です。掛け算が合わない行は、転記か計算の誤りです。
//!
//! # 例
//! 単位数 387、回数 9、サービス単位数 3,400（正しくは 3,483）。
//!
//! # 直し方
//! 単位数と回数を第6表の予定と照らし、サービス単位数を計算し直してください。
//!
//! # 根拠
//! 第7表の記載例の計算（単位数 × 回数）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_04: Rule = Rule {
    info: RuleInfo {
        code: "T7-04",
        severity: Severity::Error,
        title: "サービス単位数が単位数×回数と一致しない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_04_service_units.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    for row in t7.rows.iter().filter(|r| r.row_kind == "detail") {
        let a = &row.amounts;
        let units = a.get("discounted_units").or(a.get("units")).copied();
        let (Some(units), Some(count), Some(total)) = (units, a.get("count").copied(), a.get("service_units").copied())
        else {
            continue;
        };
        let expected = units * count;
        if (expected - total).abs() > 0.5 {
            let amount = crate::audit::rules::Amount;
            out.push(
                row.source.clone(),
                format!(
                    "サービス単位数が一致しません：単位数 {} × 回数 {} ＝ {}、記載 {}（{}、サービスコード {}）。",
                    amount(units),
                    amount(count),
                    amount(expected),
                    amount(total),
                    row.provider.as_deref().unwrap_or("事業所名なし"),
                    row.service_code.as_deref().unwrap_or("記載なし")
                ),
                Some(format!("単位数 {}、回数 {}、サービス単位数 {}", amount(units), amount(count), amount(total))),
                Some("第6表の予定と照らしてサービス単位数を計算し直してください。"),
            );
        }
    }
}
