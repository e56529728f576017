//! PDF objects read where they stand: a value's extent, a dictionary's entries and an
//! array's elements as slices of the text (ISO 32000-1, 7.3), with nothing copied or
//! decoded, and a dictionary written again with some entries changed.

use super::PdfError;
use super::renumber::{
    hex_string_end, is_regular, is_whitespace, line_end, literal_string_end, reference_at,
    token_end,
};

/// Where the white space and comments from `at` end.
pub(super) fn skip_blank(text: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = text.get(at) {
        if is_whitespace(byte) {
            at += 1;
        } else if byte == b'%' {
            at = line_end(text, at);
        } else {
            break;
        }
    }
    at
}

/// Where the value that starts at `at` ends.
pub(super) fn value_end(text: &[u8], at: usize) -> Result<usize, PdfError> {
    match text.get(at) {
        None => Err(malformed("a value missing")),
        Some(b'<') if text.get(at + 1) == Some(&b'<') => container_end(text, at + 2, b">>"),
        Some(b'<') => hex_string_end(text, at),
        Some(b'[') => container_end(text, at + 1, b"]"),
        Some(b'(') => literal_string_end(text, at),
        Some(b'/') => Ok(token_end(text, at + 1)),
        Some(byte) if byte.is_ascii_digit() => {
            Ok(reference_at(text, at).map_or_else(|| token_end(text, at), |(_, _, end)| end))
        }
        Some(&byte) if is_regular(byte) => Ok(token_end(text, at)),
        Some(_) => Err(malformed("a delimiter where a value was expected")),
    }
}

/// The data of the stream `text` (an object's value) whose dictionary is `dict`: the
/// `Length` bytes after the `stream` keyword and its end of line.
pub(super) fn stream_data<'a>(text: &'a [u8], dict: &Dict<'_>) -> Result<&'a [u8], PdfError> {
    let length = usize::try_from(dict.integer("Length").unwrap_or(-1))
        .map_err(|_| malformed("a stream without its length"))?;
    let rest = &text[dict.end()..];
    let keyword = skip_blank(rest, 0);
    if rest.get(keyword..keyword + 6) != Some(b"stream") {
        return Err(malformed("a stream without data"));
    }
    let mut start = keyword + 6;
    if rest.get(start) == Some(&b'\r') {
        start += 1;
    }
    if rest.get(start) == Some(&b'\n') {
        start += 1;
    }
    rest.get(start..start + length)
        .ok_or(malformed("a stream shorter than its length"))
}

/// A real number as PDF writes one: no exponent, at most `decimals` decimals.
pub(super) fn real(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// Where a dictionary or array whose contents start at `at` ends (after `close`).
fn container_end(text: &[u8], mut at: usize, close: &[u8]) -> Result<usize, PdfError> {
    loop {
        at = skip_blank(text, at);
        if text.get(at..at + close.len()) == Some(close) {
            return Ok(at + close.len());
        }
        at = value_end(text, at)?;
    }
}

/// The values of the array `text` (`[ ... ]`), as slices.
pub(super) fn elements(text: &[u8]) -> Result<Vec<&[u8]>, PdfError> {
    let mut at = skip_blank(text, 0);
    if text.get(at) != Some(&b'[') {
        return Err(malformed("not an array"));
    }
    at += 1;
    let mut values = Vec::new();
    loop {
        at = skip_blank(text, at);
        match text.get(at) {
            None => return Err(malformed("an array that does not end")),
            Some(b']') => return Ok(values),
            Some(_) => {
                let end = value_end(text, at)?;
                values.push(&text[at..end]);
                at = end;
            }
        }
    }
}

/// A dictionary's entries in order: each key (its name without the slash) and value.
pub(super) struct Dict<'a> {
    entries: Vec<(&'a [u8], &'a [u8])>,
    /// Where the dictionary ends in the text it was read from (after `>>`).
    end: usize,
}

impl<'a> Dict<'a> {
    /// The dictionary that `text` starts with (a stream's dictionary: what follows is left).
    pub(super) fn read(text: &'a [u8]) -> Result<Self, PdfError> {
        let at = skip_blank(text, 0);
        if text.get(at..at + 2) != Some(b"<<") {
            return Err(malformed("not a dictionary"));
        }
        Self::entries_from(text, at + 2, true)
    }

    /// The entries `text` holds without the `<<` and `>>` around them (a trailer's).
    pub(super) fn read_entries(text: &'a [u8]) -> Result<Self, PdfError> {
        Self::entries_from(text, 0, false)
    }

