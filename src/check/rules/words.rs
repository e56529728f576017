//! Words run together (DOS511), found against an English word list: `checks/english-words.txt`,
//! the union of the SCOWL-derived lists Debian ships as `wamerican` and `wbritish`, built into
//! the binary and read once.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use crate::check::{Ctx, Draft, Label};

/// Every English word the checker knows, as listed (proper nouns capitalised).
static WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../checks/english-words.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Short grammatical words (articles, prepositions, conjunctions, auxiliaries) that lose the
/// space before or after them. A run-together token is flagged only when one of its two
/// parts is one of these: two content words written as one ("timeframe", "workplan",
/// "counterterrorism") are often accepted compounds missing from any list.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "in", "into", "is", "it", "its", "not", "of", "on", "or", "than", "that", "the",
    "their", "this", "to", "was", "were", "which", "who", "with",
];

/// The function words that may start a run-together token without a case change: the others
/// ("in", "for", "be"...) begin too many derived words a list may lack ("invariants",
/// "formatters").
const LEADING_FUNCTION_WORDS: &[&str] = &[
    "and", "are", "been", "but", "from", "had", "has", "have", "into", "its", "not", "of", "than",
    "that", "the", "their", "this", "was", "were", "which", "who", "with",
];

/// Tokens shorter than this are never split.
const MIN_TOKEN: usize = 5;
/// The content-word part of a split has at least this many letters.
const MIN_CONTENT: usize = 3;
/// A word before a trailing function word of two letters ("Conventionon") has at least this
/// many letters: shorter ones are suffixes ("grantor", "Paton").
const MIN_BEFORE_SHORT_TAIL: usize = 6;

/// Whether `left` + `right` (lower case, both listed words) is a plausible lost space:
/// `camel` when the token changes case between them ("PartiesIn").
fn plausible_split(left: &str, right: &str, camel: bool) -> bool {
    let is_fn = |w: &str| FUNCTION_WORDS.contains(&w);
    if camel {
        return (is_fn(left) || is_fn(right)) && left.len() >= 2 && right.len() >= 2;
    }
    let trailing = is_fn(right)
        && if right.len() <= 2 {
            left.len() >= MIN_BEFORE_SHORT_TAIL
        } else {
            left.len() >= MIN_CONTENT || is_fn(left)
        };
    let leading = LEADING_FUNCTION_WORDS.contains(&left) && right.len() >= MIN_CONTENT;
    trailing || leading
}

/// Whether the list knows `word` as written, or in lower case.
fn is_word(word: &str) -> bool {
    WORDS.contains(word) || WORDS.contains(word.to_lowercase().as_str())
}

