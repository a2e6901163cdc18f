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

/// Where the reason a test failed goes: nowhere when only the score matters
/// (every file meets every source), into a text for `lsw mapping check` and
/// for a file no mapping reads.
pub trait Why {
    fn say(&mut self, reason: impl FnOnce() -> String);
}

impl Why for () {
    fn say(&mut self, _: impl FnOnce() -> String) {}
}

/// The first reason said.
impl Why for Option<String> {
    fn say(&mut self, reason: impl FnOnce() -> String) {
        if self.is_none() {
            *self = Some(reason());
        }
    }
}

/// Score of a CSV source for a file's first [`HEAD`] records (parsed once
/// for all sources), or None when a condition fails (said to `why`).
fn csv_score_head(s: &CompiledSource, file_name: &str, head: &[CsvRecord], why: &mut impl Why) -> Option<usize> {
    if s.spec.kind != SourceKind::Csv {
        why.say(|| "Excel の見本用です（CSV は読みません）".into());
        return None;
    }
    let mut score = 0;
    if let Some(re) = &s.file_name {
        if !re.is_match(file_name) {
            why.say(|| format!("ファイル名が「{}」に当てはまりません", re.as_str()));
            return None;
        }
        score += 2;
    }
    // The header and the first data records are enough to recognise a file.
    let mut records = head.iter();
    if !s.spec.recognise.header_has.is_empty() {
        let Some(header) = records.next() else {
            why.say(|| "ファイルが空です（見出し行がありません）".into());
            return None;
        };
        let names: Vec<String> = header.fields.iter().map(norm_label).collect();
        for want in &s.spec.recognise.header_has {
            if !names.contains(&norm_label(want)) {
                why.say(|| format!("見出し行に「{want}」がありません"));
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
        let Some(first) = first else {
            why.say(|| "データの行がありません".into());
            return None;
        };
        for (c, re) in &s.first_record {
            let got = first.fields.get(c - 1).unwrap_or("");
            if !re.is_match(got) {
                why.say(|| format!("最初の行の{c}列目「{got}」が「{}」に当てはまりません", re.as_str()));
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

/// Score of an Excel source for a workbook, or None (the reason said to `why`).
pub fn excel_score(s: &CompiledSource, content: &Content, why: &mut impl Why) -> Option<usize> {
    let Content::Workbook(wb) = content else {
        why.say(|| "CSV 用です（Excel のブックは読みません）".into());
        return None;
    };
    if s.spec.kind != SourceKind::Excel {
        why.say(|| "CSV 用です（Excel のブックは読みません）".into());
        return None;
    }
    let names: Vec<String> = wb.sheets.iter().map(|sh| norm_label(&sh.name)).collect();
    for re in &s.sheets {
        if !names.iter().any(|n| re.is_match(n)) {
            why.say(|| format!("名前が「{}」に当てはまるシートがありません", re.as_str()));
            return None;
        }
    }
    let selected = super::apply::selected_parts(s, wb);
    if selected.is_empty() {
        why.say(|| super::apply::why_no_parts(s, wb));
        return None;
    }
    Some(1 + s.sheets.len() + s.spec.recognise.anchors.len())
}

/// For each source of a mapping, why it does not read a file (an empty
/// list when one does): what `lsw mapping check` and the run say of a file
/// no mapping reads.
pub fn why_not(m: &Mapping, file_name: &str, content: &Content) -> Vec<(String, String)> {
    let file_name = &*crate::text::nfc(file_name);
    let head = match content {
        Content::Csv { table, .. } => table.head(HEAD),
        Content::Workbook(_) => Vec::new(),
    };
    let mut out = Vec::new();
    for s in &m.sources {
        let mut why: Option<String> = None;
        let hit = match content {
            Content::Csv { .. } => csv_score_head(s, file_name, &head, &mut why).is_some(),
            Content::Workbook(_) => excel_score(s, content, &mut why).is_some(),
        };
        if hit {
            return Vec::new();
        }
        let kind_matches = matches!(
            (s.spec.kind, content),
            (SourceKind::Csv, Content::Csv { .. }) | (SourceKind::Excel, Content::Workbook(_))
        );
        if kind_matches {
            out.push((s.spec.title.clone(), why.unwrap_or_default()));
        }
    }
    out
}

/// Why the mappings nearest to reading a file do not: for a workbook, each
/// mapping's first form; for a CSV file, the forms whose file name it has
/// (or that its name fits none).
fn nearest_reasons(mappings: &[Mapping], file_name: &str, content: &Content) -> String {
    let mut parts = Vec::new();
    for m in mappings {
        let reasons = why_not(m, file_name, content);
        match content {
            Content::Workbook(_) => {
                if let Some((title, why)) = reasons.first() {
                    parts.push(format!("{}の{title}: {why}", m.file.name));
                }
            }
            Content::Csv { .. } => {
                for (title, why) in reasons.iter().filter(|(_, w)| !w.starts_with("ファイル名が")) {
                    parts.push(format!("{}の{title}: {why}", m.file.name));
                }
            }
        }
    }
    match (parts.is_empty(), content) {
        (true, Content::Csv { .. }) => "ファイル名がどの形式の名前（UP1KYO_… など）にも当てはまりません。".into(),
        (true, _) => String::new(),
        (false, _) => format!("（{}）", parts.join("／")),
    }
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
                    .filter_map(|(si, s)| csv_score_head(s, file_name, &head, &mut ()).map(|sc| (sc, si)))
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
                    .filter_map(|(si, s)| excel_score(s, content, &mut ()).map(|sc| (sc, si)))
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
                "どのマッピング（{}）にも当てはまらない形式です。{}ファイル名・見出し行・シート名を確認するか、--mapping で読み方を指定してください（lsw mapping check でマッピングごとの理由を見られます）",
                names.join(", "),
                nearest_reasons(mappings, file_name, content)
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
