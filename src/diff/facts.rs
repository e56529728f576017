//! Facts aligned by identity and classified.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::facts::claims::ClaimPatterns;
use crate::facts::{Claim, Fact, Origin};
use crate::record::Record;
use crate::registry::Registry;

use super::prose::{date_mentions, latest_day, normalize_space};
use super::{Change, ChangeKind, ChangeSource};

/// The facts a record states that a review compares: its fields and prose claims, except
/// the "last updated" date (it changes with every edition and is shown in the record's
/// header) and claims read from footnotes (each citation's text is compared as a whole, so
/// a renamed citation is no change).
pub(crate) fn facts_of(
    record: &Record,
    registry: &Registry,
    patterns: &ClaimPatterns,
) -> Vec<Fact> {
    crate::facts::extract(record, registry, patterns)
        .into_iter()
        .filter(|f| !matches!(f.claim, Claim::LastUpdated(_)))
        .filter(
            |f| !matches!(&f.origin, Origin::Prose { block, .. } if block.starts_with("citation ")),
        )
        .collect()
}

/// A fact's identity within its record, the path shown for it and what it is about.
struct Identity {
    id: String,
    path: String,
    what: String,
}

fn origin_path(origin: &Origin) -> String {
    match origin {
        Origin::Field { path, .. } => path.clone(),
        Origin::Prose { block, .. } => block.clone(),
    }
}

/// A short name for a prose claim's kind.
fn prose_kind(claim: &Claim) -> &'static str {
    match claim {
        Claim::LastMeetingYear { .. } => "last meeting year",
        Claim::MeetingCount { .. } => "meeting count",
        Claim::OnlyAttendance => "only meeting attended",
        Claim::AllMeetings => "all meetings attended",
        Claim::NotSince(_) => "not attended since",
        Claim::VoteInYear { .. } => "vote in year",
        Claim::VotedSince { .. } => "voted since",
        Claim::ActivityList { .. } => "activities",
        Claim::MeetingMention { .. } => "meeting mentioned",
        Claim::ResolutionCited { .. } => "resolution cited",
        Claim::CasualtyCount { .. } => "casualties in year",
        Claim::Contamination { .. } => "contamination",
        Claim::Article7Report { .. } => "Article 7 report",
        Claim::ContaminatedArea { .. } => "contaminated area",
        Claim::TableCell { .. } => "table cell",
        Claim::Status(_) => "status",
        Claim::Date { .. } => "date",
        Claim::Treaty { .. } => "treaty",
        Claim::Attendance { .. } => "attendance",
        Claim::Vote { .. } => "vote",
        Claim::Conduct { .. } => "conduct",
        Claim::ConductStated(_) => "conduct statement",
        Claim::LastUpdated(_) => "last updated",
        Claim::Citation { .. } => "citation",
    }
}

/// What identifies a fact across editions: prose claims by block and kind, field facts by
/// the field (and the meeting or resolution they are about).
fn identity(fact: &Fact, registry: &Registry) -> Identity {
    match &fact.origin {
        Origin::Prose { block, .. } => prose_identity(&fact.claim, block),
        Origin::Field { .. } => field_identity(&fact.claim, origin_path(&fact.origin), registry),
    }
}

/// A prose claim: by kind within its block, plus what distinguishes claims of the same
/// kind (the meeting named, the resolution cited).
fn prose_identity(claim: &Claim, block: &str) -> Identity {
    let kind = prose_kind(claim);
    let detail = match claim {
        Claim::MeetingMention { meeting, .. } | Claim::Attendance { meeting, .. } => {
            format!(" {meeting}")
        }
        Claim::ResolutionCited { number, .. } => format!(" {number}"),
        Claim::Citation { key, .. } => format!(" {key}"),
        Claim::Treaty { treaty, .. } => format!(" {}", treaty.label()),
        Claim::Date { kind, .. } => format!(" {}", kind.label()),
        Claim::Conduct { activity, .. } => format!(" {}", activity.label()),
        _ => String::new(),
    };
    Identity {
        id: format!("prose:{block}:{kind}{detail}"),
        path: format!("{block}: {kind}{detail}"),
        what: format!("{kind}{detail} (prose)"),
    }
}

