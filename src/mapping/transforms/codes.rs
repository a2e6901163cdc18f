//! Code lists of ケアプランデータ連携標準仕様 (【コード表】, formats.md §1.5)
//! and the 要介護状態区分 normaliser.
//!
//! Each list accepts its code or its label, as the standard CSV, vendor
//! exports and Excel forms write them, and gives the label.

use unicode_normalization::UnicodeNormalization;

use super::text::{err, err_arg, hankaku, integral, is_space, ok, ok_arg, quoted, selection, trim_spaces, Selection};
use super::{ArgSpec, Context, Example, Transform, TransformError};
use crate::mapping::value::Value;

pub(super) fn transforms() -> Vec<Transform> {
    vec![
        Transform {
            name: "code",
            summary: "標準仕様のコード表で読む（コードか名称を名称にする）。例: code:plan_kind",
            args: ArgSpec::OneOf(LIST_NAMES),
            examples: CODE_EXAMPLES,
            apply: code,
        },
        Transform {
            name: "choice",
            summary: "様式の選択肢（初回・紹介・【継続】、○認定済・申請中 など）から印の付いたものを読む。印がなく複数の選択肢が並ぶだけなら「読めない」と警告。例: choice:plan_kind",
            args: ArgSpec::OneOf(LIST_NAMES),
            examples: CHOICE_EXAMPLES,
            apply: choice,
        },
        Transform {
            name: "care_level",
            summary: "要介護状態区分を「要介護2」などの決まった書き方にする（コード・全角・選択印も読む）",
            args: ArgSpec::None,
            examples: CARE_LEVEL_EXAMPLES,
            apply: care_level,
        },
    ]
}

// ---------------------------------------------------------------------------
// Code lists

struct CodeList {
    arg: &'static str,
    /// The list's name in the standard, for messages.
    name: &'static str,
    codes: &'static [(&'static str, &'static str)],
    /// Other ways forms write a label, each with the label it means.
    aliases: &'static [(&'static str, &'static str)],
    /// Whether ■/○/【】 marks choose among the labels (`○初回 紹介 継続`).
    /// Not for 保険対象区分, where the ○ itself is the value.
    choices: bool,
}

/// The `code:<list>` arguments, in the order of `LISTS`.
const LIST_NAMES: &[&str] =
    &["plan_kind", "cert_status", "care_level", "insured", "living_support_reason", "sex", "weekday"];

const CARE_LEVEL_CODES: &[(&str, &str)] = &[
    ("01", "非該当"),
    ("06", "事業対象者"),
    ("12", "要支援1"),
    ("13", "要支援2"),
    ("21", "要介護1"),
    ("22", "要介護2"),
    ("23", "要介護3"),
    ("24", "要介護4"),
    ("25", "要介護5"),
];

