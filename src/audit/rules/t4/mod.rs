//! 第4表 サービス担当者会議の要点.

pub mod t4_01_meeting_date;
pub mod t4_02_attendees;
pub mod t4_03_provider_not_heard;
pub mod t4_05_discussion;
pub mod t4_07_doctor_not_heard;
pub mod t4_10_meeting_details;
