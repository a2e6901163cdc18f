//! L09 (a vendor's print-to-Excel export on a fine grid), L10 (transposed
//! 第3表, ■/□ marks, Western dates), L11 (a template filled by a program:
//! ﾚ in mark cells, 「label ;　value」 cells), L12 (the pre-R3 template).

use super::grids::{self, Attendance, DateCell, Grid};
use super::l01_l04::zen;
use super::people::{dots, full, kanji, kanji_padded, p1, spaced_slash, western, Who};
use super::shapes::{head, t2_lens, table2, PStyle, T2Opts, FOOTNOTES};
use super::{datefmt, finish, Field, Layout, Sh, Truth, Ymd};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

type R = Result<(), XlsxError>;

/// How a 第1表 date is written in [`simple_table1`].
pub enum D1 {
    Text(fn(Ymd) -> String),
    Cell(Format),
}

/// The label-left, value-right 第1表 on 12 columns (L06's arrangement) with
/// the cells' texts given by the layout. A choice group given as None is
/// written by the caller (at D2:F2 for 初回・紹介・継続, H2:J2 for 認定済・申請中).
pub struct Simple {
    pub date: D1,
    pub birth: String,
    pub valid: String,
    pub plan_kind: Option<String>,
    pub cert: Option<String>,
    pub care: String,
    pub reason: String,
    pub numbers: bool,
    pub intentions_label: &'static str,
    pub office_label: &'static str,
    pub certified_label: &'static str,
}

impl Simple {
    pub fn new(date: D1) -> Simple {
        Simple {
            date,
            birth: String::new(),
            valid: String::new(),
            plan_kind: None,
            cert: None,
            care: String::new(),
            reason: String::new(),
            numbers: false,
            intentions_label: "利用者及び家族の生活に対する意向を踏まえた課題分析の結果",
            office_label: "居宅介護支援事業者・事業所名及び所在地",
            certified_label: "認定日",
        }
    }
}

fn date1(s: &mut Sh, range: &str, d: Ymd, how: &D1, f: Field) -> R {
    match how {
        D1::Text(t) => s.v(range, &t(d), f),
        D1::Cell(fmt) => s.d(range, d, fmt, f),
    }
}

