//! Bad input: each problem gives an errors.json entry with a Japanese message
//! and its position; every other input is still processed; exit code 2;
//! never a panic.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use support::standard as st;
use support::{crlf, sjis, write};

fn run(inputs: &[&Path], out: &Path) -> (i32, Vec<Value>, Value) {
    let o = Command::cargo_bin("lsw")
        .expect("bin")
        .arg("run")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let errors: Value =
        serde_json::from_slice(&std::fs::read(out.join("errors.json")).expect("errors.json")).expect("json");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    (o.status.code().unwrap_or(-1), errors.as_array().cloned().unwrap_or_default(), manifest)
}

fn errors_for<'a>(errors: &'a [Value], file_part: &str) -> Vec<&'a Value> {
    errors.iter().filter(|e| e["file"].as_str().is_some_and(|f| f.contains(file_part))).collect()
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// One good standard set and a folder of broken files, in one run.
#[test]
fn every_bad_file_is_reported_and_the_good_one_still_processed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("in");
    let (good, _, _) = support::sample::standard_plans();
    let name = |prefix: &str| st::file_name(prefix, None, "1370000001", "1370100001", true);
    write(&inp.join("good").join(name("UP1KYO")), &sjis(&crlf(&[st::up1kyo(&good)])));

    let bad = inp.join("bad");
    // Empty file.
    write(&bad.join("empty.csv"), b"");
    // CP932 cut inside a double-byte character (the last byte of 課題 removed).
    let mut cut = sjis(&crlf(&st::up2kyo(&good)));
    cut.truncate(cut.len() - 2); // drop CRLF
    let mut lines = sjis(&crlf(&st::up2kyo(&good)[..1]));
    lines.extend(sjis("202407,131001,0000100009,20250401,20250401,1,\"課"));
    lines.pop();
    write(&bad.join(st::file_name("UP2KYO", None, "1370000009", "1370100001", true)), &lines);
    // A quote left open until the end of the file.
    let mut open = crlf(&st::up2kyo(&good)[..2]);
    open.push_str("202407,131001,0000100008,20250401,20250401,1,\"開いたままの引用符\r\n次の行");
    write(&bad.join(st::file_name("UP2KYO", None, "1370000008", "1370100001", true)), &sjis(&open));
    // Invalid UTF-8 in a ほのぼの export written as UTF-8.
    let mut utf8 = support::honobono::line(&support::honobono::CAREPLAN1_HEADER).into_bytes();
    utf8.extend_from_slice(b"\r\n");
    let bytes = bad_utf8_row().into_bytes();
    // A stray byte inside the free text 方針, after its first character.
    let at = row_offset_of(&bytes, "方針".as_bytes()) + "方".len();
    utf8.extend_from_slice(&bytes[..at]);
    utf8.push(0xFF);
    utf8.extend_from_slice(&bytes[at..]);
    write(&bad.join("careplan1.CSV"), &utf8);
    // A truncated workbook and a text file named .xlsx.
    let wb = support::forms::workbook(&support::sample::form_plan(false), false).expect("xlsx");
    write(&bad.join("truncated.xlsx"), &wb[..wb.len() / 2]);
    write(&bad.join("text.xlsx"), "これはExcelではありません".as_bytes());
    // Rows with the wrong number of fields.
    let mut wrong = st::up1kyo(&good);
    wrong.push_str(",余分な項目");
    let mut p2 = good.clone();
    p2.insured = "0000100007".into();
    write(
        &bad.join(st::file_name("UP1KYO", None, "1370000007", "1370100001", true)),
        &sjis(&crlf(&[wrong, st::up1kyo(&p2)])),
    );
    // A 2 MB cell.
    let mut big = good.clone();
    big.insured = "0000100006".into();
    big.policy = "長".repeat(1_000_000);
    write(
        &bad.join(st::file_name("UP1KYO", None, "1370000006", "1370100001", true)),
        &sjis(&crlf(&[st::up1kyo(&big)])),
    );
    // An unknown layout.
    write(&bad.join("unknown.csv"), &sjis("氏名,電話\r\n山田,03\r\n"));
    // A date that does not exist.
    let mut nodate = good.clone();
    nodate.insured = "0000100005".into();
    nodate.first_created = "20250230".into();
    write(
        &bad.join(st::file_name("UP1KYO", None, "1370000005", "1370100001", true)),
        &sjis(&crlf(&[st::up1kyo(&nodate)])),
    );

    let out = dir.path().join("out");
    let (code, errors, manifest) = run(&[&inp], &out);
    assert_eq!(code, 2);
    for e in &errors {
        let msg = e["message"].as_str().expect("message");
        assert!(has_japanese(msg), "not Japanese: {msg}");
    }
    let show = || serde_json::to_string_pretty(&errors).expect("json");

    let empty = errors_for(&errors, "empty.csv");
    assert_eq!(empty.len(), 1, "{}", show());
    assert!(empty[0]["message"].as_str().expect("m").contains("空"));

    let cut = errors_for(&errors, "UP2KYO_1370000009");
    assert!(cut.iter().any(|e| e["kind"] == "encoding" && e["line"] == 2 && e["byte_offset"].is_u64()), "{}", show());

    let open = errors_for(&errors, "UP2KYO_1370000008");
    assert!(
        open.iter().any(|e| e["kind"] == "csv"
            && e["line"] == 3
            && e["message"].as_str().expect("m").contains("閉じられていません")),
        "{}",
        show()
    );

    let utf8 = errors_for(&errors, "careplan1.CSV");
    assert!(
        utf8.iter().any(|e| e["kind"] == "encoding"
            && e["line"] == 2
            && e["byte_offset"] == utf8_header_len() + utf8_row_offset()),
        "{}",
        show()
    );

    assert_eq!(errors_for(&errors, "truncated.xlsx").len(), 1, "{}", show());
    let text = errors_for(&errors, "text.xlsx");
    assert!(text[0]["message"].as_str().expect("m").contains("Excelファイル"), "{}", show());

    let wrong = errors_for(&errors, "UP1KYO_1370000007");
    assert!(
        wrong
            .iter()
            .any(|e| e["kind"] == "csv" && e["line"] == 1 && e["message"].as_str().expect("m").contains("29項目")),
        "{}",
        show()
    );

    let big = errors_for(&errors, "UP1KYO_1370000006");
    assert!(big.iter().any(|e| e["kind"] == "limit" && e["line"] == 1 && e["column"] == 24), "{}", show());

    let unknown = errors_for(&errors, "unknown.csv");
    assert!(unknown.iter().any(|e| e["kind"] == "layout"), "{}", show());

    let nodate = errors_for(&errors, "UP1KYO_1370000005");
    assert!(
        nodate.iter().any(|e| e["kind"] == "value"
            && e["line"] == 1
            && e["column"] == 15
            && e["message"].as_str().expect("m").contains("存在しない日付")),
        "{}",
        show()
    );

    // The good file and the good rows of bad files were still processed.
    let plans: Vec<String> = manifest["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .map(|p| p["key"]["insured_no"].as_str().expect("no").to_string())
        .collect();
    for want in ["0000100001", "0000100005", "0000100006", "0000100007", "0000200009"] {
        assert!(plans.contains(&want.to_string()), "{want} missing from {plans:?}");
    }
    // Nothing half-written: no temporary files left behind.
    for e in walk(&out) {
        let name = Path::new(&e).file_name().expect("name").to_string_lossy().into_owned();
        assert!(!name.contains(".tmp"), "left over: {e}");
    }
}

