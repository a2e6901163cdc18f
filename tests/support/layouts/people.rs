//! The two invented people the layouts encode (excel-layouts.md §7.0): P1
//! 山田 花子 in every layout, P2 佐藤 一郎 beside her in L07. Their values,
//! the ways offices write dates, and the plan.json field each value goes to.

use super::{iso, Exp, Field, Ymd};

pub struct Svc {
    pub content: &'static str,
    /// ※1 marked (保険給付対象).
    pub insured: bool,
    pub kind: &'static str,
    pub provider: &'static str,
    pub frequency: &'static str,
    pub period: (Ymd, Ymd),
}

pub struct Short {
    pub text: &'static str,
    pub period: (Ymd, Ymd),
    pub services: Vec<Svc>,
}

pub struct Need {
    pub text: &'static str,
    pub long: &'static str,
    pub long_period: (Ymd, Ymd),
    pub shorts: Vec<Short>,
}

pub struct Meeting {
    pub held: Ymd,
    pub place: &'static str,
    pub time: &'static str,
    pub count: u32,
    /// (所属（職種）, 氏名); 本人 and 家族 are listed too.
    pub attendees: Vec<(&'static str, &'static str)>,
    pub relation: &'static str,
    pub items: &'static str,
    pub discussion: &'static str,
    pub conclusion: &'static str,
    pub remaining: &'static str,
}

pub struct Entry {
    pub date: Ymd,
    pub item: &'static str,
    pub content: &'static str,
}

/// A person's plan as put into the layouts.
pub struct Who {
    /// 利用者名 with a space between family and given name.
    pub name: &'static str,
    pub birth: Ymd,
    pub address: &'static str,
    pub planner: &'static str,
    pub office: &'static str,
    pub office_address: &'static str,
    pub plan_date: Ymd,
    pub created: Ymd,
    pub first_created: Ymd,
    pub plan_kind: &'static str,
    pub cert_status: &'static str,
    pub certified: Option<Ymd>,
    pub valid: Option<(Ymd, Ymd)>,
    /// As plan.json has it: 要介護2.
    pub care_level: &'static str,
    pub intentions: &'static str,
    pub opinion: &'static str,
    pub policy: &'static str,
    /// 生活援助中心型の算定理由 by its label; None: none applies.
    pub reason: Option<&'static str>,
    pub consent: Ymd,
    pub needs: Vec<Need>,
    /// (day, start, end, service).
    pub weekly: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    /// (start, text).
    pub activities: Vec<(&'static str, &'static str)>,
    pub non_weekly: Vec<&'static str>,
    pub meeting: Meeting,
    pub progress: Vec<Entry>,
}

const S1: (Ymd, Ymd) = ((2025, 4, 1), (2025, 9, 30));
const L1: (Ymd, Ymd) = ((2025, 4, 1), (2026, 3, 31));

