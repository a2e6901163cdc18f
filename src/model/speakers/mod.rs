//! Who says what in a plan's free text.
//!
//! Two readers share one vocabulary (`[speakers]` of `mappings/lsw.toml`):
//! [`split_intentions`] splits the 第1表 意向 into what the 本人 said, what
//! each family member said, what they said together and what names nobody,
//! keeping every piece as written and in order; [`route_record`] tells, for
//! each sentence of a 第4表 検討内容 or 第5表 内容, whose words or actions it
//! records (本人, 家族, 地域, 専門職・事業所 or the care manager), following
//! the informant an entry introduces (「長女より電話。」) until the care
//! manager acts again.
//!
//! A speaker is read only where people write one — a label at the start of
//! a line or sentence (「本人：」「【家族（長男）】」「妻）」「(長女)」), a
//! quote after a name (「ご本人『…』」), a source (「長女より、…」), a
//! sentence led by a name that reports speech (「長女は「…」と話す。」) or a
//! speaker after the words (「…（本人）。」) — never from a word somewhere
//! inside a sentence (「大丈夫」 has 夫, 「本人に説明した」 is the CM's).

mod intentions;
mod records;

pub use intentions::{split_intentions, Said, Speaker};
pub use records::{route_record, Party, Routed};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The words (data, overridable with the placement rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpeakerWords {
    /// Names of the person (本人, 利用者).
    pub person: Vec<String>,
    /// Names of the family as a whole (who = 家族).
    pub family: Vec<String>,
    /// Relations (who = the relation): 長男, 長男の妻, 妻 …
    pub relations: Vec<String>,
    /// Written before a name: ご, 御.
    pub prefixes: Vec<String>,
    /// Written after a name: 様, さん, 氏.
    pub honorifics: Vec<String>,
    /// Heading words after a speaker: の意向, の希望.
    pub headings: Vec<String>,
    /// 「本人・長女ともに」: said together.
    pub joint: Vec<String>,
    /// Speech verbs after a quotation: と話, と言, と希望.
    pub report: Vec<String>,
    /// 来所, 来訪: the sentences after 「Xが来所。」 are X's.
    pub lead: Vec<String>,
    /// 地域: neighbours, friends, 民生委員 …
    pub community: Vec<String>,
    /// 専門職・事業所: other services and professionals.
    pub professional: Vec<String>,
    /// The care manager.
    pub care_manager: Vec<String>,
    /// Titles after a person's name (さん, 相談員, Ns).
    pub titles: Vec<String>,
    /// Reported words (とのこと): the sentence stays the informant's.
    pub hearsay: Vec<String>,
    /// Endings of the care manager's own actions (依頼した, こととした).
    pub cm_actions: Vec<String>,
}

/// The built-in words: `[speakers]` of the shipped `mappings/lsw.toml`.
pub fn builtin_words() -> SpeakerWords {
    #[derive(Deserialize)]
    struct OnlySpeakers {
        speakers: SpeakerWords,
    }
    match toml::from_str::<OnlySpeakers>(include_str!("../../../mappings/lsw.toml")) {
        Ok(o) => o.speakers,
        Err(e) => panic!("mappings/lsw.toml [speakers]: {e}"),
    }
}

/// What kind of name a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Person,
    Family,
    Relation,
}

/// Who a speaker expression names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Who {
    Person,
    /// The relation as written (without ご/様), or 家族.
    Family(String),
    /// The person and the family together.
    Joint,
}

/// The words, ready to match.
#[derive(Debug, Clone)]
pub struct Speakers {
    pub words: SpeakerWords,
    /// Names, longest first.
    names: Vec<(String, NameKind)>,
    prefixes: Vec<String>,
    honorifics: Vec<String>,
    headings: Vec<String>,
    joint: Vec<String>,
    /// Informant classes of normalised words (leftmost-longest).
    parties: Option<aho_corasick::AhoCorasick>,
    party_of: Vec<(Party, String)>,
    titles: Vec<String>,
}

