//! 第3表 grids: days on one axis, time labels on the other (記載要領: 時間軸、
//! 曜日軸の縦横をどちらにとってもかまわない). A service written with its own
//! times (「訪問介護 10:00〜11:00」, 「デイサービス\n9:00-16:00」) sits at those
//! times, not at the band of the row it is in; 主な日常生活上の活動 likewise.
//! 週単位以外のサービス is read wherever it is written beside or below its label.

use super::excel::{cell_text, CellValue};
use super::form::{find, label_key, value_of, LabelSet, View};

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::excel::Cell;
use crate::mapping::record::Key;
use crate::mapping::schema::GridSpec;
use crate::mapping::Value;
use crate::model::fields::F;
use crate::text::norm_label;
use std::sync::Arc;

/// Parses a time label such as `6:00`, `06:00`, `6時`, an Excel time, or a
/// whole hour written as a number (a `0":00"` format).
pub(super) fn time_label(c: &Cell) -> Option<u16> {
    match c {
        Cell::Number(n) if (0.0..1.0).contains(n) => Some((n * 1440.0).round() as u16),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=24.0).contains(n) => Some(*n as u16 * 60),
        Cell::DateTime(dt) => {
            use chrono::Timelike;
            Some((dt.hour() * 60 + dt.minute()) as u16)
        }
        Cell::Text(t) => {
            let t = norm_label(t);
            let t = t.trim_end_matches('~').trim_end_matches('〜').trim_end_matches('～');
            if let Some((h, m)) = t.split_once(':') {
                let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
                (h <= 24 && m < 60).then_some(h * 60 + m)
            } else if let Some(h) = t.strip_suffix('時') {
                let h = h.parse::<u16>().ok()?;
                (h <= 24).then_some(h * 60)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `10:00〜11:00` (or `9:00-16:00`, `10時～11時`) in a text: the times and
/// the text without them. A single time (`6:00 起床`) gives a start only.
pub(super) fn times_in(text: &str) -> Option<(u16, Option<u16>, String)> {
    static RANGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(\d{1,2})\s*[:：時]\s*(\d{2})?分?\s*(?:[～〜~\-－ー−]\s*(\d{1,2})\s*[:：時]\s*(\d{2})?分?)?",
        )
        .expect("time range pattern")
    });
    let h = crate::mapping::transforms::hankaku_digits(text);
    let caps = RANGE.captures(&h)?;
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u16>().ok());
    let at = |hi: usize, mi: usize| -> Option<u16> {
        let (h, m) = (num(hi)?, num(mi).unwrap_or(0));
        (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
    };
    let start = at(1, 2)?;
    let end = if caps.get(3).is_some() { Some(at(3, 4)?) } else { None };
    let whole = caps.get(0)?;
    let rest = format!("{}{}", &h[..whole.start()], &h[whole.end()..]);
    let rest =
        rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | '　')).to_string();
    Some((start, end, rest))
}

pub(super) type GridItem = (u64, (u32, u32), Vec<CellValue>);

