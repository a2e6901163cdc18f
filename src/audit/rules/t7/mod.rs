//! 第7表 サービス利用票別表.

pub mod t7_02_discount;
pub mod t7_03_count_differs_from_table6;
pub mod t7_04_service_units;
pub mod t7_05_limit_split;
pub mod t7_07_total_cost;
pub mod t7_08_claim_and_copay;
pub mod t7_10_full_copay;
pub mod t7_12_over_limit;
pub mod t7_13_short_stay_days;
