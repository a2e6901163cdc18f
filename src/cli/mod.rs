//! Command-line interface (clap derive); one file per subcommand. What a
//! person reads here is Japanese: help, usage and argument errors
//! ([`lang`]), the end-of-run summary and the first problems of a run.
//!
//! Streams: stdout carries only what a command is asked to print (lists,
//! schemas, rule manuals, `--json` summaries), so it can be piped; progress,
//! summaries and problems go to stderr. A reader that closes the pipe early
//! (`lsw mapping transforms | head`) ends the command quietly.

mod lang;
mod mapping_cmd;
mod rules_cmd;
mod run_cmd;
mod summary_cmd;

use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// PDF options shared by `run` and `summary`.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// PDF を作りません
    #[arg(long = "no-pdf")]
    pub no_pdf: bool,
    /// 組み込みテンプレートの代わりに使うテンプレートフォルダ（plan.typ・office-report.typ・summary.typ のうち使うもの。page-numbers.typ があればページ番号を付けます）
    #[arg(long, value_name = "フォルダ")]
    pub templates: Option<PathBuf>,
    /// PDFに使うフォントを追加するフォルダ。複数指定できます
    #[arg(long = "font-dir", value_name = "フォルダ")]
    pub font_dirs: Vec<PathBuf>,
    /// PDFの規格: 1.7（既定）/ a-2b（長期保存用 PDF/A-2b）
    #[arg(long = "pdf-standard", value_name = "規格", default_value = "1.7")]
    pub pdf_standard: crate::render::pdf::Standard,
    /// タグ付き PDF（読み上げソフト向けの構造）を書きます（サイズが増えます）
    #[arg(long = "tagged-pdf")]
    pub tagged_pdf: bool,
}

impl PdfArgs {
    /// The engine's options, or `None` with `--no-pdf`.
    pub fn engine_options(self) -> anyhow::Result<Option<crate::render::pdf::EngineOptions>> {
        if self.no_pdf {
            return Ok(None);
        }
        Ok(Some(crate::render::pdf::EngineOptions {
            templates: self.templates,
            font_dirs: self.font_dirs,
            moment: crate::render::pdf::run_moment()?,
            standard: self.pdf_standard,
            tagged: self.tagged_pdf,
            // For measurements (docs/performance.md); a user never needs them.
            evict_every: run_cmd::env_number("LSW_PDF_EVICT_EVERY").unwrap_or(0),
            evict_age: run_cmd::env_number("LSW_PDF_EVICT_AGE").unwrap_or(0),
            ..Default::default()
        }))
    }
}

const ROOT_AFTER: &str = "\
はじめて使うとき:
  lsw run <計画の入ったフォルダ> --out <出力フォルダ>

コマンドごとの説明: lsw <コマンド> --help（例: lsw run --help）または lsw help <コマンド>
出力: 一覧や説明は標準出力、進捗・要約・問題は標準エラー出力に書きます。
終了コード: 0 すべて処理できた / 1 --fail-on の重大度以上の指摘があった / 2 処理できない入力があった・引数の誤り";

#[derive(Debug, Parser)]
#[command(
    name = "lsw",
    version = concat!(env!("CARGO_PKG_VERSION"), "（ビルド ", env!("LSW_BUILD_ID"), "）"),
    about = "居宅サービス計画書をライフサポートワークの様式・点検結果・帳票に変換します",
    override_usage = "lsw <コマンド> [オプション]",
    after_help = ROOT_AFTER
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// ケアプランを読み込み、出力フォルダに計画ごとの結果を書きます
    Run(run_cmd::RunArgs),
    /// 複数の事業所の lsw run の結果を集計します（保険者向け、個人情報は伏せます）
    Summary(summary_cmd::SummaryArgs),
    /// マッピングファイルの一覧・検査
    #[command(override_usage = "lsw mapping <コマンド>")]
    Mapping {
        #[command(subcommand)]
        command: mapping_cmd::MappingCommand,
    },
    /// 点検ルールの一覧（コード・重大度・名前・判定）
    #[command(override_usage = "lsw rules [--json]")]
    Rules {
        /// JSON で出力します
        #[arg(long)]
        json: bool,
    },
    /// 点検ルールの説明（何を検査するか・なぜ問題か・例・直し方・根拠）
    #[command(override_usage = "lsw rule <コード>")]
    Rule {
        /// ルールのコード（例: T2-04）。一覧は lsw rules
        #[arg(value_name = "コード")]
        code: String,
    },
    /// コマンドの説明を表示します（例: lsw help run、lsw help mapping check）
    #[command(override_usage = "lsw help [コマンド]...")]
    Help {
        /// 説明を見るコマンド
        #[arg(value_name = "コマンド")]
        command: Vec<String>,
    },
}

