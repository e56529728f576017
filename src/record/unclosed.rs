//! Where an array, inline table or multi-line text in a record's TOML was left open.
//!
//! A missing `]` makes the TOML parser read every following line as more of the array: it
//! reports an error on each of them and the missing bracket last, at the end of the file, far
//! from where it belongs. A missing closing `"""` is worse: the text runs on to the next
//! `"""`, and the parser then reads the prose after it as TOML. A value cannot run into the
//! next `key =` line or table header, so what is still open when one begins is what was left
//! unclosed. Its skipping of strings and comments is also what the nesting guard of
//! `load.rs` scans with.

use std::ops::Range;

/// What was left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Opened {
    /// An array, `[`.
    Array,
    /// An inline table, `{`.
    InlineTable,
    /// A multi-line text, `"""` or `\'\'\'`.
    Text(&'static str),
}

impl Opened {
    /// The mark that opened it.
    pub(super) fn opener(self) -> &'static str {
        match self {
            Opened::Array => "[",
            Opened::InlineTable => "{",
            Opened::Text(quotes) => quotes,
        }
    }

    /// The mark that closes it.
    pub(super) fn closer(self) -> &'static str {
        match self {
            Opened::Array => "]",
            Opened::InlineTable => "}",
            Opened::Text(quotes) => quotes,
        }
    }

    /// What it is, for a message.
    pub(super) fn noun(self) -> &'static str {
        match self {
            Opened::Array => "array",
            Opened::InlineTable => "inline table",
            Opened::Text(_) => "text",
        }
    }
}

/// Something opened and never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unclosed {
    /// What it is.
    pub(super) opened: Opened,
    /// The byte range of the mark that opened it.
    pub(super) open: Range<usize>,
    /// Where the key or table header it ran into begins; `None` at the end of the file.
    pub(super) next: Option<usize>,
}

/// The first thing left open in `text`, if any: a multi-line text with an entry inside it,
/// or the innermost bracket still open when the next entry or the end of the file comes.
/// Comments are skipped; a closing bracket closes the last one opened.
pub(super) fn find(text: &str) -> Option<Unclosed> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    let mut line_start = true;
    while at < bytes.len() {
        if line_start {
            line_start = false;
            at = skip_blanks(bytes, at);
            let rest = &text[at..];
            if let Some(&last) = open.last() {
                if is_header(rest) || (bytes[last] == b'[' && is_key_value(rest)) {
                    return Some(found(bytes, last, Some(at)));
                }
            } else if rest.starts_with('[') {
                // A table header: nothing on its line opens a value.
                at = end_of_line(bytes, at);
            }
            continue;
        }
        match bytes[at] {
            b'\n' => {
                line_start = true;
                at += 1;
            }
            b'#' => at = end_of_line(bytes, at),
            b'"' | b'\'' => {
                let end = after_string(bytes, at);
                if let Some(unclosed) = text_running_on(text, at, end) {
                    return Some(unclosed);
                }
                at = end;
            }
            b'[' | b'{' => {
                open.push(at);
                at += 1;
            }
            b']' | b'}' => {
                open.pop();
                at += 1;
            }
            _ => at += 1,
        }
    }
    open.last().map(|&last| found(bytes, last, None))
}

/// The finding for the bracket at `open`.
fn found(bytes: &[u8], open: usize, next: Option<usize>) -> Unclosed {
    Unclosed {
        opened: if bytes[open] == b'[' {
            Opened::Array
        } else {
            Opened::InlineTable
        },
        open: open..open + 1,
        next,
    }
}

/// The multi-line text from `start` to `end` as unclosed, when a line inside it reads as a
/// table header or a `key =` entry: its closing quotes were left out, and it ran on to the
/// next text's opening ones.
fn text_running_on(text: &str, start: usize, end: usize) -> Option<Unclosed> {
    let quotes = match text.get(start..start + 3)? {
        "\"\"\"" => "\"\"\"",
        "\'\'\'" => "\'\'\'",
        _ => return None,
    };
    let body = text.get(start + 3..end)?;
    let mut next_line = start + 3;
    // The first piece is the rest of the opening line, not a line of the text's own.
    for line in body.split_inclusive('\n') {
        let line_start = next_line;
        next_line += line.len();
        if line_start == start + 3 {
            continue;
        }
        let rest = line.trim_start_matches([' ', '\t']);
        if is_header(rest) || is_key_value(rest) {
            let at = line_start + (line.len() - rest.len());
            return Some(Unclosed {
                opened: Opened::Text(quotes),
                open: start..start + 3,
                next: Some(at),
            });
        }
    }
    None
}

