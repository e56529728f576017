//! A non-member's stated position on joining the convention, and its change between
//! editions with nothing in the new edition to explain it.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::Datelike;
use regex::Regex;

use crate::check::{Ctx, Draft, Elsewhere, Label};
use crate::record::Record;

use super::{ProseSentence, prose_sentences};

/// Where a state that has not joined stands on joining, as profiles phrase it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoiningPosition {
    /// "has no plans to join", "does not intend to accede", "has no intention of joining",
    /// "is not considering accession", "has ruled out joining".
    NoPlans,
    /// "is considering accession", "is actively considering joining", "is studying
    /// accession", "is reviewing the possibility of joining".
    Considering,
    /// "intends to accede", "plans to join", "is preparing to ratify", "has decided to join".
    Intends,
}

impl JoiningPosition {
    /// How the position reads in messages.
    pub fn label(self) -> &'static str {
        match self {
            JoiningPosition::NoPlans => "no plans to join",
            JoiningPosition::Considering => "considering joining",
            JoiningPosition::Intends => "intends to join",
        }
    }
}

const JOINING: &str = r"(?:join(?:ing)?|accede|acceding|accession|ratif(?:y|ying|ication)|sign(?:ing)?|becom(?:e|ing) a State Party|do so|the convention|the possibility of (?:joining|acceding|accession|ratification))";

/// The phrasings of each position; the leftmost wins, so "has no plans to join" is never
/// read as "plans to join".
static POSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?P<no>(?:has|had) no (?:plans?|intention) (?:to|of)|does not (?:intend|plan) to|is not (?:currently |actively )?considering|has ruled out) {JOINING}|(?P<considering>is (?:actively |still |currently |now |seriously )?(?:considering|studying|reviewing|examining) (?:its |a |the )?(?:possible |potential )?{JOINING})|(?P<intends>(?:intends|plans|is preparing|has decided|expects) to {JOINING}))\b"
    ))
    .expect("valid regex")
});

/// A year named in text.
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").expect("valid regex"));

/// The first position a piece of prose states, and where.
fn position_in(text: &str) -> Option<(JoiningPosition, Range<usize>)> {
    let caps = POSITION.captures(text)?;
    let position = if caps.name("no").is_some() {
        JoiningPosition::NoPlans
    } else if caps.name("considering").is_some() {
        JoiningPosition::Considering
    } else {
        JoiningPosition::Intends
    };
    Some((position, caps.get(0)?.range()))
}

/// The first position a record states: the position, the sentence, where in it.
fn stated(record: &Record) -> Option<(JoiningPosition, ProseSentence<'_>, Range<usize>)> {
    prose_sentences(record).into_iter().find_map(|sentence| {
        let (position, range) = position_in(sentence.text())?;
        Some((position, sentence, range))
    })
}

/// Whether the paragraph of a sentence, or a footnote it cites, names a year from `since` on:
/// a dated statement or event that explains a change of position.
fn explained(record: &Record, sentence: &ProseSentence<'_>, since: i32) -> bool {
    let recent = |text: &str| {
        YEAR.find_iter(text)
            .any(|y| y.as_str().parse::<i32>().is_ok_and(|y| y >= since))
    };
    if recent(&strip_markers(sentence.paragraph_text())) {
        return true;
    }
    sentence
        .prose
        .markers()
        .into_iter()
        .filter(|m| sentence.paragraph.contains(&m.range.start))
        .filter_map(|m| record.citation(&m.key))
        .any(|c| recent(&c.text.value.text))
}

/// The text without its `[^key]` markers (a key such as `n2019` is no year).
fn strip_markers(text: &str) -> String {
    static MARKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[\^[^\]]*\]").expect("valid regex"));
    MARKER.replace_all(text, "").into_owned()
}

/// DOS404: the position on joining changed since the previous edition, and nothing dated in
/// this edition's reporting period near it says why.
pub fn position_change(ctx: &Ctx<'_>) -> Vec<Draft> {
    let Some(prev) = ctx.previous else {
        return Vec::new();
    };
    let (Some((before, old, old_range)), Some((now, new, new_range))) =
        (stated(&prev.record), stated(ctx.record))
    else {
        return Vec::new();
    };
    let since = prev
        .record
        .last_updated
        .as_ref()
        .map_or(prev.record.edition.value, |d| d.value.0.year());
    if before == now || explained(ctx.record, &new, since) {
        return Vec::new();
    }
    let edition = |record: &Record| record.edition.value;
    let mut draft = Draft::new(
        format!(
            "the position on joining changed from \"{}\" ({} edition) to \"{}\", and nothing in this edition dated {since} or later says why",
            &old.text()[old_range.clone()],
            edition(&prev.record),
            &new.text()[new_range.clone()],
        ),
        vec![Label::new(
            new.span(new_range),
            format!("{} edition: {}", edition(ctx.record), now.label()),
        )],
    )
    .help("report the statement or event that changed the position (with its date and source), or restore the previous edition's wording");
    draft.elsewhere = Some(Elsewhere {
        path: prev.record.path.clone(),
        source: prev.record.source.clone(),
        labels: vec![Label::new(
            old.span(old_range),
            format!("{} edition: {}", edition(&prev.record), before.label()),
        )],
    });
    vec![draft]
}

#[cfg(test)]
mod tests {
    use super::{JoiningPosition, position_in};

    #[test]
    fn each_documented_phrasing_reads_as_its_position() {
        let cases = [
            (
                "It has no plans to join the convention.",
                JoiningPosition::NoPlans,
            ),
            ("It does not intend to accede.", JoiningPosition::NoPlans),
            ("It has no intention of joining.", JoiningPosition::NoPlans),
            ("It is not considering accession.", JoiningPosition::NoPlans),
            ("It is considering accession.", JoiningPosition::Considering),
            (
                "It is actively considering joining.",
                JoiningPosition::Considering,
            ),
            (
                "It is studying the possibility of ratification.",
                JoiningPosition::Considering,
            ),
            ("It intends to accede soon.", JoiningPosition::Intends),
            (
                "It is preparing to ratify the convention.",
                JoiningPosition::Intends,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(position_in(text).map(|p| p.0), Some(expected), "{text}");
        }
        assert_eq!(position_in("It attended the meeting as an observer."), None);
    }
}