/// A field fact: by its field, meeting or resolution.
fn field_identity(claim: &Claim, path: String, registry: &Registry) -> Identity {
    match claim {
        Claim::Status(_) => Identity {
            id: "status".into(),
            path,
            what: "convention status".into(),
        },
        Claim::Date { kind, .. } => Identity {
            id: format!("date:{kind:?}"),
            path,
            what: format!("date of {}", kind.label()),
        },
        Claim::Treaty { treaty, .. } => Identity {
            id: format!("treaty:{treaty:?}"),
            path,
            what: treaty.label().into(),
        },
        Claim::Attendance { meeting, part, .. } => {
            let name = registry
                .meeting(meeting)
                .map_or(meeting.clone(), |m| m.name.clone());
            let (suffix, what) = match part {
                Some(p) => (format!(".part{p}"), format!("{name}, part {p}")),
                None => (String::new(), name),
            };
            Identity {
                id: format!("meeting:{meeting}{suffix}"),
                path: format!("meetings.{meeting}{suffix}"),
                what,
            }
        }
        Claim::Vote {
            resolution, year, ..
        } => match year {
            Some(y) => Identity {
                id: format!("vote:{resolution}"),
                path: format!("votes.{y}"),
                what: format!("vote on the annual resolution of {y}"),
            },
            None => Identity {
                id: format!("vote:{resolution}"),
                path: format!("votes.{resolution}"),
                what: format!("vote on resolution {resolution}"),
            },
        },
        Claim::Conduct { activity, .. } => Identity {
            id: format!("conduct:{activity:?}"),
            path,
            what: activity.label().into(),
        },
        Claim::ConductStated(_) => Identity {
            id: "conduct-stated".into(),
            path,
            what: "year of the statement on conduct".into(),
        },
        Claim::Citation { key, .. } => Identity {
            id: format!("citation:{key}"),
            path,
            what: "source".into(),
        },
        Claim::Article7Report { covers, .. } => Identity {
            id: format!("article7:{covers}"),
            path: format!("article7.reports.{covers}"),
            what: format!("Article 7 report for {covers}"),
        },
        Claim::TableCell {
            table, row, column, ..
        } => Identity {
            id: format!("table:{table}:{row}:{column}"),
            path,
            what: format!("{column}, {row}, in table {table}"),
        },
        other => Identity {
            id: format!("field:{path}"),
            what: prose_kind(other).into(),
            path,
        },
    }
}

/// The value a fact states, as shown in reports.
fn value(claim: &Claim, registry: &Registry) -> String {
    let month_year = |year: i32, month: Option<u32>| match month.and_then(crate::record::month_name)
    {
        Some(m) => format!("{m} {year}"),
        None => year.to_string(),
    };
    match claim {
        Claim::Status(s) => s.label().into(),
        Claim::Date { date, .. } => date.to_string(),
        Claim::Treaty { standing, .. } => standing.label().into(),
        Claim::Attendance { role, .. } => role.label().into(),
        Claim::Vote { vote, .. } => vote.label().into(),
        Claim::Conduct { conduct, .. } => conduct.label().into(),
        Claim::ConductStated(y) => y.to_string(),
        Claim::LastUpdated(d) => d.to_string(),
        Claim::Citation { text, .. } => normalize_space(text),
        Claim::TableCell { value, .. } => value.clone(),
        Claim::Article7Report { submitted, .. } => {
            submitted.map_or_else(|| "submitted".to_string(), |d| d.to_string())
        }
        Claim::VoteInYear { year, month, vote } => {
            format!("voted {} in {}", vote.label(), month_year(*year, *month))
        }
        Claim::MeetingMention {
            meeting,
            year,
            month,
        } => {
            let name = registry
                .meeting(meeting)
                .map_or(meeting.as_str(), |m| m.name.as_str());
            format!("{name} in {}", month_year(*year, *month))
        }
        other => other.to_string(),
    }
}

fn last_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

fn end_of_year(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}

/// The latest day the fact can be about, when it is about an event in time.
fn event_day(claim: &Claim, registry: &Registry) -> Option<NaiveDate> {
    match claim {
        Claim::Date { date, .. } => Some(date.0),
        Claim::Attendance { meeting, part, .. } => {
            let m = registry.meeting(meeting)?;
            let session = part.and_then(|p| m.sessions.get((p as usize).checked_sub(1)?));
            Some(session.map_or(m.end(), |s| s.end))
        }
        Claim::Vote {
            resolution, year, ..
        } => {
            let adopted = registry.resolution(resolution).map(|r| r.adopted);
            match (adopted, year) {
                (Some(adopted), _) => adopted.latest_day(),
                (None, Some(y)) => end_of_year(*y),
                (None, None) => None,
            }
        }
        Claim::ConductStated(y) | Claim::NotSince(y) => end_of_year(*y),
        Claim::LastUpdated(d) => Some(d.0),
        Claim::Citation { text, .. } => {
            date_mentions(text).into_iter().filter_map(latest_day).max()
        }
        Claim::LastMeetingYear { year, .. }
        | Claim::VotedSince { year, .. }
        | Claim::CasualtyCount { year, .. } => end_of_year(*year),
        Claim::TableCell { row, .. } => row.parse().ok().and_then(end_of_year),
        Claim::Article7Report { covers, submitted } => {
            submitted.map(|d| d.0).or_else(|| end_of_year(*covers))
        }
        Claim::VoteInYear { year, month, .. } | Claim::MeetingMention { year, month, .. } => {
            match month {
                Some(m) => last_of_month(*year, *m),
                None => end_of_year(*year),
            }
        }
        Claim::ResolutionCited { date, number } => date.map(|d| d.0).or_else(|| {
            registry
                .resolution(number)
                .and_then(|r| r.adopted.latest_day())
        }),
        Claim::Status(_)
        | Claim::Treaty { .. }
        | Claim::Conduct { .. }
        | Claim::MeetingCount { .. }
        | Claim::OnlyAttendance
        | Claim::AllMeetings
        | Claim::ActivityList { .. }
        | Claim::Contamination { .. }
        | Claim::ContaminatedArea { .. } => None,
    }
}

