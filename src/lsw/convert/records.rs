//! 様式1 記録用紙兼ミーティング用紙 (第5表) and 様式2 カンファレンス用紙
//! (第4表): each sentence in the column of whose words or actions it
//! records ([`route_record`]): 本人, 家族・介護者, 地域 (neighbours,
//! 民生委員 and — the guide's 地域 — other services and professionals), and
//! the care manager's own (様式1: the 記入者／介護支援専門員 column; 様式2:
//! 考察, where 「事業所・介護支援専門員の意見もここに入ります」).

use super::{placed, sentences, src};
use crate::lsw::rules::Compiled;
use crate::model::lsw::*;
use crate::model::speakers::{route_record, Party};
use crate::model::*;
use crate::text::norm_label;

/// The parts of a record, by party (the care manager's last).
struct Parts {
    person: Vec<Placed>,
    family: Vec<Placed>,
    community: Vec<Placed>,
    care_manager: Vec<Placed>,
}

fn parts(rules: &Compiled, text: &str, at: Option<&crate::diag::Source>) -> Parts {
    let mut p = Parts { person: vec![], family: vec![], community: vec![], care_manager: vec![] };
    for r in route_record(&rules.speakers, text) {
        let mut x = placed(r.text, at);
        x.who = r.who;
        match r.party {
            Party::Person => p.person.push(x),
            Party::Family => p.family.push(x),
            Party::Community | Party::Professional => p.community.push(x),
            Party::CareManager => p.care_manager.push(x),
        }
    }
    p
}

/// Whether an attendance cell says the person or family was there
/// (【出席】, ○, 有).
fn present(v: &str) -> bool {
    let n = norm_label(v);
    !n.contains("欠席")
        && !n.contains("不参加")
        && ["出席", "○", "◯", "有", "参加", "同席"].iter().any(|w| n.contains(w))
}

/// 計 名: the attendees, and 本人 and 家族 marked present when the
/// attendees do not list them already.
fn people_present(rules: &Compiled, m: &Meeting) -> usize {
    let listed: Vec<String> = m
        .attendees
        .iter()
        .map(|a| format!("{}{}", a.affiliation.as_deref().unwrap_or(""), a.name.as_deref().unwrap_or("")))
        .filter(|t| !t.trim().is_empty())
        .collect();
    let w = &rules.speakers.words;
    let lists = |words: &[String]| listed.iter().any(|t| words.iter().any(|x| !x.is_empty() && t.contains(x.as_str())));
    let mut n = listed.len();
    if m.person_attendance.as_deref().is_some_and(present) && !lists(&w.person) {
        n += 1;
    }
    if let Some(v) = m.family_attendance.as_deref().filter(|v| present(v)) {
        // The relations named (「長男・長女」 are two), at least one person.
        let named: Vec<&String> = w.relations.iter().filter(|r| !r.is_empty() && v.contains(r.as_str())).collect();
        let missing = named.iter().filter(|r| !listed.iter().any(|t| t.contains(r.as_str()))).count();
        n += if named.is_empty() { usize::from(!lists(&w.family) && !lists(&w.relations)) } else { missing };
    }
    n
}

pub(super) fn form2(plan: &CarePlan, rules: &Compiled, f: &mut LswForms, un: &mut Vec<Unclassified>) {
    for m in &plan.table4 {
        let s = &m.sources;
        let mut e = Form2 {
            date: m.held_on,
            item: m.items.as_deref().map(|v| placed(v, src(s, "items"))),
            participants: m
                .attendees
                .iter()
                .map(|a| {
                    let text = match (&a.affiliation, &a.name) {
                        (Some(af), Some(n)) => format!("{af} {n}"),
                        (Some(x), None) | (None, Some(x)) => x.clone(),
                        (None, None) => String::new(),
                    };
                    placed(&text, Some(&a.source))
                })
                .collect(),
            count: people_present(rules, m),
            source: m.source.clone(),
            ..Form2::default()
        };
        if let Some(v) = &m.person_attendance {
            e.person.push(placed(&format!("出席: {v}"), src(s, "person_attendance")));
        }
        if let Some(v) = &m.family_attendance {
            e.family.push(placed(&format!("出席: {v}"), src(s, "family_attendance")));
        }
        if let Some(d) = &m.discussion {
            // Each sentence once: the parties' in their columns, the care
            // manager's and the office's in 考察.
            let p = parts(rules, d, src(s, "discussion"));
            e.person.extend(p.person);
            e.family.extend(p.family);
            e.community.extend(p.community);
            e.consideration.extend(p.care_manager);
        }
        if let Some(c) = &m.conclusion {
            e.confirmed.push(placed(c, src(s, "conclusion")));
        }
        if let Some(r) = &m.remaining {
            e.confirmed.push(placed(&format!("残された課題: {r}"), src(s, "remaining")));
        }
        for (label, v, key) in
            [("開催場所", &m.place, "place"), ("開催時間", &m.time, "time"), ("開催回数", &m.count, "count")]
        {
            if let Some(v) = v {
                e.held.push(placed(&format!("{label}: {v}"), src(s, key)));
            }
        }
        e.recorder = m.recorder.as_deref().map(|v| placed(v, src(s, "recorder")));
        // The sign-off is the 小多機's: 本人（代理人）確認 and its 介護支援専門員.
        if e.consideration.is_empty() {
            e.to_fill.push("consideration".into());
        }
        e.to_fill.extend(["person_confirmation".to_string(), "care_manager".to_string()]);
        for (k, v) in m.extra.iter() {
            un.push(Unclassified {
                text: format!("{k}: {v}"),
                source: Some(m.source.clone()),
                reason: "様式2に対応する欄がありません".into(),
            });
        }
        f.form2.push(e);
    }
}

pub(super) fn form1(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    let items =
        |terms: &crate::text::Terms, item: Option<&str>| item.is_some_and(|i| terms.find(&norm_label(i)).is_some());
    for p in &plan.table5 {
        let s = &p.sources;
        let mut e = Form1Entry {
            date: p.date,
            item: p.item.clone(),
            recorder: p.recorder.clone(),
            conference: items(&rules.conference_items, p.item.as_deref()),
            source: p.source.clone(),
            ..Form1Entry::default()
        };
        let is_meeting = items(&rules.meeting_items, p.item.as_deref());
        if let Some(content) = &p.content {
            let parts = parts(rules, content, src(s, "content"));
            e.person = parts.person;
            e.family = parts.family;
            e.community = parts.community;
            if is_meeting {
                // A meeting's own notes are its 考察 and 決定 (とりあえずの決定).
                for cm in parts.care_manager {
                    for sentence in sentences(&cm.text) {
                        let pl = placed(&sentence, cm.source.as_ref());
                        if rules.decision_terms.find(&norm_label(&sentence)).is_some() {
                            e.meeting.decision.push(pl);
                        } else {
                            e.meeting.consideration.push(pl);
                        }
                    }
                }
            } else {
                e.care_manager = parts.care_manager;
            }
        }
        f.form1.entries.push(e);
    }
    // The 小多機 team's own ミーティング: 考察 and とりあえずの決定.
    f.form1.to_fill = vec!["meeting.consideration".into(), "meeting.decision".into(), "records".into()];
}
