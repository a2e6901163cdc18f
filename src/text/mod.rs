//! Text normalisation and term lists shared by every phase.
//!
//! Labels, headers, terms and the texts they are matched against are
//! compared after [`norm_cow`]: NFKC and no white space at all. [`Terms`]
//! is a list of such terms as one automaton.

mod terms;

pub use terms::Terms;

/// `s` composed (NFC); ASCII as it is. File and folder names made on a Mac
/// are decomposed (NFD: ケ + ゛); patterns and office names are composed.
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// NFKC and no white space at all: how labels and headers are compared.
pub fn norm_label(s: &str) -> String {
    norm_cow(s).into_owned()
}

/// [`norm_label`] without a copy when the text is normalised already (most
/// text is: no white space, nothing NFKC changes). For hot comparisons.
pub fn norm_cow(s: &str) -> std::borrow::Cow<'_, str> {
    match first_change(s) {
        None => std::borrow::Cow::Borrowed(s),
        Some(at) => std::borrow::Cow::Owned(fold_from(s, at).unwrap_or_else(|| general(s))),
    }
}

/// What normalisation does to a character.
const NORMAL: u8 = 0;
/// Full-width ASCII forms, U+3000 and the [`compat_alone`] characters,
/// whose NFKC is known: [`fold_from`].
const FOLDABLE: u8 = 1;
/// Anything else (half-width kana, combining marks…): NFKC of the text.
const GENERAL: u8 = 2;

/// The shape of every character U+0000–U+FFFF, two bits each, built at
/// compile time from [`nfkc_stable`] and [`foldable`].
static SHAPES: [u8; 0x4000] = {
    let mut t = [0u8; 0x4000];
    let mut cp = 0u32;
    while cp < 0x10000 {
        let shape = if nfkc_stable(cp) {
            NORMAL
        } else if foldable(cp) {
            FOLDABLE
        } else {
            GENERAL
        };
        t[(cp >> 2) as usize] |= shape << ((cp & 3) * 2);
        cp += 1;
    }
    t
};

/// Whether `b` leads a character of U+4000–U+9FFF (CJK ideographs and
/// Yijing hexagrams), which the scans pass over without looking them up:
/// all [`NORMAL`] (a test checks the table).
fn ideograph_lead(b: u8) -> bool {
    (0xE4..=0xE9).contains(&b)
}

fn shape(cp: usize) -> u8 {
    (SHAPES[cp >> 2] >> ((cp & 3) * 2)) & 3
}

/// The code point of the three-byte character at `b[i]`, if one starts there.
fn three_byte(b: &[u8], i: usize) -> Option<usize> {
    ((0xE0..0xF0).contains(&b[i]) && i + 2 < b.len())
        .then(|| ((b[i] as usize & 0x0F) << 12) | ((b[i + 1] as usize & 0x3F) << 6) | (b[i + 2] as usize & 0x3F))
}

/// Byte offset of the first character normalisation changes or drops
/// (white space, `"`, anything not [`NORMAL`]); `None` for a normal text.
fn first_change(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !(0x21..=0x7E).contains(&c) || c == b'"' {
                return Some(i);
            }
            i += 1;
        } else if ideograph_lead(c) {
            i += 3;
        } else {
            match three_byte(b, i) {
                Some(cp) if shape(cp) == NORMAL => i += 3,
                _ => return Some(i),
            }
        }
    }
    None
}

/// The text normalised in one pass from `at` (everything before is
/// normal): full-width ASCII forms become ASCII (their NFKC),
/// [`compat_alone`] characters their NFKC, white space and `"` go, the rest
/// is copied. `None` at the first [`GENERAL`] character: then the whole text
/// needs NFKC (a combining mark may change its neighbour).
fn fold_from(s: &str, at: usize) -> Option<String> {
    // Built as a String from whole characters (slices of `s` at character
    // boundaries, ASCII, NFKC output): no UTF-8 check at the end.
    let b = s.as_bytes();
    let mut out = String::with_capacity(b.len());
    out.push_str(&s[..at]);
    let mut i = at;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b'"' => {}
                0x21..=0x7E => out.push(c as char),
                _ => return None,
            }
            i += 1;
            continue;
        }
        if ideograph_lead(c) {
            // Most of a Japanese text: copy a run of ideographs at once.
            let start = i;
            while i < b.len() && ideograph_lead(b[i]) {
                i += 3;
            }
            out.push_str(s.get(start..i)?);
            continue;
        }
        let cp = three_byte(b, i)?;
        match shape(cp) {
            NORMAL => out.push_str(s.get(i..i + 3)?),
            FOLDABLE => match cp {
                0x3000 => {}
                // U+FF01..U+FF5E: ASCII 0x21..0x7E.
                0xFF01..=0xFF5E => push_ascii(&mut out, (cp - 0xFF01 + 0x21) as u8),
                _ => {
                    use unicode_normalization::UnicodeNormalization;
                    let c = char::from_u32(cp as u32)?;
                    out.extend(std::iter::once(c).nfkc().filter(|d| !d.is_whitespace() && *d != '"'));
                }
            },
            _ => return None,
        }
        i += 3;
    }
    Some(out)
}

