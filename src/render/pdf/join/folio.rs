//! A page number as a sheet of page numbers draws it, made into what a joined page draws
//! after its own content: the state that every number of the sheet sets alike (its colour,
//! its font), which the pages share, and the text object that draws this page's number,
//! which is the page's own.
//!
//! Typst draws a page number as one run of text in a marked-content sequence, moved into
//! place by a `cm` of its own:
//! `/Artifact<<…>>BDC q 1 0 0 -1 x y cm /c0 cs … scn BT 0 Tr /f0 8.5 Tf 1 0 0 -1 0 0 Tm […]TJ ET Q EMC`.
//! The move is folded into the text matrix (the text is drawn through both), the state is
//! set before the marked-content sequence, its property list becomes a resource, and the
//! text is written in few bytes: what is left, the page's own part, is a few dozen bytes,
//! and a book draws several hundred page numbers.

use std::collections::HashSet;
use std::io::Read;

use super::super::PdfError;
use super::super::renumber::is_regular;
use super::super::syntax::{Dict, elements, real, skip_blank, stream_data, value_end};

/// The prefix a sheet's resource names take among the resources of a page its number is
/// drawn over.
pub(super) const PREFIX: &str = "Folio";

/// A page number, ready to be drawn over a joined page.
#[derive(Debug, PartialEq)]
pub(super) struct Folio {
    /// The graphics and text state it is drawn in, set before its marked-content sequence:
    /// the same bytes for every page number that sets it alike.
    pub(super) state: Vec<u8>,
    /// Its marked-content sequence with its text object.
    pub(super) draw: Vec<u8>,
    /// The property list of its marked-content sequence, named [`MARKER`] among the
    /// page's resources (given [`PREFIX`]).
    pub(super) marker: Option<Vec<u8>>,
}

/// The name of a page number's property list among the resources of a page.
pub(super) const MARKER: &str = "Marker";

/// One operator of a content stream with its operands, as written.
struct Operation<'a> {
    operands: Vec<&'a [u8]>,
    operator: &'a [u8],
}

/// An affine matrix `[a b c d e f]` (ISO 32000-1, 8.3.3).
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

impl Folio {
    /// The page number that `content` (a sheet page's content, decoded) draws, its
    /// resources (`names`) given [`PREFIX`]. Anything but text drawn in one text object is
    /// refused.
    pub(super) fn read(content: &[u8], names: &HashSet<&[u8]>) -> Result<Self, PdfError> {
        let operations = operations(content)?;
        let (marker, inner) = match operations.as_slice() {
            [first, inner @ .., last]
                if matches!(first.operator, b"BDC" | b"BMC") && last.operator == b"EMC" =>
            {
                (Some(first), inner)
            }
            all => (None, all),
        };
        let inner = match inner {
            [first, inner @ .., last] if first.operator == b"q" && last.operator == b"Q" => inner,
            all => all,
        };
        let mut state = Vec::new();
        let mut draw = Vec::new();
        let properties = match marker {
            Some(marker) => match marker.operands.as_slice() {
                [tag, list] if list.starts_with(b"<<") => {
                    push(&mut draw, tag);
                    push(&mut draw, format!("/{PREFIX}{MARKER}").as_bytes());
                    push(&mut draw, b"BDC");
                    Some(list.to_vec())
                }
                _ => {
                    push(&mut draw, &written(marker, names));
                    None
                }
            },
            None => {
                draw.extend_from_slice(b"/Artifact BMC");
                None
            }
        };
        let mut moved = IDENTITY;
        let mut rest = inner.iter();
        loop {
            let operation = rest.next().ok_or_else(|| refused("no text object"))?;
            match operation.operator {
                b"cm" => moved = product(&matrix(operation)?, &moved),
                b"BT" => break,
                operator if is_state(operator) => push(&mut state, &written(operation, names)),
                _ => return Err(refused("more than text drawn")),
            }
        }
        text_object(&mut rest, moved, names, &mut state, &mut draw)?;
        if rest.next().is_some() {
            return Err(refused("more than one text object"));
        }
        push(&mut draw, b"EMC");
        Ok(Self {
            state,
            draw,
            marker: properties,
        })
    }
}

/// Writes the text object whose `BT` was read from `rest` into `draw` (after its marker),
/// every text matrix moved by `moved`; the state it sets before it draws goes into `state`.
fn text_object<'o, 'a: 'o>(
    rest: &mut impl Iterator<Item = &'o Operation<'a>>,
    moved: Matrix,
    names: &HashSet<&[u8]>,
    state: &mut Vec<u8>,
    draw: &mut Vec<u8>,
) -> Result<(), PdfError> {
    push(draw, b"BT");
    let mut text_matrix = IDENTITY;
    let mut drawing = false;
    loop {
        let operation = rest
            .next()
            .ok_or_else(|| refused("a text object that does not end"))?;
        match operation.operator {
            b"ET" => break,
            b"Tm" if !drawing => text_matrix = matrix(operation)?,
            b"Tm" => {
                let mut m = Vec::new();
                for x in product(&matrix(operation)?, &moved) {
                    push(&mut m, number(x).as_bytes());
                }
                push(&mut m, b"Tm");
                push(draw, &m);
            }
            operator if is_state(operator) && !drawing => {
                push(state, &written(operation, names));
            }
            operator if is_state(operator) || is_text(operator) => {
                if !drawing {
                    push(draw, &placed(&product(&text_matrix, &moved)));
                    drawing = true;
                }
                push(draw, &written(operation, names));
            }
            _ => return Err(refused("more than text in a text object")),
        }
    }
    push(draw, b"ET");
    Ok(())
}

