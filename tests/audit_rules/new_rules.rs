//! The rules of issue 21, each on input files the test writes: one that
//! triggers the rule and a near miss that does not. Workbooks are the
//! sample's 中村キヨ plan (第1〜5表) with one thing changed; standard CSV
//! sets are the sample's 山田花子 plans with one thing changed.

use super::{config, d, read};
use crate::support::forms::{FormPlan, Svc};
use crate::support::sample::{form_plan, standard_plans, uses_p1};
use crate::support::standard::{self as st, Row2, StdPlan, Use};
use crate::support::{crlf, sjis, write};
use lsw::audit::{self, Config, Constants, Finding};
use lsw::model::CarePlan;

/// A snapshot beside the other audit_rules snapshots (tests/snapshots/).
macro_rules! snap {
    ($($t:tt)*) => {{
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path("../snapshots");
        s.bind(|| insta::assert_json_snapshot!($($t)*));
    }};
}

/// The findings of one rule on every plan of a folder.
fn of(plans: &[CarePlan], code: &str, config: &Config) -> Vec<Finding> {
    let rules = lsw::lsw::rules::builtin();
    plans
        .iter()
        .flat_map(|p| audit::audit(p, &lsw::lsw::convert(p, &rules), "office", &Constants::builtin(), config).findings)
        .filter(|f| f.code == code)
        .map(|mut f| {
            // The temporary folder's name differs per run: keep the file's own name.
            let name = std::path::Path::new(&*f.location.file).file_name().map(|n| n.to_string_lossy().to_string());
            f.location.file = name.unwrap_or_default().into();
            f
        })
        .collect()
}

/// The 中村キヨ workbook, changed by `edit`, read back.
fn excel(edit: impl FnOnce(&mut FormPlan)) -> Vec<CarePlan> {
    let mut p = form_plan(false);
    edit(&mut p);
    let dir = tempfile::tempdir().expect("tmp");
    write(&dir.path().join("中村キヨ.xlsx"), &crate::support::forms::workbook(&p, false).expect("workbook"));
    read(dir.path())
}

/// Standard CSV files of `plans`, with 第6/7表 of 2025-10 for the last plan
/// (`uses`), each UPSIKYU record's fields changed by `sikyu`.
fn standard(plans: &[StdPlan], uses: &[Use], sikyu: impl Fn(usize, &mut Vec<String>)) -> Vec<CarePlan> {
    let dir = tempfile::tempdir().expect("tmp");
    let office = &plans[0].office_code;
    let f =
        |prefix: &str, month: Option<&str>| dir.path().join(st::file_name(prefix, month, office, "1370100001", true));
    let lines = |g: &dyn Fn(&StdPlan) -> Vec<String>| plans.iter().flat_map(g).collect::<Vec<_>>();
    write(&f("UPHOSOKU", Some("000000")), &sjis(&crlf(&lines(&|p| vec![st::uphosoku(p, &p.plan_date, "000000")]))));
    write(&f("UP1KYO", None), &sjis(&crlf(&lines(&|p| vec![st::up1kyo(p)]))));
    write(&f("UP2KYO", None), &sjis(&crlf(&lines(&|p| st::up2kyo(p)))));
    let up3 = lines(&|p| st::up3kyo(p));
    if !up3.is_empty() {
        write(&f("UP3KYO", None), &sjis(&crlf(&up3)));
    }
    if !uses.is_empty() {
        let last = plans.last().expect("a plan");
        write(&f("UPHOSOKU", Some("202510")), &sjis(&crlf(&[st::uphosoku(last, "00000000", "202510")])));
        write(&f("UPPLAN", Some("202510")), &sjis(&crlf(&st::upplan(last, "202510", uses, true))));
        let rows: Vec<String> = st::upsikyu(last, "202510", uses, true)
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
                sikyu(i, &mut fields);
                fields.join(",")
            })
            .collect();
        write(&f("UPSIKYU", Some("202510")), &sjis(&crlf(&rows)));
    }
    read(dir.path())
}

/// The sample's first plan of 山田花子 (2025-04-01), alone.
fn p1() -> StdPlan {
    standard_plans().0
}

