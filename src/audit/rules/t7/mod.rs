//! 第7表 サービス利用票別表.

pub mod t7_04_service_units;
