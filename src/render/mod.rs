//! Records to print-ready PDFs: one per record, one book per edition.
//!
//! Records become JSON data ([`data`]), templates read it, and the embedded Typst compiler
//! ([`typst`], the only module that uses its API) lays it out. PDFs are written atomically:
//! to a temporary file in the output directory, then renamed over the old one.

pub mod data;
pub mod manifest;
pub mod typst;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

pub use data::Paper;
use data::{book_data, profile_data, record_date, record_id, replace_missing_glyphs};
pub use manifest::Manifest;
pub use typst::{Base, Document, TypstDiagnostic};

use crate::record::Record;
use crate::registry::Registry;

/// How bad a render diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Output was written but deserves a look.
    Warning,
    /// No output was written.
    Error,
}

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
    /// The Typst document.
    pub document: Document,
    /// Characters the fonts cannot show.
    pub missing_glyphs: Vec<char>,
    /// Hash of everything the PDF is made from (see [`manifest`]).
    pub key: String,
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
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            paper: Paper::A4,
            books: true,
        }
    }
}

/// Problems setting up the renderer.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RenderError {
    /// The templates directory could not be read.
    #[error("cannot read the templates in {path}: {error}")]
    #[diagnostic(code(dossier::render::templates))]
    Templates {
        /// The directory.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// An output file could not be written.
    #[error("cannot write {path}: {error}")]
    #[diagnostic(code(dossier::render::write))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
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
        let base = Base::new(templates_dir).map_err(|error| RenderError::Templates {
            path: templates_dir.to_path_buf(),
            error,
        })?;
        Ok(Self {
            base,
            registry,
            options,
        })
    }

    /// The registry the renderer resolves meetings and resolutions with.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The jobs for these records: a profile each, and a book per edition when enabled.
    /// Records are sorted by edition, then country, then topic.
    pub fn jobs(&self, records: &[Record]) -> Vec<Job> {
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
        let mut editions: BTreeMap<i32, Vec<serde_json::Value>> = BTreeMap::new();
        for record in sorted {
            let mut data = profile_data(record, &self.registry, self.options.paper);
            let missing_glyphs = self.base.missing_glyphs(&plain_strings(&data));
            replace_missing_glyphs(&mut data, &missing_glyphs);
            let edition = record.edition.value;
            let stem = record.slug();
            let document = document(
                &format!("/{edition}/{stem}"),
                "#import \"/templates/profile.typ\": profile-document\n#profile-document(json(\"{data}\"))\n",
                &data,
                record_id(record),
                Some(record_date(record)),
            );
            jobs.push(Job {
                output: PathBuf::from(edition.to_string()).join(format!("{stem}.pdf")),
                subject: record.path.display().to_string(),
                key: self.key(&document),
                document,
                missing_glyphs,
            });
            editions.entry(edition).or_default().push(data);
        }
        if self.options.books {
            for (edition, profiles) in editions {
                let data = book_data(edition, profiles, self.options.paper);
                let date = data["date"].as_object().map(|d| {
                    (
                        d["year"].as_i64().unwrap_or(1970) as i32,
                        d["month"].as_u64().unwrap_or(1) as u8,
                        d["day"].as_u64().unwrap_or(1) as u8,
                    )
                });
                let document = document(
                    &format!("/book-{edition}"),
                    "#import \"/templates/book.typ\": book-document\n#book-document(json(\"{data}\"))\n",
                    &data,
                    format!("book-{edition}"),
                    date,
                );
                jobs.push(Job {
                    output: PathBuf::from(format!("book-{edition}.pdf")),
                    subject: format!("book {edition}"),
                    key: self.key(&document),
                    document,
                    missing_glyphs: Vec::new(),
                });
            }
        }
        jobs
    }

    /// The cache key of a document: its main file, data, identifier and date, the template
    /// set, and the dossier and Typst versions.
    fn key(&self, document: &Document) -> String {
        let mut hasher = Sha256::new();
        for part in [
            "dossier-render",
            env!("CARGO_PKG_VERSION"),
            typst::TYPST_VERSION,
            self.base.fingerprint(),
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

    /// Compiles one job and writes its PDF atomically under `out_dir`.
    pub fn run_job(&self, job: &Job, out_dir: &Path) -> JobResult {
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
        match self.base.compile_pdf(&job.document) {
            Ok((pdf, warnings)) => {
                diagnostics.extend(warnings.into_iter().map(|w| convert(w, Severity::Warning)));
                let path = out_dir.join(&job.output);
                match write_atomically(&path, &pdf) {
                    Ok(()) => JobResult {
                        output: job.output.clone(),
                        written: true,
                        diagnostics,
                    },
                    Err(error) => {
                        diagnostics.push(RenderDiagnostic {
                            severity: Severity::Error,
                            subject: job.subject.clone(),
                            message: format!("cannot write {}: {error}", path.display()),
                            location: None,
                            hints: Vec::new(),
                        });
                        JobResult {
                            output: job.output.clone(),
                            written: false,
                            diagnostics,
                        }
                    }
                }
            }
            Err(errors) => {
                diagnostics.extend(errors.into_iter().map(|e| convert(e, Severity::Error)));
                JobResult {
                    output: job.output.clone(),
                    written: false,
                    diagnostics,
                }
            }
        }
    }

    /// Runs jobs in parallel on the current rayon pool, calling `progress` after each, and
    /// returns the results in the order of `jobs`.
    ///
    /// Workers take the largest documents first (the books hold a whole edition), so the
    /// longest job never starts last. Typst's memoized results that have not been used for
    /// a while are evicted as the run goes, so memory stays bounded however long the run.
    pub fn run_jobs(
        &self,
        jobs: &[Job],
        out_dir: &Path,
        progress: &(dyn Fn(&JobResult) + Sync),
    ) -> Vec<JobResult> {
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].document.data.len()));
        let slots: Vec<Mutex<Option<JobResult>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| {
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let result = self.run_job(&jobs[i], out_dir);
                        progress(&result);
                        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                        if (done.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(EVICT_EVERY) {
                            typst::evict_cache(EVICT_AGE);
                        }
                    }
                });
            }
        });
        typst::evict_cache(EVICT_AGE);
        slots
            .into_iter()
            .map(|slot| {
                // The scope returns once every worker has finished, and a worker panic
                // propagates out of it, so each slot is filled here.
                slot.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .expect("every job ran")
            })
            .collect()
    }

    /// Writes each job's main file and data, plus the templates, under `dir`, so the stock
    /// Typst CLI compiles the same documents: `typst compile --root DIR DIR/2022/kyrgyzstan.typ`.
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
            let main = dir.join(job.document.main_path.trim_start_matches('/'));
            write(main.clone(), job.document.main_text.as_bytes())?;
            write(
                dir.join(job.document.data_path.trim_start_matches('/')),
                &job.document.data,
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

/// Jobs between two evictions of Typst's memoized results.
const EVICT_EVERY: usize = 4;

/// Evictions a memoized result may go unused before it is dropped.
const EVICT_AGE: usize = 2;

fn document(
    stem: &str,
    main_template: &str,
    data: &serde_json::Value,
    ident: String,
    date: Option<(i32, u8, u8)>,
) -> Document {
    let data_path = format!("{stem}.json");
    let mut bytes = serde_json::to_vec_pretty(data).unwrap_or_default();
    bytes.push(b'\n');
    Document {
        main_path: format!("{stem}.typ"),
        main_text: main_template.replace("{data}", &data_path),
        data_path,
        data: bytes,
        ident,
        date,
    }
}

/// Every string in a JSON value, joined by spaces (for glyph coverage checks).
fn plain_strings(value: &serde_json::Value) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push(' ');
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            serde_json::Value::Object(map) => map.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(value, &mut out);
    out
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
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(t) if t.is_dir() => removed += remove_stale_temporaries(&entry.path()),
            Ok(t) if t.is_file() && name.starts_with('.') && name.ends_with(".tmp") => {
                removed += usize::from(std::fs::remove_file(entry.path()).is_ok());
            }
            _ => {}
        }
    }
    removed
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            write_atomically(&target, &std::fs::read(entry.path())?)?;
        }
    }
    Ok(())
}
