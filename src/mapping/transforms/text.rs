//! One cohesive thing (kept in one file on purpose): the text transforms,
//! each with the examples that run as its tests.
//!
//! Text transforms: spaces, character width, honorifics, selection marks and
//! the 本人/家族 split of 第1表.
//!
//! Also the helpers the other transform files share (width conversion, space
//! trimming, reading selection marks, quoting a value in a message), so each
//! rule lives in one place.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::{ArgSpec, Context, Example, Transform, TransformError};
use crate::mapping::value::Value;

pub(super) const IDEOGRAPHIC_SPACE: char = '\u{3000}';

/// ASCII whitespace or the ideographic space U+3000, which Japanese forms use
/// for padding as often as the ASCII space.
pub(crate) fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == IDEOGRAPHIC_SPACE
}

// The CSV fast path trims every mapped text value with it: a value whose
// ends are neither ASCII white space nor a byte of U+3000 (E3 80 80) is
// returned at once.
#[inline]
pub(crate) fn trim_spaces(s: &str) -> &str {
    // May an end byte be (part of) a space to trim?
    let (may_start, may_end) =
        (|b: u8| b.is_ascii_whitespace() || b == 0xE3, |b: u8| b.is_ascii_whitespace() || b == 0x80);
    match s.as_bytes() {
        [] => s,
        [first, .., last] | [first @ last] if !may_start(*first) && !may_end(*last) => s,
        _ => s.trim_matches(is_space),
    }
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII and U+3000 to a space. Katakana
/// is left alone: only `nfkc` may change it, because displayed names keep
/// the width they were written in.
/// Borrowed when there is nothing to change (a code, most dates).
pub(crate) fn hankaku(s: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | IDEOGRAPHIC_SPACE);
    // Both are three bytes in UTF-8: an ASCII text has neither.
    if s.is_ascii() || !s.chars().any(wide) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            IDEOGRAPHIC_SPACE => ' ',
            _ => c,
        })
        .collect::<String>()
        .into()
}

/// `s` in 「」 for an error message, shortened so that a long free-text cell
/// does not drown the message.
pub(super) fn quoted(s: &str) -> String {
    const MAX_CHARS: usize = 30;
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        format!("「{head}…」")
    } else {
        format!("「{head}」")
    }
}

/// The integer an Excel number cell holds, if it holds one. The bound keeps
/// the conversion exact (f64 has 53 bits of mantissa).
pub(super) fn integral(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.is_finite() && n.fract() == 0.0 && n.abs() <= EXACT {
        Some(n as i64)
    } else {
        None
    }
}

/// The text of a value where a text is needed: numbers become their display
/// text (an Excel number cell holding a code), other kinds have none.
pub(super) fn as_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Text(s) => Some(Cow::Borrowed(s)),
        Value::Number(_) => Some(Cow::Owned(v.display())),
        _ => None,
    }
}

pub(super) const fn ok(input: &'static str, want: &'static str) -> Example {
    Example { input, arg: None, expected: Ok(want) }
}

pub(super) const fn err(input: &'static str, fragment: &'static str) -> Example {
    Example { input, arg: None, expected: Err(fragment) }
}

pub(super) const fn ok_arg(arg: &'static str, input: &'static str, want: &'static str) -> Example {
    Example { input, arg: Some(arg), expected: Ok(want) }
}

pub(super) const fn err_arg(arg: &'static str, input: &'static str, fragment: &'static str) -> Example {
    Example { input, arg: Some(arg), expected: Err(fragment) }
}

// ---------------------------------------------------------------------------
// Selection marks

/// Marks that say "this item is chosen" whatever else the group holds. ◆
/// and ☒ are the filled partners of the unselected ◇ and ☐.
const FILLED_MARKS: &[char] = &['■', '●', '◉', '☑', '☒', '✓', '✔', '◆'];
/// Circles: "chosen" (○継続) — unless the group also has filled marks, where
/// ○ is the unchosen partner of ● (○要介護１ ●要介護２).
const CIRCLES: &[char] = &['○', '〇', '◯'];
const UNSELECTED_MARKS: &[char] = &['□', '☐', '◇'];
/// A check written as its own token before the item (`ﾚ 継続`, the レ cells
/// of some office templates).
const CHECK_TOKENS: &[&str] = &["レ", "ﾚ", "✓", "✔"];

