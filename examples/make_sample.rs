//! Writes the bundled sample `fixtures/sample/` (synthetic plans in all three
//! source kinds). Run: `cargo run --example make_sample -- fixtures/sample`.
//! With `--transposed-xlsx FILE` it writes the workbook that the committed
//! legacy .xls was converted from.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, file] if flag == "--transposed-xlsx" => {
            support::write(std::path::Path::new(file), &support::sample::transposed_workbook());
        }
        [dir] => support::sample::write_sample(std::path::Path::new(dir)),
        _ => {
            eprintln!("使い方: make_sample <出力フォルダ> | make_sample --transposed-xlsx <ファイル>");
            std::process::exit(2);
        }
    }
}
