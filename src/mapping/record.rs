//! Records: what one CSV record, table row, grid slot or form sheet gives.
//!
//! Records are the mapping layer's bulk data (hundreds of thousands per
//! nightly run), so they are compact: field ids instead of names, all text
//! of a record in one buffer, CSV positions derived from the line and the
//! mapping's column instead of stored per value, and file names shared.

use super::schema::Target;
use super::value::{Period, Value};
use crate::diag::Source;
use crate::model::fields::F;
use chrono::NaiveDate;
use std::sync::Arc;

/// What all records of one mapping source share.
#[derive(Debug, Clone)]
pub struct RecordMeta {
    pub target: Target,
    pub mapping: Arc<str>,
    pub source_id: Arc<str>,
    pub fill_down: Vec<F>,
    pub order_by: Vec<F>,
    /// CSV: the 1-based column each field is read from (0: none), by field id.
    pub columns: Vec<u32>,
    /// CSV: the column of each `extra.*` field.
    pub extra_columns: Vec<u32>,
    /// Labels of `extra.*` fields, indexed by `Key::Extra`.
    pub extra_labels: Vec<Arc<str>>,
    /// The catalogue fields this source declares (bit = field id), so a
    /// plan knows what its inputs could carry at all.
    pub declared: u128,
}

impl RecordMeta {
    pub fn new(
        target: Target,
        mapping: &str,
        source_id: &str,
        fill_down: Vec<F>,
        order_by: Vec<F>,
        extra_labels: Vec<Arc<str>>,
    ) -> RecordMeta {
        RecordMeta {
            target,
            mapping: mapping.into(),
            source_id: source_id.into(),
            fill_down,
            order_by,
            columns: vec![0; crate::model::fields::F_NAMES.len()],
            extra_columns: vec![0; extra_labels.len()],
            extra_labels,
            declared: 0,
        }
    }

    pub fn set_column(&mut self, key: Key, column: u32) {
        let slot = match key {
            Key::Field(f) => self.columns.get_mut(f as usize),
            Key::Extra(i) => self.extra_columns.get_mut(i as usize),
        };
        if let Some(c) = slot {
            *c = column;
        }
    }

    fn column(&self, key: Key) -> Option<u32> {
        let c = match key {
            Key::Field(f) => self.columns.get(f as usize),
            Key::Extra(i) => self.extra_columns.get(i as usize),
        };
        c.copied().filter(|c| *c > 0)
    }
}

// Field presence is a 128-bit mask (see `Record::find`).
const _: () = assert!(crate::model::fields::F_NAMES.len() <= 128, "Record's field mask holds 128 field ids");

/// A field of a record: a catalogue field or an `extra.*` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Field(F),
    Extra(u16),
}

/// A borrowed value (see [`Record::view`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View<'a> {
    Text(&'a str),
    Date(NaiveDate),
    /// The bits of the f64, so equal numbers hash alike.
    Num(u64),
    Time(u16),
    Other(&'a Value),
}

impl std::hash::Hash for View<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        match self {
            View::Text(s) => s.hash(h),
            View::Date(d) => d.hash(h),
            View::Num(n) => n.hash(h),
            View::Time(t) => t.hash(h),
            View::Other(v) => v.hash(h),
        }
    }
}

/// A stored value. Text lives in the record's buffer.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    Text(u32, u32),
    Date(NaiveDate),
    Num(f64),
    Time(u16),
    Other(Box<Value>),
}

/// What few records carry: Excel positions, copied values, lists.
#[derive(Debug, Clone, Default)]
struct Rare {
    sheet: Option<Arc<str>>,
    /// The record's first cell (Excel).
    cell: Option<(u32, u32)>,
    /// The cell each field was read from.
    cells: Vec<(Key, (u32, u32))>,
    /// Values copied from another record (fill-down, a workbook's key) keep
    /// their own position.
    copied: Vec<(Key, Source)>,
    /// Lists of sub-records (第4表 会議出席者).
    lists: Vec<List>,
    /// The sheet's index in its workbook and its group (see `Record::set_group`).
    group: Option<(u32, Arc<str>)>,
}

/// A list field with its rows of (field, value, position).
pub type List = (F, Vec<Vec<(F, Value, Source)>>);

#[derive(Debug, Clone)]
pub struct Record {
    pub meta: Arc<RecordMeta>,
    file: Arc<str>,
    /// CSV: the 1-based line the record starts on (0 for sheets).
    line: u32,
    /// Index of the input file in the run (records of one workbook share it).
    pub file_index: u32,
    /// Reading order inside the file.
    pub seq: u64,
    buf: String,
    /// Catalogue fields in id order; `mask` says which ids they are.
    slots: Vec<Slot>,
    /// Which catalogue fields are present: a field's slot index is the number
    /// of present fields with a smaller id, so lookups cost one popcount.
    mask: u128,
    /// `extra.*` fields by label index.
    /// Inline: every standard-CSV record carries one (its
    /// `meta.更新業者コード`), which a heap vector allocated per record.
    extra: smallvec::SmallVec<[(u16, Slot); 1]>,
    rare: Option<Box<Rare>>,
}

