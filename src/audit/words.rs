//! Word lists and patterns of the audit rules, read from
//! `mappings/audit-constants.toml` (`[words]`, `[patterns]`).
//!
//! Every list is matched on normalised text ([`norm_cow`]: NFKC, no white
//! space); [`norm_lines`] keeps one `\n` where the text had white space, for
//! the rules that read line starts (speakers of a 意向, bullet lists).
//! A [`Vocab`] finds the longest term at each place, so 「床ずれ防止用具」 is
//! one term, not 防止.

use crate::text::norm_cow;
use std::borrow::Cow;

/// Lists up to this long are searched with a full DFA (see [`Vocab::new`]).
const DFA_TERMS: usize = 300;

/// The automaton of a word list. A short list (most are) is a full DFA
/// without prefilter, as `text::Terms`: the audit searches every plan's
/// texts with them, a DFA is the fastest search and cheap to build for a few
/// hundred terms, and a prefilter's "rare" byte is no rarer than the UTF-8
/// lead bytes of the Japanese text around it. A long list (every name of the
/// service catalogue) keeps the default: its DFA would take longer to build,
/// once per run, than its searches save.
fn automaton<S: AsRef<[u8]>>(terms: &[S], kind: aho_corasick::MatchKind) -> Option<aho_corasick::AhoCorasick> {
    let mut builder = aho_corasick::AhoCorasick::builder();
    builder.match_kind(kind);
    if terms.len() <= DFA_TERMS {
        builder.kind(Some(aho_corasick::AhoCorasickKind::DFA)).prefilter(false);
    }
    builder.build(terms).ok()
}

/// A word list as one leftmost-longest automaton over normalised terms.
#[derive(Debug, Clone)]
pub struct Vocab {
    terms: Vec<String>,
    automaton: Option<aho_corasick::AhoCorasick>,
    /// Whether a term holds [`PLACEHOLDER`]: only then can a text gain a
    /// term by [`replace`](Vocab::replace) with it.
    has_placeholder: bool,
}

/// What rules put in place of the names they take out of a text before
/// searching it again (see [`Vocab::replace`]).
pub const PLACEHOLDER: &str = "□";

impl Vocab {
    pub fn new<S: AsRef<str>>(list: &[S]) -> Vocab {
        let mut terms: Vec<String> =
            list.iter().map(|t| norm_cow(t.as_ref()).into_owned()).filter(|t| !t.is_empty()).collect();
        terms.dedup();
        let automaton = automaton(&terms, aho_corasick::MatchKind::LeftmostLongest);
        let has_placeholder = terms.iter().any(|t| t.contains(PLACEHOLDER));
        Vocab { terms, automaton, has_placeholder }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a term holds [`PLACEHOLDER`].
    pub fn has_placeholder(&self) -> bool {
        self.has_placeholder
    }

    /// The terms, normalised.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The first (longest at its place) term in normalised text.
    pub fn find<'a>(&'a self, normalised: &str) -> Option<&'a str> {
        let m = self.automaton.as_ref()?.find(normalised)?;
        Some(self.terms[m.pattern().as_usize()].as_str())
    }

    /// Whether normalised text has a term: stops at the first one found
    /// (the same answer as [`find`](Self::find), without its longest match).
    pub fn any(&self, normalised: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(normalised))
    }

    /// Every match: (start, end, term), left to right, not overlapping.
    pub fn find_iter<'a, 'b>(&'a self, normalised: &'b str) -> impl Iterator<Item = (usize, usize, &'a str)> + 'b
    where
        'a: 'b,
    {
        self.automaton.iter().flat_map(move |a| {
            a.find_iter(normalised).map(|m| (m.start(), m.end(), self.terms[m.pattern().as_usize()].as_str()))
        })
    }

    /// The text with every term replaced by `with` (one character keeps
    /// words on both sides apart).
    pub fn replace<'t>(&self, normalised: &'t str, with: &str) -> Cow<'t, str> {
        let mut out = String::new();
        let mut last = 0;
        for (s, e, _) in self.find_iter(normalised) {
            out.push_str(&normalised[last..s]);
            out.push_str(with);
            last = e;
        }
        if last == 0 {
            return Cow::Borrowed(normalised);
        }
        out.push_str(&normalised[last..]);
        Cow::Owned(out)
    }
}

