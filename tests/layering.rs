//! Imports go one way (docs/ARCHITECTURE.md, "Layers"): a module uses only
//! the modules below it. This test scans every `crate::…` path under `src/`
//! and fails on an upward or sideways import, naming the file and line.

use std::collections::BTreeMap;
use std::path::Path;

/// Each top-level module and the modules it may use. The foundation
/// (`diag`, `text`, `hash`, `files`) and `model` are below every phase;
/// the phases follow the data: ingest → mapping → lsw/audit → render →
/// batch → summary → cli.
const ALLOWED: &[(&str, &[&str])] = &[
    ("diag", &[]),
    ("text", &[]),
    ("hash", &[]),
    ("memo", &[]),
    ("files", &["diag"]),
    ("model", &["diag", "text", "hash"]),
    ("ingest", &["diag", "hash", "text"]),
    ("mapping", &["diag", "hash", "memo", "text", "ingest", "model"]),
    ("lsw", &["diag", "hash", "text", "model"]),
    ("audit", &["diag", "hash", "memo", "text", "model"]),
    ("render", &["diag", "text", "files", "model", "audit"]),
    ("batch", &["diag", "hash", "text", "files", "ingest", "mapping", "model", "lsw", "audit", "render"]),
    ("summary", &["diag", "text", "files", "model", "audit", "render", "batch"]),
    ("cli", &["diag", "text", "files", "ingest", "mapping", "model", "lsw", "audit", "render", "batch", "summary"]),
];

/// The top-level module a source file belongs to (`src/audit/rules/x.rs` → `audit`).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every module named by a `crate::` path in a line, including the members
/// of a `crate::{a, b::c}` group.
fn crate_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src readable").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn imports_go_one_way() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut seen_modules = std::collections::BTreeSet::new();
    for f in &files {
        let Some(module) = module_of(f) else { continue };
        // The crate root and the binary (with its process settings) sit above all.
        if module == "lib" || module == "main" || module == "memory" {
            continue;
        }
        seen_modules.insert(module.clone());
        let Some(ok) = allowed.get(module.as_str()) else {
            panic!("{}: module `{module}` has no place in the layers of tests/layering.rs", f.display());
        };
        let text = std::fs::read_to_string(f).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for used in crate_paths(code) {
                // The module's own paths, and items of the crate root
                // (`crate::BUILD_ID`), are fine.
                let root_item = used.starts_with(|c: char| c.is_ascii_uppercase());
                if used == module || root_item || ok.contains(&used.as_str()) {
                    continue;
                }
                upward.push(format!("{}:{}: `{module}` uses `crate::{used}`", f.display(), n + 1));
            }
        }
    }
    assert!(upward.is_empty(), "imports against the layers:\n{}", upward.join("\n"));
    // Every layer of the table exists (a renamed module updates the table).
    for (m, _) in ALLOWED {
        assert!(seen_modules.contains(*m), "tests/layering.rs names `{m}`, which is not a module under src/");
    }
}

/// The scan itself: it sees single paths, groups and inline uses, and
/// ignores comments.
#[test]
fn the_scan_finds_crate_paths() {
    assert_eq!(crate_paths("use crate::model::CarePlan;"), ["model"]);
    assert_eq!(crate_paths("use crate::{audit, model::plan::Need};"), ["audit", "model"]);
    assert_eq!(crate_paths("let x = crate::text::norm_cow(a) + crate::hash::hex(b);"), ["text", "hash"]);
    assert_eq!(crate_paths("let x = 1;"), Vec::<String>::new());
    assert_eq!(module_of(Path::new("src/audit/rules/t1/t1_01.rs")).as_deref(), Some("audit"));
    assert_eq!(module_of(Path::new("src/diag.rs")).as_deref(), Some("diag"));
}
