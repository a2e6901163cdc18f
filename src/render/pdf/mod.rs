//! PDF through typst, embedded as a library.
//!
//! One [`Engine`] per run: the fonts are parsed once, the typst `Library` is
//! built once and the templates are read (and parsed) once. Each document
//! only brings its data, served as `/data.json` beside the template, so every
//! document uses the same few virtual paths (typst interns paths for the life
//! of the process). comemo's memo cache is evicted here and nowhere else,
//! after every [`EVICT_EVERY`] documents, so memory stays flat over any batch.
//!
//! Documents are compiled one at a time per worker thread ([`pool`]); typst
//! lays a document's page runs out in parallel, on the worker's own thread
//! when there is a worker per core.

pub mod pool;
pub mod supervise;
pub mod view;
mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::Point;
use typst::model::Document as _;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use world::DATA_PATH;

/// Documents between two evictions of comemo's cache. Measured over 300
/// plans on 2 workers (`cargo bench --bench pdf`): every 32 documents keeping
/// two rounds held ~950 MiB and was the slowest; every document, keeping
/// nothing, held ~150 MiB and was the fastest (a smaller heap is a warmer
/// one; documents share little memoised work beyond the parsed templates,
/// which live outside comemo). [`EngineOptions`] can set both for such
/// measurements (the CLI reads `LSW_PDF_EVICT_EVERY` / `LSW_PDF_EVICT_AGE`);
/// by default an unused entry survives no eviction.
pub const EVICT_EVERY: usize = 1;

/// The fonts compiled into the binary (SIL OFL, see templates/fonts/OFL.txt).
static BUILTIN_FONTS: [&[u8]; 4] = [
    include_bytes!("../../../templates/fonts/BIZUDPGothic-Regular.ttf"),
    include_bytes!("../../../templates/fonts/BIZUDPGothic-Bold.ttf"),
    include_bytes!("../../../templates/fonts/BIZUDGothic-Regular.ttf"),
    include_bytes!("../../../templates/fonts/BIZUDGothic-Bold.ttf"),
];

/// The built-in templates, by their path inside the template folder.
static BUILTIN_TEMPLATES: [(&str, &str); 5] = [
    ("common.typ", include_str!("../../../templates/common.typ")),
    (PAGE_NUMBERS, include_str!("../../../templates/page-numbers.typ")),
    ("plan.typ", include_str!("../../../templates/plan.typ")),
    ("office-report.typ", include_str!("../../../templates/office-report.typ")),
    ("summary.typ", include_str!("../../../templates/summary.typ")),
];

/// The template of the page numbers stamped on every finished document
/// (optional in a `--templates` folder: without it pages are not numbered).
/// Numbering pages inside a document's own footer needs typst's
/// introspection, which lays the whole document out a second time; stamping
/// them afterwards costs one small document instead.
const PAGE_NUMBERS: &str = "page-numbers.typ";

/// The documents lsw typesets, each from its own main template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// lsw.pdf of one plan.
    Plan,
    /// offices/<office>/audit-report.pdf.
    OfficeReport,
    /// summary.pdf of `lsw summary`.
    Summary,
}

impl Kind {
    pub fn template(self) -> &'static str {
        match self {
            Kind::Plan => "plan.typ",
            Kind::OfficeReport => "office-report.typ",
            Kind::Summary => "summary.typ",
        }
    }
}

/// PDF flavour (`--pdf-standard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Standard {
    /// Plain PDF 1.7.
    #[default]
    #[value(name = "1.7")]
    Pdf17,
    /// PDF/A-2b for archives.
    #[value(name = "a-2b")]
    A2b,
}

