//! `lsw summary` over several offices' `lsw run` outputs: aggregates,
//! redaction, version checks and associativity.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const EPOCH: &str = "1795186800";

fn lsw(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lsw").expect("binary").env("SOURCE_DATE_EPOCH", EPOCH).args(args).output().expect("run")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

/// Two runs: one per half of a synthetic set (two offices each), and the sample.
fn runs(tmp: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for (i, seed) in [11u64, 12].iter().enumerate() {
        let input = tmp.join(format!("in{i}"));
        support::bench_gen::write_standard_set(&input, 30, 2, *seed);
        let out = tmp.join(format!("run{i}"));
        let o = lsw(&["run", s(&input), "--out", s(&out), "--quiet", "--no-pdf", "--no-xlsx"]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        dirs.push(out);
    }
    let sample = tmp.join("run-sample");
    lsw(&["run", "fixtures/sample", "--out", s(&sample), "--quiet", "--no-pdf", "--no-xlsx"]);
    dirs.push(sample);
    dirs
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

fn summary(dirs: &[&Path], out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["summary"];
    args.extend(dirs.iter().map(|d| s(d)));
    args.extend(["--out", s(out), "--quiet"]);
    args.extend(extra);
    lsw(&args)
}

fn table<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["tables"].as_array().expect("tables").iter().find(|t| t["name"] == name).expect("table")
}

#[test]
fn aggregates_match_the_runs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs = runs(tmp.path());
    let out = tmp.path().join("sum");
    let o = summary(&dirs.iter().map(|d| d.as_path()).collect::<Vec<_>>(), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&out.join("summary.json"));
    // Plans and findings per office equal the runs' own counts.
    let mut plans = 0;
    let mut findings = [0u64; 3];
    for d in &dirs {
        let m = json(&d.join("manifest.json"));
        plans += m["counts"]["plans"].as_u64().expect("plans");
        for i in 0..3 {
            findings[i] += m["counts"]["findings"][i].as_u64().expect("n");
        }
    }
    let offices = table(&v, "offices");
    let rows = offices["rows"].as_array().expect("rows");
    assert_eq!(rows.iter().map(|r| r[3].as_u64().expect("plans")).sum::<u64>(), plans);
    for i in 0..3 {
        assert_eq!(rows.iter().map(|r| r[4 + i].as_u64().expect("n")).sum::<u64>(), findings[i], "severity {i}");
    }
    // Ranks follow findings per 100 plans.
    let rates: Vec<f64> = rows.iter().map(|r| r[8].as_f64().expect("rate")).collect();
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");
    assert_eq!(rows[0][0], 1);
    // Per rule: the count of each code equals the findings.csv of the runs.
    let rules = table(&v, "rules");
    let mut by_code = std::collections::BTreeMap::<String, u64>::new();
    for d in &dirs {
        for f in json(&d.join("findings.json")).as_array().expect("findings") {
            *by_code.entry(f["code"].as_str().expect("code").to_string()).or_default() += 1;
        }
    }
    for r in rules["rows"].as_array().expect("rows") {
        assert_eq!(r[2].as_u64(), by_code.get(r[0].as_str().expect("code")).copied(), "{r}");
    }
    assert_eq!(rules["rows"].as_array().expect("rows").len(), by_code.len());
    // Per office and rule: the same counts split by office.
    let per_office = table(&v, "office-rules");
    let sum: u64 = per_office["rows"].as_array().expect("rows").iter().map(|r| r[4].as_u64().expect("n")).sum();
    assert_eq!(sum, by_code.values().sum::<u64>());
    // Every aggregate has its CSV (BOM) and a sheet; the PDF has the title.
    for t in v["tables"].as_array().expect("tables") {
        let csv = std::fs::read(out.join(format!("summary-{}.csv", t["name"].as_str().expect("name")))).expect("csv");
        assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    }
    use calamine::Reader as _;
    let wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("summary.xlsx")).expect("xlsx");
    assert_eq!(wb.sheet_names().len(), v["tables"].as_array().expect("t").len());
    let text = pdf_extract::extract_text_from_mem(&std::fs::read(out.join("summary.pdf")).expect("pdf")).expect("text");
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("ケアプラン点検集計（事業所横断）") && text.contains("規則別の指摘件数"), "{text}");
}

