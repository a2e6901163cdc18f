//! offices/<office>/findings.xlsx: one row per finding, for the care
//! managers and municipal staff who sort and filter them in Excel.
//!
//! Frozen header, filters on every column, severity colours, wrapped
//! message and hint columns, plan dates in 和暦, A3 landscape fitted to the
//! page width with the header row repeated, fixed document properties (the
//! same findings give the same bytes).

use crate::audit::{Finding, Severity};
use crate::model::wareki;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

const HEADER: [(&str, f64); 14] = [
    ("重要度", 8.0),
    ("コード", 8.0),
    ("項目", 28.0),
    ("内容", 50.0),
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

/// The workbook of one office's findings (a header only when there are none).
pub fn findings_workbook(office: &str, findings: &[&Finding]) -> Result<Vec<u8>, XlsxError> {
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
    for (i, f) in findings.iter().enumerate() {
        let r = i as u32 + 1;
        let l = &f.location;
        let texts = [
            f.code.to_string(),
            f.title.to_string(),
            f.message.clone(),
            f.plan.insurer_no.clone().unwrap_or_default(),
            f.plan.insured_no.clone().unwrap_or_default(),
            f.plan.plan_date.map(wareki::date).unwrap_or_default(),
            l.file.to_string(),
            l.sheet.as_deref().unwrap_or("").to_string(),
            l.cell.clone().unwrap_or_default(),
        ];
        ws.write_string_with_format(r, 0, f.severity.ja(), &severity_format(f.severity))?;
        for (c, t) in texts.iter().enumerate() {
            ws.write_string_with_format(r, c as u16 + 1, t, &cell)?;
        }
        for (c, n) in [(10u16, l.line), (11, l.column.map(u64::from))] {
            match n {
                Some(n) => ws.write_number_with_format(r, c, n as f64, &cell)?,
                None => ws.write_blank(r, c, &cell)?,
            };
        }
        let evidence = f.evidence.as_deref().unwrap_or("");
        let hint = f.hint.as_deref().unwrap_or("");
        ws.write_string_with_format(r, 12, evidence, &cell)?;
        ws.write_string_with_format(r, 13, hint, &cell)?;
        // Excel does not grow rows for wrapped text by itself: size them.
        let wrapped = [(2, &*f.title), (3, f.message.as_str()), (7, &*l.file), (12, evidence), (13, hint)];
        let cells: Vec<(&str, f64)> = wrapped.iter().map(|(c, t)| (*t, HEADER[*c].1)).collect();
        ws.set_row_height(r, super::xlsx::height_for(&cells))?;
    }
    let last = findings.len() as u32;
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
