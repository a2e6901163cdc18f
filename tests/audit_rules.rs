//! Each rule on a plan that triggers it and on one that does not, with a
//! snapshot of exactly what the care manager reads. Plans are read from
//! files (the bundled sample, or files the test writes); the older cases
//! change one value of a plan read from the sample, as a blank or another
//! value in that cell would. The rules added for issue 21 (processes,
//! 医療系, 福祉用具, dates, 予防) write their own input files.

use lsw::audit::{self, Config, Constants, Finding, Severity};
use lsw::model::CarePlan;
use std::sync::Arc;

mod support;

/// The day the tests audit against (the sample's export date).
const AUDIT_DATE: &str = "2025-10-20";

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().expect("date")
}

fn config(text: &str) -> Config {
    Config::load(text).expect("config").on(Some(d(AUDIT_DATE)))
}

/// Reads a folder through the real pipeline.
fn read(dir: &std::path::Path) -> Vec<CarePlan> {
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    let pool = lsw::batch::thread_pool(Some(1)).expect("pool");
    let m =
        lsw::batch::ingest_and_map(&[dir.to_path_buf()], &mappings, lsw::ingest::encoding::EncodingChoice::Auto, &pool);
    // Warnings (read, with a caveat: an empty 要介護状態区分 box) are the
    // reading tests' business; anything else would mean the input is wrong.
    let problems: Vec<_> = m.problems.iter().filter(|p| p.kind != lsw::diag::ProblemKind::Warning).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    m.assembled.plans
}

/// The sample's plans, read once.
fn sample() -> Vec<CarePlan> {
    read(std::path::Path::new("fixtures/sample"))
}

fn audit_with(plan: &CarePlan, config: &Config) -> audit::Audit {
    let forms = lsw::lsw::convert(plan, &lsw::lsw::rules::builtin());
    audit::audit(plan, &forms, "office", &Constants::builtin(), config)
}

/// The standard-CSV plan of 2025-10 (every table but 第4/5表) and the Excel one (第1〜5表).
fn clean(which: &str) -> CarePlan {
    sample()
        .into_iter()
        .find(|p| p.key.insured_no.as_deref() == Some(which) && (which != "0000100001" || p.table6.is_some()))
        .expect("sample plan")
}

fn findings(plan: &CarePlan, code: &str) -> Vec<Finding> {
    audit_with(plan, &config("")).findings.into_iter().filter(|f| f.code == code).collect()
}

