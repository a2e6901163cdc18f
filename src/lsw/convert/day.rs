//! 様式4 ライフサポートプラン② (24時間シート): 第2表's daily routine
//! support at its time, 第3表's current day (主な日常生活上の活動: what the
//! person does, the family's visits, the services), weekly and other
//! non-daily support in the 下欄, and what the 小多機 team fills.

use super::plan::service_text;
use super::{decide, placed, Decision, Who};
use crate::lsw::rules::{minutes, Compiled};
use crate::model::lsw::*;
use crate::model::*;
use crate::text::{norm_cow, norm_label};

/// The sheet's rows, from the rules.
pub(super) fn init(rules: &Compiled, f: &mut LswForms) {
    f.form4.slots = rules
        .rows
        .iter()
        .map(|(m, band)| Form4Slot { time: hhmm(*m), band: band.clone(), ..Form4Slot::default() })
        .collect();
}

pub(super) fn form4(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    from_table3(plan, rules, f);
    for s in &mut f.form4.slots {
        s.to_fill = to_fill(s);
    }
    // Dated additions after monitoring (更新部分) are the team's.
    f.form4.to_fill = vec!["updates".into()];
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The 様式4 row a time falls in: the last row starting at or before it.
fn row_of(rules: &Compiled, minute: u16) -> usize {
    rules.rows.iter().rposition(|(m, _)| *m <= minute).unwrap_or(0)
}

/// Whether a row is in the night (22:00–6:00), which a 居宅 plan seldom
/// covers.
fn night(time: &str) -> bool {
    minutes(time).is_some_and(|m| !(6 * 60..22 * 60).contains(&m))
}

fn to_fill(s: &Form4Slot) -> ToFill {
    let mut fill: Vec<&str> = vec!["before", "wish"];
    let night = night(&s.time);
    let su = &s.support;
    for (name, empty, always) in [
        ("can_do", s.can_do.is_empty(), true),
        ("support_needed", s.support_needed.is_empty(), night),
        ("support.person", su.person.is_empty(), true),
        ("support.family", su.family.is_empty(), night),
        ("support.community", su.community.is_empty(), true),
    ] {
        if empty && always {
            fill.push(name);
        }
    }
    // The 小多機's own 通い・訪問・宿泊: a 居宅 service to replace is not it.
    if su.office.iter().all(|p| p.replace.is_some()) {
        fill.push("support.office");
    }
    fill.into_iter().map(String::from).collect()
}

/// The first time written in a text (`7:00〜7:30 朝食`, `19時半`, `8時30分`),
/// as minutes after midnight.
pub(crate) fn written_time(text: &str) -> Option<u16> {
    let t = norm_cow(text);
    let b = t.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = 0;
    while i < b.len() {
        let n = digits(i);
        if n == 0 || n > 2 || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += n.max(1);
            continue;
        }
        let h: u16 = t[i..i + n].parse().ok()?;
        let rest = &t[i + n..];
        let minute = if let Some(r) = rest.strip_prefix(':') {
            let m = r.bytes().take_while(u8::is_ascii_digit).count();
            (m == 2).then(|| r[..2].parse::<u16>().ok()).flatten()
        } else if let Some(r) = rest.strip_prefix('時') {
            let m = r.bytes().take_while(u8::is_ascii_digit).count();
            if r.starts_with('半') {
                Some(30)
            } else if (1..=2).contains(&m) && r[m..].starts_with('分') {
                r[..m].parse().ok()
            } else {
                Some(0)
            }
        } else {
            None
        };
        if let Some(m) = minute.filter(|m| *m < 60 && h <= 24) {
            return Some((h % 24) * 60 + m);
        }
        i += n;
    }
    None
}

/// A 第2表 service of the daily routine (入浴, 排泄, 服薬…) goes to its row
/// when it is daily: at the time it is written with, else at the rules'
/// time for its words; otherwise to the 下欄.
pub(super) fn routine(rules: &Compiled, f: &mut LswForms, s: &Service, decision: Option<&Decision>) {
    let content = s.content.as_deref().unwrap_or("");
    let content_n = norm_label(content);
    let who = decision.map(|d| d.who);
    if rules.routine.find(&content_n).is_none() || who == Some(Who::OtherService) {
        return;
    }
    let freq = s.frequency.as_deref().unwrap_or("");
    let freq_n = norm_label(freq);
    let mut p = placed(&service_text(s), Some(&s.source));
    p.replace = decision.and_then(|d| d.replace.clone());
    let is_daily = rules.daily.find(&freq_n).is_some();
    let time = written_time(content).or_else(|| written_time(freq)).or_else(|| {
        rules
            .times
            .iter()
            .find(|(terms, _)| terms.find(&content_n).is_some() || terms.find(&freq_n).is_some())
            .map(|(_, m)| *m)
    });
    match (is_daily, time) {
        (true, Some(m)) => {
            let slot = &mut f.form4.slots[row_of(rules, m)];
            let need = || placed(content, Some(&s.source));
            match who {
                Some(Who::Person) => {
                    slot.can_do.push(p.clone());
                    slot.support.person.push(p);
                }
                Some(Who::Family) => {
                    slot.support_needed.push(need());
                    slot.support.family.push(p);
                }
                Some(Who::Office) if p.replace.is_some() => {
                    slot.support_needed.push(need());
                    slot.support.office.push(p);
                }
                // Professionals and other services are 地域 on the sheet
                // (the guide's 地域 takes in 事業所や専門職).
                Some(Who::Community | Who::Office | Who::OtherService) => {
                    slot.support_needed.push(need());
                    slot.support.community.push(p);
                }
                // No one named: the need stays, with no carer (L4-03 flags it).
                None => slot.support_needed.push(p),
            }
        }
        _ => {
            if !freq.is_empty() {
                p.text = format!("{}（{freq}）", p.text);
            }
            f.form4.non_daily.push(p);
        }
    }
}

