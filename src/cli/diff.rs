//! `dossier diff`: year-over-year review of two records, editions or edition years.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use dossier::diff::emit::pdf::RedlineOptions;
use dossier::diff::emit::{self, Format};
use dossier::diff::{ChangeKind, Diff, RecordStatus, diff_editions, diff_records, one_sided};
use dossier::facts::claims::ClaimPatterns;
use dossier::project::{Project, ProjectError};
use dossier::record::{Record, load_record};
use dossier::registry::Registry;
use dossier::render::Paper;

use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Reporter};

/// Arguments of `dossier diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// OLD and NEW: two record files, two edition directories or two edition years.
    /// With `--git`: the arguments git passes to a diff driver.
    #[arg(required = true, num_args = 1.., value_name = "OLD NEW")]
    pub(crate) sides: Vec<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Terminal)]
    pub(crate) format: Format,
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

/// One side of the comparison, loaded.
enum Side {
    /// A single record file (or git's /dev/null: no record).
    Record(Option<Box<Record>>),
    /// A set of records (an edition directory).
    Edition(Vec<Record>),
}

/// Runs `dossier diff`.
#[expect(
    clippy::too_many_lines,
    reason = "long function: split into named steps"
)]
pub(super) fn run(
    args: Args,
    project: Result<Project, ProjectError>,
    color: ColorChoice,
    reporter: &Reporter,
) -> i32 {
    let (old_arg, new_arg, labels) = if args.git {
        match args.sides.len() {
            1 => {
                println!("* Unmerged path {}", args.sides[0]);
                return EXIT_OK;
            }
            n if n >= 7 => (
                args.sides[1].clone(),
                args.sides[4].clone(),
                Some((
                    format!("a/{}", args.sides[0]),
                    format!("b/{}", args.sides[0]),
                )),
            ),
            n => {
                eprintln!("error: --git expects the 7 arguments git passes, got {n}");
                return EXIT_ERROR;
            }
        }
    } else {
        if args.sides.len() != 2 {
            eprintln!(
                "error: dossier diff takes two arguments, OLD and NEW (got {})",
                args.sides.len()
            );
            return EXIT_ERROR;
        }
        (args.sides[0].clone(), args.sides[1].clone(), None)
    };
    let project = project.ok();
    let (registry, patterns) = match &project {
        Some(p) => match (Registry::load(&p.checks), ClaimPatterns::load(&p.checks)) {
            (Ok(r), Ok(c)) => (r, c),
            (Err(e), _) => {
                reporter.error(&e);
                return EXIT_ERROR;
            }
            (_, Err(e)) => {
                reporter.error(&e);
                return EXIT_ERROR;
            }
        },
        None => {
            reporter.status(
                "warning: no dossier project found; meetings, resolutions and claim patterns are unknown",
            );
            match ClaimPatterns::parse("") {
                Ok(c) => (Registry::default(), c),
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            }
        }
    };
    let (Ok(old), Ok(new)) = (
        load_side(&old_arg, project.as_ref(), reporter),
        load_side(&new_arg, project.as_ref(), reporter),
    ) else {
        return EXIT_ERROR;
    };
    let (old_label, new_label) = labels.unwrap_or((old_arg, new_arg));
    let mut diff = match (old, new) {
        (Side::Record(o), Side::Record(n)) => {
            let record = match (o, n) {
                (Some(o), Some(n)) => Some(diff_records(&o, &n, &registry, &patterns)),
                (Some(o), None) => Some(one_sided(&o, RecordStatus::Removed)),
                (None, Some(n)) => Some(one_sided(&n, RecordStatus::Added)),
                (None, None) => None,
            };
            Diff {
                old: old_label,
                new: new_label,
                records: record.into_iter().collect(),
            }
        }
        (o, n) => diff_editions(
            &old_label,
            &records_of(o),
            &new_label,
            &records_of(n),
            &registry,
            &patterns,
        ),
    };
    diff.filter(&args.country, &args.kind);

    let output = match args.format {
        Format::Terminal => {
            let colored = args.out.is_none()
                && match color {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => {
                        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                            && std::io::stdout().is_terminal()
                    }
                };
            Some(emit::terminal::render(&diff, colored).into_bytes())
        }
        Format::Json => Some(emit::json::render(&diff).into_bytes()),
        Format::Markdown => Some(emit::markdown::render(&diff).into_bytes()),
        Format::Pdf => None,
    };
    let written = match output {
        Some(bytes) => match &args.out {
            Some(path) => write(path, &bytes),
            None => {
                use std::io::Write;
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (e.g. `| head`) is not an error worth reporting.
                let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
                true
            }
        },
        None => {
            let Some(project) = &project else {
                eprintln!("error: the redline PDF needs a dossier project (for its templates)");
                return EXIT_ERROR;
            };
            let options = RedlineOptions {
                paper: args.paper.or(project.config.paper).unwrap_or_default(),
                changed_only: args.changed_only,
            };
            match emit::pdf::render(&diff, &project.templates, options) {
                Ok(pdf) => {
                    let path = args
                        .out
                        .clone()
                        .unwrap_or_else(|| project.default_out_dir().join("redline.pdf"));
                    let ok = write(&path, &pdf);
                    if ok {
                        reporter.status(&format!("wrote {}", path.display()));
                    }
                    ok
                }
                Err(e) => {
                    reporter.error(&e);
                    false
                }
            }
        }
    };
    if !written {
        EXIT_ERROR
    } else if args.exit_code && !args.git && !diff.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn write(path: &Path, bytes: &[u8]) -> bool {
    match dossier::render::write_atomically(path, bytes) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            false
        }
    }
}

fn records_of(side: Side) -> Vec<Record> {
    match side {
        Side::Record(r) => r.map(|r| vec![*r]).unwrap_or_default(),
        Side::Edition(records) => records,
    }
}

/// Loads one side: a record file, an edition directory, an edition year, or /dev/null.
fn load_side(arg: &str, project: Option<&Project>, reporter: &Reporter) -> Result<Side, ()> {
    if arg == "/dev/null" {
        return Ok(Side::Record(None));
    }
    let given = PathBuf::from(arg);
    let path = if given.exists() {
        given
    } else if arg.len() == 4 && arg.chars().all(|c| c.is_ascii_digit()) {
        match project {
            Some(p) if p.profiles.join(arg).is_dir() => p.profiles.join(arg),
            _ => {
                eprintln!("error: no edition {arg}: profiles/{arg} does not exist");
                return Err(());
            }
        }
    } else {
        eprintln!("error: {arg}: no such record file, edition directory or edition year");
        return Err(());
    };
    if path.is_dir() {
        let (records, errors) = reporter.load_records(std::slice::from_ref(&path));
        if errors.is_empty() {
            Ok(Side::Edition(records))
        } else {
            Err(())
        }
    } else {
        match load_record(&path) {
            Ok(r) => Ok(Side::Record(Some(Box::new(r)))),
            Err(e) => {
                reporter.load_error(&e);
                Err(())
            }
        }
    }
}
