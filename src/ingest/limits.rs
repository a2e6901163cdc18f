//! Limits checked before any reader library sees an input's bytes.
//!
//! A nightly run reads files nobody looked at: one .xlsx holding a 1.5 GB
//! string in 1.5 MB, one cell at row 4,294,967,295 (calamine allocates the
//! whole rectangle up to it, and a failed allocation aborts the process),
//! an .xls whose sector chain loops, one CSV record of 50 MB of `a,`. Each
//! limit here turns such a file into its own errors.json entry (what limit,
//! how to raise it) while the run goes on with the others.
//!
//! The defaults are far above any plan file an office writes (a plan
//! workbook is tens of KB, a month's standard CSV of 10,000 plans a few tens
//! of MB) and low enough that the largest file within them still fits in a
//! couple of GB of memory. The `[limits]` table of the `--config` file
//! changes them for a run ([`Limits::from_table`], documented in
//! docs/limits.md).

use std::sync::RwLock;

/// The limits of one run. Sizes in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// An input file's size (`file_mb`).
    pub file_bytes: u64,
    /// One part of an .xlsx (a sheet's XML, the shared strings), unpacked
    /// (`xlsx_part_mb`).
    pub part_bytes: u64,
    /// All parts of an .xlsx, unpacked (`xlsx_total_mb`).
    pub unzipped_bytes: u64,
    /// Unpacked size over packed size of an .xlsx part larger than
    /// [`RATIO_FLOOR`] (`xlsx_ratio`): ordinary sheets pack 5–50 times, a
    /// zip bomb thousands of times.
    pub zip_ratio: u64,
    /// Parts in one .xlsx (`xlsx_parts`).
    pub zip_entries: u64,
    /// The rectangle spanned by a sheet's used cells, in cells
    /// (`sheet_cells`): a sheet is held as that rectangle.
    pub sheet_cells: u64,
    /// One CSV record's bytes (`csv_record_kb`).
    pub record_bytes: u64,
    /// Fields in one CSV record (`csv_fields`).
    pub record_fields: u64,
}

/// Parts smaller than this are not held to the ratio (a small sheet of
/// empty styled cells packs very well and costs nothing).
pub const RATIO_FLOOR: u64 = 8 << 20;

/// Excel's own sheet size: a cell beyond it was not written by Excel.
pub const EXCEL_ROWS: u64 = 1 << 20;
pub const EXCEL_COLS: u64 = 1 << 14;

const MB: u64 = 1 << 20;

/// The limits of a run whose config file sets none.
const DEFAULT: Limits = Limits {
    file_bytes: 256 * MB,
    part_bytes: 256 * MB,
    unzipped_bytes: 512 * MB,
    zip_ratio: 200,
    zip_entries: 10_000,
    sheet_cells: 4_000_000,
    record_bytes: 4 * MB,
    record_fields: 10_000,
};

impl Default for Limits {
    fn default() -> Limits {
        DEFAULT
    }
}

/// The config keys, their meaning in Japanese, and how a value maps to bytes.
const KEYS: &[(&str, &str, u64)] = &[
    ("file_mb", "入力ファイル1つの大きさ（MB）", MB),
    ("xlsx_part_mb", ".xlsx の部品1つを展開した大きさ（MB）", MB),
    ("xlsx_total_mb", ".xlsx 全体を展開した大きさ（MB）", MB),
    ("xlsx_ratio", ".xlsx の部品の圧縮率（展開後÷圧縮後）", 1),
    ("xlsx_parts", ".xlsx の部品の数", 1),
    ("sheet_cells", "シートの使われている範囲のセル数", 1),
    ("csv_record_kb", "CSVの1レコードの大きさ（KB）", 1 << 10),
    ("csv_fields", "CSVの1レコードの項目数", 1),
];

