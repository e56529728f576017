//! Records to print-ready PDFs: one per record, one book per edition.
//!
//! Records become JSON data ([`data`]), templates read it, and the embedded Typst compiler
//! ([`typst`], the only module that uses its API) lays it out. A profile is laid out once;
//! its page numbers are laid over its pages afterwards ([`pdf`]), so the same pages serve its
//! own PDF and the edition's book, which is assembled from the profiles' PDFs behind a
//! compiled front matter. PDFs are written atomically: to a temporary file in the output
//! directory, then renamed over the old one.

pub mod data;
pub mod manifest;
pub mod pdf;
pub mod pipeline;
pub mod typst;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

pub use data::Paper;
use data::{
    BookData, Folio, ProfileData, Side, book_data, folio_data, plain_strings, profile_data,
    record_id, replace_missing_glyphs, section_pages,
};
pub use manifest::Manifest;
pub use typst::{Base, Conformance, Document, TypstDiagnostic};

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
    /// A record's profile, from its Typst document.
    Profile(Document),
    /// An edition's book.
    Book(BookJob),
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
    /// A profile's PDF, relative to the output directory.
    Profile(PathBuf),
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
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            paper: Paper::A4,
            books: true,
            book_topics: Vec::new(),
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
        /// Why.
        #[source]
        error: std::io::Error,
    },
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
    #[error("cannot write {path}: {error}")]
    #[diagnostic(code(dossier::render::write))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        error: std::io::Error,
    },
}