/// Several word lists searched in one pass: which of them have a term in a
/// text ([`Vocab::any`] of each, at once). For rules that ask the same text
/// about several lists.
#[derive(Debug, Clone, Default)]
pub struct VocabSet {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// Per term, the lists that hold it (bit i = list i).
    owners: Vec<u64>,
    /// Every list with a term.
    all: u64,
}

impl VocabSet {
    /// At most 64 lists (the bits of a `u64`).
    pub fn new(lists: &[&Vocab]) -> VocabSet {
        let mut terms: Vec<&str> = Vec::new();
        let mut owners: Vec<u64> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, v) in lists.iter().take(64).enumerate() {
            for t in v.terms() {
                let j = *index.entry(t).or_insert_with(|| {
                    terms.push(t);
                    owners.push(0);
                    terms.len() - 1
                });
                owners[j] |= 1 << i;
            }
        }
        let all = owners.iter().fold(0, |a, o| a | o);
        // Every occurrence of every term (overlapping).
        let automaton = if terms.is_empty() { None } else { automaton(&terms, aho_corasick::MatchKind::Standard) };
        VocabSet { automaton, owners, all }
    }

    /// The lists with a term in normalised text (bit i = list i).
    pub fn present(&self, normalised: &str) -> u64 {
        let Some(a) = &self.automaton else { return 0 };
        let mut found = 0;
        for m in a.find_overlapping_iter(normalised) {
            found |= self.owners[m.pattern().as_usize()];
            if found == self.all {
                break;
            }
        }
        found
    }

    /// [`present`](Self::present), stopping once `enough` lists are found:
    /// for a rule that asks only whether so many are named.
    pub fn present_upto(&self, normalised: &str, enough: u32) -> u64 {
        let Some(a) = &self.automaton else { return 0 };
        let mut found: u64 = 0;
        for m in a.find_overlapping_iter(normalised) {
            found |= self.owners[m.pattern().as_usize()];
            if found == self.all || found.count_ones() >= enough {
                break;
            }
        }
        found
    }

    /// Every occurrence of every term (overlapping): (start, end, the lists
    /// that hold it), in the order the occurrences end.
    pub fn occurrences<'a, 't>(&'a self, normalised: &'t str) -> impl Iterator<Item = (usize, usize, u64)> + 't
    where
        'a: 't,
    {
        self.automaton.iter().flat_map(move |a| {
            a.find_overlapping_iter(normalised).map(|m| (m.start(), m.end(), self.owners[m.pattern().as_usize()]))
        })
    }

    /// The lists with an occurrence (from [`occurrences`](Self::occurrences))
    /// lying wholly in `start..end` of the text: which lists a sentence of
    /// it names, without searching the sentence again.
    pub fn within(occurrences: &[(usize, usize, u64)], start: usize, end: usize) -> u64 {
        occurrences.iter().filter(|(a, b, _)| start <= *a && *b <= end).fold(0, |acc, (_, _, bits)| acc | bits)
    }
}

/// Word endings as a trie of their bytes read backwards: whether a text
/// ends with one is one walk from its last byte, as long as the longest
/// ending that fits (a complete UTF-8 ending that matches starts at a
/// character boundary).
#[derive(Debug, Clone)]
pub struct Endings {
    /// Node 0 is the root.
    nodes: Vec<EndingNode>,
}

/// A node of [`Endings`]: its edges (byte, node) and whether an ending is
/// complete there.
type EndingNode = (smallvec::SmallVec<[(u8, u32); 2]>, bool);

impl Default for Endings {
    fn default() -> Endings {
        Endings { nodes: vec![Default::default()] }
    }
}

impl Endings {
    pub fn new<S: AsRef<str>>(list: &[S]) -> Endings {
        let mut e = Endings::default();
        for ending in list.iter().map(AsRef::as_ref).filter(|e| !e.is_empty()) {
            let mut n = 0;
            for &b in ending.as_bytes().iter().rev() {
                n = match e.nodes[n].0.iter().find(|(x, _)| *x == b) {
                    Some((_, next)) => *next as usize,
                    None => {
                        e.nodes.push(Default::default());
                        let next = e.nodes.len() - 1;
                        e.nodes[n].0.push((b, next as u32));
                        next
                    }
                };
            }
            e.nodes[n].1 = true;
        }
        e
    }

