//! Encoding detection and decoding with error positions.
//!
//! The standard CSV is CP932 (MS932; formats.md §1.2), vendor exports are
//! CP932 or UTF-8 with or without BOM. encoding_rs's `Shift_JIS` is the WHATWG
//! decoder, which is Windows-31J: the NEC and IBM extensions (①, ℡, Ⅱ, ㈱,
//! 髙, 﨑) decode.

use serde::{Deserialize, Serialize};

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Encoding {
    /// Only ASCII bytes: CP932 and UTF-8 read it the same.
    #[serde(rename = "ascii")]
    Ascii,
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "cp932")]
    Cp932,
    /// Excel's「Unicode テキスト」: UTF-16 with its BOM (FF FE / FE FF).
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
}

/// What the user or the mapping asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EncodingChoice {
    #[default]
    Auto,
    #[serde(alias = "utf8")]
    Utf8,
    #[serde(alias = "shift_jis", alias = "sjis", alias = "ms932", alias = "windows-31j")]
    Cp932,
}

impl std::str::FromStr for EncodingChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(EncodingChoice::Auto),
            "utf-8" | "utf8" => Ok(EncodingChoice::Utf8),
            "cp932" | "shift_jis" | "sjis" | "ms932" | "windows-31j" => Ok(EncodingChoice::Cp932),
            _ => Err(format!("文字コード「{s}」は指定できません（auto / utf-8 / cp932）")),
        }
    }
}

/// How the decision was made; recorded in manifest.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecidedBy {
    Bom,
    /// Valid UTF-8 whose characters look like Japanese text.
    ValidUtf8,
    /// Valid UTF-8 that reads as Latin letters but as clean Japanese in CP932
    /// (short half-width katakana headers such as `ﾃｱ` are valid UTF-8 `ñ`).
    Cp932Plausible,
    /// Not UTF-8.
    NotUtf8,
    /// Mostly valid UTF-8 with a few broken sequences.
    MostlyUtf8,
    OnlyAscii,
    /// `--encoding` or the mapping's `encoding`.
    Override,
}

/// A byte sequence that did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeIssue {
    /// 1-based line of the byte.
    pub line: u64,
    /// 0-based offset of the first bad byte in the file.
    pub byte_offset: u64,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub decided_by: DecidedBy,
    pub issues: Vec<DecodeIssue>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Detects the encoding (unless `choice` fixes it) and decodes. Bytes that do
/// not decode become U+FFFD and are listed with their line and offset; the
/// rest of the file is still decoded.
pub fn decode(bytes: &[u8], choice: EncodingChoice) -> Decoded {
    let (encoding, decided_by) = decide(bytes, choice);
    let (text, issues) = decode_as(bytes, encoding);
    Decoded { text, encoding, decided_by, issues }
}

/// The encoding [`decode`] reads `bytes` with, and why, without decoding
/// them (but for short valid UTF-8 that may be CP932, which it tries).
pub fn decide(bytes: &[u8], choice: EncodingChoice) -> (Encoding, DecidedBy) {
    let has_bom = bytes.starts_with(BOM);
    match choice {
        EncodingChoice::Utf8 if has_bom => return (Encoding::Utf8Bom, DecidedBy::Override),
        EncodingChoice::Utf8 => return (Encoding::Utf8, DecidedBy::Override),
        EncodingChoice::Cp932 => return (Encoding::Cp932, DecidedBy::Override),
        EncodingChoice::Auto => {}
    }
    // No CP932 or UTF-8 text begins with FF or FE.
    if bytes.starts_with(b"\xFF\xFE") {
        return (Encoding::Utf16Le, DecidedBy::Bom);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return (Encoding::Utf16Be, DecidedBy::Bom);
    }
    if has_bom {
        return (Encoding::Utf8Bom, DecidedBy::Bom);
    }
    if bytes.is_ascii() {
        return (Encoding::Ascii, DecidedBy::OnlyAscii);
    }
    match std::str::from_utf8(bytes) {
        Ok(utf8) => {
            // Valid UTF-8. Short CP932 texts of half-width katakana can also be
            // valid UTF-8 (C3 B1 is both `ñ` and `ﾃｱ`): prefer CP932 when the
            // UTF-8 reading has letters no Japanese care plan uses and the
            // CP932 reading is clean and all Japanese-plausible.
            if !utf8.chars().all(plausible) {
                let (cp, issues) = decode_cp932(bytes);
                if issues.is_empty() && cp.chars().all(plausible) {
                    return (Encoding::Cp932, DecidedBy::Cp932Plausible);
                }
            }
            (Encoding::Utf8, DecidedBy::ValidUtf8)
        }
        Err(_) => {
            // Broken UTF-8 or CP932? CP932 text yields few valid multi-byte
            // UTF-8 sequences and many errors; UTF-8 with a damaged byte
            // yields many valid sequences and an error or two.
            // The first 256 KiB decide, or fewer once 1,000 errors are seen
            // (a few KB of CP932 text, which breaks UTF-8 every few bytes):
            // counting errors over a whole large file is slow.
            let (multibyte, errors) = utf8_stats(&bytes[..bytes.len().min(256 * 1024)], 1000);
            if multibyte > 0 && errors * 20 < multibyte {
                (Encoding::Utf8, DecidedBy::MostlyUtf8)
            } else {
                (Encoding::Cp932, DecidedBy::NotUtf8)
            }
        }
    }
}

