//! Positions and problems shared by every phase.
//!
//! A [`Source`] names where a value came from (file, sheet, absolute A1 cell,
//! 1-based CSV line and column); a [`Problem`] is one entry of `errors.json`:
//! a Japanese message with the position it is about.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Where a value came from. `cell` is absolute A1 (e.g. `C12`); `line` is the
/// 1-based physical line of the CSV record's start; `column` is 1-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Shared: every value of a file names the same path.
    pub file: Arc<str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Source {
    pub fn file(file: impl Into<Arc<str>>) -> Source {
        Source { file: file.into(), ..Source::default() }
    }

    pub fn line(file: impl Into<Arc<str>>, line: u64) -> Source {
        Source { file: file.into(), line: Some(line), ..Source::default() }
    }

    pub fn csv(file: impl Into<Arc<str>>, line: u64, column: u32) -> Source {
        Source { file: file.into(), line: Some(line), column: Some(column), ..Source::default() }
    }

    pub fn cell(file: impl Into<Arc<str>>, sheet: impl Into<Arc<str>>, row: u32, col: u32) -> Source {
        Source { file: file.into(), sheet: Some(sheet.into()), cell: Some(a1(row, col)), ..Source::default() }
    }

    /// `file` / `file シート「第1表」セルC12` / `file 12行目 3列目`: how messages name a place.
    pub fn describe(&self) -> String {
        let mut s = self.file.to_string();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(" シート「{sheet}」"));
        }
        if let Some(cell) = &self.cell {
            s.push_str(&format!(" セル{cell}"));
        }
        if let Some(line) = self.line {
            s.push_str(&format!(" {line}行目"));
        }
        if let Some(col) = self.column {
            s.push_str(&format!(" {col}列目"));
        }
        s
    }
}

/// Absolute A1 address of a 0-based (row, column): (0,0) → `A1`, (11,2) → `C12`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

/// What kind of problem an `errors.json` entry is, for scripts that filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The file could not be read at all (missing, empty, not a workbook…).
    Read,
    /// Bytes that do not decode in the file's encoding.
    Encoding,
    /// CSV structure: open quotes, wrong number of fields.
    Csv,
    /// Workbook structure.
    Excel,
    /// No mapping recognises the file, or two do equally.
    Layout,
    /// A value that a transform rejected (a date that does not exist…).
    Value,
    /// Rows that cannot be placed in a plan (missing key…).
    Grouping,
    /// A size limit (cells longer than Excel allows…).
    Limit,
    /// An output file could not be written.
    Output,
    /// A value was read but is implausible, or a plan's identity is weak:
    /// the value is left out (quoted here) or the plan is read with a
    /// caveat. Warnings do not make the run's exit code 2.
    Warning,
}

