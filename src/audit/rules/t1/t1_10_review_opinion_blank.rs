//! # 何を検査するか
//! 第1表「介護認定審査会の意見及びサービスの種類の指定」が空欄でないか。
//!
//! # なぜ問題か
//! 被保険者証に意見や指定があれば計画に反映しなければなりません。空欄では、意見がなかったのか
//! 転記を忘れたのか区別できません。
//!
//! # 例
//! 欄が空欄。
//!
//! # 直し方
//! 被保険者証の記載を転記し、記載がない場合は「なし」と書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（老企第29号）。

use crate::audit::rules::t1_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_10: Rule = Rule {
    info: RuleInfo {
        code: "T1-10",
        severity: Severity::Warning,
        title: "審査会の意見欄が空欄",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("t1_10_review_opinion_blank.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.declares(crate::model::fields::F::ReviewOpinion) {
        return;
    }
    if cx.plan.table1.review_opinion.as_deref().is_none_or(|v| v.trim().is_empty()) {
        out.push(
            t1_source(cx.plan, "review_opinion"),
            "介護認定審査会の意見及びサービスの種類の指定欄が空欄です（記載がない場合は「なし」と記載）。".into(),
            None,
            Some("被保険者証の記載を転記し、ない場合は「なし」と書いてください。"),
        );
    }
}