impl Limits {
    fn slot(&mut self, key: &str) -> Option<&mut u64> {
        Some(match key {
            "file_mb" => &mut self.file_bytes,
            "xlsx_part_mb" => &mut self.part_bytes,
            "xlsx_total_mb" => &mut self.unzipped_bytes,
            "xlsx_ratio" => &mut self.zip_ratio,
            "xlsx_parts" => &mut self.zip_entries,
            "sheet_cells" => &mut self.sheet_cells,
            "csv_record_kb" => &mut self.record_bytes,
            "csv_fields" => &mut self.record_fields,
            _ => return None,
        })
    }

    /// The `[limits]` table of a config file: every key named in
    /// docs/limits.md, a positive whole number each. Every problem is listed.
    pub fn from_table(table: &toml::Table) -> Result<Limits, Vec<String>> {
        let mut limits = Limits::default();
        let mut problems = Vec::new();
        for (key, value) in table {
            let Some(&(_, what, unit)) = KEYS.iter().find(|(k, _, _)| k == key) else {
                let known: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
                problems.push(format!(
                    "[limits] の {key} は知らない設定です（使えるもの: {}、template_seconds、template_mb）",
                    known.join("、")
                ));
                continue;
            };
            match value.as_integer() {
                Some(n) if n > 0 && (n as u64).checked_mul(unit).is_some() => {
                    if let Some(slot) = limits.slot(key) {
                        *slot = n as u64 * unit;
                    }
                }
                _ => problems.push(format!("[limits] の {key}（{what}）は1以上の整数で書きます")),
            }
        }
        if problems.is_empty() {
            Ok(limits)
        } else {
            Err(problems)
        }
    }
}

/// How a person raises a limit: `--config` file, `[limits]`, the key.
pub fn how_to_raise(key: &str, suggested: u64) -> String {
    format!("必要なら、--config で渡す設定ファイルの [limits] に {key} = {suggested} のように書くと上限を変えられます")
}

/// A byte count as people read it (`256 MB`, `12 KB`, `900 バイト`).
pub fn size_ja(bytes: u64) -> String {
    if bytes >= MB {
        format!("{} MB", bytes.div_ceil(MB))
    } else if bytes >= 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} バイト")
    }
}

static CURRENT: RwLock<Limits> = RwLock::new(DEFAULT);

/// The limits in force. One process runs one `lsw run` at a time, so the
/// run sets them once ([`set`]) instead of handing them through every
/// reader's signature.
pub fn current() -> Limits {
    *CURRENT.read().unwrap_or_else(|e| e.into_inner())
}

/// Sets the limits of this process's run.
pub fn set(limits: Limits) {
    *CURRENT.write().unwrap_or_else(|e| e.into_inner()) = limits;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_defaults_are_the_defaults() {
        assert_eq!(current(), Limits::default());
    }

    #[test]
    fn a_limits_table_sets_each_key_and_lists_every_problem() {
        let t: toml::Table = toml::from_str("file_mb = 1024\ncsv_fields = 50000\nsheet_cells = 9").expect("toml");
        let l = Limits::from_table(&t).expect("limits");
        assert_eq!((l.file_bytes, l.record_fields, l.sheet_cells), (1024 * MB, 50_000, 9));
        assert_eq!(l.part_bytes, Limits::default().part_bytes);
        let t: toml::Table = toml::from_str("file_mb = 0\nfiles_mb = 3\ncsv_record_kb = \"big\"").expect("toml");
        let e = Limits::from_table(&t).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e.iter().any(|m| m.contains("files_mb") && m.contains("知らない")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("file_mb") && m.contains("1以上")), "{e:?}");
        // A value too large for bytes is refused, not wrapped.
        let t: toml::Table = toml::from_str(&format!("file_mb = {}", i64::MAX)).expect("toml");
        assert!(Limits::from_table(&t).is_err());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_ja(256 * MB), "256 MB");
        assert_eq!(size_ja(1536), "2 KB");
        assert_eq!(size_ja(900), "900 バイト");
    }
}
