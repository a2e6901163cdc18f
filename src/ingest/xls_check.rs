//! A legacy .xls looked at before calamine opens it.
//!
//! An .xls is a compound file: sectors chained through a FAT. calamine
//! follows the chains it needs without asking whether they end (a chain
//! that loops grows its buffer until memory runs out), and reserves the
//! rectangle a sheet's DIMENSIONS record declares and then the rectangle
//! its cells span (one cell at row 65,535, column 65,535 is four billion
//! cells). So the chains calamine follows are walked here first — each
//! sector once, inside the file — and the Workbook stream's sheets are
//! scanned for their declared and used extent, against the sheet limit.
//! calamine opens every sheet at once, so one sheet over the limit refuses
//! the file.

use super::limits::{self, Limits};
use super::xlsx_check::Refusal;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
/// Sector numbers from here up are markers, not sectors.
const MAXREGSECT: u32 = 0xFFFF_FFFA;

fn broken(what: &str) -> Refusal {
    Refusal {
        message: format!(
            "Excelファイル（.xls）の内部構造が壊れています（{what}）。ファイルが途中で切れているか壊れています。Excelで開けるなら、.xlsx で保存し直すと読めることがあります"
        ),
        detail: None,
        limit: false,
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The compound file as calamine will read it.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
}

impl Cfb<'_> {
    fn sectors(&self) -> usize {
        (self.bytes.len().saturating_sub(self.sector)) / self.sector + 1
    }

    fn sector_bytes(&self, id: u32) -> &[u8] {
        let start = (id as usize + 1) * self.sector;
        self.bytes.get(start..(start + self.sector).min(self.bytes.len())).unwrap_or(&[])
    }

    /// The sectors of a chain, each once and inside the file, or why not.
    fn chain(&self, start: u32, what: &str) -> Result<Vec<u32>, Refusal> {
        let mut seen = vec![false; self.sectors()];
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            let i = id as usize;
            if id >= MAXREGSECT || i >= seen.len() {
                return Err(broken(&format!("{what}がファイルの外を指しています")));
            }
            if std::mem::replace(&mut seen[i], true) {
                return Err(broken(&format!("{what}の連鎖が輪になっています")));
            }
            out.push(id);
            id = *self.fat.get(i).ok_or_else(|| broken(&format!("{what}の連鎖が途中で途切れています")))?;
        }
        Ok(out)
    }

    fn read_chain(&self, chain: &[u32], len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len.min(chain.len() * self.sector));
        for &id in chain {
            let s = self.sector_bytes(id);
            let take = s.len().min(len - out.len());
            out.extend_from_slice(&s[..take]);
            if out.len() >= len {
                break;
            }
        }
        out
    }
}