/// Every finding on the bundled sample, with why a care manager would
/// agree with it. A new finding here is either a wrong one (fix the rule)
/// or a real gap of the sample (add it with its reason).
#[test]
fn the_sample_findings_are_each_justified() {
    let expected: &[(&str, &str, &str, &str)] = &[
        // 方針「①転倒を防ぎ…支援します。②緊急時は長女へ連絡」: no service, act or frequency of the team.
        ("0000100001", "2025-04-01", "T1-11", "warning"),
        ("0000100001", "2025-10-01", "T1-11", "warning"),
        // The plan of 2025-10-01 keeps three 短期目標 that ended on 2025-09-30.
        ("0000100001", "2025-10-01", "T2-06", "error"),
        // 認定 ended 2024-06-30 and the input has no newer plan of the person.
        ("H123456789", "2023-01-05", "T1-05", "warning"),
        ("H123456789", "2023-01-05", "T1-11", "warning"),
        ("H123456789", "2023-01-05", "T1-12", "warning"),
        ("H123456789", "2023-01-05", "T2-06", "error"),
        // 「リハビリを続ける」: nothing to evaluate it by.
        ("H123456789", "2023-01-05", "T2-09", "warning"),
        ("H123456789", "2023-01-05", "L3-04", "info"),
        ("0000200001", "2025-04-01", "L3-04", "info"),
        ("0000200001", "2025-04-01", "L3-04", "info"),
        ("0000200001", "2025-04-01", "T1-11", "warning"),
        ("0000200001", "2025-10-01", "L3-04", "info"),
        ("0000200001", "2025-10-01", "T1-11", "warning"),
        ("0000200001", "2025-10-01", "T1-12", "warning"),
        ("0000200002", "2025-06-10", "L3-04", "info"),
        ("0000200002", "2025-06-10", "T1-11", "warning"),
        ("0000200002", "2025-06-10", "T1-12", "warning"),
        // The paper-form plan (no 被保険者番号): its 短期目標 ended on 2025-09-30 and the input has no newer plan.
        ("", "2025-04-01", "T2-06", "error"),
        // Its 様式 entries the 小多機 team writes: the meeting's decision, who does what, the night hours.
        ("", "2025-04-01", "L1-04", "info"),
        ("", "2025-04-01", "L3-04", "info"),
        ("", "2025-04-01", "L3-04", "info"),
        ("", "2025-04-01", "L4-01", "info"),
        // ヘルパーステーションあおぞら (訪問介護) is on 第2表, not at the meeting, and no 照会 is recorded.
        ("0000300001", "2025-07-01", "T4-03", "error"),
        ("0000300002", "2025-07-01", "T4-03", "error"),
    ];
    let mut got: Vec<(String, String, String, String)> = Vec::new();
    let mut all = Vec::new();
    for p in sample() {
        for f in audit_with(&p, &config("")).findings {
            got.push((
                p.key.insured_no.clone().unwrap_or_default(),
                p.key.plan_date.map(|d| d.to_string()).unwrap_or_default(),
                f.code.to_string(),
                serde_json::to_value(f.severity).expect("json").as_str().unwrap_or("").to_string(),
            ));
            all.push(f);
        }
    }
    let mut want: Vec<(String, String, String, String)> =
        expected.iter().map(|(a, b, c, s)| (a.to_string(), b.to_string(), c.to_string(), s.to_string())).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    insta::assert_json_snapshot!(all.iter().map(|f| (&f.code, &f.message, &f.hint)).collect::<Vec<_>>());
}

macro_rules! case {
    ($name:ident, $code:literal, $plan:literal, |$p:ident| $mutate:block) => {
        #[test]
        fn $name() {
            let clean_plan = clean($plan);
            assert!(findings(&clean_plan, $code).is_empty(), "{} fires on the clean plan", $code);
            let mut $p = clean_plan;
            $mutate
            let got = findings(&$p, $code);
            assert!(!got.is_empty(), "{} does not fire", $code);
            insta::assert_json_snapshot!(got);
        }
    };
}

case!(t1_02_first_created_after_plan_date, "T1-02", "0000300001", |p| {
    p.table1.first_created_on = Some(d("2025-08-01"));
});
case!(t1_03_certified_without_date, "T1-03", "0000300001", |p| {
    p.table1.certification.certified_on = None;
});
case!(t1_04_plan_outside_certification, "T1-04", "0000300001", |p| {
    p.table1.certification.valid_from = Some(d("2024-07-01"));
    p.table1.certification.valid_to = Some(d("2025-06-30"));
});
case!(t1_07_only_tokuni_nashi, "T1-07", "0000300001", |p| {
    p.table1.intentions = lsw::model::Intentions { text: Some("特になし".into()), person: None, family: None };
});
case!(t1_10_blank_review_opinion, "T1-10", "0000300001", |p| {
    p.table1.review_opinion = None;
});
case!(t2_01_need_without_services, "T2-01", "0000300001", |p| {
    p.table2.needs[1].long_goals[0].short_goals[0].services.clear();
});
case!(t2_04_short_goal_past_long_goal, "T2-04", "0000300001", |p| {
    let s = &mut p.table2.needs[0].long_goals[0].short_goals[0];
    s.period = Some(lsw::model::PeriodJson {
        from: Some(d("2025-07-01")),
        to: Some(d("2026-09-30")),
        raw: "R7.7.1～R8.9.30".into(),
    });
});
case!(t6_02_old_limit, "T6-02", "0000100001", |p| {
    let mut t6 = (**p.table6.as_ref().expect("table6")).clone();
    t6.limit_units = Some(19616);
    p.table6 = Some(Arc::new(t6));
});
case!(t7_04_wrong_service_units, "T7-04", "0000100001", |p| {
    let mut t7 = (**p.table7.as_ref().expect("table7")).clone();
    t7.rows[0].amounts.insert("service_units".into(), 3400.0);
    p.table7 = Some(Arc::new(t7));
});
case!(x_02_care_level_differs, "X-02", "0000100001", |p| {
    p.table1.certification.care_level = Some("要介護3".into());
});
case!(l3_02_no_goal, "L3-02", "0000300001", |p| {
    p.table2.needs.clear();
});

