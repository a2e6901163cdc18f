//! # 何を検査するか
//! 第5表の記録が日付順に並んでいるか（日付が前に戻っていないか）。
//!
//! # なぜ問題か
//! 支援経過は時系列で読むものです。順序が乱れていると、対応の流れを誤って読むおそれがあります。
//!
//! # 例
//! 令和7年7月1日の記録の次に令和7年6月20日の記録。
//!
//! # 直し方
//! 記録を日付順に並べ直してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第5表（時系列で記載）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T5_02: Rule = Rule {
    info: RuleInfo {
        code: "T5-02",
        severity: Severity::Warning,
        title: "支援経過が時系列になっていない",
        check: Check::Exact,
        needs: &[Needs::Table5],
        applies: Applies::Care,
        source: include_str!("t5_02_chronological.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    // One finding per plan: the entries dated before one written above them.
    let mut last: Option<chrono::NaiveDate> = None;
    let mut back: Vec<String> = Vec::new();
    let mut first = None;
    for e in &cx.plan.table5 {
        let Some(d) = e.date else { continue };
        if let Some(prev) = last.filter(|p| d < *p) {
            first.get_or_insert_with(|| (e.source.clone(), prev));
            back.push(crate::audit::rules::wareki(d));
        }
        last = Some(last.map_or(d, |p| p.max(d)));
    }
    let Some((at, prev)) = first else { return };
    out.push(
        at,
        format!(
            "支援経過が時系列になっていません（{} の後に {}）。",
            crate::audit::rules::wareki(prev),
            back.join("・")
        ),
        None,
        None,
    );
}
