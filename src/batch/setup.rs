//! What a run needs before it reads anything: its mappings, placement
//! rules, audit settings, the output folder (locked), what earlier runs left,
//! the PDF workers, and the fingerprint of everything that shapes an output.

use super::{incremental, read, RunOptions};
use crate::mapping::Mapping;
use crate::render::pdf;
use anyhow::Context as _;
use std::path::Path;
use std::sync::Arc;

/// The run's fixed parts, made once before the first file is read.
pub(super) struct Setup {
    pub mappings: Vec<Mapping>,
    pub pool: rayon::ThreadPool,
    pub rules: crate::lsw::rules::Compiled,
    /// The `--config` text (its hash is part of the settings).
    pub config_text: Option<String>,
    pub audit_config: crate::audit::Config,
    pub constants: crate::audit::Constants,
    /// Fingerprint of everything an output depends on besides its plan.
    pub settings: String,
    pub previous: incremental::Previous,
    pub journal: Arc<incremental::Journal>,
    /// PDF workers (`None` with `--no-pdf`).
    pub renderer: Option<pdf::pool::Pool>,
    /// 点検日 printed on the PDFs (和暦).
    pub run_date: String,
    /// The files every plan folder holds.
    pub plan_files: Vec<&'static str>,
    /// The office's roster (利用者一覧), if the run has one.
    pub roster: Option<crate::mapping::roster::Roster>,
    /// How printed outputs name the input files (relative to the inputs).
    pub places: crate::render::display::Places,
    /// Problems found before reading the inputs (the roster's).
    pub problems: Vec<crate::diag::Problem>,
    /// The output folder's lock, held until the run returns: a nightly run
    /// that overlaps the next one (or a second run started by hand) would
    /// clear the first one's temporaries and interleave both runs' files.
    _lock: std::fs::File,
}

impl Setup {
    pub fn prepare(opts: &RunOptions) -> anyhow::Result<Setup> {
        // Where the run may write, checked before anything is made there.
        super::guard::output_folder(&opts.out, opts.force)?;
        let (jobs, jobs_note) = super::guard::jobs(opts.jobs);
        if let (Some(note), false) = (jobs_note, opts.quiet) {
            eprintln!("注意: {note}");
        }
        let mappings = read::load_mappings(&opts.mappings)?;
        let pool = super::thread_pool(jobs)?;
        let rules = load_lsw_rules(opts.lsw_rules.as_deref())?;
        let config_text = match &opts.audit_config {
            Some(p) => Some(
                std::fs::read_to_string(p)
                    .with_context(|| format!("点検の設定ファイル {} を読み込めません", p.display()))?,
            ),
            None => None,
        };
        let (run_config, audit_config) = match (&config_text, &opts.audit_config) {
            (Some(t), Some(p)) => read_config(t, p).map_err(anyhow::Error::msg)?,
            _ => (RunConfig::default(), crate::audit::Config::default()),
        };
        // Every run sets them: a library caller's earlier run leaves none behind.
        crate::ingest::limits::set(run_config.limits);
        let budget = run_config.budget;
        let audit_date = match opts.audit_date {
            Some(d) => d,
            None => (pdf::run_moment()? + chrono::Duration::hours(9)).date(),
        };
        let audit_config = audit_config.on(Some(audit_date));
        // The roster: `--roster`, else the config file's `roster`.
        let mut problems = Vec::new();
        let roster =
            opts.roster.clone().or(run_config.roster).map(|p| crate::mapping::roster::Roster::read(&p, &mut problems));
        let out = &opts.out;
        crate::files::create_out_dir(out)?;
        let lock = crate::files::lock_output(out)?;
        let places = super::discover::places(&opts.inputs);
        let settings = settings_fingerprint(opts, &mappings, config_text.as_deref(), crate::BUILD_ID, &places)?;
        crate::files::remove_stale_temporaries(out);
        // --force redoes every plan, but a workbook changed by hand is still
        // never overwritten: the hashes of lsw's own workbooks are kept.
        let previous = match incremental::Previous::load(out) {
            p if opts.force => incremental::Previous { workbooks: p.workbooks, ..Default::default() },
            p => p,
        };
        let journal = Arc::new(incremental::Journal::open(out));
        let renderer = match &opts.pdf {
            Some(o) => {
                let o = pdf::EngineOptions { budget, ..o.clone() };
                let engine = Arc::new(pdf::Engine::new(&o)?);
                engine.require(&[pdf::Kind::Plan, pdf::Kind::OfficeReport])?;
                let workers = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
                Some(pdf::pool::Pool::new(engine, workers))
            }
            None => None,
        };
        let run_date = opts.pdf.as_ref().map(|o| pdf::run_date(o.moment)).unwrap_or_default();
        let mut plan_files = vec!["plan.json", "lsw.json", "findings.json"];
        if !opts.no_xlsx {
            plan_files.push("lsw.xlsx");
        }
        if opts.pdf.is_some() {
            plan_files.push("lsw.pdf");
        }
        Ok(Setup {
            mappings,
            pool,
            rules,
            config_text,
            audit_config,
            constants: crate::audit::Constants::builtin(),
            settings,
            previous,
            journal,
            renderer,
            run_date,
            plan_files,
            roster,
            places,
            problems,
            _lock: lock,
        })
    }
}