pub fn p1() -> Who {
    Who {
        name: "山田 花子",
        birth: (1940, 5, 10),
        address: "東京都架空区見本町1-2-3",
        planner: "介護 太郎",
        office: "見本居宅介護支援事業所",
        office_address: "東京都架空区見本町4-5-6",
        plan_date: (2025, 4, 1),
        created: (2025, 4, 1),
        first_created: (2023, 10, 1),
        plan_kind: "継続",
        cert_status: "認定済",
        certified: Some((2025, 3, 15)),
        valid: Some(((2025, 4, 1), (2027, 3, 31))),
        care_level: "要介護2",
        intentions: "【本人】自宅で暮らし続けたい。\n【家族（長女）】転倒が心配。\n【課題分析の結果】浴槽のまたぎで転倒の危険がある。",
        opinion: "なし",
        policy: "入浴と家事の支援で在宅生活を続けます。緊急時は長女（見本市）へ連絡します。",
        reason: Some("一人暮らし"),
        consent: (2025, 4, 1),
        needs: vec![
            Need {
                text: "自宅で安全に入浴したい",
                long: "自宅で入浴を続けられる",
                long_period: L1,
                shorts: vec![
                    Short {
                        text: "見守りで浴槽をまたげる",
                        period: S1,
                        services: vec![
                            Svc {
                                content: "入浴の見守り・介助",
                                insured: true,
                                kind: "通所介護",
                                provider: "デイサービス見本",
                                frequency: "週2回",
                                period: S1,
                            },
                            Svc {
                                content: "浴室の手すり",
                                insured: true,
                                kind: "福祉用具貸与",
                                provider: "見本福祉用具",
                                frequency: "毎日",
                                period: S1,
                            },
                        ],
                    },
                    Short {
                        text: "着替えを自分でできる",
                        period: S1,
                        services: vec![Svc {
                            content: "更衣の声かけ",
                            insured: false,
                            kind: "家族",
                            provider: "長女",
                            frequency: "入浴日",
                            period: S1,
                        }],
                    },
                ],
            },
            Need {
                text: "買い物や掃除を続けたい",
                long: "家事を続けられる",
                long_period: L1,
                shorts: vec![Short {
                    text: "掃除を一緒に行える",
                    period: S1,
                    services: vec![
                        Svc {
                            content: "掃除・買い物の支援",
                            insured: true,
                            kind: "訪問介護",
                            provider: "見本ヘルパー",
                            frequency: "週1回",
                            period: S1,
                        },
                        Svc {
                            content: "安否確認",
                            insured: false,
                            kind: "家族",
                            provider: "長女",
                            frequency: "随時",
                            period: S1,
                        },
                    ],
                }],
            },
        ],
        weekly: vec![
            ("月", "09:00", "16:00", "通所介護"),
            ("水", "10:00", "11:00", "訪問介護"),
            ("木", "09:00", "16:00", "通所介護"),
        ],
        activities: vec![("06:00", "起床"), ("08:00", "朝食"), ("12:00", "昼食"), ("18:00", "夕食"), ("21:00", "就寝")],
        non_weekly: vec!["福祉用具貸与（手すり）", "月1回通院（見本クリニック）"],
        meeting: Meeting {
            held: (2025, 3, 28),
            place: "利用者宅",
            time: "14:00～14:45",
            count: 3,
            attendees: vec![
                ("デイサービス見本（生活相談員）", "相談 一郎"),
                ("見本ヘルパー（サ責）", "訪問 次子"),
                ("見本福祉用具（専門相談員）", "用具 三郎"),
                ("本人", "山田 花子"),
                ("家族（長女）", "山田 春子"),
            ],
            relation: "長女",
            items: "1. 入浴の方法　2. 福祉用具",
            discussion: "浴槽のまたぎに見守りが必要。浴室の手すりを検討した。",
            conclusion: "通所介護で入浴を見守り、浴室に手すりを設置する。",
            remaining: "更衣の自立（次回：令和7年9月）",
        },
        progress: vec![
            Entry { date: (2025, 3, 20), item: "電話", content: "長女より更新の相談。" },
            Entry { date: (2025, 3, 28), item: "会議", content: "担当者会議を開催。" },
            Entry { date: (2025, 4, 1), item: "訪問", content: "計画書を説明し同意を得た。" },
        ],
    }
}

/// P2 (L07 only): 申請中, so no 認定日 and no 有効期間; one need.
pub fn p2() -> Who {
    const S2: (Ymd, Ymd) = ((2025, 5, 1), (2025, 10, 31));
    Who {
        name: "佐藤 一郎",
        birth: (1938, 11, 3),
        address: "東京都架空区見本町7-8-9",
        planner: "介護 太郎",
        office: "見本居宅介護支援事業所",
        office_address: "東京都架空区見本町4-5-6",
        plan_date: (2025, 5, 1),
        created: (2025, 5, 1),
        first_created: (2025, 5, 1),
        plan_kind: "初回",
        cert_status: "申請中",
        certified: None,
        valid: None,
        care_level: "要介護3",
        intentions: "【本人】家で過ごしたい。",
        opinion: "なし",
        policy: "体調の変化に早く気づけるよう訪問看護で見守ります。",
        reason: None,
        consent: (2025, 5, 1),
        needs: vec![Need {
            text: "体調を保ちたい",
            long: "体調が安定する",
            long_period: ((2025, 5, 1), (2026, 4, 30)),
            shorts: vec![Short {
                text: "薬を忘れずに飲める",
                period: S2,
                services: vec![Svc {
                    content: "健康状態の観察・服薬管理",
                    insured: true,
                    kind: "訪問看護",
                    provider: "見本訪問看護ステーション",
                    frequency: "週1回",
                    period: S2,
                }],
            }],
        }],
        weekly: vec![("火", "13:00", "14:00", "訪問看護")],
        activities: vec![],
        non_weekly: vec![],
        meeting: p1().meeting,
        progress: vec![],
    }
}