    fn entries_from(text: &'a [u8], mut at: usize, closed: bool) -> Result<Self, PdfError> {
        let mut entries = Vec::new();
        loop {
            at = skip_blank(text, at);
            match text.get(at) {
                Some(b'>') if closed && text.get(at + 1) == Some(&b'>') => {
                    return Ok(Self {
                        entries,
                        end: at + 2,
                    });
                }
                None if !closed => return Ok(Self { entries, end: at }),
                Some(b'/') => {
                    let key_end = token_end(text, at + 1);
                    let value = skip_blank(text, key_end);
                    let end = value_end(text, value)?;
                    entries.push((&text[at + 1..key_end], &text[value..end]));
                    at = end;
                }
                _ => return Err(malformed("a dictionary entry without a name")),
            }
        }
    }

    /// Where the dictionary ends in the text it was read from (after its `>>`): a stream's
    /// data follows.
    pub(super) fn end(&self) -> usize {
        self.end
    }

    /// The entries in order: each key (without its slash) and value.
    pub(super) fn entries(&self) -> &[(&'a [u8], &'a [u8])] {
        &self.entries
    }

    /// The value of `key`.
    pub(super) fn get(&self, key: &str) -> Option<&'a [u8]> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key.as_bytes())
            .map(|(_, v)| *v)
    }

    /// The object number `key` refers to.
    pub(super) fn reference(&self, key: &str) -> Option<u32> {
        self.get(key).and_then(reference)
    }

    /// The integer value of `key`.
    pub(super) fn integer(&self, key: &str) -> Option<i64> {
        std::str::from_utf8(self.get(key)?).ok()?.parse().ok()
    }

    /// The dictionary written again, `changes` applied: each key's value replaced by the
    /// given one, or the entry left out for `None`; a changed key the dictionary lacks is
    /// added at the end.
    pub(super) fn write(&self, changes: &[(&str, Option<&[u8]>)]) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(b"<<");
        let changed = |key: &[u8]| changes.iter().find(|(k, _)| k.as_bytes() == key);
        for (key, value) in &self.entries {
            let value = match changed(key) {
                Some((_, new)) => *new,
                None => Some(*value),
            };
            if let Some(value) = value {
                push_entry(&mut out, key, value);
            }
        }
        for (key, value) in changes {
            if let Some(value) = value
                && self.get(key).is_none()
            {
                push_entry(&mut out, key.as_bytes(), value);
            }
        }
        out.extend_from_slice(b">>");
        out
    }
}

fn push_entry(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    out.push(b'/');
    out.extend_from_slice(key);
    out.push(b' ');
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// The object number of the reference `text` (`N G R`).
pub(super) fn reference(text: &[u8]) -> Option<u32> {
    let at = skip_blank(text, 0);
    reference_at(text, at).map(|(_, number, _)| number)
}

/// A reference to object `number`, as PDF writes it.
pub(super) fn reference_to(number: u32) -> Vec<u8> {
    format!("{number} 0 R").into_bytes()
}

fn malformed(what: &'static str) -> PdfError {
    PdfError::Unpackable(what)
}

#[cfg(test)]
mod tests {
    use super::{Dict, elements, reference};

    #[test]
    fn a_dictionary_reads_its_entries_and_writes_them_back_changed() {
        let text = b"<</Type /Page/Kids[1 0 R (a]b) <</X 2>>]/N 12/P 3 0 R/S<0A>>>\nstream";
        let dict = Dict::read(text).expect("a dictionary");
        assert_eq!(dict.get("Type"), Some(&b"/Page"[..]));
        assert_eq!(dict.get("Kids"), Some(&b"[1 0 R (a]b) <</X 2>>]"[..]));
        assert_eq!(dict.integer("N"), Some(12));
        assert_eq!(dict.reference("P"), Some(3));
        assert_eq!(dict.get("S"), Some(&b"<0A>"[..]));
        let kids = elements(dict.get("Kids").unwrap()).expect("an array");
        assert_eq!(kids, [&b"1 0 R"[..], b"(a]b)", b"<</X 2>>"]);
        assert_eq!(reference(kids[0]), Some(1));
        let written = dict.write(&[("N", Some(b"13")), ("Type", None), ("New", Some(b"true"))]);
        assert_eq!(
            String::from_utf8(written).unwrap(),
            "<</Kids [1 0 R (a]b) <</X 2>>]\n/N 13\n/P 3 0 R\n/S <0A>\n/New true\n>>"
        );
    }

    #[test]
    fn what_is_not_a_dictionary_is_refused_without_a_panic() {
        for bad in [
            "",
            "[1 2]",
            "<</A",
            "<</A [1 2>>",
            "<<1 2>>",
            "<</A <</B 1>>",
        ] {
            assert!(Dict::read(bad.as_bytes()).is_err(), "{bad}");
        }
        assert!(elements(b"[1 (2").is_err());
    }
}
