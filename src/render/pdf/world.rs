//! The typst `World` of one document: the engine's shared fonts, library and
//! template files, plus this document's data. The sandbox is here: paths
//! resolve only to files of the template folder (held in memory) and to
//! `/data.json`; packages and everything else are refused.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World, WorldExt};

use super::Engine;

/// Where a document's data is served; the same path for every document.
pub const DATA_PATH: &str = "/data.json";

fn file_id(path: &str) -> Option<FileId> {
    VirtualPath::new(path).ok().map(|v| RootedPath::new(VirtualRoot::Project, v).intern())
}

/// Parsed sources of the template files, shared by all documents of the
/// process (a `Source` is cheap to clone and keeps its parse).
fn parsed(engine: &Engine, id: FileId, rel: &str) -> FileResult<Source> {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(FileId, Bytes, Source)>>> = OnceLock::new();
    let bytes = engine.files.get(rel).ok_or_else(|| not_found(rel))?;
    let cache = CACHE.get_or_init(Default::default);
    let mut guard = cache.lock().unwrap_or_else(|e| e.into_inner());
    // Keyed by id and content: a later engine with other templates (tests,
    // `--templates`) gets its own parse.
    if let Some((_, _, s)) = guard.iter().find(|(i, b, _)| *i == id && b.as_slice() == bytes.as_slice()) {
        return Ok(s.clone());
    }
    let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
    let source = Source::new(id, text.to_string());
    guard.retain(|(i, _, _)| *i != id);
    guard.push((id, bytes.clone(), source.clone()));
    Ok(source)
}

fn not_found(rel: &str) -> FileError {
    FileError::Other(Some(format!("/{rel} はテンプレートフォルダにありません{}", super::SANDBOX_NOTE).into()))
}

pub struct DocWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    data_id: FileId,
    data: Bytes,
}

impl<'a> DocWorld<'a> {
    /// `template`: the main file's path inside the template folder.
    pub fn new(engine: &'a Engine, template: &str, data: Bytes) -> Self {
        let main = file_id(&format!("/{template}")).expect("template paths are valid");
        let data_id = file_id(DATA_PATH).expect("data path is valid");
        DocWorld { engine, main, data_id, data }
    }

    /// `office-report.typ 12行目` for a diagnostic's place.
    pub fn place(&self, span: DiagSpan) -> Option<String> {
        let id = span.id()?;
        let range = self.range(span)?;
        let name = id.get().vpath().get_without_slash().to_string();
        let line = self.source(id).ok().and_then(|s| s.lines().byte_to_line(range.start));
        Some(match line {
            Some(l) => format!("{name} {}行目", l + 1),
            None => name,
        })
    }

    /// The template folder's file for `id`, as a path relative to the folder.
    fn relative(&self, id: FileId) -> FileResult<String> {
        if !matches!(id.get().root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(format!("パッケージは使えません{}", super::SANDBOX_NOTE).into())));
        }
        Ok(id.get().vpath().get_without_slash().to_string())
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.data_id {
            return Err(FileError::NotSource);
        }
        let rel = self.relative(id)?;
        parsed(self.engine, id, &rel)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        let rel = self.relative(id)?;
        self.engine.files.get(&rel).cloned().ok_or_else(|| not_found(&rel))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.engine.today)
    }
}
