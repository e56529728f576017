//! Compiled pages put together: page numbers laid over a profile's pages, and an edition's
//! book assembled from its profiles' PDFs behind a compiled front matter.
//!
//! A profile is laid out once, without page numbers. [`Pages::stamp_folios`] lays each page's number
//! over it as a Form XObject named `/DossierFolio`, drawn inside a pagination artifact, so the
//! tags of the page are untouched. The book reuses those PDFs as they are: [`BookParts::assemble`]
//! points every page's `/DossierFolio` at the book's numbering, pads each profile to an even
//! page count so the next one starts on a right-hand page, and merges the parts' logical
//! structure (tags, table-header ids), bookmarks and link targets, so the book stays tagged
//! like its parts. Nothing here lays out text: page numbers come from a folio sheet, one page
//! per number, compiled by Typst.
//!
//! An edit to one record therefore re-lays out that record alone; its book is a merge.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, SaveOptions, Stream, StringFormat};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

mod content;
mod fonts;
mod writer;

pub use content::ContentError;
use fonts::BookFonts;
pub use fonts::{FontError, FontPrograms};

/// A PDF that cannot be read or put together.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A PDF could not be parsed.
    #[error("cannot read {what}: {source}")]
    Read {
        /// Which PDF.
        what: String,
        /// Why.
        #[source]
        source: lopdf::Error,
    },
    /// A profile's PDF from an earlier run is damaged.
    #[error("{0}; render it again with --force")]
    DamagedPart(#[source] Box<PdfError>),
    /// A profile's PDF lacks what the book needs of it.
    #[error("{part}: {source}")]
    InPart {
        /// The profile's PDF.
        part: String,
        /// What it lacks.
        #[source]
        source: Box<PdfError>,
    },
    /// A profile's PDF has no pages.
    #[error("{0} has no pages")]
    EmptyPart(String),
    /// A profile's PDF has no page-number layer to renumber.
    #[error("{0} has no page-number layer; render it again with --force")]
    NoFolioLayer(String),
    /// The folio sheet has fewer pages than there are pages to number.
    #[error("the folio sheet has {sheet} pages for {pages} pages")]
    TooFewFolios {
        /// Pages of the sheet.
        sheet: usize,
        /// Pages to number.
        pages: usize,
    },
    /// The folio sheet could not be read.
    #[error("cannot read the folio sheet: {0}")]
    FolioSheet(#[source] lopdf::Error),
    /// A page object is not what a page must be.
    #[error("bad page object: {0}")]
    BadPage(#[source] lopdf::Error),
    /// A page's XObject resources are not a dictionary.
    #[error("bad XObject resources: {0}")]
    BadXObjects(#[source] lopdf::Error),
    /// The XMP metadata stream could not be decoded.
    #[error("cannot read the XMP metadata: {0}")]
    Metadata(#[source] lopdf::Error),
    /// A PDF lacks a part every compiled PDF has.
    #[error("{0}")]
    Missing(&'static str),
    /// An object of the PDF is not of the expected kind.
    #[error(transparent)]
    Object(#[from] lopdf::Error),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {0}")]
    Write(#[source] std::io::Error),
    /// A document's text could not be moved to the book's shared font subsets.
    #[error("{what}: {source}")]
    Fonts {
        /// Which document.
        what: String,
        /// Why.
        #[source]
        source: FontError,
    },
}

type Result<T> = std::result::Result<T, PdfError>;

/// Resource name of the page-number layer of a page.
const FOLIO: &[u8] = b"DossierFolio";

/// The content stream appended to every numbered page: the folio, as an artifact.
const STAMP: &[u8] =
    b"q /Artifact<</Attached[/Bottom]/Subtype/Footer/Type/Pagination>>BDC /DossierFolio Do EMC Q\n";

/// Largest content of a folio sheet page read (a page number takes a few hundred bytes).
const MAX_FOLIO_CONTENT: usize = 1 << 20;

/// Inheritable page attributes (ISO 32000-1, 7.7.3.4).
const INHERITABLE: [&[u8]; 4] = [b"MediaBox", b"Resources", b"CropBox", b"Rotate"];

fn load(bytes: &[u8], what: &str) -> Result<Pdf> {
    Pdf::load_mem(bytes).map_err(|source| PdfError::Read {
        what: what.to_string(),
        source,
    })
}

/// How small objects are packed into compressed object streams when a PDF is written.
#[derive(Clone, Copy)]
enum Packing {
    /// A profile: a few hundred objects, packed fast (flate level 1, 100 per stream).
    Profile,
    /// A book: tens of thousands of structure elements, much alike, packed 1,000 to a
    /// stream at flate level 6 (a third smaller than a profile's packing), each object
    /// dropped as it is written, and a compressed cross-reference stream.
    Book,
}

/// Writes a PDF, without the objects nothing refers to, small objects packed into object
/// streams (lopdf's default compression, 0, would leave those streams plain).
fn save(mut pdf: Pdf, packing: Packing) -> Result<Vec<u8>> {
    // Without the objects nothing reachable from the trailer refers to.
    pdf.prune_objects();
    if let Packing::Book = packing {
        return writer::write_packed(pdf, 6, 1000).map_err(PdfError::Write);
    }
    let options = SaveOptions::builder()
        .use_object_streams(true)
        .compression_level(1)
        .max_objects_per_stream(100)
        .use_xref_streams(true)
        .build();
    let mut bytes = Vec::new();
    pdf.save_with_options(&mut bytes, options)
        .map_err(PdfError::Write)?;
    Ok(bytes)
}

/// A compiled profile, read once: its page count, then its pages numbered.
pub struct Pages(Pdf);

impl Pages {
    /// Reads a compiled profile.
    pub fn load(pdf: &[u8]) -> Result<Self> {
        load(pdf, "the compiled profile").map(Self)
    }

    /// The number of pages.
    pub fn count(&self) -> usize {
        self.0.get_pages().len()
    }

    /// Lays page `i` of the folio sheet over page `i`, as its page-number layer.
    pub fn stamp_folios(self, sheet: &[u8]) -> Result<Vec<u8>> {
        stamp_folios(self.0, sheet)
    }
}

/// [`Pages::stamp_folios`], on the read document.
fn stamp_folios(mut doc: Pdf, sheet: &[u8]) -> Result<Vec<u8>> {
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    let (forms, _) = import_folio_forms(&mut doc, load(sheet, "the folio sheet")?)?;
    if forms.len() < pages.len() {
        return Err(PdfError::TooFewFolios {
            sheet: forms.len(),
            pages: pages.len(),
        });
    }
    let stamp = doc.add_object(Stream::new(Dictionary::new(), STAMP.to_vec()));
    for (&page, &form) in pages.iter().zip(&forms) {
        let mut resources = own_resources(&doc, page)?;
        let mut xobjects = match resources.get(b"XObject") {
            Ok(Object::Dictionary(d)) => d.clone(),
            Ok(Object::Reference(id)) => doc
                .get_dictionary(*id)
                .map_err(PdfError::BadXObjects)?
                .clone(),
            _ => Dictionary::new(),
        };
        xobjects.set(FOLIO, Object::Reference(form));
        resources.set("XObject", Object::Dictionary(xobjects));
        let dict = page_dict_mut(&mut doc, page)?;
        dict.set("Resources", Object::Dictionary(resources));
        let contents = match dict.get(b"Contents") {
            Ok(Object::Array(items)) => {
                let mut items = items.clone();
                items.push(Object::Reference(stamp));
                Object::Array(items)
            }
            Ok(single @ Object::Reference(_)) => {
                Object::Array(vec![single.clone(), Object::Reference(stamp)])
            }
            _ => Object::Reference(stamp),
        };
        dict.set("Contents", contents);
    }
    save(doc, Packing::Profile)
}

/// One profile of a book, as [`Pages::stamp_folios`] wrote it.
pub struct BookPart {
    /// Prefix of its tag ids in the book (unique within the book).
    pub id: String,
    /// Its file, for messages.
    pub name: String,
    /// Its PDF.
    pub pdf: std::sync::Arc<Vec<u8>>,
}

/// The profiles of one book, read and ready to be assembled.
pub struct BookParts {
    parts: Vec<(String, String, Pdf)>,
    digest: Sha256,
}

impl BookParts {
    /// Reads each part's PDF (in parallel).
    pub fn load(parts: Vec<BookPart>) -> Result<Self> {
        let mut digest = Sha256::new();
        for part in &parts {
            digest.update((part.id.len() as u64).to_le_bytes());
            digest.update(part.id.as_bytes());
            digest.update((part.pdf.len() as u64).to_le_bytes());
            digest.update(part.pdf.as_slice());
        }
        let parts = parts
            .into_par_iter()
            .map(|part| {
                let pdf =
                    load(&part.pdf, &part.name).map_err(|e| PdfError::DamagedPart(Box::new(e)))?;
                Ok((part.id, part.name, pdf))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { parts, digest })
    }

    /// The number of pages of each part, in order.
    pub fn page_counts(&self) -> Vec<usize> {
        self.parts
            .iter()
            .map(|(_, _, p)| p.get_pages().len())
            .collect()
    }

    /// Puts the book together: the front matter's pages but its last `parts` placeholder
    /// pages (one per part, where the contents' links point), then every part, padded with a
    /// blank page to an even count, its pages numbered by the folio sheet's pages in order.
    /// `ident` is the book's stable identifier for the PDF's file id. Every page is moved
    /// `binding` points towards the spine (right on right-hand pages, left on left-hand
    /// ones), so the inner margins leave room for the binding. Each font cut from `programs`
    /// is embedded once, as one subset holding every glyph the book shows.
    pub fn assemble(
        self,
        front: &[u8],
        sheet: &[u8],
        ident: &str,
        binding: f32,
        programs: &FontPrograms<'_>,
    ) -> Result<Vec<u8>> {
        let needed: usize = self.page_counts().iter().sum();
        let mut digest = self.digest;
        digest.update(front);
        digest.update(sheet);
        let mut front = load(front, "the book's front matter")?;
        let mut sheet = load(sheet, "the folio sheet")?;
        let mut parts = self.parts;
        let fonts = BookFonts::share(&mut front, &mut sheet, &mut parts, programs)?;
        let (mut book, placeholders) = Book::start(front, sheet, parts.len(), needed)?;
        let mut moved = fonts.front_fonts(0);
        moved.extend(fonts.sheet_fonts(book.sheet_shift));
        for (i, ((id, label, part), placeholder)) in parts.into_iter().zip(placeholders).enumerate()
        {
            let shift = book.pdf.max_id;
            book.add_part(&id, label, part, placeholder)?;
            moved.extend(fonts.part_fonts(i, shift));
        }
        let mut replaced = fonts.install(&mut book.pdf, moved);
        replaced.extend(duplicate_streams(&book.pdf));
        for object in book.pdf.objects.values_mut() {
            replace_references(object, &replaced);
        }
        book.finish(ident, &digest.finalize(), binding)
    }
}

/// A book under construction: the front matter's document, into which the parts move.
struct Book {
    pdf: Pdf,
    /// The largest object id of the front matter itself.
    front_max: u32,
    /// Pages of the front matter, but the placeholders.
    front_pages: usize,
    pages_root: ObjectId,
    tree: StructTree,
    outline: Vec<ObjectId>,
    outline_root: ObjectId,
    /// The book's pages, in order.
    kids: Vec<Object>,
    /// Each placeholder page and the first page of the part that replaces it.
    starts: HashMap<ObjectId, ObjectId>,
    /// The folio sheet's forms not used yet.
    folios: std::vec::IntoIter<ObjectId>,
    /// How far the folio sheet's objects moved into the book.
    sheet_shift: u32,
}

impl Book {
    /// Starts from the front matter and the folio sheet (which must have `needed` pages);
    /// returns the book and the front matter's `parts` placeholder pages.
    fn start(
        mut pdf: Pdf,
        sheet: Pdf,
        parts: usize,
        needed: usize,
    ) -> Result<(Self, Vec<ObjectId>)> {
        let front_max = max_id(&pdf);
        // From here on every object added or moved in keeps `max_id` up to date.
        pdf.max_id = front_max;
        let all_pages: Vec<ObjectId> = pdf.page_iter().collect();
        if all_pages.len() <= parts {
            return Err(PdfError::Missing(
                "the front matter has no page for each profile",
            ));
        }
        let (front_pages, placeholders) = all_pages.split_at(all_pages.len() - parts);
        let (forms, sheet_shift) = import_folio_forms(&mut pdf, sheet)?;
        if forms.len() < needed {
            return Err(PdfError::TooFewFolios {
                sheet: forms.len(),
                pages: needed,
            });
        }
        let catalog = catalog_id(&pdf)?;
        let pages_root = match pdf.catalog().and_then(|c| c.get(b"Pages")) {
            Ok(Object::Reference(id)) => *id,
            _ => return Err(PdfError::Missing("the front matter has no page tree")),
        };
        let tree = StructTree::read(&pdf, catalog)?;
        let outline = outline_items(&pdf, catalog);
        let outline_root = outline_root(&mut pdf)?;
        let book = Self {
            front_max,
            front_pages: front_pages.len(),
            pages_root,
            tree,
            outline,
            outline_root,
            kids: front_pages.iter().map(|&p| Object::Reference(p)).collect(),
            starts: HashMap::new(),
            folios: forms.into_iter(),
            sheet_shift,
            pdf,
        };
        Ok((book, placeholders.to_vec()))
    }

    /// Moves a part in behind the pages so far, in place of `placeholder`: its objects, tags,
    /// bookmarks and pages, each page numbered by the next folio, then a blank page when its
    /// page count is odd.
    fn add_part(
        &mut self,
        id: &str,
        label: String,
        mut part: Pdf,
        placeholder: ObjectId,
    ) -> Result<()> {
        inherit_page_attributes(&mut part)?;
        let part_catalog = catalog_id(&part)?;
        let part_pages: Vec<ObjectId> = part.page_iter().collect();
        let part_outline = outline_items(&part, part_catalog);
        let shift = self.pdf.max_id;
        let key_offset = self.tree.next_key;
        let prefix = format!("{id}/");
        move_objects(&mut self.pdf, part, shift, &|object| {
            adjust_part_object(object, key_offset, prefix.as_bytes());
        });
        let shifted = |(id, generation): ObjectId| (id + shift, generation);
        self.tree
            .adopt(&mut self.pdf, shifted(part_catalog), id, &label)?;
        self.outline.extend(part_outline.into_iter().map(shifted));
        let Some(&first) = part_pages.first() else {
            return Err(PdfError::EmptyPart(label));
        };
        self.starts.insert(placeholder, shifted(first));
        let mut media_box = None;
        for page in part_pages.iter().map(|&p| shifted(p)) {
            let form = self
                .folios
                .next()
                .ok_or(PdfError::Missing("too few folios"))?;
            retarget_folio(&mut self.pdf, page, form, &label)?;
            let dict = page_dict_mut(&mut self.pdf, page)?;
            dict.set("Parent", Object::Reference(self.pages_root));
            media_box = dict.get(b"MediaBox").ok().cloned();
            self.kids.push(Object::Reference(page));
        }
        if part_pages.len() % 2 == 1 {
            self.add_blank_page(media_box);
        }
        Ok(())
    }

    /// A blank page of the given media box (A4 when there is none).
    fn add_blank_page(&mut self, media_box: Option<Object>) {
        let media_box = media_box
            .unwrap_or_else(|| Object::Array(vec![0.into(), 0.into(), 595.0.into(), 842.0.into()]));
        let blank = self.pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(self.pages_root)),
            ("MediaBox", media_box),
            ("Resources", Object::Dictionary(Dictionary::new())),
        ]));
        self.kids.push(Object::Reference(blank));
    }

    /// Links the contents to the parts, shifts the pages towards the spine, writes the page
    /// tree, tags, bookmarks, page labels (i... then 1...), metadata and file id, and saves.
    fn finish(mut self, ident: &str, digest: &[u8], binding: f32) -> Result<Vec<u8>> {
        // Links from the contents to a placeholder now lead to the part's first page.
        for (&(id, _), object) in self.pdf.objects.iter_mut() {
            if id <= self.front_max {
                replace_references(object, &self.starts);
            }
        }
        shift_towards_spine(&mut self.pdf, &self.kids, binding)?;
        let page_total = self.kids.len();
        let pages = self.pdf.get_dictionary_mut(self.pages_root)?;
        pages.set("Kids", Object::Array(self.kids));
        pages.set("Count", Object::Integer(page_total as i64));
        self.tree.write(&mut self.pdf)?;
        link_outline(&mut self.pdf, self.outline_root, &self.outline)?;
        self.pdf
            .catalog_mut()?
            .set("PageLabels", page_labels(self.front_pages));
        set_xmp_page_count(&mut self.pdf, page_total)?;
        let id_part = |bytes: &[u8]| {
            Object::String(
                Sha256::digest(bytes)[..16].to_vec(),
                StringFormat::Hexadecimal,
            )
        };
        self.pdf.trailer.set(
            "ID",
            Object::Array(vec![id_part(ident.as_bytes()), id_part(digest)]),
        );
        save(self.pdf, Packing::Book)
    }
}

/// Page labels: lower-case roman numerals for the front matter's `front_pages` pages, then
/// arabic numerals from 1.
fn page_labels(front_pages: usize) -> Dictionary {
    Dictionary::from_iter([(
        "Nums",
        Object::Array(vec![
            0.into(),
            Dictionary::from_iter([("S", Object::Name(b"r".to_vec()))]).into(),
            (front_pages as i64).into(),
            Dictionary::from_iter([("S", Object::Name(b"D".to_vec()))]).into(),
        ]),
    )])
}

/// The document's outline root, made when it has none.
fn outline_root(pdf: &mut Pdf) -> Result<ObjectId> {
    if let Ok(Object::Reference(id)) = pdf.catalog().and_then(|c| c.get(b"Outlines")) {
        return Ok(*id);
    }
    let id = pdf.add_object(Dictionary::from_iter([(
        "Type",
        Object::Name(b"Outlines".to_vec()),
    )]));
    pdf.catalog_mut()?.set("Outlines", Object::Reference(id));
    Ok(id)
}

/// The logical structure of the book under construction.
struct StructTree {
    root: ObjectId,
    document: ObjectId,
    nums: Vec<(i64, Object)>,
    next_key: i64,
    ids: Vec<(Vec<u8>, Object)>,
    role_map: Dictionary,
}

impl StructTree {
    fn read(pdf: &Pdf, catalog: ObjectId) -> Result<Self> {
        let root = match pdf
            .get_dictionary(catalog)
            .and_then(|c| c.get(b"StructTreeRoot"))
        {
            Ok(Object::Reference(id)) => *id,
            _ => return Err(PdfError::Missing("the front matter is not tagged")),
        };
        let dict = pdf.get_dictionary(root)?;
        let document = single_document_element(pdf, dict)?;
        let mut nums = Vec::new();
        if let Ok(tree) = dict.get(b"ParentTree") {
            flatten_tree(pdf, tree, b"Nums", &mut |k, v| {
                if let Object::Integer(k) = k {
                    nums.push((*k, v.clone()));
                }
            });
        }
        let next_key = match dict.get(b"ParentTreeNextKey") {
            Ok(Object::Integer(n)) => *n,
            _ => nums.iter().map(|(k, _)| k + 1).max().unwrap_or(0),
        };
        let mut ids = Vec::new();
        if let Ok(tree) = dict.get(b"IDTree") {
            flatten_tree(pdf, tree, b"Names", &mut |k, v| {
                if let Object::String(k, _) = k {
                    ids.push((k.clone(), v.clone()));
                }
            });
        }
        let role_map = deref_dict(pdf, dict.get(b"RoleMap").ok()).unwrap_or_default();
        Ok(Self {
            root,
            document,
            nums,
            next_key,
            ids,
            role_map,
        })
    }

    /// Takes in a part's structure (already moved into `book`): its document element becomes
    /// an article under the book's document element; its parent tree, ids and role map join
    /// the book's.
    fn adopt(
        &mut self,
        book: &mut Pdf,
        part_catalog: ObjectId,
        id: &str,
        label: &str,
    ) -> Result<()> {
        let part = StructTree::read(book, part_catalog).map_err(|e| PdfError::InPart {
            part: label.to_string(),
            source: Box::new(e),
        })?;
        for (key, value) in part.nums {
            self.nums.push((key + self.next_key, value));
        }
        self.next_key += part.next_key;
        let prefix = format!("{id}/");
        self.ids.extend(part.ids.into_iter().map(|(id, element)| {
            let mut prefixed = prefix.as_bytes().to_vec();
            prefixed.extend_from_slice(&id);
            (prefixed, element)
        }));
        for (role, target) in part.role_map.iter() {
            if !self.role_map.has(role) {
                self.role_map.set(role.clone(), target.clone());
            }
        }
        let element = book.get_dictionary_mut(part.document)?;
        element.set("S", Object::Name(b"Art".to_vec()));
        element.set("P", Object::Reference(self.document));
        let document = book.get_dictionary_mut(self.document)?;
        let mut kids = match document.get(b"K") {
            Ok(Object::Array(items)) => items.clone(),
            Ok(other) => vec![other.clone()],
            Err(_) => Vec::new(),
        };
        kids.push(Object::Reference(part.document));
        document.set("K", Object::Array(kids));
        Ok(())
    }

    fn write(mut self, book: &mut Pdf) -> Result<()> {
        self.nums.sort_by_key(|(k, _)| *k);
        self.ids.sort_by(|a, b| a.0.cmp(&b.0));
        let root = book.get_dictionary_mut(self.root)?;
        let nums = self
            .nums
            .into_iter()
            .flat_map(|(k, v)| [Object::Integer(k), v])
            .collect();
        root.set(
            "ParentTree",
            Dictionary::from_iter([("Nums", Object::Array(nums))]),
        );
        root.set("ParentTreeNextKey", Object::Integer(self.next_key));
        if self.ids.is_empty() {
            root.remove(b"IDTree");
        } else {
            let names = self
                .ids
                .into_iter()
                .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), v])
                .collect();
            root.set(
                "IDTree",
                Dictionary::from_iter([("Names", Object::Array(names))]),
            );
        }
        if !self.role_map.is_empty() {
            root.set("RoleMap", Object::Dictionary(self.role_map));
        }
        Ok(())
    }
}

/// The one `Document` element a structure tree root holds (as Typst writes it).
fn single_document_element(pdf: &Pdf, root: &Dictionary) -> Result<ObjectId> {
    let kid = match root.get(b"K") {
        Ok(Object::Array(items)) if items.len() == 1 => &items[0],
        Ok(single @ Object::Reference(_)) => single,
        _ => {
            return Err(PdfError::Missing(
                "the structure tree has no single document element",
            ));
        }
    };
    match kid {
        Object::Reference(id) if pdf.get_dictionary(*id).is_ok() => Ok(*id),
        _ => Err(PdfError::Missing(
            "the structure tree has no single document element",
        )),
    }
}

/// Calls `visit` on every key and value of a number or name tree (`leaf` is `Nums` or
/// `Names`), in order.
fn flatten_tree(pdf: &Pdf, node: &Object, leaf: &[u8], visit: &mut dyn FnMut(&Object, &Object)) {
    fn walk(
        pdf: &Pdf,
        node: &Object,
        leaf: &[u8],
        visit: &mut dyn FnMut(&Object, &Object),
        depth: usize,
    ) {
        let Some(dict) = deref_dict(pdf, Some(node)) else {
            return;
        };
        if depth > 32 {
            return;
        }
        if let Ok(Object::Array(items)) = dict.get(leaf) {
            for pair in items.chunks_exact(2) {
                visit(&pair[0], &pair[1]);
            }
        }
        if let Ok(Object::Array(kids)) = dict.get(b"Kids") {
            for kid in kids {
                walk(pdf, kid, leaf, visit, depth + 1);
            }
        }
    }
    walk(pdf, node, leaf, visit, 0);
}

fn deref_dict(pdf: &Pdf, object: Option<&Object>) -> Option<Dictionary> {
    match object? {
        Object::Dictionary(d) => Some(d.clone()),
        Object::Reference(id) => pdf.get_dictionary(*id).ok().cloned(),
        _ => None,
    }
}

fn catalog_id(pdf: &Pdf) -> Result<ObjectId> {
    match pdf.trailer.get(b"Root") {
        Ok(Object::Reference(id)) => Ok(*id),
        _ => Err(PdfError::Missing("the PDF has no catalog")),
    }
}

fn max_id(pdf: &Pdf) -> u32 {
    pdf.objects
        .keys()
        .map(|(id, _)| *id)
        .max()
        .unwrap_or(0)
        .max(pdf.max_id)
}

fn page_dict_mut(pdf: &mut Pdf, page: ObjectId) -> Result<&mut Dictionary> {
    pdf.get_dictionary_mut(page).map_err(PdfError::BadPage)
}

/// A copy of the page's resources (inherited ones included) the page can own.
fn own_resources(pdf: &Pdf, page: ObjectId) -> Result<Dictionary> {
    let mut node = Some(page);
    let mut depth = 0;
    while let Some(id) = node {
        let dict = pdf.get_dictionary(id).map_err(PdfError::BadPage)?;
        if let Some(resources) = deref_dict(pdf, dict.get(b"Resources").ok()) {
            return Ok(resources);
        }
        node = match dict.get(b"Parent") {
            Ok(Object::Reference(parent)) if depth < 32 => Some(*parent),
            _ => None,
        };
        depth += 1;
    }
    Ok(Dictionary::new())
}

/// Copies the page attributes a page inherits from its page-tree ancestors onto the page.
fn inherit_page_attributes(pdf: &mut Pdf) -> Result<()> {
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    for page in pages {
        let mut inherited = Vec::new();
        let mut parent = match pdf.get_dictionary(page).and_then(|d| d.get(b"Parent")) {
            Ok(Object::Reference(id)) => Some(*id),
            _ => None,
        };
        let mut depth = 0;
        while let Some(id) = parent.filter(|_| depth < 32) {
            let dict = pdf.get_dictionary(id)?;
            for key in INHERITABLE {
                if let Ok(value) = dict.get(key) {
                    inherited.push((key, value.clone()));
                }
            }
            parent = match dict.get(b"Parent") {
                Ok(Object::Reference(id)) => Some(*id),
                _ => None,
            };
            depth += 1;
        }
        let dict = page_dict_mut(pdf, page)?;
        for (key, value) in inherited {
            if !dict.has(key) {
                dict.set(key, value);
            }
        }
    }
    Ok(())
}

/// Points a page's page-number layer at `form`.
fn retarget_folio(pdf: &mut Pdf, page: ObjectId, form: ObjectId, label: &str) -> Result<()> {
    let missing = || PdfError::NoFolioLayer(label.to_string());
    let resources = match page_dict_mut(pdf, page)?.get(b"Resources") {
        Ok(Object::Reference(id)) => Some(*id),
        Ok(Object::Dictionary(_)) => None,
        _ => return Err(missing()),
    };
    let resources = match resources {
        Some(id) => pdf.get_dictionary_mut(id).map_err(|_| missing())?,
        None => match page_dict_mut(pdf, page)?.get_mut(b"Resources") {
            Ok(Object::Dictionary(d)) => d,
            _ => return Err(missing()),
        },
    };
    let xobjects = match resources.get_mut(b"XObject") {
        Ok(Object::Dictionary(d)) if d.has(FOLIO) => d,
        _ => return Err(missing()),
    };
    xobjects.set(FOLIO, Object::Reference(form));
    Ok(())
}

/// Moves every object of `part` into `book`, numbered `shift` higher, after `adjust`.
fn move_objects(book: &mut Pdf, part: Pdf, shift: u32, adjust: &dyn Fn(&mut Object)) {
    let mut top = book.max_id;
    for ((id, generation), mut object) in part.objects {
        if matches!(object.type_name(), Ok(b"ObjStm" | b"XRef")) {
            continue;
        }
        shift_references(&mut object, shift);
        adjust(&mut object);
        top = top.max(id + shift);
        book.objects.insert((id + shift, generation), object);
    }
    book.max_id = top;
}

/// Moves a folio sheet into `pdf` and turns each of its pages into a Form XObject; returns
/// the forms and how far the sheet's objects moved.
fn import_folio_forms(pdf: &mut Pdf, mut sheet: Pdf) -> Result<(Vec<ObjectId>, u32)> {
    inherit_page_attributes(&mut sheet)?;
    let pages: Vec<ObjectId> = sheet.page_iter().collect();
    let mut forms = Vec::with_capacity(pages.len());
    for &page in &pages {
        let dict = sheet.get_dictionary(page)?;
        let bbox = dict.get(b"MediaBox").cloned().unwrap_or_else(|_| {
            Object::Array(vec![0.into(), 0.into(), 595.0.into(), 842.0.into()])
        });
        let resources = dict
            .get(b"Resources")
            .cloned()
            .unwrap_or_else(|_| Object::Dictionary(Dictionary::new()));
        let content = sheet
            .get_page_content_with_limit(page, MAX_FOLIO_CONTENT)
            .map_err(PdfError::FolioSheet)?;
        forms.push((bbox, resources, content));
    }
    let shift = max_id(pdf);
    pdf.max_id = shift;
    move_objects(pdf, sheet, shift, &|_| {});
    let mut ids = Vec::with_capacity(forms.len());
    for (bbox, mut resources, content) in forms {
        shift_references(&mut resources, shift);
        let dict = Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            ("BBox", bbox),
            ("Resources", resources),
        ]);
        let mut stream = Stream::new(dict, content);
        // Compression is deterministic (flate at a fixed level); a failure leaves it plain.
        let _ = stream.compress();
        ids.push(pdf.add_object(stream));
    }
    Ok((ids, shift))
}

