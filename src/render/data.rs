//! Records as template data: typed structs, written as the JSON each Typst template reads
//! with `json(...)`. `templates/DATA.md` lists every field a template may use.
//!
//! Prose arrives in the template as segments of literal text, never as markup, so nothing a
//! record says can be evaluated by Typst.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::record::prose::{Paragraph, Segment as ProseSegment};
use crate::record::{Prose, Record, Topic, VoteCast, monitor_of};
use crate::registry::Registry;
use crate::typography::{Language, typeset_segments};

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

/// A stable, file-name-safe id for the record within a book: `2022-kyrgyzstan`.
pub fn record_id(record: &Record) -> String {
    format!(
        "{}-{}",
        record.edition.value,
        record.slug().replace('.', "-")
    )
}

/// A document date, as the templates' `metadata-date` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocDate {
    /// Day of the month, 1 to 31.
    pub day: u8,
    /// Month, 1 to 12.
    pub month: u8,
    /// Year.
    pub year: i32,
}

impl DocDate {
    /// The date as `(year, month, day)`, the order PDF metadata takes.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }
}

/// What `templates/profile.typ` receives (fields in the order they are written; see
/// `templates/DATA.md`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProfileData {
    /// PDF author metadata.
    pub author: String,
    /// Country name.
    pub country: String,
    /// Document date: "Last updated", else 1 January of the edition year.
    pub date: DocDate,
    /// Edition year.
    pub edition: i32,
    /// Facts panel rows: label and value.
    pub facts: Vec<(String, String)>,
    /// Stable id within a book, `2022-kyrgyzstan`.
    pub id: String,
    /// Why the record is incomplete, when it is.
    pub incomplete: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub iso: String,
    /// "Last updated" as `YYYY-MM-DD`, when the record has one.
    pub last_updated: Option<String>,
    /// Meetings, in date order.
    pub meetings: Vec<MeetingRow>,
    /// Why the record needs review, when it does.
    pub needs_review: Option<String>,
    /// Votes on resolutions other than the annual one, in record order.
    pub other_votes: Vec<OtherVote>,
    /// Paper size, as Typst names it.
    pub paper: String,
    /// The record's sections, in order.
    pub sections: Vec<SectionData>,
    /// The summary's paragraphs (empty when there is no summary).
    pub summary: Vec<Vec<Segment>>,
    /// Tables of figures that follow no section, printed after the last one.
    pub tables: Vec<TableData>,
    /// PDF title, `Kyrgyzstan: Cluster Munition Ban Policy (2022)`.
    pub title: String,
    /// Topic label.
    pub topic: String,
    /// Votes on the annual resolution, by year.
    pub votes: Vec<AnnualVote>,
    /// The treaty the annual resolution is about: `Mine Ban Treaty`.
    pub votes_treaty: String,
}

/// A piece of prose: literal text, italic text or a citation marker with its footnote.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Segment {
    /// Literal text.
    Text {
        /// The text, printed as written.
        text: String,
    },
    /// Italic text (a publication title).
    Italic {
        /// The text, printed as written in italics.
        italic: String,
    },
    /// A citation marker.
    Cite {
        /// The citation key.
        cite: String,
        /// Whether this is the key's first marker in the profile (it carries the footnote).
        first: bool,
        /// The footnote's number in the profile: its key's place among the profile's keys in
        /// print order, from 1 (a later marker of the key prints the same number).
        number: usize,
        /// The footnote's text: literal and italic segments.
        note: Vec<Segment>,
    },
}

/// One table of figures, for `tables.typ`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableData {
    /// Its columns, left to right.
    pub columns: Vec<ColumnData>,
    /// Footnotes on a row or cell the table does not have, as text: "row, column: note".
    pub notes: Vec<String>,
    /// Its rows.
    pub rows: Vec<RowData>,
    /// Its caption.
    pub title: String,
}

/// One column of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnData {
    /// Heading.
    pub name: String,
    /// Whether every cell below it is a figure (or a dash): aligned right.
    pub numeric: bool,
    /// Unit of its figures ("" for none).
    pub unit: String,
}

