//! # 何を検査するか
//! 生活援助中心型の訪問介護が基準回数（PR-16）以上のとき、第2表に訪問介護が必要な理由が書かれているか。
//! 訪問介護の行のサービス内容、またはそのニーズに「〜のため」「必要」「理由」などの言葉があるかで推定します。
//!
//! # なぜ問題か
//! 基準回数以上の生活援助を位置付ける場合、その必要性を居宅サービス計画に記載することが求められます。
//! 届出を受けた保険者は、その記載をもとに検証します。
//!
//! # 例
//! 要介護1で生活援助２を月30回、第2表の訪問介護は「調理・掃除」とだけ書かれている。
//!
//! # 直し方
//! 「長女が遠方で調理ができないため、夕食の調理が毎日必要」のように、回数が必要な理由を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表；平成30年厚生労働省告示第218号；運営基準 第13条第18号の2。

use crate::audit::rules::{living_support, table6_source, LivingSupport};
use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_22: Rule = Rule {
    info: RuleInfo {
        code: "T2-22",
        severity: Severity::Error,
        title: "基準回数以上の訪問介護に必要な理由がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2, Needs::Table6],
        source: include_str!("t2_22_home_help_reason.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(LivingSupport { level, threshold, visits: n, .. }) = living_support(cx) else { return };
    if n < threshold {
        return;
    }
    let reasons = &cx.constants.words.reasons;
    let home_help: Vec<_> =
        cx.services().iter().filter(|sv| sv.service.kind.as_deref().is_some_and(|k| k.contains("訪問介護"))).collect();
    let stated = home_help.iter().any(|sv| {
        reasons.find(&sv.content).is_some()
            || sv.need.text.as_deref().is_some_and(|t| t.contains("訪問介護") && reasons.any(t))
    });
    if !stated {
        let at = home_help.first().map(|sv| sv.service.source.clone()).unwrap_or_else(|| table6_source(cx.plan));
        out.push(
                at,
                format!("基準回数以上（{level}：{threshold}回/月、計画 {n}回）の生活援助中心型訪問介護を位置付けていますが、訪問介護が必要な理由が記載されていません。"),
                home_help.first().and_then(|sv| sv.service.content.clone()),
                Some("第2表の訪問介護のサービス内容に、その回数が必要な理由を書いてください。"),
            );
    }
}
