//! Term lists: words matched inside normalised texts.

use super::{norm_cow, norm_label};

/// Terms prepared for matching (normalised like the texts they are matched
/// against), as one automaton: a text is searched once for all terms.
#[derive(Debug, Clone)]
pub struct Terms {
    terms: Vec<String>,
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl Terms {
    pub fn new(list: &[String]) -> Terms {
        let terms: Vec<String> = list.iter().map(|t| norm_label(t)).filter(|t| !t.is_empty()).collect();
        // A full DFA without prefilter: Japanese terms start with the same
        // few UTF-8 lead bytes as the text around them, so a prefilter's
        // "rare" byte is not rare and only adds a second scan.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&terms)
            .ok();
        Terms { terms, automaton }
    }

    /// Terms from a fixed list (a rule's own words).
    pub fn of(list: &[&str]) -> Terms {
        Terms::new(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    /// Whether `text` (any form; it is normalised here) contains a term.
    pub fn any(&self, text: &str) -> bool {
        self.find(&norm_cow(text)).is_some()
    }

    /// `text` (any form, normalised here) with every term taken out.
    pub fn remove_all(&self, text: &str) -> String {
        let t = norm_cow(text);
        match &self.automaton {
            Some(a) => {
                let mut out = String::with_capacity(t.len());
                a.replace_all_with(&t, &mut out, |_, _, _| true);
                out
            }
            None => t.into_owned(),
        }
    }

    /// How many characters of `text` (any form, normalised here) are left
    /// once every term is taken out: `remove_all(text).chars().count()`
    /// without building the text.
    pub fn chars_left(&self, text: &str) -> usize {
        let t = norm_cow(text);
        let all = t.chars().count();
        match &self.automaton {
            Some(a) => all - a.find_iter(&*t).map(|m| t[m.range()].chars().count()).sum::<usize>(),
            None => all,
        }
    }

    /// A term the (normalised) text contains, if any.
    pub fn find(&self, normalised: &str) -> Option<&str> {
        match &self.automaton {
            Some(a) => a.find(normalised).map(|m| self.terms[m.pattern().as_usize()].as_str()),
            None => self.terms.iter().find(|t| normalised.contains(t.as_str())).map(String::as_str),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Terms {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Terms, D::Error> {
        Ok(Terms::new(&Vec::<String>::deserialize(d)?))
    }
}
