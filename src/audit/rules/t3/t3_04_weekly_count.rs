//! # 何を検査するか
//! 第3表の週間サービス計画で、サービスごとの1週間の回数（マスの数）が第2表の頻度（「週n回」）と一致するか。
//! 同じ事業所のサービスを複数のニーズに書いている場合は1回分として数えます。
//!
//! # なぜ問題か
//! 第3表は第2表のサービスを週単位で表したものです。回数が違うと、どちらかが実際の計画と合っていません。
//!
//! # 例
//! 第2表の訪問介護「週2回（月・木）」、第3表の訪問介護は月曜だけ。
//!
//! # 直し方
//! 第2表の頻度と第3表のマスをそろえてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第3表（第2表のサービス内容を週単位で記載）。

use crate::audit::{Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use std::collections::BTreeMap;

pub static T3_04: Rule = Rule {
    info: RuleInfo {
        code: "T3-04",
        severity: Severity::Warning,
        title: "第3表の週の回数が第2表の頻度と一致しない",
        check: Check::Exact,
        needs: &[Needs::Table2, Needs::Table3],
        source: include_str!("t3_04_weekly_count.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if cx.plan.table3.weekly.is_empty() {
        return;
    }
    // kind → provider → times per week (the largest, if listed under several needs).
    let mut planned: BTreeMap<&str, BTreeMap<&str, (u32, &str)>> = BTreeMap::new();
    for sv in cx.services() {
        let v = sv.service;
        let (Some(_), Some(freq), Some(n)) = (v.kind.as_deref(), v.frequency.as_deref(), sv.per_week) else { continue };
        let e = planned.entry(&sv.kind).or_default().entry(v.provider.as_deref().unwrap_or("")).or_insert((0, ""));
        if n > e.0 {
            *e = (n, freq);
        }
    }
    if planned.is_empty() {
        return;
    }
    let weekly_n = cx.weekly();
    for (kind, providers) in planned {
        let slots: Vec<_> =
            cx.plan.table3.weekly.iter().zip(weekly_n).filter(|(_, n)| **n == kind).map(|(w, _)| w).collect();
        let Some(first) = slots.first() else { continue };
        let m: u32 = providers.values().map(|(n, _)| n).sum();
        if slots.len() as u32 != m {
            let freqs: Vec<&str> = providers.values().map(|(_, f)| *f).collect();
            out.push(
                first.source.clone(),
                format!(
                    "第3表のサービス回数（週{}回）が第2表の頻度（週{m}回）と一致しません：{}。",
                    slots.len(),
                    first.service
                ),
                Some(format!(
                    "第2表の頻度={} 第3表の曜日={}",
                    freqs.join("・"),
                    slots.iter().filter_map(|w| w.day.as_deref()).collect::<Vec<_>>().join("・")
                )),
                Some("第2表の頻度と第3表のマスをそろえてください。"),
            );
        }
    }
}
