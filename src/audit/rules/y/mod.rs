//! 介護予防サービス・支援計画.

pub mod y_01_preventive_plan;
