//! Life Support Work forms: golden lsw.json of the sample, nothing dropped,
//! the classification rules, and lsw.xlsx read back.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn run(input: &str, out: &Path, extra: &[&str]) {
    let o = Command::cargo_bin("lsw")
        .expect("bin")
        .args(["run", input, "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

fn plan_dirs(out: &Path) -> Vec<(String, PathBuf)> {
    let m = read_json(&out.join("manifest.json"));
    let mut v: Vec<(String, PathBuf)> = m["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .map(|p| {
            let rel = p["path"].as_str().expect("path").to_string();
            let dir = out.join(&rel);
            (rel, dir)
        })
        .collect();
    v.sort();
    v
}

/// Every string under the plan's tables, person and office.
fn plan_strings(v: &Value, key: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                // Positions and provenance describe values; they are not values.
                // Metadata the mapping declares stays in plan.json, counted in
                // lsw.json (checked below).
                if matches!(k.as_str(), "source" | "sources" | "provenance" | "key" | "meta") || k.ends_with("_sources")
                {
                    continue;
                }
                plan_strings(x, &format!("{key}.{k}"), out);
            }
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| plan_strings(x, &format!("{key}[{i}]"), out)),
        Value::String(s) if !s.is_empty() => out.push((key.to_string(), s.clone())),
        _ => {}
    }
}

fn all_strings(v: &Value, out: &mut String) {
    match v {
        Value::Object(o) => o.values().for_each(|x| all_strings(x, out)),
        Value::Array(a) => a.iter().for_each(|x| all_strings(x, out)),
        Value::String(s) => {
            out.push_str(s);
            out.push('\u{1}');
        }
        Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push('\u{1}');
        }
        _ => {}
    }
}

/// Nothing is dropped: every text of every plan.json of the sample is in the
/// plan's lsw.json, placed or unclassified.
#[test]
fn every_plan_value_reaches_lsw_json() {
    for input in ["fixtures/sample", "fixtures/spec-example"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        run(input, &out, &["--no-xlsx"]);
        for (rel, d) in plan_dirs(&out) {
            let plan = read_json(&d.join("plan.json"));
            let lsw = read_json(&d.join("lsw.json"));
            let mut hay = String::new();
            all_strings(&lsw, &mut hay);
            let mut values = Vec::new();
            plan_strings(&plan, "plan", &mut values);
            // Meeting records are split into sentences (検討 / 結論), so a value
            // counts as kept when each of its sentences is.
            let kept = |s: &str| {
                s.split_inclusive(['。', '\n']).map(str::trim).filter(|p| !p.is_empty()).all(|p| hay.contains(p))
            };
            let missing: Vec<String> =
                values.iter().filter(|(_, s)| !kept(s)).map(|(k, s)| format!("{k} = {s}")).collect();
            assert!(missing.is_empty(), "{rel}: values of plan.json missing from lsw.json:\n{}", missing.join("\n"));
            let meta: u64 =
                plan["meta"].as_array().into_iter().flatten().map(|m| m["count"].as_u64().expect("count")).sum();
            assert_eq!(lsw["meta_count"].as_u64(), Some(meta), "{rel}: metadata counted");
            assert!(!d.join("lsw.xlsx").exists(), "--no-xlsx must skip the workbook");
        }
    }
}

#[test]
fn sample_forms_match_their_snapshots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    run("fixtures/sample", &out, &[]);
    for (rel, d) in plan_dirs(&out) {
        let lsw = read_json(&d.join("lsw.json"));
        insta::assert_json_snapshot!(rel.replace('/', "__"), lsw);
    }
}

