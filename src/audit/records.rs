//! Reading the process records: what a 第5表 entry is (a home visit, a
//! monitoring, a 照会), where the plan records the 主治医's opinion, and the
//! texts of 第1・4・5表 that rules search for a record (例外給付, 軽微な変更…).
//! The words are `[records]` of `mappings/audit-constants.toml`.

use super::constants::Records;
use super::words::VocabSet;
use super::Cx;
use crate::diag::Source;
use crate::model::ProgressEntry;
use crate::text::norm_cow;
use chrono::NaiveDate;
use std::borrow::Cow;

/// A 第5表 entry as the rules read it.
pub struct Entry<'a> {
    pub entry: &'a ProgressEntry,
    pub date: Option<NaiveDate>,
    /// 項目 and 内容 normalised, joined by `\n`.
    pub text: String,
    pub home_visit: bool,
    pub monitoring: bool,
}

/// Whether an entry (項目, 内容 normalised) records a visit to the home: its
/// 項目 names the visit and no other means (電話, FAX, 来所, 同行 …), or its
/// content says the home was visited. Service names with 訪問 (訪問看護 …)
/// and others' visits (訪問時, 訪問予定) are taken out first.
pub fn is_home_visit(r: &Records, item: &str, content: &str) -> bool {
    let item = r.visit_services.replace(item, "□");
    if r.other_means.any(&item) {
        return false;
    }
    if r.visit_items.any(&item) {
        return true;
    }
    let content = r.visit_services.replace(content, "□");
    r.visit_phrases.any(&content)
}

/// The plan's 第5表 entries, read.
pub fn entries<'a>(cx: &Cx<'a>) -> Vec<Entry<'a>> {
    let r = &cx.constants.records;
    cx.plan
        .table5
        .iter()
        .map(|e| {
            let item = e.item.as_deref().map(norm_cow).unwrap_or_default();
            let content = e.content.as_deref().map(norm_cow).unwrap_or_default();
            let home_visit = is_home_visit(r, &item, &content);
            let text = format!("{item}\n{content}");
            let monitoring = home_visit && r.monitoring.any(&r.visit_services.replace(&text, "□"));
            Entry { entry: e, date: e.date, text, home_visit, monitoring }
        })
        .collect()
}

/// A text of the plan where a record may be written, normalised, with where
/// it is and what it is (for messages).
pub struct Written<'a> {
    pub text: Cow<'a, str>,
    pub source: Source,
    pub what: &'static str,
    pub date: Option<NaiveDate>,
}

/// The texts of the 第1表 方針, the 第4表 meetings and the 第5表 entries.
pub fn written<'a>(cx: &Cx<'a>) -> Vec<Written<'a>> {
    let p = cx.plan;
    let mut out = Vec::new();
    if let Some(t) = &p.table1.policy {
        out.push(Written {
            text: norm_cow(t),
            source: super::rules::t1_source(p, "policy"),
            what: "第1表",
            date: p.key.plan_date,
        });
    }
    // A record's parts normalised one after the other: what normalising
    // them joined by line breaks gives (a line break stops NFKC composing
    // across it, and normalising drops it), without the joined copy.
    fn join<'t>(parts: impl Iterator<Item = &'t Option<String>>) -> String {
        let mut t = String::new();
        for s in parts.flatten() {
            t.push_str(&norm_cow(s));
        }
        t
    }
    for m in &p.table4 {
        let people = m.attendees.iter().flat_map(|a| [&a.affiliation, &a.name]);
        out.push(Written {
            text: Cow::Owned(join(people.chain([&m.items, &m.discussion, &m.conclusion, &m.remaining]))),
            source: m.source.clone(),
            what: "第4表",
            date: m.held_on,
        });
    }
    for e in &p.table5 {
        out.push(Written {
            text: Cow::Owned(join([&e.item, &e.content].into_iter())),
            source: e.source.clone(),
            what: "第5表",
            date: e.date,
        });
    }
    out
}

/// Whether a 第4表 is a blank form: no date, attendee, place or note. It
/// records no meeting (PR-05 counts none; the T4- rules skip it).
pub fn blank_meeting(m: &crate::model::Meeting) -> bool {
    let empty = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    m.held_on.is_none()
        && m.attendees.is_empty()
        && [&m.place, &m.time, &m.count, &m.items, &m.discussion, &m.conclusion, &m.remaining].into_iter().all(empty)
}