fn row(content: &str, insured: &'static str, kind: &str, provider: &str, freq: &str) -> Row2 {
    Row2 {
        need_no: 1,
        need: "自宅で暮らしたい".into(),
        goal_no: 1,
        long_goal: "自宅で暮らし続けられる".into(),
        long_period: "R7.4.1～R8.3.31".into(),
        short_goal: "週2回、デイで50m歩ける".into(),
        short_period: "R7.4.1～R7.9.30".into(),
        service_no: 1,
        content: content.into(),
        insured,
        kind: kind.into(),
        provider_code: String::new(),
        provider: provider.into(),
        frequency: freq.into(),
        period: "R7.4.1～R7.9.30".into(),
    }
}

fn on(date: &str) -> Config {
    Config::default().on(Some(d(date)))
}

#[test]
fn t1_05_certification_ending_without_a_newer_plan() {
    let mut p = p1();
    p.valid_to = "20251130".into();
    let got = of(&standard(std::slice::from_ref(&p), &[], |_, _| {}), "T1-05", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    // Near misses: more than 60 days left; or a newer plan of the person took over.
    p.valid_to = "20260331".into();
    assert!(of(&standard(std::slice::from_ref(&p), &[], |_, _| {}), "T1-05", &config("")).is_empty());
    p.valid_to = "20251130".into();
    let mut newer = p.clone();
    newer.plan_date = "20251101".into();
    newer.created = "20251101".into();
    let plans = standard(&[p, newer], &[], |_, _| {});
    let got = of(&plans, "T1-05", &config(""));
    assert_eq!(
        got.iter().map(|f| f.plan.plan_date).collect::<Vec<_>>(),
        [Some(d("2025-11-01"))],
        "only the newest plan"
    );
}

#[test]
fn t2_06_expired_short_goals_without_review() {
    let got = of(&standard(&[p1()], &[], |_, _| {}), "T2-06", &config(""));
    assert_eq!(got.len(), 1, "one finding lists the plan's expired goals");
    snap!(got);
    // Near misses: audited before the goals end; or the plan was changed since.
    assert!(of(&standard(&[p1()], &[], |_, _| {}), "T2-06", &on("2025-09-01")).is_empty());
    let (a, b, _) = standard_plans();
    let plans = standard(&[a, b], &[], |_, _| {});
    let older: Vec<_> =
        of(&plans, "T2-06", &config("")).into_iter().filter(|f| f.plan.plan_date == Some(d("2025-04-01"))).collect();
    assert!(older.is_empty(), "{older:#?}");
}

#[test]
fn t4_03_provider_neither_present_nor_asked() {
    let got = of(&excel(|_| {}), "T4-03", &config(""));
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("ヘルパーステーションあおぞら（訪問介護）"), "{}", got[0].message);
    snap!(got);
    // Near misses: the provider attends; or its 照会 is recorded.
    let present = excel(|p| {
        p.meeting.attendees.push(("ヘルパーステーションあおぞら（サービス提供責任者）".into(), "佐藤 一郎".into()))
    });
    assert!(of(&present, "T4-03", &config("")).is_empty());
    let asked = excel(|p| {
        p.meeting.items = "夜間の排泄と転倒予防について。訪問介護（ヘルパーステーションあおぞら）は欠席のため6/25に照会し、6/27に回答を得た。".into()
    });
    assert!(of(&asked, "T4-03", &config("")).is_empty());
}

fn with_nursing(p: &mut FormPlan) {
    p.needs[1].shorts[0].2.push(Svc {
        content: "服薬の確認と体調の観察".into(),
        insured: "○",
        kind: "訪問看護".into(),
        provider: "訪問看護ステーションそら".into(),
        frequency: "週1回（水）".into(),
        period: "R7.7.1～R7.12.31".into(),
    });
    p.meeting.attendees.push(("訪問看護ステーションそら（看護師）".into(), "木村 花".into()));
}

