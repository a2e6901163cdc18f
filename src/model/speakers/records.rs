//! Whose words or actions each sentence of a record (第4表 検討内容, 第5表
//! 内容) records.
//!
//! An entry is read as its writer writes it: a sentence that names its
//! source (「民生委員の高橋さんより電話。」「【妻】」「長女：」) makes that
//! source the informant of the sentences after it, until the care manager's
//! own action ends the report (「…依頼した。」); a quotation after a name
//! (「本人「…」」) or a sentence led by a name that reports speech
//! (「妻は「…」と話された。」) is that person's alone — unless it is itself
//! reported (「…と話していたとのこと。」). Sentences that name no source and
//! follow no informant are the care manager's (the entry's writer).

use super::{bracket, is_space, trimmed, Speakers};

/// Whose words or actions a sentence records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Person,
    Family,
    /// Neighbours, friends, 民生委員 …
    Community,
    /// Other services and professionals.
    Professional,
    /// The care manager who wrote the record.
    CareManager,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Party::Person => "本人",
            Party::Family => "家族",
            Party::Community => "地域",
            Party::Professional => "専門職・事業所",
            Party::CareManager => "介護支援専門員",
        }
    }
}

/// A run of sentences of one party, as written (a slice of the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed<'a> {
    pub party: Party,
    /// The word that named the source (長女, 民生委員, デイサービス…).
    pub who: Option<String>,
    pub text: &'a str,
}

/// Sentences: after 。 (not inside 「」『』) and at line breaks, trimmed.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut depth) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '「' | '『' => depth += 1,
            '」' | '』' => depth = depth.saturating_sub(1),
            '\n' => {
                out.push((start, i));
                (start, depth) = (i + 1, 0);
            }
            '。' | '｡' if depth == 0 => {
                out.push((start, i + c.len_utf8()));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((start, text.len()));
    out.into_iter().map(|(a, b)| trimmed(text, a, b)).filter(|(a, b)| a < b).collect()
}

/// How far a source marker reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The sentences after it too (「長女より電話。」「【妻】」「長女：」).
    Following,
    /// This sentence only (「本人「…」」「妻は「…」と話された。」).
    Sentence,
}

/// People named in the record with a title (`民生委員の高橋さん`,
/// `中村相談員`, `加藤Ns`): their surname → party, so that a later
/// 「高橋さん「…」」 or 「吉田氏より」 is read as theirs.
fn named_people(sp: &Speakers, text: &str) -> Vec<(String, Party)> {
    let mut out: Vec<(String, Party)> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, _)) in chars.iter().enumerate() {
        let Some(title) = sp.titles().iter().find(|t| text[i..].starts_with(t.as_str())) else { continue };
        // The surname: the kanji right before the title.
        let mut s = k;
        while s > 0 && is_kanji(chars[s - 1].1) && k - s < 4 {
            s -= 1;
        }
        if s == k {
            continue;
        }
        let name = &text[chars[s].0..i];
        // Its party: the title's own (相談員, Ns) or the nearest word before
        // it in the same clause (民生委員の, デイサービスあおぞら ).
        let from = chars[..s]
            .iter()
            .rposition(|(_, c)| matches!(c, '、' | '。' | '（' | '(' | '「' | '\n'))
            .map_or(0, |p| chars[p].0 + chars[p].1.len_utf8());
        let party = sp
            .party_in(title)
            .filter(|(p, _)| *p != Party::Person && *p != Party::Family)
            .or_else(|| sp.party_in(&text[from..chars[s].0]))
            .map(|(p, _)| p);
        if let Some(p) = party {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_string(), p));
            }
        }
    }
    out
}

fn is_kanji(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々'
}

/// The party a source phrase names, by its words or a person named earlier.
fn party_of(sp: &Speakers, phrase: &str, people: &[(String, Party)]) -> Option<(Party, String)> {
    sp.party_in(phrase)
        .or_else(|| people.iter().find(|(n, _)| phrase.contains(n.as_str())).map(|(n, p)| (*p, n.clone())))
}

