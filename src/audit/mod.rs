//! Audit (ケアプラン点検): deterministic rules with stable codes.
//!
//! In: a [`CarePlan`], its [`LswForms`], the constants in force and the run's
//! [`Config`] (with the audit date). Out: [`Finding`]s (code, severity,
//! Japanese message with the concrete values, position, how to fix it), the
//! codes of rules that could not be checked because the plan's sources do not
//! carry their data, and — for a 介護予防 plan — the rules that do not apply
//! to it. One rule per file under `rules/`; its doc comment (何を検査するか /
//! なぜ問題か / 例 / 直し方 / 根拠) is what `lsw rule CODE` prints. Codes come
//! from the audit catalogue and are never reused. Services are recognised by
//! the one service catalogue ([`crate::model::services`]); word lists and
//! dated constants are data (`mappings/audit-constants.toml`).

pub mod config;
pub mod constants;
pub mod context;
pub mod frequency;
pub mod guide;
pub mod records;
pub mod rules;
pub mod words;

use crate::diag::Source;
use crate::model::lsw::LswForms;
use crate::model::{CarePlan, PlanKey};
pub use config::Config;
pub use constants::Constants;
pub use context::{Cx, GoalText, NeedTexts, PlanKind, ServiceView};
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

/// Which plans a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// Every plan, 介護予防 ones included (第6/7表 arithmetic, identity,
    /// certification, 福祉用具).
    All,
    /// 居宅サービス計画 (居宅介護支援) only: the 様式 and the 運営基準 they
    /// check are not those of a 介護予防サービス・支援計画.
    Care,
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
    /// Inputs that carry a 第4表 at all (a plan without a meeting is then
    /// a finding, not a gap of the format).
    Table4Form,
    /// Inputs that carry a 第5表 at all.
    Table5Form,
    /// Inputs that carry a 第4表 or a 第5表 (records of the process).
    Records,
    /// Inputs that carry the 説明・同意日.
    Consent,
    /// An audit date (`--audit-date`, by default the run's day).
    AuditDate,
}

