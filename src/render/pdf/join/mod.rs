//! PDFs that Typst wrote joined into one, and their pages numbered: a book from its front
//! matter and its profiles' PDFs, or a profile's PDF given its page numbers.
//!
//! Every page's content stream is copied as it is. What every PDF of an edition repeats
//! (font subsets, colour profiles) is kept once: an object is the same as another when its
//! bytes are, with its references read as what they lead to ([`Plan::share`]), and Typst
//! writes the same subsets in every PDF that first draws the same glyphs (see
//! `render::typst::Primer`). The first PDF gives the joined one its catalog, metadata and
//! details; the structure trees are joined under its `Document` element (each PDF's
//! parent-tree keys moved past the ones before, its table-header ids made its own), the
//! outlines one after the other, the pages under one page tree. Page numbers are drawn from a
//! sheet of them that Typst laid out (one page each, nothing else on it): each is drawn after
//! the page's own content, which can be moved towards the spine as a whole, in a small stream
//! of the page's own, its state (colour, font) set by a stream the pages share (see
//! [`folio`]), its resources added to the page's under names of their own.

use rayon::prelude::*;

use super::PdfError;
use super::doc::{Doc, Element};
use super::pack::pack_source;
use super::source::{Object, Source};
use super::syntax::{Dict, elements};

mod folio;
mod plan;
mod write;

use plan::Plan;
use write::Value;

/// The resource kinds whose entries are kept once when PDFs repeat them.
const SHARED_RESOURCES: &[&str] = &[
    "Font",
    "ColorSpace",
    "ExtGState",
    "XObject",
    "Pattern",
    "Shading",
];

/// A page of the joined PDF.
#[derive(Clone, Copy)]
pub(super) enum Page {
    /// Page `page` (its index) of PDF `doc`, moved `dx` points, with the sheet's page
    /// `folio` drawn over it.
    Copied {
        doc: usize,
        page: usize,
        dx: f32,
        folio: Option<usize>,
    },
    /// A blank page the size of the page before it.
    Blank,
}

/// How PDFs are joined: the joined PDF's pages, and its page labels.
pub(super) struct Layout {
    /// The joined PDF's pages, in order.
    pub(super) pages: Vec<Page>,
    /// The PDFs the first PDF's links to parts lead to: its link to `part_link(k)` leads to
    /// the first page shown of PDF `part_links[k]`.
    pub(super) part_links: Vec<usize>,
    /// The page from which pages are labelled 1, 2, 3...; the first PDF's labels before it.
    /// `None` keeps the first PDF's labels as they are.
    pub(super) numbered_from: Option<usize>,
}

/// `pdfs` joined as `arrange` lays them out given their page counts, with the pages of
/// `folios` (a sheet of page numbers) drawn as the layout says; the first PDF gives the joined
/// one its catalog, metadata and details. The small objects are packed into object streams.
pub(super) fn join(
    pdfs: &[&[u8]],
    folios: Option<&[u8]>,
    arrange: impl FnOnce(&[usize]) -> Layout,
) -> Result<Vec<u8>, PdfError> {
    let mut docs = pdfs
        .par_iter()
        .map(|bytes| Doc::read(bytes))
        .collect::<Result<Vec<_>, _>>()?;
    let counts: Vec<usize> = docs.iter().map(|doc| doc.pages.len()).collect();
    let layout = &arrange(&counts);
    let folio_doc = match folios {
        Some(bytes) => {
            docs.push(Doc::read(bytes)?);
            Some(docs.len() - 1)
        }
        None => None,
    };
    let trees = docs[..pdfs.len()]
        .par_iter()
        .enumerate()
        .map(|(d, doc)| Tree::read(doc, d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut plan = Plan::new(&docs, folio_doc);
    plan.number(layout, &trees)?;
    let objects = plan.write(layout, &trees)?;
    let trailer = plan.renumberings[0].apply(docs[0].trailer)?;
    let source = Source {
        version: docs[0].version,
        objects: objects
            .iter()
            .map(|(number, value)| match value {
                Value::Own(value, copied) => Object {
                    number: *number,
                    value,
                    copied: Some(*copied),
                },
                Value::Written(value) => Object {
                    number: *number,
                    value,
                    copied: None,
                },
            })
            .collect(),
        trailer: &trailer,
        size: plan.next + 1,
    };
    pack_source(source)
}

/// The tagged structure and outline of one PDF, read before it is joined.
struct Tree<'a> {
    /// The `Document` element and its kids.
    document: Element<'a>,
    /// The parent tree's entries: key and value.
    parents: Vec<(i64, &'a [u8])>,
    /// One more than the parent tree's largest key.
    next_key: i64,
    /// The table-header ids and the elements they name.
    ids: Vec<(&'a [u8], &'a [u8])>,
    /// The role map's entries.
    roles: Vec<(&'a [u8], &'a [u8])>,
    /// The outline's root, its visible count and its top-level items.
    outline: Option<(u32, i64, Vec<u32>)>,
    /// The id prefix of this PDF's table headers in the joined one (none for the first).
    id_prefix: Option<Vec<u8>>,
}

impl<'a> Tree<'a> {
    fn read(doc: &Doc<'a>, d: usize) -> Result<Self, PdfError> {
        let (_, root) = doc
            .struct_root()?
            .ok_or(PdfError::Unpackable("an untagged PDF"))?;
        let document = doc
            .document_element()?
            .ok_or(PdfError::Unpackable("a structure tree without a document"))?;
        let parents = match root.get("ParentTree") {
            Some(tree) => tree_entries(&doc.resolve(tree)?, "Nums")?
                .into_iter()
                .map(|(key, value)| Ok((integer(key)?, value)))
                .collect::<Result<Vec<_>, PdfError>>()?,
            None => Vec::new(),
        };
        let next_key = root
            .integer("ParentTreeNextKey")
            .unwrap_or_else(|| parents.iter().map(|(k, _)| k + 1).max().unwrap_or(0));
        let ids = match root.get("IDTree") {
            Some(tree) => tree_entries(&doc.resolve(tree)?, "Names")?,
            None => Vec::new(),
        };
        let roles = match root.get("RoleMap") {
            Some(map) => doc.resolve(map)?.entries().to_vec(),
            None => Vec::new(),
        };
        let outline = match doc.outline()? {
            Some((root, items)) => {
                Some((root, doc.dict(root)?.integer("Count").unwrap_or(0), items))
            }
            None => None,
        };
        Ok(Self {
            document,
            parents,
            next_key,
            ids,
            roles,
            outline,
            id_prefix: (d > 0).then(|| format!("p{d}-").into_bytes()),
        })
    }
}

/// The entries of a number or name tree `tree` (its flat array `key`, `Nums` or `Names`); a
/// tree split into kids is refused (Typst writes flat ones).
fn tree_entries<'a>(tree: &Dict<'a>, key: &str) -> Result<Pairs<'a>, PdfError> {
    if tree.get("Kids").is_some() {
        return Err(PdfError::Unpackable("a number or name tree with kids"));
    }
    let Some(array) = tree.get(key) else {
        return Ok(Vec::new());
    };
    let values = elements(array)?;
    if values.len() % 2 == 1 {
        return Err(PdfError::Unpackable("a tree array of odd length"));
    }
    Ok(values.chunks(2).map(|pair| (pair[0], pair[1])).collect())
}

/// A tree's entries: each key and value as written.
type Pairs<'a> = Vec<(&'a [u8], &'a [u8])>;

fn integer(text: &[u8]) -> Result<i64, PdfError> {
    std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .ok_or(PdfError::Unpackable("a number expected"))
}

#[cfg(test)]
mod tests;
