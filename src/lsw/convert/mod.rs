//! The conversion itself; see the module doc of [`crate::lsw`].
//!
//! `plan` makes 様式3 (第1表, 第2表), `day` 様式4 (第2表's routine, 第3表),
//! `records` 様式1 (第5表) and 様式2 (第4表); this file the heading, the
//! services' placement (service catalogue, then the `[who]` words), what is
//! left to the 小多機 team and what no rule places.

mod day;
mod plan;
mod records;

use super::rules::{Compiled, Placement};
use crate::diag::Source;
use crate::model::lsw::*;
use crate::model::services::{Catalogue, SmallMulti};
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

/// Where a 第2表・第3表 service goes: who does it, and for a service a
/// 小規模多機能 登録者 cannot keep, what replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub who: Who,
    pub replace: Option<Replace>,
    /// The catalogue's name of the service, when it decided.
    pub service: Option<String>,
}

/// The service catalogue's word on a text, if it knows the service for sure
/// (an ambiguous name such as ヘルパー counts when ※1 marks it insured).
fn by_catalogue(rules: &Compiled, text: &str, insured: Option<bool>) -> Option<Decision> {
    let found = Catalogue::builtin().find_all(text);
    let m = found.first()?;
    if !(m.certain || insured == Some(true)) {
        return None;
    }
    let s = m.service;
    let placement = match s.small_multi {
        SmallMulti::Excluded => rules.rules.services.excluded,
        SmallMulti::Combinable => rules.rules.services.combinable,
        SmallMulti::NotApplicable => return None,
    };
    // ほのぼの joins a row's service types (「訪問介護通所介護」): each
    // excluded one is named with what replaces it.
    let replace = || {
        let mut names: Vec<&str> = Vec::new();
        let mut by: Vec<&str> = Vec::new();
        for x in found.iter().filter(|x| x.service.small_multi == SmallMulti::Excluded) {
            if !names.contains(&x.service.name.as_str()) {
                names.push(&x.service.name);
            }
            if let Some(b) = x.service.lsw_replace.as_deref().filter(|b| !by.contains(b)) {
                by.push(b);
            }
        }
        Replace {
            service: names.join("・"),
            by: (!by.is_empty()).then(|| by.join("・")),
            mark: rules.rules.services.replace_mark.clone(),
        }
    };
    match placement {
        Placement::Replace => {
            Some(Decision { who: Who::Office, replace: Some(replace()), service: Some(s.name.clone()) })
        }
        Placement::OtherServices => {
            Some(Decision { who: Who::OtherService, replace: None, service: Some(s.name.clone()) })
        }
        Placement::Who => None,
    }
}

/// The `[who]` words on a text, in the order person, family, community,
/// other 介護保険 services, office.
fn by_words(rules: &Compiled, text: &str) -> Option<Who> {
    let n = norm_label(text);
    [
        (&rules.person, Who::Person),
        (&rules.family, Who::Family),
        (&rules.community, Who::Community),
        (&rules.other_services, Who::OtherService),
        (&rules.office, Who::Office),
    ]
    .into_iter()
    .find(|(terms, _)| terms.find(&n).is_some())
    .map(|(_, who)| who)
}

/// Decides where a 第2表 service goes: its サービス種別 first (the service
/// catalogue, then the `[who]` words: 「家族」 with provider 「長女」 is family,
/// 「地域密着型通所介護」 is a service, not 地域), then its ※2 provider the same
/// way; an insured service (※1) nobody named is the office's.
pub fn decide(rules: &Compiled, kind: Option<&str>, provider: Option<&str>, insured: Option<bool>) -> Option<Decision> {
    let plain = |who| Decision { who, replace: None, service: None };
    for text in [kind, provider].into_iter().flatten().filter(|t| !t.trim().is_empty()) {
        if let Some(d) = by_catalogue(rules, text, insured) {
            return Some(d);
        }
        if let Some(who) = by_words(rules, text) {
            return Some(plain(who));
        }
    }
    (insured == Some(true)).then(|| plain(Who::Office))
}

/// [`decide`]'s column only.
pub fn who_provides(
    rules: &Compiled,
    kind: Option<&str>,
    provider: Option<&str>,
    insured: Option<bool>,
) -> Option<Who> {
    decide(rules, kind, provider, insured).map(|d| d.who)
}

fn placed(text: &str, source: Option<&Source>) -> Placed {
    Placed::new(text, source)
}

fn src<'a>(sources: &'a Sources, key: &str) -> Option<&'a Source> {
    sources.get(key)
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

pub fn convert(plan: &CarePlan, rules: &Compiled) -> LswForms {
    let mut f = LswForms { key: plan.key.clone(), ..LswForms::default() };
    let mut un: Vec<Unclassified> = Vec::new();
    header(plan, &mut f, &mut un);
    day::init(rules, &mut f);
    plan::form3(plan, rules, &mut f, &mut un);
    day::form4(plan, rules, &mut f);
    records::form2(plan, rules, &mut f, &mut un);
    records::form1(plan, rules, &mut f);
    // 第6表・第7表: 現行様式使用.
    f.table6 = plan.table6.clone();
    f.table7 = plan.table7.clone();
    let month = plan.table7.as_ref().map(|t| t.month.clone()).or_else(|| plan.table6.as_ref().map(|t| t.month.clone()));
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
    let t1 = &plan.table1;
    for (k, v) in t1.extra.iter() {
        // Each value's own position (a 利用者補足情報 value was read from
        // UPHOSOKU, not from the 第1表's line).
        let source = src(&t1.sources, &format!("extra.{k}")).cloned().or_else(|| t1.source.clone());
        // The 第6/7表 month's 利用者補足情報 is printed with those forms.
        if let Some(label) = month.as_deref().and_then(|m| k.strip_prefix(&format!("利用者補足情報({m})."))) {
            f.month_info.push(Placed::new(format!("{label}: {v}"), source.as_ref()));
            continue;
        }
        un.push(Unclassified {
            text: format!("{k}: {v}"),
            source,
            reason: "ライフサポートワーク様式に対応する欄がありません".into(),
        });
    }
    un.sort();
    f.unclassified = un;
    f.meta_count = plan.meta.iter().map(|m| m.count).sum();
    f.to_fill_counts = ToFillCounts {
        form1: f.form1.to_fill.len(),
        form2: f.form2.iter().map(|c| c.to_fill.len()).sum(),
        form3: f.form3.to_fill.len() + f.form3.needs.iter().map(|n| n.to_fill.len()).sum::<usize>(),
        form4: f.form4.to_fill.len() + f.form4.slots.iter().map(|s| s.to_fill.len()).sum::<usize>(),
    };
    f
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
