//! # 何を検査するか
//! 第6表の区分支給限度基準額が、要介護状態区分と対象年月に施行されている基準額と一致するか。
//!
//! # なぜ問題か
//! 限度額を誤ると、区分支給限度基準を超える単位数や利用者負担の計算がすべてずれます。
//!
//! # 例
//! 令和7年10月、要介護2、区分支給限度基準額 19,616単位（令和元年9月以前の額）。
//!
//! # 直し方
//! 対象年月に施行されている基準額（要介護2は令和元年10月から19,705単位）に直してください。
//!
//! # 根拠
//! 区分支給限度基準額（令和元年10月改定）。値は mappings/audit-constants.toml に施行日つきで持っています。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T6_02: Rule = Rule {
    info: RuleInfo {
        code: "T6-02",
        severity: Severity::Error,
        title: "区分支給限度基準額が要介護度と一致しない",
        check: Check::Exact,
        needs: &[Needs::Table6],
        applies: Applies::All,
        source: include_str!("t6_02_limit_mismatch.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t6) = cx.plan.table6.as_deref() else { return };
    let (Some(level), Some(units)) = (t6.care_level.as_deref(), t6.limit_units) else { return };
    let Some(first) = crate::audit::rules::month_start(&t6.month) else { return };
    let Some(expected) = cx.constants.limit(level, first) else { return };
    if expected != units {
        let src = t6.sources.get("limit_units").cloned().unwrap_or_else(|| crate::audit::rules::table6_source(cx.plan));
        out.push(
            src,
            format!(
                "区分支給限度基準額が一致しません：{level}の{}年{}月時点の額は {expected}単位、記載 {units}単位。",
                &t6.month[..4],
                t6.month[5..].trim_start_matches('0')
            ),
            Some(format!(
                "対象年月 {}、要介護状態区分 {level}、区分支給限度基準額 {units}（施行中の額 {expected}）",
                t6.month
            )),
            Some("対象年月に施行されている区分支給限度基準額に直してください。"),
        );
    }
}
