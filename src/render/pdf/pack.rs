//! A PDF as Typst writes it, written again with its small objects in object streams.
//!
//! Typst's PDFs end with a classic cross-reference table, which gives every object's offset:
//! each object is a slice of the file, from its offset to the next. A stream object is copied
//! as it is; every other object's value goes into an object stream of [`PER_STREAM`]
//! (ISO 32000-1, 7.5.7), the streams compressed in parallel (with libdeflate); a
//! cross-reference stream (7.5.8) ends the file, with the trailer's entries. The small objects
//! go into the streams grouped by kind (their text with the digits left out: the table cells
//! together, then the rows...), which deflate compresses better than the order Typst wrote
//! them in, and every object is numbered anew in that order ([`Renumbering`]), so that the
//! cross-reference stream's rows stay in order too. Nothing is parsed beyond the references,
//! so packing a book takes a fraction of the time and memory of reading it as objects.

use std::cell::RefCell;
use std::collections::HashMap;

use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;

use super::PdfError;
use super::renumber::Renumbering;
use super::source::{Object, Source, find};

/// Flate level of the object streams and the cross-reference stream (libdeflate's scale).
/// On the 200-profile book's object streams (7.7 MB of text) level 5 writes 0.94 MB in
/// about 60 ms; 4 writes 1.04 MB in about the same time, 6 writes 0.87 MB in half as long
/// again. (zlib's level 5 wrote 1.02 MB in about 80 ms.)
const LEVEL: i32 = 5;

/// Objects to an object stream.
const PER_STREAM: usize = 1000;

/// Bytes of a cross-reference stream's row: type, offset or container, generation or index.
const ROW: usize = 7;

/// Where an object of the packed file is.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    At(usize),
    Packed { container: u32, index: u16 },
}

/// The PDF `bytes` (with a cross-reference table, as Typst writes it) with every object but
/// the streams packed into compressed object streams.
pub(super) fn pack(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    pack_source(Source::read(bytes)?)
}

/// The objects of `source` written as a PDF, every object but the streams packed into
/// compressed object streams.
pub(super) fn pack_source(source: Source<'_>) -> Result<Vec<u8>, PdfError> {
    let Source {
        version,
        objects,
        trailer,
        size: old_size,
    } = source;
    let total_bytes: usize = objects.iter().map(|o| o.value.len()).sum();
    let (streams, small): (Vec<Object<'_>>, Vec<Object<'_>>) =
        objects.into_iter().partition(|o| is_stream(o.value));
    let small = by_shape(small);
    let numbers = Renumbering::new(old_size, small.iter().chain(&streams).map(|o| o.number))?;
    let packs: Vec<(Vec<u32>, Vec<u8>)> = small
        .par_chunks(PER_STREAM)
        .enumerate()
        .map(|(i, chunk)| object_stream(chunk, i * PER_STREAM + 1, &numbers))
        .collect::<Result<_, _>>()?;
    let size = (small.len() + streams.len() + 1) as u32;
    let total = size as usize + packs.len() + 1;
    let mut entries = vec![Entry::Free; total];
    let mut out = Vec::with_capacity(total_bytes / 3);
    out.extend_from_slice(version);
    out.extend_from_slice(b"\n%\xE2\xE3\xCF\xD3\n");
    for object in &streams {
        let number = numbers.get(object.number)?;
        entries[number as usize] = Entry::At(out.len());
        // Renumbered straight into the file: a stream's data is copied once.
        write_object(&mut out, number, |out| {
            numbers.apply_copied_into(object.copied, object.value, out)
        })?;
    }
    for (i, (numbers, stream)) in packs.iter().enumerate() {
        let container = size + i as u32;
        for (index, number) in numbers.iter().enumerate() {
            let index = u16::try_from(index).map_err(|_| malformed("object stream too long"))?;
            entries[*number as usize] = Entry::Packed { container, index };
        }
        entries[container as usize] = Entry::At(out.len());
        write_object(&mut out, container, |out| {
            out.extend_from_slice(stream);
            Ok(())
        })?;
    }
    write_xref_stream(&mut out, &mut entries, &numbers.apply(trailer)?).map_err(PdfError::Write)?;
    Ok(out)
}

/// Whether an object's value is a stream (it ends with `endstream`).
fn is_stream(value: &[u8]) -> bool {
    value.ends_with(b"endstream")
}

