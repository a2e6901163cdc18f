//! # 何を検査するか
//! 生活援助中心型の訪問介護が基準回数（PR-16）以上のとき、第2表の生活援助の行（身体介護だけの行を除く訪問介護の行）の
//! サービス内容・ニーズ・短期目標に、その回数の生活援助が必要な事情が書かれているか。本人ができない事情（麻痺・認知症・
//! 視力低下 など）、家族が担えない事情（遠方・就労・疾病 など）、療養上の事情（食事療法・服薬）を事情とみなします。
//! 家事の種類・回数の言い換え、「必要に応じて」「本人の希望」「前回同様」、第1表の算定理由（一人暮らし）は事情になりません。
//!
//! # なぜ問題か
//! 基準回数以上の生活援助を位置付ける場合、その必要性を居宅サービス計画に記載することが求められます。
//! 届出を受けた保険者は、その記載をもとに検証します。
//!
//! # 例
//! 要介護1で生活援助２を月30回、第2表の訪問介護は「調理・掃除」とだけ書かれている。
//!
//! # 直し方
//! 「長女が遠方で調理ができず、本人は認知症で火の管理ができないため、夕食の調理が毎日必要」のように、回数が必要な事情を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表；平成30年厚生労働省告示第218号；運営基準 第13条第18号の2。

use crate::audit::rules::{living_support, table6_source, LivingSupport};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_22: Rule = Rule {
    info: RuleInfo {
        code: "T2-22",
        severity: Severity::Error,
        title: "基準回数以上の訪問介護に必要な理由がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2, Needs::Table6],
        applies: Applies::Care,
        source: include_str!("t2_22_home_help_reason.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(LivingSupport { level, threshold, visits: n, .. }) = living_support(cx) else { return };
    if n < threshold {
        return;
    }
    let reasons = &cx.constants.words.home_help_reasons;
    let living: Vec<_> = cx
        .services()
        .iter()
        .filter(|sv| sv.resolved.is_some_and(|m| m.service.code.as_deref() == Some("11")))
        .filter(|sv| {
            // A row of 身体介護 only (入浴介助 …) is not the 生活援助 the count is about.
            let body = sv.kind.contains("身体") || sv.content.contains("身体");
            !body || sv.kind.contains("生活") || sv.content.contains("生活")
        })
        .collect();
    let stated = living.iter().any(|sv| {
        let need = sv.need.text.as_deref().map(crate::text::norm_cow).unwrap_or_default();
        let short = sv.short.text.as_deref().map(crate::text::norm_cow).unwrap_or_default();
        reasons.any(&sv.content) || reasons.any(&need) || reasons.any(&short)
    });
    if stated {
        return;
    }
    let at = living.first().map(|sv| sv.service.source.clone()).unwrap_or_else(|| table6_source(cx.plan));
    out.push(
        at,
        format!("基準回数以上（{level}：{threshold}回/月、計画 {n}回）の生活援助中心型訪問介護を位置付けていますが、その回数が必要な事情（本人・家族ができない理由など）が第2表に記載されていません。"),
        living.first().and_then(|sv| sv.service.content.clone()),
        Some("第2表の訪問介護の行に、その回数の生活援助が必要な事情（本人・家族ができない理由など）を書いてください。"),
    );
}
