//! Object numbers given anew: every indirect reference (`N G R`) in an object's text is
//! rewritten through a table from old numbers to new ones.
//!
//! The text is read token by token (ISO 32000-1, 7.2 and 7.3) so that what only looks like
//! a reference is left alone: digits inside a string (`(see 3 0 R)`), a name (`/F0`) or a
//! real number are not references. A stream's data is never read: the scan stops at the
//! `stream` keyword that ends its dictionary.

use super::PdfError;

/// Old object numbers to new ones.
pub(super) struct Renumbering {
    /// The new number of each old one; `0` for a number no object of the file has.
    new: Vec<u32>,
}

impl Renumbering {
    /// A renumbering that gives the objects numbered `old` (in that order) the numbers 1, 2...
    /// `size` is one more than the largest old number.
    pub(super) fn new(size: u32, old: impl Iterator<Item = u32>) -> Result<Self, PdfError> {
        let mut new = vec![0; size as usize];
        for (number, old) in (1..).zip(old) {
            let slot = new
                .get_mut(old as usize)
                .ok_or(PdfError::Unpackable("an object beyond the file's size"))?;
            *slot = number;
        }
        Ok(Self { new })
    }

    /// A renumbering from a table: `new[old]` is the new number of object `old`, `0` where
    /// the object is left out.
    pub(super) fn from_table(new: Vec<u32>) -> Self {
        Self { new }
    }

    /// The new number of the object numbered `old`.
    pub(super) fn get(&self, old: u32) -> Result<u32, PdfError> {
        match self.new.get(old as usize) {
            Some(&new) if new != 0 => Ok(new),
            _ => Err(PdfError::Unpackable(
                "a reference to an object not in the file",
            )),
        }
    }

    /// `text` (an object's value, a stream's dictionary and data, or a trailer's entries)
    /// with its references renumbered; a stream's data is copied as it is.
    pub(super) fn apply(&self, text: &[u8]) -> Result<Vec<u8>, PdfError> {
        let mut out = Vec::with_capacity(text.len() + 16);
        self.apply_into(text, &mut out)?;
        Ok(out)
    }

    /// [`Renumbering::apply`], appending to `out`.
    pub(super) fn apply_into(&self, text: &[u8], out: &mut Vec<u8>) -> Result<(), PdfError> {
        self.apply_copied_into(None, text, out)
    }

    /// [`Renumbering::apply_into`] of an object's `text` as `copied` from another PDF says
    /// (none: as it is).
    pub(super) fn apply_copied_into(
        &self,
        copied: Option<Copied<'_>>,
        text: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), PdfError> {
        let ids = copied.is_some_and(|c| c.id_prefix.is_some());
        let mut copied_to = 0;
        scan(text, ids, |found| {
            match found {
                Found::Reference { at, end, number } => {
                    out.extend_from_slice(&text[copied_to..at]);
                    let number = match copied {
                        Some(copied) => copied.renumbering.get(number)?,
                        None => number,
                    };
                    write_decimal(out, self.get(number)?);
                    copied_to = end;
                }
                Found::Id { at } => {
                    out.extend_from_slice(&text[copied_to..at]);
                    out.extend_from_slice(copied.and_then(|c| c.id_prefix).unwrap_or_default());
                    copied_to = at;
                }
            }
            Ok(())
        })?;
        out.extend_from_slice(&text[copied_to..]);
        Ok(())
    }
}

/// How an object copied from another PDF is written: its references go through that PDF's
/// own renumbering first, and a structure element's ids (its `/ID`, its attributes'
/// `/Headers`, when written as literal strings) can be given a prefix that keeps them apart
/// from other PDFs' ids.
#[derive(Clone, Copy)]
pub(super) struct Copied<'a> {
    /// The renumbering of the PDF the object comes from.
    pub(super) renumbering: &'a Renumbering,
    /// What goes before each id.
    pub(super) id_prefix: Option<&'a [u8]>,
}

