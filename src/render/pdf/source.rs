//! A PDF as Typst writes it, read where it stands: a classic cross-reference table gives
//! every object's offset, and each object is the slice of the file from its offset to the
//! next. Nothing is copied or parsed beyond the table.

use super::PdfError;
use super::renumber::Copied;

/// An object of a PDF: its number and its value's bytes (without `N 0 obj` and `endobj`).
pub(super) struct Object<'a> {
    /// The object's number.
    pub(super) number: u32,
    /// Its value (a stream's dictionary, data and keywords).
    pub(super) value: &'a [u8],
    /// How the value changes as it is written, when it is another PDF's object as that PDF
    /// wrote it (a joined PDF's object copied from one of its PDFs).
    pub(super) copied: Option<Copied<'a>>,
}

/// A PDF as Typst writes it.
pub(super) struct Source<'a> {
    /// The header line (`%PDF-1.7`).
    pub(super) version: &'a [u8],
    /// The objects in use, in the order of the file.
    pub(super) objects: Vec<Object<'a>>,
    /// The trailer's entries, between `<<` and `>>`.
    pub(super) trailer: &'a [u8],
    /// One more than the largest object number.
    pub(super) size: u32,
}

impl<'a> Source<'a> {
    /// Reads the objects in use and the trailer of `bytes`.
    pub(super) fn read(bytes: &'a [u8]) -> Result<Self, PdfError> {
        let version = bytes
            .split(|&b| b == b'\n')
            .next()
            .filter(|line| line.starts_with(b"%PDF-"))
            .ok_or_else(|| malformed("no PDF header"))?;
        let (objects, trailer, size) = read(bytes)?;
        Ok(Self {
            version,
            objects,
            trailer,
            size,
        })
    }

    /// The objects' values by number (`None` for a number not in use).
    pub(super) fn by_number(&self) -> Vec<Option<&'a [u8]>> {
        let mut values = vec![None; self.size as usize];
        for object in &self.objects {
            if let Some(slot) = values.get_mut(object.number as usize) {
                *slot = Some(object.value);
            }
        }
        values
    }
}

/// The objects in use, the trailer's entries but `/Size`, and `/Size`.
fn read(bytes: &[u8]) -> Result<(Vec<Object<'_>>, &[u8], u32), PdfError> {
    let startxref = rfind(bytes, b"startxref").ok_or_else(|| malformed("no startxref"))?;
    let xref: usize = number_after(&bytes[startxref + 9..])
        .ok_or_else(|| malformed("no cross-reference offset"))?;
    let table = bytes
        .get(xref..startxref)
        .filter(|t| t.starts_with(b"xref"))
        .ok_or_else(|| malformed("no cross-reference table"))?;
    let trailer_at = find(table, b"trailer").ok_or_else(|| malformed("no trailer"))?;
    let mut lines = table[4..trailer_at]
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|l| !l.trim_ascii().is_empty());
    let header = lines.next().ok_or_else(|| malformed("no subsection"))?;
    let fields: Vec<&[u8]> = header.split(|&b| b == b' ').collect();
    if fields.len() != 2 || fields[0] != b"0" {
        return Err(malformed("more than one cross-reference subsection"));
    }
    let size: u32 = number_after(fields[1]).ok_or_else(|| malformed("bad subsection"))?;
    let mut offsets: Vec<(usize, u32)> = Vec::new();
    for (number, line) in (0u32..).zip(lines) {
        if line.get(17) == Some(&b'n') {
            let offset = number_after(&line[..10]).ok_or_else(|| malformed("bad entry"))?;
            offsets.push((offset, number));
        }
    }
    offsets.sort_unstable();
    let mut objects = Vec::with_capacity(offsets.len());
    for (i, &(offset, number)) in offsets.iter().enumerate() {
        let end = offsets.get(i + 1).map_or(xref, |&(next, _)| next);
        let slice = bytes
            .get(offset..end)
            .ok_or_else(|| malformed("object out of the file"))?;
        objects.push(Object {
            number,
            value: object_value(slice).ok_or_else(|| malformed("bad object"))?,
            copied: None,
        });
    }
    let trailer = table[trailer_at + 7..].trim_ascii();
    let trailer = trailer
        .strip_prefix(b"<<")
        .and_then(|t| t.strip_suffix(b">>"))
        .ok_or_else(|| malformed("bad trailer"))?;
    if find(trailer, b"/Encrypt").is_some() || find(trailer, b"/Prev").is_some() {
        return Err(malformed("an encrypted or updated file"));
    }
    Ok((objects, trailer, size))
}

/// The value of `N 0 obj VALUE endobj`; `None` for another generation or a bad object.
fn object_value(slice: &[u8]) -> Option<&[u8]> {
    let start = find(slice, b"obj")?;
    let head: Vec<&[u8]> = slice[..start].split(|&b| b == b' ').collect();
    if head.get(1) != Some(&&b"0"[..]) {
        return None;
    }
    let end = rfind(slice, b"endobj")?;
    Some(slice.get(start + 3..end)?.trim_ascii())
}

/// The unsigned number at the start of `bytes` (after whitespace).
fn number_after<T: std::str::FromStr>(bytes: &[u8]) -> Option<T> {
    let text = std::str::from_utf8(bytes.trim_ascii_start()).ok()?;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    text[..digits].parse().ok()
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn malformed(what: &'static str) -> PdfError {
    PdfError::Unpackable(what)
}

/// A PDF as Typst writes one, of `objects` numbered from 1 (the first the catalog): the
/// objects one after the other, a cross-reference table, a trailer.
#[cfg(test)]
pub(super) fn classic(objects: &[&str]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R/ID[(abc)(def)]>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
