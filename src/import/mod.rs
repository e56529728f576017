//! Importing the published plain-text archive: three generations of saved profile pages
//! become records.
//!
//! - Generation A (2009): a title line, then untitled narrative paragraphs with footnotes;
//! - Generation B (2010–2014): "Last Updated", the topic, an overview block of label and
//!   value lines, then titled sections;
//! - Generation C (2015 on): the topic, "Last updated", a summary under a label, then titled
//!   sections.
//!
//! All three end with a footnote list. The prose is kept exactly: `[n]` markers become
//! `[^nN]` citation markers (a space before a marker stays in the prose), footnote `[n]`
//! becomes citation `nN`. A file cut off mid-way imports what is there and the record is
//! marked `incomplete`. Facts are not extracted here: that is the checker's job.

mod lines;
mod tables;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::record::{
    Citation, Date, Overview, Prose, Record, Section, Sp, Topic, parse_record, record_slug, to_toml,
};

use lines::{Line, OverviewField};

/// What the caller knows about the files being imported; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The edition year; inferred from the file name or the "Last updated" date otherwise.
    pub edition: Option<i32>,
    /// The topic; read from the topic line otherwise.
    pub topic: Option<Topic>,
    /// The country name; read from the first line (or the file name) otherwise.
    pub country: Option<String>,
    /// The ISO 3166-1 alpha-2 code; looked up from the country name otherwise.
    pub iso: Option<String>,
    /// The name of the file the text came from (used for inference and messages).
    pub source_name: Option<String>,
}

/// Which published shape a text had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// 2009 narrative country report.
    A,
    /// 2010–2014 page with an overview block.
    B,
    /// 2015-on page with a summary.
    C,
}

/// A successful import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The record, as loaded back from [`Imported::toml`].
    pub record: Record,
    /// The record as TOML, ready to be written.
    pub toml: String,
    /// The shape the text had.
    pub generation: Generation,
    /// What was inferred rather than read (edition, topic...), one sentence each.
    pub notes: Vec<String>,
    /// What looks wrong with the text (cut off, missing footnotes...), one sentence each.
    pub warnings: Vec<String>,
}

/// A text that could not be imported.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("{file}{}: {message}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
#[diagnostic(code(dossier::import))]
pub struct ImportError {
    /// The file (or `<text>` when the text had no name).
    pub file: String,
    /// The 1-based line the problem is at, when there is one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
}

/// A footnote as read: its published number, text paragraphs and line.
struct Footnote {
    number: u32,
    paragraphs: Vec<String>,
}

/// Where paragraphs currently go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Nothing yet (before the first heading or summary).
    Start,
    /// The summary.
    Summary,
    /// The last section.
    Section,
    /// The footnote list.
    Footnotes,
}