// ---------------------------------------------------------------------------
// Dates as offices write them (excel-layouts.md §3.1).

/// (era, year of era) of a date: 令和 from 2019-05-01, 平成 from 1989-01-08.
pub fn era(d: Ymd) -> (&'static str, &'static str, u16) {
    let key = (d.0, d.1, d.2);
    if key >= (2019, 5, 1) {
        ("令和", "R", d.0 - 2018)
    } else if key >= (1989, 1, 8) {
        ("平成", "H", d.0 - 1988)
    } else {
        ("昭和", "S", d.0 - 1925)
    }
}

/// 「令和7年4月1日」 (D1); 元年 for year 1.
pub fn kanji(d: Ymd) -> String {
    let (e, _, y) = era(d);
    let y = if y == 1 { "元".to_string() } else { y.to_string() };
    format!("{e}{y}年{}月{}日", d.1, d.2)
}

/// 「令和07年04月01日」 (D2).
pub fn kanji_padded(d: Ymd) -> String {
    let (e, _, y) = era(d);
    format!("{e}{y:02}年{:02}月{:02}日", d.1, d.2)
}

/// 「令和　7年　4月　1日」: typed into the printed placeholder (D3).
pub fn kanji_spaced(d: Ymd) -> String {
    let (e, _, y) = era(d);
    let w = |n: u16| if n < 10 { format!("　{n}") } else { n.to_string() };
    format!("{e}{}年{}月{}日", w(y), w(d.1 as u16), w(d.2 as u16))
}

/// 「R7.4.1」 (D4).
pub fn dots(d: Ymd) -> String {
    let (_, e, y) = era(d);
    format!("{e}{y}.{}.{}", d.1, d.2)
}

/// 「R 7/ 4/ 1」: right-aligned fields (D5).
pub fn spaced_slash(d: Ymd) -> String {
    let (_, e, y) = era(d);
    format!("{e}{y:>2}/{:>2}/{:>2}", d.1, d.2)
}

/// 「2025/4/1」 (D6).
pub fn western(d: Ymd) -> String {
    format!("{}/{}/{}", d.0, d.1, d.2)
}

/// 「令和７年４月１日」: full-width digits (D18).
pub fn kanji_full(d: Ymd) -> String {
    kanji(d)
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

/// Full-width digits of a text.
pub fn full(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c }).collect()
}

/// 1900-system serial of a date.
pub fn serial(d: Ymd) -> f64 {
    use chrono::NaiveDate;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("base");
    let day = NaiveDate::from_ymd_opt(d.0 as i32, d.1 as u32, d.2 as u32).expect("date");
    (day - base).num_days() as f64
}

// ---------------------------------------------------------------------------
// The fields, for a person.

fn text(ptr: &str, v: &str, label: &str) -> Field {
    Field::new(ptr, Exp::Text(v.into()), label)
}
fn date(ptr: &str, d: Ymd, label: &str) -> Field {
    Field::new(ptr, Exp::Date(iso(d)), label)
}
fn null(ptr: &str, label: &str) -> Field {
    Field::new(ptr, Exp::Null, label)
}

/// Pointer of a 第2表 goal or service.
pub fn need_ptr(n: usize) -> String {
    format!("/table2/needs/{n}")
}
pub fn long_ptr(n: usize) -> String {
    format!("/table2/needs/{n}/long_goals/0")
}
pub fn short_ptr(n: usize, s: usize) -> String {
    format!("{}/short_goals/{s}", long_ptr(n))
}
pub fn svc_ptr(n: usize, s: usize, v: usize) -> String {
    format!("{}/services/{v}", short_ptr(n, s))
}

