//! `dossier export`: records to other formats (plain text in the published page shape).

use std::path::PathBuf;

use dossier::export::to_text;
use dossier::render::write_atomically;

use super::args::FormatArgs;
use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// Plain text shaped like the 2015-on published pages.
    #[default]
    Text,
}

/// Arguments of `dossier export`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Record files or directories.
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) output: FormatArgs<Format>,
    /// Write `DIR/EDITION/COUNTRY.txt` files instead of printing to standard output.
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
}

/// Runs `dossier export`.
pub(super) fn run(args: Args, reporter: &Reporter) -> i32 {
    let (records, errors) = reporter.load_records(&args.paths);
    let mut failed = errors.len();
    for record in &records {
        let text = match args.output.format {
            Format::Text => to_text(record),
        };
        match &args.out {
            None => print!("{text}"),
            Some(dir) => {
                let path = dir
                    .join(record.edition.value.to_string())
                    .join(format!("{}.txt", record.slug()));
                match write_atomically(&path, text.as_bytes()) {
                    Ok(()) => reporter.status(&format!("exported {}", path.display())),
                    Err(e) => {
                        reporter.failure(&format!("cannot write {}: {e}", path.display()));
                        failed += 1;
                    }
                }
            }
        }
    }
    if failed > 0 { EXIT_ERROR } else { EXIT_OK }
}
