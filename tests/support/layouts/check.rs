//! Classifies every expected value of a layout against the plans lsw wrote:
//!
//! - RIGHT: plan.json has the value as it was put in (compared as [`Exp`]
//!   says: text after NFKC with white space removed and 〜/～ made one,
//!   names without 殿/様, dates ISO, 第3表 slots and activities, 週単位以外
//!   items and 第4表 attendees as sets).
//! - EXPLAINED: the value is absent (null, "", [], no such element) and
//!   errors.json has an entry for the same file and the same sheet that
//!   names a cell the value was written to, or whose message contains the
//!   field's label. A present but different value is never explained.
//! - MISREAD: present but different; absent and unexplained; the plan not
//!   found; an element (need, service, slot, attendee…) or a plan that was
//!   not put in.
//!
//! A person's plan is the plan whose 利用者名 (normalised) is theirs and
//! whose key date is their plan date; failing that the only plan with their
//! name; failing that, when the layout has one person and lsw wrote one
//! plan, that plan (so a misread name costs one value, not all of them).

use super::{Check, Exp, PersonTruth, Truth};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Right,
    Explained,
    Misread,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub ptr: String,
    pub expected: String,
    pub got: String,
    /// 「sheet!A1:B2（label）」
    pub at: String,
    pub class: Class,
    pub gap: Option<&'static str>,
}

/// NFKC, no white space, the wave dashes and tildes as one 「~」.
pub fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).map(|c| if matches!(c, '〜' | '~' | '∼') { '~' } else { c }).collect()
}

fn name_norm(s: &str) -> String {
    norm(s).trim_end_matches(['殿', '様']).to_string()
}

/// Times written in a cell (「9:00~16:00」「10時~11時」「6:00」) removed.
fn strip_times(s: &str) -> String {
    let re = regex::Regex::new(r"\d{1,2}(:\d{2}|時(\d{1,2}分)?)([~\-－ー―‐](\d{1,2}(:\d{2}|時(\d{1,2}分)?)))?")
        .expect("regex");
    re.replace_all(&norm(s), "").to_string()
}

fn absent(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "（なし）".into(),
        Some(Value::String(s)) => format!("「{s}」").replace('\n', "⏎"),
        Some(other) => other.to_string(),
    }
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a present value is the expected one (fields, not set items).
fn matches(exp: &Exp, got: Option<&Value>, plan: &Value) -> bool {
    let t = text_of(got);
    match exp {
        Exp::Text(e) => t.is_some_and(|g| norm(&g) == norm(e)),
        Exp::Name(e) => t.is_some_and(|g| name_norm(&g) == name_norm(e)),
        Exp::Date(e) | Exp::Month(e) => t.as_deref() == Some(e.as_str()),
        Exp::OneOf(v) => t.is_some_and(|g| v.iter().any(|e| norm(&g) == norm(e))),
        Exp::True => got == Some(&Value::Bool(true)),
        Exp::NotTrue => matches!(got, None | Some(Value::Null) | Some(Value::Bool(false))),
        Exp::Null => absent(got),
        Exp::Reason(label) => t.is_some_and(|g| {
            let g = norm(&g);
            let rest = g.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['.', ':', '、', ',']);
            rest == norm(label)
        }),
        Exp::Number(n) => t.is_some_and(|g| norm(&g).chars().filter(char::is_ascii_digit).collect::<String>() == *n),
        Exp::Office(e) => {
            let joined = office_joined(plan);
            !joined.is_empty() && unbracket(&joined) == unbracket(&norm(e))
        }
        Exp::Attend(rel) => t.is_some_and(|g| {
            let g = norm(&g);
            let present = ["出席", "○", "〇", "◯"].iter().any(|m| g.contains(m)) && !g.contains("欠席");
            // The person's own attendance holds no family part (a value
            // that ran on into 「家族：…」 is misread).
            present && rel.as_ref().map_or(!g.contains("家族"), |r| g.contains(&norm(r)))
        }),
        Exp::Entry { item, content } => got.is_some_and(|e| {
            let (i, c) = entry_parts(e);
            i == norm(item) && c == norm(content)
        }),
        Exp::Slot { .. } | Exp::Activity { .. } | Exp::Item(_) | Exp::Attendee { .. } => {
            unreachable!("set items are matched as sets")
        }
    }
}

fn office_joined(plan: &Value) -> String {
    let part = |k: &str| plan.pointer(&format!("/office/{k}")).and_then(Value::as_str).unwrap_or("").to_string();
    norm(&format!("{}{}", part("name"), part("address")))
}