/// A service placed through the catalogue, read from a workbook the test
/// writes: 「地域密着型通所介護」 is a 事業所's service although its name holds
/// 「地域」; the neighbour who drops by is still 地域 (near miss).
#[test]
fn a_community_based_day_service_is_the_office_s_not_the_community_s() {
    use support::forms::Svc;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = support::sample::form_plan(false);
    let svc = |content: &str, insured: &'static str, kind: &str, provider: &str| Svc {
        content: content.into(),
        insured,
        kind: kind.into(),
        provider: provider.into(),
        frequency: "週2回".into(),
        period: "R7.7.1～R7.12.31".into(),
    };
    p.needs[0].shorts[0].2 = vec![
        svc("入浴の介助と体操", "○", "地域密着型通所介護", "デイサービスさくら"),
        svc("入浴日に様子を見に寄る", "", "地域", "近所の友人"),
    ];
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    support::write(&input.join("plan.xlsx"), &support::forms::workbook(&p, false).expect("xlsx"));
    let out = dir.path().join("out");
    run(input.to_str().expect("utf-8"), &out, &["--no-xlsx"]);
    let dirs = plan_dirs(&out);
    assert_eq!(dirs.len(), 1);
    let lsw = read_json(&dirs[0].1.join("lsw.json"));
    let need = &lsw["form3"]["needs"][0];
    let texts = |col: &str| -> String {
        need[col].as_array().expect(col).iter().map(|x| x["text"].as_str().unwrap_or("").to_string()).collect()
    };
    assert!(texts("office").contains("入浴の介助と体操"), "{need}");
    assert!(!texts("community").contains("入浴の介助と体操"), "{need}");
    assert!(texts("community").contains("様子を見に寄る"), "{need}");
}

mod classification {
    use lsw::lsw::convert::{who_provides, Who};
    use lsw::lsw::rules;

    fn who(kind: &str, provider: &str, insured: Option<bool>) -> Option<Who> {
        who_provides(
            &rules::builtin(),
            Some(kind).filter(|k| !k.is_empty()),
            Some(provider).filter(|p| !p.is_empty()),
            insured,
        )
    }

    #[test]
    fn family_community_person_office_and_other_services() {
        assert_eq!(who("家族", "長女", None), Some(Who::Family));
        assert_eq!(who("", "長男", None), Some(Who::Family));
        assert_eq!(who("地域", "民生委員", None), Some(Who::Community));
        assert_eq!(who("インフォーマル", "近所の友人", None), Some(Who::Community));
        assert_eq!(who("本人", "", None), Some(Who::Person));
        assert_eq!(who("訪問介護", "ヘルパーステーションあおぞら", Some(true)), Some(Who::Office));
        assert_eq!(who("訪問看護", "ｙｙｙ看護ステーション", Some(true)), Some(Who::OtherService));
        assert_eq!(who("福祉用具貸与", "福祉用具センターみどり", Some(true)), Some(Who::OtherService));
        assert_eq!(who("医療", "ｘｘｘ病院", None), Some(Who::Office));
        // The catalogue before the words: 78 is a 事業所's service, not 地域.
        assert_eq!(who("地域密着型通所介護", "", None), Some(Who::Office));
        assert_eq!(who("", "地域密着型デイサービスさくら", None), Some(Who::Office));
        assert_eq!(who("地域の見守り", "民生委員", None), Some(Who::Community));
    }

    #[test]
    fn an_insured_service_nobody_named_is_the_office_s_and_the_rest_is_unknown() {
        assert_eq!(who("サービス１", "ＸＸＸ事業所", Some(true)), Some(Who::Office));
        assert_eq!(who("ＡＢＣ", "ＤＥＦ", Some(true)), Some(Who::Office));
        assert_eq!(who("ＡＢＣ", "ＤＥＦ", None), None);
    }

    #[test]
    fn an_office_s_own_rules_change_the_placement() {
        let text = rules::BUILTIN.replace("\"民生委員\",", "");
        let own = rules::load(&text).expect("rules");
        assert_eq!(who_provides(&own, Some("地域の民生委員"), None, None), Some(Who::Community), "地域 still matches");
        let text = rules::BUILTIN.replace("\"民生委員\", ", "").replace("\"地域\", ", "");
        let own = rules::load(&text).expect("rules");
        assert_eq!(who_provides(&own, Some("民生委員"), None, None), None);
    }

