//! Year-over-year review: how the facts and the prose of records changed between editions.
//!
//! Records are aligned by their slug (country and topic); facts by an identity derived from
//! their [`Claim`](crate::facts::Claim) (meeting id, resolution, citation key...), never by
//! position; prose paragraph by paragraph, with a word-level diff inside each paragraph and
//! moved paragraphs recognised as moves.
//!
//! Every change is classified ([`ChangeKind`]): news (an event after the old edition's
//! cut-off), a correction of a past fact, a removal of a past fact, or wording only.

pub mod emit;
mod facts;
mod prose;
pub mod sides;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::facts::claims::ClaimPatterns;
use crate::record::Record;
use crate::registry::Registry;

pub use prose::{BlockDiff, Op, ParagraphDiff, ParagraphStatus, Piece};

/// What kind of change a difference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Something that happened after the old edition's cut-off (a new vote, a meeting).
    News,
    /// A past fact stated differently (a past date, attendance or year changed).
    Correction,
    /// A past fact that is no longer stated.
    Removal,
    /// Prose changed while the facts it states did not.
    Wording,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [ChangeKind; 4] = [
        ChangeKind::News,
        ChangeKind::Correction,
        ChangeKind::Removal,
        ChangeKind::Wording,
    ];

    /// The kind as written in reports and on the command line.
    pub fn keyword(self) -> &'static str {
        match self {
            ChangeKind::News => "news",
            ChangeKind::Correction => "correction",
            ChangeKind::Removal => "removal",
            ChangeKind::Wording => "wording",
        }
    }
}

/// Where a change was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeSource {
    /// A structured TOML field.
    Field,
    /// A claim recognised in a prose sentence.
    Claim,
    /// A prose sentence (no claim pattern accounts for it).
    Prose,
}

/// One classified difference between two versions of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The kind of change.
    pub kind: ChangeKind,
    /// Where: a field path by identity (`votes.2022`, `meetings.2RC`), or a prose block and
    /// paragraph (`summary ¶1`).
    pub path: String,
    /// What the fact or sentence is about, in words.
    pub what: String,
    /// The old value or sentence; `None` when it is new.
    pub old: Option<String>,
    /// The new value or sentence; `None` when it was removed.
    pub new: Option<String>,
    /// Where the change was found.
    pub source: ChangeSource,
}

/// How a record fares between the editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordStatus {
    /// Only in the new edition.
    Added,
    /// Only in the old edition.
    Removed,
    /// In both, with differences.
    Changed,
    /// In both, no differences.
    Unchanged,
}

/// The differences of one record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordDiff {
    /// The record's slug (`kyrgyzstan`, `kyrgyzstan.mine-action`).
    pub slug: String,
    /// Country name as printed (the new one when both exist).
    pub country: String,
    /// Topic label.
    pub topic: String,
    /// Added, removed, changed or unchanged.
    pub status: RecordStatus,
    /// Old record file.
    pub old_path: Option<PathBuf>,
    /// New record file.
    pub new_path: Option<PathBuf>,
    /// Old edition year.
    pub old_edition: Option<i32>,
    /// New edition year.
    pub new_edition: Option<i32>,
    /// Old "last updated" date.
    pub old_updated: Option<String>,
    /// New "last updated" date.
    pub new_updated: Option<String>,
    /// Classified changes, facts first, then prose sentences.
    pub changes: Vec<Change>,
    /// The prose, block by block (for records in both editions).
    pub prose: Vec<BlockDiff>,
}

impl RecordDiff {
    /// Number of changes of a kind.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    /// Whether the record differs at all.
    pub fn differs(&self) -> bool {
        self.status != RecordStatus::Unchanged
    }

    /// The kind a record added or removed as a whole counts as.
    pub fn whole_kind(&self) -> Option<ChangeKind> {
        match self.status {
            RecordStatus::Added => Some(ChangeKind::News),
            RecordStatus::Removed => Some(ChangeKind::Removal),
            _ => None,
        }
    }
}

/// The differences between two editions (or two records).
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// What was compared on the old side (a path or an edition).
    pub old: String,
    /// What was compared on the new side.
    pub new: String,
    /// One entry per record, sorted by slug.
    pub records: Vec<RecordDiff>,
}

/// Counts for the summary header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Records added.
    pub added: usize,
    /// Records removed.
    pub removed: usize,
    /// Records changed.
    pub changed: usize,
    /// Records unchanged.
    pub unchanged: usize,
    /// Changes per kind (`news`, `correction`, `removal`, `wording`).
    pub kinds: BTreeMap<ChangeKind, usize>,
}

