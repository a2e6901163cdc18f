//! 様式3 ライフサポートプラン①.

pub mod l3_02_no_goal;
pub mod l3_03_goal_period;
pub mod l3_04_role_missing;