#[test]
fn usage_bands_and_pr17_come_from_table7() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs = runs(tmp.path());
    let out = tmp.path().join("sum");
    summary(&dirs.iter().map(|d| d.as_path()).collect::<Vec<_>>(), &out, &["--no-pdf", "--no-xlsx"]);
    let v = json(&out.join("summary.json"));
    // Recompute the bands from plans.csv.
    let mut expected = [0u64; 3];
    for d in &dirs {
        let text = std::fs::read_to_string(d.join("plans.csv")).expect("csv");
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let h = r.headers().expect("h").clone();
        let col = |n: &str| h.iter().position(|x| x == n).expect("col");
        use lsw::batch::PlanColumn;
        let (l, p) = (col(PlanColumn::LimitUnits.header()), col(PlanColumn::PlannedUnits.header()));
        for rec in r.records() {
            let rec = rec.expect("rec");
            if let (Ok(limit), Ok(planned)) = (rec[l].parse::<f64>(), rec[p].parse::<f64>()) {
                let u = planned / limit;
                expected[0] += u64::from(u >= 0.7);
                expected[1] += u64::from(u >= 0.9);
                expected[2] += u64::from(u > 1.0);
            }
        }
    }
    let usage = table(&v, "limit-usage");
    for (i, e) in expected.iter().enumerate() {
        let got: u64 = usage["rows"].as_array().expect("rows").iter().map(|r| r[3 + i].as_u64().expect("n")).sum();
        assert_eq!(got, *e, "band {i}");
    }
    assert!(expected[0] > 0, "the synthetic set has plans at ≥ 70% of the limit");
    let over = table(&v, "over-limit")["rows"].as_array().expect("rows").len() as u64;
    assert_eq!(over, expected[2]);
}

