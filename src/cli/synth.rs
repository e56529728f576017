//! `dossier synth`: a synthetic corpus in a new project directory.

use std::path::PathBuf;

use dossier::project::{Project, ProjectError};
use dossier::registry::Registry;
use dossier::render::copy_dir;
use dossier::synth::{SynthOptions, write};

use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier synth`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Number of fictional countries.
    #[arg(long, default_value_t = 200)]
    pub(crate) countries: usize,
    /// Number of consecutive editions, ending with `--last-edition`.
    #[arg(long, default_value_t = 1)]
    pub(crate) editions: usize,
    /// The most recent edition year.
    #[arg(long, default_value_t = 2023)]
    pub(crate) last_edition: i32,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Directory to create the project in (its templates and registries are copied from the
    /// current project).
    #[arg(long, short)]
    pub(crate) out: PathBuf,
}

/// Runs `dossier synth`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let project = match project {
        Ok(project) => project,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let registry = match Registry::load(&project.checks) {
        Ok(registry) => registry,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    if args.editions == 0 || args.countries == 0 {
        reporter.failure("--countries and --editions must be at least 1");
        return EXIT_ERROR;
    }
    let options = SynthOptions {
        countries: args.countries,
        editions: args.editions,
        last_edition: args.last_edition,
        seed: args.seed,
    };
    let copied = copy_dir(&project.templates, &args.out.join("templates"))
        .and_then(|()| copy_dir(&project.checks, &args.out.join("checks")));
    if let Err(error) = copied {
        reporter.failure(&format!(
            "cannot copy templates and registries to {}: {error}",
            args.out.display()
        ));
        return EXIT_ERROR;
    }
    match write(&args.out, &options, &registry) {
        Ok(n) => {
            reporter.status(&format!(
                "wrote {n} records ({} countries, {} edition{}) under {}",
                options.countries,
                options.editions,
                super::render::plural(options.editions),
                args.out.join("profiles").display()
            ));
            EXIT_OK
        }
        Err(error) => {
            reporter.failure(&format!(
                "cannot write under {}: {error}",
                args.out.display()
            ));
            EXIT_ERROR
        }
    }
}