const LISTS: &[CodeList] = &[
    CodeList {
        arg: "plan_kind",
        name: "計画書区分",
        // The standard writes the combined labels with ＆ (初回＆紹介); we use
        // ・ as the paper form and `selected` do.
        codes: &[
            ("11", "初回"),
            ("12", "紹介"),
            ("21", "継続"),
            ("51", "初回・紹介"),
            ("52", "初回・継続"),
            ("53", "紹介・継続"),
            ("54", "初回・紹介・継続"),
        ],
        aliases: &[],
        choices: true,
    },
    CodeList {
        arg: "cert_status",
        name: "認定状況区分",
        codes: &[("1", "申請中"), ("2", "認定済")],
        // ほのぼの writes 認定済み (formats.md §3.1).
        aliases: &[("認定済み", "認定済")],
        choices: true,
    },
    CodeList { arg: "care_level", name: "要介護状態区分", codes: CARE_LEVEL_CODES, aliases: &[], choices: true },
    CodeList {
        arg: "insured",
        name: "保険対象区分",
        codes: &[("Y", "対象"), ("N", "対象外")],
        // The paper form marks ※1 with ○ for 保険給付対象.
        aliases: &[
            ("y", "対象"),
            ("n", "対象外"),
            ("○", "対象"),
            ("〇", "対象"),
            ("◯", "対象"),
            ("✕", "対象外"),
            ("×", "対象外"),
        ],
        choices: false,
    },
    CodeList {
        arg: "living_support_reason",
        name: "生活援助中心型の算定理由",
        codes: &[("1", "一人暮らし"), ("2", "家族等が障害、疾病等"), ("3", "その他")],
        aliases: &[],
        choices: true,
    },
    CodeList {
        arg: "sex",
        name: "性別",
        codes: &[("1", "男"), ("2", "女")],
        aliases: &[("男性", "男"), ("女性", "女")],
        choices: true,
    },
    CodeList {
        arg: "weekday",
        name: "曜日",
        codes: &[("1", "月"), ("2", "火"), ("3", "水"), ("4", "木"), ("5", "金"), ("6", "土"), ("7", "日")],
        aliases: &[
            ("月曜", "月"),
            ("月曜日", "月"),
            ("火曜", "火"),
            ("火曜日", "火"),
            ("水曜", "水"),
            ("水曜日", "水"),
            ("木曜", "木"),
            ("木曜日", "木"),
            ("金曜", "金"),
            ("金曜日", "金"),
            ("土曜", "土"),
            ("土曜日", "土"),
            ("日曜", "日"),
            ("日曜日", "日"),
        ],
        choices: true,
    },
];

const CODE_EXAMPLES: &[Example] = &[
    ok_arg("plan_kind", "11", "初回"),
    ok_arg("plan_kind", "５４", "初回・紹介・継続"),
    ok_arg("plan_kind", "初回＆紹介", "初回・紹介"),
    ok_arg("plan_kind", "紹介&初回", "初回・紹介"),
    ok_arg("plan_kind", "■初回 □紹介 ■継続", "初回・継続"),
    ok_arg("plan_kind", "○初回 紹介 継続", "初回"),
    ok_arg("plan_kind", "", ""),
    err_arg("plan_kind", "99", "計画書区分のコード「99」は定義されていません（11 初回, 12 紹介,"),
    ok_arg("cert_status", "2", "認定済"),
    ok_arg("cert_status", "認定済み", "認定済"),
    ok_arg("cert_status", "○申請中・認定済", "申請中"),
    err_arg("cert_status", "■申請中 ■認定済", "認定状況区分のコード"),
    err_arg("cert_status", "3", "1 申請中, 2 認定済"),
    ok_arg("care_level", "22", "要介護2"),
    ok_arg("care_level", "要介護２", "要介護2"),
    ok_arg("care_level", "#serial:6", "事業対象者"),
    err_arg("care_level", "26", "要介護状態区分のコード「26」"),
    ok_arg("insured", "Y", "対象"),
    ok_arg("insured", "N", "対象外"),
    ok_arg("insured", "○", "対象"),
    ok_arg("insured", "○○", "対象"),
    ok_arg("insured", "×", "対象外"),
    ok_arg("insured", "対象外", "対象外"),
    ok_arg("insured", "", ""),
    err_arg("insured", "済", "保険対象区分のコード「済」"),
    ok_arg("living_support_reason", "1", "一人暮らし"),
    ok_arg("living_support_reason", "家族等が障害，疾病等", "家族等が障害、疾病等"),
    ok_arg("living_support_reason", "1.一人暮らし ○2.家族等が障害、疾病等 3.その他", "家族等が障害、疾病等"),
    ok_arg("living_support_reason", "３．その他", "その他"),
    err_arg("living_support_reason", "4", "生活援助中心型の算定理由のコード「4」"),
    err_arg("living_support_reason", "1.その他", "生活援助中心型の算定理由"),
    ok_arg("sex", "1", "男"),
    ok_arg("sex", "女性", "女"),
    ok_arg("sex", "#serial:2", "女"),
    err_arg("sex", "3", "性別のコード「3」は定義されていません（1 男, 2 女）"),
    ok_arg("weekday", "1", "月"),
    ok_arg("weekday", "水曜日", "水"),
    ok_arg("weekday", "７", "日"),
    ok_arg("weekday", "土曜", "土"),
    err_arg("weekday", "8", "曜日のコード「8」"),
];

