//! 小規模多機能型居宅介護.

pub mod k_01_not_combinable;
pub mod k_03_no_living_support_reason;
