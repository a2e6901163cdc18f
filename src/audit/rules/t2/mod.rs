//! 第2表 居宅サービス計画書(2).

pub mod t2_01_incomplete_need;
pub mod t2_02_long_goal_period;
pub mod t2_03_short_goal_period;
pub mod t2_04_short_goal_outside_long;
pub mod t2_05_period_outside_certification;
pub mod t2_07_long_equals_short;
pub mod t2_08_need_equals_long_goal;
pub mod t2_09_vague_short_goal;
pub mod t2_10_goal_as_helper_action;
pub mod t2_14_short_goal_without_service;
pub mod t2_15_service_only_a_name;
pub mod t2_16_insured_mark;
pub mod t2_17_provider_missing;
pub mod t2_19_frequency;
pub mod t2_21_equipment_reason;
pub mod t2_22_home_help_reason;
