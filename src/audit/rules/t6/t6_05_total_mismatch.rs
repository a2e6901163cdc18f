//! # 何を検査するか
//! 第6表の各サービスで、日ごとの予定の記載（回数の合計）が合計回数（予定）と一致するか。
//! 合計回数の欄を持つ入力（帳票形式の第6表など）で検査します。標準仕様の CSV は日ごとのレコードだけで
//! 合計回数を持たないため、その計画では「検査できなかったルール」に挙がります。
//!
//! # なぜ問題か
//! 第6表の合計回数は第7表の回数・単位数に転記され、給付管理の元になります。日別の記載と合わない合計は、
//! 予定の変更漏れか転記の誤りです。
//!
//! # 例
//! 訪問介護の予定が 月・木の 9日分、合計回数 8。
//!
//! # 直し方
//! 日別の予定を数え直し、合計回数を直してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第6表（予定・実績の合計回数）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T6_05: Rule = Rule {
    info: RuleInfo {
        code: "T6-05",
        severity: Severity::Error,
        title: "第6表の合計回数が日別の記載と一致しない",
        check: Check::Exact,
        needs: &[Needs::Table6Totals],
        applies: Applies::All,
        source: include_str!("t6_05_total_mismatch.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t6) = cx.plan.table6.as_deref() else { return };
    for r in &t6.rows {
        let Some(total) = r.planned_total else { continue };
        let marked = r.dates.len() as i64 * r.count_per_day.unwrap_or(1).max(1);
        if marked != total {
            let service = r.provider.clone().or(r.service_code.clone()).unwrap_or_else(|| "サービス".into());
            out.push(
                r.sources.first().cloned().unwrap_or_default(),
                format!("{service}の予定合計回数が一致しません：日別の記載から {marked}回、記載 {total}回。"),
                Some(format!(
                    "サービスコード {}、予定日数 {}、1日の回数 {}、合計回数 {total}",
                    r.service_code.as_deref().unwrap_or("記載なし"),
                    r.dates.len(),
                    r.count_per_day.unwrap_or(1)
                )),
                Some("日別の予定を数え直し、合計回数を直してください。"),
            );
        }
    }
}