/// Why one output could not be made.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The Typst compiler refused the document.
    #[error("Typst reported {} error(s)", .0.len())]
    Typst(Vec<TypstDiagnostic>),
    /// A compiled PDF could not be read or put together.
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    /// A template's data could not be written as JSON.
    #[error("cannot write the template data: {0}")]
    Data(#[from] serde_json::Error),
    /// A section's title page was not laid out.
    #[error("the title page of {0} was not laid out, so the book was not assembled")]
    SectionMissing(String),
    /// A profile of the book failed in this run.
    #[error("{} failed to render, so the book was not assembled", .0.display())]
    ProfileFailed(PathBuf),
    /// A profile's PDF from an earlier run could not be read.
    #[error("cannot read {} for the book: {source}", .path.display())]
    ReadProfile {
        /// The PDF.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
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
    /// Folio sheets of standalone profiles ("1 / n" ... "n / n"), by page count.
    folio_sheets: Mutex<HashMap<usize, Arc<Vec<u8>>>>,
}

impl Renderer {
    /// Builds the renderer over a templates directory and a registry.
    pub fn new(
        templates_dir: &Path,
        registry: Registry,
        options: RenderOptions,
    ) -> Result<Self, RenderError> {
        let base = Base::new(templates_dir).map_err(|error| RenderError::Templates {
            path: templates_dir.to_path_buf(),
            error,
        })?;
        Ok(Self {
            base,
            registry,
            options,
            folio_sheets: Mutex::new(HashMap::new()),
        })
    }

    /// Reads the templates again (after an edit to them): later jobs use the new set.
    pub fn reload_templates(&mut self, templates_dir: &Path) -> Result<(), RenderError> {
        self.base = Base::new(templates_dir).map_err(|error| RenderError::Templates {
            path: templates_dir.to_path_buf(),
            error,
        })?;
        self.folio_sheets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
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
        let mut jobs = Vec::new();
        let mut editions: BTreeMap<i32, Vec<(Topic, ProfileData, usize)>> = BTreeMap::new();
        for record in sorted {
            let (job, data) = self.profile_job(record)?;
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
            record_id(record),
            Some(data.date.ymd()),
            Conformance::Archival,
        )?;
        let job = Job {
            output: PathBuf::from(edition.to_string()).join(format!("{stem}.pdf")),
            subject: record.path.display().to_string(),
            source: JobSource::Record(record.path.clone()),
            key: self.key(&[&document_key(&document)]),
            kind: JobKind::Profile(document),
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
            parts.push(member.output.display().to_string());
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
                    id.clone(),
                    Some(front.date.ymd()),
                    Conformance::Archival,
                )?)
            } else {
                let Some(member) = profiles.next() else {
                    continue;
                };
                BookPiece::Profile(member.output.clone())
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

    /// Makes one job's PDF and writes it atomically under `out_dir`. A book reads its
    /// profiles' PDFs from `fresh` (the outcome of this run's profiles: the PDF, or `None`
    /// when it failed) or else from `out_dir`.
    pub fn run_job(
        &self,
        job: &Job,
        out_dir: &Path,
        fresh: &HashMap<PathBuf, Option<Arc<Vec<u8>>>>,
    ) -> (JobResult, Option<Arc<Vec<u8>>>) {
        write_job(job, out_dir, self.make_job(job, out_dir, fresh))
    }

    /// Makes one job's PDF (not written yet), with what there is to say about it.
    fn make_job(
        &self,
        job: &Job,
        out_dir: &Path,
        fresh: &HashMap<PathBuf, Option<Arc<Vec<u8>>>>,
    ) -> MadeJob {
        let mut diagnostics = Vec::new();
        if !job.missing_glyphs.is_empty() {
            let chars: String = job
                .missing_glyphs
                .iter()
                .map(|c| format!("{c} (U+{:04X})", *c as u32))
                .collect::<Vec<_>>()
                .join(", ");
            diagnostics.push(RenderDiagnostic {
                severity: Severity::Warning,
                subject: job.subject.clone(),
                message: format!(
                    "the bundled fonts cannot show {chars}; printed as [U+XXXX] instead"
                ),
                location: None,
                hints: vec![
                    "add a font that covers them under templates/fonts/, or transliterate".into(),
                ],
            });
        }
        let convert = |d: TypstDiagnostic, severity| RenderDiagnostic {
            severity,
            subject: job.subject.clone(),
            message: d.message,
            location: d.location,
            hints: d.hints,
        };
        let made = match &job.kind {
            JobKind::Profile(document) => self.profile_pdf(document),
            JobKind::Book(book) => self.book_pdf(book, out_dir, fresh),
        };
        match made {
            Ok((pdf, warnings)) => {
                diagnostics.extend(warnings.into_iter().map(|w| convert(w, Severity::Warning)));
                MadeJob {
                    pdf: Some(pdf),
                    diagnostics,
                }
            }
            Err(JobError::Typst(errors)) => {
                diagnostics.extend(errors.into_iter().map(|e| convert(e, Severity::Error)));
                MadeJob {
                    pdf: None,
                    diagnostics,
                }
            }
            Err(other) => {
                diagnostics.push(error(job, &other));
                MadeJob {
                    pdf: None,
                    diagnostics,
                }
            }
        }
    }

    /// A profile's PDF: its pages laid out once, then numbered "1 / n" to "n / n".
    fn profile_pdf(&self, document: &Document) -> Result<Made, JobError> {
        let (pages, warnings) = self.base.compile_pdf(document).map_err(JobError::Typst)?;
        let pages = pdf::Pages::load(&pages)?;
        let sheet = self.profile_folio_sheet(pages.count())?;
        let numbered = pages.stamp_folios(&sheet)?;
        Ok((numbered, warnings))
    }

    /// The folio sheet of an `n`-page profile, compiled once per run.
    fn profile_folio_sheet(&self, n: usize) -> Result<Arc<Vec<u8>>, JobError> {
        let cached = self
            .folio_sheets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&n)
            .cloned();
        if let Some(sheet) = cached {
            return Ok(sheet);
        }
        let folios: Vec<Folio> = (1..=n)
            .map(|i| Folio {
                text: format!("{i} / {n}"),
                side: Side::Center,
            })
            .collect();
        let sheet = Arc::new(self.folio_sheet(&format!("/folios-{n}"), folios)?);
        self.folio_sheets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(n, sheet.clone());
        Ok(sheet)
    }

    /// A folio sheet: one page per folio, nothing on it but the page number.
    fn folio_sheet(&self, stem: &str, folios: Vec<Folio>) -> Result<Vec<u8>, JobError> {
        let document = document(
            stem,
            "#import \"/templates/folios.typ\": folio-sheet\n#folio-sheet(json(\"{data}\"))\n",
            &folio_data(folios, self.options.paper),
            stem.trim_start_matches('/').to_string(),
            None,
            Conformance::Plain,
        )?;
        let (sheet, _) = self.base.compile_pdf(&document).map_err(JobError::Typst)?;
        Ok(sheet)
    }

    /// An edition's book: the front matter, then every profile's pages starting on a
    /// right-hand page, numbered from 1.
    fn book_pdf(
        &self,
        book: &BookJob,
        out_dir: &Path,
        fresh: &HashMap<PathBuf, Option<Arc<Vec<u8>>>>,
    ) -> Result<Made, JobError> {
        let mut warnings = Vec::new();
        let mut sections = Vec::new();
        for piece in &book.parts {
            if let BookPiece::Section(document) = piece {
                let (pdf, mut said) = self.profile_pdf(document)?;
                warnings.append(&mut said);
                sections.push(pdf);
            }
        }
        let parts = book_parts(book, out_dir, fresh, sections)?;
        let (front, folios) = number_pages(&book.front, &parts.page_counts());
        let stem = format!("/book-{}", book.edition);
        let front_document = document(
            &stem,
            "#import \"/templates/book.typ\": book-front-matter\n#book-front-matter(json(\"{data}\"))\n",
            &front,
            format!("book-{}", book.edition),
            Some(book.date),
            Conformance::Archival,
        )?;
        let (front_pdf, sheet) = rayon::join(
            || self.base.compile_pdf(&front_document),
            || self.folio_sheet(&format!("{stem}-folios"), folios),
        );
        let (front_pdf, mut front_warnings) = front_pdf.map_err(JobError::Typst)?;
        warnings.append(&mut front_warnings);
        let assembled = parts.assemble(
            &front_pdf,
            &sheet?,
            &format!("book-{}", book.edition),
            BINDING_OFFSET,
            &pdf::FontPrograms::new(self.base.font_files()),
        )?;
        Ok((assembled, warnings))
    }

    /// Runs jobs in parallel on the current rayon pool, calling `progress` after each, and
    /// returns the results in the order of `jobs`.
    ///
    /// Profiles come first, largest first, so the longest job never starts last; then the
    /// books, which take the profiles' PDFs just made from memory and the others from
    /// `out_dir`. Typst's memoized results that have not been used for a while are evicted
    /// as the run goes, so memory stays bounded however long the run.
    pub fn run_jobs(
        &self,
        jobs: &[Job],
        out_dir: &Path,
        progress: &(dyn Fn(&JobResult) + Sync),
    ) -> Vec<JobResult> {
        let mut profiles: Vec<(usize, usize)> = jobs
            .iter()
            .enumerate()
            .filter_map(|(i, job)| match &job.kind {
                JobKind::Profile(document) => Some((i, document.data.len())),
                JobKind::Book(_) => None,
            })
            .collect();
        profiles.sort_by_key(|&(_, size)| std::cmp::Reverse(size));
        let order: Vec<usize> = profiles.into_iter().map(|(i, _)| i).collect();
        let is_book = |i: &usize| matches!(jobs[*i].kind, JobKind::Book(_));
        let slots: Vec<Mutex<Option<JobResult>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
        let made_pdfs: Mutex<HashMap<PathBuf, Option<Arc<Vec<u8>>>>> = Mutex::new(HashMap::new());
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let none = HashMap::new();
        let workers = rayon::current_num_threads().clamp(1, order.len().max(1));
        // Writes wait on the disk (each file is synced before it replaces the old one): they
        // go to writer threads of their own, so the workers keep laying out.
        let finish = |i: usize, made: MadeJob| {
            let (result, pdf) = write_job(&jobs[i], out_dir, made);
            progress(&result);
            made_pdfs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(jobs[i].output.clone(), pdf);
            *slots[i]
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
        };
        let lay_out = |write: &(dyn Fn(usize, MadeJob) + Sync)| {
            rayon::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(|_| {
                        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                            write(i, self.make_job(&jobs[i], out_dir, &none));
                            if (done.fetch_add(1, Ordering::Relaxed) + 1)
                                .is_multiple_of(EVICT_EVERY)
                            {
                                typst::evict_cache(EVICT_AGE);
                            }
                        }
                    });
                }
            });
        };
        match rayon::ThreadPoolBuilder::new().num_threads(WRITERS).build() {
            Ok(writers) => writers.in_place_scope(|writes| {
                lay_out(&|i, made| writes.spawn(move |_| finish(i, made)));
            }),
            Err(_) => lay_out(&finish),
        }
        let made = made_pdfs
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A book lays out nothing of its profiles again: what Typst memoized for them only
        // weighs on the book's memory.
        typst::evict_cache(0);
        for i in (0..jobs.len()).filter(is_book) {
            let (result, _) = self.run_job(&jobs[i], out_dir, &made);
            progress(&result);
            *slots[i]
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
            typst::evict_cache(EVICT_AGE);
        }
        typst::evict_cache(EVICT_AGE);
        slots
            .into_iter()
            .map(|slot| {
                // Every profile ran inside the scope (a worker panic propagates out of
                // it) and every book after it, so each slot is filled here.
                slot.into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .expect("every job ran")
            })
            .collect()
    }

    /// Writes each profile's main file and data, plus the templates, under `dir`, so the
    /// stock Typst CLI compiles the same documents:
    /// `typst compile --root DIR DIR/2022/kyrgyzstan.typ`. (A book is assembled from its
    /// profiles' PDFs, so it has no single document to write.)
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
            let JobKind::Profile(document) = &job.kind else {
                continue;
            };
            let main = dir.join(document.main_path.trim_start_matches('/'));
            write(main.clone(), document.main_text.as_bytes())?;
            write(
                dir.join(document.data_path.trim_start_matches('/')),
                &document.data,
            )?;
            mains.push(main);
        }
        copy_dir(templates_dir, &dir.join("templates")).map_err(|error| RenderError::Write {
            path: dir.join("templates"),
            error,
        })?;
        Ok(mains)
    }
}

