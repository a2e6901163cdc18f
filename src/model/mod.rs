//! The canonical model.
//!
//! In: records produced by the mapping layer. Out: [`CarePlan`] values, one
//! per plan identity (保険者番号, 被保険者番号, 計画作成日), with every value's
//! source position. `plan.json` is this model serialised.

pub mod conflict;
pub mod fields;
pub mod key;
pub mod lsw;
pub mod plan;
pub mod services;
pub mod smallmap;
pub mod speakers;
pub mod wareki;

pub use conflict::{Conflict, PlanField};
pub use key::{KeyBasis, PersonKey, PlanKey};
pub use plan::*;
