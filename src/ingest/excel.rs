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
    // Limits and structure first: calamine trusts a package's sizes, a
    // compound file's chains and a sheet's extent (see xlsx_check, xls_check).
    let limits = super::limits::current();
    let checked =
        if is_zip { super::xlsx_check::check(&bytes, &limits) } else { super::xls_check::check(&bytes, &limits) };
    if let Err(r) = checked {
        let kind = if r.limit { ProblemKind::Limit } else { ProblemKind::Read };
        let mut p = Problem::new(kind, Source::file(file), r.message);
        p.detail = r.detail;
        problems.push(p);
        return None;
    }
    match crate::diag::catch_quietly(|| read_inner(bytes, file, &limits)) {
        Ok(Ok((wb, mut sheet_problems))) => {
            problems.append(&mut sheet_problems);
            Some(wb)
        }
        Ok(Err((msg, detail))) => {
            problems.push(Problem::new(ProblemKind::Read, Source::file(file), msg).with_detail(detail));
            None
        }
        Err(what) => {
            problems.push(
                Problem::new(
                    ProblemKind::Read,
                    Source::file(file),
                    "Excelファイルの構造が壊れているため読み込めませんでした（読み込み部品が途中で止まりました。詳しくは detail を参照）",
                )
                .with_detail(what),
            );
            None
        }
    }
}

/// A reader library's message in Japanese: the common ones said in words,
/// the rest as "the workbook is damaged" (the original goes to `detail`).
pub fn calamine_ja(detail: &str) -> String {
    let d = detail.to_ascii_lowercase();
    let what = if d.contains("shared strings") || d.contains("string index") {
        "セルが指す共有文字列の番号が、共有文字列の表にありません"
    } else if d.contains("cannot detect file format") || d.contains("invalid ole") || d.contains("signature") {
        "Excelの形式として認識できません"
    } else if d.contains("password") || d.contains("encrypt") {
        "パスワードで保護（暗号化）されています。保護を外して保存し直してください"
    } else if d.contains("xml") {
        "シートの中身（XML）が壊れています"
    } else if d.contains("zip") {
        "ファイルの圧縮の構造（zip）が壊れています"
    } else if d.contains("dimension") || d.contains("cell reference") || d.contains("invalid value") {
        "セルの位置の書き方が不正です"
    } else if d.contains("eof") || d.contains("end of") || d.contains("too small") || d.contains("past end") {
        "ファイルが途中で切れています"
    } else {
        "ファイルの中身が壊れています"
    };
    what.to_string()
}

type ReadError = (String, String);

fn read_inner(
    bytes: Vec<u8>,
    file: &str,
    limits: &super::limits::Limits,
) -> Result<(Workbook, Vec<Problem>), ReadError> {
    let mut problems = Vec::new();
    let mut hidden =
        if bytes.starts_with(b"PK\x03\x04") { super::xlsx_layout::hidden_columns(&bytes) } else { Default::default() };
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        let detail = e.to_string();
        (format!("Excelファイルとして開けません（{}）", calamine_ja(&detail)), detail)
    })?;
    let (format, date1904) = match &wb {
        Sheets::Xlsx(x) => ("xlsx", x.has_1904_epoch()),
        Sheets::Xls(x) => ("xls", x.has_1904_epoch()),
        Sheets::Xlsb(_) => ("xlsb", false),
        Sheets::Ods(_) => ("ods", false),
    };
    let names = wb.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let at = Source { file: file.into(), sheet: Some(name.as_str().into()), ..Source::default() };
        let cells = match &mut wb {
            // Cell by cell: calamine's own range would allocate the whole
            // rectangle up to the farthest cell before we could look at it.
            Sheets::Xlsx(x) => xlsx_cells(x, &name, limits),
            _ => match wb.worksheet_range(&name) {
                Ok(r) => {
                    let (r0, c0) = r.start().unwrap_or((0, 0));
                    Ok(r.cells()
                        .filter(|(_, _, d)| !matches!(d, Data::Empty))
                        .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, convert(d)))
                        .collect())
                }
                Err(e) => Err(SheetFail::Library(e.to_string())),
            },
        };
        let cells = match cells {
            Ok(c) => c,
            Err(SheetFail::Library(detail)) => {
                problems.push(
                    Problem::new(ProblemKind::Excel, at, format!("シートを読み込めません（{}）", calamine_ja(&detail)))
                        .with_detail(detail),
                );
                continue;
            }
            Err(SheetFail::Limit(message)) => {
                problems.push(Problem::new(ProblemKind::Limit, at, message));
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
        let (origin, grid) = dense(cells, file, &name, &mut problems);
        let mut merged = merged;
        merged.sort();
        let hidden_cols = hidden.remove(&name).unwrap_or_default();
        sheets.push(Sheet { name, origin, grid, merged, hidden_cols });
    }
    Ok((Workbook { format, date1904, sheets }, problems))
}

