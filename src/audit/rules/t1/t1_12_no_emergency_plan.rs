//! # 何を検査するか
//! 第1表「総合的な援助の方針」に緊急時の対応が書かれているか。次のどれかがあれば書かれているとみなします：
//! 想定される事態と、そのときの対応を一つの文で書いたもの（「体調に変化があった時は、かかりつけ医に相談し、
//! 長男へ連絡」「夜間は訪問看護の緊急時訪問に連絡」）、電話番号のある連絡先、119番・#7119。
//! 「今後検討します」のように、これから決める書き方は対応とみなしません。
//!
//! # なぜ問題か
//! 急変や転倒のときに誰がどこへ連絡するかが計画にないと、チームが同じ動きを取れません。
//!
//! # 例
//! 方針「毎晩、長男が電話で様子を確認します。」（何かあったときの対応がない）。
//!
//! # 直し方
//! 想定される緊急事態と、そのときの連絡先・対応（家族・主治医・事業所）を方針に書いてください。
//!
//! # 根拠
//! 居宅サービス計画書記載要領 第1表（緊急時の対応を記載）。判定は文の形による推定です。

use crate::audit::words::{norm_lines, sentences, VocabSet};
use crate::audit::{Applies, Check, Constants, Cx, Needs, Out, Rule, RuleInfo, Severity};

pub static T1_12: Rule = Rule {
    info: RuleInfo {
        code: "T1-12",
        severity: Severity::Warning,
        title: "緊急時の対応が書かれていない",
        check: Check::Heuristic,
        needs: &[Needs::Table1],
        applies: Applies::Care,
        source: include_str!("t1_12_no_emergency_plan.rs"),
    },
    run,
};

fn run(cx: &Cx, out: &mut Out) {
    if !cx.plan.declares(crate::model::fields::F::Policy) {
        return;
    }
    let policy = cx.plan.table1.policy.as_deref().unwrap_or("");
    thread_local! {
        static PLANNED: std::cell::RefCell<crate::memo::Memo<bool>> = Default::default();
    }
    if crate::memo::remembered(&PLANNED, cx.constants.id, policy, |p| emergency_plan(cx.constants, p).is_some()) {
        return;
    }
    out.push(
        crate::audit::rules::t1_source(cx.plan, "policy"),
        "緊急時の対応（想定される緊急事態と、そのときの連絡先・対応機関）が総合的な援助の方針に記載されていません。"
            .into(),
        Some(policy.to_string()),
        Some("想定される緊急事態と、そのときの連絡先・対応（家族・主治医・事業所）を書いてください。"),
    );
}

/// The sentence of a 方針 that plans for an emergency, if any.
pub fn emergency_plan(c: &Constants, policy: &str) -> Option<String> {
    let (w, p) = (&c.words, &c.patterns);
    let text = norm_lines(policy);
    // Where the text has words of when (bit 0) and what then (bit 1): one
    // pass over it for both lists, not one per list and sentence.
    let words: smallvec::SmallVec<[(usize, usize, u64); 8]> = c.sets.emergency.occurrences(&text).collect();
    let named = VocabSet::within(&words, 0, text.len());
    // A list of contacts with numbers may span lines: the whole text.
    if let Some(number) = p.emergency_numbers.find(&text) {
        if !p.not_yet.is_match(&text) && (named != 0 || w.contact_lists.any(&text)) {
            return Some(number.to_string());
        }
    }
    // A sentence has both kinds of words only if the text has.
    if named != 3 {
        return None;
    }
    sentences(&text)
        .into_iter()
        .find(|s| {
            // The sentence's place in the text: a word is in it when it lies
            // wholly inside.
            let start = s.as_ptr() as usize - text.as_ptr() as usize;
            VocabSet::within(&words, start, start + s.len()) == 3 && !p.not_yet.is_match(s)
        })
        .map(str::to_string)
}
