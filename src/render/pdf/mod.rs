//! Every PDF dossier writes, packed for size.
//!
//! Typst writes every object of a PDF on its own, and most of a tagged PDF's objects are its
//! structure elements: about 75,000 in a book of 200 profiles, several hundred in a profile.
//! [`pack`] writes the same objects again with the small ones packed into compressed object
//! streams (ISO 32000-1, 7.5.7), which takes a book to about a quarter of its size and a
//! profile to about half.

mod doc;
mod join;
mod pack;
mod renumber;
mod source;
mod syntax;

/// A PDF that cannot be packed.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The PDF is not laid out as Typst writes one.
    #[error("cannot pack the PDF: {0}")]
    Unpackable(&'static str),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {0}")]
    Write(#[source] std::io::Error),
}

/// The first page of every PDF given here holds its primer alone (see
/// `crate::render::typst::Primer`): what the PDF draws first so that its fonts are numbered as
/// every other PDF of its set numbers them. The PDFs made from them leave that page out.
const PRIMER_PAGES: usize = 1;

/// What a link of a book's front matter to its `part`-th part leads to (a URI), until the
/// book is joined: the joined book's link leads to the part's first page instead.
pub fn part_link(part: usize) -> String {
    format!("{PART_LINK}{part}")
}

/// The start of [`part_link`]'s links.
const PART_LINK: &str = "dossier:part/";

/// `pdf` (as Typst wrote it) with page numbers: the `first`-th number of `folios` (a sheet of
/// page numbers Typst wrote with the same font subsets, one to a page) drawn over its first
/// page, and so on; packed.
pub fn with_folios(pdf: &[u8], folios: &[u8], first: usize) -> Result<Vec<u8>, PdfError> {
    join::join(&[pdf], Some(folios), |counts| join::Layout {
        pages: (PRIMER_PAGES..counts[0])
            .map(|page| join::Page::Copied {
                doc: 0,
                page,
                dx: 0.0,
                folio: Some(first + page),
            })
            .collect(),
        part_links: Vec::new(),
        numbered_from: None,
    })
}

/// The PDFs of a book, as Typst wrote them, every one with the same font subsets.
pub struct BookPdfs<'a> {
    /// The front matter, whose links to [`part_link`]s lead to the parts' first pages.
    pub front: &'a [u8],
    /// The parts: each starts on a right-hand page.
    pub parts: Vec<&'a [u8]>,
    /// The page numbers of the parts' pages, one to a page in order.
    pub folios: &'a [u8],
    /// How far each page moves towards the spine, in points.
    pub binding: f32,
}

/// The book: the front matter, then each part from a right-hand page (a blank page after
/// the front matter or a part that ends on one), every page moved towards the spine,
/// the parts' pages numbered 1, 2, 3... and labelled so; packed.
pub fn book(pdfs: &BookPdfs<'_>) -> Result<Vec<u8>, PdfError> {
    let mut all = vec![pdfs.front];
    all.extend(&pdfs.parts);
    join::join(&all, Some(pdfs.folios), |counts| {
        let kept = counts[0].saturating_sub(PRIMER_PAGES);
        let side = |i: usize| {
            if i.is_multiple_of(2) {
                pdfs.binding
            } else {
                -pdfs.binding
            }
        };
        let mut pages: Vec<join::Page> = (0..kept)
            .map(|i| join::Page::Copied {
                doc: 0,
                page: PRIMER_PAGES + i,
                dx: side(i),
                folio: None,
            })
            .collect();
        if kept % 2 == 1 {
            pages.push(join::Page::Blank);
        }
        let mut folio = PRIMER_PAGES;
        for (doc, &count) in counts.iter().enumerate().skip(1) {
            for page in PRIMER_PAGES..count {
                pages.push(join::Page::Copied {
                    doc,
                    page,
                    dx: side(pages.len()),
                    folio: Some(folio),
                });
                folio += 1;
            }
            if (count - PRIMER_PAGES.min(count)) % 2 == 1 {
                pages.push(join::Page::Blank);
            }
        }
        join::Layout {
            pages,
            part_links: (1..=pdfs.parts.len()).collect(),
            numbered_from: Some(kept + kept % 2),
        }
    })
}

/// The PDF `bytes`, as Typst wrote it, with its small objects packed into compressed object
/// streams.
pub fn pack(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    pack::pack(bytes)
}

#[cfg(test)]
mod tests;
