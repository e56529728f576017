//! `dossier build`: the main job. Renders every record and each edition's book, then
//! reports what the checker finds.

use dossier::check::Severity;
use dossier::check::emit::Format;
use dossier::project::{Project, ProjectError, relative_to_cwd};
use dossier::render::pipeline::RenderRequest;

use super::args::{OutputArgs, RunArgs};
use super::check::{Printing, check_and_print};
use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier build`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) run: RunArgs,
    #[command(flatten)]
    pub(crate) book: super::render::BookArgs,
}

/// Runs `dossier build`: renders, then checks. Exits 2 when something could not be
/// rendered; checker findings are reported but do not fail the build (gate on
/// `dossier check` for that).
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let Some(project) = reporter.found(project) else {
        return EXIT_ERROR;
    };
    let request = RenderRequest {
        paths: Vec::new(),
        out_dir: args.output.out,
        paper: args.output.paper,
        books: true,
        book_topics: args.book.book_topic,
        jobs: args.run.jobs,
        emit_typst: None,
        force: args.run.force,
    };
    let rendered = super::render::render(&project, &request, reporter);
    reporter.status("checking every record:");
    // Files that did not load were reported by the render; the check counts them.
    let printing = Printing {
        format: Format::Human,
        threshold: Severity::Error,
        statistics: false,
        load_errors: false,
    };
    let checked = check_and_print(
        &project,
        &[relative_to_cwd(&project.profiles)],
        &printing,
        reporter,
    );
    match rendered {
        Some(summary) if summary.failures == 0 && checked != EXIT_ERROR => EXIT_OK,
        _ => EXIT_ERROR,
    }
}