/// Whether the line `rest` begins with is a table header: `[name]` or `[[name]]`, with a key that has a letter
/// (a row of a nested array such as `[2019]` is not one).
fn is_header(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or(rest);
    let Some(inner) = line.strip_prefix('[') else {
        return false;
    };
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let Some(end) = inner.find(']') else {
        return false;
    };
    let key = inner[..end].trim();
    let after = inner[end..].trim_start_matches(']').trim_start();
    !key.is_empty()
        && key.chars().any(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
        && (after.is_empty() || after.starts_with('#'))
}

/// Whether `line` begins with a bare (possibly dotted) key, `=` and the start of a value (a
/// quote, a bracket or brace, a number or date, `true` or `false`): prose such as
/// "x = not a key" is not an entry.
fn is_key_value(line: &str) -> bool {
    let key_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(line.len());
    let Some(value) = line[key_end..]
        .trim_start_matches([' ', '\t'])
        .strip_prefix('=')
    else {
        return false;
    };
    let value = value.trim_start_matches([' ', '\t']);
    key_end > 0
        && (value.starts_with(|c: char| c.is_ascii_digit() || "\"'[{+-".contains(c))
            || value.starts_with("true")
            || value.starts_with("false"))
}

/// The offset after spaces and tabs from `at`.
fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\r') {
        at += 1;
    }
    at
}

/// The offset of the line break that ends the line of `at` (or the end of the text).
pub(super) fn end_of_line(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| at + n)
}

/// The offset after the string that starts at `at` (basic or literal, single-line or
/// multi-line); an unterminated single-line string ends with its line.
pub(super) fn after_string(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let escapes = quote == b'"';
    let triple = bytes[at..].starts_with(&[quote; 3]);
    let mut i = at + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b'\n' if !triple => return i,
            b if b == quote && (!triple || bytes[i..].starts_with(&[quote; 3])) => {
                // A closing triple quote may be followed by one or two more quotes that
                // belong to the string.
                let mut end = i + if triple { 3 } else { 1 };
                while triple && end < bytes.len() && bytes[end] == quote && end < i + 5 {
                    end += 1;
                }
                return end;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_at(text: &str) -> Option<(usize, &'static str, Option<usize>)> {
        find(text).map(|u| (u.open.start, u.opened.closer(), u.next))
    }

    #[test]
    fn a_missing_bracket_is_found_where_the_next_key_begins() {
        let text = "a = 1\ncolumns = [\"x\", \"y\"\nrows = [\n  [\"1\", 2],\n]\n";
        assert_eq!(
            open_at(text),
            Some((16, "]", Some(text.find("rows").unwrap())))
        );
        let header = "rows = [\n  [\"1\", 2],\n  [\"2\", 3],\n\n[status]\nx = 1\n";
        assert_eq!(
            open_at(header),
            Some((7, "]", Some(header.find("[status]").unwrap())))
        );
        let inner = "rows = [\n  [\"1\", 2,\n  [\"2\", 3],\n]\nnext = 1\n";
        // A row left open is closed by the array's own `]`: the array is what is left open.
        assert_eq!(
            open_at(inner),
            Some((7, "]", Some(inner.find("next").unwrap())))
        );
        assert_eq!(open_at("t = { a = 1\n"), Some((4, "}", None)));
    }

    #[test]
    fn closed_brackets_strings_and_comments_are_not_findings() {
        for text in [
            "a = [1, 2]\n[table]\nb = { c = [3] }\n",
            "rows = [\n  [\"1\", 2],  # a [comment\n  [2019],\n]\n",
            "s = \"a [ in a string\"\nt = 'and [ here'\n",
            "p = \"\"\"\nA [ in prose,\nkey = not a key\n\"\"\"\nq = 1\n",
            "e = \"an escaped \\\" [ quote\"\n",
            "[[meetings]]\nmeeting = \"1MSP\"\n",
            "quotes = \"\"\"ends with a quote\"\"\"\"\nr = [1]\n",
        ] {
            assert_eq!(open_at(text), None, "{text}");
        }
    }

    #[test]
    fn a_text_that_runs_into_the_next_entry_is_found_at_its_opening_quotes() {
        let text = "summary = \"\"\"\nProse.\n\n[status]\nconvention = \"x\"\n\n[[sections]]\ntext = \"\"\"\nMore prose.\n\"\"\"\n";
        assert_eq!(
            open_at(text),
            Some((10, "\"\"\"", Some(text.find("[status]").unwrap())))
        );
        let literal = "a = \'\'\'\nx\nkey = 1\n\'\'\'\n";
        assert_eq!(
            open_at(literal),
            Some((4, "\'\'\'", Some(literal.find("key").unwrap())))
        );
        // Footnote markers and prose that merely starts with a bracket are not entries.
        let prose = "summary = \"\"\"\n[^a] Prose [1]\n[Note] more = less\nand so on.\n\"\"\"\n";
        assert_eq!(open_at(prose), None);
    }

    #[test]
    fn a_key_inside_an_inline_table_is_not_a_finding_but_a_header_is() {
        assert_eq!(open_at("t = {\n  a = 1,\n}\n"), None);
        let text = "t = {\n  a = 1,\n[next]\n";
        assert_eq!(
            open_at(text),
            Some((4, "}", Some(text.find("[next]").unwrap())))
        );
    }
}
