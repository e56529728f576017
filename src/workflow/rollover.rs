//! `dossier rollover FROM TO`: starts next year's edition from this year's records.
//!
//! Each record is edited through a format-preserving TOML editor (`toml_edit`), so comments,
//! blank lines and key order survive: the edition value is replaced, the `last_updated` key
//! removed (comments above it stay) and `needs_review` set right after `edition`. Nothing
//! else changes. Alongside, a report lists what an editor must revisit:
//! the latest vote, the latest meeting, prose naming recent years, the old last-updated date.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use toml_edit::{DocumentMut, Item, Key, Table, Value};

use crate::project::{collect_record_files, load_records};
use crate::record::{LoadError, Record, line_col, parse_record};
use crate::registry::Registry;

/// One thing an editor should look at in a rolled-over record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revisit {
    /// 1-based line in the new record (0 when the point is about the whole record).
    pub line: usize,
    /// What to look at.
    pub what: String,
}

/// One record of the new edition, not yet written.
#[derive(Debug, Clone)]
pub struct Rolled {
    /// The record it came from.
    pub from: PathBuf,
    /// Where it goes.
    pub to: PathBuf,
    /// The new record's text.
    pub text: String,
    /// What to revisit, in line order.
    pub revisit: Vec<Revisit>,
}

/// Problems rolling an edition over. Nothing is written when any of them occurs.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RolloverError {
    /// There are no records to copy.
    #[error("no records in {0}")]
    #[diagnostic(
        code(dossier::rollover::empty),
        help("the source edition is a directory of records: profiles/EDITION/")
    )]
    NoRecords(PathBuf),
    /// The target edition is not after the source edition.
    #[error("the new edition {to} must come after {from}")]
    #[diagnostic(code(dossier::rollover::order))]
    Order {
        /// Source edition.
        from: i32,
        /// Target edition.
        to: i32,
    },
    /// Some records do not load; they are listed by the caller.
    #[error("{} record{} in the {from} edition do not load; fix them first", .errors.len(), if .errors.len() == 1 { "" } else { "s" })]
    #[diagnostic(code(dossier::rollover::load))]
    Load {
        /// Source edition.
        from: i32,
        /// The load errors.
        errors: Vec<LoadError>,
    },
    /// A target file already exists.
    #[error("{} already exist{}: rollover never overwrites a record", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "), if .0.len() == 1 { "s" } else { "" })]
    #[diagnostic(
        code(dossier::rollover::exists),
        help("remove or move the files of the new edition first, or roll over into another year")
    )]
    Exists(Vec<PathBuf>),
    /// A record's edition does not match its directory.
    #[error("{path}: edition = {found}, but the record is in the {from} edition's directory")]
    #[diagnostic(code(dossier::rollover::edition))]
    WrongEdition {
        /// The file.
        path: PathBuf,
        /// Its edition value.
        found: i32,
        /// The edition being rolled over.
        from: i32,
    },
    /// The rewritten text did not load back (a record layout rollover cannot edit safely).
    #[error("{path}: cannot rewrite this record safely: {message}")]
    #[diagnostic(
        code(dossier::rollover::rewrite),
        help("put `edition` and `last_updated` on lines of their own in the top-level table")
    )]
    Rewrite {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {error}")]
    #[diagnostic(code(dossier::rollover::write))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

/// The note set on every rolled-over record.
pub fn review_note(from: i32) -> String {
    format!(
        "Carried over from the {from} edition: revisit the latest vote, meeting and dated claims, set last_updated, then remove this line."
    )
}

/// Plans the rollover of `profiles/FROM` into `profiles/TO` without writing anything.
pub fn plan(
    profiles: &Path,
    registry: &Registry,
    from: i32,
    to: i32,
) -> Result<Vec<Rolled>, RolloverError> {
    if to <= from {
        return Err(RolloverError::Order { from, to });
    }
    let source_dir = profiles.join(from.to_string());
    let target_dir = profiles.join(to.to_string());
    if !source_dir.is_dir() {
        return Err(RolloverError::NoRecords(source_dir));
    }
    let (files, _) = collect_record_files(std::slice::from_ref(&source_dir));
    if files.is_empty() {
        return Err(RolloverError::NoRecords(source_dir));
    }
    let (records, errors) = load_records(&files);
    if !errors.is_empty() {
        return Err(RolloverError::Load { from, errors });
    }
    let mut rolled = Vec::new();
    let mut existing = Vec::new();
    for record in &records {
        if record.edition.value != from {
            return Err(RolloverError::WrongEdition {
                path: record.path.clone(),
                found: record.edition.value,
                from,
            });
        }
        let rel = record
            .path
            .strip_prefix(&source_dir)
            .unwrap_or(&record.path)
            .to_path_buf();
        let target = target_dir.join(rel);
        if target.exists() {
            existing.push(target.clone());
        }
        let text = rewrite(record, to)?;
        let new = parse_record(&target, &text).map_err(|e| RolloverError::Rewrite {
            path: record.path.clone(),
            message: e.brief(),
        })?;
        if new.edition.value != to || new.last_updated.is_some() || new.needs_review.is_none() {
            return Err(RolloverError::Rewrite {
                path: record.path.clone(),
                message: "the rewritten record does not read back as expected".into(),
            });
        }
        let revisit = revisit(record, &new, registry, from, to);
        rolled.push(Rolled {
            from: record.path.clone(),
            to: target,
            text,
            revisit,
        });
    }
    if !existing.is_empty() {
        return Err(RolloverError::Exists(existing));
    }
    Ok(rolled)
}

/// Writes planned records; each file is created new, never overwritten.
pub fn write(rolled: &[Rolled]) -> Result<(), RolloverError> {
    for r in rolled {
        let err = |error| RolloverError::Write {
            path: r.to.clone(),
            error,
        };
        if let Some(dir) = r.to.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&r.to)
            .map_err(|error| {
                if error.kind() == std::io::ErrorKind::AlreadyExists {
                    RolloverError::Exists(vec![r.to.clone()])
                } else {
                    err(error)
                }
            })?;
        file.write_all(r.text.as_bytes()).map_err(err)?;
    }
    Ok(())
}

