//! Plan identity (contract, docs/ARCHITECTURE.md "Plan identity").
//!
//! A plan is keyed by (保険者番号, 被保険者番号, 居宅サービス計画作成(変更)日)
//! when its inputs carry the numbers — or a roster (利用者一覧) ties them to
//! the person. The paper forms 第1〜5表 carry no numbers: such a plan is
//! keyed by (office, 利用者名 normalised, 生年月日, 作成(変更)日), or without a
//! 生年月日 by name and date alone (a weak identity, reported). The numbers
//! are never invented; `basis` says how the key was formed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a plan's key was formed (plan.json `key.basis`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyBasis {
    /// 保険者番号 and 被保険者番号 from the plan's own inputs.
    #[default]
    Numbers,
    /// The numbers from the roster, tied to the person by name and 生年月日.
    Roster,
    /// No numbers: the office, 利用者名 and 生年月日.
    NameAndBirthDate,
    /// No numbers and no 生年月日: the office and 利用者名 only (weak: two
    /// people of one name in one office cannot be told apart).
    Name,
}

impl KeyBasis {
    /// What the basis is, for people.
    pub fn ja(self) -> &'static str {
        match self {
            KeyBasis::Numbers => "保険者番号・被保険者番号",
            KeyBasis::Roster => "利用者一覧の保険者番号・被保険者番号",
            KeyBasis::NameAndBirthDate => "事業所・利用者名・生年月日",
            KeyBasis::Name => "事業所・利用者名（生年月日なし）",
        }
    }
}

/// The person of a key without numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PersonKey {
    /// The office: its 事業所番号, else its name (normalised), else the
    /// input folder, as `folder:<name>`.
    pub office: String,
    /// 利用者名 normalised: NFKC, no spaces, no trailing 殿/様.
    pub name: String,
    pub birth_date: Option<NaiveDate>,
}

/// A plan's key. Two keys are the same plan when their numbers (if both
/// numbers are there) or their person (otherwise) and their date are the
/// same; `basis` says how a key was formed and is not part of its identity
/// (a plan read from a CSV and a workbook tied by the roster is one plan).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PlanKey {
    pub insurer_no: Option<String>,
    pub insured_no: Option<String>,
    /// null for a 第6/7表 month that no plan of the person covers.
    pub plan_date: Option<NaiveDate>,
    #[serde(default)]
    pub basis: KeyBasis,
    /// The person, for a key without numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonKey>,
}

/// What identifies a key: numbers first, then the person; then the date.
type Identity<'a> = (Option<(&'a str, &'a str)>, Option<&'a PersonKey>, Option<NaiveDate>);

impl PlanKey {
    /// A key by the numbers.
    pub fn numbered(insurer_no: &str, insured_no: &str, plan_date: Option<NaiveDate>, basis: KeyBasis) -> PlanKey {
        PlanKey {
            insurer_no: Some(insurer_no.to_string()),
            insured_no: Some(insured_no.to_string()),
            plan_date,
            basis,
            person: None,
        }
    }

    /// A key by the person, for inputs without numbers.
    pub fn named(person: PersonKey, plan_date: Option<NaiveDate>) -> PlanKey {
        let basis = if person.birth_date.is_some() { KeyBasis::NameAndBirthDate } else { KeyBasis::Name };
        PlanKey { insurer_no: None, insured_no: None, plan_date, basis, person: Some(person) }
    }

    /// Both numbers, when the key has them.
    pub fn numbers(&self) -> Option<(&str, &str)> {
        Some((self.insurer_no.as_deref()?, self.insured_no.as_deref()?))
    }

    fn identity(&self) -> Identity<'_> {
        match self.numbers() {
            Some(n) => (Some(n), None, self.plan_date),
            None => (None, self.person.as_ref(), self.plan_date),
        }
    }

    /// The plan's folder name: `<insurer>-<insured>-<YYYYMMDD>`, or for a key
    /// without numbers `<利用者名>-<生年月日>-<YYYYMMDD>`. Characters a file
    /// system refuses are replaced; when anything was replaced, a short hash
    /// of the key follows, so two different keys never share a folder.
    pub fn dir_name(&self) -> String {
        let date = match self.plan_date {
            Some(d) => d.format("%Y%m%d").to_string(),
            None => "00000000".to_string(),
        };
        let (parts, exact) = match self.numbers() {
            Some((a, b)) => {
                let (sa, sb) = (sanitize(a), sanitize(b));
                let exact = sa == a && sb == b;
                (format!("{sa}-{sb}"), exact)
            }
            None => {
                let p = self.person.clone().unwrap_or_default();
                let name = safe_component(&p.name);
                let birth = p.birth_date.map_or_else(|| "生年月日不明".to_string(), |d| d.format("%Y%m%d").to_string());
                let exact = name == p.name && !p.name.is_empty();
                (format!("{name}-{birth}"), exact)
            }
        };
        if exact {
            format!("{parts}-{date}")
        } else {
            format!("{parts}-{date}-{}", self.short_hash())
        }
    }

    /// Eight hex digits of a hash of the key's identity (stable across runs
    /// and machines).
    pub fn short_hash(&self) -> String {
        let (numbers, person, date) = self.identity();
        let text = format!("{:?}|{:?}|{:?}", numbers, person.map(|p| (&p.office, &p.name, p.birth_date)), date);
        crate::hash::sha256_hex(text.as_bytes())[..8].to_string()
    }
}

