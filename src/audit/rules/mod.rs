//! The rule registry: one rule per file, grouped by family. Codes are the
//! audit catalogue's and are never reused; `all()` lists them in code order.

pub mod k;
pub mod l1;
pub mod l2;
pub mod l3;
pub mod l4;
pub mod pr;
pub mod t1;
pub mod t2;
pub mod t3;
pub mod t4;
pub mod t5;
pub mod t6;
pub mod t7;
pub mod x;
pub mod y;

use super::Rule;
use crate::diag::Source;

use crate::model::plan::{Need, Service, ShortGoal};
use crate::model::CarePlan;

pub fn all() -> &'static [&'static Rule] {
    static ALL: &[&Rule] = &[
        &k::k_01_not_combinable::K_01,
        &k::k_03_no_living_support_reason::K_03,
        &l1::l1_04_meeting_without_decision::L1_04,
        &l2::l2_04_nothing_confirmed::L2_04,
        &l3::l3_02_no_goal::L3_02,
        &l3::l3_03_goal_period::L3_03,
        &l3::l3_04_role_missing::L3_04,
        &l4::l4_01_day_not_covered::L4_01,
        &l4::l4_03_support_without_carer::L4_03,
        &pr::pr_04_meeting_after_consent::PR_04,
        &pr::pr_05_no_meeting::PR_05,
        &pr::pr_06_no_consent::PR_06,
        &pr::pr_08_service_before_consent::PR_08,
        &pr::pr_10_no_home_visit::PR_10,
        &pr::pr_11_no_monitoring::PR_11,
        &pr::pr_13_circumstances::PR_13,
        &pr::pr_14_medical_without_doctor::PR_14,
        &pr::pr_15_short_stay_half::PR_15,
        &pr::pr_16_living_support_count::PR_16,
        &pr::pr_19_light_equipment::PR_19,
        &pr::pr_20_same_item_twice::PR_20,
        &pr::pr_24_minor_change::PR_24,
        &pr::pr_25_selectable_equipment::PR_25,
        &t1::t1_01_required_fields::T1_01,
        &t1::t1_02_dates_and_kind::T1_02,
        &t1::t1_03_certified_without_dates::T1_03,
        &t1::t1_04_plan_outside_certification::T1_04,
        &t1::t1_05_certification_ending::T1_05,
        &t1::t1_06_intentions_not_separated::T1_06,
        &t1::t1_07_empty_intentions::T1_07,
        &t1::t1_10_review_opinion_blank::T1_10,
        &t1::t1_11_abstract_policy::T1_11,
        &t1::t1_12_no_emergency_plan::T1_12,
        &t1::t1_13_living_support_without_reason::T1_13,
        &t2::t2_01_incomplete_need::T2_01,
        &t2::t2_02_long_goal_period::T2_02,
        &t2::t2_03_short_goal_period::T2_03,
        &t2::t2_04_short_goal_outside_long::T2_04,
        &t2::t2_05_period_outside_certification::T2_05,
        &t2::t2_06_short_goal_expired::T2_06,
        &t2::t2_07_long_equals_short::T2_07,
        &t2::t2_08_need_equals_long_goal::T2_08,
        &t2::t2_09_vague_short_goal::T2_09,
        &t2::t2_10_goal_as_helper_action::T2_10,
        &t2::t2_14_short_goal_without_service::T2_14,
        &t2::t2_15_service_only_a_name::T2_15,
        &t2::t2_16_insured_mark::T2_16,
        &t2::t2_17_provider_missing::T2_17,
        &t2::t2_19_frequency::T2_19,
        &t2::t2_21_equipment_reason::T2_21,
        &t2::t2_22_home_help_reason::T2_22,
        &t3::t3_02_daily_activities::T3_02,
        &t3::t3_03_non_weekly_missing::T3_03,
        &t3::t3_04_weekly_count::T3_04,
        &t4::t4_01_meeting_date::T4_01,
        &t4::t4_02_attendees::T4_02,
        &t4::t4_03_provider_not_heard::T4_03,
        &t4::t4_05_discussion::T4_05,
        &t4::t4_07_doctor_not_heard::T4_07,
        &t4::t4_10_meeting_details::T4_10,
        &t5::t5_01_entry_elements::T5_01,
        &t5::t5_02_chronological::T5_02,
        &t6::t6_02_limit_mismatch::T6_02,
        &t6::t6_05_total_mismatch::T6_05,
        &t6::t6_06_outside_plan::T6_06,
        &t7::t7_02_discount::T7_02,
        &t7::t7_03_count_differs_from_table6::T7_03,
        &t7::t7_04_service_units::T7_04,
        &t7::t7_05_limit_split::T7_05,
        &t7::t7_07_total_cost::T7_07,
        &t7::t7_08_claim_and_copay::T7_08,
        &t7::t7_10_full_copay::T7_10,
        &t7::t7_12_over_limit::T7_12,
        &t7::t7_13_short_stay_days::T7_13,
        &x::x_01_name_or_birth_mismatch::X_01,
        &x::x_02_care_level_mismatch::X_02,
        &x::x_04_service_sets_differ::X_04,
        &x::x_05_plan_dates_differ::X_05,
        &y::y_01_preventive_plan::Y_01,
    ];
    ALL
}

