//! The book of the sample edition, rendered by the pipeline: its numbering, padding,
//! bookmarks and links, and its packing.

use std::path::Path;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId};

use crate::record::load_record;
use crate::registry::Registry;
use crate::render::{RenderOptions, Renderer};

fn dict(pdf: &Pdf, object: &Object) -> Dictionary {
    match object {
        Object::Reference(id) => pdf.get_dictionary(*id).expect("a dictionary").clone(),
        Object::Dictionary(d) => d.clone(),
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// How many pages a PDF has.
fn page_count(bytes: &[u8]) -> usize {
    Pdf::load_mem(bytes).expect("a PDF").get_pages().len()
}

const ONE_PAGE: &str = r#"
country = "Examplestan"
iso = "XE"
topic = "cluster-munition-ban-policy"
edition = 2022
summary = "A fictional country with a profile of one page."
"#;

/// The sample 2022 edition and a one-page profile rendered into a temporary directory: the
/// book and each profile's country and page count, in book order.
fn sample_book() -> (Vec<u8>, Vec<(String, usize)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let registry = Registry::load(&root.join("checks")).expect("the sample registries");
    let renderer = Renderer::new(&root.join("templates"), registry, RenderOptions::default())
        .expect("the templates");
    // One topic's records, so the book has no section title pages between the profiles.
    let mut records: Vec<_> = std::fs::read_dir(root.join("profiles/2022"))
        .expect("the sample edition")
        .map(|e| load_record(&e.expect("an entry").path()).expect("a sample record"))
        .filter(|r| r.topic.value == crate::record::Topic::ClusterMunitionBanPolicy)
        .collect();
    let out = tempfile::tempdir().expect("a temporary directory");
    let short = out.path().join("examplestan.toml");
    std::fs::write(&short, ONE_PAGE).expect("a record written");
    records.push(load_record(&short).expect("the one-page record"));
    // The book's order: country, then topic.
    records.sort_by(|a, b| {
        (a.country.value.to_lowercase(), a.topic.value)
            .cmp(&(b.country.value.to_lowercase(), b.topic.value))
    });
    let jobs = renderer.jobs(&records).expect("jobs");
    let results = renderer.run_jobs(&jobs, out.path(), &|_| {});
    assert!(results.iter().all(|r| r.written), "{results:?}");
    let profiles = records
        .iter()
        .map(|r| {
            let pdf = std::fs::read(out.path().join(format!("2022/{}.pdf", r.slug())))
                .expect("the profile");
            let count = page_count(&pdf);
            (r.country.value.clone(), count)
        })
        .collect();
    let book = std::fs::read(out.path().join("book-2022.pdf")).expect("the book");
    (book, profiles)
}

/// The page an outline item or link leads to.
fn destination(pdf: &Pdf, item: &Dictionary) -> Option<ObjectId> {
    let dest = match item.get(b"Dest").ok()? {
        Object::Reference(id) => pdf.get_object(*id).ok()?,
        direct => direct,
    };
    dest.as_array().ok()?.first()?.as_reference().ok()
}

/// Every outline item (depth first): its title and the page it leads to.
fn outline(pdf: &Pdf) -> Vec<(String, Option<ObjectId>)> {
    fn walk(pdf: &Pdf, first: Option<ObjectId>, out: &mut Vec<(String, Option<ObjectId>)>) {
        let mut next = first;
        while let Some(id) = next {
            let item = pdf.get_dictionary(id).expect("an outline item");
            let title = match item.get(b"Title") {
                Ok(Object::String(bytes, _)) => String::from_utf8_lossy(bytes).into_owned(),
                _ => String::new(),
            };
            out.push((title, destination(pdf, item)));
            walk(
                pdf,
                item.get(b"First").and_then(Object::as_reference).ok(),
                out,
            );
            next = item.get(b"Next").and_then(Object::as_reference).ok();
        }
    }
    let catalog = pdf.catalog().expect("a catalog");
    let root = catalog
        .get(b"Outlines")
        .and_then(Object::as_reference)
        .expect("bookmarks");
    let first = pdf
        .get_dictionary(root)
        .and_then(|d| d.get(b"First"))
        .and_then(Object::as_reference)
        .ok();
    let mut items = Vec::new();
    walk(pdf, first, &mut items);
    items
}

/// Page labels: i, ii... over the `front` pages of front matter, then 1, 2... from the
/// first profile.
fn assert_page_labels(pdf: &Pdf, pages: usize, front: usize) {
    let labels = dict(pdf, pdf.catalog().unwrap().get(b"PageLabels").unwrap());
    let nums = labels.get(b"Nums").and_then(Object::as_array).unwrap();
    let mut label_of = vec![None; pages];
    for pair in nums.chunks(2) {
        let index = usize::try_from(pair[0].as_i64().unwrap()).unwrap();
        let label = dict(pdf, &pair[1]);
        let style = label.get(b"S").unwrap().as_name().unwrap().to_vec();
        let start = label.get(b"St").map_or(1, |s| s.as_i64().unwrap());
        label_of[index] = Some((style, start));
    }
    // A range runs on until the next; each page's label is its range's start plus its offset.
    let mut current = None;
    for (i, label) in label_of.iter().enumerate() {
        if let Some((style, start)) = label {
            current = Some((style.clone(), *start - i as i64));
        }
        let (style, base) = current.clone().expect("a label from the first page on");
        let number = base + i as i64;
        if i < front {
            assert_eq!(
                (style.as_slice(), number),
                (&b"r"[..], i as i64 + 1),
                "page {i}"
            );
        } else {
            assert_eq!(
                (style.as_slice(), number),
                (&b"D"[..], (i - front) as i64 + 1),
                "page {i}"
            );
        }
    }
}

#[test]
fn a_book_numbers_pads_bookmarks_and_links_every_profile() {
    let (bytes, profiles) = sample_book();
    let pdf = Pdf::load_mem(&bytes).expect("the book reads");
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    let body: usize = profiles.iter().map(|(_, n)| n + n % 2).sum();
    assert!(pages.len() > body, "the book has front matter");
    assert!(
        profiles.iter().any(|(_, n)| n % 2 == 1),
        "the sample edition has a profile to pad: {profiles:?}"
    );
    let front = pages.len() - body;

    assert_page_labels(&pdf, pages.len(), front);

    let bookmarks = outline(&pdf);
    let links: Vec<ObjectId> = pages[..front]
        .iter()
        .flat_map(|&page| {
            let annots = pdf
                .get_dictionary(page)
                .and_then(|d| d.get(b"Annots"))
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default();
            annots
                .iter()
                .filter_map(|a| destination(&pdf, &dict(&pdf, a)))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut start = front;
    for (country, count) in &profiles {
        let first = pages[start];
        // Each profile starts on a right-hand page: book page 1, 3, 5...
        assert_eq!(
            (start - front) % 2,
            0,
            "{country} starts on a left-hand page"
        );
        assert!(
            bookmarks.contains(&(country.clone(), Some(first))),
            "no bookmark for {country} on its first page: {bookmarks:?}"
        );
        assert!(
            links.contains(&first),
            "the contents do not link to {country}'s first page"
        );
        if count % 2 == 1 {
            let blank = pdf.get_page_content(pages[start + count]);
            assert!(
                !blank.windows(2).any(|w| w == b"Tj" || w == b"TJ"),
                "{country}'s odd page count is padded with a blank page"
            );
        }
        start += count + count % 2;
    }
    assert_eq!(start, pages.len());
}

#[test]
fn a_book_is_packed_into_object_streams() {
    let (bytes, _) = sample_book();
    let pdf = Pdf::load_mem(&bytes).expect("the book reads");
    let packed = pdf
        .objects
        .values()
        .filter(|object| {
            object.as_stream().is_ok_and(|s| {
                s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"ObjStm")
            })
        })
        .count();
    assert!(packed > 0, "no object stream in the book");
    assert!(bytes.starts_with(b"%PDF-"));
}
