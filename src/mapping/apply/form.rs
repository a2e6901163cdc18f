//! Reading a form-shaped sheet as people make them: labels found by their
//! text in any of their wordings, and each value where forms put it — after
//! the label in its own cell (`利用者名：山田花子`), in the cells right of it
//! up to the next label (a date split over 令和|7|年|4|月|1|日, a period over
//! its two ends), or below it (label row above value row); a choice group is
//! its own value (`初回・紹介・【継続】`).
//!
//! A sheet may hold several forms stacked (each from its title to the next
//! title): a [`View`] is the rows a source reads.

use crate::ingest::excel::{Cell, Region, Sheet};
use crate::mapping::schema::Labels;
use crate::mapping::Value;
use crate::text::norm_label;
use std::collections::HashSet;

/// A text cell with its label key.
#[derive(Debug, Clone)]
pub(super) struct Label {
    pub row: u32,
    pub col: u32,
    /// The text normalised (NFKC, no white space).
    pub norm: String,
    /// [`label_key`] of the text.
    pub key: String,
}

/// The rows of a sheet a source reads, and their text cells.
pub(super) struct View<'a> {
    pub sheet: &'a Sheet,
    /// One past the last row (absolute).
    pub bottom: u32,
    pub labels: Vec<Label>,
    /// The mapping's labels: a cell that a longer label names exactly is
    /// that label's, not a shorter one's with text after it
    /// (「認定有効期間開始日」 is not 「認定有効期間」 plus a value).
    pub known: Option<&'a LabelSet>,
}

impl<'a> View<'a> {
    /// The rows `top..bottom` of a sheet.
    pub fn new(sheet: &'a Sheet, top: u32, bottom: u32) -> View<'a> {
        let labels = sheet
            .cells()
            .filter(|(r, _, _)| (top..bottom).contains(r))
            .filter_map(|(r, c, cell)| match cell {
                Cell::Text(t) => {
                    let norm = norm_label(t);
                    Some(Label { row: r, col: c, key: label_key(&norm), norm })
                }
                _ => None,
            })
            .collect();
        View { sheet, bottom, labels, known: None }
    }

    /// The view, knowing the mapping's labels (see `known`).
    pub fn knowing(mut self, labels: &'a LabelSet) -> View<'a> {
        self.known = Some(labels);
        self
    }

    /// The whole sheet.
    pub fn whole(sheet: &'a Sheet) -> View<'a> {
        let (end, _) = sheet.end();
        View::new(sheet, sheet.origin.0, end)
    }

    /// The merged region a cell is in, or the cell alone.
    pub fn region(&self, row: u32, col: u32) -> Region {
        self.sheet.merged_at(row, col).copied().unwrap_or(Region { top: row, left: col, bottom: row, right: col })
    }
}

/// The choice marks people write (`初回・〇紹介・継続`, `■認定済`, `【継続】`).
const MARKS: [char; 16] = ['【', '】', '■', '□', '●', '○', '〇', '◯', '◉', '☑', '☐', '☒', '✓', '✔', '◆', '◇'];

/// How labels compare: NFKC without spaces, and without the marks, brackets
/// and separators that choice groups and bulleted headings add (`■総合的な
/// 援助の方針`, `初回・紹介・【継続】`).
pub fn label_key(normalised: &str) -> String {
    normalised
        .chars()
        .filter(|c| !MARKS.contains(c) && !matches!(c, '[' | ']' | '・' | ':' | '：' | ';' | '*'))
        .collect()
}

/// Whether a text carries choice marks: such a text is a group's value,
/// never a printed label.
pub(super) fn has_marks(text: &str) -> bool {
    text.contains(MARKS)
}

/// A label found on a sheet.
#[derive(Debug, Clone)]
pub(super) struct Found<'l> {
    pub row: u32,
    pub col: u32,
    /// The cell's text is the label (marks aside), not more.
    pub exact: bool,
    /// The alternative that matched, as the mapping wrote it.
    pub alt: &'l str,
    /// All the label's wordings: a choice group printed with one of them is
    /// this field's value, while another field's group ends a value.
    pub labels: &'l Labels,
    /// The field reads a choice group: a label cell with marks is its value
    /// (`初回・紹介・【継続】`), where for other fields marks are bullets
    /// (`■総合的な援助の方針`).
    pub choice: bool,
    /// The field takes its part of the cell by a `pattern`: the label's
    /// own cell is kept whole, not cut at the next label in it.
    pub whole_cell: bool,
}

impl Found<'_> {
    /// Whether a cell's label key is one of this label's wordings.
    fn is_own(&self, key: &str) -> bool {
        self.labels.all().iter().any(|alt| label_key(&norm_label(alt)) == key)
    }
}

/// The first cell (row by row) holding one of the label's wordings —
/// exactly (marks aside) first, then as the start of a longer text — at or
/// after `after` when given.
pub(super) fn find<'l>(view: &View, labels: &'l Labels, after: Option<(u32, u32)>) -> Option<Found<'l>> {
    let scope = |l: &&Label| after.is_none_or(|a| (l.row, l.col) > a);
    for alt in labels.all() {
        let key = label_key(&norm_label(alt));
        if key.is_empty() {
            continue;
        }
        if let Some(l) = view.labels.iter().filter(scope).find(|l| l.key == key) {
            return Some(Found { row: l.row, col: l.col, exact: true, alt, labels, choice: false, whole_cell: false });
        }
    }
    for alt in labels.all() {
        let key = label_key(&norm_label(alt));
        if key.is_empty() {
            continue;
        }
        let claimed = |l: &&Label| view.known.is_some_and(|k| k.names_longer(&l.key, &key));
        if let Some(l) = view.labels.iter().filter(scope).find(|l| l.key.starts_with(&key) && !claimed(l)) {
            return Some(Found { row: l.row, col: l.col, exact: false, alt, labels, choice: false, whole_cell: false });
        }
    }
    None
}

