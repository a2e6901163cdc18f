//! # 何を検査するか
//! 軽度者（要支援1・2、要介護1。自動排泄処理装置は要介護2・3も）に、軽度者には原則として貸与できない種目
//! （車いす・同付属品、特殊寝台・同付属品、床ずれ防止用具、体位変換器、認知症老人徘徊感知機器、移動用リフト、
//! 自動排泄処理装置）を貸与する計画で、例外給付の根拠（医師の医学的所見、担当者会議での判断、保険者の確認、
//! 理由書）の記録がどこ（第2表の行・第1表・第4表・第5表）にもないか。種目と対象の区分はサービスの目録
//! （mappings/services.toml の [[equipment]]）にあります。尿のみを吸引する自動排泄処理装置は対象外です。
//!
//! # なぜ問題か
//! 軽度者への対象外種目の貸与は、状態像が告示の要件に当てはまり、医師の医学的所見とサービス担当者会議の判断に基づき、
//! 保険者が確認した場合に限って算定できます。根拠がないと、給付費の返還の対象になります。
//!
//! # 例
//! 要介護1、第2表に「特殊寝台・付属品（介助バー）」の貸与、例外給付の記録がない。
//!
//! # 直し方
//! 医師の医学的所見、担当者会議での判断、保険者への確認（確認書・理由書）を記録してください。要件に当たらない場合は
//! 貸与を見直してください。
//!
//! # 根拠
//! 指定居宅サービスに要する費用の額の算定に関する基準 別表 福祉用具貸与費 注（軽度者）；厚生労働大臣が定める基準に
//! 適合する利用者等（平成27年厚生労働省告示第94号）第31号；老企第36号 第二の9(2)。判定は語による推定です。

use crate::audit::constants::EquipmentWords;
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static PR_19: Rule = Rule {
    info: RuleInfo {
        code: "PR-19",
        severity: Severity::Error,
        title: "軽度者への対象外種目の貸与に例外給付の根拠がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        applies: Applies::All,
        source: include_str!("pr_19_light_equipment.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    let Some(level) = cx.care_level() else { return };
    let r = &cx.constants.records;
    if !cx.rents_equipment() || !cx.catalogue.light_excluded_at(level) {
        return;
    }
    let mut items: Vec<String> = Vec::new();
    let mut first = None;
    for sv in cx.services() {
        if !sv.rented {
            continue;
        }
        // The 種目 of the row excluded at this level; a row without one
        // is not searched for grounds.
        let row = sv.equipment(cx);
        let excluded: smallvec::SmallVec<[&String; 2]> = row
            .items
            .iter()
            .map(|(_, _, e)| *e)
            .filter(|e| e.kind == "貸与" && e.light_excluded && e.light_excluded_levels.iter().any(|l| l == level))
            .filter(|e| e.name != "自動排泄処理装置" || !row.has(EquipmentWords::UrineOnly))
            .map(|e| &e.name)
            .collect();
        if excluded.is_empty() {
            continue;
        }
        // The row's content, need and 短期目標, each searched (no term spans
        // two of them: terms are normalised, without line breaks).
        let grounds = |t: &Option<String>| r.exception_grounds.any(&crate::audit::rules::norm_opt(t));
        if row.has(EquipmentWords::ExceptionGrounds) || grounds(&sv.need.text) || grounds(&sv.short.text) {
            continue;
        }
        for name in excluded {
            if !items.contains(name) {
                first
                    .get_or_insert_with(|| crate::audit::rules::at(&sv.service.sources, "content", &sv.service.source));
                items.push(name.clone());
            }
        }
    }
    let Some(at) = first else { return };
    // The grounds written anywhere else (方針, meetings, 第5表): searched
    // only for a plan with such an item.
    if cx.written().iter().any(|w| r.exception_grounds.any(&w.text)) {
        return;
    }
    out.push(
        at,
        format!(
            "軽度者（{level}）への{}の貸与です。例外給付の要件（医師の医学的所見・サービス担当者会議での判断・保険者の確認）の記録が見当たりません。",
            items.join("・")
        ),
        Some(format!("{level}：{}", items.join("・"))),
        None,
    );
}
