//! # 何を検査するか
//! 第2表に位置付けた福祉用具貸与・特定福祉用具販売（サービスの目録で福祉用具と読めるサービス種別）について、
//! その福祉用具が必要な理由が書かれているか。用具の名前を除いたサービス内容、またはその行のニーズ・短期目標に、
//! 用具を使う生活行為・心身の状態・介護の状況（起き上がり・段差・浴槽・トイレ・転倒・麻痺・褥瘡・介護負担 など）が
//! 書かれていれば理由があるとみなします。別紙の理由書・例外給付への言及も理由とみなします。
//! 「必要時使用」「前回から継続」「在宅生活が継続できるよう」は理由になりません。
//!
//! # なぜ問題か
//! 福祉用具を計画に位置付ける場合は、利用が妥当かを検討し、必要な理由を計画に記載しなければなりません。
//! 理由がないと、継続の必要性を検証することもできません。
//!
//! # 例
//! サービス種別「福祉用具貸与」、サービス内容「手すり」、ニーズ「住み慣れた家で暮らしたい」。
//!
//! # 直し方
//! 「浴槽をまたぐ際の転倒を防ぐための手すりの貸与」のように、どの生活行為・状態のために必要かを書いてください。
//!
//! # 根拠
//! 指定居宅介護支援等の事業の人員及び運営に関する基準 第13条第22号・第23号；居宅サービス計画書記載要領 第2表。

use crate::audit::constants::EquipmentWords;
use crate::audit::words::{Vocab, PLACEHOLDER};
use crate::audit::{Applies, Check, Cx, Needs, Out, Rule, RuleInfo, Severity};
use crate::model::services::Category;

pub static T2_21: Rule = Rule {
    info: RuleInfo {
        code: "T2-21",
        severity: Severity::Error,
        title: "福祉用具が必要な理由がない",
        check: Check::Heuristic,
        needs: &[Needs::Table2],
        applies: Applies::All,
        source: include_str!("t2_21_equipment_reason.rs"),
    },
    run,
};

/// Every name of an item or a service: taken out before looking for a reason
/// (「床ずれ防止用具」 is a name, not a reason; 「歩行器」 does not say 歩行).
fn names() -> &'static Vocab {
    static N: std::sync::LazyLock<Vocab> = std::sync::LazyLock::new(|| {
        let c = crate::model::services::Catalogue::builtin();
        let mut v = c.equipment_names();
        v.extend(c.service_names());
        Vocab::new(&v)
    });
    &N
}

fn run(cx: &Cx, out: &mut Out) {
    for sv in cx.services() {
        let v = sv.service;
        let Some(m) = sv.resolved.filter(|m| m.service.category == Category::Equipment) else { continue };
        let what = if m.service.name.contains("販売") { "販売" } else { "貸与" };
        // The row's content, else its need, else its 短期目標. The content's
        // reason words were looked for with its other 福祉用具 words.
        let in_content = (cx.constants.words.equipment_needs.has_placeholder()
            || sv.equipment(cx).has(EquipmentWords::Needs))
            && has_reason(cx, &sv.content);
        if in_content || [&sv.need.text, &sv.short.text].into_iter().flatten().any(|t| has_reason(cx, t)) {
            continue;
        }
        let content = v.content.as_deref().unwrap_or("");
        out.push(
            crate::audit::rules::at(&v.sources, "content", &v.source),
            format!(
                "福祉用具{what}「{}」を必要とする理由（用具を使う生活行為・心身の状態）が記載されていません。",
                if content.is_empty() { v.kind.as_deref().unwrap_or("") } else { content }
            ),
            Some(content.to_string()),
            Some("どの生活行為・状態のために必要か（「〜のため」）をサービス内容に書いてください。"),
        );
    }
}

/// Whether a text of a 福祉用具 row (its content, need or 短期目標) says
/// why the item is needed: a reason word that is left once the names of
/// equipment and services are taken out (「歩行器」 is no reason 「歩行」).
pub fn has_reason(cx: &Cx, text: &str) -> bool {
    thread_local! {
        static REASONED: std::cell::RefCell<crate::memo::Memo<bool>> = Default::default();
    }
    crate::memo::remembered(&REASONED, cx.constants.id, text, |t| reason_in(cx, t))
}

fn reason_in(cx: &Cx, text: &str) -> bool {
    let needs = &cx.constants.words.equipment_needs;
    let t = crate::text::norm_cow(text);
    if needs.has_placeholder() {
        // A term with □ may match where a name was: search the text with
        // the names replaced.
        return needs.any(&names().replace(&t, PLACEHOLDER));
    }
    // Otherwise a term of the replaced text lies between two names: the
    // text is searched between them, not copied. Most texts either have no
    // reason word at all or name no equipment or service.
    if !needs.any(&t) {
        return false;
    }
    let mut last = 0;
    for (s, e, _) in names().find_iter(&t) {
        if needs.any(&t[last..s]) {
            return true;
        }
        last = e;
    }
    last == 0 || needs.any(&t[last..])
}