/// A plan whose inputs lack a table says which rules could not be checked.
#[test]
fn rules_without_their_data_are_listed_as_not_checked() {
    let plan = clean("0000300001");
    let a = audit_with(&plan, &config(""));
    assert_eq!(
        a.not_checked,
        [
            "PR-15", "PR-16", "T2-22", "T6-02", "T6-05", "T6-06", "T7-02", "T7-03", "T7-04", "T7-05", "T7-07", "T7-08",
            "T7-10", "T7-12", "T7-13", "X-02"
        ]
    );
    // Without an audit date, the rules about expiry and months are listed too.
    let a = audit_with(&plan, &Config::default());
    for code in ["T1-05", "T2-06"] {
        assert!(a.not_checked.contains(&code), "{code}: {:?}", a.not_checked);
    }
}

/// --config: disable a rule, change its severity.
#[test]
fn config_disables_and_reclassifies() {
    let mut p = clean("0000300001");
    p.table1.review_opinion = None;
    let a = audit_with(&p, &config("[severity]\n\"T1-10\" = \"error\"\n"));
    assert_eq!(a.findings.iter().find(|f| f.code == "T1-10").map(|f| f.severity), Some(Severity::Error));
    let a = audit_with(&p, &config("disable = [\"T1-10\"]\n"));
    assert!(a.findings.iter().all(|f| f.code != "T1-10"));
    assert!(Config::load("disable = [\"Z-99\"]\n").expect_err("unknown rule").contains("Z-99"));
}

/// Every rule's doc has the five headings `lsw rule` prints, a 直し方 a
/// finding can carry, and a single severity; codes are unique.
#[test]
fn every_rule_documents_itself() {
    let mut codes = Vec::new();
    for r in audit::rules::all() {
        let i = r.info();
        for h in ["# 何を検査するか", "# なぜ問題か", "# 例", "# 直し方", "# 根拠"] {
            assert!(i.manual().contains(h), "{} lacks {h}", i.code);
        }
        assert!(i.fix().chars().count() > 5, "{}: 直し方 「{}」", i.code, i.fix());
        codes.push(i.code);
    }
    let n = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(n, codes.len(), "codes are unique");
    // The heuristic rules say how they do on their corpora.
    for code in ["T1-06", "T1-11", "T1-12", "T2-09", "T2-10", "T2-21", "T2-22", "PR-10", "PR-11"] {
        let info = audit::rules::all().iter().map(|r| r.info()).find(|i| i.code == code).expect("rule");
        assert!(info.manual().contains("# 判定の目安") && info.manual().contains("適合率"), "{code}");
    }
}

// The Excel plan (第1〜5表): service at needs[i].long_goals[0].short_goals[j].services[k].
fn svc(p: &mut CarePlan, i: usize, j: usize, k: usize) -> &mut lsw::model::Service {
    &mut p.table2.needs[i].long_goals[0].short_goals[j].services[k]
}

