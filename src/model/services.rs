//! The service catalogue (`mappings/services.toml`): every サービス種類 a plan
//! names, with its code, official name, the names people write, what it
//! does and how the rules treat it (insured, 医療系, combinable with 小規模多機能,
//! which 小多機 function replaces it), plus the 福祉用具 種目 and 住宅改修 kinds.
//! Audit, the Life Support Work placement and the summary all read it, so a
//! service is recognised the same way everywhere.
//!
//! Matching: a text is normalised like labels (NFKC, no spaces) and the
//! longest alias found in it wins, so 「地域密着型通所介護」 is 78, not 地域
//! (informal) nor 15.

use crate::text::norm_cow;
use serde::Deserialize;
use std::sync::LazyLock;

pub const BUILTIN: &str = include_str!("../../mappings/services.toml");

/// What a service does (the catalogue's `category`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Category {
    #[serde(rename = "訪問")]
    Visit,
    #[serde(rename = "通所")]
    DayCare,
    #[serde(rename = "短期入所")]
    ShortStay,
    #[serde(rename = "多機能")]
    MultiFunction,
    #[serde(rename = "福祉用具")]
    Equipment,
    #[serde(rename = "住宅改修")]
    HomeModification,
    #[serde(rename = "居宅療養管理")]
    HomeMedicalManagement,
    #[serde(rename = "居住系")]
    Residential,
    #[serde(rename = "施設")]
    Facility,
    #[serde(rename = "ケアマネジメント")]
    CareManagement,
    #[serde(rename = "総合事業")]
    Community,
    #[serde(rename = "医療保険")]
    MedicalInsurance,
    #[serde(rename = "保険外")]
    Private,
    #[serde(rename = "インフォーマル")]
    Informal,
    #[serde(rename = "障害福祉")]
    Disability,
    #[serde(rename = "市町村独自")]
    Municipal,
    #[serde(rename = "関係機関")]
    Agency,
}

/// Whether a 小規模多機能型居宅介護 登録者 can be billed the service too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SmallMulti {
    #[serde(rename = "combinable")]
    Combinable,
    #[serde(rename = "excluded")]
    Excluded,
    #[serde(rename = "n/a")]
    NotApplicable,
}

/// One kind of service.
#[derive(Debug, Clone, Deserialize)]
pub struct Service {
    /// サービス種類コード (2 characters), if the service has one.
    pub code: Option<String>,
    pub name: String,
    #[serde(default)]
    pub legal_class: String,
    pub category: Category,
    #[serde(default)]
    pub function: Vec<String>,
    /// 介護保険の保険給付 (what 第2表 ※1 marks).
    pub insured: bool,
    /// 介護給付 / 予防給付 / 総合事業 / n/a.
    #[serde(default)]
    pub preventive: String,
    /// 医療系サービス (運営基準13条19号: the 主治医's opinion or instruction).
    pub medical: bool,
    pub small_multi: SmallMulti,
    /// 小規模多機能型居宅介護 itself (73, 75) or its short-term use (68, 69):
    /// a plan naming one is a 小多機 plan.
    #[serde(default)]
    pub small_multi_itself: bool,
    /// For a service a 小多機 cannot combine with: the function that replaces it.
    pub lsw_replace: Option<String>,
    /// Usually planned other than weekly (第3表 週単位以外のサービス).
    pub non_weekly: bool,
    pub since: Option<String>,
    pub until: Option<String>,
    pub aliases: Vec<String>,
    /// Names that also mean something else: they match, but the match is not
    /// certain ([`Match::certain`]).
    #[serde(default)]
    pub ambiguous_aliases: Vec<String>,
    #[serde(default)]
    pub ambiguous_with: Vec<String>,
    /// false: the code exists in benefit data but is not placed on 第2表.
    #[serde(default = "yes")]
    pub plan_service: bool,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub code_note: String,
    #[serde(default)]
    pub medical_note: String,
    #[serde(default)]
    pub small_multi_note: String,
    pub source: String,
    pub tag: String,
}

fn yes() -> bool {
    true
}