/// What [`scan`] finds in an object's text.
enum Found {
    /// A reference `N G R` from `at`, its number ending at `end`.
    Reference { at: usize, end: usize, number: u32 },
    /// A string id's text, from `at` (after its opening parenthesis).
    Id { at: usize },
}

/// Calls `visit` with where each reference `N G R` of `text` starts, where its number ends,
/// and the number, in order; a stream's data is not read.
pub(super) fn for_each_reference(
    text: &[u8],
    mut visit: impl FnMut(usize, usize, u32) -> Result<(), PdfError>,
) -> Result<(), PdfError> {
    scan(text, false, |found| match found {
        Found::Reference { at, end, number } => visit(at, end, number),
        Found::Id { .. } => Ok(()),
    })
}

/// Reads `text` token by token and calls `visit` with each reference and, when `ids`, each
/// literal string that is an `/ID` or one of a `/Headers` array's, in order; a stream's data
/// is not read.
fn scan(
    text: &[u8],
    ids: bool,
    mut visit: impl FnMut(Found) -> Result<(), PdfError>,
) -> Result<(), PdfError> {
    let mut at = 0;
    // The key before the token being read, and whether an array of headers is open.
    let mut after = Key::Other;
    let mut in_headers = false;
    while at < text.len() {
        let byte = text[at];
        let key = std::mem::replace(&mut after, Key::Other);
        at = match byte {
            b'(' => {
                if ids && (key == Key::Id || in_headers) {
                    visit(Found::Id { at: at + 1 })?;
                }
                literal_string_end(text, at)?
            }
            b'<' if text.get(at + 1) == Some(&b'<') => at + 2,
            b'<' => hex_string_end(text, at)?,
            b'[' => {
                in_headers = key == Key::Headers;
                at + 1
            }
            b']' => {
                in_headers = false;
                at + 1
            }
            b'/' => {
                let end = token_end(text, at + 1);
                after = Key::of(&text[at + 1..end]);
                end
            }
            b'0'..=b'9' => match reference_at(text, at) {
                Some((end, number, _)) => {
                    visit(Found::Reference { at, end, number })?;
                    end
                }
                None => token_end(text, at),
            },
            _ if is_regular(byte) => {
                let end = token_end(text, at);
                if &text[at..end] == b"stream" {
                    break;
                }
                end
            }
            b'%' => {
                after = key;
                line_end(text, at)
            }
            _ if is_whitespace(byte) => {
                // White space between a key and its value, read as one run.
                after = key;
                whitespace_end(text, at)
            }
            _ => {
                // The end of a dictionary, or another delimiter read on its own.
                after = key;
                at + 1
            }
        };
    }
    Ok(())
}

/// The keys whose values [`scan`] reads ids in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Id,
    Headers,
    Other,
}

impl Key {
    fn of(name: &[u8]) -> Self {
        match name {
            b"ID" => Self::Id,
            b"Headers" => Self::Headers,
            _ => Self::Other,
        }
    }
}

