//! Joining tagged PDFs written by hand as Typst writes them.

use lopdf::{Document as Pdf, Object, ObjectId};

use super::super::source::classic;
use super::{Layout, Page, join};

/// A tagged one-page PDF as Typst writes one: a table header `U1` on the page, one
/// bookmark to it, and one font (the same in every such PDF).
fn tagged(title: &str, content: &str) -> Vec<u8> {
    classic(&[
        "<</Type/Catalog/Pages 2 0 R/StructTreeRoot 5 0 R/Outlines 9 0 R>>",
        "<</Type/Pages/Count 1/Kids[3 0 R]>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]/Resources 4 0 R/Contents 8 0 R/StructParents 0>>",
        "<</Font<</f0 10 0 R>>>>",
        "<</Type/StructTreeRoot/K[6 0 R]/ParentTree<</Nums[0 12 0 R]>>/ParentTreeNextKey 1/IDTree<</Names[(U1) 7 0 R]>>>>",
        "<</Type/StructElem/S/Document/P 5 0 R/K[7 0 R]>>",
        "<</Type/StructElem/S/TH/P 6 0 R/Pg 3 0 R/K[0]/ID(U1)>>",
        &format!(
            "<</Length {}>>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<</Type/Outlines/First 11 0 R/Last 11 0 R/Count 1>>",
        "<</Type/Font/Subtype/Type0/BaseFont/ABCDEF+Serif/DescendantFonts[13 0 R]>>",
        &format!("<</Title({title})/Parent 9 0 R/Dest 14 0 R>>"),
        "[7 0 R]",
        "<</Type/Font/Subtype/CIDFontType0/BaseFont/ABCDEF+Serif>>",
        "[3 0 R /XYZ 10 90 0]",
    ])
}

fn dict(pdf: &Pdf, id: ObjectId) -> &lopdf::Dictionary {
    pdf.get_dictionary(id).expect("a dictionary")
}

fn reference(object: &Object) -> ObjectId {
    object.as_reference().expect("a reference")
}

/// Two tagged PDFs joined, the first's page moved 5 pt right and the second's 5 pt left,
/// and the joined PDF's pages.
fn joined_pair() -> (Pdf, Vec<ObjectId>) {
    let (a, b) = (tagged("A", "BT ET"), tagged("B", "q Q"));
    let joined = join(&[&a, &b], None, |counts| {
        assert_eq!(counts, [1, 1]);
        Layout {
            pages: (0..2)
                .map(|doc| Page::Copied {
                    doc,
                    page: 0,
                    dx: if doc == 0 { 5.0 } else { -5.0 },
                    folio: None,
                })
                .collect(),
            part_links: Vec::new(),
            numbered_from: None,
        }
    })
    .expect("joined");
    let pdf = Pdf::load_mem(&joined).expect("a PDF");
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    (pdf, pages)
}

#[test]
fn two_pdfs_join_with_one_font_and_one_structure_tree() {
    let (pdf, pages) = joined_pair();
    assert_eq!(pages.len(), 2);
    let fonts: Vec<ObjectId> = pages
        .iter()
        .map(|&page| {
            let resources = reference(dict(&pdf, page).get(b"Resources").unwrap());
            let fonts = dict(&pdf, resources)
                .get(b"Font")
                .unwrap()
                .as_dict()
                .unwrap();
            reference(fonts.get(b"f0").unwrap())
        })
        .collect();
    assert_eq!(fonts[0], fonts[1], "the same font kept once");
    let keys: Vec<i64> = pages
        .iter()
        .map(|&p| {
            dict(&pdf, p)
                .get(b"StructParents")
                .unwrap()
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(keys, [0, 1]);
    let catalog = pdf.catalog().unwrap();
    let root = dict(&pdf, reference(catalog.get(b"StructTreeRoot").unwrap()));
    let nums = root
        .get(b"ParentTree")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap();
    let nums = nums.as_array().unwrap();
    assert_eq!(nums.len(), 4);
    assert_eq!(nums[2].as_i64().unwrap(), 1);
    let ids = root
        .get(b"IDTree")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Names")
        .unwrap();
    let ids: Vec<&[u8]> = ids
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.as_str().ok())
        .collect();
    assert_eq!(ids, [&b"U1"[..], b"p1-U1"]);
    let document = reference(&root.get(b"K").unwrap().as_array().unwrap()[0]);
    let kids = dict(&pdf, document).get(b"K").unwrap().as_array().unwrap();
    assert_eq!(kids.len(), 2);
    let second = dict(&pdf, reference(&kids[1]));
    assert_eq!(reference(second.get(b"P").unwrap()), document);
    assert_eq!(second.get(b"ID").unwrap().as_str().unwrap(), b"p1-U1");
    assert_eq!(reference(second.get(b"Pg").unwrap()), pages[1]);
}

#[test]
fn two_pdfs_join_with_one_outline_and_pages_moved() {
    let (pdf, pages) = joined_pair();
    let catalog = pdf.catalog().unwrap();
    let outline = dict(&pdf, reference(catalog.get(b"Outlines").unwrap()));
    assert_eq!(outline.get(b"Count").unwrap().as_i64().unwrap(), 2);
    let first = dict(&pdf, reference(outline.get(b"First").unwrap()));
    let last_id = reference(outline.get(b"Last").unwrap());
    assert_eq!(reference(first.get(b"Next").unwrap()), last_id);
    let last = dict(&pdf, last_id);
    let dest = pdf
        .get_object(reference(last.get(b"Dest").unwrap()))
        .unwrap();
    let dest = dest.as_array().unwrap();
    assert_eq!(reference(&dest[0]), pages[1]);
    assert_eq!(
        dest[2].as_float().unwrap(),
        5.0,
        "moved with its page, 10 - 5"
    );
    let contents = dict(&pdf, pages[0])
        .get(b"Contents")
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(
        contents.len(),
        3,
        "the page's own content between two of its own"
    );
    let before = pdf
        .get_object(reference(&contents[0]))
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(before.content, b"q 1 0 0 1 5 0 cm \n");
}

/// The one page of `page` with the first page of `sheet` drawn over it as its number.
fn numbered(page: &[u8], sheet: &[u8]) -> Result<Vec<u8>, super::super::PdfError> {
    join(&[page], Some(sheet), |_| Layout {
        pages: vec![Page::Copied {
            doc: 0,
            page: 0,
            dx: 0.0,
            folio: Some(0),
        }],
        part_links: Vec::new(),
        numbered_from: None,
    })
}

#[test]
fn page_numbers_are_drawn_in_the_page_with_the_page_fonts() {
    let page = tagged("A", "BT ET");
    let sheet = tagged("Folios", "q 1 0 0 1 40 5 cm /f0 8 Tf BT (1) Tj ET Q");
    let joined = numbered(&page, &sheet).expect("joined");
    let pdf = Pdf::load_mem(&joined).expect("a PDF");
    let page = *pdf.get_pages().values().next().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&pdf.get_page_content(page))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "q BT ET Q /Foliof0 8 Tf /Artifact BMC BT 40 5 Td(1)Tj ET EMC",
        "the page's own content, then its number in the sheet's font, moved where the sheet drew it"
    );
    let resources = dict(&pdf, reference(dict(&pdf, page).get(b"Resources").unwrap()));
    let fonts = resources.get(b"Font").unwrap().as_dict().unwrap();
    assert_eq!(
        reference(fonts.get(b"f0").unwrap()),
        reference(fonts.get(b"Foliof0").unwrap()),
        "the sheet's font is the page's own, kept once"
    );
    let type0 = pdf
        .objects
        .values()
        .filter(|o| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"Subtype")
                    .is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"Type0"))
            })
        })
        .count();
    assert_eq!(type0, 1);
    let streams = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|stream| stream.dict.get(b"Type").is_err())
        .count();
    assert_eq!(
        streams, 4,
        "the page's content, two stamps and its number: no forms"
    );
}

#[test]
fn a_page_number_drawn_otherwise_than_as_text_is_refused() {
    let page = tagged("A", "BT ET");
    let sheet = tagged("Folios", "0 0 m 10 10 l S");
    assert!(numbered(&page, &sheet).is_err());
}

#[test]
fn what_cannot_be_joined_is_refused_without_a_panic() {
    let good = tagged("A", "BT ET");
    let untagged = classic(&[
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Count 1/Kids[3 0 R]>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>",
    ]);
    let layout = |_: &[usize]| Layout {
        pages: vec![Page::Copied {
            doc: 1,
            page: 3,
            dx: 0.0,
            folio: Some(9),
        }],
        part_links: Vec::new(),
        numbered_from: None,
    };
    assert!(join(&[&good, &untagged], None, layout).is_err());
    assert!(join(&[&good, &good[..good.len() / 2]], None, layout).is_err());
    assert!(
        join(&[&good, &good], None, layout).is_err(),
        "a page the PDF lacks"
    );
}
