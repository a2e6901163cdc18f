//! A plan's own records into its tables: 利用者補足情報, 第1表, 第2表's
//! hierarchy, 第3表, 第4表 meetings and 第5表 entries.

use super::fields::{
    common, extras, join_address, note_input, period_with_ends, record_conflicts, sources_of, Conflicts, Fill, Setter,
    Used,
};
use super::{fill_down, sort_records};
use crate::diag::Problem;
use crate::mapping::record::Record;
use crate::mapping::schema::Target;
use crate::model::fields::F;
use crate::model::*;

pub(super) fn build_plan(plan: &mut CarePlan, mut recs: Vec<Record>, used: &mut Used, problems: &mut Vec<Problem>) {
    let mut conflicts = Conflicts::new();
    sort_records(&mut recs);
    for r in &recs {
        note_input(plan, r, used);
        common(plan, r, &mut conflicts);
    }
    // Records are sorted by target: handle each target's run.
    let mut start = 0;
    while start < recs.len() {
        let target = recs[start].target();
        let end = start + recs[start..].iter().take_while(|r| r.target() == target).count();
        let run = &mut recs[start..end];
        match target {
            Target::Person => run.iter().for_each(|r| person(plan, r, &mut conflicts)),
            Target::Table1 => run.iter().for_each(|r| table1(plan, r, &mut conflicts)),
            Target::Table2 => table2(plan, run),
            Target::Table3 => {
                fill_down(run);
                table3(plan, run)
            }
            Target::Table4 => run.iter().for_each(|r| table4(plan, r)),
            Target::Table5 => {
                fill_down(run);
                run.iter().for_each(|r| table5(plan, r))
            }
            Target::Table6 | Target::Table7 => {}
        }
        start = end;
    }
    record_conflicts(plan, conflicts, problems);
}

/// The person's own fields of a record (the same in every month's record).
pub(super) fn person_fields(p: &mut Person, r: &Record, conflicts: &mut Conflicts) {
    let mut s = Setter { sources: &mut p.sources, conflicts };
    s.text(&mut p.kana, r, F::Kana, PlanField::PersonKana);
    s.text(&mut p.sex, r, F::Sex, PlanField::PersonSex);
    s.date(&mut p.birth_date, r, F::BirthDate, PlanField::PersonBirthDate);
    s.text(&mut p.postal_code, r, F::PostalCode, PlanField::PersonPostalCode);
    if let Some((a, src)) = join_address(r, F::Address1, F::Address2) {
        s.put(&mut p.address, a, Some(src), PlanField::PersonAddress);
    }
    s.text(&mut p.phone, r, F::Phone, PlanField::PersonPhone);
}

pub(super) fn person(plan: &mut CarePlan, r: &Record, conflicts: &mut Conflicts) {
    person_fields(&mut plan.person, r, conflicts);
    let c = &mut plan.table1.certification;
    let mut s = Setter { sources: &mut plan.table1.sources, conflicts };
    s.text(&mut c.status, r, F::CertStatus, PlanField::CertStatus);
    s.date(&mut c.certified_on, r, F::CertifiedOn, PlanField::CertifiedOn);
    s.text(&mut c.care_level, r, F::CareLevel, PlanField::CareLevel);
    s.int(&mut c.limit_units, r, F::LimitUnits, PlanField::LimitUnits);
    s.text(&mut c.previous_care_level, r, F::PreviousCareLevel, PlanField::PreviousCareLevel);
    s.date(&mut c.care_level_changed_on, r, F::CareLevelChangedOn, PlanField::CareLevelChangedOn);
    s.date(&mut c.limit_from, r, F::LimitFrom, PlanField::LimitFrom);
    s.date(&mut c.limit_to, r, F::LimitTo, PlanField::LimitTo);
    let used = [
        F::Kana,
        F::Sex,
        F::BirthDate,
        F::PostalCode,
        F::Address1,
        F::Address2,
        F::Phone,
        F::CertStatus,
        F::CertifiedOn,
        F::CareLevel,
        F::LimitUnits,
        F::PreviousCareLevel,
        F::CareLevelChangedOn,
        F::LimitFrom,
        F::LimitTo,
        F::Month,
    ];
    for (k, v) in extras(r, &used) {
        let label = format!("利用者補足情報.{k}");
        // Each kept value says where it was read (not the 第1表's position).
        plan.table1.sources.insert_if_absent(format!("extra.{label}").into(), r.source());
        plan.table1.extra.insert_if_absent(label, v);
    }
}

