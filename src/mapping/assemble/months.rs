//! The months attached to a plan: 第6表 rows gathering their dates, 第7表
//! rows and totals, the month's 利用者補足情報.

use super::fields::{common, extras, note_input, record_conflicts, Conflicts, Fill, Used};
use super::sort_records;
use super::tables::person_fields;
use crate::diag::Problem;
use crate::mapping::record::Record;
use crate::mapping::schema::Target;
use crate::model::fields::F;
use crate::model::smallmap::SmallMap;
use crate::model::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;

pub(super) fn build_month(
    plan: &mut CarePlan,
    month: &str,
    mut recs: Vec<Record>,
    used: &mut Used,
    problems: &mut Vec<Problem>,
) {
    let mut conflicts = Conflicts::new();
    sort_records(&mut recs);
    let mut t6 = Table6 { month: month.to_string(), ..Table6::default() };
    let mut t7 = Table7 { month: month.to_string(), ..Table7::default() };
    let (mut has6, mut has7) = (false, false);
    // 第6表 rows: records of one service (same code, provider, times, units…)
    // gather their dates. Keyed by a hash of borrowed values, checked field by field.
    let mut rows6: Vec<Table6Row> = Vec::new();
    let mut row_of: HashMap<u64, Vec<(usize, usize)>> = HashMap::default();
    for (ri, r) in recs.iter().enumerate() {
        note_input(plan, r, used);
        common(plan, r, &mut conflicts);
        match r.target() {
            Target::Person => {
                // 利用者補足情報 of the month: the 第6表 header.
                let mut header = Fill { sources: &mut t6.sources };
                if t6.care_level.is_none() {
                    header.text(&mut t6.care_level, r, F::CareLevel, "care_level");
                }
                if t6.limit_units.is_none() {
                    header.int(&mut t6.limit_units, r, F::LimitUnits, "limit_units");
                }
                // The person is the same whatever the month; the month's
                // certification goes with its 第6表 (above) or, for the rest, extra.
                person_fields(&mut plan.person, r, &mut conflicts);
                let used = [
                    F::Kana,
                    F::Sex,
                    F::BirthDate,
                    F::PostalCode,
                    F::Address1,
                    F::Address2,
                    F::Phone,
                    F::CareLevel,
                    F::LimitUnits,
                    F::Month,
                ];
                for (k, v) in extras(r, &used) {
                    let label = format!("利用者補足情報({month}).{k}");
                    // Each kept value says where it was read (not the 第1表's position).
                    plan.table1.sources.insert_if_absent(format!("extra.{label}").into(), r.source());
                    plan.table1.extra.insert_if_absent(label, v);
                }
            }
            Target::Table6 => {
                has6 = true;
                if t6.created_on.is_none() {
                    t6.created_on = r.date(F::CreatedOn);
                }
                if t6.planner.is_none() {
                    t6.planner = r.text(F::Planner);
                }
                const GROUP: [F; 12] = [
                    F::ServiceCode,
                    F::ProviderCode,
                    F::Satellite,
                    F::Start,
                    F::End,
                    F::CountPerDay,
                    F::Units,
                    F::TaisCode,
                    F::NotifiedCode,
                    F::ProductName,
                    F::DetailCode,
                    F::Provider,
                ];
                let hash = {
                    use std::hash::{Hash, Hasher};
                    let mut h = rustc_hash::FxHasher::default();
                    for f in GROUP {
                        r.view(f).hash(&mut h);
                    }
                    h.finish()
                };
                let bucket = row_of.entry(hash).or_default();
                let found = bucket
                    .iter()
                    .find(|(_, rep)| GROUP.iter().all(|f| recs[*rep].view(*f) == r.view(*f)))
                    .map(|(i, _)| *i);
                let index = match found {
                    Some(i) => i,
                    None => {
                        bucket.push((rows6.len(), ri));
                        rows6.push(new_table6_row(r));
                        rows6.len() - 1
                    }
                };
                let row = &mut rows6[index];
                if let Some(d) = r.date(F::ServiceDate) {
                    row.dates.push(d);
                }
                if let Some(p) = r.text(F::ProrateDays) {
                    row.extra.insert(format!("日割対象日({})", r.text(F::ServiceDate).unwrap_or_default()), p);
                }
                if let Some(days) = r.text(F::ShortStayDaysBefore) {
                    row.extra.insert_if_absent("前月までの短期入所利用日数".into(), days);
                }
                if let Some(code) = r.text(F::PlannerOfficeCode) {
                    row.extra.insert_if_absent("プラン担当業者コード".into(), code);
                }
                row.sources.push(r.source());
            }
            Target::Table7 => {
                has7 = true;
                if t7.created_on.is_none() {
                    t7.created_on = r.date(F::CreatedOn);
                }
                let code = r.str(F::ServiceCode).unwrap_or_default();
                let provider_code = r.str(F::ProviderCode).unwrap_or_default();
                let row_kind = if code == "999999" || provider_code == "9999999999" {
                    "total"
                } else if code.ends_with("AAAA") {
                    "type_subtotal"
                } else if code.ends_with("EEEE") {
                    "outside_limit_subtotal"
                } else if code.ends_with("ZZZZ") {
                    "over_30_days_subtotal"
                } else {
                    "detail"
                };
                let mut amounts = SmallMap::new();
                let mut extra = extras(r, &TABLE7_USED);
                for (f, name) in TABLE7_AMOUNT_FIELDS {
                    match r.num(f) {
                        Some(n) => {
                            amounts.insert(Cow::Borrowed(name), n);
                        }
                        // Amounts that do not read as numbers are kept as text.
                        None => {
                            if let Some(v) = r.text(f) {
                                extra.insert(
                                    crate::model::fields::label(Target::Table7, name).unwrap_or(name).to_string(),
                                    v,
                                );
                            }
                        }
                    }
                }
                let row = Table7Row {
                    provider: r.text(F::Provider),
                    provider_code: r.text(F::ProviderCode),
                    service_code: r.text(F::ServiceCode),
                    row_kind: row_kind.into(),
                    amounts,
                    extra,
                    source: r.source(),
                };
                if row_kind == "total" && t7.totals.is_none() {
                    t7.totals = Some(row);
                } else {
                    t7.rows.push(row);
                }
            }
            _ => {}
        }
    }
    t6.rows = rows6;
    for row in &mut t6.rows {
        row.dates.sort();
        row.dates.dedup();
        row.sources.sort();
    }
    t6.rows.sort_by(|a, b| {
        (a.dates.first(), &a.start, &a.service_code, &a.provider_code, &a.sources).cmp(&(
            b.dates.first(),
            &b.start,
            &b.service_code,
            &b.provider_code,
            &b.sources,
        ))
    });
    record_conflicts(plan, conflicts, problems);
    let has_header = t6.care_level.is_some() || t6.limit_units.is_some();
    let m = Month {
        month: month.to_string(),
        table6: (has6 || has_header).then(|| Arc::new(t6)),
        table7: has7.then(|| Arc::new(t7)),
    };
    // Months arrive oldest first: the latest is the plan's table6/table7.
    if plan.table6.is_some() || plan.table7.is_some() {
        let current =
            plan.table6.as_ref().map(|t| t.month.clone()).or_else(|| plan.table7.as_ref().map(|t| t.month.clone()));
        plan.earlier_months.push(Month {
            month: current.unwrap_or_default(),
            table6: plan.table6.take(),
            table7: plan.table7.take(),
        });
    }
    plan.table6 = m.table6;
    plan.table7 = m.table7;
}

