//! Windows on long source lines for human output. Archive paragraphs are single lines of
//! several hundred characters; a diagnostic shows about one terminal width around each label
//! instead, with an ellipsis where the line was cut, and keeps every label visible.

use std::ops::Range;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines longer than this many bytes are cut to windows.
const WIDTH: usize = 100;
/// The least context kept on each side of a label.
const MIN_CONTEXT: usize = 12;
/// Labels longer than this keep only their start and end, with an ellipsis between.
const LONG_LABEL: usize = 80;
/// How much of a long label's start and end is kept.
const LABEL_END: usize = 30;
const ELLIPSIS: &str = "…";

/// A copy of a source with long lines cut to windows around the labels, and the map from
/// offsets in the original to offsets in the copy.
#[derive(Debug)]
pub(crate) struct Windowed {
    /// The shortened text; it has the same lines as the original.
    pub(crate) text: String,
    /// Kept ranges of the original, each with its start in `text`, in order.
    kept: Vec<(Range<usize>, usize)>,
    /// The original, for the line and column of a label.
    original: Arc<str>,
}

impl Windowed {
    /// Cuts every line of `source` longer than the width, keeping windows around `labels`
    /// (byte ranges into `source`).
    pub(crate) fn new(original: Arc<str>, labels: &[Range<usize>]) -> Self {
        let mut windowed = Windowed {
            text: String::with_capacity(original.len().min(1 << 16)),
            kept: Vec::new(),
            original: original.clone(),
        };
        let source = &*original;
        let mut line_start = 0;
        for line in source.split_inclusive('\n') {
            let line_range = line_start..line_start + line.len();
            line_start = line_range.end;
            let content =
                line_range.start..line_range.start + line.trim_end_matches(['\n', '\r']).len();
            if content.len() <= WIDTH {
                windowed.keep(source, line_range);
                continue;
            }
            let ranges = keep_ranges(source, &content, labels);
            let mut at = content.start;
            for range in ranges {
                if range.start > at {
                    windowed.text.push_str(ELLIPSIS);
                }
                windowed.keep(source, range.clone());
                at = range.end;
            }
            if at < content.end {
                windowed.text.push_str(ELLIPSIS);
            }
            windowed.keep(source, content.end..line_range.end);
        }
        windowed
    }

    fn keep(&mut self, source: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.kept.push((range.clone(), self.text.len()));
        self.text.push_str(&source[range]);
    }

    /// The offset in the copy of an offset in the original; an offset that was cut away maps
    /// to the start of the next kept text.
    pub(crate) fn map(&self, offset: usize) -> usize {
        let i = self.kept.partition_point(|(range, _)| range.end < offset);
        match self.kept.get(i) {
            Some((range, start)) if offset >= range.start => start + (offset - range.start),
            Some((_, start)) => *start,
            None => self.text.len(),
        }
    }

    /// The offset in the original of an offset in the copy (an ellipsis maps to the end of
    /// the kept text before it).
    fn unmap(&self, offset: usize) -> usize {
        let i = self.kept.partition_point(|(_, start)| *start <= offset);
        match i.checked_sub(1).map(|i| &self.kept[i]) {
            Some((range, start)) => (range.start + (offset - start)).min(range.end),
            None => 0,
        }
    }

    /// A range of the original mapped into the copy.
    pub(crate) fn map_range(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.map(range.start);
        start..self.map(range.end).max(start)
    }
}

impl SourceCode for Windowed {
    /// Reads the copy; the column of a span read without context (the header of a
    /// diagnostic) is the column in the original, in bytes as miette counts it.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        if context_lines_before != 0 {
            return Ok(contents);
        }
        let original = self.unmap(span.offset());
        let line_start = self.original[..original].rfind('\n').map_or(0, |i| i + 1);
        Ok(Box::new(MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            contents.line(),
            original - line_start,
            contents.line_count(),
        )))
    }
}

/// The ranges of a long line to keep: windows around each label that touches it, sharing
/// the width (a long label keeps its start and end), or the line's start when no label
/// does; merged.
fn keep_ranges(source: &str, line: &Range<usize>, labels: &[Range<usize>]) -> Vec<Range<usize>> {
    let clamp = |at: usize| at.clamp(line.start, line.end);
    let on_line: Vec<(usize, usize)> = labels
        .iter()
        .filter(|label| label.start <= line.end && line.start <= label.end)
        .map(|label| (label.start.max(line.start), label.end.min(line.end)))
        .collect();
    // The line's width is shared by the labels on it.
    let share = WIDTH / on_line.len().max(1);
    let mut wanted: Vec<Range<usize>> = Vec::new();
    for (start, end) in on_line {
        if end - start > LONG_LABEL {
            wanted.push(clamp(start.saturating_sub(MIN_CONTEXT))..clamp(start + LABEL_END));
            wanted.push(clamp(end - LABEL_END)..clamp(end + MIN_CONTEXT));
        } else {
            let context = (share.saturating_sub(end - start) / 2).max(MIN_CONTEXT);
            wanted.push(clamp(start.saturating_sub(context))..clamp(end + context));
        }
    }
    if wanted.is_empty() {
        wanted.push(line.start..line.start + WIDTH);
    }
    let mut ranges: Vec<Range<usize>> = wanted
        .into_iter()
        .map(|r| source.floor_char_boundary(r.start)..source.ceil_char_boundary(r.end))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end + ELLIPSIS.len() => {
                last.end = last.end.max(range.end);
            }
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::Windowed;

    #[test]
    fn short_sources_are_kept_as_they_are() {
        let source = "a = 1\nb = \"two\"\n";
        let label = 6..9;
        let w = Windowed::new(source.into(), std::slice::from_ref(&label));
        assert_eq!(w.text, source);
        assert_eq!(w.map_range(&(6..9)), 6..9);
    }

    #[test]
    fn long_lines_keep_a_window_around_each_label_with_ellipses() {
        let line = format!(
            "{}MARK{}OTHER{}",
            "x".repeat(300),
            "y".repeat(300),
            "z".repeat(300)
        );
        let source = format!("top = 1\n{line}\nend = 2\n");
        let mark = source.find("MARK").unwrap();
        let other = source.find("OTHER").unwrap();
        let w = Windowed::new(source.as_str().into(), &[mark..mark + 4, other..other + 5]);
        assert_eq!(w.text.lines().count(), source.lines().count());
        let cut = w.text.lines().nth(1).unwrap();
        assert!(cut.chars().count() < 200, "{cut}");
        assert!(
            cut.starts_with('…') && cut.ends_with('…') && cut.contains("y…y"),
            "{cut}"
        );
        assert_eq!(&w.text[w.map_range(&(mark..mark + 4))], "MARK");
        assert_eq!(&w.text[w.map_range(&(other..other + 5))], "OTHER");
        assert!(w.text.ends_with("end = 2\n"));
    }

    #[test]
    fn a_long_label_keeps_its_start_and_end() {
        let source = format!(
            "p = \"{}START{}END{}\"\n",
            "a".repeat(50),
            "b".repeat(400),
            "c".repeat(50)
        );
        let start = source.find("START").unwrap();
        let end = source.find("END").unwrap() + 3;
        let label = start..end;
        let w = Windowed::new(source.as_str().into(), std::slice::from_ref(&label));
        let labelled = &w.text[w.map_range(&(start..end))];
        assert!(
            labelled.starts_with("START") && labelled.ends_with("END"),
            "{labelled}"
        );
        assert!(labelled.contains('…') && labelled.len() < 100, "{labelled}");
    }
}