case!(t1_01_no_birth_date, "T1-01", "0000300001", |p| {
    p.person.birth_date = None;
});
case!(t1_06_mixed_intentions, "T1-06", "0000300001", |p| {
    p.table1.intentions = lsw::model::Intentions {
        text: Some("本人・家族ともに自宅での生活を望んでいる。".into()),
        person: None,
        family: None,
    };
});
case!(t1_11_slogan_policy, "T1-11", "0000300001", |p| {
    p.table1.policy = Some("安心して在宅生活を継続できるよう支援します。".into());
});
case!(t1_12_no_emergency, "T1-12", "0000300001", |p| {
    p.table1.policy =
        Some("日中の活動量を保ち、夜間の排泄を安全に行えるよう手すりを整え、通所での入浴を続けます。".into());
});
case!(t1_13_living_support_without_reason, "T1-13", "0000100001", |p| {
    let mut t6 = (**p.table6.as_ref().expect("table6")).clone();
    t6.rows[0].service_code = Some("117211".into());
    p.table6 = Some(Arc::new(t6));
    p.table1.living_support_reason.code = None;
});
case!(t2_02_long_goal_without_period, "T2-02", "0000300001", |p| {
    p.table2.needs[0].long_goals[0].period = None;
});
case!(t2_03_short_goal_without_period, "T2-03", "0000300001", |p| {
    p.table2.needs[0].long_goals[0].short_goals[0].period = None;
});
case!(t2_05_goal_past_certification, "T2-05", "0000300001", |p| {
    p.table1.certification.valid_to = Some(d("2025-12-31"));
});
case!(t2_07_short_equals_long, "T2-07", "0000300001", |p| {
    let long = p.table2.needs[0].long_goals[0].text.clone();
    p.table2.needs[0].long_goals[0].short_goals[0].text = long;
});
case!(t2_08_long_equals_need, "T2-08", "0000300001", |p| {
    let need = p.table2.needs[0].text.clone();
    p.table2.needs[0].long_goals[0].text = need;
});
case!(t2_09_vague_short_goal, "T2-09", "0000300001", |p| {
    p.table2.needs[0].long_goals[0].short_goals[0].text = Some("安心して穏やかに過ごす".into());
});
case!(t2_10_goal_is_helper_action, "T2-10", "0000300001", |p| {
    p.table2.needs[0].long_goals[0].short_goals[0].text = Some("夜間の排泄を見守る".into());
});
case!(t2_14_short_goal_without_service, "T2-14", "0000300001", |p| {
    p.table2.needs[0].long_goals[0].short_goals[1].services.clear();
});
case!(t2_15_content_is_a_name, "T2-15", "0000300001", |p| {
    svc(&mut p, 1, 0, 0).content = Some("デイサービス".into());
});
case!(t2_17_insured_service_without_provider, "T2-17", "0000300001", |p| {
    svc(&mut p, 1, 0, 0).provider = None;
});
case!(t2_19_no_frequency, "T2-19", "0000300001", |p| {
    svc(&mut p, 1, 0, 0).frequency = None;
});
case!(t3_02_few_activities, "T3-02", "0000300001", |p| {
    p.table3.daily_activities.truncate(1);
});
case!(t3_03_non_weekly_missing, "T3-03", "0000300001", |p| {
    p.table3.non_weekly.clear();
});
case!(t4_01_no_meeting_date, "T4-01", "0000300001", |p| {
    p.table4[0].held_on = None;
});
case!(t4_02_no_attendees, "T4-02", "0000300001", |p| {
    p.table4[0].attendees.clear();
});
case!(t4_05_no_conclusion, "T4-05", "0000300001", |p| {
    p.table4[0].conclusion = None;
});
case!(t4_10_no_meeting_place, "T4-10", "0000300001", |p| {
    p.table4[0].place = None;
});
case!(t5_01_entry_without_date, "T5-01", "0000300001", |p| {
    p.table5[0].date = None;
});
case!(t5_02_not_chronological, "T5-02", "0000300001", |p| {
    p.table5.swap(0, 3);
});
case!(t7_05_wrong_over_units, "T7-05", "0000100001", |p| {
    let mut t7 = (**p.table7.as_ref().expect("table7")).clone();
    t7.totals.as_mut().expect("totals").amounts.insert("category_over_units".into(), 100.0);
    p.table7 = Some(Arc::new(t7));
});
case!(t7_07_wrong_total_cost, "T7-07", "0000100001", |p| {
    let mut t7 = (**p.table7.as_ref().expect("table7")).clone();
    let cost = t7.rows[0].amounts.get("total_cost").copied().expect("cost");
    t7.rows[0].amounts.insert("total_cost".into(), cost + 1.0);
    p.table7 = Some(Arc::new(t7));
});
case!(t7_08_wrong_copay, "T7-08", "0000100001", |p| {
    let mut t7 = (**p.table7.as_ref().expect("table7")).clone();
    let copay = t7.rows[0].amounts.get("copay_insured").copied().expect("copay");
    t7.rows[0].amounts.insert("copay_insured".into(), copay - 1.0);
    p.table7 = Some(Arc::new(t7));
});
case!(x_05_plan_dates_differ, "X-05", "0000300001", |p| {
    p.table2.created_on = Some(d("2025-06-25"));
});

