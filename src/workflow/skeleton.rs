//! `dossier new`: a well-formed skeleton record with a comment on every field.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::record::{
    Conduct, ConventionStatus, DepositKind, Role, Topic, TreatyStanding, VoteCast, record_slug,
};

use super::SCHEMA_DIRECTIVE;

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

/// `a | b | c`: the keywords of a closed set, for comments.
fn choices<E: Copy>(all: &[E], keyword: fn(E) -> &'static str) -> String {
    all.iter()
        .map(|e| keyword(*e))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Quotes a string as a TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The skeleton's TOML text. It loads cleanly; optional parts are commented out.
#[expect(
    clippy::too_many_lines,
    reason = "long function: split into named steps"
)]
pub fn skeleton(new: &NewRecord) -> String {
    let topics = choices(Topic::ALL, Topic::keyword);
    let status = choices(ConventionStatus::ALL, ConventionStatus::keyword);
    let deposit = choices(DepositKind::ALL, DepositKind::keyword);
    let standing = choices(TreatyStanding::ALL, TreatyStanding::keyword);
    let roles = choices(Role::ALL, Role::keyword);
    let votes = choices(VoteCast::ALL, VoteCast::keyword);
    let conduct = choices(Conduct::ALL, Conduct::keyword);
    format!(
        r#"{SCHEMA_DIRECTIVE}
# {country_plain}, {topic_label}, {edition} edition.
# Each key is explained by the comment above it. Lines starting with `#` are comments:
# uncomment an optional key to use it. Dates are written YYYY-MM-DD without quotes.

# Country name as printed in the profile.
country = {country}
# ISO 3166-1 alpha-2 code: two capital letters.
iso = {iso}
# The profile's topic: {topics}
topic = "{topic}"
# Edition year: the monitor's report year.
edition = {edition}
# Date printed as "Last updated"; set it when the text is final.
# last_updated = {edition}-08-01

# The summary paragraph(s), set apart at the top of the profile. Blank lines separate
# paragraphs; [^key] cites a source from [citations]; _Title_ sets a title in italics.
summary = """
{country_plain} ...
"""

# Standing towards the Convention on Cluster Munitions.
[status]
# {status}
convention = "non-signatory"
# Date of signature.
# signed = 2008-12-03
# Date the instrument of ratification or accession was deposited.
# deposited = 2008-12-03
# How the state consented to be bound: {deposit}
# deposit_kind = "ratification"
# Date the convention entered into force for the state (Article 17).
# in_force = 2010-08-01
# Due date of the initial Article 7 transparency report.
# report_due = 2011-01-28
# Article 3 stockpile destruction deadline.
# stockpile_deadline = 2018-08-01
# Date national implementation legislation was adopted.
# legislation = 2009-06-19

# Standing towards related treaties: {standing}
[treaties]
# The 1997 Mine Ban Treaty.
mine_ban_treaty = "not-party"
# The Convention on Conventional Weapons (CCW).
ccw = "not-party"

# Meeting attendance: one [[meetings]] table per meeting, by id from checks/meetings.toml.
# [[meetings]]
# meeting = "4MSP"
# Role: {roles}
# role = "observer"
# For a meeting held in parts, the part (1-based) this entry is about.
# part = 1
# Citation key of the source.
# source = "key"

# UN General Assembly votes: one [[votes]] table per vote. `year` names the annual
# resolution on the convention; `resolution = "68/182"` names another one instead.
# [[votes]]
# year = {last_vote}
# Vote: {votes}
# vote = "yes"
# Citation key of the source.
# source = "key"

# Use, production, transfer and stockpiling: {conduct}
# [conduct]
# used = "never"
# produced = "never"
# transferred = "never"
# stockpiled = "never"
# Year the state made the statement.
# stated = {last_vote}
# Date stockpile destruction was completed.
# stockpile_destroyed = 2010-07-16
# Citation key of the source.
# source = "key"

# Titled prose sections, in order: one [[sections]] table each.
[[sections]]
# Heading as printed.
title = "Policy"
# The section's paragraphs (blank lines separate paragraphs).
text = """
{country_plain} ...
"""

# Checker findings excused on purpose, each with its reason.
# [[suppress]]
# rule = "DOS101"
# reason = "why the finding does not apply"
# Optional text the finding must mention.
# matching = "2012"

# Sources cited in the prose with [^key] markers: key = "footnote text".
[citations]
"#,
        country_plain = new
            .country
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '"' | '\\'))
            .collect::<String>(),
        country = quoted(&new.country),
        iso = quoted(&new.iso),
        topic = new.topic.keyword(),
        topic_label = new.topic.label(),
        edition = new.edition,
        last_vote = new.edition - 1,
    )
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