/// An object stream of `objects`, numbered anew from `first` on: their numbers, and the
/// stream object's value.
fn object_stream(
    objects: &[Object<'_>],
    first: usize,
    numbers: &Renumbering,
) -> Result<(Vec<u32>, Vec<u8>), PdfError> {
    let mut table = String::new();
    let mut body = Vec::with_capacity(objects.iter().map(|o| o.value.len() + 1).sum());
    for (number, object) in (first..).zip(objects) {
        table.push_str(&format!("{number} {} ", body.len()));
        numbers.apply_copied_into(object.copied, object.value, &mut body)?;
        body.push(b'\n');
    }
    let mut text = Vec::with_capacity(table.len() + body.len());
    text.extend_from_slice(table.as_bytes());
    text.extend_from_slice(&body);
    let content = deflate(&text).map_err(PdfError::Write)?;
    let mut value = format!(
        "<</Type/ObjStm/N {}/First {}/Filter/FlateDecode/Length {}>>\nstream\n",
        objects.len(),
        table.len(),
        content.len()
    )
    .into_bytes();
    value.extend_from_slice(&content);
    value.extend_from_slice(b"\nendstream");
    let numbers = (first..).take(objects.len()).map(|n| n as u32).collect();
    Ok((numbers, value))
}

thread_local! {
    /// One compressor per thread, used for each stream: setting one up (its hash tables)
    /// costs more than compressing a small object stream.
    static COMPRESSOR: RefCell<Option<Compressor>> = const { RefCell::new(None) };
}

/// `text` compressed with flate at [`LEVEL`], in zlib's format (what `/FlateDecode` reads).
fn deflate(text: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with_borrow_mut(|compressor| {
        let compressor = match compressor {
            Some(compressor) => compressor,
            None => {
                let level = CompressionLvl::new(LEVEL)
                    .map_err(|_| std::io::Error::other("no such compression level"))?;
                compressor.insert(Compressor::new(level))
            }
        };
        let mut out = vec![0; compressor.zlib_compress_bound(text.len())];
        let written = compressor
            .zlib_compress(text, &mut out)
            .map_err(|error| std::io::Error::other(format!("{error:?}")))?;
        out.truncate(written);
        Ok(out)
    })
}

/// `objects` in their order in the object streams: by [`shape`], then by number. (The
/// objects of one shape are gathered first, so that the shapes, far fewer than the
/// objects, are what is compared: the 200-profile book has 558 shapes among 67,086
/// objects.)
fn by_shape(objects: Vec<Object<'_>>) -> Vec<Object<'_>> {
    let shapes: Vec<Vec<u8>> = objects.par_iter().map(|o| shape(o.value)).collect();
    let mut groups: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, shape) in shapes.iter().enumerate() {
        groups.entry(shape).or_default().push(i);
    }
    let mut groups: Vec<(&[u8], Vec<usize>)> = groups.into_iter().collect();
    groups.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let numbers: Vec<u32> = objects.iter().map(|o| o.number).collect();
    let mut slots: Vec<Option<Object<'_>>> = objects.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    for (_, mut members) in groups {
        members.sort_unstable_by_key(|&i| numbers[i]);
        ordered.extend(members.into_iter().filter_map(|i| slots[i].take()));
    }
    ordered
}

/// An object's shape: its text with the digits left out, so that objects of one kind (a
/// table cell, a row, a page) sort together.
fn shape(value: &[u8]) -> Vec<u8> {
    let mut shape = Vec::with_capacity(value.len());
    for piece in value.split(u8::is_ascii_digit) {
        shape.extend_from_slice(piece);
    }
    shape
}

