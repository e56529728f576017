//! `dossier check`: the consistency checker.

use std::path::PathBuf;

use dossier::check::emit::{self, Format};
use dossier::check::{Settings, Severity, check_files};
use dossier::facts::ClaimPatterns;
use dossier::project::{Project, ProjectError, collect_record_files};
use dossier::registry::Registry;

use super::args::{FormatArgs, PathArgs};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Reporter};

/// The lowest severity that makes the run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Deny {
    /// Fail on errors only (default).
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
}

/// Arguments of `dossier check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) paths: PathArgs,
    #[command(flatten)]
    pub(crate) output: FormatArgs<Format>,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub(crate) deny: Deny,
    /// End the human output with the findings grouped by rule family, rule and record.
    #[arg(long)]
    pub(crate) statistics: bool,
}

/// Runs `dossier check`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let Some(project) = reporter.found(project) else {
        return EXIT_ERROR;
    };
    let threshold = match args.deny {
        Deny::Error => Severity::Error,
        Deny::Warning => Severity::Warning,
        Deny::Info => Severity::Info,
    };
    let paths = args.paths.or_profiles(&project);
    let printing = Printing {
        format: args.output.format,
        threshold,
        statistics: args.statistics,
        load_errors: true,
    };
    check_and_print(&project, &paths, &printing, reporter)
}

/// How `check_and_print` reports.
pub(super) struct Printing {
    /// The output format of the findings.
    pub(super) format: Format,
    /// The lowest severity that makes the run fail.
    pub(super) threshold: Severity,
    /// Whether the human output ends with the findings grouped by rule family, rule and record.
    pub(super) statistics: bool,
    /// Whether each record file that does not load is reported (`build` has reported them
    /// while rendering; they are counted either way).
    pub(super) load_errors: bool,
}

/// Checks the records under `paths` and prints the findings as `printing` says; returns the
/// exit code: 2 when a record or the checker's configuration does not load, 1 when a finding
/// is at or above the threshold, else 0.
pub(super) fn check_and_print(
    project: &Project,
    paths: &[PathBuf],
    printing: &Printing,
    reporter: &Reporter,
) -> i32 {
    let registry = match Registry::load(&project.checks) {
        Ok(r) => r,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let patterns = match ClaimPatterns::load(&project.checks) {
        Ok(p) => p,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let settings = match Settings::load(&project.checks, &project.config.rules) {
        Ok(s) => s,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    for p in paths {
        if !p.exists() {
            reporter.failure(&format!("{}: no such file or directory", p.display()));
            return EXIT_ERROR;
        }
    }
    let (files, skipped) = collect_record_files(paths);
    for s in &skipped {
        reporter.skipped(s);
    }
    let outcome = check_files(&files, &project.profiles, &registry, &patterns, &settings);
    if printing.load_errors {
        for e in &outcome.load_errors {
            reporter.load_error(e);
        }
    }
    print!(
        "{}",
        emit::render(
            printing.format,
            &outcome,
            reporter.color_stdout,
            printing.statistics
        )
    );
    if !outcome.load_errors.is_empty() {
        reporter.failure(&unread_summary(outcome.load_errors.len()));
        EXIT_ERROR
    } else if outcome
        .findings
        .iter()
        .any(|f| f.severity >= printing.threshold)
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The last line when record files did not load: the summary above counts only the records
/// that did, so it must not read as a clean result.
fn unread_summary(files: usize) -> String {
    if files == 1 {
        "1 record file could not be read and was not checked".to_string()
    } else {
        format!("{files} record files could not be read and were not checked")
    }
}
