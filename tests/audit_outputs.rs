//! The audit's outputs of `lsw run`: findings.xlsx per office, the summary
//! lines per severity and `--fail-on`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn lsw(args: &[&str], out: &Path) -> std::process::Output {
    Command::cargo_bin("lsw").expect("binary").arg("run").args(args).arg("--out").arg(out).output().expect("run")
}

fn findings(out: &Path) -> Vec<Value> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(out.join("findings.json")).expect("findings.json")).expect("json");
    v.as_array().expect("array").clone()
}

/// One workbook per office, one row per finding, read back with calamine;
/// frozen header, filters and severity fills in the sheet XML.
#[test]
fn findings_xlsx_per_office() {
    use calamine::{open_workbook_auto, Data, Reader};
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    assert!(lsw(&["fixtures/sample", "--quiet"], &out).status.success());
    let all = findings(&out);
    let offices: Vec<_> =
        std::fs::read_dir(out.join("offices")).expect("offices").map(|e| e.expect("entry").path()).collect();
    // Four offices: the paper-form workbook without a 事業所番号 is its folder's office.
    assert_eq!(offices.len(), 4);
    let mut rows_total = 0;
    for office in &offices {
        let name = office.file_name().expect("name").to_string_lossy().to_string();
        let path = office.join("findings.xlsx");
        let mut wb = open_workbook_auto(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let range = wb.worksheet_range("点検結果").expect("sheet");
        let rows: Vec<&[Data]> = range.rows().collect();
        // 重大度, the word of the PDFs and the terminal; the person's name.
        assert_eq!(rows[0][0].to_string(), "重大度");
        assert_eq!(rows[0][3].to_string(), "内容");
        assert_eq!(rows[0][4].to_string(), "利用者名");
        let expected: Vec<&Value> = all.iter().filter(|f| f["office"] == name.as_str()).collect();
        assert_eq!(rows.len() - 1, expected.len(), "{name}");
        for (row, f) in rows[1..].iter().zip(&expected) {
            assert_eq!(row[1].to_string(), f["code"].as_str().expect("code"));
            assert_eq!(row[3].to_string(), f["message"].as_str().expect("message"));
            assert_eq!(row[6].to_string(), f["plan"]["insured_no"].as_str().unwrap_or(""));
            assert!(row[7].to_string().starts_with("令和"), "plan date in 和暦: {}", row[7]);
            // The file relative to the input folder; the JSON keeps the path as given.
            let file = f["location"]["file"].as_str().expect("file");
            let shown = row[8].to_string();
            assert!(file.starts_with("fixtures/sample/") && !shown.starts_with("fixtures/"), "{shown}");
            assert!(file.ends_with(&shown), "{file} ≠ {shown}");
        }
        rows_total += rows.len() - 1;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("xlsx")).expect("zip");
        let mut sheet = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"), &mut sheet)
            .expect("xml");
        assert!(sheet.contains(r#"state="frozen""#), "frozen header");
        assert!(sheet.contains("<autoFilter"), "filters");
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").expect("styles"), &mut styles).expect("xml");
        if expected.iter().any(|f| f["severity"] == "error") {
            assert!(styles.contains("FFFFC7CE"), "error fill");
        }
        if expected.iter().any(|f| f["severity"] == "warning") {
            assert!(styles.contains("FFFFEB9C"), "warning fill");
        }
    }
    assert_eq!(rows_total, all.len());
    // --no-xlsx skips the workbooks.
    let out2 = dir.path().join("out2");
    assert!(lsw(&["fixtures/sample", "--quiet", "--no-xlsx"], &out2).status.success());
    assert!(!out2.join("offices/1370000002/findings.xlsx").exists());
}

/// The summary ends with one line per severity that has findings, and
/// `--fail-on` turns findings into exit code 1.
#[test]
fn summary_lines_and_fail_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = lsw(&["fixtures/sample"], &out);
    assert_eq!(o.status.code(), Some(0), "findings alone do not fail a run");
    let stderr = String::from_utf8_lossy(&o.stderr);
    let all = findings(&out);
    for (sev, ja) in [("error", "エラー"), ("warning", "警告")] {
        let n = all.iter().filter(|f| f["severity"] == sev).count();
        assert!(n > 0, "the sample has {sev} findings");
        assert!(stderr.contains(&format!("点検 {ja} {n}件: ")), "{stderr}");
    }
    assert!(!stderr.contains("点検 情報 "), "no line for a severity without findings: {stderr}");
    assert_eq!(lsw(&["fixtures/sample", "--quiet", "--fail-on", "error"], &out).status.code(), Some(1));
    assert_eq!(lsw(&["fixtures/sample", "--quiet", "--fail-on", "warning"], &out).status.code(), Some(1));
    assert_eq!(lsw(&["fixtures/sample", "--quiet", "--fail-on", "never"], &out).status.code(), Some(0));
    // A clean plan passes even --fail-on info.
    let clean = dir.path().join("clean");
    std::fs::create_dir_all(&clean).expect("mkdir");
    let workbook = "fixtures/sample/居宅介護支援センターひまわり/中村キヨ_居宅サービス計画書.xlsx";
    std::fs::copy(workbook, clean.join("中村キヨ.xlsx")).expect("copy");
    let o = lsw(&[clean.to_str().expect("path"), "--quiet", "--fail-on", "info"], &dir.path().join("out3"));
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}
