//! The terminal report: a summary header, then each record's changes and edited prose.

use std::fmt::Write;

use super::super::{
    Change, ChangeKind, Diff, Op, ParagraphStatus, Piece, RecordDiff, RecordStatus,
};
use super::{differing, editions_line, kind_counts, record_counts, record_line, status_word};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn kind(&self, kind: ChangeKind) -> String {
        let style = match kind {
            ChangeKind::News => GREEN,
            ChangeKind::Correction => YELLOW,
            ChangeKind::Removal => RED,
            ChangeKind::Wording => DIM,
        };
        self.paint(style, &format!("{:<10}", kind.keyword()))
    }
}

/// Prose pieces as one line: `[-deleted-]` and `{+inserted+}`, coloured when asked.
pub fn pieces_line(pieces: &[Piece], color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    for piece in pieces {
        if piece.space_before && !out.is_empty() {
            out.push(' ');
        }
        let text = match (&piece.note, piece.italic) {
            (Some(_), _) => format!("[^{}]", piece.text),
            (None, true) => format!("_{}_", piece.text),
            (None, false) => piece.text.clone(),
        };
        match piece.op {
            Op::Equal => out.push_str(&text),
            Op::Delete => out.push_str(&p.paint(RED, &format!("[-{text}-]"))),
            Op::Insert => out.push_str(&p.paint(GREEN, &format!("{{+{text}+}}"))),
        }
    }
    out
}

fn value(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("\"{v}\""),
        None => "(none)".into(),
    }
}

fn change_line(c: &Change, p: &Painter) -> String {
    format!(
        "  {} {}  {}: {} → {}",
        p.kind(c.kind),
        p.paint(BOLD, &c.path),
        c.what,
        value(&c.old),
        value(&c.new)
    )
}

/// For a record whose facts and prose did not change, what did: its edition and
/// last-updated date ("kyrgyzstan  edition 2023 → 2024, last updated 5 September 2023 → —").
fn edition_line(r: &RecordDiff) -> Option<String> {
    let mut parts = Vec::new();
    if let (Some(old), Some(new)) = (r.old_edition, r.new_edition)
        && old != new
    {
        parts.push(format!("edition {old} → {new}"));
    }
    if r.old_updated != r.new_updated {
        let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "—".into());
        parts.push(format!(
            "last updated {} → {}",
            show(&r.old_updated),
            show(&r.new_updated)
        ));
    }
    (!parts.is_empty()).then(|| format!("{:<12} {}", r.slug, parts.join(", ")))
}

/// The report as text: a summary line per record, then each differing record's changes.
pub fn render(diff: &Diff, color: bool) -> String {
    let p = Painter { color };
    let summary = diff.summary();
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.paint(RED, &format!("--- {}", diff.old)));
    let _ = writeln!(out, "{}", p.paint(GREEN, &format!("+++ {}", diff.new)));
    if diff.is_empty() {
        let _ = writeln!(
            out,
            "no differences in facts or prose ({} records compared)",
            diff.records.len()
        );
        for line in diff.records.iter().filter_map(edition_line) {
            let _ = writeln!(out, "  {line}");
        }
        return out;
    }
    let _ = writeln!(out, "records: {}", record_line(&summary));
    let _ = writeln!(
        out,
        "changes: {}",
        kind_counts(&super::summary_counts(&summary))
    );
    let width = differing(diff).map(|r| r.slug.len()).max().unwrap_or(0);
    for r in differing(diff) {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<9}  {}",
            r.slug,
            status_word(r.status),
            kind_counts(&record_counts(r))
        );
    }
    for r in differing(diff) {
        record_section(&mut out, r, &p);
    }
    out
}

/// One record's section: its fact changes, then its changed paragraphs.
fn record_section(out: &mut String, r: &RecordDiff, p: &Painter) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {} ({}, {}) {}",
        p.paint(CYAN, "==="),
        p.paint(BOLD, &r.slug),
        r.country,
        r.topic,
        editions_line(r)
    );
    match r.status {
        RecordStatus::Added => {
            let _ = writeln!(out, "  {} record added", p.kind(ChangeKind::News));
            return;
        }
        RecordStatus::Removed => {
            let _ = writeln!(out, "  {} record removed", p.kind(ChangeKind::Removal));
            return;
        }
        _ => {}
    }
    for c in &r.changes {
        let _ = writeln!(out, "{}", change_line(c, p));
    }
    let edited: Vec<_> = r
        .prose
        .iter()
        .flat_map(|b| {
            b.paragraphs
                .iter()
                .enumerate()
                .filter(|(_, para)| para.status != ParagraphStatus::Unchanged)
                .map(move |(i, para)| (b, i, para))
        })
        .collect();
    if !edited.is_empty() {
        let _ = writeln!(out, "  prose:");
    }
    for (b, i, para) in edited {
        let what = match (&para.status, &para.moved) {
            (ParagraphStatus::Moved, Some(from)) => format!("moved from {from}"),
            (ParagraphStatus::MovedAway, Some(to)) => format!("moved to {to}"),
            (status, _) => format!("{status:?}").to_lowercase(),
        };
        let _ = writeln!(
            out,
            "    {} ({what})",
            p.paint(BOLD, &format!("{} ¶{}", b.block, i + 1))
        );
        if para.status != ParagraphStatus::MovedAway {
            let _ = writeln!(out, "      {}", pieces_line(&para.pieces, p.color));
        }
    }
}
