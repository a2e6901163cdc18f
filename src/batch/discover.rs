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

/// Folders deeper than this under an input are not walked (and said so): a
/// tree of input folders is a few levels deep, and a runaway tree (a script
/// gone wrong, a link farm) must not hold up the night.
pub const MAX_DEPTH: usize = 32;

/// The input files under `inputs`, each once, sorted by name; folders in
/// `skip` (the run's output folder) are left out.
pub fn discover(inputs: &[PathBuf], skip: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<InputFile> {
    let mut walk = Walk {
        cwd: std::env::current_dir().ok().map(|d| clean(&d)),
        skip: skip.iter().filter_map(|p| std::fs::metadata(p).ok().map(|m| identity(p, &m))).collect(),
        ..Walk::default()
    };
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
            Ok(m) if m.is_file() => walk.file(input, identity(input, &m)),
            Ok(_) => problems.push(not_a_file(input)),
            Err(e) => problems.push(Problem::new(
                ProblemKind::Read,
                Source::file(input.display().to_string()),
                match e.kind() {
                    std::io::ErrorKind::NotFound => {
                        "入力のファイルまたはフォルダが見つかりません。パスの綴りと、共有フォルダがつながっているかを確認してください".to_string()
                    }
                    _ => format!("入力を開けません: {}", crate::diag::io_error_ja(&e)),
                },
            )),
        }
    }
    let mut out = walk.out;
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut seen = HashSet::new();
    out.retain(|(_, id)| seen.insert(id.clone()));
    out.into_iter().map(|(f, _)| f).collect()
}

/// How messages and outputs name an input file: the same file named
/// `sample/x.csv`, `./sample//x.csv` or by its absolute path gets one name
/// (so plan.json's `source` and the manifest do not change, and a rerun
/// typed differently reuses every plan): lexically cleaned, relative to
/// the working folder when it is inside it, else absolute.
pub fn stable_name(path: &Path, cwd: Option<&Path>) -> String {
    let abs = match (path.is_absolute(), cwd) {
        (false, Some(cwd)) => clean(&cwd.join(path)),
        _ => clean(path),
    };
    let name = match cwd.and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => abs,
    };
    name.to_string_lossy().replace('\\', "/")
}

/// The run's inputs named as its files are ([`stable_name`]), for printing
/// files relative to them: `sample`, `sample/`, `./sample//` and the
/// absolute path give the same printed names and the same settings.
pub fn places(inputs: &[PathBuf]) -> crate::render::display::Places {
    let cwd = std::env::current_dir().ok().map(|d| clean(&d));
    let named: Vec<PathBuf> = inputs.iter().map(|p| PathBuf::from(stable_name(p, cwd.as_deref()))).collect();
    crate::render::display::Places::new(&named)
}

/// A path without `.` components, doubled or trailing separators, and
/// with `..` taken back lexically (a name, not a way to reach the file:
/// the file is read by the path as given).
fn clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What makes two paths the same file or folder: the device and inode on
/// Unix (one `stat`, links followed), the resolved path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