/// Writes object `number`, its value written by `value`.
fn write_object(
    out: &mut Vec<u8>,
    number: u32,
    value: impl FnOnce(&mut Vec<u8>) -> Result<(), PdfError>,
) -> Result<(), PdfError> {
    out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    value(out)?;
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

/// The cross-reference stream, numbered last, with the `trailer`'s entries; then the end.
fn write_xref_stream(
    out: &mut Vec<u8>,
    entries: &mut [Entry],
    trailer: &[u8],
) -> std::io::Result<()> {
    let start = out.len();
    let number = entries.len() - 1;
    entries[number] = Entry::At(start);
    // Each row behind PNG's "Up" filter (byte 2, then each byte less the one above it):
    // neighbouring rows are much alike, so the filtered rows compress to a fraction.
    let mut rows = Vec::with_capacity(entries.len() * (ROW + 1));
    let mut above = [0u8; ROW];
    for (i, entry) in entries.iter().enumerate() {
        let (kind, field, last) = match *entry {
            Entry::Free if i == 0 => (0, 0, 65535),
            Entry::Free => (0, 0, 0),
            Entry::At(offset) => (1, u32::try_from(offset).map_err(std::io::Error::other)?, 0),
            Entry::Packed { container, index } => (2, container, index),
        };
        let mut row = [0u8; ROW];
        row[0] = kind;
        row[1..5].copy_from_slice(&field.to_be_bytes());
        row[5..].copy_from_slice(&last.to_be_bytes());
        rows.push(2);
        rows.extend(row.iter().zip(above).map(|(b, a)| b.wrapping_sub(a)));
        above = row;
    }
    let content = deflate(&rows)?;
    let rest = without_size(trailer);
    out.extend_from_slice(format!("{number} 0 obj\n<<").as_bytes());
    out.extend_from_slice(&rest);
    out.extend_from_slice(
        format!(
            "/Type/XRef/Size {}/W[1 4 2]/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns {ROW}>>/Length {}>>\nstream\n",
            entries.len(),
            content.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&content);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{start}\n%%EOF\n").as_bytes());
    Ok(())
}

/// The trailer's entries without `/Size N`.
fn without_size(trailer: &[u8]) -> Vec<u8> {
    let Some(at) = find(trailer, b"/Size") else {
        return trailer.to_vec();
    };
    let after = &trailer[at + 5..];
    let skip = after
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(after.len());
    let digits = after[skip..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let mut rest = trailer[..at].to_vec();
    rest.extend_from_slice(&after[skip + digits..]);
    rest
}

fn malformed(what: &'static str) -> PdfError {
    PdfError::Unpackable(what)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::source::{Object, classic};
    use super::{PdfError, by_shape, pack, shape};

    fn sample() -> Vec<u8> {
        classic(&[
            "<</Type/Catalog/Pages 2 0 R/Lang(see 3 0 R)>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
            "<</Length 11>>\nstream\n0 0 m 1 1 l\nendstream",
        ])
    }

    #[test]
    fn packed_objects_read_back_the_same() {
        let packed = pack(&sample()).expect("packs");
        let pdf = lopdf::Document::load_mem(&packed).expect("the packed PDF reads");
        // The objects are numbered anew: the page is found from the catalog.
        let pages = pdf.get_pages();
        assert_eq!(pages.len(), 1);
        let page_id = pages[&1];
        let page = pdf
            .get_dictionary(page_id)
            .expect("the page, from an object stream");
        assert_eq!(page.get(b"Type").unwrap().as_name().unwrap(), b"Page");
        let parent = page.get(b"Parent").unwrap().as_reference().unwrap();
        let tree = pdf.get_dictionary(parent).expect("the page tree");
        assert_eq!(tree.get(b"Count").unwrap().as_i64().unwrap(), 1);
        assert_eq!(pdf.get_page_content(page_id).trim_ascii(), b"0 0 m 1 1 l");
        assert!(pdf.trailer.get(b"ID").is_ok(), "the trailer's ID is kept");
        // What only looks like a reference, in a string, is left as it was.
        let catalog = pdf.catalog().expect("the catalog");
        assert_eq!(
            catalog.get(b"Lang").unwrap().as_str().unwrap(),
            b"see 3 0 R"
        );
        let streams = pdf
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter_map(|s| s.dict.get(b"Type").and_then(lopdf::Object::as_name).ok())
            .filter(|name| *name == b"ObjStm")
            .count();
        assert_eq!(streams, 1);
    }

    #[test]
    fn what_is_not_a_typst_pdf_is_refused_without_a_panic() {
        let whole = sample();
        for bad in [
            b"".to_vec(),
            b"%PDF-1.7\nstartxref\n99999999\n%%EOF".to_vec(),
            whole[..whole.len() / 2].to_vec(),
            whole
                .iter()
                .map(|b| if b.is_ascii_digit() { b'9' } else { *b })
                .collect(),
        ] {
            assert!(
                matches!(pack(&bad), Err(PdfError::Unpackable(_))),
                "{:?}",
                String::from_utf8_lossy(&bad)
            );
        }
    }

    proptest! {
        /// Gathering the objects by shape orders them as sorting them by shape and then
        /// number would.
        #[test]
        fn objects_go_by_shape_then_number(
            values in proptest::collection::vec("[a-c0-9 /<>]{0,12}", 0..60),
            seed in any::<u32>(),
        ) {
            let objects: Vec<Object<'_>> = values
                .iter()
                .enumerate()
                .map(|(i, value)| Object {
                    // Unique numbers, in no particular order.
                    number: (i as u32).wrapping_mul(2_654_435_761) ^ seed,
                    value: value.as_bytes(),
                    copied: None,
                })
                .collect();
            let mut expected: Vec<(Vec<u8>, u32)> =
                objects.iter().map(|o| (shape(o.value), o.number)).collect();
            expected.sort();
            let ordered: Vec<(Vec<u8>, u32)> = by_shape(objects)
                .iter()
                .map(|o| (shape(o.value), o.number))
                .collect();
            prop_assert_eq!(ordered, expected);
        }
    }

    #[test]
    fn a_shape_is_the_text_without_its_digits() {
        assert_eq!(shape(b"<</P 12 0 R/K [3 4]>>"), b"<</P   R/K [ ]>>");
        assert_eq!(shape(b"0123"), b"");
        assert_eq!(shape(b""), b"");
    }
}
