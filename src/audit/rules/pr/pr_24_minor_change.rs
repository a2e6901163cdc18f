//! # 何を検査するか
//! 第5表で「軽微な変更」として扱った記録に、軽微な変更に当たる根拠・判断（曜日・回数・事業所名称・目標期間の延長など
//! どの例に当たるか、なぜそう判断したか）が書かれているか。また、軽微な変更に当たらない変更（福祉用具やサービスの追加・中止、
//! 新規の導入、更新・区分変更）を軽微な変更として扱っていないか。
//!
//! # なぜ問題か
//! 軽微な変更は、担当者会議などの一連の手順を省ける例外です。当たるかどうかの判断と根拠を記録しなければならず、
//! 当たらない変更を軽微として扱うと、運営基準減算の対象になり得ます。
//!
//! # 例
//! 第5表「軽微な変更としてデイサービスを追加した。」
//!
//! # 直し方
//! 軽微な変更の例のどれに当たるか、その判断の根拠を記録してください。当たらない変更は、アセスメント・担当者会議・
//! 同意の手順で計画を変更してください。
//!
//! # 根拠
//! 介護保険最新情報 Vol.959（軽微な変更の例）；運営基準 第13条第16号；居宅サービス計画書記載要領 第5表。判定は語による推定です。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_24: Rule = Rule {
    info: RuleInfo {
        code: "PR-24",
        severity: Severity::Warning,
        title: "軽微な変更の根拠がない・軽微な変更に当たらない",
        check: Check::Heuristic,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("pr_24_minor_change.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let r = &cx.constants.records;
    for e in &cx.plan.table5 {
        let text = crate::text::norm_cow(&format!(
            "{}{}",
            e.item.as_deref().unwrap_or(""),
            e.content.as_deref().unwrap_or("")
        ))
        .into_owned();
        if !r.minor_change.any(&text) {
            continue;
        }
        let date = e.date.map(crate::audit::rules::wareki).unwrap_or_else(|| "日付の記載なし".into());
        let message = if let Some(w) = r.never_minor.find(&text) {
            format!("「軽微な変更」として扱っていますが、軽微な変更に当たらない可能性があります（{date}、「{w}」）。")
        } else if !r.minor_grounds.any(&text) {
            format!("「軽微な変更」として扱っていますが、該当する理由（根拠・判断）の記録がありません（{date}）。")
        } else {
            continue;
        };
        out.push(e.source.clone(), message, e.content.clone(), None);
    }
}
