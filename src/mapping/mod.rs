//! Mapping: cells with positions → records of the canonical model, through
//! declarative mapping files (`mappings/*.toml`).
//!
//! In: an [`Ingested`](crate::ingest::Ingested) file and the loaded mappings.
//! Out: [`Record`]s (one per CSV record, table row, grid slot or form sheet),
//! each field a transformed [`Value`] with its [`Source`], plus problems.
//! Grouping records into plans is [`assemble`]'s job.

pub mod apply;
pub mod assemble;
pub mod detect;
pub mod load;
pub mod schema;
pub mod transforms;
pub mod value;

use crate::diag::Source;
pub use load::{load_str, Mapping, MappingProblem};
use schema::Target;
use std::collections::BTreeMap;
pub use value::{Period, Value};

/// The mappings shipped in the binary, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("mhlw-careplan-v4", include_str!("../../mappings/mhlw-careplan-v4.toml")),
    ("honobono-next", include_str!("../../mappings/honobono-next.toml")),
    ("excel-form", include_str!("../../mappings/excel-form.toml")),
];

/// Loads every shipped mapping. They are tested, so a failure is a bug.
pub fn builtin() -> Result<Vec<Mapping>, String> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            load_str(text, &format!("builtin:{name}")).map_err(|ps| {
                let lines: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                format!("組み込みマッピング「{name}」に誤りがあります:\n{}", lines.join("\n"))
            })
        })
        .collect()
}

/// The JSON Schema of mapping files (`schemas/mapping.schema.json`).
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(schema::MappingFile);
    serde_json::to_value(schema).unwrap_or_default()
}

/// One field of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub value: Value,
    pub source: Source,
}

/// One record read from a file: a CSV record, a table row, a grid slot or a
/// form sheet.
#[derive(Debug, Clone)]
pub struct Record {
    pub target: Target,
    pub mapping: String,
    pub source_id: String,
    /// Index of the input file in the run (records of one workbook share it).
    pub file_index: usize,
    /// Where the record starts.
    pub source: Source,
    /// Reading order inside the file.
    pub seq: u64,
    pub fields: BTreeMap<String, Field>,
    /// Lists of sub-records (e.g. 第4表 会議出席者).
    pub lists: BTreeMap<String, Vec<BTreeMap<String, Field>>>,
    /// Fields that continue blank cells (from the mapping's grouping.fill_down).
    pub fill_down: Vec<String>,
    pub order_by: Vec<String>,
}

impl Record {
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.fields.get(name).map(|f| &f.value).filter(|v| !v.is_empty())
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.value(name).map(|v| v.display())
    }

    pub fn source_of(&self, name: &str) -> Option<&Source> {
        self.fields.get(name).map(|f| &f.source)
    }
}

/// NFKC and no white space at all: how labels and headers are compared.
pub fn norm_label(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect()
}
