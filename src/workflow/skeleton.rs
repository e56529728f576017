//! `dossier new`: a well-formed skeleton record with a comment on every field.

use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::record::write::{WriteOptions, prose, write_record};
use crate::record::{
    ConventionStatus, Record, Section, Sp, Status, Topic, Treaties, TreatyStanding, record_slug,
};

/// What the skeleton is for.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// Country name as printed.
    pub country: String,
    /// ISO 3166-1 alpha-2 code.
    pub iso: String,
    /// Edition year.
    pub edition: i32,
    /// Topic.
    pub topic: Topic,
}

/// Problems writing a skeleton.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum NewError {
    /// The record file is already there.
    #[error("{0} already exists; dossier new never overwrites a record")]
    #[diagnostic(
        code(dossier::new::exists),
        help("edit the existing file, or remove it first if you really want a fresh skeleton")
    )]
    Exists(PathBuf),
    /// The country name is not in the country table and no code was given.
    #[error("unknown country name {0:?}: dossier cannot tell its ISO code")]
    #[diagnostic(
        code(dossier::new::unknown_country),
        help(
            "pass the ISO 3166-1 alpha-2 code with --iso, e.g. --iso KG, or check the name's spelling"
        )
    )]
    UnknownCountry(String),
    /// The file could not be written.
    #[error("cannot write {path}: {error}")]
    #[diagnostic(code(dossier::new::write))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

/// The skeleton record: identity, an open summary and policy section, the convention and
/// treaty standings at their most common values, and nothing else.
pub fn skeleton_record(new: &NewRecord) -> Record {
    let opening = format!("{} ...\n", new.country);
    Record {
        path: PathBuf::new(),
        source: Arc::from(""),
        country: Sp::detached(new.country.clone()),
        iso: Sp::detached(new.iso.clone()),
        topic: Sp::detached(new.topic),
        edition: Sp::detached(new.edition),
        last_updated: None,
        needs_review: None,
        incomplete: None,
        status: Some(Status {
            convention: Sp::detached(ConventionStatus::NonSignatory),
            signed: None,
            deposited: None,
            deposit_kind: None,
            in_force: None,
            report_due: None,
            stockpile_deadline: None,
            legislation: None,
        }),
        treaties: Some(Treaties {
            mine_ban_treaty: Some(Sp::detached(TreatyStanding::NotParty)),
            ccw: Some(Sp::detached(TreatyStanding::NotParty)),
        }),
        overview: None,
        meetings: Vec::new(),
        votes: Vec::new(),
        conduct: None,
        summary_label: None,
        summary: Some(prose(opening.clone())),
        sections: vec![Section {
            title: Sp::detached("Policy".into()),
            text: prose(opening),
        }],
        clearance: None,
        article7: None,
        tables: Vec::new(),
        citations: Vec::new(),
        suppress: Vec::new(),
    }
}

/// The skeleton's TOML text, every key explained. It loads cleanly; optional parts are
/// commented out.
pub fn skeleton(new: &NewRecord) -> String {
    let options = WriteOptions {
        heading: vec![format!(
            "{}, {}, {} edition.",
            new.country,
            new.topic.label(),
            new.edition
        )],
        annotate: true,
    };
    write_record(&skeleton_record(new), &options)
}

/// The skeleton's path in the project: `profiles/EDITION/SLUG.toml`.
pub fn skeleton_path(profiles: &Path, new: &NewRecord) -> PathBuf {
    profiles
        .join(new.edition.to_string())
        .join(format!("{}.toml", record_slug(&new.country, new.topic)))
}

/// The ISO code for a new record: the one given, else the country table's code for the name.
/// An unknown name without a code is refused rather than guessed.
pub fn resolve_iso(country: &str, given: Option<&str>) -> Result<String, NewError> {
    match given {
        Some(code) => Ok(code.to_ascii_uppercase()),
        None => crate::record::countries::lookup(country)
            .map(|(_, code)| code.to_string())
            .ok_or_else(|| NewError::UnknownCountry(country.to_string())),
    }
}

/// Writes the skeleton under `profiles`, creating the edition directory; never overwrites.
/// Returns the path written.
pub fn write_skeleton(profiles: &Path, new: &NewRecord) -> Result<PathBuf, NewError> {
    let path = skeleton_path(profiles, new);
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    let write_err = |error| NewError::Write {
        path: path.clone(),
        error,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|error| {
            if error.kind() == std::io::ErrorKind::AlreadyExists {
                NewError::Exists(path.clone())
            } else {
                write_err(error)
            }
        })?;
    file.write_all(skeleton(new).as_bytes())
        .map_err(write_err)?;
    Ok(path)
}