/// One entry of `errors.json`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    #[serde(flatten)]
    pub location: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<u64>,
    pub kind: ProblemKind,
    /// Japanese, says what was found and what was expected.
    pub message: String,
    /// The reader library's own words (English), kept for support: the
    /// message says in Japanese what went wrong, this says exactly where a
    /// library gave up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Problem {
    pub fn new(kind: ProblemKind, location: Source, message: impl Into<String>) -> Problem {
        Problem { location, byte_offset: None, kind, message: message.into(), detail: None }
    }

    /// Keeps a library's original message beside the Japanese one.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn at_byte(mut self, offset: u64) -> Problem {
        self.byte_offset = Some(offset);
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.location.describe())?;
        if let Some(b) = self.byte_offset {
            write!(f, "（{b}バイト目）")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One problem of a TOML file lsw reads (a mapping, the placement rules, an
/// audit config), at its line: `lsw mapping check` lists them all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TomlProblem {
    /// 1-based line in the TOML file (0 when the problem has no single place).
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for TomlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}行目: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// How [`io_error_ja`] says the disk is full (a run counts the outputs
/// that failed so).
pub const DISK_FULL_JA: &str = "ディスクの空きがありません";

/// A Japanese rendering of an I/O error: what happened, and the system's
/// error number for support (the system's English words are not shown; see
/// [`io_detail`] for them).
pub fn io_error_ja(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match e.kind() {
        NotFound => "見つかりません",
        PermissionDenied => "読み書きの権限がありません",
        AlreadyExists => "すでに存在します",
        InvalidData => "データが壊れています",
        UnexpectedEof => "途中で切れています",
        StorageFull => DISK_FULL_JA,
        QuotaExceeded => "ディスクの使用量の上限に達しました",
        ReadOnlyFilesystem => "読み取り専用の場所なので書き込めません",
        FileTooLarge => "ファイルが大きすぎてこの場所には書き込めません",
        IsADirectory => "ファイルではなくフォルダです",
        NotADirectory => "フォルダではありません",
        OutOfMemory => "メモリが足りません",
        TimedOut => "時間切れになりました",
        BrokenPipe => "出力先が閉じられました",
        _ => "入出力エラー",
    };
    match (what, e.raw_os_error()) {
        // An error lsw made itself (`io::Error::other("…")`) says what it is.
        ("入出力エラー", None) if e.get_ref().is_some() => e.to_string(),
        (_, Some(n)) => format!("{what}（エラー番号 {n}）"),
        _ => what.to_string(),
    }
}

/// The system's own words for an I/O error, for a problem's `detail`.
pub fn io_detail(e: &std::io::Error) -> String {
    e.to_string()
}

/// Whether an I/O error means the disk (or the user's quota) is full.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
}

/// A TOML reader's message (toml's parser, serde's "invalid type: integer
/// `-1`, expected usize") in Japanese: what was written and what is
/// expected, in the words of a person editing the file. The line is said
/// by the caller ([`TomlProblem`]).
pub fn toml_ja(message: &str) -> String {
    let first = message.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let ticked: Vec<&str> = first.split('`').skip(1).step_by(2).collect();
    let name = ticked.first().copied().unwrap_or("");
    if let Some(rest) = first.strip_prefix("invalid type: ").or_else(|| first.strip_prefix("invalid value: ")) {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let want = expected_ja(want);
        if got.contains(" as i128") || got.contains(" as u128") {
            return format!("{name} は大きすぎます（{want}を書きます）");
        }
        let got = written_ja(got);
        // A space after a number (`-1 は`), none after a bracket (`」は`).
        let gap = if got.ends_with(['」', '）']) { "" } else { " " };
        return format!("{got}{gap}は使えません（{want}を書きます）");
    }
    if first.starts_with("invalid length") {
        return format!(
            "並べた値の数が違います（{}を書きます）",
            expected_ja(first.split_once(", expected ").map_or("", |x| x.1))
        );
    }
    if first.starts_with("unknown variant") {
        let known = ticked[1.min(ticked.len())..].join("、");
        return if known.is_empty() {
            format!("「{name}」は使えない値です")
        } else {
            format!("「{name}」は使えない値です（使えるもの: {known}）")
        };
    }
    if first.starts_with("unknown field") {
        return format!("「{name}」は知らない項目です。書き間違いがないか確認してください");
    }
    if first.starts_with("missing field") {
        return format!("必要な項目「{name}」がありません");
    }
    if first.starts_with("duplicate") {
        return format!("「{name}」が2回書かれています");
    }
    "書き方に誤りがあります（引用符・括弧・「=」の対応、値の種類を確認してください）".to_string()
}

/// What a serde message says was written (`integer \`-1\``, `string "x"`).
fn written_ja(got: &str) -> String {
    let ticked = got.split('`').nth(1);
    let quoted = got.split('"').nth(1);
    match (got.split_whitespace().next().unwrap_or(""), ticked, quoted) {
        ("integer" | "floating", Some(n), _) => n.to_string(),
        ("boolean", Some(b), _) => b.to_string(),
        ("string", _, Some(s)) => format!("文字列「{s}」"),
        ("sequence", _, _) => "配列（[ ]）".to_string(),
        ("map", _, _) => "表（{ }）".to_string(),
        _ => "この値".to_string(),
    }
}