fn t6(p: &mut CarePlan) -> &mut lsw::model::Table6 {
    Arc::make_mut(p.table6.as_mut().expect("table6"))
}

fn t7(p: &mut CarePlan) -> &mut lsw::model::Table7 {
    Arc::make_mut(p.table7.as_mut().expect("table7"))
}

/// Makes the 2025-10 plan 要介護1 and adds `visits` planned visits of `code`
/// (生活援助２ is 117211; 身体１生活１ is 114111).
fn add_visits(p: &mut CarePlan, code: &str, visits: u32) {
    let t = t6(p);
    t.care_level = Some("要介護1".into());
    t.limit_units = Some(16765);
    let mut row = t.rows.iter().find(|r| r.provider_code.as_deref() == Some("1370100001")).expect("訪問介護").clone();
    row.service_code = Some(code.into());
    row.count_per_day = Some(1);
    row.dates = (1..=visits).map(|day| chrono::NaiveDate::from_ymd_opt(2025, 10, day).expect("date")).collect();
    t.rows.push(row);
}

case!(t2_21_equipment_without_reason, "T2-21", "0000300001", |p| {
    svc(&mut p, 0, 0, 0).content = Some("手すり".into());
    p.table2.needs[0].text = Some("住み慣れた家で暮らしたい".into());
    p.table2.needs[0].long_goals[0].short_goals[0].text = Some("自宅で穏やかに過ごせる".into());
});
case!(t2_22_home_help_without_reason, "T2-22", "0000100001", |p| {
    add_visits(&mut p, "117211", 27);
});
case!(t3_04_weekly_count_differs, "T3-04", "0000100001", |p| {
    p.table3.weekly.retain(|w| w.day.as_deref() != Some("木"));
});
case!(t6_06_provider_outside_plan, "T6-06", "0000100001", |p| {
    let row = &mut t6(&mut p).rows[0];
    row.provider_code = Some("1370999999".into());
    row.provider = Some("訪問看護ステーションそら".into());
});
case!(t7_02_wrong_discount, "T7-02", "0000100001", |p| {
    let row = t7(&mut p).rows.iter_mut().find(|r| r.amounts.get("units") == Some(&658.0)).expect("通所介護");
    row.amounts.insert("discount_rate".into(), 95.0);
    row.amounts.insert("discounted_units".into(), 620.0);
});
case!(t7_12_over_limit_without_record, "T7-12", "0000100001", |p| {
    t7(&mut p).totals.as_mut().expect("totals").amounts.insert("category_over_units".into(), 1200.0);
});
case!(x_04_service_missing_from_table3, "X-04", "0000100001", |p| {
    p.table3.weekly.retain(|w| w.service != "通所介護");
});
case!(pr_16_living_support_at_threshold, "PR-16", "0000100001", |p| {
    add_visits(&mut p, "117211", 27);
});
case!(l1_04_meeting_without_decision, "L1-04", "0000300001", |p| {
    p.table5.iter_mut().find(|e| e.item.as_deref() == Some("担当者会議")).expect("meeting").content =
        Some("夜間の排泄について話し合った。".into());
});
case!(l2_04_nothing_confirmed, "L2-04", "0000300001", |p| {
    p.table4[0].conclusion = None;
    p.table4[0].remaining = None;
});
case!(l3_03_long_goal_period, "L3-03", "0000300001", |p| {
    p.table2.needs[1].long_goals[0].short_goals[0].period = Some(lsw::model::PeriodJson {
        from: Some(d("2025-07-01")),
        to: Some(d("2026-06-30")),
        raw: "R7.7.1～R8.6.30".into(),
    });
});
case!(l3_04_no_community_role, "L3-04", "0000300001", |p| {
    p.table2.needs[0].long_goals[0].short_goals[0].services.retain(|v| v.kind.as_deref() != Some("地域"));
});
case!(l4_01_no_night, "L4-01", "0000300001", |p| {
    p.table3.daily_activities.retain(|a| a.text.contains('食'));
});
case!(l4_03_support_without_carer, "L4-03", "0000300001", |p| {
    let s = svc(&mut p, 0, 0, 1);
    s.kind = None;
    s.provider = None;
});

