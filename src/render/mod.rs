//! Records to print-ready PDFs: one per record, one book per edition.
//!
//! Records become JSON data ([`data`]), templates read it, and the embedded Typst compiler
//! ([`typst`], the only module that uses its API) lays it out: several profiles to a
//! document, each one's pages then written as its own PDF with its page numbers laid over
//! them ([`run`]). An edition's book is the same pages again, behind a compiled front matter,
//! written as one PDF (so each font is embedded once) and packed ([`pdf`]). PDFs are written
//! atomically: to a temporary file in the output directory, then renamed over the old one.

pub mod data;
mod kept;
pub mod manifest;
pub mod pdf;
pub mod pipeline;
pub mod run;
mod shared;
pub mod typst;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

pub use data::Paper;
use data::{
    BookData, ProfileData, RunningHead, book_data, plain_strings, profile_data, record_id,
    replace_missing_glyphs, section_pages,
};
pub use kept::{KEPT_DIR, KeptPdf, STORE, kept_layouts, kept_pdfs};
pub use manifest::Manifest;
pub use typst::{Base, DataFile, Document, PdfMetadata, PdfSettings, TypstDiagnostic};

use crate::record::{Record, Topic};
use crate::registry::Registry;
use crate::walk::{WalkOptions, walk};

pub use crate::severity::Severity;

/// Something the renderer has to say about one output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderDiagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The record (or edition book) it concerns.
    pub subject: String,
    /// What happened.
    pub message: String,
    /// Position in a template, when Typst gave one.
    pub location: Option<String>,
    /// Hints.
    pub hints: Vec<String>,
}

/// A diagnostic and every output it was reported for.
#[derive(Debug)]
pub struct DiagnosticGroup<'a> {
    /// The diagnostic (its `subject` is the first output's).
    pub diagnostic: &'a RenderDiagnostic,
    /// Every output it concerns, in the order of the results.
    pub subjects: Vec<&'a str>,
}

/// The diagnostics of `results`, in the order they first appear, those alike gathered: the
/// same severity, message and hints at the same place in a template (a template's mistake
/// fails every document, and is worth reading once). One without a place stays one per
/// output.
pub fn grouped_diagnostics(results: &[JobResult]) -> Vec<DiagnosticGroup<'_>> {
    type Key<'a> = (Severity, &'a str, &'a str, &'a [String]);
    let mut groups: Vec<DiagnosticGroup<'_>> = Vec::new();
    let mut places: HashMap<Key<'_>, usize> = HashMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        let key = d
            .location
            .as_deref()
            .map(|at| (d.severity, d.message.as_str(), at, d.hints.as_slice()));
        if let Some(&i) = key.as_ref().and_then(|key| places.get(key)) {
            groups[i].subjects.push(&d.subject);
            continue;
        }
        if let Some(key) = key {
            places.insert(key, groups.len());
        }
        groups.push(DiagnosticGroup {
            diagnostic: d,
            subjects: vec![&d.subject],
        });
    }
    groups
}

/// One output file to produce.
#[derive(Debug, Clone)]
pub struct Job {
    /// Where the PDF goes, relative to the output directory.
    pub output: PathBuf,
    /// What the job is about, for messages ("profiles/2022/kyrgyzstan.toml", "book 2022").
    pub subject: String,
    /// What it is made from.
    pub source: JobSource,
    /// What is made.
    pub kind: JobKind,
    /// Characters the fonts cannot show.
    pub missing_glyphs: Vec<char>,
    /// Hash of everything the PDF is made from (see [`manifest`]).
    pub key: String,
}

/// What a job is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobSource {
    /// A profile: the record file.
    Record(PathBuf),
    /// A book: every record of the edition.
    Edition(i32),
}

/// What a job makes.
#[derive(Debug, Clone)]
pub enum JobKind {
    /// A record's profile.
    Profile(ProfileJob),
    /// An edition's book.
    Book(BookJob),
}

/// A record's profile: its data, laid out with other profiles', and what its PDF says.
#[derive(Debug, Clone)]
pub struct ProfileJob {
    /// The profile as a document of its own (what `--emit-typst` writes); its data file is
    /// what a document of several profiles reads.
    pub document: Document,
    /// The id that marks the profile's pages in a document of several (the data's `id`).
    pub part: String,
    /// Its PDF's identifier, date, title, author and keywords.
    pub settings: PdfSettings,
    /// The running head of its pages after the first.
    pub head: RunningHead,
}