/// Why a sheet was not read.
enum SheetFail {
    /// The reader library's words.
    Library(String),
    /// A limit, said in Japanese.
    Limit(String),
}

/// The non-empty cells of an .xlsx sheet (absolute positions), read one by
/// one; stops as soon as their span passes the sheet limit.
fn xlsx_cells<RS: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<RS>,
    name: &str,
    limits: &super::limits::Limits,
) -> Result<Vec<(u32, u32, Cell)>, SheetFail> {
    use super::limits::{EXCEL_COLS, EXCEL_ROWS};
    let mut reader = match x.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A chart sheet or dialog sheet: no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(SheetFail::Library(e.to_string())),
    };
    let mut out = Vec::new();
    let (mut top, mut left, mut bottom, mut right) = (u64::MAX, u64::MAX, 0u64, 0u64);
    while let Some(c) = reader.next_cell().map_err(|e| SheetFail::Library(e.to_string()))? {
        if matches!(c.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let pos = c.get_position();
        let (row, col) = (pos.0 as u64, pos.1 as u64);
        if row >= EXCEL_ROWS || col >= EXCEL_COLS {
            return Err(SheetFail::Limit(format!(
                "セル {} に値がありますが、Excelのシートの大きさ（1,048,576行 × 16,384列）の外です。Excelで書かれたファイルではないか、壊れています",
                crate::diag::a1(pos.0, pos.1)
            )));
        }
        top = top.min(row);
        bottom = bottom.max(row);
        left = left.min(col);
        right = right.max(col);
        let span = (bottom - top + 1) * (right - left + 1);
        if span > limits.sheet_cells {
            return Err(SheetFail::Limit(format!(
                "シートの使われている範囲が広すぎるため読みませんでした（{}:{} の {span}セル分。上限は {}セル）。離れた場所に値の入ったセルがないか確認してください。{}",
                crate::diag::a1(top as u32, left as u32),
                crate::diag::a1(bottom as u32, right as u32),
                limits.sheet_cells,
                super::limits::how_to_raise("sheet_cells", span)
            )));
        }
        out.push((pos.0, pos.1, convert(&Data::from(c.get_value().clone()))));
    }
    Ok(out)
}

/// The rectangle of a sheet's cells (origin and rows), as the mapping
/// layer reads it; cells longer than Excel allows are reported.
fn dense(
    cells: Vec<(u32, u32, Cell)>,
    file: &str,
    sheet: &str,
    problems: &mut Vec<Problem>,
) -> ((u32, u32), Vec<Vec<Cell>>) {
    if cells.is_empty() {
        return ((0, 0), Vec::new());
    }
    let top = cells.iter().map(|c| c.0).min().unwrap_or(0);
    let left = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let bottom = cells.iter().map(|c| c.0).max().unwrap_or(0);
    let right = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let width = (right - left + 1) as usize;
    let mut grid: Vec<Vec<Cell>> = (top..=bottom).map(|_| vec![Cell::Empty; width]).collect();
    for (r, c, cell) in cells {
        if let Cell::Text(s) = &cell {
            let chars = s.chars().count();
            if chars > super::csv::MAX_CELL_CHARS {
                problems.push(Problem::new(
                    ProblemKind::Limit,
                    Source::cell(file, sheet, r, c),
                    format!(
                        "セルが{chars}文字あります。Excelの1セルの上限（{}文字）を超えています",
                        super::csv::MAX_CELL_CHARS
                    ),
                ));
            }
        }
        grid[(r - top) as usize][(c - left) as usize] = cell;
    }
    ((top, left), grid)
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
