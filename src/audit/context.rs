//! What a rule sees: the plan, its forms, the constants and config, and what
//! several rules need made once per plan — the 第2表 services with their
//! texts normalised and their catalogue entry, the goals' texts, and what
//! kind of plan it is (介護予防, 小規模多機能).

use super::frequency::{self, Freq};
use super::{Config, Constants};
use crate::model::lsw::LswForms;
use crate::model::services::{Catalogue, Match};
use crate::model::CarePlan;
use std::borrow::Cow;
use std::cell::OnceCell;

/// What a rule sees.
pub struct Cx<'a> {
    pub plan: &'a CarePlan,
    pub forms: &'a LswForms,
    pub constants: &'a Constants,
    pub config: &'a Config,
    pub catalogue: &'static Catalogue,
    /// The 第2表 services with their texts normalised, made once per plan
    /// for all the rules that compare them.
    services: OnceCell<Vec<ServiceView<'a>>>,
    /// The 第3表 weekly services' names, each once.
    week: OnceCell<Week<'a>>,
    goals: OnceCell<Vec<NeedTexts<'a>>>,
    kind: OnceCell<PlanKind>,
    /// The 方針, meetings and 第5表 entries normalised (several rules search them).
    written: OnceCell<Vec<super::records::Written<'a>>>,
    /// Where the plan records the 主治医's opinion (PR-14 and T4-07 ask).
    doctor: OnceCell<Option<&'static str>>,
}

/// What kind of plan it is.
#[derive(Debug, Clone, Default)]
pub struct PlanKind {
    /// Why the plan is read as a 介護予防サービス・支援計画 (要支援2, an
    /// office name 「…（予防）」…), if it is one.
    pub preventive: Option<String>,
    /// A 小規模多機能型居宅介護 plan: the service it names (「小規模多機能型居宅介護（73）」).
    pub small_multi: Option<String>,
}

/// A 第2表 need's text and its goals' texts, normalised (empty when
/// absent), in the order of the plan's needs, long and short goals.
pub struct NeedTexts<'a> {
    pub text: GoalText<'a>,
    pub long_goals: Vec<LongGoalTexts<'a>>,
}

pub struct LongGoalTexts<'a> {
    pub text: GoalText<'a>,
    pub short_goals: Vec<GoalText<'a>>,
}

/// The services of a 第3表's week ([`Cx::week`]).
pub struct Week<'a> {
    /// Each name once, as written and normalised, in the order of its
    /// first slot.
    pub names: Vec<(&'a str, Cow<'a, str>)>,
    /// For each slot of `plan.table3.weekly`, its name in `names`.
    pub of_slot: Vec<usize>,
}

/// A need's or goal's text normalised; its bigrams are made on first use
/// (a long goal is compared with its need and each of its short goals).
pub struct GoalText<'a> {
    pub text: Cow<'a, str>,
    grams: OnceCell<super::rules::Bigrams>,
    /// How many bigrams, counted on first use (a long goal's count is
    /// compared with each of its short goals').
    count: OnceCell<usize>,
}

impl<'a> GoalText<'a> {
    pub fn new(normalised: Cow<'a, str>) -> GoalText<'a> {
        GoalText { text: normalised, grams: OnceCell::new(), count: OnceCell::new() }
    }

    pub fn grams(&self) -> &super::rules::Bigrams {
        self.grams.get_or_init(|| super::rules::Bigrams::of(&self.text))
    }

    /// How many bigrams the text has.
    pub fn bigrams(&self) -> usize {
        *self.count.get_or_init(|| match self.grams.get() {
            Some(g) => g.len(),
            None => self.text.chars().count().saturating_sub(1),
        })
    }
}

/// A 第2表 service, its need and short goal, its texts normalised
/// ([`norm_cow`](crate::text::norm_cow); empty when absent) and what the
/// service catalogue makes of it.
pub struct ServiceView<'a> {
    pub need: &'a crate::model::Need,
    pub short: &'a crate::model::ShortGoal,
    pub service: &'a crate::model::Service,
    pub kind: Cow<'a, str>,
    pub content: Cow<'a, str>,
    /// Normalised on first use.
    provider: OnceCell<Cow<'a, str>>,
    pub frequency: Cow<'a, str>,
    /// Its 頻度 read ([`frequency::parse`]).
    pub freq: Freq,
    /// Times per week of its 頻度 (`週２回` → 2), when it says so.
    pub per_week: Option<u32>,
    /// The catalogue's reading of its サービス種別 (or provider).
    pub resolved: Option<Match<'static>>,
    /// A row of 福祉用具貸与 (not 販売): several rules look for these.
    pub rented: bool,
    /// What its サービス内容 says of 福祉用具, read on first use.
    equipment: OnceCell<EquipmentRow>,
}

