//! Audit (ケアプラン点検): deterministic rules with stable codes.
//!
//! In: a [`CarePlan`], its [`LswForms`], the constants in force and the run's
//! [`Config`]. Out: [`Finding`]s (code, severity, Japanese message with the
//! concrete values, position) and the codes of rules that could not be
//! checked because the plan's sources do not carry their data. One rule per
//! file under `rules/`; its doc comment (何を検査するか / なぜ問題か / 例 /
//! 直し方 / 根拠) is what `lsw rule CODE` prints. Codes come from the audit
//! catalogue and are never reused.

pub mod config;
pub mod constants;
pub mod rules;

use crate::diag::Source;
use crate::model::lsw::LswForms;
use crate::model::{CarePlan, PlanKey};
pub use config::Config;
pub use constants::Constants;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn ja(self) -> &'static str {
        match self {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
            Severity::Info => "情報",
        }
    }
}

/// How a rule decides (the catalogue's 判定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// 厳密: structured fields, dates, counts or arithmetic.
    Exact,
    /// 推定: keywords or plausibility; findings say 要確認.
    Heuristic,
}

/// What a rule needs from the plan; a plan without it is reported as not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Needs {
    Table1,
    Table2,
    Table3,
    Table4,
    Table5,
    Table6,
    Table7,
    /// A 第6表 with its 合計回数 written (forms have them; the standard CSV
    /// has one record per date and no total).
    Table6Totals,
}

/// The fixed description of a rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub check: Check,
    pub needs: &'static [Needs],
    /// The rule's source file: its `//!` comment is the manual.
    #[serde(skip)]
    pub source: &'static str,
}

impl RuleInfo {
    /// The rule's manual: the `//!` lines at the top of its file
    /// (何を検査するか / なぜ問題か / 例 / 直し方 / 根拠).
    pub fn manual(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines().take_while(|l| l.starts_with("//!")) {
            out.push_str(&line["//!".len()..]);
            out.push('\n');
        }
        out
    }
}

/// One finding (findings.json contract).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    // The rule's own texts are borrowed, not copied into every finding.
    pub code: Cow<'static, str>,
    pub severity: Severity,
    pub title: Cow<'static, str>,
    /// Japanese, with the concrete values; heuristic rules start with 【要確認】.
    pub message: String,
    /// Shared by the plan's findings (one allocation per plan, not per finding).
    pub plan: std::sync::Arc<PlanKey>,
    pub office: std::sync::Arc<str>,
    pub location: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Cow<'static, str>>,
}

/// What a rule sees.
pub struct Cx<'a> {
    pub plan: &'a CarePlan,
    pub forms: &'a LswForms,
    pub constants: &'a Constants,
    pub config: &'a Config,
    /// The 第2表 services with their texts normalised, made once per plan
    /// for all the rules that compare them.
    services: std::cell::OnceCell<Vec<ServiceView<'a>>>,
    /// The 第3表 weekly services' names normalised, in order.
    weekly: std::cell::OnceCell<Vec<Cow<'a, str>>>,
    goals: std::cell::OnceCell<Vec<NeedTexts<'a>>>,
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

/// A need's or goal's text normalised; its bigrams are made on first use
/// (a long goal is compared with its need and each of its short goals).
pub struct GoalText<'a> {
    pub text: Cow<'a, str>,
    grams: std::cell::OnceCell<rules::Bigrams>,
}

impl<'a> GoalText<'a> {
    pub fn new(normalised: Cow<'a, str>) -> GoalText<'a> {
        GoalText { text: normalised, grams: std::cell::OnceCell::new() }
    }

    pub fn grams(&self) -> &rules::Bigrams {
        self.grams.get_or_init(|| rules::Bigrams::of(&self.text))
    }

    /// How many bigrams the text has.
    pub fn bigrams(&self) -> usize {
        match self.grams.get() {
            Some(g) => g.len(),
            None => self.text.chars().count().saturating_sub(1),
        }
    }
}

/// A 第2表 service, its need and short goal, and its texts normalised
/// ([`norm_cow`](crate::text::norm_cow); empty when absent).
pub struct ServiceView<'a> {
    pub need: &'a crate::model::Need,
    pub short: &'a crate::model::ShortGoal,
    pub service: &'a crate::model::Service,
    pub kind: Cow<'a, str>,
    pub content: Cow<'a, str>,
    /// Normalised on first use (two rules compare it, and only when the
    /// provider codes do not match).
    provider: std::cell::OnceCell<Cow<'a, str>>,
    pub frequency: Cow<'a, str>,
    /// Times per week of its 頻度 (`週２回` → 2), when it says so.
    pub per_week: Option<u32>,
}

impl<'a> ServiceView<'a> {
    /// The provider's name normalised (empty when absent).
    pub fn provider(&self) -> &str {
        self.provider
            .get_or_init(|| self.service.provider.as_deref().map(crate::text::norm_cow).unwrap_or(Cow::Borrowed("")))
    }
}

