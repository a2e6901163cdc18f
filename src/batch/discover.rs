//! Finding input files: files as given, folders recursively, in sorted order.
//!
//! Each file is read once however it is reached: folders are followed
//! through symbolic links but each real folder is walked once (a link to a
//! parent folder would otherwise repeat the tree until the OS gives up), and
//! a file reached twice (a link to it, a folder and a file inside it both
//! given) is kept under the first of its names. The run's own output folder,
//! and any other folder an `lsw run` wrote (it holds lsw's manifest.json),
//! are not inputs: `lsw run plans --out plans/out` run twice must not read
//! its own findings.csv and lsw.xlsx back.

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as messages name it.
    pub name: String,
    /// Name of the folder holding the file (office fallback).
    pub folder: String,
}

/// The input files under `inputs`, each once, sorted by name; folders in
/// `skip` (the run's output folder) are left out.
pub fn discover(inputs: &[PathBuf], skip: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<InputFile> {
    let mut walk =
        Walk { skip: skip.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect(), ..Walk::default() };
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                if is_run_folder(input) {
                    problems.push(Problem::new(
                        ProblemKind::Read,
                        Source::file(input.display().to_string()),
                        "lsw の出力フォルダ（lsw が書いた manifest.json があります）なので、入力としては読みません。計画の入ったフォルダを指定してください",
                    ));
                    continue;
                }
                let before = walk.out.len();
                if walk.dir(input, problems) && walk.out.len() == before {
                    // Most often a wrong path or an export that did not run;
                    // said, so that a nightly run does not pass it by.
                    problems.push(Problem::new(
                        ProblemKind::Read,
                        Source::file(input.display().to_string()),
                        "このフォルダには読める形式のファイル（.csv .txt .tsv .xlsx .xlsm .xls）がありません。フォルダの指定と、計画の書き出しが済んでいるかを確認してください",
                    ));
                }
            }
            Ok(_) => walk.file(input, std::fs::canonicalize(input).ok()),
            Err(e) => problems.push(Problem::new(
                ProblemKind::Read,
                Source::file(input.display().to_string()),
                format!("入力が見つかりません: {}", crate::diag::io_error_ja(&e)),
            )),
        }
    }
    let mut out = walk.out;
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut seen = HashSet::new();
    out.retain(|(f, real)| seen.insert(real.clone().unwrap_or_else(|| f.path.clone())));
    out.into_iter().map(|(f, _)| f).collect()
}

#[derive(Default)]
struct Walk {
    skip: Vec<PathBuf>,
    /// Real paths of the folders walked.
    seen: HashSet<PathBuf>,
    /// Each file with its real path (when it could be resolved).
    out: Vec<(InputFile, Option<PathBuf>)>,
}

impl Walk {
    fn file(&mut self, path: &Path, real: Option<PathBuf>) {
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            // Composed, so that a folder named on a Mac names the same office.
            .map(|s| crate::text::nfc(&s.to_string_lossy()).into_owned())
            .unwrap_or_else(|| ".".into());
        self.out.push((InputFile { path: path.to_path_buf(), name: path.display().to_string(), folder }, real));
    }

    /// Walks `dir` unless it could not be read, is skipped or was walked
    /// already; whether it did.
    fn dir(&mut self, dir: &Path, problems: &mut Vec<Problem>) -> bool {
        let read = std::fs::canonicalize(dir).and_then(|real| Ok((std::fs::read_dir(dir)?, real)));
        let (entries, real) = match read {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(
                    ProblemKind::Read,
                    Source::file(dir.display().to_string()),
                    format!("フォルダを読めません: {}", crate::diag::io_error_ja(&e)),
                ));
                return false;
            }
        };
        if self.skip.contains(&real) || !self.seen.insert(real.clone()) {
            return false;
        }
        let mut paths: Vec<(PathBuf, bool)> =
            entries.filter_map(|e| e.ok()).map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_symlink()))).collect();
        paths.sort();
        for (p, link) in paths {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Hidden files and Excel's lock files (~$Book.xlsx) are not plans.
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            if p.is_dir() {
                if !is_run_folder(&p) {
                    self.dir(&p, problems);
                }
            } else if ingest::kind_of(&p).is_some() {
                // A plain file's real path is its real folder's plus its
                // name; only a link needs resolving.
                let file_real = if link {
                    std::fs::canonicalize(&p).ok()
                } else {
                    Some(real.join(p.file_name().unwrap_or_default()))
                };
                self.file(&p, file_real);
            }
        }
        true
    }
}