fn row_offset_of(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).expect("needle")
}

/// The ほのぼの row whose free text 方針 gets a stray byte.
fn bad_utf8_row() -> String {
    support::honobono::line(&[
        "1370000002",
        "ケアプランあさひ",
        "131002",
        "0000200009",
        "2025/03/25",
        "1",
        "1",
        "2025/04/01",
        "方針",
        "意向",
        "",
        "",
        "佐藤",
    ])
}

fn utf8_row_offset() -> u64 {
    let row = bad_utf8_row();
    (row_offset_of(row.as_bytes(), "方針".as_bytes()) + "方".len()) as u64
}

fn utf8_header_len() -> u64 {
    support::honobono::line(&support::honobono::CAREPLAN1_HEADER).len() as u64 + 2
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn a_missing_input_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let (code, errors, manifest) = run(&[Path::new("fixtures/spec-example"), &dir.path().join("nothing-here")], &out);
    assert_eq!(code, 2);
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"].as_str().expect("m").contains("見つかりません"));
    assert_eq!(manifest["counts"]["plans"], 1);
}

#[test]
fn two_mappings_matching_equally_is_an_error_naming_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = lsw::mapping::BUILTIN
        .iter()
        .find(|(n, _)| *n == "honobono-next")
        .expect("builtin")
        .1
        .replace("name = \"honobono-next\"", "name = \"honobono-copy\"");
    let copy_path = dir.path().join("copy.toml");
    std::fs::write(&copy_path, copy).expect("write");
    let out = dir.path().join("out");
    let o = Command::cargo_bin("lsw")
        .expect("bin")
        .args([
            "run",
            "fixtures/sample/ケアプランあさひ_ほのぼの",
            "--quiet",
            "--mapping",
            "honobono-next",
            "--mapping",
        ])
        .arg(&copy_path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let errors: Value = serde_json::from_slice(&std::fs::read(out.join("errors.json")).expect("errors")).expect("json");
    let msgs: Vec<&str> = errors.as_array().expect("array").iter().filter_map(|e| e["message"].as_str()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs.iter().all(|m| m.contains("honobono-next") && m.contains("honobono-copy")), "{msgs:?}");
}

