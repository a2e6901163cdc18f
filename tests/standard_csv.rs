//! The standard CSV (ケアプランデータ連携標準仕様): the spec's own examples,
//! grouping rules and versions.

mod support;

use lsw::batch::{ingest_and_map, load_mappings, thread_pool, Mapped};
use lsw::ingest::encoding::EncodingChoice;
use std::path::Path;
use support::standard::{self as st};
use support::{crlf, sjis, write};

fn map(dir: &Path) -> Mapped {
    let mappings = load_mappings(&[]).expect("mappings");
    ingest_and_map(&[dir.to_path_buf()], &mappings, EncodingChoice::Auto, &thread_pool(Some(1)).expect("pool"))
}

#[test]
fn spec_example_rebuilds_table2_with_a_new_short_goal_inside_one_goal_no() {
    let m = map(Path::new("fixtures/spec-example"));
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.assembled.plans.len(), 1);
    let p = &m.assembled.plans[0];
    assert_eq!(
        (p.key.insurer_no.as_deref().unwrap_or(""), p.key.insured_no.as_deref().unwrap_or("")),
        ("123456", "123456789")
    );
    // need → long goals → short goals → service contents.
    type Shape = Vec<(String, Vec<(String, Vec<(String, Vec<String>)>)>)>;
    let shape: Shape = p
        .table2
        .needs
        .iter()
        .map(|n| {
            (
                n.text.clone().unwrap_or_default(),
                n.long_goals
                    .iter()
                    .map(|g| {
                        (
                            g.text.clone().unwrap_or_default(),
                            g.short_goals
                                .iter()
                                .map(|s| {
                                    (
                                        s.text.clone().unwrap_or_default(),
                                        s.services.iter().map(|v| v.content.clone().unwrap_or_default()).collect(),
                                    )
                                })
                                .collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let s = |a: &str| a.to_string();
    assert_eq!(
        shape,
        vec![
            (
                s("課題１"),
                vec![
                    (
                        s("長期１"),
                        vec![
                            (s("短期１"), vec![s("サービス１"), s("サービス２")]),
                            (s("短期２"), vec![s("サービス３")])
                        ]
                    ),
                    (s("長期２"), vec![(s("短期３"), vec![s("サービス４")])]),
                ]
            ),
            (s("課題２"), vec![(s("長期３"), vec![(s("短期４"), vec![s("サービス５")])])]),
        ]
    );
    // ※1: Y → true; blank (家政婦, 医療) → unknown, never guessed as N.
    let insured: Vec<Option<bool>> = p
        .table2
        .needs
        .iter()
        .flat_map(|n| &n.long_goals)
        .flat_map(|g| &g.short_goals)
        .flat_map(|s| &s.services)
        .map(|v| v.insured)
        .collect();
    assert_eq!(insured, vec![Some(true), None, Some(true), None, Some(true)]);
    // Periods are free text in the standard: kept as written.
    assert_eq!(p.table2.needs[0].long_goals[0].period.as_ref().map(|x| x.raw.as_str()), Some("aaaa"));
    // 第3表: one record per slot, activity or non-weekly item.
    let weekly: Vec<_> =
        p.table3.weekly.iter().map(|w| (w.day.clone(), w.start.clone(), w.end.clone(), w.service.clone())).collect();
    assert_eq!(
        weekly,
        vec![
            (Some(s("月")), Some(s("12:00")), Some(s("16:00")), s("訪問介護")),
            (Some(s("木")), Some(s("10:00")), Some(s("12:00")), s("通所介護")),
        ]
    );
    let acts: Vec<_> = p.table3.daily_activities.iter().map(|a| (a.start.clone(), a.text.clone())).collect();
    assert_eq!(acts, vec![(Some(s("06:00")), s("起床")), (Some(s("21:00")), s("就寝"))]);
    assert_eq!(p.table3.non_weekly, vec![s("通院"), s("福祉用具貸与")]);
    // Positions: the second service is on line 2, column 14 of UP2KYO.
    let svc2 = &p.table2.needs[0].long_goals[0].short_goals[0].services[1];
    assert_eq!(svc2.source.line, Some(2));
    assert_eq!(svc2.sources["content"].column, Some(14));
}

/// How many 第2表 services a plan has, over all its needs and goals.
fn service_count(plan: &lsw::model::CarePlan) -> usize {
    plan.table2.needs.iter().flat_map(|n| &n.long_goals).flat_map(|g| &g.short_goals).map(|s| s.services.len()).sum()
}

fn plan(insured: &str, date: &str) -> st::StdPlan {
    let (mut p, _, _) = support::sample::standard_plans();
    p.insured = insured.into();
    p.plan_date = date.into();
    p.created = date.into();
    p
}

#[test]
fn repeated_values_and_unsorted_rows_give_the_same_hierarchy_as_blank_continuation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blank = plan("0000000001", "20250401");
    // Same plan for another person, written with values repeated on every row and rows shuffled.
    let mut repeated = plan("0000000002", "20250401");
    let mut last = st::Row2::default();
    for r in repeated.rows2.iter_mut() {
        if r.need.is_empty() {
            r.need = last.need.clone();
        }
        if r.long_goal.is_empty() && r.goal_no == last.goal_no && r.need_no == last.need_no {
            r.long_goal = last.long_goal.clone();
            r.long_period = last.long_period.clone();
        }
        if r.short_goal.is_empty() && r.goal_no == last.goal_no && r.need_no == last.need_no {
            r.short_goal = last.short_goal.clone();
            r.short_period = last.short_period.clone();
        }
        last = r.clone();
    }
    repeated.rows2.reverse();
    let mut lines = st::up2kyo(&blank);
    lines.extend(st::up2kyo(&repeated));
    write(&dir.path().join(st::file_name("UP2KYO", None, "1370000001", "1370100001", true)), &sjis(&crlf(&lines)));
    let m = map(dir.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.assembled.plans.len(), 2);
    let strip = |p: &lsw::model::CarePlan| {
        let mut v = serde_json::to_value(&p.table2).expect("json");
        strip_sources(&mut v);
        v
    };
    assert_eq!(strip(&m.assembled.plans[0]), strip(&m.assembled.plans[1]));
}

fn strip_sources(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("source");
            o.remove("sources");
            for x in o.values_mut() {
                strip_sources(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_sources),
        _ => {}
    }
}

#[test]
fn exact_duplicate_rows_are_merged_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = plan("0000000003", "20250401");
    let mut lines = st::up2kyo(&p);
    lines.push(lines[0].clone());
    lines.push(lines[3].clone());
    write(&dir.path().join(st::file_name("UP2KYO", None, "1370000001", "1370100001", true)), &sjis(&crlf(&lines)));
    let m = map(dir.path());
    assert_eq!(m.counts.duplicates, 2);
    let plan = &m.assembled.plans[0];
    let services = service_count(plan);
    assert_eq!(services, p.rows2.len());
    let lines_dup: Vec<_> = plan.provenance.duplicates.iter().map(|d| (d.source.line, d.duplicate_of.line)).collect();
    // The two copies are the last two lines of the file (1-based).
    let n = lines.len() as u64;
    assert_eq!(lines_dup, vec![(Some(n - 1), Some(1)), (Some(n), Some(4))]);
}

#[test]
fn generations_are_separate_plans_and_months_attach_to_the_plan_in_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = plan("0000000004", "20250401");
    let b = plan("0000000004", "20251001");
    let f = |prefix: &str, month: Option<&str>| {
        dir.path().join(st::file_name(prefix, month, "1370000001", "1370100001", true))
    };
    write(&f("UP1KYO", None), &sjis(&crlf(&[st::up1kyo(&a), st::up1kyo(&b)])));
    let uses = support::sample::uses_p1();
    // 2025-09 belongs to the April plan, 2025-10 and 2025-11 to the October plan, 2025-03 to none.
    for month in ["202503", "202509", "202510", "202511"] {
        write(&f("UPPLAN", Some(month)), &sjis(&crlf(&st::upplan(&a, month, &uses, true))));
    }
    let m = map(dir.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let by_date: Vec<(Option<String>, Option<String>, Vec<String>)> = m
        .assembled
        .plans
        .iter()
        .map(|p| {
            (
                p.key.plan_date.map(|d| d.to_string()),
                p.table6.as_ref().map(|t| t.month.clone()),
                p.earlier_months.iter().map(|x| x.month.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        by_date,
        vec![
            (None, Some("2025-03".into()), vec![]),
            (Some("2025-04-01".into()), Some("2025-09".into()), vec![]),
            (Some("2025-10-01".into()), Some("2025-11".into()), vec!["2025-10".into()]),
        ]
    );
    let t6 = m.assembled.plans[2].table6.as_ref().expect("table6");
    let days: Vec<usize> = t6.rows.iter().map(|r| r.dates.len()).collect();
    assert_eq!(days, vec![1, 5, 9]);
}

#[test]
fn v3_file_names_and_versions_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = plan("0000000005", "20230105");
    p.version = "201910";
    let uses = support::sample::uses_p1();
    let f = |prefix: &str, month: Option<&str>| {
        dir.path().join(st::file_name(prefix, month, "137000001", "137010001", false))
    };
    write(&f("UP1KYO", None), &sjis(&crlf(&[st::up1kyo(&p)])));
    write(&f("UP2KYO", None), &sjis(&crlf(&st::up2kyo(&p))));
    write(&f("UPPLAN", Some("202301")), &sjis(&crlf(&st::upplan(&p, "202301", &uses, false))));
    write(&f("UPSIKYU", Some("202301")), &sjis(&crlf(&st::upsikyu(&p, "202301", &uses, false))));
    let m = map(dir.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let sources: Vec<Vec<String>> = m.entries.iter().map(|e| e.sources.clone()).collect();
    assert_eq!(
        sources,
        vec![vec!["up1kyo".to_string()], vec!["up2kyo".into()], vec!["upplan_v3".into()], vec!["upsikyu_v3".into()]]
    );
    let plan = &m.assembled.plans[0];
    assert_eq!(plan.table7.as_ref().and_then(|t| t.totals.as_ref()).map(|t| t.amounts["service_units"]), Some(7073.0));
    assert_eq!(plan.table1.plan_kind.as_deref(), Some("初回"));
    assert_eq!(plan.table1.certification.care_level.as_deref(), Some("要介護2"));
}

#[test]
fn care_levels_are_normalised_from_codes_and_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut lines = Vec::new();
    for (i, code) in ["06", "12", "13", "21", "22", "23", "24", "25"].iter().enumerate() {
        let mut p = plan(&format!("00000001{i:02}"), "20250401");
        p.care_level_code = code;
        lines.push(st::up1kyo(&p));
    }
    write(&dir.path().join(st::file_name("UP1KYO", None, "1370000001", "1370100001", true)), &sjis(&crlf(&lines)));
    let m = map(dir.path());
    let levels: Vec<String> =
        m.assembled.plans.iter().filter_map(|p| p.table1.certification.care_level.clone()).collect();
    assert_eq!(levels, ["事業対象者", "要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]);
}

/// The spec gives one CSVバージョン per file (its columns follow it): a
/// UP1KYO file whose second plan says another version is reported at that
/// record's version cell; the same two plans under one version are not.
#[test]
fn a_file_that_changes_its_csv_version_midway_is_reported_at_that_record() {
    let write_pair = |dir: &Path, second: &'static str| {
        let a = plan("0000000011", "20250401");
        let mut b = plan("0000000012", "20250401");
        b.version = second;
        let name = st::file_name("UP1KYO", None, "1370000001", "1370100001", true);
        let first = st::up1kyo(&a);
        write(&dir.join(name), &sjis(&crlf(&[first.clone(), st::up1kyo(&b)])));
        // The second record's line (free text may hold line breaks).
        (a.version, first.lines().count() as u64 + 1)
    };
    let mixed = tempfile::tempdir().expect("tempdir");
    let (first, line) = write_pair(mixed.path(), "202208");
    assert_ne!(first, "202208");
    let m = map(mixed.path());
    let said: Vec<_> =
        m.problems.iter().filter(|p| p.message.contains("CSVバージョンが途中で変わっています")).collect();
    assert_eq!(said.len(), 1, "{:?}", m.problems);
    assert_eq!((said[0].location.line, said[0].location.column), (Some(line), Some(1)), "{:?}", said[0]);
    assert!(said[0].message.contains(first) && said[0].message.contains("202208"), "{}", said[0].message);
    // Both plans are still read.
    assert_eq!(m.assembled.plans.len(), 2);
    // Near miss: one version throughout.
    let same = tempfile::tempdir().expect("tempdir");
    write_pair(same.path(), first);
    let m = map(same.path());
    assert!(m.problems.iter().all(|p| !p.message.contains("CSVバージョン")), "{:?}", m.problems);
}

#[test]
fn a_need_row_without_a_service_makes_no_service_and_its_updater_code_is_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = plan("0000000004", "20250401");
    let services_before = p.rows2.len();
    // A need written with its goals but no service yet (援助内容 columns
    // blank), as an exporter writes a need still being planned.
    let last_need = p.rows2.iter().map(|r| r.need_no).max().unwrap_or(0);
    p.rows2.push(st::Row2 {
        need_no: last_need + 1,
        need: "夜間に一人でトイレへ行けるようになりたい".into(),
        goal_no: 1,
        long_goal: "夜間も自分でトイレに行ける".into(),
        long_period: "R7.4.1～R7.9.30".into(),
        short_goal: "手すりを使って寝室からトイレまで歩ける".into(),
        short_period: "R7.4.1～R7.6.30".into(),
        ..st::Row2::default()
    });
    // Every row carries the exporting system's 更新業者コード (column 21);
    // the new row's 援助内容NO (column 13) is blank too.
    let n = p.rows2.len();
    let lines: Vec<String> = st::up2kyo(&p)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let mut f: Vec<String> = line.split(',').map(str::to_string).collect();
            f[20] = "V0001".into();
            if i == n - 1 {
                f[12] = String::new();
            }
            f.join(",")
        })
        .collect();
    write(&dir.path().join(st::file_name("UP2KYO", None, "1370000001", "1370100001", true)), &sjis(&crlf(&lines)));
    let m = map(dir.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let plan = &m.assembled.plans[0];
    let need = plan.table2.needs.last().expect("the new need");
    assert_eq!(need.text.as_deref(), Some("夜間に一人でトイレへ行けるようになりたい"));
    let short = &need.long_goals[0].short_goals[0];
    assert_eq!(short.text.as_deref(), Some("手すりを使って寝室からトイレまで歩ける"));
    assert!(short.services.is_empty(), "a row with only metadata made a service: {:?}", short.services);
    let services = service_count(plan);
    assert_eq!(services, services_before);
    // The code is kept once, counted over the rows that carried it.
    let meta: Vec<_> = plan.meta.iter().map(|m| (m.label.as_str(), m.value.as_str(), m.count)).collect();
    assert_eq!(meta, vec![("更新業者コード", "V0001", n)]);
}
