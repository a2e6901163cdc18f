//! `lsw run <INPUT>... --out DIR`.

use crate::batch::{self, RunOptions, RunSummary};
use crate::diag::{Problem, ProblemKind};
use crate::ingest::encoding::EncodingChoice;
use crate::render::display::{self, Places};
use clap::Args;
use std::io::Write as _;
use std::path::PathBuf;

const AFTER: &str = "\
出力先（標準出力と標準エラー出力）:
  標準出力      --json のときの要約（JSON）だけ。ほかには何も書きません
  標準エラー出力  進捗（端末では進捗バー、ファイルやパイプへは10秒ごとの行）、最後の要約、
                読み込めなかった入力の最初の数件（全件は <出力フォルダ>/errors.json）

終了コード:
  0  すべて処理できた
  1  --fail-on で指定した重大度以上の指摘があった
  2  処理できない入力・書き込めないファイルがあった（ほかの入力は処理して出力済み）、
     または引数の誤り

例:
  lsw run 計画フォルダ --out 結果
  lsw run 計画フォルダ --out 結果 --roster 利用者一覧.xlsx
  lsw run 計画フォルダ --out 結果 --quiet --json > 要約.json";

#[derive(Debug, Args)]
#[command(override_usage = "lsw run <入力>... --out <出力フォルダ> [オプション]", after_help = AFTER)]
pub struct RunArgs {
    /// 計画の入ったファイルまたはフォルダ（フォルダは下の階層まで読みます）。複数指定できます
    #[arg(required = true, value_name = "入力")]
    pub inputs: Vec<PathBuf>,
    /// 結果を書くフォルダ（なければ作ります。2回目からは変わった計画だけを作り直します）
    #[arg(long, value_name = "出力フォルダ")]
    pub out: PathBuf,
    /// 使うマッピング（組み込みの名前か .toml ファイル）。複数指定できます。省略時は組み込みのすべてから自動判定
    #[arg(long = "mapping", value_name = "名前|ファイル")]
    pub mappings: Vec<String>,
    /// CSVの文字コード: auto（自動判定、既定）/ cp932 / utf-8
    #[arg(long, value_name = "文字コード", default_value = "auto")]
    pub encoding: EncodingChoice,
    /// 並列数（省略時はCPUのコア数）
    #[arg(long, value_name = "数", value_parser = jobs)]
    pub jobs: Option<usize>,
    /// 進捗と要約を表示しません（問題があればその数件は表示します）
    #[arg(long)]
    pub quiet: bool,
    /// 最後の要約を JSON で標準出力に書きます（スクリプト向け）
    #[arg(long)]
    pub json: bool,
    /// ライフサポートワーク様式への振り分けルール（事業所独自の .toml。省略時は組み込み）
    #[arg(long = "lsw-rules", value_name = "ファイル")]
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
    #[arg(long, value_name = "ファイル")]
    pub roster: Option<PathBuf>,
    /// 点検の設定ファイル（ルールの無効化・重大度・しきい値・小規模多機能モード・利用者一覧）
    #[arg(long = "config", value_name = "ファイル")]
    pub config: Option<PathBuf>,
    /// 点検日（YYYY-MM-DD）。認定の有効期間・短期目標の期限と、毎月の訪問を見る月をこの日で判断します。省略時は実行日（日本時間）
    #[arg(long = "audit-date", value_name = "日付", value_parser = parse_date)]
    pub audit_date: Option<chrono::NaiveDate>,
    /// この重大度以上の指摘があれば終了コード 1: error / warning / info / never（既定: never。指摘があっても 0）
    #[arg(long = "fail-on", value_name = "重大度", default_value = "never")]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

fn jobs(s: &str) -> Result<usize, String> {
    s.trim().parse().map_err(|_| "並列数は 0 以上の整数で指定してください（0 または省略でコア数）".to_string())
}

pub fn run(a: RunArgs) -> anyhow::Result<u8> {
    super::mapping_cmd::check_names(&a.mappings)?;
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
    let f = summary.counts.findings;
    let failing = match a.fail_on {
        FailOn::Error => f[0] > 0,
        FailOn::Warning => f[0] + f[1] > 0,
        FailOn::Info => f.iter().sum::<usize>() > 0,
        FailOn::Never => false,
    };
    // 2 (input/output problems) wins over 1 (findings).
    let code = match summary.exit_code() {
        0 if failing => 1,
        c => c,
    };
    let mut err = std::io::stderr().lock();
    // A log file or terminal that went away must not turn a finished run
    // into a failed one: what is written to stderr is best effort.
    let _ = report(&mut err, &opts, &summary, code, a.fail_on);
    if a.json {
        let mut out = super::stdout();
        serde_json::to_writer_pretty(&mut out, &json_summary(&opts, &summary, code))?;
        writeln!(out)?;
    }
    Ok(code)
}

/// The end-of-run report on stderr: the summary (unless `--quiet`), then
/// the first problems, where the rest are, and what the exit code means.
fn report(
    w: &mut impl std::io::Write,
    opts: &RunOptions,
    s: &RunSummary,
    code: u8,
    fail_on: FailOn,
) -> std::io::Result<()> {
    // Outputs the disk or permissions refused: said even with --quiet.
    if let Some(line) = s.unwritten_line() {
        writeln!(w, "{line}")?;
    }
    if !opts.quiet {
        for line in s.lines(&opts.out) {
            writeln!(w, "{line}")?;
        }
    }
    let places = crate::batch::discover::places(&opts.inputs);
    let errors_json = opts.out.join("errors.json");
    let c = &s.counts;
    let (errors, warnings): (Vec<&Problem>, Vec<&Problem>) =
        s.first_problems.iter().partition(|p| p.kind != ProblemKind::Warning);
    if c.errors > 0 {
        writeln!(
            w,
            "読み込めなかった入力・書き込めなかったファイル: {}件（全件は {}）",
            c.errors,
            errors_json.display()
        )?;
        for p in &errors {
            writeln!(w, "  {}", problem_line(p, &places))?;
        }
        if c.errors > errors.len() {
            writeln!(w, "  …ほか {}件", c.errors - errors.len())?;
        }
    }
    if c.warnings > 0 && !opts.quiet {
        writeln!(w, "確認が必要なもの（読み込みはしました）: {}件（全件は {}）", c.warnings, errors_json.display())?;
        for p in &warnings {
            writeln!(w, "  {}", problem_line(p, &places))?;
        }
        if c.warnings > warnings.len() {
            writeln!(w, "  …ほか {}件", c.warnings - warnings.len())?;
        }
    }
    if !s.tables_written {
        let kept = if c.kept > 0 { "。前回の計画と表はそのまま残しています" } else { "" };
        writeln!(w, "計画を1件も作れなかったため、plans.csv・findings.csv・findings.json は書いていません{kept}")?;
    }
    match code {
        2 => writeln!(w, "終了コード 2: 処理できなかったものがあります（ほかは処理して出力済み）")?,
        1 if !opts.quiet => {
            let level = match fail_on {
                FailOn::Error => "エラー",
                FailOn::Warning => "警告",
                _ => "情報",
            };
            writeln!(w, "終了コード 1: {level}以上の点検の指摘があります（--fail-on）")?
        }
        _ => {}
    }
    Ok(())
}

/// One errors.json entry as a line: the place as people say it, relative
/// to the input folder, and the message.
fn problem_line(p: &Problem, places: &Places) -> String {
    let at = display::place(&places.source(&p.location));
    let byte = p.byte_offset.map(|b| format!("（{b}バイト目）")).unwrap_or_default();
    format!("{at}{byte}: {}", p.message)
}

/// `--json`: the summary for scripts (keys in English, as in the other
/// JSON outputs).
fn json_summary(opts: &RunOptions, s: &RunSummary, code: u8) -> serde_json::Value {
    let by_code = |i: usize| serde_json::to_value(&s.by_code[i]).unwrap_or_default();
    serde_json::json!({
        "exit_code": code,
        "out": opts.out.display().to_string(),
        "errors_json": opts.out.join("errors.json").display().to_string(),
        "counts": s.counts,
        "findings_by_code": { "error": by_code(0), "warning": by_code(1), "info": by_code(2) },
        "first_problems": s.first_problems,
        "tables_written": s.tables_written,
        "elapsed_ms": s.elapsed_ms as u64,
    })
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
