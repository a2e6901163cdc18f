//! # 何を検査するか
//! 第1表の見出し項目（利用者名・生年月日・住所・作成者・事業所名・初回作成日・初回/紹介/継続・認定済/申請中・認定日・認定の有効期間・要介護状態区分）が空欄でないか。入力の形式に欄がない項目は調べません。
//!
//! # なぜ問題か
//! 第1表は計画の前提（誰の、いつの、どの認定に基づく計画か）を示します。抜けがあると計画の有効性を確かめられません。
//!
//! # 例
//! 生年月日と認定日が空欄。
//!
//! # 直し方
//! 被保険者証と基本情報から転記してください。
//!
//! # 根拠
//! ケアプラン点検支援マニュアル 第1表 確認事項《1》「もれなく記載」、居宅サービス計画書記載要領 第1表 ①〜⑧。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_01: Rule = Rule {
    info: RuleInfo {
        code: "T1-01",
        severity: Severity::Error,
        title: "第1表の必須項目が未記載",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::All,
        source: include_str!("t1_01_required_fields.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let p = cx.plan;
    let t1 = &p.table1;
    let c = &t1.certification;
    let checks: [(&str, &str, bool); 12] = [
        ("person_name", "利用者名", p.person.name.is_some()),
        ("birth_date", "生年月日", p.person.birth_date.is_some()),
        ("address1", "住所", p.person.address.is_some()),
        ("planner", "居宅サービス計画作成者氏名", t1.planner.is_some()),
        ("office_name", "事業所名", p.office.name.is_some()),
        ("plan_date", "居宅サービス計画作成（変更）日", p.key.plan_date.is_some()),
        ("first_created_on", "初回居宅サービス計画作成日", t1.first_created_on.is_some()),
        ("plan_kind", "初回・紹介・継続", t1.plan_kind.is_some()),
        ("cert_status", "認定済・申請中", c.status.is_some()),
        ("certified_on", "認定日", c.certified_on.is_some() || c.status.as_deref() == Some("申請中")),
        // The period is required once certified; without the status (some exports lack it) it cannot be told.
        (
            "valid_from",
            "認定の有効期間",
            c.valid_from.is_some()
                || c.status.as_deref() != Some("認定済")
                || !(p.declares(crate::model::fields::F::ValidFrom)
                    || p.declares(crate::model::fields::F::ValidPeriod)),
        ),
        ("care_level", "要介護状態区分", c.care_level.is_some()),
    ];
    let missing: Vec<&str> = checks
        .iter()
        .filter(|(field, _, ok)| !ok && (p.declared(field) || *field == "valid_from"))
        .map(|(_, label, _)| *label)
        .collect();
    if !missing.is_empty() {
        out.push(
            crate::audit::rules::t1_source(p, "created_on"),
            format!("第1表の必須項目が未記載です：{}。", missing.join("・")),
            None,
            Some("被保険者証と基本情報から転記してください。"),
        );
    }
}
