//! lsw.xlsx: the Life Support Work forms as an editable workbook.
//!
//! One sheet per 様式 laid out like the guide's forms with their Japanese
//! labels (様式4 on A3 landscape, the others on A4), print areas, fit to page
//! width, repeated header rows, explicit column widths and row heights
//! computed for wrapped Japanese text (Excel never auto-fits merged cells),
//! a Japanese default font, and dates in 和暦. The kept 第6/7表 and the
//! unclassified values get sheets of their own.

use crate::model::lsw::*;
use crate::model::wareki;
use crate::render::text::*;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

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
}

fn styles() -> Styles {
    let base = Format::new().set_font_name(FONT).set_font_charset(128).set_font_size(10);
    let cell = base.clone().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
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

fn setup(
    ws: &mut Worksheet,
    a3: bool,
    landscape: bool,
    last_row: u32,
    last_col: u16,
    repeat: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    // Paper sizes of the OOXML page setup: 8 = A3, 9 = A4.
    ws.set_paper_size(if a3 { 8 } else { 9 });
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.2, 0.2);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, last_row.max(1), last_col)?;
    if let Some((a, b)) = repeat {
        ws.set_repeat_rows(a, b)?;
    }
    ws.set_footer("&P / &N");
    Ok(())
}

fn title_rows(ws: &mut Worksheet, st: &Styles, title: &str, f: &LswForms, last_col: u16) -> Result<u32, XlsxError> {
    ws.merge_range(0, 0, 0, last_col, title, &st.title)?;
    let name = f
        .header
        .person_name
        .as_deref()
        .map(|n| format!("利用者氏名：{n}　様"))
        .unwrap_or_else(|| "利用者氏名：".into());
    let created = f.header.created_on.map(|d| format!("作成日：{}", wareki::date(d))).unwrap_or_default();
    let right = [created, f.header.planner.as_deref().map(|p| format!("作成者：{p}")).unwrap_or_default()].join("　");
    let mid = (last_col / 2).max(1);
    put(ws, 1, 0, mid - 1, &name, &st.small)?;
    put(ws, 1, mid, last_col, right.trim(), &st.small)?;
    ws.set_row_height(0, 24)?;
    ws.set_row_height(1, 18)?;
    Ok(3)
}

fn form1(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式1 記録・ミーティング")?;
    let w = widths(ws, &[16.0, 30.0, 30.0, 30.0, 14.0])?;
    let mut r = title_rows(ws, st, "様式１　日々の記録＆ミーティング用紙", f, 4)?;
    let header = r;
    for (c, h) in ["年月日／項目", "本人", "家族・介護者", "地域", "記入者／介護支援専門員"].iter().enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    ws.set_row_height(r, 30)?;
    r += 1;
    for e in &f.form1.entries {
        let cols = [
            entry_when(e),
            join(&e.person),
            join(&e.family),
            join(&e.community),
            e.recorder.clone().unwrap_or_default(),
        ];
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
    setup(ws, false, false, r, 4, Some((header, header)))
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
        for (label, ps) in [("考察", &c.consideration), ("確認事項", &c.confirmed)] {
            let t = join(ps);
            ws.write_string_with_format(r, 0, label, &st.label)?;
            put(ws, r, 1, 4, &t, &st.cell)?;
            ws.set_row_height(r, height_for(&[(&t, span(&w, 1, 4))]).max(36.0))?;
            r += 1;
        }
        ws.write_string_with_format(r, 0, "本人（代理人）確認", &st.label)?;
        ws.write_string_with_format(r, 1, "", &st.cell)?;
        ws.write_string_with_format(r, 2, "介護支援専門員", &st.label)?;
        let planner = c.recorder.as_ref().map(|p| p.text.as_str()).or(f.header.planner.as_deref()).unwrap_or("");
        put(ws, r, 3, 4, planner, &st.cell)?;
        ws.set_row_height(r, 24)?;
        r += 2;
    }
    setup(ws, false, false, r, 4, None)
}

