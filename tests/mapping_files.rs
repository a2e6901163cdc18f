//! Mapping files: the shipped ones load, the committed JSON Schema is
//! current, and `lsw mapping check` lists every problem with its TOML line.

use assert_cmd::Command;

#[test]
fn builtin_mappings_load() {
    let ms = lsw::mapping::builtin().expect("builtin mappings load");
    let names: Vec<&str> = ms.iter().map(|m| m.file.name.as_str()).collect();
    assert_eq!(names, ["mhlw-careplan-v4", "honobono-next", "excel-form"]);
}

/// `schemas/mapping.schema.json` is what editors validate against; it must
/// match the types. Regenerate with `cargo run -- mapping schema > schemas/mapping.schema.json`.
#[test]
fn committed_json_schema_is_current() {
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/mapping.schema.json").expect("schema file"))
            .expect("json");
    assert_eq!(committed, lsw::mapping::json_schema(), "schemas/mapping.schema.json is stale: regenerate it");
}

const BAD: &str = r#"format_version = 2
name = "broken"
title = "壊れたマッピング"
colour = "red"

[[sources]]
id = "a"
target = "table2"
kind = "csv"
columns = "twenty"
[sources.match]
file_name = '^UP2KYO_('
[sources.fields]
insurer_no = { column = 2, transforms = ["id"] }
insured_no = { column = 3, transforms = ["nosuch"] }
neeed = { column = 7 }
"#;

#[test]
fn check_lists_every_problem_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, BAD).expect("write");
    // Structural problems come first, all at once.
    let o = Command::cargo_bin("lsw").expect("bin").args(["mapping", "check"]).arg(&path).output().expect("run");
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(":4行目: 「colour」は知らないキーです"), "{out}");
    assert!(out.contains(":10行目: 「sources.0.columns」には整数を書きます（文字列が書かれています）"), "{out}");
    // Fixed structure: the semantic problems, all at once.
    std::fs::write(&path, BAD.replace("colour = \"red\"\n", "").replace("\"twenty\"", "22")).expect("write");
    let o = Command::cargo_bin("lsw").expect("bin").args(["mapping", "check"]).arg(&path).output().expect("run");
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(":1行目: format_version は 1 です"), "{out}");
    assert!(out.contains(":11行目: 正規表現「^UP2KYO_(」が正しくありません"), "{out}");
    assert!(out.contains(":14行目: 項目「insured_no」: 変換「nosuch」はありません"), "{out}");
    assert!(out.contains(":15行目: 「neeed」は Table2 の項目ではありません"), "{out}");
    assert!(out.contains("問題が4件あります"), "{out}");
}

#[test]
fn check_with_samples_reports_the_fields_found() {
    let o = Command::cargo_bin("lsw")
        .expect("bin")
        .args([
            "mapping",
            "check",
            "mhlw-careplan-v4",
            "fixtures/spec-example/UP2KYO_0300000100_43_0300000005_11_20191025200201.CSV",
        ])
        .output()
        .expect("run");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("source「up2kyo」"), "{out}");
    assert!(out.contains("レコード 5件"), "{out}");
    // Each field with the first value read and where; the ones not written say so.
    assert!(out.contains("生活全般の解決すべき課題（ニーズ）（need） = 「"), "{out}");
    assert!(out.contains("1行目 7列目"), "{out}");
    assert!(out.contains("（identifier）: 値なし（22列目）"), "{out}");
}

#[test]
fn a_mapping_without_a_plan_key_is_rejected() {
    let text = lsw::mapping::BUILTIN[1].1.replace("insured_no = { header = \"被保険者番号\", transforms = [\"id\"], required = true }\n\"meta.ケアプラン登録年月日\"", "\"meta.ケアプラン登録年月日\"");
    let err = lsw::mapping::load_str(&text, "test").expect_err("must fail");
    assert!(err.iter().any(|p| p.message.contains("insured_no")), "{err:?}");
}

/// A file name made on a Mac is decomposed (NFD: ケ + U+3099); a mapping's
/// `file_name` pattern written composed still matches it, and the folder
/// (the office when the plan names none) reads composed.
#[test]
fn file_name_patterns_match_decomposed_names() {
    use unicode_normalization::UnicodeNormalization;
    let dir = tempfile::tempdir().expect("tempdir");
    let mapping = lsw::mapping::BUILTIN
        .iter()
        .find(|(n, _)| *n == "honobono-next")
        .expect("builtin")
        .1
        .replace("name = \"honobono-next\"", "name = \"honobono-names\"")
        .replacen("[sources.match]\n", "[sources.match]\nfile_name = '^ケアプラン計画書'\n", 1);
    assert!(mapping.contains("file_name = '^ケアプラン計画書'"));
    let mapping_path = dir.path().join("names.toml");
    std::fs::write(&mapping_path, mapping).expect("write");
    let decomposed: String = "ケアプラン計画書1.CSV".nfd().collect();
    assert_ne!(decomposed, "ケアプラン計画書1.CSV");
    let inp = dir.path().join("in");
    std::fs::create_dir_all(&inp).expect("mkdir");
    std::fs::copy("fixtures/sample/ケアプランあさひ_ほのぼの/careplan1.CSV", inp.join(&decomposed)).expect("copy");
    let out = dir.path().join("out");
    let o = Command::cargo_bin("lsw")
        .expect("bin")
        .args(["run", "--quiet", "--no-pdf", "--no-xlsx", "--fail-on", "never", "--mapping"])
        .arg(&mapping_path)
        .arg(&inp)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    let errors = std::fs::read_to_string(out.join("errors.json")).expect("errors");
    assert_eq!(o.status.code(), Some(0), "{errors}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    assert!(manifest["counts"]["plans"].as_u64().expect("plans") > 0, "{manifest}");
}

/// A 第3表 grid without day labels is a mapping problem named by its line
/// (it used to reach the reader and panic there).
#[test]
fn a_grid_without_days_is_a_problem_of_the_mapping() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = lsw::mapping::BUILTIN.iter().find(|(n, _)| *n == "excel-form").expect("builtin").1;
    let days = "days = [\"月\", \"火\", \"水\", \"木\", \"金\", \"土\", \"日\"]";
    assert!(text.contains(days));
    let line = text.lines().position(|l| l.starts_with(days)).expect("line") + 1;
    let path = dir.path().join("nodays.toml");
    std::fs::write(&path, text.replace(days, "days = []")).expect("write");
    let o = Command::cargo_bin("lsw")
        .expect("bin")
        .args(["mapping", "check"])
        .arg(&path)
        .arg("fixtures/sample/居宅介護支援センターひまわり/中村キヨ_居宅サービス計画書.xlsx")
        .output()
        .expect("run");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    assert!(out.contains(&format!(":{line}行目: source「table3」の grid.days には曜日の見出し")), "{out}");
}