/// Decodes `bytes` as `encoding` (a BOM is dropped for [`Encoding::Utf8Bom`]).
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> (String, Vec<DecodeIssue>) {
    match encoding {
        Encoding::Utf8Bom if bytes.starts_with(BOM) => decode_utf8(&bytes[3..], 3, bytes),
        Encoding::Ascii | Encoding::Utf8 | Encoding::Utf8Bom => decode_utf8(bytes, 0, bytes),
        Encoding::Cp932 => decode_cp932(bytes),
        Encoding::Utf16Le => decode_utf16(bytes, u16::from_le_bytes),
        Encoding::Utf16Be => decode_utf16(bytes, u16::from_be_bytes),
    }
}

/// UTF-16 after its BOM. An unpaired surrogate, or an odd last byte, is
/// U+FFFD and an issue at its byte offset.
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> (String, Vec<DecodeIssue>) {
    let body = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") { &bytes[2..] } else { bytes };
    let start = bytes.len() - body.len();
    let mut text = String::with_capacity(body.len() * 3 / 2);
    let mut issues = Vec::new();
    let (mut at, mut line) = (0usize, 1u64);
    let units = body.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                text.push(c);
                at += 2 * c.len_utf16();
            }
            Err(_) => {
                let offset = start + at;
                issues.push(DecodeIssue {
                    line,
                    byte_offset: offset as u64,
                    bytes: bytes[offset..offset + 2].to_vec(),
                });
                text.push('\u{FFFD}');
                at += 2;
            }
        }
    }
    if body.len() % 2 == 1 {
        let offset = bytes.len() - 1;
        issues.push(DecodeIssue { line, byte_offset: offset as u64, bytes: vec![bytes[offset]] });
        text.push('\u{FFFD}');
    }
    (text, issues)
}

/// Characters a Japanese care-plan file plausibly contains.
fn plausible(c: char) -> bool {
    let u = c as u32;
    c.is_ascii()
        || (0x2010..=0x2BFF).contains(&u) // punctuation, arrows, ①, Ⅱ, box drawing, ■□○
        || (0x3000..=0x30FF).contains(&u) // CJK punctuation, kana
        || (0x3200..=0x33FF).contains(&u) // ㈱ ㍻ etc.
        || (0x4E00..=0x9FFF).contains(&u) // CJK ideographs
        || (0xF900..=0xFAFF).contains(&u) // compatibility ideographs (﨑)
        || (0xFF00..=0xFFEF).contains(&u) // full-width forms, half-width katakana
        || matches!(u, 0xA7 | 0xA8 | 0xB0 | 0xB1 | 0xB4 | 0xB6 | 0xD7 | 0xF7) // JIS X 0208 row 1 Latin-1 symbols
        || (0x0391..=0x03C9).contains(&u) // Greek (JIS row 6)
        || (0x0401..=0x0451).contains(&u) // Cyrillic (JIS row 7)
}

/// (valid multi-byte sequences, invalid sequences) of a byte slice read as UTF-8.
/// Stops after `max_errors` errors: the ratio seen so far decides.
fn utf8_stats(bytes: &[u8], max_errors: usize) -> (usize, usize) {
    let mut multibyte = 0;
    let mut errors = 0;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                // In valid UTF-8 every non-ASCII character has exactly one lead byte.
                multibyte += rest[..valid].iter().filter(|&&b| b >= 0xC0).count();
                errors += 1;
                if errors >= max_errors {
                    break;
                }
                let skip = e.error_len().unwrap_or(rest.len() - valid).max(1);
                rest = &rest[(valid + skip).min(rest.len())..];
            }
        }
    }
    (multibyte, errors)
}

