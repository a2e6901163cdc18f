//! The rule registry: one rule per file, grouped by family. Codes are the
//! audit catalogue's and are never reused; `all()` lists them in code order.

pub mod l3;
pub mod t1;
pub mod t2;
pub mod t6;
pub mod t7;
pub mod x;

use super::Rule;
use crate::diag::Source;
use crate::model::CarePlan;

pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: &[&dyn Rule] = &[
        &l3::l3_02_no_goal::L3_02,
        &t1::t1_02_dates_and_kind::T1_02,
        &t1::t1_03_certified_without_dates::T1_03,
        &t1::t1_04_plan_outside_certification::T1_04,
        &t1::t1_07_empty_intentions::T1_07,
        &t1::t1_10_review_opinion_blank::T1_10,
        &t2::t2_01_incomplete_need::T2_01,
        &t2::t2_04_short_goal_outside_long::T2_04,
        &t6::t6_02_limit_mismatch::T6_02,
        &t7::t7_04_service_units::T7_04,
        &x::x_02_care_level_mismatch::X_02,
    ];
    ALL
}

/// The position of a 第1表 field, or of the 第1表 itself, or of the plan's first input.
pub fn t1_source(plan: &CarePlan, field: &str) -> Source {
    plan.table1.sources.get(field).cloned().or_else(|| plan.table1.source.clone()).unwrap_or_else(|| plan_source(plan))
}

/// The plan's first input file.
pub fn plan_source(plan: &CarePlan) -> Source {
    plan.provenance.inputs.first().map(|i| Source::file(i.file.as_str())).unwrap_or_default()
}

/// `令和7年4月1日` for messages.
pub fn wareki(d: chrono::NaiveDate) -> String {
    crate::model::wareki::date(d)
}