/// A 福祉用具 種目 (貸与 or 特定福祉用具販売).
#[derive(Debug, Clone, Deserialize)]
pub struct Equipment {
    pub no: u32,
    /// 貸与 / 販売.
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    #[serde(default)]
    pub ambiguous_aliases: Vec<String>,
    /// 軽度者 cannot rent it without 例外給付 (PR-19).
    #[serde(default)]
    pub light_excluded: bool,
    /// The 要介護状態区分 it is excluded for (empty: 要支援1・2, 要介護1).
    #[serde(default)]
    pub light_excluded_levels: Vec<String>,
    #[serde(default)]
    pub light_excluded_note: String,
    /// 貸与と販売の選択制 (2024-04-01〜).
    #[serde(default)]
    pub selectable_2024: bool,
    #[serde(default)]
    pub notes: String,
    pub source: String,
}

/// A 住宅改修 kind.
#[derive(Debug, Clone, Deserialize)]
pub struct HomeModification {
    pub no: u32,
    pub name: String,
    pub aliases: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format_version: u32,
    service: Vec<Service>,
    equipment: Vec<Equipment>,
    home_modification: Vec<HomeModification>,
    sources: std::collections::BTreeMap<String, String>,
}

/// The catalogue, with one automaton over all service aliases.
pub struct Catalogue {
    pub services: Vec<Service>,
    pub equipment: Vec<Equipment>,
    pub home_modifications: Vec<HomeModification>,
    /// Source keys → citations.
    pub sources: std::collections::BTreeMap<String, String>,
    /// (alias normalised, service index, ambiguous) in automaton order.
    aliases: Vec<(String, usize, bool)>,
    automaton: aho_corasick::AhoCorasick,
    /// Every alias normalised, for whole-text comparisons.
    names: rustc_hash::FxHashSet<String>,
    /// サービス種類コード → the first service with it.
    codes: rustc_hash::FxHashMap<String, usize>,
    equipment_aliases: Vec<(String, usize)>,
    equipment_automaton: aho_corasick::AhoCorasick,
}

/// A service found in a text.
#[derive(Debug, Clone, Copy)]
pub struct Match<'a> {
    pub service: &'a Service,
    /// The alias found (normalised).
    pub alias: &'a str,
    /// false when the alias also names something else (a 「ヘルパー」 may be
    /// 訪問介護, 総合事業 or a private helper).
    pub certain: bool,
}

impl Catalogue {
    pub fn load(text: &str) -> Result<Catalogue, String> {
        let f: File = toml::from_str(text).map_err(|e| format!("サービスの目録を読めません: {e}"))?;
        if f.format_version != 1 {
            return Err(format!("サービスの目録の format_version は 1 です（{}）", f.format_version));
        }
        let mut aliases = Vec::new();
        for (i, s) in f.service.iter().enumerate() {
            let ambiguous: Vec<String> = s.ambiguous_aliases.iter().map(|a| norm_cow(a).into_owned()).collect();
            for a in s.aliases.iter().chain(std::iter::once(&s.name)) {
                let n = norm_cow(a).into_owned();
                if !n.is_empty() && !aliases.iter().any(|(x, j, _): &(String, usize, bool)| *x == n && *j == i) {
                    let amb = ambiguous.contains(&n);
                    aliases.push((n, i, amb));
                }
            }
        }
        let automaton = leftmost_longest(aliases.iter().map(|(a, _, _)| a.as_str()))?;
        let mut equipment_aliases = Vec::new();
        for (i, e) in f.equipment.iter().enumerate() {
            for a in e.aliases.iter().chain(std::iter::once(&e.name)) {
                let n = norm_cow(a).into_owned();
                if !n.is_empty() && !equipment_aliases.iter().any(|(x, j): &(String, usize)| *x == n && *j == i) {
                    equipment_aliases.push((n, i));
                }
            }
        }
        let equipment_automaton = leftmost_longest(equipment_aliases.iter().map(|(a, _)| a.as_str()))?;
        let names = aliases.iter().map(|(a, _, _)| a.clone()).collect();
        let mut codes = rustc_hash::FxHashMap::default();
        for (i, s) in f.service.iter().enumerate() {
            if let Some(c) = &s.code {
                codes.entry(c.clone()).or_insert(i);
            }
        }
        Ok(Catalogue {
            names,
            codes,
            services: f.service,
            equipment: f.equipment,
            home_modifications: f.home_modification,
            sources: f.sources,
            aliases,
            automaton,
            equipment_aliases,
            equipment_automaton,
        })
    }

