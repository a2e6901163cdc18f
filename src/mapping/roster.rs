//! The office's roster (利用者一覧, `lsw run --roster FILE`): its users with
//! 保険者番号, 被保険者番号, 氏名, フリガナ and 生年月日. Plans read from the
//! paper forms carry no numbers; the roster ties them to their numbers by
//! name and 生年月日, so they join the same person's standard-CSV 第6/7表.
//!
//! Headers are found by their usual Japanese names in the first rows of a
//! CSV (any encoding lsw reads) or of a workbook's first sheet that has
//! them. Nothing is guessed: a person with no row, or with two, keeps a key
//! by name, and the problem names both places.

use crate::diag::{Problem, ProblemKind, Source};
use crate::ingest::excel::Cell;
use crate::ingest::{self, encoding::EncodingChoice, Content};
use crate::mapping::transforms;
use crate::mapping::Value;
use crate::model::key::normalise_name;
use crate::model::PersonKey;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

/// One user of the roster.
#[derive(Debug, Clone)]
pub struct RosterRow {
    pub insurer_no: String,
    pub insured_no: String,
    /// 氏名 as written.
    pub name: String,
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// 事業所番号 or 事業所名, when the roster has such a column.
    pub office: Option<String>,
    /// Where the row is (line, or sheet and cell of its first column).
    pub source: Source,
}

/// A roster read from its file.
#[derive(Debug, Default)]
pub struct Roster {
    pub file: String,
    pub rows: Vec<RosterRow>,
    /// (氏名 normalised, 生年月日) → rows.
    by_person: HashMap<(String, NaiveDate), Vec<usize>>,
}