#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// `--templates`: a folder that replaces the built-in templates.
    pub templates: Option<PathBuf>,
    /// `--font-dir`: more fonts (.ttf .otf .ttc .otc), searched recursively.
    pub font_dirs: Vec<PathBuf>,
    /// The run's moment: `today()` in templates and the PDF creation date.
    pub moment: chrono::NaiveDateTime,
    pub standard: Standard,
    /// Tagged PDF (structure for screen readers; slower, larger).
    pub tagged: bool,
    /// Documents between two evictions of comemo's cache (0: [`EVICT_EVERY`]).
    pub evict_every: usize,
    /// Evictions an unused cache entry survives.
    pub evict_age: usize,
    /// What one document of a `--templates` folder may take (see [`supervise`]).
    pub budget: supervise::Budget,
    /// This process is the typesetting child of a run ([`supervise`]): it
    /// typesets the user's templates itself.
    pub in_child: bool,
}

/// What went wrong typesetting one document, in Japanese.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct RenderError(pub String);

pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Files of the template folder, by path relative to it (`/` separated).
    files: BTreeMap<String, Bytes>,
    /// Where the templates come from, for messages.
    origin: String,
    today: Datetime,
    timestamp: Timestamp,
    standards: PdfStandards,
    tagged: bool,
    rendered: AtomicUsize,
    evict_every: usize,
    evict_age: usize,
    /// Serialises eviction against itself (compilations go on meanwhile).
    evicting: Mutex<()>,
    /// User templates are typeset in supervised children (`None` for the
    /// built-in ones, and in the child itself).
    supervised: Option<supervise::Supervised>,
}

impl Engine {
    pub fn new(opts: &EngineOptions) -> anyhow::Result<Self> {
        let mut fonts: Vec<Font> = Vec::new();
        for data in BUILTIN_FONTS {
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        for dir in &opts.font_dirs {
            let before = fonts.len();
            for path in crate::files::files_below(dir).map_err(|e| {
                anyhow::anyhow!("フォントフォルダ {} を読めません: {}", dir.display(), crate::diag::io_error_ja(&e))
            })? {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                    continue;
                }
                let data = std::fs::read(&path)
                    .map_err(|e| anyhow::anyhow!("フォント {} を読めません: {e}", path.display()))?;
                fonts.extend(Font::iter(Bytes::new(data)));
            }
            if fonts.len() == before {
                anyhow::bail!("フォントフォルダ {} にフォント（.ttf .otf .ttc .otc）がありません", dir.display());
            }
        }
        let book = FontBook::from_fonts(&fonts);
        let (files, origin) = match &opts.templates {
            None => (
                BUILTIN_TEMPLATES.iter().map(|(p, t)| (p.to_string(), Bytes::from_string(t.to_string()))).collect(),
                "組み込みテンプレート".to_string(),
            ),
            Some(dir) => (read_template_dir(dir)?, format!("テンプレートフォルダ {}", dir.display())),
        };
        let m = opts.moment;
        use chrono::{Datelike, Timelike};
        // The moment is UTC; the forms' "today" is the date in Japan.
        let day = (m + chrono::Duration::hours(9)).date();
        let today = Datetime::from_ymd(day.year(), day.month() as u8, day.day() as u8)
            .ok_or_else(|| anyhow::anyhow!("実行日 {m} を日付にできません"))?;
        let moment = Datetime::from_ymd_hms(
            m.year(),
            m.month() as u8,
            m.day() as u8,
            m.hour() as u8,
            m.minute() as u8,
            m.second() as u8,
        )
        .ok_or_else(|| anyhow::anyhow!("実行日時 {m} を日時にできません"))?;
        let list: &[PdfStandard] = match opts.standard {
            Standard::Pdf17 => &[],
            Standard::A2b => &[PdfStandard::A_2b],
        };
        let standards =
            PdfStandards::new(list).map_err(|e| anyhow::anyhow!("PDF規格を設定できません: {}", e.message()))?;
        let mut library = Library::builder().build();
        if opts.templates.is_some() {
            refuse_plugins(&mut library);
        }
        let supervised = (opts.templates.is_some() && !opts.in_child).then(|| supervise::Supervised::new(opts));
        Ok(Engine {
            library: LazyHash::new(library),
            book: LazyHash::new(book),
            fonts,
            files,
            origin,
            today,
            timestamp: Timestamp::new_utc(moment),
            standards,
            tagged: opts.tagged,
            rendered: AtomicUsize::new(0),
            evict_every: if opts.evict_every == 0 { EVICT_EVERY } else { opts.evict_every },
            evict_age: opts.evict_age,
            evicting: Mutex::new(()),
            supervised,
        })
    }