/// The labels of a mapping, which end a value that runs across cells.
#[derive(Debug, Clone, Default)]
pub struct LabelSet {
    /// Longer labels end a value when a cell starts with them.
    long: Vec<String>,
    /// Labels of one or two characters (本人, 家族, 殿…) only when a cell is
    /// exactly them: values often start with such words.
    short: HashSet<String>,
}

impl LabelSet {
    pub fn new<'a>(labels: impl IntoIterator<Item = &'a str>) -> LabelSet {
        let mut set = LabelSet::default();
        for l in labels {
            let key = label_key(&norm_label(l));
            match key.chars().count() {
                0 => {}
                1 | 2 => {
                    set.short.insert(key);
                }
                _ => {
                    if !set.long.contains(&key) {
                        set.long.push(key);
                    }
                }
            }
        }
        set
    }

    /// Whether a label longer than `key` names the cell `cell` (so the cell
    /// is that label, not `key` with text after it).
    pub fn names_longer(&self, cell: &str, key: &str) -> bool {
        self.long.iter().any(|l| l.len() > key.len() && l.starts_with(key) && cell.starts_with(l.as_str()))
    }

    /// Whether a cell (its label key) is a label.
    pub fn is_label(&self, key: &str) -> bool {
        !key.is_empty() && (self.short.contains(key) || self.long.iter().any(|l| key.starts_with(l.as_str())))
    }
}

/// A value read from one or more cells, and the first cell it came from.
#[derive(Debug, Clone)]
pub(super) struct Read {
    pub value: Value,
    pub row: u32,
    pub col: u32,
}

/// A cell's value as it joins others: booleans (a check box's cell) as the
/// marks people write.
fn part(cell: &Cell) -> Option<Value> {
    let v = match cell {
        Cell::Empty => return None,
        Cell::Text(s) if s.trim_matches([' ', '\u{3000}', '\t', '\r', '\n']).is_empty() => return None,
        Cell::Text(s) => Value::text(s.clone()),
        Cell::Number(n) => Value::Number(*n),
        Cell::Bool(b) => Value::text(if *b { "☑" } else { "☐" }),
        Cell::Date(d) => Value::Date(*d),
        Cell::DateTime(dt) => Value::Date(dt.date()),
        Cell::Error(e) => Value::text(e.clone()),
    };
    Some(v)
}

/// Joins the parts of one value: one part keeps its kind (a date cell stays a
/// date), several are text joined with spaces.
fn join(parts: Vec<(Value, u32, u32)>) -> Option<Read> {
    let (row, col) = parts.first().map(|(_, r, c)| (*r, *c))?;
    let value = if parts.len() == 1 {
        parts.into_iter().next().map(|(v, _, _)| v).unwrap_or(Value::Empty)
    } else {
        Value::text(parts.iter().map(|(v, _, _)| v.display()).collect::<Vec<_>>().join(" "))
    };
    Some(Read { value, row, col })
}

