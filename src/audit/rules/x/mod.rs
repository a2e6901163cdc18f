//! Consistency across tables.

pub mod x_01_name_or_birth_mismatch;
pub mod x_02_care_level_mismatch;
pub mod x_04_service_sets_differ;
pub mod x_05_plan_dates_differ;
