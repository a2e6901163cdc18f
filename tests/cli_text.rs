//! What people read from the command line (issue 24): every message, help
//! page and usage line in Japanese, suggestions for typos, quiet ends on a
//! closed pipe, a `--json` summary on stdout, the first problems of a run
//! with where the rest are, and the run's tables and printed places as
//! office staff read them. Each test runs the `lsw` binary and checks the
//! Japanese text and the exit code.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn lsw(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lsw").expect("binary").args(args).output().expect("run")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// clap's English, none of which a user should meet.
const ENGLISH: [&str; 9] = [
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "[default:",
    "possible values",
    "error:",
];

fn assert_japanese(s: &str) {
    for e in ENGLISH {
        assert!(!s.contains(e), "English «{e}» in:\n{s}");
    }
    assert!(!s.contains("panicked"), "{s}");
}

/// An office workbook (第1〜5表) with a person's name and one finding at
/// least (T1-12: no 緊急時の対応 in the policy), the name and the office in
/// half-width katakana as some vendor exports write them.
fn workbook_input(dir: &Path) -> PathBuf {
    let mut p = support::sample::form_plan(false);
    p.name = "中村 ｷﾖ".into();
    p.policy = "日中の活動量を保ちます。".into();
    let input = dir.join("exports");
    support::write(
        &input.join("ひまわり").join("中村_居宅サービス計画書.xlsx"),
        &support::forms::workbook(&p, false).expect("workbook"),
    );
    input
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

fn csv_rows(p: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    r.records().map(|rec| rec.expect("record").iter().map(str::to_string).collect()).collect()
}

#[test]
fn help_pages_are_japanese_and_name_the_streams() {
    let pages: [&[&str]; 13] = [
        &["--help"],
        &["-h"],
        &["run", "--help"],
        &["summary", "--help"],
        &["mapping", "--help"],
        &["mapping", "list", "--help"],
        &["mapping", "check", "--help"],
        &["mapping", "schema", "--help"],
        &["mapping", "fields", "--help"],
        &["mapping", "transforms", "--help"],
        &["rules", "--help"],
        &["rule", "--help"],
        &["help", "run"],
    ];
    for args in pages {
        let o = lsw(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = text(&o.stdout);
        assert_japanese(&out);
        assert!(out.contains("使い方: lsw"), "{args:?}:\n{out}");
        assert!(out.contains("オプション:") && out.contains("この説明を表示します"), "{args:?}:\n{out}");
        assert!(o.stderr.is_empty(), "{args:?}: {}", text(&o.stderr));
    }
    let run = text(&lsw(&["run", "--help"]).stdout);
    for words in ["標準出力", "標準エラー出力", "errors.json", "終了コード", "--json", "引数:", "<出力フォルダ>"]
    {
        assert!(run.contains(words), "{words}:\n{run}");
    }
    // The default and the values are said in Japanese in the help text.
    assert!(run.contains("既定: never") && run.contains("auto（自動判定、既定）"), "{run}");
    let root = text(&lsw(&["--help"]).stdout);
    assert!(root.contains("コマンド:") && root.contains("版とビルドを表示します"), "{root}");
    // `lsw` alone: the help, on stderr, exit 2 (nothing was done).
    let o = lsw(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("使い方: lsw <コマンド>"), "{}", text(&o.stderr));
    assert_japanese(&text(&o.stderr));
}

#[test]
fn the_version_names_the_build() {
    let o = lsw(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    let v = text(&o.stdout);
    assert!(v.starts_with(&format!("lsw {}（ビルド ", env!("CARGO_PKG_VERSION"))) && v.ends_with("）\n"), "{v}");
}

#[test]
fn argument_errors_are_japanese_with_usage_and_suggestions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let out_s = out.to_str().expect("path");
    // (arguments, what the message must say)
    let cases: [(&[&str], &[&str]); 9] = [
        (
            &["run", "x"],
            &["必要な引数がありません: --out <出力フォルダ>", "使い方: lsw run <入力>...", "「lsw run --help」"],
        ),
        (&["rn"], &["「rn」というコマンドはありません", "もしかして: run"]),
        (
            &["run", "x", "--out", out_s, "--mappin", "y"],
            &["オプション「--mappin」はありません", "もしかして: --mapping"],
        ),
        (
            &["run", "x", "--out", out_s, "--fail-on", "warn"],
            &["--fail-on に「warn」は指定できません", "error、warning、info、never", "もしかして: warning"],
        ),
        (&["run", "x", "--out", out_s, "--encoding", "sjiss"], &["文字コード「sjiss」は指定できません"]),
        (&["run", "x", "--out", out_s, "--jobs", "abc"], &["--jobs の値「abc」を使えません", "整数"]),
        (&["mapping", "chek"], &["「chek」というコマンドはありません", "もしかして:", "check", "lsw mapping --help"]),
        (&["rules", "extra"], &["余分な引数「extra」があります", "使い方: lsw rules [--json]"]),
        (&["help", "foo"], &["「foo」というコマンドはありません", "コマンド: run"]),
    ];
    for (args, says) in cases {
        let o = lsw(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert_japanese(&err);
        assert!(err.starts_with("エラー: "), "{args:?}: {err}");
        for s in says {
            assert!(err.contains(s), "{args:?}: «{s}» in\n{err}");
        }
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert!(!out.exists(), "an argument error writes nothing");
}

#[test]
fn mistyped_rule_codes_and_mapping_names_get_suggestions() {
    let o = lsw(&["rule", "T2-4"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("ルール「T2-4」はありません") && err.contains("もしかして: T2-04 "), "{err}");
    assert!(err.contains("lsw rule T2-04") && err.contains("lsw rules"), "{err}");
    // The suggestion is a rule that exists.
    let o = lsw(&["rule", "t2-04"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).starts_with("T2-04 "));
    // A near miss that is no code at all: no suggestion, still the list.
    let err = text(&lsw(&["rule", "ZZZZZZ"]).stderr);
    assert!(!err.contains("もしかして") && err.contains("lsw rules"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = lsw(&["run", "fixtures/sample", "--out", out.to_str().expect("p"), "--mapping", "honobono"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("マッピング「honobono」は組み込みにもファイルにもありません"), "{err}");
    assert!(err.contains("もしかして: honobono-next"), "{err}");
    assert!(!out.exists(), "nothing is written for a wrong mapping name");
    let o = lsw(&["mapping", "check", "honobono"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("もしかして: honobono-next"), "{}", text(&o.stderr));
    // The right name works.
    assert_eq!(lsw(&["mapping", "check", "honobono-next"]).status.code(), Some(0));
}

/// Closes the reading end of stdout before the command writes: its first
/// write fails as `| head` makes it fail once head has its lines.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lsw"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["mapping", "transforms"][..],
        &["mapping", "schema"],
        &["mapping", "fields"],
        &["mapping", "list"],
        &["rules"],
        &["rules", "--json"],
        &["rule", "T2-04"],
        &["--help"],
        &["--version"],
    ] {
        let o = with_closed_stdout(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        assert!(o.stderr.is_empty(), "{args:?}: {}", text(&o.stderr));
    }
    // The near miss: with the pipe open, the same command writes its lines.
    assert!(text(&lsw(&["mapping", "transforms"]).stdout).lines().count() > 10);
    // A closed pipe does not hide a verdict: a broken mapping still exits 2,
    // a sound one 0.
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "format_version = 1\n[[sources]]\nname = \"x\"\n").expect("write");
    let o = with_closed_stdout(&["mapping", "check", bad.to_str().expect("p")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    assert_eq!(with_closed_stdout(&["mapping", "check", "honobono-next"]).status.code(), Some(0));
}

#[test]
fn a_wrong_input_path_says_why_and_writes_no_empty_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let missing = dir.path().join("no-such-folder");
    let o = lsw(&["run", missing.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_japanese(&err);
    assert!(err.contains("計画を1件も作れませんでした"), "{err}");
    assert!(err.contains(&format!("{}: 入力のファイルまたはフォルダが見つかりません", missing.display())), "{err}");
    assert!(err.contains(&format!("全件は {}", out.join("errors.json").display())), "{err}");
    assert!(err.contains("plans.csv・findings.csv・findings.json は書いていません"), "{err}");
    assert!(err.contains("終了コード 2"), "{err}");
    assert!(!err.contains("os error") && !err.contains("No such file"), "{err}");
    for table in ["plans.csv", "findings.csv", "findings.json"] {
        assert!(!out.join(table).exists(), "{table} beside the error");
    }
    let errors = read_json(&out.join("errors.json"));
    assert_eq!(errors.as_array().map(Vec::len), Some(1));
    // --quiet still says what went wrong (a nightly log must show it).
    let o = lsw(&["run", missing.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("入力のファイルまたはフォルダが見つかりません"));

    // A night whose input folder is empty after a good run: the good run's
    // plans and tables stay (incremental safety), and the reason is shown.
    let input = workbook_input(dir.path());
    let good = lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf"]);
    assert_eq!(good.status.code(), Some(0), "{}", text(&good.stderr));
    let plans_before = std::fs::read(out.join("plans.csv")).expect("plans.csv");
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let o = lsw(&["run", empty.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("読める形式のファイル") && err.contains("前回の計画と表はそのまま"), "{err}");
    assert_eq!(std::fs::read(out.join("plans.csv")).expect("plans.csv"), plans_before);
    assert_eq!(read_json(&out.join("manifest.json"))["counts"]["kept"], 1);
}

#[test]
fn system_errors_are_japanese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = workbook_input(dir.path());
    let config = dir.path().join("no-such-config.toml");
    let o = lsw(&[
        "run",
        input.to_str().expect("p"),
        "--out",
        out.to_str().expect("p"),
        "--config",
        config.to_str().expect("p"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("点検の設定ファイル") && err.contains("見つかりません"), "{err}");
    assert!(!err.contains("os error") && !err.contains("No such file"), "{err}");
}

#[test]
fn the_json_summary_goes_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = workbook_input(dir.path());
    let o = lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["counts"]["plans"], 1);
    assert_eq!(v["errors_json"], out.join("errors.json").display().to_string());
    assert!(v["findings_by_code"]["warning"]["T1-12"].as_u64().is_some_and(|n| n > 0), "{v}");
    // The human summary stays on stderr.
    let err = text(&o.stderr);
    assert!(err.contains("完了: 計画 1件") && err.contains("点検 警告"), "{err}");
    // --quiet --json: only the JSON.
    let o =
        lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf", "--json", "--quiet"]);
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    assert!(serde_json::from_slice::<Value>(&o.stdout).is_ok());
    // Without --json, stdout is empty.
    let o = lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf"]);
    assert!(o.stdout.is_empty());
    // lsw summary --json as well.
    let sum = dir.path().join("sum");
    let o = lsw(&["summary", out.to_str().expect("p"), "--out", sum.to_str().expect("p"), "--no-pdf", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["plans"], 1);
}

#[test]
fn tables_speak_japanese_and_name_places_as_people_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = workbook_input(dir.path());
    let o = lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // plans.csv: Japanese headers, the columns lsw summary reads among them.
    let plans = csv_rows(&out.join("plans.csv"));
    for h in ["事業所番号", "被保険者番号", "利用者名", "指摘の内訳（コード:重大度:件数）"]
    {
        assert!(plans[0].iter().any(|c| c == h), "{h}: {:?}", plans[0]);
    }
    let codes = plans[0].iter().position(|c| c == "指摘の内訳（コード:重大度:件数）").expect("column");
    assert!(plans[1][codes].contains("T1-12:警告:"), "{:?}", plans[1]);
    // The person's half-width katakana, full-width as in the PDFs.
    let name = plans[0].iter().position(|c| c == "利用者名").expect("column");
    assert_eq!(plans[1][name], "中村 キヨ");

    // findings.json keeps the path as given and the cell; findings.csv and
    // findings.xlsx name the file relative to the input folder.
    let findings = read_json(&out.join("findings.json"));
    let f = findings.as_array().expect("array").iter().find(|f| f["code"] == "T1-12").expect("T1-12");
    let file = f["location"]["file"].as_str().expect("file");
    assert_eq!(Path::new(file), input.join("ひまわり").join("中村_居宅サービス計画書.xlsx"));
    let rows = csv_rows(&out.join("findings.csv"));
    assert_eq!(
        rows[0],
        [
            "事業所",
            "利用者名",
            "保険者番号",
            "被保険者番号",
            "計画作成日",
            "コード",
            "重大度",
            "項目",
            "内容",
            "ファイル",
            "シート",
            "セル",
            "行",
            "列",
            "該当する記載",
            "直し方"
        ]
    );
    let row = rows.iter().find(|r| r[5] == "T1-12").expect("T1-12 row");
    assert_eq!(row[9], "ひまわり/中村_居宅サービス計画書.xlsx");
    assert_eq!(row[10], "第1表");
    assert_eq!(row[11], f["location"]["cell"].as_str().expect("cell"));
    assert_eq!(row[6], "警告");
    assert_eq!(row[1], "中村 キヨ");

    use calamine::Reader as _;
    let office = std::fs::read_dir(out.join("offices")).expect("offices").next().expect("office").expect("e").path();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(office.join("findings.xlsx")).expect("xlsx");
    let range = wb.worksheet_range("点検結果").expect("sheet");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][0], "重大度");
    assert_eq!(rows[0][4], "利用者名");
    let row = rows.iter().find(|r| r[1] == "T1-12").expect("T1-12 row");
    // The person's half-width katakana, full-width; the file relative.
    assert_eq!(row[4], "中村 キヨ");
    assert_eq!(row[8], "ひまわり/中村_居宅サービス計画書.xlsx");
    assert_eq!(row[9], "第1表");
}

#[test]
fn older_runs_with_english_headers_still_summarise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = lsw(&["run", "fixtures/sample", "--out", out.to_str().expect("p"), "--no-pdf", "--no-xlsx", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let summarise = |run: &Path, to: &Path| -> Value {
        let o = lsw(&["summary", run.to_str().expect("p"), "--out", to.to_str().expect("p"), "--no-pdf", "--no-xlsx"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let mut v = read_json(&to.join("summary.json"));
        v.as_object_mut().expect("object").remove("generated_at");
        v
    };
    let now = summarise(&out, &dir.path().join("sum-now"));
    // The same run as an older lsw wrote it: English headers, English
    // severities in finding_codes.
    let csv = std::fs::read_to_string(out.join("plans.csv")).expect("plans.csv");
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    let english: Vec<&str> = lsw::batch::PlanColumn::ALL.iter().map(|c| c.legacy_header()).collect();
    assert_eq!(header.trim_start_matches('\u{feff}').split(',').count(), english.len());
    let mut old = format!("\u{feff}{}\r\n", english.join(","));
    for l in lines {
        old.push_str(&l.replace(":エラー:", ":error:").replace(":警告:", ":warning:").replace(":情報:", ":info:"));
        old.push_str("\r\n");
    }
    std::fs::write(out.join("plans.csv"), old).expect("write");
    let before = summarise(&out, &dir.path().join("sum-old"));
    assert_eq!(now["tables"], before["tables"]);
    assert!(now["tables"].as_array().is_some_and(|t| !t.is_empty()));
}

#[test]
fn printed_places_dates_and_kana() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let input = workbook_input(dir.path());
    let o = lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let manifest = read_json(&out.join("manifest.json"));
    let plan = manifest["plans"][0]["path"].as_str().expect("path");
    let pdf = std::fs::read(out.join(plan).join("lsw.pdf")).expect("lsw.pdf");
    let t = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    assert!(!t.contains('\u{200B}'), "no zero-width spaces in the PDF's text");
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    // The place: relative to the input folder, the cell as Excel says it.
    assert!(squeezed.contains("場所：ひまわり/中村_居宅サービス計画書.xlsxシート「第1表」セル"), "{squeezed}");
    assert!(!squeezed.contains(&input.display().to_string().replace(' ', "")), "no absolute path");
    // Periods in the 和暦 of the dates (the workbook writes R7.7.1～R8.6.30).
    assert!(squeezed.contains("令和7年7月1日～令和8年6月30日"), "{squeezed}");
    assert!(!squeezed.contains("R7.7.1"), "{squeezed}");
    // Half-width katakana printed full-width.
    assert!(squeezed.contains("中村キヨ") && !squeezed.contains('ｷ'), "{squeezed}");
    // plan.json keeps what was read.
    let plan_json = std::fs::read_to_string(out.join(plan).join("plan.json")).expect("plan.json");
    assert!(plan_json.contains("中村 ｷﾖ") && plan_json.contains("R7.7.1～R8.6.30"));
    // Rules that could not be checked carry their names.
    assert!(squeezed.contains("点検できなかった規則"), "{squeezed}");
    assert!(squeezed.contains("（必要な表:第6表"), "{squeezed}");
    // The office report's place texts too.
    let office = std::fs::read_dir(out.join("offices")).expect("offices").next().expect("office").expect("e").path();
    let report = std::fs::read(office.join("audit-report.pdf")).expect("report");
    let t = pdf_extract::extract_text_from_mem(&report).expect("text");
    assert!(!t.contains('\u{200B}'));
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains("場所：ひまわり/中村_居宅サービス計画書.xlsxシート「第1表」セル"), "{squeezed}");
}

/// A warning (ProblemKind::Warning: read, with a caveat) is shown and
/// counted apart, and leaves the exit code at 0; an error makes it 2.
#[test]
fn warnings_are_shown_but_do_not_fail_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = support::sample::form_plan(false);
    // No numbers and no 生年月日: a plan known by office and name only.
    p.insurer = String::new();
    p.insured = String::new();
    p.birth = String::new();
    let input = dir.path().join("in");
    support::write(&input.join("計画.xlsx"), &support::forms::workbook(&p, false).expect("workbook"));
    let out = dir.path().join("out");
    let o = lsw(&["run", input.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf", "--no-xlsx"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("確認が必要なもの（読み込みはしました）: 1件"), "{err}");
    assert!(err.contains("計画.xlsx シート「第1表」セル") && err.contains("同姓同名"), "{err}");
    let m = read_json(&out.join("manifest.json"));
    assert_eq!((m["counts"]["warnings"].as_u64(), m["counts"]["errors"].as_u64()), (Some(1), Some(0)));
    // The near miss: with the numbers, no warning at all.
    let input2 = workbook_input(dir.path());
    let o = lsw(&["run", input2.to_str().expect("p"), "--out", out.to_str().expect("p"), "--no-pdf", "--no-xlsx"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!text(&o.stderr).contains("確認が必要なもの"), "{}", text(&o.stderr));
}

/// A value the forms have no place for, read as a date by the mapping
/// (a form workbook's 作成年月日, a date cell), prints in
/// 和暦 in the plan's workbook like every other date; lsw.json keeps the
/// date as read. The near miss: a value that is not a date prints as is.
#[test]
fn dates_kept_as_text_and_months_print_in_wareki() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = lsw(&["run", "fixtures/sample", "--out", out.to_str().expect("p"), "--no-pdf", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let plan = out.join("offices/1370000003/plans/131003-0000300001-20250701");
    let json = std::fs::read_to_string(plan.join("lsw.json")).expect("lsw.json");
    assert!(json.contains("作成年月日: 2025-07-01"), "{json}");
    use calamine::Reader as _;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(plan.join("lsw.xlsx")).expect("xlsx");
    let range = wb.worksheet_range("未分類").expect("the sheet of values the forms have no place for");
    let cells: Vec<String> = range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(cells.iter().any(|c| c == "作成年月日: 令和7年7月1日"), "{cells:?}");
    assert!(!cells.iter().any(|c| c.contains("2025-07-01")), "{cells:?}");
    assert!(cells.iter().any(|c| c == "生活援助中心型の算定理由: 一人暮らし"), "{cells:?}");
    // 第6/7表's 対象年月 (2025-10 in plan.json) in the workbook's titles, as in the PDF.
    let plan = out.join("offices/1370000001/plans/131001-0000100001-20251001");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(plan.join("lsw.xlsx")).expect("xlsx");
    for (sheet, title) in [
        ("第6表 サービス利用票", "第６表　サービス利用票（兼居宅サービス計画）　令和7年10月分　現行様式使用"),
        ("第7表 サービス利用票別表", "第７表　サービス利用票別表　令和7年10月分　現行様式使用"),
    ] {
        let range = wb.worksheet_range(sheet).expect(sheet);
        let cells: Vec<String> = range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
        assert!(cells.iter().any(|c| c == title), "{sheet}: {cells:?}");
    }
}

/// The sample's ひまわり folder: one workbook with the office's 事業所番号,
/// one (.xls) without. lsw run files both under 1370000003; the summary
/// counts them as one office too, by the plan's output folder, and prints
/// the vendor's half-width office name full-width. The near miss: offices
/// with their own numbers stay apart (three offices, not one), and an
/// office without any number is its own row.
#[test]
fn summary_counts_a_plan_without_office_number_under_its_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = lsw(&["run", "fixtures/sample", "--out", out.to_str().expect("p"), "--no-pdf", "--no-xlsx", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let plans = csv_rows(&out.join("plans.csv"));
    assert!(plans.iter().skip(1).any(|r| r[0].is_empty() && r[15].starts_with("offices/1370000003/")), "{plans:?}");
    let sum = dir.path().join("sum");
    let o = lsw(&["summary", out.to_str().expect("p"), "--out", sum.to_str().expect("p"), "--no-pdf", "--no-xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let rows = csv_rows(&sum.join("summary-offices.csv"));
    let (code, name, count) = (1, 2, 3);
    assert_eq!(rows[0][code], "事業所");
    let offices: Vec<(&str, &str, &str)> =
        rows.iter().skip(1).map(|r| (r[code].as_str(), r[name].as_str(), r[count].as_str())).collect();
    // The fourth: the paper-form office without any number, by its name.
    assert_eq!(offices.len(), 4, "{offices:?}");
    assert!(offices.iter().any(|o| o.0.starts_with("（番号なし）見本居宅介護支援事業所") && o.2 == "1"), "{offices:?}");
    assert!(offices.iter().any(|o| o.0 == "1370000003" && o.2 == "2"), "{offices:?}");
    assert!(offices.iter().any(|o| o.0 == "1370000002" && o.1 == "ケアプランあさひ"), "{offices:?}");
}