/// Streams that repeat an earlier one (the same dictionary, without references, and the
/// same bytes: each part's copy of the output intent's ICC profile, of the folio stamp),
/// each to the first of its kind.
fn duplicate_streams(pdf: &Pdf) -> HashMap<ObjectId, ObjectId> {
    let mut first: HashMap<&[u8], Vec<(ObjectId, &Dictionary)>> = HashMap::new();
    let mut duplicates = HashMap::new();
    for (&id, object) in &pdf.objects {
        let Object::Stream(stream) = object else {
            continue;
        };
        if has_references(&stream.dict) {
            continue;
        }
        let same = first.entry(stream.content.as_slice()).or_default();
        match same.iter().find(|(_, dict)| **dict == stream.dict) {
            Some(&(original, _)) => {
                duplicates.insert(id, original);
            }
            None => same.push((id, &stream.dict)),
        }
    }
    duplicates
}

/// Whether a dictionary refers to another object, at any depth.
fn has_references(dict: &Dictionary) -> bool {
    fn refers(object: &Object) -> bool {
        match object {
            Object::Reference(_) => true,
            Object::Array(items) => items.iter().any(refers),
            Object::Dictionary(dict) => has_references(dict),
            _ => false,
        }
    }
    dict.iter().any(|(_, value)| refers(value))
}

