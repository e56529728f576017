//! Records as template data: the JSON each Typst template reads with `json(...)`.
//!
//! Prose arrives in the template as segments of literal text, never as markup, so nothing a
//! record says can be evaluated by Typst.

use serde_json::{Value, json};

use crate::record::prose::{Paragraph, Segment};
use crate::record::{Prose, Record, VoteCast};
use crate::registry::Registry;

/// Paper sizes the templates know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4 (the default).
    #[default]
    A4,
    /// US Letter.
    UsLetter,
}

impl Paper {
    /// The paper name as Typst spells it.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        }
    }
}

/// The author metadata written into every PDF.
pub const AUTHOR: &str = "Cluster Munition Monitor";

/// A stable, file-name-safe id for the record within a book: `2022-kyrgyzstan`.
pub fn record_id(record: &Record) -> String {
    format!(
        "{}-{}",
        record.edition.value,
        record.slug().replace('.', "-")
    )
}

/// The template data for one profile.
pub fn profile_data(record: &Record, registry: &Registry, paper: Paper) -> Value {
    let id = record_id(record);
    let mut footnotes = FootnoteState::default();
    let summary = record
        .summary
        .as_ref()
        .map(|p| paragraphs(&p.value, record, &id, &mut footnotes))
        .unwrap_or_default();
    let sections: Vec<Value> = record
        .sections
        .iter()
        .map(|s| {
            json!({
                "title": s.title.value,
                "paragraphs": paragraphs(&s.text.value, record, &id, &mut footnotes),
            })
        })
        .collect();
    let title = format!(
        "{}: {} ({})",
        record.country.value,
        record.topic.label(),
        record.edition.value
    );
    json!({
        "id": id,
        "title": title,
        "author": AUTHOR,
        "country": record.country.value,
        "iso": record.iso.value,
        "topic": record.topic.label(),
        "edition": record.edition.value,
        "paper": paper.typst_name(),
        "last_updated": record.last_updated.as_ref().map(|d| d.value.to_string()),
        "date": date_parts(record),
        "needs_review": record.needs_review.as_ref().map(|s| s.value.clone()),
        "incomplete": record.incomplete.as_ref().map(|s| s.value.clone()),
        "facts": facts_panel(record, registry),
        "meetings": meetings(record, registry),
        "votes": annual_votes(record, registry),
        "other_votes": other_votes(record, registry),
        "summary": summary,
        "sections": sections,
        "tables": record.tables.iter().map(|t| table_data(t, record)).collect::<Vec<_>>(),
    })
}

/// A data table for `tables.typ`: columns with their unit and whether they hold figures
/// (right-aligned), rows with whether they are the total row, notes as text.
fn table_data(table: &crate::record::Table, record: &Record) -> Value {
    use crate::record::table::figure;
    let columns: Vec<Value> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = table.rows.iter().filter_map(|r| r.value.get(i));
            let numeric = i > 0
                && cells
                    .clone()
                    .all(|c| figure(&c.value).is_some() || is_blank_figure(&c.value));
            json!({"name": c.value, "unit": table.unit(i).unwrap_or(""), "numeric": numeric})
        })
        .collect();
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|r| {
            let cells: Vec<&str> = r.value.iter().map(|c| c.value.as_str()).collect();
            json!({"cells": cells, "total": crate::record::Table::is_total(&r.value)})
        })
        .collect();
    let notes: Vec<String> = table
        .notes
        .iter()
        .map(|n| {
            let place = match &n.column {
                Some(c) => format!("{}, {}", n.row.value, c.value),
                None => n.row.value.clone(),
            };
            let text = record.citation(&n.source.value).map_or_else(
                || format!("[missing citation: {}]", n.source.value),
                |c| c.text.value.text.clone(),
            );
            format!("{place}: {text}")
        })
        .collect();
    json!({"title": table.title.value, "section": table.section.as_ref().map(|s| s.value.clone()), "columns": columns, "rows": rows, "notes": notes})
}

/// A cell that stands for no figure: empty, or a dash.
fn is_blank_figure(cell: &str) -> bool {
    matches!(cell.trim(), "" | "–" | "—" | "-")
}

/// The template data for an edition's front matter: title, date and one contents entry per
/// profile, in order. Each entry's `page` (where the profile starts) is filled in once the
/// profiles' page counts are known.
pub fn book_data(edition: i32, profiles: &[Value], paper: Paper) -> Value {
    let latest = profiles
        .iter()
        .filter_map(|p| p.get("date").filter(|d| !d.is_null()).cloned())
        .max_by_key(|d| (d["year"].as_i64(), d["month"].as_i64(), d["day"].as_i64()));
    let entries: Vec<Value> = profiles
        .iter()
        .map(|p| json!({"id": p["id"], "country": p["country"], "topic": p["topic"]}))
        .collect();
    json!({
        "title": format!("Cluster Munition Ban Policy: Country Profiles {edition}"),
        "author": AUTHOR,
        "edition": edition,
        "paper": paper.typst_name(),
        "date": latest,
        "entries": entries,
    })
}

