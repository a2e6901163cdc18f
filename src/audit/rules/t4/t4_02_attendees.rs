//! # 何を検査するか
//! 第4表に会議出席者（所属（職種）と氏名）と、本人・家族の出席の有無が書かれているか。
//!
//! # なぜ問題か
//! 誰が会議で意見を述べたかが分からないと、計画が関係者の合意で作られたことを示せません。
//!
//! # 例
//! 会議出席者 空欄。
//!
//! # 直し方
//! 出席者の所属（職種）・氏名と、本人・家族の出席の有無を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第4表（会議出席者）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T4_02: Rule = Rule {
    info: RuleInfo {
        code: "T4-02",
        severity: Severity::Warning,
        title: "会議出席者・本人家族の出席が書かれていない",
        check: Check::Exact,
        needs: &[Needs::Table4],
        applies: Applies::Care,
        source: include_str!("t4_02_attendees.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for m in cx.plan.table4.iter().filter(|m| !crate::audit::records::blank_meeting(m)) {
        let mut missing = Vec::new();
        if m.attendees.is_empty() {
            missing.push("会議出席者の所属（職種）・氏名");
        }
        if m.person_attendance.is_none() && m.family_attendance.is_none() {
            missing.push("本人・家族の出席の有無");
        }
        if !missing.is_empty() {
            out.push(m.source.clone(), format!("{}を記載してください。", missing.join("、および")), None, None);
        }
    }
}
