//! Excel workbooks (.xlsx and legacy .xls BIFF8) through calamine.
//!
//! Every cell keeps its absolute position: calamine's ranges start at the used
//! range, so the range's start is added back. Merged regions are kept so the
//! mapping layer can treat a merged label or value as one cell. Serial dates
//! in Japanese number formats (numFmtId 27–36, 50–58, `[$-411]ggge…`) come
//! through calamine as dates; the workbook's 1904 flag is honoured.

use crate::diag::{Problem, ProblemKind, Source};
use calamine::{Data, Reader, Sheets};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Cursor;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// An Excel error value such as `#REF!`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim_matches([' ', '\u{3000}', '\t', '\r', '\n']).is_empty(),
            _ => false,
        }
    }
}

/// A merged region, inclusive, absolute 0-based rows and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Region {
    pub top: u32,
    pub left: u32,
    pub bottom: u32,
    pub right: u32,
}

impl Region {
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&col)
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// Absolute position of `grid[0][0]`.
    pub origin: (u32, u32),
    pub grid: Vec<Vec<Cell>>,
    pub merged: Vec<Region>,
    /// Hidden column ranges, inclusive (.xlsx only): helper cells a person
    /// does not see.
    pub hidden_cols: Vec<(u32, u32)>,
}

static EMPTY: Cell = Cell::Empty;

impl Sheet {
    /// The cell at an absolute (row, col).
    pub fn get(&self, row: u32, col: u32) -> &Cell {
        if row < self.origin.0 || col < self.origin.1 {
            return &EMPTY;
        }
        self.grid
            .get((row - self.origin.0) as usize)
            .and_then(|r| r.get((col - self.origin.1) as usize))
            .unwrap_or(&EMPTY)
    }

    /// One past the last used row / column (absolute).
    pub fn end(&self) -> (u32, u32) {
        let rows = self.grid.len() as u32;
        let cols = self.grid.first().map_or(0, |r| r.len() as u32);
        (self.origin.0 + rows, self.origin.1 + cols)
    }

    /// Whether a column is hidden.
    pub fn is_hidden_col(&self, col: u32) -> bool {
        self.hidden_cols.iter().any(|(a, b)| (*a..=*b).contains(&col))
    }

    pub fn merged_at(&self, row: u32, col: u32) -> Option<&Region> {
        self.merged.iter().find(|m| m.contains(row, col))
    }

    /// The value shown at (row, col): inside a merged region it is the value
    /// of the region's top-left cell.
    pub fn shown(&self, row: u32, col: u32) -> &Cell {
        match self.merged_at(row, col) {
            Some(m) => self.get(m.top, m.left),
            None => self.get(row, col),
        }
    }

    /// Every non-empty cell, row by row, with its absolute position.
    pub fn cells(&self) -> impl Iterator<Item = (u32, u32, &Cell)> {
        let (r0, c0) = self.origin;
        self.grid.iter().enumerate().flat_map(move |(r, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .map(move |(c, cell)| (r0 + r as u32, c0 + c as u32, cell))
        })
    }
}

#[derive(Debug, Clone)]
pub struct Workbook {
    /// `xlsx` or `xls`.
    pub format: &'static str,
    pub date1904: bool,
    pub sheets: Vec<Sheet>,
}

/// Reads a workbook from bytes. A file that is not a workbook, or is cut
/// short, yields a problem and `None`; a sheet that fails yields a problem and
/// the other sheets are still read. calamine is not trusted never to panic on
/// hostile input, so the read runs under [`crate::diag::catch_quietly`].
pub fn read(bytes: Vec<u8>, file: &str, problems: &mut Vec<Problem>) -> Option<Workbook> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if !is_zip && !is_cfb {
        problems.push(Problem::new(
            ProblemKind::Read,
            Source::file(file),
            "Excelファイル（.xlsx / .xls）ではありません。ファイルの先頭がExcelの形式になっていません（CSVやテキストに拡張子だけ .xlsx / .xls が付いていないか確認してください）",
        ));
        return None;
    }
    match crate::diag::catch_quietly(|| read_inner(bytes, file)) {
        Ok(Ok((wb, mut sheet_problems))) => {
            problems.append(&mut sheet_problems);
            Some(wb)
        }
        Ok(Err(msg)) => {
            problems.push(Problem::new(ProblemKind::Read, Source::file(file), msg));
            None
        }
        Err(what) => {
            problems.push(Problem::new(
                ProblemKind::Read,
                Source::file(file),
                format!("Excelファイルの構造が壊れているため読み込めませんでした（読み込み部品の内部エラー: {what}）"),
            ));
            None
        }
    }
}

fn read_inner(bytes: Vec<u8>, file: &str) -> Result<(Workbook, Vec<Problem>), String> {
    let mut problems = Vec::new();
    let mut hidden =
        if bytes.starts_with(b"PK\x03\x04") { super::xlsx_layout::hidden_columns(&bytes) } else { Default::default() };
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("Excelファイルとして開けません（ファイルが途中で切れているか壊れています）: {e}"))?;
    let (format, date1904) = match &wb {
        Sheets::Xlsx(x) => ("xlsx", x.has_1904_epoch()),
        Sheets::Xls(x) => ("xls", x.has_1904_epoch()),
        Sheets::Xlsb(_) => ("xlsb", false),
        Sheets::Ods(_) => ("ods", false),
    };
    let names = wb.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(
                    ProblemKind::Excel,
                    Source { file: file.into(), sheet: Some(name.as_str().into()), ..Source::default() },
                    format!("シートを読み込めません: {e}"),
                ));
                continue;
            }
        };
        let merged: Vec<Region> = match &mut wb {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        }
        .into_iter()
        .map(|d| Region { top: d.start.0, left: d.start.1, bottom: d.end.0, right: d.end.1 })
        .collect();
        let origin = range.start().unwrap_or((0, 0));
        let mut grid = Vec::with_capacity(range.height());
        for (r, row) in range.rows().enumerate() {
            let mut out = Vec::with_capacity(row.len());
            for (c, data) in row.iter().enumerate() {
                let cell = convert(data);
                if let Cell::Text(s) = &cell {
                    let chars = s.chars().count();
                    if chars > super::csv::MAX_CELL_CHARS {
                        problems.push(Problem::new(
                            ProblemKind::Limit,
                            Source::cell(file, name.as_str(), origin.0 + r as u32, origin.1 + c as u32),
                            format!(
                                "セルが{chars}文字あります。Excelの1セルの上限（{}文字）を超えています",
                                super::csv::MAX_CELL_CHARS
                            ),
                        ));
                    }
                }
                out.push(cell);
            }
            grid.push(out);
        }
        let mut merged = merged;
        merged.sort();
        let hidden_cols = hidden.remove(&name).unwrap_or_default();
        sheets.push(Sheet { name, origin, grid, merged, hidden_cols });
    }
    Ok((Workbook { format, date1904, sheets }, problems))
}

fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                return Cell::Number(dt.as_f64());
            }
            // to_ymd_hms_milli applies the workbook's epoch (1900 or 1904).
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32) {
                Some(date) if dt.as_f64() >= 1.0 => {
                    if hh == 0 && mm == 0 && ss == 0 {
                        Cell::Date(date)
                    } else {
                        date.and_hms_opt(hh as u32, mm as u32, ss as u32).map_or(Cell::Date(date), Cell::DateTime)
                    }
                }
                // A time of day alone (serial < 1) stays a fraction of a day.
                _ => Cell::Number(dt.as_f64()),
            }
        }
        Data::DateTimeIso(s) => {
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Cell::Date(d)
            } else if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                Cell::DateTime(dt)
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}
