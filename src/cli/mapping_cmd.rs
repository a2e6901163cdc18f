//! `lsw mapping list | check FILE [SAMPLE...] | schema | fields | transforms`.

use crate::ingest::{self, Content};
use crate::mapping::{self, apply, detect, Mapping};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// 組み込みマッピングの一覧（名前・読み込む表）
    #[command(override_usage = "lsw mapping list")]
    List,
    /// マッピングファイルを検査し（問題を行番号つきで全部）、見本ファイルでどの項目が読めるかを示します
    #[command(override_usage = "lsw mapping check <マッピング> [見本]...")]
    Check {
        /// マッピングファイル（.toml）または組み込みの名前
        #[arg(value_name = "マッピング")]
        file: String,
        /// 見本の入力ファイル
        #[arg(value_name = "見本")]
        samples: Vec<PathBuf>,
    },
    /// 組み込みのマッピングで読めないブックから、マッピングの下書きを作ります（標準出力へ）
    #[command(override_usage = "lsw mapping infer <見本> > 事業所.toml")]
    Infer {
        /// 見本のブック（.xlsx / .xls）
        #[arg(value_name = "見本")]
        sample: PathBuf,
    },
    /// マッピングファイルの JSON Schema を出力します（schemas/mapping.schema.json と同じ）
    #[command(override_usage = "lsw mapping schema")]
    Schema,
    /// 項目名（target ごと）と日本語名の一覧
    #[command(override_usage = "lsw mapping fields")]
    Fields,
    /// 変換（transforms）の一覧と例
    #[command(override_usage = "lsw mapping transforms")]
    Transforms,
}

/// The table a target fills, as people name it.
fn target_ja(t: crate::mapping::schema::Target) -> &'static str {
    use crate::mapping::schema::Target::*;
    match t {
        Person => "利用者補足情報",
        Table1 => "第1表",
        Table2 => "第2表",
        Table3 => "第3表",
        Table4 => "第4表",
        Table5 => "第5表",
        Table6 => "第6表",
        Table7 => "第7表",
    }
}

/// A target as mapping files write it (`table1`).
fn target_name(t: crate::mapping::schema::Target) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Mappings named on the command line that are neither built in nor a
/// file: an error that names the built-in ones the user likely meant
/// (`honobono` → `honobono-next`).
pub(super) fn check_names(names: &[String]) -> anyhow::Result<()> {
    for n in names {
        if mapping::BUILTIN.iter().any(|(b, _)| b == n) || std::path::Path::new(n).exists() {
            continue;
        }
        anyhow::bail!("{}", unknown_mapping(n));
    }
    Ok(())
}

fn unknown_mapping(name: &str) -> String {
    let known: Vec<&str> = mapping::BUILTIN.iter().map(|(b, _)| *b).collect();
    let maybe = super::lang::suggest(name, known.iter().copied());
    let mut msg = format!("マッピング「{name}」は組み込みにもファイルにもありません。");
    if !maybe.is_empty() {
        msg.push_str(&format!("\nもしかして: {}", maybe.join("、")));
    }
    msg.push_str(&format!("\n組み込みのマッピング: {}（lsw mapping list）", known.join("、")));
    msg
}

pub fn run(cmd: MappingCommand) -> anyhow::Result<u8> {
    let mut out = super::stdout();
    match cmd {
        MappingCommand::List => {
            for m in mapping::builtin().map_err(anyhow::Error::msg)? {
                writeln!(out, "{}\t{}", m.file.name, m.file.title)?;
                for s in &m.sources {
                    let t = s.spec.target;
                    writeln!(out, "  {}\t{}（{}）\t{}", s.spec.id, target_name(t), target_ja(t), s.spec.title)?;
                }
            }
            Ok(0)
        }
        MappingCommand::Schema => {
            writeln!(out, "{}", serde_json::to_string_pretty(&mapping::json_schema())?)?;
            Ok(0)
        }
        MappingCommand::Fields => {
            use crate::mapping::schema::Target::*;
            for t in [Person, Table1, Table2, Table3, Table4, Table5, Table6, Table7] {
                writeln!(out, "[target = \"{}\"]（{}）", target_name(t), target_ja(t))?;
                for (n, l) in crate::model::fields::COMMON.iter().chain(crate::model::fields::fields(t)) {
                    writeln!(out, "  {n}\t{l}")?;
                }
            }
            writeln!(out, "（どの target でも extra.名前 で任意の値を残せます）")?;
            Ok(0)
        }
        MappingCommand::Transforms => {
            for t in mapping::transforms::registry() {
                writeln!(out, "{}\t{}", t.name, t.summary)?;
                for ex in t.examples {
                    let arg = ex.arg.map(|a| format!(":{a}")).unwrap_or_default();
                    match ex.expected {
                        Ok(v) => writeln!(out, "    {}{arg}(\"{}\") → \"{}\"", t.name, ex.input, v)?,
                        Err(e) => writeln!(out, "    {}{arg}(\"{}\") → エラー（{}…）", t.name, ex.input, e)?,
                    }
                }
            }
            Ok(0)
        }
        MappingCommand::Check { file, samples } => check(&mut out, &file, &samples),
        MappingCommand::Infer { sample } => infer(&mut out, &sample),
    }
}

/// `lsw mapping infer SAMPLE`: the draft on stdout, problems on stderr.
fn infer(out: &mut impl Write, sample: &std::path::Path) -> anyhow::Result<u8> {
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
            write!(out, "{text}")?;
            Ok(0)
        }
        Err(msg) => {
            eprintln!("{name}: {msg}");
            Ok(2)
        }
    }
}

fn check(out: &mut impl Write, file: &str, samples: &[PathBuf]) -> anyhow::Result<u8> {
    let (text, origin) = match mapping::BUILTIN.iter().find(|(n, _)| *n == file) {
        Some((n, t)) => (t.to_string(), format!("builtin:{n}")),
        None if !std::path::Path::new(file).exists() => anyhow::bail!("{}", unknown_mapping(file)),
        None => (
            std::fs::read_to_string(file)
                .map_err(|e| anyhow::anyhow!("{file} を読み込めません: {}", crate::diag::io_error_ja(&e)))?,
            file.to_string(),
        ),
    };
    let m = match mapping::load_str(&text, &origin) {
        Ok(m) => m,
        Err(problems) => {
            writeln!(out, "{file}: 問題が{}件あります", problems.len())?;
            for p in &problems {
                writeln!(out, "  {file}:{}", p)?;
            }
            return Ok(2);
        }
    };
    writeln!(out, "{file}: 問題はありません（{}、source {}件）", m.file.name, m.sources.len())?;
    let mut code = 0;
    for sample in samples {
        let name = sample.display().to_string();
        let ing = ingest::read_file(sample, &name, m.file.encoding);
        for p in &ing.problems {
            writeln!(out, "  {p}")?;
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
                    code = code.max(report_source(out, &m, si, &name, content)?);
                }
            }
            Err(msg) => {
                writeln!(out, "{name}: {msg}")?;
                for (title, why) in detect::why_not(&m, &file_name(sample), content) {
                    writeln!(out, "  {title}: {why}")?;
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
fn report_source(out: &mut impl Write, m: &Mapping, si: usize, name: &str, content: &Content) -> anyhow::Result<u8> {
    let e = apply::explain_source(m, si, name, content);
    writeln!(out, "{name}:")?;
    for line in &e.lines {
        writeln!(out, "  {line}")?;
    }
    Ok(if e.clean { 0 } else { 2 })
}
