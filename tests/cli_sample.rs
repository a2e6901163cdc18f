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
    assert_eq!(manifest["counts"]["plans"], 9);
    assert_eq!(manifest["counts"]["files"], 14);
    assert_eq!(manifest["counts"]["files_read"], 14);
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
    assert_eq!(csv.lines().count(), 10, "header + 9 plans:\n{csv}");
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
    // Per source position (file, line or cell), the plans that cite it and
    // the texts of the JSON object citing it: a value must be in an object
    // of its own plan that names its own position — not merely somewhere in
    // some plan, or in a file name.
    let mut cited = Cited::default();
    let all_plans = plans(&out);
    for (i, (_, plan)) in all_plans.iter().enumerate() {
        index_sources(plan, i, &mut Vec::new(), &mut cited);
    }
    // The plan-wide parts a value may belong to: the key and office (the
    // numbers and dates every row of a plan repeats) and `meta`.
    let plan_wide = |p: usize, name: &str| -> Vec<String> {
        let plan = &all_plans[p].1;
        let mut texts = Vec::new();
        let parts: &[&str] = if name.starts_with("extra.meta.") { &["/meta"] } else { &["/key", "/office", "/person"] };
        for part in parts {
            if let Some(v) = plan.pointer(part) {
                texts_of(v, &mut texts);
            }
        }
        texts
    };
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
    let mut checked = 0;
    let mut duplicates = 0;
    for (i, f) in mapped.files.iter().enumerate() {
        let r = lsw::batch::process_file(f, i, &mappings, lsw::ingest::encoding::EncodingChoice::Auto, None);
        let mut seen: Vec<lsw::mapping::Record> = Vec::new();
        // The previous record's values: a row that repeats the goal or need
        // above it (〃, a merged cell) continues that group, which the plan
        // holds once, at the group's first row.
        let mut previous: Vec<(String, String)> = Vec::new();
        for rec in r.records {
            // A record repeating an earlier one of its file is merged into
            // it and counted (the run's 「重複 N件を統合」), not cited.
            if seen.iter().any(|s| s.same_content(&rec)) {
                duplicates += 1;
                continue;
            }
            seen.push(rec.clone());
            let current = rec.fields().map(|(n, v, _)| (n.to_string(), v.to_string())).collect();
            let previous = std::mem::replace(&mut previous, current);
            for (name, value, source) in rec.fields() {
                if value.is_empty() || name == "csv_version" {
                    continue;
                }
                let needles = needles(&value);
                let at = position(&source.file, source.line, source.cell.as_deref());
                let continues = previous.iter().any(|(n, v)| *n == name && *v == value.to_string());
                let Some(objects) = cited.get(&at) else {
                    if continues {
                        continue;
                    }
                    missing.push(format!("{} {name}: no plan cites this position", source.describe()));
                    continue;
                };
                checked += 1;
                // Amounts are numbers in plan.json: `11.40` is written `11.4`.
                let forms = |n: &String| {
                    let mut f = vec![n.clone()];
                    f.extend(n.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(|x| x.to_string()));
                    f
                };
                let has = |texts: &[String]| {
                    // Equal, or inside a longer text (a joined address) when
                    // long enough not to match by chance.
                    let holds = |t: &String, f: &String| t == f || (f.chars().count() >= 3 && t.contains(f.as_str()));
                    needles.iter().all(|n| forms(n).iter().any(|f| texts.iter().any(|t| holds(t, f))))
                };
                let found = objects.iter().any(|(p, texts)| has(texts) || has(&plan_wide(*p, &name)));
                if !found && !continues {
                    let plans: Vec<&str> = objects.iter().map(|(p, _)| all_plans[*p].0.as_str()).collect();
                    missing.push(format!(
                        "{} {name}: {needles:?} not in the plan citing it ({plans:?})",
                        source.describe()
                    ));
                }
            }
        }
    }
    assert!(checked > 1000, "the sample's values were checked ({checked})");
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(
        manifest.pointer("/counts/duplicates").and_then(Value::as_u64),
        Some(duplicates as u64),
        "records not cited are the duplicates the run counted"
    );
    assert!(missing.is_empty(), "values read but not in their plan at their position:\n{}", missing.join("\n"));
}

/// Position → (plan, texts of the object citing it), per citing object.
type Cited = std::collections::HashMap<(String, String), Vec<(usize, Vec<String>)>>;

/// A position as plan.json and records both name it: file and line, or
/// file and sheet!cell.
fn position(file: &str, line: Option<u64>, cell: Option<&str>) -> (String, String) {
    (
        file.to_string(),
        match (line, cell) {
            (Some(l), _) => format!("L{l}"),
            (None, Some(c)) => c.to_string(),
            _ => String::new(),
        },
    )
}

/// How a value is written in plan.json: dates ISO, periods by their raw
/// text, amounts as JSON numbers, a split 意向 by each non-empty part.
fn needles(v: &lsw::mapping::Value) -> Vec<String> {
    use lsw::mapping::Value as V;
    match v {
        // A period is kept with its raw text (and its ends read from it).
        V::Period(p) => vec![p.raw.clone()],
        V::Parts(parts) => match parts.iter().find(|(k, _)| k == "text") {
            Some((_, t)) => vec![t.clone()],
            None => parts.iter().filter(|(_, v)| !v.is_empty()).map(|(_, v)| v.clone()).collect(),
        },
        V::Number(n) => {
            let n = serde_json::Number::from_f64(*n).map(|n| n.to_string()).unwrap_or_default();
            vec![n.trim_end_matches(".0").to_string()]
        }
        other => vec![other.display()],
    }
}

