//! Incremental, crash-safe runs.
//!
//! A plan's *fingerprint* is the SHA-256 of the run's settings fingerprint
//! (tool version, mappings, placement rules, audit config, templates, fonts,
//! output switches) and the plan's own plan.json bytes, so a plan is redone
//! exactly when what it was read as, or how it is processed, changed; its
//! files' other plans do not matter. An office's fingerprint covers its
//! plans' fingerprints.
//!
//! What counts as done: the previous manifest.json's plans and offices, and
//! the journal `.lsw-journal` that this run appends to as each plan (or
//! office report) has all its files in place. A killed run leaves the
//! journal; the next run trusts its complete lines, redoes the rest and
//! removes the journal once its own manifest is written.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::hash::hex;
use sha2::{Digest, Sha256};

pub const JOURNAL: &str = ".lsw-journal";
/// Journal mark of work begun on a path (its files are being replaced).
const STARTED: &str = "-";
/// Journal mark of a workbook written (`x<sha256>`): its hash is lsw's own,
/// even if the run dies before the manifest says so.
const WORKBOOK: char = 'x';
/// How many of a plan's own lsw.xlsx hashes are remembered.
pub const WORKBOOK_HASHES: usize = 8;

/// The settings every output depends on, hashed.
pub struct Settings {
    hasher: Sha256,
}

impl Settings {
    pub fn new() -> Self {
        let mut s = Settings { hasher: Sha256::new() };
        s.add("tool", env!("CARGO_PKG_VERSION").as_bytes());
        s
    }

    /// Adds one named part (length-prefixed, so parts cannot run together).
    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        for part in [name.as_bytes(), bytes] {
            self.hasher.update((part.len() as u64).to_le_bytes());
            self.hasher.update(part);
        }
    }

    /// Adds every file below `dir` (path and content), sorted.
    pub fn add_dir(&mut self, name: &str, dir: &Path) -> std::io::Result<()> {
        for f in crate::files::files_below(dir)? {
            let rel = f.strip_prefix(dir).unwrap_or(&f).to_string_lossy().into_owned();
            self.add(&format!("{name}/{rel}"), &std::fs::read(&f)?);
        }
        Ok(())
    }

    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::new()
    }
}

/// Fingerprint of one plan: settings + its plan.json.
pub fn plan_fingerprint(settings: &str, plan_json: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(settings.as_bytes());
    h.update(plan_json);
    hex(&h.finalize())
}

