//! A sentence contradicted by the footnote that supports it (catalogue A8). Only clear
//! patterns: a denial of any statement or attendance whose own footnote is a statement, a
//! letter or an attendance record; a dated letter or statement whose footnote is a document
//! of the same kind dated differently. A footnote of another kind (a later report about the
//! event) is never compared. And one footnote carrying two events: a single marker after a
//! sentence naming two meetings or two documents whose footnote names only one of them.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Label};
use crate::facts::claims::sentences;
use crate::record::{Citation, Prose, Sp, month_number};

/// The text a marker supports: from the previous marker (or the paragraph's start) to it.
struct Supported<'a> {
    text: &'a str,
    /// Offset of `text` in the prose.
    at: usize,
    citation: &'a Citation,
    prose: &'a Prose,
}

fn supported<'a>(ctx: &'a Ctx<'_>) -> Vec<Supported<'a>> {
    let mut out = Vec::new();
    for (_, block) in ctx.record.prose_blocks() {
        let prose: &Sp<Prose> = block;
        let text = &prose.value.text;
        for paragraph in crate::record::prose::paragraph_ranges(text) {
            let mut from = paragraph.start;
            for marker in prose.value.markers() {
                if marker.range.start < paragraph.start || marker.range.end > paragraph.end {
                    continue;
                }
                if let Some(citation) = ctx.record.citation(&marker.key) {
                    out.push(Supported {
                        text: &text[from..marker.range.start],
                        at: from,
                        citation,
                        prose: &prose.value,
                    });
                }
                from = marker.range.end;
            }
        }
    }
    out
}

impl Supported<'_> {
    fn span(&self, range: Range<usize>) -> Range<usize> {
        self.prose
            .source_range(self.at + range.start..self.at + range.end)
    }
}

static NEVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhas never (?:(?P<comment>commented|made (?:a|any) (?:public )?statement|spoken|expressed (?:its|a) (?:view|position))|(?P<attend>attended|participated in|taken part in))\b")
        .expect("valid regex")
});
static STATEMENT_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*(?:(?:Statement (?:of|by)|Letter (?:from|of)|Note verbale|Email from|Response (?:of|by|from)|Interview with)\b|Letter No\.)")
        .expect("valid regex")
});
static ATTENDANCE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*(?:Statement (?:of|by)|List of participants|.*\bdelegation (?:of|from)\b.*\battended\b)")
        .expect("valid regex")
});

/// DOS110: a sentence and the footnote it cites disagree.
pub fn contradicted(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for s in supported(ctx) {
        let note = &s.citation.text.value.text;
        if let Some(caps) = NEVER.captures(s.text) {
            let Some(m) = caps.get(0) else { continue };
            let contradicts = if caps.name("comment").is_some() {
                STATEMENT_NOTE.is_match(note)
            } else {
                ATTENDANCE_NOTE.is_match(note)
            };
            if contradicts {
                out.push(denial(&s, m.range(), m.as_str()));
            }
        }
        out.extend(dated_document(&s));
    }
    out
}

fn denial(s: &Supported<'_>, range: Range<usize>, said: &str) -> Draft {
    Draft::new(
        format!(
            "the sentence says it \"{said}\", but its footnote `{}` records one",
            s.citation.key.value
        ),
        vec![
            Label::new(s.span(range), "denied here"),
            Label::new(s.citation.text.span.clone(), "the footnote it cites"),
        ],
    )
    .help("reword the sentence (\"has not commented publicly since ...\") or cite the right source")
}

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

static DATED_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\bin (?:a|an|its) (?:(?P<day>\d{{1,2}}) )?(?P<month>{MONTHS}) (?P<year>(?:19|20)\d\d) (?P<kind>letter|statement|note verbale|email)\b"))
        .expect("valid regex")
});
static DATED_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\W*(?P<kind>Letter|Statement|Note verbale|Email)\b[^\n]*?,\s*(?:(?P<day>\d{{1,2}}) )?(?P<month>{MONTHS}) (?P<year>(?:19|20)\d\d)\b"))
        .expect("valid regex")
});

/// A letter or statement dated in the sentence, and a footnote of the same kind dated in
/// another month or year.
fn dated_document(s: &Supported<'_>) -> Option<Draft> {
    let text = DATED_IN_TEXT.captures(s.text)?;
    let note = DATED_NOTE.captures(&s.citation.text.value.text)?;
    if !text["kind"].eq_ignore_ascii_case(&note["kind"]) {
        return None;
    }
    let month = |c: &regex::Captures<'_>| month_number(&c["month"]);
    let same_day = match (text.name("day"), note.name("day")) {
        (Some(a), Some(b)) => a.as_str() == b.as_str(),
        _ => true,
    };
    if text["year"] == note["year"] && month(&text) == month(&note) && same_day {
        return None;
    }
    let dated = |c: &regex::Captures<'_>| {
        let day = c
            .name("day")
            .map_or(String::new(), |d| format!("{} ", d.as_str()));
        format!("{day}{} {}", &c["month"], &c["year"])
    };
    let range = text.get(0)?.range();
    Some(
        Draft::new(
            format!(
                "the sentence dates the {} {}, its footnote `{}` {}",
                text["kind"].to_lowercase(),
                dated(&text),
                s.citation.key.value,
                dated(&note)
            ),
            vec![
                Label::new(s.span(range), format!("dated {}", dated(&text))),
                Label::new(
                    s.citation.text.span.clone(),
                    format!("dated {}", dated(&note)),
                ),
            ],
        )
        .help("use the date of the document the footnote cites, or cite the right document"),
    )
}

const ORDINALS: &str = "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|Twentieth|Twenty-first|Twenty-second";
const YEAR: &str = r"(?:19|20)\d\d";

