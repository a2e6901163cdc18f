//! CSV sources: each record's mapped columns through the fast path or the
//! transform chain.

use super::{label_of, put_raw, Extracted};

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::csv::CsvTable;
use crate::mapping::load::{CompiledField, CompiledSource};
use crate::mapping::record::{Key, Record};
use crate::mapping::transforms::Context;
use crate::model::fields::F;
use crate::text::norm_label;
use std::sync::Arc;

/// Records reserved for a CSV file at most before it is read.
pub(super) const RESERVE_RECORDS: usize = 1 << 14;

/// The fields a first look at a file needs: who and which plan each record
/// is for (see `batch::ingest_and_map_with`).
pub const KEY_FIELDS: [Key; 3] = [Key::Field(F::InsurerNo), Key::Field(F::InsuredNo), Key::Field(F::PlanDate)];

/// The fields a first look reads from a file's first record only: which
/// office the file is (see `assemble::Offices`).
const FIRST_RECORD_FIELDS: [Key; 2] = [Key::Field(F::OfficeCode), Key::Field(F::OfficeName)];

/// Maps a CSV table's records; with `only`, just those fields (the records
/// and CSV problems are the same, value problems only of those fields).
pub fn csv(
    s: &CompiledSource,
    file: &Arc<str>,
    file_index: usize,
    table: &CsvTable,
    only: Option<&[Key]>,
) -> Extracted {
    let mut out = Extracted::default();
    // At most a record per line: sized once instead of grown by copying (up
    // to a bound: a file of blank or rejected lines must not reserve
    // memory for records it never makes).
    let lines = memchr::memchr_iter(b'\n', table.bytes()).take(RESERVE_RECORDS).count() + 1;
    out.records.reserve(lines.min(RESERVE_RECORDS));
    // A first look reads only the leading columns it needs.
    let mut reader = if only.is_some() { table.lead_reader(file) } else { table.reader(file) };
    let target = s.spec.target;
    // Header names → 0-based column.
    let mut header_cols: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    // Without a declared count, a headered file's records must match its header.
    let mut expected = s.spec.columns;
    if s.spec.header {
        if let Some((_, h)) = reader.next_record() {
            expected = expected.or(Some(h.len()));
            for (i, name) in h.iter().enumerate() {
                header_cols.entry(norm_label(&name)).or_default().push(i);
            }
        }
    }
    // Resolve each field to a 0-based column once.
    let mut cols: Vec<(&CompiledField, Option<usize>)> = Vec::new();
    let mut header_columns: Vec<(Key, u32)> = Vec::new();
    // A first look reads the office of the file's first record too (which
    // folder and office carry which 事業所番号: `assemble::Offices`).
    let first_only = |k: &Key| only.is_some() && FIRST_RECORD_FIELDS.contains(k);
    for f in s.fields.iter().filter(|f| only.is_none_or(|o| o.contains(&f.key)) || first_only(&f.key)) {
        let col = if let Some(c) = f.spec.column {
            Some(c - 1)
        } else if let Some(h) = &f.spec.header {
            let idx = f.spec.occurrence.unwrap_or(1).max(1) - 1;
            // Every column any wording of the header names, left to right.
            let mut all: Vec<usize> =
                h.all().iter().flat_map(|l| header_cols.get(&norm_label(l)).cloned().unwrap_or_default()).collect();
            all.sort_unstable();
            all.dedup();
            let found = all.get(idx).copied();
            match found {
                Some(c) => header_columns.push((f.key, c as u32 + 1)),
                None if f.spec.required => out.problems.push(Problem::new(
                    ProblemKind::Layout,
                    Source::line(file.clone(), 1),
                    format!("見出し行に必須の列「{h}」がありません（{}）", label_of(target, &f.name)),
                )),
                None => {}
            }
            found
        } else {
            None
        };
        cols.push((f, col));
    }
    let lead = |all: bool| {
        let last = cols
            .iter()
            .filter(|(f, _)| all || !first_only(&f.key))
            .filter_map(|(_, c)| *c)
            .chain(s.row_filter.as_ref().map(|(c, _)| c - 1))
            .max();
        last.map_or(1, |c| c + 1)
    };
    let (lead_first, lead_rest) = (lead(true), lead(false));
    reader.set_lead(lead_first);
    // Columns found by header name differ per file: the records of this file
    // carry them in their own copy of the source's description.
    let meta = if header_columns.is_empty() {
        s.meta.clone()
    } else {
        let mut m = (*s.meta).clone();
        for (k, c) in header_columns {
            m.set_column(k, c);
        }
        Arc::new(m)
    };
    let ctx = Context::default();
    let title = if s.spec.title.is_empty() { &s.spec.id } else { &s.spec.title };
    // The last value the row filter let through: a file repeats one value
    // (the CSV version) on every record, so the pattern runs about once.
    let mut passed: Option<Vec<u8>> = None;
    while let Some((line, fields)) = reader.next_record() {
        if let Some((c, re)) = &s.row_filter {
            let raw = fields.bytes(c - 1).unwrap_or_default();
            if passed.as_deref() != Some(raw) {
                if !re.is_match(&fields.get(c - 1).unwrap_or_default()) {
                    out.skipped += 1;
                    continue;
                }
                passed = Some(raw.to_vec());
            }
        }
        if let Some(n) = expected {
            if fields.len() != n {
                out.problems.push(Problem::new(
                    ProblemKind::Csv,
                    Source::line(file.clone(), line),
                    format!(
                        "この行は{}項目あります（{title}では{n}項目のはずです）。列がずれている可能性があるため、この行は読み込みませんでした",
                        fields.len(),
                    ),
                ));
                continue;
            }
        }
        // Size the record for what it will hold: the non-empty mapped fields
        // (sizing by the whole line over-allocated records several times over).
        let (mut text_len, mut used) = (0, 0);
        for (_, col) in &cols {
            if let Some(v) = col.and_then(|c| fields.bytes(c)).filter(|v| !v.is_empty()) {
                text_len += v.len();
                used += 1;
            }
        }
        let mut r = Record::csv(meta.clone(), file_index, file.clone(), line, text_len, used);
        let first = out.records.is_empty();
        for (f, col) in &cols {
            if !first && first_only(&f.key) {
                continue;
            }
            let cell;
            let raw: &str = match (col, &f.spec.value) {
                (_, Some(v)) => v,
                (Some(c), None) => {
                    cell = fields.get(*c).unwrap_or_default();
                    &cell
                }
                (None, None) => match &f.name_pattern {
                    // A value in the file's name (`0001234567_山田花子.csv`).
                    Some(re) => {
                        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
                        cell = std::borrow::Cow::Owned(
                            super::first_group(re, &crate::text::nfc(base)).unwrap_or_default(),
                        );
                        &cell
                    }
                    None => continue,
                },
            };
            let column = col.map(|c| c as u32 + 1);
            let src = || {
                let mut s = Source::line(file.clone(), line);
                s.column = column;
                s
            };
            put_raw(&mut r, f, target, raw, &ctx, src, &mut out.problems);
            if f.spec.required && !r.has_key(f.key) {
                out.problems.push(Problem::new(
                    ProblemKind::Value,
                    src(),
                    format!("必須の項目「{}」が空です", label_of(target, &f.name)),
                ));
            }
        }
        out.records.push(r);
        if first && lead_first != lead_rest {
            reader.set_lead(lead_rest);
        }
    }
    out.problems.append(&mut reader.problems);
    out
}