/// The cells of row `row` from column `from` rightwards, up to the next label
/// or the end of `to` (inclusive), merged regions read once at their top-left.
/// A marked choice group ends the run too when it is another field's
/// (`初回・紹介・【継続】` right of a 被保険者番号), not when it is `found`'s own.
fn run(view: &View, found: &Found, stop: &LabelSet, row: u32, from: u32, to: u32) -> Vec<(Value, u32, u32)> {
    let mut out = Vec::new();
    let mut c = from;
    while c <= to {
        // A hidden column ends the value: what lies beyond is not the form's.
        if view.sheet.is_hidden_col(c) {
            break;
        }
        let region = view.region(row, c);
        if region.top == row && region.left == c {
            let cell = view.sheet.get(row, c);
            if let Cell::Text(t) = cell {
                let key = label_key(&norm_label(t));
                if stop.is_label(&key) && (!has_marks(t) || !found.is_own(&key)) {
                    break;
                }
            }
            if let Some(v) = part(cell) {
                out.push((v, row, c));
            }
        } else if region.top != row {
            // Inside a region merged down from a row above: not this row's.
        }
        c = region.right.max(c) + 1;
    }
    out
}

/// The value of a label found on a sheet, where forms put it.
pub(super) fn value_of(view: &View, found: &Found, stop: &LabelSet) -> Option<Read> {
    let (r, c) = (found.row, found.col);
    let text = match view.sheet.get(r, c) {
        Cell::Text(t) => t.as_str(),
        _ => "",
    };
    // In the label's own cell: `利用者名：山田花子`, up to the next label
    // written with its colon in the same cell (`本人：出席　家族：欠席`).
    if !found.exact {
        if let Some(rest) = strip_label(text, found.alt) {
            let rest = if found.whole_cell { rest } else { cut_at_label(&rest, stop) };
            return Some(Read { value: Value::text(rest), row: r, col: c });
        }
    } else if found.choice && norm_label(text) != norm_label(found.alt) {
        // A choice group is its own value: `初回・紹介・【継続】`.
        return Some(Read { value: Value::text(text.trim().to_string()), row: r, col: c });
    }
    let label = view.region(r, c);
    let (_, end_col) = view.sheet.end();
    // Right of the label, on each row it spans (a label merged down over
    // rows of unmerged value lines); up to the next label.
    let mut lines = Vec::new();
    for row in label.top..=label.bottom {
        let parts = run(view, found, stop, row, label.right + 1, end_col.saturating_sub(1));
        if !parts.is_empty() {
            lines.push(parts);
        }
    }
    if lines.len() == 1 {
        return join(lines.pop().unwrap_or_default());
    }
    if lines.len() > 1 {
        let first = lines.first().and_then(|l| l.first()).map(|(_, r, c)| (*r, *c)).unwrap_or((r, c));
        let text: Vec<String> =
            lines.iter().map(|l| l.iter().map(|(v, _, _)| v.display()).collect::<Vec<_>>().join(" ")).collect();
        return Some(Read { value: Value::text(text.join("\n")), row: first.0, col: first.1 });
    }
    // An empty value slot right of the label (a merged box): the value is
    // empty, not somewhere else. A merged box holding the next label is no
    // slot (label row above value row).
    let right = view.region(label.top, label.right + 1);
    let slot_empty = matches!(view.sheet.get(right.top, right.left), Cell::Empty);
    if slot_empty && (right.right > right.left || right.bottom > right.top) {
        return None;
    }
    // Below the label, under its width: the label row above the value row
    // (only cells within the label's width: a value box wider than the
    // label below it belongs to the next row's label).
    let below = label.bottom + 1;
    let within = |c: u32| {
        let r = view.region(below, c);
        r.left >= label.left && r.right <= label.right
    };
    if below < view.bottom && (label.left..=label.right).all(within) {
        let first_key = view
            .labels
            .iter()
            .find(|l| l.row == below && (label.left..=label.right).contains(&l.col))
            .map(|l| (l.key.as_str(), has_marks(&l.norm)));
        if first_key.is_none_or(|(k, marked)| !stop.is_label(k) || (marked && found.is_own(k))) {
            let parts = run(view, found, stop, below, label.left, label.right);
            if let Some(read) = join(parts) {
                return Some(read);
            }
        }
    }
    None
}

/// The first cell (row by row) whose text (NFKC, no white space) `re`
/// matches, and the match's first group (or the whole match). When several
/// cells of that row match (a choice group printed one option per cell:
/// `☐|初回|☐|紹介|☑|継続`), the value is the row from the cell before the
/// first option to the last option, joined, so that the marks beside the
/// options are read with them.
pub(super) fn matching_cell(view: &View, re: &regex::Regex) -> Option<Read> {
    let first = view.labels.iter().find(|l| re.is_match(&l.norm))?;
    let last = view.labels.iter().filter(|l| l.row == first.row && re.is_match(&l.norm)).map(|l| l.col).max()?;
    if last == first.col {
        let m = super::first_group(re, &first.norm)?;
        return Some(Read { value: Value::text(m), row: first.row, col: first.col });
    }
    let mut parts = Vec::new();
    for c in first.col.saturating_sub(1)..=last {
        let region = view.region(first.row, c);
        if region.top == first.row && region.left == c {
            if let Some(v) = part(view.sheet.get(first.row, c)) {
                parts.push(v.display());
            }
        }
    }
    Some(Read { value: Value::text(parts.join(" ")), row: first.row, col: first.col })
}