fn is_item_separator(c: char) -> bool {
    is_space(c) || matches!(c, '・' | '/' | '／' | '、' | '｜' | '|')
}

/// What a choice group such as `□自立 □J1 ■A1` says.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Selection {
    /// No mark at all: the text is a plain value, not a choice group.
    Unmarked,
    /// Marks were found; these are the chosen items in written order
    /// (empty when every item is unmarked).
    Marked(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Filled,
    Circle,
    Empty,
    Bracket,
    /// A circled number among plain numbers (①一人暮らし　2.家族…).
    Circled,
}

/// ①–⑨ as the digit they circle.
fn circled_digit(c: char) -> Option<char> {
    let n = (c as u32).checked_sub('①' as u32)?;
    (n < 9).then(|| char::from_digit(n + 1, 10)).flatten()
}

/// Reads the choices of a group. Used by `selected`, `choice`, `care_level`
/// and the code lists, so every choice group is read the same way.
pub(super) fn selection(s: &str) -> Selection {
    // Every mark and bracket is outside ASCII: a code as the standard CSV
    // writes it (`1`, `03`) has none.
    if s.is_ascii() {
        return Selection::Unmarked;
    }
    let mut items: Vec<(Option<Mark>, String)> = Vec::new();
    // A mark written apart from its item (`■ 要介護２`, `ﾚ 継続`).
    let mut pending: Option<Mark> = None;
    let push = |token: &str, items: &mut Vec<(Option<Mark>, String)>, pending: &mut Option<Mark>| {
        let token = trim_spaces(token);
        let Some(first) = token.chars().next() else { return };
        let mark = if FILLED_MARKS.contains(&first) || CHECK_TOKENS.contains(&token) {
            Some(Mark::Filled)
        } else if CIRCLES.contains(&first) {
            Some(Mark::Circle)
        } else if UNSELECTED_MARKS.contains(&first) {
            Some(Mark::Empty)
        } else {
            None
        };
        match mark {
            Some(m) => {
                let item = if CHECK_TOKENS.contains(&token) { "" } else { trim_spaces(&token[first.len_utf8()..]) };
                if item.is_empty() {
                    *pending = Some(m);
                } else {
                    items.push((Some(m), item.to_string()));
                    *pending = None;
                }
            }
            None => {
                let m = pending.take().or_else(|| circled_digit(first).map(|_| Mark::Circled));
                items.push((m, token.to_string()));
            }
        }
    };
    let mut token = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if c == '【' {
            // A bracket marks its whole content as chosen, spaces included
            // (`【 要介護１ 】`). An unclosed bracket is ordinary text.
            if let Some(close) = after.find('】') {
                push(&std::mem::take(&mut token), &mut items, &mut pending);
                pending = None;
                items.push((Some(Mark::Bracket), trim_spaces(&after[..close]).to_string()));
                rest = &after[close + '】'.len_utf8()..];
                continue;
            }
        }
        if is_item_separator(c) {
            push(&std::mem::take(&mut token), &mut items, &mut pending);
        } else {
            token.push(c);
        }
        rest = after;
    }
    push(&token, &mut items, &mut pending);
    if pending.is_some() {
        // A mark with nothing after it (`■`) still says the group is marked.
        items.push((pending, String::new()));
    }
    let has = |m: Mark| items.iter().any(|(k, _)| *k == Some(m));
    let chosen_by = |marks: &[Mark]| -> Vec<String> {
        items
            .iter()
            .filter(|(k, t)| k.is_some_and(|k| marks.contains(&k)) && !t.is_empty())
            .map(|(k, t)| match k {
                // ①一人暮らし reads as 1一人暮らし, as its plain siblings do.
                Some(Mark::Circled) => {
                    let mut c = t.chars();
                    let d = c.next().and_then(circled_digit).unwrap_or('0');
                    format!("{d}{}", c.as_str())
                }
                _ => t.clone(),
            })
            .collect()
    };
    // Filled marks decide when they are there: ○ then means "not chosen".
    if has(Mark::Filled) {
        return Selection::Marked(chosen_by(&[Mark::Filled, Mark::Bracket]));
    }
    if has(Mark::Circle) || has(Mark::Bracket) {
        return Selection::Marked(chosen_by(&[Mark::Circle, Mark::Bracket]));
    }
    // Circled numbers mark a choice only among plain numbers.
    let plain_numbers = items.iter().any(|(k, t)| k.is_none() && t.starts_with(|c: char| c.is_ascii_digit()));
    if has(Mark::Circled) && plain_numbers {
        return Selection::Marked(chosen_by(&[Mark::Circled]));
    }
    if has(Mark::Empty) {
        return Selection::Marked(Vec::new());
    }
    Selection::Unmarked
}