impl Record {
    /// A CSV record sized for `text` bytes of text in `fields` fields.
    pub fn csv(
        meta: Arc<RecordMeta>,
        file_index: usize,
        file: Arc<str>,
        line: u64,
        text: usize,
        fields: usize,
    ) -> Record {
        Record {
            meta,
            file,
            line: line.min(u32::MAX as u64) as u32,
            file_index: file_index as u32,
            seq: line,
            buf: String::with_capacity(text),
            slots: Vec::with_capacity(fields),
            mask: 0,
            extra: smallvec::SmallVec::new(),
            rare: None,
        }
    }

    /// A record read from a sheet, starting at `cell`.
    pub fn sheet(
        meta: Arc<RecordMeta>,
        file_index: usize,
        file: Arc<str>,
        sheet: Arc<str>,
        cell: Option<(u32, u32)>,
        seq: u64,
    ) -> Record {
        let mut r = Record::csv(meta, file_index, file, 0, 0, 0);
        r.seq = seq;
        r.rare = Some(Box::new(Rare { sheet: Some(sheet), cell, ..Rare::default() }));
        r
    }

    /// The sheet's group in its workbook (`第1表 (2)` → `2`) and the sheet's
    /// index: sheets of one group are one person's plan.
    pub fn set_group(&mut self, sheet_index: u32, group: Arc<str>) {
        self.rare_mut().group = Some((sheet_index, group));
    }

    /// See [`set_group`](Self::set_group).
    pub fn group(&self) -> Option<(u32, &str)> {
        self.rare.as_ref().and_then(|r| r.group.as_ref()).map(|(i, g)| (*i, &**g))
    }

    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Where the record starts: (file, line) or (file, sheet, first cell).
    pub fn source(&self) -> Source {
        let mut s = Source::file(self.file.clone());
        if self.line > 0 {
            s.line = Some(self.line as u64);
        }
        if let Some(r) = &self.rare {
            s.sheet = r.sheet.clone();
            s.cell = r.cell.map(|(row, col)| crate::diag::a1(row, col));
        }
        s
    }

