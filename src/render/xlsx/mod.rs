//! lsw.xlsx: the Life Support Work forms as an editable workbook.
//!
//! One sheet per 様式 laid out like the guide's forms with their Japanese
//! labels (様式4 on A3 landscape, the others on A4), print areas, fit to page
//! width, repeated header rows, the person's name on every printed page,
//! explicit column widths and row heights computed for wrapped Japanese text
//! (Excel never auto-fits merged cells), a Japanese default font, and dates
//! in 和暦. Cells the 小多機 team fills end in 「（小多機で記入）」 in grey.
//! The kept 第6/7表 are laid out as the MHLW forms, numbers as numbers; the
//! unclassified values get a sheet of their own.

mod tables;

use crate::model::lsw::*;
use crate::render::text::*;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use tables::{table6, table7, unclassified};

/// The font the forms use; Windows has it since 10, LibreOffice falls back cleanly.
pub const FONT: &str = "BIZ UDPゴシック";

/// Excel's cell limit; longer text is cut with a note (the JSON keeps it whole).
const MAX_CELL: usize = 32_767;

/// The workbook as bytes.
pub fn lsw_workbook(f: &LswForms) -> Result<Vec<u8>, XlsxError> {
    build(f)
}

struct Styles {
    title: Format,
    label: Format,
    cell: Format,
    center: Format,
    small: Format,
    /// 「（小多機で記入）」.
    mark: Format,
    /// Numbers of 第6/7表: integers and amounts with decimals.
    int: Format,
    dec: Format,
    /// 合計 rows of 第7表.
    total_int: Format,
    total_text: Format,
}

fn styles() -> Styles {
    let base = Format::new().set_font_name(FONT).set_font_charset(128).set_font_size(10);
    let cell = base.clone().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let int = cell.clone().set_num_format("#,##0").set_align(FormatAlign::Right);
    Styles {
        title: base.clone().set_font_size(14).set_bold(),
        label: cell
            .clone()
            .set_background_color("#E8EEF4")
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        center: cell.clone().set_align(FormatAlign::Center),
        small: base.clone().set_font_size(9).set_text_wrap().set_align(FormatAlign::Top),
        mark: cell.clone().set_font_color("#7F7F7F").set_font_size(8),
        dec: cell.clone().set_num_format("#,##0.00").set_align(FormatAlign::Right),
        total_int: int.clone().set_background_color("#F0F0F0"),
        total_text: cell.clone().set_background_color("#F0F0F0"),
        int,
        cell,
    }
}

/// Display width of text in Excel column units: full-width characters count
/// about two digits, half-width one.
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x2E80 || ('\u{FF61}'..='\u{FF9F}').contains(&c) { 1.1 } else { 2.0 }).sum()
}

/// Lines a text takes in a column of `width` units.
fn lines_in(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(2.0);
    text.split('\n').map(|l| ((text_width(l) / usable).ceil() as usize).max(1)).sum()
}

/// Row height (points) that shows every line of each (text, width) pair.
pub(crate) fn height_for(cells: &[(&str, f64)]) -> f64 {
    let lines = cells.iter().map(|(t, w)| lines_in(t, *w)).max().unwrap_or(1);
    (lines as f64 * 13.5 + 4.0).clamp(18.0, 409.0)
}

fn cut(s: &str) -> String {
    // Vendors' half-width katakana prints full-width, as in the PDF.
    let s = &*crate::render::display::full_width_kana(s);
    if s.chars().count() <= MAX_CELL {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_CELL - 40).collect();
    out.push_str("…（Excelの上限のため省略。全文は lsw.json）");
    out
}

/// A merged range, or a single cell when it spans one.
fn put(ws: &mut Worksheet, r: u32, c1: u16, c2: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
    let text = cut(text);
    if c1 == c2 {
        ws.write_string_with_format(r, c1, &text, f)?;
    } else {
        ws.merge_range(r, c1, r, c2, &text, f)?;
    }
    Ok(())
}

