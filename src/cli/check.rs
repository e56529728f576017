//! `dossier check`: the consistency checker.

use std::path::PathBuf;

use crate::check::emit::{self, Format};
use crate::check::{Settings, Severity, check_files};
use crate::facts::ClaimPatterns;
use crate::project::{Project, ProjectError, collect_record_files};

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Reporter};

/// The lowest severity that makes the run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Fail on errors only (default).
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
}

/// Arguments of `dossier check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Record files or directories (default: the project's `profiles/`).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub deny: Deny,
    /// End the human output with the findings grouped by rule family, rule and record.
    #[arg(long)]
    pub statistics: bool,
}

/// Runs `dossier check`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let (project, registry) = match super::project_with_registry(project, reporter) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let patterns = match ClaimPatterns::load(&project.checks) {
        Ok(p) => p,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let configured: std::collections::BTreeMap<String, String> = project
        .config
        .rules
        .iter()
        .map(|(rule, severity)| (rule.clone(), severity.keyword().to_string()))
        .collect();
    let settings = match Settings::load(&project.checks, &configured) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let paths = if args.paths.is_empty() {
        vec![project.profiles.clone()]
    } else {
        args.paths.clone()
    };
    for p in &paths {
        if !p.exists() {
            eprintln!("error: {}: no such file or directory", p.display());
            return EXIT_ERROR;
        }
    }
    let (files, _skipped) = collect_record_files(&paths);
    let outcome = check_files(&files, &project.profiles, &registry, &patterns, &settings);
    for e in &outcome.load_errors {
        reporter.load_error(e);
    }
    print!(
        "{}",
        emit::render(
            args.format,
            &outcome.findings,
            outcome.records,
            reporter.color,
            args.statistics
        )
    );
    let threshold = match args.deny {
        Deny::Error => Severity::Error,
        Deny::Warning => Severity::Warning,
        Deny::Info => Severity::Info,
    };
    if !outcome.load_errors.is_empty() {
        EXIT_ERROR
    } else if outcome.findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
