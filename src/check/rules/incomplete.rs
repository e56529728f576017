//! Records known to be incomplete (`incomplete = "cut off: missing ..."`, set by
//! `dossier import`): one finding that says what is missing, and what the other rules must
//! not rest on.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Finding, Label};
use crate::record::Record;

/// Which footnotes a record lost.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LostFootnotes {
    /// None that the note names.
    None,
    /// These numbers (the texts of `[^nN]` markers).
    Numbers(BTreeSet<u32>),
    /// The whole footnote list, or a note too vague to say.
    All,
}

/// What an incomplete record lost, read from its `incomplete` note.
#[derive(Debug, Clone)]
pub struct Lost {
    footnotes: LostFootnotes,
    /// Prose is missing: markers citing a footnote may have been in it.
    prose: bool,
    /// Source spans of text that survives only in part (a paragraph or footnote that stops
    /// mid-sentence): no finding may rest on them.
    truncated: Vec<Range<usize>>,
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[(\d+)\]").expect("valid regex"));
static CUT_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"the rest of (?:the summary|the section “([^”]*)”|the text|footnote \[(\d+)\])")
        .expect("valid regex")
});

impl Lost {
    /// What `record` lost, `None` when it is not marked incomplete.
    pub fn of(record: &Record) -> Option<Self> {
        let note = &record.incomplete.as_ref()?.value;
        let missing = note.strip_prefix("cut off: missing ").unwrap_or(note);
        let mut lost = Lost {
            footnotes: LostFootnotes::None,
            prose: false,
            truncated: Vec::new(),
        };
        for part in missing.split("; ") {
            if part.contains("footnote list") {
                lost.footnotes = LostFootnotes::All;
            } else if part.starts_with("the text of footnote") {
                let numbers = NUMBER.captures_iter(part).filter_map(|c| c[1].parse().ok());
                lost.add_footnotes(numbers);
            } else if let Some(cut) = CUT_BLOCK.captures(part) {
                lost.prose |= cut.get(2).is_none();
                lost.truncated.extend(truncated_span(record, &cut));
            } else if part.starts_with("the text of the section")
                || part.starts_with("the sections after")
                || part.starts_with("the text after")
            {
                lost.prose = true;
            } else {
                // A note written by hand: prose may be missing, and with it any footnote.
                lost.prose = true;
                lost.footnotes = LostFootnotes::All;
            }
        }
        Some(lost)
    }

    fn add_footnotes(&mut self, numbers: impl Iterator<Item = u32>) {
        match &mut self.footnotes {
            LostFootnotes::None => self.footnotes = LostFootnotes::Numbers(numbers.collect()),
            LostFootnotes::Numbers(set) => set.extend(numbers),
            LostFootnotes::All => {}
        }
    }

    /// Whether the text of the citation `key` is known to be lost: `nN` keys of imported
    /// footnotes whose number the note names (or all of them when the list was lost).
    pub fn footnote_lost(&self, key: &str) -> bool {
        let Some(number) = key.strip_prefix('n').and_then(|n| n.parse::<u32>().ok()) else {
            return false;
        };
        match &self.footnotes {
            LostFootnotes::None => false,
            LostFootnotes::Numbers(set) => set.contains(&number),
            LostFootnotes::All => true,
        }
    }

    /// Whether prose is missing, so a citation may have been cited in the lost text and
    /// marker numbers may jump over it.
    pub fn prose_lost(&self) -> bool {
        self.prose
    }

    /// Whether a finding rests on text that survives only in part.
    fn rests_on_truncated(&self, finding: &Finding) -> bool {
        finding.draft.labels.iter().any(|label| {
            self.truncated.iter().any(|cut| {
                label.span.start < cut.end && cut.start < label.span.end.max(label.span.start + 1)
            })
        })
    }
}

/// The source span of the last paragraph of the block (or the footnote) a note says stops
/// mid-sentence.
fn truncated_span(record: &Record, cut: &regex::Captures<'_>) -> Option<Range<usize>> {
    let prose = if let Some(number) = cut.get(2) {
        &record.citation(&format!("n{}", number.as_str()))?.text
    } else if let Some(title) = cut.get(1) {
        &record
            .sections
            .iter()
            .rev()
            .find(|s| s.title.value == title.as_str())?
            .text
    } else if cut[0].ends_with("summary") {
        record.summary.as_ref()?
    } else {
        &record.sections.last()?.text
    };
    let last = crate::record::prose::paragraph_ranges(&prose.value.text).pop()?;
    Some(prose.value.source_range(last))
}

/// DOS003: the record is known to be incomplete; says what is missing.
pub fn incomplete(ctx: &Ctx<'_>) -> Vec<Draft> {
    ctx.record
        .incomplete
        .iter()
        .map(|note| {
            Draft::new(
                format!("the record is incomplete: {}", note.value),
                vec![Label::new(note.span.clone(), "marked incomplete here")],
            )
            .help("complete the text from the published page, then delete the `incomplete` line; until then, findings about the missing part are not reported")
        })
        .collect()
}

/// Drops findings of other rules that rest on text the record has only in part.
pub(crate) fn drop_findings_on_lost_text(record: &Record, findings: &mut Vec<Finding>) {
    if let Some(lost) = Lost::of(record) {
        findings.retain(|f| f.rule.name == "incomplete-record" || !lost.rests_on_truncated(f));
    }
}
