//! 様式3 ライフサポートプラン①.

pub mod l3_02_no_goal;