/// An edition's book: its front matter's data and its profiles, in order.
#[derive(Debug, Clone)]
pub struct BookJob {
    /// The edition.
    pub edition: i32,
    /// The front matter's template data, without the contents' page numbers.
    pub front: BookData,
    /// Date for the PDF metadata: the latest profile's.
    pub date: (i32, u8, u8),
    /// The book's parts in order, one per contents entry.
    pub parts: Vec<BookPiece>,
}

/// One part of a book.
#[derive(Debug, Clone)]
pub enum BookPiece {
    /// A profile, laid out with the others.
    Profile(ProfileJob),
    /// The title page of a topic's section, laid out with the book.
    Section(Document),
}

/// The outcome of one job.
#[derive(Debug, Clone)]
pub struct JobResult {
    /// The job's output path (relative to the output directory).
    pub output: PathBuf,
    /// Whether a PDF was written.
    pub written: bool,
    /// Diagnostics for this job.
    pub diagnostics: Vec<RenderDiagnostic>,
}

/// Rendering settings.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Paper size.
    pub paper: Paper,
    /// Also render one book per edition.
    pub books: bool,
    /// The topics the books hold, in a section each when there are several; empty for every
    /// topic.
    pub book_topics: Vec<Topic>,
    /// Keep what Typst laid out from one run to the next (a watch session), so that a
    /// document whose profiles did not change is not laid out again; a single run drops it as
    /// it goes, so memory stays bounded.
    pub keep_layouts: bool,
    /// Join books from the profiles' PDFs kept in the output directory by earlier runs
    /// (see [`KEPT_DIR`]) where they are still what Typst would write; off, every PDF is
    /// made again (and kept anew).
    pub reuse_kept: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            paper: Paper::A4,
            books: true,
            book_topics: Vec::new(),
            keep_layouts: false,
            reuse_kept: true,
        }
    }
}

/// Problems that stop a render run before or around its jobs (a job's own problems are
/// [`JobError`]s, reported in its [`JobResult`]).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RenderError {
    /// The templates directory could not be read.
    #[error("cannot read the templates in {path}: {error}")]
    #[diagnostic(code(dossier::render::templates))]
    Templates {
        /// The directory.
        path: PathBuf,
        /// Why (in the message, not repeated as a cause).
        error: std::io::Error,
    },
    /// A template does not parse: its first syntax error, said once rather than for every
    /// document it would fail.
    #[error(transparent)]
    #[diagnostic(transparent)]
    TemplateSyntax(Box<TemplateSyntax>),
    /// The meetings or resolutions registry could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Registry(#[from] crate::registry::RegistryError),
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    #[diagnostic(code(dossier::render::threads))]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// A template's data could not be written as JSON.
    #[error("cannot write the template data: {0}")]
    #[diagnostic(code(dossier::render::data))]
    Data(#[from] serde_json::Error),
    /// An output file could not be written.
    #[error("cannot write {}: {error}", .path.display())]
    #[diagnostic(code(dossier::render::write))]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// Why (in the message, not repeated as a cause).
        error: std::io::Error,
    },
}

/// The templates under `templates_dir`, read and parsed; the first syntax error when one
/// does not parse.
fn read_templates(templates_dir: &Path) -> Result<Base, RenderError> {
    let base = Base::new(templates_dir).map_err(|error| RenderError::Templates {
        path: templates_dir.to_path_buf(),
        error,
    })?;
    match base.first_syntax_error() {
        None => Ok(base),
        Some((error, count)) => Err(template_syntax(error, count)),
    }
}

/// The error of a template's first syntax `error`, of `count` in all.
fn template_syntax(error: typst::TemplateSyntaxError, count: usize) -> RenderError {
    let mut help: Vec<String> = error.diagnostic.hints;
    if count > 1 {
        help.push(format!(
            "{} more syntax error{} in the templates, most likely caused by this one",
            count - 1,
            if count == 2 { "" } else { "s" }
        ));
    }
    RenderError::TemplateSyntax(Box::new(TemplateSyntax {
        location: error
            .diagnostic
            .location
            .unwrap_or_else(|| error.file.clone()),
        message: error.diagnostic.message,
        text: miette::NamedSource::new(error.file, error.text),
        span: error.range.into(),
        help: (!help.is_empty()).then(|| help.join("; ")),
    }))
}