/// One row of a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowData {
    /// Its cells as printed.
    pub cells: Vec<String>,
    /// The footnote markers after each cell (one list per cell, of citation segments): a
    /// note on the whole row follows its first cell.
    pub marks: Vec<Vec<Segment>>,
    /// Whether it is the total row (set in bold).
    pub total: bool,
}

/// A data table for `tables.typ`: columns with their unit and whether they hold figures,
/// rows with whether they are the total row and the footnote markers of their cells, and the
/// notes that name no row or cell of the table as text.
fn table_data(
    table: &crate::record::Table,
    record: &Record,
    footnotes: &mut FootnoteState,
) -> TableData {
    use crate::record::table::figure;
    let columns = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| ColumnData {
            name: c.value.clone(),
            numeric: i > 0
                && table
                    .rows
                    .iter()
                    .filter_map(|r| r.value.get(i))
                    .all(|c| figure(&c.value).is_some() || is_blank_figure(&c.value)),
            unit: table.unit(i).unwrap_or("").to_string(),
        })
        .collect();
    let mut placed = vec![false; table.notes.len()];
    let mut rows = Vec::with_capacity(table.rows.len());
    for r in &table.rows {
        let name = r.value.first().map_or("", |c| c.value.trim());
        // The row's notes by cell, left to right (the order their numbers print in).
        let mut noted = Vec::new();
        for (n, note) in table.notes.iter().enumerate() {
            if !note.row.value.trim().eq_ignore_ascii_case(name) {
                continue;
            }
            let cell = match &note.column {
                Some(c) => table.column(&c.value),
                None => Some(0),
            };
            if let Some(cell) = cell.filter(|&i| i < r.value.len()) {
                noted.push((cell, &note.source.value));
                placed[n] = true;
            }
        }
        noted.sort_by_key(|&(cell, _)| cell);
        let mut marks = vec![Vec::new(); r.value.len()];
        for (cell, key) in noted {
            marks[cell].push(cite(key, record, footnotes));
        }
        rows.push(RowData {
            cells: r.value.iter().map(|c| c.value.clone()).collect(),
            marks,
            total: crate::record::Table::is_total(&r.value),
        });
    }
    let notes = table
        .notes
        .iter()
        .zip(&placed)
        .filter(|(_, placed)| !**placed)
        .map(|(n, _)| {
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
    TableData {
        columns,
        notes,
        rows,
        title: table.title.value.clone(),
    }
}

/// A cell that stands for no figure: empty, or a dash.
fn is_blank_figure(cell: &str) -> bool {
    matches!(cell.trim(), "" | "–" | "—" | "-")
}

/// One section of a profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionData {
    /// Its paragraphs.
    pub paragraphs: Vec<Vec<Segment>>,
    /// The tables printed after its paragraphs, in record order (a table naming a title two
    /// sections share follows the first of them).
    pub tables: Vec<TableData>,
    /// Its heading (empty for none).
    pub title: String,
}

/// One row of the attendance table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeetingRow {
    /// The meeting's name (the record's id when the registry does not know it).
    pub name: String,
    /// Where it was held (empty when the registry does not know the meeting).
    pub place: String,
    /// Whether the country took part.
    pub present: bool,
    /// The country's role, as printed.
    pub role: String,
    /// When it was held, `September 2013` (empty when the registry does not know it).
    pub when: String,
}

/// A vote on the annual resolution.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnnualVote {
    /// The vote, as printed.
    pub label: String,
    /// The resolution's number, when the registry has one for the year.
    pub resolution: Option<String>,
    /// The vote's keyword (`yes`, `no`, `abstain`, `absent`), for its colour.
    pub vote: String,
    /// The year.
    pub year: i32,
}

/// A vote on another resolution.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherVote {
    /// Whether the vote was yes.
    pub in_favour: bool,
    /// The resolution's id.
    pub resolution: String,
    /// Its title (empty when the registry does not know it).
    pub title: String,
    /// The vote, as printed.
    pub vote: String,
    /// The year it was adopted, when the registry knows it.
    pub year: Option<i32>,
}

