//! Citations: duplicates, missing and unused keys, unbalanced quotes (families 15–17).

use std::collections::BTreeSet;
use std::ops::Range;

use super::incomplete::Lost;
use crate::check::{Ctx, Draft, Label};
use crate::record::{BrokenMarker, Prose, Record, Sp};

/// Citation text normalised for comparison: case, quotes, spaces, underscores, final dot.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = match c {
            '“' | '”' | '„' | '«' | '»' => '"',
            '‘' | '’' => '\'',
            '–' | '—' => '-',
            '_' => continue,
            c => c,
        };
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.trim_end_matches([' ', '.']).to_string()
}

/// DOS301: one source under two keys.
pub fn duplicates(ctx: &Ctx<'_>) -> Vec<Draft> {
    let cites = &ctx.record.citations;
    let norms: Vec<String> = cites
        .iter()
        .map(|c| normalise(&c.text.value.text))
        .collect();
    let mut out = Vec::new();
    for (i, c) in cites.iter().enumerate() {
        if norms[i].is_empty() {
            continue;
        }
        if let Some(j) = (0..i).find(|&j| norms[j] == norms[i]) {
            let first = &cites[j];
            out.push(
                Draft::new(
                    format!(
                        "citations `{}` and `{}` are the same source",
                        first.key.value, c.key.value
                    ),
                    vec![
                        Label::new(c.text.span.clone(), format!("`{}`", c.key.value)),
                        Label::new(
                            first.text.span.clone(),
                            format!("same text as `{}`", first.key.value),
                        ),
                    ],
                )
                .help(format!(
                    "keep `{}`, cite it where `[^{}]` is used, and delete `{}`",
                    first.key.value, c.key.value, c.key.value
                )),
            );
        }
    }
    out
}

/// The texts that may hold footnote markers: the prose blocks, then the citations' own.
fn marked_texts(r: &Record) -> impl Iterator<Item = &Sp<Prose>> {
    r.prose_blocks()
        .map(|(_, p)| p)
        .chain(r.citations.iter().map(|c| &c.text))
}

/// Every key the record refers to: (key, span of the reference).
fn references(ctx: &Ctx<'_>) -> Vec<(String, Range<usize>)> {
    let r = ctx.record;
    let mut refs = Vec::new();
    for p in marked_texts(r) {
        for m in p.value.markers() {
            refs.push((m.key, p.value.source_range(m.range)));
        }
    }
    let sources = r
        .meetings
        .iter()
        .filter_map(|m| m.source.as_ref())
        .chain(r.votes.iter().filter_map(|v| v.source.as_ref()))
        .chain(r.conduct.iter().filter_map(|c| c.source.as_ref()))
        .chain(
            r.tables
                .iter()
                .flat_map(|t| t.notes.iter().map(|n| &n.source)),
        )
        .chain(
            r.clearance
                .iter()
                .flat_map(|c| c.extensions.iter().filter_map(|e| e.source.as_ref())),
        )
        .chain(
            r.article7
                .iter()
                .flat_map(|a| a.reports.iter().filter_map(|r| r.source.as_ref())),
        );
    for s in sources {
        refs.push((s.value.clone(), s.span.clone()));
    }
    refs
}

/// Every `[^` of the record's prose and citations that opens no marker, with its span in
/// the record.
fn broken_markers(ctx: &Ctx<'_>) -> Vec<(BrokenMarker, Range<usize>)> {
    marked_texts(ctx.record)
        .flat_map(|p| {
            p.value.broken_markers().into_iter().map(|m| {
                let span = p.value.source_range(m.range.clone());
                (m, span)
            })
        })
        .collect()
}

/// DOS302: markers and source fields naming no citation, and a `[^` that opens no marker.
/// On a record marked incomplete, markers whose footnote text is known to be lost are not
/// reported.
pub fn missing(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut drafts = unknown_keys(ctx);
    drafts.extend(broken_markers(ctx).into_iter().map(|(marker, span)| {
        let key = &marker.key;
        if marker.closed {
            Draft::new(
                format!("`[^{key}]` is not a footnote marker: a key has letters, digits, `-`, `_`, `.` and `:` only"),
                vec![Label::new(span, "printed as text")],
            )
            .help(format!("write the key without spaces, e.g. `[^{}]`", key.split_whitespace().collect::<Vec<_>>().join("-")))
        } else {
            Draft::new(
                format!("`[^{key}` opens a footnote marker that is never closed"),
                vec![Label::new(span, "no `]` after the key")],
            )
            .help(format!("close it: `[^{key}]`"))
        }
    }));
    drafts
}

/// The references naming no citation.
fn unknown_keys(ctx: &Ctx<'_>) -> Vec<Draft> {
    let lost = Lost::of(ctx.record);
    references(ctx)
        .into_iter()
        .filter(|(key, _)| ctx.record.citation(key).is_none())
        .filter(|(key, _)| !lost.as_ref().is_some_and(|l| l.footnote_lost(key)))
        .map(|(key, span)| {
            let known: Vec<&str> = ctx
                .record
                .citations
                .iter()
                .map(|c| c.key.value.as_str())
                .collect();
            let mut d = Draft::new(
                format!("no citation `{key}`"),
                vec![Label::new(span, "cited here")],
            );
            if let Some(s) = crate::record::did_you_mean(&key, &known) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            d
        })
        .collect()
}