/// What a serde message says is expected, as a person would write it.
fn expected_ja(want: &str) -> String {
    let w = want.trim();
    if ["usize", "u64", "u32", "u16", "u8"].iter().any(|t| w.ends_with(t)) {
        "0以上の整数".to_string()
    } else if ["i64", "i32", "i16", "i8", "isize"].iter().any(|t| w.ends_with(t)) {
        "整数".to_string()
    } else if w.ends_with("f64") || w.ends_with("f32") {
        "数".to_string()
    } else if w.contains("bool") {
        "true か false".to_string()
    } else if w.contains("string") || w.contains("char") {
        "文字列（\"…\"）".to_string()
    } else if w.contains("sequence") || w.contains("array") {
        "配列（[ ]）".to_string()
    } else if w.contains("struct") || w.contains("map") || w.contains("table") {
        "表（{ }）".to_string()
    } else {
        "正しい種類の値".to_string()
    }
}

thread_local! {
    /// Set while [`catch_quietly`] runs on this thread: the panic it catches
    /// is stored here instead of printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static CAUGHT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f`; a panic inside it becomes `Err(what and where)` instead of
/// unwinding further. The panic is not printed: a third-party reader or the
/// typesetter failing on one hostile input is that input's problem, reported
/// in Japanese in errors.json, not an English message with a source path on
/// the user's terminal. Panics elsewhere print as usual.
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) {
                // The crate and file, not the build machine's path to them
                // (errors.json stays the same wherever lsw was built).
                let at = info
                    .location()
                    .map(|l| {
                        let parts: Vec<&str> = l.file().split(['/', '\\']).collect();
                        format!(" ({}:{})", parts[parts.len().saturating_sub(3)..].join("/"), l.line())
                    })
                    .unwrap_or_default();
                let what = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{what}{at}")));
            } else {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    outcome.map_err(|_| CAUGHT.with(|c| c.borrow_mut().take()).unwrap_or_default())
}

#[cfg(test)]
mod tests {

    #[test]
    fn toml_reader_messages_are_said_in_japanese() {
        let cases = [
            ("invalid value: integer `-1`, expected usize", "-1 は使えません（0以上の整数を書きます）"),
            (
                "invalid type: integer `99999999999999999999999` as i128, expected usize",
                "99999999999999999999999 は大きすぎます",
            ),
            ("invalid type: string \"x\", expected u32", "文字列「x」は使えません"),
            ("unknown variant `foo`, expected one of `a`, `b`", "「foo」は使えない値です（使えるもの: a、b）"),
            ("missing field `id`", "必要な項目「id」がありません"),
            ("invalid string\nexpected `\"`", "書き方に誤りがあります"),
        ];
        for (english, ja) in cases {
            let m = toml_ja(english);
            assert!(m.contains(ja), "{english} → {m}");
            assert!(!m.contains("invalid") && !m.contains("expected"), "{m}");
        }
    }
    use super::*;

    #[test]
    fn a_caught_panic_becomes_an_error_and_the_thread_goes_on() {
        let r: Result<(), String> = catch_quietly(|| panic!("broken\n  input {}", 7));
        let e = r.unwrap_err();
        assert!(e.starts_with("broken input 7 ("), "{e}");
        assert!(e.contains("src/diag.rs:") && !e.contains("(/"), "{e}");
        assert_eq!(catch_quietly(|| 5), Ok(5));
        // Nested: the inner catch does not end the outer one's quiet state.
        let outer = catch_quietly(|| {
            let inner: Result<(), String> = catch_quietly(|| panic!("inner"));
            assert!(inner.unwrap_err().starts_with("inner"));
            panic!("outer");
        });
        assert!(outer.unwrap_err().starts_with("outer"));
        assert!(!QUIET.with(|q| q.get()));
    }

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 2), "C12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }
}