/// What `templates/book.typ` receives: an edition's front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookData {
    /// PDF author metadata.
    pub author: String,
    /// The latest profile's date.
    pub date: DocDate,
    /// Edition year.
    pub edition: i32,
    /// One contents entry per part, in book order: a profile, or the title page of a topic's
    /// section when the book holds several topics.
    pub entries: Vec<BookEntry>,
    /// Paper size, as Typst names it.
    pub paper: String,
    /// PDF title.
    pub title: String,
    /// The topics the book holds, in book order (labels).
    pub topics: Vec<String>,
}

/// A contents entry of the book.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookEntry {
    /// Country name.
    pub country: String,
    /// The profile's id.
    pub id: String,
    /// The book page the profile starts on; absent until the page counts are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// What the contents entry links to: a stand-in for the part's first page, which the
    /// book's links are led to when it is joined; absent until the page counts are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Whether the entry is a section's title page (its `country` is empty) rather than a
    /// profile.
    pub section: bool,
    /// Topic label.
    pub topic: String,
}

/// What `book.typ`'s `book-section` receives: the title page of one topic's section of a
/// book.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionPageData {
    /// PDF author metadata.
    pub author: String,
    /// The book's date.
    pub date: DocDate,
    /// Edition year.
    pub edition: i32,
    /// Profiles in the section.
    pub profiles: usize,
    /// Paper size, as Typst names it.
    pub paper: String,
    /// The section's topic label, its title.
    pub title: String,
}

/// What `templates/folios.typ` receives: one page per folio.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FolioData {
    /// The folios, one per page.
    pub folios: Vec<Folio>,
    /// Paper size, as Typst names it.
    pub paper: String,
}

/// One page number and where it sits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Folio {
    /// Where on the page.
    pub side: Side,
    /// The text, `3` or `1 / 4`.
    pub text: String,
}

/// What `templates/folios.typ`'s `head-sheet` receives: one page per running head.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeadData {
    /// The running heads, one per page.
    pub heads: Vec<RunningHead>,
    /// Paper size, as Typst names it.
    pub paper: String,
}

/// The running head of a profile's pages after its first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunningHead {
    /// Country name.
    pub country: String,
    /// Topic label.
    pub topic: String,
    /// Edition year.
    pub edition: i32,
}

impl RunningHead {
    /// The running head of a profile.
    pub fn of(profile: &ProfileData) -> Self {
        Self {
            country: profile.country.clone(),
            topic: profile.topic.clone(),
            edition: profile.edition,
        }
    }
}

/// Where a page number sits: outside edge of a book page, or centred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Left-hand page: bottom left.
    Left,
    /// Right-hand page: bottom right.
    Right,
    /// A standalone profile: bottom centre.
    Center,
}

