//! `lsw run <INPUT>... --out DIR`.

use crate::batch::{self, RunOptions};
use crate::ingest::encoding::EncodingChoice;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// 入力ファイルまたはフォルダ（フォルダは下の階層まで読みます）
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// 出力フォルダ
    #[arg(long)]
    pub out: PathBuf,
    /// 使うマッピング（組み込みの名前か .toml ファイル）。複数指定できます。省略時は組み込みのすべてから自動判定
    #[arg(long = "mapping")]
    pub mappings: Vec<String>,
    /// CSVの文字コード: auto（自動判定）/ cp932 / utf-8
    #[arg(long, default_value = "auto")]
    pub encoding: EncodingChoice,
    /// 並列数（省略時はCPUコア数）
    #[arg(long)]
    pub jobs: Option<usize>,
    /// 進捗と要約を表示しません
    #[arg(long)]
    pub quiet: bool,
    /// ライフサポートワーク様式への振り分けルール（事業所独自の .toml。省略時は組み込み）
    #[arg(long = "lsw-rules")]
    pub lsw_rules: Option<PathBuf>,
    /// lsw.xlsx を作りません
    #[arg(long = "no-xlsx")]
    pub no_xlsx: bool,
}

pub fn run(a: RunArgs) -> anyhow::Result<u8> {
    let opts = RunOptions {
        inputs: a.inputs,
        out: a.out,
        mappings: a.mappings,
        encoding: a.encoding,
        jobs: a.jobs,
        quiet: a.quiet,
        lsw_rules: a.lsw_rules,
        no_xlsx: a.no_xlsx,
    };
    let summary = batch::run(&opts)?;
    if !opts.quiet {
        eprintln!("{}", summary.line());
    }
    Ok(summary.exit_code())
}
