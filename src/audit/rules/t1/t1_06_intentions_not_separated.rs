//! # 何を検査するか
//! 家族がいる（第4表に家族の出席・出席者がある、または第2表に家族が担う支援がある）のに、第1表の
//! 意向欄で本人と家族の意向が分けて書かれていないか。本人の言葉と家族の言葉が、それぞれ話者を示して
//! （「本人：」「長男：」「【本人】」「【家族】」「本人は「…」」「妻）」「◎長女」など）書かれていれば分けて
//! いるとみなします。「本人・家族ともに」「本人及び家族の意向」のような一緒の書き方は分けていません。
//!
//! # なぜ問題か
//! 本人と家族の意向は異なることがあります。混ぜて書くと、誰が何を望んでいるのか分からず、本人主体の計画になりません。
//!
//! # 例
//! 意向欄「本人・家族ともに自宅での生活を望んでいる。」（【本人】【家族】などの区別がない）。
//!
//! # 直し方
//! 「本人：…」「長男：…」のように、それぞれの言葉を分けて書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（記入の仕方）。判定は話者の書き方による推定です。

use crate::audit::constants::Words;
use crate::audit::words::norm_lines;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::model::services::Category;

pub static T1_06: Rule = Rule {
    info: RuleInfo {
        code: "T1-06",
        severity: Severity::Warning,
        title: "本人と家族の意向が区別されていない",
        check: Check::Heuristic,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("t1_06_intentions_not_separated.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let i = &cx.plan.table1.intentions;
    // A source that splits the 意向 into 本人 and 家族 fields has separated them.
    if i.person.is_some() || i.family.is_some() {
        return;
    }
    let Some(text) = i.text.as_deref().filter(|t| !t.trim().is_empty()) else { return };
    let Some(family) = family_in_plan(cx) else { return };
    if separated(&cx.constants.words, text) {
        return;
    }
    out.push(
        crate::audit::rules::t1_source(cx.plan, "intentions.text"),
        format!(
            "本人と家族の意向が区別されていません（家族：{family}）。意向が異なる場合はそれぞれの主訴を区別して記載してください（例：本人：…／長男：…）。"
        ),
        Some(text.to_string()),
        Some("【本人の意向】【家族の意向（続柄）】のように、話者を示して分けて書いてください。"),
    );
}

/// Who shows the family in the plan: a 第4表 family attendance or attendee,
/// or a 第2表 support by the family.
fn family_in_plan(cx: &Cx) -> Option<String> {
    let w = &cx.constants.words;
    for m in &cx.plan.table4 {
        if let Some(f) = m.family_attendance.as_deref() {
            let n = crate::text::norm_cow(f);
            if !n.is_empty() && !n.contains("欠席") && !n.contains("なし") && !n.contains("無") {
                return Some(format!("第4表の家族の出席「{f}」"));
            }
        }
        for a in &m.attendees {
            if w.family_speakers.any(&crate::text::norm_cow(a.affiliation.as_deref().unwrap_or(""))) {
                let t = format!("{} {}", a.affiliation.as_deref().unwrap_or(""), a.name.as_deref().unwrap_or(""));
                return Some(format!("第4表の出席者「{}」", t.trim()));
            }
        }
    }
    cx.services().iter().find_map(|s| {
        let by_family = s.certain().is_some_and(|c| c.category == Category::Informal && c.name == "家族")
            || (s.kind.is_empty() && w.family_speakers.any(s.provider()));
        by_family.then(|| {
            format!(
                "第2表の「{}」（{}）",
                s.service.content.as_deref().unwrap_or(""),
                s.service.provider.as_deref().unwrap_or("家族")
            )
        })
    })
}

/// Whether a 意向 marks the 本人's words and a family member's words each
/// with their own speaker (not one joint 「本人・家族」).
pub fn separated(w: &Words, text: &str) -> bool {
    let t = norm_lines(text);
    let (mut person, mut family) = (false, false);
    // Speakers, in order: (start, end, is_person).
    let mut tokens: Vec<(usize, usize, bool)> = Vec::new();
    for (s, e, _) in w.person_speakers.find_iter(&t) {
        tokens.push((s, e, true));
    }
    for (s, e, _) in w.family_speakers.find_iter(&t) {
        if !tokens.iter().any(|&(a, b, _)| s < b && a < e) {
            tokens.push((s, e, false));
        }
    }
    tokens.sort();
    let mut i = 0;
    while i < tokens.len() {
        // A group: speakers joined by ・、及び and the like.
        let start = tokens[i].0;
        let mut members = 1;
        let mut j = i;
        let mut end = after_suffixes(w, &t, tokens[j].1);
        while j + 1 < tokens.len() {
            let next = tokens[j + 1].0;
            if next < end {
                // Inside this speaker's （続柄）: part of it.
                j += 1;
                continue;
            }
            let gap = t[end..next].trim_start_matches('ご');
            if gap.is_empty() || w.speaker_joins.terms().iter().any(|x| x == gap) {
                j += 1;
                members += 1;
                end = after_suffixes(w, &t, tokens[j].1);
            } else {
                break;
            }
        }
        let opens = opens_item(w, &t, start);
        let rest = &t[end..];
        let joint_after = rest.starts_with("ともに") || rest.starts_with("共に");
        if members == 1 && opens && marked(w, rest) && !joint_after {
            if tokens[i].2 {
                person = true;
            } else {
                family = true;
            }
        }
        i = j + 1;
    }
    person && family
}

/// Where a speaker's word ends once 様・さん・の意向 and a （続柄） are read.
fn after_suffixes(w: &Words, t: &str, mut at: usize) -> usize {
    loop {
        let rest = &t[at..];
        if let Some(sfx) = w.speaker_suffixes.terms().iter().find(|s| rest.starts_with(s.as_str())) {
            at += sfx.len();
            continue;
        }
        if rest.starts_with('(') {
            if let Some(close) = rest.find(')') {
                // （続柄） of a few characters, not a sentence in brackets.
                if rest[..close].chars().count() <= 8 {
                    at += close + 1;
                    continue;
                }
            }
        }
        return at;
    }
}

/// Whether a speaker starts a line or an item (after 【 ( ◎ 。 、 …).
fn opens_item(w: &Words, t: &str, start: usize) -> bool {
    let before = t[..start].trim_end_matches(['ご', '御']);
    before.is_empty()
        || before.ends_with('\n')
        || w.speaker_openers.iter().any(|o| !o.is_empty() && before.ends_with(o.as_str()))
}

/// Whether what follows a speaker marks the speech (： ） 】 → は「 より『 …).
fn marked(w: &Words, rest: &str) -> bool {
    rest.is_empty() || w.speaker_marks.iter().any(|m| !m.is_empty() && rest.starts_with(m.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_are_told_apart_from_joint_subjects() {
        let c = crate::audit::Constants::builtin();
        let s = |t: &str| separated(&c.words, t);
        assert!(s("本人：自宅で暮らしたい。\n長男：日中はデイで過ごしてほしい。"));
        assert!(s("【本人】もう少し歩きたい。【家族】転ばないか心配。"));
        assert!(s("本人は「この家から離れたくない」と話す。長女は「夜間だけでも誰かが」と希望。"));
        assert!(s("◎本人　孫の結婚式に出たい\n◎長女　車いすも用意したい"));
        assert!(s("【利用者本人の意向】\n二人で暮らしたい。\n【家族の意向（長女）】\n不安。"));
        assert!(s("本人様：自分でやりたい。　ご家族様（次男様）：食事だけは食べてほしい。"));
        assert!(!s("本人・家族ともに住み慣れた自宅での生活を続けたい。"));
        assert!(!s("【本人及び家族の意向】\n自宅で安心して暮らしたい。"));
        assert!(!s("本人と長女は「家で暮らしたい」と話している。"));
        assert!(!s("家族に迷惑をかけずに暮らしたい。"));
        assert!(!s("自宅での生活を希望（本人・長男）。"));
    }
}
