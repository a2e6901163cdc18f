//! # 何を検査するか
//! ライフサポートワーク様式4への記入が必要なこととして、情報として知らせます（第2表・第3表の誤りではありません）。
//! 様式4の時間帯ごとの「支援すべきこと」に、担い手（本人・家族・地域・事業所〈通い／訪問／宿泊〉）が書かれているか。
//!
//! # なぜ問題か
//! 支援が必要なことが分かっていても、誰が行うのかが決まっていなければ支援は行われません。
//!
//! # 例
//! 21時「夜間の声かけ」が必要とされているが、本人・家族・地域・事業所のどの欄も空。
//!
//! # 直し方
//! その時間帯の支援を誰が行うか（家族、近所の人、事業所の訪問・宿泊など）を書いてください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式4。

use crate::audit::rules::plan_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L4_03: Rule = Rule {
    info: RuleInfo {
        code: "L4-03",
        severity: Severity::Info,
        title: "様式4 支援内容の担い手の記入が必要",
        check: Check::Exact,
        needs: &[Needs::Table3],
        applies: Applies::Care,
        source: include_str!("l4_03_support_without_carer.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for s in &cx.forms.form4.slots {
        let su = &s.support;
        if s.support_needed.is_empty()
            || !(su.person.is_empty() && su.family.is_empty() && su.community.is_empty() && su.office.is_empty())
        {
            continue;
        }
        for p in &s.support_needed {
            out.push(
                p.source.clone().unwrap_or_else(|| plan_source(cx.plan)),
                format!(
                    "ライフサポートワーク様式4に記入が必要です：支援内容「{}」（{}）の担い手（本人・家族・地域・事業所〈通い/訪問/宿泊〉）。",
                    p.text, s.time
                ),
                None,
                Some("その時間帯の支援を誰が行うかを書いてください。"),
            );
        }
    }
}
