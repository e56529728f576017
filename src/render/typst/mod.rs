//! The only module that touches the Typst API.
//!
//! Following Typst's own test runner: one shared, immutable [`Base`] (standard library, the
//! bundled fonts, the parsed templates) and a tiny per-document [`DocWorld`] holding just the
//! document's main file and its JSON data. Worlds are cheap, so documents compile in parallel.
//!
//! A document can read only its own two files and the files under `templates/`: every other
//! path, relative or absolute, is refused.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::manifest::hex;

use typst::comemo;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

mod glyphs;
mod pages;

pub use glyphs::{GlyphRuns, KeptRuns, Primer};
use pages::Seeded;
pub use pages::{LaidOut, Overlays, Pages};

/// Version of the Typst compiler built in, as the crate reports it (part of every cache
/// key and of every PDF's creator).
pub fn typst_version() -> &'static str {
    typst::utils::version().raw()
}

/// A diagnostic from the Typst compiler, located in a template or generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstDiagnostic {
    /// Whether compilation failed because of it.
    pub is_error: bool,
    /// The compiler's message.
    pub message: String,
    /// `templates/profile.typ:12:3`, when the compiler gave a position.
    pub location: Option<String>,
    /// The compiler's hints.
    pub hints: Vec<String>,
}

/// A syntax error in a template file, and where it is.
#[derive(Debug, Clone)]
pub struct TemplateSyntaxError {
    /// The file, from the project root: `templates/style.typ`.
    pub file: String,
    /// The file's text.
    pub text: String,
    /// The bytes of `text` the error is about.
    pub range: std::ops::Range<usize>,
    /// The error (its `location` is `file:line:column`) and the parser's hints.
    pub diagnostic: TypstDiagnostic,
}

/// What a document needs: its main Typst file and the data files it reads.
#[derive(Debug, Clone)]
pub struct Document {
    /// Virtual path of the main file, e.g. `/2022/kyrgyzstan.typ`.
    pub main_path: String,
    /// Text of the main file.
    pub main_text: String,
    /// The JSON data files the main file reads, e.g. `/2022/kyrgyzstan.json`.
    pub files: Vec<DataFile>,
}

/// A data file a document reads.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Virtual path, e.g. `/2022/kyrgyzstan.json`.
    pub path: String,
    /// The bytes (JSON).
    pub bytes: Vec<u8>,
}

/// What a PDF written from laid-out pages says about itself (every one is tagged, PDF/A-2a
/// and PDF/UA-1).
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// A stable identifier for the PDF's document id.
    pub ident: String,
    /// Date for the PDF metadata (never the clock).
    pub date: Option<(i32, u8, u8)>,
    /// Title, author and keywords, when the pages' own document does not give them (a
    /// profile's pages taken from a document of several profiles).
    pub metadata: Option<PdfMetadata>,
}

/// A PDF's title, author and keywords.
#[derive(Debug, Clone)]
pub struct PdfMetadata {
    /// Title.
    pub title: String,
    /// Author.
    pub author: String,
    /// Keywords.
    pub keywords: Vec<String>,
}

/// The shared, immutable base every document world borrows.
pub struct Base {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    files: HashMap<FileId, Source>,
    assets: HashMap<FileId, Bytes>,
    fingerprint: String,
}