    /// Whether `text` ends with one of the endings.
    pub fn ends(&self, text: &str) -> bool {
        let mut n = 0;
        for &b in text.as_bytes().iter().rev() {
            match self.nodes[n].0.iter().find(|(x, _)| *x == b) {
                Some((_, next)) => n = *next as usize,
                None => return false,
            }
            if self.nodes[n].1 {
                return true;
            }
        }
        false
    }
}

impl<'de> serde::Deserialize<'de> for Vocab {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Vocab, D::Error> {
        Ok(Vocab::new(&Vec::<String>::deserialize(d)?))
    }
}

/// Regular expressions from data, matched as one alternation on normalised
/// text (see [`norm_cow`]; `\n` where [`norm_lines`] kept a line break).
#[derive(Debug, Clone)]
pub struct Patterns {
    source: Vec<String>,
    re: Option<regex::Regex>,
    /// When the list is patterns anchored at the text's end (`…$`) followed
    /// by patterns anchored at its start (`^…`): each part as its own
    /// expression, for [`find`](Self::find). A search for an end-anchored
    /// expression reads the text backwards from its end only as far as a
    /// match could reach, where the alternation scans the whole text.
    anchored: Option<(regex::Regex, Option<regex::Regex>)>,
}

impl Patterns {
    pub fn new(list: &[String]) -> Result<Patterns, String> {
        if list.is_empty() {
            return Ok(Patterns { source: Vec::new(), re: None, anchored: None });
        }
        for p in list {
            regex::Regex::new(p).map_err(|e| format!("正規表現「{p}」を読めません（{e}）"))?;
        }
        let alternation = |ps: &[String]| {
            let joined = ps.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
            regex::Regex::new(&joined).map_err(|e| format!("正規表現を読めません（{e}）"))
        };
        let re = alternation(list)?;
        // Which patterns every match of ends at the end (or starts at the
        // start) of the text.
        let anchors = |p: &str| {
            use regex_syntax::hir::Look;
            regex_syntax::parse(p).map_or((false, false), |h| {
                let props = h.properties();
                (props.look_set_suffix().contains(Look::End), props.look_set_prefix().contains(Look::Start))
            })
        };
        let ends = list.iter().take_while(|p| anchors(p).0).count();
        let anchored = if ends > 0 && list[ends..].iter().all(|p| anchors(p).1) {
            let start = if ends < list.len() { Some(alternation(&list[ends..])?) } else { None };
            Some((alternation(&list[..ends])?, start))
        } else {
            None
        };
        Ok(Patterns { source: list.to_vec(), re: Some(re), anchored })
    }

    pub fn source(&self) -> &[String] {
        &self.source
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.re.as_ref().is_some_and(|r| r.is_match(text))
    }

    /// The first match's text: the leftmost, and at that place the first
    /// pattern of the list that matches.
    pub fn find<'t>(&self, text: &'t str) -> Option<&'t str> {
        if let Some((end, start)) = &self.anchored {
            // A start-anchored match begins at 0, before any end-anchored
            // one except one that begins at 0 too — which is listed first.
            let e = end.find(text);
            if e.is_some_and(|m| m.start() == 0) {
                return e.map(|m| m.as_str());
            }
            return start.as_ref().and_then(|s| s.find(text)).or(e).map(|m| m.as_str());
        }
        self.re.as_ref().and_then(|r| r.find(text)).map(|m| m.as_str())
    }

    /// Every match: (start, end).
    pub fn find_iter<'a, 't>(&'a self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't
    where
        'a: 't,
    {
        self.re.iter().flat_map(move |r| r.find_iter(text).map(|m| (m.start(), m.end())))
    }
}

impl<'de> serde::Deserialize<'de> for Patterns {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Patterns, D::Error> {
        Patterns::new(&Vec::<String>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// NFKC with every run of white space (line breaks, full-width spaces)
/// kept as one `\n`: for rules that read where lines and items start.
pub fn norm_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split(char::is_whitespace).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&norm_cow(part));
    }
    out
}