/// Whether a normalised text has a sentence naming the 主治医 (or a
/// doctor) together with their opinion, instruction, a 照会 or the plan
/// handed to them.
pub fn doctor_opinion(r: &Records, text: &str) -> bool {
    // Most texts name no doctor: one search of the shorter list says so.
    if !r.doctors.any(text) {
        return false;
    }
    // Where the text names a doctor (bit 0) and an opinion (bit 1), in one
    // pass; then whether one sentence (up to 。 or a line break) holds both
    // wholly.
    let words: smallvec::SmallVec<[(usize, usize, u64); 8]> = r.doctor_words.occurrences(text).collect();
    if VocabSet::within(&words, 0, text.len()) != 3 {
        return false;
    }
    let mut start = 0;
    for part in text.split(['。', '\n']) {
        let end = start + part.len();
        if VocabSet::within(&words, start, end) == 3 {
            return true;
        }
        // Past the separator (。 is three bytes, a line break one).
        start = end + text[end..].chars().next().map_or(0, char::len_utf8);
    }
    false
}

/// Where the plan records the 主治医's opinion or instruction: 第1表, a
/// 第4表 attendee or note, a 第5表 entry, or a 第2表 row (「主治医の指示のもと」).
pub fn doctor_evidence(cx: &Cx) -> Option<&'static str> {
    let r = &cx.constants.records;
    for w in cx.written() {
        if doctor_opinion(r, &w.text) {
            return Some(w.what);
        }
    }
    for m in &cx.plan.table4 {
        if m.attendees.iter().any(|a| r.doctors.any(&norm_cow(a.affiliation.as_deref().unwrap_or("")))) {
            return Some("第4表");
        }
    }
    cx.services().iter().any(|s| doctor_opinion(r, &s.content)).then_some("第2表")
}

/// Months as (year, month), from the first to the last, inclusive.
pub fn months(from: (i32, u32), to: (i32, u32)) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = from;
    while (y, m) <= to {
        out.push((y, m));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// `令和7年6月` for messages.
pub fn month_ja((y, m): (i32, u32)) -> String {
    match NaiveDate::from_ymd_opt(y, m, 1) {
        Some(d) => {
            let w = crate::model::wareki::date(d);
            // 令和7年6月1日 → 令和7年6月
            w.rsplit_once('月').map(|(a, _)| format!("{a}月")).unwrap_or(w)
        }
        None => format!("{y}年{m}月"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_are_told_from_calls_and_services() {
        let c = crate::audit::Constants::builtin();
        let r = &c.records;
        let v = |item: &str, content: &str| is_home_visit(r, &norm_cow(item), &norm_cow(content));
        assert!(v("訪問", "本人と面談。"));
        assert!(v("モニタリング", "手すりを使って移動できている。"));
        assert!(v("アセスメント", "自宅にてアセスメントを実施（本人・妻同席）。"));
        assert!(!v("電話", "6月のモニタリング訪問を6/26で約束していたが変更した。"));
        assert!(!v("訪問看護より報告", "本日の訪問で血圧158/88。"));
        assert!(!v("同行", "受診に同行。"));
        assert!(!v("", "9月の訪問時に説明することとした。"));
        assert_eq!(months((2025, 11), (2026, 2)), [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]);
        assert_eq!(month_ja((2025, 6)), "令和7年6月");
    }

    #[test]
    fn a_doctors_opinion_is_found_in_one_sentence_as_each_list_would() {
        let c = crate::audit::Constants::builtin();
        let r = &c.records;
        let by_sentence = |t: &str| t.split(['。', '\n']).any(|s| r.doctors.any(s) && r.doctor_opinions.any(s));
        for text in [
            "主治医の指示のもと入浴する。",
            "主治医に相談。\n指示あり",
            "主治医。指示",
            "医師の意見を照会した。訪問看護を導入",
            "家族へ連絡。",
            "",
            "。。主治医の意見。",
            "指示書を受領\n主治医より",
        ] {
            let t = norm_cow(text);
            assert_eq!(doctor_opinion(r, &t), by_sentence(&t), "{text}");
        }
        assert!(doctor_opinion(r, "主治医の指示のもと入浴する。"));
        assert!(!doctor_opinion(r, "主治医。指示"));
    }
}