    /// Fails unless the templates of `kinds` are there (checked before a
    /// run starts, not per document).
    pub fn require(&self, kinds: &[Kind]) -> anyhow::Result<()> {
        for kind in kinds {
            if !self.files.contains_key(kind.template()) {
                anyhow::bail!("{} に {} がありません", self.origin, kind.template());
            }
        }
        Ok(())
    }

    /// Typesets one document: `kind`'s template over `data` (JSON).
    /// `ident` identifies the document across re-renders (the plan key).
    /// A user's templates are typeset in a supervised child ([`supervise`]).
    pub fn render(&self, kind: Kind, data: Vec<u8>, ident: &str) -> Result<Vec<u8>, RenderError> {
        // Printed text shows vendors' half-width katakana full-width, in
        // every template (the JSON outputs keep them as read).
        let data = crate::render::display::full_width_kana_json(data);
        match &self.supervised {
            Some(s) => {
                let pdf = supervise::render(s, kind, &data, ident);
                self.rendered.fetch_add(1, Ordering::Relaxed);
                pdf
            }
            None => self.render_here(kind, data, ident),
        }
    }

    /// [`render`](Self::render) in this process.
    fn render_here(&self, kind: Kind, data: Vec<u8>, ident: &str) -> Result<Vec<u8>, RenderError> {
        let world = world::DocWorld::new(self, kind.template(), Bytes::new(data));
        let compiled = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errs| RenderError(self.describe(&world, errs.as_slice())))
            .and_then(|doc| self.number_pages(doc));
        let bytes = compiled.and_then(|doc| {
            let options = PdfOptions {
                ident: Smart::Custom(ident.to_string()),
                creator: Smart::Custom(Some(format!("lsw {}", env!("CARGO_PKG_VERSION")))),
                timestamp: Some(self.timestamp),
                page_ranges: None,
                standards: self.standards.clone(),
                // Off by default (`--tagged-pdf`): PDF/A-2b does not ask for
                // tags, and they make each plan's PDF 1.7× larger.
                tagged: self.tagged,
                pretty: false,
            };
            typst_pdf::pdf(&doc, &options).map_err(|errs| RenderError(self.describe(&world, errs.as_slice())))
        });
        self.done_one();
        bytes
    }

    /// Stamps "i / n" on each page of `doc`: page i of [`PAGE_NUMBERS`]
    /// typeset for the same page sizes, laid over page i.
    fn number_pages(&self, doc: PagedDocument) -> Result<PagedDocument, RenderError> {
        if !self.files.contains_key(PAGE_NUMBERS) {
            return Ok(doc);
        }
        let sizes: Vec<[f64; 2]> =
            doc.pages().iter().map(|p| [p.frame.width().to_pt(), p.frame.height().to_pt()]).collect();
        let data = serde_json::to_vec(&serde_json::json!({ "pages": sizes }))
            .map_err(|e| RenderError(format!("ページ番号のデータを作れません: {e}")))?;
        let world = world::DocWorld::new(self, PAGE_NUMBERS, Bytes::new(data));
        let stamps = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errs| RenderError(self.describe(&world, errs.as_slice())))?;
        if stamps.pages().len() != doc.pages().len() {
            return Err(RenderError(format!(
                "PDFを組版できませんでした（{}）: {PAGE_NUMBERS} が {} ページを組版しました（{} ページのはずです）",
                self.origin,
                stamps.pages().len(),
                doc.pages().len()
            )));
        }
        let pages = doc
            .pages()
            .iter()
            .zip(stamps.pages())
            .map(|(page, stamp)| {
                let mut page = page.clone();
                page.frame.push_frame(Point::zero(), stamp.frame.clone());
                page
            })
            .collect();
        Ok(PagedDocument::new(pages, doc.info().clone()))
    }

    fn done_one(&self) {
        let n = self.rendered.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(self.evict_every) {
            if let Ok(_g) = self.evicting.try_lock() {
                typst::comemo::evict(self.evict_age);
            }
        }
    }

    /// Documents typeset so far.
    pub fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    fn describe(&self, world: &world::DocWorld, errs: &[SourceDiagnostic]) -> String {
        let mut parts = Vec::new();
        for e in errs.iter().filter(|e| e.severity == TypstSeverity::Error) {
            let place = world.place(e.span);
            let (message, sandbox) = japanese(&e.message);
            let mut s = format!("{}{message}", place.map(|p| format!("{p}: ")).unwrap_or_default());
            if sandbox {
                s.push_str(SANDBOX_NOTE);
            } else {
                for h in &e.hints {
                    s.push_str(&format!("（ヒント: {}）", h.v));
                }
            }
            parts.push(s);
        }
        format!("PDFを組版できませんでした（{}）: {}", self.origin, parts.join(" / "))
    }
}

