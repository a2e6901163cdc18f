//! The conversion itself; see the module doc of [`crate::lsw`].

use super::rules::{minutes, Compiled};
use crate::diag::Source;
use crate::model::lsw::*;
use crate::model::*;
use crate::text::norm_label;

/// Who a service or a sentence belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Person,
    Family,
    Community,
    Office,
    OtherService,
}

impl Who {
    pub fn label(self) -> &'static str {
        match self {
            Who::Person => "本人",
            Who::Family => "家族・介護者",
            Who::Community => "地域",
            Who::Office => "専門職・事業所",
            Who::OtherService => "他の介護保険サービス",
        }
    }
}

/// Decides who provides a 第2表 service: by サービス種別 and ※2, in the order
/// person, family, a 介護保険 service the catalogue (`mappings/services.toml`)
/// names, community, other 介護保険 services, office; an insured service (※1)
/// nobody named is the office's. None when nothing says.
pub fn who_provides(
    rules: &Compiled,
    kind: Option<&str>,
    provider: Option<&str>,
    insured: Option<bool>,
) -> Option<Who> {
    let kind_n = norm_label(kind.unwrap_or(""));
    let provider_n = norm_label(provider.unwrap_or(""));
    // サービス種別 decides first: 「家族」 with provider 「長女」 is family; 「訪問看護」 is
    // another insurance service whoever runs it.
    for text in [&kind_n, &provider_n] {
        for (terms, who) in [(&rules.person, Who::Person), (&rules.family, Who::Family)] {
            if terms.find(text).is_some() {
                return Some(who);
            }
        }
        // A service with a サービス種類コード is a 事業所's, whatever words its
        // name shares with people or places (「地域密着型通所介護」 is not 地域).
        if let Some(who) = catalogued(rules, text) {
            return Some(who);
        }
        for (terms, who) in [
            (&rules.community, Who::Community),
            (&rules.other_services, Who::OtherService),
            (&rules.office, Who::Office),
        ] {
            if terms.find(text).is_some() {
                return Some(who);
            }
        }
    }
    (insured == Some(true)).then_some(Who::Office)
}

/// The placement of a 介護保険 service the catalogue names for certain: one
/// of [who].other_services, else the office's.
fn catalogued(rules: &Compiled, text: &str) -> Option<Who> {
    let m = crate::model::services::Catalogue::builtin()
        .find_all(text)
        .into_iter()
        .find(|m| m.certain && m.service.code.is_some())?;
    let other =
        rules.other_services.find(text).is_some() || rules.other_services.find(&norm_label(&m.service.name)).is_some();
    Some(if other { Who::OtherService } else { Who::Office })
}

/// Who a sentence of a record is about (様式1/2 columns): family, community,
/// else the person.
fn who_said(rules: &Compiled, sentence: &str) -> Who {
    let n = norm_label(sentence);
    if rules.family.find(&n).is_some() {
        Who::Family
    } else if rules.community.find(&n).is_some() {
        Who::Community
    } else {
        Who::Person
    }
}

fn placed(text: &str, source: Option<&Source>) -> Placed {
    Placed { text: text.to_string(), source: source.cloned() }
}

/// Sentences of a text (split after 。 and at line breaks), trimmed.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        for ch in line.chars() {
            cur.push(ch);
            if ch == '。' {
                let s = cur.trim().to_string();
                if !s.is_empty() {
                    out.push(s);
                }
                cur.clear();
            }
        }
        let s = cur.trim().to_string();
        if !s.is_empty() {
            out.push(s);
        }
    }
    out
}

fn src<'a>(sources: &'a Sources, key: &str) -> Option<&'a Source> {
    sources.get(key)
}