impl Base {
    /// Builds the base: the bundled fonts plus any fonts under `templates/fonts/`, and every
    /// `.typ` file (as source) and other file (as asset) under the templates directory,
    /// visible to documents as `/templates/...`.
    pub fn new(templates_dir: &Path) -> std::io::Result<Self> {
        let mut fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let mut files = HashMap::new();
        let mut assets = HashMap::new();
        let found = crate::walk::walk(templates_dir, crate::walk::WalkOptions::default());
        if let Some(unreadable) = found.skipped.first() {
            return Err(std::io::Error::other(format!(
                "{}: {}",
                unreadable.path.display(),
                unreadable.reason
            )));
        }
        let paths = found.files;
        let mut hasher = Sha256::new();
        for path in paths {
            let rel = path.strip_prefix(templates_dir).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let Some(id) = file_id(&format!("/templates/{rel}")) else {
                continue;
            };
            let bytes = std::fs::read(&path)?;
            hasher.update(rel.as_bytes());
            hasher.update([0]);
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "typ" {
                let text = String::from_utf8(bytes).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    )
                })?;
                files.insert(id, Source::new(id, text));
            } else {
                if matches!(ext, "ttf" | "otf" | "ttc" | "otc") {
                    fonts.extend(Font::iter(Bytes::new(bytes.clone())));
                }
                assets.insert(id, Bytes::new(bytes));
            }
        }
        Ok(Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            files,
            assets,
            fingerprint: hex(&hasher.finalize()),
        })
    }

    /// A hash of every file under the templates directory (paths and bytes): part of the
    /// cache key of every output.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Characters of `text` that no bundled font can show, each once, in order of appearance.
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || missing.contains(&c) {
                continue;
            }
            // Zero-width formatting characters need no glyph.
            if matches!(
                c,
                '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
            ) {
                continue;
            }
            if !self
                .fonts
                .iter()
                .any(|f| f.info().coverage.contains(c as u32))
            {
                missing.push(c);
            }
        }
        missing
    }

    /// The templates' first syntax error (in the order of their paths), and how many there
    /// are in all; `None` when every template parses. A template that does not parse fails
    /// every document, so it is worth saying once, before any is laid out.
    pub fn first_syntax_error(&self) -> Option<(TemplateSyntaxError, usize)> {
        let mut sources: Vec<&Source> = self.files.values().collect();
        sources.sort_by_cached_key(|s| s.id().vpath().get_without_slash().to_string());
        let mut errors = sources
            .into_iter()
            .flat_map(|source| {
                let (errors, _) = source.root().errors_and_warnings();
                errors
                    .into_iter()
                    .map(move |e| (source, SourceDiagnostic::from(e)))
            })
            .peekable();
        let (source, first) = errors.peek()?.clone();
        let count = errors.count();
        let probe = Document {
            main_path: "/syntax-check.typ".into(),
            main_text: String::new(),
            files: Vec::new(),
        };
        let world = DocWorld::new(self, &probe).ok()?;
        let error = TemplateSyntaxError {
            file: source.id().vpath().get_without_slash().to_string(),
            text: source.text().to_string(),
            range: world.range(first.span).unwrap_or(0..0),
            diagnostic: world.describe(&first),
        };
        Some((error, count))
    }

    /// Lays a document out; returns its pages and the warnings. On failure, the errors.
    pub fn lay_out(
        &self,
        doc: &Document,
    ) -> Result<(LaidOut, Vec<TypstDiagnostic>), Vec<TypstDiagnostic>> {
        let world = DocWorld::new(self, doc).map_err(|e| vec![e])?;
        let result = typst::compile::<Seeded>(&world);
        let warnings: Vec<TypstDiagnostic> =
            result.warnings.iter().map(|d| world.describe(d)).collect();
        match result.output {
            Ok(Seeded(document)) => Ok((LaidOut(document), warnings)),
            Err(errors) => Err(errors.iter().map(|d| world.describe(d)).collect()),
        }
    }

    /// Compiles a document to PDF bytes; returns the warnings too. On failure, the errors.
    pub fn compile_pdf(
        &self,
        doc: &Document,
        settings: &PdfSettings,
    ) -> Result<(Vec<u8>, Vec<TypstDiagnostic>), Vec<TypstDiagnostic>> {
        let (laid_out, mut warnings) = self.lay_out(doc)?;
        let pdf = laid_out.pages().export(settings)?;
        warnings.dedup();
        Ok((pdf, warnings))
    }
}

/// Frees memoized results not used in the last `max_age` compilations, so long runs and
/// watch sessions stay bounded in memory.
pub fn evict_cache(max_age: usize) {
    comemo::evict(max_age);
}

/// Frees the memoized results of the current thread not used in its last `max_age`
/// compilations: a render thread's own results, aged by its own documents alone.
pub fn evict_thread_cache(max_age: usize) {
    comemo::evict_here(max_age);
}

/// A diagnostic of dossier's own, without a position.
pub fn plain_error(message: String) -> TypstDiagnostic {
    TypstDiagnostic {
        is_error: true,
        message,
        location: None,
        hints: Vec::new(),
    }
}

/// The interned id of a project path such as `/templates/profile.typ`.
fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's world: the shared base plus its main file and data.
struct DocWorld<'a> {
    base: &'a Base,
    main: Source,
    data: HashMap<FileId, Bytes>,
}

