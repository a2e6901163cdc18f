//! Command-line interface (clap derive); one file per subcommand.

mod mapping_cmd;
mod rules_cmd;
mod run_cmd;
mod summary_cmd;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// PDF options shared by `run` and `summary`.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// PDF を作りません
    #[arg(long = "no-pdf")]
    pub no_pdf: bool,
    /// 組み込みテンプレートの代わりに使うテンプレートフォルダ（plan.typ・office-report.typ・summary.typ のうち使うもの。page-numbers.typ があればページ番号を付けます）
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// PDFに使うフォントを追加するフォルダ。複数指定できます
    #[arg(long = "font-dir")]
    pub font_dirs: Vec<PathBuf>,
    /// PDFの規格: 1.7 / a-2b（長期保存用 PDF/A-2b）
    #[arg(long = "pdf-standard", default_value = "1.7")]
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

#[derive(Debug, Parser)]
#[command(name = "lsw", version = concat!(env!("CARGO_PKG_VERSION"), "（ビルド ", env!("LSW_BUILD_ID"), "）"), about = "居宅サービス計画書をライフサポートワークの様式・点検結果・帳票に変換します")]
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
    Mapping {
        #[command(subcommand)]
        command: mapping_cmd::MappingCommand,
    },
    /// 点検ルールの一覧（コード・重大度・名前・判定）
    Rules {
        /// JSON で出力します
        #[arg(long)]
        json: bool,
    },
    /// 点検ルールの説明（何を検査するか・なぜ問題か・例・直し方・根拠）
    Rule {
        /// ルールのコード（例: T2-04）
        code: String,
    },
}

/// Runs a command and returns the process exit code.
pub fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Run(args) => run_cmd::run(args),
        Command::Summary(args) => summary_cmd::run(args),
        Command::Mapping { command } => mapping_cmd::run(command),
        Command::Rules { json } => rules_cmd::list(json),
        Command::Rule { code } => rules_cmd::show(&code),
    }
}
