//! # 何を検査するか
//! 第1表の居宅サービス計画作成（変更）日・初回居宅サービス計画作成日・初回／紹介／継続の組み合わせ。
//!
//! # なぜ問題か
//! 作成日が初回作成日より前、「初回」なのに作成日と初回作成日が違う、「継続」なのに両方が同じ日、
//! のどれかは記載の誤りで、計画の経過（いつから支援しているか）が読み取れなくなります。
//!
//! # 例
//! 作成（変更）日 令和7年4月1日、初回作成日 令和7年4月1日、区分「継続」。
//!
//! # 直し方
//! 初回作成日は最初の計画の日付のまま残し、区分は初回・紹介・継続の定義に合わせて選び直してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表 ⑥〜⑧（老企第29号）。整合性の判定は本ツールによる。

use crate::audit::rules::{t1_source, wareki};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_02: Rule = Rule {
    info: RuleInfo {
        code: "T1-02",
        severity: Severity::Error,
        title: "作成日・初回作成日・計画区分の矛盾",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::All,
        source: include_str!("t1_02_dates_and_kind.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let p = cx.plan;
    let (Some(date), Some(first)) = (p.key.plan_date, p.table1.first_created_on) else { return };
    let kind = p.table1.plan_kind.as_deref().unwrap_or("");
    let problem = if date < first {
        Some(format!("作成（変更）日（{}）が初回居宅サービス計画作成日（{}）より前です", wareki(date), wareki(first)))
    } else if kind.contains("初回") && date != first {
        Some(format!(
            "計画区分が「初回」ですが、作成（変更）日（{}）と初回作成日（{}）が違います",
            wareki(date),
            wareki(first)
        ))
    } else if kind == "継続" && date == first {
        Some(format!("計画区分が「継続」ですが、作成（変更）日と初回作成日が同じ（{}）です", wareki(date)))
    } else {
        None
    };
    if let Some(m) = problem {
        out.push(
            t1_source(p, "first_created_on"),
            format!("{m}。作成（変更）日・初回作成日・初回/紹介/継続の記載を確認してください。"),
            Some(format!("作成（変更）日 {}、初回作成日 {}、区分「{kind}」", wareki(date), wareki(first))),
            Some("初回作成日は最初の計画の日付のまま残し、区分は定義に合わせて選んでください。"),
        );
    }
}
