//! 第6表 サービス利用票.

pub mod t6_02_limit_mismatch;
pub mod t6_05_total_mismatch;
pub mod t6_06_outside_plan;
