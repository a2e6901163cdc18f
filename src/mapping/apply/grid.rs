//! 第3表 grids: days on one axis, time labels on the other.

use super::excel::{cell_text, find_label, CellValue};

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::excel::{Cell, Sheet};
use crate::mapping::record::Key;
use crate::mapping::schema::GridSpec;
use crate::mapping::Value;
use crate::model::fields::F;
use crate::text::norm_label;
use std::sync::Arc;

/// Parses a time label such as `6:00`, `06:00`, `6時` or an Excel time.
pub(super) fn time_label(c: &Cell) -> Option<u16> {
    match c {
        Cell::Number(n) if (0.0..1.0).contains(n) => Some((n * 1440.0).round() as u16),
        Cell::DateTime(dt) => {
            use chrono::Timelike;
            Some((dt.hour() * 60 + dt.minute()) as u16)
        }
        Cell::Text(t) => {
            let t = norm_label(t);
            let t = t.trim_end_matches('~').trim_end_matches('〜');
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

pub(super) type GridItem = (u64, (u32, u32), Vec<CellValue>);

/// Reads a 第3表 grid with days along one axis and times along the other
/// (記載要領: 時間軸、曜日軸の縦横をどちらにとってもかまわない).
pub(super) fn grid(
    sheet: &Sheet,
    ls: &[(u32, u32, String)],
    g: &GridSpec,
    file: &Arc<str>,
) -> Result<Vec<GridItem>, Box<Problem>> {
    let here = Source { file: file.clone(), sheet: Some(sheet.name.as_str().into()), ..Source::default() };
    let mut days = Vec::new();
    for d in &g.days {
        let want = norm_label(d);
        // Day labels are short: demand an exact match.
        match ls.iter().find(|(_, _, t)| *t == want) {
            Some((r, c, _)) => days.push((*r, *c)),
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
    let activity = g.activity.as_ref().and_then(|a| find_label(ls, a)).map(|(r, c, _)| minor_of(r, c));
    let non_weekly = g.non_weekly.as_ref().and_then(|a| find_label(ls, a));
    let (end_row, end_col) = sheet.end();
    let major_end = match non_weekly {
        Some((r, c, _)) if major_of(r, c) > header_major => major_of(r, c),
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
    let time_at = |major: u32| -> u16 {
        let i = match best.iter().rposition(|(m, _)| *m <= major) {
            Some(i) => i.min(best.len() - 2),
            None => 0,
        };
        let (m0, t0) = best[i];
        let (m1, t1) = best[i + 1];
        let step = (t1 as f64 - t0 as f64) / (m1 as f64 - m0 as f64);
        let t = t0 as f64 + (major as f64 - m0 as f64) * step;
        t.clamp(0.0, 1440.0).round() as u16
    };
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
            let (start, end) = (time_at(top_major), time_at(bottom_major + 1));
            let at = (r, c);
            let f: Vec<CellValue> = match day {
                Some(d) => vec![
                    (Key::Field(F::Service), Value::text(text), at),
                    (Key::Field(F::Day), Value::text(d.to_string()), at),
                    (Key::Field(F::Start), Value::Time(start), at),
                    (Key::Field(F::End), Value::Time(end), at),
                ],
                None => vec![
                    (Key::Field(F::Activity), Value::text(text), at),
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
    if let Some((r, c, _)) = non_weekly {
        let region = sheet.merged_at(r, c).copied().unwrap_or(crate::ingest::excel::Region {
            top: r,
            left: c,
            bottom: r,
            right: c,
        });
        // The value sits after the label along the day axis (right when days are columns).
        let (vr, vc) = if transposed { (region.bottom + 1, region.left) } else { (region.top, region.right + 1) };
        let cell = sheet.shown(vr, vc);
        if !cell.is_empty() {
            for (i, line) in cell_text(cell).lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let f = vec![(Key::Field(F::NonWeekly), Value::text(line.to_string()), (vr, vc))];
                items.push(((1u64 << 39) + i as u64, (vr, vc), f));
            }
        }
    }
    Ok(items)
}