/// The fixed description of a rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    /// The one severity of every finding of the rule (a config may change it
    /// for all of them).
    pub severity: Severity,
    pub title: &'static str,
    pub check: Check,
    pub needs: &'static [Needs],
    pub applies: Applies,
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
        let mut guides = guide::of(self.code).peekable();
        if guides.peek().is_some() {
            out.push_str("\n # 判定の目安\n");
            for g in guides {
                for line in g.text().lines() {
                    out.push(' ');
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The manual's 直し方, as one line: what a finding tells the reader
    /// to do when its rule gives no more specific hint.
    pub fn fix(&self) -> String {
        let manual = self.manual();
        let mut lines = manual.lines().map(str::trim).skip_while(|l| *l != "# 直し方").skip(1);
        lines.by_ref().take_while(|l| !l.starts_with('#')).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("")
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
    /// How to fix it (直し方); every finding has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Cow<'static, str>>,
}

/// Where a rule puts its findings; code, severity and title come from the rule.
pub struct Out<'a> {
    info: &'a RuleInfo,
    /// The rule's 直し方 when the loop over the built-in rules knows it.
    fix: Option<&'static str>,
    severity: Severity,
    plan: std::sync::Arc<PlanKey>,
    office: std::sync::Arc<str>,
    pub findings: Vec<Finding>,
}

impl<'a> Out<'a> {
    /// An empty sink for `info`'s findings on a plan.
    pub fn new(info: &'a RuleInfo, plan: &PlanKey, office: &str) -> Out<'a> {
        Out {
            info,
            fix: None,
            severity: info.severity,
            plan: plan.clone().into(),
            office: office.into(),
            findings: Vec::new(),
        }
    }

    /// Adds a finding at `location`; without a `hint` the rule's 直し方 is used.
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
        let hint = match hint {
            Some(h) => Cow::Borrowed(h),
            None => self.fix.map_or_else(|| fix_of(self.info), Cow::Borrowed),
        };
        self.findings.push(Finding {
            code: Cow::Borrowed(self.info.code),
            severity: self.severity,
            title: Cow::Borrowed(self.info.title),
            message,
            plan: self.plan.clone(),
            office: self.office.clone(),
            location,
            evidence: evidence.filter(|e| !e.trim().is_empty()),
            hint: Some(hint),
        });
    }
}

/// The 直し方 of a rule outside the loop of [`audit`] (which hands each
/// built-in rule its own): the built-in rule's, read once per process with
/// the rule table, else read from the manual now.
fn fix_of(info: &RuleInfo) -> Cow<'static, str> {
    // Only when it is the built-in rule's own manual.
    match entries().iter().find(|e| e.rule.info.code == info.code && std::ptr::eq(e.rule.info.source, info.source)) {
        Some(e) => Cow::Borrowed(e.fix.as_str()),
        None => Cow::Owned(info.fix()),
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

impl Needs {
    /// Every variant ([`has`] answers each; a variant left out here would
    /// leave its rules never checked, which their tests would show).
    const ALL: [Needs; 13] = [
        Needs::Table1,
        Needs::Table2,
        Needs::Table3,
        Needs::Table4,
        Needs::Table5,
        Needs::Table6,
        Needs::Table7,
        Needs::Table6Totals,
        Needs::Table4Form,
        Needs::Table5Form,
        Needs::Records,
        Needs::Consent,
        Needs::AuditDate,
    ];

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// What the loop over the rules asks of each, in the rules' order, read
/// once per process: a plan's audit checks a hundred rules, and reading
/// each rule's description where it lies costs more than the check.
struct Entry {
    rule: &'static Rule,
    /// Its manual's 直し方.
    fix: String,
    /// [`Needs`] bits.
    needs: u16,
    care_only: bool,
}

fn entries() -> &'static [Entry] {
    static ENTRIES: std::sync::LazyLock<Vec<Entry>> = std::sync::LazyLock::new(|| {
        rules::all()
            .iter()
            .map(|&rule| Entry {
                rule,
                fix: rule.info.fix(),
                needs: rule.info.needs.iter().fold(0, |m, n| m | n.bit()),
                care_only: rule.info.applies == Applies::Care,
            })
            .collect()
    });
    &ENTRIES
}

/// Whether the plan carries what a rule needs.
fn has(cx: &Cx, need: Needs) -> bool {
    let plan = cx.plan;
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
        Needs::Table4Form => !plan.table4.is_empty() || plan.declares(crate::model::fields::F::HeldOn),
        Needs::Table5Form => !plan.table5.is_empty() || plan.declares(crate::model::fields::F::Date),
        Needs::Records => has(cx, Needs::Table4Form) || has(cx, Needs::Table5Form),
        Needs::Consent => plan.table1.consent_on.is_some() || plan.declares(crate::model::fields::F::ConsentOn),
        Needs::AuditDate => cx.config.audit_date.is_some(),
    }
}

/// The result of auditing one plan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    pub findings: Vec<Finding>,
    /// Rules that could not be checked: the plan's sources lack their data.
    pub not_checked: Vec<&'static str>,
    /// Rules not applied because the plan is a 介護予防 plan (Y-01 says why).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<&'static str>,
}

/// Runs every enabled rule on a plan. Findings are sorted by office, plan,
/// code and location (the contract order).
pub fn audit(plan: &CarePlan, forms: &LswForms, office: &str, constants: &Constants, config: &Config) -> Audit {
    let cx = Cx::new(plan, forms, constants, config);
    let preventive = cx.kind().preventive.is_some();
    let mut result = Audit::default();
    // One `Out` for all rules: the plan key and office are shared by the
    // findings, not cloned per rule.
    let mut out = Out::new(rules::all()[0].info(), &plan.key, office);
    // A plan has about fifteen findings: room made once, not by doubling.
    out.findings.reserve(16);
    // What the plan carries, once for all rules.
    let carried = Needs::ALL.iter().filter(|n| has(&cx, **n)).fold(0, |m, n| m | n.bit());
    for e in entries() {
        let info = e.rule.info();
        if !config.enabled(info.code) {
            continue;
        }
        if preventive && e.care_only {
            result.not_applicable.push(info.code);
            continue;
        }
        if e.needs & !carried != 0 {
            result.not_checked.push(info.code);
            continue;
        }
        out.info = info;
        out.fix = Some(e.fix.as_str());
        out.severity = config.severity(info.code).unwrap_or(info.severity);
        e.rule.check(&cx, &mut out);
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
