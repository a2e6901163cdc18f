//! The corpus of Excel layouts offices really use (research note
//! `excel-layouts.md` §7, L01–L16), each written cell by cell with
//! rust_xlsxwriter (L02 is a legacy .xls made once from its builder, see
//! `fixtures/layouts/README.md`), and the truth every layout encodes.
//!
//! A builder writes a cell and, where the cell carries a plan value, records
//! that value where plan.json should have it: a JSON pointer, the expected
//! value and how it is compared ([`Exp`]), the sheet and cells it was
//! written to and the field's Japanese label. So the truth is exactly what
//! was put in, and a failure can name the cell. `tests/layouts.rs` runs lsw
//! on every layout and checks the plans value by value.
//!
//! Everything here is invented (山田 花子, 見本町…); no real person's data.

pub mod check;
pub mod grids;
mod l01_l04;
mod l05_l08;
mod l09_l12;
mod l13_l16;
mod people;
pub mod shapes;

pub use people::Who;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::io::{Read, Write};

/// One layout of the corpus.
pub struct Layout {
    /// L01 … L16.
    pub id: &'static str,
    /// What the layout is, in a few words (for the table).
    pub title: &'static str,
    /// The input file's name.
    pub file: String,
    pub bytes: Vec<u8>,
    pub truth: Truth,
}

/// Every layout of the corpus. `l02_xls` is the committed legacy .xls (the
/// test reads it from fixtures/layouts/L02.xls); its truth comes from the
/// same builder that wrote the workbook it was converted from.
pub fn all(l02_xls: Vec<u8>) -> Vec<Layout> {
    let mut v = vec![l01_l04::l01()];
    let mut l02 = l01_l04::l02();
    l02.file = "L02_居宅サービス計画書.xls".into();
    l02.bytes = l02_xls;
    v.push(l02);
    v.extend([l01_l04::l03(), l01_l04::l04()]);
    v.extend([l05_l08::l05(), l05_l08::l06(), l05_l08::l07(), l05_l08::l08(), l05_l08::l08_nocache()]);
    v.extend([l09_l12::l09(), l09_l12::l10(), l09_l12::l11(), l09_l12::l12()]);
    v.extend([l13_l16::l13(), l13_l16::l14(), l13_l16::l15(), l13_l16::l16()]);
    v
}

/// The .xlsx that fixtures/layouts/L02.xls was converted from (LibreOffice,
/// once), with L02's truth.
pub fn l02_source() -> Layout {
    l01_l04::l02()
}

// ---------------------------------------------------------------------------
// The truth.

/// How an expected value is compared with what plan.json holds. Text is
/// compared after NFKC, with all white space (ASCII, U+3000, line breaks)
/// removed and the wave dashes 〜 ～ ~ made one (`check::norm`).
#[derive(Debug, Clone, PartialEq)]
pub enum Exp {
    /// Normalised text equal.
    Text(String),
    /// A person's name: normalised, a trailing 殿/様 dropped.
    Name(String),
    /// ISO date `YYYY-MM-DD`, exactly.
    Date(String),
    /// `YYYY-MM`, exactly.
    Month(String),
    /// Any of these texts (normalised): 「認定済」 or 「認定済み」.
    OneOf(Vec<String>),
    /// JSON `true` (※1 marked).
    True,
    /// null or false: a blank ※1 is "not marked", either is right.
    NotTrue,
    /// Nothing there: null, absent, "" or []. For values the layout leaves
    /// blank (no numbers on the form, 申請中 without 認定日), so that a value
    /// that was never put in counts as misread.
    Null,
    /// 生活援助中心型の算定理由 by its label: 「一人暮らし」, with or without
    /// its code in front (「1 一人暮らし」「1.一人暮らし」).
    Reason(String),
    /// The number in the text: 開催回数 「3回」「第3回」 → 3.
    Number(String),
    /// office.name and office.address together (「事業所名及び所在地」 is one
    /// cell on the form: a reader may keep it whole or split it); brackets
    /// 「（）」 around the address do not count.
    Office(String),
    /// 利用者・家族の出席: present (出席, ○, 〇, ◯), and the relation (続柄)
    /// named in the value when given.
    Attend(Option<String>),
    /// A 第5表 entry's 項目 and 内容 (the pointer names the entry): the item
    /// may be in `item` or lead the content as 「【電話】」, and a leading
    /// time 「10:00」 in the content does not count.
    Entry { item: String, content: String },
    /// A 第3表 slot in `table3.weekly` (a set): day, HH:MM, HH:MM and the
    /// service (any of the names; times written in the cell may stay in it).
    Slot { day: String, start: String, end: String, service: Vec<String> },
    /// A daily activity in `table3.daily_activities` (a set): start HH:MM and
    /// text (a leading time written in the cell may stay in it).
    Activity { start: String, text: String },
    /// An item of `table3.non_weekly` (a set; items split at 「、」 or line
    /// breaks on both sides).
    Item(String),
    /// A 第4表 attendee (a set): 所属（職種） and 氏名, compared joined (a
    /// reader may keep 「所属　氏名」 in one field).
    Attendee { affiliation: String, name: String },
}