/// A meeting named by its ordinal with a year: "the Second Meeting of States Parties in
/// Beirut in 2011".
static NAMED_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:{ORDINALS}) (?:Meeting of States Parties|Review Conference)\b[^.;]{{0,40}}?\b(?P<year>{YEAR})\b"
    ))
    .expect("valid regex")
});
/// Meetings in the plural with their years: "Meetings of States Parties in 2012 and 2013".
static MEETINGS_IN_YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:Meetings of States Parties|meetings of the convention|intersessional meetings|Review Conferences)\b[^.;]{{0,20}}? in (?P<list>{YEAR}(?:(?:,| and|, and) {YEAR})+)\b"
    ))
    .expect("valid regex")
});
/// A document with the dates that follow it: "letters dated 2 May 2012 and 14 March 2013",
/// "a letter of 2 May 2012 and a statement in March 2013".
static DOCUMENT_DATES: LazyLock<Regex> = LazyLock::new(|| {
    let date = format!(r"(?:\d{{1,2}} )?(?:(?:{MONTHS}) )?{YEAR}");
    let document = r"(?:letters?|statements?|notes? verbales?)";
    Regex::new(&format!(
        r"(?i)\b{document}\b(?: [a-z]+){{0,3}}? (?:dated|of|on|in) (?P<dates>{date}(?:(?:,| and|, and)(?: (?:a|an|another) {document})?(?: (?:dated|of|on|in))? {date})*)"
    ))
    .expect("valid regex")
});
/// A document dated before its noun: "a May 2013 letter".
static DATED_DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:a|an|its) (?:\d{{1,2}} )?(?:(?:{MONTHS}) )?(?P<year>{YEAR}) (?:letter|statement|note verbale)\b"
    ))
    .expect("valid regex")
});
static ANY_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{YEAR}\b")).expect("valid regex"));
/// A footnote about a meeting: its report, list of participants, or a statement made there.
static MEETING_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)Meeting of States Parties|Review Conference|intersessional meeting|\b\d+MSP\b|List of participants|^\W*Statement (?:of|by)")
        .expect("valid regex")
});

/// Two or more events of one kind a sentence names, by year, and where it names them.
struct Events {
    kind: &'static str,
    years: BTreeSet<i32>,
    range: Range<usize>,
}

fn years_in(text: &str) -> impl Iterator<Item = i32> + '_ {
    ANY_YEAR
        .find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
}

/// The meetings and the documents a sentence names, each kind when it names two or more
/// distinct years.
fn events(sentence: &str) -> Vec<Events> {
    let mut meetings: Vec<(i32, Range<usize>)> = NAMED_MEETING
        .captures_iter(sentence)
        .filter_map(|c| Some((c["year"].parse().ok()?, c.get(0)?.range())))
        .collect();
    for caps in MEETINGS_IN_YEARS.captures_iter(sentence) {
        let Some(whole) = caps.get(0) else { continue };
        meetings.extend(years_in(&caps["list"]).map(|y| (y, whole.range())));
    }
    let mut documents: Vec<(i32, Range<usize>)> = Vec::new();
    for caps in DOCUMENT_DATES.captures_iter(sentence) {
        let Some(whole) = caps.get(0) else { continue };
        documents.extend(years_in(&caps["dates"]).map(|y| (y, whole.range())));
    }
    documents.extend(
        DATED_DOCUMENT
            .captures_iter(sentence)
            .filter_map(|c| Some((c["year"].parse().ok()?, c.get(0)?.range()))),
    );
    [("meetings", meetings), ("documents", documents)]
        .into_iter()
        .filter_map(|(kind, found)| {
            let years: BTreeSet<i32> = found.iter().map(|(y, _)| *y).collect();
            let start = found.iter().map(|(_, r)| r.start).min()?;
            let end = found.iter().map(|(_, r)| r.end).max()?;
            (years.len() >= 2).then_some(Events {
                kind,
                years,
                range: start..end,
            })
        })
        .collect()
}

/// DOS111: one marker supporting a sentence that names two meetings or two documents,
/// whose footnote names only one of them.
pub fn two_events(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for s in supported(ctx) {
        let Some(last) = sentences(s.text).pop() else {
            continue;
        };
        let note = &s.citation.text.value.text;
        let noted: BTreeSet<i32> = years_in(note).collect();
        for events in events(&s.text[last.clone()]) {
            let of_that_kind = match events.kind {
                "meetings" => MEETING_NOTE.is_match(note),
                _ => STATEMENT_NOTE.is_match(note),
            };
            let named: Vec<i32> = events.years.intersection(&noted).copied().collect();
            if !of_that_kind || named.len() != 1 {
                continue;
            }
            let missing: Vec<String> = events
                .years
                .iter()
                .filter(|y| !named.contains(y))
                .map(i32::to_string)
                .collect();
            let range = last.start + events.range.start..last.start + events.range.end;
            out.push(
                Draft::new(
                    format!(
                        "the sentence names {} of {}, its one footnote `{}` only the one of {}",
                        events.kind,
                        join_years(&events.years),
                        s.citation.key.value,
                        named[0]
                    ),
                    vec![
                        Label::new(s.span(range), format!("{} of {}", events.kind, join_years(&events.years))),
                        Label::new(
                            s.citation.text.span.clone(),
                            format!("names {} only", named[0]),
                        ),
                    ],
                )
                .help(format!(
                    "cite the source of {} as well (its own marker, or a second source in the footnote)",
                    missing.join(" and ")
                )),
            );
        }
    }
    out
}

fn join_years(years: &BTreeSet<i32>) -> String {
    let all: Vec<String> = years.iter().map(i32::to_string).collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => all.join(""),
    }
}