impl<'a> Cx<'a> {
    pub fn new(plan: &'a CarePlan, forms: &'a LswForms, constants: &'a Constants, config: &'a Config) -> Cx<'a> {
        Cx {
            plan,
            forms,
            constants,
            config,
            services: std::cell::OnceCell::new(),
            weekly: std::cell::OnceCell::new(),
            goals: std::cell::OnceCell::new(),
        }
    }

    /// Every 第2表 service, in order, with its normalised texts.
    pub fn services(&self) -> &[ServiceView<'a>] {
        self.services.get_or_init(|| {
            let norm = |s: &'a Option<String>| s.as_deref().map(crate::text::norm_cow).unwrap_or(Cow::Borrowed(""));
            rules::services(self.plan)
                .map(|(need, short, service)| {
                    let frequency = norm(&service.frequency);
                    ServiceView {
                        need,
                        short,
                        service,
                        kind: norm(&service.kind),
                        content: norm(&service.content),
                        provider: std::cell::OnceCell::new(),
                        per_week: rules::per_week_normalised(&frequency),
                        frequency,
                    }
                })
                .collect()
        })
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

    /// The 第3表 weekly services' names, normalised, in the order of
    /// `plan.table3.weekly`.
    pub fn weekly(&self) -> &[Cow<'a, str>] {
        self.weekly.get_or_init(|| self.plan.table3.weekly.iter().map(|w| crate::text::norm_cow(&w.service)).collect())
    }
}

/// Where a rule puts its findings; code, severity and title come from the rule.
pub struct Out<'a> {
    info: &'a RuleInfo,
    severity: Severity,
    plan: std::sync::Arc<PlanKey>,
    office: std::sync::Arc<str>,
    pub findings: Vec<Finding>,
}

impl<'a> Out<'a> {
    /// An empty sink for `info`'s findings on a plan.
    pub fn new(info: &'a RuleInfo, plan: &PlanKey, office: &str) -> Out<'a> {
        Out { info, severity: info.severity, plan: plan.clone().into(), office: office.into(), findings: Vec::new() }
    }

    /// Adds a finding at `location`.
    pub fn push(
        &mut self,
        location: Source,
        mut message: String,
        evidence: Option<String>,
        hint: Option<&'static str>,
    ) {
        if self.info.check == Check::Heuristic {
            message.insert_str(0, "【要確認】");
        }
        self.findings.push(Finding {
            code: Cow::Borrowed(self.info.code),
            severity: self.severity,
            title: Cow::Borrowed(self.info.title),
            message,
            plan: self.plan.clone(),
            office: self.office.clone(),
            location,
            evidence,
            hint: hint.map(Cow::Borrowed),
        });
    }

    /// Overrides the severity for the next findings (rules with E/W tiers).
    pub fn with_severity(&mut self, s: Severity) -> &mut Self {
        self.severity = s;
        self
    }
}

/// An audit rule: its description and the function that checks a plan.
/// Each rule is a `static` in its own file under `rules/`, whose `//!`
/// comment is the rule's manual (`lsw rule CODE`).
pub struct Rule {
    pub info: RuleInfo,
    pub run: fn(&Cx, &mut Out),
}

impl Rule {
    pub fn info(&self) -> &RuleInfo {
        &self.info
    }

    pub fn check(&self, cx: &Cx, out: &mut Out) {
        (self.run)(cx, out)
    }
}

/// Whether the plan carries what a rule needs.
fn has(plan: &CarePlan, need: Needs) -> bool {
    match need {
        Needs::Table1 => plan.table1.source.is_some() || plan.table1.created_on.is_some(),
        Needs::Table2 => !plan.table2.needs.is_empty(),
        Needs::Table3 => {
            !plan.table3.weekly.is_empty()
                || !plan.table3.daily_activities.is_empty()
                || !plan.table3.non_weekly.is_empty()
        }
        Needs::Table4 => !plan.table4.is_empty(),
        Needs::Table5 => !plan.table5.is_empty(),
        Needs::Table6 => plan.table6.is_some(),
        Needs::Table7 => plan.table7.is_some(),
        Needs::Table6Totals => plan.table6.as_deref().is_some_and(|t| t.rows.iter().any(|r| r.planned_total.is_some())),
    }
}

/// The result of auditing one plan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    pub findings: Vec<Finding>,
    /// Rules that could not be checked: the plan's sources lack their data.
    pub not_checked: Vec<&'static str>,
}

/// Runs every enabled rule on a plan. Findings are sorted by office, plan,
/// code and location (the contract order).
pub fn audit(plan: &CarePlan, forms: &LswForms, office: &str, constants: &Constants, config: &Config) -> Audit {
    let cx = Cx::new(plan, forms, constants, config);
    let mut result = Audit::default();
    // One `Out` for all rules: the plan key and office are shared by the
    // findings, not cloned per rule.
    let mut out = Out::new(rules::all()[0].info(), &plan.key, office);
    for rule in rules::all() {
        let info = rule.info();
        if !config.enabled(info.code) {
            continue;
        }
        if !info.needs.iter().all(|n| has(plan, *n)) {
            result.not_checked.push(info.code);
            continue;
        }
        out.info = info;
        out.severity = config.severity(info.code).unwrap_or(info.severity);
        let first = out.findings.len();
        rule.check(&cx, &mut out);
        // A configured severity wins over a rule's own tiers.
        if let Some(s) = config.severity(info.code) {
            out.findings[first..].iter_mut().for_each(|f| f.severity = s);
        }
    }
    result.findings = out.findings;
    // One plan and office: the contract order reduces to code, location, message.
    result.findings.sort_by(|a, b| (&a.code, &a.location, &a.message).cmp(&(&b.code, &b.location, &b.message)));
    result
}

/// Counts per severity.
pub fn counts(findings: &[Finding]) -> [usize; 3] {
    let mut c = [0; 3];
    for f in findings {
        c[f.severity as usize] += 1;
    }
    c
}