/// Checks the chains calamine follows, then the sheets' extent.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    if bytes.len() < 512 {
        return Err(broken("先頭の512バイトがありません"));
    }
    let sector = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        _ => return Err(broken("セクタの大きさの値が不正です")),
    };
    let mut cfb = Cfb { bytes, sector, fat: Vec::new() };
    let sectors = cfb.sectors();
    // The FAT's own sectors: 109 in the header, more in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109).map(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut difat = u32_at(bytes, 68);
    let mut seen = vec![false; sectors];
    while difat < MAXREGSECT {
        let i = difat as usize;
        if i >= sectors || std::mem::replace(&mut seen[i], true) {
            return Err(broken("DIFAT の連鎖が不正です"));
        }
        let s = cfb.sector_bytes(difat);
        let n = s.len() / 4;
        fat_sectors.extend((0..n.saturating_sub(1)).map(|k| u32_at(s, 4 * k)));
        difat = if n > 0 { u32_at(s, 4 * (n - 1)) } else { ENDOFCHAIN };
    }
    for id in fat_sectors.into_iter().filter(|&id| id < MAXREGSECT) {
        if id as usize >= sectors {
            return Err(broken("FAT がファイルの外を指しています"));
        }
        let s = cfb.sector_bytes(id);
        let entries: Vec<u32> = (0..s.len() / 4).map(|k| u32_at(s, 4 * k)).collect();
        cfb.fat.extend(entries);
    }
    // The directory (calamine reads its whole chain).
    let dir_chain = cfb.chain(u32_at(bytes, 48), "ディレクトリ")?;
    let dirs = cfb.read_chain(&dir_chain, usize::MAX);
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let Some(root) = entries.first() else { return Err(broken("ディレクトリが空です")) };
    let size_of = |e: &[u8]| -> usize {
        if sector == 512 {
            u32_at(e, 120) as usize
        } else {
            (u32_at(e, 120) as u64 | (u32_at(e, 124) as u64) << 32).min(usize::MAX as u64) as usize
        }
    };
    // The mini stream and its FAT (read when the header declares a mini FAT).
    let mini_fat_len = u32_at(bytes, 64);
    let (mini_fat, ministream) = if mini_fat_len > 0 {
        let chain = cfb.chain(u32_at(root, 116), "ミニストリーム")?;
        let ministream = cfb.read_chain(&chain, size_of(root));
        let chain = cfb.chain(u32_at(bytes, 60), "ミニFAT")?;
        let mf = cfb.read_chain(&chain, usize::MAX);
        ((0..mf.len() / 4).map(|k| u32_at(&mf, 4 * k)).collect::<Vec<u32>>(), ministream)
    } else {
        (Vec::new(), Vec::new())
    };
    // The stream calamine reads: "Workbook", else "Book" (BIFF5).
    let name_of = |e: &[u8]| -> String {
        let units: Vec<u16> = (0..32).map(|k| u16_at(e, 2 * k)).take_while(|&u| u != 0).collect();
        String::from_utf16_lossy(&units)
    };
    let Some(book) =
        ["Workbook", "Book"].iter().find_map(|want| entries.iter().find(|e| name_of(e).eq_ignore_ascii_case(want)))
    else {
        // calamine says so in its own words (wrapped by the caller).
        return Ok(());
    };
    let (start, len) = (u32_at(book, 116), size_of(book));
    let stream = if len < 4096 {
        // In the mini stream: 64-byte sectors chained through the mini FAT.
        let mini = Cfb { bytes: &ministream, sector: 64, fat: mini_fat };
        let mut seen = vec![false; ministream.len() / 64 + 1];
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN && out.len() < len {
            let i = id as usize;
            if id >= MAXREGSECT || i >= seen.len() || std::mem::replace(&mut seen[i], true) {
                return Err(broken("Workbook ストリームの連鎖が不正です"));
            }
            let s = ministream.get(i * 64..((i + 1) * 64).min(ministream.len())).unwrap_or(&[]);
            out.extend_from_slice(&s[..s.len().min(len - out.len())]);
            id = *mini.fat.get(i).unwrap_or(&FREESECT);
            if id == FREESECT {
                break;
            }
        }
        out
    } else {
        let chain = cfb.chain(start, "Workbook ストリーム")?;
        cfb.read_chain(&chain, len)
    };
    sheets_within(&stream, limits)
}