const CHOICE_EXAMPLES: &[Example] = &[
    ok_arg("plan_kind", "初回・紹介・【継続】", "継続"),
    ok_arg("plan_kind", "初回・〇紹介・継続", "紹介"),
    ok_arg("plan_kind", "□初回 □紹介 ■継続", "継続"),
    ok_arg("plan_kind", "☐ 初回 ☐ 紹介 ☑ 継続", "継続"),
    ok_arg("plan_kind", "ﾚ 継続", "継続"),
    ok_arg("plan_kind", "継続", "継続"),
    ok_arg("plan_kind", "21", "継続"),
    err_arg("plan_kind", "初回・紹介・継続", "印が読めません"),
    err_arg("plan_kind", "初回　・　紹介　・　継続", "印が読めません"),
    ok_arg("cert_status", "【認定済】・申請中", "認定済"),
    ok_arg("cert_status", "○認定済・申請中", "認定済"),
    err_arg("cert_status", "認定済・申請中", "印が読めません"),
    ok_arg("care_level", "要介護１・【要介護２】・要介護３・要介護４・要介護５", "要介護2"),
    ok_arg("care_level", "○要介護１ ●要介護２ ○要介護３", "要介護2"),
    err_arg("care_level", "要介護１　・　要介護２　・　要介護３", "印が読めません"),
    ok_arg(
        "living_support_reason",
        "１．一人暮らし　○２．家族等が障害、疾病等　３．その他（　　）",
        "家族等が障害、疾病等",
    ),
    ok_arg("living_support_reason", "【1.一人暮らし】・2.家族等が障害、疾病等・3.その他（　）", "一人暮らし"),
    ok_arg("living_support_reason", "①一人暮らし　2．家族等が障害、疾病等　3．その他", "一人暮らし"),
    ok_arg("living_support_reason", "○3.その他（家族が遠方に住む）", "その他"),
    ok_arg("living_support_reason", "3. その他（家族が遠方に住む）", "その他"),
    ok_arg("living_support_reason", "一人暮らし", "一人暮らし"),
    err_arg(
        "living_support_reason",
        "１．一人暮らし　２．家族等が障害、疾病等　３．その他（　　　）",
        "印が読めません",
    ),
    ok_arg("plan_kind", "", ""),
];