fn unbracket(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '(' | ')' | '（' | '）')).collect()
}

/// A 第5表 entry's (項目, 内容), the 項目 taken from a leading 「【電話】」 when
/// the entry has none, a leading time dropped.
fn entry_parts(e: &Value) -> (String, String) {
    let item = e.get("item").and_then(Value::as_str).map(norm).unwrap_or_default();
    let mut c = e.get("content").and_then(Value::as_str).map(norm).unwrap_or_default();
    let re = regex::Regex::new(r"^\d{1,2}:\d{2}").expect("regex");
    c = re.replace(&c, "").to_string();
    let mut lead = String::new();
    if let Some(rest) = c.strip_prefix('【') {
        if let Some((word, after)) = rest.split_once('】') {
            lead = word.to_string();
            c = after.to_string();
        }
    }
    if item.is_empty() || item == lead {
        (lead, c)
    } else {
        // An item and another 【…】 lead: the lead stays part of the content.
        let c = if lead.is_empty() { c } else { format!("【{lead}】{c}") };
        (item, c)
    }
}

fn is_entry_absent(got: Option<&Value>) -> bool {
    match got {
        Some(e @ Value::Object(_)) => absent(e.get("item")) && absent(e.get("content")),
        other => absent(other),
    }
}

/// errors.json entries of one file: sheet, cell, message.
pub struct Problem {
    pub sheet: Option<String>,
    pub cell: Option<(u32, u16)>,
    pub message: String,
}

pub fn problems(errors: &Value, file: &str) -> Vec<Problem> {
    errors
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            let path = e.get("file")?.as_str()?;
            let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            (name == file).then(|| Problem {
                sheet: e.get("sheet").and_then(Value::as_str).map(|s| s.trim().to_string()),
                cell: e.get("cell").and_then(Value::as_str).and_then(|c| {
                    let c = c.split(':').next().unwrap_or(c);
                    c.chars().any(|x| x.is_ascii_digit()).then(|| super::parse_a1(c))
                }),
                message: e.get("message").and_then(Value::as_str).unwrap_or("").to_string(),
            })
        })
        .collect()
}

fn explained(c: &Check, problems: &[Problem]) -> bool {
    problems.iter().any(|p| {
        p.sheet.as_deref() == Some(c.at.sheet.trim())
            && (p.cell.is_some_and(|(r, col)| c.at.contains(r, col))
                || c.at.label.split('|').any(|l| !l.is_empty() && norm(&p.message).contains(&norm(l))))
    })
}

fn at_text(c: &Check) -> String {
    if c.at.label.is_empty() {
        format!("{}!{}", c.at.sheet, c.at.a1())
    } else {
        format!("{}!{}（{}）", c.at.sheet, c.at.a1(), c.at.label)
    }
}

fn plan_name(p: &Value) -> String {
    let n = p
        .pointer("/person/name")
        .and_then(Value::as_str)
        .or_else(|| p.pointer("/key/person/name").and_then(Value::as_str));
    n.map(name_norm).unwrap_or_default()
}

/// Classifies a layout: `plans` are (path, plan.json) of the layout's run.
pub fn check(truth: &Truth, plans: &[(String, Value)], errors: &Value, file: &str) -> Vec<Outcome> {
    let problems = problems(errors, file);
    let mut used = vec![false; plans.len()];
    let mut out = Vec::new();
    for person in &truth.people {
        let name = name_norm(&person.name);
        let by_name: Vec<usize> = (0..plans.len()).filter(|&i| !used[i] && plan_name(&plans[i].1) == name).collect();
        let dated = by_name
            .iter()
            .copied()
            .find(|&i| plans[i].1.pointer("/key/plan_date").and_then(Value::as_str) == Some(person.plan_date.as_str()));
        let chosen = dated
            .or_else(|| (by_name.len() == 1).then(|| by_name[0]))
            .or_else(|| (truth.people.len() == 1 && plans.len() == 1).then_some(0));
        match chosen {
            Some(i) => {
                used[i] = true;
                out.extend(check_person(person, &plans[i].1, &problems));
            }
            None => out.extend(person.checks.iter().map(|c| Outcome {
                ptr: ptr_text(c),
                expected: exp_text(&c.exp),
                got: "（この人の計画が見つからない）".into(),
                at: at_text(c),
                class: Class::Misread,
                gap: c.gap,
            })),
        }
    }
    for (i, (path, _)) in plans.iter().enumerate() {
        if !used[i] {
            out.push(Outcome {
                ptr: "（計画）".into(),
                expected: "（なし）".into(),
                got: format!("入れていない計画 {path}"),
                at: String::new(),
                class: Class::Misread,
                gap: None,
            });
        }
    }
    out
}

