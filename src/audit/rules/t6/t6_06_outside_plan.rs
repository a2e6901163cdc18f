//! # 何を検査するか
//! 第6表（サービス利用票）の各事業所が、第2表に位置付けた事業所か。事業所番号が第2表の番号と一致すれば位置付けあり、
//! 一致しなければ（番号がない場合も）事業所名で照合します（名前の一方が他方を含めば同じ事業所とみなします）。
//!
//! # なぜ問題か
//! 居宅サービス計画に位置付けていないサービスは給付管理の対象にできません。第6表だけにある事業所は、
//! 計画の変更漏れか転記の誤りです。
//!
//! # 例
//! 第6表に「訪問看護ステーションそら」があるが、第2表のどのサービスにもその事業所がない。
//!
//! # 直し方
//! 第2表にサービスを位置付ける（計画変更）か、第6表を直してください。
//!
//! # 根拠
//! 運営基準 第13条（居宅サービス計画に位置付けたサービスの給付管理）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::text::norm_cow;
use std::collections::BTreeSet;

pub static T6_06: Rule = Rule {
    info: RuleInfo {
        code: "T6-06",
        severity: Severity::Error,
        title: "第6表の事業所が第2表にない",
        check: Check::Exact,
        needs: &[Needs::Table2, Needs::Table6],
        applies: Applies::All,
        source: include_str!("t6_06_outside_plan.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(t6) = cx.plan.table6.as_deref() else { return };
    let services = cx.services();
    let codes: Vec<&str> = services.iter().filter_map(|sv| sv.service.provider_code.as_deref()).collect();
    let mut reported = BTreeSet::new();
    for r in &t6.rows {
        if r.provider_code.as_deref().is_some_and(|c| codes.contains(&c)) {
            continue;
        }
        let by_name = r.provider.as_deref().is_some_and(|p| {
            let p = norm_cow(p);
            services.iter().map(|sv| sv.provider()).any(|n| !n.is_empty() && (n.contains(&*p) || p.contains(n)))
        });
        if by_name {
            continue;
        }
        let who = r.provider.clone().or(r.provider_code.clone()).unwrap_or_else(|| "事業所不明".into());
        if !reported.insert(who.clone()) {
            continue;
        }
        out.push(
            r.sources.first().cloned().unwrap_or_default(),
            format!("第6表の事業所「{who}」が居宅サービス計画（第2表）に位置付けられていません。"),
            Some(format!(
                "事業所番号 {}、サービスコード {}",
                r.provider_code.as_deref().unwrap_or("記載なし"),
                r.service_code.as_deref().unwrap_or("記載なし")
            )),
            Some("第2表にサービスを位置付ける（計画変更）か、第6表を直してください。"),
        );
    }
}
