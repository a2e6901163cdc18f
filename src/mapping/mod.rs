//! Mapping: cells with positions → records of the canonical model, through
//! declarative mapping files (`mappings/*.toml`).
//!
//! In: an [`Ingested`](crate::ingest::Ingested) file and the loaded mappings.
//! Out: [`Record`]s (one per CSV record, table row, grid slot or form sheet),
//! each field a transformed [`Value`] with its [`Source`], plus problems.
//! Grouping records into plans is [`assemble`]'s job.

pub mod apply;
pub mod assemble;
pub mod detect;
pub mod load;
pub mod record;
pub mod schema;
pub mod transforms;
pub mod value;

pub use load::{load_str, Mapping, MappingProblem};
pub use value::{Period, Value};

/// The mappings shipped in the binary, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("mhlw-careplan-v4", include_str!("../../mappings/mhlw-careplan-v4.toml")),
    ("honobono-next", include_str!("../../mappings/honobono-next.toml")),
    ("excel-form", include_str!("../../mappings/excel-form.toml")),
];

/// Loads every shipped mapping. They are tested, so a failure is a bug.
pub fn builtin() -> Result<Vec<Mapping>, String> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            load_str(text, &format!("builtin:{name}")).map_err(|ps| {
                let lines: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                format!("組み込みマッピング「{name}」に誤りがあります:\n{}", lines.join("\n"))
            })
        })
        .collect()
}

/// The JSON Schema of mapping files (`schemas/mapping.schema.json`).
///
/// Beyond the types, it lists the field names of every target and the
/// transform names, so an editor flags a misspelt field or transform.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(schema::MappingFile);
    let mut v = serde_json::to_value(schema).unwrap_or_default();
    let mut names: Vec<&str> = crate::model::fields::COMMON.iter().map(|(n, _)| *n).collect();
    use schema::Target::*;
    for t in [Person, Table1, Table2, Table3, Table4, Table5, Table6, Table7] {
        names.extend(crate::model::fields::fields(t).iter().map(|(n, _)| *n));
    }
    names.sort_unstable();
    names.dedup();
    let field_names = serde_json::json!({ "anyOf": [{ "enum": names }, { "pattern": "^extra\\..+" }] });
    let transform_names: Vec<String> = transforms::registry()
        .iter()
        .flat_map(|t| match t.args {
            transforms::ArgSpec::None => vec![t.name.to_string()],
            transforms::ArgSpec::OneOf(args) => args.iter().map(|a| format!("{}:{a}", t.name)).collect(),
        })
        .collect();
    if let Some(defs) = v.get_mut("$defs") {
        for def in ["SourceSpec", "ListSpec"] {
            if let Some(fields) = defs.pointer_mut(&format!("/{def}/properties/fields")) {
                fields["propertyNames"] = field_names.clone();
            }
        }
        if let Some(items) = defs.pointer_mut("/FieldSpec/properties/transforms/items") {
            items["enum"] = serde_json::json!(transform_names);
        }
    }
    v
}

pub use record::{Key, Record, RecordMeta};

/// NFKC and no white space at all: how labels and headers are compared.
pub fn norm_label(s: &str) -> String {
    match classify(s) {
        Shape::Normal => s.to_string(),
        Shape::Foldable => fold(s),
        Shape::General => general(s),
    }
}

/// [`norm_label`] without a copy when the text is normalised already (most
/// text is: no white space, nothing NFKC changes). For hot comparisons.
pub fn norm_cow(s: &str) -> std::borrow::Cow<'_, str> {
    match classify(s) {
        Shape::Normal => std::borrow::Cow::Borrowed(s),
        Shape::Foldable => std::borrow::Cow::Owned(fold(s)),
        Shape::General => std::borrow::Cow::Owned(general(s)),
    }
}

