//! `dossier explain CODE`: a rule's documentation.

use dossier::check::rule_by_code_or_name;

use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier explain`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Rule code ("DOS101") or name ("last-meeting-contradiction").
    pub(crate) rule: String,
}

/// Runs `dossier explain`.
pub(super) fn run(args: Args, reporter: &Reporter) -> i32 {
    match rule_by_code_or_name(&args.rule) {
        Some(r) => {
            println!(
                "{} {} (default: {})\n\nWhat: {}\n\nWhy: {}\n\nExample: {}\n\nFix: {}",
                r.code,
                r.name,
                r.severity.label(),
                r.what,
                r.why,
                r.example,
                r.fix
            );
            EXIT_OK
        }
        None => {
            reporter.failure(&format!(
                "no rule `{}` (`dossier rules` lists them)",
                args.rule
            ));
            EXIT_ERROR
        }
    }
}