/// Non-ASCII characters [`fold_from`] handles: full-width ASCII forms,
/// U+3000 and the [`compat_alone`] characters.
const fn foldable(cp: u32) -> bool {
    matches!(cp, 0xFF01..=0xFF5E | 0x3000) || compat_alone(cp)
}

/// Characters common in care plans whose NFKC is a plain sequence that
/// cannot combine with a neighbour: Ⅰ–ↈ roman numerals, ①–⑳, ㈠–㉃
/// (㈱, ㈲…). Their NFKC is taken one character at a time.
const fn compat_alone(cp: u32) -> bool {
    matches!(cp, 0x2160..=0x217F | 0x2460..=0x2473 | 0x3220..=0x3243)
}

fn push_ascii(out: &mut String, a: u8) {
    if a != b'"' {
        out.push(a as char);
    }
}

fn general(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect()
}

/// Characters NFKC leaves as they are and that never combine with a
/// neighbour: ASCII, hiragana and katakana letters, ー, CJK ideographs and
/// common Japanese punctuation. (Not half-/full-width forms, ①, ㈱ or the
/// voiced-sound marks, which NFKC changes.)
const fn nfkc_stable(cp: u32) -> bool {
    matches!(cp,
        0x20..=0x7E
        | 0x3001..=0x3002
        | 0x3005..=0x3007
        | 0x300C..=0x300F
        | 0x3041..=0x3096
        | 0x301C
        | 0x30A1..=0x30FC
        | 0x203B
        | 0x25CB
        // CJK Extension A, Yijing hexagrams, CJK Unified Ideographs.
        | 0x3400..=0x9FFF)
}

#[cfg(test)]
mod tests {
    use super::norm_label;
    use unicode_normalization::UnicodeNormalization;

    /// Every character of the Basic Multilingual Plane, alone and between
    /// others, normalises as NFKC does, whichever path it takes.
    #[test]
    fn every_bmp_character_normalises_as_nfkc() {
        for c in (0u32..0x10000).filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("ア{c}１ｂ")] {
                let slow: String = s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect();
                assert_eq!(norm_label(&s), slow, "U+{:04X}", c as u32);
            }
        }
    }

    /// The scans pass over ideograph lead bytes without the table: every
    /// character such a byte starts must be normal.
    #[test]
    fn ideographs_are_normal() {
        let mut seen = 0;
        for c in (0u32..0x10000).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            if super::ideograph_lead(c.encode_utf8(&mut buf).as_bytes()[0]) {
                assert_eq!(super::shape(c as usize), super::NORMAL, "U+{:04X}", c as u32);
                seen += 1;
            }
        }
        assert_eq!(seen, 0xA000 - 0x4000, "U+4000–U+9FFF");
    }

    /// The fast path gives what NFKC gives.
    #[test]
    fn norm_label_fast_path_matches_nfkc() {
        for s in [
            "生活全般の解決すべき課題",
            "サービス種別",
            "ｻｰﾋﾞｽ",
            "（期間）",
            "①②",
            "入浴・洗身〜○※",
            "㈱さくら",
            "ガ",
            "か\u{3099}",
            "Ａｂｃ",
            "a b\tc",
            "ヴ",
            "〜",
            "週２回（月・木）",
            "！＂＃～",
            "\u{3000}全角\u{3000}空白",
            "（株）さくら　訪問介護\u{3000}ステーション",
            "ＡＢＣ０１２９｀｛｜｝～＠［＼］＾＿",
            "\"引用\"と＂全角＂",
            "改行\r\nと\tタブ",
            "㈱混在（全角）",
            "漢字漢字（漢字）漢字　漢字",
            "介護保険ｻｰﾋﾞｽ利用",
            "é",
            "",
        ] {
            let slow: String = s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect();
            assert_eq!(norm_label(s), slow, "{s}");
            assert_eq!(super::norm_cow(s), slow, "{s}");
        }
    }
}