/// News when the event is after the cut-off (or not dated), else a correction of the past.
fn dated_kind(day: Option<NaiveDate>, cut: NaiveDate) -> ChangeKind {
    match day {
        Some(d) if d <= cut => ChangeKind::Correction,
        _ => ChangeKind::News,
    }
}

fn source_of(fact: &Fact) -> ChangeSource {
    if fact.origin.is_prose() {
        ChangeSource::Claim
    } else {
        ChangeSource::Field
    }
}

fn sentence_of(fact: &Fact) -> Option<String> {
    match &fact.origin {
        Origin::Prose { sentence, .. } => Some(normalize_space(sentence)),
        Origin::Field { .. } => None,
    }
}

/// Keys facts by identity; a second fact of the same identity gets `#2`, and so on.
fn keyed<'a>(facts: &'a [Fact], registry: &Registry) -> Vec<(String, Identity, &'a Fact)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    facts
        .iter()
        .map(|f| {
            let mut ident = identity(f, registry);
            let n = seen.entry(ident.id.clone()).or_default();
            *n += 1;
            if *n > 1 {
                ident.id = format!("{}#{n}", ident.id);
            }
            (ident.id.clone(), ident, f)
        })
        .collect()
}

fn is_field_citation(f: &Fact) -> bool {
    matches!(f.claim, Claim::Citation { .. }) && !f.origin.is_prose()
}

fn citation_texts(facts: &[Fact]) -> HashSet<String> {
    facts
        .iter()
        .filter_map(|f| match &f.claim {
            Claim::Citation { text, .. } if !f.origin.is_prose() => Some(normalize_space(text)),
            _ => None,
        })
        .collect()
}

/// Compares facts by identity. Returns the classified changes and the sentences of the
/// prose claims that changed (those sentences need no separate wording entry).
pub(crate) fn compare(
    old: &[Fact],
    new: &[Fact],
    registry: &Registry,
    cut: NaiveDate,
) -> (Vec<Change>, Vec<String>) {
    let old_keyed = keyed(old, registry);
    let new_keyed = keyed(new, registry);
    let old_map: HashMap<&str, &Fact> =
        old_keyed.iter().map(|(k, _, f)| (k.as_str(), *f)).collect();
    let new_keys: HashSet<&str> = new_keyed.iter().map(|(k, _, _)| k.as_str()).collect();
    let old_citations = citation_texts(old);
    let new_citations = citation_texts(new);
    let mut changes = Vec::new();
    let mut sentences = Vec::new();
    for (key, ident, fact) in &new_keyed {
        let new_value = value(&fact.claim, registry);
        match old_map.get(key.as_str()) {
            Some(old_fact) => {
                let old_value = value(&old_fact.claim, registry);
                if old_value == new_value {
                    continue;
                }
                let day =
                    event_day(&fact.claim, registry).max(event_day(&old_fact.claim, registry));
                sentences.extend(sentence_of(old_fact));
                sentences.extend(sentence_of(fact));
                changes.push(Change {
                    kind: dated_kind(day, cut),
                    path: ident.path.clone(),
                    what: ident.what.clone(),
                    old: Some(old_value),
                    new: Some(new_value),
                    source: source_of(fact),
                });
            }
            None => {
                // A source renamed or renumbered, its text unchanged, is no change.
                if is_field_citation(fact) && old_citations.contains(&new_value) {
                    continue;
                }
                sentences.extend(sentence_of(fact));
                changes.push(Change {
                    kind: dated_kind(event_day(&fact.claim, registry), cut),
                    path: ident.path.clone(),
                    what: ident.what.clone(),
                    old: None,
                    new: Some(new_value),
                    source: source_of(fact),
                });
            }
        }
    }
    for (key, ident, fact) in &old_keyed {
        if new_keys.contains(key.as_str()) {
            continue;
        }
        let old_value = value(&fact.claim, registry);
        if is_field_citation(fact) && new_citations.contains(&old_value) {
            continue;
        }
        sentences.extend(sentence_of(fact));
        changes.push(Change {
            kind: ChangeKind::Removal,
            path: ident.path.clone(),
            what: ident.what.clone(),
            old: Some(old_value),
            new: None,
            source: source_of(fact),
        });
    }
    (changes, sentences)
}
