//! Excel workbooks laid out like the paper forms 第1表〜第5表, written with
//! rust_xlsxwriter: merged labels, two-row 第2表 header with needs merged
//! down, a 24-hour 第3表 grid (optionally transposed), a 第4表 with its
//! attendee block and a 第5表 with two column sets side by side.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

pub struct Need {
    pub need: String,
    pub long_goal: String,
    pub long_period: String,
    /// (短期目標, 期間, services)
    pub shorts: Vec<(String, String, Vec<Svc>)>,
}

pub struct Svc {
    pub content: String,
    pub insured: &'static str,
    pub kind: String,
    pub provider: String,
    pub frequency: String,
    pub period: String,
}

pub struct FormPlan {
    pub insurer: String,
    pub insured: String,
    pub office_code: Option<String>,
    pub name: String,
    pub birth: String,
    pub address: String,
    pub planner: String,
    pub office: String,
    /// (year, month, day) of 居宅サービス計画作成(変更)日, written as a date cell.
    pub plan_date: (u16, u8, u8),
    pub created: (u16, u8, u8),
    pub first_created: String,
    pub plan_kind: String,
    pub cert: String,
    pub certified: String,
    pub valid: String,
    pub care_level: String,
    pub intentions: String,
    pub opinion: String,
    pub policy: String,
    pub reason: String,
    pub consent: String,
    pub needs: Vec<Need>,
    /// (day index 0=月, start hour, end hour, text)
    pub weekly: Vec<(usize, u32, u32, String)>,
    /// (start hour, text)
    pub activities: Vec<(u32, String)>,
    pub non_weekly: String,
    pub meeting: Meeting,
    /// 第5表 entries: (date text, 項目, 内容)
    pub progress: Vec<(String, String, String)>,
}

pub struct Meeting {
    /// 開催日; year 0 leaves the cell blank (a 第4表 form not filled in).
    pub held: (u16, u8, u8),
    pub place: String,
    pub time: String,
    pub count: String,
    pub attendees: Vec<(String, String)>,
    pub person: String,
    pub family: String,
    pub items: String,
    pub discussion: String,
    pub conclusion: String,
    pub remaining: String,
}

fn date(ymd: (u16, u8, u8)) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(ymd.0, ymd.1, ymd.2)
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    cell: Format,
    label: Format,
}

impl Sheet<'_> {
    fn text(&mut self, r: u32, c: u16, s: &str) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(r, c, s, &self.cell)?;
        Ok(())
    }
    fn label(&mut self, r: u32, c: u16, s: &str) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(r, c, s, &self.label)?;
        Ok(())
    }
    fn merged(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, s: &str, label: bool) -> Result<(), XlsxError> {
        if r1 == r2 && c1 == c2 {
            return if label { self.label(r1, c1, s) } else { self.text(r1, c1, s) };
        }
        let f = if label { &self.label } else { &self.cell };
        self.ws.merge_range(r1, c1, r2, c2, s, f)?;
        Ok(())
    }
}

/// Writes the workbook. `transposed` puts the 第3表 days on rows and times on columns.
pub fn workbook(p: &FormPlan, transposed: bool) -> Result<Vec<u8>, XlsxError> {
    book(&[Part { plan: p, suffix: "", transposed, only_table2: false }])
}

/// One person's sheets in a workbook: `suffix` follows each sheet name
/// (Excel's copies are `第1表 (2)`…); `only_table2` writes just a 第2表 (the
/// next page of the one before).
pub struct Part<'a> {
    pub plan: &'a FormPlan,
    pub suffix: &'a str,
    pub transposed: bool,
    pub only_table2: bool,
}

/// A workbook of several parts, in order.
pub fn book(parts: &[Part]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for part in parts {
        sheets(&mut wb, part)?;
    }
    // A fixed creation time, so regenerating the sample gives the same bytes.
    let props = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?);
    wb.set_properties(&props);
    wb.save_to_buffer()
}

