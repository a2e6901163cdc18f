//! Plans from the paper forms (issue 19): the MHLW 第1表 carries no
//! 保険者番号/被保険者番号, so such plans are keyed by office, 利用者名 and
//! 生年月日; several persons or pages in one workbook; a roster (利用者一覧)
//! that attaches the numbers so the plan joins the same person's standard-CSV
//! 第6/7表. Every test writes its inputs and reads the CLI's outputs back.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::forms::{self, FormPlan, Part};
use support::{crlf, sjis, standard as st, write};

fn lsw(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lsw").expect("binary").env("SOURCE_DATE_EPOCH", "1795186800").args(args).output().expect("run")
}

fn run(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args =
        vec!["run", input.to_str().expect("utf8"), "--out", out.to_str().expect("utf8"), "--quiet", "--no-pdf"];
    args.extend(extra);
    lsw(&args)
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

/// Every plan.json under `out`, with its folder relative to `out`.
fn plans(out: &Path) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for office in std::fs::read_dir(out.join("offices")).into_iter().flatten().flatten() {
        for plan in std::fs::read_dir(office.path().join("plans")).into_iter().flatten().flatten() {
            let rel = plan.path().strip_prefix(out).expect("under out").to_string_lossy().replace('\\', "/");
            found.push((rel, json(&plan.path().join("plan.json"))));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn errors(out: &Path) -> Vec<Value> {
    json(&out.join("errors.json")).as_array().cloned().unwrap_or_default()
}

/// A person's plan on the paper forms: no numbers, no 事業所番号.
fn paper(name: &str, birth: &str) -> FormPlan {
    let mut p = support::sample::form_plan(false);
    p.insurer = String::new();
    p.insured = String::new();
    p.office_code = None;
    p.name = name.into();
    p.birth = birth.into();
    p
}

fn texts(plan: &Value, pointer: &str) -> Vec<String> {
    plan.pointer(pointer)
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|n| n["text"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn a_paper_form_without_numbers_is_a_plan_keyed_by_office_name_and_birth_date() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("居宅介護支援センターみなみ");
    let p = paper("山田　花子", "昭和15年03月03日（85歳）");
    write(&input.join("山田花子.xlsx"), &forms::workbook(&p, false).expect("xlsx"));
    let out = tmp.path().join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
    let all = plans(&out);
    assert_eq!(all.len(), 1, "{all:?}");
    let (dir, plan) = &all[0];
    // A readable folder under the input folder's office.
    assert_eq!(dir, "offices/居宅介護支援センターみなみ/plans/山田花子-19400303-20250701");
    let key = &plan["key"];
    assert_eq!(key["insurer_no"], Value::Null, "the numbers are never invented");
    assert_eq!(key["insured_no"], Value::Null);
    assert_eq!(key["plan_date"], "2025-07-01");
    assert_eq!(key["basis"], "name_and_birth_date");
    assert_eq!(key["person"]["name"], "山田花子");
    assert_eq!(key["person"]["birth_date"], "1940-03-03");
    // The office by its name: the address after it in the 「事業所名及び所在地」 cell is its address.
    assert_eq!(key["person"]["office"], "name:居宅介護支援センターひまわり");
    assert_eq!(plan["office"]["name"], "居宅介護支援センターひまわり");
    assert_eq!(plan["office"]["address"], "東京都架空市緑町一丁目1番1号");
    // The plan itself, value by value.
    assert_eq!(plan["person"]["name"], "山田　花子");
    assert_eq!(plan["person"]["birth_date"], "1940-03-03");
    let t1 = &plan["table1"];
    assert_eq!(t1["plan_kind"], "継続");
    assert_eq!(t1["certification"]["status"], "認定済");
    assert_eq!(t1["certification"]["care_level"], "要介護2");
    assert_eq!(t1["certification"]["valid_from"], "2025-07-01");
    assert_eq!(t1["certification"]["valid_to"], "2027-06-30");
    assert_eq!(t1["living_support_reason"]["code"], "一人暮らし");
    assert_eq!(texts(plan, "/table2/needs"), ["夜間も安全にトイレに行きたい", "日中の楽しみを持ちたい"]);
    let services: usize = plan["table2"]["needs"]
        .as_array()
        .expect("needs")
        .iter()
        .flat_map(|n| n["long_goals"].as_array().cloned().unwrap_or_default())
        .flat_map(|g| g["short_goals"].as_array().cloned().unwrap_or_default())
        .map(|s| s["services"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(services, 10);
    assert_eq!(plan["table3"]["weekly"].as_array().map(Vec::len), Some(3));
    assert_eq!(plan["table4"][0]["held_on"], "2025-06-28");
    assert_eq!(plan["table4"][0]["attendees"].as_array().map(Vec::len), Some(5));
    assert_eq!(plan["table5"].as_array().map(Vec::len), Some(5));
    // plans.csv names the person; the numbers are empty, not made up.
    let csv = std::fs::read_to_string(out.join("plans.csv")).expect("plans.csv");
    assert!(csv.contains("山田　花子"), "{csv}");
}

#[test]
fn two_persons_in_one_workbook_are_two_plans() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("office");
    let a = paper("山田 花子", "昭和15年03月03日");
    let mut b = paper("佐藤 一郎", "昭和13年11月03日");
    b.needs.truncate(1);
    b.needs[0].need = "自宅の風呂に入りたい".into();
    let parts = [
        Part { plan: &a, suffix: "", transposed: false, only_table2: false },
        Part { plan: &b, suffix: " (2)", transposed: false, only_table2: false },
    ];
    write(&input.join("二人分.xlsx"), &forms::book(&parts).expect("xlsx"));
    let out = tmp.path().join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
    let all = plans(&out);
    let names: Vec<&str> = all.iter().map(|(_, p)| p["person"]["name"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["佐藤 一郎", "山田 花子"], "{:?}", all.iter().map(|(d, _)| d).collect::<Vec<_>>());
    assert_eq!(texts(&all[0].1, "/table2/needs"), ["自宅の風呂に入りたい"]);
    assert_eq!(texts(&all[1].1, "/table2/needs"), ["夜間も安全にトイレに行きたい", "日中の楽しみを持ちたい"]);
    assert_eq!(all[0].1["person"]["birth_date"], "1938-11-03");
}

#[test]
fn a_second_table2_sheet_without_its_table1_continues_the_first() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("office");
    let mut a = paper("山田 花子", "昭和15年03月03日");
    let second = a.needs.split_off(1);
    let mut page2 = paper("山田 花子", "昭和15年03月03日");
    page2.needs = second;
    let parts = [
        Part { plan: &a, suffix: "", transposed: false, only_table2: false },
        Part { plan: &page2, suffix: " (2)", transposed: false, only_table2: true },
    ];
    write(&input.join("続き.xlsx"), &forms::book(&parts).expect("xlsx"));
    let out = tmp.path().join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
    let all = plans(&out);
    assert_eq!(all.len(), 1, "{:?}", all.iter().map(|(d, _)| d).collect::<Vec<_>>());
    assert_eq!(texts(&all[0].1, "/table2/needs"), ["夜間も安全にトイレに行きたい", "日中の楽しみを持ちたい"]);
}

/// The standard CSV's 第6/7表 of the person the roster ties the workbook to.
fn months_of(dir: &Path, insurer: &str, insured: &str) {
    let (mut p, _, _) = support::sample::standard_plans();
    p.insurer = insurer.into();
    p.insured = insured.into();
    p.created = "20250701".into();
    let f = |prefix: &str| st::file_name(prefix, Some("202507"), "1370000009", "1370100001", true);
    let uses = support::sample::uses_p1();
    write(&dir.join(f("UPPLAN")), &sjis(&crlf(&st::upplan(&p, "202507", &uses, true))));
    write(&dir.join(f("UPSIKYU")), &sjis(&crlf(&st::upsikyu(&p, "202507", &uses, true))));
}

fn roster_csv(rows: &[&str]) -> Vec<u8> {
    let mut lines = vec!["保険者番号,被保険者番号,氏名,フリガナ,生年月日".to_string()];
    lines.extend(rows.iter().map(|r| r.to_string()));
    sjis(&crlf(&lines))
}

#[test]
fn a_roster_gives_the_numbers_and_the_plan_joins_the_standard_csv_months() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("office");
    write(
        &input.join("山田花子.xlsx"),
        &forms::workbook(&paper("山田 花子", "昭和15年03月03日"), false).expect("xlsx"),
    );
    months_of(&input.join("csv"), "131003", "0000300009");
    let roster = tmp.path().join("利用者一覧.csv");
    write(
        &roster,
        &roster_csv(&[
            "131003,0000300009,山田　花子,ヤマダ ハナコ,昭和15年3月3日",
            "131003,0000300010,佐藤 一郎,サトウ イチロウ,1938/11/3",
        ]),
    );
    let out = tmp.path().join("out");
    let o = run(&input, &out, &["--roster", roster.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
    let all = plans(&out);
    assert_eq!(
        all.len(),
        1,
        "the workbook and the CSV months are one plan: {:?}",
        all.iter().map(|(d, _)| d).collect::<Vec<_>>()
    );
    let plan = &all[0].1;
    assert_eq!(plan["key"]["insurer_no"], "131003");
    assert_eq!(plan["key"]["insured_no"], "0000300009");
    assert_eq!(plan["key"]["basis"], "roster");
    assert_eq!(plan["table6"]["month"], "2025-07");
    assert!(plan["table7"]["rows"].as_array().is_some_and(|r| !r.is_empty()));
    assert_eq!(plan["table2"]["needs"].as_array().map(Vec::len), Some(2));

    // The same through the config file's `roster`.
    let config = tmp.path().join("設定.toml");
    std::fs::write(&config, "roster = \"利用者一覧.csv\"\n").expect("config");
    let out2 = tmp.path().join("out2");
    let o = run(&input, &out2, &["--config", config.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(plans(&out2)[0].1["key"]["basis"], "roster");
}

#[test]
fn roster_problems_are_said_and_nothing_is_guessed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("office");
    write(&input.join("a.xlsx"), &forms::workbook(&paper("山田 花子", "昭和15年03月03日"), false).expect("xlsx"));
    write(&input.join("b.xlsx"), &forms::workbook(&paper("鈴木 一郎", "昭和12年01月01日"), false).expect("xlsx"));
    let roster = tmp.path().join("roster.csv");
    // 山田 twice with other numbers; 鈴木 missing; a row without numbers;
    // the file cut in the middle of a CP932 character.
    let mut bytes = roster_csv(&[
        "131003,0000300009,山田 花子,ヤマダ ハナコ,1940/3/3",
        "131003,0000300099,山田 花子,ヤマダ ハナコ,1940/3/3",
        ",,高橋 次郎,タカハシ ジロウ,1941/1/1",
        "131003,0000300011,伊藤 三郎,イトウ サブロウ,1939/2/2",
    ]);
    bytes.extend_from_slice(&sjis("131003,0000300012,渡辺"));
    bytes.push(0x88);
    write(&roster, &bytes);
    let out = tmp.path().join("out");
    let o = run(&input, &out, &["--roster", roster.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let errs = errors(&out);
    let says = |file_part: &str, text: &str| {
        errs.iter().any(|e| {
            e["file"].as_str().is_some_and(|f| f.contains(file_part))
                && e["message"].as_str().is_some_and(|m| m.contains(text))
        })
    };
    assert!(says("roster.csv", "別の番号があります"), "{errs:#?}");
    assert!(says("roster.csv", "保険者番号・被保険者番号・氏名のどれかがない"), "{errs:#?}");
    assert!(
        errs.iter().any(|e| e["kind"] == "encoding" && e["file"].as_str().is_some_and(|f| f.ends_with("roster.csv"))),
        "{errs:#?}"
    );
    assert!(says("a.xlsx", "2行あります"), "{errs:#?}");
    assert!(says("b.xlsx", "利用者一覧に鈴木一郎"), "{errs:#?}");
    // Both plans are still there, keyed by name: nothing guessed.
    let all = plans(&out);
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|(_, p)| p["key"]["insured_no"].is_null() && p["key"]["basis"] == "name_and_birth_date"));

    // A roster without the 生年月日 column: said with its header line.
    let bad = tmp.path().join("bad.csv");
    write(&bad, &sjis(&crlf(&["保険者番号,被保険者番号,氏名".to_string(), "131003,1,山田 花子".to_string()])));
    let out = tmp.path().join("out-bad");
    let o = run(&input, &out, &["--roster", bad.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2));
    let errs = errors(&out);
    assert!(
        errs.iter().any(|e| e["file"].as_str().is_some_and(|f| f.ends_with("bad.csv"))
            && e["line"] == 1
            && e["message"].as_str().is_some_and(|m| m.contains("「生年月日」の列がありません"))),
        "{errs:#?}"
    );
    assert_eq!(plans(&out).len(), 2);
}

#[test]
fn without_a_birth_date_the_identity_is_weak_and_said() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("office");
    write(&input.join("a.xlsx"), &forms::workbook(&paper("山田 花子", ""), false).expect("xlsx"));
    let out = tmp.path().join("out");
    let o = run(&input, &out, &[]);
    // A warning: the plan is read; the run is not failed for it.
    assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
    let all = plans(&out);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].1["key"]["basis"], "name");
    assert!(all[0].0.contains("山田花子-生年月日不明-20250701"), "{}", all[0].0);
    let errs = errors(&out);
    assert!(
        errs.iter().any(|e| e["kind"] == "warning" && e["message"].as_str().is_some_and(|m| m.contains("同姓同名"))),
        "{errs:#?}"
    );
}

/// A mapping can take key parts from the file's name.
#[test]
fn key_parts_from_the_file_name() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("office");
    write(
        &input.join("131003_0000300021_山田花子.xlsx"),
        &forms::workbook(&paper("山田 花子", "昭和15年03月03日"), false).expect("xlsx"),
    );
    let builtin = lsw::mapping::BUILTIN.iter().find(|(n, _)| *n == "excel-form").expect("excel-form").1;
    let mapping = builtin
        .replace("name = \"excel-form\"", "name = \"office-files\"")
        .replace(
            "insurer_no = { anchor = [\"保険者番号\", \"保険者No\"], transforms = [\"id\"] }",
            "insurer_no = { file_name = '^(\\d{6})_', transforms = [\"id\"] }",
        )
        .replace(
            "insured_no = { anchor = [\"被保険者番号\", \"被保険者No\", \"被保番号\", \"被保険者証番号\"], transforms = [\"id\"] }",
            "insured_no = { file_name = '^\\d{6}_(\\d{10})_', transforms = [\"id\"] }",
        );
    assert!(mapping.contains("file_name = '^(\\d{6})_'"), "the built-in mapping changed: update this test");
    let path = tmp.path().join("office-files.toml");
    std::fs::write(&path, mapping).expect("mapping");
    let check = lsw(&["mapping", "check", path.to_str().expect("utf8")]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let out = tmp.path().join("out");
    let o = run(&input, &out, &["--mapping", path.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
    let all = plans(&out);
    assert_eq!(all[0].1["key"]["insurer_no"], "131003");
    assert_eq!(all[0].1["key"]["insured_no"], "0000300021");
    assert_eq!(all[0].1["key"]["basis"], "numbers");
    let _: PathBuf = out;
}

/// Offices without 事業所番号 stay apart in `lsw summary` (by name), and a
/// summary of name-keyed plans holds no person's name unless `--no-redact`.
#[test]
fn summary_of_name_keyed_plans_keeps_offices_apart_and_redacts_names() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut runs = Vec::new();
    for (folder, office, person) in
        [("みなみ", "居宅介護支援センターみなみ", "南野 花子"), ("きた", "ケアプランセンターきた", "北川 一郎")]
    {
        let input = tmp.path().join(folder);
        let mut p = paper(person, "昭和15年03月03日");
        p.office = office.into();
        write(&input.join("plan.xlsx"), &forms::workbook(&p, false).expect("xlsx"));
        let out = tmp.path().join(format!("run-{folder}"));
        let o = run(&input, &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}\n{:#?}", String::from_utf8_lossy(&o.stderr), errors(&out));
        runs.push(out);
    }
    let sum = tmp.path().join("sum");
    let mut args = vec!["summary"];
    args.extend(runs.iter().map(|r| r.to_str().expect("utf8")));
    args.extend(["--out", sum.to_str().expect("utf8"), "--quiet", "--no-pdf"]);
    let o = lsw(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&sum.join("summary.json"));
    let offices = v["tables"].as_array().expect("tables").iter().find(|t| t["name"] == "offices").expect("offices");
    let mut keys: Vec<String> =
        offices["rows"].as_array().expect("rows").iter().map(|r| r[1].as_str().unwrap_or("").to_string()).collect();
    keys.sort();
    assert_eq!(keys.len(), 2, "two offices without numbers are two rows: {offices:#}");
    assert!(keys.iter().any(|k| k.contains("みなみ")) && keys.iter().any(|k| k.contains("きた")), "{keys:?}");
    for f in std::fs::read_dir(&sum).expect("sum").flatten() {
        let bytes = std::fs::read(f.path()).expect("read");
        let text = if f.path().extension().is_some_and(|e| e == "xlsx") {
            use calamine::Reader;
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook(f.path()).expect("xlsx");
            let mut all = String::new();
            for sheet in wb.sheet_names() {
                for row in wb.worksheet_range(&sheet).expect("range").rows() {
                    all.extend(row.iter().map(|c| c.to_string()));
                }
            }
            all
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        for name in ["南野", "花子", "北川", "一郎"] {
            assert!(!text.contains(name), "{} holds {name}", f.path().display());
        }
    }
}