fn form3(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式3 ライフサポートプラン①")?;
    let w = widths(ws, &[20.0, 12.0, 18.0, 18.0, 18.0, 20.0, 22.0, 30.0])?;
    let last = 7u16;
    let mut r = title_rows(ws, st, "様式３　ライフサポートプラン①", f, last)?;
    let h = &f.header;
    let cert = certification(h);
    let info = format!("要介護度：{}　　認定の有効期間：{}", h.care_level.as_deref().unwrap_or(""), cert);
    put(ws, r, 0, last, &info, &st.cell)?;
    r += 1;
    let i = &f.form3.intentions;
    let rows: [(&str, String); 7] = [
        ("本人の意向", i.person.as_ref().map(|p| p.text.clone()).unwrap_or_default()),
        ("家族・介護者の意向", i.family.as_ref().map(|p| p.text.clone()).unwrap_or_default()),
        ("意向（その他）", i.other.as_ref().map(|p| p.text.clone()).unwrap_or_default()),
        ("介護認定審査会の意見", f.form3.review_opinion.as_ref().map(|p| p.text.clone()).unwrap_or_default()),
        ("総合的な援助の方針", f.form3.policy.as_ref().map(|p| p.text.clone()).unwrap_or_default()),
        ("緊急時の対応", join(&f.form3.emergency)),
        ("長期的目標（ゴール）", join_dated(&f.form3.goal)),
    ];
    for (label, text) in rows.iter() {
        if label == &"意向（その他）" && text.is_empty() {
            continue;
        }
        put(ws, r, 0, 1, label, &st.label)?;
        put(ws, r, 2, last, text, &st.cell)?;
        ws.set_row_height(r, height_for(&[(text, span(&w, 2, 7))]).max(24.0))?;
        r += 1;
    }
    r += 1;
    let header = r;
    let heads = [
        "当面の目標・ニーズ",
        "期間",
        "本人",
        "家族・介護者",
        "地域（本人の持つ資源）",
        "専門職・事業所",
        "目標（ニーズ）実現のプロセス",
        "行動計画",
    ];
    for (c, t) in heads.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *t, &st.label)?;
    }
    ws.set_row_height(r, 30)?;
    r += 1;
    for n in &f.form3.needs {
        let cols = need_cells(n);
        for (c, t) in cols.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, cut(t), &st.cell)?;
        }
        let pairs: Vec<(&str, f64)> = cols.iter().zip(&w).map(|(t, w)| (t.as_str(), *w)).collect();
        ws.set_row_height(r, height_for(&pairs))?;
        r += 1;
    }
    r += 1;
    put(ws, r, 0, last, "他の介護保険サービス（訪問看護・福祉用具など）", &st.label)?;
    r += 1;
    for (c, t) in ["サービス種別", "事業所", "必要性（ニーズ）", "具体的内容", "頻度", "期間"].iter().enumerate()
    {
        let (c1, c2) = [(0, 0), (1, 2), (3, 4), (5, 6), (7, 7), (7, 7)][c];
        if c == 5 {
            continue;
        }
        put(ws, r, c1, c2, t, &st.label)?;
    }
    r += 1;
    for o in &f.form3.other_services {
        let [kind, provider, necessity, content, freq] = other_service_cells(o);
        let cells = [(0u16, 0u16, kind), (1, 2, provider), (3, 4, necessity), (5, 6, content), (7, 7, freq)];
        let mut pairs = Vec::new();
        for (c1, c2, t) in &cells {
            put(ws, r, *c1, *c2, t, &st.cell)?;
            pairs.push((t.as_str(), span(&w, *c1 as usize, *c2 as usize)));
        }
        ws.set_row_height(r, height_for(&pairs))?;
        r += 1;
    }
    setup(ws, false, true, r, last, Some((header, header)))
}