/// Reads a 第3表 grid with days along one axis and times along the other.
pub(super) fn grid(
    view: &View,
    g: &GridSpec,
    file: &Arc<str>,
    stop: &LabelSet,
    problems: &mut Vec<Problem>,
) -> Result<Vec<GridItem>, Box<Problem>> {
    let sheet = view.sheet;
    let here = Source { file: file.clone(), sheet: Some(sheet.name.as_str().into()), ..Source::default() };
    let mut days = Vec::new();
    for d in &g.days {
        let want = label_key(&norm_label(d));
        // Day labels are short: demand an exact match.
        match view.labels.iter().find(|l| l.key == want) {
            Some(l) => days.push((l.row, l.col)),
            None => {
                return Err(Box::new(Problem::new(
                    ProblemKind::Layout,
                    here,
                    format!("第3表の曜日の見出し「{d}」が見つかりません"),
                )));
            }
        }
    }
    let Some(&first) = days.first() else {
        // Loading rejects a grid without days; a mapping built otherwise gets a problem, not a panic.
        return Err(Box::new(Problem::new(
            ProblemKind::Layout,
            here,
            "第3表の曜日の見出しが指定されていません".to_string(),
        )));
    };
    let transposed = if days.iter().all(|(r, _)| *r == first.0) {
        false
    } else if days.iter().all(|(_, c)| *c == first.1) {
        true
    } else {
        return Err(Box::new(Problem::new(
            ProblemKind::Layout,
            here,
            "第3表の曜日の見出しが一行（または一列）に並んでいません".to_string(),
        )));
    };
    // (major = time axis index, minor = day axis index) → (row, col).
    let at = |major: u32, minor: u32| if transposed { (minor, major) } else { (major, minor) };
    let major_of = |r: u32, c: u32| if transposed { c } else { r };
    let minor_of = |r: u32, c: u32| if transposed { r } else { c };
    let header_major = major_of(first.0, first.1);
    let day_minors: Vec<u32> = days.iter().map(|(r, c)| minor_of(*r, *c)).collect();
    let first_day_minor = *day_minors.iter().min().unwrap_or(&0);
    let activity = g.activity.as_ref().and_then(|a| find(view, a, None)).map(|f| minor_of(f.row, f.col));
    let non_weekly = g.non_weekly.as_ref().and_then(|a| find(view, a, None));
    let (end_row, end_col) = sheet.end();
    let end_row = end_row.min(view.bottom);
    let major_end = match &non_weekly {
        Some(f) if major_of(f.row, f.col) > header_major => major_of(f.row, f.col),
        _ => major_of(end_row, end_col),
    };
    // Time labels: on the minor positions before the first day, pick the line with most labels.
    let mut best: Vec<(u32, u16)> = Vec::new();
    for minor in minor_of(sheet.origin.0, sheet.origin.1)..first_day_minor {
        let mut found = Vec::new();
        for major in header_major + 1..major_end {
            let (r, c) = at(major, minor);
            if let Some(t) = time_label(sheet.get(r, c)) {
                found.push((major, t));
            }
        }
        if found.len() > best.len() {
            best = found;
        }
    }
    if best.len() < 2 {
        return Err(Box::new(Problem::new(
            ProblemKind::Layout,
            here,
            "第3表の時刻の見出し（0:00、2:00 … など）が2つ以上見つかりません".to_string(),
        )));
    }
    // Labels past midnight (22:00, 23:00, 0:00, 1:00 … on a sheet starting
    // at 4:00) continue the day: the next day's hours count on from 24:00.
    let mut shift = 0u32;
    let mut last = 0u32;
    for (_, t) in best.iter_mut() {
        let mut m = u32::from(*t) + shift;
        if m < last {
            shift += 1440;
            m += 1440;
        }
        last = m;
        *t = m.min(u16::MAX as u32) as u16;
    }
    let time_at = |major: u32| -> u32 {
        let i = match best.iter().rposition(|(m, _)| *m <= major) {
            Some(i) => i.min(best.len() - 2),
            None => 0,
        };
        let (m0, t0) = best[i];
        let (m1, t1) = best[i + 1];
        let step = (t1 as f64 - t0 as f64) / (m1 as f64 - m0 as f64);
        let t = t0 as f64 + (major as f64 - m0 as f64) * step;
        t.clamp(0.0, 2880.0).round() as u32
    };
    // Minutes of the day (a time past midnight counts from 0:00 again).
    let clock = |m: u32| (m % 1440) as u16;
    let end_clock = |m: u32| if m > 0 && m.is_multiple_of(1440) { 1440 } else { (m % 1440) as u16 };
    let mut items = Vec::new();
    let walk = |minor: u32, day: Option<&str>, items: &mut Vec<GridItem>| {
        for major in header_major + 1..major_end {
            let (r, c) = at(major, minor);
            let (top_major, bottom_major) = match sheet.merged_at(r, c) {
                Some(m) => {
                    let (t, b) = if transposed { (m.left, m.right) } else { (m.top, m.bottom) };
                    if t != major {
                        continue;
                    }
                    (t, b)
                }
                None => (major, major),
            };
            let cell = sheet.shown(r, c);
            if cell.is_empty() {
                continue;
            }
            let text = cell_text(cell).trim().to_string();
            let (mut start, mut end) = (clock(time_at(top_major)), end_clock(time_at(bottom_major + 1)));
            let mut name = text.clone();
            // Times written in the cell win over the band of the row.
            if let Some((s, e, rest)) = times_in(&text) {
                start = s;
                if let Some(e) = e {
                    end = e;
                } else if day.is_none() {
                    end = s;
                }
                if !rest.is_empty() {
                    name = rest;
                }
            }
            let at = (r, c);
            let f: Vec<CellValue> = match day {
                Some(d) => vec![
                    (Key::Field(F::Service), Value::text(name), at),
                    (Key::Field(F::Day), Value::text(d.to_string()), at),
                    (Key::Field(F::Start), Value::Time(start), at),
                    (Key::Field(F::End), Value::Time(end), at),
                ],
                None => vec![
                    (Key::Field(F::Activity), Value::text(name), at),
                    (Key::Field(F::ActivityStart), Value::Time(start), at),
                    (Key::Field(F::ActivityEnd), Value::Time(end), at),
                ],
            };
            let seq = ((minor as u64) << 24) + major as u64;
            items.push((seq, at, f));
        }
    };
    for (i, minor) in day_minors.iter().enumerate() {
        walk(*minor, Some(["月", "火", "水", "木", "金", "土", "日"].get(i).copied().unwrap_or("")), &mut items);
    }
    if let Some(a) = activity {
        walk(a, None, &mut items);
    }
    if let Some(found) = &non_weekly {
        // Beside the label or below it, wherever the sheet writes it (a
        // transposed grid puts it at the side): never dropped.
        // The label with nothing beside or below it: nothing written.
        if let Some(read) = value_of(view, found, stop) {
            let (vr, vc) = (read.row, read.col);
            let text = read.value.display();
            for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let f = vec![(Key::Field(F::NonWeekly), Value::text(line.to_string()), (vr, vc))];
                items.push(((1u64 << 39) + i as u64, (vr, vc), f));
            }
        }
    }
    let _ = problems;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_written_in_a_cell() {
        assert_eq!(times_in("訪問介護 10:00〜11:00"), Some((600, Some(660), "訪問介護".to_string())));
        assert_eq!(times_in("デイサービス\n9:00-16:00"), Some((540, Some(960), "デイサービス".to_string())));
        assert_eq!(times_in("6:00 起床"), Some((360, None, "起床".to_string())));
        assert_eq!(times_in("１０：００～１１：３０　訪問看護"), Some((600, Some(690), "訪問看護".to_string())));
        assert_eq!(times_in("10時～11時 通院"), Some((600, Some(660), "通院".to_string())));
        assert_eq!(times_in("通所介護"), None);
        assert_eq!(times_in("25:00-26:00 x"), None);
    }
}