/// Arbitrary bytes under every extension never panic.
#[test]
fn random_bytes_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("in");
    let mut rng = support::Rng::new(7);
    let good =
        std::fs::read("fixtures/sample/居宅介護支援センターひまわり/中村キヨ_居宅サービス計画書.xlsx").expect("sample");
    for i in 0..40 {
        let len = rng.below(3000);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if i % 4 == 0 {
            // A real workbook with a few bytes flipped.
            bytes = good.clone();
            for _ in 0..8 {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
        }
        let ext = ["csv", "xlsx", "xls", "CSV"][i % 4];
        write(&inp.join(format!("UP2KYO_1370000001_43_1370100001_11_2025102012{i:04}.{ext}")), &bytes);
    }
    let (code, _, _) = run(&[&inp], &dir.path().join("out"));
    assert!(code == 0 || code == 2, "exit {code}");
}

/// An output folder inside the input folder (`lsw run plans --out
/// plans/out`), run twice: the second run does not read the first run's
/// findings.csv, plans.csv and xlsx files back as plans.
#[test]
fn an_output_folder_inside_the_input_is_not_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("plans");
    let sample = Path::new("fixtures/sample/ケアプランセンターさくら_標準CSV");
    let mut n = 0;
    for e in std::fs::read_dir(sample).expect("sample") {
        let p = e.expect("entry").path();
        write(&inp.join(p.file_name().expect("name")), &std::fs::read(&p).expect("read"));
        n += 1;
    }
    let out = inp.join("out");
    let run_once = || {
        Command::cargo_bin("lsw")
            .expect("bin")
            .args(["run", "--quiet", "--no-pdf", "--fail-on", "never"])
            .arg(&inp)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run")
    };
    assert_eq!(run_once().status.code(), Some(0));
    assert!(walk(&out).iter().any(|f| f.ends_with("lsw.xlsx")), "the first run wrote workbooks");
    let second = run_once();
    assert_eq!(second.status.code(), Some(0), "{}", String::from_utf8_lossy(&second.stderr));
    let errors: Value = serde_json::from_slice(&std::fs::read(out.join("errors.json")).expect("errors")).expect("json");
    assert_eq!(errors, serde_json::json!([]));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    assert_eq!(manifest["counts"]["files"], n);
}

