//! # 何を検査するか
//! 第1表の説明・同意日が書かれているか。説明・同意日の欄を持たない入力の計画は調べません。
//! 同意日がサービスの開始より後になっていることは PR-08 が知らせます。
//!
//! # なぜ問題か
//! 居宅サービス計画は、利用者に説明し文書で同意を得てから交付します。同意の記録がないと、同意を得たことを示せず、
//! 運営基準減算の対象になり得ます。
//!
//! # 例
//! 説明・同意日 空欄。
//!
//! # 直し方
//! 計画を説明し同意を得た日を記入し、利用者の署名（または電磁的な同意の記録）を残してください。
//!
//! # 根拠
//! 運営基準 第13条第10号；ケアプラン点検支援マニュアル 第1表 確認事項《1》（利用者のサイン）。

use crate::audit::rules::t1_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_06: Rule = Rule {
    info: RuleInfo {
        code: "PR-06",
        severity: Severity::Error,
        title: "説明・同意日がない",
        check: Check::Exact,
        needs: &[Needs::Table1, Needs::Consent],
        applies: Applies::Care,
        source: include_str!("pr_06_no_consent.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if cx.plan.table1.consent_on.is_some() {
        return;
    }
    out.push(
        t1_source(cx.plan, "consent_on"),
        "居宅サービス計画の説明・同意日が記載されていません（利用者の同意を確認できません）。".into(),
        None,
        None,
    );
}