/// The command line in Japanese (see [`lang`]).
pub fn command() -> clap::Command {
    lang::japanese(Cli::command())
}

/// Parses the arguments; help, version and argument errors are written
/// here, and `Err` is the exit code to end with (0 after help or version,
/// 2 after an error).
pub fn parse<I, T>(args: I) -> Result<Cli, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let mut cmd = command();
    cmd.try_get_matches_from_mut(args.clone()).and_then(|m| Cli::from_arg_matches(&m)).map_err(|e| {
        // The (sub)command the error is about, for its usage line and
        // suggestions: clap's error does not say which it was.
        cmd.build();
        let mut here = &cmd;
        for a in args.iter().skip(1).filter_map(|a| a.to_str()).filter(|a| !a.starts_with('-')) {
            match here.find_subcommand(a) {
                Some(sub) => here = sub,
                None => break,
            }
        }
        lang::report(e, here)
    })
}

/// Runs a command and returns the process exit code.
pub fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Run(args) => run_cmd::run(args),
        Command::Summary(args) => summary_cmd::run(args),
        Command::Mapping { command } => mapping_cmd::run(command),
        Command::Rules { json } => rules_cmd::list(json),
        Command::Rule { code } => rules_cmd::show(&code),
        Command::Help { command } => help(&command),
    }
}

/// `lsw help [COMMAND]...`: the help page of a command.
fn help(path: &[String]) -> anyhow::Result<u8> {
    let mut cmd = command();
    cmd.build();
    let mut here = &mut cmd;
    for (i, name) in path.iter().enumerate() {
        let known: Vec<String> = here.get_subcommands().map(|s| s.get_name().to_string()).collect();
        match here.find_subcommand_mut(name) {
            Some(sub) => here = sub,
            None => {
                let shown = path[..i].iter().map(|s| format!(" {s}")).collect::<String>();
                let mut msg = format!("エラー: lsw{shown} に「{name}」というコマンドはありません。");
                let maybe = lang::suggest(name, known.iter().map(String::as_str));
                if !maybe.is_empty() {
                    msg.push_str(&format!("\nもしかして: {}", maybe.join("、")));
                }
                msg.push_str(&format!("\nコマンド: {}", known.join("、")));
                let _ = writeln!(std::io::stderr(), "{msg}");
                return Ok(2);
            }
        }
    }
    write!(stdout(), "{}", here.render_long_help())?;
    Ok(0)
}

/// Standard output for a command's results (write with `writeln!(…)?`;
/// `println!` would panic on a closed pipe). When the reader goes away
/// (`| head`), the rest of the output is dropped and the command runs to
/// its end, so its exit code is still its verdict: `lsw mapping check
/// bad.toml | head` exits 2 as without the pipe.
pub(crate) fn stdout() -> Stdout {
    Stdout { inner: std::io::stdout().lock(), closed: false }
}

/// See [`stdout`].
pub(crate) struct Stdout {
    inner: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    fn gone(&mut self, r: std::io::Result<()>) -> std::io::Result<()> {
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            r => r,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.closed {
            let r = self.inner.write_all(buf);
            self.gone(r)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.gone(r)
    }
}

/// Whether `e` is a write to a pipe whose reader has gone (`| head`):
/// the command ends quietly, as other command-line tools do.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// An error as a person reads it: the messages of its chain joined, a
/// system error in Japanese rather than the OS's English text.
pub fn describe_error(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|c| match c.downcast_ref::<std::io::Error>() {
            Some(io) => crate::diag::io_error_ja(io),
            None => c.to_string(),
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        // anyhow's context often repeats its cause's text.
        if !out.last().is_some_and(|l| l.contains(&p)) {
            out.push(p);
        }
    }
    out.join(": ")
}