/// A workbook saved or renamed as .csv is read as the workbook it is; a
/// binary file named .csv lists its first undecodable bytes and counts the
/// rest in one entry, instead of thousands of entries.
#[test]
fn a_workbook_named_csv_is_read_and_binary_text_is_counted_not_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("in");
    let xlsx =
        std::fs::read("fixtures/sample/居宅介護支援センターひまわり/中村キヨ_居宅サービス計画書.xlsx").expect("sample");
    write(&inp.join("中村キヨ_計画書.csv"), &xlsx);
    let mut rng = support::Rng::new(11);
    let junk: Vec<u8> = (0..20_000).map(|_| 0x80 | rng.next() as u8).collect();
    write(&inp.join("junk.csv"), &junk);
    let (code, errors, manifest) = run(&[&inp], &dir.path().join("out"));
    assert_eq!(code, 2);
    assert!(errors_for(&errors, "中村キヨ").is_empty(), "{errors:?}");
    assert_eq!(manifest["counts"]["plans"], 1);
    let entry = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"].as_str().is_some_and(|n| n.contains("中村キヨ")))
        .expect("entry");
    assert_eq!(entry["format"], "xlsx");
    let junk_errors = errors_for(&errors, "junk.csv");
    let encoding: Vec<&str> =
        junk_errors.iter().filter(|e| e["kind"] == "encoding").filter_map(|e| e["message"].as_str()).collect();
    assert_eq!(encoding.len(), lsw::ingest::ENCODING_ISSUES_LISTED + 1, "{junk_errors:?}");
    assert!(encoding.last().expect("last").starts_with("ほかにも読めないバイト列が"), "{encoding:?}");
    assert!(junk_errors.len() <= lsw::ingest::ENCODING_ISSUES_LISTED + 2, "{}", junk_errors.len());
}

/// A legacy .xls cut short at certain lengths makes calamine panic (an
/// assertion in its CFB reader, a slice past the end). lsw reports the file
/// like any broken workbook, in Japanese, without the panic's English
/// message on the terminal, and the other inputs are still read.
#[test]
fn a_workbook_that_makes_the_reader_panic_is_reported_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("in");
    let xls =
        std::fs::read("fixtures/sample/居宅介護支援センターひまわり/田中ハル_居宅サービス計画書.xls").expect("sample");
    for n in [957, 17_500] {
        write(&inp.join(format!("cut{n}.xls")), &xls[..n]);
    }
    let (code, errors, manifest) = run(&[&inp, Path::new("fixtures/spec-example")], &dir.path().join("out"));
    assert_eq!(code, 2);
    for n in [957, 17_500] {
        let e = errors_for(&errors, &format!("cut{n}.xls"));
        assert_eq!(e.len(), 1, "{errors:?}");
        let m = e[0]["message"].as_str().expect("message");
        assert!(m.starts_with("Excelファイル"), "{m}");
    }
    // Both are now stopped by the compound-file check before calamine
    // (their chains point past the cut); whatever a library said is in
    // `detail`, never with the build machine's path.
    for n in [957, 17_500] {
        let e = errors_for(&errors, &format!("cut{n}.xls"));
        assert!(e[0]["message"].as_str().expect("message").contains("内部構造が壊れています"), "{e:?}");
        assert!(e[0]["detail"].as_str().is_none_or(|d| !d.contains("(/")), "{e:?}");
    }
    assert_eq!(manifest["counts"]["plans"], 1);
}

