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

use lines::{DateLine, Line, OverviewField};

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

/// A text that could not be imported. Each names the file (or `<text>` when the text had no
/// name).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    /// The text holds nothing but blank lines.
    #[error("{file}: the file is empty: there is nothing to import")]
    #[diagnostic(code(dossier::import::empty))]
    Empty {
        /// The file.
        file: String,
    },
    /// No country line, and the file name names no known country.
    #[error("{file}:1: the text has no country line and the file name names no known country")]
    #[diagnostic(code(dossier::import::no_country), help("pass --country NAME"))]
    NoCountry {
        /// The file.
        file: String,
    },
    /// The country name given or read is empty.
    #[error("{file}: the country name is empty")]
    #[diagnostic(code(dossier::import::empty_country), help("pass --country NAME"))]
    EmptyCountry {
        /// The file.
        file: String,
    },
    /// The area code given with `--iso` is neither an ISO code nor a slug.
    #[error("{file}: “{code}” is neither an ISO 3166-1 alpha-2 code nor an area slug")]
    #[diagnostic(
        code(dossier::import::area_code),
        help("two capital letters, e.g. KG, or a slug such as western-sahara")
    )]
    AreaCode {
        /// The file.
        file: String,
        /// The code as given.
        code: String,
    },
    /// Neither the options, the file name nor the text tell the edition.
    #[error("{file}: cannot tell the edition: no year in the file name and no “Last updated” date")]
    #[diagnostic(code(dossier::import::no_edition), help("pass --edition YEAR"))]
    NoEdition {
        /// The file.
        file: String,
    },
    /// The edition year is outside 1900–2200.
    #[error("{file}: {edition} is not a plausible edition year")]
    #[diagnostic(code(dossier::import::edition), help("pass --edition YEAR"))]
    ImplausibleEdition {
        /// The file.
        file: String,
        /// The year found.
        edition: i32,
    },
    /// The record built from the text does not load back: a fault of the importer.
    #[error("{file}: the imported record does not load back: {}", .source.brief())]
    #[diagnostic(code(dossier::import::load_back))]
    DoesNotLoadBack {
        /// The file.
        file: String,
        /// What the loader said.
        #[source]
        source: Box<crate::record::LoadError>,
    },
}