/// The columns a roster has, by the names offices give them.
const COLUMNS: &[(Col, &[&str])] = &[
    (Col::Insurer, &["保険者番号", "保険者No", "保険者NO", "保険者コード", "保険者"]),
    (Col::Insured, &["被保険者番号", "被保険者No", "被保険者NO", "被保番号", "被保険者証番号", "介護保険被保険者番号"]),
    (Col::Name, &["氏名", "利用者名", "利用者氏名", "利用者", "名前", "お名前"]),
    (
        Col::Kana,
        &["フリガナ", "ふりがな", "カナ", "氏名カナ", "カナ氏名", "氏名フリガナ", "利用者名カナ", "フリガナ氏名"],
    ),
    (Col::Birth, &["生年月日", "誕生日", "生年月日(和暦)", "生年月日(西暦)"]),
    (Col::Office, &["事業所番号", "居宅介護支援事業所番号", "事業所名", "居宅介護支援事業所名", "事業所"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Insurer,
    Insured,
    Name,
    Kana,
    Birth,
    Office,
}

/// A row of a roster table: each cell's text, value and place.
type Row = Vec<(String, Value, Source)>;

/// Rows searched for the header.
const HEADER_ROWS: usize = 10;

/// Why a person has no number from the roster.
pub enum Miss<'a> {
    /// No row of that name and 生年月日.
    NoRow,
    /// The plan has no 生年月日 to compare.
    NoBirthDate,
    /// Several rows match.
    Several(Vec<&'a RosterRow>),
}

impl Miss<'_> {
    /// The errors.json entry for a plan's person, at the plan's place.
    pub fn problem(&self, person: &PersonKey, at: Source) -> Problem {
        let who = match person.birth_date {
            Some(b) => format!("{}（生年月日 {}）", person.name, crate::model::wareki::date(b)),
            None => person.name.clone(),
        };
        let message = match self {
            Miss::NoRow => format!(
                "利用者一覧に{who}の行がないため、保険者番号・被保険者番号を付けられません。計画は事業所・利用者名・生年月日で識別しました"
            ),
            Miss::NoBirthDate => format!(
                "生年月日が読めないため、{who}を利用者一覧と照合できません。計画は事業所・利用者名だけで識別しました"
            ),
            Miss::Several(rows) => {
                let places: Vec<String> = rows.iter().map(|r| r.source.describe()).collect();
                format!(
                    "利用者一覧に{who}に当たる行が{}行あります（{}）。どちらの番号か決められないため付けていません",
                    rows.len(),
                    places.join("、")
                )
            }
        };
        let kind = if matches!(self, Miss::Several(_)) { ProblemKind::Grouping } else { ProblemKind::Warning };
        Problem::new(kind, at, message)
    }
}

impl Roster {
    /// Reads a roster file; its problems (unreadable file, missing columns,
    /// rows without numbers, duplicate people) go to `problems`.
    pub fn read(path: &Path, problems: &mut Vec<Problem>) -> Roster {
        let name = path.display().to_string();
        let mut ing = ingest::read_file(path, &name, EncodingChoice::Auto);
        problems.append(&mut ing.problems);
        let mut roster = Roster { file: name.clone(), ..Roster::default() };
        let Some(content) = ing.content else { return roster };
        let tables: Vec<(Option<String>, Vec<Row>)> = match &content {
            Content::Csv { table, .. } => {
                let mut r = table.reader(&name);
                let mut rows = Vec::new();
                while let Some((line, fields)) = r.next_record() {
                    rows.push(
                        fields
                            .iter()
                            .enumerate()
                            .map(|(i, f)| {
                                let t = f.trim().to_string();
                                (t.clone(), Value::text(t), Source::csv(name.as_str(), line, i as u32 + 1))
                            })
                            .collect(),
                    );
                }
                problems.append(&mut r.problems);
                vec![(None, rows)]
            }
            Content::Workbook(wb) => wb
                .sheets
                .iter()
                .map(|sh| {
                    let (end_row, end_col) = sh.end();
                    let rows = (sh.origin.0..end_row)
                        .map(|r| {
                            (sh.origin.1..end_col)
                                .map(|c| {
                                    let cell = sh.get(r, c);
                                    let v = match cell {
                                        Cell::Date(d) => Value::Date(*d),
                                        Cell::DateTime(d) => Value::Date(d.date()),
                                        Cell::Number(n) => Value::Number(*n),
                                        Cell::Text(t) => Value::text(t.trim().to_string()),
                                        _ => Value::Empty,
                                    };
                                    (v.display(), v, Source::cell(name.as_str(), sh.name.as_str(), r, c))
                                })
                                .collect()
                        })
                        .collect();
                    (Some(sh.name.clone()), rows)
                })
                .collect(),
        };
        let ctx = transforms::Context { date1904: matches!(&content, Content::Workbook(wb) if wb.date1904) };
        let mut found = false;
        for (sheet, rows) in &tables {
            let Some((h, cols)) = header(rows) else { continue };
            found = true;
            let missing: Vec<&str> = [Col::Insurer, Col::Insured, Col::Name, Col::Birth]
                .into_iter()
                .filter(|c| !cols.iter().any(|(k, _)| k == c))
                .map(|c| COLUMNS.iter().find(|(k, _)| *k == c).map_or("", |(_, names)| names[0]))
                .collect();
            if !missing.is_empty() {
                problems.push(Problem::new(
                    ProblemKind::Layout,
                    rows[h].first().map(|(_, _, s)| s.clone()).unwrap_or_else(|| Source::file(name.as_str())),
                    format!(
                        "利用者一覧の見出し行に「{}」の列がありません（必要な列: 保険者番号・被保険者番号・氏名・生年月日）",
                        missing.join("」「")
                    ),
                ));
                return roster;
            }
            for row in &rows[h + 1..] {
                roster.add_row(row, &cols, &ctx, problems);
            }
            let _ = sheet;
            break;
        }
        if !found {
            problems.push(Problem::new(
                ProblemKind::Layout,
                Source::file(name.as_str()),
                format!(
                    "利用者一覧の見出し行（保険者番号・被保険者番号・氏名・生年月日）が、先頭の{HEADER_ROWS}行に見つかりません"
                ),
            ));
        }
        roster.check_people(problems);
        roster
    }

    fn add_row(
        &mut self,
        row: &[(String, Value, Source)],
        cols: &[(Col, usize)],
        ctx: &transforms::Context,
        problems: &mut Vec<Problem>,
    ) {
        let get = |c: Col| cols.iter().find(|(k, _)| *k == c).and_then(|(_, i)| row.get(*i));
        let text = |c: Col| get(c).map(|(t, _, _)| t.clone()).filter(|t| !t.is_empty());
        if row.iter().all(|(t, _, _)| t.is_empty()) {
            return;
        }
        let first = row.first().map(|(_, _, s)| s.clone()).unwrap_or_default();
        let (insurer, insured, name) = (text(Col::Insurer), text(Col::Insured), text(Col::Name));
        let (Some(insurer), Some(insured), Some(name)) = (insurer, insured, name) else {
            let values: Vec<&str> = row.iter().map(|(t, _, _)| t.as_str()).filter(|t| !t.is_empty()).collect();
            problems.push(Problem::new(
                ProblemKind::Value,
                first,
                format!(
                    "利用者一覧のこの行には保険者番号・被保険者番号・氏名のどれかがないため使えません（{}）",
                    values.join("、")
                ),
            ));
            return;
        };
        let birth = get(Col::Birth).and_then(|(t, v, s)| {
            if t.is_empty() {
                return None;
            }
            let date = transforms::lookup("date")
                .map(|d| (d.apply)(v.clone(), None, ctx))
                .and_then(|r| r.ok())
                .and_then(|v| if let Value::Date(d) = v { Some(d) } else { None });
            if date.is_none() {
                problems.push(Problem::new(
                    ProblemKind::Value,
                    s.clone(),
                    format!("利用者一覧の生年月日「{t}」を日付として読めません（{name}）"),
                ));
            }
            date
        });
        let norm = |s: String| crate::text::norm_label(&s);
        self.rows.push(RosterRow {
            insurer_no: norm(insurer),
            insured_no: norm(insured),
            name,
            kana: text(Col::Kana),
            birth_date: birth,
            office: text(Col::Office),
            source: first,
        });
        let i = self.rows.len() - 1;
        if let Some(b) = birth {
            self.by_person.entry((normalise_name(&self.rows[i].name), b)).or_default().push(i);
        }
    }

    /// Duplicate people: the same row twice, or one person under two
    /// numbers or in two offices, is said with both places.
    fn check_people(&self, problems: &mut Vec<Problem>) {
        let mut people: Vec<(&(String, NaiveDate), &Vec<usize>)> =
            self.by_person.iter().filter(|(_, rows)| rows.len() > 1).collect();
        people.sort();
        for ((name, birth), rows) in people {
            let first = &self.rows[rows[0]];
            for &i in &rows[1..] {
                let r = &self.rows[i];
                let same_numbers = r.insurer_no == first.insurer_no && r.insured_no == first.insured_no;
                let message = if same_numbers && r.office == first.office {
                    format!(
                        "利用者一覧で{name}（{}）が2回出てきます（{}と同じ行）",
                        crate::model::wareki::date(*birth),
                        first.source.describe()
                    )
                } else if r.office != first.office && r.office.is_some() && first.office.is_some() {
                    format!(
                        "利用者一覧で{name}（{}）が2つの事業所にあります（{}: {}、{}: {}）。計画の事業所で照合します",
                        crate::model::wareki::date(*birth),
                        first.source.describe(),
                        first.office.as_deref().unwrap_or(""),
                        r.source.describe(),
                        r.office.as_deref().unwrap_or("")
                    )
                } else {
                    format!(
                        "利用者一覧で{name}（{}）に別の番号があります（{}: {}-{}、この行: {}-{}）。どちらの番号か決められないため、この人には番号を付けません",
                        crate::model::wareki::date(*birth),
                        first.source.describe(),
                        first.insurer_no,
                        first.insured_no,
                        r.insurer_no,
                        r.insured_no
                    )
                };
                let kind =
                    if same_numbers || r.office != first.office { ProblemKind::Warning } else { ProblemKind::Value };
                problems.push(Problem::new(kind, r.source.clone(), message));
            }
        }
    }

    /// The row of a person (by name and 生年月日, within the person's office
    /// when the roster says which office a row is).
    pub fn find(&self, person: &PersonKey) -> Result<&RosterRow, Miss<'_>> {
        let Some(birth) = person.birth_date else { return Err(Miss::NoBirthDate) };
        let Some(rows) = self.by_person.get(&(person.name.clone(), birth)) else { return Err(Miss::NoRow) };
        let mut matching: Vec<&RosterRow> = rows.iter().map(|&i| &self.rows[i]).collect();
        // The same numbers twice are one person.
        matching.dedup_by(|a, b| a.insurer_no == b.insurer_no && a.insured_no == b.insured_no);
        if matching.len() > 1 {
            let in_office: Vec<&RosterRow> = matching
                .iter()
                .copied()
                .filter(|r| r.office.as_deref().is_some_and(|o| office_is(o, person)))
                .collect();
            if !in_office.is_empty() {
                matching = in_office;
            }
        }
        match matching.len() {
            1 => Ok(matching[0]),
            _ => Err(Miss::Several(matching)),
        }
    }

    /// The numbers of a person found in any office (for grouping files
    /// before offices are known): only when exactly one number pair fits.
    pub fn find_any_office(&self, person: &PersonKey) -> Option<(&str, &str)> {
        let rows = self.by_person.get(&(person.name.clone(), person.birth_date?))?;
        let first = &self.rows[*rows.first()?];
        rows.iter()
            .all(|&i| self.rows[i].insurer_no == first.insurer_no && self.rows[i].insured_no == first.insured_no)
            .then_some((first.insurer_no.as_str(), first.insured_no.as_str()))
    }

    /// A problem when the roster gives a person other numbers than the
    /// input's own (both places named).
    pub fn contradiction(&self, person: &PersonKey, insurer: &str, insured: &str, at: &Source) -> Option<Problem> {
        let row = self.find(person).ok()?;
        if row.insurer_no == insurer && row.insured_no == insured {
            return None;
        }
        Some(Problem::new(
            ProblemKind::Grouping,
            at.clone(),
            format!(
                "入力の保険者番号・被保険者番号（{insurer}-{insured}）と、利用者一覧の{}の番号（{}-{}、{}）が違います。入力の番号を使いました",
                row.name,
                row.insurer_no,
                row.insured_no,
                row.source.describe()
            ),
        ))
    }
}

/// Whether a roster row's office (番号 or 名) is the person's.
fn office_is(office: &str, person: &PersonKey) -> bool {
    let o = crate::text::norm_label(office);
    person.office == o || person.office.strip_prefix("name:") == Some(o.as_str())
}

/// The header row (first of [`HEADER_ROWS`] with a name and a number
/// column) and its columns.
fn header(rows: &[Row]) -> Option<(usize, Vec<(Col, usize)>)> {
    for (h, row) in rows.iter().enumerate().take(HEADER_ROWS) {
        let mut cols: Vec<(Col, usize)> = Vec::new();
        for (i, (text, _, _)) in row.iter().enumerate() {
            let t = crate::text::norm_label(text);
            if t.is_empty() {
                continue;
            }
            for (col, names) in COLUMNS {
                if !cols.iter().any(|(c, _)| c == col) && names.iter().any(|n| crate::text::norm_label(n) == t) {
                    cols.push((*col, i));
                    break;
                }
            }
        }
        let has = |c: Col| cols.iter().any(|(k, _)| *k == c);
        if has(Col::Name) && (has(Col::Insured) || has(Col::Insurer) || has(Col::Birth)) {
            return Some((h, cols));
        }
    }
    None
}
