//! Page counting and folio stamping on small PDFs built with lopdf; book assembly on the
//! sample edition rendered by the pipeline.

use std::path::Path;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, dictionary};

use super::{FOLIO, Pages, PdfError, STAMP};
use crate::record::load_record;
use crate::registry::Registry;
use crate::render::{RenderOptions, Renderer};

/// A PDF with one page per content stream, A4, nothing else.
fn pdf_with_pages(contents: &[Vec<u8>]) -> Vec<u8> {
    let mut doc = Pdf::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for content in contents {
        let stream = doc.add_object(Stream::new(Dictionary::new(), content.clone()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => stream,
            "Resources" => Dictionary::new(),
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .expect("an in-memory PDF is written");
    bytes
}

/// `n` pages whose content shows `page i`.
fn profile(n: usize) -> Vec<u8> {
    let contents: Vec<Vec<u8>> = (1..=n)
        .map(|i| format!("BT (page {i}) Tj ET").into_bytes())
        .collect();
    pdf_with_pages(&contents)
}

/// A folio sheet: one page per label, showing it.
fn sheet(labels: &[String]) -> Vec<u8> {
    let contents: Vec<Vec<u8>> = labels
        .iter()
        .map(|l| format!("BT ({l}) Tj ET").into_bytes())
        .collect();
    pdf_with_pages(&contents)
}

fn dict(pdf: &Pdf, object: &Object) -> Dictionary {
    match object {
        Object::Reference(id) => pdf.get_dictionary(*id).expect("a dictionary").clone(),
        Object::Dictionary(d) => d.clone(),
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// The text the page-number layer of `page` shows.
fn folio_label(pdf: &Pdf, page: ObjectId) -> String {
    let page_dict = pdf.get_dictionary(page).expect("a page");
    let resources = dict(pdf, page_dict.get(b"Resources").expect("resources"));
    let xobjects = dict(pdf, resources.get(b"XObject").expect("XObjects"));
    let form = xobjects
        .get(FOLIO)
        .and_then(Object::as_reference)
        .expect("a page-number layer");
    let stream = pdf
        .get_object(form)
        .and_then(Object::as_stream)
        .expect("a form");
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&content);
    let start = text.find('(').expect("a text string") + 1;
    let end = text[start..].find(')').expect("a closed string") + start;
    text[start..end].to_string()
}

#[test]
fn pages_are_counted() {
    for n in [1, 2, 5] {
        let pages = Pages::load(&profile(n)).expect("a PDF");
        assert_eq!(pages.count(), n);
    }
}

#[test]
fn folios_are_stamped_page_by_page_and_read_back() {
    let labels: Vec<String> = (1..=3).map(|i| format!("{i} / 3")).collect();
    let stamped = Pages::load(&profile(3))
        .expect("a PDF")
        .stamp_folios(&sheet(&labels))
        .expect("stamped");
    let pdf = Pdf::load_mem(&stamped).expect("the stamped PDF reads");
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    assert_eq!(pages.len(), 3);
    for (page, label) in pages.iter().zip(&labels) {
        assert_eq!(&folio_label(&pdf, *page), label);
        let contents = pdf
            .get_dictionary(*page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(Object::as_array)
            .expect("the page's contents and the stamp");
        let last = contents
            .last()
            .and_then(|c| c.as_reference().ok())
            .expect("the stamp");
        let stamp = pdf
            .get_object(last)
            .and_then(Object::as_stream)
            .expect("a stream");
        let text = stamp
            .decompressed_content()
            .unwrap_or_else(|_| stamp.content.clone());
        assert_eq!(text, STAMP, "the folio is drawn as a pagination artifact");
    }
}

#[test]
fn a_folio_sheet_shorter_than_the_profile_is_refused() {
    let labels = vec!["1 / 3".to_string()];
    let result = Pages::load(&profile(3))
        .expect("a PDF")
        .stamp_folios(&sheet(&labels));
    assert!(
        matches!(result, Err(PdfError::TooFewFolios { sheet: 1, pages: 3 })),
        "{result:?}"
    );
}

/// A record short enough for one page.
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
            let count = Pages::load(&pdf).expect("a PDF").count();
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

    // Page labels: i, ii... over the front matter, then 1, 2... from the first profile.
    let labels = dict(&pdf, pdf.catalog().unwrap().get(b"PageLabels").unwrap());
    let nums = labels.get(b"Nums").and_then(Object::as_array).unwrap();
    assert_eq!(nums.len(), 4);
    assert_eq!(nums[0].as_i64().unwrap(), 0);
    assert_eq!(
        dict(&pdf, &nums[1]).get(b"S").unwrap().as_name().unwrap(),
        b"r"
    );
    assert_eq!(nums[2].as_i64().unwrap(), front as i64);
    assert_eq!(
        dict(&pdf, &nums[3]).get(b"S").unwrap().as_name().unwrap(),
        b"D"
    );

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
            let blank = pdf.get_dictionary(pages[start + count]).unwrap();
            assert!(
                blank.get(b"Contents").is_err(),
                "{country}'s odd page count is padded with a blank page"
            );
        }
        start += count + count % 2;
    }
    assert_eq!(start, pages.len());
}

#[test]
fn every_page_of_a_book_profile_has_its_own_folio() {
    let (bytes, profiles) = sample_book();
    let pdf = Pdf::load_mem(&bytes).expect("the book reads");
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    let body: usize = profiles.iter().map(|(_, n)| n + n % 2).sum();
    let mut forms = Vec::new();
    for &page in &pages[pages.len() - body..] {
        let page_dict = pdf.get_dictionary(page).unwrap();
        if page_dict.get(b"Contents").is_err() {
            continue;
        }
        let resources = dict(&pdf, page_dict.get(b"Resources").unwrap());
        let xobjects = dict(&pdf, resources.get(b"XObject").unwrap());
        forms.push(xobjects.get(FOLIO).and_then(Object::as_reference).unwrap());
    }
    let printed: usize = profiles.iter().map(|(_, n)| n).sum();
    assert_eq!(forms.len(), printed);
    let mut distinct = forms.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), printed, "two pages share a page number");
}