impl Exp {
    /// Whether this expectation is one element of a set-like array.
    pub fn is_set_item(&self) -> bool {
        matches!(self, Exp::Slot { .. } | Exp::Activity { .. } | Exp::Item(_) | Exp::Attendee { .. })
    }
}

/// Where a value was put: the sheet, the cells (0-based, inclusive; a
/// value split over cells spans them all) and the field's Japanese label,
/// for the explaining errors.json entry and for the failure listing.
#[derive(Debug, Clone, PartialEq)]
pub struct At {
    pub sheet: String,
    pub first: (u32, u16),
    pub last: (u32, u16),
    /// The field's label as messages name it; empty: only the cell explains.
    pub label: String,
}

impl At {
    pub fn a1(&self) -> String {
        let a = lsw_a1(self.first.0, self.first.1);
        if self.first == self.last {
            a
        } else {
            format!("{a}:{}", lsw_a1(self.last.0, self.last.1))
        }
    }
    pub fn contains(&self, row: u32, col: u16) -> bool {
        (self.first.0..=self.last.0).contains(&row) && (self.first.1..=self.last.1).contains(&col)
    }
}

/// A1 of a 0-based cell, as errors.json writes it.
pub fn lsw_a1(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut c = col as u32 + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// 0-based (row, col) of an A1 cell.
pub fn parse_a1(a1: &str) -> (u32, u16) {
    let split = a1.find(|c: char| c.is_ascii_digit()).unwrap_or_else(|| panic!("cell {a1}"));
    let col = a1[..split].bytes().fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32) - 1;
    let row: u32 = a1[split..].parse().unwrap_or_else(|_| panic!("cell {a1}"));
    (row - 1, col as u16)
}

/// 0-based corners of `A1` or `A1:B2`.
pub fn parse_range(r: &str) -> ((u32, u16), (u32, u16)) {
    match r.split_once(':') {
        Some((a, b)) => (parse_a1(a), parse_a1(b)),
        None => (parse_a1(r), parse_a1(r)),
    }
}

/// One expected value.
#[derive(Debug, Clone)]
pub struct Check {
    /// JSON pointer into plan.json (for a set item: the array).
    pub ptr: String,
    pub exp: Exp,
    pub at: At,
    /// Why a reader of cell values may legitimately not see this value (a
    /// choice marked only by a drawn oval…): such a value is still expected;
    /// absent, it counts only when errors.json explains it.
    pub gap: Option<&'static str>,
}

/// A field before it is placed: pointer, expectation, label.
#[derive(Debug, Clone)]
pub struct Field {
    pub ptr: String,
    pub exp: Exp,
    pub label: String,
}

impl Field {
    pub fn new(ptr: impl Into<String>, exp: Exp, label: &str) -> Field {
        Field { ptr: ptr.into(), exp, label: label.into() }
    }
}