/// Whether `dir` is a folder an `lsw run` wrote (its manifest.json begins
/// with lsw's tool entry).
fn is_run_folder(dir: &Path) -> bool {
    use std::io::Read as _;
    let Ok(f) = std::fs::File::open(dir.join("manifest.json")) else {
        return false;
    };
    let mut head = Vec::with_capacity(128);
    if f.take(128).read_to_end(&mut head).is_err() {
        return false;
    }
    let squeezed: Vec<u8> = head.into_iter().filter(|b| !b.is_ascii_whitespace()).collect();
    squeezed.starts_with(br#"{"tool":{"name":"lsw""#)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(files: &[InputFile], root: &Path) -> Vec<String> {
        files
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap_or(&f.path).to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn the_output_folder_and_earlier_run_folders_are_not_inputs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for p in ["a/UP1KYO.CSV", "out/findings.csv", "old-run/plans.csv", "old-run/offices/x/lsw.xlsx", "notes/x.csv"]
        {
            std::fs::create_dir_all(root.join(p).parent().expect("parent")).expect("mkdir");
            std::fs::write(root.join(p), "x").expect("write");
        }
        std::fs::write(root.join("old-run/manifest.json"), "{\n  \"tool\": {\n    \"name\": \"lsw\",\n")
            .expect("write");
        // A manifest.json of something else does not make a run folder.
        std::fs::write(root.join("notes/manifest.json"), "{\"tool\": \"other\"}").expect("write");
        let mut problems = Vec::new();
        let files = discover(&[root.to_path_buf()], &[root.join("out")], &mut problems);
        assert_eq!(names(&files, root), ["a/UP1KYO.CSV", "notes/x.csv"]);
        assert!(problems.is_empty(), "{problems:?}");
        // Without the skip list the output folder is read like any other.
        let files = discover(&[root.to_path_buf()], &[], &mut problems);
        assert_eq!(names(&files, root), ["a/UP1KYO.CSV", "notes/x.csv", "out/findings.csv"]);
        // A run folder named as an input is reported, not read.
        let files = discover(&[root.join("old-run")], &[], &mut problems);
        assert!(files.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("lsw の出力フォルダ"), "{}", problems[0].message);
    }

    #[test]
    fn each_file_is_found_once_however_it_is_reached() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("in/a")).expect("mkdir");
        std::fs::write(root.join("in/a/UP2KYO.CSV"), "x").expect("write");
        let mut problems = Vec::new();
        // The same folder given twice under two spellings, and a file inside it.
        let inputs = [root.join("in"), root.join("in/./a"), root.join("in/a/UP2KYO.CSV")];
        let files = discover(&inputs, &[], &mut problems);
        assert_eq!(names(&files, root), ["in/a/UP2KYO.CSV"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_folder_without_input_files_is_a_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("empty/sub")).expect("mkdir");
        std::fs::write(dir.path().join("empty/readme.pdf"), "x").expect("write");
        std::fs::create_dir_all(dir.path().join("full")).expect("mkdir");
        std::fs::write(dir.path().join("full/KAIGO1.CSV"), "x").expect("write");
        let mut problems = Vec::new();
        let inputs = [dir.path().join("empty"), dir.path().join("full"), dir.path().join("full")];
        let files = discover(&inputs, &[], &mut problems);
        assert_eq!(files.len(), 1);
        // The empty folder once; the full one given twice is no problem.
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].location.file.ends_with("empty"), "{problems:?}");
        assert!(problems[0].message.contains("読める形式のファイル"), "{}", problems[0].message);
    }

    #[test]
    fn a_decomposed_folder_name_reads_composed() {
        use unicode_normalization::UnicodeNormalization;
        let dir = tempfile::tempdir().expect("tempdir");
        let nfd: String = "ケアプランさくら".nfd().collect();
        std::fs::create_dir_all(dir.path().join(&nfd)).expect("mkdir");
        std::fs::write(dir.path().join(&nfd).join("KAIGO1.CSV"), "x").expect("write");
        let files = discover(&[dir.path().to_path_buf()], &[], &mut Vec::new());
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].folder, "ケアプランさくら");
        // The path itself stays as it is on disk.
        assert!(files[0].path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_but_a_loop_is_walked_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("in/a")).expect("mkdir");
        std::fs::create_dir_all(root.join("elsewhere")).expect("mkdir");
        std::fs::write(root.join("in/a/UP2KYO.CSV"), "x").expect("write");
        std::fs::write(root.join("elsewhere/KAIGO1.CSV"), "x").expect("write");
        // A link back to a parent folder, a link to the same file, and a
        // link to a folder outside the input.
        std::os::unix::fs::symlink("..", root.join("in/a/loop")).expect("link");
        std::os::unix::fs::symlink(root.join("in/a/UP2KYO.CSV"), root.join("in/copy.CSV")).expect("link");
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("in/linked")).expect("link");
        let mut problems = Vec::new();
        let files = discover(&[root.join("in")], &[], &mut problems);
        assert_eq!(names(&files, root), ["in/a/UP2KYO.CSV", "in/linked/KAIGO1.CSV"]);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
