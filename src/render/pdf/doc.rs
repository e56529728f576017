//! A PDF Typst wrote, read for joining: its objects by number, and where its catalog, pages,
//! structure tree and outline are.

use super::PdfError;
use super::source::Source;
use super::syntax::{Dict, elements, reference};

/// A PDF Typst wrote, its objects by number.
pub(super) struct Doc<'a> {
    /// The header line (`%PDF-1.7`).
    pub(super) version: &'a [u8],
    /// The objects' values by number.
    values: Vec<Option<&'a [u8]>>,
    /// The trailer's entries.
    pub(super) trailer: &'a [u8],
    /// The catalog's number.
    pub(super) catalog: u32,
    /// The page tree's nodes (not its pages), root first.
    pub(super) page_nodes: Vec<u32>,
    /// The pages, in order.
    pub(super) pages: Vec<u32>,
}

impl<'a> Doc<'a> {
    /// Reads `bytes`, a PDF as Typst writes one.
    pub(super) fn read(bytes: &'a [u8]) -> Result<Self, PdfError> {
        let source = Source::read(bytes)?;
        let values = source.by_number();
        let trailer = source.trailer;
        let root = Dict::read_entries(trailer)?
            .reference("Root")
            .ok_or(malformed("a trailer without a catalog"))?;
        let mut doc = Self {
            version: source.version,
            values,
            trailer,
            catalog: root,
            page_nodes: Vec::new(),
            pages: Vec::new(),
        };
        let tree = doc
            .dict(root)?
            .reference("Pages")
            .ok_or(malformed("a catalog without pages"))?;
        doc.walk_pages(tree, 0)?;
        Ok(doc)
    }

    /// Collects the pages under the page tree node `node`.
    fn walk_pages(&mut self, node: u32, depth: usize) -> Result<(), PdfError> {
        if depth > 32 {
            return Err(malformed("a page tree too deep"));
        }
        self.page_nodes.push(node);
        let kids = self
            .dict(node)?
            .get("Kids")
            .ok_or(malformed("a page tree node without kids"))?;
        for kid in elements(kids)? {
            let kid = reference(kid).ok_or(malformed("a page tree kid that is no reference"))?;
            if self.dict(kid)?.get("Type") == Some(b"/Pages") {
                self.walk_pages(kid, depth + 1)?;
            } else {
                self.pages.push(kid);
            }
        }
        Ok(())
    }

    /// One more than the largest object number.
    pub(super) fn size(&self) -> u32 {
        self.values.len() as u32
    }

    /// The numbers of the objects in use, in order.
    pub(super) fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.size()).filter(|&n| self.values[n as usize].is_some())
    }

    /// The value of object `number`.
    pub(super) fn value(&self, number: u32) -> Result<&'a [u8], PdfError> {
        self.values
            .get(number as usize)
            .copied()
            .flatten()
            .ok_or(malformed("a reference to an object not in the file"))
    }

    /// The dictionary that object `number` is (or starts with, for a stream).
    pub(super) fn dict(&self, number: u32) -> Result<Dict<'a>, PdfError> {
        Dict::read(self.value(number)?)
    }

    /// The dictionary `value` is, or refers to.
    pub(super) fn resolve(&self, value: &'a [u8]) -> Result<Dict<'a>, PdfError> {
        match reference(value) {
            Some(number) => self.dict(number),
            None => Dict::read(value),
        }
    }

    /// The catalog.
    pub(super) fn catalog(&self) -> Result<Dict<'a>, PdfError> {
        self.dict(self.catalog)
    }

    /// The structure tree's root and its number, when the PDF is tagged.
    pub(super) fn struct_root(&self) -> Result<Option<(u32, Dict<'a>)>, PdfError> {
        match self.catalog()?.reference("StructTreeRoot") {
            Some(number) => Ok(Some((number, self.dict(number)?))),
            None => Ok(None),
        }
    }

    /// The structure tree's one `Document` element: its number and its kids as written.
    pub(super) fn document_element(&self) -> Result<Option<Element<'a>>, PdfError> {
        let Some((_, root)) = self.struct_root()? else {
            return Ok(None);
        };
        let kids = root
            .get("K")
            .ok_or(malformed("a structure tree without kids"))?;
        let number = match reference(kids) {
            Some(number) => number,
            None => match elements(kids)?.as_slice() {
                [one] => {
                    reference(one).ok_or(malformed("a structure root kid that is no reference"))?
                }
                _ => return Err(malformed("a structure tree without one document element")),
            },
        };
        let element = self.dict(number)?;
        let kids = match element.get("K") {
            Some(kids) if kids.starts_with(b"[") => elements(kids)?,
            Some(kid) => vec![kid],
            None => Vec::new(),
        };
        Ok(Some((number, kids)))
    }

    /// The outline's root and its top-level items in order, when there is an outline.
    pub(super) fn outline(&self) -> Result<Option<(u32, Vec<u32>)>, PdfError> {
        let Some(root) = self.catalog()?.reference("Outlines") else {
            return Ok(None);
        };
        let mut items = Vec::new();
        let mut next = self.dict(root)?.reference("First");
        while let Some(item) = next {
            if items.len() > self.values.len() {
                return Err(malformed("an outline that loops"));
            }
            items.push(item);
            next = self.dict(item)?.reference("Next");
        }
        Ok(Some((root, items)))
    }
}

/// A structure element's number and its kids as written.
pub(super) type Element<'a> = (u32, Vec<&'a [u8]>);

fn malformed(what: &'static str) -> PdfError {
    PdfError::Unpackable(what)
}
