//! Rendering: the forms and reports people print or open.
//!
//! In: [`LswForms`](crate::model::lsw::LswForms) (and later findings). Out:
//! bytes of an xlsx workbook (rust_xlsxwriter); PDF via typst comes later.

pub mod findings_xlsx;
pub mod xlsx;
