//! Writing imported records: each to its own target, never over another of the batch or an
//! existing record (unless forced).

use std::path::PathBuf;

use dossier::import::Imported;
use dossier::project::Project;
use dossier::render::write_atomically;
use rayon::prelude::*;

use crate::cli::Reporter;

/// Why an imported record is not written.
#[derive(Debug, thiserror::Error)]
pub(super) enum Refused {
    /// Another file of the batch gives the same record.
    #[error("{shown}: {other} in this batch already gives {}", .target.display())]
    SameTarget {
        shown: String,
        other: String,
        target: PathBuf,
    },
    /// The record exists and `--force` was not given.
    #[error("{shown}: {} exists; pass --force to overwrite it", .target.display())]
    Exists { shown: String, target: PathBuf },
}

/// A record to write: the file it came from (as shown), where it goes, its text.
pub(super) struct Write {
    shown: String,
    target: PathBuf,
    toml: String,
}

/// Where an imported record goes, unless another file of the batch already goes there or
/// the record exists (without `--force`).
pub(super) fn planned(
    project: &Project,
    shown: String,
    imported: Imported,
    planned: &[Write],
    force: bool,
) -> Result<Write, Refused> {
    let record = &imported.record;
    let target = project
        .profiles
        .join(record.edition.value.to_string())
        .join(record.file_name());
    if let Some(other) = planned.iter().find(|w| w.target == target) {
        Err(Refused::SameTarget {
            shown,
            other: other.shown.clone(),
            target,
        })
    } else if target.exists() && !force {
        Err(Refused::Exists { shown, target })
    } else {
        Ok(Write {
            shown,
            target,
            toml: imported.toml,
        })
    }
}

/// Writes the records (distinct targets, so the writes cannot race each other) and reports
/// each; returns how many were written. Each write waits on the disk (it is synced before
/// it replaces anything), so more writers than cores keep it busy.
pub(super) fn all(writes: &[Write], reporter: &Reporter) -> usize {
    let write = || -> Vec<std::io::Result<()>> {
        writes
            .par_iter()
            .map(|w| write_atomically(&w.target, w.toml.as_bytes()))
            .collect()
    };
    let results = match rayon::ThreadPoolBuilder::new()
        .num_threads(dossier::render::run::WRITERS)
        .build()
    {
        Ok(pool) => pool.install(write),
        Err(_) => write(),
    };
    let mut ok = 0;
    for (w, result) in writes.iter().zip(results) {
        match result {
            Ok(()) => {
                ok += 1;
                reporter.status(&format!("imported {} -> {}", w.shown, w.target.display()));
            }
            Err(e) => reporter.failure(&format!(
                "{}: cannot write {}: {e}",
                w.shown,
                w.target.display()
            )),
        }
    }
    ok
}