/// The template data for one profile.
pub fn profile_data(record: &Record, registry: &Registry, paper: Paper) -> ProfileData {
    let id = record_id(record);
    let mut footnotes = FootnoteState::default();
    let summary = record
        .summary
        .as_ref()
        .map(|p| paragraphs(&p.value, record, &mut footnotes))
        .unwrap_or_default();
    // Sections and tables in print order (each table after its section, the others at the
    // end), so the first marker of each citation carries its footnote and the numbers run
    // in the order they print.
    let mut sections = Vec::with_capacity(record.sections.len());
    let mut printed = vec![false; record.tables.len()];
    for s in &record.sections {
        let paragraphs = paragraphs(&s.text.value, record, &mut footnotes);
        let mut tables = Vec::new();
        for (i, t) in record.tables.iter().enumerate() {
            if !printed[i] && t.section.as_ref().is_some_and(|t| t.value == s.title.value) {
                printed[i] = true;
                tables.push(table_data(t, record, &mut footnotes));
            }
        }
        sections.push(SectionData {
            paragraphs,
            tables,
            title: s.title.value.clone(),
        });
    }
    let tables = record
        .tables
        .iter()
        .zip(&printed)
        .filter(|(_, printed)| !**printed)
        .map(|(t, _)| table_data(t, record, &mut footnotes))
        .collect();
    let title = format!(
        "{}: {} ({})",
        record.country.value,
        record.topic.label(),
        record.edition.value
    );
    ProfileData {
        id,
        title,
        author: record.topic.value.monitor().to_string(),
        country: record.country.value.clone(),
        iso: record.iso.value.clone(),
        topic: record.topic.label().to_string(),
        edition: record.edition.value,
        paper: paper.typst_name().to_string(),
        last_updated: record.last_updated.as_ref().map(|d| d.value.to_string()),
        date: record_date(record),
        needs_review: record.needs_review.as_ref().map(|s| s.value.clone()),
        incomplete: record.incomplete.as_ref().map(|s| s.value.clone()),
        facts: facts_panel(record, registry),
        meetings: meetings(record, registry),
        votes: annual_votes(record, registry),
        votes_treaty: crate::registry::record_treaty(record).label().to_string(),
        other_votes: other_votes(record, registry),
        summary,
        sections,
        tables,
    }
}

/// The template data for an edition's front matter: title, date and one contents entry per
/// part, in order: the profiles (given in book order, a topic's together), each topic's
/// preceded by its section's title page when there are several topics. Each entry's `page`
/// (where the part starts) is filled in once the parts' page counts are known. `None` for an
/// edition without profiles.
pub fn book_data(edition: i32, profiles: &[ProfileData], paper: Paper) -> Option<BookData> {
    let date = profiles.iter().map(|p| p.date).max_by_key(|d| d.ymd())?;
    let mut topics: Vec<String> = profiles.iter().map(|p| p.topic.clone()).collect();
    topics.dedup();
    let mut entries = Vec::new();
    for p in profiles {
        let opens_section = entries
            .last()
            .is_none_or(|e: &BookEntry| e.topic != p.topic);
        if topics.len() > 1 && opens_section {
            entries.push(BookEntry {
                id: section_id(edition, &p.topic),
                country: String::new(),
                topic: p.topic.clone(),
                page: None,
                link: None,
                section: true,
            });
        }
        entries.push(BookEntry {
            id: p.id.clone(),
            country: p.country.clone(),
            topic: p.topic.clone(),
            page: None,
            link: None,
            section: false,
        });
    }
    let title = match topics.as_slice() {
        [one] => format!("{one}: Country Profiles {edition}"),
        _ => format!("Country Profiles {edition}"),
    };
    let author = monitor_of(topics.iter().filter_map(|t| Topic::from_label(t)));
    Some(BookData {
        title,
        author: author.to_string(),
        edition,
        paper: paper.typst_name().to_string(),
        date,
        entries,
        topics,
    })
}

/// The id of a topic's section in an edition's book: `section-2023-mine-action`.
fn section_id(edition: i32, topic: &str) -> String {
    format!("section-{edition}-{}", crate::record::slugify(topic))
}

/// The template data of the title page of each section of a book, with the entry it stands
/// for (by id).
pub fn section_pages(front: &BookData, paper: Paper) -> Vec<(String, SectionPageData)> {
    front
        .entries
        .iter()
        .filter(|e| e.section)
        .map(|e| {
            let profiles = front
                .entries
                .iter()
                .filter(|p| !p.section && p.topic == e.topic)
                .count();
            let data = SectionPageData {
                author: monitor_of(Topic::from_label(&e.topic)).to_string(),
                date: front.date,
                edition: front.edition,
                profiles,
                paper: paper.typst_name().to_string(),
                title: e.topic.clone(),
            };
            (e.id.clone(), data)
        })
        .collect()
}

/// The template data for a folio sheet: one page per folio.
pub fn folio_data(folios: Vec<Folio>, paper: Paper) -> FolioData {
    FolioData {
        paper: paper.typst_name().to_string(),
        folios,
    }
}

