//! ほのぼのNEXT exports (formats.md §3.1): Shift_JIS, a header row, every
//! field quoted (numbers and empty fields too).

/// Header of 計画書（1）(careplan1.CSV), exactly as the export writes it.
pub const CAREPLAN1_HEADER: [&str; 13] = [
    "ケアプラン策定機関コード",
    "事業所名",
    "保険者番号",
    "被保険者番号",
    "ケアプラン登録年月日",
    "修正区分",
    "ケアプラン作成区分",
    "作成日",
    "総合的な援助の方針",
    "利用者及び家族の意向",
    "認定の有効開始日",
    "認定の有効終了日",
    "作成者",
];

/// Header of 計画書（2）A様式 (KAIGO1.CSV).
pub const KAIGO1_HEADER: [&str; 28] = [
    "保険者番号",
    "被保険者番号",
    "ケアプラン登録年月日",
    "作成日",
    "表示順",
    "解決すべき課題",
    "長期目標",
    "短期目標",
    "サービス内容",
    "サービス種別CD",
    "サービス種別/担当者",
    "サービス区分",
    "サービス項目CD",
    "サービス項目名称",
    "サービス事業者名",
    "サービス種別補足",
    "頻度",
    "頻度単位",
    "期間",
    "長期目標(期間)",
    "短期目標(期間)",
    "給付文字",
    "長期目標(期間開始)",
    "長期目標(期間終了)",
    "短期目標(期間開始)",
    "短期目標(期間終了)",
    "期間(開始)",
    "期間(終了)",
];

/// A line with every field quoted.
pub fn line(fields: &[&str]) -> String {
    fields.iter().map(|f| super::q(f)).collect::<Vec<_>>().join(",")
}

/// A 第2表 row of KAIGO1.CSV by the fields that matter; the rest stay "".
#[derive(Debug, Clone, Default)]
pub struct Kaigo1Row<'a> {
    pub insurer: &'a str,
    pub insured: &'a str,
    pub registered: &'a str,
    pub created: &'a str,
    pub order: &'a str,
    pub need: &'a str,
    pub long_goal: &'a str,
    pub short_goal: &'a str,
    pub content: &'a str,
    pub kind: &'a str,
    pub provider: &'a str,
    pub frequency: &'a str,
    pub period: &'a str,
    pub long_period: &'a str,
    pub short_period: &'a str,
    pub benefit: &'a str,
}

impl Kaigo1Row<'_> {
    pub fn line(&self) -> String {
        line(&[
            self.insurer,
            self.insured,
            self.registered,
            self.created,
            self.order,
            self.need,
            self.long_goal,
            self.short_goal,
            self.content,
            "",
            self.kind,
            "1",
            "",
            "",
            self.provider,
            "",
            self.frequency,
            "",
            self.period,
            self.long_period,
            self.short_period,
            self.benefit,
            "",
            "",
            "",
            "",
            "",
            "",
        ])
    }
}
