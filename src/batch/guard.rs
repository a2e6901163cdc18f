//! The run's own bounds, checked before anything is created: where it may
//! write (`--out`) and how many threads it starts (`--jobs`).

use std::path::{Path, PathBuf};

/// `--jobs` above this many per core is capped: threads beyond the cores
/// only add memory (each PDF worker holds a document), and a typo such as
/// `--jobs 100000` made the thread pool abort the run.
pub const JOBS_PER_CORE: usize = 4;

/// The worker count a run uses, and what to tell the user when `--jobs`
/// was changed.
pub fn jobs(asked: Option<usize>) -> (Option<usize>, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = (cores * JOBS_PER_CORE).max(8);
    match asked {
        Some(0) => (None, Some(format!("--jobs 0 は使えないため、コア数（{cores}）で動かします"))),
        Some(n) if n > max => (
            Some(max),
            Some(format!(
                "--jobs {n} は多すぎるため {max} にしました（この計算機のコア数 {cores} の{JOBS_PER_CORE}倍まで）"
            )),
        ),
        other => (other, None),
    }
}

/// Refuses an output folder a run must not write into: `/`, the user's
/// home folder, or a folder with other files in it that no lsw run wrote
/// (unless `force`). lsw removes plan folders of plans that are gone and
/// stale temporaries in its output folder; pointed at the wrong folder, a
/// nightly job must not start doing that there.
pub fn output_folder(out: &Path, force: bool) -> anyhow::Result<()> {
    let resolved = resolve(out);
    if resolved.parent().is_none() {
        anyhow::bail!(
            "出力フォルダに {} （ルートフォルダ）は使えません。結果を書き込む専用のフォルダを指定してください",
            out.display()
        );
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| resolve(Path::new(&h))) {
        if resolved == home {
            anyhow::bail!(
                "出力フォルダに {} （ホームフォルダ）は使えません。結果を書き込む専用のフォルダ（例: {}/lsw-out）を指定してください",
                out.display(),
                out.display()
            );
        }
    }
    let Ok(entries) = std::fs::read_dir(out) else { return Ok(()) };
    let mut others = entries.flatten().map(|e| e.file_name());
    let Some(first) = others.next() else { return Ok(()) };
    if force || is_output_folder(out) {
        return Ok(());
    }
    anyhow::bail!(
        "出力フォルダ {} には lsw の出力ではないファイル（{} など）があります。lsw は出力フォルダの中の古い計画や一時ファイルを消すため、空のフォルダか前回の lsw の出力フォルダを指定してください（このフォルダに書き込んでよい場合は --force を付けます。すべての計画を作り直します）",
        out.display(),
        first.to_string_lossy()
    )
}

/// A folder an lsw run wrote: its manifest.json, or the lock every run
/// takes first (a run stopped before its manifest leaves that).
pub fn is_output_folder(dir: &Path) -> bool {
    super::discover::is_run_folder(dir) || dir.join(".lsw-lock").is_file()
}

/// The folder as the system resolves it (links followed); a folder not
/// made yet resolves through its parent.
fn resolve(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolve(parent).join(name),
        _ => std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_capped_with_a_message() {
        assert_eq!(jobs(Some(2)), (Some(2), None));
        assert_eq!(jobs(None), (None, None));
        let (n, msg) = jobs(Some(100_000));
        assert!(n.is_some_and(|n| (8..100_000).contains(&n)), "{n:?}");
        assert!(msg.is_some_and(|m| m.contains("100000")));
        assert_eq!(jobs(Some(0)).0, None);
    }

    #[test]
    fn the_root_and_foreign_folders_are_refused_empty_and_lsw_folders_taken() {
        assert!(output_folder(Path::new("/"), true).is_err());
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        assert!(output_folder(&out, false).is_ok(), "not made yet");
        std::fs::create_dir(&out).expect("mkdir");
        assert!(output_folder(&out, false).is_ok(), "empty");
        std::fs::write(out.join("報告.docx"), b"x").expect("write");
        let e = output_folder(&out, false).unwrap_err().to_string();
        assert!(e.contains("報告.docx") && e.contains("--force"), "{e}");
        assert!(output_folder(&out, true).is_ok());
        std::fs::write(out.join(".lsw-lock"), b"").expect("write");
        assert!(output_folder(&out, false).is_ok(), "a folder lsw wrote");
    }
}
