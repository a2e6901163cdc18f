//! `lsw`: home-care plans (居宅サービス計画書 第1〜7表) → one canonical plan
//! model → Life Support Work forms, audits and reports.
//!
//! The pipeline runs one way (docs/ARCHITECTURE.md):
//! [`ingest`] → [`mapping`] → [`model`] → … → [`batch`] writes the outputs.

/// This build's identity: a hash of its sources, embedded assets and locked
/// dependencies (build.rs). Part of every run's settings fingerprint.
pub const BUILD_ID: &str = env!("LSW_BUILD_ID");

pub mod audit;
pub mod batch;
pub mod cli;
pub mod diag;
pub mod files;
pub mod hash;
pub mod ingest;
pub mod lsw;
pub mod mapping;
pub mod memo;
pub mod model;
pub mod render;
pub mod summary;
pub mod text;