/// A cell the 小多機 team may fill: its text, and the grey mark under it.
fn put_filled(ws: &mut Worksheet, st: &Styles, r: u32, c1: u16, c2: u16, c: &Filled) -> Result<(), XlsxError> {
    if !c.fill {
        return put(ws, r, c1, c2, &c.text, &st.cell);
    }
    if c.text.is_empty() {
        return put(ws, r, c1, c2, TO_FILL, &st.mark);
    }
    if c1 != c2 {
        ws.merge_range(r, c1, r, c2, "", &st.cell)?;
    }
    let text = format!("{}\n", cut(&c.text));
    ws.write_rich_string_with_format(r, c1, &[(&st.cell, text.as_str()), (&st.mark, TO_FILL)], &st.cell)?;
    Ok(())
}

/// Sets column widths and returns them (for row heights).
fn widths(ws: &mut Worksheet, w: &[f64]) -> Result<Vec<f64>, XlsxError> {
    for (i, x) in w.iter().enumerate() {
        ws.set_column_width(i as u16, *x)?;
    }
    Ok(w.to_vec())
}

fn span(w: &[f64], c1: usize, c2: usize) -> f64 {
    w[c1..=c2].iter().sum()
}

/// Page setup: paper, orientation, print area, fit to width, repeated rows,
/// and the person's name and the form on every printed page.
struct Page<'a> {
    a3: bool,
    landscape: bool,
    last_row: u32,
    last_col: u16,
    repeat: Option<(u32, u32)>,
    form: &'a str,
}

fn setup(ws: &mut Worksheet, f: &LswForms, p: Page) -> Result<(), XlsxError> {
    // Paper sizes of the OOXML page setup: 8 = A3, 9 = A4.
    ws.set_paper_size(if p.a3 { 8 } else { 9 });
    if p.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_margins(0.4, 0.4, 0.6, 0.5, 0.25, 0.2);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, p.last_row.max(1), p.last_col)?;
    if let Some((a, b)) = p.repeat {
        ws.set_repeat_rows(a, b)?;
    }
    // `&` starts a header code: a name with one is written `&&`.
    let person = crate::render::pdf::view::person_name(f).replace('&', "&&");
    ws.set_header(format!("&R&9{}　利用者氏名：{person}", p.form));
    ws.set_footer("&P / &N");
    Ok(())
}

fn title_rows(ws: &mut Worksheet, st: &Styles, title: &str, f: &LswForms, last_col: u16) -> Result<u32, XlsxError> {
    ws.merge_range(0, 0, 0, last_col, title, &st.title)?;
    let name = format!("利用者氏名：{}", crate::render::pdf::view::person_name(f));
    let original = original_plan(&f.header);
    let right = if original.is_empty() { String::new() } else { format!("元計画：{original}") };
    let mid = (last_col / 2).max(1);
    put(ws, 1, 0, mid - 1, &name, &st.small)?;
    put(ws, 1, mid, last_col, &right, &st.small)?;
    ws.set_row_height(0, 24)?;
    ws.set_row_height(1, height_for(&[(&right, 60.0)]).max(18.0))?;
    Ok(3)
}

