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
    /// Excel ファイル（lsw.xlsx・findings.xlsx）を作りません
    #[arg(long = "no-xlsx")]
    pub no_xlsx: bool,
    #[command(flatten)]
    pub pdf: super::PdfArgs,
    /// 前回の実行結果を使わず、すべての計画を作り直します
    #[arg(long)]
    pub force: bool,
    /// 利用者一覧（保険者番号・被保険者番号・氏名・フリガナ・生年月日の CSV か Excel）。番号のない様式の計画に、氏名と生年月日で番号を付けます
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 点検の設定ファイル（ルールの無効化・重大度・しきい値・小規模多機能モード）
    #[arg(long = "config")]
    pub config: Option<PathBuf>,
    /// 点検日（YYYY-MM-DD）。認定の有効期間・短期目標の期限と、毎月の訪問を見る月をこの日で判断します。省略時は実行日（日本時間）
    #[arg(long = "audit-date", value_parser = parse_date)]
    pub audit_date: Option<chrono::NaiveDate>,
    /// この重大度以上の指摘があれば終了コード 1: error / warning / info / never
    #[arg(long = "fail-on", default_value = "never")]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
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
        audit_config: a.config,
        force: a.force,
        pdf: a.pdf.engine_options()?,
        // For tests and measurements; a user never needs them.
        batch_bytes: env_number("LSW_BATCH_BYTES").unwrap_or(crate::batch::BATCH_BYTES),
        report_plans: env_number("LSW_REPORT_PLANS").filter(|&n| n > 0).unwrap_or(crate::batch::REPORT_PLANS),
        roster: a.roster,
        audit_date: a.audit_date,
    };
    let summary = batch::run(&opts)?;
    if !opts.quiet {
        eprintln!("{}", summary.line());
        for line in summary.severity_lines() {
            eprintln!("{line}");
        }
    }
    let code = summary.exit_code();
    let f = summary.counts.findings;
    let failing = match a.fail_on {
        FailOn::Error => f[0] > 0,
        FailOn::Warning => f[0] + f[1] > 0,
        FailOn::Info => f.iter().sum::<usize>() > 0,
        FailOn::Never => false,
    };
    // 2 (input/output problems) wins over 1 (findings).
    Ok(if code == 0 && failing { 1 } else { code })
}

/// `--audit-date`: a date written YYYY-MM-DD.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("「{s}」は日付として読めません（例：2025-10-01）"))
}

/// A number from the environment (settings for tests and measurements).
pub(super) fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}
