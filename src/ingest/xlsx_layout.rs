//! What a person sees of an .xlsx sheet that calamine does not say: which
//! columns are hidden. Office originals keep helper cells (the selection a
//! ☑/☐ formula reads, a 早見表) in hidden columns or beyond them; a value
//! read across cells ends at a hidden column.
//!
//! Read from the package itself: `xl/workbook.xml` names the sheets,
//! `xl/_rels/workbook.xml.rels` says where each is, and each sheet's
//! `<cols>` (before its cells) marks hidden columns. Anything unexpected
//! yields no hidden columns: the sheet is then read as before.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

/// Hidden column ranges (0-based, inclusive) per sheet name.
pub type HiddenColumns = HashMap<String, Vec<(u32, u32)>>;

/// Parts larger than this are not read for their layout (a sheet's `<cols>`
/// comes first, so reading stops long before).
const MAX_PART: u64 = 64 << 20;

pub fn hidden_columns(bytes: &[u8]) -> HiddenColumns {
    let mut out = HiddenColumns::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return out };
    let Some(workbook) = part(&mut zip, "xl/workbook.xml") else { return out };
    let Some(rels) = part(&mut zip, "xl/_rels/workbook.xml.rels") else { return out };
    let targets: HashMap<String, String> = elements(&rels, "Relationship")
        .into_iter()
        .filter_map(|a| Some((a.get("Id")?.clone(), a.get("Target")?.clone())))
        .collect();
    for sheet in elements(&workbook, "sheet") {
        let (Some(name), Some(id)) = (sheet.get("name"), sheet.get("r:id")) else { continue };
        let Some(target) = targets.get(id) else { continue };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let cols = sheet_hidden_columns(&mut zip, &path);
        if !cols.is_empty() {
            out.insert(name.clone(), cols);
        }
    }
    out
}

fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    f.take(MAX_PART).read_to_end(&mut buf).ok()?;
    Some(buf)
}

type Attrs = HashMap<String, String>;

fn attrs(e: &BytesStart) -> Attrs {
    e.attributes()
        .with_checks(false)
        .flatten()
        .filter_map(|a| {
            let key = a.key.as_ref().to_string();
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?.into_owned();
            Some((key, value))
        })
        .collect()
}

/// The attributes of every element named `name` (qualified name as written).
fn elements(xml: &[u8], name: &str) -> Vec<Attrs> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == name => out.push(attrs(&e)),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// `<col min max hidden="1">` of a sheet, read up to its cells.
fn sheet_hidden_columns(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Vec<(u32, u32)> {
    let Ok(f) = zip.by_name(path) else { return Vec::new() };
    let mut reader = Reader::from_reader(BufReader::new(f.take(MAX_PART)));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "col" => {
                    let a = attrs(&e);
                    let hidden = a.get("hidden").is_some_and(|h| h == "1" || h == "true");
                    let num = |k: &str| a.get(k).and_then(|v| v.parse::<u32>().ok()).filter(|n| *n >= 1);
                    if let (true, Some(min), Some(max)) = (hidden, num("min"), num("max")) {
                        if min <= max {
                            out.push((min - 1, max - 1));
                        }
                    }
                }
                "sheetData" => break,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}
