//! `dossier diff`: year-over-year review of two records, editions or edition years.

mod output;

use std::path::{Path, PathBuf};

use dossier::diff::ChangeKind;
use dossier::diff::emit::Format;
use dossier::diff::sides::{Side, SidePath, compare, resolve_side};
use dossier::facts::claims::ClaimPatterns;
use dossier::project::{Project, ProjectError};
use dossier::record::load_record;
use dossier::registry::Registry;
use dossier::render::Paper;

use super::args::FormatArgs;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Reporter};

/// Arguments of `dossier diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// OLD and NEW: two record files, two edition directories or two edition years.
    /// With `--git`: the arguments git passes to a diff driver.
    #[arg(required = true, num_args = 1.., value_name = "OLD NEW")]
    pub(crate) sides: Vec<String>,
    #[command(flatten)]
    pub(crate) output: FormatArgs<Format>,
    /// Write the output to FILE (for `--format pdf` the default is `out/redline.pdf`).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Only these countries (name or slug; repeatable).
    #[arg(long, value_name = "NAME")]
    pub(crate) country: Vec<String>,
    /// Only changes of these kinds (repeatable).
    #[arg(long, value_enum)]
    pub(crate) kind: Vec<ChangeKind>,
    /// Exit with 1 when there are differences.
    #[arg(long)]
    pub(crate) exit_code: bool,
    /// Redline PDF: print only the profiles that changed.
    #[arg(long)]
    pub(crate) changed_only: bool,
    /// Paper size of the redline PDF.
    #[arg(long, value_enum)]
    pub(crate) paper: Option<Paper>,
    /// Run as git's external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX
    /// NEW-MODE (see the README).
    #[arg(long)]
    pub(crate) git: bool,
}

/// The sides to compare and the labels to show for them.
struct Sides {
    old: String,
    new: String,
    labels: Option<(String, String)>,
}

/// Runs `dossier diff`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let sides = match sides(&args, reporter) {
        Ok(Some(sides)) => sides,
        Ok(None) => return EXIT_OK,
        Err(code) => return code,
    };
    let project = project.ok();
    let Some((registry, patterns)) = context(project.as_ref(), reporter) else {
        return EXIT_ERROR;
    };
    let profiles = project.as_ref().map(|p| p.profiles.as_path());
    let (Some(old), Some(new)) = (
        load_side(&sides.old, profiles, reporter),
        load_side(&sides.new, profiles, reporter),
    ) else {
        return EXIT_ERROR;
    };
    let (old_label, new_label) = sides.labels.unwrap_or((sides.old, sides.new));
    let mut diff = compare((old_label, old), (new_label, new), &registry, &patterns);
    diff.filter(&args.country, &args.kind);
    let written = match args.output.format {
        Format::Pdf => output::write_redline(&diff, &args, project.as_ref(), reporter),
        format => output::write_text(&diff, format, args.out.as_deref(), reporter),
    };
    if !written {
        EXIT_ERROR
    } else if args.exit_code && !args.git && !diff.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The two sides from the arguments (git's seven as a diff driver); `None` when there is
/// nothing to compare (git's unmerged path, which is printed).
fn sides(args: &Args, reporter: &Reporter) -> Result<Option<Sides>, i32> {
    let n = args.sides.len();
    match (args.git, n) {
        (true, 1) => {
            println!("* Unmerged path {}", args.sides[0]);
            Ok(None)
        }
        (true, 7..) => Ok(Some(Sides {
            old: args.sides[1].clone(),
            new: args.sides[4].clone(),
            labels: Some((
                format!("a/{}", args.sides[0]),
                format!("b/{}", args.sides[0]),
            )),
        })),
        (true, _) => {
            reporter.failure(&format!(
                "--git expects the 7 arguments git passes, got {n}"
            ));
            Err(EXIT_ERROR)
        }
        (false, 2) => Ok(Some(Sides {
            old: args.sides[0].clone(),
            new: args.sides[1].clone(),
            labels: None,
        })),
        (false, _) => {
            reporter.failure(&format!(
                "dossier diff takes two arguments, OLD and NEW (got {n})"
            ));
            Err(EXIT_ERROR)
        }
    }
}

/// The registries and claim patterns of the project; empty ones (with a warning) without
/// a project.
fn context(project: Option<&Project>, reporter: &Reporter) -> Option<(Registry, ClaimPatterns)> {
    let Some(project) = project else {
        reporter.status(
            "warning: no dossier project found; meetings, resolutions and claim patterns are unknown",
        );
        let none = ClaimPatterns::parse("").map_err(|e| reporter.failure(&e.to_string()));
        return Some((Registry::default(), none.ok()?));
    };
    let registry = Registry::load(&project.checks).map_err(|e| reporter.error(&e));
    let patterns = ClaimPatterns::load(&project.checks).map_err(|e| reporter.error(&e));
    Some((registry.ok()?, patterns.ok()?))
}

/// Loads one side, printing why when it cannot be had.
fn load_side(arg: &str, profiles: Option<&Path>, reporter: &Reporter) -> Option<Side> {
    match resolve_side(arg, profiles) {
        Ok(SidePath::Nothing) => Some(Side::Record(None)),
        Ok(SidePath::Directory(path)) => {
            let (records, errors) = reporter.load_records(std::slice::from_ref(&path));
            errors.is_empty().then_some(Side::Edition(records))
        }
        Ok(SidePath::File(path)) => match load_record(&path) {
            Ok(r) => Some(Side::Record(Some(Box::new(r)))),
            Err(e) => {
                reporter.load_error(&e);
                None
            }
        },
        Err(e) => {
            reporter.failure(&e.to_string());
            None
        }
    }
}
