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
    use unicode_normalization::UnicodeNormalization;
    // Most text is kanji, kana, ASCII and full-width ASCII forms, whose NFKC
    // is known: skip the general normaliser for it.
    if s.chars().all(|c| nfkc_stable(c) || ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}') {
        return s
            .chars()
            .map(|c| match c {
                // NFKC of a full-width ASCII form is the ASCII character.
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .filter(|c| !c.is_whitespace() && *c != '"')
            .collect();
    }
    s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect()
}

/// [`norm_label`] without a copy when the text is normalised already (most
/// text is: no white space, nothing NFKC changes). For hot comparisons.
pub fn norm_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(|c| nfkc_stable(c) && !c.is_whitespace() && c != '"') {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(norm_label(s))
    }
}

/// Characters NFKC leaves as they are and that never combine with a
/// neighbour: ASCII, hiragana and katakana letters, ー, CJK ideographs and
/// common Japanese punctuation. (Not half-/full-width forms, ①, ㈱ or the
/// voiced-sound marks, which NFKC changes.)
fn nfkc_stable(c: char) -> bool {
    matches!(c as u32,
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
        || c == '\n'
        || c == '\t'
        || c == '\r'
}

#[cfg(test)]
mod tests {
    use super::norm_label;
    use unicode_normalization::UnicodeNormalization;

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
        ] {
            let slow: String = s.nfkc().filter(|c| !c.is_whitespace() && *c != '"').collect();
            assert_eq!(norm_label(s), slow, "{s}");
        }
    }
}
