//! `dossier rollover FROM TO`: copies an edition's records into the next edition and lists
//! what an editor must revisit.

use dossier::project::{Project, ProjectError};
use dossier::workflow::rollover::{RolloverError, plan, write};

use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier rollover`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The edition to copy, e.g. 2023.
    pub(crate) from: i32,
    /// The new edition, e.g. 2024.
    pub(crate) to: i32,
    /// Show the report without writing any file.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// Runs `dossier rollover`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let Some(project) = reporter.found(project) else {
        return EXIT_ERROR;
    };
    let registry = match dossier::registry::Registry::load(&project.checks) {
        Ok(registry) => registry,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let relative = |p: &std::path::Path| p.strip_prefix(&project.root).unwrap_or(p).to_path_buf();
    let rolled = match plan(&project.profiles, &registry, args.from, args.to) {
        Ok(rolled) => rolled,
        Err(RolloverError::Exists(paths)) => {
            let paths = paths.iter().map(|p| relative(p)).collect();
            reporter.error(&RolloverError::Exists(paths));
            return EXIT_ERROR;
        }
        Err(RolloverError::NoRecords(dir)) => {
            reporter.error(&RolloverError::NoRecords(relative(&dir)));
            return EXIT_ERROR;
        }
        Err(e) => {
            if let RolloverError::Load { errors, .. } = &e {
                for error in errors {
                    reporter.load_error(error);
                }
            }
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    if !args.dry_run
        && let Err(e) = write(&rolled)
    {
        reporter.error(&e);
        return EXIT_ERROR;
    }
    let show = |p: &std::path::Path| relative(p).display().to_string();
    for r in &rolled {
        println!("{}", show(&r.to));
        for item in &r.revisit {
            if item.line == 0 {
                println!("  revisit: {}", item.what);
            } else {
                println!("  line {}: revisit: {}", item.line, item.what);
            }
        }
    }
    reporter.status(&format!(
        "{} {} record{} for the {} edition from {}; each is marked needs_review",
        if args.dry_run { "would write" } else { "wrote" },
        rolled.len(),
        if rolled.len() == 1 { "" } else { "s" },
        args.to,
        args.from
    ));
    EXIT_OK
}
