//! One quantity, two values: the same count ("58 mined areas", "1,240 submunitions
//! destroyed") stated twice in one record with different figures, or against the table
//! column of the same name.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Label};
use crate::facts::claims::sentences;
use crate::record::Table;
use crate::record::table::{figure, same_at_precision};

/// A figure followed by the words that name what it counts.
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<number>\b\d{1,3}(?:,\d{3})+\b|\b\d+\b)(?P<words>(?: [a-z][a-z-]*){1,4})")
        .expect("valid regex")
});

/// A year named in a sentence.
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").expect("valid regex"));

/// Words that end the name of a counted thing.
const STOP_WORDS: &[&str] = &[
    "a", "about", "across", "after", "an", "and", "are", "as", "at", "before", "between", "but",
    "by", "during", "for", "from", "had", "has", "have", "in", "into", "is", "of", "on", "or",
    "over", "since", "that", "the", "their", "there", "these", "this", "those", "to", "under",
    "until", "was", "were", "which", "while", "with", "within",
];

/// First words that make the figure a measure, an age or a duration, not a count.
const MEASURES: &[&str] = &[
    "cm", "day", "days", "ha", "hectare", "hectares", "hour", "hours", "kg", "km", "m", "mm",
    "month", "months", "per", "percent", "square", "week", "weeks", "year", "years",
];

/// Words that make a sentence speak of a change, a part or an estimate: its figures are not
/// the one figure of the quantity.
const CHANGE_WORDS: &[&str] = &[
    "additional",
    "almost",
    "another",
    "approximately",
    "around",
    "decreased",
    "down",
    "earlier",
    "estimated",
    "fell",
    "further",
    "including",
    "increased",
    "initially",
    "least",
    "more",
    "nearly",
    "new",
    "newly",
    "originally",
    "over",
    "previously",
    "reduced",
    "remaining",
    "rose",
    "some",
    "than",
    "up",
];

/// One count stated in prose.
struct Count {
    /// What is counted, lowercased, the last word without its plural s.
    what: String,
    /// The figure.
    value: u64,
    /// The figure as written.
    written: String,
    /// The years the sentence names.
    years: BTreeSet<i32>,
    /// The span in the record.
    span: std::ops::Range<usize>,
    /// Where it was stated ("summary", a section title).
    block: String,
}

/// The name of the counted thing in `words` (" mined areas in 2022"): the words up to the
/// first stop word, at least two of them, none of them a measure. With the byte length of
/// those words in `words`.
fn counted_thing(words: &str) -> Option<(String, usize)> {
    let kept: Vec<&str> = words
        .split(' ')
        .filter(|w| !w.is_empty())
        .take_while(|w| !STOP_WORDS.contains(w))
        .collect();
    if kept.len() < 2 || MEASURES.contains(&kept[0]) {
        return None;
    }
    let length = kept.iter().map(|w| w.len() + 1).sum();
    let (last, first) = kept.split_last()?;
    let singular = last.strip_suffix('s').unwrap_or(last);
    Some((format!("{} {singular}", first.join(" ")), length))
}

