//! # 何を検査するか
//! 計画が介護予防サービス・支援計画（要支援1・2・事業対象者の計画、事業所名が「…（予防）」「地域包括支援センター」の計画、
//! 様式名が「介護予防サービス・支援計画」の計画、介護予防・総合事業のサービスだけの計画）として読めるか。
//! そう読めた計画には、居宅サービス計画（居宅介護支援）の様式と運営基準に基づく点検を行わず、行わなかった点検を
//! 理由とともにこの情報で示します。第6・7表の計算、認定の情報、福祉用具（軽度者・複数貸与・選択制）の点検は行います。
//!
//! # なぜ問題か
//! 介護予防サービス・支援計画は様式も基準（介護予防支援の運営基準：3か月に1回の居宅訪問など）も居宅サービス計画と
//! 異なります。居宅の基準で点検すると、誤った指摘になります。
//!
//! # 例
//! 要介護状態区分「要支援2」の計画。
//!
//! # 直し方
//! 対応は不要です。介護予防の基準での点検は保険者（地域包括支援センター）の点検によってください。
//!
//! # 根拠
//! 指定介護予防支援等の事業の人員及び運営並びに指定介護予防支援等に係る介護予防のための効果的な支援の方法に関する基準。

use crate::audit::{Applies, Check, Cx, Out, Rule, RuleInfo, Severity};

pub static Y_01: Rule = Rule {
    info: RuleInfo {
        code: "Y-01",
        severity: Severity::Info,
        title: "介護予防の計画：居宅サービス計画の点検の一部を行っていない",
        check: Check::Exact,
        needs: &[],
        applies: Applies::All,
        source: include_str!("y_01_preventive_plan.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(reason) = cx.kind().preventive.as_deref() else { return };
    let skipped: Vec<&str> = super::super::all()
        .iter()
        .map(|r| r.info())
        .filter(|i| i.applies == Applies::Care && cx.config.enabled(i.code))
        .map(|i| i.code)
        .collect();
    out.push(
        crate::audit::rules::plan_source(cx.plan),
        format!(
            "介護予防サービス・支援計画として読み取りました（{reason}）。居宅サービス計画の様式・運営基準に基づく次の点検は行っていません：{}。",
            skipped.join("・")
        ),
        Some(reason.to_string()),
        None,
    );
}
