//! The Life Support Work forms (ライフサポートワーク様式1〜4) of one plan.
//!
//! ## Format (lsw.json)
//! `form1` 様式1 記録・ミーティング用紙, `form2` 様式2 カンファレンス用紙,
//! `form3` 様式3 ライフサポートプラン①, `form4` 様式4 ライフサポートプラン②
//! (わたしの暮らし まとめシート, 24時間), the kept 第6/7表 (現行様式使用),
//! and `unclassified`: every value of the plan that no rule placed, with its
//! source and the reason, so nothing is dropped. Every placed entry keeps the
//! `source` of the plan value it came from.

use super::key::PlanKey;
use super::plan::{PeriodJson, Table6, Table7};
use crate::diag::Source;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One placed text with where it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// The forms' heading: the person, the office and the certification.
/// A placed text with a period (goals, steps, actions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dated {
    pub text: String,
    pub period: Option<PeriodJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub person_name: Option<String>,
    pub person_kana: Option<String>,
    pub sex: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub office_name: Option<String>,
    pub office_code: Option<String>,
    pub office_postal_code: Option<String>,
    pub office_address: Option<String>,
    pub planner: Option<String>,
    pub created_on: Option<NaiveDate>,
    pub first_created_on: Option<NaiveDate>,
    /// 初回・紹介・継続.
    pub plan_kind: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub care_level: Option<String>,
    pub certification_status: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub certification_valid_from: Option<NaiveDate>,
    pub certification_valid_to: Option<NaiveDate>,
    /// 認定の有効期間 as written.
    pub certification_period: Option<String>,
    pub limit_units: Option<i64>,
    pub limit_from: Option<NaiveDate>,
    pub limit_to: Option<NaiveDate>,
    pub previous_care_level: Option<String>,
    pub care_level_changed_on: Option<NaiveDate>,
    /// 第3表の「〜年〜月分より」.
    pub weekly_from_month: Option<String>,
}

/// 様式1: one record or meeting entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form1Entry {
    pub date: Option<NaiveDate>,
    /// 項目.
    pub item: Option<String>,
    pub person: Vec<Placed>,
    pub family: Vec<Placed>,
    pub community: Vec<Placed>,
    /// 記入者／介護支援専門員.
    pub recorder: Option<String>,
    pub meeting: Meeting1,
    pub source: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meeting1 {
    /// ミーティング 考察.
    pub consideration: Vec<Placed>,
    /// ミーティング 決定.
    pub decision: Vec<Placed>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form1 {
    pub entries: Vec<Form1Entry>,
}

/// 様式2: one conference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form2 {
    pub date: Option<NaiveDate>,
    /// 項目 (検討した項目).
    pub item: Option<Placed>,
    /// 開催場所・開催時間・開催回数 (shown with the date).
    pub held: Vec<Placed>,
    /// 作成者 of the 第4表 (the 介護支援専門員 box).
    pub recorder: Option<Placed>,
    /// 参加者 (所属（職種）と氏名).
    pub participants: Vec<Placed>,
    /// 計 名.
    pub count: usize,
    pub person: Vec<Placed>,
    pub family: Vec<Placed>,
    pub community: Vec<Placed>,
    /// 考察.
    pub consideration: Vec<Placed>,
    /// 確認事項.
    pub confirmed: Vec<Placed>,
    pub source: Source,
}

/// 様式3: one 当面の目標・ニーズ row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form3Need {
    /// 当面の目標・ニーズ.
    pub need: Placed,
    /// 期間.
    pub period: Option<PeriodJson>,
    /// 本人ができること.
    pub person: Vec<Placed>,
    /// 家族・介護者ができること.
    pub family: Vec<Placed>,
    /// 地域（本人の持つ資源）ができること.
    pub community: Vec<Placed>,
    /// 専門職・事業所ができること.
    pub office: Vec<Placed>,
    /// 目標（ニーズ）実現のプロセス: the short goals.
    pub process: Vec<Dated>,
    /// 行動計画: what is done, how often, by when.
    pub action_plan: Vec<Dated>,
}

/// 他の介護保険サービス.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OtherService {
    /// サービス種別.
    pub kind: String,
    pub provider: Option<String>,
    /// 必要性: the need it serves.
    pub necessity: Option<String>,
    /// 具体的内容.
    pub content: Option<String>,
    pub frequency: Option<String>,
    pub period: Option<PeriodJson>,
    pub source: Source,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intentions3 {
    /// The whole 利用者及び家族の生活に対する意向 as written.
    pub text: Option<Placed>,
    pub person: Option<Placed>,
    pub family: Option<Placed>,
    /// Text of the 意向 not marked as 本人 or 家族.
    pub other: Option<Placed>,
}

/// 様式3 ライフサポートプラン①.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form3 {
    /// 長期的目標（ゴール）: the 第2表 long-term goals.
    pub goal: Vec<Dated>,
    /// 介護認定審査会の意見.
    pub review_opinion: Option<Placed>,
    pub intentions: Intentions3,
    /// 総合的な援助の方針.
    pub policy: Option<Placed>,
    /// 緊急時の対応: the policy's sentences about emergencies.
    pub emergency: Vec<Placed>,
    pub needs: Vec<Form3Need>,
    pub other_services: Vec<OtherService>,
}

/// Who supports in a 様式4 row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Support {
    pub person: Vec<Placed>,
    pub family: Vec<Placed>,
    pub community: Vec<Placed>,
    pub office: Vec<Placed>,
}

/// 様式4: one time row of the 24-hour sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form4Slot {
    /// Start of the row, `HH:MM`.
    pub time: String,
    /// 時間帯 (深夜・早朝・午前・午後・夜間).
    pub band: String,
    /// これまでの暮らし (the 第3表 daily activities).
    pub before: Vec<Placed>,
    /// 望む暮らし.
    pub wish: Vec<Placed>,
    /// できること.
    pub can_do: Vec<Placed>,
    /// 支援が必要なこと.
    pub support_needed: Vec<Placed>,
    pub support: Support,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form4 {
    pub slots: Vec<Form4Slot>,
    /// 下欄: weekly and other non-daily support (週間・月単位など).
    pub non_daily: Vec<Placed>,
}

/// A plan value no rule placed.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unclassified {
    pub text: String,
    pub source: Option<Source>,
    /// Japanese: why it was not placed.
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LswForms {
    pub key: PlanKey,
    pub header: Header,
    pub form1: Form1,
    pub form2: Vec<Form2>,
    pub form3: Form3,
    pub form4: Form4,
    /// 第6表 (現行様式使用).
    pub table6: Option<Arc<Table6>>,
    /// 第7表 (現行様式使用).
    pub table7: Option<Arc<Table7>>,
    pub unclassified: Vec<Unclassified>,
}
