//! 第2表 居宅サービス計画書(2).

pub mod t2_01_incomplete_need;
pub mod t2_04_short_goal_outside_long;
