//! The declarative rules that place plan entries on the forms
//! (`mappings/lsw.toml`, overridable with `--lsw-rules FILE`).

use crate::model::speakers::{builtin_words, SpeakerWords, Speakers};
use crate::text::Terms;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const BUILTIN: &str = include_str!("../../mappings/lsw.toml");

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LswRules {
    /// Format version; must be 1.
    pub format_version: u32,
    pub name: String,
    pub title: String,
    pub who: Who,
    pub routine: Routine,
    pub form4: Form4Rows,
    pub records: Records,
    pub emergency: Emergency,
    /// Services the catalogue knows (mappings/services.toml); an office's
    /// own file without the section gets the shipped one.
    #[serde(default)]
    pub services: ServiceRules,
    /// Who speaks in free text; an office's own file without the section
    /// gets the shipped words.
    #[serde(default = "builtin_words")]
    pub speakers: SpeakerWords,
}

/// Where a 第2表・第3表 service the service catalogue knows goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRules {
    /// A service a 小規模多機能 登録者 cannot combine with (catalogue
    /// `small_multi = "excluded"`).
    pub excluded: Placement,
    /// A 介護保険 service a 登録者 keeps (`small_multi = "combinable"`).
    pub combinable: Placement,
    /// The mark on an excluded service.
    pub replace_mark: String,
}

impl Default for ServiceRules {
    fn default() -> Self {
        ServiceRules {
            excluded: Placement::Replace,
            combinable: Placement::OtherServices,
            replace_mark: "通い／訪問／宿泊への置き換えを検討".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Placement {
    /// 専門職・事業所 (様式4: the 事業所 column of the function that replaces
    /// it), marked with `replace_mark` and that function.
    #[serde(rename = "replace")]
    Replace,
    /// 他の介護保険サービス with its necessity.
    #[serde(rename = "other_services")]
    OtherServices,
    /// Decided by the `[who]` words like any other service.
    #[serde(rename = "who")]
    Who,
}

/// Terms that decide who does what (matched against サービス種別 and ※2).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Who {
    pub person: Vec<String>,
    pub family: Vec<String>,
    pub community: Vec<String>,
    pub office: Vec<String>,
    pub other_services: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Routine {
    pub terms: Vec<String>,
    pub daily: Vec<String>,
    #[serde(default)]
    pub times: Vec<RoutineTime>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutineTime {
    pub terms: Vec<String>,
    /// `HH:MM`.
    pub time: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Form4Rows {
    /// Row start times `HH:MM`, ascending.
    pub rows: Vec<String>,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub from: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Records {
    pub meeting_items: Vec<String>,
    pub decision_terms: Vec<String>,
    /// 第5表 項目 of a サービス担当者会議: the entry points to 様式2.
    #[serde(default = "conference_items")]
    pub conference_items: Vec<String>,
}

fn conference_items() -> Vec<String> {
    ["担当者会議", "カンファレンス"].map(String::from).to_vec()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Emergency {
    pub terms: Vec<String>,
}

/// Minutes after midnight of `HH:MM` (also `H:MM`).
pub fn minutes(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60).then_some(h * 60 + m)
}

/// Rules compiled for use.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub rules: LswRules,
    pub person: Terms,
    pub family: Terms,
    pub community: Terms,
    pub office: Terms,
    pub other_services: Terms,
    pub routine: Terms,
    pub daily: Terms,
    pub times: Vec<(Terms, u16)>,
    /// (start minute, band label) per row.
    pub rows: Vec<(u16, String)>,
    pub meeting_items: Terms,
    pub conference_items: Terms,
    pub decision_terms: Terms,
    pub emergency: Terms,
    pub speakers: Speakers,
    pub sha256: String,
}

/// Loads rules from TOML text; every problem is listed with its line.
pub fn load(text: &str) -> Result<Compiled, Vec<crate::diag::TomlProblem>> {
    use crate::diag::TomlProblem as MappingProblem;
    let rules: LswRules = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        vec![MappingProblem {
            line,
            message: format!("振り分けルールとして読めません: {}", crate::diag::toml_ja(e.message())),
        }]
    })?;
    let mut problems = Vec::new();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map_or(0, |i| i + 1);
    if rules.format_version != 1 {
        problems.push(MappingProblem {
            line: line_of("format_version"),
            message: format!("format_version は 1 です（{} が書かれています）", rules.format_version),
        });
    }
    let mut times = Vec::new();
    for t in &rules.routine.times {
        match minutes(&t.time) {
            Some(m) => times.push((Terms::new(&t.terms), m)),
            None => problems.push(MappingProblem {
                line: line_of(&t.time),
                message: format!("時刻「{}」は HH:MM で書きます", t.time),
            }),
        }
    }
    let bands: Vec<(u16, String)> = rules
        .form4
        .bands
        .iter()
        .filter_map(|b| match minutes(&b.from) {
            Some(m) => Some((m, b.label.clone())),
            None => {
                problems.push(MappingProblem {
                    line: line_of(&b.from),
                    message: format!("時刻「{}」は HH:MM で書きます", b.from),
                });
                None
            }
        })
        .collect();
    let mut rows = Vec::new();
    for r in &rules.form4.rows {
        match minutes(r) {
            Some(m) if rows.last().is_none_or(|(last, _): &(u16, String)| *last < m) => {
                let band = bands.iter().rev().find(|(from, _)| *from <= m).map(|(_, l)| l.clone()).unwrap_or_default();
                rows.push((m, band));
            }
            Some(_) => problems.push(MappingProblem {
                line: line_of(r),
                message: format!("様式4の行「{r}」が前の行より早い時刻です（昇順に並べてください）"),
            }),
            None => problems
                .push(MappingProblem {
                    line: line_of(r), message: format!("時刻「{r}」は HH:MM で書きます")
                }),
        }
    }
    if rows.is_empty() {
        problems.push(MappingProblem {
            line: line_of("rows"),
            message: "様式4の行（form4.rows）が一つもありません".into(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Compiled {
        person: Terms::new(&rules.who.person),
        family: Terms::new(&rules.who.family),
        community: Terms::new(&rules.who.community),
        office: Terms::new(&rules.who.office),
        other_services: Terms::new(&rules.who.other_services),
        routine: Terms::new(&rules.routine.terms),
        daily: Terms::new(&rules.routine.daily),
        times,
        rows,
        meeting_items: Terms::new(&rules.records.meeting_items),
        conference_items: Terms::new(&rules.records.conference_items),
        decision_terms: Terms::new(&rules.records.decision_terms),
        emergency: Terms::new(&rules.emergency.terms),
        speakers: Speakers::new(rules.speakers.clone()),
        sha256: crate::hash::sha256_hex(text.as_bytes()),
        rules,
    })
}

/// The shipped rules; they are tested, so a failure is a bug.
pub fn builtin() -> Compiled {
    match load(BUILTIN) {
        Ok(c) => c,
        Err(p) => panic!("mappings/lsw.toml: {p:?}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::text::Terms;

    /// Counting what is left agrees with building it.
    #[test]
    fn chars_left_counts_what_remove_all_leaves() {
        let terms = Terms::of(&["生活", "在宅生活", "します", "支援", "ｶﾞｽ"]);
        for text in ["", "在宅生活を支援します", "生活生活", "ガスの元栓を確認します。", "①在宅生活②", "なし"]
        {
            assert_eq!(terms.chars_left(text), terms.remove_all(text).chars().count(), "{text}");
        }
        assert_eq!(Terms::of(&[]).chars_left("在宅"), 2);
    }
}
