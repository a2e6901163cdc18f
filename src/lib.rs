//! `lsw`: home-care plans (居宅サービス計画書 第1〜7表) → one canonical plan
//! model → Life Support Work forms, audits and reports.
//!
//! The pipeline runs one way (docs/ARCHITECTURE.md):
//! [`ingest`] → [`mapping`] → [`model`] → … → [`batch`] writes the outputs.

pub mod batch;
pub mod cli;
pub mod diag;
pub mod ingest;
pub mod lsw;
pub mod mapping;
pub mod model;
pub mod render;