// ---------------------------------------------------------------------------
// Transforms

pub(super) fn transforms() -> Vec<Transform> {
    vec![
        Transform {
            name: "trim",
            summary: "前後の空白（半角・全角）を取り除く",
            args: ArgSpec::None,
            examples: TRIM_EXAMPLES,
            apply: trim,
        },
        Transform {
            name: "unpad",
            summary: "全角空白の連続（ほのぼのの折り返し）を改行に戻し、前後の空白を取り除く",
            args: ArgSpec::None,
            examples: UNPAD_EXAMPLES,
            apply: unpad,
        },
        Transform {
            name: "hankaku",
            summary: "全角英数字・記号と全角空白を半角にする（カタカナはそのまま）",
            args: ArgSpec::None,
            examples: HANKAKU_EXAMPLES,
            apply: hankaku_transform,
        },
        Transform {
            name: "nfkc",
            summary: "Unicode NFKC 正規化（半角カナ→全角、全角数字→半角）。番号・見出し向け",
            args: ArgSpec::None,
            examples: NFKC_EXAMPLES,
            apply: nfkc,
        },
        Transform {
            name: "strip_honorific",
            summary: "末尾の「殿」「様」を取り除く（利用者名）",
            args: ArgSpec::None,
            examples: STRIP_HONORIFIC_EXAMPLES,
            apply: strip_honorific,
        },
        Transform {
            name: "integer",
            summary: "整数にする（全角数字・桁区切り・▲や－の負号を読む）",
            args: ArgSpec::None,
            examples: INTEGER_EXAMPLES,
            apply: integer,
        },
        Transform {
            name: "id",
            summary: "保険者番号・被保険者番号・事業所番号などの番号（先頭の0を残す、英数字のみ）",
            args: ArgSpec::None,
            examples: ID_EXAMPLES,
            apply: id,
        },
        Transform {
            name: "selected",
            summary: "■・○・【】などの印が付いた選択肢を取り出す（複数は「・」でつなぐ）",
            args: ArgSpec::None,
            examples: SELECTED_EXAMPLES,
            apply: selected,
        },
        Transform {
            name: "parenthesized",
            summary: "最後の（　）の中の文を取り出す（「3. その他（家族が遠方に住む）」→「家族が遠方に住む」）。空の（　）なら空",
            args: ArgSpec::None,
            examples: PARENTHESIZED_EXAMPLES,
            apply: parenthesized,
        },
        Transform {
            name: "office_part",
            summary: "「事業所名及び所在地」の欄を名前（name）と所在地（address）に分ける（空白・改行の後の〒・郵便番号・都道府県から所在地）",
            args: ArgSpec::OneOf(&["name", "address"]),
            examples: OFFICE_PART_EXAMPLES,
            apply: office_part,
        },
        Transform {
            name: "intentions",
            summary: "課題分析の文を【本人の意向】【家族の意向】などで本人・家族・その他に分ける",
            args: ArgSpec::None,
            examples: INTENTIONS_EXAMPLES,
            apply: intentions,
        },
    ]
}

/// Applies `f` to text; any other kind of value passes unchanged, so a text
/// transform placed before `date` or `integer` does not spoil a number cell.
fn on_text(v: Value, f: impl FnOnce(&str) -> String) -> Result<Value, TransformError> {
    match v {
        Value::Text(s) => Ok(Value::text(f(&s))),
        other => Ok(other),
    }
}

const TRIM_EXAMPLES: &[Example] = &[
    ok("  山田　花子　", "山田　花子"),
    ok("\u{3000}\u{3000}", ""),
    ok(" 要介護１\t", "要介護１"),
    ok("#serial:12", "12"),
];

