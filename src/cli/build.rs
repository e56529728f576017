//! `dossier build`: the main job. Renders every record and each edition's book, then
//! reports what the checker finds.

use std::path::PathBuf;

use crate::project::{Project, ProjectError};
use crate::render::Paper;

use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output directory (default: `out/`, or `out_dir` in dossier.toml).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Paper size.
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Parallel jobs (default: all cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Render every output, even those the manifest says are up to date.
    #[arg(long)]
    pub force: bool,
}

/// Runs `dossier build`: renders, then checks. Exits 2 when something could not be
/// rendered; checker findings are reported but do not fail the build (gate on
/// `dossier check` for that).
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let project = match project {
        Ok(project) => project,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let render_args = super::render::Args {
        paths: Vec::new(),
        out: args.out,
        paper: args.paper,
        jobs: args.jobs,
        no_book: false,
        emit_typst: None,
        force: args.force,
    };
    let rendered = match super::render::render(&render_args, Ok(project.clone()), reporter) {
        Ok(outcome) if outcome.failures == 0 => EXIT_OK,
        Ok(_) => EXIT_ERROR,
        Err(code) => code,
    };
    reporter.status("checking every record:");
    let check_args = super::check::Args {
        paths: Vec::new(),
        format: crate::check::emit::Format::Human,
        deny: super::check::Deny::Error,
        statistics: false,
    };
    let checked = super::check::run(check_args, Ok(project), reporter);
    if rendered != EXIT_OK || checked == EXIT_ERROR {
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}
