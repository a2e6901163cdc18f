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
    /// Words printed on the forms beside values that no field names
    /// (電話番号, 性別, 殿…): a value running across cells ends at them, and
    /// a value that is one of them is a label read by mistake. One or two
    /// characters count only when a cell is exactly them.
    #[serde(default)]
    pub form_words: Vec<String>,
    /// The file kinds this mapping reads.
    pub sources: Vec<SourceSpec>,
}

pub use crate::model::fields::Target;

/// One label, or the several ways forms write it (older and newer
/// wordings, short forms). Labels are compared after NFKC without spaces;
/// the first alternative found on the sheet wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Labels {
    One(String),
    Many(Vec<String>),
}

impl Labels {
    pub fn all(&self) -> &[String] {
        match self {
            Labels::One(s) => std::slice::from_ref(s),
            Labels::Many(v) => v,
        }
    }

    /// The first alternative (how messages name the label).
    pub fn first(&self) -> &str {
        self.all().first().map_or("", String::as_str)
    }
}

impl std::fmt::Display for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.all().join("」または「"))
    }
}

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
    #[serde(default, skip_serializing_if = "is_false")]
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
    /// Excel: the form's title (居宅サービス計画書（１）…), in any wording of
    /// the list. A sheet whose first rows hold it is read whatever its name
    /// (`Sheet1`); when one sheet holds the titles of several sources of the
    /// mapping, each reads from its title down to the next title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
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
    /// Excel: these labels (each in any of its wordings) must appear on the
    /// selected sheet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<Labels>,
    /// Excel: a sheet where one of these labels appears is not this
    /// source's (a 第3表 written as a list, not as a grid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<Labels>,
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
    /// CSV: header name (after NFKC and trimming). Excel table: column
    /// header label, or a list of the ways tables write it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Labels>,
    /// With `header`: which occurrence, when a label repeats (1-based; any
    /// alternative counts, left to right).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<usize>,
    /// Excel form: the label of the value (or a list of the ways forms write
    /// it), spaces ignored. Without `offset` the value is found where forms
    /// put it: in the label's own cell after it (`利用者名：山田花子`), in the
    /// cells right of it up to the next label (joined: a date split over
    /// 令和|7|年|4|月|1|日 cells, a period over two), or below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Labels>,
    /// Excel form: look for `anchor` only after this label (row by row), for
    /// labels that occur more than once on a sheet (第4表's 本人 / 家族).
    /// Excel table: the column of `header` right of this header's column
    /// (the 「期間」 after 「長期目標」).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Labels>,
    /// Excel form: [rows, columns] from the anchor to the value, counted from
    /// the anchor's merged region edge (the value is then that cell only, or
    /// `span` cells from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<[i32; 2]>,
    /// Excel form with `offset`: how many cells the value spans from its first
    /// cell, joined with a space (1–64). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<u32>,
    /// A fixed value instead of a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value is in the file's name: a regex whose first group (or whole
    /// match) is the value, e.g. `^(\d{10})_` for `0001234567_山田花子.xlsx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The value is in the sheet's name (a regex as for `file_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet_name: Option<String>,
    /// Excel: the value is the first cell (row by row) whose text (NFKC,
    /// trimmed) this regex matches, with no label beside it: its first group
    /// (or whole match) is the value (`^(令和\S+月)分より$`, a bare `継続`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Part of the cell: a regex whose first group (or whole match) is the
    /// value, for several values in one cell (the period under a goal). No
    /// match: the field is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Values recoded before the transforms (compared after NFKC without
    /// spaces): `{ "2" = "要介護2" }`. Other values pass unchanged.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recode: BTreeMap<String, String>,
    /// Where else to read the field when this place gives nothing (e.g. the
    /// goal's own cell when the table has no 「(期間)」 column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Box<FieldSpec>>,
    /// Transform chain, applied in order (`lsw mapping transforms`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transforms: Vec<String>,
    /// A record without this field is an error.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

/// A table region on a sheet.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// A label in the first header row that locates the table (or a list of
    /// the ways tables write it).
    pub header_anchor: Labels,
    /// Number of header rows (multi-row headers with merged group labels,
    /// 1–10). Default: found by their text — the rows below the anchor's that
    /// hold only header labels or continue its merged cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_rows: Option<u32>,
    /// Data ends at a row containing one of these labels (or at the sheet's end).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop_at: Vec<String>,
    /// Data ends after this many blank rows in a row (1–1000). Default 5.
    #[serde(default = "five")]
    pub stop_blank_rows: u32,
    /// Data ends at a footnote row: one whose text starts with ※ (the ※1 ※2
    /// notes printed under 第2表). Default true.
    #[serde(default = "yes")]
    pub stop_at_notes: bool,
    /// The column set repeats side by side (第5表 with two 年月日/項目/内容 sets):
    /// each repetition is read top to bottom, left set first.
    #[serde(default)]
    pub side_by_side: bool,
    /// Labels printed over several field columns in the header (第2表's 目標,
    /// 援助内容): header rows may hold them, though no field reads them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_labels: Vec<String>,
    /// A data cell holding only one of these (〃, 同上) repeats the value
    /// above it in its column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ditto: Vec<String>,
    /// Fields whose cells may hold one entry per line: a row whose cells of
    /// these fields (two or more) all hold the same number of lines is that
    /// many entries (a care software's print image with a short goal's
    /// services in one row).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line_split: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn five() -> u32 {
    5
}
fn yes() -> bool {
    true
}

/// A 第3表 grid: day labels on one axis, time labels on the other.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// Day labels in order Monday..Sunday.
    pub days: Vec<String>,
    /// Label of the 主な日常生活上の活動 column (or row, when transposed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Labels>,
    /// Label of the 週単位以外のサービス area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_weekly: Option<Labels>,
}

/// A list of sub-records inside a form record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    /// The list field of the target (e.g. `attendees`).
    pub field: String,
    /// The list as a table, one entry per row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableSpec>,
    /// The list as numbered labels, one per value (`出席者1所属` | …,
    /// `出席者1氏名` | …): per list field, regexes on the label text
    /// (NFKC, no spaces) whose first group is the entry's number. Read when
    /// the table is not on the sheet.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub numbered: BTreeMap<String, Vec<String>>,
    /// The list written in one cell (`会議出席者`: `A事業所（職種）　氏名、…`).
    /// Read when neither the table nor numbered labels are on the sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellListSpec>,
    /// The list's fields: their columns (`header`) and transforms.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
}

/// A list written in one cell: entries between separators, each split into
/// the list's fields by a pattern.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellListSpec {
    /// The label the cell is found by (its value as for any form field).
    pub anchor: Labels,
    /// What separates entries (`、`, `，`, a line break).
    pub separators: Vec<String>,
    /// Regex with named groups, one per list field
    /// (`^(?:(?P<affiliation>.*\S)\s+)?(?P<name>\S+)$`); an entry it does
    /// not match is kept whole in the first group's field.
    pub pattern: String,
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
    /// workbook per person, or per sheet group, see `sheet_group`).
    #[serde(default)]
    pub key_scope: KeyScope,
    /// Excel: a regex on the sheet name whose first non-empty group names the
    /// sheet's group (`第1表 (2)` → `2`, `第2表_山田` → `山田`). Sheets of one
    /// group are one person's (or one generation's) plan; a group without a
    /// sheet of its own key (a `第2表 (2)` with no `第1表 (2)`) continues the
    /// group before it (a second page). Without it the workbook is one group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet_group: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    #[default]
    Record,
    Workbook,
}
