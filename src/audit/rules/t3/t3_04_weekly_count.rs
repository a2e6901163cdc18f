//! # 何を検査するか
//! 第3表の週間サービス計画で、サービスごとの1週間の回数（マスの数）が第2表の頻度（「週n回」、曜日の指定）と合うか。
//! 同じサービスを複数の行に書いている場合、その行の回数の合計（別の回）とも、最大（同じ回を複数のニーズに書いた）とも、
//! 曜日の和とも合わないときだけ知らせます。サービスはサービスの目録で読み、「デイサービス」と「通所介護」は同じものとして数えます。
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

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T3_04: Rule = Rule {
    info: RuleInfo {
        code: "T3-04",
        severity: Severity::Warning,
        title: "第3表の週の回数が第2表の頻度と一致しない",
        check: Check::Exact,
        needs: &[Needs::Table2, Needs::Table3],
        applies: Applies::Care,
        source: include_str!("t3_04_weekly_count.rs"),
    },
    run,
};

/// The rows of one service: (provider, times per week, days) each, and the
/// 頻度 as written. A plan has a few rows per service, so they are kept in
/// order and grouped by provider when counted.
struct Planned<'a> {
    key: &'a str,
    rows: smallvec::SmallVec<[(&'a str, u32, u8); 4]>,
    written: Vec<&'a str>,
    /// Every row named its weekdays.
    all_days: bool,
    /// The 第3表 slots of the service, in order.
    slots: Vec<&'a crate::model::WeeklySlot>,
}

fn run<'a>(cx: &'a Cx, out: &mut Out) {
    if cx.plan.table3.weekly.is_empty() {
        return;
    }
    // A service is its サービス種類コード, else its name (normalised): keys
    // borrowed from the catalogue and the normalised texts of `cx`.
    let key_of = |name: &'a str| -> &'a str { crate::audit::context::code_of(name).unwrap_or(name) };
    // In the order of their keys when reported; a plan has a handful.
    let mut planned: Vec<Planned> = Vec::new();
    for sv in cx.services() {
        let (Some(freq), true) = (sv.service.frequency.as_deref(), sv.freq.weekly) else { continue };
        if sv.kind.is_empty() {
            continue;
        }
        let n = sv.per_week.or((sv.freq.day_count() > 0).then(|| sv.freq.day_count()));
        let Some(n) = n else { continue };
        let key = sv.resolved.and_then(|m| m.service.code.as_deref()).unwrap_or(&sv.kind);
        let e = match planned.iter().position(|p| p.key == key) {
            Some(i) => &mut planned[i],
            None => {
                planned.push(Planned {
                    key,
                    rows: Default::default(),
                    written: Vec::new(),
                    all_days: true,
                    slots: Vec::new(),
                });
                planned.last_mut().expect("just pushed")
            }
        };
        e.rows.push((sv.provider(), n, sv.freq.days));
        e.all_days &= sv.freq.days != 0;
        if !e.written.contains(&freq) {
            e.written.push(freq);
        }
    }
    if planned.is_empty() {
        return;
    }
    planned.sort_unstable_by_key(|p| p.key);
    // A service fills several slots of the week: each name is looked up
    // once (`context::code_of` remembers names across plans).
    let week = cx.week();
    let of_name: smallvec::SmallVec<[Option<usize>; 8]> =
        week.names.iter().map(|(_, n)| planned.binary_search_by_key(&key_of(n), |p| p.key).ok()).collect();
    for (w, &name) in cx.plan.table3.weekly.iter().zip(&week.of_slot) {
        if let Some(i) = of_name[name] {
            planned[i].slots.push(w);
        }
    }
    for mut p in planned {
        let slots = &p.slots;
        let Some(first) = slots.first() else { continue };
        let count = slots.len() as u32;
        // Per provider the most times a row says (one visit written under
        // several needs), summed over providers.
        p.rows.sort_unstable_by_key(|r| r.0);
        let sum_max: u32 = p.rows.chunk_by(|a, b| a.0 == b.0).map(|g| g.iter().map(|r| r.1).max().unwrap_or(0)).sum();
        let sum_all: u32 = p.rows.iter().map(|r| r.1).sum();
        let union_days = p.rows.iter().fold(0u8, |a, r| a | r.2).count_ones();
        if count == sum_max || count == sum_all || (p.all_days && count == union_days) {
            continue;
        }
        let expected = if sum_max == sum_all {
            format!("週{sum_max}回")
        } else {
            format!("週{sum_max}回または週{sum_all}回")
        };
        out.push(
            first.source.clone(),
            format!(
                "第3表の{}のマスが週{count}回ですが、第2表の頻度（{}）から読める回数（{expected}）と一致しません。",
                first.service,
                p.written.join("・")
            ),
            Some(format!(
                "第3表の曜日：{}",
                slots.iter().filter_map(|w| w.day.as_deref()).collect::<Vec<_>>().join("・")
            )),
            Some("第2表の頻度と第3表のマスをそろえてください。"),
        );
    }
}