fn shift_references(object: &mut Object, shift: u32) {
    for_each_reference(object, &mut |(id, _)| *id += shift);
}

fn replace_references(object: &mut Object, map: &HashMap<ObjectId, ObjectId>) {
    for_each_reference(object, &mut |id| {
        if let Some(new) = map.get(id) {
            *id = *new;
        }
    });
}

/// Calls `visit` on every object reference inside `object`, stream dictionaries included.
fn for_each_reference(object: &mut Object, visit: &mut dyn FnMut(&mut ObjectId)) {
    match object {
        Object::Reference(id) => visit(id),
        Object::Array(items) => items.iter_mut().for_each(|i| for_each_reference(i, visit)),
        Object::Dictionary(dict) => dict
            .iter_mut()
            .for_each(|(_, v)| for_each_reference(v, visit)),
        Object::Stream(stream) => stream
            .dict
            .iter_mut()
            .for_each(|(_, v)| for_each_reference(v, visit)),
        _ => {}
    }
}

/// Renumbers a part's keys into the book's parent tree (`StructParent(s)` on pages,
/// annotations and XObjects) and prefixes its structure element ids (`/ID`, and the
/// `/Headers` of table cells that refer to them).
fn adjust_part_object(object: &mut Object, key_offset: i64, prefix: &[u8]) {
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &mut s.dict,
        Object::Array(items) => {
            items
                .iter_mut()
                .for_each(|i| adjust_part_object(i, key_offset, prefix));
            return;
        }
        _ => return,
    };
    for key in [b"StructParents".as_slice(), b"StructParent"] {
        if let Ok(Object::Integer(n)) = dict.get_mut(key) {
            *n += key_offset;
        }
    }
    let prefixed = |bytes: &mut Vec<u8>| {
        let mut new = prefix.to_vec();
        new.extend_from_slice(bytes);
        *bytes = new;
    };
    if dict.has_type(b"StructElem")
        && let Ok(Object::String(id, _)) = dict.get_mut(b"ID")
    {
        prefixed(id);
    }
    if let Ok(Object::Array(headers)) = dict.get_mut(b"Headers") {
        for header in headers {
            if let Object::String(id, _) = header {
                prefixed(id);
            }
        }
    }
    for (key, value) in dict.iter_mut() {
        if key.as_slice() != b"Headers"
            && let Object::Dictionary(_) | Object::Array(_) = value
        {
            adjust_part_object(value, key_offset, prefix);
        }
    }
}

