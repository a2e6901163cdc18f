//! The canonical plan: 第1表〜第7表 of one person's plan generation.
//!
//! ## Format (plan.json)
//! Keys are English snake_case, dates ISO `YYYY-MM-DD`, months `YYYY-MM`,
//! times `HH:MM`. Every record that came from a file keeps `source` (the
//! record's first position) and `sources` (each field's own position:
//! file, sheet, absolute A1 cell, 1-based line and column). Values the model
//! has no field for are kept under `extra` with their label, so nothing read
//! is dropped. The Japanese label of every field is in
//! `docs/plan-json.md` (the format, field by field, in Japanese) and `lsw mapping fields`.

use super::conflict::Conflict;
use super::key::PlanKey;
use super::smallmap::SmallMap;
use crate::diag::Source;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// Field name → position. Names are the model's own (`'static`), so filling
/// the map allocates nothing but the map.
pub type Sources = SmallMap<Cow<'static, str>, Source>;
pub type Extra = SmallMap<String, String>;

fn is_empty_map<K: Ord, V>(m: &SmallMap<K, V>) -> bool {
    m.is_empty()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Office {
    /// 居宅介護支援事業所番号 (10 digits).
    pub code: Option<String>,
    /// 事業所名.
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// 利用者氏名 (without 殿/様).
    pub name: Option<String>,
    /// フリガナ.
    pub kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// 男 / 女.
    pub sex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Certification {
    /// 認定状況: 申請中 / 認定済.
    pub status: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// 認定の有効期間 as written, when the source gives it as one text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_period: Option<String>,
    /// One of 非該当 事業対象者 要支援1 要支援2 要介護1…要介護5 経過的要介護.
    pub care_level: Option<String>,
    /// 区分支給限度基準額 (units per month), when the source carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_units: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_care_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_level_changed_on: Option<NaiveDate>,
    /// 限度額適用期間 (利用者補足情報).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intentions {
    /// The whole 利用者及び家族の生活に対する意向を踏まえた課題分析の結果 as written.
    pub text: Option<String>,
    /// 本人の意向 when the text marks it (【本人の意向】…).
    pub person: Option<String>,
    /// 家族の意向.
    pub family: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LivingSupportReason {
    /// 1 一人暮らし / 2 家族等が障害、疾病等 / 3 その他, as its label.
    pub code: Option<String>,
    pub other: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table1 {
    /// 作成年月日.
    pub created_on: Option<NaiveDate>,
    /// 初回居宅サービス計画作成日.
    pub first_created_on: Option<NaiveDate>,
    /// 計画書区分: 初回 / 紹介 / 継続 and combinations joined by ・.
    pub plan_kind: Option<String>,
    pub certification: Certification,
    /// 居宅サービス計画作成者氏名.
    pub planner: Option<String>,
    pub intentions: Intentions,
    /// 介護認定審査会の意見及びサービスの種類の指定.
    pub review_opinion: Option<String>,
    /// 総合的な援助の方針.
    pub policy: Option<String>,
    /// 生活援助中心型の算定理由.
    pub living_support_reason: LivingSupportReason,
    /// 説明・同意日.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub extra: Extra,
}

/// A period as written (free text in the standard) and, where it reads as
/// dates, its ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodJson {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub raw: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table2 {
    pub created_on: Option<NaiveDate>,
    pub needs: Vec<Need>,
    /// Where `created_on` was read.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Need {
    /// 課題NO, when the source numbers needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<i64>,
    /// 生活全般の解決すべき課題（ニーズ）.
    pub text: Option<String>,
    pub long_goals: Vec<LongGoal>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LongGoal {
    /// 援助目標NO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<i64>,
    pub text: Option<String>,
    pub period: Option<PeriodJson>,
    pub short_goals: Vec<ShortGoal>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShortGoal {
    pub text: Option<String>,
    pub period: Option<PeriodJson>,
    pub services: Vec<Service>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// 援助内容NO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<i64>,
    /// サービス内容.
    pub content: Option<String>,
    /// ※1 保険給付の対象: true (Y, ○), false (N), null (blank).
    pub insured: Option<bool>,
    /// ※1 as written (ほのぼの writes one ○ per concatenated service type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_mark: Option<String>,
    /// サービス種別.
    pub kind: Option<String>,
    /// ※2 サービス事業所名.
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_code: Option<String>,
    /// 頻度.
    pub frequency: Option<String>,
    /// 期間.
    pub period: Option<PeriodJson>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table3 {
    pub created_on: Option<NaiveDate>,
    /// 「令和 年 月分より」 as `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_month: Option<String>,
    pub weekly: Vec<WeeklySlot>,
    pub daily_activities: Vec<DailyActivity>,
    /// 週単位以外のサービス.
    pub non_weekly: Vec<String>,
    /// Where each `non_weekly` item came from (same order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub non_weekly_sources: Vec<Source>,
    /// Where `created_on` and `from_month` were read.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeeklySlot {
    /// 月 火 水 木 金 土 日.
    pub day: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub service: String,
    /// The provider, when the plan lists it beside the service (a 第3表
    /// exported one service per row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DailyActivity {
    pub start: Option<String>,
    pub end: Option<String>,
    pub text: String,
    pub source: Source,
}

/// 第4表 サービス担当者会議の要点.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub held_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub time: Option<String>,
    /// 開催回数.
    pub count: Option<String>,
    pub attendees: Vec<Attendee>,
    /// 利用者・家族の出席: 本人.
    pub person_attendance: Option<String>,
    /// 利用者・家族の出席: 家族（続柄）.
    pub family_attendance: Option<String>,
    /// 検討した項目.
    pub items: Option<String>,
    /// 検討内容.
    pub discussion: Option<String>,
    /// 結論.
    pub conclusion: Option<String>,
    /// 残された課題（次回の開催時期）.
    pub remaining: Option<String>,
    /// 作成者.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder: Option<String>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    /// 所属（職種）.
    pub affiliation: Option<String>,
    pub name: Option<String>,
    pub source: Source,
}

/// 第5表 居宅介護支援経過: one entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgressEntry {
    pub date: Option<NaiveDate>,
    /// 項目.
    pub item: Option<String>,
    /// 内容.
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder: Option<String>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

/// 第6表 サービス利用票 of one 対象年月.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table6 {
    /// 対象年月 `YYYY-MM`.
    pub month: String,
    pub created_on: Option<NaiveDate>,
    pub care_level: Option<String>,
    /// 区分支給限度基準額.
    pub limit_units: Option<i64>,
    /// プラン担当者名.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planner: Option<String>,
    pub rows: Vec<Table6Row>,
    /// Where the header values (要介護状態区分, 区分支給限度基準額) came from.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub sources: Sources,
}

/// One service of the month with the dates it is planned on (the standard has
/// one record per service and date; they are gathered here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table6Row {
    pub service_code: Option<String>,
    pub provider_code: Option<String>,
    pub provider: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// サービス回数 per day.
    pub count_per_day: Option<i64>,
    /// 合計回数 (予定) as written, where the input carries it (a form's
    /// total column); the standard CSV has one record per date instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_total: Option<i64>,
    /// 単位数 per use.
    pub units: Option<i64>,
    pub dates: Vec<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub extra: Extra,
    /// The line of every record gathered here.
    pub sources: Vec<Source>,
}

/// 第7表 サービス利用票別表 of one 対象年月.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table7 {
    pub month: String,
    pub created_on: Option<NaiveDate>,
    pub rows: Vec<Table7Row>,
    /// The 全合計 row (サービスコード 999999).
    pub totals: Option<Table7Row>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table7Row {
    pub provider: Option<String>,
    pub provider_code: Option<String>,
    pub service_code: Option<String>,
    /// `detail`, `type_subtotal` (AAAA), `outside_limit_subtotal` (EEEE),
    /// `over_30_days_subtotal` (ZZZZ) or `total` (999999).
    pub row_kind: String,
    /// Numeric columns by field name (単位数, 回数, 区分支給限度基準内単位…).
    pub amounts: SmallMap<Cow<'static, str>, f64>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub extra: Extra,
    pub source: Source,
}

/// 第6/7表 of an earlier month attached to the same plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Month {
    pub month: String,
    pub table6: Option<Arc<Table6>>,
    pub table7: Option<Arc<Table7>>,
}

/// A value the plan's mapping declares as metadata (`meta.*` fields: a
/// system's 登録年月日, 修正区分, 表示順…): kept here, not placed on the forms.
/// One entry per label and value, with how many records carried it and the
/// first one's position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetaValue {
    pub label: String,
    pub value: String,
    pub count: usize,
    pub source: Source,
}

/// Where the plan came from and what happened on the way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Each input file and the mapping source that read it.
    pub inputs: Vec<InputRef>,
    /// Records read into this plan.
    pub records: usize,
    /// Exact duplicate records merged into an earlier one.
    pub duplicates: Vec<Duplicate>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InputRef {
    pub file: String,
    pub mapping: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Duplicate {
    pub source: Source,
    pub duplicate_of: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CarePlan {
    pub key: PlanKey,
    /// Where the key's numbers and plan date were read (the first record
    /// giving each): a workbook's 保険者番号 cell, a CSV line.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub key_sources: Sources,
    pub office: Office,
    pub person: Person,
    pub table1: Table1,
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Vec<Meeting>,
    pub table5: Vec<ProgressEntry>,
    /// 第6表 of the latest 対象年月 attached to the plan (shared with the
    /// forms, which keep it as it is).
    pub table6: Option<Arc<Table6>>,
    /// 第7表 of the latest 対象年月 attached to the plan.
    pub table7: Option<Arc<Table7>>,
    /// Earlier months of 第6/7表 in force under this plan, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_months: Vec<Month>,
    /// Fields that sources of the plan disagree on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// Metadata the mapping declares (`meta.*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<MetaValue>,
    pub provenance: Provenance,
    /// The catalogue fields the plan's inputs declare (bit = field id): what
    /// they could carry, whether or not a value was written. Not in plan.json.
    #[serde(skip)]
    pub declared_fields: u128,
    /// The date of the person's next plan in this run, if one is newer: the
    /// audit does not ask an old plan for what its successor took over
    /// (renewal, expired goals). Not in plan.json.
    #[serde(skip)]
    pub newer_plan_on: Option<NaiveDate>,
}

impl CarePlan {
    /// Whether the plan's inputs carry a field at all (so a blank is a blank
    /// in the source, not a field the format lacks).
    pub fn declared(&self, field: &str) -> bool {
        crate::model::fields::F::from_name(field).is_some_and(|f| self.declares(f))
    }

    /// [`declared`](Self::declared) by field id.
    pub fn declares(&self, f: crate::model::fields::F) -> bool {
        self.declared_fields & (1u128 << (f as u32)) != 0
    }
}
