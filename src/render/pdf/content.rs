//! The glyph codes shown in a content stream, rewritten without parsing the stream into
//! operators: a scanner finds the strings the text-showing operators (`Tj`, `'`, `"`, `TJ`)
//! take while a font of interest is selected, and rewrites those strings alone; every other
//! byte of the stream is copied as it is.

use std::collections::HashMap;

/// Why a content stream could not be rewritten.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContentError {
    /// The stream's syntax is broken at this byte offset.
    #[error("the content stream cannot be read at byte {0}")]
    Syntax(usize),
    /// A string shown with a two-byte font has an odd length.
    #[error("a string shown in a two-byte font has an odd number of bytes")]
    OddString,
    /// A code shown is not a glyph of the font's subset.
    #[error("glyph {0} is shown but is not in its font")]
    UnknownGlyph(usize),
}

/// The font selected, through the graphics state stack; it carries over from one content
/// stream of a page to the next.
#[derive(Default)]
pub(super) struct TextState {
    font: Option<Vec<u8>>,
    saved: Vec<Option<Vec<u8>>>,
}

/// One token's kind, as far as the rewriting needs to know.
enum Token {
    /// A literal or hexadecimal string, already decoded.
    Text(Vec<u8>),
    /// A name, without its slash (escapes kept as written).
    Name(Vec<u8>),
    /// An operator (or a number, `true`, `false`, `null`: a bare word).
    Word,
    /// Anything else that is an operand part: brackets and dictionary delimiters.
    Delimiter,
}

/// Rewrites the two-byte codes shown with the fonts in `fonts` (resource name to the new
/// code of each old code) in one content stream. Returns `None` when nothing changed.
pub(super) fn recode_shown_text(
    content: &[u8],
    fonts: &HashMap<Vec<u8>, &Vec<u16>>,
    state: &mut TextState,
) -> Result<Option<Vec<u8>>, ContentError> {
    let mut out = Vec::with_capacity(content.len() + content.len() / 4);
    let mut copied = 0;
    let mut changed = false;
    // The strings among the operands so far, with their spans in `content`.
    let mut strings: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    let mut first_name: Option<Vec<u8>> = None;
    let mut operands = 0usize;
    let mut scanner = Scanner {
        bytes: content,
        at: 0,
    };
    while let Some((start, token)) = scanner.next()? {
        match token {
            Token::Text(text) => {
                strings.push((start, scanner.at, text));
                operands += 1;
            }
            Token::Name(name) => {
                if operands == 0 {
                    first_name = Some(name);
                }
                operands += 1;
            }
            Token::Delimiter => operands += 1,
            Token::Word => {
                let word = &content[start..scanner.at];
                if word
                    .first()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b"'\"".contains(b))
                    && !matches!(word, b"true" | b"false" | b"null")
                {
                    match word {
                        b"q" => state.saved.push(state.font.clone()),
                        b"Q" => state.font = state.saved.pop().flatten(),
                        b"Tf" => state.font = first_name.take(),
                        b"Tj" | b"'" | b"\"" | b"TJ" => {
                            if let Some(codes) = state.font.as_ref().and_then(|f| fonts.get(f)) {
                                for (from, to, text) in strings.drain(..) {
                                    out.extend_from_slice(&content[copied..from]);
                                    write_hex(&mut out, &recode(&text, codes)?);
                                    copied = to;
                                }
                                changed = true;
                            }
                        }
                        b"BI" => scanner.skip_inline_image()?,
                        _ => {}
                    }
                    strings.clear();
                    first_name = None;
                    operands = 0;
                } else {
                    operands += 1;
                }
            }
        }
    }
    if !changed {
        return Ok(None);
    }
    out.extend_from_slice(&content[copied..]);
    Ok(Some(out))
}

/// The new codes of a string of two-byte codes.
fn recode(text: &[u8], codes: &[u16]) -> Result<Vec<u8>, ContentError> {
    if !text.len().is_multiple_of(2) {
        return Err(ContentError::OddString);
    }
    let mut new = Vec::with_capacity(text.len());
    for pair in text.chunks_exact(2) {
        let old = usize::from(u16::from_be_bytes([pair[0], pair[1]]));
        let code = codes.get(old).ok_or(ContentError::UnknownGlyph(old))?;
        new.extend_from_slice(&code.to_be_bytes());
    }
    Ok(new)
}