fn form1(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式1 記録・ミーティング")?;
    let w = widths(ws, &[16.0, 28.0, 28.0, 28.0, 28.0])?;
    let mut r = title_rows(ws, st, "様式１　記録用紙兼ミーティング用紙（日々の即時的ケアプラン用紙）", f, 4)?;
    let header = r;
    for (c, h) in ["年月日／項目", "本人", "家族・介護者", "地域", "記入者／介護支援専門員"].iter().enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    ws.set_row_height(r, 30)?;
    r += 1;
    for e in &f.form1.entries {
        let cols = [entry_when(e), join(&e.person), join(&e.family), join(&e.community), entry_recorder(e)];
        for (c, t) in cols.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, cut(t), &st.cell)?;
        }
        let pairs: Vec<(&str, f64)> = cols.iter().zip(&w).map(|(t, w)| (t.as_str(), *w)).collect();
        ws.set_row_height(r, height_for(&pairs))?;
        r += 1;
        for (label, ps) in
            [("ミーティング　考察", &e.meeting.consideration), ("ミーティング　決定", &e.meeting.decision)]
        {
            if ps.is_empty() {
                continue;
            }
            let t = join(ps);
            ws.write_string_with_format(r, 0, label, &st.label)?;
            put(ws, r, 1, 4, &t, &st.cell)?;
            ws.set_row_height(r, height_for(&[(&t, span(&w, 1, 4))]))?;
            r += 1;
        }
    }
    // The 小多機 team's own records and ミーティング.
    let has = |n: &str| f.form1.to_fill.iter().any(|x| x == n);
    for (label, name) in [
        ("日々の記録", "records"),
        ("ミーティング　考察", "meeting.consideration"),
        ("ミーティング　決定", "meeting.decision"),
    ] {
        ws.write_string_with_format(r, 0, label, &st.label)?;
        put_filled(ws, st, r, 1, 4, &Filled::new(String::new(), has(name)))?;
        ws.set_row_height(r, 48)?;
        r += 1;
    }
    setup(
        ws,
        f,
        Page {
            a3: false, landscape: false, last_row: r, last_col: 4, repeat: Some((header, header)), form: "様式１"
        },
    )
}

fn form2(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式2 カンファレンス")?;
    let w = widths(ws, &[16.0, 28.0, 28.0, 28.0, 14.0])?;
    let mut r = title_rows(ws, st, "様式２　カンファレンス用紙", f, 4)?;
    for c in &f.form2 {
        let participants = join(&c.participants);
        ws.write_string_with_format(r, 0, "参加者", &st.label)?;
        put(ws, r, 1, 3, &participants, &st.cell)?;
        ws.write_string_with_format(r, 4, format!("計　{}　名", c.count), &st.center)?;
        ws.set_row_height(r, height_for(&[(&participants, span(&w, 1, 3))]))?;
        r += 1;
        for (col, h) in ["年月日／項目", "本人", "家族・介護者", "地域"].iter().enumerate() {
            ws.write_string_with_format(r, col as u16, *h, &st.label)?;
        }
        ws.write_string_with_format(r, 4, "", &st.label)?;
        r += 1;
        let cols = [conference_when(c), join(&c.person), join(&c.family), join(&c.community)];
        for (col, t) in cols.iter().enumerate() {
            ws.write_string_with_format(r, col as u16, cut(t), &st.cell)?;
        }
        ws.write_string_with_format(r, 4, "", &st.cell)?;
        let pairs: Vec<(&str, f64)> = cols.iter().zip(&w).map(|(t, w)| (t.as_str(), *w)).collect();
        ws.set_row_height(r, height_for(&pairs))?;
        r += 1;
        let [consideration, person_confirmation, care_manager] = conference_fills(c);
        ws.write_string_with_format(r, 0, "考察", &st.label)?;
        put_filled(ws, st, r, 1, 4, &consideration)?;
        ws.set_row_height(r, height_for(&[(&consideration.plain(), span(&w, 1, 4))]).max(36.0))?;
        r += 1;
        let confirmed = join(&c.confirmed);
        ws.write_string_with_format(r, 0, "確認事項", &st.label)?;
        put(ws, r, 1, 4, &confirmed, &st.cell)?;
        ws.set_row_height(r, height_for(&[(&confirmed, span(&w, 1, 4))]).max(36.0))?;
        r += 1;
        ws.write_string_with_format(r, 0, "本人（代理人）確認", &st.label)?;
        put_filled(ws, st, r, 1, 1, &person_confirmation)?;
        ws.write_string_with_format(r, 2, "介護支援専門員", &st.label)?;
        put_filled(ws, st, r, 3, 4, &care_manager)?;
        ws.set_row_height(r, 30)?;
        r += 2;
    }
    setup(ws, f, Page { a3: false, landscape: false, last_row: r, last_col: 4, repeat: None, form: "様式２" })
}

