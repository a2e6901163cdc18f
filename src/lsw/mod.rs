//! Life Support Work forms: canonical plan → 様式1〜4.
//!
//! In: a [`CarePlan`](crate::model::CarePlan) and the compiled rules
//! (`mappings/lsw.toml`). Out: [`LswForms`](crate::model::lsw::LswForms),
//! following the guide's 対照表: 第1表 → 様式3, 第2表 → 様式3 + 様式4,
//! 第3表 → 様式4, 第4表 → 様式2, 第5表 → 様式1, 第6/7表 kept as they are.
//! Whatever no rule places goes to `unclassified` with its source and reason.

pub mod convert;
pub mod rules;

pub use convert::convert;
