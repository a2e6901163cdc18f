//! # 何を検査するか
//! ライフサポートワーク様式2への記入が必要なこととして、情報として知らせます（第4表の誤りではありません）。
//! 様式2（カンファレンス用紙）の確認事項が書かれているか。第4表の結論・残された課題から作られます。
//!
//! # なぜ問題か
//! カンファレンスでは、本人・家族・事業所で「当面のことだけでも必ず確認」します。確認事項がないと、
//! 何を共有し、誰が何をするのかが残りません。
//!
//! # 例
//! 第4表の結論と残された課題が空欄。
//!
//! # 直し方
//! カンファレンスで確認したこと（当面の対応だけでも）を書いてください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-2 様式2。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static L2_04: Rule = Rule {
    info: RuleInfo {
        code: "L2-04",
        severity: Severity::Info,
        title: "様式2 カンファレンスの確認事項の記入が必要",
        check: Check::Exact,
        needs: &[Needs::Table4],
        applies: Applies::Care,
        source: include_str!("l2_04_nothing_confirmed.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for f in &cx.forms.form2 {
        if f.confirmed.is_empty() {
            let date = f.date.map(crate::audit::rules::wareki).unwrap_or_else(|| "日付なし".into());
            out.push(
                    f.source.clone(),
                    format!("ライフサポートワーク様式2に記入が必要です：カンファレンス（{date}）の確認事項（当面のことだけでも必ず確認します）。"),
                    f.consideration.first().map(|p| p.text.clone()),
                    Some("カンファレンスで確認したこと（当面の対応だけでも）を書いてください。"),
                );
        }
    }
}