/// The top-level outline items of a PDF, in order.
fn outline_items(pdf: &Pdf, catalog: ObjectId) -> Vec<ObjectId> {
    let root = match pdf.get_dictionary(catalog).and_then(|c| c.get(b"Outlines")) {
        Ok(Object::Reference(id)) => *id,
        _ => return Vec::new(),
    };
    let mut items = Vec::new();
    let mut next = match pdf.get_dictionary(root).and_then(|d| d.get(b"First")) {
        Ok(Object::Reference(id)) => Some(*id),
        _ => None,
    };
    let mut seen = HashSet::new();
    while let Some(id) = next.filter(|id| seen.insert(*id)) {
        items.push(id);
        next = match pdf.get_dictionary(id).and_then(|d| d.get(b"Next")) {
            Ok(Object::Reference(id)) => Some(*id),
            _ => None,
        };
    }
    items
}

/// Makes `items` the top-level outline of the book, in order.
fn link_outline(pdf: &mut Pdf, root: ObjectId, items: &[ObjectId]) -> Result<()> {
    let mut visible = 0i64;
    for (i, &item) in items.iter().enumerate() {
        let dict = pdf.get_dictionary_mut(item)?;
        dict.set("Parent", Object::Reference(root));
        dict.remove(b"Prev");
        dict.remove(b"Next");
        if i > 0 {
            dict.set("Prev", Object::Reference(items[i - 1]));
        }
        if let Some(&next) = items.get(i + 1) {
            dict.set("Next", Object::Reference(next));
        }
        visible += 1 + match dict.get(b"Count") {
            Ok(Object::Integer(n)) if *n > 0 => *n,
            _ => 0,
        };
    }
    let dict = pdf.get_dictionary_mut(root)?;
    match (items.first(), items.last()) {
        (Some(&first), Some(&last)) => {
            dict.set("First", Object::Reference(first));
            dict.set("Last", Object::Reference(last));
            dict.set("Count", Object::Integer(visible));
        }
        _ => {
            dict.remove(b"First");
            dict.remove(b"Last");
            dict.remove(b"Count");
        }
    }
    Ok(())
}

