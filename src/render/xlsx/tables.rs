//! lsw.xlsx's 第6表 and 第7表 (現行様式使用, laid out as the MHLW forms,
//! numbers as numbers) and the sheet of values no rule placed.

use super::{cut, height_for, put, setup, title_rows, widths, Page, Styles};
use crate::model::lsw::*;
use crate::model::wareki;
use crate::render::text::*;
use rust_xlsxwriter::{Workbook, XlsxError};

pub(super) fn table6(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let Some(t) = &f.table6 else { return Ok(()) };
    let ws = wb.add_worksheet().set_name("第6表 サービス利用票")?;
    let (days, lines) = table6_grid(t);
    let n = days.len() as u16;
    let last = 4 + n;
    let mut w = vec![12.0, 18.0, 20.0, 5.0];
    w.extend(std::iter::repeat_n(3.6, n as usize));
    w.push(7.0);
    widths(ws, &w)?;
    let title = format!("第６表　サービス利用票（兼居宅サービス計画）　{}分　現行様式使用", wareki::month(&t.month));
    let mut r = title_rows(ws, st, &title, f, last)?;
    let mut info = vec![
        format!("要介護状態区分：{}", t.care_level.as_deref().unwrap_or("")),
        format!(
            "区分支給限度基準額：{}",
            t.limit_units.map(|n| format!("{}単位／月", number(n as f64))).unwrap_or_default()
        ),
    ];
    for (label, key) in [("認定状況", "認定状況区分"), ("認定日", "認定日")] {
        if let Some(v) = month_value(f, key) {
            info.push(format!("{label}：{v}"));
        }
    }
    if let (Some(a), Some(b)) = (month_value(f, "限度額適用開始年月日"), month_value(f, "限度額適用終了年月日"))
    {
        info.push(format!("限度額適用期間：{a}～{b}"));
    }
    put(ws, r, 0, last, &info.join("　　"), &st.cell)?;
    r += 1;
    let header = r;
    for (c, h) in ["提供時間帯", "サービス内容", "サービス事業者事業所名", ""].iter().enumerate()
    {
        ws.merge_range(r, c as u16, r + 1, c as u16, h, &st.label)?;
    }
    for (i, (d, wd)) in days.iter().enumerate() {
        ws.write_number_with_format(r, 4 + i as u16, *d as f64, &st.label)?;
        ws.write_string_with_format(r + 1, 4 + i as u16, *wd, &st.label)?;
    }
    ws.merge_range(r, last, r + 1, last, "合計回数", &st.label)?;
    r += 2;
    for l in &lines {
        for (c, v) in [l.time.as_str(), l.content.as_str(), l.provider.as_str()].iter().enumerate() {
            ws.merge_range(r, c as u16, r + 1, c as u16, v, &st.cell)?;
        }
        ws.write_string_with_format(r, 3, "予定", &st.label)?;
        ws.write_string_with_format(r + 1, 3, "実績", &st.label)?;
        for (i, x) in l.planned.iter().enumerate() {
            match x {
                Some(v) => ws.write_number_with_format(r, 4 + i as u16, *v as f64, &st.int)?,
                None => ws.write_blank(r, 4 + i as u16, &st.cell)?,
            };
            ws.write_blank(r + 1, 4 + i as u16, &st.cell)?;
        }
        ws.write_number_with_format(r, last, l.total as f64, &st.int)?;
        ws.write_blank(r + 1, last, &st.cell)?;
        ws.set_row_height(r, height_for(&[(&l.content, 18.0), (&l.provider, 20.0)]).max(18.0))?;
        r += 2;
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
            form: "第６表",
        },
    )
}