/// A choice group of a form: the items marked, or — without marks — the one
/// item written (the others deleted, or the value typed beside the printed
/// group). A printed group without marks (a circle drawn as a shape, which a
/// cell reader cannot see) is unreadable, never "all of them".
fn choice(v: Value, arg: Option<&str>, ctx: &Context) -> Result<Value, TransformError> {
    let list = arg.and_then(find_list).ok_or_else(|| {
        TransformError::new(format!(
            "変換「choice」には引数 {} のどれかが必要です（例: choice:plan_kind）",
            LIST_NAMES.join(" / ")
        ))
    })?;
    let text = match &v {
        Value::Text(s) => s.clone(),
        Value::Empty => return Ok(Value::Empty),
        // A number is a code (or a level 1–5).
        _ => return if list.arg == "care_level" { care_level(v, None, ctx) } else { code(v, arg, ctx) },
    };
    let h = hankaku(&text);
    let t = trim_spaces(&h);
    if t.is_empty() {
        return Ok(Value::Empty);
    }
    let options = atomic_options(list);
    let named = |s: &str| -> Vec<&'static str> {
        let key = label_key(s);
        let mut found: Vec<&'static str> = options.iter().copied().filter(|o| key.contains(&label_key(o))).collect();
        // 要介護1 inside 要介護1 and 要支援1: the longest names win.
        found.retain(|o| {
            !options.iter().any(|p| p != o && p.len() > o.len() && p.contains(o) && key.contains(&label_key(p)))
        });
        found
    };
    let unreadable = || {
        TransformError::unreadable(format!(
            "{}の選択の印が読めません（{}）。図形で描いた○はセルの値ではないため読み取れません。選んだものに【】や○を付けるか、選んだものだけを残してください",
            list.name,
            quoted(trim_spaces(&text))
        ))
    };
    match selection(t) {
        Selection::Marked(chosen) if chosen.is_empty() => Ok(Value::Empty),
        Selection::Marked(chosen) => {
            let mut labels: Vec<&'static str> = Vec::new();
            for item in &chosen {
                match named(item).as_slice() {
                    [one] => labels.push(one),
                    _ => {
                        if let Some(l) = lookup(list, item)? {
                            labels.push(l);
                        }
                    }
                }
            }
            if list.arg == "care_level" {
                return match labels.as_slice() {
                    [one] => Ok(Value::Text(normalize_care_level(one).unwrap_or(one).to_string())),
                    _ => Err(unknown_care_level(trim_spaces(&text), "印が1つでないため、どれか決められません")),
                };
            }
            let joined = labels.join("・");
            Ok(lookup(list, &joined)?.map_or(Value::Empty, |l| Value::Text(l.to_string())))
        }
        Selection::Unmarked => match named(t).as_slice() {
            [] if list.arg == "care_level" => care_level(Value::text(t), None, ctx),
            [] => Ok(lookup(list, t)?.map_or(Value::Empty, |l| Value::Text(l.to_string()))),
            [one] if list.arg == "care_level" => Ok(Value::Text(normalize_care_level(one).unwrap_or(one).to_string())),
            [one] => Ok(lookup(list, one)?.map_or(Value::Empty, |l| Value::Text(l.to_string()))),
            _ => Err(unreadable()),
        },
    }
}

/// A list's single choices (not its combinations such as 初回・紹介).
fn atomic_options(list: &CodeList) -> Vec<&'static str> {
    if list.arg == "care_level" {
        return CARE_LEVELS.iter().map(|(l, _)| *l).collect();
    }
    list.codes.iter().map(|(_, l)| *l).filter(|l| !l.contains('・')).collect()
}

fn find_list(arg: &str) -> Option<&'static CodeList> {
    LISTS.iter().find(|l| l.arg == arg)
}

fn code(v: Value, arg: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    let list = arg.and_then(find_list).ok_or_else(|| {
        TransformError::new(format!(
            "変換「code」には引数 {} のどれかが必要です（例: code:plan_kind）",
            LIST_NAMES.join(" / ")
        ))
    })?;
    let text = match &v {
        Value::Empty => return Ok(Value::Empty),
        Value::Text(s) => std::borrow::Cow::Borrowed(s.as_str()),
        // A number cell has lost the leading zero of 要介護状態区分 `06`.
        Value::Number(n) => match integral(*n) {
            Some(i) if list.arg == "care_level" => format!("{i:02}").into(),
            Some(i) => i.to_string().into(),
            None => return Err(unknown_code(list, &v.display())),
        },
        other => return Err(unknown_code(list, &other.display())),
    };
    Ok(lookup(list, &text)?.map_or(Value::Empty, |label| Value::Text(label.to_string())))
}

fn unknown_code(list: &CodeList, found: &str) -> TransformError {
    let valid: Vec<String> = list.codes.iter().map(|(c, l)| format!("{c} {l}")).collect();
    TransformError::new(format!("{}のコード{}は定義されていません（{}）", list.name, quoted(found), valid.join(", ")))
}

