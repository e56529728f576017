//! `dossier build`: the main job. Renders every record and each edition's book, then
//! reports what the checker finds.

use std::path::PathBuf;

use crate::project::{Project, ProjectError};
use crate::render::Paper;

use super::{Reporter, EXIT_ERROR, EXIT_OK};

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

/// Runs `dossier build`.
pub fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let render_args = super::render::Args {
        paths: Vec::new(),
        out: args.out,
        paper: args.paper,
        jobs: args.jobs,
        no_book: false,
        emit_typst: None,
        force: args.force,
    };
    match super::render::render(&render_args, project, reporter) {
        Ok(outcome) if outcome.failures == 0 => EXIT_OK,
        Ok(_) => EXIT_ERROR,
        Err(code) => code,
    }
}
