//! Excel specifics: absolute cell positions, Japanese date formats, the 1904
//! epoch, merged cells, and the legacy .xls of the sample.

mod support;

use lsw::diag::Problem;
use lsw::ingest::excel::{Cell, Workbook as Wb};
use lsw::ingest::{self, encoding::EncodingChoice, Content, FileKind};
use rust_xlsxwriter::{Format, Workbook};
use std::io::{Read, Write};

fn read(bytes: Vec<u8>) -> (Wb, Vec<Problem>) {
    let ing = ingest::read_bytes(bytes, "book.xlsx", FileKind::Workbook, EncodingChoice::Auto);
    match ing.content {
        Some(Content::Workbook(wb)) => (wb, ing.problems),
        other => panic!("not a workbook: {other:?} {:?}", ing.problems),
    }
}

#[test]
fn cells_keep_absolute_positions_when_the_used_range_starts_late() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("第1表").expect("name");
    // Nothing in A1:C4: calamine's range starts at D5.
    ws.write_string(4, 3, "利用者名").expect("write");
    ws.write_string(4, 4, "山田 花子 殿").expect("write");
    ws.write_string(9, 27, "遠いセル").expect("write");
    let (wb, problems) = read(wb.save_to_buffer().expect("save"));
    assert!(problems.is_empty());
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.origin, (4, 3));
    let found: Vec<(String, String)> = sheet
        .cells()
        .map(|(r, c, cell)| {
            (
                lsw::diag::a1(r, c),
                match cell {
                    Cell::Text(t) => t.clone(),
                    other => format!("{other:?}"),
                },
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("D5".into(), "利用者名".into()),
            ("E5".into(), "山田 花子 殿".into()),
            ("AB10".into(), "遠いセル".into())
        ]
    );
}

#[test]
fn japanese_date_formats_become_dates() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let serial = 45_748.0; // 2025-04-01 in the 1900 system
    let mut row = 0;
    // East Asian built-in formats (ECMA-376 ids 27–36 and 50–58).
    for id in (27u8..=36).chain(50..=58) {
        ws.write_number_with_format(row, 0, serial, &Format::new().set_num_format_index(id)).expect("write");
        row += 1;
    }
    for code in [
        "[$-411]ggge\"年\"m\"月\"d\"日\"",
        "[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\";@",
        "yyyy\"年\"m\"月\"d\"日\"",
        "ge.m.d",
    ] {
        ws.write_number_with_format(row, 0, serial, &Format::new().set_num_format(code)).expect("write");
        row += 1;
    }
    // A plain number stays a number.
    ws.write_number(row, 0, 12345.0).expect("write");
    let (wb, _) = read(wb.save_to_buffer().expect("save"));
    let sheet = &wb.sheets[0];
    let want = chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("date");
    for r in 0..row {
        assert_eq!(sheet.get(r, 0), &Cell::Date(want), "row {}", r + 1);
    }
    assert_eq!(sheet.get(row, 0), &Cell::Number(12345.0));
}

/// Sets `date1904` in a workbook rust_xlsxwriter wrote (it has no switch for it).
fn with_1904(xlsx: Vec<u8>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().expect("entry name").into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(data).expect("utf-8").replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1);
            assert!(xml.contains("date1904"));
            data = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn the_1904_epoch_is_honoured() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // 44286 days after 1904-01-01 is 2025-04-01.
    ws.write_number_with_format(0, 0, 44_286.0, &Format::new().set_num_format_index(57)).expect("write");
    ws.write_number(0, 1, 44_286.0).expect("write");
    let (wb, _) = read(with_1904(wb.save_to_buffer().expect("save")));
    assert!(wb.date1904);
    assert_eq!(wb.sheets[0].get(0, 0), &Cell::Date(chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("date")));
    // A general-format serial read through the `date` transform also uses the 1904 system.
    let (t, _) = lsw::mapping::transforms::resolve("date").expect("date");
    let v =
        (t.apply)(lsw::mapping::Value::Number(44_286.0), None, &lsw::mapping::transforms::Context { date1904: true })
            .expect("ok");
    assert_eq!(v.display(), "2025-04-01");
}

#[test]
fn merged_regions_are_known() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(1, 1, 3, 2, "課題", &Format::new()).expect("merge");
    let (wb, _) = read(wb.save_to_buffer().expect("save"));
    let s = &wb.sheets[0];
    let m = s.merged_at(3, 2).expect("merged");
    assert_eq!((m.top, m.left, m.bottom, m.right), (1, 1, 3, 2));
    assert_eq!(s.shown(3, 2), &Cell::Text("課題".into()));
    assert_eq!(s.get(3, 2), &Cell::Empty);
}

#[test]
fn the_legacy_xls_reads_like_the_xlsx_it_was_made_from() {
    let mappings = lsw::batch::load_mappings(&[]).expect("mappings");
    let pool = lsw::batch::thread_pool(Some(1)).expect("pool");
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("田中ハル_居宅サービス計画書.xlsx");
    support::write(&xlsx, &support::sample::transposed_workbook());
    let a = lsw::batch::ingest_and_map(&[xlsx], &mappings, EncodingChoice::Auto, &pool);
    let b = lsw::batch::ingest_and_map(
        &["fixtures/sample/居宅介護支援センターひまわり/田中ハル_居宅サービス計画書.xls".into()],
        &mappings,
        EncodingChoice::Auto,
        &pool,
    );
    assert!(a.problems.is_empty() && b.problems.is_empty(), "{:?} {:?}", a.problems, b.problems);
    assert_eq!(b.entries[0].format, Some("xls"));
    let strip = |p: &lsw::model::CarePlan| {
        let mut v = serde_json::to_value(p).expect("json");
        strip_files(&mut v);
        v
    };
    assert_eq!(strip(&a.assembled.plans[0]), strip(&b.assembled.plans[0]));
    // The transposed 第3表: days on rows, times on columns.
    let weekly: Vec<_> = b.assembled.plans[0]
        .table3
        .weekly
        .iter()
        .map(|w| {
            (w.day.clone().unwrap_or_default(), w.start.clone().unwrap_or_default(), w.end.clone().unwrap_or_default())
        })
        .collect();
    assert_eq!(
        weekly,
        vec![
            ("月".into(), "10:00".into(), "11:00".into()),
            ("火".into(), "09:00".into(), "16:00".into()),
            ("金".into(), "09:00".into(), "16:00".into())
        ]
    );
}

fn strip_files(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("file");
            o.remove("inputs");
            for x in o.values_mut() {
                strip_files(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_files),
        _ => {}
    }
}
