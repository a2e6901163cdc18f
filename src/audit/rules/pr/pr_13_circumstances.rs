//! # 何を検査するか
//! 居宅訪問の記録がない月について、第5表に書かれた理由を確かめます。
//! 利用者側の事情（入院・入所・拒否・体調不良 など）が書かれた月は、それが「特段の事情」に当たるかの確認を求めます
//! （その月は PR-10 を出しません）。事業所側の理由（研修・都合・多忙 など）だけが書かれた月は、特段の事情に当たらない
//! ことを知らせます（その月は PR-10 も出ます）。
//!
//! # なぜ問題か
//! 毎月の居宅訪問は、利用者側の特段の事情があるときだけ省けます。その事情は記録しなければならず、介護支援専門員の
//! 都合は特段の事情に当たりません。扱いは保険者によって異なります。
//!
//! # 例
//! 令和7年6月「CMの研修日程と重なったため、モニタリング訪問を7/1に変更」。
//!
//! # 直し方
//! 利用者側の特段の事情があった場合は、その内容と訪問できなかった理由を記録してください。事業所側の都合の場合は訪問してください。
//!
//! # 根拠
//! 運営基準 第13条第14号（特段の事情のない限り）；解釈通知（特段の事情は利用者の事情）。判定は語による推定です。

use super::visits::months_of;
use crate::audit::records::month_ja;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_13: Rule = Rule {
    info: RuleInfo {
        code: "PR-13",
        severity: Severity::Warning,
        title: "居宅訪問がない月の特段の事情の記録を確認",
        check: Check::Heuristic,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("pr_13_circumstances.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for m in months_of(cx).into_iter().filter(|m| !m.home_visit) {
        let month = month_ja(m.month);
        let message = match (&m.circumstance, &m.other_reason) {
            (Some(c), _) => format!(
                "{month}は居宅訪問の記録がなく、「{c}」が記録されています。利用者側の特段の事情に当たるか、保険者の取扱いも確認してください。"
            ),
            (None, Some(r)) => format!(
                "{month}は居宅訪問の記録がなく、理由として「{r}」が記録されています。事業所側の理由は特段の事情に当たりません。"
            ),
            (None, None) => continue,
        };
        out.push(m.at, message, m.circumstance.or(m.other_reason), None);
    }
}
