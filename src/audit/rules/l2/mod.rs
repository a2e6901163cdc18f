//! 様式2 カンファレンス用紙 (replaces 第4表).

pub mod l2_04_nothing_confirmed;
