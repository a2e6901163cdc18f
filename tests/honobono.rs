//! ほのぼのNEXT exports: quirks of formats.md §3.1.

mod support;

use lsw::batch::{ingest_and_map, load_mappings, thread_pool, Mapped};
use lsw::ingest::encoding::EncodingChoice;
use std::path::Path;
use support::honobono::{self as hb, Kaigo1Row};
use support::{crlf, sjis, write};

fn map(dir: &Path) -> Mapped {
    let mappings = load_mappings(&[]).expect("mappings");
    ingest_and_map(&[dir.to_path_buf()], &mappings, EncodingChoice::Auto, &thread_pool(Some(1)).expect("pool"))
}

fn kaigo1(rows: &[Kaigo1Row]) -> String {
    let mut lines = vec![hb::line(&hb::KAIGO1_HEADER)];
    lines.extend(rows.iter().map(Kaigo1Row::line));
    crlf(&lines)
}

fn row<'a>(order: &'a str, need: &'a str) -> Kaigo1Row<'a> {
    Kaigo1Row {
        insurer: "131002",
        insured: "0000200001",
        registered: "2025/03/25",
        created: "2025/04/01",
        order,
        need,
        long_goal: "畑まで歩ける",
        short_goal: "杖で歩く",
        content: "歩行訓練",
        kind: "通所ﾘﾊﾋﾞﾘ訪問看護",
        provider: "ﾘﾊﾋﾞﾘｾﾝﾀｰ春風",
        frequency: "１回／月受診時毎日",
        period: "R 8/ 7/ 1～R 8/12/31",
        long_period: "R 8/ 7/ 1～R 9/ 6/30",
        short_period: "R 8/ 7/ 1～R 8/12/31",
        benefit: "○○",
    }
}

#[test]
fn vendor_quirks_are_read_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        &dir.path().join("KAIGO1.CSV"),
        &sjis(&kaigo1(&[row("1", "畑仕事を\u{3000}\u{3000}\u{3000}\u{3000}続けたい")])),
    );
    let m = map(dir.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let p = &m.assembled.plans[0];
    let need = &p.table2.needs[0];
    // U+3000 padding runs stand for the form's line breaks.
    assert_eq!(need.text.as_deref(), Some("畑仕事を\n続けたい"));
    let svc = &need.long_goals[0].short_goals[0].services[0];
    // Half-width katakana and full-width digits stay as written in displayed text.
    assert_eq!(svc.kind.as_deref(), Some("通所ﾘﾊﾋﾞﾘ訪問看護"));
    assert_eq!(svc.frequency.as_deref(), Some("１回／月受診時毎日"));
    // One ○ per concatenated service type: insured.
    assert_eq!((svc.insured, svc.insured_mark.as_deref()), (Some(true), Some("○○")));
    let period = svc.period.as_ref().expect("period");
    assert_eq!(
        (period.from.map(|d| d.to_string()), period.to.map(|d| d.to_string())),
        (Some("2026-07-01".into()), Some("2026-12-31".into()))
    );
    assert_eq!(period.raw, "R 8/ 7/ 1～R 8/12/31");
    // The export's own bookkeeping is the plan's metadata, not the service's.
    assert!(svc.extra.get("ケアプラン登録年月日").is_none());
    assert!(p.meta.iter().any(|m| m.label == "ケアプラン登録年月日" && m.value == "2025-03-25"), "{:?}", p.meta);
}