/// Whether `operator` sets a colour or a parameter of the graphics or text state (which
/// holds across content streams and outside text objects).
fn is_state(operator: &[u8]) -> bool {
    matches!(
        operator,
        b"CS"
            | b"cs"
            | b"SC"
            | b"SCN"
            | b"sc"
            | b"scn"
            | b"G"
            | b"g"
            | b"RG"
            | b"rg"
            | b"K"
            | b"k"
            | b"gs"
            | b"ri"
            | b"Tc"
            | b"Tw"
            | b"Tz"
            | b"TL"
            | b"Tf"
            | b"Tr"
            | b"Ts"
    )
}

/// Whether `operator` positions or shows text.
fn is_text(operator: &[u8]) -> bool {
    matches!(
        operator,
        b"Td" | b"TD" | b"T*" | b"Tj" | b"TJ" | b"'" | b"\""
    )
}

/// The operations of `content`, in order.
fn operations(content: &[u8]) -> Result<Vec<Operation<'_>>, PdfError> {
    let mut operations = Vec::new();
    let mut operands = Vec::new();
    let mut at = skip_blank(content, 0);
    while at < content.len() {
        let end = value_end(content, at)?;
        let token = &content[at..end];
        if is_operator(token) {
            if token == b"BI" {
                return Err(refused("an inline image"));
            }
            operations.push(Operation {
                operands: std::mem::take(&mut operands),
                operator: token,
            });
        } else {
            operands.push(token);
        }
        at = skip_blank(content, end);
    }
    if !operands.is_empty() {
        return Err(refused("operands without an operator"));
    }
    Ok(operations)
}

fn is_operator(token: &[u8]) -> bool {
    matches!(token.first(), Some(b) if b.is_ascii_alphabetic() || *b == b'\'' || *b == b'"')
        && !matches!(token, b"true" | b"false" | b"null")
}

/// `operation` written again in few bytes, the names of the sheet's resources given
/// [`PREFIX`].
fn written(operation: &Operation<'_>, names: &HashSet<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for operand in &operation.operands {
        match operand.strip_prefix(b"/") {
            Some(name) if names.contains(name) => {
                push(&mut out, format!("/{PREFIX}").as_bytes());
                out.extend_from_slice(name);
            }
            _ => push(&mut out, &compact(operand)),
        }
    }
    push(&mut out, operation.operator);
    out
}

/// `token` in few bytes: a string written in hexadecimal when that is shorter, an array's
/// elements so.
fn compact(token: &[u8]) -> Vec<u8> {
    if token.starts_with(b"(") {
        if let Some(bytes) = literal_bytes(token)
            && 2 + 2 * bytes.len() < token.len()
        {
            let mut out = b"<".to_vec();
            for byte in bytes {
                out.extend_from_slice(format!("{byte:02X}").as_bytes());
            }
            out.push(b'>');
            return out;
        }
    } else if token.starts_with(b"[")
        && let Ok(elements) = elements(token)
    {
        let mut out = b"[".to_vec();
        for element in elements {
            push(&mut out, &compact(element));
        }
        out.push(b']');
        return out;
    }
    token.to_vec()
}