fn trim(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    on_text(v, |s| trim_spaces(s).to_string())
}

const UNPAD_EXAMPLES: &[Example] = &[
    ok(
        "\u{3000}朝は自分で起きたい。\u{3000}\u{3000}\u{3000}転ばないでほしい。",
        "朝は自分で起きたい。\n転ばないでほしい。",
    ),
    ok("デイで　入浴する", "デイで　入浴する"),
    ok("一行目\u{3000} \u{3000}二行目\u{3000}\u{3000}", "一行目\n二行目"),
    ok("改行あり\u{3000}\u{3000}\n次の行", "改行あり\n次の行"),
    ok("\u{3000}\u{3000}\u{3000}", ""),
];

fn unpad(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    on_text(v, unpad_text)
}

/// ほのぼの lays free text out to the form width by padding each wrapped
/// line with U+3000 (formats.md §3.1 item 5); a single U+3000 is an ordinary
/// space the writer typed, so only runs of two or more become line breaks.
fn unpad_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let mut wide = 0usize;
    for c in s.chars() {
        if c == ' ' || c == IDEOGRAPHIC_SPACE {
            run.push(c);
            if c == IDEOGRAPHIC_SPACE {
                wide += 1;
            }
            continue;
        }
        if wide >= 2 {
            // Padding next to a real line break is only padding; a second
            // break would add an empty line the writer never made.
            let at_break = out.ends_with('\n') || out.ends_with('\r') || c == '\n' || c == '\r';
            if !at_break {
                out.push('\n');
            }
        } else {
            out.push_str(&run);
        }
        run.clear();
        wide = 0;
        out.push(c);
    }
    trim_spaces(&out).to_string()
}

const HANKAKU_EXAMPLES: &[Example] = &[
    ok("０１２３ＡＢＣａｂｃ", "0123ABCabc"),
    ok("１回／月", "1回/月"),
    ok("ケアプラン　Ａ", "ケアプラン A"),
    ok("ｻｰﾋﾞｽ", "ｻｰﾋﾞｽ"),
];

fn hankaku_transform(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    on_text(v, |s| hankaku(s).into_owned())
}

const NFKC_EXAMPLES: &[Example] =
    &[ok("ｻｰﾋﾞｽ", "サービス"), ok("要介護１", "要介護1"), ok("ケアプランＡｂｃ", "ケアプランAbc"), ok("①", "1")];

fn nfkc(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    on_text(v, |s| s.nfkc().collect())
}

const STRIP_HONORIFIC_EXAMPLES: &[Example] = &[
    ok("山田　花子　殿", "山田　花子"),
    ok("山田花子様", "山田花子"),
    ok(" 山田 花子 様 ", "山田 花子"),
    ok("山田　花子", "山田　花子"),
    ok("殿", ""),
];

fn strip_honorific(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    on_text(v, |s| {
        let t = trim_spaces(s);
        let t = t.strip_suffix('殿').or_else(|| t.strip_suffix('様')).unwrap_or(t);
        trim_spaces(t).to_string()
    })
}

const INTEGER_EXAMPLES: &[Example] = &[
    ok("１，２００", "1200"),
    ok(" 1,200 ", "1200"),
    ok("▲47", "-47"),
    ok("−47", "-47"),
    ok("－47", "-47"),
    ok("-47", "-47"),
    ok("100.00", "100"),
    ok("", ""),
    ok("#serial:36217", "36217"),
    err("#serial:1.5", "整数ではありません"),
    err("12.5", "整数ではありません"),
    err("約10", "整数ではありません"),
    err("-", "整数ではありません"),
];

fn integer(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    match v {
        Value::Empty => Ok(Value::Empty),
        Value::Number(n) => match integral(n) {
            Some(_) => Ok(Value::Number(n)),
            None => Err(not_integer(&v.display())),
        },
        Value::Text(s) => Ok(parse_integer(&s)?.map_or(Value::Empty, |n| Value::Number(n as f64))),
        other => Err(not_integer(&other.display())),
    }
}

fn not_integer(found: &str) -> TransformError {
    TransformError::new(format!("{}は整数ではありません（例: 1200、1,200、-47、▲47）", quoted(found)))
}