/// What a 第2表 row's サービス内容 says of 福祉用具, read once for the
/// rules about them (PR-19, PR-20, PR-25, T2-21).
#[derive(Clone)]
pub struct EquipmentRow {
    /// The 種目 it names and where, in order
    /// ([`Catalogue::equipment_matches`]).
    pub items: Vec<(usize, usize, &'static crate::model::services::Equipment)>,
    /// The word lists it holds ([`super::constants::EquipmentWords`] bits).
    words: u64,
}

impl EquipmentRow {
    /// Whether the content holds a term of the list.
    pub fn has(&self, list: super::constants::EquipmentWords) -> bool {
        self.words & list.bit() != 0
    }
}

impl<'a> ServiceView<'a> {
    /// The provider's name normalised (empty when absent).
    pub fn provider(&self) -> &str {
        self.provider
            .get_or_init(|| self.service.provider.as_deref().map(crate::text::norm_cow).unwrap_or(Cow::Borrowed("")))
    }

    /// What its サービス内容 says of 福祉用具: the 種目 named and the
    /// lists of [`super::constants::Sets::equipment_row`] it holds, in one
    /// search each, however many rules ask.
    pub fn equipment(&self, cx: &Cx) -> &EquipmentRow {
        thread_local! {
            static ROWS: std::cell::RefCell<crate::memo::Memo<EquipmentRow>> = Default::default();
        }
        self.equipment.get_or_init(|| {
            crate::memo::remembered(&ROWS, cx.constants.id, &self.content, |t| EquipmentRow {
                items: cx.catalogue.equipment_matches(t),
                words: cx.constants.sets.equipment_row.present(t),
            })
        })
    }

    /// The catalogue entry when its name is certain.
    pub fn certain(&self) -> Option<&'static crate::model::services::Service> {
        self.resolved.filter(|m| m.certain).map(|m| m.service)
    }
}

