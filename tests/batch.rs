//! The nightly batch: incremental re-runs, removal of plans whose inputs are
//! gone, `--force`, and a run killed with SIGKILL part-way that the next run
//! completes without any truncated file.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const EPOCH: &str = "1795186800";

fn lsw(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("lsw")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("run")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("run")
}

fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json")
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            if e.file_type().expect("type").is_dir() {
                stack.push(e.path());
            } else {
                v.push(e.path().strip_prefix(dir).expect("rel").to_path_buf());
            }
        }
    }
    v.sort();
    v
}

/// The outputs that must not depend on how a run got there (manifest.json
/// holds timings and counts of reused work).
fn comparable(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .filter(|p| p != Path::new("manifest.json"))
        .map(|p| {
            let b = std::fs::read(dir.join(&p)).expect("read");
            (p, b)
        })
        .collect()
}

fn input_set(dir: &Path, plans: usize) {
    support::bench_gen::write_standard_set(dir, plans, 2, 7);
}

#[test]
fn a_rerun_redoes_only_what_changed_and_removes_what_is_gone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    input_set(&input, 12);
    let out = tmp.path().join("out");
    assert_eq!(lsw(&input, &out, &["--no-pdf"]).status.code(), Some(0));
    let first = comparable(&out);
    let plans = manifest(&out)["counts"]["plans"].as_u64().expect("plans");
    assert_eq!(plans, 12);

    // Nothing changed: everything reused, the same bytes.
    assert_eq!(lsw(&input, &out, &["--no-pdf"]).status.code(), Some(0));
    assert_eq!(manifest(&out)["counts"]["reused"], 12);
    assert!(comparable(&out) == first, "a re-run changes no output");
    assert!(!out.join(".lsw-journal").exists(), "journal removed after a finished run");

    // A deleted plan output is redone even though its fingerprint is known.
    let victim = manifest(&out)["plans"][0]["path"].as_str().expect("path").to_string();
    std::fs::remove_file(out.join(&victim).join("lsw.json")).expect("rm");
    lsw(&input, &out, &["--no-pdf"]);
    assert_eq!(manifest(&out)["counts"]["reused"], 11);
    assert!(comparable(&out) == first);

    // Settings change everything; --force redoes all.
    let cfg = tmp.path().join("audit.toml");
    std::fs::write(&cfg, "disable = [\"T2-19\"]\n").expect("cfg");
    lsw(&input, &out, &["--no-pdf", "--config", cfg.to_str().expect("utf8")]);
    assert_eq!(manifest(&out)["counts"]["reused"], 0);
    lsw(&input, &out, &["--no-pdf", "--force"]);
    assert_eq!(manifest(&out)["counts"]["reused"], 0);
    assert!(comparable(&out) == first);

    // One office's inputs gone: its plan folders (and the office) go too.
    let mut office_dirs: Vec<PathBuf> = std::fs::read_dir(&input).expect("in").flatten().map(|e| e.path()).collect();
    office_dirs.sort();
    let gone = office_dirs.pop().expect("two offices");
    let code = gone.file_name().expect("name").to_string_lossy().to_string();
    assert!(out.join("offices").join(&code).exists(), "office folder named by its code");
    std::fs::remove_dir_all(&gone).expect("rm inputs");
    lsw(&input, &out, &["--no-pdf"]);
    let m = manifest(&out);
    let left = m["counts"]["plans"].as_u64().expect("plans");
    assert!(left < 12);
    assert_eq!(m["counts"]["removed"].as_u64(), Some(12 - left));
    assert_eq!(m["counts"]["reused"].as_u64(), Some(left));
    assert!(!out.join("offices").join(&code).exists(), "office folder removed with its last plan");
}

#[test]
fn a_changed_input_redoes_its_plans_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    input_set(&input, 12);
    let out = tmp.path().join("out");
    lsw(&input, &out, &["--no-pdf", "--no-xlsx"]);
    // Change one plan's 総合的な援助の方針 text in the 第1表 file.
    let up1 = files(&input)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("UP1KYO")))
        .map(|p| input.join(p))
        .expect("UP1KYO");
    let bytes = std::fs::read(&up1).expect("read");
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[0] = lines[0].replacen("\"", "\"変更 ", 1);
    let changed = support::sjis(&support::crlf(&lines));
    std::fs::write(&up1, changed).expect("write");
    lsw(&input, &out, &["--no-pdf", "--no-xlsx"]);
    let reused = manifest(&out)["counts"]["reused"].as_u64().expect("reused");
    assert_eq!(reused, 11, "one plan redone");
}