/// Reads a book's parts: the profiles' PDFs made in this run from `fresh`, the others from
/// `out_dir`, and the sections' title pages from `sections` (in book order).
fn book_parts(
    book: &BookJob,
    out_dir: &Path,
    fresh: &HashMap<PathBuf, Option<Arc<Vec<u8>>>>,
    sections: Vec<Vec<u8>>,
) -> Result<pdf::BookParts, JobError> {
    let mut parts = Vec::with_capacity(book.parts.len());
    let mut sections = sections.into_iter();
    for (piece, entry) in book.parts.iter().zip(&book.front.entries) {
        let output = match piece {
            BookPiece::Profile(output) => output,
            BookPiece::Section(document) => {
                let pdf = sections
                    .next()
                    .ok_or_else(|| JobError::SectionMissing(entry.id.clone()))?;
                parts.push(pdf::BookPart {
                    id: entry.id.clone(),
                    name: document.main_path.clone(),
                    pdf: Arc::new(pdf),
                });
                continue;
            }
        };
        let bytes = match fresh.get(output) {
            Some(Some(bytes)) => bytes.clone(),
            Some(None) => return Err(JobError::ProfileFailed(output.clone())),
            None => Arc::new(std::fs::read(out_dir.join(output)).map_err(|source| {
                JobError::ReadProfile {
                    path: out_dir.join(output),
                    source,
                }
            })?),
        };
        parts.push(pdf::BookPart {
            id: entry.id.clone(),
            name: out_dir.join(output).display().to_string(),
            pdf: bytes,
        });
    }
    Ok(pdf::BookParts::load(parts)?)
}