impl Diff {
    /// Counts per record status and per change kind.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for kind in ChangeKind::ALL {
            s.kinds.insert(kind, 0);
        }
        for r in &self.records {
            match r.status {
                RecordStatus::Added => s.added += 1,
                RecordStatus::Removed => s.removed += 1,
                RecordStatus::Changed => s.changed += 1,
                RecordStatus::Unchanged => s.unchanged += 1,
            }
            for c in &r.changes {
                *s.kinds.entry(c.kind).or_default() += 1;
            }
        }
        s
    }

    /// Whether anything differs.
    pub fn is_empty(&self) -> bool {
        self.records.iter().all(|r| !r.differs())
    }

    /// Keeps only records whose country name or slug matches one of `countries`
    /// (case-insensitive; empty keeps all) and only changes of the given `kinds` (empty keeps
    /// all). Records left with nothing to show become unchanged.
    pub fn filter(&mut self, countries: &[String], kinds: &[ChangeKind]) {
        if !countries.is_empty() {
            let wanted: Vec<String> = countries.iter().map(|c| c.to_lowercase()).collect();
            self.records.retain(|r| {
                let slug_country = r.slug.split('.').next().unwrap_or("");
                wanted.iter().any(|w| {
                    *w == r.country.to_lowercase()
                        || *w == r.slug
                        || *w == slug_country
                        || crate::record::slugify(w) == slug_country
                })
            });
        }
        if !kinds.is_empty() {
            for r in &mut self.records {
                match r.whole_kind() {
                    Some(k) if !kinds.contains(&k) => {
                        r.status = RecordStatus::Unchanged;
                        r.changes.clear();
                        r.prose.clear();
                    }
                    Some(_) => {}
                    None => {
                        r.changes.retain(|c| kinds.contains(&c.kind));
                        if r.changes.is_empty() {
                            r.status = RecordStatus::Unchanged;
                        }
                    }
                }
            }
        }
    }
}

/// The cut-off of an edition: events after it are news in the next edition. It is the
/// record's "last updated" date, or the last day of the year before its edition.
pub fn cutoff(record: &Record) -> NaiveDate {
    match &record.last_updated {
        Some(d) => d.value.0,
        None => NaiveDate::from_ymd_opt(record.edition.value - 1, 12, 31).unwrap_or(NaiveDate::MIN),
    }
}

/// Compares two versions of one record.
pub fn diff_records(
    old: &Record,
    new: &Record,
    registry: &Registry,
    patterns: &ClaimPatterns,
) -> RecordDiff {
    let cut = cutoff(old);
    let old_facts = facts::facts_of(old, registry, patterns);
    let new_facts = facts::facts_of(new, registry, patterns);
    let (mut changes, explained) = facts::compare(&old_facts, &new_facts, registry, cut);
    let (prose, sentence_changes) = prose::diff_prose(old, new, cut, registry);
    for c in sentence_changes {
        if !prose::explained_by(&c, &explained) {
            changes.push(c);
        }
    }
    let unchanged = changes.is_empty() && prose.iter().all(BlockDiff::unchanged);
    RecordDiff {
        slug: new.slug(),
        country: new.country.value.clone(),
        topic: new.topic.label().to_string(),
        status: if unchanged {
            RecordStatus::Unchanged
        } else {
            RecordStatus::Changed
        },
        old_path: Some(old.path.clone()),
        new_path: Some(new.path.clone()),
        old_edition: Some(old.edition.value),
        new_edition: Some(new.edition.value),
        old_updated: old.last_updated.as_ref().map(|d| d.value.to_string()),
        new_updated: new.last_updated.as_ref().map(|d| d.value.to_string()),
        changes,
        prose,
    }
}

/// A record present on one side only.
pub fn one_sided(record: &Record, status: RecordStatus) -> RecordDiff {
    let added = status == RecordStatus::Added;
    RecordDiff {
        slug: record.slug(),
        country: record.country.value.clone(),
        topic: record.topic.label().to_string(),
        status,
        old_path: (!added).then(|| record.path.clone()),
        new_path: added.then(|| record.path.clone()),
        old_edition: (!added).then_some(record.edition.value),
        new_edition: added.then_some(record.edition.value),
        old_updated: (!added)
            .then(|| record.last_updated.as_ref().map(|d| d.value.to_string()))
            .flatten(),
        new_updated: added
            .then(|| record.last_updated.as_ref().map(|d| d.value.to_string()))
            .flatten(),
        changes: Vec::new(),
        prose: prose::whole_record(record, if added { Op::Insert } else { Op::Delete }),
    }
}

/// Compares two sets of records, aligned by slug (country and topic).
pub fn diff_editions(
    old_label: &str,
    old: &[Record],
    new_label: &str,
    new: &[Record],
    registry: &Registry,
    patterns: &ClaimPatterns,
) -> Diff {
    let old_map: BTreeMap<String, &Record> = old.iter().map(|r| (r.slug(), r)).collect();
    let new_map: BTreeMap<String, &Record> = new.iter().map(|r| (r.slug(), r)).collect();
    let mut slugs: Vec<&String> = old_map.keys().chain(new_map.keys()).collect();
    slugs.sort();
    slugs.dedup();
    let pairs: Vec<(Option<&Record>, Option<&Record>)> = slugs
        .iter()
        .map(|s| (old_map.get(*s).copied(), new_map.get(*s).copied()))
        .collect();
    use rayon::prelude::*;
    let records = pairs
        .par_iter()
        .filter_map(|pair| match *pair {
            (Some(o), Some(n)) => Some(diff_records(o, n, registry, patterns)),
            (Some(o), None) => Some(one_sided(o, RecordStatus::Removed)),
            (None, Some(n)) => Some(one_sided(n, RecordStatus::Added)),
            (None, None) => None,
        })
        .collect();
    Diff {
        old: old_label.to_string(),
        new: new_label.to_string(),
        records,
    }
}