fn form3(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式3 ライフサポートプラン①")?;
    let w = widths(ws, &[18.0, 18.0, 11.0, 16.0, 16.0, 16.0, 20.0, 14.0, 24.0])?;
    let last = 8u16;
    let mut r = title_rows(ws, st, "様式３　ライフサポートプラン①", f, last)?;
    for (label, cell) in &form3_rows(f) {
        put(ws, r, 0, 1, label, &st.label)?;
        put_filled(ws, st, r, 2, last, cell)?;
        ws.set_row_height(r, height_for(&[(&cell.plain(), span(&w, 2, last as usize))]).max(24.0))?;
        r += 1;
    }
    r += 1;
    let header = r;
    ws.merge_range(r, 0, r, 1, "当面の目標・ニーズ", &st.label)?;
    ws.merge_range(r, 2, r + 1, 2, "期間", &st.label)?;
    ws.merge_range(r, 3, r, 6, "何ができるか", &st.label)?;
    ws.merge_range(r, 7, r + 1, 7, "目標（ニーズ）実現のプロセス", &st.label)?;
    ws.merge_range(r, 8, r + 1, 8, "行動計画", &st.label)?;
    for (c, t) in [
        (0u16, "ニーズ"),
        (1, "当面の目標"),
        (3, "本人"),
        (4, "家族・介護者"),
        (5, "地域（本人の持つ資源）"),
        (6, "専門職・事業所"),
    ] {
        ws.write_string_with_format(r + 1, c, t, &st.label)?;
    }
    ws.set_row_height(r + 1, 30)?;
    r += 2;
    let needs = &f.form3.needs;
    for (k, n) in needs.iter().enumerate() {
        let cells = need_cells(n);
        for (c, cell) in cells.iter().enumerate().skip(1) {
            put_filled(ws, st, r, c as u16, c as u16, cell)?;
        }
        let plains: Vec<String> = cells.iter().map(Filled::plain).collect();
        let pairs: Vec<(&str, f64)> = plains.iter().skip(1).zip(&w[1..]).map(|(t, w)| (t.as_str(), *w)).collect();
        ws.set_row_height(r, height_for(&pairs))?;
        // The ニーズ spans the rows of its 当面の目標.
        match need_span(needs, k) {
            0 => {}
            1 => put(ws, r, 0, 0, &cells[0].text, &st.cell)?,
            n => {
                ws.merge_range(r, 0, r + n as u32 - 1, 0, &cut(&cells[0].text), &st.cell)?;
            }
        }
        r += 1;
    }
    r += 1;
    put(ws, r, 0, last, "他の介護保険サービス（訪問看護・福祉用具など）　その必要性と具体的内容", &st.label)?;
    r += 1;
    let cols = [(0u16, 0u16), (1, 2), (3, 5), (6, 7), (8, 8)];
    for (i, t) in
        ["サービス種別", "事業所", "必要性（ニーズ／当面の目標）", "具体的内容", "頻度／期間"].iter().enumerate()
    {
        put(ws, r, cols[i].0, cols[i].1, t, &st.label)?;
    }
    r += 1;
    for o in &f.form3.other_services {
        let texts = other_service_cells(o);
        let mut pairs = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let (c1, c2) = cols[i];
            put(ws, r, c1, c2, t, &st.cell)?;
            pairs.push((t.as_str(), span(&w, c1 as usize, c2 as usize)));
        }
        ws.set_row_height(r, height_for(&pairs))?;
        r += 1;
    }
    setup(
        ws,
        f,
        Page {
            a3: false,
            landscape: true,
            last_row: r,
            last_col: last,
            repeat: Some((header, header + 1)),
            form: "様式３",
        },
    )
}