/// The position of a 第1表 field, or of the 第1表 itself, or of the plan's first input.
pub fn t1_source(plan: &CarePlan, field: &str) -> Source {
    plan.table1.sources.get(field).cloned().or_else(|| plan.table1.source.clone()).unwrap_or_else(|| plan_source(plan))
}

/// An amount as a message shows it: as `f64`'s `Display` does (`90`, `8063.5`),
/// whole numbers written as integers without the float formatter (第7表
/// rules format many of them).
pub struct Amount(pub f64);

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 1e15 && !(v == 0.0 && v.is_sign_negative()) {
            write!(f, "{}", v as i64)
        } else {
            write!(f, "{v}")
        }
    }
}

/// The plan's first input file.
pub fn plan_source(plan: &CarePlan) -> Source {
    plan.provenance.inputs.first().map(|i| Source::file(i.file.as_str())).unwrap_or_default()
}

/// Whether two goal texts of a plan are at least `threshold` similar (see
/// [`similarity`]): their bigrams are made once however many texts they are
/// compared with, and pairs whose lengths alone rule it out are not
/// compared bigram by bigram.
pub fn similar_goals(a: &crate::audit::GoalText, b: &crate::audit::GoalText, threshold: f64) -> bool {
    a.text == b.text || (may_reach(a.bigrams(), b.bigrams(), threshold) && a.grams().dice(b.grams()) >= threshold)
}

/// Whether texts of `ga` and `gb` bigrams can be `threshold` similar at
/// all: the Dice coefficient is at most 2·min/(a+b).
fn may_reach(ga: usize, gb: usize, threshold: f64) -> bool {
    let (ga, gb) = (ga as f64, gb as f64);
    ga + gb <= 0.0 || 2.0 * ga.min(gb) / (ga + gb) >= threshold
}

/// Similarity of two texts (0–1): the Dice coefficient of their character
/// bigrams after normalisation; equal texts give 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (crate::text::norm_cow(a), crate::text::norm_cow(b));
    if a == b {
        return 1.0;
    }
    dice(&a, &b)
}

/// The Dice coefficient of two normalised texts' character bigrams.
fn dice(a: &str, b: &str) -> f64 {
    Bigrams::of(a).dice(&Bigrams::of(b))
}

/// A normalised text's character bigrams, sorted (with multiplicity), each
/// as one number: sorting and comparing them is one comparison each.
#[derive(Debug, Clone, Default)]
pub struct Bigrams(Vec<u64>);