#[test]
fn pr_14_medical_service_without_the_doctor() {
    let got = of(&excel(with_nursing), "PR-14", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    let asked = excel(|p| {
        with_nursing(p);
        p.progress.push((
            "R 7/ 6/26".into(),
            "FAX".into(),
            "主治医（山本医院）に訪問看護の利用について照会し、指示書をいただいた。".into(),
        ));
    });
    assert!(of(&asked, "PR-14", &config("")).is_empty());
    assert!(of(&excel(|_| {}), "PR-14", &config("")).is_empty(), "no 医療系 service");
}

#[test]
fn t4_07_doctor_not_heard_at_the_meeting() {
    // The 主治医's instruction is recorded (第5表), but not at the meeting.
    let instructed = |p: &mut FormPlan| {
        with_nursing(p);
        p.progress.push(("R 7/ 6/26".into(), "FAX".into(), "主治医より訪問看護指示書を受領した。".into()));
    };
    let got = of(&excel(instructed), "T4-07", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    let heard = excel(|p| {
        instructed(p);
        p.meeting.discussion =
            "主治医（山本医師）に照会し、入浴は血圧150未満なら可との回答を得た。夜間のふらつきについて検討した。"
                .into();
    });
    assert!(of(&heard, "T4-07", &config("")).is_empty());
    // Nothing anywhere is PR-14's finding, not T4-07's.
    assert!(of(&excel(with_nursing), "T4-07", &config("")).is_empty());
}

#[test]
fn pr_04_meeting_after_consent() {
    let got = of(&excel(|p| p.meeting.held = (2025, 7, 5)), "PR-04", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    assert!(of(&excel(|_| {}), "PR-04", &config("")).is_empty(), "meeting 6/28, consent 7/1");
}

#[test]
fn pr_05_no_meeting_for_a_renewal() {
    let blank = |p: &mut FormPlan| {
        let m = &mut p.meeting;
        m.held = (0, 0, 0);
        m.attendees.clear();
        for f in [&mut m.place, &mut m.time, &mut m.count, &mut m.person, &mut m.family] {
            f.clear();
        }
        for f in [&mut m.items, &mut m.discussion, &mut m.conclusion, &mut m.remaining] {
            f.clear();
        }
        p.progress.retain(|(_, item, _)| item != "担当者会議");
    };
    let got = of(&excel(blank), "PR-05", &config(""));
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("認定の更新"), "{}", got[0].message);
    snap!(got);
    // The blank 第4表 is no meeting: the T4- rules leave it to PR-05.
    for code in ["T4-01", "T4-02", "T4-03", "T4-05", "T4-10"] {
        assert!(of(&excel(blank), code, &config("")).is_empty(), "{code}");
    }
    // Near misses: the meeting (the sample); an 照会 recorded instead.
    assert!(of(&excel(|_| {}), "PR-05", &config("")).is_empty());
    let asked = excel(|p| {
        blank(p);
        p.progress.push(("R 7/ 6/27".into(), "FAX".into(), "担当者会議を開けないため、各事業所に照会した。".into()));
    });
    assert!(of(&asked, "PR-05", &config("")).is_empty());
}

#[test]
fn pr_06_and_pr_08_consent() {
    let got = of(&excel(|p| p.consent.clear()), "PR-06", &config(""));
    assert_eq!(got.len(), 1);
    snap!("pr_06", got);
    assert!(of(&excel(|_| {}), "PR-06", &config("")).is_empty());
    let got = of(&excel(|p| p.consent = "令和7年7月10日".into()), "PR-08", &config(""));
    assert_eq!(got.len(), 1);
    snap!("pr_08", got);
    assert!(of(&excel(|_| {}), "PR-08", &config("")).is_empty(), "consent 7/1, services from 7/1");
}

/// The sample's 第5表 with one more entry in August.
fn august(item: &str, content: &str) -> Vec<CarePlan> {
    let (item, content) = (item.to_string(), content.to_string());
    excel(move |p| p.progress.push(("R 7/ 8/12".into(), item, content)))
}

#[test]
fn pr_10_11_13_months_without_a_visit_or_a_monitoring() {
    let sept = on("2025-09-20");
    let got = of(&august("電話", "体調を確認した。変わりなし。"), "PR-10", &sept);
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("令和7年8月"), "{}", got[0].message);
    snap!("pr_10", got);
    assert!(of(&august("訪問", "自宅を訪問し、本人・長女と面談。モニタリングを実施した。"), "PR-10", &sept).is_empty());
    assert!(of(&excel(|_| {}), "PR-10", &on("2025-08-20")).is_empty(), "July has its visit");

    let got = of(&august("訪問", "自宅を訪問し、長女と今後の通院について話した。"), "PR-11", &sept);
    assert_eq!(got.len(), 1);
    snap!("pr_11", got);
    assert!(of(&august("訪問", "自宅を訪問。実施状況：デイ週2回、手すりで移動できている。"), "PR-11", &sept).is_empty());

    let hospital = august("電話", "長女より、8/3から入院中とのこと。退院の見込みが立つまで訪問を見合わせる。");
    let got = of(&hospital, "PR-13", &sept);
    assert_eq!(got.len(), 1);
    snap!("pr_13", got);
    assert!(of(&hospital, "PR-10", &sept).is_empty(), "a 特段の事情 month is PR-13's");
    assert!(of(&august("電話", "体調を確認した。"), "PR-13", &sept).is_empty(), "no reason written");
}

#[test]
fn pr_24_minor_change_without_its_grounds() {
    let got = of(&august("電話", "軽微な変更としてデイサービスを追加した。"), "PR-24", &config(""));
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("当たらない可能性"), "{}", got[0].message);
    let got2 = of(&august("電話", "軽微な変更とした。"), "PR-24", &config(""));
    assert!(got2.len() == 1 && got2[0].message.contains("根拠・判断"), "{got2:#?}");
    snap!([got, got2].concat());
    let grounds = august("電話", "デイの曜日の変更のみのため、軽微な変更に該当すると判断した。");
    assert!(of(&grounds, "PR-24", &config("")).is_empty());
}