impl ImportOptions {
    /// The name messages give the text: its file name, or `<text>`.
    fn file_label(&self) -> String {
        self.source_name
            .clone()
            .unwrap_or_else(|| "<text>".to_string())
    }
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

/// Imports one saved profile page, in four steps: classify the header lines, assemble the
/// overview, sections and footnotes, report what was lost, then build the record.
pub fn import_text(text: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let (lines, dropped) = lines::split_lines(text);
    let mut report = Report::default();
    if dropped > 0 {
        report.warnings.push(format!(
            "dropped {dropped} control character{} that a record cannot hold",
            if dropped == 1 { "" } else { "s" }
        ));
    }
    let Some(last) = lines.iter().rfind(|l| !l.is_blank()) else {
        return Err(ImportError::Empty {
            file: options.file_label(),
        });
    };
    let compact = is_compact(&lines);
    let header = read_header(&lines, last.no, &mut report);
    let (overview, body_start) = read_overview(&lines, header.end, compact);
    let mut body = assemble_body(&lines[body_start.min(lines.len())..], compact, last.no);
    report.warnings.append(&mut body.warnings);
    let incomplete = what_was_lost(&body, overview.is_some(), last);
    if let Some(note) = &incomplete {
        report.warnings.push(format!("the text looks {note}"));
    }
    let identity = identify(options, &header, &mut report)?;
    let generation = if overview.is_some() {
        Generation::B
    } else if body.summary_label.is_some() || header.last_updated.is_some() {
        Generation::C
    } else {
        Generation::A
    };
    let record = build_record(&identity, &header, overview, body, incomplete);
    let toml = to_toml(&record);
    let path = Path::new("profiles")
        .join(identity.edition.to_string())
        .join(format!(
            "{}.toml",
            record_slug(&identity.country, identity.topic)
        ));
    let record = parse_record(&path, &toml).map_err(|e| ImportError::DoesNotLoadBack {
        file: options.file_label(),
        source: Box::new(e),
    })?;
    Ok(Imported {
        record,
        toml,
        generation,
        notes: report.notes,
        warnings: report.warnings,
    })
}

/// What an import says about the text besides the record.
#[derive(Default)]
struct Report {
    /// What was inferred rather than read.
    notes: Vec<String>,
    /// What looks wrong with the text.
    warnings: Vec<String>,
}

/// The header lines: country, topic and date, in either order.
struct Header {
    /// The country line and its number.
    country_line: Option<(String, usize)>,
    /// The topic the topic line names.
    topic: Option<Topic>,
    /// The "Last updated" date.
    last_updated: Option<Date>,
    /// Index of the first line after the header.
    end: usize,
}

/// Classifies the header lines at the top of the page.
fn read_header(lines: &[Line], last_content_no: usize, report: &mut Report) -> Header {
    let mut header = Header {
        country_line: None,
        topic: None,
        last_updated: None,
        end: 0,
    };
    let mut first = true;
    while let Some(line) = lines.get(header.end) {
        if line.is_blank() {
            header.end += 1;
            continue;
        }
        if let Some(date) = lines::date_line(&line.text) {
            if header.last_updated.is_some() {
                break;
            }
            match date {
                DateLine::Date(date) => header.last_updated = Some(date),
                DateLine::Unreadable(rest) => report.warnings.push(format!(
                    "line {}: cannot read the date “{rest}”; the record has no last-updated date",
                    line.no
                )),
            }
        } else if let Some(topic) = lines::topic_line(&line.text).filter(|_| header.topic.is_none())
        {
            header.topic = Some(topic);
        } else if first && line.no != last_content_no && could_be_country_line(&line.text) {
            header.country_line = Some((line.text.clone(), line.no));
        } else {
            break;
        }
        first = false;
        header.end += 1;
    }
    header
}

/// Whether a header line names the country rather than starting the page's body.
fn could_be_country_line(text: &str) -> bool {
    looks_like_name(text)
        && lines::summary_label(text).is_none()
        && !lines::overview_heading(text)
        && lines::overview_label(text).is_none()
        && !lines::known_heading(text)
}

/// The overview block of generation B (an optional heading, then label and value lines)
/// starting at line index `from`, and the index of the first line after it.
fn read_overview(lines: &[Line], from: usize, compact: bool) -> (Option<Overview>, usize) {
    let mut j = skip_blank(lines, from);
    let heading = j < lines.len() && lines::overview_heading(&lines[j].text);
    if heading {
        j += 1;
    }
    let mut found = Overview::default();
    let mut any = heading;
    loop {
        let k = skip_blank(lines, j);
        let Some(field) = lines.get(k).and_then(|l| lines::overview_label(&l.text)) else {
            break;
        };
        any = true;
        let (value, next) = overview_value(lines, k, compact);
        j = next;
        let value = Some(Sp::detached(Prose::detached(convert_markers(&value))));
        match field {
            OverviewField::Status => found.status = value,
            OverviewField::Legislation => found.legislation = value,
            OverviewField::Participation => found.participation = value,
            OverviewField::KeyDevelopments => found.key_developments = value,
        }
    }
    if any { (Some(found), j) } else { (None, from) }
}

/// The value of the overview label at line index `label`, and the index after it. The value
/// is the next line (blank for an empty value) on a compact page; on a spaced page, the next
/// non-blank line unless that starts something else.
fn overview_value(lines: &[Line], label: usize, compact: bool) -> (String, usize) {
    let v = if compact {
        label + 1
    } else {
        skip_blank(lines, label + 1)
    };
    match lines.get(v) {
        Some(l)
            if !l.is_blank()
                && lines::overview_label(&l.text).is_none()
                && !lines::known_heading(&l.text)
                && lines::footnote_line(&l.text).is_none() =>
        {
            (l.text.clone(), v + 1)
        }
        Some(l) if compact && l.is_blank() => (String::new(), v + 1),
        _ => (String::new(), label + 1),
    }
}

/// The page's body as read: summary, sections and footnotes, and where reading stopped.
struct Body {
    /// The label the summary was published under.
    summary_label: Option<String>,
    /// The summary's paragraphs.
    summary: Vec<String>,
    /// Titled (or untitled) sections with their paragraphs.
    sections: Vec<(String, Vec<String>)>,
    /// The footnote list.
    footnotes: Vec<Footnote>,
    /// Tables set one cell per line, each with the title of the section it follows.
    tables: Vec<(String, tables::FoundTable)>,
    /// Lines that looked like a table but did not fall into rows.
    warnings: Vec<String>,
    /// Where the last paragraph went.
    target: Target,
}

/// Assembles the body lines into summary, sections and footnotes.
fn assemble_body(lines: &[Line], compact: bool, last_content_no: usize) -> Body {
    let mut body = Body {
        summary_label: None,
        summary: Vec::new(),
        sections: Vec::new(),
        footnotes: Vec::new(),
        tables: Vec::new(),
        warnings: Vec::new(),
        target: Target::Start,
    };
    let mut blank_run = 0usize;
    let mut untitled_pending = false;
    let (found_tables, table_warnings) = tables::find_tables(lines);
    body.warnings = table_warnings;
    for line in lines {
        if line.is_blank() {
            blank_run += 1;
            continue;
        }
        let lost_heading = blank_run >= if compact { 1 } else { 3 };
        if lost_heading && !matches!(body.target, Target::Footnotes | Target::Start) {
            untitled_pending = true;
        }
        blank_run = 0;
        if let Some(t) = found_tables
            .iter()
            .find(|t| (t.first..=t.last).contains(&line.no))
        {
            if t.first == line.no {
                let section = body
                    .sections
                    .last()
                    .map(|s| s.0.clone())
                    .unwrap_or_default();
                body.tables.push((section, t.clone()));
            }
            continue;
        }
        if body.footnote(&line.text) || body.summary_start(&line.text) {
            continue;
        }
        let text = line.text.as_str();
        let is_last = line.no == last_content_no;
        if lines::heading_like(text) && (!is_last || lines::known_heading(text)) {
            body.sections.push((text.to_string(), Vec::new()));
            body.target = Target::Section;
            untitled_pending = false;
            continue;
        }
        let paragraph = convert_markers(text);
        if untitled_pending || body.target == Target::Start {
            body.sections.push((String::new(), vec![paragraph]));
            body.target = Target::Section;
            untitled_pending = false;
        } else if body.target == Target::Summary {
            body.summary.push(paragraph);
        } else if let Some(section) = body.sections.last_mut() {
            section.1.push(paragraph);
        }
    }
    body
}

impl Body {
    /// Takes a footnote line, or a paragraph of the footnote list; false for other lines.
    fn footnote(&mut self, text: &str) -> bool {
        if let Some((number, rest)) = lines::footnote_line(text) {
            self.target = Target::Footnotes;
            self.footnotes.push(Footnote {
                number,
                paragraphs: vec![convert_markers(rest)],
            });
            return true;
        }
        if self.target != Target::Footnotes {
            return false;
        }
        if let Some(last) = self.footnotes.last_mut() {
            last.paragraphs.push(convert_markers(text));
        }
        true
    }

