//! The render pipeline: the records under some paths to PDFs in an output directory.
//!
//! One run loads the records, plans which outputs are stale (the manifest in the output
//! directory, see [`manifest`](super::manifest)), lays out the stale profiles (and every
//! profile of a stale book) in parallel, writes their PDFs and the books, and records what it
//! wrote. What happens along the way is reported as
//! typed [`Progress`] events; the caller decides how to show them.

use std::path::{Path, PathBuf};

use crate::project::{Project, Skipped, collect_record_files, load_records, relative_to_cwd};
use crate::record::{LoadError, Record};

use super::{
    Job, JobResult, Manifest, Paper, RenderError, RenderOptions, Renderer, Severity,
    remove_stale_temporaries,
};

/// What to render, and how.
#[derive(Debug, Clone)]
pub struct RenderRequest {
    /// Record files or directories; empty means the project's `profiles/`.
    pub paths: Vec<PathBuf>,
    /// Output directory; `None` means the project's default.
    pub out_dir: Option<PathBuf>,
    /// Paper size; `None` means the project's setting, else A4.
    pub paper: Option<Paper>,
    /// Also render one book per edition.
    pub books: bool,
    /// The topics the books hold (a section each when there are several); empty for all.
    pub book_topics: Vec<crate::record::Topic>,
    /// Parallel jobs; `None` means one per core.
    pub jobs: Option<usize>,
    /// Also write each profile's Typst main file, data and the templates here.
    pub emit_typst: Option<PathBuf>,
    /// Render every output, even those the manifest says are up to date.
    pub force: bool,
}

