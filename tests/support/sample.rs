//! The bundled sample (`fixtures/sample/`): three offices, one per source
//! kind, with the quirks of formats.md §3.6. All people are invented.

use super::forms::{self, FormPlan, Meeting, Need, Svc};
use super::honobono::{self as hb, Kaigo1Row};
use super::standard::{self as st, Row2, StdPlan, Use};
use super::{crlf, sjis, write};
use std::path::Path;

/// One 第2表 row, written like a row of the table (hence the many arguments).
#[allow(clippy::too_many_arguments)]
fn r2(
    need_no: u32,
    need: &str,
    goal_no: u32,
    long: &str,
    lp: &str,
    short: &str,
    sp: &str,
    no: u32,
    svc: (&str, &'static str, &str, &str, &str, &str, &str),
) -> Row2 {
    Row2 {
        need_no,
        need: need.into(),
        goal_no,
        long_goal: long.into(),
        long_period: lp.into(),
        short_goal: short.into(),
        short_period: sp.into(),
        service_no: no,
        content: svc.0.into(),
        insured: svc.1,
        kind: svc.2.into(),
        provider_code: svc.3.into(),
        provider: svc.4.into(),
        frequency: svc.5.into(),
        period: svc.6.into(),
    }
}

/// Office A: the standard CSV set. Person 1 has two plan generations and a
/// month of 第6/7表; person 2 comes in v3 file names (CSV version 202208).
pub fn standard_plans() -> (StdPlan, StdPlan, StdPlan) {
    let p1 = StdPlan {
        version: "202407",
        insurer: "131001".into(),
        insured: "0000100001".into(),
        plan_date: "20250401".into(),
        created: "20250401".into(),
        first_created: "20250401".into(),
        kana: "ヤマダ ハナコ".into(),
        name: "山田 花子".into(),
        sex: "2",
        birth: "19400315".into(),
        care_level_code: "22",
        limit_units: 19705,
        office_code: "1370000001".into(),
        office_name: "ケアプランセンターさくら㈱".into(),
        planner: "髙橋 美咲".into(),
        plan_kind: "11",
        intentions: "【本人の意向】住み慣れた家で、できることは自分でしながら暮らしたい。\r\n【家族の意向】転ばずに安全に過ごしてほしい。仕事があるので平日の日中は見守れない。".into(),
        opinion: "特になし".into(),
        policy: "①転倒を防ぎ、自宅での生活を続けられるよう支援します。\r\n②緊急時は長女（℡ 03-0000-0000）へ連絡します。".into(),
        reason: "1",
        valid_from: "20250401".into(),
        valid_to: "20270331".into(),
        certified: "20250310".into(),
        rows2: vec![
            r2(1, "自宅の浴室で安全に入浴したい", 1, "安全に入浴できる", "R7.4.1～R8.3.31", "介助を受けて週2回入浴する", "R7.4.1～R7.9.30", 1,
               ("入浴介助・洗身の一部介助", "Y", "訪問介護", "1370100001", "ヘルパーステーションあおぞら", "週2回（月・木）", "R7.4.1～R7.9.30")),
            r2(1, "", 1, "", "", "", "", 2, ("入浴の声かけと見守り", "", "家族", "", "長女", "入浴日", "R7.4.1～R7.9.30")),
            r2(1, "", 1, "", "", "浴槽をまたぐ動作が自分でできる", "R7.4.1～R7.9.30", 3,
               ("浴槽をまたぐ際の転倒を防ぐための手すりの貸与", "Y", "福祉用具貸与", "1370200001", "福祉用具センターみどり", "毎日", "R7.4.1～R8.3.31")),
            r2(1, "", 1, "", "", "", "", 4, ("浴室まで自分で歩き、手すりにつかまって浴槽をまたぐ", "", "本人", "", "本人", "入浴日", "R7.4.1～R7.9.30")),
            r2(1, "", 1, "", "", "", "", 5, ("入浴日に近所の友人が様子を見に寄る", "", "地域", "", "近所の友人", "入浴日", "R7.4.1～R7.9.30")),
            r2(2, "外に出て人と話す機会を持ちたい", 1, "週に一度は外出して人と交流する", "R7.4.1～R8.3.31", "通所介護に休まず通う", "R7.4.1～R7.9.30", 1,
               ("通所介護（入浴・機能訓練・昼食）", "Y", "通所介護", "1370300001", "デイサービスひだまり", "週1回（水）", "R7.4.1～R7.9.30")),
            r2(2, "", 1, "", "", "", "", 2, ("通う日の支度を自分でする", "", "本人", "", "本人", "週1回（水）", "R7.4.1～R7.9.30")),
            r2(2, "", 1, "", "", "", "", 3, ("通う日の朝に長女が電話で声をかける", "", "家族", "", "長女", "週1回（水）", "R7.4.1～R7.9.30")),
            r2(2, "", 2, "近所の人と顔を合わせる", "R7.4.1～R8.3.31", "老人クラブの茶話会に参加する", "R7.4.1～R7.9.30", 1,
               ("茶話会への誘い合わせ", "", "地域", "", "近所の友人・民生委員", "月1回", "R7.4.1～R7.9.30")),
        ],
        weekly: vec![
            ("訪問介護".into(), 1, "1000".into(), "1100".into()),
            ("通所介護".into(), 3, "0930".into(), "1600".into()),
            ("訪問介護".into(), 4, "1000".into(), "1100".into()),
        ],
        activities: vec![
            ("起床・洗面".into(), "0630".into(), "0700".into()),
            ("朝食".into(), "0730".into(), "0800".into()),
            ("昼食".into(), "1200".into(), "1230".into()),
            ("夕食".into(), "1800".into(), "1830".into()),
            ("就寝".into(), "2100".into(), "2100".into()),
            ("夜間トイレ".into(), "0200".into(), "0210".into()),
        ],
        non_weekly: vec!["福祉用具貸与（手すり）".into(), "通院（月1回・長女付き添い）".into()],
    };
    // The changed plan of 2025-10: the short-term goals move on.
    let mut p1b = p1.clone();
    p1b.plan_date = "20251001".into();
    p1b.created = "20251001".into();
    p1b.plan_kind = "21";
    p1b.rows2[0].short_goal = "浴槽の出入りを見守りで行う".into();
    p1b.rows2[0].short_period = "R7.10.1～R8.3.31".into();
    let p2 = StdPlan {
        version: "202208",
        insurer: "131001".into(),
        insured: "H123456789".into(),
        plan_date: "20230105".into(),
        created: "20230105".into(),
        first_created: "20220701".into(),
        kana: "スズキ イチロウ".into(),
        name: "鈴木 一郎".into(),
        sex: "1",
        birth: "19380820".into(),
        care_level_code: "21",
        limit_units: 16765,
        office_code: "1370000001".into(),
        office_name: "ケアプランセンターさくら㈱".into(),
        planner: "山﨑 健太".into(),
        plan_kind: "21",
        intentions: "妻と二人で今の暮らしを続けたい。".into(),
        opinion: "特になし".into(),
        policy: "妻の介護負担を減らしつつ、本人の歩く力を保てるよう支援します。".into(),
        reason: "2",
        valid_from: "20220701".into(),
        valid_to: "20240630".into(),
        certified: "20220620".into(),
        rows2: vec![r2(
            1,
            "歩く力を保ちたい",
            1,
            "近所の商店まで歩いて行ける",
            "R5.1.5～R5.12.31",
            "リハビリを続ける",
            "R5.1.5～R5.6.30",
            1,
            (
                "通所リハビリテーション（歩行訓練）",
                "Y",
                "通所リハビリテーション",
                "1370400001",
                "リハビリセンターⅡ号館",
                "週2回",
                "R5.1.5～R5.6.30",
            ),
        )],
        weekly: vec![],
        activities: vec![],
        non_weekly: vec![],
    };
    (p1, p1b, p2)
}

pub fn uses_p1() -> Vec<Use> {
    vec![
        Use {
            service_code: "111211".into(),
            provider_code: "1370100001".into(),
            provider: "ヘルパーステーションあおぞら".into(),
            units: 387,
            start: "1000".into(),
            end: "1100".into(),
            days: vec![2, 6, 9, 13, 16, 20, 23, 27, 30],
        },
        Use {
            service_code: "155111".into(),
            provider_code: "1370300001".into(),
            provider: "デイサービスひだまり".into(),
            units: 658,
            start: "0930".into(),
            end: "1600".into(),
            days: vec![1, 8, 15, 22, 29],
        },
        Use {
            service_code: "171001".into(),
            provider_code: "1370200001".into(),
            provider: "福祉用具センターみどり".into(),
            units: 300,
            start: "9999".into(),
            end: "9999".into(),
            days: vec![1],
        },
    ]
}

pub fn write_standard(dir: &Path) {
    let (p1, p1b, p2) = standard_plans();
    let to = "1370100001";
    let from = &p1.office_code;
    let f = |prefix: &str, month: Option<&str>| st::file_name(prefix, month, from, to, true);
    write(
        &dir.join(f("UPHOSOKU", Some("000000"))),
        &sjis(&crlf(&[st::uphosoku(&p1, "20250401", "000000"), st::uphosoku(&p1b, "20251001", "000000")])),
    );
    write(&dir.join(f("UP1KYO", None)), &sjis(&crlf(&[st::up1kyo(&p1), st::up1kyo(&p1b)])));
    let mut rows = st::up2kyo(&p1);
    rows.extend(st::up2kyo(&p1b));
    write(&dir.join(f("UP2KYO", None)), &sjis(&crlf(&rows)));
    let mut rows = st::up3kyo(&p1);
    rows.extend(st::up3kyo(&p1b));
    write(&dir.join(f("UP3KYO", None)), &sjis(&crlf(&rows)));
    write(&dir.join(f("UPHOSOKU", Some("202510"))), &sjis(&crlf(&[st::uphosoku(&p1b, "00000000", "202510")])));
    write(&dir.join(f("UPPLAN", Some("202510"))), &sjis(&crlf(&st::upplan(&p1b, "202510", &uses_p1(), true))));
    write(&dir.join(f("UPSIKYU", Some("202510"))), &sjis(&crlf(&st::upsikyu(&p1b, "202510", &uses_p1(), true))));
    // v3 names: no service types, CSV version 202208.
    let g = |prefix: &str| st::file_name(prefix, None, "137000001", "137040001", false);
    write(&dir.join(g("UP1KYO")), &sjis(&crlf(&[st::up1kyo(&p2)])));
    write(&dir.join(g("UP2KYO")), &sjis(&crlf(&st::up2kyo(&p2))));
}

/// Office B: ほのぼのNEXT exports. Person 3 has two generations (repeated
/// values in one, blank continuation in the other), rows out of 表示順 order
/// and an exact duplicate; person 4 has one plan.
pub fn write_honobono(dir: &Path) {
    let pad = "\u{3000}".repeat(6);
    let mut lines = vec![hb::line(&hb::CAREPLAN1_HEADER)];
    lines.push(hb::line(&[
        "1370000002",
        "ｹｱﾌﾟﾗﾝあさひ",
        "131002",
        "0000200001",
        "2025/03/25",
        "1",
        "1",
        "2025/04/01",
        &format!("できることは続けながら、転倒を防いで在宅生活を支えます。{pad}困ったときは事業所へ連絡してください。"),
        &format!("【本人の意向】畑仕事を続けたい。{pad}【家族の意向】無理をしないでほしい。"),
        "2025/04/01",
        "2026/03/31",
        "佐藤 友美",
    ]));
    lines.push(hb::line(&[
        "1370000002",
        "ｹｱﾌﾟﾗﾝあさひ",
        "131002",
        "0000200001",
        "2025/09/20",
        "1",
        "1",
        "2025/10/01",
        "歩行が不安定になったため、見守りを増やして在宅生活を支えます。",
        "【本人の意向】畑仕事を続けたい。【家族の意向】通いの回数を増やしてほしい。",
        "2025/04/01",
        "2026/03/31",
        "佐藤 友美",
    ]));
    lines.push(hb::line(&[
        "1370000002",
        "ｹｱﾌﾟﾗﾝあさひ",
        "131002",
        "0000200002",
        "2025/06/01",
        "1",
        "1",
        "2025/06/10",
        "一人暮らしの不安を減らし、栄養のある食事がとれるよう支援します。",
        "本人：自分の家で暮らしたい。",
        "",
        "",
        "佐藤 友美",
    ]));
    write(&dir.join("careplan1.CSV"), &sjis(&crlf(&lines)));

    let base = Kaigo1Row { insurer: "131002", registered: "2025/03/25", ..Kaigo1Row::default() };
    let gen1 = Kaigo1Row { insured: "0000200001", created: "2025/04/01", ..base.clone() };
    let need1 = "畑仕事を続けたい";
    let long1 = "畑まで安全に歩ける";
    let rows = [
        // Out of order on purpose (表示順 2 before 1), repeated values on every row.
        Kaigo1Row {
            order: "2",
            need: need1,
            long_goal: long1,
            short_goal: "杖を使って歩く",
            content: "歩行訓練",
            kind: "通所ﾘﾊﾋﾞﾘ",
            provider: "ﾘﾊﾋﾞﾘｾﾝﾀｰ春風",
            frequency: "週２回",
            period: "R 7/ 4/ 1～R 7/ 9/30",
            long_period: "R 7/ 4/ 1～R 8/ 3/31",
            short_period: "R 7/ 4/ 1～R 7/ 9/30",
            benefit: "○",
            ..gen1.clone()
        },
        Kaigo1Row {
            order: "1",
            need: need1,
            long_goal: long1,
            short_goal: "杖を使って歩く",
            content: "杖の貸与",
            kind: "福祉用具貸与",
            provider: "福祉用具ｻｰﾋﾞｽ光",
            frequency: "毎日",
            period: "R 7/ 4/ 1～R 8/ 3/31",
            long_period: "R 7/ 4/ 1～R 8/ 3/31",
            short_period: "R 7/ 4/ 1～R 7/ 9/30",
            benefit: "○",
            ..gen1.clone()
        },
        Kaigo1Row {
            order: "3",
            need: "栄養のある食事をとりたい",
            long_goal: "体重を保つ",
            short_goal: "一日三食とる",
            content: "調理・買い物（生活援助）訪問介護通所介護",
            kind: "訪問介護通所介護",
            provider: "ﾍﾙﾊﾟｰｽﾃｰｼｮﾝ虹ﾃﾞｲｻｰﾋﾞｽ和",
            frequency: "１回／月受診時毎日",
            period: "R 7/ 4/ 1～R 7/ 9/30",
            long_period: "R 7/ 4/ 1～R 8/ 3/31",
            short_period: "R 7/ 4/ 1～R 7/ 9/30",
            benefit: "○○",
            ..gen1.clone()
        },
    ];
    let gen2 = Kaigo1Row { insured: "0000200001", created: "2025/10/01", registered: "2025/09/20", ..base.clone() };
    let rows2 = [
        // Blank continuation: need and goals only on the first row.
        Kaigo1Row {
            order: "1",
            need: need1,
            long_goal: long1,
            short_goal: "見守りのもとで畑まで歩く",
            content: "歩行訓練",
            kind: "通所ﾘﾊﾋﾞﾘ",
            provider: "ﾘﾊﾋﾞﾘｾﾝﾀｰ春風",
            frequency: "週３回",
            period: "R 7/10/ 1～R 8/ 3/31",
            long_period: "R 7/ 4/ 1～R 8/ 3/31",
            short_period: "R 7/10/ 1～R 8/ 3/31",
            benefit: "○",
            ..gen2.clone()
        },
        Kaigo1Row {
            order: "2",
            content: "畑への付き添い",
            kind: "家族",
            provider: "長男",
            frequency: "週末",
            period: "R 7/10/ 1～R 8/ 3/31",
            ..gen2.clone()
        },
    ];
    let p4 = Kaigo1Row { insured: "0000200002", created: "2025/06/10", registered: "2025/06/01", ..base.clone() };
    let rows3 = [Kaigo1Row {
        order: "1",
        need: "一人暮らしでも安心して過ごしたい",
        long_goal: "困ったときに助けを呼べる",
        short_goal: "緊急通報装置を使える",
        content: "安否確認・緊急通報",
        kind: "地域",
        provider: "民生委員・近所の友人",
        frequency: "随時",
        period: "R 7/ 6/10～R 8/ 5/31",
        long_period: "R 7/ 6/10～R 8/ 5/31",
        short_period: "R 7/ 6/10～R 7/11/30",
        benefit: "",
        ..p4
    }];
    let mut lines = vec![hb::line(&hb::KAIGO1_HEADER)];
    lines.extend(rows.iter().map(Kaigo1Row::line));
    lines.extend(rows2.iter().map(Kaigo1Row::line));
    lines.extend(rows3.iter().map(Kaigo1Row::line));
    // An exact duplicate of a row, as narrow re-exports produce.
    lines.push(rows[1].line());
    write(&dir.join("KAIGO1.CSV"), &sjis(&crlf(&lines)));
}

fn svc(content: &str, insured: &'static str, kind: &str, provider: &str, freq: &str, period: &str) -> Svc {
    Svc {
        content: content.into(),
        insured,
        kind: kind.into(),
        provider: provider.into(),
        frequency: freq.into(),
        period: period.into(),
    }
}

pub fn form_plan(transposed: bool) -> FormPlan {
    let (insured, name, code) = if transposed {
        ("0000300002", "田中 ハル", None)
    } else {
        ("0000300001", "中村 キヨ", Some("1370000003".to_string()))
    };
    FormPlan {
        insurer: "131003".into(),
        insured: insured.into(),
        office_code: code,
        name: name.into(),
        birth: "昭和15年03月03日  （85歳）".into(),
        address: "東京都架空市緑町三丁目4番5号".into(),
        planner: "小林 直子".into(),
        office: "居宅介護支援センターひまわり　東京都架空市緑町一丁目1番1号".into(),
        plan_date: (2025, 7, 1),
        created: (2025, 7, 1),
        first_created: "令和06年07月01日".into(),
        plan_kind: "□初回 □紹介 ■継続".into(),
        cert: "■認定済 □申請中".into(),
        certified: "令和7年6月20日".into(),
        valid: "令和07年07月01日  ～  令和09年06月30日".into(),
        care_level: "要介護１ ・ 【要介護２】 ・ 要介護３ ・ 要介護４ ・ 要介護５".into(),
        intentions:
            "【本人の意向】娘の世話にならず、自分のことは自分でしたい。\n【家族の意向】夜間のトイレで転ばないか心配。"
                .into(),
        opinion: "なし".into(),
        policy: "夜間の排泄を安全に行えるよう環境を整え、日中の活動量を保ちます。\n緊急時は長女へ連絡します。".into(),
        reason: "■一人暮らし □家族等が障害、疾病等 □その他（　　　）".into(),
        consent: "令和7年7月1日".into(),
        needs: vec![
            Need {
                need: "夜間も安全にトイレに行きたい".into(),
                long_goal: "夜間に転ばずにトイレに行ける".into(),
                long_period: "R7.7.1～R8.6.30".into(),
                shorts: vec![
                    (
                        "手すりを使って移動する".into(),
                        "R7.7.1～R7.12.31".into(),
                        vec![
                            svc(
                                "夜間の移動で転ばないための手すりの貸与",
                                "○",
                                "福祉用具貸与",
                                "福祉用具センターみどり",
                                "毎日",
                                "R7.7.1～R8.6.30",
                            ),
                            svc("夜間の声かけ", "", "家族", "長女", "毎晩", "R7.7.1～R7.12.31"),
                            svc("寝る前に手すりの位置を自分で確かめる", "", "本人", "本人", "毎晩", "R7.7.1～R7.12.31"),
                            svc("朝に近所の友人が声をかける", "", "地域", "近所の友人", "週3回", "R7.7.1～R7.12.31"),
                            svc(
                                "夜間の排泄の様子と手すりの使い方の確認",
                                "○",
                                "訪問介護",
                                "ヘルパーステーションあおぞら",
                                "週1回（月）",
                                "R7.7.1～R7.12.31",
                            ),
                        ],
                    ),
                    (
                        "ポータブルトイレを使える".into(),
                        "R7.7.1～R7.12.31".into(),
                        vec![svc(
                            "トイレまで歩けない夜のためのポータブルトイレの購入",
                            "○",
                            "特定福祉用具販売",
                            "福祉用具センターみどり",
                            "1回",
                            "R7.7.1～R7.7.31",
                        )],
                    ),
                ],
            },
            Need {
                need: "日中の楽しみを持ちたい".into(),
                long_goal: "週に二回は外出する".into(),
                long_period: "R7.7.1～R8.6.30".into(),
                shorts: vec![(
                    "デイサービスに通う".into(),
                    "R7.7.1～R7.12.31".into(),
                    vec![
                        svc(
                            "通所介護（レクリエーション・入浴）",
                            "○",
                            "通所介護",
                            "デイサービスひだまり",
                            "週2回（火・金）",
                            "R7.7.1～R7.12.31",
                        ),
                        svc("通う日の支度を自分でする", "", "本人", "本人", "週2回（火・金）", "R7.7.1～R7.12.31"),
                        svc("通う日の朝に長女が電話する", "", "家族", "長女", "週2回（火・金）", "R7.7.1～R7.12.31"),
                        svc(
                            "老人クラブの行事を民生委員が知らせる",
                            "",
                            "地域",
                            "民生委員",
                            "月1回",
                            "R7.7.1～R7.12.31",
                        ),
                    ],
                )],
            },
        ],
        weekly: vec![(1, 9, 16, "通所介護".into()), (4, 9, 16, "通所介護".into()), (0, 10, 11, "訪問介護".into())],
        activities: vec![
            (6, "起床".into()),
            (7, "朝食".into()),
            (12, "昼食".into()),
            (18, "夕食".into()),
            (21, "就寝".into()),
            (2, "夜間トイレ".into()),
        ],
        non_weekly: "福祉用具貸与（手すり）\n特定福祉用具販売（ポータブルトイレ）".into(),
        meeting: Meeting {
            held: (2025, 6, 28),
            place: "本人宅".into(),
            time: "14:00～14:45".into(),
            count: "3回目".into(),
            attendees: vec![
                ("本人".into(), name.into()),
                ("長女".into(), "中村 明美".into()),
                ("デイサービスひだまり（生活相談員）".into(), "石井 拓也".into()),
                ("福祉用具センターみどり（専門相談員）".into(), "森 恵".into()),
                ("居宅介護支援センターひまわり（介護支援専門員）".into(), "小林 直子".into()),
            ],
            person: "【出席】".into(),
            family: "【出席】（続柄：長女）".into(),
            items: "夜間の排泄と転倒予防について".into(),
            discussion: "夜間にトイレへ行く途中でふらつくことがある。手すりとポータブルトイレの使用を検討した。".into(),
            conclusion: "手すりを貸与し、ポータブルトイレを購入する。".into(),
            remaining: "次回は3か月後に開催する。".into(),
        },
        progress: vec![
            ("R 7/ 6/20".into(), "電話".into(), "長女より、夜間にふらつくと相談あり。".into()),
            ("R 7/ 6/25".into(), "訪問".into(), "自宅を訪問し、寝室からトイレまでの動線を確認した。".into()),
            (
                "R 7/ 6/28".into(),
                "担当者会議".into(),
                "第4表のとおり検討した。手すりの貸与とポータブルトイレの購入に決定。".into(),
            ),
            ("R 7/ 7/ 1".into(), "交付".into(), "計画を説明し、同意を得て交付した。".into()),
            ("R 7/ 7/15".into(), "モニタリング".into(), "手すりを使って移動できている。".into()),
        ],
    }
}

/// Office C: Excel workbooks laid out like the forms, in a folder named after
/// the office (one workbook carries no 事業所番号, so the folder names it).
pub fn write_forms(dir: &Path) {
    write(&dir.join("中村キヨ_居宅サービス計画書.xlsx"), &forms::workbook(&form_plan(false), false).expect("workbook"));
}

/// The workbook that `fixtures/sample/…/田中ハル_居宅サービス計画書.xls` was
/// converted from (LibreOffice, once): 第3表 transposed.
pub fn transposed_workbook() -> Vec<u8> {
    forms::workbook(&form_plan(true), true).expect("workbook")
}

pub fn write_sample(root: &Path) {
    write_standard(&root.join("ケアプランセンターさくら_標準CSV"));
    write_honobono(&root.join("ケアプランあさひ_ほのぼの"));
    write_forms(&root.join("居宅介護支援センターひまわり"));
}