    /// The shipped catalogue (tested, so loading it cannot fail).
    pub fn builtin() -> &'static Catalogue {
        static C: LazyLock<Catalogue> =
            LazyLock::new(|| Catalogue::load(BUILTIN).unwrap_or_else(|e| panic!("mappings/services.toml: {e}")));
        &C
    }

    /// The service with a サービス種類コード (the first two characters of a
    /// サービスコード are enough).
    pub fn by_code(&self, code: &str) -> Option<&Service> {
        // Every 種類コード is two ASCII characters: a code that does not
        // start with two is no service's.
        let kind = code.get(..2)?;
        self.codes.get(kind).map(|&i| &self.services[i])
    }

    /// Every service named in a text, left to right, longest names first
    /// (「地域密着型通所介護」 is one match, not 地域 and 通所介護).
    pub fn find_all<'a>(&'a self, text: &str) -> Vec<Match<'a>> {
        self.find_all_normalised(&norm_cow(text))
    }

    /// [`find_all`](Self::find_all) in a text normalised already.
    pub fn find_all_normalised<'a>(&'a self, normalised: &str) -> Vec<Match<'a>> {
        self.find_iter_normalised(normalised).collect()
    }

    /// [`find_all_normalised`](Self::find_all_normalised) one match at a
    /// time, for a caller that may stop early.
    pub fn find_iter_normalised<'a, 't>(&'a self, normalised: &'t str) -> impl Iterator<Item = Match<'a>> + 't
    where
        'a: 't,
    {
        self.automaton.find_iter(normalised).map(|m| {
            let (alias, i, ambiguous) = &self.aliases[m.pattern().as_usize()];
            Match { service: &self.services[*i], alias, certain: !ambiguous }
        })
    }

    /// Whether a normalised text is, whole, one name of a service (certain
    /// or not): 「デイサービス」, not 「デイサービスで入浴」.
    pub fn is_name(&self, normalised: &str) -> bool {
        self.names.contains(normalised)
    }

    /// The first service a text names (see [`find_all`](Self::find_all)).
    pub fn find<'a>(&'a self, text: &str) -> Option<Match<'a>> {
        // Leftmost-longest: the first match is the first of `find_all`.
        let m = self.automaton.find(norm_cow(text).as_ref())?;
        let (alias, i, ambiguous) = &self.aliases[m.pattern().as_usize()];
        Some(Match { service: &self.services[*i], alias, certain: !ambiguous })
    }

    /// The 福祉用具 種目 a text names, longest name first.
    pub fn equipment_in<'a>(&'a self, text: &str) -> Vec<&'a Equipment> {
        self.equipment_matches(&norm_cow(text)).into_iter().map(|(_, _, e)| e).collect()
    }

    /// The 福祉用具 種目 named in a normalised text, with where each name is.
    pub fn equipment_matches<'a>(&'a self, normalised: &str) -> Vec<(usize, usize, &'a Equipment)> {
        self.equipment_automaton
            .find_iter(normalised)
            .map(|m| (m.start(), m.end(), &self.equipment[self.equipment_aliases[m.pattern().as_usize()].1]))
            .collect()
    }

    /// The service a 第2表 row is: by its サービス種別 when the name is
    /// certain, else by the name of its provider when that is certain, else
    /// the uncertain reading of its サービス種別 (「デイサービス」: 15, 78 or
    /// 総合事業), else of its provider (「訪問看護ステーションそら」: 13, or
    /// 医療保険の訪問看護).
    pub fn resolve<'a>(&'a self, kind: &str, provider: &str) -> Option<Match<'a>> {
        let by_kind = self.find_all(kind);
        if let Some(m) = by_kind.iter().find(|m| m.certain) {
            return Some(*m);
        }
        let by_provider: Vec<Match> =
            self.find_all(provider).into_iter().filter(|m| m.service.code.is_some()).collect();
        if let Some(m) = by_provider.iter().find(|m| m.certain) {
            return Some(*m);
        }
        by_kind.into_iter().next().or_else(|| by_provider.into_iter().next())
    }

    /// Whether a 福祉用具 種目 is not rented to a person at this 要介護状態区分
    /// (軽度者の対象外種目) without 例外給付 grounds.
    pub fn light_excluded_at(&self, level: &str) -> bool {
        self.equipment.iter().any(|e| e.light_excluded && e.light_excluded_levels.iter().any(|l| l == level))
    }

    /// Whether a サービスコード (or its 種類) is 訪問介護 (PR-17's share).
    pub fn is_home_help(&self, code: &str) -> bool {
        self.by_code(code).is_some_and(|s| s.name == "訪問介護")
    }

    /// Every name of a 福祉用具 種目 or 住宅改修 kind, ambiguous ones too:
    /// what a rule takes out of a text to see what else it says.
    pub fn equipment_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for e in &self.equipment {
            v.push(&e.name);
            v.extend(e.aliases.iter().chain(&e.ambiguous_aliases).map(String::as_str));
        }
        for h in &self.home_modifications {
            v.push(&h.name);
            v.extend(h.aliases.iter().map(String::as_str));
        }
        v
    }

    /// Every name of a service (official names, aliases, ambiguous ones).
    pub fn service_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for s in &self.services {
            v.push(&s.name);
            v.extend(s.aliases.iter().chain(&s.ambiguous_aliases).map(String::as_str));
        }
        v
    }
}