/// L3-03 does not repeat T2-03 (no period) or T2-05 (past the certification).
#[test]
fn l3_03_leaves_missing_and_overlong_periods_to_t2() {
    let mut p = clean("0000300001");
    p.table2.needs[0].long_goals[0].short_goals.iter_mut().for_each(|s| s.period = None);
    p.table2.needs[0].long_goals[0].period = None;
    p.table1.certification.valid_to = Some(d("2025-12-31"));
    let a = audit_with(&p, &config(""));
    let codes: Vec<&str> = a.findings.iter().map(|f| &*f.code).collect();
    assert!(codes.contains(&"T2-03") && codes.contains(&"T2-05"), "{codes:?}");
    assert!(!codes.contains(&"L3-03"), "{:#?}", a.findings);
}

/// PR-16 counts 生活援助中心型 only, from the 基準回数 on.
#[test]
fn pr_16_counts_living_support_from_the_threshold() {
    let mut below = clean("0000100001");
    add_visits(&mut below, "117211", 26);
    assert!(findings(&below, "PR-16").is_empty(), "26 < 27 (要介護1)");
    let mut body_then_living = clean("0000100001");
    add_visits(&mut body_then_living, "114111", 30);
    assert!(findings(&body_then_living, "PR-16").is_empty(), "身体介護に引き続く生活援助 is not counted");
    let mut at = clean("0000100001");
    add_visits(&mut at, "117211", 27);
    assert_eq!(findings(&at, "PR-16").len(), 1);
}

/// T2-22 is quiet once the 訪問介護 row says why it is needed.
#[test]
fn t2_22_is_satisfied_by_a_stated_reason() {
    let mut p = clean("0000100001");
    add_visits(&mut p, "117211", 27);
    svc(&mut p, 0, 0, 0).content = Some("長女が遠方で調理ができないため、夕食の調理が毎日必要".into());
    assert!(findings(&p, "T2-22").is_empty());
}

case!(t6_05_total_differs_from_the_days, "T6-05", "0000100001", |p| {
    let row = &mut t6(&mut p).rows[0];
    row.planned_total = Some(row.dates.len() as i64 + 1);
});

/// T6-05 runs only where the input writes totals, and is quiet when they add up.
#[test]
fn t6_05_needs_written_totals() {
    let plan = clean("0000100001");
    let a = audit_with(&plan, &config(""));
    assert!(a.not_checked.contains(&"T6-05"), "the standard CSV has no 合計回数");
    let mut p = plan;
    for row in &mut t6(&mut p).rows {
        row.planned_total = Some(row.dates.len() as i64 * row.count_per_day.unwrap_or(1));
    }
    assert!(findings(&p, "T6-05").is_empty());
}

