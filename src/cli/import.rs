//! `dossier import`: saved profile pages (plain text) to records.

use std::path::PathBuf;

use rayon::prelude::*;

use dossier::import::{ImportError, ImportOptions, Imported, import_text};
use dossier::project::{Project, ProjectError};
use dossier::record::Topic;
use dossier::render::write_atomically;

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
enum Failure {
    /// The importer refused the text.
    Import(ImportError),
    /// The file could not be read as text.
    Message(String),
}

fn parse_topic(text: &str) -> Result<Topic, String> {
    Topic::from_keyword(text).ok_or_else(|| {
        let all: Vec<&str> = Topic::ALL.iter().map(|t| t.keyword()).collect();
        format!("one of: {}", all.join(", "))
    })
}

/// Runs `dossier import`: each file is imported on its own; a bad file is reported and the
/// batch goes on. Exit code 2 when any file failed.
#[expect(
    clippy::too_many_lines,
    reason = "long function: split into named steps"
)]
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let to_stdout = match args.output.as_deref() {
        None => false,
        Some("-") if args.files.len() == 1 => true,
        Some("-") => {
            eprintln!("error: `-o -` writes one record; give one file");
            return EXIT_ERROR;
        }
        Some(other) => {
            eprintln!(
                "error: `-o {other}`: only `-` (standard output) is accepted; records are written under profiles/EDITION/"
            );
            return EXIT_ERROR;
        }
    };
    let project = if to_stdout {
        None
    } else {
        match project {
            Ok(p) => Some(p),
            Err(e) => {
                reporter.error(&e);
                return EXIT_ERROR;
            }
        }
    };
    let options = |file: &PathBuf| ImportOptions {
        edition: args.edition,
        topic: args.topic,
        country: args.country.clone(),
        iso: args.iso.clone(),
        source_name: Some(file.display().to_string()),
    };
    // Reading and importing are independent per file: done in parallel, reported in order.
    let results: Vec<Result<Imported, Failure>> = args
        .files
        .par_iter()
        .map(|file| {
            let bytes =
                std::fs::read(file).map_err(|e| Failure::Message(format!("cannot read: {e}")))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                Failure::Message(format!(
                    "not valid UTF-8 (bad byte at offset {}); save the page as UTF-8",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            import_text(&text, &options(file)).map_err(Failure::Import)
        })
        .collect();
    let mut failed = 0;
    let mut writes: Vec<(String, PathBuf, String)> = Vec::new();
    for (file, result) in args.files.iter().zip(results) {
        let shown = file.display().to_string();
        let imported = match result {
            Ok(imported) => imported,
            Err(Failure::Import(e)) => {
                reporter.error(&e);
                failed += 1;
                continue;
            }
            Err(Failure::Message(m)) => {
                eprintln!("error: {shown}: {m}");
                failed += 1;
                continue;
            }
        };
        for note in &imported.notes {
            reporter.status(&format!("note: {shown}: {note}"));
        }
        for warning in &imported.warnings {
            eprintln!("warning: {shown}: {warning}");
        }
        let Some(project) = &project else {
            print!("{}", imported.toml);
            continue;
        };
        let record = &imported.record;
        let target = project
            .profiles
            .join(record.edition.value.to_string())
            .join(record.file_name());
        if let Some((other, _, _)) = writes.iter().find(|(_, t, _)| *t == target) {
            eprintln!(
                "error: {shown}: {other} in this batch already gives {}",
                target.display()
            );
            failed += 1;
        } else if target.exists() && !args.force {
            eprintln!(
                "error: {shown}: {} exists; pass --force to overwrite it",
                target.display()
            );
            failed += 1;
        } else {
            writes.push((shown, target, imported.toml));
        }
    }
    // Distinct targets, so the writes cannot race each other. Each write waits on the disk
    // (it is synced before it replaces anything), so more writers than cores keep it busy.
    let write_all = || -> Vec<std::io::Result<()>> {
        writes
            .par_iter()
            .map(|(_, target, toml)| write_atomically(target, toml.as_bytes()))
            .collect()
    };
    let written = match rayon::ThreadPoolBuilder::new()
        .num_threads(dossier::render::WRITERS)
        .build()
    {
        Ok(pool) => pool.install(write_all),
        Err(_) => write_all(),
    };
    let mut ok = 0;
    for ((shown, target, _), result) in writes.iter().zip(written) {
        match result {
            Ok(()) => {
                ok += 1;
                reporter.status(&format!("imported {shown} -> {}", target.display()));
            }
            Err(e) => {
                eprintln!("error: {shown}: cannot write {}: {e}", target.display());
                failed += 1;
            }
        }
    }
    let written = ok;
    if !to_stdout {
        reporter.status(&format!(
            "{written} record{} written; {failed} file{} failed",
            if written == 1 { "" } else { "s" },
            if failed == 1 { "" } else { "s" }
        ));
    }
    if failed > 0 { EXIT_ERROR } else { EXIT_OK }
}
