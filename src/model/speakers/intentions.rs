//! The 第1表 意向 split by speaker, every piece as written and in order.

use super::{bracket, is_space, skip_spaces, trimmed, Speakers, Who};

/// Who said a piece of the 意向.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speaker {
    Person,
    /// The relation as written (長男, 長男の妻) or 家族.
    Family(String),
    /// The person and the family together (「本人・長女ともに、…」).
    Shared,
    /// Nobody named (a preface, the care manager's analysis, a cell without
    /// labels): never guessed.
    Unassigned,
}

/// A piece of the text: a slice of it, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said<'a> {
    pub speaker: Speaker,
    pub text: &'a str,
}

/// Where a speaker's words begin (the text before `cut` is the previous
/// speaker's) or, for a speaker written after the words, where they end.
enum Event {
    Begin { cut: usize, body: usize, speaker: Speaker },
    After { start: usize, end: usize, speaker: Speaker },
}

fn speaker(w: Who) -> Speaker {
    match w {
        Who::Person => Speaker::Person,
        Who::Family(r) => Speaker::Family(r),
        Who::Joint => Speaker::Shared,
    }
}

/// How the text reached a place where a speaker may be written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Boundary {
    /// The start, a line break or a run of U+3000 (ほのぼの's line break).
    Line,
    /// After 。 or ／.
    Sentence,
}

/// Splits the 意向 by the speakers it names. Text before the first speaker
/// and text under a heading that names nobody (【課題分析の結果】) is
/// [`Speaker::Unassigned`]; a sentence that only mentions someone stays
/// with whoever is speaking.
pub fn split_intentions<'a>(sp: &Speakers, text: &'a str) -> Vec<Said<'a>> {
    let events = scan(sp, text);
    let mut out = Vec::new();
    let mut push = |speaker: Speaker, a: usize, b: usize| {
        if a < b {
            let (a, b) = trimmed(text, a, b);
            if a < b {
                out.push(Said { speaker, text: &text[a..b] });
            }
        }
    };
    let (mut cur, mut start) = (Speaker::Unassigned, 0usize);
    for e in events {
        match e {
            Event::Begin { cut, body, speaker } => {
                push(cur, start, cut);
                (cur, start) = (speaker, body);
            }
            Event::After { start: p0, end: p1, speaker } => {
                // The words of a speaker written after them run back to the
                // start of their line (or the previous speaker's words).
                let line = text[..p0].rfind('\n').map_or(0, |i| i + 1).max(start);
                push(cur, start, line);
                push(speaker, line, p0);
                (cur, start) = (Speaker::Unassigned, p1);
            }
        }
    }
    push(cur, start, text.len());
    out
}