impl<'a> Cx<'a> {
    pub fn new(plan: &'a CarePlan, forms: &'a LswForms, constants: &'a Constants, config: &'a Config) -> Cx<'a> {
        Cx {
            plan,
            forms,
            constants,
            config,
            catalogue: Catalogue::builtin(),
            services: OnceCell::new(),
            week: OnceCell::new(),
            goals: OnceCell::new(),
            kind: OnceCell::new(),
            written: OnceCell::new(),
            doctor: OnceCell::new(),
        }
    }

    /// Every 第2表 service, in order, with its normalised texts.
    pub fn services(&self) -> &[ServiceView<'a>] {
        self.services.get_or_init(|| {
            let norm = |s: &'a Option<String>| s.as_deref().map(crate::text::norm_cow).unwrap_or(Cow::Borrowed(""));
            // Sized before it is filled: a view is large, and growing the
            // vector copies them.
            let n = self.plan.table2.needs.iter().flat_map(|n| &n.long_goals).flat_map(|g| &g.short_goals);
            let mut views = Vec::with_capacity(n.map(|s| s.services.len()).sum());
            // The per-thread readings, taken once for all the plan's rows.
            READINGS.with_borrow_mut(|memo| {
                views.extend(super::rules::services(self.plan).map(|(need, short, service)| {
                    let frequency = norm(&service.frequency);
                    let kind = norm(&service.kind);
                    let freq = crate::memo::remembered(&FREQUENCIES, crate::memo::STATIC, &frequency, frequency::parse);
                    let (resolved, rented) = memo.resolve(&kind, service.provider.as_deref().unwrap_or(""));
                    ServiceView {
                        rented,
                        need,
                        short,
                        service,
                        content: norm(&service.content),
                        provider: OnceCell::new(),
                        equipment: OnceCell::new(),
                        per_week: freq.per_week,
                        freq,
                        frequency,
                        kind,
                        resolved,
                    }
                }));
            });
            views
        })
    }

    /// The texts of the 第1表 方針, the 第4表 meetings and the 第5表 entries,
    /// normalised once per plan ([`super::records::written`]).
    pub fn written(&self) -> &[super::records::Written<'a>] {
        self.written.get_or_init(|| super::records::written(self))
    }

    /// Where the plan records the 主治医's opinion or instruction
    /// ([`super::records::doctor_evidence`]), searched once per plan.
    pub fn doctor_evidence(&self) -> Option<&'static str> {
        *self.doctor.get_or_init(|| super::records::doctor_evidence(self))
    }

    /// Whether the plan rents a 福祉用具 (a 第2表 row of 福祉用具貸与): the
    /// 福祉用具 rules look no further without one.
    pub fn rents_equipment(&self) -> bool {
        self.services().iter().any(|sv| sv.rented)
    }

    /// The 第2表 needs' and goals' texts normalised, parallel to
    /// `plan.table2.needs` (several rules compare and search them).
    pub fn goals(&self) -> &[NeedTexts<'a>] {
        let norm =
            |s: &'a Option<String>| GoalText::new(s.as_deref().map(crate::text::norm_cow).unwrap_or(Cow::Borrowed("")));
        self.goals.get_or_init(|| {
            self.plan
                .table2
                .needs
                .iter()
                .map(|n| NeedTexts {
                    text: norm(&n.text),
                    long_goals: n
                        .long_goals
                        .iter()
                        .map(|g| LongGoalTexts {
                            text: norm(&g.text),
                            short_goals: g.short_goals.iter().map(|s| norm(&s.text)).collect(),
                        })
                        .collect(),
                })
                .collect()
        })
    }

    /// The 第3表 weekly services' names, each normalised once: a week's
    /// slots repeat a few services.
    pub fn week(&self) -> &Week<'a> {
        self.week.get_or_init(|| {
            let slots = &self.plan.table3.weekly;
            let mut week = Week { names: Vec::new(), of_slot: Vec::with_capacity(slots.len()) };
            for (i, w) in slots.iter().enumerate() {
                // Usually the slot before's name; else one of the few seen.
                let name = match i.checked_sub(1) {
                    Some(j) if slots[j].service == w.service => week.of_slot[j],
                    _ => match week.names.iter().position(|(raw, _)| *raw == w.service) {
                        Some(n) => n,
                        None => {
                            week.names.push((&w.service, crate::text::norm_cow(&w.service)));
                            week.names.len() - 1
                        }
                    },
                };
                week.of_slot.push(name);
            }
            week
        })
    }

    /// 介護予防 or 小規模多機能, decided from the plan itself.
    pub fn kind(&self) -> &PlanKind {
        self.kind.get_or_init(|| PlanKind { preventive: self.preventive(), small_multi: self.small_multi() })
    }

    /// The 要介護状態区分 of the plan (第1表, else the 第6表).
    pub fn care_level(&self) -> Option<&'a str> {
        self.plan
            .table1
            .certification
            .care_level
            .as_deref()
            .or_else(|| self.plan.table6.as_deref().and_then(|t| t.care_level.as_deref()))
    }

    fn preventive(&self) -> Option<String> {
        match self.care_level() {
            Some(level) if level.starts_with("要支援") || level == "事業対象者" => {
                return Some(format!("要介護状態区分が「{level}」"))
            }
            // A 要介護 plan is a 居宅サービス計画 whatever else it says.
            Some(level) if level.starts_with("要介護") || level == "経過的要介護" => return None,
            _ => {}
        }
        let office = self.plan.office.name.as_deref().map(crate::text::norm_cow).unwrap_or_default();
        let r = &self.constants.records;
        if r.preventive_offices.any(&office) {
            return Some(format!("事業所名が「{}」", self.plan.office.name.as_deref().unwrap_or("")));
        }
        let titled = self.plan.table1.extra.iter().find_map(|(k, v)| {
            let t = crate::text::norm_cow(k);
            let v = crate::text::norm_cow(v);
            r.preventive_titles.find(&t).or_else(|| r.preventive_titles.find(&v)).map(str::to_string)
        });
        if let Some(title) = titled {
            return Some(format!("様式が「{title}」"));
        }
        // Every insured service of the plan is a 予防給付 or 総合事業 one.
        let insured: Vec<_> = self.services().iter().filter_map(|s| s.certain()).filter(|s| s.code.is_some()).collect();
        if !insured.is_empty() && insured.iter().all(|s| s.preventive == "予防給付" || s.preventive == "総合事業")
        {
            return Some(format!("サービスがすべて介護予防・総合事業（{}）", insured[0].name));
        }
        None
    }

    fn small_multi(&self) -> Option<String> {
        if self.config.small_multi == Some(false) {
            return None;
        }
        let c = self.catalogue;
        let named = |s: &crate::model::services::Service| format!("{}（{}）", s.name, s.code.as_deref().unwrap_or(""));
        let months = self.plan.table6.iter().chain(self.plan.earlier_months.iter().filter_map(|m| m.table6.as_ref()));
        for t6 in months {
            for r in &t6.rows {
                if let Some(s) =
                    r.service_code.as_deref().and_then(|code| c.by_code(code)).filter(|s| s.small_multi_itself)
                {
                    return Some(named(s));
                }
            }
        }
        if let Some(t7) = self.plan.table7.as_deref() {
            for r in &t7.rows {
                if let Some(s) =
                    r.service_code.as_deref().and_then(|code| c.by_code(code)).filter(|s| s.small_multi_itself)
                {
                    return Some(named(s));
                }
            }
        }
        self.services().iter().filter_map(|s| s.certain()).find(|s| s.small_multi_itself).map(named)
    }
}

