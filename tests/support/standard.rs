//! ケアプランデータ連携標準仕様 CSV records (headerless, CP932, CRLF; free
//! text quoted, codes and numbers bare), column by column as formats.md §1.4.

use super::q;

/// One person's plan as the standard carries it.
#[derive(Debug, Clone)]
pub struct StdPlan {
    pub version: &'static str,
    pub insurer: String,
    pub insured: String,
    /// YYYYMMDD.
    pub plan_date: String,
    pub created: String,
    pub first_created: String,
    pub kana: String,
    pub name: String,
    pub sex: &'static str,
    pub birth: String,
    pub care_level_code: &'static str,
    pub limit_units: u32,
    pub office_code: String,
    pub office_name: String,
    pub planner: String,
    pub plan_kind: &'static str,
    pub intentions: String,
    pub opinion: String,
    pub policy: String,
    pub reason: &'static str,
    pub valid_from: String,
    pub valid_to: String,
    pub certified: String,
    /// (課題NO, 課題, 援助目標NO, 長期目標, 長期期間, 短期目標, 短期期間, 援助内容NO, サービス内容, 保険, 種別, 事業者コード, 事業所, 頻度, 期間)
    pub rows2: Vec<Row2>,
    /// Weekly slots: (内容, 曜日 1–7, HHMM, HHMM).
    pub weekly: Vec<(String, u8, String, String)>,
    /// Daily activities: (text, HHMM, HHMM).
    pub activities: Vec<(String, String, String)>,
    pub non_weekly: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Row2 {
    pub need_no: u32,
    pub need: String,
    pub goal_no: u32,
    pub long_goal: String,
    pub long_period: String,
    pub short_goal: String,
    pub short_period: String,
    pub service_no: u32,
    pub content: String,
    pub insured: &'static str,
    pub kind: String,
    pub provider_code: String,
    pub provider: String,
    pub frequency: String,
    pub period: String,
}

pub fn uphosoku(p: &StdPlan, plan_date: &str, month: &str) -> String {
    let mut f: Vec<String> = vec![
        p.version.into(),
        p.insurer.clone(),
        p.insured.clone(),
        plan_date.into(),
        q(&p.kana),
        q(&p.name),
        p.sex.into(),
        p.birth.clone(),
        q("100-0001"),
        q("東京都架空市中央一丁目"),
        q("２番３号"),
        "03-0000-0000".into(),
        p.certified.clone(),
        p.valid_from.clone(),
        p.valid_to.clone(),
        "2".into(),
        "".into(),
        p.care_level_code.into(),
        p.limit_units.to_string(),
    ];
    // 種類別限度額管理 slots 1..9 (unused here, left blank as the spec allows).
    f.extend(std::iter::repeat_n(String::new(), 36));
    f.extend(["".into(), "".into(), "".into(), "".into(), p.office_code.clone(), "".into(), "".into(), month.into()]);
    assert_eq!(f.len(), 63);
    f.join(",")
}

pub fn up1kyo(p: &StdPlan) -> String {
    let f: Vec<String> = vec![
        p.version.into(),
        p.insurer.clone(),
        p.insured.clone(),
        p.created.clone(),
        q("100-0001"),
        q("東京都架空市中央一丁目"),
        q("２番３号"),
        q(&p.planner),
        q(&p.office_name),
        q("100-0002"),
        q("東京都架空市本町二丁目"),
        q("５番地"),
        p.office_code.clone(),
        p.plan_date.clone(),
        p.first_created.clone(),
        p.plan_kind.into(),
        "2".into(),
        p.certified.clone(),
        p.valid_from.clone(),
        p.valid_to.clone(),
        p.care_level_code.into(),
        q(&p.intentions),
        q(&p.opinion),
        q(&p.policy),
        p.reason.into(),
        q(""),
        "".into(),
        "".into(),
    ];
    assert_eq!(f.len(), 28);
    f.join(",")
}

pub fn up2kyo(p: &StdPlan) -> Vec<String> {
    p.rows2
        .iter()
        .map(|r| {
            let f: Vec<String> = vec![
                p.version.into(),
                p.insurer.clone(),
                p.insured.clone(),
                p.created.clone(),
                p.plan_date.clone(),
                r.need_no.to_string(),
                q(&r.need),
                r.goal_no.to_string(),
                q(&r.long_goal),
                q(&r.short_goal),
                q(&r.long_period),
                q(&r.short_period),
                r.service_no.to_string(),
                q(&r.content),
                r.insured.into(),
                q(&r.kind),
                r.provider_code.clone(),
                q(&r.provider),
                q(&r.frequency),
                q(&r.period),
                "".into(),
                "".into(),
            ];
            assert_eq!(f.len(), 22);
            f.join(",")
        })
        .collect()
}

pub fn up3kyo(p: &StdPlan) -> Vec<String> {
    let head = |f: &mut Vec<String>| {
        f.extend([p.version.into(), p.insurer.clone(), p.insured.clone(), p.created.clone(), p.plan_date.clone()]);
    };
    let mut out = Vec::new();
    for (content, day, s, e) in &p.weekly {
        let mut f = Vec::new();
        head(&mut f);
        f.extend([q(content), day.to_string(), s.clone(), e.clone(), q(""), "".into(), "".into(), q("")]);
        out.push(f.join(","));
    }
    for (text, s, e) in &p.activities {
        let mut f = Vec::new();
        head(&mut f);
        f.extend([q(""), "".into(), "".into(), "".into(), q(text), s.clone(), e.clone(), q("")]);
        out.push(f.join(","));
    }
    for text in &p.non_weekly {
        let mut f = Vec::new();
        head(&mut f);
        f.extend([q(""), "".into(), "".into(), "".into(), q(""), "".into(), "".into(), q(text)]);
        out.push(f.join(","));
    }
    out
}

/// One 第6表 service: code, provider, units, start, end and the days of the month.
#[derive(Debug, Clone)]
pub struct Use {
    pub service_code: String,
    pub provider_code: String,
    pub provider: String,
    pub units: u32,
    pub start: String,
    pub end: String,
    pub days: Vec<u32>,
}

/// UPPLAN records (one per service and date). `v4` adds TAIS/届出コード/用具名称.
pub fn upplan(p: &StdPlan, month: &str, uses: &[Use], v4: bool) -> Vec<String> {
    let mut out = Vec::new();
    for u in uses {
        for d in &u.days {
            let mut f: Vec<String> = vec![
                p.version.into(),
                p.insurer.clone(),
                p.insured.clone(),
                p.created.clone(),
                month.into(),
                p.office_code.clone(),
                q(&p.planner),
                u.units.to_string(),
                "0".into(),
                format!("{month}{d:02}"),
                "".into(),
                u.start.clone(),
                u.end.clone(),
                "1".into(),
                u.service_code.clone(),
            ];
            if v4 {
                f.extend(["".into(), "".into(), q("")]);
            }
            f.extend(["".into(), u.provider_code.clone(), q(&u.provider), "".into(), "0".into(), "".into(), "".into()]);
            assert_eq!(f.len(), if v4 { 25 } else { 22 });
            out.push(f.join(","));
        }
    }
    out
}

/// UPSIKYU records: a detail row per service, then the 全合計 row.
pub fn upsikyu(p: &StdPlan, month: &str, uses: &[Use], v4: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 0u32;
    let row = |provider: &str, code: &str, scode: &str, units: u32, count: usize, amount: u32| -> String {
        let mut f: Vec<String> = vec![
            p.version.into(),
            p.insurer.clone(),
            p.insured.clone(),
            p.created.clone(),
            month.into(),
            q(provider),
            code.into(),
            "".into(),
            scode.into(),
        ];
        if v4 {
            f.extend(["".into(), "".into(), q("")]);
        }
        let within = amount.min(p.limit_units);
        f.extend([
            units.to_string(),
            "".into(),
            "".into(),
            count.to_string(),
            amount.to_string(),
            amount.to_string(),
            "0".into(),
            amount.to_string(),
            (amount - within).to_string(),
            within.to_string(),
            "11.40".into(),
            (within as u64 * 1140 / 100).to_string(),
            "90".into(),
            (within as u64 * 1140 / 100 * 9 / 10).to_string(),
            "".into(),
            // 利用者負担 = 費用総額 − 保険給付額 (第7表の計算, T7-08).
            (within as u64 * 1140 / 100 - within as u64 * 1140 / 100 * 9 / 10).to_string(),
            "0".into(),
            "".into(),
            "".into(),
            "".into(),
            "0".into(),
            "".into(),
            p.office_code.clone(),
            "".into(),
            "".into(),
        ]);
        assert_eq!(f.len(), if v4 { 37 } else { 34 });
        f.join(",")
    };
    for u in uses {
        let amount = u.units * u.days.len() as u32;
        total += amount;
        out.push(row(&u.provider, &u.provider_code, &u.service_code, u.units, u.days.len(), amount));
    }
    out.push(row("", "9999999999", "999999", 0, 0, total));
    out
}

/// `PREFIX[_YYYYMM]_from_43_to_11_timestamp.CSV` (v4.1) or the v3 form without service types.
pub fn file_name(prefix: &str, month: Option<&str>, from: &str, to: &str, v4: bool) -> String {
    let m = month.map(|m| format!("_{m}")).unwrap_or_default();
    if v4 {
        format!("{prefix}{m}_{from}_43_{to}_11_20251020120000.CSV")
    } else {
        format!("{prefix}{m}_{from}_{to}_20230110090000.CSV")
    }
}
