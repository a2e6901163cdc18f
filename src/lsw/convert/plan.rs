//! 様式3 ライフサポートプラン①: 第1表 (意向, 審査会の意見, 方針, 緊急時) and
//! 第2表 (長期的目標, one row per 当面の目標 = 短期目標 with its own 期間,
//! who does what, 行動計画, 他の介護保険サービス).

use super::{decide, placed, sentences, src, Decision, Who};
use crate::lsw::rules::Compiled;
use crate::model::lsw::*;
use crate::model::speakers::{split_intentions, Speaker};
use crate::model::*;
use crate::text::norm_label;

pub(super) fn form3(plan: &CarePlan, rules: &Compiled, f: &mut LswForms, un: &mut Vec<Unclassified>) {
    from_table1(plan, rules, f);
    from_table2(plan, rules, f, un);
    // This plan's own 作成者・作成日・説明同意 are the 小多機's: the 居宅
    // plan's are shown as 元計画.
    f.form3.to_fill = vec!["planner".into()];
}

fn from_table1(plan: &CarePlan, rules: &Compiled, f: &mut LswForms) {
    let t1 = &plan.table1;
    let s = &t1.sources;
    f.form3.review_opinion = t1.review_opinion.as_deref().map(|v| placed(v, src(s, "review_opinion")));
    f.form3.policy = t1.policy.as_deref().map(|v| placed(v, src(s, "policy")));
    intentions(plan, rules, &mut f.form3.intentions);
    if let Some(policy) = &t1.policy {
        for sentence in sentences(policy) {
            if rules.emergency.find(&norm_label(&sentence)).is_some() {
                f.form3.emergency.push(placed(&sentence, src(s, "policy")));
            }
        }
    }
}

/// 本人の意向 / 家族・介護者の意向 / both / nobody named, split by the
/// speakers the text names (the rules' words), each piece as written.
fn intentions(plan: &CarePlan, rules: &Compiled, out: &mut Intentions3) {
    let i = &plan.table1.intentions;
    let s = &plan.table1.sources;
    out.text = i.text.as_deref().map(|v| placed(v, src(s, "intentions.text")));
    let Some(text) = &i.text else {
        // Sources with separate 本人／家族 cells.
        out.person = i.person.as_deref().map(|v| placed(v, src(s, "intentions.person")));
        out.family = i.family.as_deref().map(|v| placed(v, src(s, "intentions.family")));
        return;
    };
    let at = src(s, "intentions.text");
    let (mut person, mut family, mut shared, mut other) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for said in split_intentions(&rules.speakers, text) {
        match said.speaker {
            Speaker::Person => person.push(said.text),
            Speaker::Family(who) => {
                let mut p = placed(said.text, at);
                p.who = Some(who);
                family.push(p);
            }
            Speaker::Shared => shared.push(said.text),
            Speaker::Unassigned => other.push(said.text),
        }
    }
    let joined = |v: Vec<&str>| (!v.is_empty()).then(|| placed(&v.join("\n"), at));
    out.person = joined(person);
    out.shared = joined(shared);
    out.other = joined(other);
    // More than one family member, or one named: each line says who.
    let named = family.len() > 1 || family.iter().any(|p| p.who.as_deref() != Some("家族"));
    out.family = (!family.is_empty()).then(|| {
        let lines: Vec<String> = family
            .iter()
            .map(|p| match (&p.who, named) {
                (Some(w), true) if w != "家族" => format!("（{w}）{}", p.text),
                _ => p.text.clone(),
            })
            .collect();
        placed(&lines.join("\n"), at)
    });
    out.family_said = family;
}

fn from_table2(plan: &CarePlan, rules: &Compiled, f: &mut LswForms, un: &mut Vec<Unclassified>) {
    let mut goals: Vec<String> = Vec::new();
    for need in &plan.table2.needs {
        let need_src = src(&need.sources, "text").or(Some(&need.source));
        let need_placed = placed(need.text.as_deref().unwrap_or(""), need_src);
        let mut rows = 0;
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
                let mut row = Form3Need {
                    need: need_placed.clone(),
                    short_goal: short
                        .text
                        .as_deref()
                        .map(|t| placed(t, src(&short.sources, "text").or(Some(&short.source)))),
                    // The guide's 当面の目標 has its own, short 期間.
                    period: short.period.clone(),
                    ..Form3Need::default()
                };
                for s in &short.services {
                    place_service(rules, f, &mut row, need, short, s, un);
                }
                finish_row(&mut row);
                f.form3.needs.push(row);
                rows += 1;
            }
        }
        if rows == 0 {
            let mut row = Form3Need { need: need_placed, ..Form3Need::default() };
            finish_row(&mut row);
            f.form3.needs.push(row);
        }
    }
}

