//! Structure mutations of workbooks for the mutation sweep: not random
//! bytes (which mostly break a checksum and stop there) but the numbers a
//! reader follows — an .xls's sector chains, directory and BIFF records,
//! an .xlsx's zip headers, sheet dimensions, cell references and
//! shared-string indexes.

use super::Rng;
use std::io::{Read as _, Write as _};

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn set_u32(b: &mut [u8], at: usize, v: u32) {
    if let Some(s) = b.get_mut(at..at + 4) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

fn set_u16(b: &mut [u8], at: usize, v: u16) {
    if let Some(s) = b.get_mut(at..at + 2) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

/// A number a reader may trip on: itself, the one before, a marker, huge.
fn nasty(rng: &mut Rng, near: u32) -> u32 {
    *rng.pick(&[
        near,
        near.wrapping_sub(1),
        near.wrapping_add(1),
        0,
        0xFFFF_FFFE,
        0xFFFF_FFFF,
        0xFFFF_FFFA,
        0x7FFF_FFFF,
        0xFFFF,
        4_000_000_000,
    ])
}

/// One to three structure mutations of a compound-file .xls.
pub fn xls(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Vec<&'static str>) {
    let mut b = bytes.to_vec();
    let mut did = Vec::new();
    let sectors = (b.len() / 512).saturating_sub(1) as u32;
    let fat0 = u32_at(&b, 76) as usize;
    for _ in 0..1 + rng.below(3) {
        match rng.below(7) {
            0 => {
                // A FAT entry: a loop, a jump back, out of the file, a marker.
                let i = rng.below(sectors.max(1) as usize);
                let v = nasty(rng, i as u32);
                set_u32(&mut b, (fat0 + 1) * 512 + 4 * i, v);
                did.push("fat-entry");
            }
            1 => {
                let v = nasty(rng, u32_at(&b, 48));
                set_u32(&mut b, 48, v);
                did.push("directory-start");
            }
            2 => {
                // A directory entry's start sector or stream size.
                let dir = (u32_at(&b, 48) as usize + 1) * 512;
                let entry = dir + 128 * rng.below(4);
                let field = entry + if rng.below(2) == 0 { 116 } else { 120 };
                let v = nasty(rng, u32_at(&b, field));
                set_u32(&mut b, field, v);
                did.push("directory-entry");
            }
            3 => {
                let at = 76 + 4 * rng.below(4);
                let v = nasty(rng, u32_at(&b, at));
                set_u32(&mut b, at, v);
                did.push("difat");
            }
            4 => {
                // Mini FAT start / count, DIFAT start / count.
                let at = *rng.pick(&[60usize, 64, 68, 72, 44]);
                let v = nasty(rng, u32_at(&b, at));
                set_u32(&mut b, at, v);
                did.push("header-count");
            }
            5 => {
                // A BIFF DIMENSIONS record's extent.
                if let Some(at) = b.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]) {
                    let field = at + 4 + 4 * rng.below(3);
                    let v = nasty(rng, u32_at(&b, field));
                    set_u32(&mut b, field, v);
                    did.push("dimensions");
                }
            }
            _ => {
                // A cell record's row or column (LABELSST, NUMBER, RK).
                let kinds: [[u8; 2]; 3] = [[0xFD, 0x00], [0x03, 0x02], [0x7E, 0x02]];
                let kind = *rng.pick(&kinds);
                let hits: Vec<usize> = b.windows(2).enumerate().filter(|(_, w)| *w == kind).map(|(i, _)| i).collect();
                if !hits.is_empty() {
                    let at = hits[rng.below(hits.len())] + 4 + 2 * rng.below(2);
                    set_u16(&mut b, at, *rng.pick(&[0xFFFFu16, 0xFFFE, 0x4000, 0x00FF, 0x0100]));
                    did.push("cell-position");
                }
            }
        }
    }
    (b, did)
}