    /// Takes the summary label line that opens the body; false for other lines.
    fn summary_start(&mut self, text: &str) -> bool {
        if self.target != Target::Start || !self.summary.is_empty() || !self.sections.is_empty() {
            return false;
        }
        let Some((label, rest)) = lines::summary_label(text) else {
            return false;
        };
        self.summary_label = Some(label);
        self.target = Target::Summary;
        if !rest.is_empty() {
            self.summary.push(convert_markers(&rest));
        }
        true
    }
}

/// What a cut-off text lost, as the record's `incomplete` note; `None` when it looks whole.
fn what_was_lost(body: &Body, has_overview: bool, last: &Line) -> Option<String> {
    let mut missing: Vec<String> = Vec::new();
    let last_is_heading = body
        .sections
        .last()
        .is_some_and(|(title, paras)| paras.is_empty() && !title.is_empty())
        && body.target == Target::Section;
    let only_header =
        body.summary.is_empty() && body.sections.is_empty() && body.footnotes.is_empty();
    if only_header && has_overview {
        missing.push("the sections after the overview".to_string());
    } else if only_header {
        missing.push("the text after the header".to_string());
    } else if last_is_heading {
        let title = body.sections.last().map_or("", |s| s.0.as_str());
        missing.push(format!("the text of the section “{title}”"));
    } else if !lines::ends_complete(&last.text) {
        missing.push(format!(
            "the rest of {}, which stops mid-sentence at “{}”",
            body.last_place(),
            tail_words(&last.text, 6)
        ));
    }
    missing.extend(unmatched_markers(body));
    (!missing.is_empty()).then(|| format!("cut off: missing {}", missing.join("; ")))
}

impl Body {
    /// Where the last line of the body went, for messages.
    fn last_place(&self) -> String {
        match self.target {
            Target::Footnotes => self
                .footnotes
                .last()
                .map(|f| format!("footnote [{}]", f.number))
                .unwrap_or_default(),
            Target::Summary => "the summary".to_string(),
            _ => match self.sections.last() {
                Some((title, _)) if !title.is_empty() => format!("the section “{title}”"),
                _ => "the text".to_string(),
            },
        }
    }
}

/// Footnote markers in the prose whose footnote text is missing, as a note.
fn unmatched_markers(body: &Body) -> Option<String> {
    let defined: BTreeSet<u32> = body.footnotes.iter().map(|f| f.number).collect();
    let referenced: BTreeSet<u32> = body
        .summary
        .iter()
        .chain(body.sections.iter().flat_map(|s| s.1.iter()))
        .flat_map(|p| Prose::detached(p.as_str()).markers())
        .filter_map(|m| m.key.strip_prefix('n').and_then(|n| n.parse().ok()))
        .collect();
    let unmatched: Vec<String> = referenced
        .difference(&defined)
        .map(|n| format!("[{n}]"))
        .collect();
    if unmatched.is_empty() {
        return None;
    }
    let list = unmatched.join(", ");
    Some(match (body.footnotes.is_empty(), unmatched.len()) {
        (true, _) => format!("the footnote list (markers {list} have no text)"),
        (false, 1) => format!("the text of footnote {list}"),
        (false, _) => format!("the text of footnotes {list}"),
    })
}

/// Whose record it is: country, code, topic and edition.
struct Identity {
    country: String,
    iso: String,
    topic: Topic,
    edition: i32,
}

/// Country, ISO code, topic and edition: as given, else as read, else inferred (with a note).
fn identify(
    options: &ImportOptions,
    header: &Header,
    report: &mut Report,
) -> Result<Identity, ImportError> {
    let name = options.source_name.as_deref().map(|n| {
        Path::new(n)
            .file_name()
            .map_or(n.to_string(), |f| f.to_string_lossy().into_owned())
    });
    let country = country(options, header, name.as_deref(), report)?;
    let iso = iso_code(options, &country, report)?;
    let topic = topic(options, header, name.as_deref(), report);
    let edition = edition(options, header, name.as_deref(), report)?;
    Ok(Identity {
        country,
        iso,
        topic,
        edition,
    })
}

/// The country: as given, as read from the country line, or named by the file name.
fn country(
    options: &ImportOptions,
    header: &Header,
    name: Option<&str>,
    report: &mut Report,
) -> Result<String, ImportError> {
    let country = match (&options.country, &header.country_line) {
        (Some(c), _) => c.trim().to_string(),
        (None, Some((c, _))) => c.clone(),
        (None, None) => {
            let Some(c) = name.and_then(country_from_name) else {
                return Err(ImportError::NoCountry {
                    file: options.file_label(),
                });
            };
            report
                .notes
                .push(format!("country “{c}” inferred from the file name"));
            c
        }
    };
    if country.is_empty() {
        return Err(ImportError::EmptyCountry {
            file: options.file_label(),
        });
    }
    Ok(country)
}

/// The area code: as given (checked), else the country table's ISO code, else (for an area
/// with no ISO 3166 code, such as Somaliland) the slug of its name, with a note.
fn iso_code(
    options: &ImportOptions,
    country: &str,
    report: &mut Report,
) -> Result<String, ImportError> {
    match &options.iso {
        Some(iso) if crate::record::is_area_code(iso) => Ok(iso.clone()),
        Some(iso) => Err(ImportError::AreaCode {
            file: options.file_label(),
            code: iso.clone(),
        }),
        None => Ok(crate::record::countries::lookup(country)
            .map(|(_, code)| code.to_string())
            .unwrap_or_else(|| {
                let slug = crate::record::slugify(country);
                report.notes.push(format!(
                    "no ISO 3166-1 code is known for “{country}”: its area code is the slug “{slug}” (--iso sets another)"
                ));
                slug
            })),
    }
}

/// The topic: as given, as read, named by the file name, or the default topic.
fn topic(
    options: &ImportOptions,
    header: &Header,
    name: Option<&str>,
    report: &mut Report,
) -> Topic {
    if let Some(t) = options.topic.or(header.topic) {
        return t;
    }
    let from_name = name.and_then(|n| {
        let slug = crate::record::slugify(n);
        Topic::ALL
            .iter()
            .copied()
            .filter(|t| slug.contains(t.keyword()))
            .max_by_key(|t| t.keyword().len())
    });
    if let Some(t) = from_name {
        report
            .notes
            .push(format!("topic “{}” inferred from the file name", t.label()));
        return t;
    }
    let t = Topic::ClusterMunitionBanPolicy;
    report
        .notes
        .push(format!("the text names no topic; assumed “{}”", t.label()));
    t
}

/// The edition: as given, the year in the file name, or the year of "Last updated".
fn edition(
    options: &ImportOptions,
    header: &Header,
    name: Option<&str>,
    report: &mut Report,
) -> Result<i32, ImportError> {
    let edition = if let Some(e) = options.edition {
        e
    } else if let Some(y) = name.and_then(lines::year_in_name) {
        report
            .notes
            .push(format!("edition {y} inferred from the file name"));
        y
    } else if let Some(d) = header.last_updated {
        let y = chrono::Datelike::year(&d.0);
        report
            .notes
            .push(format!("edition {y} inferred from the “Last updated” date"));
        y
    } else {
        return Err(ImportError::NoEdition {
            file: options.file_label(),
        });
    };
    if !(1900..=2200).contains(&edition) {
        return Err(ImportError::ImplausibleEdition {
            file: options.file_label(),
            edition,
        });
    }
    Ok(edition)
}

/// The citations table: `[3]` becomes `n3`; a number published twice gets `n3-2`, `n3-3`...
fn citations(footnotes: &[Footnote]) -> Vec<Citation> {
    let mut citations = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for f in footnotes {
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
    citations
}

/// The record of the page.
fn build_record(
    identity: &Identity,
    header: &Header,
    overview: Option<Overview>,
    body: Body,
    incomplete: Option<String>,
) -> Record {
    let prose = |paragraphs: &[String]| {
        let mut text = paragraphs.join("\n\n");
        text.push('\n');
        Sp::detached(Prose::detached(text))
    };
    Record {
        path: Default::default(),
        source: Arc::from(""),
        country: Sp::detached(identity.country.clone()),
        iso: Sp::detached(identity.iso.clone()),
        topic: Sp::detached(identity.topic),
        edition: Sp::detached(identity.edition),
        last_updated: header.last_updated.map(Sp::detached),
        needs_review: None,
        incomplete: incomplete.map(Sp::detached),
        status: None,
        treaties: None,
        overview,
        meetings: Vec::new(),
        votes: Vec::new(),
        conduct: None,
        summary_label: body
            .summary_label
            .filter(|l| l != "Summary")
            .map(Sp::detached),
        summary: (!body.summary.is_empty()).then(|| prose(&body.summary)),
        sections: body
            .sections
            .iter()
            .map(|(title, paras)| Section {
                title: Sp::detached(title.clone()),
                text: prose(paras),
            })
            .collect(),
        clearance: None,
        article7: None,
        tables: body
            .tables
            .iter()
            .enumerate()
            .map(|(n, (section, t))| tables::to_table(t, section, n + 1))
            .collect(),
        citations: citations(&body.footnotes),
        suppress: Vec::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> Imported {
        let options = ImportOptions {
            edition: Some(2013),
            iso: Some("XE".into()),
            ..ImportOptions::default()
        };
        import_text(text, &options).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_narrative_report_becomes_untitled_prose_with_its_footnotes() {
        let page = "Westmark\n\nWestmark signed the convention in 2008.[1] It has not ratified it.\n\n\
                    [1] Statement of Westmark, Oslo, 3 December 2008.\n";
        let imported = import(page);
        assert_eq!(imported.generation, Generation::A);
        let record = &imported.record;
        assert_eq!(record.country.value, "Westmark");
        assert!(record.summary.is_none());
        assert_eq!(record.sections.len(), 1);
        assert_eq!(record.sections[0].title.value, "");
        assert!(
            record.sections[0].text.text.contains("2008.[^n1] It has"),
            "{}",
            record.sections[0].text.text
        );
        assert_eq!(record.citations.len(), 1);
        assert_eq!(record.citations[0].key.value, "n1");
        assert!(record.incomplete.is_none());
    }

    #[test]
    fn an_overview_block_keeps_each_value_under_its_label() {
        let page = "Westmark\nLast Updated: 4 September 2013\nCluster Munition Ban Policy\n\
                    Convention on Cluster Munitions status\nSignatory\n\
                    Key developments\nA bill went to parliament.[1]\n\
                    Policy\nWestmark signed in 2008.\n[1] Letter to the Monitor, 2013.\n";
        let imported = import(page);
        assert_eq!(imported.generation, Generation::B);
        let overview = imported.record.overview.as_ref().expect("an overview");
        assert_eq!(
            overview.status.as_ref().map(|p| p.text.as_str()),
            Some("Signatory")
        );
        assert_eq!(
            overview.key_developments.as_ref().map(|p| p.text.as_str()),
            Some("A bill went to parliament.[^n1]")
        );
        assert!(overview.participation.is_none());
        assert_eq!(imported.record.sections[0].title.value, "Policy");
    }

    #[test]
    fn a_summary_page_keeps_its_label_and_reports_a_cut() {
        let page = "Westmark\nCluster Munition Ban Policy\nLast updated: 1 August 2016\n\
                    Five-Year Summary: Westmark acceded in 2011.[1]\n\
                    Policy\nWestmark took part in the meeting\n";
        let imported = import(page);
        assert_eq!(imported.generation, Generation::C);
        let record = &imported.record;
        assert_eq!(
            record.summary_label.as_ref().map(|l| l.value.as_str()),
            Some("Five-Year Summary")
        );
        assert_eq!(
            record.summary.as_ref().map(|p| p.text.as_str()),
            Some("Westmark acceded in 2011.[^n1]\n")
        );
        let incomplete = record.incomplete.as_ref().expect("marked incomplete");
        assert!(
            incomplete.contains("the section “Policy”"),
            "{}",
            incomplete.value
        );
        assert!(
            incomplete.contains("the footnote list"),
            "{}",
            incomplete.value
        );
    }

    #[test]
    fn each_failure_is_its_own_error_naming_the_file() {
        let named = |name: &str| ImportOptions {
            source_name: Some(name.into()),
            ..ImportOptions::default()
        };
        let page = "Westmark\n\nWestmark signed the convention in 2008.\n";
        let empty = import_text(" \n\n", &named("blank.txt"));
        assert!(
            matches!(&empty, Err(ImportError::Empty { file }) if file == "blank.txt"),
            "{empty:?}"
        );
        let no_edition = import_text(page, &named("westmark.txt"));
        assert!(
            matches!(no_edition, Err(ImportError::NoEdition { .. })),
            "{no_edition:?}"
        );
        let early = ImportOptions {
            edition: Some(1492),
            ..named("westmark.txt")
        };
        let implausible = import_text(page, &early);
        assert!(
            matches!(
                implausible,
                Err(ImportError::ImplausibleEdition { edition: 1492, .. })
            ),
            "{implausible:?}"
        );
        let bad_code = ImportOptions {
            iso: Some("not a code!".into()),
            edition: Some(2013),
            ..named("westmark.txt")
        };
        let area = import_text(page, &bad_code);
        assert!(
            matches!(&area, Err(ImportError::AreaCode { code, .. }) if code == "not a code!"),
            "{area:?}"
        );
        let message = import_text(page, &named("westmark.txt"))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some(
                "westmark.txt: cannot tell the edition: no year in the file name and no “Last updated” date"
            )
        );
    }
}
