//! 第1表 居宅サービス計画書(1).

pub mod t1_02_dates_and_kind;
pub mod t1_03_certified_without_dates;
pub mod t1_04_plan_outside_certification;
pub mod t1_07_empty_intentions;
pub mod t1_10_review_opinion_blank;