fn ptr_text(c: &Check) -> String {
    if c.exp.is_set_item() {
        format!("{}[]", c.ptr)
    } else {
        c.ptr.clone()
    }
}

pub fn exp_text(e: &Exp) -> String {
    match e {
        Exp::Text(s)
        | Exp::Name(s)
        | Exp::Date(s)
        | Exp::Month(s)
        | Exp::Reason(s)
        | Exp::Number(s)
        | Exp::Office(s)
        | Exp::Item(s) => format!("「{s}」").replace('\n', "⏎"),
        Exp::OneOf(v) => v.join("｜"),
        Exp::True => "true".into(),
        Exp::NotTrue => "null/false".into(),
        Exp::Null => "（空）".into(),
        Exp::Attend(r) => format!("出席{}", r.as_ref().map(|r| format!("（{r}）")).unwrap_or_default()),
        Exp::Entry { item, content } => format!("【{item}】{content}"),
        Exp::Slot { day, start, end, service } => format!("{day} {start}-{end} {}", service.join("｜")),
        Exp::Activity { start, text } => format!("{start} {text}"),
        Exp::Attendee { affiliation, name } => format!("{affiliation} {name}"),
    }
}

fn check_person(person: &PersonTruth, plan: &Value, problems: &[Problem]) -> Vec<Outcome> {
    let mut plan = plan.clone();
    // 第5表 entries in date order (a reader may list the right half first).
    if let Some(Value::Array(a)) = plan.get_mut("table5") {
        a.sort_by(|x, y| {
            let d = |v: &Value| v.get("date").and_then(Value::as_str).unwrap_or("9999").to_string();
            d(x).cmp(&d(y))
        });
    }
    let mut out = Vec::new();
    let mut set_ptrs: Vec<&str> = Vec::new();
    for c in &person.checks {
        if c.exp.is_set_item() {
            if !set_ptrs.contains(&c.ptr.as_str()) {
                set_ptrs.push(&c.ptr);
            }
            continue;
        }
        let got = match &c.exp {
            Exp::Office(_) => {
                let j = office_joined(&plan);
                (!j.is_empty()).then(|| {
                    Value::String(format!(
                        "{} | {}",
                        plan.pointer("/office/name").and_then(Value::as_str).unwrap_or(""),
                        plan.pointer("/office/address").and_then(Value::as_str).unwrap_or("")
                    ))
                })
            }
            _ => plan.pointer(&c.ptr).cloned(),
        };
        // The element the value belongs to is not there (a service not
        // read): the value is absent, even one expected blank.
        let parent = c.ptr.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        let orphan = !parent.is_empty() && plan.pointer(parent).is_none_or(Value::is_null);
        let class = if !orphan && matches(&c.exp, got.as_ref(), &plan) {
            Class::Right
        } else if (matches!(c.exp, Exp::Entry { .. }) && is_entry_absent(got.as_ref()))
            || (!matches!(c.exp, Exp::Entry { .. }) && absent(got.as_ref()))
        {
            if explained(c, problems) {
                Class::Explained
            } else {
                Class::Misread
            }
        } else {
            Class::Misread
        };
        out.push(Outcome {
            ptr: ptr_text(c),
            expected: exp_text(&c.exp),
            got: show(got.as_ref()),
            at: at_text(c),
            class,
            gap: c.gap,
        });
    }
    for ptr in set_ptrs {
        let checks: Vec<&Check> = person.checks.iter().filter(|c| c.ptr == ptr && c.exp.is_set_item()).collect();
        out.extend(match_set(ptr, &checks, &plan, problems));
    }
    // Elements beyond what was put in (a footnote read as a need…).
    for (ptr, n) in &person.lens {
        if person.checks.iter().any(|c| c.ptr == *ptr && c.exp.is_set_item()) {
            continue;
        }
        if let Some(Value::Array(a)) = plan.pointer(ptr) {
            for (i, extra) in a.iter().enumerate().skip(*n) {
                out.push(Outcome {
                    ptr: format!("{ptr}/{i}"),
                    expected: "（入れていない）".into(),
                    got: summary(extra),
                    at: String::new(),
                    class: Class::Misread,
                    gap: None,
                });
            }
        }
    }
    out
}

