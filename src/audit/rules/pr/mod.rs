//! Process and legal requirements (運営基準・告示).

pub mod pr_16_living_support_count;
