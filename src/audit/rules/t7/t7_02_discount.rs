//! # 何を検査するか
//! 第7表で割引を適用した明細の割引後単位数が「単位数 × 割引後率 ÷ 100」（小数点以下四捨五入）と一致するか。
//!
//! # なぜ問題か
//! 割引後単位数はサービス単位数・利用者負担の元です。計算がずれると請求とも合わなくなります。
//!
//! # 例
//! 単位数 658、割引後率 95%、割引後単位数 620（正しくは 625）。
//!
//! # 直し方
//! 単位数 × 割引後率 ÷ 100 を四捨五入して記載してください。
//!
//! # 根拠
//! サービス利用票別表の記載例（小数点以下四捨五入）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T7_02: Rule = Rule {
    info: RuleInfo {
        code: "T7-02",
        severity: Severity::Error,
        title: "割引後単位数の計算が一致しない",
        check: Check::Exact,
        needs: &[Needs::Table7],
        applies: Applies::All,
        source: include_str!("t7_02_discount.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    for row in t7.rows.iter().filter(|r| r.row_kind == "detail") {
        let a = &row.amounts;
        let (Some(units), Some(rate), Some(got)) =
            (a.get("units").copied(), a.get("discount_rate").copied(), a.get("discounted_units").copied())
        else {
            continue;
        };
        let expected = (units * rate / 100.0 + 0.5).floor();
        if (expected - got).abs() > 0.001 {
            let amount = crate::audit::rules::Amount;
            out.push(
                row.source.clone(),
                format!(
                    "割引後単位数の計算が一致しません：単位数 {} × 割引後率 {}% ＝ {}（四捨五入）、記載 {}（{}）。",
                    amount(units),
                    amount(rate),
                    amount(expected),
                    amount(got),
                    row.provider.as_deref().unwrap_or("事業所名なし")
                ),
                Some(format!("単位数 {}、割引後率 {}、割引後単位数 {}", amount(units), amount(rate), amount(got))),
                Some("単位数×割引後率÷100 を四捨五入して記載してください。"),
            );
        }
    }
}