fn form4(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式4 ライフサポートプラン②")?;
    let w = widths(ws, &[7.0, 7.0, 24.0, 20.0, 20.0, 20.0, 17.0, 17.0, 17.0, 15.0, 15.0, 15.0])?;
    let last = 11u16;
    let mut r = title_rows(ws, st, "様式４　ライフサポートプラン②（わたしの暮らし まとめシート）", f, last)?;
    let top = r;
    for (c, t) in [
        "時間帯",
        "時刻",
        "これまでの暮らし（こだわり）",
        "望む暮らし",
        "できること（していること）",
        "支援が必要なこと",
    ]
    .iter()
    .enumerate()
    {
        ws.merge_range(r, c as u16, r + 1, c as u16, t, &st.label)?;
    }
    ws.merge_range(r, 6, r, last, "支援（誰が・何を）", &st.label)?;
    for (c, t) in
        ["本人", "家族・介護者", "地域", "事業所（通い）", "事業所（訪問）", "事業所（宿泊）"].iter().enumerate()
    {
        ws.write_string_with_format(r + 1, 6 + c as u16, *t, &st.label)?;
    }
    ws.set_row_height(r, 20)?;
    ws.set_row_height(r + 1, 30)?;
    r += 2;
    // Consecutive rows of one 時間帯 share its merged label.
    let mut band_start = r;
    for (i, s) in f.form4.slots.iter().enumerate() {
        ws.write_string_with_format(r, 1, &s.time, &st.center)?;
        let cells = slot_cells(s);
        let office_open = cells[7..].iter().all(|c| c.text.is_empty()) && cells[7..].iter().any(|c| c.fill);
        for (c, cell) in cells.iter().enumerate() {
            let col = 2 + c as u16;
            if office_open && c >= 7 {
                if c == 7 {
                    put_filled(ws, st, r, col, last, &Filled::new(String::new(), true))?;
                }
                continue;
            }
            put_filled(ws, st, r, col, col, cell)?;
        }
        let plains: Vec<String> = cells.iter().map(Filled::plain).collect();
        let pairs: Vec<(&str, f64)> = plains.iter().zip(&w[2..]).map(|(t, w)| (t.as_str(), *w)).collect();
        // Tall enough to write in by hand.
        ws.set_row_height(r, height_for(&pairs).max(40.0))?;
        let band_ends = f.form4.slots.get(i + 1).is_none_or(|n| n.band != s.band);
        if band_ends {
            if band_start == r {
                ws.write_string_with_format(r, 0, &s.band, &st.label)?;
            } else {
                ws.merge_range(band_start, 0, r, 0, &s.band, &st.label)?;
            }
            band_start = r + 1;
        }
        r += 1;
    }
    let non_daily = join(&f.form4.non_daily);
    put(ws, r, 0, 1, "日々以外（週間・月単位など）", &st.label)?;
    put(ws, r, 2, last, &non_daily, &st.cell)?;
    ws.set_row_height(r, height_for(&[(&non_daily, span(&w, 2, last as usize))]).max(40.0))?;
    r += 1;
    put(ws, r, 0, 1, "更新部分", &st.label)?;
    put_filled(ws, st, r, 2, last, &Filled::new(String::new(), f.form4.to_fill.iter().any(|x| x == "updates")))?;
    ws.set_row_height(r, 40)?;
    setup(
        ws,
        f,
        Page {
            a3: true, landscape: true, last_row: r, last_col: last, repeat: Some((top, top + 1)), form: "様式４"
        },
    )
}

fn build(f: &LswForms) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let default = Format::new().set_font_name(FONT).set_font_size(11).set_font_charset(128);
    wb.set_default_format(&default, 18, 72)?;
    let st = styles();
    form1(&mut wb, &st, f)?;
    form2(&mut wb, &st, f)?;
    form3(&mut wb, &st, f)?;
    form4(&mut wb, &st, f)?;
    table6(&mut wb, &st, f)?;
    table7(&mut wb, &st, f)?;
    unclassified(&mut wb, &st, f)?;
    // Fixed document properties: the same forms give the same bytes.
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title("ライフサポートワーク様式")
        .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(&props);
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_japanese_needs_taller_rows() {
        let short = height_for(&[("入浴", 20.0)]);
        let long = height_for(&[("浴槽をまたぐ動作が自分でできるよう、手すりを使って練習する", 20.0)]);
        assert_eq!(short, 18.0);
        assert!(long > short * 2.0, "{long}");
        assert_eq!(lines_in("一\n二\n三", 20.0), 3);
    }
}
