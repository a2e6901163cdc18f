//! 第3表, 第4表 and 第5表 as offices lay them out (excel-layouts.md §5, §6):
//! hourly and two-hourly grids from 0:00, 4:00 or 6:00, transposed, half-hour
//! and record lists; the R3 and older 第4表 and a key/value one; 第5表 with
//! two column sets, one set, or one sheet per entry.

use super::people::Who;
use super::{Exp, Field, Sh, Ymd};
use rust_xlsxwriter::{ExcelDateTime, Format, XlsxError};

type R<T = ()> = Result<T, XlsxError>;

const DAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

fn day_index(d: &str) -> u16 {
    DAYS.iter().position(|x| *x == d).expect("day") as u16
}

fn hm(t: &str) -> (u32, u32) {
    let (h, m) = t.split_once(':').expect("HH:MM");
    (h.parse().expect("hour"), m.parse().expect("minute"))
}

/// 「9:00」 from 「09:00」.
fn short_time(t: &str) -> String {
    let (h, m) = hm(t);
    format!("{h}:{m:02}")
}

fn slot(w: &Who, i: usize, written: &str) -> Field {
    let (day, start, end, svc) = w.weekly[i];
    let mut names = vec![written.to_string()];
    if written != svc {
        names.push(svc.to_string());
    }
    Field::new(
        "/table3/weekly",
        Exp::Slot { day: day.into(), start: start.into(), end: end.into(), service: names },
        svc,
    )
}

fn activity(start: &str, text: &str) -> Field {
    Field::new("/table3/daily_activities", Exp::Activity { start: start.into(), text: text.into() }, text)
}

/// The 週単位以外のサービス row at `r`: label over `label`, the items joined
/// by 「、」 over `value`.
fn non_weekly(sh: &mut Sh, w: &Who, r: u32, label: (u16, u16), value: (u16, u16)) -> R {
    sh.lrc(r, label.0, r, label.1, "週単位以外\nのサービス")?;
    sh.trc(r, value.0, r, value.1, &w.non_weekly.join("、"))?;
    for item in &w.non_weekly {
        let at = sh.at_rc(r, value.0, r, value.1, "週単位以外");
        sh.t.add(Field::new("/table3/non_weekly", Exp::Item((*item).into()), "週単位以外"), at, None);
    }
    Ok(())
}

/// Declares the 第3表 arrays' lengths.
pub fn t3_lens(sh: &mut Sh, w: &Who) {
    sh.t.len("/table3/weekly", w.weekly.len());
    sh.t.len("/table3/daily_activities", w.activities.len());
    sh.t.len("/table3/non_weekly", w.non_weekly.len());
}

/// How a grid's time labels are stored.
#[derive(Clone, Copy, PartialEq)]
pub enum TimeCell {
    /// Text 「8:00」.
    Text,
    /// A time number (0.3333…) with `h:mm`.
    Number,
}

fn time_label(sh: &mut Sh, r: u32, c: u16, hour: u32, how: TimeCell) -> R {
    match how {
        TimeCell::Text => {
            let shown = if hour == 24 { 24 } else { hour % 24 };
            sh.lrc(r, c, r, c, &format!("{shown}:00"))
        }
        TimeCell::Number => {
            let f = sh.label.clone().set_num_format("h:mm");
            sh.ws.write_number_with_format(r, c, (hour % 24) as f64 / 24.0, &f)?;
            Ok(())
        }
    }
}