/// Every sheet's declared extent (DIMENSIONS) and the extent of its cells,
/// read the way calamine reads them, against the sheet limit.
fn sheets_within(stream: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let mut positions = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            // BoundSheet8: where the sheet's records start.
            0x0085 => positions.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    for (n, pos) in positions.into_iter().enumerate() {
        let Some(sheet) = stream.get(pos..) else { continue };
        let mut depth = 0usize;
        let mut seen_bof = false;
        let (mut top, mut left, mut bottom, mut right) = (u64::MAX, u64::MAX, 0u64, 0u64);
        for (typ, data) in records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                    None
                }
                0x000A => break,
                0x0200 => {
                    // DIMENSIONS, as calamine reads it: it reserves rows × cols.
                    let (rf, rl, cf, cl) = match data.len() {
                        10 => (
                            u16_at(data, 0) as u32,
                            u16_at(data, 2) as u32,
                            u16_at(data, 4) as u32,
                            u16_at(data, 6) as u32,
                        ),
                        14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8) as u32, u16_at(data, 10) as u32),
                        _ => (0, 0, 0, 0),
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        // calamine's arithmetic (u32, wrapping in a release
                        // build): a first row past the last wraps to billions.
                        let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1) as u64;
                        let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1) as u64;
                        let cells = rows.saturating_mul(cols);
                        if cells > limits.sheet_cells {
                            return Err(too_wide(n, cells, limits));
                        }
                    }
                    None
                }
                // Cells: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    Some((u16_at(data, 0) as u64, u16_at(data, 2) as u64, u16_at(data, 2) as u64))
                }
                // MULRK: a run of cells from its first column.
                0x00BD if data.len() >= 6 => {
                    let first = u16_at(data, 2) as u64;
                    Some((u16_at(data, 0) as u64, first, first + ((data.len() - 6) / 6) as u64))
                }
                _ => None,
            };
            if let Some((row, c0, c1)) = cell {
                top = top.min(row);
                bottom = bottom.max(row);
                left = left.min(c0);
                right = right.max(c1);
                let cells = (bottom - top + 1).saturating_mul(right.saturating_sub(left) + 1);
                if cells > limits.sheet_cells {
                    return Err(too_wide(n, cells, limits));
                }
            }
        }
    }
    Ok(())
}

fn too_wide(sheet: usize, cells: u64, limits: &Limits) -> Refusal {
    Refusal {
        message: format!(
            "{}枚目のシートの使われている範囲が広すぎます（{cells}セル分。上限は {}セル）。離れた場所に値の入ったセルがないか確認してください。{}",
            sheet + 1,
            limits.sheet_cells,
            limits::how_to_raise("sheet_cells", cells)
        ),
        detail: None,
        limit: true,
    }
}

/// BIFF records (type, data) of a stream; CONTINUE records are skipped
/// (they carry no cell positions). Ends at a record cut short.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at);
        let len = u16_at(stream, at + 2) as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_xls() -> Vec<u8> {
        let dir = std::path::Path::new("fixtures/sample");
        for office in std::fs::read_dir(dir).expect("sample").flatten() {
            for f in std::fs::read_dir(office.path()).expect("office").flatten() {
                if f.path().extension().is_some_and(|e| e == "xls") {
                    return std::fs::read(f.path()).expect("xls");
                }
            }
        }
        panic!("no .xls in the sample");
    }

    #[test]
    fn the_sample_xls_passes() {
        assert!(check(&sample_xls(), &Limits::default()).is_ok());
    }

    #[test]
    fn a_looping_or_escaping_chain_is_refused_before_calamine() {
        let good = sample_xls();
        let dir_start = u32_at(&good, 48) as usize;
        // The FAT entry of the directory's first sector points back at it.
        let fat0 = u32_at(&good, 76) as usize;
        let mut looped = good.clone();
        let at = (fat0 + 1) * 512 + 4 * dir_start;
        looped[at..at + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
        let e = check(&looped, &Limits::default()).unwrap_err();
        assert!(e.message.contains("輪"), "{}", e.message);
        let mut outside = good.clone();
        outside[48..52].copy_from_slice(&0x00FF_0000u32.to_le_bytes());
        assert!(check(&outside, &Limits::default()).unwrap_err().message.contains("外"));
        // Bytes 512–1023 zeroed (the damaged sample): refused or
        // passed, never a hang; whatever passes, calamine reads bounded.
        let mut zeroed = good.clone();
        zeroed[512..1024].fill(0);
        let _ = check(&zeroed, &Limits::default());
    }

    #[test]
    fn a_sheet_wider_than_the_limit_is_refused() {
        let tight = Limits { sheet_cells: 10, ..Limits::default() };
        let e = check(&sample_xls(), &tight).unwrap_err();
        assert!(e.limit && e.message.contains("sheet_cells"), "{}", e.message);
    }
}
