//! # 何を検査するか
//! 第2表のサービス内容が、サービスの種類の名前（デイサービス・ヘルパー・訪問介護 など）だけでないか。
//!
//! # なぜ問題か
//! サービス内容は短期目標の達成に何をするかを示す欄です。種別名だけでは、提供する内容も方針も分かりません。
//!
//! # 例
//! サービス内容「デイサービス」。
//!
//! # 直し方
//! 短期目標の達成に必要な具体的内容と方針を書いてください（例：入浴時の移乗・洗身の一部介助）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（サービス内容）。判定は文言による推定です。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_15: Rule = Rule {
    info: RuleInfo {
        code: "T2-15",
        severity: Severity::Warning,
        title: "サービス内容が種別名だけ",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_15_service_only_a_name.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for sv in cx.services() {
        let v = sv.service;
        let Some(c) = &v.content else { continue };
        let n = sv.content.trim_end_matches(['。', '.']);
        if n.is_empty() {
            continue;
        }
        // The whole content is one name of a service (the catalogue's, or a
        // generic word such as デイ), or repeats the サービス種別.
        let one_name = cx.catalogue.is_name(n)
            || cx.constants.records.service_words.terms().iter().any(|w| w == n)
            || (!sv.kind.is_empty() && n == sv.kind);
        if one_name {
            out.push(
                crate::audit::rules::at(&v.sources, "content", &v.source),
                format!("サービス内容「{c}」が種別名のみです。短期目標の達成に必要な具体的内容と方針を記載してください（例：入浴時の移乗・洗身介助）。"),
                Some(c.clone()),
                None,
            );
        }
    }
}