/// The front matter with each contents entry's first page, and the book's folios: each
/// profile starts on a right-hand (odd) page, so one with an odd page count is followed by
/// a blank page.
fn number_pages(front: &BookData, counts: &[usize]) -> (BookData, Vec<Folio>) {
    let mut front = front.clone();
    let mut folios = Vec::new();
    let mut next = 1;
    for (entry, count) in front.entries.iter_mut().zip(counts) {
        entry.page = Some(next.to_string());
        for number in next..next + count {
            let side = if number % 2 == 1 {
                Side::Right
            } else {
                Side::Left
            };
            folios.push(Folio {
                text: number.to_string(),
                side,
            });
        }
        next += count + count % 2;
    }
    (front, folios)
}

/// Writes a made job's PDF atomically under `out_dir`: the job's result, and the PDF when
/// it was written.
fn write_job(job: &Job, out_dir: &Path, made: MadeJob) -> (JobResult, Option<Arc<Vec<u8>>>) {
    let MadeJob {
        pdf,
        mut diagnostics,
    } = made;
    let written = pdf.and_then(|pdf| {
        let path = out_dir.join(&job.output);
        match write_atomically(&path, &pdf) {
            Ok(()) => Some(Arc::new(pdf)),
            Err(source) => {
                diagnostics.push(error(job, &JobError::Write { path, source }));
                None
            }
        }
    });
    let result = JobResult {
        output: job.output.clone(),
        written: written.is_some(),
        diagnostics,
    };
    (result, written)
}