fn leftmost_longest<'a>(patterns: impl Iterator<Item = &'a str>) -> Result<aho_corasick::AhoCorasick, String> {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(patterns)
        .map_err(|e| format!("サービスの目録の名前を索引にできません: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_loads_and_codes_are_unique() {
        let c = Catalogue::builtin();
        assert!(c.services.len() > 60, "{}", c.services.len());
        let mut codes: Vec<&str> = c.services.iter().filter_map(|s| s.code.as_deref()).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a サービス種類コード twice");
        assert_eq!(c.by_code("111111").map(|s| s.name.as_str()), Some("訪問介護"));
    }

    #[test]
    fn the_longest_name_wins() {
        let c = Catalogue::builtin();
        let names = |t: &str| c.find_all(t).iter().map(|m| m.service.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("地域密着型通所介護"), ["地域密着型通所介護"]);
        assert_eq!(c.find("看多機").map(|m| m.service.code.clone()), Some(Some("77".to_string())));
        assert_eq!(c.find("デイケア").map(|m| m.service.code.clone()), Some(Some("16".to_string())));
        let helper = c.find("ヘルパー").expect("ヘルパー");
        assert_eq!(helper.service.code.as_deref(), Some("11"));
        assert!(!helper.certain, "ヘルパー may also be 総合事業 or private");
        assert!(c.find("特になし").is_none());
    }

    /// A row is resolved by its サービス種別 first, then its provider's name.
    #[test]
    fn rows_resolve_by_kind_then_provider() {
        let c = Catalogue::builtin();
        let code = |k: &str, p: &str| c.resolve(k, p).and_then(|m| m.service.code.clone());
        assert_eq!(code("地域密着型通所介護", "").as_deref(), Some("78"));
        assert_eq!(code("", "訪問看護ステーションそら").as_deref(), Some("13"));
        assert_eq!(code("看護小規模多機能型居宅介護", "").as_deref(), Some("77"));
        let day = c.resolve("デイサービス", "").expect("デイ");
        assert!(!day.certain);
        assert!(c.resolve("家族", "長女").is_some_and(|m| m.service.category == Category::Informal));
        assert!(c.is_home_help("117211") && !c.is_home_help("151111"));
        let small: Vec<&str> =
            c.services.iter().filter(|s| s.small_multi_itself).filter_map(|s| s.code.as_deref()).collect();
        assert_eq!(small, ["73", "68", "75", "69"]);
        let names: Vec<&str> =
            c.equipment_matches("ベッド用手すりと車いす").iter().map(|m| m.2.name.as_str()).collect();
        assert_eq!(names, ["特殊寝台付属品", "車いす"]);
    }
}
