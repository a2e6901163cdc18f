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
pub mod roster;
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
    let field_names = serde_json::json!({ "anyOf": [{ "enum": names }, { "pattern": "^(extra|meta)\\..+" }] });
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
