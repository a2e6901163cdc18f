//! 第5表 居宅介護支援経過.

pub mod t5_01_entry_elements;
pub mod t5_02_chronological;