impl Bigrams {
    pub fn of(s: &str) -> Bigrams {
        // At most one bigram per byte: room made once.
        let mut g: Vec<u64> = Vec::with_capacity(s.len());
        g.extend(s.chars().zip(s.chars().skip(1)).map(|(a, b)| (a as u64) << 32 | b as u64));
        g.sort_unstable();
        Bigrams(g)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The Dice coefficient: shared bigrams (merged) over all.
    pub fn dice(&self, other: &Bigrams) -> f64 {
        let (ga, gb) = (&self.0, &other.0);
        if ga.is_empty() || gb.is_empty() {
            return 0.0;
        }
        let (mut i, mut j, mut common) = (0, 0, 0);
        while i < ga.len() && j < gb.len() {
            match ga[i].cmp(&gb[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * common as f64 / (ga.len() + gb.len()) as f64
    }
}

/// `令和7年4月1日` for messages.
pub fn wareki(d: chrono::NaiveDate) -> String {
    crate::model::wareki::date(d)
}

/// Every 第2表 service with its need and short goal.
pub fn services(plan: &CarePlan) -> impl Iterator<Item = (&Need, &ShortGoal, &Service)> {
    plan.table2.needs.iter().flat_map(|n| {
        n.long_goals
            .iter()
            .flat_map(move |g| g.short_goals.iter().flat_map(move |s| s.services.iter().map(move |v| (n, s, v))))
    })
}

/// The first day of a 第6/7表 対象年月 (`YYYY-MM`).
pub fn month_start(month: &str) -> Option<chrono::NaiveDate> {
    // `YYYY-MM`, as the mappings write it, without the format parser.
    if let [y @ .., b'-', m1, m2] = month.as_bytes() {
        if y.len() == 4 && y.iter().chain([m1, m2]).all(u8::is_ascii_digit) {
            let n = |d: &[u8]| d.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
            return chrono::NaiveDate::from_ymd_opt(n(y) as i32, n(&[*m1, *m2]), 1);
        }
    }
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// The 第6表 file of the plan, or its first input.
pub fn table6_source(plan: &CarePlan) -> Source {
    plan.table6
        .as_deref()
        .and_then(|t| t.rows.iter().find_map(|r| r.sources.first().cloned()))
        .map(|s| Source::file(s.file.clone()))
        .unwrap_or_else(|| plan_source(plan))
}

/// Planned 生活援助中心型 visits in the 第6表 (dates × times per day), with
/// the rows counted.
pub fn living_support_visits<'a>(
    plan: &'a CarePlan,
    codes: &[String],
) -> (i64, Vec<&'a crate::model::plan::Table6Row>) {
    let Some(t6) = plan.table6.as_deref() else { return (0, Vec::new()) };
    let rows: Vec<_> = t6
        .rows
        .iter()
        .filter(|r| r.service_code.as_deref().is_some_and(|c| codes.iter().any(|p| c.starts_with(p.as_str()))))
        .collect();
    let n = rows.iter().map(|r| r.dates.len() as i64 * r.count_per_day.unwrap_or(1).max(1)).sum();
    (n, rows)
}

/// The 生活援助中心型 count of the plan's 第6表 against the 基準回数 in force
/// for its 要介護度 and 対象年月: (要介護度, 基準回数, planned visits, rows
/// counted), when both are known.
pub struct LivingSupport<'a> {
    pub level: &'a str,
    pub threshold: i64,
    pub visits: i64,
    pub rows: Vec<&'a crate::model::plan::Table6Row>,
}

pub fn living_support<'a>(cx: &super::Cx<'a>) -> Option<LivingSupport<'a>> {
    let plan = cx.plan;
    let t6 = plan.table6.as_deref()?;
    let level = t6.care_level.as_deref().or(plan.table1.certification.care_level.as_deref())?;
    let threshold = month_start(&t6.month).and_then(|d| cx.constants.living_support_count(level, d))?;
    let (visits, rows) = living_support_visits(plan, &cx.constants.living_support_codes.codes);
    Some(LivingSupport { level, threshold, visits, rows })
}

/// The normalised text of a sentence-less field, or "".
pub fn norm_opt(s: &Option<String>) -> std::borrow::Cow<'_, str> {
    s.as_deref().map(crate::text::norm_cow).unwrap_or_default()
}

