//! Consistency across tables.

pub mod x_02_care_level_mismatch;
