//! `dossier schema`: the JSON Schema of the record format, generated from the types.

use std::path::PathBuf;

use dossier::record::schema::record_schema_json;

use super::{EXIT_ERROR, EXIT_OK, Reporter};

/// Arguments of `dossier schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write the schema to FILE instead of standard output (e.g. checks/record.schema.json).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// Runs `dossier schema`.
pub(super) fn run(args: Args, reporter: &Reporter) -> i32 {
    let schema = record_schema_json();
    match args.out {
        None => {
            print!("{schema}");
            EXIT_OK
        }
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                reporter.failure(&format!("cannot create {}: {e}", dir.display()));
                return EXIT_ERROR;
            }
            match std::fs::write(&path, schema) {
                Ok(()) => {
                    reporter.status(&format!("wrote {}", path.display()));
                    EXIT_OK
                }
                Err(e) => {
                    reporter.failure(&format!("cannot write {}: {e}", path.display()));
                    EXIT_ERROR
                }
            }
        }
    }
}