/// A template's first syntax error, where it is.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{location}: {message}")]
#[diagnostic(code(dossier::render::template_syntax))]
pub struct TemplateSyntax {
    /// `templates/style.typ:8:15`.
    pub location: String,
    /// The parser's message.
    pub message: String,
    /// The template's text.
    #[source_code]
    pub text: miette::NamedSource<String>,
    /// Where the error is.
    #[label("here")]
    pub span: miette::SourceSpan,
    /// The parser's hints, and how many more errors follow.
    #[help]
    pub help: Option<String>,
}

/// Why one output could not be made.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The Typst compiler refused the document.
    #[error("Typst reported {} error(s)", .0.len())]
    Typst(Vec<TypstDiagnostic>),
    /// A template's data could not be written as JSON.
    #[error("cannot write the template data: {0}")]
    Data(#[from] serde_json::Error),
    /// PDFs could not be joined or numbered.
    #[error("cannot join the PDFs: {0}")]
    Pdf(#[from] pdf::PdfError),
    /// A profile of the book failed to lay out in this run.
    #[error("{0} failed to lay out, so the book was not assembled")]
    ProfileFailed(String),
    /// The PDF could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The PDF.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The shared renderer: one font store, one parsed template set, one Typst library.
pub struct Renderer {
    base: Base,
    registry: Registry,
    options: RenderOptions,
}

impl Renderer {
    /// Builds the renderer over a templates directory and a registry.
    pub fn new(
        templates_dir: &Path,
        registry: Registry,
        options: RenderOptions,
    ) -> Result<Self, RenderError> {
        let base = read_templates(templates_dir)?;
        Ok(Self {
            base,
            registry,
            options,
        })
    }

    /// Reads the templates again (after an edit to them): later jobs use the new set. When
    /// they cannot be read or do not parse, the set in use stays.
    pub fn reload_templates(&mut self, templates_dir: &Path) -> Result<(), RenderError> {
        self.base = read_templates(templates_dir)?;
        Ok(())
    }

    /// The registry the renderer resolves meetings and resolutions with.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The jobs for these records: a profile each, and a book per edition when enabled.
    /// Records are sorted by edition, then country, then topic.
    pub fn jobs(&self, records: &[Record]) -> Result<Vec<Job>, RenderError> {
        let mut sorted: Vec<&Record> = records.iter().collect();
        sorted.sort_by(|a, b| {
            (
                a.edition.value,
                a.country.value.to_lowercase(),
                a.topic.value,
            )
                .cmp(&(
                    b.edition.value,
                    b.country.value.to_lowercase(),
                    b.topic.value,
                ))
        });
        // Each profile's data and hashes are made in parallel; errors are taken in order.
        let made: Vec<Result<(Job, ProfileData), RenderError>> = sorted
            .par_iter()
            .map(|record| self.profile_job(record))
            .collect();
        let mut jobs = Vec::new();
        let mut editions: BTreeMap<i32, Vec<(Topic, ProfileData, usize)>> = BTreeMap::new();
        for (record, made) in sorted.iter().zip(made) {
            let (job, data) = made?;
            let topic = record.topic.value;
            let wanted =
                self.options.book_topics.is_empty() || self.options.book_topics.contains(&topic);
            if wanted {
                let members = editions.entry(record.edition.value).or_default();
                members.push((topic, data, jobs.len()));
            }
            jobs.push(job);
        }
        if self.options.books {
            for (edition, mut members) in editions {
                // A topic's profiles together, in the order of the topics, then by country.
                members.sort_by_key(|(topic, _, _)| *topic);
                let profiles: Vec<ProfileData> =
                    members.iter().map(|(_, data, _)| data.clone()).collect();
                let members: Vec<&Job> = members.iter().map(|&(_, _, m)| &jobs[m]).collect();
                if let Some(book) = self.book_job(edition, &profiles, &members)? {
                    jobs.push(book);
                }
            }
        }
        Ok(jobs)
    }

    /// A record's profile job, and its template data (for the book's contents).
    fn profile_job(&self, record: &Record) -> Result<(Job, ProfileData), RenderError> {
        let (data, missing_glyphs) = self.profile_data(record)?;
        let edition = record.edition.value;
        let stem = record.slug();
        let document = document(
            &format!("/{edition}/{stem}"),
            "#import \"/templates/profile.typ\": profile-document\n#profile-document(json(\"{data}\"))\n",
            &data,
        )?;
        let settings = PdfSettings {
            ident: record_id(record),
            date: Some(data.date.ymd()),
            metadata: Some(PdfMetadata {
                title: data.title.clone(),
                author: data.author.clone(),
                keywords: vec![
                    data.country.clone(),
                    data.topic.clone(),
                    data.edition.to_string(),
                ],
            }),
        };
        let key = self.key(&[&document_key(&document), &format!("{settings:?}")]);
        let job = Job {
            output: PathBuf::from(edition.to_string()).join(format!("{stem}.pdf")),
            subject: record.path.display().to_string(),
            source: JobSource::Record(record.path.clone()),
            key,
            kind: JobKind::Profile(ProfileJob {
                document,
                part: data.id.clone(),
                settings,
                head: RunningHead::of(&data),
            }),
            missing_glyphs,
        };
        Ok((job, data))
    }

    /// A record's template data, with the characters the fonts cannot show replaced by a
    /// visible `[U+XXXX]`; and those characters.
    fn profile_data(&self, record: &Record) -> Result<(ProfileData, Vec<char>), RenderError> {
        let data = profile_data(record, &self.registry, self.options.paper);
        let mut value = serde_json::to_value(&data)?;
        let missing = self.base.missing_glyphs(&plain_strings(&value));
        if missing.is_empty() {
            return Ok((data, missing));
        }
        replace_missing_glyphs(&mut value, &missing);
        Ok((serde_json::from_value(value)?, missing))
    }

    /// An edition's book job over its profiles' data and jobs, in book order (`None` for
    /// an edition without profiles).
    fn book_job(
        &self,
        edition: i32,
        profiles: &[ProfileData],
        members: &[&Job],
    ) -> Result<Option<Job>, RenderError> {
        let Some(front) = book_data(edition, profiles, self.options.paper) else {
            return Ok(None);
        };
        let date = front.date.ymd();
        let pieces = self.book_pieces(&front, members)?;
        let mut parts = vec![
            format!("book-{edition}"),
            serde_json::to_string(&front)?,
            format!("{:?}", Some(date)),
        ];
        for member in members {
            parts.push(member.key.clone());
        }
        for piece in &pieces {
            if let BookPiece::Section(document) = piece {
                parts.push(document_key(document));
            }
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        Ok(Some(Job {
            output: PathBuf::from(format!("book-{edition}.pdf")),
            subject: format!("book {edition}"),
            source: JobSource::Edition(edition),
            key: self.key(&parts),
            kind: JobKind::Book(BookJob {
                edition,
                front,
                date,
                parts: pieces,
            }),
            missing_glyphs: Vec::new(),
        }))
    }

    /// A book's parts in contents order: each profile's PDF, and the title page of each
    /// topic's section (a document of `book.typ`'s `book-section`).
    fn book_pieces(
        &self,
        front: &BookData,
        members: &[&Job],
    ) -> Result<Vec<BookPiece>, RenderError> {
        let mut sections = section_pages(front, self.options.paper).into_iter();
        let mut profiles = members.iter();
        let mut pieces = Vec::with_capacity(front.entries.len());
        for entry in &front.entries {
            let piece = if entry.section {
                let Some((id, data)) = sections.next() else {
                    continue;
                };
                BookPiece::Section(document(
                    &format!("/{id}"),
                    "#import \"/templates/book.typ\": book-section\n#book-section(json(\"{data}\"))\n",
                    &data,
                )?)
            } else {
                let Some(JobKind::Profile(profile)) = profiles.next().map(|m| &m.kind) else {
                    continue;
                };
                BookPiece::Profile(profile.clone())
            };
            pieces.push(piece);
        }
        Ok(pieces)
    }

    /// A cache key: `parts`, the template set, and the dossier and Typst versions.
    fn key(&self, parts: &[&str]) -> String {
        let mut hasher = Sha256::new();
        for part in [
            "dossier-render",
            env!("CARGO_PKG_VERSION"),
            typst::typst_version(),
            self.base.fingerprint(),
        ]
        .iter()
        .chain(parts)
        {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        manifest::hex(&hasher.finalize())
    }

    /// Writes each profile's main file and data, plus the templates, under `dir`, so the
    /// stock Typst CLI compiles the same documents:
    /// `typst compile --root DIR DIR/2022/kyrgyzstan.typ`. (A book is put together from its
    /// profiles' pages, so it has no single document to write.)
    pub fn emit_typst(
        &self,
        jobs: &[Job],
        templates_dir: &Path,
        dir: &Path,
    ) -> Result<Vec<PathBuf>, RenderError> {
        let write = |path: PathBuf, bytes: &[u8]| {
            write_atomically(&path, bytes).map_err(|error| RenderError::Write { path, error })
        };
        let mut mains = Vec::new();
        for job in jobs {
            let JobKind::Profile(profile) = &job.kind else {
                continue;
            };
            let document = &profile.document;
            let main = dir.join(document.main_path.trim_start_matches('/'));
            write(main.clone(), document.main_text.as_bytes())?;
            for file in &document.files {
                write(dir.join(file.path.trim_start_matches('/')), &file.bytes)?;
            }
            mains.push(main);
        }
        copy_dir(templates_dir, &dir.join("templates")).map_err(|error| RenderError::Write {
            path: dir.join("templates"),
            error,
        })?;
        Ok(mains)
    }
}

/// The parts of a document that its pages depend on.
fn document_key(document: &Document) -> String {
    let mut hasher = Sha256::new();
    for part in [document.main_path.as_str(), document.main_text.as_str()] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    for file in &document.files {
        hasher.update((file.path.len() as u64).to_le_bytes());
        hasher.update(file.path.as_bytes());
        hasher.update((file.bytes.len() as u64).to_le_bytes());
        hasher.update(&file.bytes);
    }
    manifest::hex(&hasher.finalize())
}

/// A document: its main file (`main_template` with `{data}` standing for the data file's
/// path) and its template data, written as JSON.
fn document(
    stem: &str,
    main_template: &str,
    data: &impl serde::Serialize,
) -> Result<Document, serde_json::Error> {
    let data_path = format!("{stem}.json");
    let mut bytes = serde_json::to_vec_pretty(data)?;
    bytes.push(b'\n');
    Ok(Document {
        main_path: format!("{stem}.typ"),
        main_text: main_template.replace("{data}", &data_path),
        files: vec![DataFile {
            path: data_path,
            bytes,
        }],
    })
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// readers never see a half-written file and a failure leaves the old file intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes temporary files left in `dir` (recursively) by an interrupted render: hidden
/// files ending in `.tmp`, as [`write_atomically`] names them. Returns how many it removed.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    let options = WalkOptions {
        hidden: true,
        ignore_files: false,
        max_depth: None,
    };
    walk(dir, options)
        .files
        .iter()
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with('.') && name.ends_with(".tmp"))
        })
        .filter(|path| std::fs::remove_file(path).is_ok())
        .count()
}