/// Mutants of every sample input (bytes changed, inserted and cut; quotes,
/// commas, tabs, CR/LF, broken CP932, BOMs, long digits, lines repeated and
/// reordered), each beside its unmutated companions: never a panic, every
/// problem in Japanese. A fixed seed, so a failure reproduces; the sweep
/// that found the .xls panic and the grid panic ran thousands of these.
#[test]
fn mutated_sample_inputs_never_panic() {
    let specials: [&[u8]; 16] = [
        b"\"",
        b",",
        b"\t",
        b"\r\n",
        b"\n",
        b"\x81",
        b"\xff",
        b"\x00",
        b"\"\"",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"99999999",
        b"R99/13/45",
        b"H31.4.30",
        b"\x87\x40",
        b"\xe3\x80\x80",
    ];
    let mut samples = Vec::new();
    for office in std::fs::read_dir("fixtures/sample").expect("sample").flatten() {
        for f in std::fs::read_dir(office.path()).expect("office").flatten() {
            samples.push(f.path());
        }
    }
    samples.sort();
    let mut rng = support::Rng::new(2026);
    let dir = tempfile::tempdir().expect("tempdir");
    for round in 0..6 {
        let inp = dir.path().join(format!("in{round}"));
        for (k, path) in samples.iter().enumerate() {
            let mut b = std::fs::read(path).expect("read");
            for _ in 0..1 + rng.below(5) {
                let at = rng.below(b.len().max(1));
                match rng.below(6) {
                    0 if !b.is_empty() => b[at] = rng.next() as u8,
                    1 => {
                        let s = rng.pick(&specials);
                        b.splice(at..at, s.iter().copied());
                    }
                    2 => {
                        let end = (at + 1 + rng.below(40)).min(b.len());
                        b.drain(at.min(end)..end);
                    }
                    3 => b.truncate(at),
                    4 => {
                        let mut lines: Vec<Vec<u8>> = b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
                        let l = lines[rng.below(lines.len())].clone();
                        lines.insert(rng.below(lines.len() + 1), l);
                        b = lines.join(&b'\n');
                    }
                    _ => {
                        let mut lines: Vec<Vec<u8>> = b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
                        let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                        lines.swap(i, j);
                        b = lines.join(&b'\n');
                    }
                }
            }
            // Standard CSV names must keep their pattern: a distinct timestamp each.
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .replace("20251020120000", &format!("2025102012{k:04}"));
            write(&inp.join(path.parent().and_then(|p| p.file_name()).expect("office")).join(name), &b);
        }
        let out = dir.path().join(format!("out{round}"));
        let pdf: &[&str] = if round == 0 { &[] } else { &["--no-pdf"] };
        let o = Command::cargo_bin("lsw")
            .expect("bin")
            .arg("run")
            .arg(&inp)
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--fail-on", "never"])
            .args(pdf)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!stderr.contains("panicked"), "round {round}: {stderr}");
        assert!(matches!(o.status.code(), Some(0 | 2)), "round {round}: {:?} {stderr}", o.status);
        let errors: Value =
            serde_json::from_slice(&std::fs::read(out.join("errors.json")).expect("errors")).expect("json");
        for e in errors.as_array().expect("array") {
            let m = e["message"].as_str().expect("message");
            assert!(has_japanese(m), "round {round}: {m}");
        }
    }
}

/// Structure mutants of the sample workbooks (support::mutate: .xls
/// sector chains, directory, DIMENSIONS and cell records; .xlsx zip
/// headers, dimensions, cell references, rows, shared-string indexes),
/// each round beside the rest of the sample, under a 2 GiB address-space
/// cap: the run never aborts or hangs, every message is Japanese, and the
/// unmutated files' plans are still produced. A fixed seed.
#[cfg(unix)]
#[test]
fn mutated_workbook_structures_never_abort() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xls =
        std::fs::read("fixtures/sample/居宅介護支援センターひまわり/田中ハル_居宅サービス計画書.xls").expect("xls");
    let xlsx =
        std::fs::read("fixtures/sample/居宅介護支援センターひまわり/中村キヨ_居宅サービス計画書.xlsx").expect("xlsx");
    let mut rng = support::Rng::new(22);
    let bin = assert_cmd::cargo::cargo_bin("lsw");
    let mut kinds = std::collections::BTreeSet::new();
    for round in 0..5 {
        let inp = dir.path().join(format!("in{round}"));
        for k in 0..6 {
            let (b, did) = support::mutate::xls(&xls, &mut rng);
            kinds.extend(did);
            write(&inp.join(format!("m{k}.xls")), &b);
            let (b, did) = support::mutate::xlsx(&xlsx, &mut rng);
            kinds.extend(did);
            write(&inp.join(format!("m{k}.xlsx")), &b);
        }
        let out = dir.path().join(format!("out{round}"));
        let t = std::time::Instant::now();
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
            .arg(&bin)
            .arg("run")
            .arg(&inp)
            .arg("fixtures/sample/ケアプランセンターさくら_標準CSV")
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--no-pdf"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(matches!(o.status.code(), Some(0 | 2)), "round {round}: {:?} {stderr}", o.status);
        assert!(!stderr.contains("panicked") && !stderr.contains("memory allocation"), "round {round}: {stderr}");
        assert!(t.elapsed() < std::time::Duration::from_secs(60), "round {round}: {:?}", t.elapsed());
        let errors: Value =
            serde_json::from_slice(&std::fs::read(out.join("errors.json")).expect("errors")).expect("json");
        for e in errors.as_array().expect("array") {
            let m = e["message"].as_str().expect("message");
            assert!(has_japanese(m), "round {round}: {m}");
        }
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
        assert!(manifest["counts"]["plans"].as_u64().is_some_and(|n| n >= 3), "round {round}: {}", manifest["counts"]);
    }
    // Every kind of mutation was tried.
    for k in [
        "fat-entry",
        "directory-start",
        "directory-entry",
        "difat",
        "header-count",
        "dimensions",
        "cell-position",
        "zip-header",
        "dimension",
        "cell-reference",
        "row",
        "shared-string-index",
    ] {
        assert!(kinds.contains(k), "{k} never tried: {kinds:?}");
    }
}