/// The run's own settings in the `--config` file (the rest of the file is
/// the audit's, see [`crate::audit::Config`]):
///
/// ```toml
/// roster = "利用者一覧.csv"   # relative to the config file's folder
///
/// [limits]                   # docs/limits.md
/// file_mb = 512
/// ```
#[derive(Debug, Default)]
pub(super) struct RunConfig {
    pub roster: Option<std::path::PathBuf>,
    /// What an input may be at most ([`crate::ingest::limits`]).
    pub limits: crate::ingest::limits::Limits,
    /// What one PDF of a `--templates` folder may take.
    pub budget: pdf::supervise::Budget,
}

/// Splits a config file into the run's settings and the audit's.
fn read_config(text: &str, path: &Path) -> Result<(RunConfig, crate::audit::Config), String> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        format!(
            "設定ファイル {} の{line}行目を TOML として読めません（{}）",
            path.display(),
            crate::diag::toml_ja(e.message())
        )
    })?;
    let mut run = RunConfig::default();
    if let Some(v) = table.remove("roster") {
        let Some(s) = v.as_str() else {
            return Err(format!("設定ファイル {} の roster はファイル名を文字列で書きます", path.display()));
        };
        let base = path.parent().unwrap_or(Path::new("."));
        run.roster = Some(base.join(s));
    }
    if let Some(v) = table.remove("limits") {
        let Some(t) = v.as_table() else {
            return Err(format!("設定ファイル {} の limits は [limits] の表で書きます", path.display()));
        };
        let mut t = t.clone();
        for (key, slot) in [("template_seconds", &mut run.budget.seconds), ("template_mb", &mut run.budget.memory_mb)] {
            if let Some(v) = t.remove(key) {
                // Typesetting itself needs about 2 GB of address space (its
                // threads and allocator reserve it): less fails every PDF.
                let least = if key == "template_mb" { 2048 } else { 1 };
                match v.as_integer() {
                    Some(n) if n >= least => *slot = n as u64,
                    _ => {
                        return Err(format!(
                            "設定ファイル {} の [limits] の {key} は{least}以上の整数で書きます",
                            path.display()
                        ))
                    }
                }
            }
        }
        run.limits = crate::ingest::limits::Limits::from_table(&t).map_err(|ps| {
            let lines: Vec<String> = ps.iter().map(|p| format!("  {p}")).collect();
            format!("設定ファイル {} の [limits] に問題があります:\n{}", path.display(), lines.join("\n"))
        })?;
    }
    let audit = crate::audit::Config::from_table(table)?;
    Ok((run, audit))
}

