//! `lsw run` on the bundled sample, as the README's first command runs it.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn run_sample(out: &Path) -> std::process::Output {
    Command::cargo_bin("lsw")
        .expect("binary")
        .args(["run", "fixtures/sample", "--out"])
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("run")
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

/// Every plan.json under the output, keyed by its path relative to `out`.
fn plans(out: &Path) -> Vec<(String, Value)> {
    let manifest = read_json(&out.join("manifest.json"));
    let mut v: Vec<(String, Value)> = manifest["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .map(|p| {
            let path = p["path"].as_str().expect("path").to_string();
            let plan = read_json(&out.join(&path).join("plan.json"));
            (path, plan)
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn sample_runs_clean_and_writes_the_contract_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = run_sample(&out);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    let errors = read_json(&out.join("errors.json"));
    assert_eq!(errors, serde_json::json!([]));
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["counts"]["plans"], 8);
    assert_eq!(manifest["counts"]["files"], 13);
    assert_eq!(manifest["counts"]["files_read"], 13);
    assert_eq!(manifest["counts"]["duplicates"], 1);
    // The encoding decision of every CSV is recorded.
    for f in manifest["files"].as_array().expect("files") {
        let name = f["file"].as_str().expect("file");
        match f["format"].as_str() {
            Some("csv") => assert_eq!(f["encoding"], "cp932", "{name}"),
            Some("xlsx") | Some("xls") => assert!(f.get("encoding").is_none(), "{name}"),
            other => panic!("{name}: format {other:?}"),
        }
        assert_eq!(f["sha256"].as_str().map(str::len), Some(64), "{name}");
    }
    let csv = std::fs::read(out.join("plans.csv")).expect("plans.csv");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "plans.csv is UTF-8 with BOM for Excel");
    let csv = String::from_utf8(csv[3..].to_vec()).expect("utf-8");
    assert_eq!(csv.lines().count(), 9, "header + 8 plans:\n{csv}");
    assert!(csv.contains("山田 花子"));
    // Offices: the code where the input carries one; a workbook without a
    // 事業所番号 beside one with it (same folder) is the same office, not a
    // second folder named after the input folder.
    let paths: Vec<String> = plans(&out).into_iter().map(|(p, _)| p).collect();
    assert!(paths.iter().any(|p| p.starts_with("offices/1370000001/plans/131001-0000100001-20250401")));
    assert!(paths.iter().any(|p| p.starts_with("offices/1370000003/plans/131003-0000300002-20250701")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("ひまわり")), "{paths:?}");
}

#[test]
fn sample_plans_match_their_snapshots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    assert_eq!(run_sample(&out).status.code(), Some(0));
    for (path, plan) in plans(&out) {
        let name = path.replace('/', "__");
        insta::assert_json_snapshot!(name, plan);
    }
}

#[test]
fn same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(run_sample(&a).status.code(), Some(0));
    assert_eq!(run_sample(&b).status.code(), Some(0));
    for (path, _) in plans(&a) {
        let pa = std::fs::read(a.join(&path).join("plan.json")).expect("a");
        let pb = std::fs::read(b.join(&path).join("plan.json")).expect("b");
        assert!(pa == pb, "{path}/plan.json differs between runs");
    }
    for f in ["plans.csv", "errors.json"] {
        assert_eq!(std::fs::read(a.join(f)).expect("a"), std::fs::read(b.join(f)).expect("b"), "{f}");
    }
}

/// Nothing read is lost: every non-empty field of every record of the sample
/// appears somewhere in the plan.json files (as a value or under `extra`).
#[test]
fn every_value_read_reaches_plan_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    assert_eq!(run_sample(&out).status.code(), Some(0));
    let mut all = String::new();
    for (_, plan) in plans(&out) {
        all.push_str(&plan.to_string());
    }
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    let pool = lsw::batch::thread_pool(Some(1)).expect("pool");
    let mapped = lsw::batch::ingest_and_map(
        &["fixtures/sample".into()],
        &mappings,
        lsw::ingest::encoding::EncodingChoice::Auto,
        &pool,
    );
    assert!(mapped.problems.is_empty(), "{:?}", mapped.problems);
    // Re-read the records themselves to compare with what the plans hold.
    let mut missing = Vec::new();
    for (i, f) in mapped.files.iter().enumerate() {
        let r = lsw::batch::process_file(f, i, &mappings, lsw::ingest::encoding::EncodingChoice::Auto, None);
        for rec in r.records {
            for (name, value, source) in rec.fields() {
                let text = value.display();
                if text.is_empty() || name == "csv_version" {
                    continue;
                }
                // Dates and times are written in their ISO form; periods by their raw text.
                let needle = match &value {
                    lsw::mapping::Value::Period(p) => p.raw.clone(),
                    lsw::mapping::Value::Parts(parts) => {
                        parts.iter().map(|(_, v)| v.clone()).next().unwrap_or_default()
                    }
                    lsw::mapping::Value::Number(n) => format!("{n}").trim_end_matches(".0").to_string(),
                    _ => text,
                };
                let escaped = serde_json::to_string(&needle).expect("json string");
                let escaped = &escaped[1..escaped.len() - 1];
                // Amounts are numbers in plan.json: `11.40` is written `11.4`.
                let as_number =
                    needle.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(|n| n.to_string());
                if !all.contains(escaped) && !as_number.is_some_and(|n| all.contains(&n)) {
                    missing.push(format!("{} {}: {needle}", source.describe(), name));
                }
            }
        }
    }
    assert!(missing.is_empty(), "values read but not in any plan.json:\n{}", missing.join("\n"));
}
