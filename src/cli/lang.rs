//! clap, in Japanese: help pages, usage lines and argument errors.
//!
//! clap's own words (`Usage:`, `Options:`, `Print help`, `error: the
//! following required arguments were not provided`) are English. lsw's
//! users read Japanese, so every command gets a Japanese help template and
//! help/version flags, and parse errors are written here from clap's error
//! kind and context (the offending argument, the valid values, clap's
//! suggestion for a typo) instead of clap's English rendering.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// `cmd` and all its subcommands with Japanese help pages.
pub fn japanese(cmd: Command) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    let ids: Vec<clap::Id> =
        cmd.get_arguments().filter(|a| a.get_action().takes_values()).map(|a| a.get_id().clone()).collect();
    let has_positionals = cmd.get_positionals().next().is_some();
    let has_subcommands = !names.is_empty();
    let root = cmd.get_version().is_some();
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .help_template(template(has_positionals, has_subcommands))
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("この説明を表示します"));
    if root {
        cmd = cmd.arg(
            Arg::new("version").short('V').long("version").action(ArgAction::Version).help("版とビルドを表示します"),
        );
    }
    for id in ids {
        // `[default: auto]` and `[possible values: …]` are English; the
        // Japanese help texts name the values and the default themselves.
        cmd = cmd.mut_arg(id, |a| a.hide_default_value(true).hide_possible_values(true));
    }
    for name in names {
        cmd = cmd.mut_subcommand(name, japanese);
    }
    cmd
}

fn template(positionals: bool, subcommands: bool) -> String {
    let mut t = String::from("{about-with-newline}\n使い方: {usage}\n\n");
    if subcommands {
        t.push_str("コマンド:\n{subcommands}\n\n");
    }
    if positionals {
        t.push_str("引数:\n{positionals}\n\n");
    }
    t.push_str("オプション:\n{options}{after-help}\n");
    t
}

/// What a parse that did not give a command ends with: its output was
/// written (help and version on stdout, errors on stderr); the exit code.
pub fn report(e: clap::Error, cmd: &Command) -> u8 {
    use std::io::Write as _;
    match e.kind() {
        // A closed pipe (`lsw --help | head`) is not an error.
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = e.render().to_string();
            let _ = write!(std::io::stdout(), "{}{}", text, if text.ends_with('\n') { "" } else { "\n" });
            0
        }
        // `lsw` or `lsw mapping` alone: the help, as the answer to "what now".
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(std::io::stderr(), "{}", e.render());
            2
        }
        _ => {
            let _ = writeln!(std::io::stderr(), "{}", message(&e, cmd));
            2
        }
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

fn first(e: &clap::Error, kind: ContextKind) -> String {
    strings(e, kind).into_iter().next().unwrap_or_default()
}

/// `--encoding <文字コード>` → `--encoding`: the option as typed.
fn option_name(arg: &str) -> &str {
    arg.split([' ', '=']).next().unwrap_or(arg)
}

