//! How form-shaped sheets are read where offices' workbooks differ (issue
//! 20), each on a workbook that triggers the reading and a near miss that
//! must not: services one per line in a row, 〃 for "as above", a hidden
//! column ending a value, a label written inside a value's cell, a date
//! without a year. Workbooks are written here; the CLI's outputs are read
//! back.

use assert_cmd::Command;
use rust_xlsxwriter::{Workbook, Worksheet};
use serde_json::Value;
use std::path::Path;

fn lsw(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lsw").expect("binary").env("SOURCE_DATE_EPOCH", "1795186800").args(args).output().expect("run")
}

/// A 第1表 with its key: name, birth date, plan date (label | value).
fn table1(wb: &mut Workbook) -> &mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_name("第1表").expect("name");
    let rows = [
        ("利用者名", "見本 太郎"),
        ("生年月日", "昭和10年1月2日"),
        ("居宅サービス計画作成(変更)日", "令和7年5月1日"),
        ("総合的な援助の方針", "自宅での生活を続けます。"),
    ];
    for (i, (l, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32, 0, *l).expect("label");
        ws.write_string(i as u32, 1, *v).expect("value");
    }
    ws
}

/// A 第2表 list: header row then the rows given (need, long goal, short
/// goal, content, kind, provider, frequency).
fn table2(wb: &mut Workbook, rows: &[[&str; 7]]) {
    let ws = wb.add_worksheet();
    ws.set_name("第2表").expect("name");
    let header =
        ["生活全般の解決すべき課題（ニーズ）", "長期目標", "短期目標", "サービス内容", "サービス種別", "※2", "頻度"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).expect("cell");
            }
        }
    }
}

/// Runs lsw on one workbook; (the one plan.json, errors.json).
fn run(dir: &Path, wb: &mut Workbook) -> (Value, Vec<Value>) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    wb.save(input.join("plan.xlsx")).expect("save");
    let out = dir.join("out");
    let o = lsw(&["run", input.to_str().expect("utf8"), "--out", out.to_str().expect("utf8"), "--quiet", "--no-pdf"]);
    let read = |p: &Path| -> Value { serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json") };
    let errors = read(&out.join("errors.json")).as_array().cloned().unwrap_or_default();
    let mut plans = Vec::new();
    for office in std::fs::read_dir(out.join("offices")).into_iter().flatten().flatten() {
        for plan in std::fs::read_dir(office.path().join("plans")).into_iter().flatten().flatten() {
            plans.push(read(&plan.path().join("plan.json")));
        }
    }
    assert_eq!(plans.len(), 1, "one plan: {}\n{errors:?}", String::from_utf8_lossy(&o.stderr));
    (plans.remove(0), errors)
}

fn services(plan: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for need in plan["table2"]["needs"].as_array().into_iter().flatten() {
        for long in need["long_goals"].as_array().into_iter().flatten() {
            for short in long["short_goals"].as_array().into_iter().flatten() {
                for s in short["services"].as_array().into_iter().flatten() {
                    let t = |k: &str| s[k].as_str().unwrap_or("").to_string();
                    out.push((t("content"), t("kind")));
                }
            }
        }
    }
    out
}

#[test]
fn services_one_per_line_are_split_only_when_their_columns_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    table1(&mut wb);
    table2(
        &mut wb,
        &[
            // A care software's print image: two services in one row.
            [
                "入浴したい",
                "入浴を続ける",
                "見守りで入浴",
                "入浴の見守り\n浴室の手すり",
                "通所介護\n福祉用具貸与",
                "A事業所\nB事業所",
                "週2回\n毎日",
            ],
            // Near miss: one service whose content is written over two lines.
            [
                "買い物をしたい",
                "店まで行ける",
                "週1回買い物",
                "買い物の同行\n（雨の日は中止）",
                "訪問介護",
                "Cヘルパー",
                "週1回",
            ],
        ],
    );
    let (plan, _) = run(dir.path(), &mut wb);
    assert_eq!(
        services(&plan),
        vec![
            ("入浴の見守り".into(), "通所介護".into()),
            ("浴室の手すり".into(), "福祉用具貸与".into()),
            ("買い物の同行\n（雨の日は中止）".into(), "訪問介護".into()),
        ]
    );
}

#[test]
fn a_ditto_repeats_the_value_above_and_one_with_nothing_above_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    table1(&mut wb);
    table2(
        &mut wb,
        &[
            ["〃", "", "", "先に書かれた行がない", "訪問介護", "A", "週1回"],
            ["外出したい", "外出できる", "近所を歩く", "歩行の見守り", "通所介護", "B", "週2回"],
            ["〃", "〃", "〃", "外出の付き添い", "〃", "C", "週1回"],
        ],
    );
    let (plan, errors) = run(dir.path(), &mut wb);
    let s = services(&plan);
    assert!(s.contains(&("外出の付き添い".into(), "通所介護".into())), "〃 is the kind above: {s:?}");
    let needs: Vec<&str> =
        plan["table2"]["needs"].as_array().expect("needs").iter().filter_map(|n| n["text"].as_str()).collect();
    assert_eq!(needs, vec!["外出したい"], "the 〃 rows continue the need above, not a need named 〃");
    let ditto_error = errors.iter().find(|e| e["message"].as_str().is_some_and(|m| m.contains("上に値がありません")));
    let e = ditto_error.unwrap_or_else(|| panic!("the first row's 〃 has nothing above: {errors:?}"));
    assert_eq!(e["cell"].as_str(), Some("A2"));
}