/// A 第6表 row started by the first record of a service.
pub(super) fn new_table6_row(r: &Record) -> Table6Row {
    Table6Row {
        service_code: r.text(F::ServiceCode),
        provider_code: r.text(F::ProviderCode),
        provider: r.text(F::Provider),
        start: r.text(F::Start),
        end: r.text(F::End),
        count_per_day: r.int(F::CountPerDay),
        planned_total: r.int(F::PlannedTotal),
        units: r.int(F::Units),
        extra: extras(
            r,
            &[
                F::CreatedOn,
                F::Month,
                F::Planner,
                F::ServiceDate,
                F::ServiceCode,
                F::ProviderCode,
                F::Provider,
                F::Start,
                F::End,
                F::CountPerDay,
                F::PlannedTotal,
                F::Units,
                F::ProrateDays,
                F::PlannerOfficeCode,
                F::ShortStayDaysBefore,
            ],
        ),
        ..Table6Row::default()
    }
}

pub(super) const TABLE7_AMOUNT_FIELDS: [(F, &str); 20] = [
    (F::Units, "units"),
    (F::DiscountRate, "discount_rate"),
    (F::DiscountedUnits, "discounted_units"),
    (F::Count, "count"),
    (F::ServiceUnits, "service_units"),
    (F::ManagedUnits, "managed_units"),
    (F::TypeOverUnits, "type_over_units"),
    (F::TypeWithinUnits, "type_within_units"),
    (F::CategoryOverUnits, "category_over_units"),
    (F::CategoryWithinUnits, "category_within_units"),
    (F::UnitPrice, "unit_price"),
    (F::TotalCost, "total_cost"),
    (F::BenefitRate, "benefit_rate"),
    (F::InsuranceClaim, "insurance_claim"),
    (F::FixedCopayPrice, "fixed_copay_price"),
    (F::CopayInsured, "copay_insured"),
    (F::CopayFull, "copay_full"),
    (F::DaysBefore, "days_before"),
    (F::DaysPlanned, "days_planned"),
    (F::DaysCumulative, "days_cumulative"),
];

pub(super) const TABLE7_USED: [F; 25] = [
    F::Units,
    F::DiscountRate,
    F::DiscountedUnits,
    F::Count,
    F::ServiceUnits,
    F::ManagedUnits,
    F::TypeOverUnits,
    F::TypeWithinUnits,
    F::CategoryOverUnits,
    F::CategoryWithinUnits,
    F::UnitPrice,
    F::TotalCost,
    F::BenefitRate,
    F::InsuranceClaim,
    F::FixedCopayPrice,
    F::CopayInsured,
    F::CopayFull,
    F::DaysBefore,
    F::DaysPlanned,
    F::DaysCumulative,
    F::CreatedOn,
    F::Month,
    F::Provider,
    F::ProviderCode,
    F::ServiceCode,
];
