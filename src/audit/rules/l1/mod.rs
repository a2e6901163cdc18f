//! 様式1 24時間生活変化シート／ミーティング記録 (replaces 第5表).

pub mod l1_04_meeting_without_decision;
