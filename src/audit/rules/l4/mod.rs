//! 様式4 ライフサポートプラン② (24時間の暮らし; carries 第3表).

pub mod l4_01_day_not_covered;
pub mod l4_03_support_without_carer;
