//! The Life Support Work forms (ライフサポートワーク様式1〜4) of one plan.
//!
//! ## Format (lsw.json)
//! `form1` 様式1 記録・ミーティング用紙, `form2` 様式2 カンファレンス用紙,
//! `form3` 様式3 ライフサポートプラン①, `form4` 様式4 ライフサポートプラン②
//! (わたしの暮らし まとめシート, 24時間), the kept 第6/7表 (現行様式使用),
//! and `unclassified`: every value of the plan that no rule placed, with its
//! source and the reason, so nothing is dropped. Every placed entry keeps the
//! `source` of the plan value it came from.
//!
//! What a 居宅 plan cannot say (the 小多機 team's own meeting, 望む暮らし, the
//! night, its own support…) is listed per form part in `to_fill` (field
//! names) and counted in `to_fill_counts`; the forms print those cells as
//! 「（小多機で記入）」 ([`TO_FILL`]). Metadata the plan's mapping declares
//! (登録年月日, 表示順…) stays in plan.json's `meta`, counted in `meta_count`.

use super::key::PlanKey;
use super::plan::{PeriodJson, Table6, Table7};
use crate::diag::Source;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How the forms mark a cell the 小規模多機能 team has to fill: the 居宅
/// plan cannot say it.
pub const TO_FILL: &str = "（小多機で記入）";

/// One placed text with where it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Who said it or does it, as the plan names them (長男, 民生委員,
    /// デイサービス).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// A 居宅 service a 小規模多機能 登録者 cannot keep: what to consider
    /// instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<Replace>,
}

impl Placed {
    pub fn new(text: impl Into<String>, source: Option<&Source>) -> Placed {
        Placed { text: text.into(), source: source.cloned(), ..Placed::default() }
    }
}

/// A service a 小規模多機能型居宅介護 登録者 cannot combine with (service
/// catalogue `small_multi = "excluded"`): shown with the rules' mark and the
/// 小多機 function that replaces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replace {
    /// The catalogue's name of the service (訪問介護, 通所介護 …).
    pub service: String,
    /// 通い, 訪問, 宿泊 (or ケアマネジメント), from the catalogue.
    pub by: Option<String>,
    /// 「通い／訪問／宿泊への置き換えを検討」 (the rules' words).
    pub mark: String,
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

/// Cells the 小多機 team fills, by field name (the JSON names of the part
/// they belong to: `before`, `support.office.通い`, `meeting.decision` …).
pub type ToFill = Vec<String>;

/// How many cells each form leaves to the 小多機 team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToFillCounts {
    pub form1: usize,
    pub form2: usize,
    pub form3: usize,
    pub form4: usize,
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
    /// 記入者／介護支援専門員: who wrote the entry (the 居宅 plan's 第5表).
    pub recorder: Option<String>,
    /// The care manager's own actions and notes (the 記入者／介護支援専門員
    /// column).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub care_manager: Vec<Placed>,
    /// A サービス担当者会議 recorded here: its conference is on 様式2.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conference: bool,
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
    /// The 小多機 team's own ミーティング (考察・決定) and daily records.
    #[serde(default)]
    pub to_fill: ToFill,
}

/// 様式2: one conference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form2 {
    pub date: Option<NaiveDate>,
    /// 項目 (検討した項目).
    pub item: Option<Placed>,
    /// 開催場所・開催時間・開催回数 (shown with the date).
    pub held: Vec<Placed>,
    /// 作成者 of the 第4表: the 居宅 plan's care manager (shown as 元計画の
    /// 作成者; the 介護支援専門員 box is the 小多機's).
    pub recorder: Option<Placed>,
    /// 参加者 (所属（職種）と氏名).
    pub participants: Vec<Placed>,
    /// 計 名: the people present (the attendees, and 本人 and 家族 marked
    /// present when the attendees do not list them).
    pub count: usize,
    pub person: Vec<Placed>,
    pub family: Vec<Placed>,
    pub community: Vec<Placed>,
    /// 考察.
    pub consideration: Vec<Placed>,
    /// 確認事項.
    pub confirmed: Vec<Placed>,
    #[serde(default)]
    pub to_fill: ToFill,
    pub source: Source,
}

/// 様式3: one 当面の目標・ニーズ row: one 第2表 短期目標 (the guide's
/// 当面の目標) with the need it answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form3Need {
    /// The ニーズ (生活全般の解決すべき課題).
    pub need: Placed,
    /// 当面の目標: the 第2表 短期目標.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_goal: Option<Placed>,
    /// 期間: the 短期目標's own.
    pub period: Option<PeriodJson>,
    /// 本人ができること.
    pub person: Vec<Placed>,
    /// 家族・介護者ができること.
    pub family: Vec<Placed>,
    /// 地域（本人の持つ資源）ができること.
    pub community: Vec<Placed>,
    /// 専門職・事業所ができること.
    pub office: Vec<Placed>,
    /// 目標（ニーズ）実現のプロセス (the 小多機 team's; a 居宅 plan has none).
    pub process: Vec<Dated>,
    /// 行動計画: who, how often, until when (what is done is in the columns
    /// of who does it).
    pub action_plan: Vec<Dated>,
    /// What the row's 第2表 services say that no column shows (事業所番号,
    /// ※1 as written, サービス種別): kept here, not printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Placed>,
    #[serde(default)]
    pub to_fill: ToFill,
}

/// 他の介護保険サービス.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OtherService {
    /// サービス種別.
    pub kind: String,
    pub provider: Option<String>,
    /// 必要性: the need and the 当面の目標 it serves.
    pub necessity: Option<String>,
    /// The catalogue's name of the service, when it knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
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
    /// Words said by the person and the family together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<Placed>,
    /// Text of the 意向 not marked as anyone's (never guessed).
    pub other: Option<Placed>,
    /// Each family member's words, with who (the `family` text joins them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub family_said: Vec<Placed>,
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
    /// The 小多機 plan's own 作成者・作成日・説明同意 (the header shows the
    /// 居宅 plan's as 元計画).
    #[serde(default)]
    pub to_fill: ToFill,
}

/// Who supports in a 様式4 row. `office` holds the 居宅 services that a
/// 小多機 function (通い・訪問・宿泊, in each entry's `replace.by`) replaces.
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
    /// これまでの暮らし: past life and こだわり (the 小多機 team's assessment;
    /// a 居宅 plan has none).
    pub before: Vec<Placed>,
    /// 望む暮らし.
    pub wish: Vec<Placed>,
    /// できること (していること): what the person does now, from 第3表's
    /// 主な日常生活上の活動.
    pub can_do: Vec<Placed>,
    /// 支援が必要なこと.
    pub support_needed: Vec<Placed>,
    pub support: Support,
    #[serde(default)]
    pub to_fill: ToFill,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Form4 {
    pub slots: Vec<Form4Slot>,
    /// 下欄: weekly and other non-daily support (週間・月単位など).
    pub non_daily: Vec<Placed>,
    /// 更新部分 and the like (the sheet's own parts the team fills).
    #[serde(default)]
    pub to_fill: ToFill,
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
    /// The 第6/7表 month's 利用者補足情報 the forms print in their headers
    /// (認定状況, 限度額適用期間, 種類別支給限度, 短期入所の利用日数), as
    /// `label: value`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub month_info: Vec<Placed>,
    pub unclassified: Vec<Unclassified>,
    /// Cells left to the 小多機 team, per form.
    #[serde(default)]
    pub to_fill_counts: ToFillCounts,
    /// Metadata values of the plan (plan.json `meta`): kept, not placed.
    #[serde(default)]
    pub meta_count: usize,
}
