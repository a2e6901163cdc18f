//! The mapping-file format (`mappings/*.toml`), format version 1.
//!
//! A mapping says how to recognise a source file and where each field of the
//! canonical model is in it. Unknown keys are rejected (`deny_unknown_fields`)
//! and `schemas/mapping.schema.json` is generated from these types
//! (`lsw mapping schema`; a test keeps the committed copy current).

use crate::ingest::encoding::EncodingChoice;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FORMAT_VERSION: u32 = 1;

/// A mapping file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    /// Format version of this file; must be 1.
    pub format_version: u32,
    /// Short name used on the command line (`--mapping NAME`) and in manifest.json.
    pub name: String,
    /// Japanese title shown by `lsw mapping list`.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Encoding of CSV sources: `auto` (default), `cp932` or `utf-8`.
    #[serde(default)]
    pub encoding: EncodingChoice,
    /// The file kinds this mapping reads.
    pub sources: Vec<SourceSpec>,
}

pub use crate::model::fields::Target;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Csv,
    Excel,
}

/// One kind of file (or sheet) in the mapping.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Identifier, unique in the file (e.g. `up2kyo`).
    pub id: String,
    /// Japanese title.
    #[serde(default)]
    pub title: String,
    pub target: Target,
    pub kind: SourceKind,
    /// How to recognise the file.
    #[serde(rename = "match")]
    pub recognise: Recognise,
    /// CSV: the first record is a header row.
    #[serde(default)]
    pub header: bool,
    /// CSV: exact number of fields every record must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<usize>,
    /// CSV: records whose given column does not match are skipped (header
    /// lines of files that should have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_filter: Option<RowFilter>,
    /// Excel: regex on the sheet name (after NFKC) selecting the sheets to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Excel: a table region; each data row becomes a record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableSpec>,
    /// Excel: a weekly grid (第3表), days on either axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridSpec>,
    /// Fields of the target, by name (see `lsw mapping fields`).
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
    /// Excel: lists inside a form record (e.g. 第4表 会議出席者).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ListSpec>,
    /// How records group into plans and continue each other.
    #[serde(default)]
    pub grouping: Grouping,
}

/// Ways a source is recognised. Every given condition must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recognise {
    /// Regex on the file name (not the folder), case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// CSV: the header row must contain these names (after NFKC and trimming).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_has: Vec<String>,
    /// CSV: the first data record must match, column by column (1-based
    /// column → regex).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub first_record: BTreeMap<String, String>,
    /// Excel: the workbook must have a sheet matching each regex.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    /// Excel: these labels must appear on the selected sheet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RowFilter {
    /// 1-based column.
    pub column: usize,
    /// Regex the column must match.
    pub pattern: String,
}

/// Where one field is and how it is read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// CSV: 1-based column index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// CSV: header name (after NFKC and trimming). Excel table: column header label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// With `header`: which occurrence, when a label repeats (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<usize>,
    /// Excel form: the label next to the value (spaces ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// Excel form: look for `anchor` only after this label (row by row), for
    /// labels that occur more than once on a sheet (第4表's 本人 / 家族).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Excel form: [rows, columns] from the anchor to the value, counted from
    /// the anchor's merged region edge. Default [0, 1]: the cell right of the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<[i32; 2]>,
    /// Excel form: how many cells the value spans from its first cell, joined
    /// with a space (e.g. a date split over 年/月/日 cells). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<u32>,
    /// A fixed value instead of a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Transform chain, applied in order (`lsw mapping transforms`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transforms: Vec<String>,
    /// A record without this field is an error.
    #[serde(default)]
    pub required: bool,
}

/// A table region on a sheet.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// A label in the first header row that locates the table.
    pub header_anchor: String,
    /// Number of header rows (multi-row headers with merged group labels). Default 1.
    #[serde(default = "one")]
    pub header_rows: u32,
    /// Data ends at a row containing one of these labels (or at the sheet's end).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop_at: Vec<String>,
    /// Data ends after this many blank rows in a row. Default 5.
    #[serde(default = "five")]
    pub stop_blank_rows: u32,
    /// The column set repeats side by side (第5表 with two 年月日/項目/内容 sets):
    /// each repetition is read top to bottom, left set first.
    #[serde(default)]
    pub side_by_side: bool,
}

fn one() -> u32 {
    1
}
fn five() -> u32 {
    5
}

/// A 第3表 grid: day labels on one axis, time labels on the other.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// Day labels in order Monday..Sunday.
    pub days: Vec<String>,
    /// Label of the 主な日常生活上の活動 column (or row, when transposed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// Label of the 週単位以外のサービス area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_weekly: Option<String>,
}

/// A list of sub-records inside a form record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    /// The list field of the target (e.g. `attendees`).
    pub field: String,
    pub table: TableSpec,
    pub fields: BTreeMap<String, FieldSpec>,
}

/// How records group into plans.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grouping {
    /// Fields that order records within a plan (numeric when they parse as numbers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order_by: Vec<String>,
    /// Fields whose blank cells continue the value of the record above (within one plan).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fill_down: Vec<String>,
    /// `file` (default): key fields come from each record. `workbook`: records
    /// without key fields take them from the workbook's other sheets (one
    /// workbook per person).
    #[serde(default)]
    pub key_scope: KeyScope,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    #[default]
    Record,
    Workbook,
}
