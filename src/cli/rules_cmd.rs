//! `lsw rules [--json]` and `lsw rule CODE`.

use crate::audit::rules;
use std::io::Write as _;

pub fn list(json: bool) -> anyhow::Result<u8> {
    let mut out = super::stdout();
    let infos: Vec<&crate::audit::RuleInfo> = rules::all().iter().map(|r| r.info()).collect();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&infos)?)?;
        return Ok(0);
    }
    for i in infos {
        let check = match i.check {
            crate::audit::Check::Exact => "厳密",
            crate::audit::Check::Heuristic => "推定（要確認）",
        };
        writeln!(out, "{}\t{}\t{}\t{}", i.code, i.severity.ja(), i.title, check)?;
    }
    Ok(0)
}

/// A code as people type it, in the catalogue's spelling: upper case,
/// half-width, the number after the hyphen in two digits (`t2-4` →
/// `T2-04`, `Ｔ２－０４` → `T2-04`).
fn normalise(code: &str) -> String {
    let half = crate::text::norm_cow(code).to_ascii_uppercase().replace(['－', 'ー', '‐', '−'], "-");
    match half.rsplit_once('-') {
        Some((family, n)) if !n.is_empty() && n.len() < 2 && n.chars().all(|c| c.is_ascii_digit()) => {
            format!("{family}-{n:0>2}")
        }
        _ => half,
    }
}

pub fn show(code: &str) -> anyhow::Result<u8> {
    let wanted = code.trim().to_ascii_uppercase();
    let infos: Vec<&crate::audit::RuleInfo> = rules::all().iter().map(|r| r.info()).collect();
    match infos.iter().find(|i| i.code == wanted) {
        Some(i) => {
            let mut out = super::stdout();
            writeln!(out, "{} {}（{}）\n", i.code, i.title, i.severity.ja())?;
            // Doc comments come with one leading space per line.
            for line in i.manual().lines() {
                writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
            }
            Ok(0)
        }
        None => {
            // The code as the catalogue spells it, else the nearest codes.
            let normal = normalise(code);
            let maybe: Vec<&str> = match infos.iter().find(|i| i.code == normal) {
                Some(i) => vec![i.code],
                None => super::lang::suggest(&normal, infos.iter().map(|i| i.code)),
            };
            let mut msg = format!("エラー: ルール「{code}」はありません。");
            for m in maybe.iter().take(3).filter_map(|m| infos.iter().find(|i| i.code == *m)) {
                msg.push_str(&format!("\nもしかして: {} {}（lsw rule {}）", m.code, m.title, m.code));
            }
            msg.push_str("\nルールの一覧は lsw rules で確認できます。");
            let _ = writeln!(std::io::stderr(), "{msg}");
            Ok(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn codes_as_people_type_them() {
        assert_eq!(normalise("T2-4"), "T2-04");
        assert_eq!(normalise("t2-04"), "T2-04");
        assert_eq!(normalise("Ｔ２－４"), "T2-04");
        assert_eq!(normalise("PR-16"), "PR-16");
        assert_eq!(normalise("X"), "X");
    }
}
