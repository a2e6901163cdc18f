//! # 何を検査するか
//! 第2表に位置付けた福祉用具貸与・特定福祉用具販売について、その福祉用具が必要な理由が書かれているか。
//! サービス内容に「〜のため」「必要」「理由」「防ぐ」などの理由を示す言葉があるかで推定します。
//!
//! # なぜ問題か
//! 福祉用具を計画に位置付ける場合は、利用が妥当かを検討し、必要な理由を計画に記載しなければなりません。
//! 理由がないと、継続の必要性を検証することもできません。
//!
//! # 例
//! サービス種別「福祉用具貸与」、サービス内容「手すり」。
//!
//! # 直し方
//! 「浴槽をまたぐ際の転倒を防ぐための手すりの貸与」のように、どの生活行為のために必要かを書いてください。
//!
//! # 根拠
//! 指定居宅介護支援等の事業の人員及び運営に関する基準 第13条第22号・第23号；居宅サービス計画書記載要領 第2表。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_21: Rule = Rule {
    info: RuleInfo {
        code: "T2-21",
        severity: Severity::Error,
        title: "福祉用具が必要な理由がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        source: include_str!("t2_21_equipment_reason.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for sv in cx.services() {
        let v = sv.service;
        let kind = v.kind.as_deref().unwrap_or("");
        let what = if kind.contains("福祉用具貸与") {
            "貸与"
        } else if kind.contains("福祉用具販売") || kind.contains("特定福祉用具") {
            "販売"
        } else {
            continue;
        };
        let content = v.content.as_deref().unwrap_or("");
        if cx.constants.words.reasons.find(&sv.content).is_some() {
            continue;
        }
        out.push(
            crate::audit::rules::at(&v.sources, "content", &v.source),
            format!(
                "福祉用具{what}「{}」を必要とする理由が記載されていません。",
                if content.is_empty() { kind } else { content }
            ),
            Some(content.to_string()).filter(|c| !c.is_empty()),
            Some("どの生活行為のために必要か（「〜のため」）をサービス内容に書いてください。"),
        );
    }
}
