//! L05 (everything on one sheet, label and value in one cell), L06 (第2表
//! continued on a second sheet), L07 (two persons in one workbook), L08
//! (an office 原紙 with fixed addresses, selection cells and ☑/☐ formulas).

use super::grids::{self, Attendance, DateCell, Grid};
use super::l01_l04::{tight, zen};
use super::people::{dots, kanji, p1, p2, Who};
use super::shapes::{head, t2_lens, table2, PStyle, T2Opts, FOOTNOTES, T2};
use super::{datefmt, finish, Layout, Sh, Truth, GANNEN, WAREKI411};
use rust_xlsxwriter::{Format, Formula, Workbook, XlsxError};

type R = Result<(), XlsxError>;

/// No 第4表 / 第5表 in the layout: the plan must have none.
pub fn none_of(s: &mut Sh, tables: &[&str]) {
    for t in tables {
        s.t.len(format!("/{t}"), 0);
    }
}

// ---------------------------------------------------------------------------

/// L05: 第1〜3表 stacked on one sheet, each block found by its title row;
/// label and value in one cell; the unchosen words deleted; no 第4表.
pub fn l05() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l05(&mut wb, &mut t, &w).expect("L05");
    Layout {
        id: "L05",
        title: "1枚のシートに第1〜3表・ラベルと値が同じセル",
        file: "L05_ケアプラン.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l05(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let mut s = Sh::new(wb, "ケアプラン", t)?;
    s.widths(0..9, 14.0)?;
    s.l("A1:D1", "居宅サービス計画書（１）")?;
    s.v("E1:F1", &format!("作成年月日：{}", kanji(w.created)), w.f_created())?;
    s.v("E2", "継続", w.f_plan_kind())?;
    s.v("F2", "認定済", w.f_cert_status())?;
    s.v("A3:B3", &format!("利用者名　{}　殿", tight(w.name)), w.f_name())?;
    s.v("C3:D3", &format!("生年月日：{}", kanji(w.birth)), w.f_birth())?;
    s.v("E3:F3", &format!("住所：{}", w.address), w.f_address())?;
    s.v("A4:C4", &format!("計画作成者：{}", tight(w.planner)), w.f_planner())?;
    s.v("D4:F4", &format!("事業所：{}（{}）", w.office, w.office_address), w.f_office())?;
    s.v("A5:C5", &format!("計画作成（変更）日：{}", kanji(w.plan_date)), w.f_plan_date())?;
    s.v("D5:F5", &format!("初回作成日：{}", kanji(w.first_created)), w.f_first_created())?;
    s.v("A6:C6", &format!("認定日：{}", kanji(w.certified.expect("認定日"))), w.f_certified())?;
    let (a, b) = w.valid.expect("有効期間");
    s.v("D6:F6", &format!("有効期間：{}から{}まで", kanji(a), kanji(b)), w.f_valid_from())?;
    s.truth("D6:F6", w.f_valid_to());
    s.v("A7:F7", "要介護状態区分：要介護２", w.f_care_level())?;
    // 「■」 here is a heading bullet, not a choice mark.
    s.l("A8:F8", "■本人・家族の意向")?;
    s.v("A9:F12", w.intentions, w.f_intentions())?;
    s.v("A13:F13", &format!("■認定審査会の意見：{}", w.opinion), w.f_opinion())?;
    s.l("A14:F14", "■総合的な援助の方針")?;
    s.v("A15:F18", w.policy, w.f_policy())?;
    s.v("A19:F19", "■生活援助中心型の算定理由：一人暮らし", w.f_reason())?;
    s.truth("A19:F19", w.f_reason_other());
    s.truth("A3:B3", w.f_insurer(None));
    s.truth("A3:B3", w.f_insured(None));
    // 第2表 block: a single header row, a blank row between needs, 〃 for a
    // period equal to the one above.
    s.l("A30:F30", "居宅サービス計画書（２）")?;
    let o =
        T2Opts { shape: T2::B, blank_between: true, ditto_periods: true, period: PStyle::Kanji, ..T2Opts::default() };
    table2(&mut s, w, 30, &o)?;
    t2_lens(&mut s, w);
    // 第3表 block: half-hour rows.
    s.l("A55:F55", "週間サービス計画表")?;
    grids::table3_half_hour(&mut s, w, 55)?;
    none_of(&mut s, &["table4"]);
    let mut s = Sh::new(wb, "支援経過", t)?;
    s.l("A1:D1", "居宅介護支援経過")?;
    s.m("A2:D2", &format!("利用者名　{}　殿", tight(w.name)))?;
    // Dates without a year: 「4/1」.
    grids::table5_one_set(
        &mut s,
        w,
        3,
        &["日付", "項目", "内容", "記入者"],
        &DateCell::Text(|d| format!("{}/{}", d.1, d.2)),
    )
}