fn decode_utf8(body: &[u8], base: usize, whole: &[u8]) -> (String, Vec<DecodeIssue>) {
    let mut text = super::spare_text(body.len());
    let mut issues = Vec::new();
    let mut pos = 0usize;
    while pos < body.len() {
        match std::str::from_utf8(&body[pos..]) {
            Ok(s) => {
                text.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                text.push_str(&String::from_utf8_lossy(&body[pos..pos + valid]));
                let bad_len = e.error_len().unwrap_or(body.len() - pos - valid).max(1);
                let at = pos + valid;
                issues.push(issue(whole, base + at, &body[at..(at + bad_len).min(body.len())]));
                text.push('\u{FFFD}');
                pos = at + bad_len;
            }
        }
    }
    (text, issues)
}

fn decode_cp932(bytes: &[u8]) -> (String, Vec<DecodeIssue>) {
    use encoding_rs::{DecoderResult, SHIFT_JIS};
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    // Two-byte characters take three UTF-8 bytes: 1.5× holds most texts
    // (half-width katakana take 3×: the text grows when it must).
    let mut text = super::spare_text(bytes.len() + bytes.len() / 2 + 16);
    let mut issues = Vec::new();
    let mut consumed = 0usize;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(&bytes[consumed..], &mut text, true);
        consumed += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve((bytes.len() - consumed) * 3 / 2 + 16),
            DecoderResult::Malformed(bad, pending) => {
                // The malformed bytes end `pending` bytes before the read position.
                let end = consumed - pending as usize;
                let start = end.saturating_sub(bad as usize);
                issues.push(issue(bytes, start, &bytes[start..end]));
                text.push('\u{FFFD}');
            }
        }
    }
    (text, issues)
}

fn issue(whole: &[u8], offset: usize, bad: &[u8]) -> DecodeIssue {
    let line = whole[..offset.min(whole.len())].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    DecodeIssue { line, byte_offset: offset as u64, bytes: bad.to_vec() }
}

