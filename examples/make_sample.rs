//! Writes the bundled sample `fixtures/sample/` (synthetic plans in all four
//! source kinds: the standard CSV, a vendor CSV, our form workbooks and a
//! workbook laid out like another office's paper forms, without 被保険者番号)
//! and the office roster `fixtures/利用者一覧.csv` that gives that plan its
//! numbers. Run: `cargo run --example make_sample -- fixtures/sample
//! fixtures/利用者一覧.csv`. With `--transposed-xlsx FILE` it writes the
//! workbook that the committed legacy .xls was converted from.

#[path = "../tests/support/mod.rs"]
mod support;

// The corpus of other offices' layouts (tests/layouts.rs); the sample takes
// one of them.
#[allow(dead_code)]
#[path = "../tests/support/layouts/mod.rs"]
mod layouts;

use std::path::Path;

/// The office whose plans are copies of the paper forms (no numbers).
const PAPER_OFFICE: &str = "見本居宅介護支援事業所_様式";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, file] if flag == "--transposed-xlsx" => {
            support::write(Path::new(file), &support::sample::transposed_workbook());
        }
        [dir, roster] => {
            let dir = Path::new(dir);
            support::sample::write_sample(dir);
            let paper = layouts::all(Vec::new()).into_iter().find(|l| l.id == "L16").expect("L16");
            support::write(&dir.join(PAPER_OFFICE).join("山田花子_居宅サービス計画書.xlsx"), &paper.bytes);
            support::write(Path::new(roster), &roster_csv());
        }
        _ => {
            eprintln!("使い方: make_sample <出力フォルダ> <利用者一覧.csv> | make_sample --transposed-xlsx <ファイル>");
            std::process::exit(2);
        }
    }
}

/// The roster as offices export it from their software: CP932, CRLF, the
/// usual Japanese headers. Its one person is the paper-form plan's.
fn roster_csv() -> Vec<u8> {
    let lines = [
        "保険者番号,被保険者番号,氏名,フリガナ,生年月日".to_string(),
        "131999,0000012345,山田 花子,ヤマダ ハナコ,1940/05/10".to_string(),
    ];
    support::sjis(&support::crlf(&lines))
}
