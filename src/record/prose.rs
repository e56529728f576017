//! Prose as data: paragraphs of literal text with two kinds of markup only.
//!
//! - `[^key]` is a citation marker pointing at the record's `[citations]` table;
//! - `_words_` sets a publication title in italics (an underscore only opens at the start of
//!   a word and only closes at the end of one, so `snake_case` and URLs stay literal).
//!
//! Every other character is literal text: nothing here is ever evaluated as Typst markup.
//! Blank lines separate paragraphs; single line breaks inside a paragraph are spaces.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Serialize;

/// A block of prose with its mapping back to the TOML source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prose {
    /// The decoded text, exactly as the record holds it.
    pub text: String,
    /// Checkpoints `(text offset, source offset)`: from each checkpoint on, text offset
    /// `t` maps to source offset `source + (t - text)` until the next checkpoint.
    map: Vec<(usize, usize)>,
}

/// One piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text (line breaks already folded to spaces).
    Text(String),
    /// Literal text set in italics.
    Italic(String),
    /// A citation marker `[^key]`.
    Cite(String),
}

/// A parsed paragraph: its segments and the byte range it covers in [`Prose::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Range of the paragraph in the prose text.
    pub range: Range<usize>,
    /// The paragraph's pieces in order.
    pub segments: Vec<Segment>,
}

/// A citation marker found in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The citation key.
    pub key: String,
    /// Range of the whole `[^key]` in the prose text.
    pub range: Range<usize>,
}

/// A `[^` that opens no citation marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenMarker {
    /// What follows `[^`: up to the `]` on its line when there is one, else the run of
    /// characters a key may have.
    pub key: String,
    /// Range of `[^`, the key and the `]` when there is one, in the prose text.
    pub range: Range<usize>,
    /// Whether a `]` closes it on its line: then the key has a character keys cannot have.
    pub closed: bool,
}

impl Prose {
    /// Prose that was not read from a file (offsets map to 0).
    pub fn detached(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            map: vec![(0, 0)],
        }
    }

    /// Prose read from a TOML file, with its source mapping checkpoints.
    pub(crate) fn with_map(text: String, map: Vec<(usize, usize)>) -> Self {
        Self { text, map }
    }

    /// The source offset of a byte offset into [`Prose::text`].
    pub fn source_offset(&self, offset: usize) -> usize {
        let idx = self.map.partition_point(|&(t, _)| t <= offset);
        match idx.checked_sub(1).map(|i| self.map[i]) {
            Some((t, s)) => s + (offset - t),
            None => offset,
        }
    }

    /// The source range of a range in [`Prose::text`].
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start);
        let end = self.source_offset(range.end).max(start);
        start..end
    }

    /// Whether the prose holds no visible text.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The paragraphs, split at blank lines, each parsed into segments.
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        paragraph_ranges(&self.text)
            .into_iter()
            .map(|range| Paragraph {
                segments: parse_segments(&self.text[range.clone()]),
                range,
            })
            .collect()
    }

    /// Every citation marker, in order.
    pub fn markers(&self) -> Vec<Marker> {
        let mut markers = Vec::new();
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'['
                && let Some((key, len)) = marker_at(&self.text[i..])
            {
                markers.push(Marker {
                    key: key.to_string(),
                    range: i..i + len,
                });
                i += len;
                continue;
            }
            i += 1;
        }
        markers
    }

    /// Every `[^` that opens no marker: its `]` left out, or a key with a character keys
    /// cannot have (a space).
    pub fn broken_markers(&self) -> Vec<BrokenMarker> {
        self.text
            .match_indices("[^")
            .filter(|(i, _)| marker_at(&self.text[*i..]).is_none())
            .map(|(i, _)| {
                let rest = &self.text[i + 2..];
                let line = rest.split('\n').next().unwrap_or(rest);
                let closing = line.find(']').filter(|&end| !line[..end].contains('['));
                let key_len = match closing {
                    Some(end) => end,
                    None => rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len()),
                };
                BrokenMarker {
                    key: rest[..key_len].to_string(),
                    range: i..i + 2 + key_len + usize::from(closing.is_some()),
                    closed: closing.is_some(),
                }
            })
            .collect()
    }

    /// The text with markup removed: markers dropped, italics kept as plain words,
    /// paragraphs separated by a blank line and line breaks folded to spaces.
    pub fn plain_text(&self) -> String {
        self.paragraphs()
            .iter()
            .map(|p| {
                p.segments
                    .iter()
                    .filter_map(|s| match s {
                        Segment::Text(t) | Segment::Italic(t) => Some(t.as_str()),
                        Segment::Cite(_) => None,
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

impl Serialize for Prose {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl JsonSchema for Prose {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Prose".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Prose: literal text; `[^key]` cites a source, `_Title_` sets italics, blank lines separate paragraphs.",
            "type": "string"
        })
    }
}

/// Ranges of the paragraphs of `text` (separated by lines that are blank), trimmed.
pub fn paragraph_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                ranges.push(s..end);
            }
        } else {
            let lead = content.len() - content.trim_start().len();
            if start.is_none() {
                start = Some(offset + lead);
            }
            end = offset + content.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        ranges.push(s..end);
    }
    ranges
}