/// The bytes of the literal string `token` (`(...)`); `None` for one this reader leaves as
/// written (a line break in it, an unknown escape).
fn literal_bytes(token: &[u8]) -> Option<Vec<u8>> {
    let inner = token.strip_prefix(b"(")?.strip_suffix(b")")?;
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while let Some(&byte) = inner.get(i) {
        i += 1;
        match byte {
            b'\\' => {}
            b'\r' | b'\n' => return None,
            _ => {
                out.push(byte);
                continue;
            }
        }
        let escaped = *inner.get(i)?;
        i += 1;
        out.push(match escaped {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'b' => 8,
            b'f' => 12,
            b'(' | b')' | b'\\' => escaped,
            b'0'..=b'7' => {
                let mut value = u32::from(escaped - b'0');
                for _ in 0..2 {
                    match inner.get(i) {
                        Some(&digit @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(digit - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                u8::try_from(value & 0xFF).ok()?
            }
            _ => return None,
        });
    }
    Some(out)
}

/// Appends `token` to `out`, after a space where two tokens would otherwise run together.
fn push(out: &mut Vec<u8>, token: &[u8]) {
    if let (Some(&last), Some(&first)) = (out.last(), token.first())
        && is_regular(last)
        && is_regular(first)
    {
        out.push(b' ');
    }
    out.extend_from_slice(token);
}

/// The matrix that the operands of a `cm` or `Tm` give.
fn matrix(operation: &Operation<'_>) -> Result<Matrix, PdfError> {
    let mut out = [0.0; 6];
    if operation.operands.len() != 6 {
        return Err(refused("a matrix of other than six numbers"));
    }
    for (slot, operand) in out.iter_mut().zip(&operation.operands) {
        *slot = std::str::from_utf8(operand)
            .ok()
            .and_then(|text| text.parse().ok())
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| refused("a matrix of other than numbers"))?;
    }
    Ok(out)
}

/// `m` then `n`: the matrix that maps as `m` and then as `n` do.
fn product(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// What places the first text of a text object at `m`: a `Td` for a move alone, else a
/// `Tm`.
fn placed(m: &Matrix) -> Vec<u8> {
    let (operands, operator): (&[f64], &[u8]) = if m[..4] == IDENTITY[..4] {
        (&m[4..], b"Td")
    } else {
        (m, b"Tm")
    };
    let mut out = Vec::new();
    for &x in operands {
        push(&mut out, number(x).as_bytes());
    }
    push(&mut out, operator);
    out
}

/// `x` with up to six decimals, as Typst writes positions.
fn number(x: f64) -> String {
    real(x, 6)
}

/// The decoded content of the content stream `text` (an object's value): as it is, or
/// inflated.
pub(super) fn decoded(text: &[u8]) -> Result<Vec<u8>, PdfError> {
    let dict = Dict::read(text)?;
    let data = stream_data(text, &dict)?;
    match dict.get("Filter").map(<[u8]>::trim_ascii) {
        None => Ok(data.to_vec()),
        Some(b"/FlateDecode") | Some(b"[/FlateDecode]") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(data)
                .read_to_end(&mut out)
                .map_err(|_| refused("a page number's content that does not inflate"))?;
            Ok(out)
        }
        Some(_) => Err(refused("a page number's content in another encoding")),
    }
}

fn refused(what: &'static str) -> PdfError {
    PdfError::Unpackable(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str) -> Result<Folio, PdfError> {
        let names: HashSet<&[u8]> = [&b"c0"[..], b"f0"].into_iter().collect();
        Folio::read(content.as_bytes(), &names)
    }

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn typst_page_number_keeps_its_state_apart_and_its_move_in_the_text_matrix() {
        let folio = read(
            "/Artifact<</Attached[/Bottom]/Subtype/Footer/Type/Pagination>>BDC\n\
             q 1 0 0 -1 528.9609 42.029053 cm/c0 cs 0.36078432 0.36078432 0.36078432 scn\n\
             BT 0 Tr/f0 8.5 Tf 1 0 0 -1 0 0 Tm[(\\000\\030)]TJ\nET\nQ\nEMC",
        )
        .expect("read");
        assert_eq!(
            text(&folio.state),
            "/Folioc0 cs 0.36078432 0.36078432 0.36078432 scn 0 Tr/Foliof0 8.5 Tf"
        );
        assert_eq!(
            text(&folio.draw),
            "/Artifact/FolioMarker BDC BT 528.9609 42.029053 Td[<0018>]TJ ET EMC"
        );
        assert_eq!(
            folio.marker.as_deref(),
            Some(&b"<</Attached[/Bottom]/Subtype/Footer/Type/Pagination>>"[..])
        );
    }

    #[test]
    fn a_number_without_a_marker_or_a_move_is_drawn_as_an_artifact_where_it_stands() {
        let folio = read("BT (1) Tj ET").expect("read");
        assert!(folio.state.is_empty());
        assert_eq!(text(&folio.draw), "/Artifact BMC BT 0 0 Td(1)Tj ET EMC");
    }

    #[test]
    fn moves_are_composed_in_order() {
        let folio =
            read("q 2 0 0 2 0 0 cm 1 0 0 1 10 20 cm BT 1 0 0 1 1 1 Tm (1) Tj ET Q").expect("read");
        // The text at (1, 1) moved by (10, 20), then everything scaled by 2.
        assert_eq!(
            text(&folio.draw),
            "/Artifact BMC BT 2 0 0 2 22 42 Tm(1)Tj ET EMC"
        );
    }

    #[test]
    fn strings_are_written_in_hexadecimal_where_that_is_shorter() {
        assert_eq!(compact(br"(\000\022\000\b)"), b"<00120008>");
        assert_eq!(compact(br"(ab)"), b"(ab)");
        assert_eq!(
            compact(br"[(\000\022) -250 (\(\))]"),
            b"[<0012>-250(\\(\\))]"
        );
        assert_eq!(
            compact(b"(a\\\nb)"),
            b"(a\\\nb)",
            "a line continuation is left"
        );
    }

    #[test]
    fn anything_but_text_is_refused() {
        for content in [
            "0 0 m 1 1 l S",
            "BT (1) Tj ET BT (2) Tj ET",
            "BT (1) Tj",
            "q BT 0 0 m ET Q",
            "BI /W 1 ID x EI",
            "1 2 3 cm BT ET",
            "BT (1) Tj ET 5",
        ] {
            assert!(read(content).is_err(), "{content}");
        }
    }
}