/// What the 居宅 plan leaves to the 小多機 team on a row.
fn finish_row(row: &mut Form3Need) {
    let mut fill: Vec<&str> = Vec::new();
    for (name, empty) in
        [("person", row.person.is_empty()), ("family", row.family.is_empty()), ("community", row.community.is_empty())]
    {
        if empty {
            fill.push(name);
        }
    }
    // The 小多機's own support: a 居宅 service to replace is not it.
    if row.office.iter().all(|p| p.replace.is_some()) {
        fill.push("office");
    }
    fill.push("process");
    row.to_fill = fill.into_iter().map(String::from).collect();
}

/// `content（provider）`, or what there is of it.
pub(super) fn service_text(s: &Service) -> String {
    let content = s.content.clone().unwrap_or_default();
    match (&s.provider, &s.kind) {
        (Some(p), _) if !content.is_empty() => format!("{content}（{p}）"),
        (Some(p), _) => p.clone(),
        (None, Some(k)) if content.is_empty() => k.clone(),
        _ => content,
    }
}

/// 行動計画: who does it, how often, until when (the row's columns say what).
fn action_text(s: &Service) -> String {
    let who = match (&s.provider, &s.kind) {
        (Some(p), Some(k)) if !p.contains(k.as_str()) => format!("{p}［{k}］"),
        (Some(p), _) => p.clone(),
        (None, Some(k)) => k.clone(),
        (None, None) => s.content.clone().unwrap_or_default(),
    };
    let mut parts = vec![who];
    if let Some(fq) = &s.frequency {
        parts.push(fq.clone());
    }
    parts.retain(|p| !p.is_empty());
    parts.join("：")
}

/// The necessity of another 介護保険 service: the need and the 当面の目標 it
/// serves.
fn necessity(need: &Need, short: &ShortGoal) -> Option<String> {
    let parts: Vec<String> = [need.text.as_deref(), short.text.as_deref()]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    (!parts.is_empty()).then(|| parts.join("／"))
}

fn place_service(
    rules: &Compiled,
    f: &mut LswForms,
    row: &mut Form3Need,
    need: &Need,
    short: &ShortGoal,
    s: &Service,
    un: &mut Vec<Unclassified>,
) {
    let source = Some(&s.source);
    let mut action = Dated { text: action_text(s), period: None, source: source.cloned() };
    // A service's period is worth a line only where it is not the row's.
    if s.period.as_ref().is_some_and(|p| Some(&p.raw) != row.period.as_ref().map(|r| &r.raw)) {
        action.period = s.period.clone();
    }
    let decision = decide(rules, s.kind.as_deref(), s.provider.as_deref(), s.insured);
    let mut p = placed(&service_text(s), source);
    p.who = s.provider.clone().or_else(|| s.kind.clone());
    match &decision {
        Some(Decision { who: Who::OtherService, service, .. }) => {
            f.form3.other_services.push(OtherService {
                kind: s.kind.clone().or_else(|| service.clone()).unwrap_or_default(),
                provider: s.provider.clone(),
                necessity: necessity(need, short),
                service: service.clone(),
                content: s.content.clone(),
                frequency: s.frequency.clone(),
                period: s.period.clone(),
                source: s.source.clone(),
            });
            // The row still says it is done, and where to read about it.
            action.text = format!("{}（他の介護保険サービス）", action.text);
        }
        Some(d) => {
            p.replace = d.replace.clone();
            match d.who {
                Who::Person => row.person.push(p),
                Who::Family => row.family.push(p),
                Who::Community => row.community.push(p),
                _ => row.office.push(p),
            }
        }
        None => un.push(Unclassified {
            text: format!(
                "{}（サービス種別: {} / 事業所: {}）",
                service_text(s),
                s.kind.as_deref().unwrap_or("なし"),
                s.provider.as_deref().unwrap_or("なし")
            ),
            source: Some(s.source.clone()),
            reason: "サービス種別・事業所から、本人・家族・地域・事業所のどれが行うか決められません（行動計画には載せています）"
                .into(),
        }),
    }
    row.action_plan.push(action);
    // Values of the row no column takes (事業所番号, ※1 as written) stay in
    // lsw.json with the row's 行動計画 entry.
    let mut kept: Vec<String> = Vec::new();
    if let Some(c) = &s.provider_code {
        kept.push(format!("事業所番号: {c}"));
    }
    if let Some(m) = &s.insured_mark {
        kept.push(format!("※1: {m}"));
    }
    if let Some(k) = &s.kind {
        kept.push(format!("サービス種別: {k}"));
    }
    if !kept.is_empty() {
        row.details.push(Placed::new(kept.join(" "), source));
    }
    for (k, v) in s.extra.iter() {
        un.push(Unclassified {
            text: format!("{k}: {v}"),
            source: Some(s.source.clone()),
            reason: "ライフサポートワーク様式に対応する欄がありません".into(),
        });
    }
    super::day::routine(rules, f, s, decision.as_ref());
}