/// The template data for a folio sheet: one page per `(number, side)`, side being `left`,
/// `right` or `center`.
pub fn folio_data(folios: &[(String, &str)], paper: Paper) -> Value {
    let folios: Vec<Value> = folios
        .iter()
        .map(|(text, side)| json!({"text": text, "side": side}))
        .collect();
    json!({"paper": paper.typst_name(), "folios": folios})
}

/// The document date: "Last updated", or 1 January of the edition year for pages that print
/// no date (PDF/A needs one).
fn date_parts(record: &Record) -> Value {
    let (year, month, day) = record_date(record);
    json!({"year": year, "month": month, "day": day})
}

/// The document date of a record's PDF: its last-updated date, or 1 January of its edition
/// year when it has none (never the clock).
pub fn record_date(record: &Record) -> (i32, u8, u8) {
    use chrono::Datelike;
    match &record.last_updated {
        Some(d) => (
            d.value.0.year(),
            d.value.0.month() as u8,
            d.value.0.day() as u8,
        ),
        None => (record.edition.value, 1, 1),
    }
}

/// Replaces, in every string of `value`, the characters in `missing` by a visible `[U+XXXX]`
/// so they never print as empty boxes (and PDF/A export does not fail on them).
pub fn replace_missing_glyphs(value: &mut Value, missing: &[char]) {
    match value {
        Value::String(s) if s.chars().any(|c| missing.contains(&c)) => {
            *s = s
                .chars()
                .map(|c| {
                    if missing.contains(&c) {
                        format!("[U+{:04X}]", c as u32)
                    } else {
                        c.to_string()
                    }
                })
                .collect();
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_missing_glyphs(v, missing)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| replace_missing_glyphs(v, missing)),
        _ => {}
    }
}

/// Which citation keys have already had their footnote in this profile.
#[derive(Default)]
struct FootnoteState {
    seen: Vec<String>,
}

fn paragraphs(
    prose: &Prose,
    record: &Record,
    id: &str,
    footnotes: &mut FootnoteState,
) -> Vec<Value> {
    prose
        .paragraphs()
        .iter()
        .map(|p| paragraph(p, record, id, footnotes))
        .collect()
}

fn paragraph(p: &Paragraph, record: &Record, id: &str, footnotes: &mut FootnoteState) -> Value {
    let segments: Vec<Value> = p
        .segments
        .iter()
        .map(|s| match s {
            Segment::Text(t) => json!({"text": t}),
            Segment::Italic(t) => json!({"italic": t}),
            Segment::Cite(key) => {
                let label = format!("fn-{id}-{key}");
                let first = !footnotes.seen.contains(key);
                if first {
                    footnotes.seen.push(key.clone());
                }
                let note = match record.citation(key) {
                    Some(c) => note_segments(&c.text.value),
                    None => vec![json!({"text": format!("[missing citation: {key}]")})],
                };
                json!({"cite": key, "label": label, "first": first, "note": note})
            }
        })
        .collect();
    Value::Array(segments)
}

/// Footnote text: literal text and italics; a marker inside a footnote prints as written.
fn note_segments(prose: &Prose) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, p) in prose.paragraphs().iter().enumerate() {
        if i > 0 {
            out.push(json!({"text": " "}));
        }
        for s in &p.segments {
            out.push(match s {
                Segment::Text(t) => json!({"text": t}),
                Segment::Italic(t) => json!({"italic": t}),
                Segment::Cite(k) => json!({"text": format!("[^{k}]")}),
            });
        }
    }
    out
}

