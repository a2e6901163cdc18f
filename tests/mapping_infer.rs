//! `lsw mapping infer` (issue 20): a workbook laid out in an office's own
//! way — sheets named 基本情報 and ニーズ一覧, no form title, labels in its
//! own words, a value two cells from its label — is read by no built-in
//! mapping (and the run says why), while the draft infer writes reads it:
//! the round trip goes through the CLI, files in and outputs read back.

use assert_cmd::Command;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::path::Path;

fn lsw(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lsw").expect("binary").env("SOURCE_DATE_EPOCH", "1795186800").args(args).output().expect("run")
}

/// The office's workbook: label | value pairs (one value past an empty
/// spacer cell), the 方針 two rows below its label, and the 第2表 as a
/// plain list.
fn office_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    let ws = wb.add_worksheet();
    ws.set_name("基本情報").expect("name");
    let rows: [(&str, &str); 5] = [
        ("保険者番号", "131999"),
        ("被保険者番号", "0000077777"),
        ("利用者氏名", "見本 一子"),
        ("住所", "東京都架空区見本町9-9"),
        ("居宅サービス計画作成者氏名", "介護 花子"),
    ];
    for (i, (l, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32, 0, *l).expect("label");
        ws.write_string(i as u32, 1, *v).expect("value");
    }
    ws.write_string(5, 0, "生年月日").expect("label");
    ws.write_datetime_with_format(5, 1, rust_xlsxwriter::ExcelDateTime::from_ymd(1938, 2, 3).expect("date"), &date)
        .expect("value");
    // The plan date two cells right of its label: an empty spacer between.
    ws.write_string(6, 0, "計画作成日").expect("label");
    ws.write_datetime_with_format(6, 3, rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 6, 1).expect("date"), &date)
        .expect("value");
    // The 方針 two rows below its label, a blank row between: the general
    // reader looks one row down only, so the draft says where.
    ws.write_string(8, 0, "総合的な援助の方針").expect("label");
    ws.write_string(10, 0, "通いを軸に在宅生活を続けます。").expect("value");
    let ws = wb.add_worksheet();
    ws.set_name("ニーズ一覧").expect("name");
    for (c, h) in ["ニーズ", "長期目標", "短期目標", "サービス内容", "サービス種別", "頻度"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let row = ["外出を続けたい", "週1回は外出できる", "近所まで歩ける", "歩行の見守り", "通所介護", "週2回"];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).expect("cell");
    }
    wb.save(path).expect("save");
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

fn plan_jsons(out: &Path) -> Vec<Value> {
    let mut found = Vec::new();
    for office in std::fs::read_dir(out.join("offices")).into_iter().flatten().flatten() {
        for plan in std::fs::read_dir(office.path().join("plans")).into_iter().flatten().flatten() {
            found.push(json(&plan.path().join("plan.json")));
        }
    }
    found
}

#[test]
fn a_workbook_no_mapping_reads_says_why_and_its_draft_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let book = input.join("office.xlsx");
    office_workbook(&book);

    // The built-in mappings read nothing, and errors.json says why per sheet.
    let out = dir.path().join("out-builtin");
    let o = lsw(&["run", input.to_str().expect("utf8"), "--out", out.to_str().expect("utf8"), "--quiet", "--no-pdf"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(plan_jsons(&out).is_empty());
    let errors = std::fs::read_to_string(out.join("errors.json")).expect("errors.json");
    assert!(errors.contains("どのマッピング"), "{errors}");
    assert!(errors.contains("シート「基本情報」は名前も表題も違います"), "the reason names the sheet: {errors}");

    // The draft: each field pinned to what the sample has.
    let o = lsw(&["mapping", "infer", book.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let draft = String::from_utf8(o.stdout).expect("utf8");
    assert!(draft.contains("sheet = \"^基本情報$\""), "{draft}");
    assert!(draft.contains("anchor = \"利用者氏名\""), "the office's wording: {draft}");
    assert!(draft.contains("offset = [2, 0]"), "the 方針 past the blank row: {draft}");
    assert!(draft.contains("# 未配置: "), "fields the sample lacks are said: {draft}");
    let draft_path = dir.path().join("office.toml");
    std::fs::write(&draft_path, &draft).expect("write draft");

    // It passes the check on its sample…
    let o = lsw(&["mapping", "check", draft_path.to_str().expect("utf8"), book.to_str().expect("utf8")]);
    let shown = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(shown.contains("利用者名（person_name） = 「見本 一子」 B3（見出し「利用者氏名」A3）"), "{shown}");

    // …and reads it.
    let out = dir.path().join("out-draft");
    let o = lsw(&[
        "run",
        input.to_str().expect("utf8"),
        "--out",
        out.to_str().expect("utf8"),
        "--quiet",
        "--no-pdf",
        "--mapping",
        draft_path.to_str().expect("utf8"),
    ]);
    let plans = plan_jsons(&out);
    assert_eq!(plans.len(), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let p = &plans[0];
    assert_eq!(p.pointer("/person/name").and_then(Value::as_str), Some("見本 一子"));
    assert_eq!(p.pointer("/person/birth_date").and_then(Value::as_str), Some("1938-02-03"));
    assert_eq!(p.pointer("/key/plan_date").and_then(Value::as_str), Some("2025-06-01"));
    assert_eq!(p.pointer("/key/insured_no").and_then(Value::as_str), Some("0000077777"));
    assert_eq!(p.pointer("/table1/policy").and_then(Value::as_str), Some("通いを軸に在宅生活を続けます。"));
    assert_eq!(p.pointer("/table2/needs/0/text").and_then(Value::as_str), Some("外出を続けたい"));
    assert_eq!(
        p.pointer("/table2/needs/0/long_goals/0/short_goals/0/services/0/content").and_then(Value::as_str),
        Some("歩行の見守り")
    );
}

#[test]
fn a_workbook_with_no_form_labels_gets_no_draft_but_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("list.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "品名").expect("cell");
    ws.write_string(0, 1, "数量").expect("cell");
    wb.save(&book).expect("save");
    let o = lsw(&["mapping", "infer", book.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("見出しが3つ以上見つかりません"), "{err}");
    assert!(o.stdout.is_empty(), "no half draft on stdout");
}