/// Appends `number` in decimal digits.
fn write_decimal(out: &mut Vec<u8>, number: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Where the number ends, the number, and where the reference ends, when `text` has a
/// reference `N G R` at `at`.
pub(super) fn reference_at(text: &[u8], at: usize) -> Option<(usize, u32, usize)> {
    let number_end = digits_end(text, at);
    let generation = whitespace_end(text, number_end);
    let generation_end = digits_end(text, generation);
    let r = whitespace_end(text, generation_end);
    let is_reference = generation > number_end
        && generation_end > generation
        && r > generation_end
        && text.get(r) == Some(&b'R')
        && text.get(r + 1).is_none_or(|&b| !is_regular(b));
    if !is_reference {
        return None;
    }
    let number = text[at..number_end].iter().try_fold(0u32, |n, &d| {
        n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })?;
    Some((number_end, number, r + 1))
}

/// Where the literal string that opens at `at` ends (after its closing parenthesis).
pub(super) fn literal_string_end(text: &[u8], at: usize) -> Result<usize, PdfError> {
    let mut depth = 0usize;
    let mut i = at;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(PdfError::Unpackable("a string that does not end"))
}

/// Where the hexadecimal string that opens at `at` ends (after its `>`).
pub(super) fn hex_string_end(text: &[u8], at: usize) -> Result<usize, PdfError> {
    text[at..]
        .iter()
        .position(|&b| b == b'>')
        .map(|end| at + end + 1)
        .ok_or(PdfError::Unpackable(
            "a hexadecimal string that does not end",
        ))
}

/// Where the comment from `at` ends (at its end of line).
pub(super) fn line_end(text: &[u8], at: usize) -> usize {
    text[at..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |end| at + end)
}

/// Where the token of regular characters from `at` ends.
pub(super) fn token_end(text: &[u8], at: usize) -> usize {
    text[at..]
        .iter()
        .position(|&b| !is_regular(b))
        .map_or(text.len(), |end| at + end)
}

/// Where the run of digits from `at` ends.
fn digits_end(text: &[u8], at: usize) -> usize {
    text.get(at..).map_or(at, |rest| {
        at + rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}

/// Where the run of white space from `at` ends.
fn whitespace_end(text: &[u8], at: usize) -> usize {
    text.get(at..).map_or(at, |rest| {
        at + rest.iter().take_while(|&&b| is_whitespace(b)).count()
    })
}

/// PDF's white-space characters (7.2.2, table 1).
pub(super) fn is_whitespace(byte: u8) -> bool {
    WHITESPACE[usize::from(byte)]
}

/// Neither white space nor a delimiter (7.2.2, table 2).
pub(super) fn is_regular(byte: u8) -> bool {
    !WHITESPACE[usize::from(byte)] && !DELIMITER[usize::from(byte)]
}

/// Whether each byte is white space: a table, as the scanner asks it of every byte.
const WHITESPACE: [bool; 256] = byte_set(b"\0\t\n\x0C\r ");

/// Whether each byte is a delimiter.
const DELIMITER: [bool; 256] = byte_set(b"()<>[]{}/%");

/// A table of which bytes are among `bytes`.
const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Copied, Renumbering};

    fn renumbered(text: &str) -> String {
        // 1 -> 3, 2 -> 1, 3 -> 2
        let renumbering = Renumbering::new(4, [2, 3, 1].into_iter()).expect("a renumbering");
        String::from_utf8(renumbering.apply(text.as_bytes()).expect("renumbers")).expect("utf-8")
    }

    #[test]
    fn references_are_renumbered_and_what_only_looks_like_one_is_not() {
        assert_eq!(
            renumbered("<</Parent 1 0 R/Kids[2 0 R 3 0 R]/K[1 2]/Nums[0 1 0 R]>>"),
            "<</Parent 3 0 R/Kids[1 0 R 2 0 R]/K[1 2]/Nums[0 3 0 R]>>"
        );
        assert_eq!(
            renumbered("<</T(see 1 0 R \\) 2 0 R (3 0 R))/ID<01 0 R>/F1 2 0 R/X 1.5 0 R>>"),
            "<</T(see 1 0 R \\) 2 0 R (3 0 R))/ID<01 0 R>/F1 1 0 R/X 1.5 0 R>>"
        );
    }

    #[test]
    fn a_stream_is_renumbered_in_its_dictionary_only() {
        assert_eq!(
            renumbered("<</Length 9/Parent 1 0 R>>\nstream\n1 0 R 2 0\nendstream"),
            "<</Length 9/Parent 3 0 R>>\nstream\n1 0 R 2 0\nendstream"
        );
    }

    #[test]
    fn a_reference_to_no_object_or_an_open_string_is_refused() {
        let renumbering = Renumbering::new(4, [2, 3, 1].into_iter()).expect("a renumbering");
        for bad in ["[7 0 R]", "[0 0 R]", "<</T(open 1 0 R>>", "<</ID<01"] {
            assert!(renumbering.apply(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    /// `text` copied with the ids prefixed `p1-`, its references through 1 -> 2, 2 -> 3,
    /// 3 -> 1 twice: 1 -> 3, 2 -> 1, 3 -> 2.
    fn copied(text: &str) -> String {
        let own = Renumbering::new(4, [3, 1, 2].into_iter()).expect("a renumbering");
        let then = Renumbering::new(4, [3, 1, 2].into_iter()).expect("a renumbering");
        let copied = Copied {
            renumbering: &own,
            id_prefix: Some(b"p1-"),
        };
        let mut out = Vec::new();
        then.apply_copied_into(Some(copied), text.as_bytes(), &mut out)
            .expect("copies");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn a_copied_object_goes_through_both_renumberings_in_turn() {
        assert_eq!(
            copied("<</P 1 0 R/K[2 0 R 3 0 R]>>"),
            "<</P 3 0 R/K[1 0 R 2 0 R]>>"
        );
        assert_eq!(copied("[1 0 R /XYZ 0 700 0]"), "[3 0 R /XYZ 0 700 0]");
    }

    #[test]
    fn a_copied_elements_ids_and_its_headers_ids_are_prefixed() {
        assert_eq!(
            copied("<</S/TH/ID(U1x0y0)/A[<</O/Table/Headers[(U1x0y0) (U1x1y0)]>>]/K[1 0 R]>>"),
            "<</S/TH/ID(p1-U1x0y0)/A[<</O/Table/Headers[(p1-U1x0y0) (p1-U1x1y0)]>>]/K[3 0 R]>>"
        );
        assert_eq!(
            copied("<</ID %a comment\n (x)/Headers [ (y) ]>>"),
            "<</ID %a comment\n (p1-x)/Headers [ (p1-y) ]>>"
        );
        // A run of white space of every kind, as Typst indents, between key and value.
        assert_eq!(
            copied("<<\n  /ID \t\r\n\x0C\0 (x)\n  /P  1\n 0\t R\n>>"),
            "<<\n  /ID \t\r\n\x0C\0 (p1-x)\n  /P  3\n 0\t R\n>>"
        );
    }

    #[test]
    fn what_only_looks_like_an_id_is_not_prefixed() {
        for text in [
            // In a string, a hexadecimal id, another key's string or array.
            "<</T(/ID(x) /Headers[(y)])/ID<41>/Alt(a)/K[(b)]>>",
            // An array after the headers, and a key between.
            "<</Headers[]/K[(a)]/ID/Other(b)>>",
        ] {
            assert_eq!(copied(text), text);
        }
    }

    proptest! {
        #[test]
        fn no_copied_text_makes_the_scanner_panic(text in prop::collection::vec(
            prop::sample::select(b"0123 R()<>[]/%\\IDHeaders\n".to_vec()),
            0..64,
        )) {
            let own = Renumbering::new(4, [3, 1, 2].into_iter()).expect("a renumbering");
            let then = Renumbering::new(4, [2, 3, 1].into_iter()).expect("a renumbering");
            let copied = Copied { renumbering: &own, id_prefix: Some(b"p1-") };
            let mut out = Vec::new();
            if then.apply_copied_into(Some(copied), &text, &mut out).is_ok() {
                // Digits change and prefixes come in: nothing else.
                let strip = |b: &[u8]| b.iter().filter(|c| !c.is_ascii_digit() && !b"p-".contains(c)).count();
                prop_assert_eq!(strip(&out), strip(&text));
            }
        }

        #[test]
        fn no_text_makes_the_scanner_panic(text in prop::collection::vec(
            prop::sample::select(b"0123 R()<>[]/%\\stream\n".to_vec()),
            0..64,
        )) {
            let renumbering = Renumbering::new(4, [2, 3, 1].into_iter()).expect("a renumbering");
            if let Ok(out) = renumbering.apply(&text) {
                // Only digits change: everything else comes out as it went in.
                let strip = |b: &[u8]| b.iter().filter(|c| !c.is_ascii_digit()).count();
                prop_assert_eq!(strip(&out), strip(&text));
            }
        }
    }
}