/// What one person's plan must hold.
#[derive(Debug, Clone)]
pub struct PersonTruth {
    /// 利用者名 as the plan is found by (normalised on comparison).
    pub name: String,
    /// `key.plan_date`, ISO.
    pub plan_date: String,
    pub checks: Vec<Check>,
    /// Arrays and their exact length: elements beyond it were not put in.
    pub lens: Vec<(String, usize)>,
}

/// The truth of one layout: one person, or two (L07).
#[derive(Debug, Clone, Default)]
pub struct Truth {
    pub people: Vec<PersonTruth>,
}

impl Truth {
    pub fn person(&mut self, w: &Who) {
        self.people.push(PersonTruth {
            name: w.name.replace([' ', '　'], ""),
            plan_date: iso(w.plan_date),
            checks: Vec::new(),
            lens: Vec::new(),
        });
    }
    fn cur(&mut self) -> &mut PersonTruth {
        self.people.last_mut().expect("Truth::person first")
    }
    pub fn add(&mut self, f: Field, at: At, gap: Option<&'static str>) {
        self.cur().checks.push(Check { ptr: f.ptr, exp: f.exp, at, gap });
    }
    /// Declares an array's exact length (an extra element is a misread).
    pub fn len(&mut self, ptr: impl Into<String>, n: usize) {
        let ptr = ptr.into();
        let lens = &mut self.cur().lens;
        lens.retain(|(p, _)| *p != ptr);
        lens.push((ptr, n));
    }
}

pub type Ymd = (u16, u8, u8);

pub fn iso(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

// ---------------------------------------------------------------------------
// Writing cells.

/// Formats a layout uses.
pub struct Fmts {
    pub cell: Format,
    pub label: Format,
}

impl Fmts {
    pub fn new() -> Fmts {
        let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
        let label = cell.clone().set_background_color("#EEEEEE");
        Fmts { cell, label }
    }
}

/// A sheet being written, with the truth it adds to.
pub struct Sh<'a> {
    pub ws: &'a mut Worksheet,
    pub name: String,
    pub t: &'a mut Truth,
    pub cell: Format,
    pub label: Format,
}

type R = Result<(), XlsxError>;

