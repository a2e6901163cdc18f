//! # 何を検査するか
//! 第3表「主な日常生活上の活動」に、起床・食事・排泄・就寝・入浴・服薬・整容など平均的な一日の過ごし方が
//! 書かれているか（3種類未満なら知らせます）。「トイレ」「おむつ交換」「パッド」も排泄として数えます。言葉の一覧は
//! mappings/audit-constants.toml の [activity_groups] にあります。
//!
//! # なぜ問題か
//! 日常生活上の活動は、サービスがその人の一日のどこに入るかを見る基準です。空欄では生活全体の流れが見えません。
//!
//! # 例
//! 主な日常生活上の活動が「起床」だけ。
//!
//! # 直し方
//! 起床・食事・排泄・就寝などの平均的な一日の過ごし方を書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第3表（主な日常生活上の活動）。

use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T3_02: Rule = Rule {
    info: RuleInfo {
        code: "T3-02",
        severity: Severity::Warning,
        title: "主な日常生活上の活動が少ない",
        check: Check::Heuristic,
        needs: &[Needs::Table3],
        applies: Applies::Care,
        source: include_str!("t3_02_daily_activities.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let acts = &cx.plan.table3.daily_activities;
    // The activities' texts as one, a line each (normalised text has no
    // line break, and no term spans two lines).
    let texts = acts.iter().map(|a| crate::text::norm_cow(&a.text)).collect::<Vec<_>>().join("\n");
    // The parts of the day written (起床・食事・排泄・就寝…), each once;
    // three are enough.
    let found = cx.constants.sets.activity_groups.present(&texts);
    if found.count_ones() >= 3 {
        return;
    }
    let groups: Vec<&str> = cx
        .constants
        .activity_groups
        .keys()
        .enumerate()
        .filter(|(i, _)| *i < 64 && found & (1 << i) != 0)
        .map(|(_, name)| name.as_str())
        .collect();
    let src = acts
        .first()
        .map(|a| a.source.clone())
        .or_else(|| cx.plan.table3.weekly.first().map(|w| w.source.clone()))
        .unwrap_or_else(|| crate::audit::rules::plan_source(cx.plan));
    let found = if groups.is_empty() { "なし".to_string() } else { groups.join("・") };
    out.push(
        src,
        format!("主な日常生活上の活動（起床・食事・排泄・就寝などの平均的な一日の過ごし方）を記載してください（記載 {}件、読み取れた生活行為：{found}）。", acts.len()),
        Some(acts.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join("・")),
        None,
    );
}
