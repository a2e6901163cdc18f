//! Finding input files: files as given, folders recursively, in sorted order.

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as messages name it.
    pub name: String,
    /// Name of the folder holding the file (office fallback).
    pub folder: String,
}

pub fn discover(inputs: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<InputFile> {
    let mut out = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, &mut out, problems),
            Ok(_) => out.push(file(input)),
            Err(e) => problems.push(Problem::new(
                ProblemKind::Read,
                Source::file(input.display().to_string()),
                format!("入力が見つかりません: {}", crate::diag::io_error_ja(&e)),
            )),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

fn file(path: &Path) -> InputFile {
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| ".".into());
    InputFile { path: path.to_path_buf(), name: path.display().to_string(), folder }
}

fn walk(dir: &Path, out: &mut Vec<InputFile>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::new(
                ProblemKind::Read,
                Source::file(dir.display().to_string()),
                format!("フォルダを読めません: {}", crate::diag::io_error_ja(&e)),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // Hidden files and Excel's lock files (~$Book.xlsx) are not plans.
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, problems);
        } else if ingest::kind_of(&p).is_some() {
            out.push(file(&p));
        }
    }
}