/// How much work a text's normalisation takes.
enum Shape {
    /// Already normal: nothing NFKC changes, no white space, no `"`.
    Normal,
    /// Kanji, kana, ASCII, full-width ASCII forms, ①/Ⅱ/㈱-like characters
    /// and white space only, whose NFKC is known: [`fold`].
    Foldable,
    /// Anything else (①, ㈱, half-width kana, combining marks…): NFKC.
    General,
}

fn classify(s: &str) -> Shape {
    // Byte by byte: the fast set is ASCII and three-byte characters only,
    // each three-byte character looked up in a table of its shape.
    let b = s.as_bytes();
    let mut shape = Shape::Normal;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            match c {
                0x21..=0x7E if c != b'"' => {}
                b' ' | b'\t' | b'\n' | b'\r' | b'"' => shape = Shape::Foldable,
                _ => return Shape::General,
            }
            i += 1;
        } else if (0xE0..0xF0).contains(&c) && i + 2 < b.len() {
            let cp = ((c as usize & 0x0F) << 12) | ((b[i + 1] as usize & 0x3F) << 6) | (b[i + 2] as usize & 0x3F);
            match (SHAPES[cp >> 2] >> ((cp & 3) * 2)) & 3 {
                NORMAL => {}
                FOLDABLE => shape = Shape::Foldable,
                _ => return Shape::General,
            }
            i += 3;
        } else {
            return Shape::General;
        }
    }
    shape
}

const NORMAL: u8 = 0;
const FOLDABLE: u8 = 1;
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

/// Non-ASCII characters [`fold`] handles: full-width ASCII forms, U+3000
/// and the [`compat_alone`] characters.
const fn foldable(cp: u32) -> bool {
    matches!(cp, 0xFF01..=0xFF5E | 0x3000) || compat_alone(cp)
}

/// [`Shape::Foldable`] text normalised byte by byte: full-width ASCII forms
/// become ASCII (their NFKC), [`compat_alone`] characters their NFKC, white
/// space and `"` go, the rest is copied.
fn fold(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'"') {
                out.push(c);
            }
            i += 1;
            continue;
        }
        let len = match c {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let ch = &b[i..(i + len).min(b.len())];
        match ch {
            // U+3000 (ideographic space).
            [0xE3, 0x80, 0x80] => {}
            // U+FF01..U+FF3F and U+FF40..U+FF5E: ASCII 0x21..0x7E.
            [0xEF, 0xBC, t @ 0x81..=0xBF] => push_ascii(&mut out, t - 0x81 + 0x21),
            [0xEF, 0xBD, t @ 0x80..=0x9E] => push_ascii(&mut out, t - 0x80 + 0x60),
            _ => {
                match std::str::from_utf8(ch).ok().and_then(|c| c.chars().next()).filter(|&c| compat_alone(c as u32)) {
                    Some(c) => {
                        use unicode_normalization::UnicodeNormalization;
                        for d in std::iter::once(c).nfkc().filter(|d| !d.is_whitespace() && *d != '"') {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(d.encode_utf8(&mut buf).as_bytes());
                        }
                    }
                    None => out.extend_from_slice(ch),
                }
            }
        }
        i += len;
    }
    // Whole characters and ASCII only were copied: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Characters common in care plans whose NFKC is a plain sequence that
/// cannot combine with a neighbour: Ⅰ–ↈ roman numerals, ①–⑳, ㈠–㉃
/// (㈱, ㈲…). Their NFKC is taken one character at a time.
const fn compat_alone(cp: u32) -> bool {
    matches!(cp, 0x2160..=0x217F | 0x2460..=0x2473 | 0x3220..=0x3243)
}

fn push_ascii(out: &mut Vec<u8>, a: u8) {
    if a != b'"' {
        out.push(a);
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
        | 0x4E00..=0x9FFF)
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
            "é",
            "",
        ] {
            let slow: String = s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect();
            assert_eq!(norm_label(s), slow, "{s}");
            assert_eq!(super::norm_cow(s), slow, "{s}");
        }
    }
}
