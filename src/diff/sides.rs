//! The two sides of a comparison as given on the command line: a record file, an edition
//! directory, an edition year, or nothing (git's `/dev/null`).

use std::path::{Path, PathBuf};

use crate::facts::claims::ClaimPatterns;
use crate::record::Record;
use crate::registry::Registry;

use super::{Diff, RecordStatus, diff_editions, diff_records, one_sided};

/// Where one side of a comparison is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SidePath {
    /// No record (git's `/dev/null` for an added or deleted file).
    Nothing,
    /// A record file.
    File(PathBuf),
    /// An edition directory.
    Directory(PathBuf),
}

/// Why a side names nothing to compare.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SideError {
    /// A four-digit year without a `profiles/YEAR` directory.
    #[error("no edition {0}: profiles/{0} does not exist")]
    #[diagnostic(code(dossier::diff::no_edition))]
    NoEdition(String),
    /// Neither a file, a directory nor a year.
    #[error("{0}: no such record file, edition directory or edition year")]
    #[diagnostic(code(dossier::diff::no_side))]
    NotFound(String),
}

/// Resolves a side: `/dev/null`, an existing file or directory, or an edition year under
/// `profiles` (when there is a project).
pub fn resolve_side(arg: &str, profiles: Option<&Path>) -> Result<SidePath, SideError> {
    if arg == "/dev/null" {
        return Ok(SidePath::Nothing);
    }
    let given = PathBuf::from(arg);
    let path = if given.exists() {
        given
    } else if arg.len() == 4 && arg.chars().all(|c| c.is_ascii_digit()) {
        match profiles.map(|p| p.join(arg)) {
            Some(dir) if dir.is_dir() => dir,
            _ => return Err(SideError::NoEdition(arg.to_string())),
        }
    } else {
        return Err(SideError::NotFound(arg.to_string()));
    };
    Ok(if path.is_dir() {
        SidePath::Directory(path)
    } else {
        SidePath::File(path)
    })
}

/// One side of the comparison, loaded.
#[derive(Debug)]
pub enum Side {
    /// A single record, or none.
    Record(Option<Box<Record>>),
    /// A set of records (an edition directory).
    Edition(Vec<Record>),
}

impl Side {
    fn into_records(self) -> Vec<Record> {
        match self {
            Side::Record(r) => r.map(|r| vec![*r]).unwrap_or_default(),
            Side::Edition(records) => records,
        }
    }
}

/// Compares two sides: record with record (either may be missing), or set with set.
pub fn compare(
    (old_label, old): (String, Side),
    (new_label, new): (String, Side),
    registry: &Registry,
    patterns: &ClaimPatterns,
) -> Diff {
    match (old, new) {
        (Side::Record(o), Side::Record(n)) => {
            let record = match (o, n) {
                (Some(o), Some(n)) => Some(diff_records(&o, &n, registry, patterns)),
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
            &o.into_records(),
            &new_label,
            &n.into_records(),
            registry,
            patterns,
        ),
    }
}
