//! 第4表 サービス担当者会議の要点.

pub mod t4_01_meeting_basics;
pub mod t4_02_attendees;
pub mod t4_05_discussion;