/// Moves every page's content `binding` points towards the spine: right on right-hand
/// (odd) pages, left on left-hand ones. Link rectangles, link and bookmark targets, and the
/// bounding boxes in the tags move with it.
fn shift_towards_spine(pdf: &mut Pdf, pages: &[Object], binding: f32) -> Result<()> {
    if binding == 0.0 {
        return Ok(());
    }
    let mut offsets: HashMap<ObjectId, f32> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        if let Object::Reference(id) = page {
            offsets.insert(*id, if i % 2 == 0 { binding } else { -binding });
        }
    }
    let start = |dx: f32| {
        Stream::new(
            Dictionary::new(),
            format!("q 1 0 0 1 {dx} 0 cm\n").into_bytes(),
        )
    };
    let recto = pdf.add_object(start(binding));
    let verso = pdf.add_object(start(-binding));
    let end = pdf.add_object(Stream::new(Dictionary::new(), b"\nQ\n".to_vec()));
    let mut annotations: Vec<(ObjectId, f32)> = Vec::new();
    for page in pages {
        let Object::Reference(id) = page else {
            continue;
        };
        let dx = offsets[id];
        let dict = page_dict_mut(pdf, *id)?;
        let contents = match dict.get(b"Contents") {
            Ok(Object::Array(items)) => items.clone(),
            Ok(single @ Object::Reference(_)) => vec![single.clone()],
            // A blank page: nothing to move.
            _ => continue,
        };
        let mut wrapped = vec![Object::Reference(if dx > 0.0 { recto } else { verso })];
        wrapped.extend(contents);
        wrapped.push(Object::Reference(end));
        dict.set("Contents", Object::Array(wrapped));
        if let Ok(Object::Array(annots)) = dict.get(b"Annots") {
            annotations.extend(annots.iter().filter_map(|a| match a {
                Object::Reference(a) => Some((*a, dx)),
                _ => None,
            }));
        }
    }
    for (annotation, dx) in annotations {
        if let Ok(dict) = pdf.get_dictionary_mut(annotation) {
            for key in [b"Rect".as_slice(), b"QuadPoints"] {
                if let Ok(Object::Array(coords)) = dict.get_mut(key) {
                    shift_x(coords.iter_mut().step_by(2), dx);
                }
            }
        }
    }
    for object in pdf.objects.values_mut() {
        shift_targets(object, &offsets);
    }
    Ok(())
}