/// Whether the sentence speaks of a change, a part or an estimate.
fn speaks_of_change(sentence: &str) -> bool {
    sentence
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| CHANGE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

/// The counts of one sentence; a sentence that counts one thing twice with different
/// figures is comparing them and gives none for that thing.
fn sentence_counts(sentence: &str) -> Vec<(String, u64, std::ops::Range<usize>)> {
    let mut found: Vec<(String, u64, std::ops::Range<usize>)> = Vec::new();
    for caps in COUNT.captures_iter(sentence) {
        let number = &caps["number"];
        let Some(m) = caps.get(0) else { continue };
        let before = sentence[..m.start()].chars().next_back();
        if before.is_some_and(|c| matches!(c, '/' | '.' | '-' | '–' | '$' | '€' | '£')) {
            continue;
        }
        let is_year = number.len() == 4 && YEAR.is_match(number);
        let Ok(value) = number.replace(',', "").parse::<u64>() else {
            continue;
        };
        if is_year {
            continue;
        }
        if let Some((what, length)) = counted_thing(&caps["words"]) {
            found.push((what, value, m.start()..m.start() + number.len() + length));
        }
    }
    let mixed: BTreeSet<String> = found
        .iter()
        .filter(|(w, v, _)| found.iter().any(|(w2, v2, _)| w2 == w && v2 != v))
        .map(|(w, _, _)| w.clone())
        .collect();
    found.retain(|(w, _, _)| !mixed.contains(w));
    found
}

/// Every count stated in the record's summary and sections.
fn counts(ctx: &Ctx<'_>) -> Vec<Count> {
    let mut out = Vec::new();
    for paragraph in ctx.paragraphs() {
        let (block, prose, clean) = (&paragraph.block, paragraph.prose, &paragraph.clean);
        for sentence in sentences(&clean.text) {
            let body = &clean.text[sentence.clone()];
            if speaks_of_change(body) {
                continue;
            }
            let years: BTreeSet<i32> = YEAR
                .find_iter(body)
                .filter_map(|y| y.as_str().parse().ok())
                .collect();
            for (what, value, at) in sentence_counts(body) {
                let raw = clean.raw_range(sentence.start + at.start..sentence.start + at.end);
                out.push(Count {
                    what,
                    value,
                    written: body[at].to_string(),
                    years: years.clone(),
                    span: prose.value.source_range(raw),
                    block: block.clone(),
                });
            }
        }
    }
    out
}

/// The table figure for a counted thing in the years of its sentence: the column headed by
/// its name, in the row of the one year named, or the "Total" row when none is.
fn table_figure(table: &Table, count: &Count) -> Option<(f64, Label)> {
    let column = table.columns.iter().position(|c| {
        counted_thing(&format!(" {}", c.value.trim().to_lowercase()))
            .is_some_and(|(what, _)| what == count.what)
    })?;
    if table.unit(column).is_some() {
        return None;
    }
    let row = match count.years.len() {
        0 => table.rows.iter().find(|r| Table::is_total(&r.value))?,
        1 => table.row(&count.years.first()?.to_string())?,
        _ => return None,
    };
    let cell = row.value.get(column)?;
    let (value, _) = figure(&cell.value)?;
    let name = row.value.first().map_or("", |c| c.value.as_str());
    Some((
        value,
        Label::new(
            cell.span.clone(),
            format!("table `{}`, {name}: {}", table.id.value, cell.value),
        ),
    ))
}

/// DOS604: one quantity stated twice in a record with two different figures, in prose or
/// against the table column of the same name, for the same years.
pub fn quantity_mismatch(ctx: &Ctx<'_>) -> Vec<Draft> {
    let all = counts(ctx);
    let mut out = Vec::new();
    for (i, first) in all.iter().enumerate() {
        let earlier_same = all[..i]
            .iter()
            .any(|c| c.what == first.what && c.years == first.years);
        if earlier_same {
            continue;
        }
        if let Some(other) = all[i + 1..]
            .iter()
            .find(|c| c.what == first.what && c.years == first.years && c.value != first.value)
        {
            out.push(Draft::new(
                format!(
                    "one quantity, two figures: \"{}\" in {} and \"{}\" in {}",
                    first.written, first.block, other.written, other.block
                ),
                vec![
                    Label::new(first.span.clone(), first.written.clone()),
                    Label::new(other.span.clone(), other.written.clone()),
                ],
            ));
            continue;
        }
        let in_table = ctx
            .record
            .tables
            .iter()
            .find_map(|t| table_figure(t, first));
        if let Some((value, cell)) = in_table
            && !same_at_precision(value, first.value as f64, 0)
        {
            out.push(Draft::new(
                format!(
                    "\"{}\" in {}, but the table gives {value}",
                    first.written, first.block
                ),
                vec![Label::new(first.span.clone(), first.written.clone()), cell],
            ));
        }
    }
    out
}
