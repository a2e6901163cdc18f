//! `lsw summary <RUN_DIR>... --out DIR`.

use crate::summary::{self, SummaryOptions};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// lsw run の出力フォルダ（manifest.json のあるフォルダ）または以前の lsw summary の出力フォルダ
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// 出力フォルダ
    #[arg(long)]
    pub out: PathBuf,
    /// 個人情報を伏せません（内部用: 氏名と被保険者番号をそのまま出します）
    #[arg(long = "no-redact")]
    pub no_redact: bool,
    /// summary.xlsx を作りません
    #[arg(long = "no-xlsx")]
    pub no_xlsx: bool,
    #[command(flatten)]
    pub pdf: super::PdfArgs,
    /// 要約を表示しません
    #[arg(long)]
    pub quiet: bool,
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
    for m in &o.mismatches {
        eprintln!("注意: {m}");
    }
    for p in &o.problems {
        eprintln!("エラー: {}: {}", p.folder, p.message);
    }
    if !a.quiet {
        let count = |k| o.problems.iter().filter(|p| p.kind == k).count();
        let written = match count(summary::ProblemKind::Write) {
            0 => String::new(),
            n => format!(" / 書き込めなかったファイル {n}件"),
        };
        eprintln!(
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
    Ok(if o.problems.is_empty() { 0 } else { 2 })
}
