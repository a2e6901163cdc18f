//! # 何を検査するか
//! 令和6年4月からの貸与と販売の選択制の対象種目（固定用スロープ、歩行器（歩行車を除く）、単点杖（松葉づえを除く）・多点杖）を
//! 貸与する計画で、貸与と販売のどちらを選ぶかの説明・判断の記録（第2表の行・第4表・第5表の「選択制」「貸与と販売」など）があるか。
//! 対象種目と施行日は mappings/audit-constants.toml の [selection] にあります。
//!
//! # なぜ問題か
//! 選択制の種目では、介護支援専門員は利用者に貸与と販売のどちらも選べることを説明し、医師や専門職の意見・
//! 利用者の身体状況を踏まえて提案しなければなりません。貸与を選んだ場合は、6か月以内に継続の必要性を検討します。
//!
//! # 例
//! 令和7年の計画、第2表「多点杖の貸与」、選択についての記録がない。
//!
//! # 直し方
//! 貸与と販売を選べることを説明し、選んだ理由（利用の見込み期間・身体状況の変化）を第4表か第5表に記録してください。
//!
//! # 根拠
//! 令和6年度介護報酬改定（福祉用具貸与・特定福祉用具販売の選択制、令和6年4月1日施行）；運営基準 第13条第22号。判定は語による推定です。

use crate::audit::constants::EquipmentWords;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_25: Rule = Rule {
    info: RuleInfo {
        code: "PR-25",
        severity: Severity::Info,
        title: "選択制の福祉用具で貸与・販売の選択の記録がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        applies: Applies::All,
        source: include_str!("pr_25_selectable_equipment.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let sel = &cx.constants.selection;
    if cx.plan.key.plan_date.is_none_or(|d| d < sel.from) {
        return;
    }
    if !cx.rents_equipment() {
        return;
    }
    let mut items: Vec<String> = Vec::new();
    let mut first = None;
    for sv in cx.services() {
        if !sv.rented || {
            let row = sv.equipment(cx);
            row.has(EquipmentWords::Explained) || row.has(EquipmentWords::NotItems)
        } {
            continue;
        }
        if let Some(item) = sel.items.find(&sv.content) {
            if !items.iter().any(|i| i == item) {
                first
                    .get_or_insert_with(|| crate::audit::rules::at(&sv.service.sources, "content", &sv.service.source));
                items.push(item.to_string());
            }
        }
    }
    let Some(at) = first else { return };
    // The explanation written anywhere else (方針, meetings, 第5表):
    // searched only for a plan with such an item.
    if cx.written().iter().any(|w| sel.explained.any(&w.text)) {
        return;
    }
    out.push(
        at,
        format!(
            "貸与と販売の選択制の対象種目（{}）を貸与していますが、選択についての説明・判断の記録が見当たりません。",
            items.join("・")
        ),
        Some(items.join("・")),
        None,
    );
}