/// One to three structure mutations of an .xlsx: its zip headers, or (re-
/// zipped) a sheet's dimension, cell references, rows or shared-string
/// indexes.
pub fn xlsx(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, Vec<&'static str>) {
    let mut did = Vec::new();
    let mut b = if rng.below(3) == 0 {
        bytes.to_vec()
    } else {
        let mut parts = unzip(bytes);
        for _ in 0..1 + rng.below(3) {
            let sheets: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].0.starts_with("xl/worksheets/")).collect();
            if sheets.is_empty() {
                break;
            }
            let i = sheets[rng.below(sheets.len())];
            let text = String::from_utf8_lossy(&parts[i].1).into_owned();
            let (text, what) = match rng.below(4) {
                0 => {
                    let far = *rng.pick(&["A1:XFD1048576", "A1:A4294967295", "B2:A1", "ZZZZ1:A", "A0"]);
                    (replace_attr(&text, "<dimension ref=\"", far, rng), "dimension")
                }
                1 => {
                    let far = *rng.pick(&["XFD1048576", "A4294967295", "XFE1", "A0", "AAAAAA1", "1A"]);
                    (replace_attr(&text, "<c r=\"", far, rng), "cell-reference")
                }
                2 => {
                    let far = *rng.pick(&["1048576", "4294967295", "0", "-1", "99999999999"]);
                    (replace_attr(&text, "<row r=\"", far, rng), "row")
                }
                _ => {
                    let idx = *rng.pick(&["999999", "-1", "4294967296", "x", ""]);
                    (replace_shared_index(&text, idx, rng), "shared-string-index")
                }
            };
            parts[i].1 = text.into_bytes();
            did.push(what);
        }
        rezip(&parts)
    };
    for _ in 0..rng.below(3) {
        // Zip headers: a local or central size, an offset, a count.
        let sig: &[u8] = if rng.below(2) == 0 { b"PK\x03\x04" } else { b"PK\x01\x02" };
        let hits: Vec<usize> = b.windows(4).enumerate().filter(|(_, w)| *w == sig).map(|(i, _)| i).collect();
        if hits.is_empty() {
            continue;
        }
        let at = hits[rng.below(hits.len())];
        let field = at + if sig[2] == 3 { *rng.pick(&[18usize, 22, 26]) } else { *rng.pick(&[20usize, 24, 28, 42]) };
        let v = nasty(rng, u32_at(&b, field));
        if field == at + 26 || field == at + 28 {
            set_u16(&mut b, field, v as u16);
        } else {
            set_u32(&mut b, field, v);
        }
        did.push("zip-header");
    }
    (b, did)
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("sample xlsx");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("part");
            let mut b = Vec::new();
            f.read_to_end(&mut b).expect("read part");
            (String::from_utf8_lossy(f.name_raw()).into_owned(), b)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(name, opts).expect("part");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

/// `text` with the value of one `prefix…"` attribute (chosen at random)
/// replaced by `value`.
fn replace_attr(text: &str, prefix: &str, value: &str, rng: &mut Rng) -> String {
    let hits: Vec<usize> = text.match_indices(prefix).map(|(i, _)| i + prefix.len()).collect();
    let Some(&start) = hits.get(rng.below(hits.len().max(1))) else { return text.to_string() };
    let end = start + text[start..].find('"').unwrap_or(0);
    format!("{}{value}{}", &text[..start], &text[end..])
}

/// `text` with one shared-string cell's index replaced by `idx`.
fn replace_shared_index(text: &str, idx: &str, rng: &mut Rng) -> String {
    let hits: Vec<usize> = text.match_indices("t=\"s\"").map(|(i, _)| i).collect();
    let Some(&at) = hits.get(rng.below(hits.len().max(1))) else { return text.to_string() };
    let Some(v) = text[at..].find("<v>").map(|k| at + k + 3) else { return text.to_string() };
    let end = v + text[v..].find("</v>").unwrap_or(0);
    format!("{}{idx}{}", &text[..v], &text[end..])
}