/// Whole numbers as forms write them: full-width digits, thousands commas,
/// and a negative sign as `-`, `−`, `－` or the accounting `▲`/`△`.
fn parse_integer(s: &str) -> Result<Option<i64>, TransformError> {
    let h = hankaku(s);
    let cleaned: String = h.chars().filter(|&c| !is_space(c) && c != ',').collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let (negative, unsigned) = match cleaned.chars().next() {
        Some(c @ ('-' | '−' | '▲' | '△')) => (true, &cleaned[c.len_utf8()..]),
        Some('+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    // `100.00` is integral; a cell formatted with decimals writes it so.
    let digits = match unsigned.split_once('.') {
        Some((whole, frac)) if frac.bytes().all(|b| b == b'0') => whole,
        Some(_) => return Err(not_integer(trim_spaces(s))),
        None => unsigned,
    };
    // Fifteen digits keep the value exact as an f64.
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_integer(trim_spaces(s)));
    }
    let n: i64 = digits.parse().map_err(|_| not_integer(trim_spaces(s)))?;
    Ok(Some(if negative { -n } else { n }))
}

const ID_EXAMPLES: &[Example] = &[
    ok("０１２３４５", "012345"),
    ok(" 0300000100 ", "0300000100"),
    ok("H123456789", "H123456789"),
    ok("#serial:131045", "131045"),
    ok("", ""),
    err("0300-000100", "番号に使えない文字"),
    err("03 0000 0100", "番号に使えない文字"),
    err("#serial:12.5", "番号"),
];

fn id(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    match &v {
        Value::Empty => Ok(Value::Empty),
        // An Excel number cell has already lost any leading zero; the digits
        // it kept are still the number.
        Value::Number(n) => match integral(*n) {
            Some(i) if i >= 0 => Ok(Value::Text(i.to_string())),
            _ => Err(TransformError::new(format!(
                "{}は番号として読めません（0以上の整数か英数字が必要です）",
                quoted(&v.display())
            ))),
        },
        Value::Text(s) => {
            let h = hankaku(s);
            let t = trim_spaces(&h);
            match t.chars().find(|c| !c.is_ascii_alphanumeric()) {
                None => Ok(Value::text(t)),
                Some(c) => {
                    let shown = if c == ' ' { "（空白）".to_string() } else { format!("「{c}」") };
                    Err(TransformError::new(format!(
                        "{}に番号に使えない文字{shown}があります（使えるのは英数字だけです）",
                        quoted(trim_spaces(s))
                    )))
                }
            }
        }
        other => Err(TransformError::new(format!(
            "{}は番号として読めません（英数字の番号が必要です）",
            quoted(&other.display())
        ))),
    }
}

const SELECTED_EXAMPLES: &[Example] = &[
    ok("□自立 □J1 ■A1 □A2", "A1"),
    ok("【 要介護１ 】 ・ 要介護２", "要介護１"),
    ok("○初回 紹介 継続", "初回"),
    ok("初回・〇紹介・継続", "紹介"),
    ok("■初回 ■紹介 □継続", "初回・紹介"),
    ok("■ 認定済　□ 申請中", "認定済"),
    ok("☑一人暮らし／☐その他", "一人暮らし"),
    ok(" 要介護２ ", "要介護２"),
    ok("□初回 □紹介 □継続", ""),
];

fn selected(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    on_text(v, |s| match selection(s) {
        Selection::Unmarked => trim_spaces(s).to_string(),
        Selection::Marked(chosen) => chosen.join("・"),
    })
}