/// The source a sentence names at its start, and how far it reaches.
fn source(
    sp: &Speakers,
    s: &str,
    people: &[(String, Party)],
    informant: bool,
) -> Option<(Party, Option<String>, Reach)> {
    // 【妻】「…」, 【実施状況】… (a heading naming nobody: the care manager's).
    if let Some((_, inner, _)) = bracket(s).filter(|(o, _, _)| matches!(o, '【' | '〈' | '［' | '[')) {
        return Some(match party_of(sp, inner, people) {
            Some((p, w)) => (p, Some(w), Reach::Following),
            None => (Party::CareManager, None, Reach::Following),
        });
    }
    let phrase_end = |delims: &[&str], limit: usize| -> Option<(usize, usize)> {
        let (at, d) = delims.iter().filter_map(|d| s.find(d).map(|at| (at, d.len()))).min_by_key(|(at, _)| *at)?;
        let phrase = &s[..at];
        let ok = at > 0
            && phrase.chars().count() <= limit
            && !phrase.contains(['、', '。', '「', '」', '『', '』', ',', '，']);
        ok.then_some((at, d))
    };
    let earliest = ["より", "から", "「", "『", "：", ":", "は", "が", "も"]
        .iter()
        .filter_map(|d| s.find(d).map(|at| (at, *d)))
        .min_by_key(|(at, _)| *at)?;
    match earliest.1 {
        "より" | "から" => {
            let (at, _) = phrase_end(&["より", "から"], 25)?;
            let (p, w) = party_of(sp, &s[..at], people)?;
            Some((p, Some(w), Reach::Following))
        }
        "「" | "『" => {
            let (at, _) = phrase_end(&["「", "『"], 20)?;
            let (p, w) = party_of(sp, &s[..at], people)?;
            Some((p, Some(w), Reach::Sentence))
        }
        "：" | ":" => {
            let (at, _) = phrase_end(&["：", ":"], 20)?;
            let (p, w) = party_of(sp, &s[..at], people)?;
            Some((p, Some(w), Reach::Following))
        }
        _ => {
            let (at, _) = phrase_end(&["は", "が", "も"], 15)?;
            let (p, w) = party_of(sp, &s[..at], people)?;
            let has = |list: &[String]| list.iter().any(|x| !x.is_empty() && s.contains(x.as_str()));
            if has(&sp.words.lead) {
                Some((p, Some(w), Reach::Following))
            } else if has(&sp.words.report) && !(informant && has(&sp.words.hearsay)) {
                Some((p, Some(w), Reach::Sentence))
            } else {
                None
            }
        }
    }
}

/// Whether a sentence ends with the care manager's own action.
fn cm_action(sp: &Speakers, s: &str) -> bool {
    let mut t = s.trim_end_matches(|c: char| is_space(c) || matches!(c, '。' | '｡'));
    // A closing remark in brackets: 「…と面談（モニタリング）。」
    if t.ends_with(['）', ')']) {
        if let Some(open) = t.rfind(['（', '(']) {
            t = &t[..open];
        }
    }
    sp.words.cm_actions.iter().any(|w| !w.is_empty() && t.ends_with(w.as_str()))
}

/// Routes a record's sentences to the parties whose words or actions they
/// are; consecutive sentences of one party come back as one piece of the
/// text as written.
pub fn route_record<'a>(sp: &Speakers, text: &'a str) -> Vec<Routed<'a>> {
    let people = named_people(sp, text);
    let mut informant: Option<(Party, Option<String>)> = None;
    let mut routed: Vec<(Party, Option<String>, usize, usize)> = Vec::new();
    for (a, b) in sentences(text) {
        let s = &text[a..b];
        let (party, who) = match source(sp, s, &people, informant.is_some()) {
            Some((p, w, Reach::Following)) => {
                informant = (p != Party::CareManager).then(|| (p, w.clone()));
                (p, w)
            }
            Some((p, w, Reach::Sentence)) => (p, w),
            None => match &informant {
                Some((p, w)) => {
                    let hearsay = sp.words.hearsay.iter().any(|h| !h.is_empty() && s.contains(h.as_str()));
                    if cm_action(sp, s) && !hearsay {
                        informant = None;
                        (Party::CareManager, None)
                    } else {
                        (*p, w.clone())
                    }
                }
                None => (Party::CareManager, None),
            },
        };
        match routed.last_mut() {
            Some(last) if last.0 == party && last.1 == who => last.3 = b,
            _ => routed.push((party, who, a, b)),
        }
    }
    routed.into_iter().map(|(party, who, a, b)| Routed { party, who, text: &text[a..b] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(t: &str) -> Vec<(Party, &str)> {
        route_record(Speakers::builtin(), t).into_iter().map(|r| (r.party, r.text)).collect()
    }

    #[test]
    fn an_informant_speaks_until_the_care_manager_acts() {
        assert_eq!(
            route("民生委員の高橋さんより電話。\n奥様が困っていたとのこと。\n長女へ連絡することとした。"),
            [
                (Party::Community, "民生委員の高橋さんより電話。\n奥様が困っていたとのこと。"),
                (Party::CareManager, "長女へ連絡することとした。"),
            ]
        );
    }

    #[test]
    fn a_quote_after_a_name_is_that_person_s_only() {
        assert_eq!(
            route("自宅を訪問し、本人・妻と面談。\n本人「風呂に入りたい。家がいい」\n体重は2kg減。"),
            [
                (Party::CareManager, "自宅を訪問し、本人・妻と面談。"),
                (Party::Person, "本人「風呂に入りたい。家がいい」"),
                (Party::CareManager, "体重は2kg減。"),
            ]
        );
    }

    #[test]
    fn a_name_mentioned_inside_a_sentence_is_not_its_source() {
        assert_eq!(
            route("妻は同じ話を何度か繰り返す場面があった。"),
            [(Party::CareManager, "妻は同じ話を何度か繰り返す場面があった。")]
        );
        assert_eq!(route("本人は大丈夫と話す。"), [(Party::Person, "本人は大丈夫と話す。")]);
        assert!(route("").is_empty());
    }

    #[test]
    fn people_named_earlier_are_recognised_later() {
        let r = route("さくら福祉用具 吉田氏も出席。吉田氏より、手すりを勧めるとの意見。");
        assert_eq!(r.last().map(|x| x.0), Some(Party::Professional), "{r:?}");
    }
}