    /// The service catalogue decides before the words: 「地域密着型通所介護」
    /// is a 通所 service (not 地域), 通所リハビリ cannot be kept (not 他の
    /// 介護保険サービス), and an ambiguous ヘルパー counts only when ※1 marks it.
    #[test]
    fn the_service_catalogue_decides_before_the_words() {
        use lsw::lsw::convert::decide;
        let r = rules::builtin();
        let by = |d: Option<lsw::lsw::convert::Decision>| d.and_then(|d| d.replace).and_then(|x| x.by);
        let d = decide(&r, Some("地域密着型通所介護"), None, Some(true));
        assert_eq!(d.as_ref().map(|d| d.who), Some(Who::Office));
        assert_eq!(by(d).as_deref(), Some("通い"));
        let d = decide(&r, Some("通所リハビリテーション"), Some("リハビリセンター"), Some(true));
        assert_eq!(d.as_ref().map(|d| d.who), Some(Who::Office));
        assert_eq!(by(d).as_deref(), Some("通い"));
        assert_eq!(by(decide(&r, Some("短期入所生活介護"), None, None)).as_deref(), Some("宿泊"));
        let d = decide(&r, Some("訪問看護"), None, Some(true)).expect("decided");
        assert_eq!((d.who, d.replace), (Who::OtherService, None));
        // サービス種別 first: the family's help given with a helper is the family's.
        assert_eq!(decide(&r, Some("家族"), Some("ヘルパーステーション"), None).map(|d| d.who), Some(Who::Family));
        // ヘルパー may be private: marked only when insured.
        assert_eq!(by(decide(&r, Some("ヘルパー"), None, None)), None);
        assert_eq!(by(decide(&r, Some("ヘルパー"), None, Some(true))).as_deref(), Some("訪問"));
    }

    #[test]
    fn bad_rules_are_reported_with_their_line() {
        let text = rules::BUILTIN.replace("time = \"12:00\"", "time = \"12時\"");
        let err = rules::load(&text).expect_err("bad time");
        assert!(err.iter().any(|p| p.line > 0 && p.message.contains("12時")), "{err:?}");
        let err = rules::load("format_version = 1\nname = 1\n").expect_err("bad");
        assert!(err[0].message.contains("読めません"), "{err:?}");
    }
}

