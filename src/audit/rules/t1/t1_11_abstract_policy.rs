//! # 何を検査するか
//! 第1表「総合的な援助の方針」が空欄、または標語だけ（安心して・安全に・在宅生活を継続・連携して支援 など）で、
//! ケアチームが何をするのかが書かれていないか。次の4つのうち2つ以上が書かれていれば具体的とみなします：
//! サービス（デイ・ヘルパー・訪問看護 など）、支援する生活行為（入浴・調理・服薬・通院 など）、頻度（週2回・毎朝 など）、
//! 担い手（長女・民生委員・本人は など）。
//!
//! # なぜ問題か
//! 方針はケアチーム全体が何をどう支えるかを共有するためのものです。抽象的な標語では、誰が何をするのか分かりません。
//!
//! # 例
//! 総合的な援助の方針「安心して在宅生活を継続できるよう支援します。」
//!
//! # 直し方
//! ケアチームの支援内容と本人・家族の役割を具体的に書いてください（例：デイで週2回入浴、夕食は長女が届ける）。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（総合的な援助の方針）。判定は語による推定です。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::model::services::Category;

pub static T1_11: Rule = Rule {
    info: RuleInfo {
        code: "T1-11",
        severity: Severity::Warning,
        title: "総合的な援助の方針が抽象的",
        check: Check::Heuristic,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("t1_11_abstract_policy.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.declares(crate::model::fields::F::Policy) {
        return;
    }
    let policy = cx.plan.table1.policy.as_deref().unwrap_or("").trim();
    thread_local! {
        static NAMED: std::cell::RefCell<crate::memo::Memo<Vec<&'static str>>> = Default::default();
    }
    let named = crate::memo::remembered(&NAMED, cx.constants.id, policy, |p| concrete(cx, p));
    if named.len() >= 2 {
        return;
    }
    let found = if named.is_empty() {
        "どれも書かれていません".to_string()
    } else {
        format!("{}だけです", named.join("・"))
    };
    out.push(
        crate::audit::rules::t1_source(cx.plan, "policy"),
        format!(
            "総合的な援助の方針が抽象的です（サービス・生活行為・頻度・担い手のうち{found}）。ケアチームがどのような支援を行うのか、本人・家族の役割を含めて具体的に記載してください。"
        ),
        Some(policy.to_string()),
        None,
    );
}

/// Which of service, care act, frequency and role a 方針 names. The rule
/// asks for two: when the word lists alone find two, the 頻度 patterns and
/// the service catalogue are not searched (and when the lists and the
/// patterns find two, not the catalogue; the catalogue's names are read
/// until two are found), so the list may then leave out what only those
/// name.
pub fn concrete(cx: &Cx, policy: &str) -> Vec<&'static str> {
    let t = crate::text::norm_cow(policy);
    // policy_services, care_acts, policy_roles in one pass, until two.
    let lists = cx.constants.sets.policy.present_upto(&t, 2);
    let (service_word, care_act, role_word) = (lists & 1 != 0, lists & 2 != 0, lists & 4 != 0);
    let frequency = lists.count_ones() < 2 && cx.constants.patterns.policy_frequencies.is_match(&t);
    let (mut service, mut role) = (service_word, role_word);
    let count = |service: bool, role: bool| [service, care_act, frequency, role].iter().filter(|b| **b).count();
    if count(service, role) < 2 {
        // The names of services and supporters, until two kinds are named.
        for m in cx.catalogue.find_iter_normalised(&t).filter(|m| m.certain) {
            let category = m.service.category;
            service |= !matches!(category, Category::Informal | Category::Agency | Category::MedicalInsurance);
            role |= category == Category::Informal && m.service.name != "本人（セルフケア）";
            if count(service, role) >= 2 {
                break;
            }
        }
    }
    [(service, "サービス"), (care_act, "生活行為"), (frequency, "頻度"), (role, "担い手")]
        .into_iter()
        .filter_map(|(named, what)| named.then_some(what))
        .collect()
}