#[test]
fn redacted_outputs_hold_no_names_or_insured_numbers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs = runs(tmp.path());
    let out = tmp.path().join("sum");
    summary(&dirs.iter().map(|d| d.as_path()).collect::<Vec<_>>(), &out, &[]);
    let mut names = Vec::new();
    let mut numbers = Vec::new();
    for d in &dirs {
        let text = std::fs::read_to_string(d.join("plans.csv")).expect("csv");
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        for rec in r.records() {
            let rec = rec.expect("rec");
            if !rec[5].is_empty() {
                names.push(rec[5].to_string());
                // Family and given names on their own too.
                names.extend(rec[5].split([' ', '　']).filter(|p| p.chars().count() >= 2).map(str::to_string));
            }
            if !rec[3].is_empty() {
                numbers.push(rec[3].to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    assert!(names.len() > 10);
    for f in std::fs::read_dir(&out).expect("out").flatten() {
        let p = f.path();
        let name = p.file_name().expect("n").to_string_lossy().to_string();
        let text = if name.ends_with(".pdf") {
            pdf_extract::extract_text_from_mem(&std::fs::read(&p).expect("pdf")).expect("text")
        } else if name.ends_with(".xlsx") {
            use calamine::Reader;
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&p).expect("xlsx");
            let mut all = String::new();
            for sheet in wb.sheet_names() {
                for row in wb.worksheet_range(&sheet).expect("range").rows() {
                    for c in row {
                        all.push_str(&c.to_string());
                        all.push('\t');
                    }
                }
            }
            all
        } else {
            String::from_utf8_lossy(&std::fs::read(&p).expect("read")).to_string()
        };
        for n in &names {
            assert!(!text.contains(n.as_str()), "{name} contains the name {n}");
        }
        for n in &numbers {
            assert!(!text.contains(n.as_str()), "{name} contains the insured number {n}");
        }
    }
    // --no-redact keeps them (internal use).
    let internal = tmp.path().join("internal");
    summary(&dirs.iter().map(|d| d.as_path()).collect::<Vec<_>>(), &internal, &["--no-redact", "--no-pdf"]);
    let redacted = json(&out.join("summary.json"));
    let plain = json(&internal.join("summary.json"));
    let over = |v: &Value| table(v, "over-limit")["rows"].as_array().expect("rows").clone();
    assert!(!over(&redacted).is_empty(), "the synthetic set has plans over the limit");
    for (r, p) in over(&redacted).iter().zip(over(&plain).iter()) {
        assert!(r[2].as_str().expect("no").starts_with("**"), "masked: {r}");
        assert!(numbers.contains(&p[2].as_str().expect("no").to_string()), "whole: {p}");
        assert!(!p[4].as_str().expect("name").is_empty(), "named: {p}");
    }
}

#[test]
fn summarising_summaries_equals_summarising_all_runs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs = runs(tmp.path());
    let all = tmp.path().join("all");
    summary(&[&dirs[0], &dirs[1], &dirs[2]], &all, &["--no-pdf", "--no-xlsx"]);
    let ab = tmp.path().join("ab");
    summary(&[&dirs[0], &dirs[1]], &ab, &["--no-pdf", "--no-xlsx"]);
    let c = tmp.path().join("c");
    summary(&[&dirs[2]], &c, &["--no-pdf", "--no-xlsx"]);
    let nested = tmp.path().join("nested");
    let o = summary(&[&ab, &c], &nested, &["--no-pdf", "--no-xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mixed = tmp.path().join("mixed");
    summary(&[&ab, &dirs[2]], &mixed, &["--no-pdf", "--no-xlsx"]);
    let a = json(&all.join("summary.json"));
    for other in [&nested, &mixed] {
        let b = json(&other.join("summary.json"));
        assert_eq!(a["aggregate"], b["aggregate"], "{}", other.display());
        assert_eq!(a["tables"], b["tables"], "{}", other.display());
        for t in a["tables"].as_array().expect("t") {
            let n = format!("summary-{}.csv", t["name"].as_str().expect("name"));
            assert_eq!(std::fs::read(all.join(&n)).expect("a"), std::fs::read(other.join(&n)).expect("b"), "{n}");
        }
    }
}

#[test]
fn mismatched_versions_and_rule_sets_are_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs = runs(tmp.path());
    // Another rule set: a run with a rule disabled.
    let cfg = tmp.path().join("audit.toml");
    std::fs::write(&cfg, "disable = [\"T2-19\"]\n").expect("cfg");
    let other = tmp.path().join("run-other");
    lsw(&["run", "fixtures/sample", "--out", s(&other), "--quiet", "--no-pdf", "--no-xlsx", "--config", s(&cfg)]);
    let out = tmp.path().join("sum");
    let o = summary(&[&dirs[0], &other], &out, &["--no-pdf", "--no-xlsx"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("点検ルールの設定"), "{err}");
    let v = json(&out.join("summary.json"));
    assert_eq!(v["mismatches"].as_array().expect("m").len(), 1);
    // Another tool version.
    let m = other.join("manifest.json");
    let text = std::fs::read_to_string(&m)
        .expect("m")
        .replace(&format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")), "\"version\": \"0.0.1\"");
    std::fs::write(&m, text).expect("w");
    let o = summary(&[&dirs[0], &other], &out, &["--no-pdf", "--no-xlsx"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("lsw の版が混在しています"));
    // A folder that is no run at all: exit 2, named, the others summarised.
    let o = summary(&[&dirs[0], tmp.path()], &out, &["--no-pdf", "--no-xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("manifest.json がありません"));
    assert!(out.join("summary.json").exists());
}

/// summary.xlsx prints 計画作成日 and 対象年月 in 和暦, as the forms do;
/// summary.json and the CSV keep them as ISO dates for scripts. The near
/// miss: numbers and codes in the same rows print as they are.
#[test]
fn workbook_dates_and_months_print_in_wareki() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs = runs(tmp.path());
    let out = tmp.path().join("sum");
    let o = summary(&dirs.iter().map(|d| d.as_path()).collect::<Vec<_>>(), &out, &["--no-pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&out.join("summary.json"));
    let over = table(&v, "over-limit");
    let columns: Vec<&str> = over["columns"].as_array().expect("columns").iter().filter_map(Value::as_str).collect();
    let (date_col, month_col) = (
        columns.iter().position(|c| *c == "計画作成日").expect("計画作成日"),
        columns.iter().position(|c| *c == "対象年月").expect("対象年月"),
    );
    let first = &over["rows"].as_array().expect("rows")[0];
    let iso = first[date_col].as_str().expect("date").to_string();
    let date: chrono::NaiveDate = iso.parse().expect("summary.json keeps the ISO date");
    let month = first[month_col].as_str().expect("month").to_string();
    assert_eq!(month.len(), 7, "{month}");
    use calamine::Reader as _;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("summary.xlsx")).expect("xlsx");
    let range = wb.worksheet_range("限度額を超える計画").expect("sheet");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let era = lsw::model::wareki::date(date);
    assert!(era.starts_with("令和"), "{era}");
    let row = rows.iter().find(|r| r[date_col] == era).unwrap_or_else(|| panic!("{era} in {rows:?}"));
    assert_eq!(row[month_col], lsw::model::wareki::month(&month));
    assert!(row[month_col].starts_with("令和"), "{row:?}");
    assert_eq!(row[0], first[0].as_str().expect("office"), "codes as they are");
    assert!(!rows.iter().flatten().any(|c| c == &iso), "no ISO date in the workbook");
    // The months table's columns too: 令和… 計画数, not 2025-10.
    let months = table(&v, "months");
    assert!(months["columns"].as_array().expect("c").iter().any(|c| c.as_str().is_some_and(|c| c.starts_with("令和"))));
}