/// 第3表: the current day (主な日常生活上の活動) by who it describes, the
/// weekly services (every day: their row; some days: the 下欄) and the
/// 週単位以外のサービス.
fn from_table3(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    let t3 = &plan.table3;
    for a in &t3.daily_activities {
        let at = a.start.as_deref().and_then(minutes).unwrap_or(0);
        let text = match (&a.start, &a.end) {
            (Some(s), Some(e)) if s != e => format!("{}（{s}〜{e}）", a.text),
            (Some(s), _) => format!("{}（{s}）", a.text),
            _ => a.text.clone(),
        };
        let mut p = placed(&text, Some(&a.source));
        let slot = &mut f.form4.slots[row_of(rules, at)];
        // 「長女訪問、洗濯・掃除」 is the family's; 「通所介護送迎」 a service;
        // the rest is what the person does now (していること).
        let family = starts_with_family(rules, &a.text);
        let decision = decide(rules, Some(&a.text), None, None);
        if family {
            slot.support.family.push(p);
        } else if let Some(d) = decision.filter(|d| d.service.is_some()) {
            if d.replace.is_some() {
                p.replace = d.replace;
                slot.support.office.push(p);
            } else {
                slot.support.community.push(p);
            }
        } else {
            slot.can_do.push(p);
        }
    }
    // Weekly services: one entry per service and time, with its weekdays.
    // (service, start, end, weekdays, first source)
    type Group = (String, Option<String>, Option<String>, Vec<String>, crate::diag::Source);
    let mut groups: Vec<Group> = Vec::new();
    for w in &t3.weekly {
        match groups.iter_mut().find(|g| g.0 == w.service && g.1 == w.start && g.2 == w.end) {
            Some(g) => g.3.extend(w.day.clone()),
            None => groups.push((
                w.service.clone(),
                w.start.clone(),
                w.end.clone(),
                w.day.clone().into_iter().collect(),
                w.source.clone(),
            )),
        }
    }
    for (service, start, end, mut days, source) in groups {
        days.dedup();
        let when = match (&start, &end) {
            (Some(s), Some(e)) => format!("{s}〜{e}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        };
        let every_day = days.len() >= 7;
        let text = if every_day {
            format!("{service}（毎日 {when}）")
        } else {
            format!("{service}（{}曜 {when}）", days.join("・"))
        };
        let decision = decide(rules, Some(&service), None, None);
        let mut p = placed(&text.replace(" ）", "）"), Some(&source));
        p.replace = decision.as_ref().and_then(|d| d.replace.clone());
        // The guide: 週間など日々以外の部分は下欄に記入します.
        match (every_day, start.as_deref().and_then(minutes)) {
            (true, Some(m)) => {
                let slot = &mut f.form4.slots[row_of(rules, m)];
                match decision.map(|d| d.who) {
                    Some(Who::Person) => slot.support.person.push(p),
                    Some(Who::Family) => slot.support.family.push(p),
                    Some(Who::Office) if p.replace.is_some() => slot.support.office.push(p),
                    _ => slot.support.community.push(p),
                }
            }
            _ => f.form4.non_daily.push(p),
        }
    }
    for (i, text) in t3.non_weekly.iter().enumerate() {
        let mut p = placed(text, t3.non_weekly_sources.get(i));
        p.replace = decide(rules, Some(text), None, None).and_then(|d| d.replace);
        f.form4.non_daily.push(p);
    }
}

/// An activity that starts with a family member (「長女訪問」).
fn starts_with_family(rules: &Compiled, text: &str) -> bool {
    let w = &rules.speakers.words;
    w.relations.iter().chain(&w.family).any(|r| !r.is_empty() && text.starts_with(r.as_str()))
}

#[cfg(test)]
mod tests {
    use super::written_time;

    #[test]
    fn times_as_people_write_them() {
        assert_eq!(written_time("7:00〜7:30 朝食"), Some(420));
        assert_eq!(written_time("毎日１９時半に服薬確認"), Some(19 * 60 + 30));
        assert_eq!(written_time("8時30分 送迎"), Some(510));
        assert_eq!(written_time("週2回（月・木）"), None);
        assert_eq!(written_time("R7.4.1～R7.9.30"), None);
        assert_eq!(written_time("123:45"), None);
    }
}
