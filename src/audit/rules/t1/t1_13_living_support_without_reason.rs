//! # 何を検査するか
//! 生活援助中心型の訪問介護（第6表のサービスコード 1172xx・1173xx、または第2表の訪問介護の「生活援助」）を
//! 位置付けているのに、第1表の生活援助中心型の算定理由が記載されていないか。「その他」なら理由の記載があるか。
//! 小規模多機能型居宅介護の計画では調べません（K-03）。
//!
//! # なぜ問題か
//! 生活援助中心型は算定理由（一人暮らし・家族等の障害や疾病・その他）があるときだけ算定できます。理由がないと算定の根拠を示せません。
//!
//! # 例
//! 第6表に 117211（生活援助2）があり、算定理由が空欄。
//!
//! # 直し方
//! 算定理由の 1〜3 に印を付け、「その他」の場合は具体的な事情を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（生活援助中心型の算定理由）、ケアプラン点検支援マニュアル 第1表 確認事項《1》。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_13: Rule = Rule {
    info: RuleInfo {
        code: "T1-13",
        severity: Severity::Error,
        title: "生活援助中心型の算定理由がない",
        check: Check::Exact,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("t1_13_living_support_without_reason.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    // K-03: not asked of a 小規模多機能 plan; and an input without the field cannot show it.
    if (cx.kind().small_multi.is_some() && cx.config.enabled("K-03"))
        || !cx.plan.declares(crate::model::fields::F::LivingSupportReason)
    {
        return;
    }
    let (in_t6, _) = crate::audit::rules::living_support_visits(cx.plan, &cx.constants.living_support_codes.codes);
    let in_t2 = cx.services().iter().any(|s| {
        s.certain().is_some_and(|c| c.code.as_deref() == Some("11"))
            && s.content.contains("生活援助")
            && !s.content.contains("身体")
    });
    if in_t6 == 0 && !in_t2 {
        return;
    }
    let r = &cx.plan.table1.living_support_reason;
    let message = match (r.code.as_deref(), r.other.as_deref()) {
        (None, _) => "生活援助中心型の訪問介護を位置付けていますが、算定理由（1 一人暮らし／2 家族等が障害・疾病等／3 その他）が記載されていません。",
        (Some(c), None) if c.contains("その他") => "生活援助中心型の算定理由が「その他」ですが、具体的な事情が記載されていません。",
        _ => return,
    };
    let evidence = if in_t6 > 0 {
        format!("第6表の生活援助中心型 {in_t6}回")
    } else {
        "第2表の訪問介護（生活援助）".to_string()
    };
    out.push(
        crate::audit::rules::t1_source(cx.plan, "living_support_reason.code"),
        message.into(),
        Some(evidence),
        Some("算定理由に印を付け、「その他」の場合は具体的な事情を書いてください。"),
    );
}
