//! L01 (municipal copy of the MHLW form, ovals as marks), L02 (2005-era
//! template kept as .xls), L03 (care-software export, one row per field),
//! L04 (hand-made grid: label above value, split dates, 【】 marks).

use super::grids::{self, Attendance, AttendeeRows, DateCell, Grid};
use super::people::{dots, kanji, kanji_spaced, p1, Who};
use super::shapes::{head, t2_lens, table2, PStyle, T2Opts, FOOTNOTES, T2};
use super::{finish, patch, Exp, Field, Layout, Sh, Truth};
use rust_xlsxwriter::{Format, Shape, ShapeFormat, Workbook, XlsxError};

type R = Result<(), XlsxError>;

/// 「山田　花子」
pub fn zen(name: &str) -> String {
    name.replace(' ', "　")
}

/// 「山田花子」
pub fn tight(name: &str) -> String {
    name.replace(' ', "")
}

/// The three long texts of 第1表 at value ranges, with their labels written
/// by the caller.
fn long_texts(s: &mut Sh, w: &Who, ranges: [&str; 3]) -> R {
    s.v(ranges[0], w.intentions, w.f_intentions())?;
    s.v(ranges[1], w.opinion, w.f_opinion())?;
    s.v(ranges[2], w.policy, w.f_policy())
}

// ---------------------------------------------------------------------------

/// L01: the MHLW form cell for cell on 34 narrow columns; choices marked
/// only by ovals drawn over the printed words (and a text box holding ○).
pub fn l01() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l01(&mut wb, &mut t, &w).expect("L01");
    // rust_xlsxwriter draws text boxes only: the first three become ovals.
    let bytes = patch(finish(wb), |name, xml| {
        if !name.starts_with("xl/drawings/drawing") {
            return None;
        }
        let mut out = String::new();
        for (i, part) in xml.split("<xdr:twoCellAnchor").enumerate() {
            if i > 0 {
                out.push_str("<xdr:twoCellAnchor");
            }
            let oval = (1..=3).any(|n| part.contains(&format!("name=\"TextBox {n}\"")));
            if oval {
                let n = (1..=3).find(|n| part.contains(&format!("name=\"TextBox {n}\""))).unwrap_or(1);
                out.push_str(
                    &part
                        .replace("prst=\"rect\"", "prst=\"ellipse\"")
                        .replace(&format!("name=\"TextBox {n}\""), &format!("name=\"楕円 {n}\"")),
                );
            } else {
                out.push_str(part);
            }
        }
        Some(out)
    });
    Layout {
        id: "L01",
        title: "自治体様式の写し・楕円で選択",
        file: "L01_居宅サービス計画書.xlsx".into(),
        bytes,
        truth: t,
    }
}

