//! The Markdown report, for a pull-request comment.

use std::fmt::Write;

use super::super::{Diff, Op, ParagraphStatus, Piece, RecordDiff, RecordStatus};
use super::{differing, editions_line, kind_counts, record_counts, record_line, status_word};

/// Escapes Markdown punctuation so record text prints literally.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '!'
                | '|'
                | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Prose pieces: deletions struck through, insertions in bold.
fn pieces_md(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        if piece.space_before && !out.is_empty() {
            out.push(' ');
        }
        let text = match (&piece.note, piece.italic) {
            (Some(_), _) => format!("\\[^{}\\]", escape(&piece.text)),
            (None, true) => format!("*{}*", escape(&piece.text)),
            (None, false) => escape(&piece.text),
        };
        match piece.op {
            Op::Equal => out.push_str(&text),
            Op::Delete => out.push_str(&format!("~~{text}~~")),
            Op::Insert => out.push_str(&format!("**{text}**")),
        }
    }
    out
}

fn cell(v: &Option<String>) -> String {
    v.as_deref().map_or("—".to_string(), escape)
}

/// The report as Markdown: a summary table, then each differing record's changes.
pub fn render(diff: &Diff) -> String {
    let summary = diff.summary();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## dossier diff: {} → {}\n",
        escape(&diff.old),
        escape(&diff.new)
    );
    if diff.is_empty() {
        let _ = writeln!(
            out,
            "No differences ({} records compared).",
            diff.records.len()
        );
        return out;
    }
    let _ = writeln!(out, "Records: {}.  ", record_line(&summary));
    let _ = writeln!(
        out,
        "Changes: {}.\n",
        kind_counts(&super::summary_counts(&summary))
    );
    let _ = writeln!(
        out,
        "| record | status | news | correction | removal | wording |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for r in differing(diff) {
        let counts: Vec<String> = record_counts(r)
            .iter()
            .map(|(_, n)| n.to_string())
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            escape(&r.slug),
            status_word(r.status),
            counts.join(" | ")
        );
    }
    for r in differing(diff) {
        record_section(&mut out, r);
    }
    out
}

/// One record's section: its fact changes as a table and its prose in a fold.
fn record_section(out: &mut String, r: &RecordDiff) {
    let _ = writeln!(
        out,
        "\n### {} — {} ({})\n",
        escape(&r.country),
        escape(&r.topic),
        escape(&editions_line(r))
    );
    match r.status {
        RecordStatus::Added => {
            let _ = writeln!(out, "Record added.");
            return;
        }
        RecordStatus::Removed => {
            let _ = writeln!(out, "Record removed.");
            return;
        }
        _ => {}
    }
    if !r.changes.is_empty() {
        let _ = writeln!(out, "| kind | where | what | old | new |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for c in &r.changes {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                c.kind.keyword(),
                c.path.replace('`', "'"),
                escape(&c.what),
                cell(&c.old),
                cell(&c.new)
            );
        }
    }
    let prose = prose_md(r);
    if !prose.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>Prose (deleted ~~struck~~, inserted **bold**)</summary>\n\n{prose}</details>"
        );
    }
}

/// The changed paragraphs of a record's prose.
fn prose_md(r: &RecordDiff) -> String {
    let mut prose = String::new();
    for b in &r.prose {
        for (i, para) in b.paragraphs.iter().enumerate() {
            let note = match (&para.status, &para.moved) {
                (ParagraphStatus::Unchanged, _) => continue,
                (ParagraphStatus::Moved, Some(from)) => format!("moved from {from}"),
                (ParagraphStatus::MovedAway, Some(to)) => {
                    let _ = writeln!(
                        prose,
                        "**{} ¶{}**: moved to {}\n",
                        escape(&b.block),
                        i + 1,
                        escape(to)
                    );
                    continue;
                }
                (status, _) => format!("{status:?}").to_lowercase(),
            };
            let _ = writeln!(
                prose,
                "**{} ¶{}** ({})\n\n{}\n",
                escape(&b.block),
                i + 1,
                escape(&note),
                pieces_md(&para.pieces)
            );
        }
    }
    prose
}