/// Whether a plan has a newer plan of the same person in this run, and its date.
pub fn newer_plan(plan: &CarePlan) -> Option<chrono::NaiveDate> {
    plan.newer_plan_on
}

/// Length of the period `from`–`to` (both days included) in months, rounded
/// up: 2025-10-01〜2026-03-31 is 6, 2025-10-01〜2026-04-01 is 7.
pub fn months_between(from: chrono::NaiveDate, to: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    let end = to.succ_opt().unwrap_or(to);
    let mut m = (end.year() - from.year()) * 12 + end.month() as i32 - from.month() as i32;
    if end.day() > from.day() {
        m += 1;
    }
    m.max(0) as u32
}

/// The position of `field` of an item, or of the item: for `out.push` only
/// (positions are cloned when a finding is made, not before).
pub fn at(sources: &crate::model::Sources, field: &str, item: &Source) -> Source {
    sources.get(field).cloned().unwrap_or_else(|| item.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path reads what the format parser reads.
    #[test]
    fn month_start_reads_as_chrono_does() {
        for m in
            ["2025-04", "2025-4", "2025-13", "2025-00", "0999-12", "20250-01", "2025/04", "", "2025-04 ", "２０２５-04"]
        {
            let slow = chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
            assert_eq!(month_start(m), slow, "{m:?}");
        }
    }

    /// Amounts read as `f64`'s own Display would write them.
    #[test]
    fn amounts_print_as_floats_do() {
        for v in [0.0, -0.0, 90.0, 8063.5, -12.0, 72568.0, 1e15, 1e16, 0.1, f64::NAN, f64::INFINITY] {
            assert_eq!(Amount(v).to_string(), v.to_string(), "{v}");
        }
    }

    /// Dice over bigrams counted with multiplicity, after normalisation.
    #[test]
    fn similarity_counts_shared_bigrams() {
        // 歩行 shared of 3 + 3 bigrams.
        assert!((similarity("歩行訓練", "歩行練習") - 2.0 / 6.0).abs() < 1e-9);
        // (あ,あ) three times against once: one shared.
        assert!((similarity("ああああ", "ああ") - 2.0 / 4.0).abs() < 1e-9);
        // Order of the bigrams does not matter; repeats do.
        assert!((similarity("abab", "baba") - 2.0 * 2.0 / 6.0).abs() < 1e-9);
        assert_eq!(similarity("ｶﾞｽ　コンロ", "ガスコンロ"), 1.0);
        assert_eq!(similarity("", "歩く"), 0.0);
    }

    /// The length shortcut and the shared bigrams never change the answer.
    #[test]
    fn similar_goals_agrees_with_similarity() {
        let texts = [
            "自宅の浴室で安全に入浴したい",
            "自宅の浴室で安全に入浴できる",
            "安全に入浴したい",
            "ｶﾞｽ　コンロ を使える",
            "ガスコンロを使える",
            "夜間に転ばずにトイレに行ける",
            "",
            "歩く",
        ];
        for a in texts {
            for b in texts {
                for t in [0.5, 0.8, 0.9, 1.0] {
                    let (ga, gb) = (
                        crate::audit::GoalText::new(crate::text::norm_cow(a)),
                        crate::audit::GoalText::new(crate::text::norm_cow(b)),
                    );
                    assert_eq!(similar_goals(&ga, &gb, t), similarity(a, b) >= t, "{a} / {b} / {t}");
                }
            }
        }
        assert_eq!(months_between("2025-10-01".parse().unwrap(), "2026-03-31".parse().unwrap()), 6);
        assert_eq!(months_between("2025-10-01".parse().unwrap(), "2026-04-01".parse().unwrap()), 7);
    }
}
