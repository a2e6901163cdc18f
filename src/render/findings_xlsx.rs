//! offices/<office>/findings.xlsx: one row per finding, for the care
//! managers and municipal staff who sort and filter them in Excel.
//!
//! Frozen header, filters on every column, severity colours, wrapped
//! message and hint columns, the person's name, plan dates in 和暦, A3
//! landscape fitted to the page width with the header row repeated, fixed
//! document properties (the same findings give the same bytes).

use crate::audit::{Finding, Severity};
use crate::model::wareki;
use crate::render::display;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// The columns: what was found, whose plan, where. 重大度 is the word the
/// PDFs and the terminal use.
const HEADER: [(&str, f64); 15] = [
    ("重大度", 8.0),
    ("コード", 8.0),
    ("項目", 28.0),
    ("内容", 50.0),
    ("利用者名", 14.0),
    ("保険者番号", 11.0),
    ("被保険者番号", 13.0),
    ("計画作成日", 16.0),
    ("ファイル", 30.0),
    ("シート", 10.0),
    ("セル", 7.0),
    ("行", 7.0),
    ("列", 5.0),
    ("該当する記載", 24.0),
    ("直し方", 30.0),
];

/// One row: a finding and the person whose plan it is about.
pub struct FindingRow<'a> {
    pub finding: &'a Finding,
    /// 利用者名 as the plan writes it (empty when it has none).
    pub person: &'a str,
}

/// The workbook of one office's findings (a header only when there are
/// none). Places print as people read them: files relative to the input
/// folder (the caller's [`display::Places`]), CSV columns as Excel's letters.
pub fn findings_workbook(office: &str, rows: &[FindingRow]) -> Result<Vec<u8>, XlsxError> {
    let font = super::xlsx::FONT;
    let base = Format::new().set_font_name(font).set_font_charset(128).set_font_size(10);
    let cell = base.clone().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let header = cell.clone().set_bold().set_background_color("#E8EEF4").set_align(FormatAlign::VerticalCenter);
    let tinted = |fill: &str, text: &str| cell.clone().set_background_color(fill).set_font_color(text).set_bold();
    let severity_format = |s: Severity| match s {
        Severity::Error => tinted("#FFC7CE", "#9C0006"),
        Severity::Warning => tinted("#FFEB9C", "#9C5700"),
        Severity::Info => tinted("#DDEBF7", "#1F4E79"),
    };

    let mut wb = Workbook::new();
    wb.set_default_format(&base, 18, 72)?;
    let ws = wb.add_worksheet();
    ws.set_name("点検結果")?;
    for (c, (label, width)) in HEADER.iter().enumerate() {
        let c = c as u16;
        ws.set_column_width(c, *width)?;
        ws.write_string_with_format(0, c, *label, &header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let (f, r) = (row.finding, i as u32 + 1);
        let l = &f.location;
        let kana = |s: &str| display::full_width_kana(s).into_owned();
        let texts = [
            f.code.to_string(),
            f.title.to_string(),
            kana(&f.message),
            kana(row.person),
            f.plan.insurer_no.clone().unwrap_or_default(),
            f.plan.insured_no.clone().unwrap_or_default(),
            f.plan.plan_date.map(wareki::date).unwrap_or_default(),
            kana(&l.file),
            kana(l.sheet.as_deref().unwrap_or("")),
            l.cell.clone().unwrap_or_default(),
        ];
        ws.write_string_with_format(r, 0, f.severity.ja(), &severity_format(f.severity))?;
        for (c, t) in texts.iter().enumerate() {
            ws.write_string_with_format(r, c as u16 + 1, t, &cell)?;
        }
        match l.line {
            Some(n) => ws.write_number_with_format(r, 11, n as f64, &cell)?,
            None => ws.write_blank(r, 11, &cell)?,
        };
        let column = l.column.map(display::column_letters).unwrap_or_default();
        ws.write_string_with_format(r, 12, &column, &cell)?;
        let evidence = kana(f.evidence.as_deref().unwrap_or(""));
        let hint = f.hint.as_deref().unwrap_or("");
        ws.write_string_with_format(r, 13, &evidence, &cell)?;
        ws.write_string_with_format(r, 14, hint, &cell)?;
        // Excel does not grow rows for wrapped text by itself: size them.
        let wrapped = [(2, &*f.title), (3, f.message.as_str()), (8, &*l.file), (13, &evidence), (14, hint)];
        let cells: Vec<(&str, f64)> = wrapped.iter().map(|(c, t)| (*t, HEADER[*c].1)).collect();
        ws.set_row_height(r, super::xlsx::height_for(&cells))?;
    }
    let last = rows.len() as u32;
    ws.autofilter(0, 0, last, HEADER.len() as u16 - 1)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_paper_size(8); // A3
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header(format!("&L点検結果　{}&R&P / &N", office.replace('&', "&&")));
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title("ケアプラン点検結果")
        .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(&props);
    wb.save_to_buffer()
}