pub(super) fn table7(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
    let Some(t) = &f.table7 else { return Ok(()) };
    let ws = wb.add_worksheet().set_name("第7表 サービス利用票別表")?;
    let mut w = vec![20.0, 12.0, 16.0, 9.0];
    w.extend(std::iter::repeat_n(9.5, 16));
    widths(ws, &w)?;
    let last = 19u16;
    let title = format!("第７表　サービス利用票別表　{}分　現行様式使用", wareki::month(&t.month));
    let mut r = title_rows(ws, st, &title, f, last)?;
    let header = r;
    for (c, (h, _)) in TABLE7_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    ws.set_row_height(r, height_for(&[("種類支給限度基準を超える単位数", 9.5)]))?;
    r += 1;
    let kinds: Vec<&str> = t.rows.iter().chain(t.totals.iter()).map(|r| r.row_kind.as_str()).collect();
    for (row, kind) in table7_rows(t).iter().zip(kinds) {
        let total = kind != "detail";
        let (num, text) = if total { (&st.total_int, &st.total_text) } else { (&st.int, &st.cell) };
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                T7::Text(s) if s.is_empty() => ws.write_blank(r, c, text)?,
                T7::Text(s) => ws.write_string_with_format(r, c, s, text)?,
                // Units outside the limit print in parentheses, as on the form.
                T7::Number { value, paren: true, .. } => {
                    ws.write_number_with_format(r, c, *value, &num.clone().set_num_format("(#,##0)"))?
                }
                T7::Number { value, money, .. } if *money || value.fract() != 0.0 => {
                    ws.write_number_with_format(r, c, *value, &st.dec)?
                }
                T7::Number { value, .. } => ws.write_number_with_format(r, c, *value, num)?,
                T7::Empty => ws.write_blank(r, c, text)?,
            };
        }
        r += 1;
    }
    r += 1;
    put(ws, r, 0, 1, "区分支給限度基準額（単位）", &st.label)?;
    match f.header.limit_units {
        Some(n) => ws.write_number_with_format(r, 2, n as f64, &st.int)?,
        None => ws.write_blank(r, 2, &st.cell)?,
    };
    r += 2;
    let limits = type_limits(f);
    if !limits.is_empty() {
        put(ws, r, 0, 3, "種類別支給限度管理", &st.label)?;
        r += 1;
        for (c, h) in ["サービス種類", "種類支給限度基準額（単位）", "合計単位数", "種類支給限度基準を超える単位数"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(r, c as u16, *h, &st.label)?;
        }
        r += 1;
        for l in &limits {
            ws.write_string_with_format(r, 0, &l[0], &st.cell)?;
            for (c, v) in l.iter().enumerate().skip(1) {
                match v.trim().parse::<f64>() {
                    Ok(n) => ws.write_number_with_format(r, c as u16, n, &st.int)?,
                    Err(_) => ws.write_string_with_format(r, c as u16, v, &st.cell)?,
                };
            }
            r += 1;
        }
        r += 1;
    }
    put(ws, r, 0, 2, "要介護認定期間中の短期入所利用日数", &st.label)?;
    r += 1;
    for (c, h) in ["前月までの利用日数", "当月の計画利用日数", "累計利用日数"].iter().enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &st.label)?;
    }
    r += 1;
    for (c, k) in ["days_before", "days_planned", "days_cumulative"].iter().enumerate() {
        match t.rows.iter().chain(t.totals.iter()).find_map(|x| x.amounts.get(*k)) {
            Some(n) => ws.write_number_with_format(r, c as u16, *n, &st.int)?,
            None => ws.write_blank(r, c as u16, &st.cell)?,
        };
    }
    setup(
        ws,
        f,
        Page {
            a3: false,
            landscape: true,
            last_row: r,
            last_col: last,
            repeat: Some((header, header)),
            form: "第７表",
        },
    )
}

pub(super) fn unclassified(wb: &mut Workbook, st: &Styles, f: &LswForms) -> Result<(), XlsxError> {
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
    setup(
        ws,
        f,
        Page {
            a3: false, landscape: true, last_row: r, last_col: 2, repeat: Some((header, header)), form: "未分類"
        },
    )
}