#[test]
fn pr_15_t7_10_t7_13_short_stay_and_full_copay() {
    // 第7表 of 2025-10: the 訪問介護 row over the limit and the 短期入所 days.
    let sikyu = |over: &str, copay: &str, days: [&str; 3]| {
        let (over, copay, days) = (over.to_string(), copay.to_string(), days.map(str::to_string));
        move |i: usize, f: &mut Vec<String>| {
            if i == 0 {
                f[20] = over.clone();
                f[28] = copay.clone();
                f[29] = days[0].clone();
                f[30] = days[1].clone();
                f[31] = days[2].clone();
            }
        }
    };
    let (_, b, _) = standard_plans();
    let plans = standard(std::slice::from_ref(&b), &uses_p1(), sikyu("1200", "13000", ["200", "7", "205"]));
    let c = config("");
    let t710 = of(&plans, "T7-10", &c);
    let t713 = of(&plans, "T7-13", &c);
    assert_eq!((t710.len(), t713.len()), (1, 1));
    snap!("t7_10", t710);
    snap!("t7_13", t713);
    // 205 of 731 days is not half; 400 is.
    assert!(of(&plans, "PR-15", &c).is_empty());
    let half = standard(std::slice::from_ref(&b), &uses_p1(), sikyu("1200", "13680", ["393", "7", "400"]));
    let pr15 = of(&half, "PR-15", &c);
    assert_eq!(pr15.len(), 1);
    snap!("pr_15", pr15);
    assert!(
        of(&half, "T7-10", &c).is_empty() && of(&half, "T7-13", &c).is_empty(),
        "1200 × 11.40 = 13680; 393 + 7 = 400"
    );
}