impl<'a> DocWorld<'a> {
    fn new(base: &'a Base, doc: &Document) -> Result<Self, TypstDiagnostic> {
        let main_id = file_id(&doc.main_path)
            .ok_or_else(|| plain_error(format!("invalid document path {}", doc.main_path)))?;
        let mut data = HashMap::with_capacity(doc.files.len());
        for file in &doc.files {
            let id = file_id(&file.path)
                .ok_or_else(|| plain_error(format!("invalid data path {}", file.path)))?;
            data.insert(id, Bytes::new(file.bytes.clone()));
        }
        Ok(Self {
            base,
            main: Source::new(main_id, doc.main_text.clone()),
            data,
        })
    }

    fn describe(&self, diag: &SourceDiagnostic) -> TypstDiagnostic {
        let location = diag.span.id().and_then(|id| {
            let range = self.range(diag.span)?;
            let source = self.source(id).ok()?;
            let (line, col) = crate::record::line_col(source.text(), range.start);
            Some(format!("{}:{line}:{col}", id.vpath().get_without_slash()))
        });
        TypstDiagnostic {
            is_error: diag.severity == Severity::Error,
            message: diag.message.to_string(),
            location,
            hints: diag.hints.iter().map(|h| h.v.to_string()).collect(),
        }
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.base.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.base.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if let Some(source) = self.base.files.get(&id) {
            Ok(source.clone())
        } else if self.data.contains_key(&id) || self.base.assets.contains_key(&id) {
            Err(FileError::NotSource)
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.data.get(&id) {
            Ok(bytes.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else if let Some(source) = self.base.files.get(&id) {
            Ok(Bytes::from_string(source.clone()))
        } else if let Some(bytes) = self.base.assets.get(&id) {
            Ok(bytes.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.base.fonts.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        // No clock: output must depend on the input alone.
        None
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::Path;

    use serde_json::Value;

    use super::{Base, DataFile, Document, LaidOut};
    use crate::render::data::tests::sample_profiles;
    use crate::render::run::profiles_document;

    /// The base of the project's own templates.
    pub(in crate::render) fn base() -> Base {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Base::new(&root.join("templates")).expect("the templates")
    }

    /// `markup` laid out as a document of its own.
    pub(in crate::render) fn laid_out(base: &Base, markup: &str) -> LaidOut {
        let document = Document {
            main_path: "/test.typ".into(),
            main_text: markup.into(),
            files: Vec::new(),
        };
        base.lay_out(&document).expect("the markup lays out").0
    }

    /// Every sample profile of `edition`, one after the other in one document, as a render
    /// lays them out.
    fn samples_document(edition: &str) -> Document {
        let files = sample_profiles(edition)
            .iter()
            .enumerate()
            .map(|(i, data)| DataFile {
                path: format!("/{edition}/{i}.json"),
                bytes: serde_json::to_vec(data).expect("profile data as JSON"),
            })
            .collect();
        profiles_document(format!("/{edition}/samples.typ"), files)
    }

    /// How many layout passes Typst made while `lay_out` ran on this thread: the events of
    /// Typst's timer named `iter (N)` between a probe's start and end on the same thread.
    fn passes(base: &Base, document: &Document) -> usize {
        typst_timing::enable();
        let probe = typst_timing::TimingScope::new("layout passes probe");
        let laid_out = base.lay_out(document);
        drop(probe);
        typst_timing::disable();
        assert!(laid_out.is_ok(), "{:?}", laid_out.err());
        let mut json = Vec::new();
        typst_timing::export_json(&mut json, |_| (String::new(), 0)).expect("timings");
        let events: Vec<Value> = serde_json::from_slice(&json).expect("timings as JSON");
        let probe = |ph: &str| {
            events
                .iter()
                .position(|e| e["name"] == "layout passes probe" && e["ph"] == ph)
                .expect("the probe's event")
        };
        let (start, end) = (probe("B"), probe("E"));
        let thread = &events[start]["tid"];
        events[start..end]
            .iter()
            .filter(|e| e["tid"] == *thread && e["ph"] == "B")
            .filter(|e| e["name"].as_str().is_some_and(|n| n.starts_with("iter (")))
            .count()
    }

    #[test]
    fn profiles_are_laid_out_in_one_pass() {
        // Anything on a profile's pages that asks where it is (a counter, `here()`, a link
        // into the document) would make Typst lay the pages out a second time.
        let base = base();
        for edition in ["2022", "2023"] {
            let document = samples_document(edition);
            assert_eq!(passes(&base, &document), 1, "edition {edition}");
        }
    }
}