/// A run first looks at every file for its people (key fields only, each
/// field decoded on its own instead of the whole file) to know which files
/// to read together. That look must find the same records, keys and lines
/// as the full reading, or a plan spread over two files could be split:
/// compared on the sample and on files with broken bytes, a BOM, full-width
/// digits in a key and quoted line breaks.
#[test]
fn the_first_look_finds_the_keys_the_full_reading_finds() {
    use lsw::ingest::encoding::EncodingChoice;
    use lsw::mapping::apply::KEY_FIELDS;
    use lsw::model::fields::F;
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("in");
    support::sample::write_sample(&inp);
    let (good, _, _) = support::sample::standard_plans();
    let name = |prefix: &str| st::file_name(prefix, None, "1370000009", "1370100009", true);
    // CP932: a lead byte left alone right before a closing quote and before
    // a comma, an undecodable byte, a quoted line break, a key in full-width digits.
    let mut up2 = sjis(&crlf(&st::up2kyo(&good)));
    let at = up2.windows(2).position(|w| w == b"\",").expect("a quoted field");
    up2.insert(at, 0x81);
    let at = up2.windows(2).rposition(|w| w == b"\",").expect("a quoted field");
    up2.splice(at..at, [0xFF, b'"', b',', 0x82]);
    write(&inp.join("broken").join(name("UP2KYO")), &up2);
    let up1 = st::up1kyo(&good);
    let wide = up1.replacen(",20", ",２０", 1).replacen("\",\"", "\r\n\",\"", 1);
    write(&inp.join("wide").join(name("UP1KYO")), &sjis(&crlf(&[up1.clone(), wide])));
    // UTF-8 with a BOM and a broken sequence (ほのぼの reads UTF-8 too).
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend(crlf(&[support::honobono::line(&support::honobono::CAREPLAN1_HEADER), bad_utf8_row()]).as_bytes());
    let at = row_offset_of(&utf8, "方針".as_bytes()) + "方".len();
    utf8[at] = 0xE9;
    write(&inp.join("utf8").join("careplan1.CSV"), &utf8);

    let mut problems = Vec::new();
    let files = lsw::batch::discover::discover(std::slice::from_ref(&inp), &[], &mut problems);
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    type Keys = (Option<String>, Vec<(String, Option<String>, Option<String>, Option<chrono::NaiveDate>)>);
    let keys = |i: usize, only| -> Keys {
        let r = lsw::batch::process_file(&files[i], i, &mappings, EncodingChoice::Auto, only);
        let recs = r
            .records
            .iter()
            .map(|x| {
                let s = |f| x.str(f).map(str::to_string);
                (format!("{:?}", x.source()), s(F::InsurerNo), s(F::InsuredNo), x.date(F::PlanDate))
            })
            .collect();
        (r.entry.mapping, recs)
    };
    let mut records = 0;
    for (i, f) in files.iter().enumerate() {
        let full = keys(i, None);
        assert!(full.0.is_some(), "{} was not recognised", f.name);
        assert_eq!(keys(i, Some(&KEY_FIELDS)), full, "{}", f.name);
        records += full.1.len();
    }
    assert!(files.len() >= 15 && records > 100, "{} files, {records} records", files.len());
}
