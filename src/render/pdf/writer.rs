//! A large document written object by object: streams as they are, every other object packed
//! into compressed object streams, then a cross-reference stream (ISO 32000-1, 7.5.7-8).
//!
//! lopdf's own writer copies every object it packs before it writes any, which doubles the
//! memory a book of tens of thousands of structure elements takes at the moment it is saved.
//! Here each object is serialised and dropped in turn.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Dictionary, Document as Pdf, Object, Writer};

/// How an object is found: at an offset of the file, or inside an object stream.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    At(usize),
    Packed { container: u32, index: u16 },
}

/// Objects packed so far into the next object stream.
struct Pack {
    /// Each object's number and where its serialisation starts in `body`.
    offsets: Vec<(u32, usize)>,
    body: Vec<u8>,
}

/// Writes `pdf` with objects of generation 0 that are not streams packed `per_stream` to an
/// object stream compressed at flate `level`; consumes the document.
pub(super) fn write_packed(
    mut pdf: Pdf,
    level: u32,
    per_stream: usize,
) -> std::io::Result<Vec<u8>> {
    let objects = std::mem::take(&mut pdf.objects);
    let mut next_id = pdf.max_id.max(objects.keys().last().map_or(0, |id| id.0));
    let mut entries = vec![Entry::Free; next_id as usize + 1];
    let mut out = Vec::new();
    let version = if pdf.version.as_str() < "1.5" {
        "1.5"
    } else {
        pdf.version.as_str()
    };
    out.extend_from_slice(format!("%PDF-{version}\n").as_bytes());
    out.extend_from_slice(b"%\xE2\xE3\xCF\xD3\n");
    let mut pack = Pack {
        offsets: Vec::new(),
        body: Vec::new(),
    };
    let mut flush =
        |pack: &mut Pack, out: &mut Vec<u8>, entries: &mut Vec<Entry>| -> std::io::Result<()> {
            if pack.offsets.is_empty() {
                return Ok(());
            }
            next_id += 1;
            let container = next_id;
            for (index, &(id, _)) in pack.offsets.iter().enumerate() {
                let index = u16::try_from(index).map_err(std::io::Error::other)?;
                entries[id as usize] = Entry::Packed { container, index };
            }
            let stream = object_stream(pack, level)?;
            entries.push(Entry::At(out.len()));
            write_indirect(out, container, 0, &stream)
        };
    for ((id, generation), object) in objects {
        if is_generated(&object) {
            continue;
        }
        if generation == 0 && !matches!(object, Object::Stream(_)) {
            pack.offsets.push((id, pack.body.len()));
            Writer::write_object(&mut pack.body, &object)?;
            pack.body.push(b' ');
            if pack.offsets.len() >= per_stream {
                flush(&mut pack, &mut out, &mut entries)?;
            }
        } else {
            entries[id as usize] = Entry::At(out.len());
            write_indirect(&mut out, id, generation, &object)?;
        }
    }
    flush(&mut pack, &mut out, &mut entries)?;
    write_xref_stream(&mut out, &entries, pdf.trailer, level)?;
    Ok(out)
}

/// Object streams and cross-reference streams the file had: written anew.
fn is_generated(object: &Object) -> bool {
    matches!(object.type_name(), Ok(b"ObjStm" | b"XRef"))
}

fn write_indirect(
    out: &mut Vec<u8>,
    id: u32,
    generation: u16,
    object: &Object,
) -> std::io::Result<()> {
    out.extend_from_slice(format!("{id} {generation} obj\n").as_bytes());
    Writer::write_object(out, object)?;
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

/// The object stream of the packed objects; empties `pack`.
fn object_stream(pack: &mut Pack, level: u32) -> std::io::Result<Object> {
    let mut table = String::new();
    for (id, offset) in &pack.offsets {
        table.push_str(&format!("{id} {offset} "));
    }
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::new(level));
    encoder.write_all(table.as_bytes())?;
    encoder.write_all(&pack.body)?;
    let content = encoder.finish()?;
    let dict = Dictionary::from_iter([
        ("Type", Object::Name(b"ObjStm".to_vec())),
        ("N", Object::Integer(pack.offsets.len() as i64)),
        ("First", Object::Integer(table.len() as i64)),
        ("Filter", Object::Name(b"FlateDecode".to_vec())),
    ]);
    pack.offsets.clear();
    pack.body.clear();
    Ok(Object::Stream(lopdf::Stream::new(dict, content)))
}

