//! `lsw summary <RUN_DIR>... --out DIR`.

use crate::summary::{self, SummaryOptions};
use clap::Args;
use std::io::Write as _;
use std::path::PathBuf;

const AFTER: &str = "\
出力先（標準出力と標準エラー出力）:
  標準出力      --json のときの要約（JSON）だけ
  標準エラー出力  要約、読めなかったフォルダ、版や設定の違う実行が混ざっているときの注意

終了コード:
  0  すべて集計できた
  2  読めないフォルダ・書き込めないファイルがあった（ほかは集計して出力済み）、または引数の誤り

例:
  lsw summary 結果/さくら 結果/ひまわり --out 集計";

#[derive(Debug, Args)]
#[command(override_usage = "lsw summary <実行結果フォルダ>... --out <出力フォルダ> [オプション]", after_help = AFTER)]
pub struct SummaryArgs {
    /// lsw run の出力フォルダ（manifest.json のあるフォルダ）または以前の lsw summary の出力フォルダ。複数指定できます
    #[arg(required = true, value_name = "実行結果フォルダ")]
    pub dirs: Vec<PathBuf>,
    /// 集計を書くフォルダ（なければ作ります）
    #[arg(long, value_name = "出力フォルダ")]
    pub out: PathBuf,
    /// 個人情報を伏せません（内部用: 氏名と被保険者番号をそのまま出します）
    #[arg(long = "no-redact")]
    pub no_redact: bool,
    /// summary.xlsx を作りません
    #[arg(long = "no-xlsx")]
    pub no_xlsx: bool,
    #[command(flatten)]
    pub pdf: super::PdfArgs,
    /// 要約を表示しません（問題と注意は表示します）
    #[arg(long)]
    pub quiet: bool,
    /// 要約を JSON で標準出力に書きます（スクリプト向け）
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SummaryArgs) -> anyhow::Result<u8> {
    let opts = SummaryOptions {
        dirs: a.dirs,
        out: a.out,
        redact: !a.no_redact,
        xlsx: !a.no_xlsx,
        pdf: a.pdf.engine_options()?,
    };
    let o = summary::run(&opts)?;
    let count = |k| o.problems.iter().filter(|p| p.kind == k).count();
    let code = if o.problems.is_empty() { 0 } else { 2 };
    {
        // Best effort: a closed stderr must not fail a finished summary.
        let mut err = std::io::stderr().lock();
        for m in &o.mismatches {
            let _ = writeln!(err, "注意: {m}");
        }
        for p in &o.problems {
            let _ = writeln!(err, "エラー: {}: {}", p.folder, p.message);
        }
        if !a.quiet {
            let written = match count(summary::ProblemKind::Write) {
                0 => String::new(),
                n => format!(" / 書き込めなかったファイル {n}件"),
            };
            let _ = writeln!(
                err,
                "集計: 実行 {}件 / 事業所 {}件 / 計画 {}件 / 読めなかったフォルダ {}件{written}{}",
                o.runs,
                o.offices,
                o.plans,
                count(summary::ProblemKind::Read),
                if opts.redact {
                    "（個人情報は伏せています）"
                } else {
                    "（個人情報を伏せていません）"
                }
            );
        }
    }
    if a.json {
        let mut out = super::stdout();
        let v = serde_json::json!({
            "exit_code": code,
            "out": opts.out.display().to_string(),
            "runs": o.runs,
            "offices": o.offices,
            "plans": o.plans,
            "redacted": opts.redact,
            "problems": o.problems,
            "mismatches": o.mismatches,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    }
    Ok(code)
}