#[test]
fn utf8_with_bom_reads_the_same_as_shift_jis() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let text = kaigo1(&[row("2", "二つ目"), row("1", "一つ目")]);
    write(&a.path().join("KAIGO1.CSV"), &sjis(&text));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    write(&b.path().join("KAIGO1.CSV"), &bom);
    let (ma, mb) = (map(a.path()), map(b.path()));
    assert_eq!(ma.entries[0].encoding, Some(lsw::ingest::encoding::Encoding::Cp932));
    assert_eq!(mb.entries[0].encoding, Some(lsw::ingest::encoding::Encoding::Utf8Bom));
    let needs = |m: &Mapped| {
        m.assembled.plans[0].table2.needs.iter().map(|n| n.text.clone().unwrap_or_default()).collect::<Vec<_>>()
    };
    // Rows come back in 表示順 order, whatever order the export wrote them in.
    assert_eq!(needs(&ma), ["一つ目", "二つ目"]);
    assert_eq!(needs(&ma), needs(&mb));
}

#[test]
fn a_row_with_more_fields_than_the_header_is_reported_by_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = kaigo1(&[row("1", "一つ目")]);
    text.push_str(&row("2", "二つ目").line());
    text.push_str(",\"余分\"\r\n");
    write(&dir.path().join("KAIGO1.CSV"), &sjis(&text));
    let m = map(dir.path());
    assert_eq!(m.problems.len(), 1, "{:?}", m.problems);
    assert_eq!(m.problems[0].location.line, Some(3));
    assert!(m.problems[0].message.contains("29項目"));
    assert_eq!(m.assembled.plans[0].table2.needs.len(), 1);
}

#[test]
fn a_short_cp932_header_only_file_is_recognised_as_cp932() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Just the header: the file has no plan but must be read as what it is.
    let bytes = std::fs::read("fixtures/sample/ケアプランあさひ_ほのぼの/careplan1.CSV").expect("sample");
    let header_end = bytes.windows(2).position(|w| w == b"\r\n").expect("crlf") + 2;
    write(&dir.path().join("careplan1.CSV"), &bytes[..header_end]);
    let m = map(dir.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.entries[0].mapping.as_deref(), Some("honobono-next"));
    assert_eq!(m.entries[0].encoding, Some(lsw::ingest::encoding::Encoding::Cp932));
}

/// The same export saved by Excel as テキスト（タブ区切り） (CP932, tabs) and
/// as Unicode テキスト (UTF-16LE with BOM, tabs), with the names Excel gives
/// (.txt): the same plans, values and line/column positions as the CSV.
#[test]
fn tab_separated_and_utf16_exports_read_as_the_csv() {
    let sample = Path::new("fixtures/sample/ケアプランあさひ_ほのぼの");
    let dir = tempfile::tempdir().expect("tempdir");
    let (tsv, utf16) = (dir.path().join("tsv"), dir.path().join("utf16"));
    for e in std::fs::read_dir(sample).expect("sample").flatten() {
        let bytes = std::fs::read(e.path()).expect("read");
        let text = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut w = csv::WriterBuilder::new().delimiter(b'\t').terminator(csv::Terminator::CRLF).from_writer(vec![]);
        for r in rdr.records() {
            w.write_record(&r.expect("record")).expect("write");
        }
        let tabbed = String::from_utf8(w.into_inner().expect("bytes")).expect("utf-8");
        let stem = e.path().file_stem().expect("stem").to_string_lossy().into_owned();
        write(&tsv.join(format!("{stem}.txt")), &sjis(&tabbed));
        let mut le = vec![0xFF, 0xFE];
        le.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
        write(&utf16.join(format!("{stem}.txt")), &le);
    }
    let plans_of = |dir: &Path| {
        let m = map(dir);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        let json = serde_json::to_string(&m.assembled.plans).expect("json");
        json.replace(&format!("{}/", dir.display()), "")
            .replace(&format!("{}/", sample.display()), "")
            .replace(".txt", ".CSV")
    };
    let want = plans_of(sample);
    assert!(want.contains("0000200001"), "the sample's plans");
    assert_eq!(plans_of(&tsv), want);
    let m = map(&utf16);
    assert!(m.entries.iter().all(|e| e.encoding == Some(lsw::ingest::encoding::Encoding::Utf16Le)));
    assert_eq!(plans_of(&utf16), want);
}