/// The placement rules: the shipped ones, or an office's own file.
pub fn load_lsw_rules(path: Option<&Path>) -> anyhow::Result<crate::lsw::rules::Compiled> {
    let Some(path) = path else { return Ok(crate::lsw::rules::builtin()) };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("振り分けルール {} を読み込めません", path.display()))?;
    crate::lsw::rules::load(&text).map_err(|ps| {
        let lines: Vec<String> = ps.iter().map(|p| format!("  {}:{p}", path.display())).collect();
        anyhow::anyhow!("振り分けルール {} に問題があります:\n{}", path.display(), lines.join("\n"))
    })
}

/// The audit as configured: which rules run, at which severity, with which
/// thresholds (the config text), under this tool version's constants.
pub(super) fn rule_set_fingerprint(config: &crate::audit::Config, text: Option<&str>) -> String {
    let mut s = incremental::Settings::new();
    for rule in crate::audit::rules::all() {
        let info = rule.info();
        let severity = config.severity(info.code).unwrap_or(info.severity);
        s.add(info.code, format!("{} {}", config.enabled(info.code), severity.ja()).as_bytes());
    }
    s.add("config", text.unwrap_or("").as_bytes());
    s.finish()
}

/// What every output depends on besides a plan's own content: this build
/// (its sources and embedded assets, see `crate::BUILD_ID`), the mappings,
/// the placement rules, the audit config, templates, fonts, output switches
/// and the input paths printed names are relative to.
fn settings_fingerprint(
    opts: &RunOptions,
    mappings: &[Mapping],
    config: Option<&str>,
    build: &str,
    places: &crate::render::display::Places,
) -> anyhow::Result<String> {
    let mut s = incremental::Settings::new();
    s.add("build", build.as_bytes());
    s.add("places", places.fingerprint().as_bytes());
    for m in mappings {
        s.add("mapping", m.sha256.as_bytes());
    }
    s.add("encoding", format!("{:?}", opts.encoding).as_bytes());
    if let Some(p) = &opts.lsw_rules {
        s.add("lsw-rules", &std::fs::read(p).with_context(|| format!("{} を読み込めません", p.display()))?);
    }
    s.add("config", config.unwrap_or("").as_bytes());
    s.add("xlsx", &[u8::from(!opts.no_xlsx)]);
    match &opts.pdf {
        None => s.add("pdf", b"off"),
        Some(o) => {
            s.add("pdf", format!("{:?} tagged={}", o.standard, o.tagged).as_bytes());
            s.add("report-plans", opts.report_plans.to_string().as_bytes());
            if let Some(t) = &o.templates {
                s.add_dir("templates", t)
                    .with_context(|| format!("テンプレートフォルダ {} を読めません", t.display()))?;
            }
            for d in &o.font_dirs {
                s.add_dir("fonts", d).with_context(|| format!("フォントフォルダ {} を読めません", d.display()))?;
            }
        }
    }
    Ok(s.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build with other sources or assets (another build identity) makes
    /// other settings, so an incremental run redoes every plan.
    #[test]
    fn the_build_identity_is_part_of_the_settings() {
        let opts = RunOptions::new(vec![], "out".into());
        let mappings = read::load_mappings(&[]).expect("mappings");
        let a =
            settings_fingerprint(&opts, &mappings, None, "0123456789abcdef", &Default::default()).expect("settings");
        let b =
            settings_fingerprint(&opts, &mappings, None, "fedcba9876543210", &Default::default()).expect("settings");
        assert_ne!(a, b);
        assert_eq!(
            a,
            settings_fingerprint(&opts, &mappings, None, "0123456789abcdef", &Default::default()).expect("settings")
        );
        assert_eq!(crate::BUILD_ID.len(), 16, "{}", crate::BUILD_ID);
    }
}