fn form4(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("様式4 ライフサポートプラン②")?;
    let w = widths(ws, &[7.0, 7.0, 26.0, 22.0, 22.0, 22.0, 20.0, 20.0, 20.0, 24.0])?;
    let last = 9u16;
    let mut r = title_rows(ws, st, "様式４　ライフサポートプラン②（わたしの暮らし まとめシート）", f, last)?;
    let top = r;
    for (c, t) in
        ["時間帯", "時刻", "これまでの暮らし", "望む暮らし", "できること", "支援が必要なこと"].iter().enumerate()
    {
        ws.merge_range(r, c as u16, r + 1, c as u16, t, &st.label)?;
    }
    ws.merge_range(r, 6, r, 9, "支援（誰が・何を）", &st.label)?;
    for (c, t) in ["本人", "家族・介護者", "地域", "事業所"].iter().enumerate() {
        ws.write_string_with_format(r + 1, 6 + c as u16, *t, &st.label)?;
    }
    r += 2;
    // Consecutive rows of one 時間帯 share its merged label.
    let mut band_start = r;
    for (i, s) in f.form4.slots.iter().enumerate() {
        let cols = slot_cells(s);
        for (c, t) in cols.iter().enumerate() {
            let f = if c == 0 { &st.center } else { &st.cell };
            ws.write_string_with_format(r, 1 + c as u16, cut(t), f)?;
        }
        let pairs: Vec<(&str, f64)> = cols.iter().zip(&w[1..]).map(|(t, w)| (t.as_str(), *w)).collect();
        ws.set_row_height(r, height_for(&pairs).max(22.0))?;
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
    ws.set_row_height(r, height_for(&[(&non_daily, span(&w, 2, 9))]).max(36.0))?;
    setup(ws, true, true, r, last, Some((top, top + 1)))
}

fn table6(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let Some(t) = &f.table6 else { return Ok(()) };
    let ws = wb.add_worksheet().set_name("第6表 サービス利用票")?;
    widths(ws, &[12.0, 26.0, 8.0, 8.0, 8.0, 8.0, 40.0])?;
    let mut r =
        title_rows(ws, st, &format!("第６表　サービス利用票（{}分）　現行様式使用", wareki::month(&t.month)), f, 6)?;
    let info = format!(
        "要介護状態区分：{}　　区分支給限度基準額：{}単位",
        t.care_level.as_deref().unwrap_or(""),
        t.limit_units.map(|n| n.to_string()).unwrap_or_default()
    );
    put(ws, r, 0, 6, &info, &st.cell)?;
    r += 1;
    let header = r;
    for (c, h) in ["サービスコード", "サービス事業所", "開始", "終了", "回数/日", "単位数", "利用日"].iter().enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    r += 1;
    for row in &t.rows {
        let cols = [
            row.service_code.clone().unwrap_or_default(),
            row.provider.clone().unwrap_or_default(),
            row.start.clone().unwrap_or_default(),
            row.end.clone().unwrap_or_default(),
            row.count_per_day.map(|n| n.to_string()).unwrap_or_default(),
            row.units.map(|n| n.to_string()).unwrap_or_default(),
            days(&row.dates),
        ];
        for (c, v) in cols.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, cut(v), &st.cell)?;
        }
        ws.set_row_height(r, height_for(&[(&cols[6], 40.0), (&cols[1], 26.0)]))?;
        r += 1;
    }
    setup(ws, false, true, r, 6, Some((header, header)))
}

fn table7(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let Some(t) = &f.table7 else { return Ok(()) };
    let ws = wb.add_worksheet().set_name("第7表 サービス利用票別表")?;
    widths(ws, &[26.0, 12.0, 12.0, 10.0, 10.0, 12.0, 12.0, 12.0])?;
    let mut r = title_rows(
        ws,
        st,
        &format!("第７表　サービス利用票別表（{}分）　現行様式使用", wareki::month(&t.month)),
        f,
        7,
    )?;
    let header = r;
    for (c, h) in [
        "サービス事業所",
        "事業所番号",
        "サービスコード",
        "単位数",
        "回数",
        "サービス単位",
        "区分支給限度基準内単位",
        "利用者負担",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    r += 1;
    for row in t.rows.iter().chain(t.totals.iter()) {
        let cols = [
            if row.row_kind == "total" { "合計".to_string() } else { row.provider.clone().unwrap_or_default() },
            row.provider_code.clone().unwrap_or_default(),
            row.service_code.clone().unwrap_or_default(),
            amount(row, TABLE7_AMOUNTS[0]),
            amount(row, TABLE7_AMOUNTS[1]),
            amount(row, TABLE7_AMOUNTS[2]),
            amount(row, TABLE7_AMOUNTS[3]),
            amount(row, TABLE7_AMOUNTS[4]),
        ];
        for (c, v) in cols.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, cut(v), &st.cell)?;
        }
        r += 1;
    }
    setup(ws, false, true, r, 7, Some((header, header)))
}

fn unclassified(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name("未分類")?;
    let w = widths(ws, &[40.0, 40.0, 40.0])?;
    let mut r = title_rows(ws, st, &format!("様式に振り分けられなかった値（{}件）", f.unclassified.len()), f, 2)?;
    let header = r;
    for (c, h) in ["値", "理由", "読み込んだ場所"].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    r += 1;
    for u in &f.unclassified {
        let place = u.source.as_ref().map(crate::render::display::place).unwrap_or_default();
        let cols = [crate::render::display::dates_in_text(&u.text).into_owned(), u.reason.clone(), place];
        for (c, v) in cols.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, cut(v), &st.cell)?;
        }
        let pairs: Vec<(&str, f64)> = cols.iter().zip(&w).map(|(t, w)| (t.as_str(), *w)).collect();
        ws.set_row_height(r, height_for(&pairs))?;
        r += 1;
    }
    setup(ws, false, true, r, 2, Some((header, header)))
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