/// Fingerprint of an office's outputs: settings + its plans' fingerprints
/// (in path order).
pub fn office_fingerprint(settings: &str, plans: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(settings.as_bytes());
    for p in plans {
        h.update(p.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

/// What earlier runs finished: output path (plan folder or office file) →
/// fingerprint.
#[derive(Debug, Default)]
pub struct Previous {
    pub done: HashMap<String, String>,
    /// Plan folders of the previous manifest (to remove those that are gone).
    pub plan_paths: Vec<String>,
    /// Each of those plans' manifest entry (its input files among them), to
    /// keep a plan whose inputs this run could not read.
    pub plan_entries: HashMap<String, serde_json::Value>,
    /// Plan folder → the hashes of the lsw.xlsx files lsw wrote there: an
    /// lsw.xlsx with another hash was changed by hand and is not overwritten.
    pub workbooks: HashMap<String, Vec<String>>,
}

impl Previous {
    /// Reads the manifest and the journal of `out`; anything unreadable
    /// counts as not done (the work is redone, never trusted blindly).
    pub fn load(out: &Path) -> Previous {
        let mut p = Previous::default();
        if let Ok(bytes) = std::fs::read(out.join("manifest.json")) {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                // Plans kept from an earlier run (their inputs were unreadable)
                // are plans of the previous run like the others.
                let plans = v["plans"].as_array().into_iter().flatten();
                for plan in plans.chain(v["kept_plans"].as_array().into_iter().flatten()) {
                    if let Some(path) = plan["path"].as_str() {
                        p.plan_paths.push(path.to_string());
                        p.plan_entries.insert(path.to_string(), plan.clone());
                        if let Some(fp) = plan["fingerprint"].as_str() {
                            p.done.insert(path.to_string(), fp.to_string());
                        }
                        let hashes: Vec<String> = plan["lsw_xlsx_sha256"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|h| h.as_str().map(str::to_string))
                            .collect();
                        if !hashes.is_empty() {
                            p.workbooks.insert(path.to_string(), hashes);
                        }
                    }
                }
                for office in v["offices"].as_array().into_iter().flatten() {
                    if let (Some(path), Some(fp)) = (office["path"].as_str(), office["fingerprint"].as_str()) {
                        p.done.insert(path.to_string(), fp.to_string());
                    }
                }
            }
        }
        if let Ok(text) = std::fs::read_to_string(out.join(JOURNAL)) {
            // Only lines that end with a newline were written whole.
            let whole = match text.rfind('\n') {
                Some(i) => &text[..i],
                None => "",
            };
            for line in whole.lines() {
                if let Some((fp, path)) = line.split_once('\t') {
                    if let Some(hash) = fp.strip_prefix(WORKBOOK).filter(|h| h.len() == 64) {
                        p.workbooks.entry(path.to_string()).or_default().push(hash.to_string());
                    } else if fp == STARTED {
                        // Rewriting began: whatever was done before is gone.
                        p.done.remove(path);
                    } else if fp.len() == 64 && !path.is_empty() {
                        p.done.insert(path.to_string(), fp.to_string());
                    }
                }
            }
        }
        p
    }

    /// Whether the lsw.xlsx in plan folder `path` (its bytes) was changed
    /// since lsw wrote it: its hash is none of those lsw wrote there. A plan
    /// lsw never recorded a workbook for (a first run, an older manifest)
    /// cannot tell, and is not "changed".
    pub fn workbook_changed(&self, path: &str, bytes: &[u8]) -> bool {
        self.workbooks
            .get(path)
            .is_some_and(|known| !known.is_empty() && !known.contains(&crate::hash::sha256_hex(bytes)))
    }

    /// Whether `path` was finished with this fingerprint and its files are
    /// all still there.
    pub fn is_done(&self, out: &Path, path: &str, fingerprint: &str, files: &[PathBuf]) -> bool {
        self.done.get(path).is_some_and(|f| f == fingerprint) && files.iter().all(|f| out.join(f).is_file())
    }
}

/// The append-only record of finished work of this run.
pub struct Journal {
    file: Mutex<Option<std::fs::File>>,
}

impl Journal {
    pub fn open(out: &Path) -> Journal {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(out.join(JOURNAL)).ok();
        Journal { file: Mutex::new(file) }
    }

    /// Records that `path`'s files are about to be replaced: until it is
    /// done again, no earlier record of it counts.
    pub fn start(&self, path: &str) {
        self.done(path, STARTED);
    }

    /// Records that lsw wrote a workbook with `sha256` in plan folder `path`.
    pub fn workbook(&self, path: &str, sha256: &str) {
        self.done(path, &format!("{WORKBOOK}{sha256}"));
    }

    /// Records `path` as finished with `fingerprint` (one whole line per write).
    pub fn done(&self, path: &str, fingerprint: &str) {
        let mut g = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = g.as_mut() {
            let _ = f.write_all(format!("{fingerprint}\t{path}\n").as_bytes());
        }
    }

    /// The run's manifest is written: the journal is no longer needed.
    pub fn close(self, out: &Path) {
        drop(self.file.lock().unwrap_or_else(|e| e.into_inner()).take());
        let _ = std::fs::remove_file(out.join(JOURNAL));
    }
}

/// The previous plans this run does not have but must not remove: those
/// with an input this run could not read (an unreadable file, or a file under
/// a folder or input path that could not be read — a share not mounted, a
/// workbook open in Excel), and all of them when no input was read at all.
/// Such a plan is not gone, only unread this time: its folder stays and its
/// manifest entry is carried to the next run. Sorted by path.
pub fn kept(
    previous: &Previous,
    current: &std::collections::HashSet<String>,
    unread: &[PathBuf],
    nothing_read: bool,
) -> Vec<String> {
    let mut kept: Vec<String> = previous
        .plan_paths
        .iter()
        .filter(|p| !current.contains(*p))
        .filter(|p| {
            nothing_read
                || previous.plan_entries.get(*p).is_some_and(|e| {
                    e["inputs"].as_array().into_iter().flatten().filter_map(|i| i.as_str()).any(|i| {
                        let i = Path::new(i);
                        unread.iter().any(|u| i == u || i.starts_with(u))
                    })
                })
        })
        .cloned()
        .collect();
    kept.sort();
    kept.dedup();
    kept
}

/// Removes the folders of plans that earlier runs wrote and this run does
/// not have (their inputs are gone). Only `offices/<office>/plans/<key>`
/// folders are touched; an office folder left empty goes too.
pub fn remove_gone(out: &Path, previous: &[String], current: &std::collections::HashSet<String>) -> Vec<String> {
    let mut removed = Vec::new();
    for path in previous {
        if current.contains(path) {
            continue;
        }
        let parts: Vec<&str> = path.split('/').collect();
        let shaped = parts.len() == 4
            && parts[0] == "offices"
            && parts[2] == "plans"
            && parts.iter().all(|p| !p.is_empty() && *p != "." && *p != "..");
        if !shaped {
            continue;
        }
        let dir = out.join(path);
        if dir.is_dir() && std::fs::remove_dir_all(&dir).is_ok() {
            removed.push(path.clone());
            let plans = out.join(parts[0]).join(parts[1]).join("plans");
            if std::fs::read_dir(&plans).is_ok_and(|mut d| d.next().is_none()) {
                let _ = std::fs::remove_dir(&plans);
                let office = out.join(parts[0]).join(parts[1]);
                // The office's own reports go with its last plan.
                for f in std::fs::read_dir(&office).into_iter().flatten().flatten() {
                    let name = f.file_name().to_string_lossy().into_owned();
                    if name == "findings.xlsx" || (name.starts_with("audit-report") && name.ends_with(".pdf")) {
                        let _ = std::fs::remove_file(f.path());
                    }
                }
                let _ = std::fs::remove_dir(&office);
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_journal_line_is_not_trusted() {
        let dir = tempfile::tempdir().expect("tmp");
        let fp = "a".repeat(64);
        std::fs::write(dir.path().join(JOURNAL), format!("{fp}\toffices/x/plans/1\n{fp}\toffices/x/pl")).expect("w");
        let p = Previous::load(dir.path());
        assert_eq!(p.done.len(), 1);
        assert!(p.done.contains_key("offices/x/plans/1"));
    }

    #[test]
    fn work_begun_again_cancels_an_earlier_record() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        // Done with a, begun again (killed), and another plan done with b.
        std::fs::write(
            dir.path().join(JOURNAL),
            format!("{a}\toffices/x/plans/1\n-\toffices/x/plans/1\n{b}\toffices/x/plans/2\n"),
        )
        .expect("w");
        let p = Previous::load(dir.path());
        assert!(!p.done.contains_key("offices/x/plans/1"));
        assert_eq!(p.done.get("offices/x/plans/2"), Some(&b));
        // A manifest entry is cancelled the same way.
        std::fs::write(
            dir.path().join("manifest.json"),
            format!("{{\"plans\": [{{\"path\": \"offices/x/plans/3\", \"fingerprint\": \"{a}\"}}]}}"),
        )
        .expect("w");
        std::fs::write(dir.path().join(JOURNAL), "-\toffices/x/plans/3\n").expect("w");
        assert!(!Previous::load(dir.path()).done.contains_key("offices/x/plans/3"));
    }

    #[test]
    fn workbooks_lsw_wrote_are_known_by_manifest_and_journal() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (crate::hash::sha256_hex(b"a"), crate::hash::sha256_hex(b"b"));
        std::fs::write(
            dir.path().join("manifest.json"),
            format!("{{\"plans\": [{{\"path\": \"offices/x/plans/1\", \"lsw_xlsx_sha256\": [\"{a}\"]}}]}}"),
        )
        .expect("w");
        let p = Previous::load(dir.path());
        assert!(!p.workbook_changed("offices/x/plans/1", b"a"));
        assert!(p.workbook_changed("offices/x/plans/1", b"edited"));
        // Nothing recorded: cannot tell.
        assert!(!p.workbook_changed("offices/x/plans/2", b"edited"));
        // A run that died after writing b still knows b as its own.
        std::fs::write(dir.path().join(JOURNAL), format!("x{b}\toffices/x/plans/1\n")).expect("w");
        let p = Previous::load(dir.path());
        assert!(!p.workbook_changed("offices/x/plans/1", b"b"));
        assert!(!p.done.contains_key("offices/x/plans/1"), "a workbook line is not a fingerprint");
    }

    #[test]
    fn plans_with_an_unread_input_are_kept() {
        let mut prev = Previous::default();
        for (path, input) in [("offices/a/plans/1", "in/a/UP1KYO.CSV"), ("offices/b/plans/2", "in/b/KAIGO1.CSV")] {
            prev.plan_paths.push(path.into());
            prev.plan_entries.insert(path.into(), serde_json::json!({ "path": path, "inputs": [input] }));
        }
        let current = std::collections::HashSet::new();
        // A file, and a folder over a file.
        assert_eq!(kept(&prev, &current, &[PathBuf::from("in/a/UP1KYO.CSV")], false), ["offices/a/plans/1"]);
        assert_eq!(kept(&prev, &current, &[PathBuf::from("in/b")], false), ["offices/b/plans/2"]);
        // A name that only begins like the folder is not under it.
        assert!(kept(&prev, &current, &[PathBuf::from("in/b/KAIGO")], false).is_empty());
        assert!(kept(&prev, &current, &[], false).is_empty());
        assert_eq!(kept(&prev, &current, &[], true).len(), 2);
        // A plan this run has is not "kept".
        let current: std::collections::HashSet<String> = ["offices/a/plans/1".to_string()].into();
        assert_eq!(kept(&prev, &current, &[], true), ["offices/b/plans/2"]);
    }

    #[test]
    fn only_plan_folders_are_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let plan = dir.path().join("offices/o/plans/k");
        std::fs::create_dir_all(&plan).expect("mk");
        std::fs::write(dir.path().join("offices/o/findings.xlsx"), b"x").expect("w");
        std::fs::create_dir_all(dir.path().join("keep")).expect("mk");
        let prev = vec!["offices/o/plans/k".to_string(), "keep".to_string(), "offices/../keep/plans/x".to_string()];
        let removed = remove_gone(dir.path(), &prev, &Default::default());
        assert_eq!(removed, vec!["offices/o/plans/k".to_string()]);
        assert!(!dir.path().join("offices/o").exists(), "empty office folder removed with its reports");
        assert!(dir.path().join("keep").exists());
    }

    #[test]
    fn fingerprints_follow_settings_and_content() {
        let mut a = Settings::new();
        a.add("config", b"x");
        let a = a.finish();
        let mut b = Settings::new();
        b.add("config", b"y");
        let b = b.finish();
        assert_ne!(a, b);
        assert_ne!(plan_fingerprint(&a, b"{}"), plan_fingerprint(&b, b"{}"));
        assert_ne!(plan_fingerprint(&a, b"{}"), plan_fingerprint(&a, b"{ }"));
        assert_eq!(plan_fingerprint(&a, b"{}"), plan_fingerprint(&a, b"{}"));
    }
}