// ---------------------------------------------------------------------------

/// 第1表 as lsw's own fixture lays it out (tests/support/forms.rs: 12
/// columns, label left and value right, the choice typed into a value cell
/// beside the printed list), without the 保険者番号 row the form does not
/// have. Dates are date cells with 和暦 formats, 有効期間 one text.
fn fixture_table1(s: &mut Sh, w: &Who) -> R {
    let gannen = datefmt(GANNEN);
    let w411 = datefmt(WAREKI411);
    s.ws.set_column_width(0, 14)?;
    s.widths(1..12, 11.0)?;
    s.m("A1:L1", "居宅サービス計画書（１）")?;
    s.l("A2", "作成年月日")?;
    s.d("B2", w.created, &w411, w.f_created())?;
    s.l("D2", "初回・紹介・継続")?;
    s.v("E2:F2", w.plan_kind, w.f_plan_kind())?;
    s.l("H2", "認定済・申請中")?;
    s.v("I2:J2", w.cert_status, w.f_cert_status())?;
    s.l("A4", "利用者名")?;
    s.v("B4:C4", &format!("{}　殿", zen(w.name)), w.f_name())?;
    s.l("D4", "生年月日")?;
    s.d("E4:F4", w.birth, &w411, w.f_birth())?;
    s.l("G4", "住所")?;
    s.v("H4:L4", w.address, w.f_address())?;
    s.l("A5:C5", "居宅サービス計画作成者氏名")?;
    s.v("D5:L5", &zen(w.planner), w.f_planner())?;
    s.l("A6:C6", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("D6:L6", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A7:C7", "居宅サービス計画作成(変更)日")?;
    s.d("D7:E7", w.plan_date, &gannen, w.f_plan_date())?;
    s.l("F7:H7", "初回居宅サービス計画作成日")?;
    s.d("I7:L7", w.first_created, &gannen, w.f_first_created())?;
    s.l("A8", "認定日")?;
    match w.certified {
        Some(d) => s.d("B8:C8", d, &gannen, w.f_certified())?,
        None => s.v("B8:C8", "", w.f_certified())?,
    }
    s.l("D8:E8", "認定の有効期間")?;
    let valid = w.valid.map(|(a, b)| format!("{}～{}", kanji(a), kanji(b))).unwrap_or_default();
    s.v("F8:L8", &valid, w.f_valid_from())?;
    s.truth("F8:L8", w.f_valid_to());
    s.l("A9:C9", "要介護状態区分")?;
    let level = if w.care_level == "要介護3" { "要介護３（見込み）" } else { "要介護２" };
    s.v("D9:L9", level, w.f_care_level())?;
    for (r, label) in [
        "利用者及び家族の生活に対する意向を踏まえた課題分析の結果",
        "介護認定審査会の意見及びサービスの種類の指定",
        "総合的な援助の方針",
    ]
    .iter()
    .enumerate()
    {
        s.l(&format!("A{0}:C{0}", 10 + r), label)?;
        s.ws.set_row_height(9 + r as u32, 80)?;
    }
    s.v("D10:L10", w.intentions, w.f_intentions())?;
    s.v("D11:L11", w.opinion, w.f_opinion())?;
    s.v("D12:L12", w.policy, w.f_policy())?;
    s.l("A13:C13", "生活援助中心型の算定理由")?;
    let reason = w.reason.map(|r| format!("1 {r}")).unwrap_or_default();
    s.v("D13:L13", &reason, w.f_reason())?;
    s.truth("D13:L13", w.f_reason_other());
    s.l("A14:C14", "説明・同意日")?;
    s.d("D14:F14", w.consent, &gannen, w.f_consent())?;
    s.truth("B4:C4", w.f_insurer(None));
    s.truth("B4:C4", w.f_insured(None));
    Ok(())
}

/// L06: 第2表 does not fit one page: the office copied the sheet, and
/// `第2表 (2)` continues need 1 with blank need and long-goal cells.
pub fn l06() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l06(&mut wb, &mut t, &w).expect("L06");
    Layout {
        id: "L06",
        title: "第2表が2枚目に続く",
        file: "L06_居宅サービス計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l06(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let mut s = Sh::new(wb, "第1表", t)?;
    fixture_table1(&mut s, w)?;
    let mut s = Sh::new(wb, "第2表", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 9, Some("table2"))?;
    s.l("K1", "1/2")?;
    table2(&mut s, w, 3, &T2Opts { footnotes: FOOTNOTES.to_vec(), rows: Some(0..2), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "第2表 (2)", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 9, None)?;
    s.l("K1", "2/2")?;
    table2(&mut s, w, 3, &T2Opts { footnotes: FOOTNOTES.to_vec(), rows: Some(2..5), ..T2Opts::default() })?;
    let mut s = Sh::new(wb, "第3表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    let mut s = Sh::new(wb, "第4表", t)?;
    grids::table4(&mut s, w, Attendance::Words, kanji)?;
    let mut s = Sh::new(wb, "第5表", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Text(dots))
}

// ---------------------------------------------------------------------------

/// L07: two persons in one workbook: `第1表 (2)` … is 佐藤 一郎's plan (申請中,
/// 要介護３（見込み）), not a continuation of 山田 花子's.
pub fn l07() -> Layout {
    let mut t = Truth::default();
    let mut wb = Workbook::new();
    for (w, suffix) in [(p1(), ""), (p2(), " (2)")] {
        t.person(&w);
        build_l07(&mut wb, &mut t, &w, suffix).expect("L07");
    }
    Layout {
        id: "L07", title: "1冊に2人分", file: "L07_居宅サービス計画書.xlsx".into(), bytes: finish(wb), truth: t
    }
}

fn build_l07(wb: &mut Workbook, t: &mut Truth, w: &Who, suffix: &str) -> R {
    let mut s = Sh::new(wb, &format!("第1表{suffix}"), t)?;
    fixture_table1(&mut s, w)?;
    let mut s = Sh::new(wb, &format!("第2表{suffix}"), t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &T2Opts { footnotes: FOOTNOTES.to_vec(), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, &format!("第3表{suffix}"), t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    none_of(&mut s, &["table4", "table5"]);
    Ok(())
}

// ---------------------------------------------------------------------------

/// L08: an office 原紙 with the fixed addresses of a real office tool: the
/// choices are ☑/☐ formulas over hidden selection cells (cached results
/// present), 和暦 date cells, a 早見表 beside the form; sheets 1表〜3表.
pub fn l08() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l08(&mut wb, &mut t, &w, true).expect("L08");
    Layout {
        id: "L08", title: "事業所の原紙・☑☐の数式", file: "L08_原紙.xlsx".into(), bytes: finish(wb), truth: t
    }
}

/// L08 saved by a tool that does not compute formulas (openpyxl): every
/// ☑/☐ cell and the 2表 利用者名 read empty; the selection cells (hidden
/// column AM, white-font AH2 and E9) still hold the answers.
pub fn l08_nocache() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l08(&mut wb, &mut t, &w, false).expect("L08N");
    Layout {
        id: "L08N",
        title: "L08の数式が結果なしで保存",
        file: "L08N_原紙.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

/// `=IF($AM$2&""="継続","☑","☐")&"継続"`, with its cached result or none.
fn mark(sel: &str, value: &str, word: &str, chosen: bool, cached: bool) -> Formula {
    let box_ = if chosen { "☑" } else { "☐" };
    let f = Formula::new(format!("=IF({sel}&\"\"=\"{value}\",\"☑\",\"☐\")&\"{word}\""));
    if cached {
        f.set_result(format!("{box_}{word}"))
    } else {
        f
    }
}

fn build_l08(wb: &mut Workbook, t: &mut Truth, w: &Who, cached: bool) -> R {
    let gannen = datefmt(GANNEN);
    let mut s = Sh::new(wb, "1表", t)?;
    // Without a result rust_xlsxwriter would store 0; openpyxl stores none.
    s.ws.set_formula_result_default("");
    s.widths(0..41, 2.9)?;
    let white = Format::new().set_font_color("#FFFFFF");
    let cell = s.cell.clone();
    s.l("A1:D1", "第１表")?;
    s.l("G1:Y1", "居宅サービス計画書（１）")?;
    s.l("AD1:AG1", "作成年月日")?;
    s.d("AH1:AL1", w.created, &gannen, w.f_created())?;
    for (col, word) in [(25u16, "初回"), (27, "紹介"), (29, "継続")] {
        s.ws.write_formula_with_format(1, col, mark("$AM$2", word, word, word == w.plan_kind, cached), &cell)?;
    }
    s.ws.write_string_with_format(1, 38, w.plan_kind, &white)?;
    // The display cells and the hidden selection cell AM2.
    s.truth("Z2:AM2", w.f_plan_kind());
    s.ws.write_string_with_format(1, 33, w.cert_status, &white)?;
    for (col, word) in [(34u16, "認定済"), (36, "申請中")] {
        s.ws.write_formula_with_format(1, col, mark("$AH$2", word, word, word == w.cert_status, cached), &cell)?;
    }
    s.truth("AH2:AL2", w.f_cert_status());
    s.l("A3:B3", "利用者名")?;
    s.v("C3:F3", &zen(w.name), w.f_name())?;
    s.l("G3", "殿")?;
    s.l("K3", "生年月日")?;
    s.d("L3:R3", w.birth, &gannen, w.f_birth())?;
    s.l("T3", "住所")?;
    s.v("U3:AL3", w.address, w.f_address())?;
    s.l("A4:E4", "居宅サービス計画作成者氏名")?;
    s.v("F4:AL4", &zen(w.planner), w.f_planner())?;
    s.l("A5:E5", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("F5:AL5", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A6:E6", "居宅サービス計画作成（変更）日")?;
    s.d("F6:M6", w.plan_date, &gannen, w.f_plan_date())?;
    s.l("S6:Z6", "初回居宅サービス計画作成日")?;
    s.d("AA6:AG6", w.first_created, &gannen, w.f_first_created())?;
    s.l("A7", "認定日")?;
    s.d("B7:H7", w.certified.expect("認定日"), &gannen, w.f_certified())?;
    s.l("I7:M7", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    s.d("N7:R7", a, &gannen, w.f_valid_from())?;
    s.l("S7", "～")?;
    s.d("T7:Y7", b, &gannen, w.f_valid_to())?;
    s.l("A9:D9", "要介護状態区分")?;
    s.ws.write_number_with_format(8, 4, 2.0, &white)?;
    for (k, col) in [5u16, 8, 11, 14, 17].iter().enumerate() {
        let n = (k + 1).to_string();
        let word = format!("要介護{}", super::people::full(&n));
        s.ws.write_formula_with_format(8, *col, mark("$E$9", &n, &word, k == 1, cached), &cell)?;
    }
    s.truth("E9:T9", w.f_care_level());
    s.l("A10:E13", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.v("F10:AL13", w.intentions, w.f_intentions())?;
    s.l("A14:E14", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.v("F14:AL14", w.opinion, w.f_opinion())?;
    s.l("A15:E17", "総合的な援助の方針")?;
    s.v("F15:AL17", w.policy, w.f_policy())?;
    s.l("A18:E18", "生活援助中心型の算定理由")?;
    for (col, n, word) in
        [(5u16, "1", "1.一人暮らし"), (10, "2", "2.家族等が障害、疾病等"), (19, "3", "3.その他（　　）")]
    {
        s.ws.write_formula_with_format(17, col, mark("$AM$18", n, word, n == "1", cached), &cell)?;
    }
    s.ws.write_number_with_format(17, 38, 1.0, &white)?;
    s.truth("F18:AM18", w.f_reason());
    s.truth("F18:AM18", w.f_reason_other());
    s.l("A19:M19", "居宅サービス計画について説明を受け、内容に同意し交付を受けました。")?;
    s.l("N19:R19", "説明・同意日")?;
    s.d("S19:X19", w.consent, &gannen, w.f_consent())?;
    s.ws.set_column_hidden(38)?;
    // The 早見表 beside the form: a lookup list, not plan data.
    s.l("AN1:AO1", "早見表")?;
    for k in 1..=5u32 {
        s.ws.write_number(k, 39, k as f64)?;
        s.ws.write_string(k, 40, format!("要介護{}", super::people::full(&k.to_string())))?;
    }
    for (k, word) in ["初回", "紹介", "継続"].iter().enumerate() {
        s.ws.write_string(7 + k as u32, 39, *word)?;
    }
    s.truth("C3:F3", w.f_insurer(None));
    s.truth("C3:F3", w.f_insured(None));

    // 2表: T2-A on the same narrow grid; 利用者名 a formula into 1表.
    let mut s = Sh::new(wb, "2表", t)?;
    s.ws.set_formula_result_default("");
    s.widths(0..38, 2.9)?;
    s.l("A1:D1", "第２表")?;
    s.l("G1:Y1", "居宅サービス計画書（２）")?;
    s.l("AD1:AG1", "作成年月日")?;
    s.d("AH1:AL1", w.created, &gannen, w.f_created_on("table2"))?;
    s.l("A2:B2", "利用者名")?;
    s.ws.merge_range(1, 2, 1, 5, "", &cell)?;
    s.ws.write_formula_with_format(
        1,
        2,
        if cached { Formula::new("='1表'!C3").set_result(zen(w.name)) } else { Formula::new("='1表'!C3") },
        &cell,
    )?;
    s.l("G2", "殿")?;
    let spans =
        vec![(0, 4), (5, 8), (9, 11), (12, 15), (16, 18), (19, 23), (24, 24), (25, 28), (29, 32), (33, 34), (35, 37)];
    table2(&mut s, w, 3, &T2Opts { spans: Some(spans), footnotes: FOOTNOTES.to_vec(), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "3表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    none_of(&mut s, &["table4", "table5"]);
    Ok(())
}