/// DOS303: citations never referred to. On a record whose prose is known to be cut off, the
/// citing text may be what was lost: nothing is reported.
pub fn unused(ctx: &Ctx<'_>) -> Vec<Draft> {
    if Lost::of(ctx.record).is_some_and(|l| l.prose_lost()) {
        return Vec::new();
    }
    // A marker left unclosed still says which citation it meant: DOS302 reports it.
    let used: BTreeSet<String> = references(ctx)
        .into_iter()
        .map(|(k, _)| k)
        .chain(broken_markers(ctx).into_iter().map(|(m, _)| m.key))
        .collect();
    ctx.record
        .citations
        .iter()
        .filter(|c| !used.contains(&c.key.value))
        .map(|c| {
            Draft::new(
                format!("citation `{}` is never cited", c.key.value),
                vec![Label::new(c.key.span.clone(), "defined here")],
            )
        })
        .collect()
}

/// The first unmatched mark of `text`: what is unbalanced ("curly quotation marks",
/// "quotation marks", "parentheses") and the byte range of the mark that has no partner (an
/// opening mark never closed, or a closing mark never opened; for straight quotes, the last).
pub fn unbalanced_marks(text: &str) -> Option<(&'static str, Range<usize>)> {
    let unmatched = |open: char, close: char| -> Option<Range<usize>> {
        let mut opened: Vec<usize> = Vec::new();
        for (i, c) in text.char_indices() {
            if c == open {
                opened.push(i);
            } else if c == close && opened.pop().is_none() {
                return Some(i..i + c.len_utf8());
            }
        }
        opened.first().map(|&i| i..i + open.len_utf8())
    };
    if let Some(range) = unmatched('“', '”') {
        return Some(("curly quotation marks", range));
    }
    let straight: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    if straight.len() % 2 == 1 {
        let last = straight[straight.len() - 1];
        return Some(("quotation marks", last..last + 1));
    }
    unmatched('(', ')').map(|range| ("parentheses", range))
}

/// DOS304: a citation with unbalanced quotation marks or parentheses.
pub fn unbalanced(ctx: &Ctx<'_>) -> Vec<Draft> {
    ctx.record
        .citations
        .iter()
        .filter_map(|c| {
            let prose = &c.text.value;
            unbalanced_marks(&prose.text).map(|(what, range)| {
                Draft::new(
                    format!("citation `{}` has unbalanced {what}", c.key.value),
                    vec![Label::new(
                        prose.source_range(range),
                        format!("this mark has no partner: unbalanced {what}"),
                    )],
                )
            })
        })
        .collect()
}

/// The number of an imported footnote key (`n12` is 12).
fn footnote_number(key: &str) -> Option<u32> {
    key.strip_prefix('n')?.parse().ok()
}

/// DOS305: the published footnote numbers (`[^nN]` markers, in reading order) skip a number
/// that is never cited, or go backwards. A number cited again later is fine; a marker with a
/// key of its own takes the next number, as it does in print. On a record whose prose is
/// known to be cut off, gaps are not reported (the markers may have been in the lost text).
pub fn numbering(ctx: &Ctx<'_>) -> Vec<Draft> {
    let gaps_known = !Lost::of(ctx.record).is_some_and(|l| l.prose_lost());
    let markers: Vec<(String, Range<usize>)> = ctx
        .record
        .prose_blocks()
        .flat_map(|(_, prose)| {
            prose
                .value
                .markers()
                .into_iter()
                .map(|m| (m.key, prose.value.source_range(m.range)))
        })
        .collect();
    let cited: BTreeSet<u32> = markers
        .iter()
        .filter_map(|(k, _)| footnote_number(k))
        .collect();
    let mut seen = BTreeSet::new();
    let mut highest = 0;
    let mut out = Vec::new();
    for (key, span) in markers {
        if !seen.insert(key.clone()) {
            continue;
        }
        let Some(number) = footnote_number(&key) else {
            highest += 1;
            continue;
        };
        if number < highest {
            out.push(Draft::new(
                format!("footnote [{number}] comes after footnote [{highest}]"),
                vec![Label::new(span, format!("[{number}] out of order"))],
            ));
        } else if gaps_known {
            let skipped: Vec<String> = (highest + 1..number)
                .filter(|n| !cited.contains(n))
                .map(|n| format!("[{n}]"))
                .collect();
            if !skipped.is_empty() {
                out.push(Draft::new(
                    format!(
                        "footnote numbers jump from [{highest}] to [{number}]: {} never cited",
                        skipped.join(", ")
                    ),
                    vec![Label::new(span, format!("{} skipped", skipped.join(", ")))],
                ));
            }
        }
        highest = highest.max(number);
    }
    out
}