#[test]
fn t7_03_count_differs_from_table6() {
    let (_, b, _) = standard_plans();
    let plans = standard(std::slice::from_ref(&b), &uses_p1(), |i, f| {
        if i == 0 {
            f[15] = "8".into();
        }
    });
    let got = of(&plans, "T7-03", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    assert!(of(&standard(&[b], &uses_p1(), |_, _| {}), "T7-03", &config("")).is_empty());
}

/// One 福祉用具貸与 row on the sample's plan, at a 要介護度.
fn equipment(level: &'static str, content: &str) -> Vec<CarePlan> {
    let mut p = p1();
    p.care_level_code = level;
    p.rows2 = vec![row(content, "Y", "福祉用具貸与", "福祉用具センターみどり", "毎日")];
    standard(&[p], &[], |_, _| {})
}

#[test]
fn pr_19_light_case_rental_without_grounds() {
    let got = of(&equipment("21", "車いすの貸与（屋外の移動用）"), "PR-19", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    let grounds =
        equipment("21", "車いすの貸与（軽度者の例外給付：主治医の医学的所見と担当者会議で判断、保険者の確認済み）");
    assert!(of(&grounds, "PR-19", &config("")).is_empty());
    assert!(of(&equipment("22", "車いすの貸与（屋外の移動用）"), "PR-19", &config("")).is_empty(), "要介護2");
    assert!(
        of(&equipment("21", "手すりの貸与（玄関の段差）"), "PR-19", &config("")).is_empty(),
        "手すり is open to 軽度者"
    );
}

#[test]
fn pr_20_same_item_twice() {
    let got = of(&equipment("23", "車いす2台の貸与"), "PR-20", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    assert!(of(&equipment("23", "車いす2台の貸与（屋内用と屋外用）"), "PR-20", &config("")).is_empty());
    assert!(of(&equipment("23", "車いすの貸与"), "PR-20", &config("")).is_empty());
}

#[test]
fn pr_25_selectable_item_without_the_choice() {
    let got = of(&equipment("22", "多点杖の貸与（屋外の歩行が不安定なため）"), "PR-25", &config(""));
    assert_eq!(got.len(), 1);
    snap!(got);
    let chosen = equipment("22", "多点杖の貸与（貸与と販売の選択制について説明し、貸与を選択）");
    assert!(of(&chosen, "PR-25", &config("")).is_empty());
    assert!(
        of(&equipment("22", "歩行車の貸与（屋外の歩行が不安定なため）"), "PR-25", &config("")).is_empty(),
        "歩行車 is 貸与 only"
    );
}

#[test]
fn y_01_preventive_plans_are_listed_not_audited_as_care_plans() {
    let mut p = p1();
    p.care_level_code = "13";
    p.limit_units = 10531;
    p.policy = "安心して暮らせるよう支援します。".into();
    let plans = standard(&[p], &[], |_, _| {});
    let a = audit::audit(
        &plans[0],
        &lsw::lsw::convert(&plans[0], &lsw::lsw::rules::builtin()),
        "office",
        &Constants::builtin(),
        &config(""),
    );
    let codes: Vec<&str> = a.findings.iter().map(|f| &*f.code).collect();
    assert!(codes.contains(&"Y-01"), "{codes:?}");
    assert!(!codes.contains(&"T1-11"), "a 居宅 rule is not applied: {codes:?}");
    assert!(a.not_applicable.contains(&"T1-11") && a.not_applicable.contains(&"PR-10"), "{:?}", a.not_applicable);
    snap!(of(&plans, "Y-01", &config("")));
    assert!(of(&standard(&[p1()], &[], |_, _| {}), "Y-01", &config("")).is_empty(), "要介護2");
}

/// K-03: a 小規模多機能 plan is not asked for the 生活援助中心型 算定理由
/// (T1-13 stays quiet); the same workbook without the 小多機 is (near miss),
/// and so is the 小多機 plan when K-03 is disabled.
#[test]
fn k_03_small_multi_plans_need_no_living_support_reason() {
    let help = |p: &mut FormPlan| {
        p.reason = "□一人暮らし □家族等が障害、疾病等 □その他（　　　）".into();
        p.needs[1].shorts[0].2.push(Svc {
            content: "調理・掃除（生活援助）".into(),
            insured: "○",
            kind: "訪問介護".into(),
            provider: "ヘルパーステーションあおぞら".into(),
            frequency: "週2回（火・金）".into(),
            period: "R7.7.1～R7.12.31".into(),
        });
    };
    let small = |p: &mut FormPlan| {
        help(p);
        p.needs[0].shorts[0].2.push(Svc {
            content: "通い：入浴と昼食".into(),
            insured: "○",
            kind: "小規模多機能型居宅介護".into(),
            provider: "小規模多機能ホームなごみ".into(),
            frequency: "週3回（月・水・金）".into(),
            period: "R7.7.1～R7.12.31".into(),
        });
    };
    assert_eq!(of(&excel(help), "T1-13", &config("")).len(), 1, "a 居宅 plan needs its reason");
    assert!(of(&excel(small), "T1-13", &config("")).is_empty(), "K-03 on a 小多機 plan");
    assert_eq!(of(&excel(small), "T1-13", &config("disable = [\"K-03\"]")).len(), 1, "K-03 disabled");
}

/// A 第1表 without its 要介護状態区分 is read as a 介護予防 plan by its
/// 事業所名 (the words of [records].preventive_offices); a 居宅介護支援
/// office's name is not one (near miss).
#[test]
fn y_01_preventive_plan_by_the_office_name() {
    let got = of(
        &excel(|p| {
            p.care_level.clear();
            p.office = "ひまわり居宅介護支援センター（予防）".into();
        }),
        "Y-01",
        &config(""),
    );
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("事業所名が「ひまわり居宅介護支援センター（予防）」"), "{}", got[0].message);
    assert!(of(&excel(|p| p.care_level.clear()), "Y-01", &config("")).is_empty());
}

/// K-01 is decided per plan: a plan with 小規模多機能 (73) and 通所介護 on its
/// 第6表 is a finding; one with 訪問看護 beside it is not; a plan without 小多機
/// is not, even when the run's config says small_multi = true.
#[test]
fn k_01_per_plan() {
    let (_, b, _) = standard_plans();
    let small = Use {
        service_code: "731111".into(),
        provider_code: "1370500001".into(),
        provider: "小規模多機能ホームなごみ".into(),
        units: 12000,
        start: "9999".into(),
        end: "9999".into(),
        days: vec![1],
    };
    let mut uses = uses_p1();
    uses.push(small.clone());
    let got = of(&standard(std::slice::from_ref(&b), &uses, |_, _| {}), "K-01", &config(""));
    assert!(!got.is_empty());
    snap!(got);
    let nursing =
        Use { service_code: "131111".into(), provider: "訪問看護ステーションそら".into(), ..small.clone() };
    let mut fine = b.clone();
    fine.rows2.retain(|r| !["訪問介護", "通所介護"].contains(&r.kind.as_str()));
    let ok = standard(&[fine], &[small, nursing], |_, _| {});
    assert!(of(&ok, "K-01", &config("")).is_empty());
    // The sample's plan without 小多機: no K-01 whatever the config says.
    assert!(of(&standard(std::slice::from_ref(&b), &uses_p1(), |_, _| {}), "K-01", &config("small_multi = true"))
        .is_empty());
    assert!(of(&standard(&[b], &uses, |_, _| {}), "K-01", &config("small_multi = false")).is_empty(), "off");
}

#[test]
fn t2_16_insured_mark_through_the_standard_csv() {
    let mut p = p1();
    p.rows2 = vec![
        row("入浴介助", "", "訪問介護", "ヘルパーステーションあおぞら", "週2回（月・木）"),
        row("入浴の見守り", "Y", "家族", "長女", "入浴日"),
        // Near misses: 「デイサービス」 may be 総合事業; 家族 without a mark.
        row("入浴と機能訓練", "", "デイサービス", "デイサービスひだまり", "週1回（水）"),
        row("通院の付き添い", "", "家族", "長女", "月1回"),
    ];
    let got = of(&standard(&[p], &[], |_, _| {}), "T2-16", &config(""));
    assert_eq!(got.len(), 2, "{got:#?}");
    snap!(got);
}

/// 「週1回（月曜）」 is weekly (T3-03); weekly counts of one service add up over
/// its rows (T3-04).
#[test]
fn t3_03_and_t3_04_read_weekdays_and_add_rows() {
    let mut p = p1();
    p.rows2 = vec![
        row("掃除", "Y", "訪問介護", "ヘルパーステーションあおぞら", "週3回（月・水・金）"),
        row("調理", "Y", "訪問介護", "ヘルパーステーションあおぞら", "週3回（火・木・土）"),
        row("入浴の見守り", "Y", "通所介護", "デイサービスひだまり", "週1回（月曜）"),
    ];
    p.weekly = (1..=6).map(|day| ("訪問介護".to_string(), day, "1000".to_string(), "1100".to_string())).collect();
    p.weekly.push(("通所介護".into(), 1, "0930".into(), "1600".into()));
    p.non_weekly.clear();
    let plans = standard(std::slice::from_ref(&p), &[], |_, _| {});
    assert!(of(&plans, "T3-03", &config("")).is_empty(), "週1回（月曜） is weekly");
    assert!(of(&plans, "T3-04", &config("")).is_empty(), "週3回 + 週3回 = 6 slots");
    p.weekly.remove(0);
    p.rows2.push(row("服薬の指導", "Y", "居宅療養管理指導", "さくら薬局", "月2回"));
    let plans = standard(&[p], &[], |_, _| {});
    let t303 = of(&plans, "T3-03", &config(""));
    let t304 = of(&plans, "T3-04", &config(""));
    assert_eq!((t303.len(), t304.len()), (1, 1));
    snap!([t303, t304].concat());
}

/// T1-06 runs without a 第4表: a family on 第2表 is enough.
#[test]
fn t1_06_without_a_meeting_table() {
    let mut p = p1();
    p.intentions = "本人・家族ともに住み慣れた家で暮らしたい。".into();
    assert_eq!(of(&standard(std::slice::from_ref(&p), &[], |_, _| {}), "T1-06", &config("")).len(), 1);
    p.rows2.retain(|r| r.kind != "家族");
    assert!(of(&standard(&[p], &[], |_, _| {}), "T1-06", &config("")).is_empty(), "no family in the plan");
}
