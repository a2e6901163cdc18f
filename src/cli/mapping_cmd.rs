//! `lsw mapping list | check FILE [SAMPLE...] | schema | fields | transforms`.

use crate::ingest::{self, Content};
use crate::mapping::{self, apply, detect, Mapping};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// 組み込みマッピングの一覧
    List,
    /// マッピングファイルを検査し、見本ファイルでどの項目が読めるかを示します
    Check {
        /// マッピングファイル（.toml）または組み込みの名前
        file: String,
        /// 見本の入力ファイル
        samples: Vec<PathBuf>,
    },
    /// 組み込みのマッピングで読めないブックから、マッピングの下書きを作ります（標準出力へ）
    Infer {
        /// 見本のブック（.xlsx / .xls）
        sample: PathBuf,
    },
    /// マッピングファイルの JSON Schema を出力します
    Schema,
    /// 項目名（target ごと）と日本語名の一覧
    Fields,
    /// 変換（transforms）の一覧と例
    Transforms,
}

pub fn run(cmd: MappingCommand) -> anyhow::Result<u8> {
    match cmd {
        MappingCommand::List => {
            for m in mapping::builtin().map_err(anyhow::Error::msg)? {
                println!("{}\t{}", m.file.name, m.file.title);
                for s in &m.sources {
                    println!("  {}\t{:?}\t{}", s.spec.id, s.spec.target, s.spec.title);
                }
            }
            Ok(0)
        }
        MappingCommand::Schema => {
            println!("{}", serde_json::to_string_pretty(&mapping::json_schema())?);
            Ok(0)
        }
        MappingCommand::Fields => {
            use crate::mapping::schema::Target::*;
            for t in [Person, Table1, Table2, Table3, Table4, Table5, Table6, Table7] {
                println!("[{t:?}]");
                for (n, l) in crate::model::fields::COMMON.iter().chain(crate::model::fields::fields(t)) {
                    println!("  {n}\t{l}");
                }
            }
            println!("（どの target でも extra.名前 で任意の値を残せます）");
            Ok(0)
        }
        MappingCommand::Transforms => {
            for t in mapping::transforms::registry() {
                println!("{}\t{}", t.name, t.summary);
                for ex in t.examples {
                    let arg = ex.arg.map(|a| format!(":{a}")).unwrap_or_default();
                    match ex.expected {
                        Ok(v) => println!("    {}{arg}(\"{}\") → \"{}\"", t.name, ex.input, v),
                        Err(e) => println!("    {}{arg}(\"{}\") → エラー（{}…）", t.name, ex.input, e),
                    }
                }
            }
            Ok(0)
        }
        MappingCommand::Check { file, samples } => check(&file, &samples),
        MappingCommand::Infer { sample } => infer(&sample),
    }
}

/// `lsw mapping infer SAMPLE`: the draft on stdout, problems on stderr.
fn infer(sample: &std::path::Path) -> anyhow::Result<u8> {
    let name = sample.display().to_string();
    let ing = ingest::read_file(sample, &name, Default::default());
    for p in &ing.problems {
        eprintln!("{p}");
    }
    let Some(Content::Workbook(wb)) = &ing.content else {
        eprintln!("{name}: Excel のブック（.xlsx / .xls）を指定してください");
        return Ok(2);
    };
    let maps = mapping::builtin().map_err(anyhow::Error::msg)?;
    let Some(vocabulary) = maps.iter().find(|m| m.file.name == "excel-form") else {
        anyhow::bail!("組み込みマッピング excel-form がありません");
    };
    match apply::infer(vocabulary, wb, &file_name(sample)) {
        Ok(text) => {
            print!("{text}");
            Ok(0)
        }
        Err(msg) => {
            eprintln!("{name}: {msg}");
            Ok(2)
        }
    }
}

fn check(file: &str, samples: &[PathBuf]) -> anyhow::Result<u8> {
    let (text, origin) = match mapping::BUILTIN.iter().find(|(n, _)| *n == file) {
        Some((n, t)) => (t.to_string(), format!("builtin:{n}")),
        None => (
            std::fs::read_to_string(file)
                .map_err(|e| anyhow::anyhow!("{file} を読み込めません: {}", crate::diag::io_error_ja(&e)))?,
            file.to_string(),
        ),
    };
    let m = match mapping::load_str(&text, &origin) {
        Ok(m) => m,
        Err(problems) => {
            println!("{file}: 問題が{}件あります", problems.len());
            for p in &problems {
                println!("  {file}:{}", p);
            }
            return Ok(2);
        }
    };
    println!("{file}: 問題はありません（{}、source {}件）", m.file.name, m.sources.len());
    let mut code = 0;
    for sample in samples {
        let name = sample.display().to_string();
        let ing = ingest::read_file(sample, &name, m.file.encoding);
        for p in &ing.problems {
            println!("  {p}");
        }
        let Some(content) = &ing.content else {
            code = 2;
            continue;
        };
        let maps = std::slice::from_ref(&m);
        match detect::detect(maps, &file_name(sample), content) {
            Ok(d) => {
                let sources: Vec<usize> = match d {
                    detect::Detection::Csv { source, .. } => vec![source],
                    detect::Detection::Workbook { sources, .. } => sources,
                };
                for si in sources {
                    code = code.max(report_source(&m, si, &name, content));
                }
            }
            Err(msg) => {
                println!("{name}: {msg}");
                for (title, why) in detect::why_not(&m, &file_name(sample), content) {
                    println!("  {title}: {why}");
                }
                code = 2;
            }
        }
    }
    Ok(code)
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// What a source reads from the sample: fields with their cells, tables,
/// problems (see `mapping::apply::explain_source`).
fn report_source(m: &Mapping, si: usize, name: &str, content: &Content) -> u8 {
    let e = apply::explain_source(m, si, name, content);
    println!("{name}:");
    for line in &e.lines {
        println!("  {line}");
    }
    if e.clean {
        0
    } else {
        2
    }
}