/// What a template calling `plugin` gets: WebAssembly runs outside what
/// the run can stop or bound (a 56-byte plugin that loops held a run).
const PLUGIN_REFUSED: &str =
    "テンプレートでは plugin（WebAssembly のプラグイン）は使えません。プラグインを使わずに書いてください";

fn refused_plugin(
    _: &mut typst::engine::Engine,
    _: typst::comemo::Tracked<typst::foundations::Context>,
    args: &mut typst::foundations::Args,
) -> typst::diag::SourceResult<typst::foundations::Value> {
    typst::diag::bail!(args.span, "{PLUGIN_REFUSED}")
}

fn no_scope() -> typst::foundations::Scope {
    typst::foundations::Scope::new()
}

fn no_params() -> Vec<typst::foundations::NativeParamInfo> {
    Vec::new()
}

fn any_cast() -> typst::foundations::CastInfo {
    typst::foundations::CastInfo::Any
}

static REFUSED_PLUGIN: typst::foundations::NativeFuncData = typst::foundations::NativeFuncData {
    function: typst::foundations::NativeFuncPtr(&refused_plugin),
    name: "plugin",
    title: "Plugin",
    docs: "",
    def_site: None,
    keywords: &[],
    contextual: false,
    scope: std::sync::LazyLock::new(&(no_scope as fn() -> _)),
    params: std::sync::LazyLock::new(&(no_params as fn() -> _)),
    returns: std::sync::LazyLock::new(&(any_cast as fn() -> _)),
};

/// `plugin` (and `std.plugin`) in a user template's library: an error
/// saying plugins are not allowed.
fn refuse_plugins(library: &mut Library) {
    let refused = typst::foundations::Binding::detached(typst::foundations::Func::from(&REFUSED_PLUGIN));
    library.global.scope_mut().bind("plugin".into(), refused);
    library.std = typst::foundations::Binding::detached(library.global.clone());
}

const SANDBOX_NOTE: &str = "（テンプレートが読めるのはテンプレートフォルダのファイルと /data.json だけです）";

/// typst's messages about files in Japanese; the flag says the template
/// reached outside its sandbox. Other messages stay as typst words them.
fn japanese(message: &str) -> (String, bool) {
    if message == PLUGIN_REFUSED {
        return (message.to_string(), false);
    }
    if let Some(rest) = message.strip_prefix("failed to load file (").and_then(|r| r.strip_suffix(')')) {
        return (format!("ファイルを読み込めません: {rest}"), false);
    }
    if let Some(rest) = message.strip_prefix("path ").and_then(|r| r.strip_suffix(" would escape the project root")) {
        return (format!("パス {rest} はテンプレートフォルダの外を指しています"), true);
    }
    (format!("typst: {message}"), false)
}

