//! Rendering: the forms and reports people print or open.
//!
//! In: [`LswForms`](crate::model::lsw::LswForms) and the audit findings. Out:
//! bytes of an xlsx workbook (rust_xlsxwriter) and PDFs typeset by typst
//! embedded as a library ([`pdf`]).

pub mod display;
pub mod findings_xlsx;
pub mod pdf;
pub mod text;
pub mod xlsx;