fn scan(sp: &Speakers, text: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let mut depth = 0usize;
    let mut at: Option<(usize, Boundary)> = Some((0, Boundary::Line));
    let mut wide_from: Option<usize> = None;
    let mut i = 0usize;
    while i < text.len() {
        if let Some((cut, kind)) = at.take() {
            if let Some((e, resume)) = marker(sp, text, i, cut, kind) {
                events.push(e);
                i = resume;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else { break };
        let next = i + c.len_utf8();
        if c == '\u{3000}' {
            wide_from.get_or_insert(i);
        } else {
            if let Some(w) = wide_from.take() {
                if text[w..i].chars().count() >= 2 && depth == 0 {
                    at = Some((w, Boundary::Line));
                    continue;
                }
            }
            match c {
                '「' | '『' => depth += 1,
                '」' | '』' => depth = depth.saturating_sub(1),
                '\n' => {
                    depth = 0;
                    at = Some((i, Boundary::Line));
                }
                '。' | '｡' | '！' | '？' if depth == 0 => at = Some((next, Boundary::Sentence)),
                '／' if depth == 0 => at = Some((i, Boundary::Sentence)),
                '【' | '〈' if depth == 0 => {
                    // 【本人】 and 〈家族〉 count wherever they stand.
                    if let Some((e, resume)) = labelled(sp, text, i, i, true) {
                        events.push(e);
                        i = resume;
                        continue;
                    }
                }
                '（' | '(' if depth == 0 => {
                    if let Some((e, resume)) = written_after(sp, text, i) {
                        events.push(e);
                        i = resume;
                        at = Some((resume, Boundary::Sentence));
                        continue;
                    }
                }
                _ => {}
            }
        }
        i = next;
    }
    events
}

/// A bracket label at `j` (`【家族（長男）】`, `(本人)`, `〈本人〉`). An
/// unknown heading at a line start (`【課題分析の結果】`) begins words
/// nobody is named for, keeping the heading.
fn labelled(sp: &Speakers, text: &str, j: usize, cut: usize, line: bool) -> Option<(Event, usize)> {
    let (open, inner, len) = bracket(&text[j..])?;
    if let Some(who) = sp.inner_speaker(inner) {
        let mut body = skip_spaces(text, j + len);
        if let Some(c) = text[body..].chars().next().filter(|c| matches!(c, '：' | ':')) {
            body = skip_spaces(text, body + c.len_utf8());
        }
        return Some((Event::Begin { cut, body, speaker: speaker(who) }, body));
    }
    let heading = matches!(open, '【' | '〈' | '《' | '［' | '[') || (line && matches!(open, '（' | '('));
    (heading && !inner.trim_matches(is_space).is_empty())
        .then(|| (Event::Begin { cut, body: j, speaker: Speaker::Unassigned }, j + len))
}

/// A speaker written where a line or sentence begins at `i`.
fn marker(sp: &Speakers, text: &str, i: usize, cut: usize, kind: Boundary) -> Option<(Event, usize)> {
    let mut j = skip_spaces(text, i);
    let bullet = text[j..].starts_with(['・', '･', '●', '○', '■', '◆', '◇', '＊', '*', '-', '－']);
    if bullet {
        j = skip_spaces(text, j + text[j..].chars().next().map_or(0, char::len_utf8));
    }
    if text[j..].starts_with(['【', '〈', '《', '［', '[', '（', '(']) {
        return labelled(sp, text, j, cut, kind == Boundary::Line);
    }
    let (who, n) = sp.expr(&text[j..])?;
    let after = j + n;
    let rest = &text[after..];
    // 本人：… / 本人 ： … / 妻）… / 本人→… / ・本人　…
    let gap = skip_spaces(text, after) - after;
    if let Some(d) =
        rest[gap..].chars().next().filter(|c| matches!(c, '：' | ':' | '）' | ')' | '→' | '⇒' | '＞' | '>'))
    {
        let body = skip_spaces(text, after + gap + d.len_utf8());
        return Some((Event::Begin { cut, body, speaker: speaker(who) }, body));
    }
    if bullet && gap > 0 {
        let body = after + gap;
        return Some((Event::Begin { cut, body, speaker: speaker(who) }, body));
    }
    // 本人・家族ともに、…
    if who == Who::Joint {
        if let Some(k) = sp.joint_at(rest) {
            let mut body = after + k;
            if let Some(c) = text[body..].chars().next().filter(|c| matches!(c, '、' | ',' | '，')) {
                body += c.len_utf8();
            }
            return Some((Event::Begin { cut, body, speaker: Speaker::Shared }, body));
        }
    }
    // ご本人『…』: the quotation is the words.
    if rest.starts_with(['「', '『']) {
        return Some((Event::Begin { cut, body: after, speaker: speaker(who) }, after));
    }
    // 長女より『…』 / 本人様より、「…」
    if let Some(r) = rest.strip_prefix("より").or_else(|| rest.strip_prefix("から")) {
        let mut body = after + (rest.len() - r.len());
        if let Some(c) = r.chars().next().filter(|c| matches!(c, '、' | ',' | '，')) {
            body += c.len_utf8();
        }
        let body = skip_spaces(text, body);
        return Some((Event::Begin { cut, body, speaker: speaker(who) }, body));
    }
    // 長女は「…」と希望している。: the sentence, marker and all.
    if rest.starts_with(['は', 'が', 'も']) && reports(sp, sentence(text, j)) {
        return Some((Event::Begin { cut, body: j, speaker: speaker(who) }, after));
    }
    None
}

/// The sentence that starts at `j` (to 。 outside quotes or the line end).
fn sentence(text: &str, j: usize) -> &str {
    let mut depth = 0usize;
    for (k, c) in text[j..].char_indices() {
        match c {
            '「' | '『' => depth += 1,
            '」' | '』' => depth = depth.saturating_sub(1),
            '\n' => return &text[j..j + k],
            '。' | '｡' if depth == 0 => return &text[j..j + k],
            _ => {}
        }
    }
    &text[j..]
}

fn reports(sp: &Speakers, s: &str) -> bool {
    sp.words.report.iter().any(|w| !w.is_empty() && s.contains(w.as_str()))
}

/// A speaker in brackets after the words (`…（本人）。`, `「…」（妻）`):
/// only when the bracket ends the sentence or line.
fn written_after(sp: &Speakers, text: &str, i: usize) -> Option<(Event, usize)> {
    let (_, inner, len) = bracket(&text[i..])?;
    let who = sp.inner_speaker(inner)?;
    let mut end = i + len;
    let rest = &text[end..];
    if let Some(c) = rest.chars().next().filter(|c| matches!(c, '。' | '｡')) {
        end += c.len_utf8();
    } else if !(rest.trim_start_matches(|c: char| is_space(c) && c != '\n').is_empty()
        || rest.trim_start_matches(|c: char| is_space(c) && c != '\n').starts_with('\n'))
    {
        return None;
    }
    // Words must come before it on its line.
    let line = text[..i].rfind('\n').map_or(0, |k| k + 1);
    if text[line..i].trim_matches(is_space).is_empty() {
        return None;
    }
    Some((Event::After { start: i, end, speaker: speaker(who) }, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<(String, String)> {
        split_intentions(Speakers::builtin(), t)
            .into_iter()
            .map(|s| {
                let who = match s.speaker {
                    Speaker::Person => "本人".to_string(),
                    Speaker::Family(r) => format!("家族:{r}"),
                    Speaker::Shared => "共".into(),
                    Speaker::Unassigned => "-".into(),
                };
                (who, s.text.to_string())
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn words_inside_a_sentence_are_not_speakers() {
        assert_eq!(split("本人：大丈夫、自分でできる。"), pairs(&[("本人", "大丈夫、自分でできる。")]));
        assert_eq!(split("本人は家族に迷惑をかけたくない。"), pairs(&[("-", "本人は家族に迷惑をかけたくない。")]));
        assert_eq!(split("注意：転倒に気をつける"), pairs(&[("-", "注意：転倒に気をつける")]));
        assert_eq!(split("【本人の意向】A【未閉じ"), pairs(&[("本人", "A【未閉じ")]));
        assert!(split("").is_empty());
    }
}