/// The template folder read into memory: templates can reach nothing else.
fn read_template_dir(dir: &Path) -> anyhow::Result<BTreeMap<String, Bytes>> {
    let mut files = BTreeMap::new();
    let paths = crate::files::files_below(dir).map_err(|e| {
        anyhow::anyhow!("テンプレートフォルダ {} を読めません: {}", dir.display(), crate::diag::io_error_ja(&e))
    })?;
    for path in paths {
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        let key = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
        if key == world::DATA_PATH.trim_start_matches('/') {
            anyhow::bail!("テンプレートフォルダ {} の data.json は計画データの名前なので使えません", dir.display());
        }
        let data =
            std::fs::read(&path).map_err(|e| anyhow::anyhow!("テンプレート {} を読めません: {e}", path.display()))?;
        files.insert(key, Bytes::new(data));
    }
    Ok(files)
}

/// The run's date in 和暦 (Japan's date of the moment).
pub fn run_date(moment: chrono::NaiveDateTime) -> String {
    crate::model::wareki::date((moment + chrono::Duration::hours(9)).date())
}

/// The run's moment: `SOURCE_DATE_EPOCH` when set (reproducible builds'
/// convention), else the start of today in Japan, so that runs of one day
/// give the same bytes.
pub fn run_moment() -> anyhow::Result<chrono::NaiveDateTime> {
    let jst = chrono::FixedOffset::east_opt(9 * 3600).expect("fixed offset");
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 =
            v.trim().parse().map_err(|_| anyhow::anyhow!("SOURCE_DATE_EPOCH「{v}」は秒数（整数）ではありません"))?;
        let t = chrono::DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| anyhow::anyhow!("SOURCE_DATE_EPOCH「{v}」は日時にできません"))?;
        return Ok(t.naive_utc());
    }
    let today = chrono::Utc::now().with_timezone(&jst).date_naive();
    // 00:00 JST expressed in UTC (the PDF timestamp is written as UTC).
    Ok(today.and_hms_opt(0, 0, 0).expect("midnight") - chrono::Duration::hours(9))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lsw::{Form3Need, LswForms, Placed};

    fn engine() -> Engine {
        let moment = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).and_then(|d| d.and_hms_opt(15, 0, 0)).expect("date");
        Engine::new(&EngineOptions { moment, ..Default::default() }).expect("engine")
    }

    fn placed(t: &str) -> Placed {
        Placed::new(t, None)
    }

    fn text_of(pdf: &[u8]) -> String {
        squeezed(&pdf_extract::extract_text_from_mem(pdf).expect("extract"))
    }

    /// Extracted text without whitespace and zero-width spaces.
    fn squeezed(t: &str) -> String {
        t.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
    }

    /// A need whose cells run over several pages: every character is still
    /// in the PDF (nothing clipped) and the table header repeats.
    #[test]
    fn long_cells_break_across_pages_with_repeated_headers() {
        let mut forms = LswForms::default();
        forms.header.person_name = Some("試験　太郎".into());
        let long: String = (1..=400).map(|i| format!("手順{i}を本人と確認する。")).collect();
        forms.form3.needs.push(Form3Need { need: placed("自宅で安全に入浴したい"), ..Default::default() });
        forms.form3.needs[0].person.push(placed(&long));
        let doc = view::plan_doc(&forms, &[], &[], "令和8年11月21日");
        let e = engine();
        let pdf = e.render(Kind::Plan, serde_json::to_vec(&doc).expect("json"), "test").expect("render");
        let t = text_of(&pdf);
        for i in [1, 137, 400] {
            assert!(t.contains(&format!("手順{i}を本人と確認する。")), "step {i} missing");
        }
        assert!(t.matches("当面の目標・ニーズ").count() >= 3, "header repeated on each page of the table");
        assert!(
            t.contains("利用者氏名：試験　太郎　様".replace('　', "").as_str()) || t.contains("利用者氏名：試験太郎様")
        );
    }

    /// 様式4 rows whose empty cells are merged cannot break across pages; a
    /// row with long text keeps its cells and breaks (nothing runs off the
    /// A3 page).
    #[test]
    fn a_long_form4_row_breaks_across_pages() {
        use crate::model::lsw::Form4Slot;
        let mut forms = LswForms::default();
        for (t, band) in [("06:00", "早朝"), ("08:00", "午前"), ("12:00", "午後")] {
            forms.form4.slots.push(Form4Slot { time: t.into(), band: band.into(), ..Default::default() });
        }
        let long: String = (1..=300).map(|i| format!("暮らしの記録{i}。")).collect();
        forms.form4.slots[1].before.push(placed(&long));
        let doc = view::plan_doc(&forms, &[], &[], "令和8年11月21日");
        let pdf = engine().render(Kind::Plan, serde_json::to_vec(&doc).expect("json"), "long4").expect("render");
        let pages: Vec<String> =
            pdf_extract::extract_text_from_mem_by_pages(&pdf).expect("pages").iter().map(|t| squeezed(t)).collect();
        let page_of = |s: &str| pages.iter().position(|t| t.contains(s)).unwrap_or_else(|| panic!("{s} missing"));
        // The row starts on one page and goes on on the next (an overflowing
        // row would keep all of its text on one page, running off it).
        assert!(page_of("暮らしの記録300。") > page_of("暮らしの記録1。"), "the long row breaks");
        let _ = page_of("暮らしの記録150。");
        assert!(pages[page_of("暮らしの記録300。")].contains("時間帯"), "header repeated");
    }

    #[test]
    fn an_empty_plan_still_gives_every_form() {
        let doc = view::plan_doc(&LswForms::default(), &[], &["T6-05"], "令和8年11月21日");
        let pdf = engine().render(Kind::Plan, serde_json::to_vec(&doc).expect("json"), "empty").expect("render");
        let t = text_of(&pdf);
        for s in ["様式３", "様式１", "様式２", "様式４", "点検結果", "指摘はありません", "T6-05", "記録はありません"]
        {
            assert!(t.contains(s), "{s}");
        }
        assert!(!t.contains("第６表"), "no 第6表 without one");
    }

    #[test]
    fn bad_data_is_an_error_not_a_panic() {
        let e = engine();
        let err = e.render(Kind::Plan, b"{\"head\": 1}".to_vec(), "bad").expect_err("fails");
        assert!(err.0.starts_with("PDFを組版できませんでした（組み込みテンプレート）"), "{}", err.0);
        assert!(err.0.contains("plan.typ"), "names the template: {}", err.0);
        let err = e.render(Kind::OfficeReport, b"not json".to_vec(), "bad").expect_err("fails");
        assert!(err.0.contains("data.json"), "names the data: {}", err.0);
    }

    #[test]
    fn fonts_and_templates_are_checked_up_front() {
        let dir = tempfile::tempdir().expect("tmp");
        let moment = chrono::NaiveDateTime::default();
        let e = Engine::new(&EngineOptions { font_dirs: vec![dir.path().into()], moment, ..Default::default() });
        let msg = e.err().expect("no fonts").to_string();
        assert!(msg.contains("フォント（.ttf .otf .ttc .otc）がありません"), "{msg}");
        std::fs::copy("templates/fonts/BIZUDGothic-Regular.ttf", dir.path().join("extra.ttf")).expect("copy");
        let e = Engine::new(&EngineOptions { font_dirs: vec![dir.path().into()], moment, ..Default::default() })
            .expect("engine with an extra font");
        assert_eq!(e.fonts.len(), 5);
    }

    #[test]
    fn run_date_is_the_date_in_japan() {
        // 15:00 UTC is midnight in Japan: the next day.
        let m = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).and_then(|d| d.and_hms_opt(15, 0, 0)).expect("date");
        assert_eq!(run_date(m), "令和8年11月21日");
        assert_eq!(run_date(m - chrono::Duration::seconds(1)), "令和8年11月20日");
    }
}