pub fn convert(plan: &CarePlan, rules: &Compiled) -> LswForms {
    let mut f = LswForms { key: plan.key.clone(), ..LswForms::default() };
    let mut un: Vec<Unclassified> = Vec::new();
    header(plan, &mut f, &mut un);
    form3_from_table1(plan, rules, &mut f);
    f.form4.slots = rules
        .rows
        .iter()
        .map(|(m, band)| Form4Slot { time: hhmm(*m), band: band.clone(), ..Form4Slot::default() })
        .collect();
    form3_and_4_from_table2(plan, rules, &mut f, &mut un);
    form4_from_table3(plan, rules, &mut f);
    form2_from_table4(plan, rules, &mut f, &mut un);
    form1_from_table5(plan, rules, &mut f);
    // 第6表・第7表: 現行様式使用.
    f.table6 = plan.table6.clone();
    f.table7 = plan.table7.clone();
    for m in &plan.earlier_months {
        for (what, month) in
            [("第6表", m.table6.as_ref().map(|t| &t.month)), ("第7表", m.table7.as_ref().map(|t| &t.month))]
        {
            if let Some(month) = month {
                un.push(Unclassified {
                    text: format!("{what}（{month}）"),
                    source: None,
                    reason: format!("前の月の{what}です。plan.json の earlier_months にあり、様式には最新の月（現行様式使用）だけを載せています"),
                });
            }
        }
    }
    for (k, v) in plan.table1.extra.iter() {
        un.push(Unclassified {
            text: format!("{k}: {v}"),
            source: plan.table1.source.clone(),
            reason: "ライフサポートワーク様式に対応する欄がありません".into(),
        });
    }
    un.sort();
    f.unclassified = un;
    f
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn header(plan: &CarePlan, f: &mut LswForms, un: &mut Vec<Unclassified>) {
    let t1 = &plan.table1;
    let c = &t1.certification;
    let (p, o) = (&plan.person, &plan.office);
    f.header = Header {
        person_name: p.name.clone(),
        person_kana: p.kana.clone(),
        sex: p.sex.clone(),
        birth_date: p.birth_date,
        postal_code: p.postal_code.clone(),
        address: p.address.clone(),
        phone: p.phone.clone(),
        office_name: o.name.clone(),
        office_code: o.code.clone(),
        office_postal_code: o.postal_code.clone(),
        office_address: o.address.clone(),
        planner: t1.planner.clone(),
        created_on: t1.created_on.or(plan.key.plan_date),
        first_created_on: t1.first_created_on,
        plan_kind: t1.plan_kind.clone(),
        consent_on: t1.consent_on,
        care_level: c.care_level.clone().or_else(|| plan.table6.as_ref().and_then(|t| t.care_level.clone())),
        certification_status: c.status.clone(),
        certified_on: c.certified_on,
        certification_valid_from: c.valid_from,
        certification_valid_to: c.valid_to,
        certification_period: c.valid_period.clone(),
        limit_units: c.limit_units.or_else(|| plan.table6.as_ref().and_then(|t| t.limit_units)),
        limit_from: c.limit_from,
        limit_to: c.limit_to,
        previous_care_level: c.previous_care_level.clone(),
        care_level_changed_on: c.care_level_changed_on,
        weekly_from_month: plan.table3.from_month.clone(),
    };
    // The guide drops the reason for 生活援助中心型: 小規模多機能 is paid as a bundle.
    let reason = "小規模多機能型居宅介護は包括報酬のため、生活援助中心型の算定理由は様式にありません（ガイド3-1）";
    let lsr = &t1.living_support_reason;
    for (label, v, key) in [
        ("生活援助中心型の算定理由", &lsr.code, "living_support_reason.code"),
        ("生活援助中心型の算定理由（その他）", &lsr.other, "living_support_reason.other"),
    ] {
        if let Some(v) = v {
            un.push(Unclassified {
                text: format!("{label}: {v}"),
                source: src(&t1.sources, key).cloned(),
                reason: reason.into(),
            });
        }
    }
}

fn form3_from_table1(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    let t1 = &plan.table1;
    let s = &t1.sources;
    f.form3.review_opinion = t1.review_opinion.as_deref().map(|v| placed(v, src(s, "review_opinion")));
    f.form3.policy = t1.policy.as_deref().map(|v| placed(v, src(s, "policy")));
    let i = &t1.intentions;
    f.form3.intentions.text = i.text.as_deref().map(|v| placed(v, src(s, "intentions.text")));
    f.form3.intentions.person = i.person.as_deref().map(|v| placed(v, src(s, "intentions.person")));
    f.form3.intentions.family = i.family.as_deref().map(|v| placed(v, src(s, "intentions.family")));
    if i.person.is_none() && i.family.is_none() {
        f.form3.intentions.other = i.text.as_deref().map(|v| placed(v, src(s, "intentions.text")));
    } else if let Some(text) = &i.text {
        // Text outside the 【本人】【家族】 blocks stays beside them.
        let rest: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("【本人の意向】") && !l.starts_with("【家族の意向】"))
            .map(str::to_string)
            .collect();
        if !rest.is_empty() {
            f.form3.intentions.other = Some(placed(&rest.join("\n"), src(s, "intentions.text")));
        }
    }
    if let Some(policy) = &t1.policy {
        for sentence in sentences(policy) {
            if rules.emergency.find(&norm_label(&sentence)).is_some() {
                f.form3.emergency.push(placed(&sentence, src(s, "policy")));
            }
        }
    }
}

/// The 様式4 row a time falls in: the last row starting at or before it.
fn row_of(rules: &Compiled, minute: u16) -> usize {
    rules.rows.iter().rposition(|(m, _)| *m <= minute).unwrap_or(0)
}