#[test]
fn a_hidden_column_ends_a_value_and_a_shown_one_does_not() {
    for hidden in [true, false] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut wb = Workbook::new();
        let ws = table1(&mut wb);
        ws.write_string(5, 0, "住所").expect("label");
        ws.write_string(5, 1, "東京都架空区見本町1-1").expect("value");
        // An office's helper cells beyond the form: a selection column, a lookup list.
        ws.write_string(5, 3, "要介護２").expect("helper");
        if hidden {
            ws.set_column_hidden(2).expect("hide");
        } else {
            ws.write_string(5, 2, "（2階）").expect("shown");
        }
        let (plan, _) = run(dir.path(), &mut wb);
        let address = plan.pointer("/person/address").and_then(Value::as_str).unwrap_or("");
        if hidden {
            assert_eq!(address, "東京都架空区見本町1-1", "the helper cell past the hidden column is not the address");
        } else {
            assert_eq!(
                address, "東京都架空区見本町1-1 （2階） 要介護２",
                "cells a person sees beside the label run on"
            );
        }
    }
}

#[test]
fn a_label_written_inside_a_cell_ends_the_value_before_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    table1(&mut wb);
    let ws = wb.add_worksheet();
    ws.set_name("第4表").expect("name");
    let rows = [
        ("開催日", "令和7年4月20日"),
        ("利用者・家族の出席", ""),
        ("本人：出席（車いす：使用）　家族：欠席", ""),
        ("検討した項目", "通所の回数"),
    ];
    for (i, (l, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32, 0, *l).expect("label");
        if !v.is_empty() {
            ws.write_string(i as u32, 1, *v).expect("value");
        }
    }
    let (plan, _) = run(dir.path(), &mut wb);
    let m = &plan["table4"][0];
    // 家族 is a label of the form, so 本人's value ends before it; 車いす
    // is not, so the colon inside the value stays (the near miss).
    assert_eq!(m["person_attendance"].as_str(), Some("出席（車いす：使用）"), "{m}");
    assert_eq!(m["family_attendance"].as_str(), Some("欠席"), "{m}");
}

#[test]
fn a_date_without_a_year_is_said_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = Workbook::new();
    table1(&mut wb);
    let ws = wb.add_worksheet();
    ws.set_name("第5表").expect("name");
    for (c, h) in ["年月日", "項目", "内容"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (r, d) in ["4/20", "令和7年4月21日"].iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, *d).expect("date");
        ws.write_string(r as u32 + 1, 1, "訪問").expect("item");
        ws.write_string(r as u32 + 1, 2, "様子を確認した。").expect("content");
    }
    let (plan, errors) = run(dir.path(), &mut wb);
    let e = errors.iter().find(|e| e["cell"].as_str() == Some("A2")).unwrap_or_else(|| panic!("{errors:?}"));
    assert!(e["message"].as_str().is_some_and(|m| m.contains("月日だけで年がありません")), "{e}");
    assert!(errors.iter().all(|e| e["cell"].as_str() != Some("A3")), "the dated entry reads: {errors:?}");
    let dates: Vec<Value> = plan["table5"].as_array().expect("table5").iter().map(|e| e["date"].clone()).collect();
    assert_eq!(
        dates,
        vec![Value::Null, Value::String("2025-04-21".into())],
        "the entry without a year is kept, undated"
    );
}

/// A 要介護状態区分 label whose box is left empty is said as an empty box (a
/// warning), not read as a value 「要介護状態区分」 that is no care level; the
/// near miss: the printed list with no mark is said as an unmarked choice.
#[test]
fn an_empty_choice_box_is_said_as_empty_and_an_unmarked_list_as_unmarked() {
    let care_level = |value: Option<&str>| {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut wb = Workbook::new();
        let ws = table1(&mut wb);
        ws.write_string(4, 0, "要介護状態区分").expect("label");
        ws.merge_range(4, 1, 4, 4, value.unwrap_or(""), &rust_xlsxwriter::Format::new()).expect("box");
        let (plan, errors) = run(tmp.path(), &mut wb);
        let at_a5: Vec<(String, String)> = errors
            .iter()
            .filter(|e| e["cell"] == "A5" || e["cell"] == "B5")
            .map(|e| (e["kind"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string()))
            .collect();
        (plan["table1"]["certification"]["care_level"].clone(), at_a5)
    };
    let (level, said) = care_level(None);
    assert_eq!(level, Value::Null);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].0, "warning", "{said:?}");
    assert!(said[0].1.contains("欄が空"), "{said:?}");
    assert!(!said[0].1.contains("として読めません"), "{said:?}");
    let (level, said) = care_level(Some("要支援1・要支援2・要介護1・要介護2・要介護3"));
    assert_eq!(level, Value::Null);
    assert!(said.iter().any(|(_, m)| m.contains("選択の印が読めません")), "{said:?}");
}