/// The record's text for the new edition: three edits through a format-preserving TOML
/// editor, so that every comment, blank line and key order of the editor's file survives.
/// `edition` takes the new year, `last_updated` goes (comments above it stay) and
/// `needs_review` is set, right after `edition` when it is new.
pub fn rewrite(record: &Record, to: i32) -> Result<String, RolloverError> {
    let fail = |message: &str| RolloverError::Rewrite {
        path: record.path.clone(),
        message: message.to_string(),
    };
    let mut doc: DocumentMut = record
        .source
        .parse()
        .map_err(|e: toml_edit::TomlError| fail(e.message()))?;
    let root = doc.as_table_mut();
    replace_value(root, "edition", Value::from(i64::from(to)))
        .ok_or_else(|| fail("`edition` is not a value of the top-level table"))?;
    remove_keeping_comments(root, "last_updated");
    let note = Value::from(review_note(record.edition.value));
    if replace_value(root, "needs_review", note.clone()).is_none() {
        root.insert("needs_review", Item::Value(note));
        let order: Vec<String> = root.iter().map(|(k, _)| k.to_string()).collect();
        let edition = order.iter().position(|k| k == "edition").unwrap_or(0);
        let rank = |key: &Key| match order.iter().position(|k| k == key.get()) {
            _ if key.get() == "needs_review" => 2 * edition + 1,
            Some(i) => 2 * i,
            None => usize::MAX,
        };
        root.sort_values_by(|a, _, b, _| rank(a).cmp(&rank(b)));
    }
    Ok(doc.to_string())
}

/// Replaces the value of `key` in `table`, keeping the comments and spaces around it.
/// `None` when the table has no such value.
fn replace_value(table: &mut Table, key: &str, value: Value) -> Option<()> {
    let old = table.get_mut(key)?.as_value_mut()?;
    let decor = old.decor().clone();
    *old = value;
    *old.decor_mut() = decor;
    Some(())
}

/// Removes `key` from `table`; the comments above it move to the key that follows.
fn remove_keeping_comments(table: &mut Table, key: &str) {
    let Some(position) = table.iter().position(|(k, _)| k == key) else {
        return;
    };
    let comments = table
        .key(key)
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .map(str::to_string)
        .unwrap_or_default();
    table.remove(key);
    let next = table.iter().nth(position).map(|(k, _)| k.to_string());
    if let Some(mut next) = next.and_then(|k| table.key_mut(&k)) {
        let own = next
            .leaf_decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("");
        let prefix = format!("{comments}{own}");
        next.leaf_decor_mut().set_prefix(prefix);
    }
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(19[0-9]{2}|2[01][0-9]{2})\b").expect("year pattern"));
static LATEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(last|latest|most recent|recently|since|to date|so far|until now)\b")
        .expect("latest pattern")
});