/// lsw.xlsx re-read with calamine: the expected texts in the expected cells.
#[test]
fn the_workbook_reads_back_with_the_texts_in_their_cells() {
    use calamine::{open_workbook_auto, Data, Reader};
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    run("fixtures/sample", &out, &[]);
    let d = out.join("offices/1370000001/plans/131001-0000100001-20251001");
    let forms = read_json(&d.join("lsw.json"));
    let mut wb = open_workbook_auto(d.join("lsw.xlsx")).expect("open");
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "様式1 記録・ミーティング",
            "様式2 カンファレンス",
            "様式3 ライフサポートプラン①",
            "様式4 ライフサポートプラン②",
            "第6表 サービス利用票",
            "第7表 サービス利用票別表",
            "未分類"
        ]
    );
    let ranges: std::collections::HashMap<String, calamine::Range<Data>> =
        names.iter().map(|n| (n.clone(), wb.worksheet_range(n).expect("sheet"))).collect();
    let text = |sheet: &str, row: u32, col: u32| -> String {
        match ranges[sheet].get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    };
    let wb_range = |sheet: &str| ranges[sheet].clone();
    // 様式3: title, the person's intention, the needs table.
    assert_eq!(text("様式3 ライフサポートプラン①", 0, 0), "様式３　ライフサポートプラン①");
    assert!(text("様式3 ライフサポートプラン①", 1, 0).contains("山田 花子"));
    let s3 = wb_range("様式3 ライフサポートプラン①");
    let find = |r: &calamine::Range<Data>, needle: &str| -> Option<(u32, u32)> {
        r.cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == needle))
            .map(|(row, col, _)| (row as u32, col as u32))
    };
    let (hr, _) = find(&s3, "当面の目標・ニーズ").expect("needs header");
    // Two header rows; then a row per 当面の目標 (the 第2表 短期目標).
    assert_eq!(
        text("様式3 ライフサポートプラン①", hr + 2, 0),
        forms["form3"]["needs"][0]["need"]["text"].as_str().expect("need")
    );
    assert_eq!(
        text("様式3 ライフサポートプラン①", hr + 2, 1),
        forms["form3"]["needs"][0]["short_goal"]["text"].as_str().expect("short goal")
    );
    assert_eq!(text("様式3 ライフサポートプラン①", hr + 2, 4), "入浴の声かけと見守り（長女）");
    // Nothing from the 居宅 plan for 本人 here: a marked blank.
    assert_eq!(text("様式3 ライフサポートプラン①", hr + 2, 3), "（小多機で記入）");
    let (ir, _) = find(&s3, "本人の意向").expect("intention label");
    assert_eq!(
        text("様式3 ライフサポートプラン①", ir, 2),
        forms["form3"]["intentions"]["person"]["text"].as_str().expect("person")
    );
    // 様式4: the 06:00 row: これまでの暮らし is the 小多機's to write; what
    // the person does now (第3表's activity) is in できること.
    let s4 = wb_range("様式4 ライフサポートプラン②");
    let (r6, c6) = find(&s4, "06:00").expect("06:00 row");
    assert_eq!(text("様式4 ライフサポートプラン②", r6, c6 + 1), "（小多機で記入）");
    assert_eq!(text("様式4 ライフサポートプラン②", r6, c6 + 3), "起床・洗面（06:30〜07:00）");
    // 第6/7表 as the MHLW forms: numbers are numbers, 合計 without marker values.
    let s7 = wb_range("第7表 サービス利用票別表");
    let (tr, _) = find(&s7, "合計").expect("合計 row");
    assert!(matches!(s7.get_value((tr, 8)), Some(Data::Float(n)) if *n > 0.0), "{:?}", s7.get_value((tr, 8)));
    assert!(s7.cells().all(|(_, _, v)| !matches!(v, Data::String(s) if s.contains("999999"))), "no marker codes");
    let s6 = wb_range("第6表 サービス利用票");
    assert!(s6.cells().any(|(_, _, v)| matches!(v, Data::Float(n) if *n == 9.0)), "合計回数 as a number");
}

/// A3 landscape for 様式4, A4 for the others; fixed bytes for the same input.
#[test]
fn page_setup_and_deterministic_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run("fixtures/sample", &a, &[]);
    run("fixtures/sample", &b, &[]);
    for (rel, d) in plan_dirs(&a) {
        let x = std::fs::read(d.join("lsw.xlsx")).expect("a");
        let y = std::fs::read(b.join(&rel).join("lsw.xlsx")).expect("b");
        assert!(x == y, "{rel}/lsw.xlsx differs between runs");
        assert_eq!(
            std::fs::read(d.join("lsw.json")).expect("a"),
            std::fs::read(b.join(&rel).join("lsw.json")).expect("b")
        );
    }
    let (_, d) = plan_dirs(&a).into_iter().next().expect("a plan");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.join("lsw.xlsx")).expect("xlsx")).expect("zip");
    let mut sheet = |n: usize| -> String {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).expect("sheet"), &mut s)
            .expect("read");
        s
    };
    let s4 = sheet(4);
    assert!(s4.contains("paperSize=\"8\"") && s4.contains("orientation=\"landscape\""), "様式4 is A3 landscape");
    let s1 = sheet(1);
    assert!(s1.contains("paperSize=\"9\""), "様式1 is A4");
    assert!(s1.contains("fitToWidth=\"1\"") || s1.contains("fitToPage=\"1\""), "fit to width");
}
