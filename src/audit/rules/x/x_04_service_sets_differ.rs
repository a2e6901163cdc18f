//! # 何を検査するか
//! 第2表・第3表・第6表のサービスがそろっているか。
//! 第2表の週単位のサービス（頻度「週n回」）が第3表にあるか、第3表のサービスが第2表にあるか、
//! 第2表の保険給付対象サービス（特定福祉用具販売・住宅改修を除く）の事業所が第6表にあるかを見ます。
//!
//! # なぜ問題か
//! 第3表・第6表は第2表の計画を週・月の単位に置き換えたものです。一方にしかないサービスは、
//! 計画変更の反映漏れか転記の誤りです。
//!
//! # 例
//! 第2表に「通所介護 週1回（水）」があるが、第3表の水曜に通所介護がない。
//!
//! # 直し方
//! 三つの表のサービスをそろえてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第3表・第6表（第2表に位置付けたサービスを記載）。

use crate::diag::Source;
use crate::model::Service;
use crate::text::norm_cow;
use std::borrow::Cow;
use std::cell::OnceCell;

fn norm(s: Option<&str>) -> Cow<'_, str> {
    s.map(norm_cow).unwrap_or(Cow::Borrowed(""))
}
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static X_04: Rule = Rule {
    info: RuleInfo {
        code: "X-04",
        severity: Severity::Warning,
        title: "第2表・第3表・第6表のサービスが一致しない",
        check: Check::Exact,
        needs: &[Needs::Table2],
        applies: Applies::Care,
        source: include_str!("x_04_service_sets_differ.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let plan = cx.plan;
    let same = |a: &str, b: &str| !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a));
    // Names are usually written alike in both tables: compare them as
    // they are first, and normalise (once, lazily) only for a miss.
    let views = cx.services();
    let svcs: Vec<&Service> = views.iter().map(|v| v.service).collect();
    let svcs_n = || views;
    let weekly = &plan.table3.weekly;
    let mut report = |at: Source, diff: Vec<String>, hint: &'static str| {
        if !diff.is_empty() {
            out.push(
                at,
                format!("第2表・第3表・第6表のサービス（{}）が一致しません。", diff.join("、")),
                None,
                Some(hint),
            );
        }
    };
    if !weekly.is_empty() {
        // The week's distinct names, as written and normalised, in their
        // first order: a service fills many slots.
        let names: smallvec::SmallVec<[(&str, &str); 8]> = cx.week().names.iter().map(|(r, n)| (*r, &**n)).collect();
        let mut missing = Vec::new();
        let mut at = None;
        for (i, v) in svcs.iter().enumerate() {
            let Some(kind) = v.kind.as_deref() else { continue };
            if v.insured != Some(true) || views[i].per_week.is_none() {
                continue;
            }
            if names.iter().any(|(raw, _)| *raw == kind) || names.iter().any(|(_, n)| same(n, &svcs_n()[i].kind)) {
                continue;
            }
            let item = format!("{kind}が第3表にない");
            if !missing.contains(&item) {
                at.get_or_insert_with(|| v.source.clone());
                missing.push(item);
            }
        }
        report(at.unwrap_or_default(), missing, "第2表の週単位のサービスを第3表に記載してください。");
        let mut extra = Vec::new();
        let mut at = None;
        // Each name once, at its first slot.
        for &(raw, wn) in &names {
            if svcs.iter().any(|v| v.kind.as_deref() == Some(raw)) {
                continue;
            }
            if svcs_n().iter().any(|v| same(&v.kind, wn) || same(&v.content, wn)) {
                continue;
            }
            if let Some(w) = at.is_none().then(|| weekly.iter().find(|w| w.service == raw)).flatten() {
                at = Some(w.source.clone());
            }
            extra.push(format!("{raw}が第2表にない"));
        }
        report(at.unwrap_or_default(), extra, "第3表のサービスを第2表に位置付けるか、第3表を直してください。");
    }
    if let Some(t6) = plan.table6.as_deref() {
        let mut missing = Vec::new();
        let mut at = None;
        let rows_n: OnceCell<Vec<Cow<str>>> = OnceCell::new();
        let rows_n = || rows_n.get_or_init(|| t6.rows.iter().map(|r| norm(r.provider.as_deref())).collect());
        // The 第6表's 事業所番号, each once (a month has a row per service and day).
        let codes: OnceCell<Vec<&str>> = OnceCell::new();
        let codes = || {
            codes.get_or_init(|| {
                let mut c: Vec<&str> = t6.rows.iter().filter_map(|r| r.provider_code.as_deref()).collect();
                c.sort_unstable();
                c.dedup();
                c
            })
        };
        for (i, v) in svcs.iter().enumerate() {
            let Some(kind) = v.kind.as_deref() else { continue };
            if v.insured != Some(true) || kind.contains("販売") || kind.contains("住宅改修") {
                continue;
            }
            let by_code = v.provider_code.as_deref().is_some_and(|p| codes().binary_search(&p).is_ok());
            if by_code || rows_n().iter().any(|rn| same(svcs_n()[i].provider(), rn)) {
                continue;
            }
            let item = format!("{kind}（{}）が第6表にない", v.provider.as_deref().unwrap_or("事業所不明"));
            if !missing.contains(&item) {
                at.get_or_insert_with(|| v.source.clone());
                missing.push(item);
            }
        }
        report(
            at.unwrap_or_default(),
            missing,
            "第2表の保険給付対象サービスを第6表の予定に入れるか、第2表を見直してください。",
        );
    }
}