/// Every object of a plan that cites a source (`source`, or a `sources`
/// map of field → source): its position → the texts of that object and the
/// scalars of the objects it sits in (a need's text for the row of each of
/// its services).
fn index_sources(v: &Value, plan: usize, ancestors: &mut Vec<Vec<String>>, out: &mut Cited) {
    let Value::Object(map) = v else {
        if let Value::Array(items) = v {
            for x in items {
                index_sources(x, plan, ancestors, out);
            }
        }
        return;
    };
    let mut sources = Vec::new();
    for (_, x) in map.iter().filter(|(k, _)| is_citation(k)) {
        match x {
            // One source, or a map of field → source (or → list of them).
            Value::Object(m) if m.contains_key("file") => sources.push(x),
            Value::Object(m) => sources.extend(m.values().flat_map(|s| match s {
                Value::Array(a) => a.iter().collect::<Vec<_>>(),
                one => vec![one],
            })),
            Value::Array(a) => sources.extend(a.iter()),
            _ => {}
        }
    }
    if !sources.is_empty() {
        let mut texts: Vec<String> = ancestors.iter().flatten().cloned().collect();
        if ancestors.is_empty() {
            // The plan itself cites where its key was read: the key's values.
            if let Some(k) = map.get("key") {
                texts_of(k, &mut texts);
            }
        } else {
            for (k, x) in map {
                if !is_citation(k) {
                    texts_of(x, &mut texts);
                }
            }
        }
        for s in sources {
            let file = s.get("file").and_then(Value::as_str).unwrap_or_default();
            let line = s.get("line").and_then(Value::as_u64);
            let cell = s.get("cell").and_then(Value::as_str);
            out.entry(position(file, line, cell)).or_default().push((plan, texts.clone()));
        }
    }
    let scalars: Vec<String> = map
        .iter()
        .filter(|(k, _)| !is_citation(k))
        .flat_map(|(_, x)| match x {
            Value::String(s) => vec![s.clone()],
            Value::Number(n) => vec![n.to_string()],
            // A period's ends and raw text belong to the object too.
            Value::Object(_) => {
                let mut t = Vec::new();
                texts_of(x, &mut t);
                t
            }
            _ => Vec::new(),
        })
        .collect();
    ancestors.push(scalars);
    for (k, x) in map {
        if !is_citation(k) {
            index_sources(x, plan, ancestors, out);
        }
    }
    ancestors.pop();
}

/// Keys of plan.json that cite sources: `source`, `sources` (field →
/// source) and `…_sources` lists beside a list of values.
fn is_citation(key: &str) -> bool {
    key == "source" || key == "sources" || key.ends_with("_sources")
}

/// Every scalar under a JSON value, as text.
fn texts_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Array(a) => a.iter().for_each(|x| texts_of(x, out)),
        Value::Object(m) => m.iter().filter(|(k, _)| !is_citation(k)).for_each(|(_, x)| texts_of(x, out)),
        Value::Null => {}
    }
}

/// The sample's paper-form workbook carries no 被保険者番号 and has the
/// office's name and address in one cell: without the roster its plan is
/// known by office, name and birth date; with the
/// bundled roster (as the README runs it) it carries the roster's numbers.
#[test]
fn the_roster_gives_the_paper_form_plan_its_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    assert_eq!(run_sample(&out).status.code(), Some(0));
    let paper = |out: &Path| {
        plans(out).into_iter().find(|(p, _)| p.starts_with("offices/見本居宅介護支援事業所_様式/")).expect("paper plan")
    };
    let (path, plan) = paper(&out);
    assert_eq!(path, "offices/見本居宅介護支援事業所_様式/plans/山田花子-19400510-20250401");
    assert_eq!(plan["key"]["basis"], "name_and_birth_date");
    assert_eq!(plan["key"]["insured_no"], Value::Null);
    // Its 「事業所名及び所在地」 is one cell: the name, and the address after it.
    assert_eq!(plan["office"]["name"], "見本居宅介護支援事業所");
    assert_eq!(plan["office"]["address"], "東京都架空区見本町4-5-6");
    let with = dir.path().join("with-roster");
    let o = Command::cargo_bin("lsw")
        .expect("binary")
        .args(["run", "fixtures/sample", "--roster", "fixtures/利用者一覧.csv", "--quiet", "--out"])
        .arg(&with)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read_json(&with.join("errors.json")), serde_json::json!([]));
    let (path, plan) = paper(&with);
    assert_eq!(path, "offices/見本居宅介護支援事業所_様式/plans/131999-0000012345-20250401");
    assert_eq!(plan["key"]["basis"], "roster");
    assert_eq!(plan["key"]["insurer_no"], "131999");
    assert_eq!(plan["key"]["insured_no"], "0000012345");
}
