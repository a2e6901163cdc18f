//! L13 (a Google Sheets export: check boxes as booleans), L14 (●/○ radio
//! marks, strikethrough, circled digits), L15 (the 1904 date system,
//! formulas without cached values, one 支援経過 sheet per entry), L16 (an
//! R6 municipal template: 〇 marks, 「および」 labels, dittos).

use super::grids::{self, Attendance, DateCell, Grid, TimeCell};
use super::l01_l04::zen;
use super::l05_l08::none_of;
use super::l09_l12::{simple_table1, Simple, D1};
use super::people::{dots, kanji, kanji_full, p1, serial, Who};
use super::shapes::{head, t2_lens, table2, Ins, T2Opts, FOOTNOTES, T2};
use super::{datefmt, finish, iso, patch, Exp, Field, Layout, Sh, Truth, Ymd};
use rust_xlsxwriter::{Format, FormatBorder, Formula, Workbook, XlsxError};

type R = Result<(), XlsxError>;

/// L13: exported from Google Sheets: a boolean cell left of each printed
/// choice, custom Western date formats, 有効期間 in a from and a to cell,
/// a 第2表 sheet name with a trailing space, ※1 as booleans.
pub fn l13() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l13(&mut wb, &mut t, &w).expect("L13");
    Layout {
        id: "L13",
        title: "Googleスプレッドシートの出力・TRUE/FALSE",
        file: "L13_ケアプラン.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l13(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let ymd = datefmt("yyyy\"年\"m\"月\"d\"日\"");
    let mut s = Sh::new(wb, "第1表", t)?;
    s.widths(0..13, 10.0)?;
    let boolean = |s: &mut Sh, cell: &str, b: bool| -> R {
        let (r, c) = super::parse_a1(cell);
        let f = s.cell.clone();
        s.ws.write_boolean_with_format(r, c, b, &f)?;
        Ok(())
    };
    s.l("A1:H1", "居宅サービス計画書（１）")?;
    s.l("J1", "作成年月日")?;
    s.d("K1:L1", w.created, &ymd, w.f_created())?;
    for (b, label, text) in [
        ("C2", "D2", "初回"),
        ("E2", "F2", "紹介"),
        ("G2", "H2", "継続"),
        ("J2", "K2", "認定済"),
        ("L2", "M2", "申請中"),
    ] {
        boolean(&mut s, b, text == w.plan_kind || text == w.cert_status)?;
        s.l(label, text)?;
    }
    s.truth("C2:H2", w.f_plan_kind());
    s.truth("J2:M2", w.f_cert_status());
    s.l("A3", "利用者名")?;
    s.v("B3:D3", &zen(w.name), w.f_name())?;
    s.l("E3", "殿")?;
    s.l("F3", "生年月日")?;
    s.d("G3:H3", w.birth, &ymd, w.f_birth())?;
    s.l("I3", "住所")?;
    s.v("J3:M3", w.address, w.f_address())?;
    s.l("A4:C4", "居宅サービス計画作成者氏名")?;
    s.v("D4:M4", &zen(w.planner), w.f_planner())?;
    s.l("A5:C5", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("D5:M5", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A6:C6", "居宅サービス計画作成（変更）日")?;
    s.d("D6:E6", w.plan_date, &ymd, w.f_plan_date())?;
    s.l("F6:H6", "初回居宅サービス計画作成日")?;
    s.d("I6:J6", w.first_created, &ymd, w.f_first_created())?;
    s.l("A7", "認定日")?;
    s.d("B7", w.certified.expect("認定日"), &ymd, w.f_certified())?;
    s.l("A8", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    s.d("B8", a, &ymd, w.f_valid_from())?;
    s.l("C8", "～")?;
    s.d("D8", b, &ymd, w.f_valid_to())?;
    s.l("A9", "要介護状態区分")?;
    for k in 0..5u16 {
        let (bc, lc) = (1 + 2 * k, 2 + 2 * k);
        let f = s.cell.clone();
        s.ws.write_boolean_with_format(8, bc, k == 1, &f)?;
        s.lrc(8, lc, 8, lc, &format!("要介護{}", super::people::full(&(k + 1).to_string())))?;
    }
    s.truth("B9:K9", w.f_care_level());
    s.l("A10", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.v("B10:M10", w.intentions, w.f_intentions())?;
    s.l("A11", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.v("B11:M11", w.opinion, w.f_opinion())?;
    s.l("A12", "総合的な援助の方針")?;
    s.v("B12:M12", w.policy, w.f_policy())?;
    s.l("A13", "生活援助中心型の算定理由")?;
    for (b, l, text, on) in [
        ("B13", "C13", "1.一人暮らし", true),
        ("D13", "E13", "2.家族等が障害、疾病等", false),
        ("F13", "G13", "3.その他（　）", false),
    ] {
        boolean(&mut s, b, on)?;
        s.l(l, text)?;
    }
    s.truth("B13:G13", w.f_reason());
    s.truth("B13:G13", w.f_reason_other());
    s.l("A14", "説明・同意日")?;
    s.d("B14", w.consent, &ymd, w.f_consent())?;
    s.truth("B3:D3", w.f_insurer(None));
    s.truth("B3:D3", w.f_insured(None));

    let mut s = Sh::new(wb, "第2表 ", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &T2Opts { shape: T2::B, ins: Ins::Bool, marks: ("※1", "※2"), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "第3表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    let mut s = Sh::new(wb, "第4表", t)?;
    grids::table4(&mut s, w, Attendance::Words, kanji)?;
    let mut s = Sh::new(wb, "第5表", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Number(ymd.clone(), None))
}

// ---------------------------------------------------------------------------

/// L14: choices marked every which way in one plan: 初回・紹介 struck
/// through in a rich-text cell (invisible to a cell reader), ●/○ radio
/// marks (○ = not chosen), a circled ①; full-width 和暦 text dates, 元年.
pub fn l14() -> Layout {
    let mut t = Truth::default();
    let mut w = p1();
    w.first_created = (2019, 10, 1);
    t.person(&w);
    let mut wb = Workbook::new();
    build_l14(&mut wb, &mut t, &w).expect("L14");
    Layout {
        id: "L14",
        title: "●○・取り消し線・丸数字・全角日付",
        file: "L14_居宅サービス計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l14(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let (a, b) = w.valid.expect("有効期間");
    let o = Simple {
        birth: kanji_full(w.birth),
        valid: format!("{}〜{}", kanji_full(a), kanji_full(b)),
        plan_kind: None,
        cert: Some("●認定済　○申請中".into()),
        care: "○要介護１　●要介護２　○要介護３　○要介護４　○要介護５".into(),
        reason: "①一人暮らし　2．家族等が障害、疾病等　3．その他（　）".into(),
        ..Simple::new(D1::Text(kanji_full))
    };
    let mut s = Sh::new(wb, "第1表", t)?;
    simple_table1(&mut s, w, &o)?;
    let plain = Format::new();
    let struck = Format::new().set_font_strikethrough();
    let f = s.cell.clone();
    s.ws.merge_range(1, 3, 1, 5, "", &f)?;
    s.ws.write_rich_string_with_format(
        1,
        3,
        &[(&struck, "初回"), (&plain, "・"), (&struck, "紹介"), (&plain, "・継続")],
        &f,
    )?;
    s.gap("D2:F2", w.f_plan_kind(), "取り消し線だけで選択");
    let t2 = T2Opts { footnotes: FOOTNOTES.to_vec(), ..T2Opts::default() };
    let names = ["第2表", "第3表", "第4表", "第5表"];
    let mut s = Sh::new(wb, names[0], t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &t2)?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, names[1], t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    let mut s = Sh::new(wb, names[2], t)?;
    grids::table4(&mut s, w, Attendance::Circles, kanji_full)?;
    let mut s = Sh::new(wb, names[3], t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Text(kanji_full))
}

// ---------------------------------------------------------------------------

/// 1904-system serial of a date.
fn s1904(d: Ymd) -> f64 {
    serial(d) - 1462.0
}

/// L15: an old Mac workbook in the 1904 date system: dates are 1904
/// serials (認定日 even in General format), 利用者名 on 第2表/第3表 is a
/// formula into 第1表 saved without its result, 要介護状態区分 is the number
/// 2 shown through the format "要介護"0, typed ☑/☐, one 支援経過 sheet per
/// entry named by its date; no 第4表.
pub fn l15() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l15(&mut wb, &mut t, &w).expect("L15");
    let bytes = patch(finish(wb), |name, xml| {
        (name == "xl/workbook.xml").then(|| xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1))
    });
    Layout {
        id: "L15",
        title: "1904年基準・結果のない数式・日ごとのシート",
        file: "L15_計画書.xlsx".into(),
        bytes,
        truth: t,
    }
}

fn build_l15(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let ymd = datefmt("yyyy/m/d");
    let general = Format::new().set_border(FormatBorder::Thin);
    let date = |s: &mut Sh, range: &str, d: Ymd, f: Field| -> R {
        s.n(range, s1904(d), &ymd)?;
        s.truth(range, f);
        Ok(())
    };
    let mut s = Sh::new(wb, "第1表", t)?;
    s.widths(0..12, 9.0)?;
    s.l("A1:H1", "居宅サービス計画書（１）")?;
    s.l("I1:J1", "作成年月日")?;
    date(&mut s, "K1:L1", w.created, w.f_created())?;
    s.v("A2:F2", "☐初回　☐紹介　☑継続", w.f_plan_kind())?;
    s.v("G2:L2", "☑認定済　☐申請中", w.f_cert_status())?;
    s.l("A3:D3", "利用者名")?;
    s.v("E3:H3", &zen(w.name), w.f_name())?;
    s.l("I3", "殿")?;
    s.l("A4:D4", "生年月日")?;
    date(&mut s, "E4:H4", w.birth, w.f_birth())?;
    s.l("I4", "住所")?;
    s.v("J4:L4", w.address, w.f_address())?;
    s.l("A5:D5", "居宅サービス計画作成者氏名")?;
    s.v("E5:L5", &zen(w.planner), w.f_planner())?;
    s.l("A6:D6", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("E6:L6", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A7:D7", "居宅サービス計画作成（変更）日")?;
    date(&mut s, "E7:F7", w.plan_date, w.f_plan_date())?;
    s.l("G7:I7", "初回居宅サービス計画作成日")?;
    date(&mut s, "J7:L7", w.first_created, w.f_first_created())?;
    s.l("A8:D8", "認定日")?;
    // Someone cleared the format: a bare 1904 serial.
    s.n("E8:F8", s1904(w.certified.expect("認定日")), &general)?;
    s.truth("E8:F8", w.f_certified());
    s.l("G8:H8", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    date(&mut s, "I8", a, w.f_valid_from())?;
    s.l("J8", "～")?;
    date(&mut s, "K8:L8", b, w.f_valid_to())?;
    s.l("A9:D9", "要介護状態区分")?;
    let level = s.cell.clone().set_num_format("\"要介護\"0");
    s.n("E9:F9", 2.0, &level)?;
    s.truth("E9:F9", w.f_care_level());
    s.l("A10:D10", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.v("E10:L10", w.intentions, w.f_intentions())?;
    s.l("A11:D11", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.v("E11:L11", w.opinion, w.f_opinion())?;
    s.l("A12:D12", "総合的な援助の方針")?;
    s.v("E12:L12", w.policy, w.f_policy())?;
    s.l("A13:D13", "生活援助中心型の算定理由")?;
    s.v("E13:L13", "☑1.一人暮らし ☐2.家族等が障害、疾病等 ☐3.その他", w.f_reason())?;
    s.truth("E13:L13", w.f_reason_other());
    s.l("A14:D14", "説明・同意日")?;
    date(&mut s, "E14:F14", w.consent, w.f_consent())?;
    s.truth("E3:H3", w.f_insurer(None));
    s.truth("E3:H3", w.f_insured(None));

    // 第2表 and 第3表 name the person by a formula saved without a result.
    let named = |s: &mut Sh, no: &str, title: &str| -> R {
        s.l("A1", no)?;
        s.l("B1:H1", title)?;
        s.l("A2", "利用者名")?;
        s.ws.set_formula_result_default("");
        let f = s.cell.clone();
        s.ws.merge_range(1, 1, 1, 2, "", &f)?;
        s.ws.write_formula_with_format(1, 1, Formula::new("='第1表'!E3"), &f)?;
        s.l("D2", "殿")
    };
    let mut s = Sh::new(wb, "第2表", t)?;
    named(&mut s, "第２表", "居宅サービス計画書（２）")?;
    table2(&mut s, w, 3, &T2Opts { footnotes: FOOTNOTES.to_vec(), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "第3表", t)?;
    named(&mut s, "第３表", "週間サービス計画表")?;
    grids::table3(&mut s, w, 3, &Grid { time_cell: TimeCell::Number, ..Grid::two_hourly() })?;
    none_of(&mut s, &["table4"]);
    // One sheet per 支援経過 entry, named by its date; the text in one big
    // merged cell whose first line is the time and the 項目.
    let times = ["10:00", "14:00", "10:30"];
    for (i, e) in w.progress.iter().enumerate() {
        let name = format!("（{}）", dots(e.date));
        let mut s = Sh::new(wb, &name, t)?;
        s.l("A1:T1", "居宅介護支援経過")?;
        s.m("A2:T2", &format!("利用者名　{}　殿", zen(w.name)))?;
        s.m("A4:T39", &format!("{}　【{}】\n{}", times[i], e.item, e.content))?;
        s.truth("A4:T39", Field::new(format!("/table5/{i}/date"), Exp::Date(iso(e.date)), "年月日"));
        s.truth(
            "A4:T39",
            Field::new(format!("/table5/{i}"), Exp::Entry { item: e.item.into(), content: e.content.into() }, ""),
        );
        s.t.len("/table5", w.progress.len());
    }
    Ok(())
}

// ---------------------------------------------------------------------------

/// L16: an R6 municipal template: 〇 (U+3007) marks, the 「および」 spellings
/// and 「認定年月日」, a care-level list from 事業対象者, 福祉用具 details in
/// サービス内容, 「〃」 instead of merges, the variant footnote, 第3表 from
/// 6:00 in two-hour rows.
pub fn l16() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l16(&mut wb, &mut t, &w).expect("L16");
    Layout {
        id: "L16",
        title: "令和6年以降の自治体様式・〇印・〃",
        file: "L16_居宅サービス計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn fukushi(c: &str) -> String {
    if c == "浴室の手すり" {
        format!("{c}（用具名称：見本手すりA／TAISコード：00000-000000）")
    } else {
        c.to_string()
    }
}

fn build_l16(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let (a, b) = w.valid.expect("有効期間");
    let o = Simple {
        birth: format!("{}生", kanji(w.birth)),
        valid: format!("{}～{}", kanji(a), kanji(b)),
        plan_kind: Some("初回・紹介・〇継続".into()),
        cert: Some("〇認定済・申請中".into()),
        care: "事業対象者・要支援１・要支援２・要介護１・〇要介護２・要介護３・要介護４・要介護５".into(),
        reason: "〇1.一人暮らし　2.家族等が障害、疾病等　3.その他（　）".into(),
        intentions_label: "利用者および家族の生活に対する意向を踏まえた課題分析の結果",
        office_label: "居宅介護支援事業者・事業所名および所在地",
        certified_label: "認定年月日",
        ..Simple::new(D1::Text(kanji))
    };
    let mut s = Sh::new(wb, "居宅サービス計画書（1）", t)?;
    simple_table1(&mut s, w, &o)?;
    let t2 = T2Opts {
        merged: false,
        ditto: true,
        content: fukushi,
        footnotes: vec![
            "※1「保険給付対象かどうかの区分」について、保険給付対象内サービスについては○印を付す。",
            "※2「当該サービス提供を行う事業所」について記入する。",
        ],
        ..T2Opts::default()
    };
    let mut s = Sh::new(wb, "居宅サービス計画書（2）", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &t2)?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "第3表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 12, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::from6())?;
    let mut s = Sh::new(wb, "第4表", t)?;
    grids::table4(&mut s, w, Attendance::Words, kanji)?;
    let mut s = Sh::new(wb, "第5表", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Text(dots))
}