/// Something a render run did or found, as it happens.
#[derive(Debug)]
pub enum Progress<'a> {
    /// A file under the given paths was passed over.
    Skipped(&'a Skipped),
    /// A record does not load; it is not rendered.
    LoadFailed(&'a LoadError),
    /// A record names a meeting or resolution the registries do not know.
    UnknownReference {
        /// The record file.
        path: &'a Path,
        /// 1-based line of the reference.
        line: usize,
        /// 1-based column of the reference.
        column: usize,
        /// What is unknown.
        message: &'a str,
    },
    /// The Typst sources were written (`emit_typst`).
    EmittedTypst {
        /// Documents written.
        documents: usize,
        /// Where.
        dir: &'a Path,
    },
    /// Temporary files an interrupted run left were removed.
    RemovedTemporaries(usize),
    /// The plan: how many outputs are up to date and how many will be rendered.
    Planned {
        /// Outputs whose inputs did not change.
        up_to_date: usize,
        /// Outputs to render now.
        to_render: usize,
    },
    /// One output was rendered (or failed: see its diagnostics).
    Rendered(&'a JobResult),
    /// The manifest could not be written; the next run renders these outputs again.
    ManifestNotSaved {
        /// The output directory.
        out_dir: &'a Path,
        /// Why.
        error: &'a std::io::Error,
    },
}

/// The outcome of a render run.
#[derive(Debug)]
pub struct RenderSummary {
    /// Where the PDFs went.
    pub out_dir: PathBuf,
    /// The outputs rendered now, in job order.
    pub results: Vec<JobResult>,
    /// PDFs written.
    pub written: usize,
    /// Outputs skipped because their inputs did not change.
    pub up_to_date: usize,
    /// Records that did not load plus outputs that failed.
    pub failures: usize,
}

impl Renderer {
    /// The renderer of a project: its templates and registries.
    pub fn for_project(project: &Project, options: RenderOptions) -> Result<Self, RenderError> {
        let registry = crate::registry::Registry::load(&project.checks)?;
        Renderer::new(&project.templates, registry, options)
    }
}

/// Renders the records `request` names into its output directory: only the outputs whose
/// inputs changed since the last run (all with `force`), profiles in parallel, then books.
/// All of it runs on `request.jobs` threads, the loading and planning too.
pub fn render_project(
    project: &Project,
    request: &RenderRequest,
    observe: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<RenderSummary, RenderError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(request.jobs.unwrap_or(0))
        .build()?;
    pool.install(|| render_here(project, request, observe))
}

/// [`render_project`] on the current rayon pool.
fn render_here(
    project: &Project,
    request: &RenderRequest,
    observe: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<RenderSummary, RenderError> {
    let options = RenderOptions {
        paper: request.paper.or(project.config.paper).unwrap_or_default(),
        books: request.books,
        book_topics: request.book_topics.clone(),
        keep_layouts: false,
        reuse_kept: !request.force,
    };
    let renderer = Renderer::for_project(project, options)?;
    let paths = if request.paths.is_empty() {
        vec![relative_to_cwd(&project.profiles)]
    } else {
        request.paths.clone()
    };
    let (records, load_failures) = load(&paths, &renderer, observe);
    let jobs = renderer.jobs(&records)?;
    if let Some(dir) = &request.emit_typst {
        let mains = renderer.emit_typst(&jobs, &project.templates, dir)?;
        observe(Progress::EmittedTypst {
            documents: mains.len(),
            dir,
        });
    }
    let out_dir = request
        .out_dir
        .clone()
        .unwrap_or_else(|| project.default_out_dir());
    let removed = remove_stale_temporaries(&out_dir);
    if removed > 0 {
        observe(Progress::RemovedTemporaries(removed));
    }
    let mut manifest = Manifest::load(&out_dir);
    let plan = Plan::new(jobs, &manifest, &out_dir, request.force);
    observe(Progress::Planned {
        up_to_date: plan.up_to_date,
        to_render: plan.stale.len(),
    });
    if !plan.stale.is_empty() {
        create_out_dir(&out_dir)?;
    }
    let results = renderer.run_jobs(&plan.stale, &out_dir, &|r| observe(Progress::Rendered(r)));
    for (job, result) in plan.stale.iter().zip(&results) {
        manifest.update(job, result);
    }
    if !plan.stale.is_empty()
        && let Err(error) = manifest.save(&out_dir)
    {
        observe(Progress::ManifestNotSaved {
            out_dir: &out_dir,
            error: &error,
        });
    }
    Ok(summarise(out_dir, results, plan.up_to_date, load_failures))
}

/// Makes the output directory, so that one that cannot be made is said once rather than for
/// every output.
fn create_out_dir(out_dir: &Path) -> Result<(), RenderError> {
    let error = |error| RenderError::Write {
        path: out_dir.to_path_buf(),
        error,
    };
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(error(std::io::Error::other(
            "it is a file; the output goes to a directory",
        )));
    }
    std::fs::create_dir_all(out_dir).map_err(error)
}

/// Loads the records under `paths`, reporting what is skipped, what fails to load and the
/// references the registries do not know. Returns the records and the number of failures.
fn load(
    paths: &[PathBuf],
    renderer: &Renderer,
    observe: &(dyn Fn(Progress<'_>) + Sync),
) -> (Vec<Record>, usize) {
    let (files, skipped) = collect_record_files(paths);
    for s in &skipped {
        observe(Progress::Skipped(s));
    }
    let (records, errors) = load_records(&files);
    for e in &errors {
        observe(Progress::LoadFailed(e));
    }
    for record in &records {
        for (span, message) in renderer.registry().unknown_references(record) {
            let (line, column) = record.line_col(span.start);
            observe(Progress::UnknownReference {
                path: &record.path,
                line,
                column,
                message: &message,
            });
        }
    }
    (records, errors.len())
}

/// Which outputs are stale: their PDF is missing or was made from other inputs.
struct Plan {
    /// Jobs to run now.
    stale: Vec<Job>,
    /// Jobs whose output is up to date.
    up_to_date: usize,
}

impl Plan {
    fn new(jobs: Vec<Job>, manifest: &Manifest, out_dir: &Path, force: bool) -> Self {
        let total = jobs.len();
        let stale: Vec<Job> = jobs
            .into_iter()
            .filter(|job| force || !manifest.is_fresh(job, out_dir))
            .collect();
        Self {
            up_to_date: total - stale.len(),
            stale,
        }
    }
}

fn summarise(
    out_dir: PathBuf,
    results: Vec<JobResult>,
    up_to_date: usize,
    load_failures: usize,
) -> RenderSummary {
    let written = results.iter().filter(|r| r.written).count();
    let failed = results
        .iter()
        .filter(|r| !r.written && r.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    RenderSummary {
        out_dir,
        results,
        written,
        up_to_date,
        failures: load_failures + failed,
    }
}
