//! Conflicts: a plan field that two of the plan's sources fill differently.

use crate::diag::Source;
use serde::{Deserialize, Serialize};

/// A plan field that two sources gave different values for. The first value
/// read is kept in the plan; the other is kept here (nothing read is lost)
/// and reported in errors.json; X-01 audits the person's name and birth date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PlanField {
    #[serde(rename = "office.code")]
    OfficeCode,
    #[serde(rename = "office.name")]
    OfficeName,
    #[serde(rename = "office.postal_code")]
    OfficePostalCode,
    #[serde(rename = "office.address")]
    OfficeAddress,
    #[serde(rename = "person.name")]
    PersonName,
    #[serde(rename = "person.kana")]
    PersonKana,
    #[serde(rename = "person.sex")]
    PersonSex,
    #[serde(rename = "person.birth_date")]
    PersonBirthDate,
    #[serde(rename = "person.postal_code")]
    PersonPostalCode,
    #[serde(rename = "person.address")]
    PersonAddress,
    #[serde(rename = "person.phone")]
    PersonPhone,
    #[serde(rename = "table1.created_on")]
    CreatedOn,
    #[serde(rename = "table1.first_created_on")]
    FirstCreatedOn,
    #[serde(rename = "table1.plan_kind")]
    PlanKind,
    #[serde(rename = "table1.certification.status")]
    CertStatus,
    #[serde(rename = "table1.certification.certified_on")]
    CertifiedOn,
    #[serde(rename = "table1.certification.valid_from")]
    ValidFrom,
    #[serde(rename = "table1.certification.valid_to")]
    ValidTo,
    #[serde(rename = "table1.certification.valid_period")]
    ValidPeriod,
    #[serde(rename = "table1.certification.care_level")]
    CareLevel,
    #[serde(rename = "table1.certification.limit_units")]
    LimitUnits,
    #[serde(rename = "table1.certification.previous_care_level")]
    PreviousCareLevel,
    #[serde(rename = "table1.certification.care_level_changed_on")]
    CareLevelChangedOn,
    #[serde(rename = "table1.certification.limit_from")]
    LimitFrom,
    #[serde(rename = "table1.certification.limit_to")]
    LimitTo,
    #[serde(rename = "table1.planner")]
    Planner,
    #[serde(rename = "table1.intentions.text")]
    IntentionsText,
    #[serde(rename = "table1.intentions.person")]
    IntentionsPerson,
    #[serde(rename = "table1.intentions.family")]
    IntentionsFamily,
    #[serde(rename = "table1.review_opinion")]
    ReviewOpinion,
    #[serde(rename = "table1.policy")]
    Policy,
    #[serde(rename = "table1.living_support_reason.code")]
    LivingSupportCode,
    #[serde(rename = "table1.living_support_reason.other")]
    LivingSupportOther,
    #[serde(rename = "table1.consent_on")]
    ConsentOn,
}

impl PlanField {
    /// The key of the field's position in its owner's `sources`.
    pub fn source_key(self) -> &'static str {
        use PlanField::*;
        match self {
            OfficeCode => "code",
            OfficeName | PersonName => "name",
            OfficePostalCode | PersonPostalCode => "postal_code",
            OfficeAddress | PersonAddress => "address",
            PersonKana => "kana",
            PersonSex => "sex",
            PersonBirthDate => "birth_date",
            PersonPhone => "phone",
            CreatedOn => "created_on",
            FirstCreatedOn => "first_created_on",
            PlanKind => "plan_kind",
            CertStatus => "certification.status",
            CertifiedOn => "certification.certified_on",
            ValidFrom => "certification.valid_from",
            ValidTo => "certification.valid_to",
            ValidPeriod => "certification.valid_period",
            CareLevel => "certification.care_level",
            LimitUnits => "certification.limit_units",
            PreviousCareLevel => "certification.previous_care_level",
            CareLevelChangedOn => "certification.care_level_changed_on",
            LimitFrom => "certification.limit_from",
            LimitTo => "certification.limit_to",
            Planner => "planner",
            IntentionsText => "intentions.text",
            IntentionsPerson => "intentions.person",
            IntentionsFamily => "intentions.family",
            ReviewOpinion => "review_opinion",
            Policy => "policy",
            LivingSupportCode => "living_support_reason.code",
            LivingSupportOther => "living_support_reason.other",
            ConsentOn => "consent_on",
        }
    }

    /// The field's Japanese name, for messages.
    pub fn label(self) -> &'static str {
        use PlanField::*;
        match self {
            OfficeCode => "居宅介護支援事業所番号",
            OfficeName => "居宅介護支援事業所名",
            OfficePostalCode => "事業所の郵便番号",
            OfficeAddress => "事業所の住所",
            PersonName => "利用者名",
            PersonKana => "フリガナ",
            PersonSex => "性別",
            PersonBirthDate => "生年月日",
            PersonPostalCode => "利用者の郵便番号",
            PersonAddress => "利用者の住所",
            PersonPhone => "利用者の電話番号",
            CreatedOn => "作成年月日",
            FirstCreatedOn => "初回居宅サービス計画作成日",
            PlanKind => "計画書区分",
            CertStatus => "認定状況",
            CertifiedOn => "認定日",
            ValidFrom => "認定の有効期間（開始）",
            ValidTo => "認定の有効期間（終了）",
            ValidPeriod => "認定の有効期間",
            CareLevel => "要介護状態区分",
            LimitUnits => "区分支給限度基準額",
            PreviousCareLevel => "前回の要介護状態区分",
            CareLevelChangedOn => "要介護状態区分の変更日",
            LimitFrom => "限度額適用期間（開始）",
            LimitTo => "限度額適用期間（終了）",
            Planner => "居宅サービス計画作成者氏名",
            IntentionsText => "利用者及び家族の生活に対する意向",
            IntentionsPerson => "本人の意向",
            IntentionsFamily => "家族の意向",
            ReviewOpinion => "介護認定審査会の意見及びサービスの種類の指定",
            Policy => "総合的な援助の方針",
            LivingSupportCode => "生活援助中心型の算定理由",
            LivingSupportOther => "生活援助中心型の算定理由（その他）",
            ConsentOn => "説明・同意日",
        }
    }
}

/// Two values of one plan field (see [`PlanField`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: PlanField,
    /// The value the plan keeps (read first) and where it came from.
    pub kept: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_source: Option<Source>,
    /// The other value and where it came from.
    pub other: String,
    pub other_source: Source,
}