/// The template data for a sheet of running heads: one page per head.
pub fn head_data(heads: Vec<RunningHead>, paper: Paper) -> HeadData {
    HeadData {
        paper: paper.typst_name().to_string(),
        heads,
    }
}

/// The document date of a record's PDF: its last-updated date, or 1 January of its edition
/// year when it has none (never the clock; PDF/A needs a date).
pub fn record_date(record: &Record) -> DocDate {
    use chrono::Datelike;
    match &record.last_updated {
        Some(d) => DocDate {
            year: d.value.0.year(),
            month: d.value.0.month() as u8,
            day: d.value.0.day() as u8,
        },
        None => DocDate {
            year: record.edition.value,
            month: 1,
            day: 1,
        },
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

/// Every string in a JSON value, joined by spaces (for glyph coverage checks).
pub fn plain_strings(value: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(s);
                out.push(' ');
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(map) => map.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(value, &mut out);
    out
}

/// Which citation keys have already had their footnote in this profile.
#[derive(Default)]
struct FootnoteState {
    seen: Vec<String>,
}

fn paragraphs(prose: &Prose, record: &Record, footnotes: &mut FootnoteState) -> Vec<Vec<Segment>> {
    prose
        .paragraphs()
        .iter()
        .map(|p| paragraph(p, record, footnotes))
        .collect()
}

/// The language of the printed text, as the templates set it (`style.typ`): its quotation
/// marks are the ones prose gets.
const PRINT_LANGUAGE: Language = Language::English;

fn paragraph(p: &Paragraph, record: &Record, footnotes: &mut FootnoteState) -> Vec<Segment> {
    typeset_segments(&p.segments, PRINT_LANGUAGE)
        .iter()
        .map(|s| match s {
            ProseSegment::Text(t) => Segment::Text { text: t.clone() },
            ProseSegment::Italic(t) => Segment::Italic { italic: t.clone() },
            ProseSegment::Cite(key) => cite(key, record, footnotes),
        })
        .collect()
}

/// A citation marker: the first of its key in the profile carries the footnote. Markers
/// are made in print order, which numbers the footnotes.
fn cite(key: &str, record: &Record, footnotes: &mut FootnoteState) -> Segment {
    let (first, number) = match footnotes.seen.iter().position(|k| k == key) {
        Some(i) => (false, i + 1),
        None => {
            footnotes.seen.push(key.to_string());
            (true, footnotes.seen.len())
        }
    };
    let note = match record.citation(key) {
        Some(c) => note_segments(&c.text.value),
        None => vec![Segment::Text {
            text: format!("[missing citation: {key}]"),
        }],
    };
    Segment::Cite {
        cite: key.to_string(),
        first,
        number,
        note,
    }
}

/// Footnote text: literal text and italics; a marker inside a footnote prints as written.
fn note_segments(prose: &Prose) -> Vec<Segment> {
    let mut out = Vec::new();
    for (i, p) in prose.paragraphs().iter().enumerate() {
        if i > 0 {
            out.push(Segment::Text { text: " ".into() });
        }
        for s in &typeset_segments(&p.segments, PRINT_LANGUAGE) {
            out.push(match s {
                ProseSegment::Text(t) => Segment::Text { text: t.clone() },
                ProseSegment::Italic(t) => Segment::Italic { italic: t.clone() },
                ProseSegment::Cite(k) => Segment::Text {
                    text: format!("[^{k}]"),
                },
            });
        }
    }
    out
}

fn facts_panel(record: &Record, registry: &Registry) -> Vec<(String, String)> {
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
        // A mine topic's own status row already says where it stands on the Mine Ban Treaty.
        let said = record
            .status
            .as_ref()
            .filter(|_| {
                crate::registry::record_treaty(record) == crate::registry::TreatyId::MineBanTreaty
            })
            .map(|status| status.convention.label());
        if let Some(s) = t
            .mine_ban_treaty
            .as_ref()
            .filter(|s| said != Some(s.label()))
        {
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
    if let Some(c) = &record.clearance {
        rows.extend(clearance_rows(c));
    }
    if let Some(a) = &record.article7 {
        rows.extend(article7_rows(a));
    }
    rows
}

/// Mine Ban Policy's key facts on transparency: the latest Article 7 report and the years
/// the reports listed cover.
fn article7_rows(a: &crate::record::Article7) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let latest = a.last_submitted.as_ref().map(|d| d.value).or_else(|| {
        a.reports
            .iter()
            .filter_map(|r| r.submitted.as_ref().map(|s| s.value))
            .max()
    });
    if let Some(d) = latest {
        rows.push(("Latest Article 7 report".into(), d.to_string()));
    }
    if !a.reports.is_empty() {
        let years: Vec<String> = a
            .reports
            .iter()
            .map(|r| r.covers.value.to_string())
            .collect();
        rows.push(("Article 7 reports for".into(), years.join(", ")));
    }
    rows
}

/// Mine Action's key facts: the Article 5 deadline, its extensions and whether the state is
/// on track.
fn clearance_rows(c: &crate::record::Clearance) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Some(d) = &c.deadline {
        rows.push(("Article 5 deadline".into(), d.value.to_string()));
    }
    if !c.extensions.is_empty() {
        let n = c.extensions.len();
        let original = c
            .original_deadline
            .as_ref()
            .map(|d| format!(" (originally {})", d.value))
            .unwrap_or_default();
        let times = if n == 1 { "once" } else { "times" };
        let count = if n == 1 {
            String::new()
        } else {
            format!("{n} ")
        };
        rows.push((
            "Extensions".into(),
            format!("extended {count}{times}{original}"),
        ));
    }
    if let Some(on_track) = &c.on_track {
        let judged = if on_track.value { "Yes" } else { "No" };
        rows.push(("On track to meet the deadline".into(), judged.into()));
    }
    if let Some(d) = &c.cluster_munition_deadline {
        rows.push((
            "Convention on Cluster Munitions Article 4 deadline".into(),
            d.value.to_string(),
        ));
    }
    if let Some(extent) = &c.extent {
        rows.push(("Extent of contamination".into(), extent.value.clone()));
    }
    rows
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

fn meetings(record: &Record, registry: &Registry) -> Vec<MeetingRow> {
    let mut rows: Vec<(chrono::NaiveDate, MeetingRow)> = record
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
                    format!(
                        "{} (part {})",
                        m.name,
                        a.part.as_ref().map_or(1, |p| p.value)
                    ),
                    s.start.format("%B %Y").to_string(),
                    s.place.clone(),
                    s.start,
                ),
                (Some(m), None) => (
                    m.name.clone(),
                    m.sessions
                        .iter()
                        .map(|s| s.start.format("%B %Y").to_string())
                        .collect::<Vec<_>>()
                        .join(" and "),
                    m.sessions
                        .first()
                        .map(|s| s.place.clone())
                        .unwrap_or_default(),
                    m.start(),
                ),
                (None, _) => (
                    a.meeting.value.clone(),
                    String::new(),
                    String::new(),
                    chrono::NaiveDate::MAX,
                ),
            };
            let row = MeetingRow {
                name,
                when,
                place,
                role: a.role.label().to_string(),
                present: a.role.present(),
            };
            (sort, row)
        })
        .collect();
    rows.sort_by_key(|(d, _)| *d);
    rows.into_iter().map(|(_, v)| v).collect()
}

