//! # 何を検査するか
//! 第6表の予定で、生活援助中心型の訪問介護（生活援助２・３）の月の回数が、要介護度ごとの基準回数
//! （平成30年10月から 要介護1 27回・要介護2 34回・要介護3 43回・要介護4 38回・要介護5 31回）以上か。
//! 身体介護に引き続き行う生活援助（身体１生活１など）は数えません。
//!
//! # なぜ問題か
//! 基準回数以上の生活援助中心型訪問介護を位置付けた計画は、訪問介護が必要な理由を計画に記載し、
//! 作成・変更した月の翌月末までに保険者へ届け出なければなりません。
//!
//! # 例
//! 要介護1、令和7年10月の第6表に生活援助２が 28回。
//!
//! # 直し方
//! 第2表に訪問介護が必要な理由を書き、保険者へ届け出てください。
//!
//! # 根拠
//! 運営基準 第13条第18号の2；平成30年厚生労働省告示第218号。回数とサービスコードは
//! mappings/audit-constants.toml に施行日つきで持っています。

use crate::audit::rules::{living_support, table6_source, LivingSupport};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_16: Rule = Rule {
    info: RuleInfo {
        code: "PR-16",
        severity: Severity::Warning,
        title: "生活援助中心型の訪問介護が基準回数以上",
        check: Check::Exact,
        needs: &[Needs::Table6],
        applies: Applies::Care,
        source: include_str!("pr_16_living_support_count.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t6) = cx.plan.table6.as_deref() else { return };
    let Some(LivingSupport { level, threshold, visits: n, rows }) = living_support(cx) else { return };
    if n >= threshold {
        let codes: Vec<&str> = rows.iter().filter_map(|r| r.service_code.as_deref()).collect();
        out.push(
                table6_source(cx.plan),
                format!(
                    "生活援助中心型の訪問介護が基準回数（{level}：{threshold}回/月）以上です（{}年{}月 {n}回）。訪問介護が必要な理由を計画に記載し、作成・変更月の翌月末までに保険者へ届け出てください。",
                    &t6.month[..4.min(t6.month.len())],
                    t6.month.get(5..).unwrap_or("").trim_start_matches('0')
                ),
                Some(format!("対象年月 {}、要介護度 {level}、回数 {n}、サービスコード {}", t6.month, codes.join("・"))),
                Some("第2表に訪問介護が必要な理由を記載し、保険者へ届け出てください。"),
            );
    }
}
