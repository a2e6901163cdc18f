//! # 何を検査するか
//! 第2表で、サービス内容のない短期目標、または短期目標のないサービスがないか。
//!
//! # なぜ問題か
//! サービスは短期目標の達成に必要なものとして位置付けます。対応が分からないと、サービス導入の根拠が説明できません。
//!
//! # 例
//! 短期目標「杖で歩く」の行にサービス内容がない。
//!
//! # 直し方
//! 短期目標ごとに必要なサービスを書くか、サービスを対応する短期目標の行に移してください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第2表（短期目標の達成に必要であって最適なサービス）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T2_14: Rule = Rule {
    info: RuleInfo {
        code: "T2-14",
        severity: Severity::Warning,
        title: "短期目標に対応するサービスがない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("t2_14_short_goal_without_service.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    for need in &cx.plan.table2.needs {
        for g in &need.long_goals {
            for s in &g.short_goals {
                match (&s.text, s.services.is_empty()) {
                    (Some(t), true) => out.push(
                        s.source.clone(),
                        format!("短期目標「{t}」に対応するサービスがありません。"),
                        None,
                        None,
                    ),
                    (None, false) => {
                        for v in &s.services {
                            out.push(
                                v.source.clone(),
                                format!(
                                    "サービス「{}」がどの短期目標の達成のためのものか不明です。",
                                    v.content.as_deref().unwrap_or("")
                                ),
                                None,
                                None,
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