/// The Japanese message of a parse error about `cmd`, with a suggestion
/// for a typo, the usage line and where to read more.
pub fn message(e: &clap::Error, cmd: &Command) -> String {
    let arg = first(e, ContextKind::InvalidArg);
    let opt = option_name(&arg);
    let value = first(e, ContextKind::InvalidValue);
    let (what, maybe) = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let wrong = first(e, ContextKind::InvalidSubcommand);
            let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
            let mut maybe = strings(e, ContextKind::SuggestedSubcommand);
            if maybe.is_empty() {
                maybe = suggest(&wrong, names.iter().copied()).into_iter().map(str::to_string).collect();
            }
            (format!("「{wrong}」というコマンドはありません（コマンド: {}）", names.join("、")), maybe)
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            (format!("オプション「{arg}」はありません"), strings(e, ContextKind::SuggestedArg))
        }
        ErrorKind::UnknownArgument => (format!("余分な引数「{arg}」があります"), Vec::new()),
        ErrorKind::InvalidValue if value.is_empty() => (format!("{opt} に値を指定してください"), Vec::new()),
        ErrorKind::InvalidValue => (
            format!(
                "{opt} に「{value}」は指定できません（指定できる値: {}）",
                strings(e, ContextKind::ValidValue).join("、")
            ),
            strings(e, ContextKind::SuggestedValue),
        ),
        ErrorKind::ValueValidation => {
            // Our value parsers say in Japanese what they expected; a
            // library's English reason is left out.
            let why = std::error::Error::source(e).map(|s| s.to_string()).filter(|s| !s.is_ascii());
            match why {
                Some(why) => (format!("{opt} の値「{value}」を使えません: {why}"), Vec::new()),
                None => (format!("{opt} の値「{value}」を使えません"), Vec::new()),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            (format!("必要な引数がありません: {}", strings(e, ContextKind::InvalidArg).join("、")), Vec::new())
        }
        ErrorKind::MissingSubcommand => ("コマンドを指定してください".to_string(), Vec::new()),
        ErrorKind::ArgumentConflict => {
            (format!("{opt} と {} は一緒に使えません", strings(e, ContextKind::PriorArg).join("、")), Vec::new())
        }
        ErrorKind::NoEquals => (format!("{opt} の値は「=」で続けて指定してください"), Vec::new()),
        ErrorKind::TooManyValues => (format!("{opt} に値「{value}」は多すぎます"), Vec::new()),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            (format!("{opt} に指定した値の数が違います"), Vec::new())
        }
        ErrorKind::InvalidUtf8 => ("引数に文字として読めないバイトがあります".to_string(), Vec::new()),
        _ => ("引数を読めません".to_string(), Vec::new()),
    };
    let mut text = format!("エラー: {what}。");
    if !maybe.is_empty() {
        text.push_str(&format!("\nもしかして: {}", maybe.join("、")));
    }
    let usage = cmd.get_overridden_usage().map(|u| u.to_string()).unwrap_or_default();
    if !usage.is_empty() {
        text.push_str(&format!("\n\n使い方: {usage}"));
    }
    text.push_str(&format!("\n詳しくは「{} --help」を見てください。", command_of(&usage)));
    text
}

/// The command words of a usage line: `lsw run <入力>… --out …` → `lsw run`.
fn command_of(usage: &str) -> String {
    let words: Vec<&str> =
        usage.split_whitespace().take_while(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-')).collect();
    if words.is_empty() {
        "lsw".to_string()
    } else {
        words.join(" ")
    }
}

/// How different two words are (Levenshtein), for suggestions.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// The names among `known` a mistyped `word` most likely meant: those that
/// begin with it or hold it (`honobono` → `honobono-next`), else the
/// nearest within a few edits.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let w = word.to_lowercase();
    let known: Vec<&str> = known.into_iter().collect();
    let holding: Vec<&str> =
        known.iter().copied().filter(|k| w.chars().count() >= 3 && k.to_lowercase().contains(&w)).collect();
    if !holding.is_empty() {
        return holding;
    }
    let limit = (w.chars().count() / 3).max(2);
    let mut near: Vec<(usize, &str)> =
        known.iter().map(|k| (distance(&w, &k.to_lowercase()), *k)).filter(|(d, _)| *d <= limit).collect();
    near.sort();
    let best = near.first().map(|(d, _)| *d);
    near.into_iter().filter(|(d, _)| Some(*d) == best).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own checks of the command (they run only in debug builds, on
    /// first use otherwise).
    #[test]
    fn the_command_line_is_consistent() {
        super::super::command().debug_assert();
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("honobono", ["mhlw-careplan-v4", "honobono-next", "excel-form"]), ["honobono-next"]);
        assert_eq!(suggest("exel-form", ["mhlw-careplan-v4", "honobono-next", "excel-form"]), ["excel-form"]);
        assert!(suggest("zzz", ["mhlw-careplan-v4", "honobono-next", "excel-form"]).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(command_of("lsw run <入力>... --out <出力フォルダ> [オプション]"), "lsw run");
        assert_eq!(command_of("lsw mapping check <マッピング> [見本]..."), "lsw mapping check");
        assert_eq!(command_of(""), "lsw");
    }
}