/// The label for `text` (a code, a label, or a choice group), `None` when
/// nothing is given or nothing is chosen.
fn lookup(list: &CodeList, text: &str) -> Result<Option<&'static str>, TransformError> {
    let h = hankaku(text);
    let t = trim_spaces(&h);
    if t.is_empty() {
        return Ok(None);
    }
    if list.arg == "care_level" {
        return match selection(t) {
            Selection::Marked(chosen) if chosen.is_empty() => Ok(None),
            _ => normalize_care_level(t).map(Some).ok_or_else(|| unknown_code(list, t)),
        };
    }
    // A code as the standard CSV writes it (`1`, `21`, `Y`) is its own key.
    if t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        if let Some(label) = find_label(list, t) {
            return Ok(Some(label));
        }
    }
    let written = match selection(t) {
        Selection::Marked(chosen) if list.choices => {
            if chosen.is_empty() {
                return Ok(None);
            }
            chosen.join("・")
        }
        _ => t.to_string(),
    };
    let mut key = label_key(&written);
    if list.arg == "plan_kind" {
        key = plan_kind_key(&key);
    }
    let found = find_label(list, &key)
        .or_else(|| coded_label(list, &key))
        .or_else(|| (list.arg == "insured" && all_circles(&key)).then_some("対象"));
    found.map(Some).ok_or_else(|| unknown_code(list, trim_spaces(text)))
}

/// Compares labels regardless of spaces and of how the parts are joined
/// (`初回＆紹介`, `初回&紹介`, `初回・紹介`; `障害、疾病` and `障害,疾病`).
fn label_key(s: &str) -> String {
    hankaku(s)
        .chars()
        .filter(|&c| !is_space(c))
        .map(|c| match c {
            '&' | '、' | ',' | '､' | '･' => '・',
            _ => c,
        })
        .collect()
}

/// 計画書区分 is a set of 初回/紹介/継続, whatever order they are written in.
fn plan_kind_key(key: &str) -> String {
    const ORDER: [&str; 3] = ["初回", "紹介", "継続"];
    let words: Vec<&str> = key.split('・').collect();
    if words.iter().all(|w| ORDER.contains(w)) {
        let present: Vec<&str> = ORDER.into_iter().filter(|o| words.contains(o)).collect();
        present.join("・")
    } else {
        key.to_string()
    }
}

fn find_label(list: &CodeList, key: &str) -> Option<&'static str> {
    // The keys of every list's labels and aliases, made once.
    type Keys = Vec<(Vec<String>, Vec<String>)>;
    static KEYS: std::sync::LazyLock<Keys> = std::sync::LazyLock::new(|| {
        LISTS
            .iter()
            .map(|l| {
                (
                    l.codes.iter().map(|(_, l)| label_key(l)).collect(),
                    l.aliases.iter().map(|(a, _)| label_key(a)).collect(),
                )
            })
            .collect()
    });
    let (labels, aliases) = &KEYS[LISTS.iter().position(|l| l.arg == list.arg)?];
    list.codes
        .iter()
        .zip(labels)
        .find(|((c, _), k)| *c == key || *k == key)
        .map(|((_, l), _)| *l)
        .or_else(|| list.aliases.iter().zip(aliases).find(|(_, k)| *k == key).map(|((_, l), _)| *l))
}

/// `1.一人暮らし`, `11:初回`: a code with its label, as printed forms list
/// the choices. The label may be cut short, because `selected` splits
/// `家族等が障害、疾病等` at its 、, but it must agree with the code.
fn coded_label(list: &CodeList, key: &str) -> Option<&'static str> {
    let code_len = key.len() - key.trim_start_matches(|c: char| c.is_ascii_alphanumeric()).len();
    let (code, rest) = key.split_at(code_len);
    let rest = rest.strip_prefix(['.', ':', ')']).unwrap_or(rest);
    if code.is_empty() || rest.is_empty() {
        return None;
    }
    list.codes.iter().find(|(c, l)| *c == code && label_key(l).starts_with(rest)).map(|(_, l)| *l)
}

/// ほのぼの's 給付文字 holds one ○ per service type in the cell (formats.md §3.1).
fn all_circles(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| matches!(c, '○' | '〇' | '◯'))
}