/// Checks that every output file is whole: JSON parses, PDFs load, xlsx open.
fn all_whole(out: &Path) {
    for f in files(out) {
        let p = out.join(&f);
        let name = f.to_string_lossy().to_string();
        if name.ends_with(".json") {
            serde_json::from_slice::<Value>(&std::fs::read(&p).expect("read"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        } else if name.ends_with(".pdf") {
            lopdf::Document::load(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        } else if name.ends_with(".xlsx") {
            let _: calamine::Xlsx<_> = calamine::open_workbook(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// Plans the journal records as finished ("-" lines mark work begun).
fn finished(journal: &str) -> usize {
    // Fingerprint lines (64 hex digits), not `-` or workbook (`x…`) lines.
    journal.lines().filter(|l| l.split('\t').next().is_some_and(|f| f.len() == 64) && l.contains("/plans/")).count()
}

#[test]
fn a_run_killed_part_way_is_completed_by_the_next() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    input_set(&input, 60);
    let clean = tmp.path().join("clean");
    assert_eq!(lsw(&input, &clean, &["--jobs", "1"]).status.code(), Some(0));

    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lsw"))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("run")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--jobs", "1"])
        .spawn()
        .expect("spawn");
    // Kill once some plans are finished (journalled) and others are not.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = std::fs::read_to_string(out.join(".lsw-journal")).map(|t| finished(&t)).unwrap_or(0);
        if done >= 10 {
            break;
        }
        assert!(Instant::now() < deadline, "the run never got going");
        assert!(child.try_wait().expect("wait").is_none(), "the run finished before it could be killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    assert!(!out.join("manifest.json").exists(), "killed before the end");
    all_whole(&out);
    let journalled = finished(&std::fs::read_to_string(out.join(".lsw-journal")).expect("journal"));

    let o = lsw(&input, &out, &["--jobs", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let reused = manifest(&out)["counts"]["reused"].as_u64().expect("reused") as usize;
    assert!(reused >= journalled && reused < 60, "kept the finished plans ({reused}, journalled {journalled})");
    all_whole(&out);
    let a = comparable(&clean);
    let b = comparable(&out);
    assert_eq!(a.iter().map(|x| &x.0).collect::<Vec<_>>(), b.iter().map(|x| &x.0).collect::<Vec<_>>());
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs from a clean run", p.display());
    }
}

#[test]
fn batches_of_file_groups_give_the_same_outputs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    input_set(&input, 24);
    // The sample's offices too: forms, honobono and standard files mixed.
    let sample_copy = input.join("sample");
    for f in files(Path::new("fixtures/sample")) {
        let to = sample_copy.join(&f);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(Path::new("fixtures/sample").join(&f), &to).expect("copy");
    }
    let whole = tmp.path().join("whole");
    lsw(&input, &whole, &["--no-pdf"]);
    let split = tmp.path().join("split");
    let o = Command::cargo_bin("lsw")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("LSW_BATCH_BYTES", "1")
        .arg("run")
        .arg(&input)
        .arg("--out")
        .arg(&split)
        .args(["--quiet", "--no-pdf"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let a = comparable(&whole);
    let b = comparable(&split);
    assert_eq!(a.len(), b.len());
    for ((p, x), (q, y)) in a.iter().zip(&b) {
        assert_eq!(p, q);
        assert!(x == y, "{} differs when each group of files is read alone", p.display());
    }
    assert_eq!(manifest(&whole)["counts"], manifest(&split)["counts"]);
}

/// Two runs into one output folder at once (a nightly run still going when
/// the next starts): the second stops with a Japanese message naming the
/// folder and writes nothing; once the first is done the folder is free.
#[test]
fn a_second_run_into_a_busy_output_folder_stops_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    // This test holds the folder as a running lsw would.
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(".lsw-lock"))
        .expect("lock file");
    held.lock().expect("lock");
    let sample = Path::new("fixtures/spec-example");
    let busy = lsw(sample, &out, &["--no-pdf"]);
    assert_eq!(busy.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&busy.stderr);
    assert!(stderr.contains("別の lsw run が書き込んでいます") && stderr.contains("out"), "{stderr}");
    assert_eq!(files(&out), [PathBuf::from(".lsw-lock")], "nothing written beside the lock");
    drop(held);
    let free = lsw(sample, &out, &["--no-pdf"]);
    assert_eq!(free.status.code(), Some(0), "{}", String::from_utf8_lossy(&free.stderr));
    assert_eq!(manifest(&out)["counts"]["plans"], 1);
}

/// Copies `from` (recursively) into `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// A nightly run whose inputs could not be read (an office's files broken,
/// the input folder empty: an export that did not run, a share not mounted)
/// must not delete the plans it did not see: they are kept, listed in the
/// manifest's kept_plans, and taken up again once the inputs read.
#[test]
fn plans_whose_inputs_could_not_be_read_are_kept_not_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inp = dir.path().join("in");
    copy_tree(Path::new("fixtures/sample"), &inp);
    let out = dir.path().join("out");
    let plan_dirs = |out: &Path| files(out).iter().filter(|f| f.ends_with("plan.json")).count();
    assert_eq!(lsw(&inp, &out, &["--no-pdf", "--fail-on", "never"]).status.code(), Some(0));
    let all = plan_dirs(&out);
    assert_eq!(all, 9);

    // One office's two files broken: its plans are not gone, only unread.
    let office = inp.join("ケアプランあさひ_ほのぼの");
    let originals: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&office)
        .expect("dir")
        .flatten()
        .map(|e| (e.path(), std::fs::read(e.path()).expect("read")))
        .collect();
    for (p, _) in &originals {
        std::fs::write(p, "壊れたファイル\n").expect("write");
    }
    let o = lsw(&inp, &out, &["--no-pdf", "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(2));
    let m = manifest(&out);
    let kept = m["counts"]["kept"].as_u64().expect("kept") as usize;
    assert!(kept > 0, "{}", m["counts"]);
    assert_eq!(m["counts"]["removed"], 0);
    assert_eq!(m["kept_plans"].as_array().expect("kept_plans").len(), kept);
    assert_eq!(m["counts"]["plans"].as_u64().expect("plans") as usize + kept, all);
    assert_eq!(plan_dirs(&out), all, "no plan folder removed");

    // An empty input folder: nothing read, nothing removed, said in errors.json.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    assert_eq!(lsw(&empty, &out, &["--no-pdf", "--fail-on", "never"]).status.code(), Some(2));
    let m = manifest(&out);
    assert_eq!(m["counts"]["kept"].as_u64(), Some(all as u64));
    assert_eq!(m["counts"]["removed"], 0);
    assert_eq!(plan_dirs(&out), all);
    let errors = std::fs::read_to_string(out.join("errors.json")).expect("errors");
    assert!(errors.contains("読める形式のファイル"), "{errors}");

    // Inputs back: every plan is current again, nothing kept.
    for (p, bytes) in &originals {
        std::fs::write(p, bytes).expect("write");
    }
    assert_eq!(lsw(&inp, &out, &["--no-pdf", "--fail-on", "never"]).status.code(), Some(0));
    let m = manifest(&out);
    assert_eq!(m["counts"]["plans"].as_u64(), Some(all as u64));
    assert_eq!(m["counts"]["kept"], 0);
    assert!(m.get("kept_plans").is_none());
    // And inputs really gone are still removed: the broken office deleted.
    std::fs::remove_dir_all(&office).expect("rm");
    assert_eq!(lsw(&inp, &out, &["--no-pdf", "--fail-on", "never"]).status.code(), Some(0));
    let m = manifest(&out);
    assert_eq!(m["counts"]["kept"], 0);
    assert_eq!(m["counts"]["removed"].as_u64(), Some(kept as u64));
    assert_eq!(plan_dirs(&out), all - kept);
}