impl<'a> Sh<'a> {
    pub fn new(wb: &'a mut Workbook, name: &str, t: &'a mut Truth) -> Result<Sh<'a>, XlsxError> {
        let ws = wb.add_worksheet().set_name(name)?;
        let f = Fmts::new();
        Ok(Sh { ws, name: name.into(), t, cell: f.cell, label: f.label })
    }

    fn at(&self, r: &str, label: &str) -> At {
        let (first, last) = parse_range(r);
        At { sheet: self.name.clone(), first, last, label: label.into() }
    }

    pub fn at_rc(&self, r1: u32, c1: u16, r2: u32, c2: u16, label: &str) -> At {
        At { sheet: self.name.clone(), first: (r1, c1), last: (r2, c2), label: label.into() }
    }

    /// A text cell or merged range (`"A1"`, `"A1:C1"`) that is not a plan
    /// value: a label, a title, a printed choice list.
    pub fn l(&mut self, range: &str, text: &str) -> R {
        let ((r1, c1), (r2, c2)) = parse_range(range);
        let f = self.label.clone();
        self.put(r1, c1, r2, c2, text, &f)
    }

    /// Text in the value format that is not a plan value by itself (a name
    /// on a continuation sheet, a value recorded with [`Sh::truth`]).
    pub fn m(&mut self, range: &str, text: &str) -> R {
        let ((r1, c1), (r2, c2)) = parse_range(range);
        let f = self.cell.clone();
        self.put(r1, c1, r2, c2, text, &f)
    }

    /// A plan value written as text into a cell or merged range.
    pub fn v(&mut self, range: &str, text: &str, field: Field) -> R {
        let ((r1, c1), (r2, c2)) = parse_range(range);
        self.vrc(r1, c1, r2, c2, text, field)
    }

    pub fn vrc(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, text: &str, field: Field) -> R {
        let f = self.cell.clone();
        self.put(r1, c1, r2, c2, text, &f)?;
        let at = self.at_rc(r1, c1, r2, c2, &field.label);
        self.t.add(field, at, None);
        Ok(())
    }

    /// Text at 0-based cells, not a plan value.
    pub fn lrc(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, text: &str) -> R {
        let f = self.label.clone();
        self.put(r1, c1, r2, c2, text, &f)
    }

    /// Text at 0-based cells in the value format, not a plan value by itself.
    pub fn trc(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, text: &str) -> R {
        let f = self.cell.clone();
        self.put(r1, c1, r2, c2, text, &f)
    }

    pub fn put(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, text: &str, f: &Format) -> R {
        if (r1, c1) == (r2, c2) {
            self.ws.write_string_with_format(r1, c1, text, f)?;
        } else {
            self.ws.merge_range(r1, c1, r2, c2, text, f)?;
        }
        Ok(())
    }

    /// Records a value written by other calls (split over cells, a choice
    /// marked in a neighbour cell) at `range`.
    pub fn truth(&mut self, range: &str, field: Field) {
        let at = self.at(range, &field.label);
        self.t.add(field, at, None);
    }

    /// Records a value a cell reader cannot see (the cells hold no mark).
    pub fn gap(&mut self, range: &str, field: Field, why: &'static str) {
        let at = self.at(range, &field.label);
        self.t.add(field, at, Some(why));
    }

    /// A number cell (a date serial, a split date part, a selection code).
    pub fn n(&mut self, range: &str, x: f64, f: &Format) -> R {
        let ((r1, c1), (r2, c2)) = parse_range(range);
        if (r1, c1) != (r2, c2) {
            self.ws.merge_range(r1, c1, r2, c2, "", f)?;
        }
        self.ws.write_number_with_format(r1, c1, x, f)?;
        Ok(())
    }

    /// A date cell (1900 serial) with a number format; records the field.
    pub fn d(&mut self, range: &str, d: Ymd, f: &Format, field: Field) -> R {
        let ((r1, c1), (r2, c2)) = parse_range(range);
        if (r1, c1) != (r2, c2) {
            self.ws.merge_range(r1, c1, r2, c2, "", f)?;
        }
        self.ws.write_datetime_with_format(r1, c1, ExcelDateTime::from_ymd(d.0, d.1, d.2)?, f)?;
        self.truth(range, field);
        Ok(())
    }

    pub fn widths(&mut self, cols: std::ops::Range<u16>, w: f64) -> R {
        for c in cols {
            self.ws.set_column_width(c, w)?;
        }
        Ok(())
    }
}

/// A date format with a border, as the layouts use them.
pub fn datefmt(code: &str) -> Format {
    Format::new().set_num_format(code).set_border(FormatBorder::Thin).set_align(FormatAlign::Top)
}

pub const GANNEN: &str = "[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\";@";
pub const WAREKI411: &str = "[$-411]ggge\"年\"m\"月\"d\"日\"";

/// A fixed creation time, so the same layout is the same bytes.
pub fn finish(mut wb: Workbook) -> Vec<u8> {
    let props = rust_xlsxwriter::DocProperties::new()
        .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1).expect("date"));
    wb.set_properties(&props);
    wb.save_to_buffer().expect("save workbook")
}

/// Rewrites parts of a saved workbook (rust_xlsxwriter has no switch for the
/// 1904 epoch or oval shapes): `edit(name, xml)` returns the new text of a
/// part, or None to keep it.
pub fn patch(xlsx: Vec<u8>, edit: impl Fn(&str, &str) -> Option<String>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().expect("entry name").into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name.ends_with(".xml") {
            let text = String::from_utf8(data.clone()).expect("utf-8");
            if let Some(new) = edit(&name, &text) {
                data = new.into_bytes();
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}