    /// Whether the record was read from a sheet (Excel).
    pub fn from_sheet(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.sheet.is_some())
    }

    pub fn lists(&self) -> &[List] {
        self.rare.as_ref().map_or(&[], |r| &r.lists)
    }

    pub fn set_lists(&mut self, lists: Vec<List>) {
        if !lists.is_empty() {
            self.rare_mut().lists = lists;
        }
    }

    pub fn target(&self) -> Target {
        self.meta.target
    }

    fn index(&self, f: F) -> Option<usize> {
        let bit = 1u128 << (f as u32);
        (self.mask & bit != 0).then(|| (self.mask & (bit - 1)).count_ones() as usize)
    }

    fn slot(&self, key: Key) -> Option<&Slot> {
        match key {
            Key::Field(f) => self.index(f).map(|i| &self.slots[i]),
            Key::Extra(e) => self.extra.iter().find(|(k, _)| *k == e).map(|(_, s)| s),
        }
    }

    fn text_slot(&mut self, s: &str) -> Slot {
        let start = self.buf.len() as u32;
        self.buf.push_str(s);
        Slot::Text(start, self.buf.len() as u32)
    }

    /// Stores text without an intermediate allocation.
    pub fn push_str(&mut self, key: Key, s: &str, cell: Option<(u32, u32)>) {
        if s.is_empty() {
            return;
        }
        let slot = self.text_slot(s);
        self.push_slot(key, slot, cell);
    }

    /// Like [`push_str`](Self::push_str) for a key the record does not have
    /// yet (a CSV record reads each field once, in id order): appends.
    pub fn push_new_str(&mut self, key: Key, s: &str) {
        if s.is_empty() {
            return;
        }
        let slot = self.text_slot(s);
        match key {
            Key::Field(f) if self.mask >> (f as u32) == 0 => {
                self.mask |= 1u128 << (f as u32);
                self.slots.push(slot);
            }
            _ => self.push_slot(key, slot, None),
        }
    }

    /// Stores a value; an empty value is not stored.
    pub fn push(&mut self, key: Key, v: Value, cell: Option<(u32, u32)>) {
        let slot = match v {
            Value::Empty => return,
            Value::Text(s) => return self.push_str(key, &s, cell),
            Value::Date(d) => Slot::Date(d),
            Value::Number(n) => Slot::Num(n),
            Value::Time(t) => Slot::Time(t),
            other if other.is_empty() => return,
            other => Slot::Other(Box::new(other)),
        };
        self.push_slot(key, slot, cell);
    }

    fn push_slot(&mut self, key: Key, slot: Slot, cell: Option<(u32, u32)>) {
        match key {
            Key::Field(f) => match self.index(f) {
                Some(i) => self.slots[i] = slot,
                None => {
                    let bit = 1u128 << (f as u32);
                    let at = (self.mask & (bit - 1)).count_ones() as usize;
                    self.mask |= bit;
                    self.slots.insert(at, slot);
                }
            },
            Key::Extra(e) => match self.extra.iter_mut().find(|(k, _)| *k == e) {
                Some(x) => x.1 = slot,
                None => self.extra.push((e, slot)),
            },
        }
        if let Some(r) = &mut self.rare {
            r.cells.retain(|(k, _)| *k != key);
        }
        if let Some(c) = cell {
            self.rare_mut().cells.push((key, c));
        }
    }

    /// Stores a value taken from another record, keeping its position.
    /// Whether a field's value was copied from another record (a
    /// workbook's key, a value filled down) rather than read here.
    pub fn is_copied(&self, f: F) -> bool {
        self.rare.as_ref().is_some_and(|r| r.copied.iter().any(|(k, _)| *k == Key::Field(f)))
    }

    pub fn push_copied(&mut self, key: Key, v: Value, src: Source) {
        self.push(key, v, None);
        let rare = self.rare_mut();
        rare.copied.retain(|(k, _)| *k != key);
        rare.copied.push((key, src));
    }

    /// A field's value and position, to copy into another record.
    pub fn take_copy(&self, key: Key) -> Option<(Value, Source)> {
        Some((self.get(key)?, self.source_of_key(key)?))
    }

    /// A field's value borrowed, for comparing and hashing without copies.
    pub fn view(&self, f: F) -> Option<View<'_>> {
        Some(self.view_slot(self.slot(Key::Field(f))?))
    }

    fn view_slot<'a>(&'a self, s: &'a Slot) -> View<'a> {
        match s {
            Slot::Text(a, b) => View::Text(&self.buf[*a as usize..*b as usize]),
            Slot::Date(d) => View::Date(*d),
            Slot::Num(n) => View::Num(n.to_bits()),
            Slot::Time(t) => View::Time(*t),
            Slot::Other(v) => View::Other(v),
        }
    }

    pub fn has(&self, f: F) -> bool {
        self.index(f).is_some()
    }

    pub fn has_key(&self, key: Key) -> bool {
        self.slot(key).is_some()
    }

    fn slot_value(&self, s: &Slot) -> Value {
        match s {
            Slot::Text(a, b) => Value::Text(self.buf[*a as usize..*b as usize].to_string()),
            Slot::Date(d) => Value::Date(*d),
            Slot::Num(n) => Value::Number(*n),
            Slot::Time(t) => Value::Time(*t),
            Slot::Other(v) => (**v).clone(),
        }
    }

    pub fn get(&self, key: Key) -> Option<Value> {
        self.slot(key).map(|s| self.slot_value(s))
    }

    pub fn value(&self, f: F) -> Option<Value> {
        self.get(Key::Field(f))
    }

    /// Text of a text field, borrowed.
    pub fn str(&self, f: F) -> Option<&str> {
        match self.slot(Key::Field(f))? {
            Slot::Text(a, b) => Some(&self.buf[*a as usize..*b as usize]),
            _ => None,
        }
    }

    /// Any value as the text a person reads (dates ISO, times HH:MM).
    pub fn text(&self, f: F) -> Option<String> {
        match self.slot(Key::Field(f))? {
            Slot::Text(a, b) => Some(self.buf[*a as usize..*b as usize].to_string()),
            s => Some(self.slot_value(s).display()),
        }
    }

    pub fn date(&self, f: F) -> Option<NaiveDate> {
        match self.slot(Key::Field(f))? {
            Slot::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn int(&self, f: F) -> Option<i64> {
        match self.slot(Key::Field(f))? {
            Slot::Num(n) if n.fract() == 0.0 => Some(*n as i64),
            Slot::Text(a, b) => self.buf[*a as usize..*b as usize].trim().parse().ok(),
            _ => None,
        }
    }

    pub fn num(&self, f: F) -> Option<f64> {
        match self.slot(Key::Field(f))? {
            Slot::Num(n) => Some(*n),
            Slot::Text(a, b) => self.buf[*a as usize..*b as usize].trim().parse().ok(),
            _ => None,
        }
    }

    pub fn period(&self, f: F) -> Option<&Period> {
        match self.slot(Key::Field(f))? {
            Slot::Other(v) => match &**v {
                Value::Period(p) => Some(p),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn parts(&self, f: F) -> Option<&[(String, String)]> {
        match self.slot(Key::Field(f))? {
            Slot::Other(v) => match &**v {
                Value::Parts(p) => Some(p),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn source_of(&self, f: F) -> Option<Source> {
        self.source_of_key(Key::Field(f))
    }

    fn source_of_key(&self, key: Key) -> Option<Source> {
        self.slot(key)?;
        if let Some(r) = &self.rare {
            if let Some((_, s)) = r.copied.iter().find(|(k, _)| *k == key) {
                return Some(s.clone());
            }
        }
        let mut s = self.source();
        match self.rare.as_ref().and_then(|r| r.cells.iter().find(|(k, _)| *k == key)) {
            Some((_, (row, col))) => s.cell = Some(crate::diag::a1(*row, *col)),
            None => s.column = self.meta.column(key),
        }
        Some(s)
    }

    /// Keys of all stored fields: catalogue fields in id order, then extras.
    fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        let mut mask = self.mask;
        std::iter::from_fn(move || {
            (mask != 0).then(|| {
                let id = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                id
            })
        })
        .filter_map(F::from_index)
        .map(Key::Field)
        .chain(self.extra.iter().map(|(e, _)| Key::Extra(*e)))
    }

    /// Every stored field: its name (catalogue name or `extra.<label>`), value and position.
    pub fn fields(&self) -> impl Iterator<Item = (String, Value, Source)> + '_ {
        self.keys().filter_map(move |k| {
            let name = match k {
                Key::Field(f) => f.name().to_string(),
                Key::Extra(i) => {
                    format!("extra.{}", self.meta.extra_labels.get(i as usize).map(|l| &**l).unwrap_or(""))
                }
            };
            Some((name, self.get(k)?, self.source_of_key(k).unwrap_or_default()))
        })
    }

    /// `extra.*` and `meta.*` fields: (label, value as text). Text is
    /// borrowed from the record: every record of a standard CSV carries its
    /// `meta.更新業者コード`, so this runs once per record.
    pub fn extras(&self) -> impl Iterator<Item = (&str, std::borrow::Cow<'_, str>)> + '_ {
        self.extra.iter().map(move |(i, s)| {
            let text = match s {
                Slot::Text(a, b) => std::borrow::Cow::Borrowed(&self.buf[*a as usize..*b as usize]),
                s => std::borrow::Cow::Owned(self.slot_value(s).display()),
            };
            (self.meta.extra_labels.get(*i as usize).map(|l| &**l).unwrap_or(""), text)
        })
    }

    /// Whether the record has an `extra.*` field (one for its table, not the
    /// plan's `meta.*`).
    pub fn has_table_extra(&self) -> bool {
        self.extra.iter().any(|(i, _)| {
            self.meta.extra_labels.get(*i as usize).is_some_and(|l| !l.starts_with(crate::model::fields::META_PREFIX))
        })
    }

    /// Catalogue fields that are set, in id order.
    pub fn field_ids(&self) -> impl Iterator<Item = F> + '_ {
        self.keys().filter_map(|k| match k {
            Key::Field(f) => Some(f),
            Key::Extra(_) => None,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty() && self.extra.is_empty() && self.lists().is_empty()
    }

    /// A hash of the record's content (target, source, values; not positions)
    /// for duplicate detection.
    pub fn content_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        self.meta.target.hash(&mut h);
        self.meta.source_id.hash(&mut h);
        self.mask.hash(&mut h);
        for s in &self.slots {
            self.view_slot(s).hash(&mut h);
        }
        for (e, s) in &self.extra {
            e.hash(&mut h);
            self.view_slot(s).hash(&mut h);
        }
        self.lists().len().hash(&mut h);
        h.finish()
    }

    /// Same content (target, source, values, lists); positions are ignored.
    pub fn same_content(&self, other: &Record) -> bool {
        if self.meta.target != other.meta.target
            || self.meta.source_id != other.meta.source_id
            || self.mask != other.mask
            || self.extra.len() != other.extra.len()
        {
            return false;
        }
        let (la, lb) = (self.lists(), other.lists());
        let same_lists = la.len() == lb.len()
            && la.iter().zip(lb).all(|((fa, a), (fb, b))| {
                fa == fb
                    && a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(ra, rb)| ra.iter().map(|(f, v, _)| (f, v)).eq(rb.iter().map(|(f, v, _)| (f, v))))
            });
        same_lists
            && self.slots.iter().zip(&other.slots).all(|(a, b)| self.view_slot(a) == other.view_slot(b))
            && self.extra.iter().all(|(e, s)| match other.slot(Key::Extra(*e)) {
                Some(o) => self.view_slot(s) == other.view_slot(o),
                None => false,
            })
    }
}