pub fn simple_table1(s: &mut Sh, w: &Who, o: &Simple) -> R {
    s.ws.set_column_width(0, 14)?;
    s.widths(1..12, 11.0)?;
    s.l("A1:L1", "居宅サービス計画書（１）")?;
    s.l("A2", "作成年月日")?;
    date1(s, "B2:C2", w.created, &o.date, w.f_created())?;
    if let Some(k) = &o.plan_kind {
        s.v("D2:F2", k, w.f_plan_kind())?;
    }
    if let Some(c) = &o.cert {
        s.v("H2:J2", c, w.f_cert_status())?;
    }
    if o.numbers {
        s.l("A3", "保険者番号")?;
        s.v("B3:C3", "131999", w.f_insurer(Some("131999")))?;
        s.l("D3", "被保険者番号")?;
        s.v("E3:F3", "0000012345", w.f_insured(Some("0000012345")))?;
    } else {
        s.truth("B4:C4", w.f_insurer(None));
        s.truth("B4:C4", w.f_insured(None));
    }
    s.l("A4", "利用者名")?;
    s.v("B4:C4", &format!("{}　殿", zen(w.name)), w.f_name())?;
    s.l("D4", "生年月日")?;
    s.v("E4:F4", &o.birth, w.f_birth())?;
    s.l("G4", "住所")?;
    s.v("H4:L4", w.address, w.f_address())?;
    s.l("A5:C5", "居宅サービス計画作成者氏名")?;
    s.v("D5:L5", &zen(w.planner), w.f_planner())?;
    s.l("A6:C6", o.office_label)?;
    s.v("D6:L6", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A7:C7", "居宅サービス計画作成(変更)日")?;
    date1(s, "D7:E7", w.plan_date, &o.date, w.f_plan_date())?;
    s.l("F7:H7", "初回居宅サービス計画作成日")?;
    date1(s, "I7:L7", w.first_created, &o.date, w.f_first_created())?;
    s.l("A8", o.certified_label)?;
    date1(s, "B8:C8", w.certified.expect("認定日"), &o.date, w.f_certified())?;
    s.l("D8:E8", "認定の有効期間")?;
    s.v("F8:L8", &o.valid, w.f_valid_from())?;
    s.truth("F8:L8", w.f_valid_to());
    s.l("A9:C9", "要介護状態区分")?;
    s.v("D9:L9", &o.care, w.f_care_level())?;
    for (r, label) in
        [o.intentions_label, "介護認定審査会の意見及びサービスの種類の指定", "総合的な援助の方針"].iter().enumerate()
    {
        s.l(&format!("A{0}:C{0}", 10 + r), label)?;
        s.ws.set_row_height(9 + r as u32, 80)?;
    }
    s.v("D10:L10", w.intentions, w.f_intentions())?;
    s.v("D11:L11", w.opinion, w.f_opinion())?;
    s.v("D12:L12", w.policy, w.f_policy())?;
    s.l("A13:C13", "生活援助中心型の算定理由")?;
    s.v("D13:L13", &o.reason, w.f_reason())?;
    s.truth("D13:L13", w.f_reason_other());
    s.l("A14:C14", "説明・同意日")?;
    date1(s, "D14:F14", w.consent, &o.date, w.f_consent())
}

// ---------------------------------------------------------------------------

/// Half-width katakana of the provider names (「ﾃﾞｲｻｰﾋﾞｽ見本」), as vendor
/// prints write them.
pub fn hankaku(s: &str) -> String {
    let map = [
        ('デ', "ﾃﾞ"),
        ('イ', "ｲ"),
        ('サ', "ｻ"),
        ('ー', "ｰ"),
        ('ビ', "ﾋﾞ"),
        ('ス', "ｽ"),
        ('ヘ', "ﾍ"),
        ('ル', "ﾙ"),
        ('パ', "ﾊﾟ"),
    ];
    s.chars().map(|c| map.iter().find(|(k, _)| *k == c).map_or(c.to_string(), |(_, v)| v.to_string())).collect()
}

/// Text laid out to the form's width: U+3000 runs at every line end.
fn pad(s: &str) -> String {
    s.lines().map(|l| format!("{l}　　　　　　")).collect::<Vec<_>>().join("\n")
}

/// L09: a vendor's "print to Excel": a fine grid of merged cells (A:BZ),
/// values padded with U+3000, half-width kana, 「R 7/ 4/ 1」 dates, 【 】
/// marks with spaces, 第2表 values repeated on every row and two services in
/// one cell.
pub fn l09() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l09(&mut wb, &mut t, &w).expect("L09");
    Layout {
        id: "L09",
        title: "ソフトの印刷イメージ出力・細かい格子",
        file: "L09_計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l09(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let d = spaced_slash;
    let mut s = Sh::new(wb, "居宅サービス計画書（1）", t)?;
    s.widths(0..78, 1.5)?;
    s.l("A1:F1", "第１表")?;
    s.l("U1:BD1", "居宅サービス計画書（１）")?;
    s.l("BF1:BL1", "保険者番号")?;
    s.v("BM1:BZ1", "131999", w.f_insurer(Some("131999")))?;
    s.l("BF2:BL2", "被保険者番号")?;
    s.v("BM2:BZ2", "0000012345", w.f_insured(Some("0000012345")))?;
    s.l("BF3:BL3", "作成年月日")?;
    s.v("BM3:BZ3", &d(w.created), w.f_created())?;
    s.v("AM4:BB4", "初回・紹介・【 継続 】", w.f_plan_kind())?;
    s.v("BF4:BZ4", "【 認定済 】・申請中", w.f_cert_status())?;
    s.l("A5:H5", "利用者名")?;
    s.v("I5:Z5", &format!("{}　　　　殿", zen(w.name)), w.f_name())?;
    s.l("AB5:AI5", "生年月日")?;
    s.v("AJ5:AU5", &d(w.birth), w.f_birth())?;
    s.l("AW5:BA5", "住所")?;
    s.v("BB5:BZ5", &pad(w.address), w.f_address())?;
    s.l("A6:T6", "居宅サービス計画作成者氏名")?;
    s.v("U6:BZ6", &pad(&zen(w.planner)), w.f_planner())?;
    s.l("A7:T7", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("U7:BZ7", &pad(&format!("{}　{}", w.office, w.office_address)), w.f_office())?;
    s.l("A8:T8", "居宅サービス計画作成（変更）日")?;
    s.v("U8:AH8", &d(w.plan_date), w.f_plan_date())?;
    s.l("AJ8:AY8", "初回居宅サービス計画作成日")?;
    s.v("AZ8:BZ8", &d(w.first_created), w.f_first_created())?;
    s.l("A9:J9", "認定日")?;
    s.v("K9:X9", &d(w.certified.expect("認定日")), w.f_certified())?;
    s.l("Z9:AM9", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    s.v("AN9:BZ9", &format!("{}～{}", d(a), d(b)), w.f_valid_from())?;
    s.truth("AN9:BZ9", w.f_valid_to());
    s.l("A10:T10", "要介護状態区分")?;
    s.v("U10:BZ10", "要介護１・【 要介護２ 】・要介護３・要介護４・要介護５", w.f_care_level())?;
    s.l("A11:T14", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.v("U11:BZ14", &pad(w.intentions), w.f_intentions())?;
    s.l("A15:T16", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.v("U15:BZ16", &pad(w.opinion), w.f_opinion())?;
    s.l("A17:T21", "総合的な援助の方針")?;
    s.v("U17:BZ21", &pad(w.policy), w.f_policy())?;
    s.l("A22:T22", "生活援助中心型の算定理由")?;
    s.v("U22:BZ22", "【 1.一人暮らし 】・2.家族等が障害、疾病等・3.その他（　）", w.f_reason())?;
    s.truth("U22:BZ22", w.f_reason_other());
    s.l("A24:T24", "説明・同意日")?;
    s.v("U24:AH24", &d(w.consent), w.f_consent())?;

    let mut s = Sh::new(wb, "居宅サービス計画書（2）", t)?;
    s.widths(0..78, 1.5)?;
    s.l("A1:F1", "第２表")?;
    s.l("U1:BD1", "居宅サービス計画書（２）")?;
    s.l("BF1:BL1", "作成年月日")?;
    s.v("BM1:BZ1", &d(w.created), w.f_created_on("table2"))?;
    s.l("A2:H2", "利用者名")?;
    s.m("I2:Z2", &format!("{}　　　　殿", zen(w.name)))?;
    let spans = vec![
        (0, 9),
        (10, 18),
        (19, 26),
        (27, 35),
        (36, 43),
        (44, 53),
        (54, 55),
        (56, 61),
        (62, 67),
        (68, 71),
        (72, 77),
    ];
    let o = T2Opts {
        merged: false,
        multi_first: true,
        period: PStyle::SpacedSlash,
        spans: Some(spans),
        provider: hankaku,
        frequency: full,
        pad: true,
        footnotes: FOOTNOTES.to_vec(),
        ..T2Opts::default()
    };
    table2(&mut s, w, 3, &o)?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "週間サービス計画表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    s.m("E2:F2", "要介護度　要介護２")?;
    s.m("G2:H2", "作成者　介護　太郎")?;
    s.v("I2:J2", "令和　7年　4月分より", w.f_from_month())?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    let mut s = Sh::new(wb, "サービス担当者会議の要点", t)?;
    grids::table4(&mut s, w, Attendance::Words, spaced_slash)?;
    let mut s = Sh::new(wb, "居宅介護支援経過", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, true, &DateCell::Text(spaced_slash))
}

// ---------------------------------------------------------------------------

/// L10: ■/□ marks, Western text dates, the birth date with the age, 第3表
/// transposed (days down, hours across), 第5表 one set with 記入者.
pub fn l10() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l10(&mut wb, &mut t, &w).expect("L10");
    Layout {
        id: "L10",
        title: "第3表が縦横逆・■□・西暦",
        file: "L10_居宅サービス計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l10(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let (a, b) = w.valid.expect("有効期間");
    let o = Simple {
        birth: "昭和15年05月10日（84歳）".into(),
        valid: format!("{}～{}", western(a), western(b)),
        plan_kind: Some("□初回　□紹介　■継続".into()),
        cert: Some("■認定済　□申請中".into()),
        care: "□要介護１ ■要介護２ □要介護３ □要介護４ □要介護５".into(),
        reason: "■1.一人暮らし □2.家族等が障害、疾病等 □3.その他（　）".into(),
        numbers: true,
        ..Simple::new(D1::Text(western))
    };
    let mut s = Sh::new(wb, "居宅サービス計画書(1)", t)?;
    simple_table1(&mut s, w, &o)?;
    let mut s = Sh::new(wb, "居宅サービス計画書(2)", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &T2Opts { period: PStyle::Western, footnotes: FOOTNOTES.to_vec(), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "週間サービス計画表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3_transposed(&mut s, w, 3)?;
    let mut s = Sh::new(wb, "担当者会議", t)?;
    grids::table4(&mut s, w, Attendance::Words, western)?;
    let mut s = Sh::new(wb, "支援経過", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_one_set(&mut s, w, 3, &["年月日", "項目", "内容", "記入者"], &DateCell::Text(western))
}

// ---------------------------------------------------------------------------

/// L11: a template filled by a program through COM: ﾚ in a narrow cell left
/// of each printed choice, 「利用者名 ;　 山田　花子」 cells, zero-padded 和暦
/// text, 認定日 split into numbers with unit formats, 第2表 in a fixed block
/// of 18 bordered rows with month periods on two lines.
pub fn l11() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l11(&mut wb, &mut t, &w).expect("L11");
    Layout {
        id: "L11",
        title: "プログラムで記入した様式・ﾚ印",
        file: "L11_計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l11(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let d = kanji_padded;
    let mut s = Sh::new(wb, "計画書1", t)?;
    s.widths(0..24, 7.0)?;
    s.l("A1:X1", "居宅サービス計画書（１）")?;
    s.l("A2", "作成年月日")?;
    s.v("B2:D2", &d(w.created), w.f_created())?;
    // Mark cells left of each printed choice; the chosen one holds ﾚ.
    for (mark, label, text) in [
        ("N2", "O2", "初回"),
        ("P2", "Q2", "紹介"),
        ("R2", "S2", "継続"),
        ("U2", "V2", "認定済"),
        ("W2", "X2", "申請中"),
    ] {
        s.l(label, text)?;
        if text == w.plan_kind || text == w.cert_status {
            s.m(mark, "ﾚ")?;
        }
    }
    s.truth("N2:S2", w.f_plan_kind());
    s.truth("U2:X2", w.f_cert_status());
    s.v("B3:H3", &format!("利用者名 ;　 {}", zen(w.name)), w.f_name())?;
    s.v("I3:O3", "生年月日 ;　 昭和15年05月10日", w.f_birth())?;
    s.v("P3:X3", &format!("住所 ;　 {}", w.address), w.f_address())?;
    s.l("A4:C4", "居宅サービス計画作成者氏名")?;
    s.v("D4:X4", &zen(w.planner), w.f_planner())?;
    s.l("A5:C5", "居宅介護支援事業者・事業所名及び所在地")?;
    s.v("D5:X5", &format!("{}　{}", w.office, w.office_address), w.f_office())?;
    s.l("A6:C6", "居宅サービス計画作成（変更）日")?;
    s.v("D6:G6", &d(w.plan_date), w.f_plan_date())?;
    s.l("H6:K6", "初回居宅サービス計画作成日")?;
    s.v("L6:O6", &d(w.first_created), w.f_first_created())?;
    // 認定日: 「令和」, then 7 3 15 with the formats 0"年" 0"月" 0"日".
    s.l("A7", "認定日")?;
    s.m("B7", "令和")?;
    let c = w.certified.expect("認定日");
    for (cell, n, unit) in [("C7", c.0 - 2018, "年"), ("D7", c.1 as u16, "月"), ("E7", c.2 as u16, "日")] {
        let f = s.cell.clone().set_num_format(format!("0\"{unit}\""));
        s.n(cell, n as f64, &f)?;
    }
    s.truth("B7:E7", w.f_certified());
    s.l("G7:I7", "認定の有効期間")?;
    let (a, b) = w.valid.expect("有効期間");
    s.v("J7:M7", &d(a), w.f_valid_from())?;
    s.l("N7", "～")?;
    s.v("O7:R7", &d(b), w.f_valid_to())?;
    s.l("A9:C9", "要介護状態区分")?;
    for (k, col) in ["E9", "G9", "I9", "K9", "M9"].iter().enumerate() {
        s.l(col, &format!("要介護{}", full(&(k + 1).to_string())))?;
    }
    s.m("F9", "ﾚ")?;
    s.truth("D9:M9", w.f_care_level());
    s.l("A10:C12", "利用者及び家族の生活に対する意向を踏まえた課題分析の結果")?;
    s.v("D10:X12", w.intentions, w.f_intentions())?;
    s.l("A13:C14", "介護認定審査会の意見及びサービスの種類の指定")?;
    s.v("D13:X14", w.opinion, w.f_opinion())?;
    s.l("A15:C19", "総合的な援助の方針")?;
    s.v("D15:X19", w.policy, w.f_policy())?;
    s.l("A20:C20", "生活援助中心型の算定理由")?;
    s.m("D20", "ﾚ")?;
    s.l("E20", "1.一人暮らし")?;
    s.l("G20", "2.家族等が障害、疾病等")?;
    s.l("I20", "3.その他（　）")?;
    s.truth("D20:I20", w.f_reason());
    s.truth("D20:I20", w.f_reason_other());
    s.l("A22:C22", "説明・同意日")?;
    s.v("D22:G22", &d(w.consent), w.f_consent())?;
    s.truth("B3:H3", w.f_insurer(None));
    s.truth("B3:H3", w.f_insured(None));

    let mut s = Sh::new(wb, "計画書2", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    let o = T2Opts { period: PStyle::MonthBreak, frequency: full, block: Some(18), ..T2Opts::default() };
    table2(&mut s, w, 3, &o)?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "週間計画", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::r3())?;
    let mut s = Sh::new(wb, "会議録", t)?;
    grids::table4(&mut s, w, Attendance::Words, kanji_padded)?;
    let mut s = Sh::new(wb, "経過", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_one_set(&mut s, w, 3, &["日付", "時間", "項目", "内容", "記入者"], &DateCell::Text(western))
}

// ---------------------------------------------------------------------------

/// L12: the H30-era template still used in 2025: the old 意向 label, 第3表
/// from 4:00, 第4表 without the attendance block, 第5表 without 項目; ◯
/// marks; 認定済 marked only by a yellow fill; R7.4.1 date cells.
pub fn l12() -> Layout {
    let mut t = Truth::default();
    let w = p1();
    t.person(&w);
    let mut wb = Workbook::new();
    build_l12(&mut wb, &mut t, &w).expect("L12");
    Layout {
        id: "L12",
        title: "平成30年頃の様式・◯印・塗りつぶし",
        file: "L12_居宅サービス計画書.xlsx".into(),
        bytes: finish(wb),
        truth: t,
    }
}

fn build_l12(wb: &mut Workbook, t: &mut Truth, w: &Who) -> R {
    let (a, b) = w.valid.expect("有効期間");
    let o = Simple {
        birth: kanji(w.birth),
        valid: format!("{}～{}", dots(a), dots(b)),
        plan_kind: Some("初回・紹介・◯継続".into()),
        cert: None,
        care: "要介護１・◯要介護２・要介護３・要介護４・要介護５".into(),
        reason: "◯1.一人暮らし　2.家族等が障害、疾病等　3.その他（　）".into(),
        intentions_label: "利用者及び家族の生活に対する意向",
        ..Simple::new(D1::Cell(datefmt("[$-411]ge.m.d")))
    };
    let mut s = Sh::new(wb, "居宅サービス計画書1", t)?;
    simple_table1(&mut s, w, &o)?;
    // 認定済・申請中 as two cells; only a fill marks the choice.
    let yellow = s.cell.clone().set_background_color("#FFFF00");
    s.put(1, 7, 1, 7, "認定済", &yellow)?;
    s.l("I2", "申請中")?;
    s.gap("H2:I2", w.f_cert_status(), "塗りつぶしだけで選択");
    let mut s = Sh::new(wb, "居宅サービス計画書2", t)?;
    head(&mut s, w, "第２表", "居宅サービス計画書（２）", 10, Some("table2"))?;
    table2(&mut s, w, 3, &T2Opts { period: PStyle::Words, marks: ("※1", "※2"), ..T2Opts::default() })?;
    t2_lens(&mut s, w);
    let mut s = Sh::new(wb, "週間サービス計画表", t)?;
    head(&mut s, w, "第３表", "週間サービス計画表", 9, Some("table3"))?;
    grids::table3(&mut s, w, 3, &Grid::from4())?;
    let mut s = Sh::new(wb, "サービス担当者会議の要点", t)?;
    grids::table4(&mut s, w, Attendance::None, dots)?;
    let mut s = Sh::new(wb, "居宅介護支援経過", t)?;
    head(&mut s, w, "第５表", "居宅介護支援経過", 7, None)?;
    grids::table5_two_sets(&mut s, w, 3, false, &DateCell::Text(dots))
}
