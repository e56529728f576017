//! `dossier build`: the main job. Renders every record and each edition's book, then
//! reports what the checker finds.

use dossier::project::{Project, ProjectError};
use dossier::render::pipeline::RenderRequest;

use super::args::{OutputArgs, RunArgs};
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
    let checked = super::check::check_and_print(
        &project,
        std::slice::from_ref(&project.profiles),
        dossier::check::emit::Format::Human,
        dossier::check::Severity::Error,
        false,
        reporter,
    );
    match rendered {
        Some(summary) if summary.failures == 0 && checked != EXIT_ERROR => EXIT_OK,
        _ => EXIT_ERROR,
    }
}
