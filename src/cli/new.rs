//! `dossier new COUNTRY --edition YEAR`: a skeleton record with a comment on every field.

use dossier::project::{Project, ProjectError};
use dossier::record::Topic;
use dossier::workflow::skeleton::{NewError, NewRecord, resolve_iso, write_skeleton};

use super::args::parse_topic;
use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier new`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Country name as printed, e.g. "Kyrgyzstan".
    pub(crate) country: String,
    /// Edition year.
    #[arg(long, short)]
    pub(crate) edition: i32,
    /// Topic (default: cluster-munition-ban-policy).
    #[arg(long, short, value_parser = parse_topic, default_value = "cluster-munition-ban-policy")]
    pub(crate) topic: Topic,
    /// ISO 3166-1 alpha-2 code (default: the code the country table gives the name).
    #[arg(long, value_parser = parse_iso)]
    pub(crate) iso: Option<String>,
}

/// An `--iso` value that is not two letters.
#[derive(Debug, thiserror::Error)]
#[error("an ISO 3166-1 alpha-2 code is two letters, e.g. KG")]
pub(crate) struct NotAnIsoCode;

fn parse_iso(text: &str) -> Result<String, NotAnIsoCode> {
    if text.len() == 2 && text.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(NotAnIsoCode)
    }
}

/// Runs `dossier new`.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let project = match project {
        Ok(p) => p,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    if !(1900..=2200).contains(&args.edition) {
        reporter.failure(&format!(
            "--edition {} is not a plausible year",
            args.edition
        ));
        return EXIT_ERROR;
    }
    if args.country.trim().is_empty() {
        reporter.failure("the country name is empty");
        return EXIT_ERROR;
    }
    let country = args.country.trim();
    let iso = match resolve_iso(country, args.iso.as_deref()) {
        Ok(iso) => iso,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let new = NewRecord {
        iso,
        country: country.to_string(),
        edition: args.edition,
        topic: args.topic,
    };
    match write_skeleton(&project.profiles, &new) {
        Ok(path) => {
            let shown = path.strip_prefix(&project.root).unwrap_or(&path);
            println!("{}", shown.display());
            EXIT_OK
        }
        Err(NewError::Exists(path)) => {
            let shown = path.strip_prefix(&project.root).unwrap_or(&path);
            reporter.error(&NewError::Exists(shown.to_path_buf()));
            EXIT_ERROR
        }
        Err(e) => {
            reporter.error(&e);
            EXIT_ERROR
        }
    }
}
