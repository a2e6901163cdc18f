//! `lsw mapping list | check FILE [SAMPLE...] | schema | fields | transforms`.

use crate::ingest::{self, Content};
use crate::mapping::{self, apply, detect, schema::SourceKind, Mapping};
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
                code = 2;
            }
        }
    }
    Ok(code)
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Which fields of a source the sample fills, and which required ones are missing.
fn report_source(m: &Mapping, si: usize, name: &str, content: &Content) -> u8 {
    let s = &m.sources[si];
    let ex = match (s.spec.kind, content) {
        (SourceKind::Csv, Content::Csv { table, .. }) => apply::csv(s, &name.into(), 0, table, None),
        (SourceKind::Excel, Content::Workbook(wb)) => apply::excel(s, &name.into(), 0, wb),
        _ => return 2,
    };
    println!("{name}: source「{}」（{}）で {}件のレコード", s.spec.id, s.spec.title, ex.records.len());
    let mut filled: Vec<&str> = Vec::new();
    let mut empty: Vec<&str> = Vec::new();
    for f in &s.fields {
        if ex.records.iter().any(|r| r.has_key(f.key)) {
            filled.push(&f.name);
        } else {
            empty.push(&f.name);
        }
    }
    println!("  値のあった項目: {}", if filled.is_empty() { "なし".into() } else { filled.join(", ") });
    println!("  値のなかった項目: {}", if empty.is_empty() { "なし".into() } else { empty.join(", ") });
    let missing: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| f.spec.required && empty.contains(&f.name.as_str()))
        .map(|f| f.name.as_str())
        .collect();
    if !missing.is_empty() {
        println!("  必須なのに値がない項目: {}", missing.join(", "));
    }
    for p in &ex.problems {
        println!("  {p}");
    }
    if missing.is_empty() && ex.problems.is_empty() {
        0
    } else {
        2
    }
}
