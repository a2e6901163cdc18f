//! Compiling a source's lists (`[[sources.lists]]`): the table, numbered
//! labels or one cell a list is written in, and the fields of its entries.

use super::{compile_fields, regex, CompiledField, MappingProblem};
use crate::mapping::schema::{CellListSpec, SourceSpec, TableSpec};
use crate::model::fields;
use regex::Regex;

/// A list of sub-records inside a form record (第4表's 会議出席者).
#[derive(Debug, Clone)]
pub struct CompiledList {
    pub field: String,
    pub table: Option<TableSpec>,
    /// Per list field: its name and the label regexes numbering its entries.
    pub numbered: Vec<(String, Vec<Regex>)>,
    pub cell: Option<CompiledCellList>,
    pub fields: Vec<CompiledField>,
}

/// [`CellListSpec`], compiled.
#[derive(Debug, Clone)]
pub struct CompiledCellList {
    pub spec: CellListSpec,
    pub pattern: Regex,
}

impl CompiledList {
    /// The compiled field of a list field, by name.
    pub fn field(&self, name: &str) -> Option<&CompiledField> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Compiles the lists of source `idx`; problems carry their TOML line.
pub(super) fn compile_lists(
    s: &SourceSpec,
    idx: &str,
    at: &super::Locator<'_>,
    problems: &mut Vec<MappingProblem>,
) -> Vec<CompiledList> {
    let mut lists = Vec::new();
    for (li, l) in s.lists.iter().enumerate() {
        let lidx = li.to_string();
        let line = |rest: &[&str]| {
            let mut p = vec!["sources", idx, "lists", lidx.as_str()];
            p.extend_from_slice(rest);
            at.line(&p)
        };
        if !fields::is_known(s.target, &l.field) {
            problems.push(MappingProblem {
                line: line(&["field"]),
                message: format!("「{}」は {:?} の項目ではありません", l.field, s.target),
            });
        }
        let mut list_extras = Vec::new();
        let fs =
            compile_fields(s, &l.fields, &["sources", idx, "lists", &lidx, "fields"], at, problems, &mut list_extras);
        if !list_extras.is_empty() {
            problems.push(MappingProblem {
                line: line(&["fields"]),
                message: "lists の項目には extra.* は使えません".into(),
            });
        }
        if l.table.is_none() && l.numbered.is_empty() && l.cell.is_none() {
            problems.push(MappingProblem {
                line: line(&[]),
                message: format!("lists「{}」には table・numbered・cell のどれかが必要です", l.field),
            });
        }
        let known = |name: &str| fields::is_known(s.target, name);
        let mut numbered = Vec::new();
        for (name, patterns) in &l.numbered {
            if !known(name) {
                problems.push(MappingProblem {
                    line: line(&["numbered", name]),
                    message: format!("numbered の「{name}」は {:?} の項目ではありません", s.target),
                });
            }
            let mut res = Vec::new();
            for p in patterns {
                match regex(p) {
                    Ok(r) if r.captures_len() >= 2 => res.push(r),
                    Ok(_) => problems.push(MappingProblem {
                        line: line(&["numbered", name]),
                        message: format!("numbered の「{p}」には番号を取り出す ( ) が必要です"),
                    }),
                    Err(message) => problems.push(MappingProblem { line: line(&["numbered", name]), message }),
                }
            }
            numbered.push((name.clone(), res));
        }
        let cell = l.cell.as_ref().and_then(|c| compile_cell(c, &known, &line, problems));
        lists.push(CompiledList { field: l.field.clone(), table: l.table.clone(), numbered, cell, fields: fs });
    }
    lists
}

fn compile_cell(
    c: &CellListSpec,
    known: &dyn Fn(&str) -> bool,
    line: &dyn Fn(&[&str]) -> usize,
    problems: &mut Vec<MappingProblem>,
) -> Option<CompiledCellList> {
    if c.separators.iter().all(|s| s.is_empty()) {
        problems.push(MappingProblem {
            line: line(&["cell", "separators"]),
            message: "cell.separators には区切りの文字（、など）を一つ以上書きます".into(),
        });
    }
    let pattern = match regex(&c.pattern) {
        Ok(r) => r,
        Err(message) => {
            problems.push(MappingProblem { line: line(&["cell", "pattern"]), message });
            return None;
        }
    };
    let names: Vec<&str> = pattern.capture_names().flatten().collect();
    if names.is_empty() {
        problems.push(MappingProblem {
            line: line(&["cell", "pattern"]),
            message: "cell.pattern には項目名の付いた ( ) が必要です（例: (?P<name>\\S+)）".into(),
        });
    }
    for n in names.iter().filter(|n| !known(n)) {
        problems.push(MappingProblem {
            line: line(&["cell", "pattern"]),
            message: format!("cell.pattern の「{n}」はこの様式の項目ではありません"),
        });
    }
    Some(CompiledCellList { spec: c.clone(), pattern })
}