/// Imports one saved profile page.
#[expect(
    clippy::too_many_lines,
    reason = "long function: split into named steps"
)]
pub fn import_text(text: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let file = options
        .source_name
        .clone()
        .unwrap_or_else(|| "<text>".to_string());
    let fail = |line: Option<usize>, message: String, help: Option<&str>| ImportError {
        file: file.clone(),
        line,
        message,
        help: help.map(str::to_string),
    };
    let (lines, dropped) = lines::split_lines(text);
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    if dropped > 0 {
        warnings.push(format!(
            "dropped {dropped} control character{} that a record cannot hold",
            if dropped == 1 { "" } else { "s" }
        ));
    }
    let content: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    let Some(last_content_no) = content.last().map(|l| l.no) else {
        return Err(fail(
            None,
            "the file is empty: there is nothing to import".into(),
            None,
        ));
    };
    let compact = is_compact(&lines);

    // Header: country, topic and date lines, in either order.
    let mut i = 0;
    let mut country_line: Option<(String, usize)> = None;
    let mut topic_line: Option<Topic> = None;
    let mut last_updated: Option<Date> = None;
    let mut first = true;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_blank() {
            i += 1;
            continue;
        }
        if let Some(date) = lines::date_line(&line.text) {
            if last_updated.is_some() {
                break;
            }
            match date {
                Ok(date) => last_updated = Some(date),
                Err(rest) => warnings.push(format!(
                    "line {}: cannot read the date “{rest}”; the record has no last-updated date",
                    line.no
                )),
            }
        } else if let Some(topic) = lines::topic_line(&line.text).filter(|_| topic_line.is_none()) {
            topic_line = Some(topic);
        } else if first
            && line.no != last_content_no
            && looks_like_name(&line.text)
            && lines::summary_label(&line.text).is_none()
            && !lines::overview_heading(&line.text)
            && lines::overview_label(&line.text).is_none()
            && !lines::known_heading(&line.text)
        {
            country_line = Some((line.text.clone(), line.no));
        } else {
            break;
        }
        first = false;
        i += 1;
    }

    // Overview block (generation B): an optional heading, then label and value lines.
    let mut overview: Option<Overview> = None;
    {
        let mut j = skip_blank(&lines, i);
        let heading = j < lines.len() && lines::overview_heading(&lines[j].text);
        if heading {
            j += 1;
        }
        let mut found = Overview::default();
        let mut any = heading;
        loop {
            let k = skip_blank(&lines, j);
            let Some(field) = lines.get(k).and_then(|l| lines::overview_label(&l.text)) else {
                break;
            };
            any = true;
            // The value is the next line (blank for an empty value) on a compact page; on a
            // spaced page, the next non-blank line unless that starts something else.
            let v = if compact {
                k + 1
            } else {
                skip_blank(&lines, k + 1)
            };
            let value = match lines.get(v) {
                Some(l)
                    if !l.is_blank()
                        && lines::overview_label(&l.text).is_none()
                        && !lines::known_heading(&l.text)
                        && lines::footnote_line(&l.text).is_none() =>
                {
                    j = v + 1;
                    l.text.clone()
                }
                Some(l) if compact && l.is_blank() => {
                    j = v + 1;
                    String::new()
                }
                _ => {
                    j = k + 1;
                    String::new()
                }
            };
            let value = Some(Sp::detached(Prose::detached(convert_markers(&value))));
            match field {
                OverviewField::Status => found.status = value,
                OverviewField::Legislation => found.legislation = value,
                OverviewField::Participation => found.participation = value,
                OverviewField::KeyDevelopments => found.key_developments = value,
            }
        }
        if any {
            overview = Some(found);
            i = j;
        }
    }

    // Body: summary, sections, footnotes.
    let mut summary_label: Option<String> = None;
    let mut summary: Vec<String> = Vec::new();
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut target = Target::Start;
    let mut blank_run = 0usize;
    let mut untitled_pending = false;
    let (found_tables, table_warnings) = tables::find_tables(&lines[i.min(lines.len())..]);
    warnings.extend(table_warnings);
    let mut placed_tables: Vec<(String, &tables::FoundTable)> = Vec::new();
    for line in &lines[i.min(lines.len())..] {
        if line.is_blank() {
            blank_run += 1;
            continue;
        }
        let lost_heading = if compact {
            blank_run >= 1
        } else {
            blank_run >= 3
        };
        if lost_heading && target != Target::Footnotes && target != Target::Start {
            untitled_pending = true;
        }
        blank_run = 0;
        if let Some(t) = found_tables
            .iter()
            .find(|t| (t.first..=t.last).contains(&line.no))
        {
            if t.first == line.no {
                let section = sections.last().map(|s| s.0.clone()).unwrap_or_default();
                placed_tables.push((section, t));
            }
            continue;
        }
        let text = line.text.as_str();
        if let Some((number, rest)) = lines::footnote_line(text) {
            target = Target::Footnotes;
            footnotes.push(Footnote {
                number,
                paragraphs: vec![convert_markers(rest)],
            });
            continue;
        }
        if target == Target::Footnotes {
            if let Some(last) = footnotes.last_mut() {
                last.paragraphs.push(convert_markers(text));
            }
            continue;
        }
        if target == Target::Start
            && summary.is_empty()
            && sections.is_empty()
            && let Some((label, rest)) = lines::summary_label(text)
        {
            summary_label = Some(label);
            target = Target::Summary;
            if !rest.is_empty() {
                summary.push(convert_markers(&rest));
            }
            continue;
        }
        let is_last = line.no == last_content_no;
        if lines::heading_like(text) && (!is_last || lines::known_heading(text)) {
            sections.push((text.to_string(), Vec::new()));
            target = Target::Section;
            untitled_pending = false;
            continue;
        }
        let paragraph = convert_markers(text);
        if untitled_pending || target == Target::Start {
            sections.push((String::new(), vec![paragraph]));
            target = Target::Section;
            untitled_pending = false;
        } else if target == Target::Summary {
            summary.push(paragraph);
        } else if let Some(section) = sections.last_mut() {
            section.1.push(paragraph);
        }
    }

    // What is missing.
    let mut missing: Vec<String> = Vec::new();
    if let Some(last) = content.last() {
        let last_is_heading = sections
            .last()
            .is_some_and(|(title, paras)| paras.is_empty() && !title.is_empty())
            && target == Target::Section;
        let only_header = summary.is_empty() && sections.is_empty() && footnotes.is_empty();
        if only_header && overview.is_some() {
            missing.push("the sections after the overview".to_string());
        } else if only_header {
            missing.push("the text after the header".to_string());
        } else if last_is_heading {
            let title = sections.last().map_or("", |s| s.0.as_str());
            missing.push(format!("the text of the section “{title}”"));
        } else if !lines::ends_complete(&last.text) {
            let place = match target {
                Target::Footnotes => footnotes
                    .last()
                    .map(|f| format!("footnote [{}]", f.number))
                    .unwrap_or_default(),
                Target::Summary => "the summary".to_string(),
                _ => match sections.last() {
                    Some((title, _)) if !title.is_empty() => format!("the section “{title}”"),
                    _ => "the text".to_string(),
                },
            };
            missing.push(format!(
                "the rest of {place}, which stops mid-sentence at “{}”",
                tail_words(&last.text, 6)
            ));
        }
    }
    let defined: BTreeSet<u32> = footnotes.iter().map(|f| f.number).collect();
    let mut referenced: BTreeSet<u32> = BTreeSet::new();
    let mut all_prose: Vec<&String> = summary.iter().collect();
    all_prose.extend(sections.iter().flat_map(|s| s.1.iter()));
    for p in &all_prose {
        for m in Prose::detached(p.as_str()).markers() {
            if let Some(n) = m.key.strip_prefix('n').and_then(|n| n.parse().ok()) {
                referenced.insert(n);
            }
        }
    }
    let unmatched: Vec<String> = referenced
        .difference(&defined)
        .map(|n| format!("[{n}]"))
        .collect();
    if !unmatched.is_empty() {
        let list = unmatched.join(", ");
        missing.push(match (footnotes.is_empty(), unmatched.len()) {
            (true, _) => format!("the footnote list (markers {list} have no text)"),
            (false, 1) => format!("the text of footnote {list}"),
            (false, _) => format!("the text of footnotes {list}"),
        });
    }
    let incomplete =
        (!missing.is_empty()).then(|| format!("cut off: missing {}", missing.join("; ")));
    if let Some(note) = &incomplete {
        warnings.push(format!("the text looks {note}"));
    }

    // Country, ISO code, topic, edition.
    let name = options.source_name.as_deref().map(|n| {
        Path::new(n)
            .file_name()
            .map_or(n.to_string(), |f| f.to_string_lossy().into_owned())
    });
    let country = match (&options.country, &country_line) {
        (Some(c), _) => c.trim().to_string(),
        (None, Some((c, _))) => c.clone(),
        (None, None) => match name.as_deref().and_then(country_from_name) {
            Some(c) => {
                notes.push(format!("country “{c}” inferred from the file name"));
                c
            }
            None => {
                return Err(fail(
                    Some(1),
                    "the text has no country line and the file name names no known country".into(),
                    Some("pass --country NAME"),
                ));
            }
        },
    };
    if country.is_empty() {
        return Err(fail(None, "the country name is empty".into(), None));
    }
    let iso = match &options.iso {
        Some(iso) => {
            if !(iso.len() == 2 && iso.chars().all(|c| c.is_ascii_uppercase())) {
                return Err(fail(
                    None,
                    format!("“{iso}” is not an ISO 3166-1 alpha-2 code"),
                    Some("two capital letters, e.g. KG"),
                ));
            }
            iso.clone()
        }
        None => match crate::record::countries::lookup(&country) {
            Some((_, code)) => code.to_string(),
            None => {
                return Err(fail(
                    country_line.as_ref().map(|c| c.1),
                    format!("no ISO 3166-1 code is known for “{country}”"),
                    Some("pass --iso XX (two capital letters)"),
                ));
            }
        },
    };
    let topic = match (options.topic, topic_line) {
        (Some(t), _) | (None, Some(t)) => t,
        (None, None) => {
            let from_name = name.as_deref().and_then(|n| {
                let slug = crate::record::slugify(n);
                Topic::ALL
                    .iter()
                    .copied()
                    .filter(|t| slug.contains(t.keyword()))
                    .max_by_key(|t| t.keyword().len())
            });
            match from_name {
                Some(t) => {
                    notes.push(format!("topic “{}” inferred from the file name", t.label()));
                    t
                }
                None => {
                    let t = Topic::ClusterMunitionBanPolicy;
                    notes.push(format!("the text names no topic; assumed “{}”", t.label()));
                    t
                }
            }
        }
    };
    let edition = match options.edition {
        Some(e) => e,
        None => {
            if let Some(y) = name.as_deref().and_then(lines::year_in_name) {
                notes.push(format!("edition {y} inferred from the file name"));
                y
            } else if let Some(d) = last_updated {
                let y = chrono::Datelike::year(&d.0);
                notes.push(format!("edition {y} inferred from the “Last updated” date"));
                y
            } else {
                return Err(fail(
                    None,
                    "cannot tell the edition: no year in the file name and no “Last updated” date"
                        .into(),
                    Some("pass --edition YEAR"),
                ));
            }
        }
    };
    if !(1900..=2200).contains(&edition) {
        return Err(fail(
            None,
            format!("{edition} is not a plausible edition year"),
            None,
        ));
    }

    let generation = if overview.is_some() {
        Generation::B
    } else if summary_label.is_some() || last_updated.is_some() {
        Generation::C
    } else {
        Generation::A
    };

    // Citations: `[3]` becomes `n3`; a number published twice gets `n3-2`, `n3-3`...
    let mut citations = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for f in &footnotes {
        let count = seen.iter().filter(|&&n| n == f.number).count();
        seen.push(f.number);
        let key = if count == 0 {
            format!("n{}", f.number)
        } else {
            format!("n{}-{}", f.number, count + 1)
        };
        citations.push(Citation {
            key: Sp::detached(key),
            text: Sp::detached(Prose::detached(f.paragraphs.join("\n\n"))),
        });
    }

    let prose = |paragraphs: &[String]| {
        let mut text = paragraphs.join("\n\n");
        text.push('\n');
        Sp::detached(Prose::detached(text))
    };
    let record = Record {
        path: Default::default(),
        source: Arc::from(""),
        country: Sp::detached(country.clone()),
        iso: Sp::detached(iso),
        topic: Sp::detached(topic),
        edition: Sp::detached(edition),
        last_updated: last_updated.map(Sp::detached),
        needs_review: None,
        incomplete: incomplete.map(Sp::detached),
        status: None,
        treaties: None,
        overview,
        meetings: Vec::new(),
        votes: Vec::new(),
        conduct: None,
        summary_label: summary_label.filter(|l| l != "Summary").map(Sp::detached),
        summary: (!summary.is_empty()).then(|| prose(&summary)),
        sections: sections
            .iter()
            .map(|(title, paras)| Section {
                title: Sp::detached(title.clone()),
                text: prose(paras),
            })
            .collect(),
        clearance: None,
        tables: placed_tables
            .iter()
            .enumerate()
            .map(|(n, (section, t))| tables::to_table(t, section, n + 1))
            .collect(),
        citations,
        suppress: Vec::new(),
    };
    let toml = to_toml(&record);
    let path = Path::new("profiles")
        .join(edition.to_string())
        .join(format!("{}.toml", record_slug(&country, topic)));
    let record = parse_record(&path, &toml).map_err(|e| {
        fail(
            None,
            format!("the imported record does not load back: {}", e.brief()),
            None,
        )
    })?;
    Ok(Imported {
        record,
        toml,
        generation,
        notes,
        warnings,
    })
}

