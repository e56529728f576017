//! Citations: duplicates, missing and unused keys, unbalanced quotes (families 15–17).

use std::collections::BTreeSet;

use crate::check::{Ctx, Draft, Label};

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

/// Every key the record refers to: (key, span of the reference).
fn references(ctx: &Ctx<'_>) -> Vec<(String, std::ops::Range<usize>)> {
    let r = ctx.record;
    let mut refs = Vec::new();
    let mut blocks: Vec<&crate::record::Sp<crate::record::Prose>> =
        r.prose_blocks().map(|(_, p)| p).collect();
    blocks.extend(r.citations.iter().map(|c| &c.text));
    for p in blocks {
        for m in p.value.markers() {
            refs.push((m.key, p.value.source_range(m.range)));
        }
    }
    let sources = r
        .meetings
        .iter()
        .filter_map(|m| m.source.as_ref())
        .chain(r.votes.iter().filter_map(|v| v.source.as_ref()))
        .chain(r.conduct.iter().filter_map(|c| c.source.as_ref()));
    for s in sources {
        refs.push((s.value.clone(), s.span.clone()));
    }
    refs
}

/// DOS302: markers and source fields naming no citation.
pub fn missing(ctx: &Ctx<'_>) -> Vec<Draft> {
    references(ctx)
        .into_iter()
        .filter(|(key, _)| ctx.record.citation(key).is_none())
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

/// DOS303: citations never referred to.
pub fn unused(ctx: &Ctx<'_>) -> Vec<Draft> {
    let used: BTreeSet<String> = references(ctx).into_iter().map(|(k, _)| k).collect();
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

/// What is unbalanced in a text: curly quotes, straight quotes, parentheses.
pub fn unbalanced_marks(text: &str) -> Option<&'static str> {
    let count = |c: char| text.chars().filter(|&x| x == c).count();
    if count('“') != count('”') {
        Some("curly quotation marks")
    } else if count('"') % 2 == 1 {
        Some("quotation marks")
    } else if count('(') != count(')') {
        Some("parentheses")
    } else {
        None
    }
}

/// DOS304: a citation with unbalanced quotation marks or parentheses.
pub fn unbalanced(ctx: &Ctx<'_>) -> Vec<Draft> {
    ctx.record
        .citations
        .iter()
        .filter_map(|c| {
            unbalanced_marks(&c.text.value.text).map(|what| {
                Draft::new(
                    format!("citation `{}` has unbalanced {what}", c.key.value),
                    vec![Label::new(
                        c.text.span.clone(),
                        format!("unbalanced {what}"),
                    )],
                )
            })
        })
        .collect()
}
