//! # 何を検査するか
//! 第7表の短期入所の累計利用日数（前月までの利用日数＋当月の計画利用日数）が、第1表の認定の有効期間の日数の半数を
//! 超えていないか。累計が書かれていなければ前月まで＋当月から数えます。
//!
//! # なぜ問題か
//! 短期入所の利用日数は、認定の有効期間のおおむね半数を超えないようにしなければなりません。超える場合は、
//! 利用者の心身の状況等を勘案して特に必要と認められることを計画に記録する必要があります。
//!
//! # 例
//! 認定の有効期間 令和7年4月1日〜令和8年3月31日（365日）、短期入所の累計利用日数 190日。
//!
//! # 直し方
//! 短期入所が特に必要な理由を第5表・第4表に記録するか、利用計画を見直してください。
//!
//! # 根拠
//! 運営基準 第13条第21号。

use crate::audit::rules::{wareki, Amount};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_15: Rule = Rule {
    info: RuleInfo {
        code: "PR-15",
        severity: Severity::Warning,
        title: "短期入所の利用日数が認定期間の半数を超える",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Table7],
        applies: Applies::Care,
        source: include_str!("pr_15_short_stay_half.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t7) = cx.plan.table7.as_deref() else { return };
    let c = &cx.plan.table1.certification;
    let (Some(from), Some(to)) = (c.valid_from, c.valid_to) else { return };
    if from > to {
        return;
    }
    let days_valid = (to - from).num_days() + 1;
    for row in t7.rows.iter().chain(t7.totals.iter()) {
        let a = &row.amounts;
        let cumulative = a.get("days_cumulative").copied().or_else(|| {
            let (b, p) = (a.get("days_before").copied(), a.get("days_planned").copied());
            (b.is_some() || p.is_some()).then(|| b.unwrap_or(0.0) + p.unwrap_or(0.0))
        });
        let Some(n) = cumulative else { continue };
        if n * 2.0 <= days_valid as f64 {
            continue;
        }
        out.push(
            row.source.clone(),
            format!(
                "短期入所の累計利用日数（{}日）が認定の有効期間（{}〜{}、{days_valid}日）の半数（{}日）を超えています。必要性を第5表・第4表に記載してください。",
                Amount(n),
                wareki(from),
                wareki(to),
                days_valid / 2
            ),
            Some(format!("対象年月 {}、累計利用日数 {}日", t7.month, Amount(n))),
            None,
        );
        return;
    }
}