/// The cross-reference stream (compressed at flate `level`), numbered after every other
/// object, and the file's end.
fn write_xref_stream(
    out: &mut Vec<u8>,
    entries: &[Entry],
    trailer: Dictionary,
    level: u32,
) -> std::io::Result<()> {
    let start = out.len();
    let id = u32::try_from(entries.len()).map_err(std::io::Error::other)?;
    let mut rows = Vec::with_capacity((entries.len() + 1) * 7);
    let mut row = |kind: u8, field: u32, last: u16| {
        rows.push(kind);
        rows.extend_from_slice(&field.to_be_bytes());
        rows.extend_from_slice(&last.to_be_bytes());
    };
    for (number, entry) in entries.iter().enumerate() {
        match *entry {
            Entry::Free if number == 0 => row(0, 0, 65535),
            Entry::Free => row(0, 0, 0),
            Entry::At(offset) => row(1, u32::try_from(offset).map_err(std::io::Error::other)?, 0),
            Entry::Packed { container, index } => row(2, container, index),
        }
    }
    row(1, u32::try_from(start).map_err(std::io::Error::other)?, 0);
    let mut dict = Dictionary::new();
    for key in [b"Root".as_slice(), b"Info", b"ID"] {
        if let Ok(value) = trailer.get(key) {
            dict.set(key, value.clone());
        }
    }
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", Object::Integer(i64::from(id) + 1));
    dict.set(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Integer(4),
            Object::Integer(2),
        ]),
    );
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::new(level));
    encoder.write_all(&rows)?;
    let content = encoder.finish()?;
    write_indirect(
        out,
        id,
        0,
        &Object::Stream(lopdf::Stream::new(dict, content)),
    )?;
    out.extend_from_slice(format!("\nstartxref\n{start}\n%%EOF").as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use lopdf::{Document, Stream, StringFormat};

    use super::*;

    /// A document of a page, its content stream, `count` dictionaries and an object of
    /// generation 1.
    fn document(count: usize) -> Pdf {
        let mut pdf = Document::with_version("1.7");
        let content = pdf.add_object(Stream::new(Dictionary::new(), b"0 0 m 1 1 l S".to_vec()));
        let pages = pdf.new_object_id();
        let page = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages)),
            ("Contents", Object::Reference(content)),
        ]));
        pdf.objects.insert(
            pages,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(vec![Object::Reference(page)])),
                ("Count", Object::Integer(1)),
            ])),
        );
        let catalog = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
        ]));
        pdf.trailer.set("Root", Object::Reference(catalog));
        for i in 0..count {
            pdf.add_object(Dictionary::from_iter([(
                "T",
                Object::String(format!("element ({i})").into_bytes(), StringFormat::Literal),
            )]));
        }
        pdf.max_id += 1;
        pdf.objects.insert((pdf.max_id, 1), Object::Integer(7));
        pdf
    }

    #[test]
    fn every_object_reads_back_as_written() {
        let original = document(25);
        let bytes = write_packed(document(25), 6, 10).unwrap();
        let read = Document::load_mem(&bytes).unwrap();
        for (id, object) in &original.objects {
            let back = read.get_object(*id).unwrap();
            match (object, back) {
                (Object::Stream(a), Object::Stream(b)) => assert_eq!(a.content, b.content),
                (a, b) => assert_eq!(a, b, "object {id:?}"),
            }
        }
        assert_eq!(read.get_pages().len(), 1);
        // 28 dictionaries packed 10 to a stream make three object streams; the stream and the
        // object of generation 1 stand alone.
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/ObjStm").count(), 3);
        assert!(text.contains(" 1 obj\n7\nendobj"));
    }

    #[test]
    fn the_same_document_is_written_to_the_same_bytes() {
        let once = write_packed(document(5), 6, 1000).unwrap();
        assert_eq!(once, write_packed(document(5), 6, 1000).unwrap());
        assert!(once.starts_with(b"%PDF-1.7\n"));
        assert!(once.ends_with(b"%%EOF"));
    }
}