/// Names the record may use that no English list holds: the record's country and the
/// capitalised words of its footnotes (the names of the people, bodies and programmes it
/// cites), every country of the country table, the treaties, and the registries' meeting
/// names, places and resolution titles, lower-cased word by word.
fn known_names(ctx: &Ctx<'_>) -> HashSet<String> {
    let mut texts: Vec<&str> = vec![ctx.record.country.value.as_str()];
    for citation in &ctx.record.citations {
        texts.extend(
            citation
                .text
                .value
                .text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| w.starts_with(char::is_uppercase)),
        );
    }
    for name in crate::record::countries::names() {
        texts.push(name);
    }
    for treaty in crate::registry::TreatyId::ALL {
        texts.push(treaty.label());
    }
    for meeting in &ctx.registry.meetings {
        texts.push(&meeting.name);
        texts.extend(meeting.sessions.iter().map(|s| s.place.as_str()));
    }
    texts.extend(ctx.registry.resolutions.iter().map(|r| r.title.as_str()));
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The byte offset of the only lower-to-upper case change inside `token` ("PartiesIn": 7);
/// `Some(None)` when there is none, `None` when there are several ("McDonaldsIn").
fn camel_boundary(token: &str) -> Option<Option<usize>> {
    let bytes = token.as_bytes();
    let mut found = None;
    for i in 1..bytes.len() {
        if bytes[i - 1].is_ascii_lowercase() && bytes[i].is_ascii_uppercase() {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    Some(found)
}

/// The two words `token` runs together, when it is not a word itself: both parts are
/// listed words and [`plausible_split`]; a case change inside the token must be the split. Of
/// several splits, the one with the longest shorter part wins.
fn split_glued(token: &str) -> Option<(usize, String)> {
    if token.len() < MIN_TOKEN
        || !token.is_ascii()
        || !token.bytes().all(|b| b.is_ascii_alphabetic())
        || token.bytes().all(|b| b.is_ascii_uppercase())
        || is_word(token)
    {
        return None;
    }
    let camel = camel_boundary(token)?;
    let lower = token.to_ascii_lowercase();
    let mut best: Option<usize> = None;
    for at in 1..lower.len() {
        if camel.is_some_and(|c| c != at) {
            continue;
        }
        let (left, right) = lower.split_at(at);
        let fits = WORDS.contains(left)
            && WORDS.contains(right)
            && plausible_split(left, right, camel.is_some());
        let shorter = left.len().min(right.len());
        if fits && best.is_none_or(|b| shorter > b.min(lower.len() - b)) {
            best = Some(at);
        }
    }
    best.map(|at| (at, format!("{} {}", &token[..at], &token[at..])))
}

/// `chunk` without the published footnote markers at its end ("Munitions.[1]" is
/// "Munitions.", "[3][4]" is "").
fn without_number_markers(mut chunk: &str) -> &str {
    while let Some(inner) = chunk.strip_suffix(']')
        && let Some(open) = inner.rfind('[')
        && inner.len() > open + 1
        && inner[open + 1..].bytes().all(|b| b.is_ascii_digit())
    {
        chunk = &inner[..open];
    }
    chunk
}

/// The space-separated chunks of a cleaned paragraph, trimmed of surrounding punctuation,
/// quotes and footnote numbers (published `[1]` markers, superscripts): (offset of the
/// trimmed core, core, whole chunk).
pub(super) fn trimmed_chunks(text: &str) -> impl Iterator<Item = (usize, &str, &str)> {
    text.split(' ')
        .scan(0, |offset, chunk| {
            let start = *offset;
            *offset += chunk.len() + 1;
            Some((start, chunk))
        })
        .filter_map(|(start, chunk)| {
            let lead = chunk.len() - chunk.trim_start_matches(not_letter_or_digit).len();
            let core = without_number_markers(chunk).trim_matches(not_letter_or_digit);
            (!core.is_empty()).then_some((start + lead, core, chunk))
        })
}

/// The word tokens of a cleaned paragraph worth testing: letters only, cut at hyphens and
/// apostrophes; chunks holding digits, URLs, e-mail addresses, paths or inner full stops
/// (abbreviations, domains) are passed over.
fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (base, core, chunk) in trimmed_chunks(text) {
        if core.contains(|c: char| c.is_ascii_digit() || "@/\\.:_=&?#".contains(c))
            || chunk.contains("www")
        {
            continue;
        }
        let mut part_start = 0;
        for (i, c) in core.char_indices() {
            if matches!(c, '-' | '–' | '\'' | '’') {
                out.push(base + part_start..base + i);
                part_start = i + c.len_utf8();
            }
        }
        out.push(base + part_start..base + core.len());
    }
    out.retain(|r| !r.is_empty());
    out
}

/// Whether `c` is neither a letter nor a digit of the text (superscript footnote digits,
/// as in "depots.¹", are not).
fn not_letter_or_digit(c: char) -> bool {
    !c.is_alphanumeric() || "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(c)
}

/// DOS511: two words run together ("resolutionwhich", "Conventionon", "PartiesIn").
pub fn glued_words(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut names: Option<HashSet<String>> = None;
    for paragraph in ctx.paragraphs() {
        let (prose, clean) = (&paragraph.prose.value, &paragraph.clean);
        for token in tokens(&clean.text) {
            let word = &clean.text[token.clone()];
            let Some((_, split)) = split_glued(word) else {
                continue;
            };
            let names = names.get_or_insert_with(|| known_names(ctx));
            if names.contains(&word.to_lowercase()) {
                continue;
            }
            let help = format!(
                "add the lost space (\"{split}\"); if \"{word}\" is a name, suppress the \
                 finding with `matching = \"{word}\"`"
            );
            out.push(
                Draft::new(
                    format!("\"{word}\" looks like two words run together"),
                    vec![Label::new(
                        prose.source_range(clean.raw_range(token)),
                        format!("write \"{split}\""),
                    )],
                )
                .help(help),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_function_words_off_listed_words() {
        assert_eq!(
            split_glued("resolutionwhich").map(|s| s.1).as_deref(),
            Some("resolution which")
        );
        assert_eq!(
            split_glued("Conventionon").map(|s| s.1).as_deref(),
            Some("Convention on")
        );
        assert_eq!(
            split_glued("PartiesIn").map(|s| s.1).as_deref(),
            Some("Parties In")
        );
        assert_eq!(split_glued("tothe").map(|s| s.1).as_deref(), Some("to the"));
        assert_eq!(
            split_glued("stockpileof").map(|s| s.1).as_deref(),
            Some("stockpile of")
        );
    }

    #[test]
    fn leaves_words_names_acronyms_and_compounds_alone() {
        for token in [
            "stockpiles",
            "antipersonnel",
            "Stockholm",
            "UNGA",
            "timeframe",
            "counterterrorism",
            "Paton",
            "Examplestan",
            "McDonaldsIn",
            "intersessional",
            "formatters",
            "Invariants",
            "grantor",
            "Hasan",
        ] {
            assert_eq!(split_glued(token), None, "{token}");
        }
    }

    #[test]
    fn chunks_lose_published_markers() {
        let text = "Munitions.[1] Treaty[2][3] [4] x[a]";
        let cores: Vec<&str> = trimmed_chunks(text).map(|(_, core, _)| core).collect();
        assert_eq!(cores, vec!["Munitions", "Treaty", "x[a"]);
    }

    #[test]
    fn tokens_skip_urls_numbers_and_abbreviations() {
        let text = "see www.example.org/ccm,which or info@example.org in2019 U.N. (Conventionon) x-resolutionwhich";
        let found: Vec<&str> = tokens(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            vec!["see", "or", "Conventionon", "x", "resolutionwhich"]
        );
    }
}