/// Adds `dx` to each number.
fn shift_x<'a>(numbers: impl Iterator<Item = &'a mut Object>, dx: f32) {
    for n in numbers {
        *n = match n {
            Object::Integer(i) => Object::Real(*i as f32 + dx),
            Object::Real(r) => Object::Real(*r + dx),
            _ => continue,
        };
    }
}

/// Moves `[page /XYZ left top zoom]` targets and the `/BBox` of tagged elements on a page by
/// that page's offset.
fn shift_targets(object: &mut Object, offsets: &HashMap<ObjectId, f32>) {
    match object {
        Object::Array(items) => {
            if let [Object::Reference(page), Object::Name(kind), left, ..] = items.as_mut_slice()
                && kind.as_slice() == b"XYZ"
            {
                if let Some(&dx) = offsets.get(page) {
                    shift_x(std::iter::once(left), dx);
                }
                return;
            }
            items.iter_mut().for_each(|i| shift_targets(i, offsets));
        }
        Object::Dictionary(dict) => {
            if dict.has_type(b"StructElem") {
                let dx = match dict.get(b"Pg") {
                    Ok(Object::Reference(page)) => offsets.get(page).copied(),
                    _ => None,
                };
                if let (Some(dx), Ok(attributes)) = (dx, dict.get_mut(b"A")) {
                    let attributes = match attributes {
                        Object::Array(items) => items.iter_mut().collect::<Vec<_>>(),
                        other => vec![other],
                    };
                    for attribute in attributes {
                        if let Object::Dictionary(a) = attribute
                            && let Ok(Object::Array(bbox)) = a.get_mut(b"BBox")
                        {
                            shift_x(bbox.iter_mut().step_by(2), dx);
                        }
                    }
                }
            }
            dict.iter_mut()
                .filter(|(key, _)| key.as_slice() != b"A")
                .for_each(|(_, v)| shift_targets(v, offsets));
        }
        _ => {}
    }
}

/// Updates the page count in the XMP metadata (`xmpTPg:NPages`).
fn set_xmp_page_count(pdf: &mut Pdf, pages: usize) -> Result<()> {
    let id = match pdf.catalog().and_then(|c| c.get(b"Metadata")) {
        Ok(Object::Reference(id)) => *id,
        _ => return Ok(()),
    };
    let Ok(Object::Stream(stream)) = pdf.get_object_mut(id) else {
        return Ok(());
    };
    let xml = if stream.dict.has(b"Filter") {
        stream.decompressed_content().map_err(PdfError::Metadata)?
    } else {
        stream.content.clone()
    };
    let (open, close) = (
        b"<xmpTPg:NPages>".as_slice(),
        b"</xmpTPg:NPages>".as_slice(),
    );
    let Some(start) = find(&xml, open).map(|i| i + open.len()) else {
        return Ok(());
    };
    let Some(end) = find(&xml[start..], close).map(|i| i + start) else {
        return Ok(());
    };
    let mut updated = xml[..start].to_vec();
    updated.extend_from_slice(pages.to_string().as_bytes());
    updated.extend_from_slice(&xml[end..]);
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.set_plain_content(updated);
    stream.allows_compression = false;
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