fn error(job: &Job, error: &JobError) -> RenderDiagnostic {
    RenderDiagnostic {
        severity: Severity::Error,
        subject: job.subject.clone(),
        message: error.to_string(),
        location: None,
        hints: Vec::new(),
    }
}

/// A job's PDF, made but not written, and the diagnostics so far.
struct MadeJob {
    pdf: Option<Vec<u8>>,
    diagnostics: Vec<RenderDiagnostic>,
}

/// Files written at once: writing is bound by the disk's syncs, not by the cores.
pub const WRITERS: usize = 8;

/// A made PDF and the compiler's warnings.
type Made = (Vec<u8>, Vec<TypstDiagnostic>);

/// The parts of a document that its PDF depends on.
fn document_key(document: &Document) -> String {
    let mut hasher = Sha256::new();
    for part in [
        document.main_path.as_str(),
        document.main_text.as_str(),
        document.data_path.as_str(),
        document.ident.as_str(),
        format!("{:?}", document.date).as_str(),
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(&document.data);
    manifest::hex(&hasher.finalize())
}

/// How far a book's pages move towards the spine, in points (3 mm): the inner margin
/// becomes 2.5 cm and the outer 1.9 cm, where a profile's own PDF has 2.2 cm on both sides.
const BINDING_OFFSET: f32 = 8.5;

/// Jobs between two evictions of Typst's memoized results.
const EVICT_EVERY: usize = 4;

/// Evictions a memoized result may go unused before it is dropped.
const EVICT_AGE: usize = 2;

/// A document: its main file (`main_template` with `{data}` standing for the data file's
/// path) and its template data, written as JSON.
fn document(
    stem: &str,
    main_template: &str,
    data: &impl serde::Serialize,
    ident: String,
    date: Option<(i32, u8, u8)>,
    conformance: Conformance,
) -> Result<Document, serde_json::Error> {
    let data_path = format!("{stem}.json");
    let mut bytes = serde_json::to_vec_pretty(data)?;
    bytes.push(b'\n');
    Ok(Document {
        main_path: format!("{stem}.typ"),
        main_text: main_template.replace("{data}", &data_path),
        data_path,
        data: bytes,
        ident,
        date,
        conformance,
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