/// Whether paragraphs are written one per line (compact) rather than set apart by blank
/// lines (spaced): compact when lines of text follow each other more often than not.
fn is_compact(lines: &[Line]) -> bool {
    let mut adjacent = 0usize;
    let mut separated = 0usize;
    let mut prev_content = false;
    let mut gap = false;
    for line in lines {
        if line.is_blank() {
            gap = prev_content || gap;
            continue;
        }
        if prev_content && !gap {
            adjacent += 1;
        } else if gap {
            separated += 1;
        }
        prev_content = true;
        gap = false;
    }
    adjacent >= separated
}

/// The index of the first non-blank line at or after `from`.
fn skip_blank(lines: &[Line], from: usize) -> usize {
    let mut i = from;
    while i < lines.len() && lines[i].is_blank() {
        i += 1;
    }
    i
}

/// Whether a line could be a country name: short, capitalised, no final punctuation, no
/// digits, no footnote markers.
fn looks_like_name(text: &str) -> bool {
    lines::heading_like(text)
        && text.split_whitespace().count() <= 6
        && !text.chars().any(|c| c.is_ascii_digit())
}

/// A country named by a file name such as `kyrgyzstan-2022-cluster-munition-ban-policy.txt`.
fn country_from_name(name: &str) -> Option<String> {
    let stem = name.split('.').next().unwrap_or(name);
    let words: Vec<&str> = stem
        .split(|c: char| !c.is_alphanumeric())
        .take_while(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    // The longest leading run of words that names a country.
    (1..=words.len())
        .rev()
        .find_map(|n| crate::record::countries::lookup(&words[..n].join(" ")))
        .map(|(name, _)| name.to_string())
}

/// Rewrites `[n]` footnote markers as `[^nN]`, keeping everything else (spaces included).
fn convert_markers(text: &str) -> String {
    let found = lines::markers(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + found.len() * 2);
    let mut at = 0;
    for (range, number) in found {
        out.push_str(&text[at..range.start]);
        out.push_str(&format!("[^n{number}]"));
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The last `n` words of a line, for messages.
fn tail_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let start = words.len().saturating_sub(n);
    let mut tail = words[start..].join(" ");
    if start > 0 {
        tail.insert(0, '…');
    }
    tail
}