fn longest_first(v: &[String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().filter(|s| !s.is_empty()).cloned().collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    v
}

/// ASCII white space or U+3000.
pub(crate) fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{3000}'
}

/// Byte length of the spaces at the start of `s`.
fn spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches(|c: char| is_space(c) && c != '\n').len()
}

/// The closing bracket of an opening one.
fn closer(open: char) -> Option<char> {
    Some(match open {
        '【' => '】',
        '〈' => '〉',
        '《' => '》',
        '［' => '］',
        '[' => ']',
        '（' => '）',
        '(' => ')',
        '＜' => '＞',
        '<' => '>',
        _ => return None,
    })
}

/// A bracket group at the start of `s`: (open, inner, byte length of the
/// whole group). The inner text is short and on one line.
pub(crate) fn bracket(s: &str) -> Option<(char, &str, usize)> {
    let open = s.chars().next()?;
    let close = closer(open)?;
    let rest = &s[open.len_utf8()..];
    let end = rest.find(close)?;
    let inner = &rest[..end];
    if inner.contains('\n') || inner.chars().count() > 30 {
        return None;
    }
    Some((open, inner, open.len_utf8() + end + close.len_utf8()))
}

impl Speakers {
    pub fn new(words: SpeakerWords) -> Speakers {
        let mut names: Vec<(String, NameKind)> = Vec::new();
        for (list, kind) in [
            (&words.person, NameKind::Person),
            (&words.family, NameKind::Family),
            (&words.relations, NameKind::Relation),
        ] {
            names.extend(list.iter().filter(|n| !n.is_empty()).map(|n| (n.clone(), kind)));
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let mut party_of: Vec<(Party, String)> = Vec::new();
        for (list, party) in [
            (&words.person, Party::Person),
            (&words.family, Party::Family),
            (&words.relations, Party::Family),
            (&words.community, Party::Community),
            (&words.professional, Party::Professional),
            (&words.care_manager, Party::CareManager),
        ] {
            for w in list {
                let n = crate::text::norm_label(w);
                if !n.is_empty() && !party_of.iter().any(|(_, x)| *x == n) {
                    party_of.push((party, n));
                }
            }
        }
        let parties = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(party_of.iter().map(|(_, w)| w.as_str()))
            .ok();
        Speakers {
            names,
            prefixes: longest_first(&words.prefixes),
            honorifics: longest_first(&words.honorifics),
            headings: longest_first(&words.headings),
            joint: longest_first(&words.joint),
            titles: longest_first(&words.titles),
            parties,
            party_of,
            words,
        }
    }

    /// The shipped words.
    pub fn builtin() -> &'static Speakers {
        static S: std::sync::LazyLock<Speakers> = std::sync::LazyLock::new(|| Speakers::new(builtin_words()));
        &S
    }

    fn name_at(&self, s: &str) -> Option<(&str, NameKind)> {
        self.names.iter().find(|(n, _)| s.starts_with(n.as_str())).map(|(n, k)| (n.as_str(), *k))
    }

