//! # 何を検査するか
//! 家族がいる（第4表に家族の出席がある）のに、第1表の意向欄で本人と家族の意向が分けて書かれていないか。
//!
//! # なぜ問題か
//! 本人と家族の意向は異なることがあります。混ぜて書くと、誰が何を望んでいるのか分からず、本人主体の計画になりません。
//!
//! # 例
//! 意向欄「本人・家族ともに自宅での生活を望んでいる。」（【本人】【家族】などの区別がない）。
//!
//! # 直し方
//! 「本人：…」「長男：…」のように、それぞれの言葉を分けて書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（記入の仕方）。判定はキーワードによる推定です。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_06: Rule = Rule {
    info: RuleInfo {
        code: "T1-06",
        severity: Severity::Warning,
        title: "本人と家族の意向が区別されていない",
        check: Check::Heuristic,
        needs: &[Needs::Table1, Needs::Table4],
        source: include_str!("t1_06_intentions_not_separated.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let family_present = cx.plan.table4.iter().any(|m| m.family_attendance.as_deref().is_some_and(|v| !v.is_empty()))
        || cx.plan.table4.iter().flat_map(|m| &m.attendees).any(|a| {
            let t = format!("{}{}", a.affiliation.as_deref().unwrap_or(""), a.name.as_deref().unwrap_or(""));
            ["家族", "長男", "長女", "次男", "次女", "妻", "夫", "嫁", "娘", "息子"].iter().any(|w| t.contains(w))
        });
    let i = &cx.plan.table1.intentions;
    if family_present && i.person.is_none() && i.family.is_none() {
        if let Some(text) = &i.text {
            out.push(
                    crate::audit::rules::t1_source(cx.plan, "intentions.text"),
                    "本人と家族の意向が区別されていません。意向が異なる場合はそれぞれの主訴を区別して記載してください（例：本人：…／長男：…）。".into(),
                    Some(text.clone()),
                    Some("【本人の意向】【家族の意向】のように分けて書いてください。"),
                );
        }
    }
}