// ---------------------------------------------------------------------------
// 要介護状態区分

/// Each level with the ways it is written (after NFKC, without spaces).
const CARE_LEVELS: &[(&str, &[&str])] = &[
    ("非該当", &["01", "非該当"]),
    ("事業対象者", &["06", "事業対象者"]),
    ("要支援1", &["12", "要支援1", "支援1"]),
    ("要支援2", &["13", "要支援2", "支援2"]),
    // A form's 要介護状態区分 written as a bare number 1–5 is the 要介護 level.
    ("要介護1", &["21", "要介護1", "介護1", "1"]),
    ("要介護2", &["22", "要介護2", "介護2", "2"]),
    ("要介護3", &["23", "要介護3", "介護3", "3"]),
    ("要介護4", &["24", "要介護4", "介護4", "4"]),
    ("要介護5", &["25", "要介護5", "介護5", "5"]),
    ("経過的要介護", &["経過的要介護"]),
];

const CARE_LEVEL_EXAMPLES: &[Example] = &[
    ok("要介護１", "要介護1"),
    ok("介護2", "要介護2"),
    ok("22", "要介護2"),
    ok("【要介護２】", "要介護2"),
    ok("■要介護２ □要介護３", "要介護2"),
    ok("【 要介護１ 】 ・ 要介護２", "要介護1"),
    ok("要介護 2", "要介護2"),
    ok("要支援１", "要支援1"),
    ok("支援2", "要支援2"),
    ok("事業対象者", "事業対象者"),
    ok("経過的要介護", "経過的要介護"),
    ok("非該当", "非該当"),
    ok("#serial:25", "要介護5"),
    ok("#serial:6", "事業対象者"),
    ok("□要介護１ □要介護２", ""),
    ok("", ""),
    err("要介護6", "要介護状態区分"),
    ok("2", "要介護2"),
    ok("#serial:3", "要介護3"),
    err("要介護１・要介護２・要介護３・要介護４・要介護５", "印が読めません"),
    err("7", "要介護状態区分"),
    err("■要介護1 ■要介護2", "1つだけ"),
    err("#serial:2.5", "要介護状態区分"),
];

/// One of 非該当, 事業対象者, 要支援1–2, 要介護1–5, 経過的要介護 for any
/// written form: code, full-width digits, `介護2`, or a choice group with
/// one item chosen. `None` when it is none of them.
pub fn normalize_care_level(s: &str) -> Option<&'static str> {
    let h = hankaku(s);
    let t = trim_spaces(&h);
    let item = match selection(t) {
        Selection::Unmarked => t.to_string(),
        Selection::Marked(mut chosen) if chosen.len() == 1 => chosen.pop()?,
        Selection::Marked(_) => return None,
    };
    let key: String = item.nfkc().filter(|&c| !is_space(c)).collect();
    CARE_LEVELS.iter().find(|(_, forms)| forms.contains(&key.as_str())).map(|(level, _)| *level)
}

fn unknown_care_level(found: &str, why: &str) -> TransformError {
    TransformError::new(format!("{}は要介護状態区分として読めません（{why}）", quoted(found)))
}

const CARE_LEVEL_HINT: &str =
    "非該当、事業対象者、要支援1・2、要介護1〜5、経過的要介護、またはコード 01・06・12・13・21〜25";