const OFFICE_PART_EXAMPLES: &[Example] = &[
    ok_arg("name", "見本居宅介護支援事業所\u{3000}東京都架空区見本町4-5-6", "見本居宅介護支援事業所"),
    ok_arg("address", "見本居宅介護支援事業所\u{3000}東京都架空区見本町4-5-6", "東京都架空区見本町4-5-6"),
    ok_arg("name", "ケアプランさくら\n〒100-0001 架空市見本町1-1", "ケアプランさくら"),
    ok_arg("address", "ケアプランさくら\n〒100-0001 架空市見本町1-1", "〒100-0001 架空市見本町1-1"),
    ok_arg("name", "居宅介護支援あおば １２３－４５６７ 架空市中央1-2", "居宅介護支援あおば"),
    ok_arg("address", "居宅介護支援あおば １２３－４５６７ 架空市中央1-2", "１２３－４５６７ 架空市中央1-2"),
    // A space inside the name is no address.
    ok_arg("name", "ケアプラン\u{3000}さくら", "ケアプラン\u{3000}さくら"),
    ok_arg("address", "ケアプラン\u{3000}さくら", ""),
    // An address alone, and an address written with no space before it.
    ok_arg("address", "北海道架空郡見本町1-2", "北海道架空郡見本町1-2"),
    ok_arg("name", "見本事業所東京都架空区1-2", "見本事業所東京都架空区1-2"),
    // A name that begins with a 都道府県 is no address.
    ok_arg(
        "name",
        "社会福祉法人\u{3000}東京都社会福祉協議会\u{3000}居宅介護支援事業所",
        "社会福祉法人\u{3000}東京都社会福祉協議会\u{3000}居宅介護支援事業所",
    ),
    ok_arg("address", "社会福祉法人\u{3000}東京都社会福祉協議会\u{3000}居宅介護支援事業所", ""),
];

/// The 47 都道府県: an address begins with one (or with 〒 or a postal code).
const PREFECTURES: &[&str] = &[
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// Whether a text begins as an address does: 〒, a postal code (３桁-４桁,
/// the hyphen optional, digits of either width) or a 都道府県.
fn begins_address(s: &str) -> bool {
    static POSTAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new("^(〒|[0-9０-９]{3}[-－ー−‐]?[0-9０-９]{4})").expect("postal code pattern")
    });
    // A name may begin with a 都道府県 too (「東京都社会福祉協議会」): an
    // address after one has a number (番地, 丁目, 号) on its line.
    static NUMBERED: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new("[0-9０-９]|丁目|番|号").expect("number pattern"));
    POSTAL.is_match(s)
        || (PREFECTURES.iter().any(|p| s.starts_with(p)) && NUMBERED.is_match(s.lines().next().unwrap_or("")))
}

/// A 「事業所名及び所在地」 cell split where the address starts: after white
/// space (a space, U+3000 or a line break) at something [`begins_address`].
fn split_office(s: &str) -> Option<(&str, &str)> {
    let mut after_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            after_space = true;
            continue;
        }
        if after_space && begins_address(&s[i..]) {
            let name = s[..i].trim_end_matches(char::is_whitespace);
            if !name.is_empty() {
                return Some((name, &s[i..]));
            }
        }
        after_space = false;
    }
    None
}

/// `office_part:name` — the name of an office from a cell that may hold its
/// address too (the whole cell when it does not); `office_part:address` —
/// the address after the name, or the whole cell when it is an address
/// alone, else nothing (the cell held the name only).
fn office_part(v: Value, arg: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    let Some(s) = as_text(&v) else { return Ok(v) };
    let s = trim_spaces(&s);
    let split = split_office(s);
    Ok(match (arg, split) {
        (Some("address"), Some((_, address))) => Value::text(address.trim_end().to_string()),
        (Some("address"), None) if begins_address(s) => Value::text(s.to_string()),
        (Some("address"), None) => Value::Empty,
        (_, Some((name, _))) => Value::text(name.to_string()),
        (_, None) => Value::text(s.to_string()),
    })
}

const PARENTHESIZED_EXAMPLES: &[Example] = &[
    ok("3. その他（家族が遠方に住む）", "家族が遠方に住む"),
    ok("１．一人暮らし　２．家族等が障害、疾病等　３．その他（　　　　）", ""),
    ok("○3.その他(日中独居)", "日中独居"),
    ok("一人暮らし", ""),
];

fn parenthesized(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    let Some(s) = as_text(&v) else { return Ok(Value::Empty) };
    let t = s.trim_end();
    let inner = t.strip_suffix(['）', ')']).and_then(|body| {
        body.rfind(['（', '(']).map(|i| &body[i + body[i..].chars().next().map_or(1, char::len_utf8)..])
    });
    Ok(match inner.map(trim_spaces) {
        Some(x) if !x.is_empty() => Value::text(x),
        _ => Value::Empty,
    })
}

// ---------------------------------------------------------------------------
// 本人・家族の意向