pub(super) fn table1(plan: &mut CarePlan, r: &Record, conflicts: &mut Conflicts) {
    if plan.table1.source.is_none() {
        plan.table1.source = Some(r.source());
    }
    {
        let p = &mut plan.person;
        let mut s = Setter { sources: &mut p.sources, conflicts };
        s.date(&mut p.birth_date, r, F::BirthDate, PlanField::PersonBirthDate);
        s.text(&mut p.postal_code, r, F::PostalCode, PlanField::PersonPostalCode);
        if let Some((a, src)) = join_address(r, F::Address1, F::Address2) {
            s.put(&mut p.address, a, Some(src), PlanField::PersonAddress);
        }
        let o = &mut plan.office;
        let mut s = Setter { sources: &mut o.sources, conflicts };
        s.text(&mut o.postal_code, r, F::OfficePostalCode, PlanField::OfficePostalCode);
        if let Some((a, src)) = join_address(r, F::OfficeAddress1, F::OfficeAddress2) {
            s.put(&mut o.address, a, Some(src), PlanField::OfficeAddress);
        }
    }
    let t = &mut plan.table1;
    let mut s = Setter { sources: &mut t.sources, conflicts };
    s.date(&mut t.created_on, r, F::CreatedOn, PlanField::CreatedOn);
    s.date(&mut t.first_created_on, r, F::FirstCreatedOn, PlanField::FirstCreatedOn);
    s.text(&mut t.plan_kind, r, F::PlanKind, PlanField::PlanKind);
    s.text(&mut t.certification.status, r, F::CertStatus, PlanField::CertStatus);
    s.date(&mut t.certification.certified_on, r, F::CertifiedOn, PlanField::CertifiedOn);
    s.date(&mut t.certification.valid_from, r, F::ValidFrom, PlanField::ValidFrom);
    s.date(&mut t.certification.valid_to, r, F::ValidTo, PlanField::ValidTo);
    if let Some(p) = r.period(F::ValidPeriod) {
        let src = r.source_of(F::ValidPeriod);
        if let Some(d) = p.from {
            s.put(&mut t.certification.valid_from, d, src.clone(), PlanField::ValidFrom);
        }
        if let Some(d) = p.to {
            s.put(&mut t.certification.valid_to, d, src.clone(), PlanField::ValidTo);
        }
        if !p.raw.is_empty() {
            s.put(&mut t.certification.valid_period, p.raw.clone(), src, PlanField::ValidPeriod);
        }
    }
    s.text(&mut t.certification.care_level, r, F::CareLevel, PlanField::CareLevel);
    s.text(&mut t.planner, r, F::Planner, PlanField::Planner);
    let src = r.source_of(F::Intentions);
    if let Some(parts) = r.parts(F::Intentions) {
        // The cell as written (the `intentions` transform passes it on as
        // `text`): splitting it must neither reorder nor relabel it.
        let whole = match parts.iter().find(|(k, _)| k == "text") {
            Some((_, v)) => v.clone(),
            None => parts
                .iter()
                .map(|(k, v)| match k.as_str() {
                    "person" => format!("【本人の意向】{v}"),
                    "family" => format!("【家族の意向】{v}"),
                    _ => v.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        s.put(&mut t.intentions.text, whole, src.clone(), PlanField::IntentionsText);
        for (k, v) in parts {
            match k.as_str() {
                "person" => s.put(&mut t.intentions.person, v.clone(), src.clone(), PlanField::IntentionsPerson),
                "family" => s.put(&mut t.intentions.family, v.clone(), src.clone(), PlanField::IntentionsFamily),
                _ => {}
            }
        }
    } else if let Some(v) = r.text(F::Intentions) {
        s.put(&mut t.intentions.text, v, src, PlanField::IntentionsText);
    }
    s.text(&mut t.intentions.person, r, F::IntentionsPerson, PlanField::IntentionsPerson);
    s.text(&mut t.intentions.family, r, F::IntentionsFamily, PlanField::IntentionsFamily);
    s.text(&mut t.review_opinion, r, F::ReviewOpinion, PlanField::ReviewOpinion);
    s.text(&mut t.policy, r, F::Policy, PlanField::Policy);
    s.text(&mut t.living_support_reason.code, r, F::LivingSupportReason, PlanField::LivingSupportCode);
    s.text(&mut t.living_support_reason.other, r, F::LivingSupportOther, PlanField::LivingSupportOther);
    s.date(&mut t.consent_on, r, F::ConsentOn, PlanField::ConsentOn);
    let used = [
        F::CreatedOn,
        F::PostalCode,
        F::Address1,
        F::Address2,
        F::BirthDate,
        F::Planner,
        F::OfficePostalCode,
        F::OfficeAddress1,
        F::OfficeAddress2,
        F::FirstCreatedOn,
        F::PlanKind,
        F::CertStatus,
        F::CertifiedOn,
        F::ValidFrom,
        F::ValidTo,
        F::ValidPeriod,
        F::CareLevel,
        F::Intentions,
        F::IntentionsPerson,
        F::IntentionsFamily,
        F::ReviewOpinion,
        F::Policy,
        F::LivingSupportReason,
        F::LivingSupportOther,
        F::ConsentOn,
    ];
    for (k, v) in extras(r, &used) {
        t.sources.insert_if_absent(format!("extra.{k}").into(), r.source());
        t.extra.insert_if_absent(k, v);
    }
}

/// Rebuilds 第2表's hierarchy. A need, long goal or short goal starts when
/// its number changes or its text is written and differs from the current
/// one; a blank (or repeated) text continues it. The standard changes the
/// short goal inside one 援助目標NO (formats.md §1.4), so short goals are
/// told apart by text only.
pub(super) fn table2(plan: &mut CarePlan, recs: &[Record]) {
    let t = &mut plan.table2;
    let continues = |r: &Record, f: F| r.meta.fill_down.contains(&f);
    for r in recs {
        if t.created_on.is_none() {
            t.created_on = r.date(F::CreatedOn);
            if let (Some(_), Some(src)) = (t.created_on, r.source_of(F::CreatedOn)) {
                t.sources.insert("created_on".into(), src);
            }
        }
        let need_no = r.int(F::NeedNo);
        let need_text = r.str(F::Need);
        let new_need = match t.needs.last() {
            None => true,
            Some(n) => {
                (need_no.is_some() && need_no != n.no)
                    || (need_text.is_some() && need_text != n.text.as_deref())
                    || (need_text.is_none() && !continues(r, F::Need))
            }
        };
        if new_need {
            t.needs.push(Need {
                no: need_no,
                text: need_text.map(str::to_string),
                long_goals: vec![],
                source: r.source(),
                sources: sources_of(r, &[(F::Need, "text")]),
            });
        }
        let Some(need) = t.needs.last_mut() else { continue };
        let goal_no = r.int(F::GoalNo);
        let long_text = r.str(F::LongGoal);
        let new_long = new_need
            || match need.long_goals.last() {
                None => true,
                Some(g) => {
                    (goal_no.is_some() && goal_no != g.no)
                        || (long_text.is_some() && long_text != g.text.as_deref())
                        || (long_text.is_none() && !continues(r, F::LongGoal))
                }
            };
        let long_period = period_with_ends(r, F::LongPeriod, F::LongFrom, F::LongTo);
        if new_long {
            need.long_goals.push(LongGoal {
                no: goal_no,
                text: long_text.map(str::to_string),
                period: long_period,
                short_goals: vec![],
                source: r.source(),
                sources: sources_of(r, &[(F::LongGoal, "text"), (F::LongPeriod, "period")]),
            });
        } else if let Some(g) = need.long_goals.last_mut() {
            if g.period.is_none() {
                g.period = long_period;
            }
        }
        let Some(long) = need.long_goals.last_mut() else { continue };
        let short_text = r.str(F::ShortGoal);
        let new_short = new_long
            || match long.short_goals.last() {
                None => true,
                Some(g) => {
                    (short_text.is_some() && short_text != g.text.as_deref())
                        || (short_text.is_none() && !continues(r, F::ShortGoal))
                }
            };
        let short_period = period_with_ends(r, F::ShortPeriod, F::ShortFrom, F::ShortTo);
        if new_short {
            long.short_goals.push(ShortGoal {
                text: short_text.map(str::to_string),
                period: short_period,
                services: vec![],
                source: r.source(),
                sources: sources_of(r, &[(F::ShortGoal, "text"), (F::ShortPeriod, "period")]),
            });
        } else if let Some(g) = long.short_goals.last_mut() {
            if g.period.is_none() {
                g.period = short_period;
            }
        }
        let Some(short) = long.short_goals.last_mut() else { continue };
        const SERVICE: [(F, &str); 10] = [
            (F::Content, "content"),
            (F::Insured, "insured"),
            (F::Kind, "kind"),
            (F::ProviderCode, "provider_code"),
            (F::Provider, "provider"),
            (F::Frequency, "frequency"),
            (F::Period, "period"),
            (F::PeriodFrom, "period_from"),
            (F::PeriodTo, "period_to"),
            (F::ServiceNo, "service_no"),
        ];
        let has_service = SERVICE.iter().any(|(f, _)| r.has(*f)) || r.has_table_extra();
        if has_service {
            let insured_mark = r.text(F::Insured);
            let used = [
                F::CreatedOn,
                F::DisplayOrder,
                F::NeedNo,
                F::Need,
                F::GoalNo,
                F::LongGoal,
                F::LongPeriod,
                F::LongFrom,
                F::LongTo,
                F::ShortGoal,
                F::ShortPeriod,
                F::ShortFrom,
                F::ShortTo,
                F::ServiceNo,
                F::Content,
                F::Insured,
                F::Kind,
                F::ProviderCode,
                F::Provider,
                F::Frequency,
                F::Period,
                F::PeriodFrom,
                F::PeriodTo,
            ];
            let extra = extras(r, &used);
            // 表示順 only orders the rows (done above): the export's metadata.
            if let Some(order) = r.text(F::DisplayOrder) {
                let source = r.source_of(F::DisplayOrder).unwrap_or_else(|| r.source());
                plan.meta.push(crate::model::MetaValue { label: "表示順".into(), value: order, count: 1, source });
            }
            short.services.push(Service {
                no: r.int(F::ServiceNo),
                content: r.text(F::Content),
                insured: insured_mark.as_deref().and_then(insured_flag),
                insured_mark,
                kind: r.text(F::Kind),
                provider: r.text(F::Provider),
                provider_code: r.text(F::ProviderCode),
                frequency: r.text(F::Frequency),
                period: period_with_ends(r, F::Period, F::PeriodFrom, F::PeriodTo),
                source: r.source(),
                sources: sources_of(r, &SERVICE),
                extra,
            });
        }
    }
}

/// ※1: Y / ○ (one per concatenated service in ほのぼの) / 対象 / a ticked
/// box (☑, a TRUE cell) → true; N / 対象外 / × / an empty box → false.
pub fn insured_flag(mark: &str) -> Option<bool> {
    let m = mark.trim();
    if m.is_empty() {
        return None;
    }
    let all = |set: &[char]| m.chars().all(|c| set.contains(&c));
    if m == "対象外" || m.eq_ignore_ascii_case("n") || all(&['×', '✕', 'x', 'X', '☐', '□']) {
        return Some(false);
    }
    if m == "対象" || m.eq_ignore_ascii_case("y") || all(&['○', '〇', '◯', '☑', '✓', '✔', '■', '●', 'レ', 'ﾚ'])
    {
        return Some(true);
    }
    None
}

pub(super) fn table3(plan: &mut CarePlan, recs: &[Record]) {
    let t = &mut plan.table3;
    for r in recs {
        if t.created_on.is_none() {
            t.created_on = r.date(F::CreatedOn);
            if let (Some(_), Some(src)) = (t.created_on, r.source_of(F::CreatedOn)) {
                t.sources.insert("created_on".into(), src);
            }
        }
        if t.from_month.is_none() {
            t.from_month = r.text(F::FromMonth);
            if let (Some(_), Some(src)) = (&t.from_month, r.source_of(F::FromMonth)) {
                t.sources.insert("from_month".into(), src);
            }
        }
        if let Some(service) = r.text(F::Service) {
            t.weekly.push(WeeklySlot {
                day: r.text(F::Day),
                start: r.text(F::Start),
                end: r.text(F::End),
                service,
                provider: r.text(F::Provider),
                source: r.source_of(F::Service).unwrap_or_else(|| r.source()),
            });
        }
        if let Some(text) = r.text(F::Activity) {
            t.daily_activities.push(DailyActivity {
                start: r.text(F::ActivityStart),
                end: r.text(F::ActivityEnd),
                text,
                source: r.source_of(F::Activity).unwrap_or_else(|| r.source()),
            });
        }
        if let Some(text) = r.text(F::NonWeekly) {
            t.non_weekly.push(text);
            t.non_weekly_sources.push(r.source_of(F::NonWeekly).unwrap_or_else(|| r.source()));
        }
    }
    let day_order = |d: &Option<String>| {
        ["月", "火", "水", "木", "金", "土", "日"].iter().position(|x| Some(*x) == d.as_deref()).unwrap_or(7)
    };
    t.weekly.sort_by(|a, b| {
        day_order(&a.day).cmp(&day_order(&b.day)).then(a.start.cmp(&b.start)).then(a.service.cmp(&b.service))
    });
    t.daily_activities.sort_by(|a, b| a.start.cmp(&b.start).then(a.text.cmp(&b.text)));
}

pub(super) fn table4(plan: &mut CarePlan, r: &Record) {
    let mut m = Meeting { source: r.source(), ..Meeting::default() };
    let mut s = Fill { sources: &mut m.sources };
    s.date(&mut m.held_on, r, F::HeldOn, "held_on");
    s.text(&mut m.place, r, F::Place, "place");
    s.text(&mut m.time, r, F::Time, "time");
    s.text(&mut m.count, r, F::Count, "count");
    s.text(&mut m.person_attendance, r, F::PersonAttendance, "person_attendance");
    s.text(&mut m.family_attendance, r, F::FamilyAttendance, "family_attendance");
    s.text(&mut m.items, r, F::Items, "items");
    s.text(&mut m.discussion, r, F::Discussion, "discussion");
    s.text(&mut m.conclusion, r, F::Conclusion, "conclusion");
    s.text(&mut m.remaining, r, F::Remaining, "remaining");
    s.text(&mut m.recorder, r, F::Recorder, "recorder");
    for (_, rows) in r.lists() {
        for row in rows {
            let text = |k: F| row.iter().find(|(f, v, _)| *f == k && !v.is_empty()).map(|(_, v, _)| v.display());
            let source = row.first().map(|(_, _, s)| s.clone()).unwrap_or_default();
            let a = Attendee { affiliation: text(F::Affiliation), name: text(F::Name), source };
            if a.affiliation.is_some() || a.name.is_some() {
                m.attendees.push(a);
            }
        }
    }
    let used = [
        F::HeldOn,
        F::Place,
        F::Time,
        F::Count,
        F::PersonAttendance,
        F::FamilyAttendance,
        F::Items,
        F::Discussion,
        F::Conclusion,
        F::Remaining,
        F::Recorder,
    ];
    m.extra = extras(r, &used);
    plan.table4.push(m);
}

pub(super) fn table5(plan: &mut CarePlan, r: &Record) {
    let mut e = ProgressEntry { source: r.source(), ..ProgressEntry::default() };
    let mut s = Fill { sources: &mut e.sources };
    s.date(&mut e.date, r, F::Date, "date");
    s.text(&mut e.item, r, F::Item, "item");
    s.text(&mut e.content, r, F::Content, "content");
    s.text(&mut e.recorder, r, F::Recorder, "recorder");
    // A date with nothing written beside it is still a value read.
    if e.item.is_some() || e.content.is_some() || e.date.is_some() {
        plan.table5.push(e);
    }
}