    fn starts<'a>(list: &'a [String], s: &str) -> Option<&'a str> {
        list.iter().find(|w| s.starts_with(w.as_str())).map(String::as_str)
    }

    /// The first relation named inside a qualifier (`ご長女様`, `家族：妻`).
    fn relation_in(&self, inner: &str) -> Option<String> {
        inner.char_indices().find_map(|(i, _)| match self.name_at(&inner[i..]) {
            Some((n, NameKind::Relation)) => Some(n.to_string()),
            _ => None,
        })
    }

    /// One name at the start of `s`, with its prefix, honorific, heading
    /// word and a qualifier in brackets (`家族（長男）`, `夫（主介護者）`).
    fn one(&self, s: &str) -> Option<(Who, usize)> {
        let (pre, name, kind) = std::iter::once("")
            .chain(self.prefixes.iter().map(String::as_str))
            .find_map(|p| s.strip_prefix(p).and_then(|r| self.name_at(r)).map(|(n, k)| (p, n, k)))?;
        let mut i = pre.len() + name.len();
        let mut who = match kind {
            NameKind::Person => Who::Person,
            NameKind::Family => Who::Family("家族".into()),
            NameKind::Relation => Who::Family(name.to_string()),
        };
        if let Some(h) = Self::starts(&self.honorifics, &s[i..]) {
            i += h.len();
        }
        if let Some(h) = Self::starts(&self.headings, &s[i..]) {
            i += h.len();
        }
        if let Some((open, inner, len)) = bracket(&s[i..]) {
            if matches!(open, '（' | '(') && !inner.contains(['。', '「', '」', '『', '』', '、']) {
                if let (Who::Family(_), Some(r)) = (&who, self.relation_in(inner)) {
                    who = Who::Family(r);
                }
                i += len;
            }
        }
        Some((who, i))
    }

    /// A speaker expression: names joined by ・ or と (`本人・長女`).
    pub(crate) fn expr(&self, s: &str) -> Option<(Who, usize)> {
        let (first, mut len) = self.one(s)?;
        let mut all = vec![first];
        loop {
            let rest = &s[len..];
            let Some(sep) = ['・', '･', 'と', '＆', '&', '、'].into_iter().find(|c| rest.starts_with(*c)) else {
                break;
            };
            match self.one(&rest[sep.len_utf8()..]) {
                Some((w, n)) => {
                    all.push(w);
                    len += sep.len_utf8() + n;
                }
                None => break,
            }
        }
        let person = all.contains(&Who::Person);
        let family: Vec<String> = all
            .iter()
            .filter_map(|w| match w {
                Who::Family(r) => Some(r.clone()),
                _ => None,
            })
            .collect();
        let who = match (person || all.contains(&Who::Joint), family.is_empty()) {
            (true, false) => Who::Joint,
            (true, true) => Who::Person,
            (false, _) => Who::Family(family.join("・")),
        };
        Some((who, len))
    }

    /// The speaker a whole bracket text names (`家族の意向（長女）`,
    /// `家族：妻`, ` ご本人 `), if it names one and nothing else.
    pub(crate) fn inner_speaker(&self, inner: &str) -> Option<Who> {
        let t = inner.trim_matches(is_space);
        if let Some((who, n)) = self.expr(t) {
            let rest = t[n..].trim_matches(is_space);
            if rest.is_empty() {
                return Some(who);
            }
            // 家族：妻
            if let (Who::Family(_), Some(r)) = (&who, rest.strip_prefix(['：', ':'])) {
                if let Some((Who::Family(rel), m)) = self.expr(r.trim_start_matches(is_space)) {
                    if r.trim_start_matches(is_space)[m..].trim_matches(is_space).is_empty() {
                        return Some(Who::Family(rel));
                    }
                }
            }
        }
        None
    }

    /// Length of a joint word at the start of `s` (ともに).
    pub(crate) fn joint_at(&self, s: &str) -> Option<usize> {
        Self::starts(&self.joint, s).map(str::len)
    }

    /// Who a short phrase names as an informant (`民生委員の高橋さん`,
    /// `デイサービスあおぞら 中村相談員`), by the first word it contains.
    pub(crate) fn party_in(&self, phrase: &str) -> Option<(Party, String)> {
        let n = crate::text::norm_cow(phrase);
        let a = self.parties.as_ref()?;
        a.find(n.as_ref()).map(|m| self.party_of[m.pattern().as_usize()].clone())
    }

    /// Titles after names (longest first).
    pub(crate) fn titles(&self) -> &[String] {
        &self.titles
    }
}

/// Trims white space (also U+3000) at both ends, as a range of `text`.
pub(crate) fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let tail = s.trim_end_matches(is_space).len();
    (start + lead, start + tail.max(lead))
}