/// The value `offset` cells from a label (the label's merged region edge),
/// `span` cells from there joined: the mapping says exactly where.
pub(super) fn value_at(view: &View, found: &Found, offset: [i32; 2], span: u32) -> Option<Read> {
    let region = view.region(found.row, found.col);
    let row =
        if offset[0] > 0 { region.bottom as i64 + offset[0] as i64 } else { region.top as i64 + offset[0] as i64 };
    let col =
        if offset[1] > 0 { region.right as i64 + offset[1] as i64 } else { region.left as i64 + offset[1] as i64 };
    if row < 0 || col < 0 || row > u32::MAX as i64 || col > u32::MAX as i64 {
        return None;
    }
    let (row, col) = (row as u32, col as u32);
    if span <= 1 {
        let v = part(view.sheet.shown(row, col)).unwrap_or(Value::Empty);
        return Some(Read { value: v, row, col });
    }
    let mut parts = Vec::new();
    let mut cc = col;
    for _ in 0..span {
        if let Some(v) = part(view.sheet.shown(row, cc)) {
            parts.push((v, row, cc));
        }
        cc = view.sheet.merged_at(row, cc).map_or(cc, |m| m.right) + 1;
    }
    join(parts).or(Some(Read { value: Value::Empty, row, col }))
}

/// A value written in one cell with another label after it: the text
/// before `<label>：` (a label the mapping knows, after white space).
fn cut_at_label(text: &str, stop: &LabelSet) -> String {
    for (i, ch) in text.char_indices() {
        if ch != '：' && ch != ':' {
            continue;
        }
        let before = &text[..i];
        let start = before
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
        if start == 0 {
            continue;
        }
        let word = &before[start..];
        if stop.is_label(&label_key(&norm_label(word))) {
            return text[..start].trim_end().to_string();
        }
    }
    text.to_string()
}

/// `利用者名：山田　花子` minus its label, if the label starts the text and a
/// separator (colon, semicolon or space) follows it. Text right after the
/// label without a separator, such as `残された課題（次回の開催時期）`, is part
/// of the label.
pub(super) fn strip_label(text: &str, label: &str) -> Option<String> {
    const SEPARATORS: [char; 8] = [' ', '\u{3000}', ':', '：', '\t', '\n', ';', '；'];
    let want = label_key(&norm_label(label));
    let mut seen = String::new();
    // Leading bullets and marks (■総合的な援助の方針) are not part of the label.
    let start = text.find(|c: char| !label_key(&c.to_string()).is_empty() || c.is_alphanumeric()).unwrap_or(0);
    for (i, ch) in text[start..].char_indices() {
        let i = start + i;
        if seen == want {
            let rest = &text[i..];
            if !rest.starts_with(SEPARATORS) {
                return None;
            }
            let rest = rest.trim_start_matches(SEPARATORS).trim_end();
            return (!rest.is_empty()).then(|| rest.to_string());
        }
        seen.push_str(&label_key(&norm_label(&ch.to_string())));
        if !want.starts_with(&seen) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_values_need_a_separator() {
        assert_eq!(strip_label("利用者名：山田　花子　殿", "利用者名").as_deref(), Some("山田　花子　殿"));
        assert_eq!(strip_label("利用者名　山田", "利用者名").as_deref(), Some("山田"));
        assert_eq!(strip_label("■認定審査会の意見：なし", "認定審査会の意見").as_deref(), Some("なし"));
        assert_eq!(strip_label("作成者 ;　介護太郎", "作成者").as_deref(), Some("介護太郎"));
        assert_eq!(strip_label("残された課題（次回の開催時期）", "残された課題"), None);
        assert_eq!(strip_label("利用者名", "利用者名"), None);
        assert_eq!(strip_label("利用者", "利用者名"), None);
    }

    #[test]
    fn labels_compare_without_marks_and_spacing() {
        assert_eq!(label_key(&norm_label("初回 ・ 紹介 ・【継続】")), "初回紹介継続");
        assert_eq!(label_key(&norm_label("○認定済・申請中")), "認定済申請中");
        assert_eq!(label_key(&norm_label("方　　　針")), "方針");
        let set = LabelSet::new(["本人", "利用者名", "生年月日"]);
        assert!(set.is_label("本人"));
        assert!(!set.is_label("本人が入浴できる"));
        assert!(set.is_label("生年月日明大昭"));
        assert!(!set.is_label("山田花子"));
    }
}