fn build_l01(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let mut s = Sh::new(wb, "第1表", t)?;
    s.widths(0..34, 2.9)?;
    s.l("A1:C1", "第１表")?;
    s.l("J1:X1", "居宅サービス計画書（１）")?;
    s.l("Z1:AB1", "作成年月日")?;
    s.v("AC1:AH1", &kanji_spaced(w.created), w.f_created())?;
    s.l("Z2:AC2", "初回・紹介・継続")?;
    s.gap("Z2:AC2", w.f_plan_kind(), "楕円の図形だけで選択");
    s.l("AE2:AH2", "認定済・申請中")?;
    s.gap("AE2:AH2", w.f_cert_status(), "楕円の図形だけで選択");
    s.l("A3:D3", "利用者名")?;
    s.v("E3:K3", &zen(w.name), w.f_name())?;
    s.l("L3", "殿")?;
    s.l("M3:P3", "生年月日")?;
    s.v("Q3:W3", &kanji_spaced(w.birth), w.f_birth())?;
    s.l("X3:Z3", "住所")?;
    s.v("AA3:AH3", w.address, w.f_address())?;
    s.l("A4:J4", "居宅サービス計画作成者氏名")?;
    s.v("K4:AH4", &zen(w.planner), w.f_planner())?;
    s.l("A5:J5", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("K5:AH5", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A6:J6", "居宅サービス計画作成（変更）日")?;
    s.v("K6:Q6", &kanji_spaced(w.plan_date), w.f_plan_date())?;
    s.l("R6:Z6", "初回居宅サービス計画作成日")?;
    s.v("AA6:AH6", &kanji_spaced(w.first_created), w.f_first_created())?;
    s.l("A7:D7", "認定日")?;
    s.v("E7:K7", &kanji_spaced(w.certified.expect("認定日")), w.f_certified())?;
    s.l("L7:Q7", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    s.v("R7:AH7", &format!("{}　～　{}", kanji_spaced(a), kanji_spaced(b)), w.f_valid_from())?;
    s.truth("R7:AH7", w.f_valid_to());
    s.l("A8:F8", "要介護状態区分")?;
    s.l("G8:AH8", "要介護１　・　要介護２　・　要介護３　・　要介護４　・　要介護５")?;
    s.gap("G8:AH8", w.f_care_level(), "楕円の図形だけで選択");
    s.l("A9:F13", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.l("A14:F16", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.l("A17:F22", "総合的な援助の方針")?;
    long_texts(&mut s, w, ["G9:AH13", "G14:AH16", "G17:AH22"])?;
    s.l("A23:F23", "生活援助中心型の算定理由")?;
    s.l("G23:AH23", "１．一人暮らし　２．家族等が障害、疾病等　３．その他（　　　　　　　）")?;
    s.gap("G23:AH23", w.f_reason(), "○を書いたテキストボックスだけで選択");
    s.l("A25:T25", "居宅サービス計画について説明を受け、内容に同意し交付を受けました。")?;
    s.l("U25:X25", "説明・同意日")?;
    s.v("Y25:AH25", &kanji_spaced(w.consent), w.f_consent())?;
    s.l("U26:X26", "利用者同意欄")?;
    s.m("Y26:AH26", "")?;
    s.truth("E3:K3", w.f_insurer(None));
    s.truth("E3:K3", w.f_insured(None));
    s.truth("G23:AH23", w.f_reason_other());
    // Ovals over 継続 (AB2:AC2), 認定済 (AE2:AF2), 要介護２ (N8:Q8); a text
    // box with ○ over 「１．一人暮らし」 (G23:H23).
    let oval =
        |cols: u32| Shape::textbox().set_width(cols * 22).set_height(18).set_format(&ShapeFormat::new().set_no_fill());
    s.ws.insert_shape(1, 27, &oval(2))?;
    s.ws.insert_shape(1, 30, &oval(2))?;
    s.ws.insert_shape(7, 13, &oval(4))?;
    s.ws.insert_shape(
        22,
        6,
        &Shape::textbox().set_text("○").set_width(40).set_height(18).set_format(&ShapeFormat::new().set_no_fill()),
    )?;

    let t2 = T2Opts { footnotes: FOOTNOTES.to_vec(), ..T2Opts::default() };
    let mut s = Sh::new(wb, "第2表", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &t2)?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "第3表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    s.v("H2:J2", "令和　7年　4月分より", w.f_from_month())?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    let mut s = Sh::new(wb, "第4表", t)?;
    grids::table4(&mut s, w, Attendance::Words, kanji)?;
    let mut s = Sh::new(wb, "第5表", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Text(dots))?;
    // Empty templates of 第6表 and 第7表: nothing to read.
    let mut s = Sh::new(wb, "第6表", t)?;
    s.l("A1:H1", "サービス利用票（兼居宅（介護予防）サービス計画）")?;
    s.truth("A1:H1", Field::new("/table6", Exp::Null, "第6表"));
    let mut s = Sh::new(wb, "第7表", t)?;
    s.l("A1:H1", "サービス利用票別表")?;
    s.truth("A1:H1", Field::new("/table7", Exp::Null, "第7表"));
    Ok(())
}

// ---------------------------------------------------------------------------

/// L02: the 2005-era template (pre-R3 wording, 要支援 alone in the list),
/// ○ typed before the chosen word, 「R7.4.1」 dates; kept as .xls. This
/// builder writes the .xlsx that fixtures/layouts/L02.xls was converted from.
pub fn l02() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l02(&mut wb, &mut t, &w).expect("L02");
    Layout {
        id: "L02",
        title: "2005年頃の様式・.xls・○印",
        file: "L02_居宅サービス計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l02(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let mut s = Sh::new(wb, "計画書(1)", t)?;
    s.widths(0..8, 16.0)?;
    s.l("A1:F1", "居宅サービス計画書（1）")?;
    s.l("G1", "作成年月日")?;
    s.v("H1", &dots(w.created), w.f_created())?;
    s.v("E2:F2", "初回・紹介・○継続", w.f_plan_kind())?;
    s.v("G2:H2", "○認定済・申請中", w.f_cert_status())?;
    s.l("A3", "利用者名")?;
    s.v("B3", &format!("{}　殿", tight(w.name)), w.f_name())?;
    s.l("C3", "生年月日")?;
    s.v("D3", &dots(w.birth), w.f_birth())?;
    s.l("E3", "住所")?;
    s.v("F3:H3", w.address, w.f_address())?;
    s.l("A4:B4", "居宅サービス計画作成者氏名")?;
    s.v("C4:H4", &tight(w.planner), w.f_planner())?;
    s.l("A5:B5", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("C5:H5", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A6:B6", "居宅サービス計画作成(変更)日")?;
    s.v("C6", &dots(w.plan_date), w.f_plan_date())?;
    s.l("E6:F6", "初回居宅サービス計画作成日")?;
    s.v("G6:H6", &dots(w.first_created), w.f_first_created())?;
    s.l("A7", "認定日")?;
    s.v("B7", &dots(w.certified.expect("認定日")), w.f_certified())?;
    s.l("C7", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    s.v("D7:H7", &format!("{}～{}", dots(a), dots(b)), w.f_valid_from())?;
    s.truth("D7:H7", w.f_valid_to());
    s.l("A8", "要介護状態区分")?;
    s.v("B8:H8", "要支援・要介護1・○要介護2・要介護3・要介護4・要介護5", w.f_care_level())?;
    s.l("A9:A12", "利用者及び家族の生活に対する意向")?;
    s.l("A13:A14", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.l("A15:A19", "総合的な援助の方針")?;
    long_texts(&mut s, w, ["B9:H12", "B13:H14", "B15:H19"])?;
    s.l("A20", "生活援助中心型の算定理由")?;
    s.v("B20:H20", "○1.一人暮らし　2.家族等が障害、疾病等　3.その他（　　）", w.f_reason())?;
    s.truth("B20:H20", w.f_reason_other());
    // D20: the template still prints 平成; the date meant is 令和7年4月1日.
    s.l("A21", "説明・同意日")?;
    s.l("B21", "平成")?;
    let num = s.cell.clone();
    for (cell, x) in [("C21", 7.0), ("E21", 4.0), ("G21", 1.0)] {
        s.n(cell, x, &num)?;
    }
    for (cell, x) in [("D21", "年"), ("F21", "月"), ("H21", "日")] {
        s.l(cell, x)?;
    }
    s.gap("B21:H21", w.f_consent(), "印刷された元号（平成）と日付が合わない");
    s.truth("B3", w.f_insurer(None));
    s.truth("B3", w.f_insured(None));

    let mut s = Sh::new(wb, "計画書(2)", t)?;
    head(&mut s, w, "", "居宅サービス計画書（2）", 8, Some("table2"))?;
    table2(&mut s, w, 3, &T2Opts { shape: T2::BPrime, group: "援助目標", marks: ("※1", "※2"), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "週間計画", t)?;
    head(&mut s, w, "", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::from4())?;
    let mut s = Sh::new(wb, "担当者会議", t)?;
    grids::table4(&mut s, w, Attendance::None, dots)?;
    let mut s = Sh::new(wb, "経過記録", t)?;
    head(&mut s, w, "", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, false, &DateCell::Text(dots))
}

// ---------------------------------------------------------------------------

/// L03: a care-software export: Sheet1…Sheet5 with the form title in A1,
/// one row per field (項目|内容|コード), real date cells (built-in format 14).
pub fn l03() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l03(&mut wb, &mut t, &w).expect("L03");
    Layout {
        id: "L03",
        title: "介護ソフトの出力・1行1項目",
        file: "L03_export.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l03(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let d14 = Format::new().set_num_format_index(14);
    let mut s = Sh::new(wb, "Sheet1", t)?;
    s.ws.set_column_width(0, 40)?;
    s.ws.set_column_width(1, 50)?;
    s.l("A1", "居宅サービス計画書（１）")?;
    s.l("A2", "項目")?;
    s.l("B2", "内容")?;
    s.l("C2", "コード")?;
    let (a, b) = w.valid.expect("有効期間");
    let rows: Vec<(&str, Val)> = vec![
        ("保険者番号", Val::T("131999", Some(w.f_insurer(Some("131999"))))),
        ("被保険者番号", Val::T("0000012345", Some(w.f_insured(Some("0000012345"))))),
        ("利用者名", Val::S(w.name.to_string(), w.f_name())),
        ("生年月日", Val::D(w.birth, w.f_birth())),
        ("住所", Val::T(w.address, Some(w.f_address()))),
        ("作成年月日", Val::D(w.created, w.f_created())),
        ("居宅サービス計画作成者氏名", Val::S(w.planner.to_string(), w.f_planner())),
        ("居宅介護支援事業所名", Val::T(w.office, None)),
        ("居宅介護支援事業所所在地", Val::T(w.office_address, None)),
        ("居宅サービス計画作成（変更）日", Val::D(w.plan_date, w.f_plan_date())),
        ("初回居宅サービス計画作成日", Val::D(w.first_created, w.f_first_created())),
        ("計画書区分", Val::C("継続", "21", w.f_plan_kind())),
        ("認定状況", Val::C("認定済", "2", w.f_cert_status())),
        ("認定日", Val::D(w.certified.expect("認定日"), w.f_certified())),
        ("認定有効期間開始日", Val::D(a, w.f_valid_from())),
        ("認定有効期間終了日", Val::D(b, w.f_valid_to())),
        ("要介護状態区分", Val::C("要介護２", "22", w.f_care_level())),
        ("利用者及び家族の生活に対する意向を踏まえた課題分析の結果", Val::T(w.intentions, Some(w.f_intentions()))),
        ("介護認定審査会の意見及びサービスの種類の指定", Val::T(w.opinion, Some(w.f_opinion()))),
        ("総合的な援助の方針", Val::T(w.policy, Some(w.f_policy()))),
        ("生活援助中心型の算定理由", Val::C("一人暮らし", "1", w.f_reason())),
        ("その他理由", Val::T("", Some(w.f_reason_other()))),
    ];
    for (r, (label, v)) in (3..).zip(rows) {
        s.l(&format!("A{r}"), label)?;
        let cell = format!("B{r}");
        match v {
            Val::T(x, f) => match f {
                Some(f) => s.v(&cell, x, f)?,
                None => s.m(&cell, x)?,
            },
            Val::S(x, f) => s.v(&cell, &x, f)?,
            Val::D(d, f) => s.d(&cell, d, &d14, f)?,
            Val::C(x, code, f) => {
                s.v(&cell, x, f)?;
                s.m(&format!("C{r}"), code)?;
            }
        }
    }
    s.truth("B10:B11", w.f_office());

    let mut s = Sh::new(wb, "Sheet2", t)?;
    s.l("A1", "居宅サービス計画書（２）")?;
    s.l("A2", "利用者名")?;
    s.m("B2", w.name)?;
    s.l("A3", "作成年月日")?;
    s.d("B3", w.created, &d14, w.f_created_on("table2"))?;
    table2(&mut s, w, 4, &T2Opts { shape: T2::D, merged: false, period: PStyle::Western, ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "Sheet3", t)?;
    s.l("A1", "週間サービス計画表")?;
    s.l("A2", "利用者名")?;
    s.m("B2", w.name)?;
    grids::table3_records(&mut s, w, 3, |svc| {
        if svc == "通所介護" {
            "デイサービス見本"
        } else {
            "見本ヘルパー"
        }
    })?;
    let mut s = Sh::new(wb, "Sheet4", t)?;
    s.l("A1", "サービス担当者会議の要点")?;
    s.l("A2", "利用者名")?;
    s.m("B2", w.name)?;
    grids::table4_rows(&mut s, w, 3, AttendeeRows::Numbered, &|s, r, d, f| {
        let fmt = Format::new().set_num_format_index(14);
        let cell = super::lsw_a1(r, 1);
        s.d(&cell, d, &fmt, f)
    })?;
    let mut s = Sh::new(wb, "Sheet5", t)?;
    s.l("A1", "居宅介護支援経過")?;
    s.l("A2", "利用者名")?;
    s.m("B2", w.name)?;
    let dt = Format::new().set_num_format("yyyy/m/d h:mm");
    grids::table5_one_set(&mut s, w, 3, &["年月日", "項目", "内容", "記入者"], &DateCell::Number(dt, Some((10, 0))))
}

enum Val {
    /// Text, and the field it is (None: part of a joined field).
    T(&'static str, Option<Field>),
    S(String, Field),
    D(super::Ymd, Field),
    /// Text with its code beside it.
    C(&'static str, &'static str, Field),
}

// ---------------------------------------------------------------------------

/// L04: a hand-made grid: labels above values, dates split over cells, 【】
/// around the chosen item, full-width digits in the sheet names.
pub fn l04() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l04(&mut wb, &mut t, &w).expect("L04");
    Layout {
        id: "L04",
        title: "手作りの表・日付を分割・【】",
        file: "L04_ケアプラン.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

/// A date split over seven cells from `first`: 「令和」 7 「年」 4 「月」 1 「日」.
fn split_date(s: &mut Sh, row: u32, first: u16, d: super::Ymd) -> R {
    let (era, _, y) = super::people::era(d);
    let num = s.cell.clone();
    s.trc(row, first, row, first, era)?;
    for (k, (n, unit)) in [(y as f64, "年"), (d.1 as f64, "月"), (d.2 as f64, "日")].iter().enumerate() {
        let c = first + 1 + 2 * k as u16;
        s.ws.write_number_with_format(row, c, *n, &num)?;
        s.trc(row, c + 1, row, c + 1, unit)?;
    }
    Ok(())
}

fn build_l04(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let mut s = Sh::new(wb, "第１表", t)?;
    s.widths(0..15, 6.0)?;
    let num = s.cell.clone();
    s.l("A1:I1", "居宅サービス計画書（１）")?;
    s.l("J1:K1", "作成年月日")?;
    // Split differently from the other dates on the sheet, on purpose.
    s.m("L1", "令和")?;
    s.n("M1", 7.0, &num)?;
    s.m("N1", "年")?;
    s.m("O1", "4月1日")?;
    s.truth("L1:O1", w.f_created());
    s.l("A2", "保険者番号")?;
    s.v("B2:C2", "131999", w.f_insurer(Some("131999")))?;
    s.l("D2:E2", "被保険者番号")?;
    s.v("F2:G2", "0000012345", w.f_insured(Some("0000012345")))?;
    s.v("J2:M2", "初回・紹介・【継続】", w.f_plan_kind())?;
    s.v("N2:O2", "【認定済】・申請中", w.f_cert_status())?;
    s.l("A3:D3", "利用者名")?;
    s.l("F3:K3", "生年月日")?;
    s.l("L3:O3", "住所")?;
    s.v("A4:C4", &zen(w.name), w.f_name())?;
    s.l("D4", "殿")?;
    s.m("F4", "昭和")?;
    s.n("G4", 15.0, &num)?;
    s.m("H4", "年")?;
    s.n("I4", 5.0, &num)?;
    s.m("J4", "月")?;
    s.m("K4", "10日")?;
    s.truth("F4:K4", w.f_birth());
    s.v("L4:O4", w.address, w.f_address())?;
    s.l("A5:G5", "居宅サービス計画作成者氏名")?;
    s.l("H5:O5", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("A6:G6", &zen(w.planner), w.f_planner())?;
    s.v("H6:O6", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A7:G7", "居宅サービス計画作成（変更）日")?;
    s.l("H7:O7", "初回居宅サービス計画作成日")?;
    split_date(&mut s, 7, 0, w.plan_date)?;
    s.truth("A8:G8", w.f_plan_date());
    split_date(&mut s, 7, 7, w.first_created)?;
    s.truth("H8:N8", w.f_first_created());
    s.l("A9:G9", "認定日")?;
    s.l("H9:O9", "要介護状態区分")?;
    split_date(&mut s, 9, 0, w.certified.expect("認定日"))?;
    s.truth("A10:G10", w.f_certified());
    s.v("H10:O10", "要介護１・【要介護２】・要介護３・要介護４・要介護５", w.f_care_level())?;
    s.l("A11:O11", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    split_date(&mut s, 11, 0, a)?;
    s.m("H12", "～")?;
    split_date(&mut s, 11, 8, b)?;
    s.truth("A12:G12", w.f_valid_from());
    s.truth("I12:O12", w.f_valid_to());
    s.l("A13:O13", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.l("A19:O19", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.l("A22:O22", "総合的な援助の方針")?;
    long_texts(&mut s, w, ["A14:O18", "A20:O21", "A23:O27"])?;
    s.l("A28:E28", "生活援助中心型の算定理由")?;
    s.v("F28:O28", "【1.一人暮らし】・2.家族等が障害、疾病等・3.その他（　）", w.f_reason())?;
    s.truth("F28:O28", w.f_reason_other());

    let mut s = Sh::new(wb, "第２表", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 11, Some("table2"))?;
    table2(&mut s, w, 3, &T2Opts { shape: T2::C, group: "援助目標", ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "第３表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    let g =
        Grid { name: |s| if s == "通所介護" { "デイサービス" } else { s }, dash: "-", ..Grid::two_hourly() };
    grids::table3(&mut s, w, 3, &g)?;
    let mut s = Sh::new(wb, "第４表", t)?;
    s.l("A1", "サービス担当者会議の要点")?;
    s.l("A2", "利用者名")?;
    s.m("B2", &zen(w.name))?;
    grids::table4_rows(&mut s, w, 3, AttendeeRows::OneCell, &|s, r, d, f| s.vrc(r, 1, r, 1, &kanji(d), f))?;
    let mut s = Sh::new(wb, "第５表", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Text(kanji))
}
