//! `dossier import`: saved profile pages (plain text) to records.

mod write;

use std::path::PathBuf;

use rayon::prelude::*;

use dossier::import::{ImportError, ImportOptions, Imported, import_text};
use dossier::project::{Project, ProjectError};
use dossier::record::Topic;

use super::args::parse_topic;
use super::render::plural;
use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier import`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Plain-text profile files.
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Edition year (default: a year in the file name, else the "Last updated" year).
    #[arg(long)]
    pub(crate) edition: Option<i32>,
    /// Topic keyword, for pages that do not name theirs (e.g. mine-ban-policy).
    #[arg(long, value_parser = parse_topic)]
    pub(crate) topic: Option<Topic>,
    /// Country name, for pages that lack the country line.
    #[arg(long)]
    pub(crate) country: Option<String>,
    /// ISO 3166-1 alpha-2 code, for countries the built-in table does not know.
    #[arg(long)]
    pub(crate) iso: Option<String>,
    /// Write the record to standard output instead (`-o -`; one file only).
    #[arg(long, short, value_name = "-")]
    pub(crate) output: Option<String>,
    /// Overwrite existing records.
    #[arg(long)]
    pub(crate) force: bool,
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// The importer refused the text.
    #[error(transparent)]
    Import(ImportError),
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Read(#[source] std::io::Error),
    /// The file is not UTF-8.
    #[error(
        "not valid UTF-8 (bad byte at offset {}); save the page as UTF-8",
        .0.utf8_error().valid_up_to()
    )]
    NotUtf8(#[source] std::string::FromUtf8Error),
}

/// Runs `dossier import`: each file is imported on its own; a bad file is reported and the
/// batch goes on. Exit code 2 when any file failed.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let to_stdout = match to_stdout(&args, reporter) {
        Ok(to_stdout) => to_stdout,
        Err(code) => return code,
    };
    let project = if to_stdout {
        None
    } else {
        match reporter.found(project) {
            Some(p) => Some(p),
            None => return EXIT_ERROR,
        }
    };
    let results = import_all(&args);
    let mut failed = 0;
    let mut writes: Vec<write::Write> = Vec::new();
    for (file, result) in args.files.iter().zip(results) {
        let shown = file.display().to_string();
        let imported = match result {
            Ok(imported) => imported,
            Err(Failure::Import(e)) => {
                reporter.error(&e);
                failed += 1;
                continue;
            }
            Err(other) => {
                reporter.failure(&format!("{shown}: {other}"));
                failed += 1;
                continue;
            }
        };
        for note in &imported.notes {
            reporter.status(&format!("note: {shown}: {note}"));
        }
        for warning in &imported.warnings {
            reporter.warning(&format!("{shown}: {warning}"));
        }
        match &project {
            None => print!("{}", imported.toml),
            Some(project) => match write::planned(project, shown, imported, &writes, args.force) {
                Ok(write) => writes.push(write),
                Err(refused) => {
                    reporter.failure(&refused.to_string());
                    failed += 1;
                }
            },
        }
    }
    let written = write::all(&writes, reporter);
    failed += writes.len() - written;
    if !to_stdout {
        reporter.status(&format!(
            "{written} record{} written; {failed} file{} failed",
            plural(written),
            plural(failed)
        ));
    }
    if failed > 0 { EXIT_ERROR } else { EXIT_OK }
}

/// Whether the record goes to standard output (`-o -`, one file only).
fn to_stdout(args: &Args, reporter: &Reporter) -> Result<bool, i32> {
    match args.output.as_deref() {
        None => Ok(false),
        Some("-") if args.files.len() == 1 => Ok(true),
        Some("-") => {
            reporter.failure("`-o -` writes one record; give one file");
            Err(EXIT_ERROR)
        }
        Some(other) => {
            reporter.failure(&format!(
                "`-o {other}`: only `-` (standard output) is accepted; records are written under profiles/EDITION/"
            ));
            Err(EXIT_ERROR)
        }
    }
}

/// Reads and imports every file, in parallel (they are independent), in order.
fn import_all(args: &Args) -> Vec<Result<Imported, Failure>> {
    args.files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).map_err(Failure::Read)?;
            let text = String::from_utf8(bytes).map_err(Failure::NotUtf8)?;
            let options = ImportOptions {
                edition: args.edition,
                topic: args.topic,
                country: args.country.clone(),
                iso: args.iso.clone(),
                source_name: Some(file.display().to_string()),
            };
            import_text(&text, &options).map_err(Failure::Import)
        })
        .collect()
}
