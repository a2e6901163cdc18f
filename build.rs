//! Build identity: a hash of everything compiled or embedded into lsw that
//! shapes its outputs (sources, the shipped mappings, placement rules, audit
//! constants, templates and fonts, and the locked dependency versions).
//! Incremental runs put it in their settings fingerprint, so a new build
//! with changed rules redoes every plan even when the version number stays
//! the same; `lsw --version` prints it.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What goes into the identity, relative to the package root.
const INPUTS: &[&str] = &["src", "mappings", "templates", "build.rs", "Cargo.toml", "Cargo.lock"];

fn files_under(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(p).into_iter().flatten().flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            files_under(&e, out);
        }
    } else if p.is_file() {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        files_under(&root.join(input), &mut files);
    }
    let mut h = Sha256::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f);
        // Paths with `/` whatever the build machine, so the identity is the
        // same for the same sources everywhere.
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        h.update(rel.join("/").as_bytes());
        h.update([0]);
        let bytes = std::fs::read(f).unwrap_or_default();
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    let digest = h.finalize();
    let id: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=LSW_BUILD_ID={id}");
}