fn identity(path: &Path, meta: &std::fs::Metadata) -> Identity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let _ = path;
        Identity::Inode(meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Identity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// A FIFO, socket or device named like an input: never opened (reading a
/// FIFO waits forever, a device never ends).
fn not_a_file(path: &Path) -> Problem {
    Problem::new(
        ProblemKind::Read,
        Source::file(path.display().to_string()),
        "通常のファイルではありません（名前付きパイプ・ソケット・デバイスなど）。開かずに飛ばしました",
    )
}

#[derive(Default)]
struct Walk {
    /// The working folder, lexically clean ([`stable_name`]).
    cwd: Option<PathBuf>,
    skip: Vec<Identity>,
    /// The folders walked.
    seen: HashSet<Identity>,
    /// Each file with its identity.
    out: Vec<(InputFile, Identity)>,
}

impl Walk {
    fn file(&mut self, path: &Path, id: Identity) {
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            // Composed, so that a folder named on a Mac names the same office.
            .map(|s| crate::text::nfc(&s.to_string_lossy()).into_owned())
            .unwrap_or_else(|| ".".into());
        let name = stable_name(path, self.cwd.as_deref());
        self.out.push((InputFile { path: path.to_path_buf(), name, folder }, id));
    }

    /// Walks `dir` (walkdir: links followed, entries in name order) unless it
    /// could not be read, is skipped or was walked already; whether it did.
    fn dir(&mut self, dir: &Path, problems: &mut Vec<Problem>) -> bool {
        let top = match std::fs::metadata(dir) {
            Ok(m) => identity(dir, &m),
            Err(e) => {
                problems.push(unreadable_folder(dir, &e));
                return false;
            }
        };
        if self.skip.contains(&top) || self.seen.contains(&top) {
            return false;
        }
        let (skip, seen) = (&self.skip, &mut self.seen);
        let mut files = Vec::new();
        let mut deep = Vec::new();
        let mut walked = true;
        let entries = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .max_depth(MAX_DEPTH)
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                // Hidden files and Excel's lock files (~$Book.xlsx) are not plans.
                if e.depth() > 0 && (name.starts_with('.') || name.starts_with("~$")) {
                    return false;
                }
                if !e.file_type().is_dir() {
                    return true;
                }
                let Ok(m) = e.metadata() else { return true };
                let id = identity(e.path(), &m);
                // A folder walked already (a link to a parent, a second name)
                // or the run's output folder is not walked again.
                if skip.contains(&id) || !seen.insert(id) {
                    return false;
                }
                if e.depth() > 0 && is_run_folder(e.path()) {
                    return false;
                }
                if e.depth() == MAX_DEPTH {
                    deep.push(e.path().to_path_buf());
                }
                true
            });
        for e in entries {
            match e {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    if ingest::kind_of(e.path()).is_none() {
                        continue;
                    }
                    match e.metadata() {
                        Ok(m) if m.is_file() => files.push((e.path().to_path_buf(), identity(e.path(), &m))),
                        Ok(_) => problems.push(not_a_file(e.path())),
                        Err(err) => problems.push(Problem::new(
                            ProblemKind::Read,
                            Source::file(e.path().display().to_string()),
                            format!("ファイルを読めません: {}", walk_error_ja(&err)),
                        )),
                    }
                }
                Err(err) => {
                    let at = err.path().unwrap_or(dir);
                    walked &= err.depth() > 0;
                    // A link to a parent folder: its files are found under their own names.
                    if err.loop_ancestor().is_none() {
                        problems.push(Problem::new(
                            ProblemKind::Read,
                            Source::file(at.display().to_string()),
                            format!("フォルダを読めません: {}", walk_error_ja(&err)),
                        ));
                    }
                }
            }
        }
        for d in deep {
            problems.push(Problem::new(
                ProblemKind::Limit,
                Source::file(d.display().to_string()),
                format!("フォルダの階層が深すぎるため（入力から{MAX_DEPTH}階層まで）、この下は読みませんでした"),
            ));
        }
        for (path, id) in files {
            self.file(&path, id);
        }
        walked
    }
}

fn unreadable_folder(dir: &Path, e: &std::io::Error) -> Problem {
    Problem::new(
        ProblemKind::Read,
        Source::file(dir.display().to_string()),
        format!("フォルダを読めません: {}", crate::diag::io_error_ja(e)),
    )
}

fn walk_error_ja(e: &walkdir::Error) -> String {
    match e.io_error() {
        Some(io) => crate::diag::io_error_ja(io),
        None => "リンクがたどれません".to_string(),
    }
}

/// Whether `dir` is a folder an `lsw run` wrote (its manifest.json begins
/// with lsw's tool entry).
pub(super) fn is_run_folder(dir: &Path) -> bool {
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

    #[test]
    fn one_file_named_three_ways_gets_one_name() {
        let cwd = Path::new("/work/run");
        let names: Vec<String> =
            ["sample/a/x.csv", "./sample//a/./x.csv", "/work/run/sample/a/x.csv", "sample/b/../a/x.csv"]
                .iter()
                .map(|p| stable_name(Path::new(p), Some(cwd)))
                .collect();
        assert!(names.iter().all(|n| n == "sample/a/x.csv"), "{names:?}");
        // Outside the working folder: absolute.
        assert_eq!(stable_name(Path::new("../other/x.csv"), Some(cwd)), "/work/other/x.csv");
        assert_eq!(stable_name(Path::new("/data/x.csv"), Some(cwd)), "/data/x.csv");
    }

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

    /// A FIFO named like a CSV (reading it would wait forever) is reported
    /// and never opened; the other files are found.
    #[cfg(target_os = "linux")]
    #[test]
    fn special_files_are_reported_not_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::write(root.join("KAIGO1.CSV"), "x").expect("write");
        let fifo = root.join("pipe.csv");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut problems = Vec::new();
        let files = discover(&[root.to_path_buf(), fifo.clone()], &[], &mut problems);
        assert_eq!(names(&files, root), ["KAIGO1.CSV"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().all(|p| p.message.contains("通常のファイルではありません")), "{problems:?}");
    }

    /// A tree deeper than [`MAX_DEPTH`] is read down to the bound, and the
    /// folder where reading stopped is named.
    #[test]
    fn runaway_depth_is_cut_and_said() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut deep = dir.path().to_path_buf();
        for _ in 0..MAX_DEPTH + 3 {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::write(deep.join("KAIGO1.CSV"), "x").expect("write");
        std::fs::write(dir.path().join("d/UP1KYO.CSV"), "x").expect("write");
        let mut problems = Vec::new();
        let files = discover(&[dir.path().to_path_buf()], &[], &mut problems);
        assert_eq!(names(&files, dir.path()), ["d/UP1KYO.CSV"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("階層が深すぎる"), "{problems:?}");
    }
}