fn facts_panel(record: &Record, registry: &Registry) -> Vec<Value> {
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(status) = &record.status {
        let what = match crate::registry::record_treaty(record) {
            crate::registry::TreatyId::MineBanTreaty => "Mine Ban Treaty status",
            crate::registry::TreatyId::ConventionOnClusterMunitions => "Convention status",
        };
        rows.push((what.into(), status.convention.label().into()));
        if let Some(d) = &status.signed {
            rows.push(("Signed".into(), d.value.to_string()));
        }
        if let Some(d) = &status.deposited {
            let what = status
                .deposit_kind
                .as_ref()
                .map_or("Ratified or acceded", |k| k.label());
            rows.push((what.into(), d.value.to_string()));
        }
        if let Some(d) = &status.in_force {
            rows.push(("State Party since".into(), d.value.to_string()));
        }
        if let Some(d) = &status.report_due {
            rows.push(("Initial Article 7 report due".into(), d.value.to_string()));
        }
        if let Some(d) = &status.stockpile_deadline {
            rows.push(("Stockpile destruction deadline".into(), d.value.to_string()));
        }
        if let Some(d) = &status.legislation {
            rows.push(("Implementation legislation".into(), d.value.to_string()));
        }
    }
    if let Some(t) = &record.treaties {
        if let Some(s) = &t.mine_ban_treaty {
            rows.push(("Mine Ban Treaty".into(), s.label().into()));
        }
        if let Some(s) = &t.ccw {
            rows.push((
                "Convention on Conventional Weapons".into(),
                s.label().into(),
            ));
        }
    }
    if let Some(last) = last_meeting_attended(record, registry) {
        rows.push(("Last meeting attended".into(), last));
    }
    rows.into_iter().map(|(k, v)| json!([k, v])).collect()
}

/// "Fourth Meeting of States Parties (Lusaka, Zambia, September 2013)".
fn last_meeting_attended(record: &Record, registry: &Registry) -> Option<String> {
    record
        .meetings
        .iter()
        .filter(|a| a.role.present())
        .filter_map(|a| registry.meeting(&a.meeting.value).map(|m| (m, a)))
        .max_by_key(|(m, a)| {
            let part = a.part.as_ref().map(|p| p.value as usize);
            part.and_then(|p| m.sessions.get(p - 1))
                .map_or(m.end(), |s| s.end)
        })
        .map(|(m, a)| {
            let session = a
                .part
                .as_ref()
                .and_then(|p| m.sessions.get(p.value as usize - 1))
                .or(m.sessions.last());
            match session {
                Some(s) => format!("{} ({}, {})", m.name, s.place, s.start.format("%B %Y")),
                None => m.name.clone(),
            }
        })
}

fn meetings(record: &Record, registry: &Registry) -> Vec<Value> {
    let mut rows: Vec<(chrono::NaiveDate, Value)> = record
        .meetings
        .iter()
        .map(|a| {
            let meeting = registry.meeting(&a.meeting.value);
            let session = meeting.and_then(|m| match &a.part {
                Some(p) => m.sessions.get(p.value as usize - 1),
                None => None,
            });
            let (name, when, place, sort) = match (meeting, session) {
                (Some(m), Some(s)) => (
                    format!("{} (part {})", m.name, a.part.as_ref().map_or(1, |p| p.value)),
                    s.start.format("%B %Y").to_string(),
                    s.place.clone(),
                    s.start,
                ),
                (Some(m), None) => (
                    m.name.clone(),
                    m.sessions.iter().map(|s| s.start.format("%B %Y").to_string()).collect::<Vec<_>>().join(" and "),
                    m.sessions.first().map(|s| s.place.clone()).unwrap_or_default(),
                    m.start(),
                ),
                (None, _) => (a.meeting.value.clone(), String::new(), String::new(), chrono::NaiveDate::MAX),
            };
            (sort, json!({"name": name, "when": when, "place": place, "role": a.role.label(), "present": a.role.present()}))
        })
        .collect();
    rows.sort_by_key(|(d, _)| *d);
    rows.into_iter().map(|(_, v)| v).collect()
}

fn annual_votes(record: &Record, registry: &Registry) -> Vec<Value> {
    let mut votes: Vec<(i32, Value)> = record
        .votes
        .iter()
        .filter(|v| v.resolution.is_none())
        .filter_map(|v| {
            let year = v.year.as_ref()?.value;
            let number = registry
                .annual_resolution(crate::registry::record_treaty(record), year)
                .and_then(|r| r.number.clone());
            Some((year, json!({"year": year, "vote": v.vote.keyword(), "label": v.vote.label(), "resolution": number})))
        })
        .collect();
    votes.sort_by_key(|(y, _)| *y);
    votes.into_iter().map(|(_, v)| v).collect()
}

fn other_votes(record: &Record, registry: &Registry) -> Vec<Value> {
    record
        .votes
        .iter()
        .filter_map(|v| {
            let id = v.resolution.as_ref()?;
            let res = registry.resolution(&id.value);
            Some(json!({
                "resolution": id.value,
                "title": res.map(|r| r.title.clone()).unwrap_or_default(),
                "year": res.map(|r| r.adopted.year()),
                "vote": v.vote.label(),
                "in_favour": v.vote.value == VoteCast::Yes,
            }))
        })
        .collect()
}
