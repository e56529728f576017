//! Diff emitters: terminal, JSON, Markdown and the redline PDF.

pub mod json;
pub mod markdown;
pub mod pdf;
pub mod terminal;

use super::{ChangeKind, Diff, RecordDiff, RecordStatus, Summary};

/// Output formats of `dossier diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text, coloured on a terminal.
    #[default]
    Terminal,
    /// Versioned JSON (see the README's "Diff" section).
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
    /// A redline PDF in the print layout.
    Pdf,
}

/// "1 news, 2 corrections, 0 removals, 3 wording" for a set of counts.
pub fn kind_counts(counts: &[(ChangeKind, usize)]) -> String {
    counts
        .iter()
        .map(|(k, n)| format!("{n} {}", plural(*k, *n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A kind's name for a count: "news", "corrections", "removal", "wording".
pub fn plural(kind: ChangeKind, n: usize) -> &'static str {
    match (kind, n == 1) {
        (ChangeKind::News, _) => "news",
        (ChangeKind::Correction, true) => "correction",
        (ChangeKind::Correction, false) => "corrections",
        (ChangeKind::Removal, true) => "removal",
        (ChangeKind::Removal, false) => "removals",
        (ChangeKind::Wording, _) => "wording",
    }
}

/// The counts of a summary, in report order.
pub fn summary_counts(summary: &Summary) -> Vec<(ChangeKind, usize)> {
    ChangeKind::ALL
        .iter()
        .map(|k| (*k, summary.kinds.get(k).copied().unwrap_or(0)))
        .collect()
}

/// The counts of one record, in report order.
pub fn record_counts(r: &RecordDiff) -> Vec<(ChangeKind, usize)> {
    ChangeKind::ALL.iter().map(|k| (*k, r.count(*k))).collect()
}

/// "2 changed, 1 added, 0 removed, 1 unchanged".
pub fn record_line(summary: &Summary) -> String {
    format!(
        "{} changed, {} added, {} removed, {} unchanged",
        summary.changed, summary.added, summary.removed, summary.unchanged
    )
}

/// The records that differ, in order.
pub fn differing(diff: &Diff) -> impl Iterator<Item = &RecordDiff> {
    diff.records.iter().filter(|r| r.differs())
}

/// A record's status as a word.
pub fn status_word(status: RecordStatus) -> &'static str {
    match status {
        RecordStatus::Added => "added",
        RecordStatus::Removed => "removed",
        RecordStatus::Changed => "changed",
        RecordStatus::Unchanged => "unchanged",
    }
}

/// "2022 → 2023 (last updated 25 August 2022 → 5 September 2023)".
pub fn editions_line(r: &RecordDiff) -> String {
    let side = |e: Option<i32>| e.map_or("—".to_string(), |e| e.to_string());
    let mut line = format!("{} → {}", side(r.old_edition), side(r.new_edition));
    if r.old_updated.is_some() || r.new_updated.is_some() {
        let d = |d: &Option<String>| d.clone().unwrap_or_else(|| "—".into());
        line.push_str(&format!(
            " (last updated {} → {})",
            d(&r.old_updated),
            d(&r.new_updated)
        ));
    }
    line
}