/// The sentences of a normalised text: split after 。 ! ? and at line
/// breaks, but not inside 「」『』 (a quoted 「…。…」 stays whole).
pub fn sentences(normalised: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in normalised.char_indices() {
        match c {
            '「' | '『' => depth += 1,
            '」' | '』' => depth = (depth - 1).max(0),
            '。' | '!' | '?' | '\n' if depth == 0 => {
                let end = i + c.len_utf8();
                let s = normalised[start..end].trim_end_matches('\n');
                if !s.is_empty() {
                    out.push(s);
                }
                start = end;
            }
            _ => {}
        }
    }
    if start < normalised.len() {
        out.push(&normalised[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_term_wins_and_replacing_keeps_words_apart() {
        let v = Vocab::new(&["防止", "床ずれ防止用具", "用具"]);
        assert_eq!(v.find("床ずれ防止用具を貸与"), Some("床ずれ防止用具"));
        assert_eq!(v.replace("床ずれ防止用具で転倒防止", "□"), "□で転倒□");
        assert_eq!(Vocab::new(&["ｶﾞｽ"]).find("ガスコンロ"), Some("ガス"));
    }

    #[test]
    fn a_set_says_which_lists_a_text_names_as_each_list_would() {
        let (a, b, c) = (Vocab::new(&["入浴", "洗身"]), Vocab::new(&["週2回", "毎朝"]), Vocab::new(&["長女"]));
        let set = VocabSet::new(&[&a, &b, &c]);
        for text in ["デイで週2回入浴", "長女が毎朝届ける", "安心して暮らせるよう支援", "", "入浴・洗身・長女"]
        {
            let t = norm_cow(text);
            let each = [&a, &b, &c].iter().enumerate().fold(0u64, |m, (i, v)| m | ((v.any(&t) as u64) << i));
            assert_eq!(set.present(&t), each, "{text}");
        }
        assert_eq!(VocabSet::new(&[]).present("入浴"), 0);
    }

    #[test]
    fn endings_answer_as_ends_with() {
        let list = ["できる", "れる", "たい", "過ごす", "る", "ab"];
        let e = Endings::new(&list);
        for text in ["一人でできる", "行きたい", "過ごす", "する", "見守り", "", "る", "ア", "b", "cab", "ごす"]
        {
            assert_eq!(e.ends(text), list.iter().any(|x| text.ends_with(x)), "{text}");
        }
        assert!(!Endings::new::<&str>(&[]).ends("できる"));
    }

    #[test]
    fn anchored_patterns_find_what_the_alternation_finds() {
        let alternation = |list: &[String]| {
            let joined = list.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
            regex::Regex::new(&joined).expect("pattern")
        };
        let own = |l: &[&str]| l.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        let c = crate::audit::Constants::builtin();
        let helper = c.patterns.helper_goal.source().to_vec();
        let lists = [own(&["a$", "ba$", "^b", "^bb"]), own(&["(x|y)$"]), own(&["^a", "a$"]), helper.clone()];
        let texts = [
            "ba",
            "bba",
            "b",
            "xa",
            "",
            "a",
            "aba",
            "y",
            "xay",
            "見守りを行う",
            "声かけを実施する",
            "ヘルパーが支援する",
            "自分でトイレに行ける",
            "ヘルパーが掃除を行い、本人が確認する",
            "支援",
            "食事を提供します",
            "Nsによる確認",
        ];
        for list in &lists {
            let p = Patterns::new(list).expect("patterns");
            let re = alternation(list);
            for t in texts {
                let t = norm_cow(t);
                assert_eq!(p.find(&t), re.find(&t).map(|m| m.as_str()), "{list:?} {t}");
            }
        }
        // The built-in list is read in its two parts, and a list that is
        // not ordered so is read whole.
        assert!(Patterns::new(&helper).expect("patterns").anchored.is_some());
        assert!(Patterns::new(&own(&["^a", "a$"])).expect("patterns").anchored.is_none());
    }

    #[test]
    fn lines_and_sentences() {
        assert_eq!(norm_lines("本人：帰りたい。\n　長男：心配"), "本人:帰りたい。\n長男:心配");
        assert_eq!(sentences("本人「帰る。すぐ」と話す。次に\n長男"), ["本人「帰る。すぐ」と話す。", "次に", "長男"]);
        assert!(Patterns::new(&["(".to_string()]).is_err());
        let p = Patterns::new(&["0\\d{1,4}-\\d{1,4}-\\d{3,4}".to_string()]).expect("pattern");
        assert_eq!(p.find("長男 090-0000-2222 へ"), Some("090-0000-2222"));
    }
}
