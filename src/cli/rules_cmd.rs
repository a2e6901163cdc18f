//! `lsw rules [--json]` and `lsw rule CODE`.

use crate::audit::rules;

pub fn list(json: bool) -> anyhow::Result<u8> {
    let infos: Vec<&crate::audit::RuleInfo> = rules::all().iter().map(|r| r.info()).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&infos)?);
        return Ok(0);
    }
    for i in infos {
        let check = match i.check {
            crate::audit::Check::Exact => "厳密",
            crate::audit::Check::Heuristic => "推定（要確認）",
        };
        println!("{}\t{}\t{}\t{}", i.code, i.severity.ja(), i.title, check);
    }
    Ok(0)
}

pub fn show(code: &str) -> anyhow::Result<u8> {
    let wanted = code.to_ascii_uppercase();
    match rules::all().iter().map(|r| r.info()).find(|i| i.code == wanted) {
        Some(i) => {
            println!("{} {}（{}）\n", i.code, i.title, i.severity.ja());
            // Doc comments come with one leading space per line.
            for line in i.manual().lines() {
                println!("{}", line.strip_prefix(' ').unwrap_or(line));
            }
            Ok(0)
        }
        None => {
            eprintln!("ルール「{code}」はありません（lsw rules で一覧を確認できます）");
            Ok(2)
        }
    }
}