const INTENTIONS_EXAMPLES: &[Example] = &[
    ok(
        "【本人の意向】朝は自分で起きたい【家族の意向】転ばないでほしい",
        "text=【本人の意向】朝は自分で起きたい【家族の意向】転ばないでほしい|person=朝は自分で起きたい|family=転ばないでほしい",
    ),
    ok(
        "【 ご本人 】 家で暮らしたい\n【ご家族】 見守りたい\n【課題分析の結果】 転倒の危険",
        "text=【 ご本人 】 家で暮らしたい\n【ご家族】 見守りたい\n【課題分析の結果】 転倒の危険|person=家で暮らしたい|family=見守りたい|rest=【課題分析の結果】 転倒の危険",
    ),
    ok(
        "妻:夫にはできるだけ家にいてほしい。\n本人:妻に迷惑をかけたくない。",
        "text=妻:夫にはできるだけ家にいてほしい。\n本人:妻に迷惑をかけたくない。|person=妻に迷惑をかけたくない。|family=夫にはできるだけ家にいてほしい。",
    ),
    ok(
        "本人：家で暮らしたい\u{3000}\u{3000}\u{3000}家族（長男）：見守りたい",
        "text=本人：家で暮らしたい\u{3000}\u{3000}\u{3000}家族（長男）：見守りたい|person=家で暮らしたい|family=見守りたい",
    ),
    ok(
        "ご本人『また畑に出たい』\nご長男『無理はさせたくない』",
        "text=ご本人『また畑に出たい』\nご長男『無理はさせたくない』|person=『また畑に出たい』|family=『無理はさせたくない』",
    ),
    ok(
        "本人・家族ともに自宅での生活を希望している。",
        "text=本人・家族ともに自宅での生活を希望している。|rest=自宅での生活を希望している。",
    ),
    ok("本人は「家がいい」と話す。", "text=本人は「家がいい」と話す。|person=本人は「家がいい」と話す。"),
    ok("住み慣れた家で暮らしたい。", "text=住み慣れた家で暮らしたい。|rest=住み慣れた家で暮らしたい。"),
    ok("【本人の意向】\u{3000}", "text=【本人の意向】\u{3000}"),
];