fn annual_votes(record: &Record, registry: &Registry) -> Vec<AnnualVote> {
    let mut votes: Vec<(i32, AnnualVote)> = record
        .votes
        .iter()
        .filter(|v| v.resolution.is_none())
        .filter_map(|v| {
            let year = v.year.as_ref()?.value;
            let number = registry
                .annual_resolution(crate::registry::record_treaty(record), year)
                .and_then(|r| r.number.clone());
            let vote = AnnualVote {
                year,
                vote: v.vote.keyword().to_string(),
                label: v.vote.label().to_string(),
                resolution: number,
            };
            Some((year, vote))
        })
        .collect();
    votes.sort_by_key(|(y, _)| *y);
    votes.into_iter().map(|(_, v)| v).collect()
}

fn other_votes(record: &Record, registry: &Registry) -> Vec<OtherVote> {
    record
        .votes
        .iter()
        .filter_map(|v| {
            let id = v.resolution.as_ref()?;
            let res = registry.resolution(&id.value);
            Some(OtherVote {
                resolution: id.value.clone(),
                title: res.map(|r| r.title.clone()).unwrap_or_default(),
                year: res.map(|r| r.adopted.year()),
                vote: v.vote.label().to_string(),
                in_favour: v.vote.value == VoteCast::Yes,
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use serde_json::Value;

    use super::{
        BookData, Folio, FolioData, ProfileData, RunningHead, Side, book_data, head_data,
        profile_data,
    };
    use crate::record::load_record;
    use crate::registry::Registry;

    /// Every key of every object in `value`.
    fn keys(value: &Value, into: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    into.insert(key.clone());
                    keys(v, into);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, into)),
            _ => {}
        }
    }

    /// The template data of every sample record of `edition`, in file name order.
    pub(crate) fn sample_profiles(edition: &str) -> Vec<ProfileData> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let registry = Registry::load(&root.join("checks")).expect("the sample registries");
        let mut files: Vec<_> = std::fs::read_dir(root.join("profiles").join(edition))
            .expect("the sample edition")
            .map(|e| e.expect("an entry").path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| load_record(f).expect("a sample record"))
            .map(|r| profile_data(&r, &registry, super::Paper::A4))
            .collect()
    }

    #[test]
    fn every_field_the_templates_receive_is_documented() {
        let contract = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/DATA.md"),
        )
        .expect("templates/DATA.md");
        let profiles = sample_profiles("2022");
        let mut book: BookData = book_data(2022, &profiles, super::Paper::A4).expect("a book");
        book.entries[0].page = Some("1".into());
        let folios = FolioData {
            paper: "a4".into(),
            folios: vec![Folio {
                side: Side::Left,
                text: "2".into(),
            }],
        };
        let mut found = BTreeSet::new();
        for profile in &profiles {
            keys(&serde_json::to_value(profile).unwrap(), &mut found);
        }
        keys(&serde_json::to_value(&book).unwrap(), &mut found);
        keys(&serde_json::to_value(&folios).unwrap(), &mut found);
        let heads = head_data(vec![RunningHead::of(&profiles[0])], super::Paper::A4);
        keys(&serde_json::to_value(&heads).unwrap(), &mut found);
        assert!(found.contains("cite"), "the samples cite sources");
        let undocumented: Vec<&String> = found
            .iter()
            .filter(|key| {
                !contract.contains(&format!("`{key}`"))
                    && !contract.contains(&format!("({key}:"))
                    && !contract.contains(&format!(", {key}:"))
            })
            .collect();
        assert!(
            undocumented.is_empty(),
            "not in templates/DATA.md: {undocumented:?}"
        );
    }

    #[test]
    fn a_mine_topic_says_its_mine_ban_treaty_standing_once() {
        let profiles = sample_profiles("2023");
        let labels = |topic: &str| -> Vec<String> {
            profiles
                .iter()
                .find(|p| p.topic == topic)
                .map(|p| p.facts.iter().map(|(what, _)| what.clone()).collect())
                .unwrap_or_else(|| panic!("a {topic} sample"))
        };
        let mine_ban = labels("Mine Ban Policy");
        assert!(
            mine_ban.contains(&"Mine Ban Treaty status".to_string()),
            "{mine_ban:?}"
        );
        assert!(
            !mine_ban.contains(&"Mine Ban Treaty".to_string()),
            "{mine_ban:?}"
        );
        // A cluster munition profile's row on the Mine Ban Treaty stays.
        let cluster = labels("Cluster Munition Ban Policy");
        assert!(
            cluster.contains(&"Mine Ban Treaty".to_string()),
            "{cluster:?}"
        );
    }
}
