//! Which mapping (and which of its sources) reads a file.
//!
//! Every condition a source's `match` gives must hold; the candidate meeting
//! the most conditions wins. Two mappings meeting equally many is an error
//! that names both, never a silent pick.

use super::load::{CompiledSource, Mapping};
use super::schema::SourceKind;
use crate::ingest::csv::CsvRecord;
use crate::ingest::Content;
use crate::text::norm_label;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// A CSV file read by one source.
    Csv { mapping: usize, source: usize },
    /// A workbook read by every source of one mapping that finds its sheets.
    Workbook { mapping: usize, sources: Vec<usize> },
}

impl Detection {
    pub fn mapping(&self) -> usize {
        match self {
            Detection::Csv { mapping, .. } | Detection::Workbook { mapping, .. } => *mapping,
        }
    }
}

/// Records recognising a CSV file looks at.
const HEAD: usize = 8;

/// Score of a CSV source for a file's first [`HEAD`] records (parsed once
/// for all sources), or None when a condition fails.
fn csv_score_head(s: &CompiledSource, file_name: &str, head: &[CsvRecord]) -> Option<usize> {
    if s.spec.kind != SourceKind::Csv {
        return None;
    }
    let mut score = 0;
    if let Some(re) = &s.file_name {
        if !re.is_match(file_name) {
            return None;
        }
        score += 2;
    }
    // The header and the first data records are enough to recognise a file.
    let mut records = head.iter();
    if !s.spec.recognise.header_has.is_empty() {
        let header = records.next()?;
        let names: Vec<String> = header.fields.iter().map(norm_label).collect();
        for want in &s.spec.recognise.header_has {
            if !names.contains(&norm_label(want)) {
                return None;
            }
        }
        score += 2 + s.spec.recognise.header_has.len();
    } else if s.spec.header {
        records.next();
    }
    let first = match &s.row_filter {
        Some((c, re)) => records.find(|r| re.is_match(r.fields.get(c - 1).unwrap_or(""))),
        None => records.next(),
    };
    if !s.first_record.is_empty() {
        let first = first?;
        for (c, re) in &s.first_record {
            if !re.is_match(first.fields.get(c - 1).unwrap_or("")) {
                return None;
            }
        }
        score += s.first_record.len();
    }
    if let (Some(n), Some(first)) = (s.spec.columns, first) {
        if first.fields.len() == n {
            score += 1;
        }
    }
    Some(score)
}

/// Score of an Excel source for a workbook, or None.
pub fn excel_score(s: &CompiledSource, content: &Content) -> Option<usize> {
    let Content::Workbook(wb) = content else { return None };
    if s.spec.kind != SourceKind::Excel {
        return None;
    }
    let names: Vec<String> = wb.sheets.iter().map(|sh| norm_label(&sh.name)).collect();
    for re in &s.sheets {
        if !names.iter().any(|n| re.is_match(n)) {
            return None;
        }
    }
    let selected = super::apply::selected_parts(s, wb);
    if selected.is_empty() {
        return None;
    }
    Some(1 + s.sheets.len() + s.spec.recognise.anchors.len())
}

/// Picks the mapping for a file. The error message is Japanese.
pub fn detect(mappings: &[Mapping], file_name: &str, content: &Content) -> Result<Detection, String> {
    // File names made on a Mac (or unpacked from its zips) are decomposed
    // (NFD: ケ + ゛); `file_name` patterns are written composed.
    let file_name = &*crate::text::nfc(file_name);
    let mut best: Vec<(usize, Detection)> = Vec::new();
    let head = match content {
        Content::Csv { table, .. } => table.head(HEAD),
        Content::Workbook(_) => Vec::new(),
    };
    for (mi, m) in mappings.iter().enumerate() {
        let candidate = match content {
            Content::Csv { .. } => {
                let mut scored: Vec<(usize, usize)> = m
                    .sources
                    .iter()
                    .enumerate()
                    .filter_map(|(si, s)| csv_score_head(s, file_name, &head).map(|sc| (sc, si)))
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                match scored.as_slice() {
                    [] => None,
                    [(a, i), (b, j), ..] if a == b => {
                        return Err(format!(
                            "マッピング「{}」の「{}」と「{}」のどちらでも読めるため、どちらか決められません",
                            m.file.name, m.sources[*i].spec.id, m.sources[*j].spec.id
                        ))
                    }
                    [(sc, si), ..] => Some((*sc, Detection::Csv { mapping: mi, source: *si })),
                }
            }
            Content::Workbook(_) => {
                let hits: Vec<(usize, usize)> = m
                    .sources
                    .iter()
                    .enumerate()
                    .filter_map(|(si, s)| excel_score(s, content).map(|sc| (sc, si)))
                    .collect();
                if hits.is_empty() {
                    None
                } else {
                    let score = hits.iter().map(|h| h.0).sum();
                    Some((score, Detection::Workbook { mapping: mi, sources: hits.into_iter().map(|h| h.1).collect() }))
                }
            }
        };
        if let Some(c) = candidate {
            best.push(c);
        }
    }
    best.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.mapping().cmp(&b.1.mapping())));
    match best.as_slice() {
        [] => {
            let names: Vec<&str> = mappings.iter().map(|m| m.file.name.as_str()).collect();
            Err(format!(
                "どのマッピング（{}）にも当てはまらない形式です。ファイル名・見出し行・シート名を確認するか、--mapping で読み方を指定してください",
                names.join(", ")
            ))
        }
        [(a, x), (b, y), ..] if a == b => Err(format!(
            "マッピング「{}」と「{}」の両方に同じ程度当てはまるため、どちらで読むか決められません。--mapping でどちらかを指定してください",
            mappings[x.mapping()].file.name,
            mappings[y.mapping()].file.name
        )),
        [(_, d), ..] => Ok(d.clone()),
    }
}
