//! A sentence carried over from the previous edition about the latest meeting or vote
//! ("most recently attended the Ninth Meeting of States Parties in 2019"), now stale because
//! this edition records a later one. Sentences that other rules read as claims (last
//! meeting, not since, votes) are theirs to report.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Elsewhere, Label};
use crate::facts::{Claim, Fact};
use crate::record::{Record, VoteCast};

use super::{ProseSentence, attended, of_the_convention, prose_sentences};

/// "most recently ... in 2019", "the last time ... was in 2019", "its most recent vote ...
/// 2020".
static LATEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:most recently|the last time|its (?:most recent|latest))\b[^.;]{0,120}?\b(?P<year>(?:19|20)\d\d)\b")
        .expect("valid regex")
});
static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\^[^\]]*\]").expect("valid regex"));

/// What a "latest" sentence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Latest {
    /// Formal Meetings of States Parties (and Review Conferences) only.
    FormalMeeting,
    /// Any meeting of the convention.
    Meeting,
    /// A vote on a UNGA resolution.
    Vote,
}

/// What the words from "most recently" to the year speak of.
fn about(claim: &str) -> Option<Latest> {
    let lower = claim.to_lowercase();
    if lower.contains("vote") || lower.contains("voted") || lower.contains("resolution") {
        Some(Latest::Vote)
    } else if lower.contains("meeting of states parties") || lower.contains("review conference") {
        Some(Latest::FormalMeeting)
    } else if ["meeting", "attended", "participated", "took part"]
        .iter()
        .any(|w| lower.contains(w))
    {
        Some(Latest::Meeting)
    } else {
        None
    }
}

/// The sentence in plain words for comparison: no markers, no punctuation, lower case.
fn normalized(sentence: &str) -> String {
    MARKER
        .replace_all(sentence, "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The "latest" sentences of a record: (sentence, year, what about, matched range).
fn latest_sentences(record: &Record) -> Vec<(ProseSentence<'_>, i32, Latest, Range<usize>)> {
    prose_sentences(record)
        .into_iter()
        .filter_map(|sentence| {
            let caps = LATEST.captures(sentence.text())?;
            let year = caps["year"].parse().ok()?;
            let range = caps.get(0)?.range();
            let what = about(&sentence.text()[range.clone()])?;
            Some((sentence, year, what, range))
        })
        .collect()
}

/// The latest year this edition's facts record for what a sentence is about (a vote cast,
/// not an absence from the vote), with the fact.
fn latest_recorded<'f>(ctx: &Ctx<'f>, what: Latest) -> Option<(i32, &'f Fact)> {
    ctx.facts
        .iter()
        .filter_map(|f| match (&f.claim, what) {
            (
                Claim::Vote {
                    year: Some(y),
                    vote,
                    ..
                },
                Latest::Vote,
            ) if *vote != VoteCast::Absent => Some((*y, f)),
            (Claim::Attendance { .. }, Latest::Meeting | Latest::FormalMeeting) => {
                let (_, year, kind) = attended(f, ctx.registry)?;
                let counts = match what {
                    Latest::FormalMeeting => kind.is_formal(),
                    _ => of_the_convention(kind),
                };
                counts.then_some((year, f))
            }
            _ => None,
        })
        .max_by_key(|(year, _)| *year)
}

/// Whether another rule reads a claim in this span (and so reports it when stale).
fn claimed_elsewhere(ctx: &Ctx<'_>, span: &Range<usize>) -> bool {
    ctx.facts.iter().any(|f| {
        let at = f.origin.span();
        f.origin.is_prose()
            && at.start < span.end
            && span.start < at.end
            && matches!(
                f.claim,
                Claim::LastMeetingYear { .. }
                    | Claim::NotSince(_)
                    | Claim::VoteInYear { .. }
                    | Claim::VotedSince { .. }
            )
    })
}

/// DOS405: a "latest" sentence carried over from the previous edition that this edition's
/// facts have overtaken.
pub fn superseded(ctx: &Ctx<'_>) -> Vec<Draft> {
    let Some(prev) = ctx.previous else {
        return Vec::new();
    };
    let before = latest_sentences(&prev.record);
    if before.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (sentence, year, what, range) in latest_sentences(ctx.record) {
        let words = normalized(sentence.text());
        let Some((old, ..)) = before
            .iter()
            .find(|(s, ..)| strsim::normalized_levenshtein(&normalized(s.text()), &words) >= 0.9)
        else {
            continue;
        };
        let span = sentence.span(0..sentence.range.len());
        let Some((later, fact)) = latest_recorded(ctx, what) else {
            continue;
        };
        if later <= year || claimed_elsewhere(ctx, &span) {
            continue;
        }
        out.push(stale(prev, (&sentence, range, year), old, (later, fact)));
    }
    out
}

fn stale(
    prev: &crate::check::Checked,
    (sentence, range, year): (&ProseSentence<'_>, Range<usize>, i32),
    old: &ProseSentence<'_>,
    (later, fact): (i32, &Fact),
) -> Draft {
    let edition = prev.record.edition.value;
    let mut draft = Draft::new(
        format!(
            "a sentence carried over from the {edition} edition still names {year} as the latest, but this edition records {later}"
        ),
        vec![
            Label::new(sentence.span(range), format!("carried over: {year}")),
            super::label(fact, format!("recorded here: {later}")),
        ],
    )
    .help(format!(
        "update the sentence to {later}, or say why the {later} event does not count"
    ));
    draft.elsewhere = Some(Elsewhere {
        path: prev.record.path.clone(),
        source: prev.record.source.clone(),
        labels: vec![Label::new(
            old.span(0..old.range.len()),
            format!("{edition} edition: the same sentence"),
        )],
    });
    draft
}
