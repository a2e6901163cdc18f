//! The months a plan is in force and what its 第5表 records in each (PR-10,
//! PR-11, PR-13): a home visit, a monitoring, a 特段の事情 or another reason.

use crate::audit::records::{entries, months};
use crate::audit::Cx;
use chrono::Datelike;

/// One calendar month of the plan.
pub struct Month {
    pub month: (i32, u32),
    /// The first month of the plan (no monitoring is asked yet).
    pub first: bool,
    pub home_visit: bool,
    pub monitoring: bool,
    /// A 特段の事情 on the user's side written that month (入院 …).
    pub circumstance: Option<String>,
    /// A reason on the office's side written that month (研修 …).
    pub other_reason: Option<String>,
    /// Where the month's first entry is (or the plan's 第5表).
    pub at: crate::diag::Source,
}

/// The months from the plan's start (its 説明・同意日, else its date) to the
/// last month its 第5表 records — not the audit date's month (still under
/// way) nor a month of the person's next plan.
pub fn months_of(cx: &Cx) -> Vec<Month> {
    let p = cx.plan;
    let Some(start) = p.table1.consent_on.or(p.key.plan_date) else { return Vec::new() };
    let read = entries(cx);
    let Some(last) = read.iter().filter_map(|e| e.date).max() else { return Vec::new() };
    let ym = |d: chrono::NaiveDate| (d.year(), d.month());
    let before = |d: chrono::NaiveDate| {
        let (y, m) = ym(d);
        if m == 1 {
            (y - 1, 12)
        } else {
            (y, m - 1)
        }
    };
    let mut end = ym(last);
    if let Some(today) = cx.config.audit_date {
        end = end.min(before(today));
    }
    if let Some(next) = p.newer_plan_on {
        end = end.min(before(next));
    }
    let r = &cx.constants.records;
    let default_at = p.table5.first().map(|e| e.source.clone()).unwrap_or_default();
    months(ym(start), end)
        .into_iter()
        .map(|month| {
            let of_month: Vec<_> = read.iter().filter(|e| e.date.is_some_and(|d| ym(d) == month)).collect();
            let find =
                |v: &crate::audit::words::Vocab| of_month.iter().find_map(|e| v.find(&e.text).map(str::to_string));
            Month {
                month,
                first: month == ym(start),
                home_visit: of_month.iter().any(|e| e.home_visit),
                monitoring: of_month.iter().any(|e| e.monitoring),
                circumstance: find(&r.user_circumstances),
                other_reason: find(&r.cm_reasons),
                at: of_month.first().map(|e| e.entry.source.clone()).unwrap_or_else(|| default_at.clone()),
            }
        })
        .collect()
}