impl DecodeIssue {
    /// Japanese description of the issue for errors.json.
    pub fn message(&self, encoding: Encoding) -> String {
        let hex: Vec<String> = self.bytes.iter().map(|b| format!("{b:02X}")).collect();
        let name = match encoding {
            Encoding::Cp932 => "Shift-JIS（CP932）",
            Encoding::Utf16Le | Encoding::Utf16Be => "UTF-16",
            _ => "UTF-8",
        };
        format!(
            "{name}として読めないバイト列 {} があります（文字が途中で切れているか、別の文字コードが混ざっています）。この部分は「\u{FFFD}」に置き換え、残りは読み込みました",
            hex.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Excel's「Unicode テキスト」is UTF-16LE with a BOM; BE too. An unpaired
    /// surrogate and an odd last byte are issues at their byte offsets.
    #[test]
    fn utf16_with_its_bom() {
        let text = "氏名\t①℡髙﨑\r\n山田\t𠮷\r\n";
        for (bom, encode) in [
            (&b"\xFF\xFE"[..], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            (&b"\xFE\xFF"[..], u16::to_be_bytes as fn(u16) -> [u8; 2]),
        ] {
            let mut bytes = bom.to_vec();
            bytes.extend(text.encode_utf16().flat_map(encode));
            let d = decode(&bytes, EncodingChoice::Auto);
            assert_eq!(d.decided_by, DecidedBy::Bom);
            assert_eq!(d.text, text);
            assert!(d.issues.is_empty());
            // A lone high surrogate on line 2, and a byte left over.
            let mut broken = bom.to_vec();
            broken.extend("a\nb".encode_utf16().flat_map(encode));
            broken.extend(encode(0xD800));
            broken.extend("c".encode_utf16().flat_map(encode));
            broken.push(0x41);
            let d = decode(&broken, EncodingChoice::Auto);
            assert_eq!(d.text, "a\nb\u{FFFD}c\u{FFFD}");
            let at: Vec<(u64, u64)> = d.issues.iter().map(|i| (i.line, i.byte_offset)).collect();
            assert_eq!(at, [(2, 8), (2, 12)]);
        }
        assert_eq!(decide(b"\xFF\xFEa\x00", EncodingChoice::Auto).0, Encoding::Utf16Le);
        assert_eq!(decide(b"\xFE\xFF\x00a", EncodingChoice::Auto).0, Encoding::Utf16Be);
    }

    fn sjis(s: &str) -> Vec<u8> {
        let (b, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
        assert!(!unmappable, "{s} is not CP932");
        b.into_owned()
    }

    #[test]
    fn nec_ibm_extensions_decode() {
        let s = "①℡髙﨑Ⅱ㈱";
        let d = decode(&sjis(s), EncodingChoice::Auto);
        assert_eq!(d.encoding, Encoding::Cp932);
        assert_eq!(d.text, s);
        assert!(d.issues.is_empty());
    }

    #[test]
    fn short_cp932_headers_are_cp932() {
        for s in ["ｹｱ", "ﾃｱ", "ﾃﾞｲ", "保険者番号", "\"氏名\"", "ｻｰﾋﾞｽ", "ｱ", "①", "課題", "要介護１", "ﾌﾟﾗﾝ,ｹｱ"]
        {
            let bytes = sjis(s);
            assert!(bytes.len() <= 32);
            let d = decode(&bytes, EncodingChoice::Auto);
            assert_eq!(d.encoding, Encoding::Cp932, "{s}: {:?}", d.decided_by);
            assert_eq!(d.text, s);
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("利用者名,ｻｰﾋﾞｽ".as_bytes(), EncodingChoice::Auto);
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf8, "利用者名,ｻｰﾋﾞｽ"));
        let mut b = BOM.to_vec();
        b.extend_from_slice("氏名".as_bytes());
        let d = decode(&b, EncodingChoice::Auto);
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf8Bom, "氏名"));
        let d = decode("あ".as_bytes(), EncodingChoice::Auto);
        assert_eq!(d.encoding, Encoding::Utf8);
    }

    #[test]
    fn ascii_only() {
        let d = decode(b"201910,123456", EncodingChoice::Auto);
        assert_eq!(d.encoding, Encoding::Ascii);
    }

    #[test]
    fn cp932_cut_inside_a_character_is_reported_with_offset() {
        let mut b = sjis("課題\r\n短期目標");
        b.pop(); // cut the last double-byte character in half
        let d = decode(&b, EncodingChoice::Auto);
        assert_eq!(d.encoding, Encoding::Cp932);
        assert_eq!(d.issues.len(), 1);
        assert_eq!(d.issues[0].line, 2);
        assert_eq!(d.issues[0].byte_offset as usize, b.len() - 1);
        assert!(d.text.starts_with("課題\r\n短期"));
    }

    #[test]
    fn invalid_byte_inside_cp932_keeps_the_rest() {
        let mut b = sjis("一行目\n");
        let off = b.len();
        b.push(0xFF);
        b.extend(sjis("二行目の残り"));
        let d = decode(&b, EncodingChoice::Auto);
        assert_eq!(d.encoding, Encoding::Cp932);
        assert_eq!(d.issues, vec![DecodeIssue { line: 2, byte_offset: off as u64, bytes: vec![0xFF] }]);
        assert!(d.text.ends_with("二行目の残り"));
    }

    #[test]
    fn invalid_utf8_is_reported_and_rest_kept() {
        let mut b = "利用者名は山田です。長い文章が続きます。".as_bytes().to_vec();
        b.push(b'\n');
        let off = b.len();
        b.push(0xC3); // lone lead byte
        b.extend_from_slice("以降も読めること".as_bytes());
        let d = decode(&b, EncodingChoice::Auto);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.issues.len(), 1);
        assert_eq!((d.issues[0].line, d.issues[0].byte_offset), (2, off as u64));
        assert!(d.text.ends_with("以降も読めること"));
    }

    #[test]
    fn override_wins() {
        let d = decode(&sjis("ｹｱ"), EncodingChoice::Utf8);
        assert_eq!(d.decided_by, DecidedBy::Override);
        // Both bytes of `ｹｱ` (B9 B1) are stray UTF-8 continuation bytes.
        assert_eq!(d.issues.len(), 2);
    }

    /// A large CP932 file is decided on its first 1,000 UTF-8 errors, not
    /// its first 256 KiB; a damaged UTF-8 file is still UTF-8.
    #[test]
    fn the_decision_stops_after_enough_errors() {
        let text = "介護計画の作成".repeat(10_000);
        let bytes = sjis(&text);
        let (_, errors) = utf8_stats(&bytes, 1000);
        assert_eq!(errors, 1000);
        let d = decode(&bytes, EncodingChoice::Auto);
        assert_eq!((d.encoding, d.decided_by), (Encoding::Cp932, DecidedBy::NotUtf8));
        assert_eq!(d.text, text);
        let mut damaged = text.clone().into_bytes();
        for i in 0..60 {
            damaged[i * 3_000] = 0xFF;
        }
        let d = decode(&damaged, EncodingChoice::Auto);
        assert_eq!((d.encoding, d.decided_by), (Encoding::Utf8, DecidedBy::MostlyUtf8));
        assert_eq!(d.issues.len(), 60 * 3, "each damaged lead byte leaves 1 + 2 stray bytes");
    }
}