/// What a 第2表 row's texts read as, remembered per thread: a run's rows
/// name the same few services, offices and 頻度 over and over, and every
/// plan's audit reads all its rows.
#[derive(Default)]
struct Readings {
    /// サービス種別 → provider → the catalogue's reading
    /// ([`Catalogue::resolve`]) and whether it is a 福祉用具貸与 (not 販売):
    /// looked up without building a key.
    resolved: rustc_hash::FxHashMap<Box<str>, rustc_hash::FxHashMap<Box<str>, Reading>>,
    /// The rows in `resolved`.
    rows: usize,
}

/// A row's catalogue reading and whether it is a 福祉用具貸与.
type Reading = (Option<Match<'static>>, bool);

thread_local! {
    static READINGS: std::cell::RefCell<Readings> = Default::default();
    /// A normalised 頻度 → [`frequency::parse`].
    static FREQUENCIES: std::cell::RefCell<crate::memo::Memo<Freq>> = Default::default();
}

impl Readings {
    fn resolve(&mut self, kind: &str, provider: &str) -> Reading {
        if let Some(m) = self.resolved.get(kind).and_then(|p| p.get(provider)) {
            return *m;
        }
        let found = Catalogue::builtin().resolve(kind, provider);
        let rented = found.is_some_and(|m| {
            m.service.category == crate::model::services::Category::Equipment && !m.service.name.contains("販売")
        });
        let m = (found, rented);
        if self.rows >= crate::memo::MAX {
            self.resolved.clear();
            self.rows = 0;
        }
        self.rows += 1;
        self.resolved.entry(kind.into()).or_default().insert(provider.into(), m);
        m
    }
}

/// The サービス種類コード of the first service the built-in catalogue finds
/// in a 第3表 name, remembered per thread: the week's slots repeat a few
/// names, and every plan's names are the same few services.
pub fn code_of(name: &str) -> Option<&'static str> {
    thread_local! {
        static CODES: std::cell::RefCell<crate::memo::Memo<Option<&'static str>>> = Default::default();
    }
    crate::memo::remembered(&CODES, crate::memo::STATIC, name, |name| {
        Catalogue::builtin().find(name).and_then(|m| m.service.code.as_deref())
    })
}
