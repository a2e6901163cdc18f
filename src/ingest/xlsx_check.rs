//! An .xlsx package looked at before calamine opens it: its zip central
//! directory (how many parts, their declared sizes and packing ratio), then
//! every part unpacked into nothing, stopping at the limit — a zip's
//! declared sizes are the writer's word, and a bomb lies about them. Only a
//! package that passes reaches calamine, which unpacks the same bytes again
//! (so its reading is bounded by the same limits).

use super::limits::{self, Limits, RATIO_FLOOR};
use std::io::{Cursor, Read};

/// Why a package is not read: a Japanese message and, when a library
/// said why, its words.
#[derive(Debug)]
pub(super) struct Refusal {
    pub message: String,
    pub detail: Option<String>,
    /// A limit was hit (rather than the package being broken).
    pub limit: bool,
}

fn over(message: String) -> Refusal {
    Refusal { message, detail: None, limit: true }
}

pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Refusal {
        message: "Excelファイル（.xlsx）の目次（zip の中央ディレクトリ）が読めません。ファイルが途中で切れているか壊れています。Excelで開いて保存し直すと読めることがあります".into(),
        detail: Some(e.to_string()),
        limit: false,
    })?;
    let parts = zip.len() as u64;
    if parts > limits.zip_entries {
        return Err(over(format!(
            "Excelファイルの中の部品が多すぎます（{parts}個。上限は {}個）。通常のExcelファイルではない可能性があります。{}",
            limits.zip_entries,
            limits::how_to_raise("xlsx_parts", parts)
        )));
    }
    // The directory first: declared sizes cost nothing to check.
    let mut declared_total = 0u64;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let (name, size, packed) = (String::from_utf8_lossy(f.name_raw()).into_owned(), f.size(), f.compressed_size());
        part_within(&name, size, packed, limits)?;
        declared_total = declared_total.saturating_add(size);
        total_within(declared_total, limits)?;
    }
    // Then the bytes: each part unpacked into nothing, at most one byte
    // past its limit.
    let mut total = 0u64;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..zip.len() {
        // A part zip cannot unpack (encrypted, an unknown method) is left
        // to calamine, which reports the parts it needs.
        let Ok(f) = zip.by_index(i) else { continue };
        let (name, packed) = (String::from_utf8_lossy(f.name_raw()).into_owned(), f.compressed_size());
        let mut r = f.take(limits.part_bytes + 1);
        let mut size = 0u64;
        loop {
            match r.read(&mut sink) {
                Ok(0) => break,
                Ok(n) => size += n as u64,
                // A damaged stream: calamine says so for the parts it reads.
                Err(_) => break,
            }
            if size > limits.part_bytes {
                break;
            }
        }
        part_within(&name, size, packed, limits)?;
        total = total.saturating_add(size);
        total_within(total, limits)?;
    }
    Ok(())
}

fn part_within(name: &str, size: u64, packed: u64, limits: &Limits) -> Result<(), Refusal> {
    if size > limits.part_bytes {
        return Err(over(format!(
            "Excelファイルの中の部品「{name}」が展開すると {} を超えます（上限 {}）。中身が極端に大きいか、圧縮爆弾の可能性があります。{}",
            limits::size_ja(size),
            limits::size_ja(limits.part_bytes),
            limits::how_to_raise("xlsx_part_mb", size.div_ceil(1 << 20).max(1) * 2)
        )));
    }
    let ratio = size / packed.max(1);
    if size > RATIO_FLOOR && ratio > limits.zip_ratio {
        return Err(over(format!(
            "Excelファイルの中の部品「{name}」の圧縮率が異常です（{} が {} に展開されます。{ratio}倍、上限 {}倍）。圧縮爆弾の可能性があります。{}",
            limits::size_ja(packed),
            limits::size_ja(size),
            limits.zip_ratio,
            limits::how_to_raise("xlsx_ratio", ratio + 1)
        )));
    }
    Ok(())
}

fn total_within(total: u64, limits: &Limits) -> Result<(), Refusal> {
    if total > limits.unzipped_bytes {
        return Err(over(format!(
            "Excelファイル全体を展開すると {} を超えます（上限 {}）。{}",
            limits::size_ja(total),
            limits::size_ja(limits.unzipped_bytes),
            limits::how_to_raise("xlsx_total_mb", total.div_ceil(1 << 20).max(1) * 2)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            w.start_file(*name, opts).expect("start");
            w.write_all(bytes).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_part_over_the_limit_is_refused_by_its_unpacked_size() {
        let small = Limits { part_bytes: 1000, ..Limits::default() };
        let ok = package(&[("xl/a.xml", &[b' '; 1000])]);
        assert!(check(&ok, &small).is_ok());
        let big = package(&[("xl/a.xml", &[b' '; 1001])]);
        let e = check(&big, &small).unwrap_err();
        assert!(e.limit && e.message.contains("xl/a.xml") && e.message.contains("xlsx_part_mb"), "{e:?}");
    }

    /// A declared size that lies small: zip (9.x) stops unpacking at the
    /// declared size with an error, so neither this check nor calamine
    /// ever holds more than the sizes checked above.
    #[test]
    fn a_declared_size_that_lies_does_not_unpack_past_it() {
        let small = Limits { part_bytes: 4096, ..Limits::default() };
        let mut bytes = package(&[("xl/a.xml", &[b'x'; 100_000])]);
        assert!(check(&bytes, &small).is_err());
        // Declare 10 bytes in the central directory and the local header.
        let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").expect("central directory");
        bytes[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
        bytes[22..26].copy_from_slice(&10u32.to_le_bytes());
        assert!(check(&bytes, &small).is_ok());
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).expect("zip");
        let mut out = Vec::new();
        let read = zip.by_name("xl/a.xml").expect("part").read_to_end(&mut out);
        assert!(read.is_err() && out.len() <= 4096, "{read:?} {}", out.len());
    }

    #[test]
    fn a_packing_ratio_far_above_real_sheets_is_refused() {
        let limits = Limits::default();
        let bomb = package(&[("xl/worksheets/sheet1.xml", &vec![b' '; 64 << 20])]);
        let e = check(&bomb, &limits).unwrap_err();
        assert!(e.message.contains("圧縮率") && e.message.contains("xlsx_ratio"), "{e:?}");
        // The same bytes under the ratio floor are fine.
        let small = package(&[("xl/worksheets/sheet1.xml", &vec![b' '; 1 << 20])]);
        assert!(check(&small, &limits).is_ok());
    }

    #[test]
    fn too_many_parts_and_a_broken_directory_are_refused() {
        let few = Limits { zip_entries: 2, ..Limits::default() };
        let three = package(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        assert!(check(&three, &few).unwrap_err().message.contains("xlsx_parts"));
        let e = check(b"PK\x03\x04not a zip at all", &Limits::default()).unwrap_err();
        assert!(!e.limit && e.detail.is_some(), "{e:?}");
    }
}
