//! The heuristic rules on their labelled corpora (tests/corpora/): every
//! case is written into standard CSV files (one person per case), read and
//! audited by lsw as any input is, and each rule's findings are compared
//! with the case's label. The counts are printed (`cargo test --test
//! audit_corpora -- --nocapture`) and must equal src/audit/guide.toml, the
//! 判定の目安 that `lsw rule CODE` shows.

mod support;

use lsw::audit::{self, guide, Config, Constants};
use std::collections::BTreeMap;
use support::standard::{self as st, Row2, StdPlan, Use};
use support::{crlf, write};

/// CP932 as the standard's exports are, or UTF-8 for a text CP932 cannot
/// hold (lsw reads both).
fn bytes(text: &str) -> Vec<u8> {
    let (b, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    if unmappable {
        text.as_bytes().to_vec()
    } else {
        b.into_owned()
    }
}
use toml::Value;

const MONTH: &str = "202510";

fn corpus(name: &str) -> Value {
    let path = format!("tests/corpora/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn row(need: &str, long: &str, short: &str, content: &str, kind: &str, provider: &str, freq: &str) -> Row2 {
    Row2 {
        need_no: 1,
        need: need.into(),
        goal_no: 1,
        long_goal: long.into(),
        long_period: "R7.10.1～R8.3.31".into(),
        short_goal: short.into(),
        short_period: "R7.10.1～R8.3.31".into(),
        service_no: 1,
        content: content.into(),
        insured: if kind.is_empty() || ["家族", "本人", "地域"].contains(&kind) { "" } else { "Y" },
        kind: kind.into(),
        provider_code: String::new(),
        provider: provider.into(),
        frequency: freq.into(),
        period: "R7.10.1～R8.3.31".into(),
    }
}

/// A neutral 第2表 row the rules under test have nothing to say about.
fn neutral() -> Row2 {
    row(
        "近所を歩いて買い物に行きたい",
        "近所のスーパーまで一人で歩いて行ける",
        "週2回、デイで歩行器を使って50m歩ける",
        "歩行訓練と入浴",
        "通所介護",
        "デイサービスひだまり",
        "週2回（火・金）",
    )
}

fn care_level_code(label: &str) -> &'static str {
    match label {
        "要支援1" => "12",
        "要支援2" => "13",
        "要介護1" => "21",
        "要介護2" => "22",
        "要介護3" => "23",
        "要介護4" => "24",
        _ => "25",
    }
}

/// The plan of case `i`: one person, dated 2025-10-01.
fn plan_of(i: usize, case: &Value) -> (StdPlan, Vec<Use>) {
    let (mut p, _, _) = support::sample::standard_plans();
    p.insured = format!("09{i:08}");
    p.name = format!("試験 {i}");
    p.plan_date = "20251001".into();
    p.created = "20251001".into();
    p.first_created = "20240401".into();
    p.plan_kind = "21";
    p.valid_from = "20250401".into();
    p.valid_to = "20270331".into();
    p.rows2 = vec![neutral()];
    p.weekly.clear();
    p.activities.clear();
    p.non_weekly.clear();
    p.intentions = "【本人】自宅で暮らしたい。\n【長女】転ばないか心配。".into();
    p.policy = "デイで週2回入浴し、夕食は長女が届けます。\n緊急時は長女（℡ 03-0000-0000）へ連絡します。".into();
    let mut uses = Vec::new();
    let text = s(case, "text").to_string();
    match s(case, "rule") {
        "T1-06" => {
            p.intentions = text;
            if case.get("family_in_plan").and_then(Value::as_bool) == Some(true) {
                let who = match s(case, "table4_family") {
                    "" => "長女",
                    w => w,
                };
                p.rows2.push(row("", "", "", "通院の付き添い", "家族", who, "月1回"));
            }
        }
        "T1-11" | "T1-12" => p.policy = text,
        "T2-09" => p.rows2[0].short_goal = text,
        "T2-10" => {
            if s(case, "goal") == "長期目標" {
                p.rows2[0].long_goal = text;
            } else {
                p.rows2[0].short_goal = text;
            }
        }
        "T2-21" => {
            let r = case.get("row").expect("row");
            let mut content = s(r, "content").to_string();
            if !s(r, "reason_field").is_empty() {
                content.push_str(&format!("（理由：{}）", s(r, "reason_field")));
            }
            p.rows2 = vec![row(
                s(r, "need"),
                "自宅で暮らし続けられる",
                s(r, "short_goal"),
                &content,
                s(r, "kind"),
                match s(r, "provider") {
                    "" => "福祉用具センターみどり",
                    x => x,
                },
                match s(r, "frequency") {
                    "" => "毎日",
                    x => x,
                },
            )];
        }
        "T2-22" => {
            let level = s(case, "care_level");
            p.care_level_code = care_level_code(level);
            p.limit_units =
                Constants::builtin().limit(level, "2025-10-01".parse().expect("date")).expect("limit") as u32;
            p.rows2 = case
                .get("rows")
                .and_then(Value::as_array)
                .expect("rows")
                .iter()
                .map(|r| {
                    let mut content = s(r, "content").to_string();
                    if !s(r, "reason_field").is_empty() {
                        content.push_str(&format!("（理由：{}）", s(r, "reason_field")));
                    }
                    row(
                        s(r, "need"),
                        "自宅で暮らし続けられる",
                        s(r, "short_goal"),
                        &content,
                        s(r, "kind"),
                        "ヘルパーステーションあおぞら",
                        s(r, "frequency"),
                    )
                })
                .collect();
            let n = case.get("living_support_per_month").and_then(Value::as_integer).expect("count") as u32;
            // One record per day; above 31 a second visit on the first days.
            let days: Vec<u32> = (1..=n.min(31)).collect();
            let twice: Vec<u32> = (1..=n.saturating_sub(31)).collect();
            for (days, code) in [(days, "117211"), (twice, "117311")] {
                if !days.is_empty() {
                    uses.push(Use {
                        service_code: code.into(),
                        provider_code: "1370100001".into(),
                        provider: "ヘルパーステーションあおぞら".into(),
                        units: 220,
                        start: "1000".into(),
                        end: "1045".into(),
                        days,
                    });
                }
            }
        }
        other => panic!("no builder for {other}"),
    }
    (p, uses)
}

/// Writes the cases as one standard CSV set, reads and audits it: the codes
/// each case's plan got.
fn audit_cases(cases: &[&Value]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut up1, mut up2, mut hosoku, mut month, mut plan) = (vec![], vec![], vec![], vec![], vec![]);
    let office = "1370000001";
    for (i, case) in cases.iter().enumerate() {
        let (p, uses) = plan_of(i, case);
        up1.push(st::up1kyo(&p));
        up2.extend(st::up2kyo(&p));
        hosoku.push(st::uphosoku(&p, &p.plan_date, "000000"));
        if !uses.is_empty() {
            month.push(st::uphosoku(&p, &p.plan_date, MONTH));
            plan.extend(st::upplan(&p, MONTH, &uses, true));
        }
    }
    let name = |prefix: &str, m: Option<&str>| dir.path().join(st::file_name(prefix, m, office, "1370100001", true));
    write(&name("UP1KYO", None), &bytes(&crlf(&up1)));
    write(&name("UP2KYO", None), &bytes(&crlf(&up2)));
    write(&name("UPHOSOKU", Some("000000")), &bytes(&crlf(&hosoku)));
    if !plan.is_empty() {
        write(&name("UPHOSOKU", Some(MONTH)), &bytes(&crlf(&month)));
        write(&name("UPPLAN", Some(MONTH)), &bytes(&crlf(&plan)));
    }
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    let pool = lsw::batch::thread_pool(Some(1)).expect("pool");
    let m = lsw::batch::ingest_and_map(
        &[dir.path().to_path_buf()],
        &mappings,
        lsw::ingest::encoding::EncodingChoice::Auto,
        &pool,
    );
    assert!(m.problems.is_empty(), "{:#?}", m.problems);
    let rules = lsw::lsw::rules::builtin();
    let config = Config::default().on(Some("2025-10-20".parse().expect("date")));
    let constants = Constants::builtin();
    let mut by_case: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for p in &m.assembled.plans {
        let i: usize = p.key.insured_no.as_deref().expect("numbered")[2..].parse().expect("case number");
        let forms = lsw::lsw::convert(p, &rules);
        let a = audit::audit(p, &forms, office, &constants, &config);
        by_case.insert(i, a.findings.iter().map(|f| f.code.to_string()).collect());
    }
    assert_eq!(by_case.len(), cases.len(), "one plan per case");
    by_case.into_values().collect()
}