/// Splits the 意向 by the speakers people write (本人／ご本人／利用者,
/// 家族／長男／妻／長男の妻…, with ：, :, ）, →, 『』, 【…】, …より, 「Xは…
/// と話す」, a speaker after the words) with [`crate::model::speakers`] and
/// the built-in words of `mappings/lsw.toml`. Parts: `text` (the whole cell
/// as written), `person`, `family` (each speaker's words as written, one
/// per line, in order) and `rest` (words said together or by nobody named).
fn intentions(v: Value, _: Option<&str>, _: &Context) -> Result<Value, TransformError> {
    use crate::model::speakers::{split_intentions, Speaker, Speakers};
    let text = match as_text(&v) {
        Some(t) => t.into_owned(),
        None => return Ok(v),
    };
    if trim_spaces(&text).is_empty() {
        return Ok(Value::Empty);
    }
    let (mut person, mut family, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for said in split_intentions(Speakers::builtin(), &text) {
        match said.speaker {
            Speaker::Person => person.push(said.text),
            Speaker::Family(_) => family.push(said.text),
            Speaker::Shared | Speaker::Unassigned => rest.push(said.text),
        }
    }
    let mut parts = vec![("text".to_string(), text.clone())];
    parts.extend(
        [("person", person), ("family", family), ("rest", rest)]
            .into_iter()
            .filter(|(_, pieces)| !pieces.is_empty())
            .map(|(name, pieces)| (name.to_string(), pieces.join("\n"))),
    );
    Ok(Value::Parts(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(Value, Option<&str>, &Context) -> Result<Value, TransformError>, v: Value) -> Value {
        f(v, None, &Context::default()).expect("transform failed")
    }

    #[test]
    fn text_transforms_pass_other_values() {
        for f in [trim, unpad, hankaku_transform, nfkc, strip_honorific, selected] {
            assert_eq!(run(f, Value::Number(3.5)), Value::Number(3.5));
            assert_eq!(run(f, Value::Bool(true)), Value::Bool(true));
            assert_eq!(run(f, Value::Empty), Value::Empty);
        }
    }

    #[test]
    fn hankaku_keeps_katakana_and_other_symbols() {
        assert_eq!(hankaku("ア～ｱ〜ー－"), "ア~ｱ〜ー-");
        assert_eq!(hankaku("\u{FF5F}"), "\u{FF5F}");
    }

    #[test]
    fn quoted_shortens_long_text_at_a_char_boundary() {
        let long = "あ".repeat(100);
        let q = quoted(&long);
        assert!(q.ends_with("…」"));
        assert_eq!(q.chars().count(), 30 + 3);
    }

    #[test]
    fn integral_rejects_fractions_and_non_finite() {
        assert_eq!(integral(12.0), Some(12));
        assert_eq!(integral(-3.0), Some(-3));
        assert_eq!(integral(0.5), None);
        assert_eq!(integral(f64::NAN), None);
        assert_eq!(integral(f64::INFINITY), None);
        assert_eq!(integral(1e300), None);
    }

    #[test]
    fn integer_edge_cases() {
        assert_eq!(parse_integer("△１２"), Ok(Some(-12)));
        assert_eq!(parse_integer("＋5"), Ok(Some(5)));
        assert_eq!(parse_integer("　"), Ok(None));
        assert!(parse_integer("1234567890123456").is_err());
        assert!(parse_integer("1.").is_ok());
        assert!(parse_integer(".5").is_err());
        assert!(parse_integer("--5").is_err());
        assert!(parse_integer("▲").is_err());
        assert!(run_err(integer, Value::Bool(true)).contains("整数ではありません"));
    }

    fn run_err(f: fn(Value, Option<&str>, &Context) -> Result<Value, TransformError>, v: Value) -> String {
        f(v, None, &Context::default()).expect_err("transform should fail").message
    }

    #[test]
    fn id_rejects_negative_numbers_and_other_kinds() {
        assert!(run_err(id, Value::Number(-1.0)).contains("番号"));
        assert!(run_err(id, Value::Bool(false)).contains("番号"));
        assert_eq!(run(id, Value::Number(0.0)), Value::text("0"));
        assert!(run_err(id, Value::text("ﾔﾏﾀﾞ")).contains("「ﾔ」"));
    }

    #[test]
    fn selection_edge_cases() {
        assert_eq!(selection(""), Selection::Unmarked);
        assert_eq!(selection("【】"), Selection::Marked(vec![]));
        assert_eq!(selection("【要介護２"), Selection::Unmarked);
        assert_eq!(selection("■"), Selection::Marked(vec![]));
        assert_eq!(selection("□ 申請中 ■ 認定済"), Selection::Marked(vec!["認定済".into()]));
        assert_eq!(selection("【初回】・紹介・●継続"), Selection::Marked(vec!["初回".into(), "継続".into()]));
        assert_eq!(selection("A1/■A2"), Selection::Marked(vec!["A2".into()]));
    }

    #[test]
    fn unpad_keeps_single_spaces_and_other_characters() {
        assert_eq!(unpad_text("a b\u{3000}c\td"), "a b\u{3000}c\td");
        assert_eq!(unpad_text("ｱ\u{3000}\u{3000}①"), "ｱ\n①");
        assert_eq!(unpad_text("a\r\n\u{3000}\u{3000}b"), "a\r\nb");
        assert_eq!(unpad_text(""), "");
    }

    #[test]
    fn intentions_edge_cases() {
        let parts = |s: &str| run(intentions, Value::text(s)).display();
        assert_eq!(parts("【本人】A【本人の意向】B"), "text=【本人】A【本人の意向】B|person=A\nB");
        assert_eq!(parts("【本人の意向】A【未閉じ"), "text=【本人の意向】A【未閉じ|person=A【未閉じ");
        assert_eq!(parts("メモ\n家族 ：見守り"), "text=メモ\n家族 ：見守り|family=見守り|rest=メモ");
        assert_eq!(parts("【その他】"), "text=【その他】|rest=【その他】");
        assert_eq!(run(intentions, Value::Number(5.0)).display(), "text=5|rest=5");
        assert_eq!(run(intentions, Value::Empty), Value::Empty);
        assert_eq!(run(intentions, Value::text("\u{3000}")), Value::Empty);
    }
}