/// Sentences of `text` as byte ranges (split after `.`, `!` or `?` followed by whitespace,
/// and at blank lines).
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end_here = matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace)
            || (bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n'));
        if end_here {
            out.push(start..i + 1);
            start = i + 1;
        }
        i += 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out.into_iter()
        .filter_map(|r| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            (s.trim().len() > 1).then(|| r.start + lead..r.end - trail)
        })
        .collect()
}

/// What an editor must revisit in `new` (the rolled-over copy of `old`).
fn revisit(old: &Record, new: &Record, registry: &Registry, from: i32, to: i32) -> Vec<Revisit> {
    let mut out = Vec::new();
    let at = |offset: usize| line_col(&new.source, offset).0;
    if let Some(updated) = &old.last_updated {
        out.push(Revisit {
            line: new.needs_review.as_ref().map_or(0, |n| at(n.span.start)),
            what: format!(
                "last_updated {} was removed; set it when the profile is revised",
                updated.value.0
            ),
        });
    }
    out.push(latest_vote(new, to));
    out.extend(latest_meeting(new, registry));
    out.extend(unlisted_meetings(new, registry, from, to));
    out.extend(dated_prose(new, from));
    out.sort_by_key(|r| r.line);
    out
}

/// The latest UNGA vote recorded, or the lack of one.
fn latest_vote(new: &Record, to: i32) -> Revisit {
    let latest = new
        .votes
        .iter()
        .filter_map(|v| v.year.as_ref())
        .max_by_key(|y| y.value);
    let expected = to - 1;
    let Some(year) = latest else {
        return Revisit {
            line: 0,
            what: format!(
                "no UNGA vote recorded; add the vote of December {expected} if there was one"
            ),
        };
    };
    let what = if year.value < expected {
        format!(
            "latest UNGA vote recorded is {}; add the vote of December {expected} if there was one",
            year.value
        )
    } else {
        format!(
            "latest UNGA vote recorded is {}; check it is still the latest",
            year.value
        )
    };
    Revisit {
        line: line_col(&new.source, year.span.start).0,
        what,
    }
}

/// The latest meeting the state attended, to add the meetings since.
fn latest_meeting(new: &Record, registry: &Registry) -> Option<Revisit> {
    let (_, attendance, meeting) = new
        .meetings
        .iter()
        .filter(|a| a.role.value.present())
        .filter_map(|a| registry.meeting(&a.meeting.value).map(|m| (m.end(), a, m)))
        .max_by_key(|(end, _, _)| *end)?;
    Some(Revisit {
        line: line_col(&new.source, attendance.meeting.span.start).0,
        what: format!(
            "latest meeting attended is {} ({}); add attendance at meetings since",
            meeting.id,
            meeting.when_where()
        ),
    })
}

/// Registry meetings of the last year that the record does not list.
fn unlisted_meetings(new: &Record, registry: &Registry, from: i32, to: i32) -> Option<Revisit> {
    let listed: Vec<&str> = new
        .meetings
        .iter()
        .map(|a| a.meeting.value.as_str())
        .collect();
    let missing: Vec<&str> = registry
        .meetings
        .iter()
        .filter(|m| m.years().iter().any(|y| (from - 1..to).contains(y)))
        .filter(|m| !listed.contains(&m.id.as_str()))
        .map(|m| m.id.as_str())
        .collect();
    (!missing.is_empty()).then(|| Revisit {
        line: 0,
        what: format!(
            "meetings held {}-{} not listed: {}",
            from - 1,
            to - 1,
            missing.join(", ")
        ),
    })
}

/// Sentences of the prose that name a recent year or speak of the latest events.
fn dated_prose(new: &Record, from: i32) -> Vec<Revisit> {
    let mut out = Vec::new();
    for (name, prose) in new.prose_blocks() {
        let text = &prose.value.text;
        for range in sentences(text) {
            let sentence = &text[range.clone()];
            let latest = YEAR
                .find_iter(sentence)
                .filter_map(|m| m.as_str().parse::<i32>().ok())
                .max();
            let Some(latest) = latest else {
                continue;
            };
            if latest >= from - 1 || LATEST.is_match(sentence) {
                let folded: String = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
                let short = if folded.chars().count() > 90 {
                    format!("{}...", folded.chars().take(87).collect::<String>())
                } else {
                    folded
                };
                out.push(Revisit {
                    line: line_col(&new.source, prose.value.source_offset(range.start)).0,
                    what: format!("{name}: \"{short}\""),
                });
            }
        }
    }
    out
}
