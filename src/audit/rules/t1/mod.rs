//! 第1表 居宅サービス計画書(1).

pub mod t1_01_required_fields;
pub mod t1_02_dates_and_kind;
pub mod t1_03_certified_without_dates;
pub mod t1_04_plan_outside_certification;
pub mod t1_05_certification_ending;
pub mod t1_06_intentions_not_separated;
pub mod t1_07_empty_intentions;
pub mod t1_10_review_opinion_blank;
pub mod t1_11_abstract_policy;
pub mod t1_12_no_emergency_plan;
pub mod t1_13_living_support_without_reason;