pub struct Grid {
    /// First hour of the grid (0, 4 or 6).
    pub start: u32,
    /// Hours per row: 1 or 2.
    pub step: u32,
    /// Time label every `label_every` rows.
    pub label_every: u32,
    /// A label row after the last row (「24:00」).
    pub end_label: bool,
    /// (from hour, to hour, band), hours counted from 0 (to may be 24+).
    pub bands: Vec<(u32, u32, &'static str)>,
    /// 「時間」 over the band and time columns.
    pub time_header: bool,
    pub time_cell: TimeCell,
    /// How a service is named in its cell (「デイサービス」 for 通所介護).
    pub name: fn(&str) -> &str,
    /// Columns of 主な日常生活上の活動 (J, or K:M).
    pub activity_cols: (u16, u16),
    /// Between a service's own times: 「9:00～16:00」 or 「9:00-16:00」.
    pub dash: &'static str,
}

impl Grid {
    /// T3-A: hourly rows from 0:00, labels every 2 hours, R3 bands.
    pub fn r3() -> Grid {
        Grid {
            start: 0,
            step: 1,
            label_every: 2,
            end_label: true,
            bands: vec![
                (0, 6, "深夜"),
                (6, 8, "早朝"),
                (8, 12, "午前"),
                (12, 18, "午後"),
                (18, 22, "夜間"),
                (22, 24, "深夜"),
            ],
            time_header: false,
            time_cell: TimeCell::Text,
            name: |s| s,
            activity_cols: (9, 9),
            dash: "～",
        }
    }
    /// T3-C: hourly rows from 4:00 to 翌3:00, every row labelled.
    pub fn from4() -> Grid {
        Grid {
            start: 4,
            step: 1,
            label_every: 1,
            end_label: false,
            bands: vec![(4, 8, "早朝"), (8, 12, "午前"), (12, 18, "午後"), (18, 24, "夜間"), (24, 28, "深夜")],
            time_header: true,
            ..Grid::r3()
        }
    }
    /// T3-B: two-hour rows from 0:00; services carry their own times.
    pub fn two_hourly() -> Grid {
        Grid { step: 2, label_every: 1, ..Grid::r3() }
    }
    /// T3-D: two-hour rows from 6:00, bands 午前/午後/深夜, activities in K:M.
    pub fn from6() -> Grid {
        Grid {
            start: 6,
            step: 2,
            label_every: 1,
            end_label: true,
            bands: vec![(6, 12, "午前"), (12, 18, "午後"), (18, 30, "深夜")],
            activity_cols: (10, 12),
            ..Grid::r3()
        }
    }
}

/// A vertical grid (T3-A, B, C, D) with its day header at `top`; returns the
/// row after the 週単位以外のサービス row.
pub fn table3(sh: &mut Sh, w: &Who, top: u32, g: &Grid) -> R<u32> {
    let rows = 24 / g.step;
    if g.time_header {
        sh.lrc(top, 0, top, 1, "時間")?;
    }
    for (i, d) in DAYS.iter().enumerate() {
        sh.lrc(top, 2 + i as u16, top, 2 + i as u16, d)?;
    }
    sh.lrc(top, g.activity_cols.0, top, g.activity_cols.1, "主な日常生活上の活動")?;
    // Row of an hour (hours before the start belong to the next day).
    let row_of = |hour: u32| -> u32 { top + 1 + ((hour + 24 - g.start) % 24) / g.step };
    for i in 0..rows {
        if i % g.label_every == 0 {
            time_label(sh, top + 1 + i, 1, g.start + i * g.step, g.time_cell)?;
        }
    }
    if g.end_label {
        time_label(sh, top + 1 + rows, 1, g.start + 24, g.time_cell)?;
    }
    for (from, to, band) in &g.bands {
        let (a, b) = (row_of(*from % 24), row_of((*to - 1) % 24));
        sh.lrc(a, 0, b, 0, band)?;
    }
    for (i, (day, start, end, svc)) in w.weekly.iter().enumerate() {
        let c = 2 + day_index(day);
        let (sh_, sm) = hm(start);
        let (eh, em) = hm(end);
        let (a, b) = (row_of(sh_), row_of(if em == 0 { eh - 1 } else { eh }));
        let name = (g.name)(svc);
        // A grid coarser than the service: the service says its times.
        let fits = g.step == 1 && sm == 0 && em == 0;
        let text =
            if fits { name.to_string() } else { format!("{name}\n{}{}{}", short_time(start), g.dash, short_time(end)) };
        sh.trc(a, c, b, c, &text)?;
        let f = slot(w, i, name);
        let at = sh.at_rc(a, c, b, c, &f.label);
        sh.t.add(f, at, None);
    }
    for (start, text) in &w.activities {
        let (h, _) = hm(start);
        let r = row_of(h);
        // In an hourly grid the row says the time; a coarser grid writes it.
        let on_row = g.step == 1;
        let written = if on_row { text.to_string() } else { format!("{} {text}", short_time(start)) };
        sh.trc(r, g.activity_cols.0, r, g.activity_cols.1, &written)?;
        let at = sh.at_rc(r, g.activity_cols.0, r, g.activity_cols.1, text);
        sh.t.add(activity(start, text), at, None);
    }
    let r = top + 1 + rows + u32::from(g.end_label);
    non_weekly(sh, w, r, (0, 1), (2, g.activity_cols.1))?;
    t3_lens(sh, w);
    Ok(r + 1)
}

/// T3-E: days down column A, hours 0:00…23:00 across B…Y (one column per
/// hour), services merged along the row; activities in row 12 under their
/// hour; 週単位以外のサービス in row 13.
pub fn table3_transposed(sh: &mut Sh, w: &Who, top: u32) -> R<u32> {
    for h in 0..24u16 {
        sh.lrc(top, 1 + h, top, 1 + h, &format!("{h}:00"))?;
    }
    for (i, d) in DAYS.iter().enumerate() {
        sh.lrc(top + 1 + i as u32, 0, top + 1 + i as u32, 0, d)?;
    }
    for (i, (day, start, end, svc)) in w.weekly.iter().enumerate() {
        let r = top + 1 + day_index(day) as u32;
        let (a, b) = (1 + hm(start).0 as u16, hm(end).0 as u16);
        sh.trc(r, a, r, b, svc)?;
        let f = slot(w, i, svc);
        let at = sh.at_rc(r, a, r, b, &f.label);
        sh.t.add(f, at, None);
    }
    let ar = top + 8;
    sh.lrc(ar, 0, ar, 0, "主な日常生活上の活動")?;
    for (start, text) in &w.activities {
        let c = 1 + hm(start).0 as u16;
        sh.trc(ar, c, ar, c, text)?;
        let at = sh.at_rc(ar, c, ar, c, text);
        sh.t.add(activity(start, text), at, None);
    }
    non_weekly(sh, w, top + 9, (0, 0), (1, 24))?;
    t3_lens(sh, w);
    Ok(top + 10)
}

/// T3-F: half-hour rows 6:00…21:30 labelled in column A, days B…H, activities
/// in I, no band column; services merged over their exact span.
pub fn table3_half_hour(sh: &mut Sh, w: &Who, top: u32) -> R<u32> {
    sh.lrc(top, 0, top, 0, "時間")?;
    for (i, d) in DAYS.iter().enumerate() {
        sh.lrc(top, 1 + i as u16, top, 1 + i as u16, d)?;
    }
    sh.lrc(top, 8, top, 8, "主な日常生活上の活動")?;
    let row_of = |t: &str| -> u32 {
        let (h, m) = hm(t);
        top + 1 + (h - 6) * 2 + m / 30
    };
    for i in 0..32u32 {
        let (h, m) = (6 + i / 2, (i % 2) * 30);
        sh.lrc(top + 1 + i, 0, top + 1 + i, 0, &format!("{h}:{m:02}"))?;
    }
    for (i, (day, start, end, svc)) in w.weekly.iter().enumerate() {
        let c = 1 + day_index(day);
        let (a, b) = (row_of(start), row_of(end) - 1);
        sh.trc(a, c, b, c, svc)?;
        let f = slot(w, i, svc);
        let at = sh.at_rc(a, c, b, c, &f.label);
        sh.t.add(f, at, None);
    }
    for (start, text) in &w.activities {
        let r = row_of(start);
        sh.trc(r, 8, r, 8, text)?;
        let at = sh.at_rc(r, 8, r, 8, text);
        sh.t.add(activity(start, text), at, None);
    }
    non_weekly(sh, w, top + 33, (0, 0), (1, 8))?;
    t3_lens(sh, w);
    Ok(top + 34)
}

/// T3-G: an export's record blocks: 曜日|開始時間|終了時間|サービス内容|事業所,
/// then 時間|主な日常生活上の活動, then 週単位以外のサービス; blank rows between.
pub fn table3_records(sh: &mut Sh, w: &Who, top: u32, provider: fn(&str) -> &str) -> R<u32> {
    for (i, h) in ["曜日", "開始時間", "終了時間", "サービス内容", "事業所"].iter().enumerate() {
        sh.lrc(top, i as u16, top, i as u16, h)?;
    }
    let mut r = top + 1;
    for (i, (day, start, end, svc)) in w.weekly.iter().enumerate() {
        for (c, t) in [*day, &short_time(start), &short_time(end), *svc, provider(svc)].iter().enumerate() {
            sh.trc(r, c as u16, r, c as u16, t)?;
        }
        let f = slot(w, i, svc);
        let at = sh.at_rc(r, 0, r, 3, &f.label);
        sh.t.add(f, at, None);
        r += 1;
    }
    r += 1;
    sh.lrc(r, 0, r, 0, "時間")?;
    sh.lrc(r, 1, r, 1, "主な日常生活上の活動")?;
    r += 1;
    for (start, text) in &w.activities {
        sh.trc(r, 0, r, 0, &short_time(start))?;
        sh.trc(r, 1, r, 1, text)?;
        let at = sh.at_rc(r, 0, r, 1, text);
        sh.t.add(activity(start, text), at, None);
        r += 1;
    }
    r += 1;
    sh.lrc(r, 0, r, 0, "週単位以外のサービス")?;
    r += 1;
    for item in &w.non_weekly {
        sh.trc(r, 0, r, 0, item)?;
        let at = sh.at_rc(r, 0, r, 0, "週単位以外");
        sh.t.add(Field::new("/table3/non_weekly", Exp::Item((*item).into()), "週単位以外"), at, None);
        r += 1;
    }
    t3_lens(sh, w);
    Ok(r)
}

// ---------------------------------------------------------------------------
// 第4表

const M: &str = "/table4/0";

/// How 利用者・家族の出席 is written in T4-A's label cell.
#[derive(Clone, Copy, PartialEq)]
pub enum Attendance {
    /// R3: 「本人：【 出席 】」「家族：【 出席 】」「（続柄：長女）」.
    Words,
    /// 「本人：【○】　家族：【○】（続柄：長女）」.
    Circles,
    /// Before R3: 「会議出席者」 alone.
    None,
}

fn meeting_lens(sh: &mut Sh, w: &Who) {
    sh.t.len("/table4", 1);
    sh.t.len(format!("{M}/attendees"), w.meeting.attendees.len());
}

fn attendee(a: &(&str, &str)) -> Field {
    Field::new(format!("{M}/attendees"), Exp::Attendee { affiliation: a.0.into(), name: a.1.into() }, "会議出席者")
}

fn mtext(ptr: &str, v: &str, label: &str) -> Field {
    Field::new(format!("{M}/{ptr}"), Exp::Text(v.into()), label)
}

/// T4-A / T4-B (excel-layouts.md §6) at rows 1…11, columns A…G; dates
/// written by `date` (text).
pub fn table4(sh: &mut Sh, w: &Who, att: Attendance, date: fn(Ymd) -> String) -> R {
    let m = &w.meeting;
    sh.l("A1", "第４表")?;
    sh.l("B1:E1", "サービス担当者会議の要点")?;
    sh.l("F1", "作成年月日")?;
    sh.m("G1", &date(m.held))?;
    sh.l("A2", "利用者名")?;
    sh.m("B2", &w.name.replace(' ', "　"))?;
    sh.l("C2", "殿")?;
    sh.l("D2:E2", "居宅サービス計画作成者（担当者）氏名")?;
    sh.v(
        "F2:G2",
        &w.planner.replace(' ', "　"),
        Field::new(format!("{M}/recorder"), Exp::Name(w.planner.into()), "作成者"),
    )?;
    sh.l("A3", "開催日")?;
    sh.v("B3", &date(m.held), Field::new(format!("{M}/held_on"), Exp::Date(super::iso(m.held)), "開催日"))?;
    sh.l("C3", "開催場所")?;
    sh.v("D3", m.place, mtext("place", m.place, "開催場所"))?;
    sh.l("E3", "開催時間")?;
    sh.v("F3", m.time, mtext("time", m.time, "開催時間"))?;
    sh.v(
        "G3",
        &format!("開催回数　{}回", m.count),
        Field::new(format!("{M}/count"), Exp::Number(m.count.to_string()), "開催回数"),
    )?;
    let label = match att {
        Attendance::Words => format!(
            "会議出席者\n\n利用者・家族の出席\n　本人：【 出席 】\n　家族：【 出席 】\n　（続柄：{}）\n\n※備考",
            m.relation
        ),
        Attendance::Circles => format!("会議出席者\n\n本人：【○】　家族：【○】（続柄：{}）", m.relation),
        Attendance::None => "会議出席者".into(),
    };
    sh.l("A4:A7", &label)?;
    if att != Attendance::None {
        sh.truth("A4:A7", Field::new(format!("{M}/person_attendance"), Exp::Attend(None), "本人"));
        sh.truth("A4:A7", Field::new(format!("{M}/family_attendance"), Exp::Attend(Some(m.relation.into())), "家族"));
    }
    for k in 0..3u16 {
        sh.lrc(3, 1 + 2 * k, 3, 1 + 2 * k, "所属（職種）")?;
        sh.lrc(3, 2 + 2 * k, 3, 2 + 2 * k, "氏名")?;
    }
    for (i, a) in m.attendees.iter().enumerate() {
        let r = 4 + (i / 3) as u32;
        let c = 1 + 2 * (i % 3) as u16;
        sh.trc(r, c, r, c, a.0)?;
        sh.trc(r, c + 1, r, c + 1, &a.1.replace(' ', "　"))?;
        let at = sh.at_rc(r, c, r, c + 1, "会議出席者");
        sh.t.add(attendee(a), at, None);
    }
    for (row, label, ptr, v) in [
        (8, "検討した項目", "items", m.items),
        (9, "検討内容", "discussion", m.discussion),
        (10, "結論", "conclusion", m.conclusion),
        (11, "残された課題\n（次回の開催時期）", "remaining", m.remaining),
    ] {
        sh.l(&format!("A{row}"), label)?;
        let short = label.split('\n').next().unwrap_or(label);
        sh.v(&format!("B{row}:G{row}"), v, mtext(ptr, v, short))?;
    }
    meeting_lens(sh, w);
    Ok(())
}

/// How T4-C lists the attendees.
#[derive(Clone, Copy, PartialEq)]
pub enum AttendeeRows {
    /// 「出席者1所属」「出席者1氏名」… one label row each (an export).
    Numbered,
    /// One cell: 「所属　氏名、所属　氏名、…」.
    OneCell,
}

/// T4-C: labels in column A, values in B, from row `top`; dates as `date`.
pub fn table4_rows(
    sh: &mut Sh,
    w: &Who,
    top: u32,
    list: AttendeeRows,
    date: &dyn Fn(&mut Sh, u32, Ymd, Field) -> R,
) -> R<u32> {
    let m = &w.meeting;
    let mut r = top;
    let row = |sh: &mut Sh, r: &mut u32, label: &str, v: &str, f: Option<Field>| -> R {
        sh.lrc(*r, 0, *r, 0, label)?;
        match f {
            Some(f) => sh.vrc(*r, 1, *r, 1, v, f)?,
            None => sh.trc(*r, 1, *r, 1, v)?,
        }
        *r += 1;
        Ok(())
    };
    sh.lrc(r, 0, r, 0, "開催日")?;
    date(sh, r, m.held, Field::new(format!("{M}/held_on"), Exp::Date(super::iso(m.held)), "開催日"))?;
    r += 1;
    row(sh, &mut r, "開催場所", m.place, Some(mtext("place", m.place, "開催場所")))?;
    row(sh, &mut r, "開催時間", m.time, Some(mtext("time", m.time, "開催時間")))?;
    row(
        sh,
        &mut r,
        "開催回数",
        &format!("{}回", m.count),
        Some(Field::new(format!("{M}/count"), Exp::Number(m.count.to_string()), "開催回数")),
    )?;
    match list {
        AttendeeRows::Numbered => {
            for (i, a) in m.attendees.iter().enumerate() {
                row(sh, &mut r, &format!("出席者{}所属", i + 1), a.0, None)?;
                row(sh, &mut r, &format!("出席者{}氏名", i + 1), a.1, None)?;
                let at = sh.at_rc(r - 2, 1, r - 1, 1, "出席者");
                sh.t.add(attendee(a), at, None);
            }
        }
        AttendeeRows::OneCell => {
            let all: Vec<String> = m.attendees.iter().map(|a| format!("{}　{}", a.0, a.1.replace(' ', ""))).collect();
            row(sh, &mut r, "会議出席者", &all.join("、"), None)?;
            for a in &m.attendees {
                let at = sh.at_rc(r - 1, 1, r - 1, 1, "会議出席者");
                sh.t.add(attendee(a), at, None);
            }
        }
    }
    row(sh, &mut r, "利用者・家族の出席", &format!("本人：出席　家族：出席（{}）", m.relation), None)?;
    let at = sh.at_rc(r - 1, 1, r - 1, 1, "出席");
    sh.t.add(Field::new(format!("{M}/person_attendance"), Exp::Attend(None), "本人"), at.clone(), None);
    sh.t.add(Field::new(format!("{M}/family_attendance"), Exp::Attend(Some(m.relation.into())), "家族"), at, None);
    row(sh, &mut r, "検討した項目", m.items, Some(mtext("items", m.items, "検討した項目")))?;
    row(sh, &mut r, "検討内容", m.discussion, Some(mtext("discussion", m.discussion, "検討内容")))?;
    row(sh, &mut r, "結論", m.conclusion, Some(mtext("conclusion", m.conclusion, "結論")))?;
    row(sh, &mut r, "残された課題", m.remaining, Some(mtext("remaining", m.remaining, "残された課題")))?;
    meeting_lens(sh, w);
    Ok(r)
}

// ---------------------------------------------------------------------------
// 第5表

/// How 第5表 writes an entry's date.
pub enum DateCell {
    Text(fn(Ymd) -> String),
    /// A date serial with this number format (and a time of day, as
    /// (hour, minute), added to the serial).
    Number(Format, Option<(u8, u8)>),
}

fn write_date(sh: &mut Sh, r: u32, c: u16, d: Ymd, how: &DateCell, field: Field) -> R {
    match how {
        DateCell::Text(f) => sh.vrc(r, c, r, c, &f(d), field),
        DateCell::Number(fmt, time) => {
            let mut dt = ExcelDateTime::from_ymd(d.0, d.1, d.2)?;
            if let Some((h, m)) = time {
                dt = dt.and_hms(*h as u16, *m, 0)?;
            }
            sh.ws.write_datetime_with_format(r, c, dt, fmt)?;
            let at = sh.at_rc(r, c, r, c, &field.label);
            sh.t.add(field, at, None);
            Ok(())
        }
    }
}

fn entry_fields(i: usize, w: &Who) -> (Field, Field) {
    let e = &w.progress[i];
    (
        Field::new(format!("/table5/{i}/date"), Exp::Date(super::iso(e.date)), "年月日"),
        Field::new(format!("/table5/{i}"), Exp::Entry { item: e.item.into(), content: e.content.into() }, ""),
    )
}

/// T5-A (two 年月日|項目|内容 sets side by side) or, with `items` false,
/// T5-B (年月日|内容 twice, the 項目 leading the text as 「【電話】」). Header
/// at `top`; the first two entries on the left, the rest on the right.
pub fn table5_two_sets(sh: &mut Sh, w: &Who, top: u32, items: bool, date: &DateCell) -> R {
    let width: u16 = if items { 4 } else { 3 };
    for set in 0..2u16 {
        let c = set * width;
        sh.lrc(top, c, top, c, "年月日")?;
        if items {
            sh.lrc(top, c + 1, top, c + 1, "項目")?;
        }
        let cc = c + width - 2;
        sh.lrc(top, cc, top, cc + 1, "内容")?;
    }
    for (i, e) in w.progress.iter().enumerate() {
        let (set, k) = if i < 2 { (0u16, i as u32) } else { (1u16, i as u32 - 2) };
        let (r, c) = (top + 1 + k, set * width);
        let (fd, fe) = entry_fields(i, w);
        write_date(sh, r, c, e.date, date, fd)?;
        let cc = c + width - 2;
        if items {
            sh.trc(r, c + 1, r, c + 1, e.item)?;
            sh.trc(r, cc, r, cc + 1, e.content)?;
            let at = sh.at_rc(r, c + 1, r, cc + 1, &fe.label);
            sh.t.add(fe, at, None);
        } else {
            sh.vrc(r, cc, r, cc + 1, &format!("【{}】{}", e.item, e.content), fe)?;
        }
    }
    sh.t.len("/table5", w.progress.len());
    Ok(())
}

/// T5-C: one set. `columns` names the columns in order, from
/// 「年月日」/「日付」, 「時間」, 「項目」, 「内容」, 「記入者」.
pub fn table5_one_set(sh: &mut Sh, w: &Who, top: u32, columns: &[&str], date: &DateCell) -> R {
    for (c, h) in columns.iter().enumerate() {
        sh.lrc(top, c as u16, top, c as u16, h)?;
    }
    let times = ["10:00", "14:00", "10:30"];
    for (i, e) in w.progress.iter().enumerate() {
        let r = top + 1 + i as u32;
        let (fd, fe) = entry_fields(i, w);
        let mut fe = Some(fe);
        let mut fd = Some(fd);
        for (c, h) in columns.iter().enumerate() {
            let c = c as u16;
            match *h {
                "年月日" | "日付" => write_date(sh, r, c, e.date, date, fd.take().expect("one date column"))?,
                "時間" => {
                    let (hh, mm) = hm(times[i % 3]);
                    let f = sh.cell.clone().set_num_format("h:mm");
                    sh.ws.write_number_with_format(r, c, (hh * 60 + mm) as f64 / 1440.0, &f)?;
                }
                "項目" => sh.trc(r, c, r, c, e.item)?,
                "内容" => {
                    sh.trc(r, c, r, c, e.content)?;
                    let f = fe.take().expect("one content column");
                    let item_col = columns.iter().position(|x| *x == "項目").unwrap_or(c as usize) as u16;
                    let at = sh.at_rc(r, item_col.min(c), r, c, &f.label);
                    sh.t.add(f, at, None);
                }
                "記入者" => sh.vrc(
                    r,
                    c,
                    r,
                    c,
                    &w.planner.replace(' ', ""),
                    Field::new(format!("/table5/{i}/recorder"), Exp::Name(w.planner.into()), "記入者"),
                )?,
                other => panic!("第5表 column {other}"),
            }
        }
    }
    sh.t.len("/table5", w.progress.len());
    Ok(())
}