/// Copies the files under `from` (as [`walk`] lists them: ignore files honoured, hidden
/// names left out) to the same places under `to`, each written atomically.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    let found = walk(from, WalkOptions::default());
    if let Some(unreadable) = found.skipped.first() {
        return Err(std::io::Error::other(format!(
            "{}: {}",
            unreadable.path.display(),
            unreadable.reason
        )));
    }
    std::fs::create_dir_all(to)?;
    for file in &found.files {
        let target = to.join(file.strip_prefix(from).map_err(std::io::Error::other)?);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomically(&target, &std::fs::read(file)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(subject: &str, message: &str, location: Option<&str>) -> JobResult {
        JobResult {
            output: PathBuf::from(format!("{subject}.pdf")),
            written: false,
            diagnostics: vec![RenderDiagnostic {
                severity: Severity::Error,
                subject: subject.into(),
                message: message.into(),
                location: location.map(str::to_string),
                hints: Vec::new(),
            }],
        }
    }

    #[test]
    fn alike_diagnostics_at_one_place_in_a_template_make_one_group() {
        let at = Some("templates/style.typ:8:16");
        let results = [
            result("a", "unknown variable: x", at),
            result("b", "cannot show ☃", None),
            result("c", "unknown variable: x", at),
            result("d", "cannot show ☃", None),
            result("e", "unknown variable: y", at),
        ];
        let groups: Vec<(&str, Vec<&str>)> = grouped_diagnostics(&results)
            .iter()
            .map(|g| (g.diagnostic.message.as_str(), g.subjects.clone()))
            .collect();
        assert_eq!(
            groups,
            vec![
                ("unknown variable: x", vec!["a", "c"]),
                ("cannot show ☃", vec!["b"]),
                ("cannot show ☃", vec!["d"]),
                ("unknown variable: y", vec!["e"]),
            ]
        );
    }
}
