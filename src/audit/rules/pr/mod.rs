//! Process and legal requirements (運営基準・告示).

pub mod pr_04_meeting_after_consent;
pub mod pr_05_no_meeting;
pub mod pr_06_no_consent;
pub mod pr_08_service_before_consent;
pub mod pr_10_no_home_visit;
pub mod pr_11_no_monitoring;
pub mod pr_13_circumstances;
pub mod pr_14_medical_without_doctor;
pub mod pr_15_short_stay_half;
pub mod pr_16_living_support_count;
pub mod pr_19_light_equipment;
pub mod pr_20_same_item_twice;
pub mod pr_24_minor_change;
pub mod pr_25_selectable_equipment;
pub mod visits;