fn care_level(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    let text = match &v {
        Value::Empty => return Ok(Value::Empty),
        Value::Text(s) => std::borrow::Cow::Borrowed(s.as_str()),
        // A number cell has lost the leading zero of `06`; 1–5 on a form is
        // the 要介護 level.
        Value::Number(n) => match integral(*n) {
            Some(i) if (1..=5).contains(&i) => i.to_string().into(),
            Some(i) if i >= 0 => format!("{i:02}").into(),
            _ => return Err(unknown_care_level(&v.display(), CARE_LEVEL_HINT)),
        },
        other => return Err(unknown_care_level(&other.display(), CARE_LEVEL_HINT)),
    };
    let shown = trim_spaces(&text);
    match selection(trim_spaces(&hankaku(&text))) {
        Selection::Marked(chosen) if chosen.is_empty() => return Ok(Value::Empty),
        Selection::Marked(chosen) if chosen.len() > 1 => {
            return Err(unknown_care_level(shown, &format!("{}つに印があります。1つだけ選んでください", chosen.len())))
        }
        _ => {}
    }
    if let Some(level) = normalize_care_level(&text) {
        return Ok(Value::Text(level.to_string()));
    }
    // The printed list with no mark (a circle drawn as a shape): unreadable.
    let key: String = hankaku(&text).nfkc().filter(|&c| !is_space(c)).collect();
    let named = CARE_LEVELS.iter().filter(|(level, _)| key.contains(level)).count();
    if named >= 2 {
        return Err(TransformError::unreadable(format!(
            "要介護状態区分の選択の印が読めません（{}）。図形で描いた○はセルの値ではないため読み取れません。選んだものに【】や○を付けるか、選んだものだけを残してください",
            quoted(shown)
        )));
    }
    Err(unknown_care_level(shown, CARE_LEVEL_HINT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_argument_has_a_list() {
        let args: Vec<&str> = LISTS.iter().map(|l| l.arg).collect();
        assert_eq!(args, LIST_NAMES);
    }

    #[test]
    fn care_level_codes_agree_with_the_normaliser() {
        for (code, label) in CARE_LEVEL_CODES {
            assert_eq!(normalize_care_level(code), Some(*label));
            assert_eq!(normalize_care_level(label), Some(*label));
        }
    }

    #[test]
    fn normalize_care_level_edge_cases() {
        assert_eq!(normalize_care_level("  要介護５　"), Some("要介護5"));
        assert_eq!(normalize_care_level("■要介護1 ■要介護2"), None);
        assert_eq!(normalize_care_level("□要介護1"), None);
        assert_eq!(normalize_care_level("要介護"), None);
        assert_eq!(normalize_care_level(""), None);
        assert_eq!(normalize_care_level("6"), None);
    }

    #[test]
    fn every_label_reads_back() {
        for list in LISTS {
            for (code, label) in list.codes {
                assert_eq!(lookup(list, code), Ok(Some(*label)), "{} {code}", list.arg);
                assert_eq!(lookup(list, label), Ok(Some(*label)), "{} {label}", list.arg);
            }
            for (alias, label) in list.aliases {
                assert_eq!(lookup(list, alias), Ok(Some(*label)), "{} {alias}", list.arg);
            }
        }
    }

    #[test]
    fn code_needs_a_known_list() {
        let ctx = Context::default();
        let e = code(Value::text("11"), None, &ctx).expect_err("no list");
        assert!(e.message.contains("plan_kind"));
        let e = code(Value::text("11"), Some("nope"), &ctx).expect_err("unknown list");
        assert!(e.message.contains("code:plan_kind"));
        let e = code(Value::Bool(true), Some("sex"), &ctx).expect_err("bool");
        assert!(e.message.contains("性別"));
        let e = code(Value::Number(1.5), Some("sex"), &ctx).expect_err("fraction");
        assert!(e.message.contains("性別"));
    }

    #[test]
    fn insured_reads_marks_as_values() {
        let list = find_list("insured").expect("list");
        assert_eq!(lookup(list, "〇〇"), Ok(Some("対象")));
        assert!(lookup(list, "○×").is_err());
        assert_eq!(lookup(list, "　"), Ok(None));
    }

    #[test]
    fn plan_kind_words_are_a_set() {
        assert_eq!(plan_kind_key("継続・初回"), "初回・継続");
        assert_eq!(plan_kind_key("初回・初回"), "初回");
        assert_eq!(plan_kind_key("初回・ほか"), "初回・ほか");
    }
}