/// Skips spaces (not line breaks) from `i`.
pub(crate) fn skip_spaces(text: &str, i: usize) -> usize {
    i + spaces(&text[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_words_load() {
        let s = Speakers::builtin();
        assert!(s.words.relations.iter().any(|r| r == "長男の妻"));
        assert_eq!(s.expr("長男の妻："), Some((Who::Family("長男の妻".into()), "長男の妻".len())));
        assert_eq!(s.expr("ご家族様（次男様）：").map(|(w, _)| w), Some(Who::Family("次男".into())));
        assert_eq!(s.expr("本人・長女ともに").map(|(w, _)| w), Some(Who::Joint));
        assert_eq!(s.inner_speaker("家族：妻"), Some(Who::Family("妻".into())));
        assert_eq!(s.inner_speaker(" ご本人 "), Some(Who::Person));
        assert_eq!(s.inner_speaker("家族の意向（長女）"), Some(Who::Family("長女".into())));
        assert_eq!(s.inner_speaker("課題分析の結果"), None);
        assert_eq!(s.inner_speaker("本人・妻同席"), None);
        assert_eq!(s.party_in("民生委員の高橋さん").map(|p| p.0), Some(Party::Community));
        assert_eq!(s.party_in("北地域包括支援センター").map(|p| p.0), Some(Party::Professional));
        assert_eq!(s.party_in("長女（田中美咲様）").map(|p| p.0), Some(Party::Family));
        assert_eq!(s.party_in("本日"), None);
    }
}

/// The corpora of `tests/corpora` (synthetic): every shape of the 意向 and
/// every sentence of the 第5表 entries read as the corpus says.
#[cfg(test)]
mod corpora {
    use super::*;

    #[test]
    fn every_intentions_shape_splits_as_written() {
        let doc: toml::Value = toml::from_str(include_str!("../../../tests/corpora/speakers.toml")).expect("corpus");
        let cases = doc["case"].as_array().expect("cases");
        assert!(cases.len() >= 40);
        let mut wrong = Vec::new();
        for c in cases {
            let text = c["text"].as_str().expect("text");
            let list = |k: &str| -> Vec<String> {
                c[k].as_array().expect(k).iter().map(|v| v.as_str().expect("str").to_string()).collect()
            };
            let family: Vec<(String, String)> = c["family"]
                .as_array()
                .expect("family")
                .iter()
                .map(|f| (f["who"].as_str().expect("who").to_string(), f["text"].as_str().expect("t").to_string()))
                .collect();
            let said = split_intentions(Speakers::builtin(), text);
            let got = |want: &Speaker| -> Vec<String> {
                said.iter().filter(|s| s.speaker == *want).map(|s| s.text.to_string()).collect()
            };
            let got_family: Vec<(String, String)> = said
                .iter()
                .filter_map(|s| match &s.speaker {
                    Speaker::Family(w) => Some((w.clone(), s.text.to_string())),
                    _ => None,
                })
                .collect();
            let ok = got(&Speaker::Person) == list("person")
                && got_family == family
                && got(&Speaker::Shared) == list("shared")
                && got(&Speaker::Unassigned) == list("unassigned");
            if !ok {
                wrong.push(format!("{}: {said:?}", c["shape"].as_str().unwrap_or("")));
            }
        }
        assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
    }

    #[test]
    fn every_progress_sentence_goes_to_its_source() {
        let doc: toml::Value = toml::from_str(include_str!("../../../tests/corpora/progress.toml")).expect("corpus");
        let mut wrong = Vec::new();
        let mut total = 0;
        for e in doc["entry"].as_array().expect("entries") {
            let content = e["content"].as_str().expect("content");
            let routed = route_record(Speakers::builtin(), content);
            for s in e["sentences"].as_array().expect("sentences") {
                total += 1;
                let text = s["text"].as_str().expect("text");
                let want = match s["source"].as_str().expect("source") {
                    "本人" => Party::Person,
                    "家族" => Party::Family,
                    "地域" => Party::Community,
                    "専門職・事業所" => Party::Professional,
                    _ => Party::CareManager,
                };
                let got = routed.iter().find(|r| r.text.contains(text)).map(|r| r.party);
                if got != Some(want) {
                    wrong.push(format!("{} {text}: {got:?}, want {want:?}", e["date"]));
                }
            }
        }
        assert!(wrong.is_empty(), "{} of {total}:\n{}", wrong.len(), wrong.join("\n"));
    }
}