/// A short text of an element that was not put in.
fn summary(v: &Value) -> String {
    let mut parts = Vec::new();
    for k in
        ["text", "content", "kind", "service", "day", "start", "end", "name", "affiliation", "item", "date", "held_on"]
    {
        if let Some(s) = v.get(k).and_then(Value::as_str) {
            parts.push(s.replace('\n', "⏎"));
        }
    }
    if parts.is_empty() {
        let s = v.to_string();
        s.chars().take(80).collect()
    } else {
        parts.join(" / ")
    }
}

/// A plan's set items at `ptr`, as (comparable text, similarity key, shown).
fn set_items(ptr: &str, plan: &Value) -> Vec<(String, String, String)> {
    let arr = plan.pointer(ptr).and_then(Value::as_array).cloned().unwrap_or_default();
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    match ptr {
        "/table3/weekly" => arr
            .iter()
            .map(|v| {
                let key = format!(
                    "{}|{}|{}|{}",
                    norm(&s(v, "day")),
                    s(v, "start"),
                    s(v, "end"),
                    strip_times(&s(v, "service"))
                );
                (key, norm(&s(v, "day")), summary(v))
            })
            .collect(),
        "/table3/daily_activities" => arr
            .iter()
            .map(|v| {
                let text = strip_times(&s(v, "text"));
                (format!("{}|{}", s(v, "start"), text), text, summary(v))
            })
            .collect(),
        "/table3/non_weekly" => arr
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|x| x.split(['、', '\n', ',', '，']).map(norm).filter(|x| !x.is_empty()).collect::<Vec<_>>())
            .map(|x| (x.clone(), String::new(), x))
            .collect(),
        _ => arr
            .iter()
            .map(|v| {
                let joined = norm(&format!("{}{}", s(v, "affiliation"), s(v, "name")));
                (joined, name_norm(&s(v, "name")), summary(v))
            })
            .collect(),
    }
}

/// The comparable texts of an expected set item (several: alternatives)
/// and its similarity key.
fn expected_keys(e: &Exp) -> (Vec<String>, String) {
    match e {
        Exp::Slot { day, start, end, service } => {
            (service.iter().map(|n| format!("{}|{start}|{end}|{}", norm(day), norm(n))).collect(), norm(day))
        }
        Exp::Activity { start, text } => (vec![format!("{start}|{}", norm(text))], norm(text)),
        Exp::Item(t) => (vec![norm(t)], String::new()),
        Exp::Attendee { affiliation, name } => (vec![norm(&format!("{affiliation}{name}"))], name_norm(name)),
        _ => unreachable!("not a set item"),
    }
}

fn match_set(ptr: &str, checks: &[&Check], plan: &Value, problems: &[Problem]) -> Vec<Outcome> {
    let items = set_items(ptr, plan);
    let mut taken = vec![false; items.len()];
    let mut result: Vec<Option<(Class, String)>> = vec![None; checks.len()];
    // Exact matches first.
    for (k, c) in checks.iter().enumerate() {
        let (alts, _) = expected_keys(&c.exp);
        if let Some(i) = (0..items.len()).find(|&i| !taken[i] && alts.contains(&items[i].0)) {
            taken[i] = true;
            result[k] = Some((Class::Right, items[i].2.clone()));
        }
    }
    // Then a similar element read differently, else absent.
    for (k, c) in checks.iter().enumerate() {
        if result[k].is_some() {
            continue;
        }
        let (_, key) = expected_keys(&c.exp);
        let similar = (0..items.len()).find(|&i| !taken[i] && !key.is_empty() && items[i].1 == key);
        result[k] = Some(match similar {
            Some(i) => {
                taken[i] = true;
                (Class::Misread, items[i].2.clone())
            }
            None if explained(c, problems) => (Class::Explained, "（なし）".into()),
            None => (Class::Misread, "（なし）".into()),
        });
    }
    let mut out: Vec<Outcome> = checks
        .iter()
        .zip(result)
        .map(|(c, r)| {
            let (class, got) = r.expect("classified");
            Outcome { ptr: ptr_text(c), expected: exp_text(&c.exp), got, at: at_text(c), class, gap: c.gap }
        })
        .collect();
    for (i, item) in items.iter().enumerate() {
        if !taken[i] {
            out.push(Outcome {
                ptr: format!("{ptr}[]"),
                expected: "（入れていない）".into(),
                got: item.2.clone(),
                at: String::new(),
                class: Class::Misread,
                gap: None,
            });
        }
    }
    out
}
