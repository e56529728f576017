//! A sentence contradicted by the footnote that supports it (catalogue A8). Only clear
//! patterns: a denial of any statement or attendance whose own footnote is a statement, a
//! letter or an attendance record; a dated letter or statement whose footnote is a document
//! of the same kind dated differently. A footnote of another kind (a later report about the
//! event) is never compared.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Label};
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
    Regex::new(r"^\W*(?:Statement (?:of|by)|Letter (?:from|No\.|of)|Note verbale|Email from|Response (?:of|by|from)|Interview with)\b")
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
