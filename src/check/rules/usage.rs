//! Names written wrong: a treaty or resolution title misspelt against the registries (DOS512),
//! a country's name where its adjective is required (DOS513).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Label, Paragraph};
use crate::facts::claims::CleanText;
use crate::record::{Prose, Sp};
use crate::registry::{Registry, TreatyId};

/// Every paragraph of `blocks` (the citations' texts), cleaned, with its prose. (The summary's
/// and sections' come from [`Ctx::paragraphs`].)
fn paragraphs<'a>(blocks: impl Iterator<Item = &'a Sp<Prose>>) -> Vec<(CleanText, &'a Prose)> {
    let mut out = Vec::new();
    for prose in blocks {
        for range in crate::record::prose::paragraph_ranges(&prose.value.text) {
            out.push((CleanText::new(&prose.value.text, range), &prose.value));
        }
    }
    out
}

/// A title as compared: lower case, letters and digits only (spaces, hyphens and punctuation
/// do not make a misspelling: "Mine-Ban Treaty", "Anti-Personnel").
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The titles the registries and the treaty table know, each as (words, squeezed).
fn known_titles(registry: &Registry) -> Vec<(Vec<String>, String)> {
    let mut titles: Vec<&str> = TreatyId::ALL.iter().map(|t| t.label()).collect();
    titles.extend(registry.resolutions.iter().map(|r| r.title.as_str()));
    titles.sort_unstable();
    titles.dedup();
    titles
        .into_iter()
        .map(|t| {
            let words = t.split_whitespace().map(str::to_string).collect();
            (words, squeeze(t))
        })
        .collect()
}

/// The words of a cleaned paragraph: ranges without surrounding punctuation, quotes or a
/// possessive "’s".
fn words(text: &str) -> Vec<Range<usize>> {
    super::words::trimmed_chunks(text)
        .map(|(start, core, _)| {
            let core = core
                .strip_suffix("’s")
                .or_else(|| core.strip_suffix("'s"))
                .unwrap_or(core);
            start..start + core.len()
        })
        .collect()
}

/// How many edits a title of `chars` characters may be off by and still be that title
/// misspelt rather than another name.
fn tolerance(chars: usize) -> usize {
    match chars {
        0..20 => 1,
        20..60 => 2,
        _ => 3,
    }
}

/// Whether a word of the text may open a copy of the title opening with `first`: the same
/// word, or (for words of five letters or more) a slip of it with the same initial, in the
/// title's case.
fn opens_title(word: &str, first: &str) -> bool {
    let (Some(a), Some(b)) = (word.chars().next(), first.chars().next()) else {
        return false;
    };
    a == b
        && (word.eq_ignore_ascii_case(first)
            || (first.len() >= 5
                && strsim::damerau_levenshtein(&word.to_lowercase(), &first.to_lowercase()) <= 2))
}

/// DOS512: a treaty name or resolution title close to, but not equal to, the registries'.
pub fn misspelt_title(ctx: &Ctx<'_>) -> Vec<Draft> {
    let titles = known_titles(ctx.registry);
    let mut out = Vec::new();
    let footnotes = paragraphs(ctx.record.citations.iter().map(|c| &c.text));
    let body = ctx.paragraphs().iter().map(Paragraph::text_and_prose);
    for (clean, prose) in body.chain(footnotes.iter().map(|(clean, prose)| (clean, *prose))) {
        let words = words(&clean.text);
        let mut k = 0;
        'words: while k < words.len() {
            for (title_words, title) in &titles {
                let n = title_words.len();
                if k + n > words.len()
                    || !opens_title(&clean.text[words[k].clone()], &title_words[0])
                {
                    continue;
                }
                let span = words[k].start..words[k + n - 1].end;
                let written = &clean.text[span.clone()];
                let squeezed = squeeze(written);
                if titles.iter().any(|(_, t)| *t == squeezed) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(&squeezed, title);
                if distance == 0 || distance > tolerance(title.chars().count()) {
                    continue;
                }
                let spelling = title_words.join(" ");
                out.push(
                    Draft::new(
                        format!("\"{written}\" looks like a misspelling of \"{spelling}\""),
                        vec![Label::new(
                            prose.source_range(clean.raw_range(span)),
                            format!("write \"{spelling}\""),
                        )],
                    )
                    .help(format!("the registries spell it \"{spelling}\"")),
                );
                k += n;
                continue 'words;
            }
            k += 1;
        }
    }
    out
}

/// Countries whose name is in use as its own adjective; never flagged.
const NAME_AS_ADJECTIVE: &[&str] = &["Kosovo", "Palestine"];

/// The nouns after which a country's name must be its adjective ("the Chilean delegation"):
/// the bodies and people that speak for a state.
const STATE_NOUNS: &str = "delegation|government|representatives?|ministry|authorities|embassy|armed forces|army|military";

static COUNTRY_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    let mut names: Vec<&str> = crate::record::countries::names()
        .filter(|n| n.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|n| !NAME_AS_ADJECTIVE.contains(n))
        .collect();
    names.sort_unstable();
    names.dedup();
    Regex::new(&format!(
        r"\bthe (?P<country>{}) (?P<noun>{STATE_NOUNS})\b",
        names.join("|")
    ))
    .expect("valid regex")
});

/// DOS513: "the Chile delegation", "the France government": a one-word country name used as
/// an adjective before a noun that speaks for the state. Names of more than one word ("the
/// United States government") are passed over.
pub fn country_adjective(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (clean, prose) in ctx.paragraphs().iter().map(Paragraph::text_and_prose) {
        for caps in COUNTRY_NOUN.captures_iter(&clean.text) {
            let (Some(whole), Some(country), Some(noun)) =
                (caps.get(0), caps.name("country"), caps.name("noun"))
            else {
                continue;
            };
            let (country, noun) = (country.as_str(), noun.as_str());
            out.push(
                Draft::new(
                    format!("\"the {country} {noun}\" uses the country's name as an adjective"),
                    vec![Label::new(
                        prose.source_range(clean.raw_range(whole.range())),
                        format!("write the adjective, or \"the {noun} of {country}\""),
                    )],
                )
                .help(format!(
                    "write the country's adjective (as in \"the Chilean {noun}\"), or \"the {noun} of {country}\""
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezing_ignores_spaces_hyphens_and_case() {
        assert_eq!(squeeze("Mine-Ban  Treaty’s"), "minebantreatys");
        assert_eq!(squeeze("Anti-Personnel"), squeeze("antipersonnel"));
    }

    #[test]
    fn words_drop_surrounding_punctuation() {
        let text = "the “Convention on Cluster Munitions,” (CCM) Treaty’s";
        let found: Vec<&str> = words(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            vec![
                "the",
                "Convention",
                "on",
                "Cluster",
                "Munitions",
                "CCM",
                "Treaty"
            ]
        );
    }
}
