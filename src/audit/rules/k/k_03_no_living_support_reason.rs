//! # 何を検査するか
//! 小規模多機能型居宅介護の計画では、第1表の「生活援助中心型の算定理由」は不要です。
//! この規則は指摘を出さず、小規模多機能型居宅介護の計画（K-01 と同じく計画ごとに判断）で
//! T1-13（算定理由がない）を止めます。`--config` で無効にすると T1-13 は小多機の計画も調べます。
//!
//! # なぜ問題か
//! 小多機では生活援助中心型の訪問介護を算定しないため、算定理由の欄を求めると誤った指摘になります。
//!
//! # 例
//! 小規模多機能型居宅介護の利用者の第1表で、生活援助中心型の算定理由が空欄（指摘なし）。
//!
//! # 直し方
//! 対応は不要です。
//!
//! # 根拠
//! 小規模多機能型居宅介護のケアマネジメントについて（ガイド）3-1 第1表。

use crate::audit::{Applies, Check, Cx, Out, Rule, RuleInfo, Severity};

pub static K_03: Rule = Rule {
    info: RuleInfo {
        code: "K-03",
        severity: Severity::Info,
        title: "小多機では生活援助中心型の算定理由を求めない（T1-13 を止める）",
        check: Check::Exact,
        needs: &[],
        applies: Applies::All,
        source: include_str!("k_03_no_living_support_reason.rs"),
    },
    run,
};

fn run(_cx: &Cx, _out: &mut Out) {
    // A marker rule: its effect is in T1-13 (not required in 小規模多機能 mode).
}