fn write_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'<');
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0xF)]);
    }
    out.push(b'>');
}

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Tokens of a content stream, one after another.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    /// The next token and where it starts; `None` at the end.
    fn next(&mut self) -> Result<Option<(usize, Token)>, ContentError> {
        loop {
            while self.at < self.bytes.len() && is_white(self.bytes[self.at]) {
                self.at += 1;
            }
            match self.bytes.get(self.at) {
                None => return Ok(None),
                Some(b'%') => {
                    while self.at < self.bytes.len()
                        && !matches!(self.bytes[self.at], b'\r' | b'\n')
                    {
                        self.at += 1;
                    }
                }
                Some(_) => break,
            }
        }
        let start = self.at;
        let token = match self.bytes[start] {
            b'(' => Token::Text(self.literal()?),
            b'<' if self.bytes.get(start + 1) == Some(&b'<') => {
                self.at += 2;
                Token::Delimiter
            }
            b'>' if self.bytes.get(start + 1) == Some(&b'>') => {
                self.at += 2;
                Token::Delimiter
            }
            b'<' => Token::Text(self.hex()?),
            b'[' | b']' | b'{' | b'}' => {
                self.at += 1;
                Token::Delimiter
            }
            b'/' => {
                self.at += 1;
                self.word();
                Token::Name(self.bytes[start + 1..self.at].to_vec())
            }
            b')' | b'>' => return Err(ContentError::Syntax(start)),
            _ => {
                self.word();
                Token::Word
            }
        };
        Ok(Some((start, token)))
    }

    /// Moves past a run of regular characters.
    fn word(&mut self) {
        while self.at < self.bytes.len()
            && !is_white(self.bytes[self.at])
            && !is_delimiter(self.bytes[self.at])
        {
            self.at += 1;
        }
    }

    /// A literal string `(...)`, its escapes decoded.
    fn literal(&mut self) -> Result<Vec<u8>, ContentError> {
        let start = self.at;
        self.at += 1;
        let mut text = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(ContentError::Syntax(start));
            };
            self.at += 1;
            match b {
                b'(' => {
                    depth += 1;
                    text.push(b);
                }
                b')' if depth == 0 => return Ok(text),
                b')' => {
                    depth -= 1;
                    text.push(b);
                }
                b'\\' => self.escape(&mut text, start)?,
                _ => text.push(b),
            }
        }
    }

    /// The escape after a backslash in a literal string.
    fn escape(&mut self, text: &mut Vec<u8>, start: usize) -> Result<(), ContentError> {
        let Some(&b) = self.bytes.get(self.at) else {
            return Err(ContentError::Syntax(start));
        };
        self.at += 1;
        match b {
            b'n' => text.push(b'\n'),
            b'r' => text.push(b'\r'),
            b't' => text.push(b'\t'),
            b'b' => text.push(b'\x08'),
            b'f' => text.push(b'\x0C'),
            b'0'..=b'7' => {
                let mut value = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.bytes.get(self.at) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.at += 1;
                        }
                        _ => break,
                    }
                }
                // A value over 255 keeps its low byte (ISO 32000-1, 7.3.4.2).
                text.push((value & 0xFF) as u8);
            }
            b'\r' => {
                if self.bytes.get(self.at) == Some(&b'\n') {
                    self.at += 1;
                }
            }
            b'\n' => {}
            other => text.push(other),
        }
        Ok(())
    }

    /// A hexadecimal string `<...>`, decoded (an odd last digit is followed by 0).
    fn hex(&mut self) -> Result<Vec<u8>, ContentError> {
        let start = self.at;
        self.at += 1;
        let mut digits = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(ContentError::Syntax(start));
            };
            self.at += 1;
            match b {
                b'>' => break,
                _ if is_white(b) => {}
                _ => digits.push(hex_digit(b).ok_or(ContentError::Syntax(self.at - 1))?),
            }
        }
        if !digits.len().is_multiple_of(2) {
            digits.push(0);
        }
        Ok(digits.chunks_exact(2).map(|d| d[0] << 4 | d[1]).collect())
    }

    /// Moves past an inline image's dictionary and data, up to and including `EI`.
    fn skip_inline_image(&mut self) -> Result<(), ContentError> {
        let start = self.at;
        // The image's dictionary, up to `ID`.
        loop {
            let Some((at, token)) = self.next()? else {
                return Err(ContentError::Syntax(start));
            };
            if matches!(token, Token::Word) && &self.bytes[at..self.at] == b"ID" {
                break;
            }
        }
        // The data, up to `EI` between white space.
        let data = self.at + 1;
        let end = self.bytes[data.min(self.bytes.len())..]
            .windows(4)
            .position(|w| is_white(w[0]) && &w[1..3] == b"EI" && is_white(w[3]))
            .map(|i| data + i + 3)
            .or_else(|| {
                self.bytes
                    .ends_with(b"EI")
                    .then_some(self.bytes.len())
                    .filter(|&e| e >= data + 2)
            })
            .ok_or(ContentError::Syntax(start))?;
        self.at = end;
        Ok(())
    }
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts(codes: &Vec<u16>) -> HashMap<Vec<u8>, &Vec<u16>> {
        HashMap::from([(b"F1".to_vec(), codes)])
    }

    fn rewrite(content: &[u8], codes: &Vec<u16>) -> Result<Option<Vec<u8>>, ContentError> {
        recode_shown_text(content, &fonts(codes), &mut TextState::default())
    }

    #[test]
    fn shown_strings_are_recoded_and_everything_else_is_copied() {
        let codes = vec![0, 7, 9];
        let content = b"BT /F1 10 Tf 1 0 0 1 5 5 Tm <00010002> Tj [(\\000\\002) -20 <0001>] TJ ET";
        let out = rewrite(content, &codes).unwrap().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "BT /F1 10 Tf 1 0 0 1 5 5 Tm <00070009> Tj [<0009> -20 <0007>] TJ ET"
        );
    }

    #[test]
    fn other_fonts_marked_content_and_restored_states_are_left_alone() {
        let codes = vec![0, 7];
        let content =
            b"/P <</MCID 0 /ActualText (\\000\\001)>> BDC q BT /F2 9 Tf <0001> Tj ET Q EMC";
        assert_eq!(rewrite(content, &codes).unwrap(), None);
        // The font selected inside q...Q is forgotten at Q.
        let content = b"BT /F2 9 Tf q /F1 9 Tf Q <0001> Tj ET";
        assert_eq!(rewrite(content, &codes).unwrap(), None);
    }

    #[test]
    fn the_font_carries_over_to_the_next_stream_of_a_page() {
        let codes = vec![0, 7];
        let mut state = TextState::default();
        let first = recode_shown_text(b"BT /F1 9 Tf", &fonts(&codes), &mut state).unwrap();
        assert_eq!(first, None);
        let second = recode_shown_text(b"<0001> Tj ET", &fonts(&codes), &mut state).unwrap();
        assert_eq!(second.as_deref(), Some(b"<0007> Tj ET".as_slice()));
    }

    #[test]
    fn literal_escapes_and_comments_are_read() {
        let codes: Vec<u16> = (0..0x60).map(|c| c + 1).collect();
        // \( and \) and \\ are one byte each, \51 is octal; a line continuation is nothing.
        let content = b"/F1 1 Tf % a (comment\n(\\000\\(\\000\\)\\000\\\\\\\n\\000\\t\\000\\51) Tj";
        let out = rewrite(content, &codes).unwrap().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "/F1 1 Tf % a (comment\n<0029002A005D000A002A> Tj"
        );
    }

    #[test]
    fn broken_streams_and_strings_are_refused() {
        let codes = vec![0, 7];
        assert_eq!(
            rewrite(b"/F1 1 Tf (\\000\\001 Tj", &codes),
            Err(ContentError::Syntax(9))
        );
        assert_eq!(
            rewrite(b"/F1 1 Tf <0G> Tj", &codes),
            Err(ContentError::Syntax(11))
        );
        assert_eq!(
            rewrite(b"/F1 1 Tf <000100> Tj", &codes),
            Err(ContentError::OddString)
        );
        assert_eq!(
            rewrite(b"/F1 1 Tf <0005> Tj", &codes),
            Err(ContentError::UnknownGlyph(5))
        );
    }

    #[test]
    fn inline_images_are_passed_over() {
        let codes = vec![0, 7];
        let content = b"/F1 1 Tf BI /W 1 /H 1 ID (<0001> Tj) EI <0001> Tj";
        let out = rewrite(content, &codes).unwrap().unwrap();
        assert_eq!(out, b"/F1 1 Tf BI /W 1 /H 1 ID (<0001> Tj) EI <0007> Tj");
    }
}