fn sheets(wb: &mut Workbook, part: &Part) -> Result<(), XlsxError> {
    let (p, transposed, suffix) = (part.plan, part.transposed, part.suffix);
    let name = |base: &str| format!("{base}{suffix}");
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let label = cell.clone().set_background_color("#EEEEEE");
    // 和暦 date formats as Japanese Excel writes them.
    let wareki =
        Format::new().set_num_format("[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\";@").set_border(FormatBorder::Thin);
    let wareki411 = Format::new().set_num_format("[$-411]ggge\"年\"m\"月\"d\"日\"").set_border(FormatBorder::Thin);

    // 第1表
    if !part.only_table2 {
        let ws = wb.add_worksheet().set_name(name("第1表"))?;
        ws.set_column_width(0, 14)?;
        for c in 1..12 {
            ws.set_column_width(c, 11)?;
        }
        let mut s = Sheet { ws, cell: cell.clone(), label: label.clone() };
        s.merged(0, 0, 0, 11, "居宅サービス計画書（１）", false)?;
        s.label(1, 0, "作成年月日")?;
        s.ws.write_datetime_with_format(1, 1, date(p.created)?, &wareki411)?;
        s.label(1, 3, "初回・紹介・継続")?;
        s.merged(1, 4, 1, 5, &p.plan_kind, false)?;
        s.label(1, 7, "認定済・申請中")?;
        s.merged(1, 8, 1, 9, &p.cert, false)?;
        // The paper form has no numbers; offices' own copies often add them.
        if !p.insurer.is_empty() {
            s.label(2, 0, "保険者番号")?;
            s.text(2, 1, &p.insurer)?;
            s.label(2, 3, "被保険者番号")?;
            s.merged(2, 4, 2, 5, &p.insured, false)?;
        }
        if let Some(code) = &p.office_code {
            s.label(2, 7, "事業所番号")?;
            s.merged(2, 8, 2, 9, code, false)?;
        }
        s.label(3, 0, "利用者名")?;
        s.merged(3, 1, 3, 2, &format!("{}　殿", p.name), false)?;
        s.label(3, 3, "生年月日")?;
        s.merged(3, 4, 3, 5, &p.birth, false)?;
        s.label(3, 6, "住所")?;
        s.merged(3, 7, 3, 11, &p.address, false)?;
        s.merged(4, 0, 4, 2, "居宅サービス計画作成者氏名", true)?;
        s.merged(4, 3, 4, 11, &p.planner, false)?;
        s.merged(5, 0, 5, 2, "居宅介護支援事業者・事業所名及び所在地", true)?;
        s.merged(5, 3, 5, 11, &p.office, false)?;
        s.merged(6, 0, 6, 2, "居宅サービス計画作成(変更)日", true)?;
        s.ws.merge_range(6, 3, 6, 4, "", &wareki)?;
        s.ws.write_datetime_with_format(6, 3, date(p.plan_date)?, &wareki)?;
        s.merged(6, 5, 6, 7, "初回居宅サービス計画作成日", true)?;
        s.merged(6, 8, 6, 11, &p.first_created, false)?;
        s.label(7, 0, "認定日")?;
        s.merged(7, 1, 7, 2, &p.certified, false)?;
        s.merged(7, 3, 7, 4, "認定の有効期間", true)?;
        s.merged(7, 5, 7, 11, &p.valid, false)?;
        s.merged(8, 0, 8, 2, "要介護状態区分", true)?;
        s.merged(8, 3, 8, 11, &p.care_level, false)?;
        let long = [
            ("利用者及び家族の生活に対する意向を踏まえた課題分析の結果", &p.intentions),
            ("介護認定審査会の意見及びサービスの種類の指定", &p.opinion),
            ("総合的な援助の方針", &p.policy),
        ];
        for (i, (l, v)) in long.iter().enumerate() {
            let r = 9 + i as u32;
            s.merged(r, 0, r, 2, l, true)?;
            s.merged(r, 3, r, 11, v, false)?;
            s.ws.set_row_height(r, 80)?;
        }
        s.merged(12, 0, 12, 2, "生活援助中心型の算定理由", true)?;
        s.merged(12, 3, 12, 11, &p.reason, false)?;
        s.merged(13, 0, 13, 2, "説明・同意日", true)?;
        s.merged(13, 3, 13, 5, &p.consent, false)?;
    }

    // 第2表: two-row header, needs and goals merged down.
    {
        let ws = wb.add_worksheet().set_name(name("第2表"))?;
        let mut s = Sheet { ws, cell: cell.clone(), label: label.clone() };
        s.merged(0, 0, 0, 10, "居宅サービス計画書（２）", false)?;
        s.label(1, 0, "利用者名")?;
        s.merged(1, 1, 1, 2, &format!("{}　殿", p.name), false)?;
        s.label(1, 7, "作成年月日")?;
        s.ws.write_datetime_with_format(1, 8, date(p.created)?, &wareki411)?;
        s.merged(3, 0, 4, 0, "生活全般の解決すべき課題（ニーズ）", true)?;
        s.merged(3, 1, 3, 4, "目標", true)?;
        s.merged(3, 5, 3, 10, "援助内容", true)?;
        for (c, h) in
            ["長期目標", "（期間）", "短期目標", "（期間）", "サービス内容", "※1", "サービス種別", "※2", "頻度", "期間"]
                .iter()
                .enumerate()
        {
            s.label(4, 1 + c as u16, h)?;
        }
        let mut r = 5u32;
        for n in &p.needs {
            let need_rows: u32 = n.shorts.iter().map(|(_, _, v)| v.len().max(1) as u32).sum();
            let end = r + need_rows - 1;
            s.merged(r, 0, end, 0, &n.need, false)?;
            s.merged(r, 1, end, 1, &n.long_goal, false)?;
            s.merged(r, 2, end, 2, &n.long_period, false)?;
            let mut sr = r;
            for (short, period, svcs) in &n.shorts {
                let send = sr + svcs.len().max(1) as u32 - 1;
                s.merged(sr, 3, send, 3, short, false)?;
                s.merged(sr, 4, send, 4, period, false)?;
                for (i, v) in svcs.iter().enumerate() {
                    let rr = sr + i as u32;
                    for (c, t) in [&v.content, &v.insured.to_string(), &v.kind, &v.provider, &v.frequency, &v.period]
                        .iter()
                        .enumerate()
                    {
                        s.text(rr, 5 + c as u16, t)?;
                    }
                }
                sr = send + 1;
            }
            r = end + 1;
        }
    }

    // 第3表: 24 one-hour rows (or columns), time labels every 2 hours.
    if !part.only_table2 {
        let ws = wb.add_worksheet().set_name(name("第3表"))?;
        let mut s = Sheet { ws, cell: cell.clone(), label: label.clone() };
        s.merged(0, 0, 0, 9, "週間サービス計画表", false)?;
        s.label(1, 0, "利用者名")?;
        s.merged(1, 1, 1, 2, &format!("{}　殿", p.name), false)?;
        s.label(1, 6, "作成年月日")?;
        s.ws.write_datetime_with_format(1, 7, date(p.created)?, &wareki411)?;
        // (major, minor) → (row, col); major runs along time.
        let header = 3u32;
        // Transposed: days down column A from row 6, times across from column B.
        let at = |major: u32, minor: u32| -> (u32, u16) {
            if transposed {
                (minor + header, (major - header) as u16)
            } else {
                (major, minor as u16)
            }
        };
        let first = header + 1;
        let days = ["月", "火", "水", "木", "金", "土", "日"];
        for (i, d) in days.iter().enumerate() {
            let (r, c) = at(header, 2 + i as u32);
            s.label(r, c, d)?;
        }
        let (r, c) = at(header, 9);
        s.label(r, c, "主な日常生活上の活動")?;
        for h in (0..24).step_by(2) {
            let (r, c) = at(first + h, 1);
            s.text(r, c, &format!("{h}:00"))?;
        }
        for (from, to, band) in
            [(0, 5, "深夜"), (6, 7, "早朝"), (8, 11, "午前"), (12, 17, "午後"), (18, 21, "夜間"), (22, 23, "深夜")]
        {
            let (r1, c1) = at(first + from, 0);
            let (r2, c2) = at(first + to, 0);
            s.merged(r1, c1, r2, c2, band, true)?;
        }
        for (day, start, end, text) in &p.weekly {
            let (r1, c1) = at(first + start, 2 + *day as u32);
            let (r2, c2) = at(first + end - 1, 2 + *day as u32);
            s.merged(r1, c1, r2, c2, text, false)?;
        }
        for (start, text) in &p.activities {
            let (r, c) = at(first + start, 9);
            s.text(r, c, text)?;
        }
        let (r1, c1) = at(first + 24 + 1, 0);
        let (r2, c2) = at(first + 24 + 1, 1);
        s.merged(r1, c1, r2, c2, "週単位以外のサービス", true)?;
        let (r1, c1) = at(first + 24 + 1, 2);
        let (r2, c2) = at(first + 24 + 1, 9);
        s.merged(r1, c1, r2, c2, &p.non_weekly, false)?;
    }

    // 第4表
    if !part.only_table2 {
        let ws = wb.add_worksheet().set_name(name("第4表"))?;
        let mut s = Sheet { ws, cell: cell.clone(), label: label.clone() };
        let m = &p.meeting;
        s.merged(0, 0, 0, 10, "サービス担当者会議の要点", false)?;
        s.label(1, 0, "利用者名")?;
        s.merged(1, 1, 1, 2, &format!("{}　殿", p.name), false)?;
        s.label(1, 7, "作成年月日")?;
        s.ws.write_datetime_with_format(1, 8, date(p.created)?, &wareki411)?;
        s.merged(2, 0, 2, 3, "居宅サービス計画作成者（担当者）氏名", true)?;
        s.merged(2, 4, 2, 6, &p.planner, false)?;
        s.label(3, 0, "開催日")?;
        if m.held.0 != 0 {
            s.ws.write_datetime_with_format(3, 1, date(m.held)?, &wareki)?;
        }
        s.label(3, 2, "開催場所")?;
        s.merged(3, 3, 3, 4, &m.place, false)?;
        s.label(3, 5, "開催時間")?;
        s.merged(3, 6, 3, 7, &m.time, false)?;
        s.label(3, 8, "開催回数")?;
        s.text(3, 9, &m.count)?;
        let rows = m.attendees.len().div_ceil(3).max(1) as u32;
        s.merged(4, 0, 4 + rows, 0, "会議出席者", true)?;
        for k in 0..3u16 {
            s.label(4, 1 + 2 * k, "所属（職種）")?;
            s.label(4, 2 + 2 * k, "氏名")?;
        }
        for (i, (aff, name)) in m.attendees.iter().enumerate() {
            let r = 5 + (i / 3) as u32;
            let c = 1 + 2 * (i % 3) as u16;
            s.text(r, c, aff)?;
            s.text(r, c + 1, name)?;
        }
        let r = 5 + rows;
        s.merged(r, 0, r, 1, "利用者・家族の出席", true)?;
        s.label(r, 2, "本人")?;
        s.merged(r, 3, r, 4, &m.person, false)?;
        s.label(r, 5, "家族")?;
        s.merged(r, 6, r, 9, &m.family, false)?;
        for (i, (l, v)) in [
            ("検討した項目", &m.items),
            ("検討内容", &m.discussion),
            ("結論", &m.conclusion),
            ("残された課題（次回の開催時期）", &m.remaining),
        ]
        .iter()
        .enumerate()
        {
            let rr = r + 1 + i as u32;
            s.label(rr, 0, l)?;
            s.merged(rr, 1, rr, 10, v, false)?;
            s.ws.set_row_height(rr, 60)?;
        }
    }

    // 第5表: two 年月日/項目/内容 sets side by side.
    if !part.only_table2 {
        let ws = wb.add_worksheet().set_name(name("第5表"))?;
        let mut s = Sheet { ws, cell: cell.clone(), label: label.clone() };
        s.merged(0, 0, 0, 9, "居宅介護支援経過", false)?;
        s.label(1, 0, "利用者名")?;
        s.merged(1, 1, 1, 2, &format!("{}　殿", p.name), false)?;
        for set in 0..2u16 {
            let c = set * 5;
            s.label(3, c, "年月日")?;
            s.label(3, c + 1, "項目")?;
            s.merged(3, c + 2, 3, c + 4, "内容", true)?;
        }
        let half = p.progress.len().div_ceil(2);
        for (i, (d, item, content)) in p.progress.iter().enumerate() {
            let (set, row) = if i < half { (0u16, i) } else { (1u16, i - half) };
            let r = 4 + row as u32;
            let c = set * 5;
            s.text(r, c, d)?;
            s.text(r, c + 1, item)?;
            s.merged(r, c + 2, r, c + 4, content, false)?;
        }
    }
    Ok(())
}
