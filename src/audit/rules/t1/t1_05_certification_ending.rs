//! # 何を検査するか
//! 点検日（`--audit-date`、省略時は実行日）に、認定の有効期間が終了している、または終了まで
//! 60日（`--config` の thresholds.expiry_notice_days）以内なのに、同じ利用者の新しい計画がないか。
//! 同じ実行の入力に新しい計画（作成日が後の計画）がある計画と「申請中」の計画は調べません。
//!
//! # なぜ問題か
//! 認定の更新に合わせて、アセスメント・サービス担当者会議・計画の見直しが必要です。有効期間が
//! 切れた認定に基づく計画のままでは、サービスの根拠がなくなります。
//!
//! # 例
//! 点検日 令和8年2月1日、認定の有効期間 令和7年4月1日〜令和8年3月31日（終了まで59日）。
//!
//! # 直し方
//! 更新申請の状況を確かめ、更新後の認定に合わせて計画を見直してください。
//!
//! # 根拠
//! 運営基準 第13条（更新認定を受けた場合の担当者会議・計画の変更）。日数の目安は本ツールの設定です。

use crate::audit::rules::{newer_plan, t1_source, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_05: Rule = Rule {
    info: RuleInfo {
        code: "T1-05",
        severity: Severity::Warning,
        title: "認定の有効期間が終了している・終了が近い",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::AuditDate],
        applies: Applies::All,
        source: include_str!("t1_05_certification_ending.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let (Some(today), Some(to)) = (cx.config.audit_date, cx.plan.table1.certification.valid_to) else { return };
    if newer_plan(cx.plan).is_some() || cx.plan.table1.certification.status.as_deref() == Some("申請中") {
        return;
    }
    let days = (to - today).num_days();
    let notice = i64::from(cx.config.thresholds.expiry_notice_days);
    let message = if days < 0 {
        format!(
            "認定の有効期間が{}に終了しています（点検日 {}、{}日経過）。更新後の認定に基づく計画がありません。",
            wareki(to),
            wareki(today),
            -days
        )
    } else if days <= notice {
        format!(
            "認定の有効期間が{}日後（{}）に終了します（点検日 {}）。更新に伴う計画の見直しを準備してください。",
            days,
            wareki(to),
            wareki(today)
        )
    } else {
        return;
    };
    out.push(
        t1_source(cx.plan, "certification.valid_to"),
        message,
        Some(format!("有効期間の終了 {}、点検日 {}", wareki(to), wareki(today))),
        None,
    );
}
