//! 第3表 週間サービス計画表.

pub mod t3_02_daily_activities;
pub mod t3_03_non_weekly_missing;
pub mod t3_04_weekly_count;
