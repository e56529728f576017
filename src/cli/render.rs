//! `dossier render`: records to PDF profiles and edition books.

use std::path::PathBuf;

use crate::project::{Project, ProjectError, relative_to_cwd};
use crate::registry::Registry;
use crate::render::{Manifest, Paper, RenderOptions, Renderer, Severity};

use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Record files or directories (default: the project's profiles/).
    pub paths: Vec<PathBuf>,
    /// Output directory (default: `out/`, or `out_dir` in dossier.toml).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Paper size.
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Parallel jobs (default: all cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Do not render the edition books.
    #[arg(long)]
    pub no_book: bool,
    /// Also write each document's Typst main file, data and the templates to DIR.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// Render every output, even those the manifest says are up to date.
    #[arg(long)]
    pub force: bool,
}

/// Summary of a render run.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    /// PDFs written.
    pub written: usize,
    /// Outputs skipped because their inputs did not change.
    pub up_to_date: usize,
    /// Problems that stopped a record or a PDF.
    pub failures: usize,
}

/// Runs `dossier render`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    match render(&args, project, reporter) {
        Ok(outcome) if outcome.failures == 0 => EXIT_OK,
        Ok(_) => EXIT_ERROR,
        Err(code) => code,
    }
}

/// Renders as asked and reports; returns counts, or an exit code when nothing could start.
#[expect(
    clippy::too_many_lines,
    reason = "long function: split into named steps"
)]
pub(super) fn render(
    args: &Args,
    project: Result<Project, ProjectError>,
    reporter: &Reporter,
) -> Result<Outcome, i32> {
    let project = project.map_err(|e| {
        reporter.error(&e);
        EXIT_ERROR
    })?;
    let registry = Registry::load(&project.checks).map_err(|e| {
        reporter.error(&e);
        EXIT_ERROR
    })?;
    let paper = args.paper.or(project.config.paper).unwrap_or_default();
    let options = RenderOptions {
        paper,
        books: !args.no_book,
    };
    let renderer = Renderer::new(&project.templates, registry, options).map_err(|e| {
        reporter.error(&e);
        EXIT_ERROR
    })?;
    let paths = if args.paths.is_empty() {
        vec![relative_to_cwd(&project.profiles)]
    } else {
        args.paths.clone()
    };
    let (records, load_errors) = reporter.load_records(&paths);
    for record in &records {
        for (span, message) in renderer.registry().unknown_references(record) {
            let (line, col) = record.line_col(span.start);
            reporter.status(&format!(
                "warning: {}:{line}:{col}: {message}; printed as written",
                record.path.display()
            ));
        }
    }
    let jobs = renderer.jobs(&records);
    if let Some(dir) = &args.emit_typst {
        match renderer.emit_typst(&jobs, &project.templates, dir) {
            Ok(mains) => reporter.status(&format!(
                "wrote {} Typst documents under {}",
                mains.len(),
                dir.display()
            )),
            Err(e) => {
                reporter.error(&e);
                return Err(EXIT_ERROR);
            }
        }
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| project.default_out_dir());
    let stale = crate::render::remove_stale_temporaries(&out_dir);
    if stale > 0 {
        reporter.status(&format!(
            "removed {stale} temporary file(s) left by an interrupted render"
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| {
            eprintln!("error: cannot start worker threads: {e}");
            EXIT_ERROR
        })?;
    let mut manifest = Manifest::load(&out_dir);
    let (fresh, stale): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|job| !args.force && manifest.is_fresh(job, &out_dir));
    if !fresh.is_empty() {
        reporter.status(&format!("{} up to date", fresh.len()));
    }
    let bar = reporter.progress(stale.len(), "render");
    let progress = |r: &crate::render::JobResult| match &bar {
        Some(bar) => {
            bar.set_message(r.output.display().to_string());
            bar.inc(1);
        }
        None => {
            if r.written {
                reporter.status(&format!("rendered {}", out_dir.join(&r.output).display()));
            }
        }
    };
    let results = pool.install(|| renderer.run_jobs(&stale, &out_dir, &progress));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut outcome = Outcome {
        written: 0,
        up_to_date: fresh.len(),
        failures: load_errors.len(),
    };
    for (job, r) in stale.iter().zip(&results) {
        manifest.update(job, r);
        for d in &r.diagnostics {
            reporter.render_diagnostic(d);
        }
        if r.written {
            outcome.written += 1;
        } else if r.diagnostics.iter().any(|d| d.severity == Severity::Error) {
            outcome.failures += 1;
        }
    }
    if !stale.is_empty()
        && let Err(error) = manifest.save(&out_dir)
    {
        reporter.status(&format!(
            "warning: cannot write the build manifest in {}: {error}",
            out_dir.display()
        ));
    }
    reporter.status(&format!(
        "{} PDF{} written to {}, {} up to date; {} failure{}",
        outcome.written,
        if outcome.written == 1 { "" } else { "s" },
        out_dir.display(),
        outcome.up_to_date,
        outcome.failures,
        if outcome.failures == 1 { "" } else { "s" }
    ));
    Ok(outcome)
}