impl PartialEq for PlanKey {
    fn eq(&self, other: &Self) -> bool {
        self.identity() == other.identity()
    }
}

impl Eq for PlanKey {}

impl std::hash::Hash for PlanKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.identity().hash(h)
    }
}

impl PartialOrd for PlanKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PlanKey {
    /// Keys with numbers first (by the numbers), then keys by person; the
    /// date last.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (self.identity(), other.identity());
        a.0.is_none().cmp(&b.0.is_none()).then_with(|| a.cmp(&b))
    }
}

/// Keeps a path component to characters that are safe on every file system.
pub fn sanitize(s: &str) -> String {
    let out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if out.is_empty() {
        "_".into()
    } else {
        out
    }
}

/// A name as a folder name: Japanese kept, path separators and characters
/// Windows refuses replaced, no leading or trailing dots or spaces.
pub fn safe_component(s: &str) -> String {
    let out: String =
        s.chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
    let out = out.trim_matches(['.', ' ']).to_string();
    if out.is_empty() {
        "_".into()
    } else {
        out
    }
}

/// 利用者名 as a key compares it: NFKC, no white space, without a trailing
/// 殿 or 様 (「山田　花子　殿」 and 「山田花子様」 are one person).
pub fn normalise_name(name: &str) -> String {
    let n = crate::text::norm_label(name);
    let n = n.trim_end_matches(['殿', '様']);
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn names_compare_without_spaces_and_honorifics() {
        assert_eq!(normalise_name("山田　花子　殿"), "山田花子");
        assert_eq!(normalise_name("山田 花子様"), "山田花子");
        assert_eq!(normalise_name("ﾔﾏﾀﾞ ﾊﾅｺ"), "ヤマダハナコ");
    }

    #[test]
    fn the_basis_is_not_part_of_the_identity() {
        let a = PlanKey::numbered("131001", "0000100001", Some(d("2025-04-01")), KeyBasis::Numbers);
        let b = PlanKey::numbered("131001", "0000100001", Some(d("2025-04-01")), KeyBasis::Roster);
        assert_eq!(a, b);
        let named = |name: &str, birth| {
            PlanKey::named(
                PersonKey { office: "1370000003".into(), name: name.into(), birth_date: birth },
                Some(d("2025-04-01")),
            )
        };
        assert_ne!(named("山田花子", Some(d("1940-01-05"))), named("山田花子", None));
        assert_eq!(named("山田花子", None).basis, KeyBasis::Name);
        // Numbered keys sort first.
        assert!(a < named("あ", None));
    }

    #[test]
    fn folder_names_never_collide() {
        let named = |name: &str| {
            PlanKey::named(
                PersonKey { office: "x".into(), name: name.into(), birth_date: Some(d("1940-01-05")) },
                Some(d("2025-04-01")),
            )
        };
        assert_eq!(named("山田花子").dir_name(), "山田花子-19400105-20250401");
        // Replaced characters: a hash keeps `a/b` and `a:b` apart.
        let (x, y) = (named("a/b").dir_name(), named("a:b").dir_name());
        assert!(x.starts_with("a_b-19400105-20250401-") && y.starts_with("a_b-19400105-20250401-"), "{x} {y}");
        assert_ne!(x, y);
        let k = PlanKey::numbered("13100１", "0000100001", Some(d("2025-04-01")), KeyBasis::Numbers);
        assert!(k.dir_name().starts_with("13100_-0000100001-20250401-"), "{}", k.dir_name());
        assert_eq!(
            PlanKey::numbered("131001", "0000100001", None, KeyBasis::Numbers).dir_name(),
            "131001-0000100001-00000000"
        );
    }
}