impl Who {
    pub fn f_name(&self) -> Field {
        Field::new("/person/name", Exp::Name(self.name.into()), "利用者名")
    }
    pub fn f_birth(&self) -> Field {
        date("/person/birth_date", self.birth, "生年月日")
    }
    pub fn f_address(&self) -> Field {
        text("/person/address", self.address, "住所")
    }
    pub fn f_planner(&self) -> Field {
        Field::new("/table1/planner", Exp::Name(self.planner.into()), "計画作成者")
    }
    pub fn f_office(&self) -> Field {
        Field::new("/office/name", Exp::Office(format!("{}{}", self.office, self.office_address)), "事業所名")
    }
    pub fn f_plan_date(&self) -> Field {
        date("/key/plan_date", self.plan_date, "計画作成（変更）日")
    }
    pub fn f_created(&self) -> Field {
        date("/table1/created_on", self.created, "作成年月日")
    }
    pub fn f_first_created(&self) -> Field {
        date("/table1/first_created_on", self.first_created, "初回居宅サービス計画作成日")
    }
    pub fn f_plan_kind(&self) -> Field {
        text("/table1/plan_kind", self.plan_kind, "初回・紹介・継続")
    }
    pub fn f_cert_status(&self) -> Field {
        let alts = vec![self.cert_status.to_string(), format!("{}み", self.cert_status)];
        Field::new("/table1/certification/status", Exp::OneOf(alts), "認定済・申請中")
    }
    pub fn f_certified(&self) -> Field {
        match self.certified {
            Some(d) => date("/table1/certification/certified_on", d, "認定日"),
            None => null("/table1/certification/certified_on", "認定日"),
        }
    }
    pub fn f_valid_from(&self) -> Field {
        match self.valid {
            Some((a, _)) => date("/table1/certification/valid_from", a, "有効期間"),
            None => null("/table1/certification/valid_from", "有効期間"),
        }
    }
    pub fn f_valid_to(&self) -> Field {
        match self.valid {
            Some((_, b)) => date("/table1/certification/valid_to", b, "有効期間"),
            None => null("/table1/certification/valid_to", "有効期間"),
        }
    }
    pub fn f_care_level(&self) -> Field {
        text("/table1/certification/care_level", self.care_level, "要介護状態区分")
    }
    pub fn f_intentions(&self) -> Field {
        text("/table1/intentions/text", self.intentions, "意向")
    }
    pub fn f_opinion(&self) -> Field {
        text("/table1/review_opinion", self.opinion, "審査会の意見")
    }
    pub fn f_policy(&self) -> Field {
        text("/table1/policy", self.policy, "総合的な援助の方針")
    }
    pub fn f_reason(&self) -> Field {
        match self.reason {
            Some(r) => Field::new("/table1/living_support_reason/code", Exp::Reason(r.into()), "生活援助中心型"),
            None => null("/table1/living_support_reason/code", "生活援助中心型"),
        }
    }
    /// 「その他」 reason text: none is written in any layout.
    pub fn f_reason_other(&self) -> Field {
        null("/table1/living_support_reason/other", "生活援助中心型")
    }
    pub fn f_consent(&self) -> Field {
        date("/table1/consent_on", self.consent, "説明・同意日")
    }
    pub fn f_insurer(&self, v: Option<&str>) -> Field {
        match v {
            Some(v) => text("/key/insurer_no", v, "保険者番号"),
            None => null("/key/insurer_no", "保険者番号"),
        }
    }
    pub fn f_insured(&self, v: Option<&str>) -> Field {
        match v {
            Some(v) => text("/key/insured_no", v, "被保険者番号"),
            None => null("/key/insured_no", "被保険者番号"),
        }
    }
    /// 作成年月日 of 第2表 / 第3表.
    pub fn f_created_on(&self, table: &str) -> Field {
        date(&format!("/{table}/created_on"), self.created, "作成年月日")
    }
    pub fn f_from_month(&self) -> Field {
        let d = self.plan_date;
        Field::new("/table3/from_month", Exp::Month(format!("{:04}-{:02}", d.0, d.1)), "月分より")
    }
}

/// A period's fields: from and to as dates, or (written to the month or in
/// words) the text as written.
pub fn period_fields(ptr: &str, p: (Ymd, Ymd), raw: Option<&str>, label: &str) -> Vec<Field> {
    match raw {
        Some(r) => vec![Field::new(format!("{ptr}/period/raw"), Exp::Text(r.into()), label)],
        None => vec![date(&format!("{ptr}/period/from"), p.0, label), date(&format!("{ptr}/period/to"), p.1, label)],
    }
}