/// Reads a folder through the real pipeline and audits its plans.
fn audit_dir(dir: &std::path::Path) -> (Vec<CarePlan>, Vec<lsw::diag::Problem>, Vec<Finding>) {
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    let pool = lsw::batch::thread_pool(Some(1)).expect("pool");
    let m =
        lsw::batch::ingest_and_map(&[dir.to_path_buf()], &mappings, lsw::ingest::encoding::EncodingChoice::Auto, &pool);
    let mut all = Vec::new();
    for plan in &m.assembled.plans {
        all.extend(audit_with(plan, &config("")).findings);
    }
    (m.assembled.plans, m.problems, all)
}

/// X-01 through grouping: two 利用者補足情報 files of one plan that disagree
/// on the person's name make X-01; two 第1表 files that disagree only on the
/// office's name do not (they are a conflict of the office, kept and
/// reported, not a mismatch of the person).
#[test]
fn x_01_person_name_differs_between_files_but_not_office_name() {
    use support::{crlf, sample::standard_plans, sjis, standard as st, write};
    let (p1, _, _) = standard_plans();
    // The same standard file name in two folders (two exports of one plan).
    let name = |prefix: &str, n: u32| {
        let month = (prefix == "UPHOSOKU").then_some("000000");
        std::path::Path::new(&format!("export{n}")).join(st::file_name(
            prefix,
            month,
            &p1.office_code,
            "1370100001",
            true,
        ))
    };

    // Person names differ: X-01, at the first file's cell, naming both values.
    let dir = tempfile::tempdir().expect("tmp");
    let mut other = p1.clone();
    other.name = "山田 華子".into();
    write(&dir.path().join(name("UPHOSOKU", 1)), &sjis(&crlf(&[st::uphosoku(&p1, &p1.plan_date, "000000")])));
    write(&dir.path().join(name("UPHOSOKU", 2)), &sjis(&crlf(&[st::uphosoku(&other, &p1.plan_date, "000000")])));
    write(
        &dir.path().join(st::file_name("UP1KYO", None, &p1.office_code, "1370100001", true)),
        &sjis(&crlf(&[st::up1kyo(&p1)])),
    );
    let (plans, problems, findings) = audit_dir(dir.path());
    assert_eq!(plans.len(), 1, "{problems:?}");
    let c = &plans[0].conflicts;
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, lsw::model::PlanField::PersonName);
    assert_eq!((c[0].kept.as_str(), c[0].other.as_str()), (p1.name.as_str(), "山田 華子"));
    assert!(c[0].other_source.file.contains("UPHOSOKU") && c[0].other_source.line == Some(1), "{c:?}");
    let x01: Vec<&Finding> = findings.iter().filter(|f| f.code == "X-01").collect();
    assert_eq!(x01.len(), 1, "{findings:#?}");
    assert!(
        x01[0].message.contains("利用者名が一致しません") && x01[0].message.contains("山田 華子"),
        "{}",
        x01[0].message
    );
    assert!(problems.iter().any(|p| p.message.contains("利用者名に別の値「山田 華子」")), "{problems:?}");

    // Office names differ: a conflict of office.name, reported, and no X-01.
    let dir = tempfile::tempdir().expect("tmp");
    let mut other = p1.clone();
    other.office_name = "ケアプランセンター別名".into();
    write(&dir.path().join(name("UP1KYO", 1)), &sjis(&crlf(&[st::up1kyo(&p1)])));
    write(&dir.path().join(name("UP1KYO", 2)), &sjis(&crlf(&[st::up1kyo(&other)])));
    let (plans, problems, findings) = audit_dir(dir.path());
    assert_eq!(plans.len(), 1, "{problems:?}");
    let fields: Vec<lsw::model::PlanField> = plans[0].conflicts.iter().map(|c| c.field).collect();
    assert_eq!(fields, [lsw::model::PlanField::OfficeName]);
    assert!(findings.iter().all(|f| f.code != "X-01"), "{findings:#?}");
    assert!(
        problems.iter().any(|p| p.message.contains("居宅介護支援事業所名に別の値「ケアプランセンター別名」")),
        "{problems:?}"
    );
}

#[path = "audit_rules/new_rules.rs"]
mod new_rules;
#[path = "audit_rules/realistic.rs"]
mod realistic;