/// The confusion counts of a rule on its cases, and the cases it gets wrong.
fn measure(rule: &str, corpus: &str, cases: &[&Value]) -> (guide::Guide, Vec<String>) {
    let got = audit_cases(cases);
    let mut g = guide::Guide {
        code: rule.into(),
        corpus: format!("tests/corpora/{corpus}"),
        fitted: corpus == "heuristics.toml",
        positive: None,
        positives: 0,
        negatives: 0,
        flagged_right: 0,
        flagged_wrong: 0,
    };
    let mut wrong = Vec::new();
    for (case, codes) in cases.iter().zip(got) {
        let expect = case.get("expect").and_then(Value::as_bool).expect("expect");
        let flagged = codes.iter().any(|c| c == rule);
        match (expect, flagged) {
            (true, true) => g.flagged_right += 1,
            (false, true) => g.flagged_wrong += 1,
            _ => {}
        }
        if expect {
            g.positives += 1;
        } else {
            g.negatives += 1;
        }
        if expect != flagged {
            let what = match s(case, "rule") {
                "T2-21" => s(case.get("row").expect("row"), "content").to_string(),
                "T2-22" => case
                    .get("rows")
                    .and_then(Value::as_array)
                    .map(|rows| {
                        rows.iter()
                            .map(|r| format!("{}／{}", s(r, "need"), s(r, "content")))
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default(),
                _ => s(case, "text").to_string(),
            };
            wrong.push(format!("{} {}: {}", if expect { "見逃し" } else { "誤指摘" }, rule, what.replace('\n', "⏎")));
        }
    }
    (g, wrong)
}

/// Each heuristic rule's precision and recall on its corpora (the one its
/// words were chosen on, and held-out phrasings), printed and checked
/// against the 判定の目安 in src/audit/guide.toml.
#[test]
fn heuristic_rules_on_their_corpora() {
    let mut report = String::from("\ncorpus            rule   pos  neg  flagged(right/wrong)  precision  recall\n");
    let mut mismatches = Vec::new();
    let mut all_wrong = Vec::new();
    for name in ["heuristics.toml", "heldout.toml"] {
        let all = corpus(name);
        let cases: Vec<&Value> = all.get("case").and_then(Value::as_array).expect("cases").iter().collect();
        for rule in ["T1-06", "T1-11", "T1-12", "T2-09", "T2-10", "T2-21", "T2-22"] {
            let of_rule: Vec<&Value> = cases.iter().copied().filter(|c| s(c, "rule") == rule).collect();
            let count =
                |e: bool| of_rule.iter().filter(|c| c.get("expect").and_then(Value::as_bool) == Some(e)).count();
            let least = if name == "heuristics.toml" { 15 } else { 6 };
            assert!(
                count(true) >= least && count(false) >= least,
                "{name} {rule}: {least} positive and {least} negative phrasings at least"
            );
            let (g, wrong) = measure(rule, name, &of_rule);
            report.push_str(&format!(
                "{name:<17} {rule}  {:>4} {:>4}  {:>4} / {:<4}            {:>4}%     {:>4}%\n",
                g.positives,
                g.negatives,
                g.flagged_right,
                g.flagged_wrong,
                g.precision().unwrap_or(0),
                g.recall().unwrap_or(0)
            ));
            all_wrong.extend(wrong.into_iter().map(|w| format!("{name}: {w}")));
            if !guide::of(rule).any(|shipped| *shipped == g) {
                mismatches.push(format!(
                    "{rule} on {name}: src/audit/guide.toml has {:?}; the corpus gives\n[[rule]]\ncode = \"{}\"\ncorpus = \"{}\"\nfitted = {}\npositives = {}\nnegatives = {}\nflagged_right = {}\nflagged_wrong = {}\n",
                    guide::of(rule).filter(|x| x.corpus == g.corpus).collect::<Vec<_>>(),
                    g.code, g.corpus, g.fitted, g.positives, g.negatives, g.flagged_right, g.flagged_wrong
                ));
            }
        }
    }
    println!("{report}");
    for w in &all_wrong {
        println!("{w}");
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// PR-10 and PR-11 on the 第5表 corpus: which entries are home visits and
/// monitorings (each entry judged as the rules judge it), and which months
/// the rules list when the whole 第5表 is read from a workbook.
#[test]
fn visits_and_monitoring_on_the_progress_corpus() {
    use lsw::audit::records::is_home_visit;
    use lsw::text::norm_cow;
    let all = corpus("progress.toml");
    let entries = all.get("entry").and_then(Value::as_array).expect("entries");
    let c = Constants::builtin();
    let r = &c.records;
    // The 項目 as a form writes it: the means, then what it was about.
    let item_of = |e: &Value| format!("{}／{}", s(e, "means"), s(e, "item"));
    let mut report = String::new();
    let mut mismatches = Vec::new();
    for (rule, label) in [("PR-10", "home_visit"), ("PR-11", "monitoring")] {
        let mut g = guide::Guide {
            code: rule.into(),
            corpus: "tests/corpora/progress.toml".into(),
            fitted: true,
            positive: Some(
                if rule == "PR-10" {
                    "居宅訪問でない第5表の記録"
                } else {
                    "モニタリングの記録でない第5表の記録"
                }
                .into(),
            ),
            positives: 0,
            negatives: 0,
            flagged_right: 0,
            flagged_wrong: 0,
        };
        for e in entries {
            let (item, content) = (norm_cow(&item_of(e)).into_owned(), norm_cow(s(e, "content")).into_owned());
            let visit = is_home_visit(r, &item, &content);
            let judged = match label {
                "home_visit" => visit,
                _ => visit && r.monitoring.any(&r.visit_services.replace(&format!("{item}\n{content}"), "□")),
            };
            let expect = e.get(label).and_then(Value::as_bool).expect("label");
            // The rules look for months *without* one: a "positive" is an
            // entry that is not a visit (monitoring).
            let (pos, flagged) = (!expect, !judged);
            if pos {
                g.positives += 1;
            } else {
                g.negatives += 1;
            }
            match (pos, flagged) {
                (true, true) => g.flagged_right += 1,
                (false, true) => g.flagged_wrong += 1,
                _ => {}
            }
            if pos != flagged {
                println!("{rule}: {} {} {}", s(e, "date"), item_of(e), s(e, "content").replace('\n', "⏎"));
            }
        }
        report.push_str(&format!(
            "{rule} entries: {} not-{label} / {} {label}; judged not-{label}: {} right, {} wrong; precision {}%, recall {}%\n",
            g.positives,
            g.negatives,
            g.flagged_right,
            g.flagged_wrong,
            g.precision().unwrap_or(0),
            g.recall().unwrap_or(0)
        ));
        if !guide::of(rule).any(|shipped| *shipped == g) {
            mismatches.push(format!("{rule}: the progress corpus gives {g:?}"));
        }
    }
    println!("{report}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    // The months, through a workbook: a plan agreed on 2025-04-14, audited
    // on 2025-09-10.
    let mut plan = support::sample::form_plan(false);
    plan.plan_date = (2025, 4, 14);
    plan.created = (2025, 4, 14);
    plan.consent = "令和7年4月14日".into();
    plan.first_created = "令和7年4月14日".into();
    plan.plan_kind = "■初回 □紹介 □継続".into();
    plan.meeting.held = (2025, 4, 14);
    plan.progress = entries
        .iter()
        .map(|e| {
            let d = e.get("date").and_then(Value::as_datetime).expect("date").date.expect("date");
            (format!("令和{}年{}月{}日", d.year - 2018, d.month, d.day), item_of(e), s(e, "content").to_string())
        })
        .collect();
    let dir = tempfile::tempdir().expect("tmp");
    write(&dir.path().join("山田太郎.xlsx"), &support::forms::workbook(&plan, false).expect("workbook"));
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    let pool = lsw::batch::thread_pool(Some(1)).expect("pool");
    let m = lsw::batch::ingest_and_map(
        &[dir.path().to_path_buf()],
        &mappings,
        lsw::ingest::encoding::EncodingChoice::Auto,
        &pool,
    );
    assert!(m.problems.is_empty(), "{:#?}", m.problems);
    let p = &m.assembled.plans[0];
    let forms = lsw::lsw::convert(p, &lsw::lsw::rules::builtin());
    let config = Config::default().on(Some("2025-09-10".parse().expect("date")));
    let a = audit::audit(p, &forms, "office", &c, &config);
    let of = |code: &str| a.findings.iter().filter(|f| f.code == code).map(|f| f.message.clone()).collect::<Vec<_>>();
    // The corpus's months: June has no visit (PR-10) and its record gives a
    // CM-side reason (PR-13); no other month lacks a visit or a monitoring.
    assert_eq!(
        of("PR-10"),
        ["【要確認】令和7年6月に利用者の居宅を訪問し面接した記録がありません（少なくとも1月に1回必要です）。"]
    );
    assert!(of("PR-11").is_empty(), "{:?}", of("PR-11"));
    let pr13 = of("PR-13");
    assert!(pr13.len() == 1 && pr13[0].contains("令和7年6月") && pr13[0].contains("研修"), "{pr13:?}");
}