/// Whether `c` may appear in a citation key.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// If `text` starts with a citation marker `[^key]`, returns its key and byte length: the
/// one reader of the citation-key grammar (letters, digits, `-`, `_`, `.` and `:`).
pub fn marker_at(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("[^")?;
    let end = rest.find(']')?;
    let key = &rest[..end];
    (!key.is_empty() && key.chars().all(is_key_char)).then_some((key, end + 3))
}

/// Splits one paragraph into segments; line breaks become single spaces.
pub fn parse_segments(paragraph: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut text = String::new();
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c == '['
            && let Some((key, len)) = marker_at(&paragraph[pos..])
        {
            flush(&mut segments, &mut text);
            segments.push(Segment::Cite(key.to_string()));
            let end = pos + len;
            while i < chars.len() && chars[i].0 < end {
                i += 1;
            }
            continue;
        }
        if c == '_'
            && opens_italic(&chars, i)
            && let Some(close) = find_italic_close(&chars, i)
        {
            flush(&mut segments, &mut text);
            let inner = &paragraph[chars[i + 1].0..chars[close].0];
            segments.push(Segment::Italic(fold_breaks(inner)));
            i = close + 1;
            continue;
        }
        if c == '\r' {
            i += 1;
            continue;
        }
        if c == '\n' {
            if !text.ends_with(' ') {
                text.push(' ');
            }
            i += 1;
            while i < chars.len() && matches!(chars[i].1, ' ' | '\t') {
                i += 1;
            }
            continue;
        }
        text.push(c);
        i += 1;
    }
    flush(&mut segments, &mut text);
    segments
}

fn flush(segments: &mut Vec<Segment>, text: &mut String) {
    if !text.is_empty() {
        segments.push(Segment::Text(std::mem::take(text)));
    }
}

fn fold_breaks(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An underscore opens italics at the start of a word, followed by a non-space.
fn opens_italic(chars: &[(usize, char)], i: usize) -> bool {
    let before_ok = i == 0 || !chars[i - 1].1.is_alphanumeric();
    let after_ok = chars
        .get(i + 1)
        .is_some_and(|&(_, c)| !c.is_whitespace() && c != '_');
    before_ok && after_ok
}

/// The closing underscore: after a non-space, before a non-alphanumeric, same paragraph.
fn find_italic_close(chars: &[(usize, char)], open: usize) -> Option<usize> {
    (open + 2..chars.len()).find(|&j| {
        chars[j].1 == '_'
            && !chars[j - 1].1.is_whitespace()
            && chars.get(j + 1).is_none_or(|&(_, c)| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_italics() {
        let segs = parse_segments("See _Monitor 2010_, p. 2.[^m] a_b [^bad key] x");
        assert_eq!(
            segs,
            vec![
                Segment::Text("See ".into()),
                Segment::Italic("Monitor 2010".into()),
                Segment::Text(", p. 2.".into()),
                Segment::Cite("m".into()),
                Segment::Text(" a_b [^bad key] x".into()),
            ]
        );
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let prose = Prose::detached("One\ntwo.\n\n  \nThree.\n");
        let paras = prose.paragraphs();
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].segments, vec![Segment::Text("One two.".into())]);
        assert_eq!(&prose.text[paras[1].range.clone()], "Three.");
    }

    #[test]
    fn source_offsets_follow_checkpoints() {
        let prose = Prose::with_map("abcdef".into(), vec![(0, 10), (3, 20)]);
        assert_eq!(prose.source_offset(1), 11);
        assert_eq!(prose.source_offset(4), 21);
    }
}
