//! # 何を検査するか
//! ライフサポートワーク様式3のニーズごとに、本人・家族（介護者）・地域・専門職（事業所）のそれぞれができること（取り組み）の
//! 記入が必要か。様式3は第2表から作るので、居宅サービス計画で書かれていない欄は、小規模多機能の介護支援専門員が記入する
//! ことを情報として知らせます（居宅サービス計画の誤りではありません）。第2表のサービスは、サービスの目録で専門職・事業所
//! （訪問入浴・通所リハビリを含む）か、家族・地域かに振り分けられています。
//!
//! # なぜ問題か
//! ライフサポートプランは、事業所のサービスだけでなく、本人の力、家族の関わり、地域の関係を合わせて暮らしを支えます。
//! ガイドは「常に地域の項目を設けている」とし、特に本人と地域の欄が空になることを戒めています。
//!
//! # 例
//! ニーズ「外に出て人と話す機会を持ちたい」に事業所の通所介護だけが書かれ、本人・家族・地域の欄が空。
//!
//! # 直し方
//! 本人ができること、家族ができること、地域（近所・友人・民生委員など）ができることを書いてください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-1 第2表、3-2 様式3。

use crate::audit::rules::plan_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L3_04: Rule = Rule {
    info: RuleInfo {
        code: "L3-04",
        severity: Severity::Info,
        title: "様式3 本人・家族・地域・事業所の取り組みの記入が必要",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("l3_04_role_missing.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    // 様式3 has a row per 当面の目標; a need's roles are those of all its rows.
    let needs = &cx.forms.form3.needs;
    let mut i = 0;
    while i < needs.len() {
        let n = &needs[i];
        let rows = needs[i..].iter().take_while(|m| m.need == n.need).count();
        let group = &needs[i..i + rows];
        i += rows;
        let roles = [
            ("本人", group.iter().all(|m| m.person.is_empty())),
            ("家族・介護者", group.iter().all(|m| m.family.is_empty())),
            ("地域", group.iter().all(|m| m.community.is_empty())),
            ("専門職・事業所", group.iter().all(|m| m.office.is_empty())),
        ];
        let missing: Vec<&str> = roles.iter().filter(|(_, empty)| *empty).map(|(r, _)| *r).collect();
        if missing.is_empty() {
            continue;
        }
        out.push(
            n.need.source.clone().unwrap_or_else(|| plan_source(cx.plan)),
            format!(
                "ライフサポートワーク様式3に記入が必要です：ニーズ「{}」について{}ができること（取り組み）。",
                n.need.text,
                missing.join("、")
            ),
            None,
            Some("本人・家族・地域・事業所それぞれの取り組みを書いてください（地域の欄は常に設けます）。"),
        );
    }
}
