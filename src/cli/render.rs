//! `dossier render`: records to PDF profiles and edition books.

use std::path::PathBuf;
use std::sync::OnceLock;

use dossier::project::{Project, ProjectError};
use dossier::render::grouped_diagnostics;
use dossier::render::pipeline::{Progress, RenderRequest, RenderSummary, render_project};

use super::args::{OutputArgs, PathArgs, RunArgs};
use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier render`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) paths: PathArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) run: RunArgs,
    /// Do not render the edition books.
    #[arg(long)]
    pub(crate) no_book: bool,
    #[command(flatten)]
    pub(crate) book: BookArgs,
    /// Also write each document's Typst main file, data and the templates to DIR.
    #[arg(long, value_name = "DIR")]
    pub(crate) emit_typst: Option<PathBuf>,
}

/// Which topics the edition books hold.
#[derive(Debug, clap::Args)]
pub(crate) struct BookArgs {
    /// Put only this topic in the books (repeatable; a section per topic when several);
    /// every topic when not given.
    #[arg(long, value_name = "TOPIC")]
    pub(crate) book_topic: Vec<dossier::record::Topic>,
}

/// Runs `dossier render`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let Some(project) = reporter.found(project) else {
        return EXIT_ERROR;
    };
    let request = RenderRequest {
        paths: args.paths.paths,
        out_dir: args.output.out,
        paper: args.output.paper,
        books: !args.no_book,
        book_topics: args.book.book_topic,
        jobs: args.run.jobs,
        emit_typst: args.emit_typst,
        force: args.run.force,
    };
    match render(&project, &request, reporter) {
        Some(summary) if summary.failures == 0 => EXIT_OK,
        _ => EXIT_ERROR,
    }
}

/// Renders as asked, printing progress, diagnostics and a summary line; `None` when
/// nothing could start (the reason is printed).
pub(super) fn render(
    project: &Project,
    request: &RenderRequest,
    reporter: &Reporter,
) -> Option<RenderSummary> {
    let bar: OnceLock<Option<indicatif::ProgressBar>> = OnceLock::new();
    let out_dir = request
        .out_dir
        .clone()
        .unwrap_or_else(|| project.default_out_dir());
    let observe = |event: Progress<'_>| report(event, &bar, &out_dir, reporter);
    let summary = render_project(project, request, &observe);
    if let Some(Some(bar)) = bar.get() {
        bar.finish_and_clear();
    }
    let summary = match summary {
        Ok(summary) => summary,
        Err(e) => {
            reporter.error(&e);
            return None;
        }
    };
    for group in grouped_diagnostics(&summary.results) {
        reporter.render_diagnostic_group(&group);
    }
    reporter.status(&format!(
        "{} PDF{} written to {}, {} up to date; {} failure{}",
        summary.written,
        plural(summary.written),
        summary.out_dir.display(),
        summary.up_to_date,
        summary.failures,
        plural(summary.failures)
    ));
    Some(summary)
}

/// Prints one event of a render run: a progress bar on a terminal, lines otherwise.
fn report(
    event: Progress<'_>,
    bar: &OnceLock<Option<indicatif::ProgressBar>>,
    out_dir: &std::path::Path,
    reporter: &Reporter,
) {
    match event {
        Progress::Skipped(s) => reporter.skipped(s),
        Progress::LoadFailed(e) => reporter.load_error(e),
        Progress::UnknownReference {
            path,
            line,
            column,
            message,
        } => reporter.status(&format!(
            "warning: {}:{line}:{column}: {message}; printed as written",
            path.display()
        )),
        Progress::EmittedTypst { documents, dir } => reporter.status(&format!(
            "wrote {documents} Typst documents under {}",
            dir.display()
        )),
        Progress::RemovedTemporaries(n) => reporter.status(&format!(
            "removed {n} temporary file(s) left by an interrupted render"
        )),
        Progress::Planned {
            up_to_date,
            to_render,
        } => {
            if up_to_date > 0 {
                reporter.status(&format!("{up_to_date} up to date"));
            }
            bar.get_or_init(|| reporter.progress(to_render, "render"));
        }
        Progress::Rendered(r) => match bar.get() {
            Some(Some(bar)) => {
                bar.set_message(r.output.display().to_string());
                bar.inc(1);
            }
            _ if r.written => {
                reporter.status(&format!("rendered {}", out_dir.join(&r.output).display()));
            }
            _ => {}
        },
        Progress::ManifestNotSaved { out_dir, error } => reporter.status(&format!(
            "warning: cannot write the build manifest in {}: {error}",
            out_dir.display()
        )),
    }
}

/// `"s"` unless `n` is 1.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
