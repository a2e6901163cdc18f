//! The audit's outputs of `lsw run`: findings.xlsx per office, the summary
//! lines per severity and `--fail-on`.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// `lsw run` audited on the sample's export date, whatever day the test runs.
fn lsw(args: &[&str], out: &Path) -> std::process::Output {
    Command::cargo_bin("lsw")
        .expect("binary")
        .arg("run")
        .args(args)
        .args(["--audit-date", "2025-10-20"])
        .arg("--out")
        .arg(out)
        .output()
        .expect("run")
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
    for (sev, ja) in [("error", "エラー"), ("warning", "警告"), ("info", "情報")] {
        let n = all.iter().filter(|f| f["severity"] == sev).count();
        assert!(n > 0, "the sample has {sev} findings");
        assert!(stderr.contains(&format!("点検 {ja} {n}件: ")), "{stderr}");
    }
    assert_eq!(lsw(&["fixtures/sample", "--quiet", "--fail-on", "error"], &out).status.code(), Some(1));
    assert_eq!(lsw(&["fixtures/sample", "--quiet", "--fail-on", "warning"], &out).status.code(), Some(1));
    assert_eq!(lsw(&["fixtures/sample", "--quiet", "--fail-on", "never"], &out).status.code(), Some(0));
    // A clean plan passes even --fail-on info: the sample's 中村キヨ with its
    // 訪問介護 at the meeting, audited in the plan's first month.
    let clean = dir.path().join("clean");
    let mut plan = support::sample::form_plan(false);
    plan.meeting.attendees.push(("ヘルパーステーションあおぞら（サービス提供責任者）".into(), "佐藤 一郎".into()));
    support::write(&clean.join("中村キヨ.xlsx"), &support::forms::workbook(&plan, false).expect("workbook"));
    let o = Command::cargo_bin("lsw")
        .expect("binary")
        .args(["run", clean.to_str().expect("path"), "--fail-on", "info", "--audit-date", "2025-07-20"])
        .arg("--out")
        .arg(dir.path().join("out3"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(!stderr.lines().any(|l| l.starts_with("点検 ")), "no line for a severity without findings: {stderr}");
}

/// `--audit-date` moves the rules about expiry; without it the run's day
/// (SOURCE_DATE_EPOCH when set) is the audit date; a bad date is refused.
#[test]
fn audit_date_is_the_run_day_unless_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |extra: &[&str], epoch: &str, out: &str| {
        Command::cargo_bin("lsw")
            .expect("binary")
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["run", "fixtures/sample", "--quiet", "--no-pdf", "--no-xlsx"])
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .expect("run")
    };
    let codes = |out: &str| -> Vec<String> {
        findings(&dir.path().join(out)).iter().map(|f| f["code"].as_str().unwrap_or("").to_string()).collect()
    };
    // 2025-09-01 (JST): the 2025-10 plan's goals have not ended yet.
    assert!(run(&[], "1756652400", "early").status.success());
    let early_t206 = codes("early").iter().filter(|c| *c == "T2-06").count();
    assert!(run(&["--audit-date", "2025-10-20"], "1756652400", "late").status.success());
    let late_t206 = codes("late").iter().filter(|c| *c == "T2-06").count();
    // Late: also the paper-form plan's 短期目標, ended on 2025-09-30 too.
    assert_eq!((early_t206, late_t206), (1, 3), "H123456789's goal ended in 2023; 山田花子's on 2025-09-30");
    let o = run(&["--audit-date", "2025/13/01"], "1756652400", "bad");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("日付として読めません"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// What people read carries no program internals: no `None`, `Some(` or
/// Debug output in any snapshot (findings, plans, forms), and every finding
/// of the sample has a 直し方 and its rule's one severity.
#[test]
fn no_debug_text_and_one_severity_per_rule() {
    for entry in std::fs::read_dir("tests/snapshots").expect("snapshots") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("snapshot");
        for bad in ["None", "Some("] {
            assert!(!text.contains(bad), "{}: contains {bad}", path.display());
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    assert!(lsw(&["fixtures/sample", "--quiet", "--no-pdf"], &out).status.success());
    let rules: std::collections::BTreeMap<&str, lsw::audit::Severity> =
        lsw::audit::rules::all().iter().map(|r| (r.info().code, r.info().severity)).collect();
    for f in findings(&out) {
        let code = f["code"].as_str().expect("code");
        let severity: lsw::audit::Severity = serde_json::from_value(f["severity"].clone()).expect("severity");
        assert_eq!(Some(&severity), rules.get(code), "{code}");
        assert!(f["hint"].as_str().is_some_and(|h| !h.is_empty()), "{code} has no 直し方");
        for field in ["message", "evidence", "hint"] {
            let t = f[field].as_str().unwrap_or("");
            assert!(!t.contains("None") && !t.contains("Some("), "{code} {field}: {t}");
        }
    }
}