fn service_text(s: &Service) -> String {
    let content = s.content.clone().unwrap_or_default();
    match (&s.provider, &s.kind) {
        (Some(p), _) if !content.is_empty() => format!("{content}（{p}）"),
        (Some(p), _) => p.clone(),
        (None, Some(k)) if content.is_empty() => k.clone(),
        _ => content,
    }
}

fn action_text(s: &Service) -> String {
    let mut parts = vec![s.content.clone().unwrap_or_default()];
    if let Some(k) = &s.kind {
        parts.push(format!("［{k}］"));
    }
    if let Some(p) = &s.provider {
        parts.push(format!("担当: {p}"));
    }
    if let Some(c) = &s.provider_code {
        parts.push(format!("事業所番号: {c}"));
    }
    if let Some(fq) = &s.frequency {
        parts.push(format!("頻度: {fq}"));
    }
    if let Some(p) = &s.period {
        parts.push(format!("期間: {}", p.raw));
    }
    if let Some(m) = &s.insured_mark {
        parts.push(format!("※1: {m}"));
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

fn form3_and_4_from_table2(plan: &CarePlan, rules: &Compiled, f: &mut LswForms, un: &mut Vec<Unclassified>) {
    let mut goals: Vec<String> = Vec::new();
    for need in &plan.table2.needs {
        let need_src = src(&need.sources, "text").or(Some(&need.source));
        let mut row = Form3Need { need: placed(need.text.as_deref().unwrap_or(""), need_src), ..Form3Need::default() };
        for long in &need.long_goals {
            if let Some(t) = &long.text {
                if !goals.contains(t) {
                    goals.push(t.clone());
                    f.form3.goal.push(Dated {
                        text: t.clone(),
                        period: long.period.clone(),
                        source: src(&long.sources, "text").cloned().or(Some(long.source.clone())),
                    });
                }
            }
            for short in &long.short_goals {
                if row.period.is_none() {
                    row.period = short.period.clone().or_else(|| long.period.clone());
                }
                if let Some(t) = &short.text {
                    row.process.push(Dated {
                        text: t.clone(),
                        period: short.period.clone(),
                        source: src(&short.sources, "text").cloned().or(Some(short.source.clone())),
                    });
                }
                for s in &short.services {
                    place_service(rules, f, &mut row, need, s, un);
                }
            }
        }
        if row.period.is_none() {
            row.period = need.long_goals.iter().find_map(|g| g.period.clone());
        }
        f.form3.needs.push(row);
    }
}

fn place_service(
    rules: &Compiled,
    f: &mut LswForms,
    row: &mut Form3Need,
    need: &Need,
    s: &Service,
    un: &mut Vec<Unclassified>,
) {
    let source = Some(&s.source);
    row.action_plan.push(Dated { text: action_text(s), period: s.period.clone(), source: source.cloned() });
    let text = service_text(s);
    let who = who_provides(rules, s.kind.as_deref(), s.provider.as_deref(), s.insured);
    match who {
        Some(Who::Person) => row.person.push(placed(&text, source)),
        Some(Who::Family) => row.family.push(placed(&text, source)),
        Some(Who::Community) => row.community.push(placed(&text, source)),
        Some(Who::Office) => row.office.push(placed(&text, source)),
        Some(Who::OtherService) => f.form3.other_services.push(OtherService {
            kind: s.kind.clone().unwrap_or_default(),
            provider: s.provider.clone(),
            necessity: need.text.clone(),
            content: s.content.clone(),
            frequency: s.frequency.clone(),
            period: s.period.clone(),
            source: s.source.clone(),
        }),
        None => un.push(Unclassified {
            text: format!("{}（サービス種別: {} / 事業所: {}）", text, s.kind.as_deref().unwrap_or("なし"), s.provider.as_deref().unwrap_or("なし")),
            source: Some(s.source.clone()),
            reason: "サービス種別・事業所から、本人・家族・地域・事業所のどれが行うか決められません（行動計画には載せています）".into(),
        }),
    }
    for (k, v) in s.extra.iter() {
        un.push(Unclassified {
            text: format!("{k}: {v}"),
            source: Some(s.source.clone()),
            reason: "ライフサポートワーク様式に対応する欄がありません".into(),
        });
    }
    // Routine daily support also goes to 様式4.
    let content_n = norm_label(s.content.as_deref().unwrap_or(""));
    if rules.routine.find(&content_n).is_none() || who == Some(Who::OtherService) {
        return;
    }
    let freq_n = norm_label(s.frequency.as_deref().unwrap_or(""));
    let p = placed(&text, source);
    let is_daily = rules.daily.find(&freq_n).is_some();
    let time = rules
        .times
        .iter()
        .find(|(terms, _)| terms.find(&content_n).is_some() || terms.find(&freq_n).is_some())
        .map(|(_, m)| *m);
    match (is_daily, time) {
        (true, Some(m)) => {
            let slot = &mut f.form4.slots[row_of(rules, m)];
            match who {
                Some(Who::Person) => {
                    slot.can_do.push(p.clone());
                    slot.support.person.push(p);
                }
                Some(Who::Family) => {
                    slot.support_needed.push(placed(s.content.as_deref().unwrap_or(""), source));
                    slot.support.family.push(p);
                }
                Some(Who::Community) => {
                    slot.support_needed.push(placed(s.content.as_deref().unwrap_or(""), source));
                    slot.support.community.push(p);
                }
                Some(Who::Office | Who::OtherService) => {
                    slot.support_needed.push(placed(s.content.as_deref().unwrap_or(""), source));
                    slot.support.office.push(p);
                }
                // No one named: the need stays, with no carer (L4-03 flags it).
                None => slot.support_needed.push(p),
            }
        }
        _ => {
            let freq = s.frequency.as_deref().map(|x| format!("（{x}）")).unwrap_or_default();
            f.form4.non_daily.push(placed(&format!("{text}{freq}"), source));
        }
    }
}

fn form4_from_table3(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    let t3 = &plan.table3;
    for a in &t3.daily_activities {
        let at = a.start.as_deref().and_then(minutes).unwrap_or(0);
        let text = match (&a.start, &a.end) {
            (Some(s), Some(e)) if s != e => format!("{}（{s}〜{e}）", a.text),
            (Some(s), _) => format!("{}（{s}）", a.text),
            _ => a.text.clone(),
        };
        f.form4.slots[row_of(rules, at)].before.push(placed(&text, Some(&a.source)));
    }
    // Weekly services: one entry per service and time, with its weekdays.
    // (service, start, end, weekdays, first source)
    type Group = (String, Option<String>, Option<String>, Vec<String>, Source);
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
    for (service, start, end, days, source) in groups {
        let when = match (&start, &end) {
            (Some(s), Some(e)) => format!("{s}〜{e}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        };
        let text = format!("{service}（{}曜 {when}）", days.join("・"));
        match start.as_deref().and_then(minutes) {
            Some(m) => {
                let who = who_provides(rules, Some(&service), None, None).unwrap_or(Who::Office);
                let slot = &mut f.form4.slots[row_of(rules, m)];
                let p = placed(&text, Some(&source));
                match who {
                    Who::Person => slot.support.person.push(p),
                    Who::Family => slot.support.family.push(p),
                    Who::Community => slot.support.community.push(p),
                    _ => slot.support.office.push(p),
                }
            }
            None => f.form4.non_daily.push(placed(&text, Some(&source))),
        }
    }
    for (i, text) in t3.non_weekly.iter().enumerate() {
        f.form4.non_daily.push(placed(text, t3.non_weekly_sources.get(i)));
    }
}

fn route(
    rules: &Compiled,
    text: &str,
    source: Option<&Source>,
    person: &mut Vec<Placed>,
    family: &mut Vec<Placed>,
    community: &mut Vec<Placed>,
) {
    for s in sentences(text) {
        let p = placed(&s, source);
        match who_said(rules, &s) {
            Who::Family => family.push(p),
            Who::Community => community.push(p),
            _ => person.push(p),
        }
    }
}

fn form2_from_table4(plan: &CarePlan, rules: &Compiled, f: &mut LswForms, un: &mut Vec<Unclassified>) {
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
            count: m.attendees.len(),
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
            route(rules, d, src(s, "discussion"), &mut e.person, &mut e.family, &mut e.community);
            e.consideration.push(placed(d, src(s, "discussion")));
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

fn form1_from_table5(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    for p in &plan.table5 {
        let s = &p.sources;
        let mut e = Form1Entry {
            date: p.date,
            item: p.item.clone(),
            recorder: p.recorder.clone(),
            source: p.source.clone(),
            ..Form1Entry::default()
        };
        let is_meeting = p.item.as_deref().is_some_and(|i| rules.meeting_items.find(&norm_label(i)).is_some());
        if let Some(content) = &p.content {
            if is_meeting {
                for sentence in sentences(content) {
                    let pl = placed(&sentence, src(s, "content"));
                    if rules.decision_terms.find(&norm_label(&sentence)).is_some() {
                        e.meeting.decision.push(pl);
                    } else {
                        e.meeting.consideration.push(pl);
                    }
                }
            } else {
                route(rules, content, src(s, "content"), &mut e.person, &mut e.family, &mut e.community);
            }
        }
        f.form1.entries.push(e);
    }
}
