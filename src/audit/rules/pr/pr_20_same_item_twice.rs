//! # 何を検査するか
//! 同じ種目の福祉用具を複数貸与していないか：第6表の福祉用具貸与の行の用具名称で同じ種目が2行以上ある、
//! 第2表の一つの行に同じ種目を「2台」「複数」と書いている、または同じ種目を別々の事業所から借りている。
//! 第2表の行・第4表・第5表に複数必要な理由（屋内用・屋外用、理由書 など）が書かれていれば知らせません。
//!
//! # なぜ問題か
//! 同一種目の複数貸与は、必要性がアセスメントと担当者会議で検討されていなければ認められません。保険者によっては
//! 理由書の提出が必要です。
//!
//! # 例
//! 第2表「車いす2台の貸与」、理由の記載がない。
//!
//! # 直し方
//! 複数必要な理由（屋内用と屋外用など）をアセスメントに基づいて記録し、担当者会議で検討した内容を残してください。
//!
//! # 根拠
//! 春日井市・多賀城市の同一品目複数貸与の取扱い；運営基準 第13条第22号。

use crate::audit::constants::EquipmentWords;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use std::collections::BTreeMap;

pub static PR_20: Rule = Rule {
    info: RuleInfo {
        code: "PR-20",
        severity: Severity::Warning,
        title: "同じ種目の福祉用具を複数貸与している",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::All,
        source: include_str!("pr_20_same_item_twice.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let r = &cx.constants.records;
    if !cx.rents_equipment() {
        return;
    }
    let mut twice: Vec<String> = Vec::new();
    let mut first = None;
    // 種目 → providers, from the 第2表 rows of 貸与.
    let mut by_item: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for sv in cx.services() {
        if !sv.rented || sv.equipment(cx).has(EquipmentWords::SeveralReasons) {
            continue;
        }
        for (_, end, e) in &sv.equipment(cx).items {
            if e.kind != "貸与" {
                continue;
            }
            // The four characters after the name (「車いす2台」).
            let rest = &sv.content[*end..];
            let after = &rest[..rest.char_indices().nth(4).map_or(rest.len(), |(i, _)| i)];
            if r.several.any(after) && !twice.contains(&e.name) {
                first.get_or_insert_with(|| sv.service.source.clone());
                twice.push(e.name.clone());
            }
            let providers = by_item.entry(&e.name).or_default();
            if !providers.contains(&sv.provider()) {
                providers.push(sv.provider());
            }
        }
    }
    for (item, providers) in &by_item {
        if providers.iter().filter(|p| !p.is_empty()).count() >= 2 && !twice.iter().any(|t| t == item) {
            twice.push(item.to_string());
        }
    }
    // 第6表: one row per product; the same 種目 on two rows.
    if let Some(t6) = cx.plan.table6.as_deref() {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for row in &t6.rows {
            let rented = row.service_code.as_deref().is_some_and(|c| c.starts_with("17") || c.starts_with("67"));
            let Some(name) = row.extra.get("product_name").filter(|_| rented) else { continue };
            for e in cx.catalogue.equipment_in(name) {
                if e.kind == "貸与" {
                    *seen.entry(&e.name).or_default() += 1;
                }
            }
            first.get_or_insert_with(|| row.sources.first().cloned().unwrap_or_default());
        }
        for (item, n) in seen {
            if n >= 2 && !twice.iter().any(|t| t == item) {
                twice.push(item.to_string());
            }
        }
    }
    // The reason written anywhere else (方針, meetings, 第5表): searched
    // only for a plan with an item twice.
    if twice.is_empty() || cx.written().iter().any(|w| r.several_reasons.any(&w.text) && r.several.any(&w.text)) {
        return;
    }
    let at = first.unwrap_or_else(|| crate::audit::rules::plan_source(cx.plan));
    out.push(
        at,
        format!(
            "同一種目の福祉用具（{}）を複数貸与しています。必要性が分かるアセスメント結果・担当者会議での検討を記録してください（保険者により理由書の提出が必要）。",
            twice.join("・")
        ),
        Some(twice.join("・")),
        None,
    );
}
