//! # 何を検査するか
//! ライフサポートワーク様式4への記入が必要なこととして、情報として知らせます（第3表の誤りではありません）。
//! 様式4（24時間の暮らし）に、夜間（22時〜6時）の記載があるか、起床と就寝が書かれているか。
//!
//! # なぜ問題か
//! 小規模多機能の支援は24時間の暮らしを見ます。夜間の過ごし方や起床・就寝が分からないと、
//! 夜間の排泄や不安への支援、宿泊の必要性を検討できません。
//!
//! # 例
//! 第3表の主な日常生活上の活動が「朝食」「昼食」「夕食」だけ。
//!
//! # 直し方
//! 起床・就寝の時刻と、夜間にどう過ごしているか（トイレ、眠れないときなど）を書いてください。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）1-2、3-2 様式4。

use crate::audit::rules::plan_source;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::model::lsw::Form4Slot;

pub static L4_01: Rule = Rule {
    info: RuleInfo {
        code: "L4-01",
        severity: Severity::Info,
        title: "様式4 24時間の暮らし（夜間・起床・就寝）の記入が必要",
        check: Check::Exact,
        needs: &[Needs::Table3],
        applies: Applies::Care,
        source: include_str!("l4_01_day_not_covered.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let slots = &cx.forms.form4.slots;
    fn texts(s: &Form4Slot) -> impl Iterator<Item = &str> {
        [
            &s.before,
            &s.wish,
            &s.can_do,
            &s.support_needed,
            &s.support.person,
            &s.support.family,
            &s.support.community,
            &s.support.office,
        ]
        .into_iter()
        .flatten()
        .map(|p| p.text.as_str())
    }
    // One pass over the slots: is any night slot written, and do the
    // texts say getting up and going to bed?
    let night = |s: &Form4Slot| match s.time.as_bytes() {
        [h @ b'0'..=b'9', l @ b'0'..=b'9', ..] => !(6..22).contains(&((h - b'0') * 10 + (l - b'0'))),
        _ => false,
    };
    // Getting up and going to bed: the [activity_groups] of the constants.
    let Some(day_ends) = &cx.constants.sets.day_ends else { return };
    let (mut night_written, mut rise, mut sleep) = (false, false, false);
    // A service's text stands in every slot it fills: each text searched once.
    let mut seen: rustc_hash::FxHashSet<&str> =
        rustc_hash::FxHashSet::with_capacity_and_hasher(slots.len().min(64), Default::default());
    for s in slots {
        let mut texts = texts(s).peekable();
        if texts.peek().is_none() {
            continue;
        }
        night_written = night_written || night(s);
        for t in texts {
            if rise && sleep {
                break;
            }
            if !seen.insert(t) {
                continue;
            }
            // Both groups in one pass.
            let found = day_ends.present(&crate::text::norm_cow(t));
            rise = rise || found & 1 != 0;
            sleep = sleep || found & 2 != 0;
        }
        if night_written && rise && sleep {
            break;
        }
    }
    let mut missing = Vec::new();
    if !night_written {
        missing.push("夜間（22時〜6時）");
    }
    if !rise {
        missing.push("起床");
    }
    if !sleep {
        missing.push("就寝");
    }
    if !missing.is_empty() {
        let at =
            cx.plan.table3.daily_activities.first().map(|a| a.source.clone()).unwrap_or_else(|| plan_source(cx.plan));
        out.push(
            at,
            format!("ライフサポートワーク様式4に記入が必要です：24時間の暮らしのうち{}。", missing.join("・")),
            None,
            Some("起床・就寝の時刻と、夜間の過ごし方を第3表の主な日常生活上の活動（様式4）に書いてください。"),
        );
    }
}
