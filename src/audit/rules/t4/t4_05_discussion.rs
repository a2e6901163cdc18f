//! # 何を検査するか
//! 第4表の検討した項目・検討内容・結論が書かれているか。
//!
//! # なぜ問題か
//! 会議の要点が残っていないと、計画のどの部分がどう合意されたのか後から確かめられません。
//!
//! # 例
//! 結論 空欄。
//!
//! # 直し方
//! 検討した項目・検討内容・結論（原案の合意・修正内容を含む）を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T4_05: Rule = Rule {
    info: RuleInfo {
        code: "T4-05",
        severity: Severity::Warning,
        title: "検討した項目・検討内容・結論がない",
        check: Check::Exact,
        needs: &[Needs::Table4],
        applies: Applies::Care,
        source: include_str!("t4_05_discussion.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for m in cx.plan.table4.iter().filter(|m| !crate::audit::records::blank_meeting(m)) {
        let missing: Vec<&str> = [("検討した項目", &m.items), ("検討内容", &m.discussion), ("結論", &m.conclusion)]
            .iter()
            .filter(|(_, v)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
            .map(|(l, _)| *l)
            .collect();
        if !missing.is_empty() {
            out.push(
                m.source.clone(),
                format!("{}を記載してください（結論には原案の合意・修正内容を含める）。", missing.join("・")),
                None,
                None,
            );
        }
    }
}
