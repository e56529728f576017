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
//! sheet of them that Typst laid out (one page each, nothing else on it): each of its pages
//! becomes a form drawn over a page as an artifact, after the page's own content, which can
//! be moved towards the spine as a whole.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::PdfError;
use super::doc::{Doc, Element};
use super::pack::pack_source;
use super::renumber::{Renumbering, for_each_reference};
use super::source::{Object, Source, find};
use super::syntax::{Dict, elements, reference, reference_to};

/// The resource kinds whose entries are kept once when PDFs repeat them.
const SHARED_RESOURCES: &[&str] = &[
    "Font",
    "ColorSpace",
    "ExtGState",
    "XObject",
    "Pattern",
    "Shading",
];

/// The name a page's resources give its page number's form.
const FOLIO_NAME: &str = "DossierFolio";

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
    /// Pages of the first PDF that stand for the first page of another (its index): links
    /// to them lead there.
    pub(super) stand_ins: Vec<(usize, usize)>,
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
        .iter()
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
    let trees = docs
        .iter()
        .take(pdfs.len())
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
            .map(|(number, value)| Object {
                number: *number,
                value,
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
            Some(tree) => pairs(doc.resolve(tree)?.get("Nums"), "Kids", &doc.resolve(tree)?)?
                .into_iter()
                .map(|(key, value)| Ok((integer(key)?, value)))
                .collect::<Result<Vec<_>, PdfError>>()?,
            None => Vec::new(),
        };
        let next_key = root
            .integer("ParentTreeNextKey")
            .unwrap_or_else(|| parents.iter().map(|(k, _)| k + 1).max().unwrap_or(0));
        let ids = match root.get("IDTree") {
            Some(tree) => pairs(doc.resolve(tree)?.get("Names"), "Kids", &doc.resolve(tree)?)?,
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

/// The entries of a number or name tree's flat array `array`; a tree split into kids is
/// refused (Typst writes flat ones).
fn pairs<'a>(array: Option<&'a [u8]>, kids: &str, tree: &Dict<'a>) -> Result<Pairs<'a>, PdfError> {
    if tree.get(kids).is_some() {
        return Err(PdfError::Unpackable("a number or name tree with kids"));
    }
    let Some(array) = array else {
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

/// How an object is written again in the joined PDF, beyond its new numbers.
#[derive(Clone, Copy)]
enum Rewrite {
    /// The joined PDF's page of this index.
    Page(usize),
    /// A page's resources, given the form of its page number.
    Resources(u32),
    /// An annotation on a page moved `dx`, its parent-tree key moved by `offset`.
    Annotation { dx: f32, offset: i64 },
    /// A top-level outline item, between these two in the joined outline.
    TopItem {
        prev: Option<u32>,
        next: Option<u32>,
    },
    /// The first PDF's `Document` element, which becomes the joined one.
    Document,
    /// The first PDF's metadata, whose page count changes.
    Metadata,
    /// The first PDF's catalog.
    Catalog,
    /// The content of the sheet's page of this index, made a form.
    Form(usize),
}

/// The joined PDF's numbering: each PDF's table, the objects kept once, and the new
/// objects' numbers.
struct Plan<'d, 'a> {
    docs: &'d [Doc<'a>],
    folio_doc: Option<usize>,
    /// Each PDF's old numbers to new (`0`: left out).
    tables: Vec<Vec<u32>>,
    /// Whether a PDF writes an object (not when it is left out or an earlier PDF's copy).
    owned: Vec<Vec<bool>>,
    /// Each PDF's table, to renumber with.
    renumberings: Vec<Renumbering>,
    /// The objects kept once, by what they are.
    shared: HashMap<[u8; 32], u32>,
    /// How objects are written again, by PDF and old number.
    rewrites: HashMap<(usize, u32), Rewrite>,
    /// The largest number given so far.
    next: u32,
    page_tree: u32,
    struct_root: u32,
    outline_root: u32,
    /// The joined PDF's pages' numbers.
    pages: Vec<u32>,
    /// How far each page moves, by its new number.
    page_dx: HashMap<u32, f32>,
    /// The streams before and after a page's content: by how far it moves and whether a
    /// page number is drawn.
    stamps: Vec<(f32, bool, u32, u32)>,
    /// Each PDF's parent-tree keys move by this much.
    offsets: Vec<i64>,
}

impl<'d, 'a> Plan<'d, 'a> {
    fn new(docs: &'d [Doc<'a>], folio_doc: Option<usize>) -> Self {
        Self {
            docs,
            folio_doc,
            tables: docs.iter().map(|d| vec![0; d.size() as usize]).collect(),
            owned: docs
                .iter()
                .map(|d| vec![false; d.size() as usize])
                .collect(),
            renumberings: Vec::new(),
            shared: HashMap::new(),
            rewrites: HashMap::new(),
            next: 0,
            page_tree: 0,
            struct_root: 0,
            outline_root: 0,
            pages: Vec::new(),
            page_dx: HashMap::new(),
            stamps: Vec::new(),
            offsets: Vec::new(),
        }
    }

    fn fresh(&mut self) -> u32 {
        self.next += 1;
        self.next
    }

    /// Gives object `n` of PDF `d` a new number of its own.
    fn own(&mut self, d: usize, n: u32) -> u32 {
        let number = self.fresh();
        self.tables[d][n as usize] = number;
        self.owned[d][n as usize] = true;
        number
    }

    /// Numbers every object of the joined PDF.
    fn number(&mut self, layout: &Layout, trees: &[Tree<'a>]) -> Result<(), PdfError> {
        let mut key = 0;
        self.offsets = trees
            .iter()
            .map(|tree| {
                let offset = key;
                key += tree.next_key;
                offset
            })
            .collect();
        self.page_tree = self.fresh();
        self.struct_root = self.fresh();
        self.outline_root = self.fresh();
        let used = self.used_pages(layout)?;
        for (d, pages) in used.iter().enumerate() {
            let mut keys = HashMap::new();
            for &page in pages {
                self.share_resources(d, page, &mut keys)?;
            }
        }
        let left_out = self.left_out(layout, trees)?;
        for (d, doc) in self.docs.iter().enumerate() {
            for n in doc.numbers() {
                if self.tables[d][n as usize] == 0 && !left_out[d][n as usize] {
                    self.own(d, n);
                }
            }
        }
        self.alias_replaced(trees)?;
        for &(page, target) in &layout.stand_ins {
            let stand_in = self.docs[0].pages[page];
            let first = *self.docs[target]
                .pages
                .first()
                .ok_or(PdfError::Unpackable("a part without pages"))?;
            self.tables[0][stand_in as usize] = self.tables[target][first as usize];
        }
        self.number_pages(layout)?;
        self.plan_rewrites(layout, trees)?;
        self.renumberings = self
            .tables
            .iter()
            .map(|table| Renumbering::from_table(table.clone()))
            .collect();
        Ok(())
    }

    /// The pages of each PDF that the joined PDF shows (all of the sheet's).
    fn used_pages(&self, layout: &Layout) -> Result<Vec<Vec<u32>>, PdfError> {
        let mut used = vec![Vec::new(); self.docs.len()];
        for page in &layout.pages {
            if let Page::Copied { doc, page, .. } = *page {
                let number = *self.docs[doc]
                    .pages
                    .get(page)
                    .ok_or(PdfError::Unpackable("a page the PDF does not have"))?;
                used[doc].push(number);
            }
        }
        if let Some(f) = self.folio_doc {
            used[f] = self.docs[f].pages.clone();
        }
        Ok(used)
    }

    /// Numbers the fonts, colour spaces and other resources of page `page` of PDF `d`,
    /// each kept once across the PDFs.
    fn share_resources(
        &mut self,
        d: usize,
        page: u32,
        keys: &mut HashMap<u32, [u8; 32]>,
    ) -> Result<(), PdfError> {
        let docs = self.docs;
        let doc = &docs[d];
        let Some(resources) = doc.dict(page)?.get("Resources") else {
            return Ok(());
        };
        let resources = doc.resolve(resources)?;
        for kind in SHARED_RESOURCES {
            let Some(entries) = resources.get(kind) else {
                continue;
            };
            for (_, value) in doc.resolve(entries)?.entries() {
                if let Some(n) = reference(value) {
                    self.share(d, n, keys, 0)?;
                }
            }
        }
        Ok(())
    }

    /// What object `n` of PDF `d` is (a digest of its bytes, each reference read as what it
    /// leads to), numbered as its first copy in any PDF.
    fn share(
        &mut self,
        d: usize,
        n: u32,
        keys: &mut HashMap<u32, [u8; 32]>,
        depth: usize,
    ) -> Result<[u8; 32], PdfError> {
        if let Some(key) = keys.get(&n) {
            return Ok(*key);
        }
        if depth > 16 {
            return Err(PdfError::Unpackable("resources nested too deep"));
        }
        let value = self.docs[d].value(n)?;
        let mut references = Vec::new();
        for_each_reference(value, |at, end, number| {
            references.push((at, end, number));
            Ok(())
        })?;
        let mut digest = Sha256::new();
        let mut copied = 0;
        for (at, end, child) in references {
            digest.update(&value[copied..at]);
            digest.update(self.share(d, child, keys, depth + 1)?);
            copied = end;
        }
        digest.update(&value[copied..]);
        let key: [u8; 32] = digest.finalize().into();
        keys.insert(n, key);
        match self.shared.get(&key) {
            Some(&number) => self.tables[d][n as usize] = number,
            None => {
                let number = self.own(d, n);
                self.shared.insert(key, number);
            }
        }
        Ok(key)
    }
}

impl Plan<'_, '_> {
    /// Which objects of each PDF the joined one leaves out: every PDF's catalog but the
    /// first's, page tree, structure root and outline root (the joined PDF has its own);
    /// the other PDFs' `Document` element, details, metadata and output intents; the first
    /// PDF's stand-in pages; and all of the sheet of page numbers but its pages' content
    /// and resources.
    fn left_out(&self, layout: &Layout, trees: &[Tree<'_>]) -> Result<Vec<Vec<bool>>, PdfError> {
        let mut out: Vec<Vec<bool>> = self
            .docs
            .iter()
            .map(|d| vec![false; d.size() as usize])
            .collect();
        for (d, doc) in self.docs.iter().enumerate() {
            let out = &mut out[d];
            if Some(d) == self.folio_doc {
                out.fill(true);
                for &page in &doc.pages {
                    let dict = doc.dict(page)?;
                    for n in contents(&dict)? {
                        out[n as usize] = false;
                    }
                    if let Some(n) = dict.reference("Resources") {
                        out[n as usize] = false;
                    }
                }
                continue;
            }
            let mut mark = |n: u32| {
                if let Some(slot) = out.get_mut(n as usize) {
                    *slot = true;
                }
            };
            doc.page_nodes.iter().for_each(|&n| mark(n));
            if let Some((root, dict)) = doc.struct_root()? {
                mark(root);
                for key in ["ParentTree", "IDTree", "RoleMap", "ClassMap"] {
                    dict.reference(key).into_iter().for_each(&mut mark);
                }
            }
            if let Some((root, _, _)) = trees[d].outline {
                mark(root);
            }
            if d == 0 {
                continue;
            }
            mark(doc.catalog);
            mark(trees[d].document.0);
            let catalog = doc.catalog()?;
            Dict::read_entries(doc.trailer)?
                .reference("Info")
                .into_iter()
                .for_each(&mut mark);
            catalog
                .reference("Metadata")
                .into_iter()
                .for_each(&mut mark);
            catalog
                .reference("PageLabels")
                .into_iter()
                .for_each(&mut mark);
            if let Some(intents) = catalog.get("OutputIntents") {
                let array = match reference(intents) {
                    Some(n) => {
                        mark(n);
                        doc.value(n)?
                    }
                    None => intents,
                };
                elements(array)?
                    .iter()
                    .filter_map(|e| reference(e))
                    .for_each(&mut mark);
            }
        }
        for &(page, _) in &layout.stand_ins {
            let number = self.docs[0].pages[page];
            let dict = self.docs[0].dict(number)?;
            out[0][number as usize] = true;
            for n in contents(&dict)?
                .into_iter()
                .chain(dict.reference("Resources"))
            {
                out[0][n as usize] = true;
            }
        }
        Ok(out)
    }

    /// Points what the joined PDF replaces at its replacement: every PDF's page tree nodes,
    /// structure root and outline root at the joined ones, and the other PDFs' `Document`
    /// elements at the first's.
    fn alias_replaced(&mut self, trees: &[Tree<'_>]) -> Result<(), PdfError> {
        let document = self.tables[0][trees[0].document.0 as usize];
        for (d, tree) in trees.iter().enumerate() {
            let doc = &self.docs[d];
            let mut aliases: Vec<(u32, u32)> = doc
                .page_nodes
                .iter()
                .map(|&n| (n, self.page_tree))
                .collect();
            if let Some((root, _)) = doc.struct_root()? {
                aliases.push((root, self.struct_root));
            }
            if let Some((root, _, _)) = tree.outline {
                aliases.push((root, self.outline_root));
            }
            if d > 0 {
                aliases.push((tree.document.0, document));
            }
            for (old, new) in aliases {
                self.tables[d][old as usize] = new;
            }
        }
        Ok(())
    }

    /// Numbers the joined PDF's pages, blank ones included, and the streams around them.
    fn number_pages(&mut self, layout: &Layout) -> Result<(), PdfError> {
        for page in &layout.pages {
            match *page {
                Page::Copied {
                    doc,
                    page,
                    dx,
                    folio,
                } => {
                    let old = self.docs[doc].pages[page];
                    let number = self.tables[doc][old as usize];
                    self.pages.push(number);
                    self.page_dx.insert(number, dx);
                    if dx != 0.0 || folio.is_some() {
                        self.stamp_streams(dx, folio.is_some());
                    }
                }
                Page::Blank => {
                    let number = self.fresh();
                    self.pages.push(number);
                }
            }
        }
        Ok(())
    }

    /// The streams drawn before and after a page's content that move it `dx` and draw its
    /// page number (`folio`), numbered the first time they are asked for.
    fn stamp_streams(&mut self, dx: f32, folio: bool) -> (u32, u32) {
        if let Some(&(_, _, before, after)) = self
            .stamps
            .iter()
            .find(|(x, f, _, _)| *x == dx && *f == folio)
        {
            return (before, after);
        }
        let before = self.fresh();
        let after = self.fresh();
        self.stamps.push((dx, folio, before, after));
        (before, after)
    }

    /// Decides how the objects that change are written again.
    fn plan_rewrites(&mut self, layout: &Layout, trees: &[Tree<'_>]) -> Result<(), PdfError> {
        for (i, page) in layout.pages.iter().enumerate() {
            if let Page::Copied {
                doc,
                page,
                dx,
                folio,
            } = *page
            {
                self.plan_page(i, doc, page, dx, folio)?;
            }
        }
        if let Some(f) = self.folio_doc {
            for (i, &page) in self.docs[f].pages.iter().enumerate() {
                for n in contents(&self.docs[f].dict(page)?)? {
                    self.rewrites.insert((f, n), Rewrite::Form(i));
                }
            }
        }
        let items: Vec<(usize, u32)> = trees
            .iter()
            .enumerate()
            .flat_map(|(d, tree)| {
                tree.outline
                    .iter()
                    .flat_map(move |(_, _, items)| items.iter().map(move |&n| (d, n)))
            })
            .collect();
        let new = |(d, n): (usize, u32)| self.tables[d][n as usize];
        let linked: Vec<((usize, u32), Rewrite)> = items
            .iter()
            .enumerate()
            .map(|(k, &item)| {
                let prev = k.checked_sub(1).map(|p| new(items[p]));
                let next = items.get(k + 1).map(|&i| new(i));
                (item, Rewrite::TopItem { prev, next })
            })
            .collect();
        self.rewrites.extend(linked);
        let docs = self.docs;
        let head = &docs[0];
        self.rewrites
            .insert((0, trees[0].document.0), Rewrite::Document);
        self.rewrites.insert((0, head.catalog), Rewrite::Catalog);
        if let Some(n) = head.catalog()?.reference("Metadata") {
            self.rewrites.insert((0, n), Rewrite::Metadata);
        }
        Ok(())
    }

    /// Plans the joined PDF's page `i`, page `page` of PDF `doc`: its resources given the
    /// form of its page number, its annotations moved with it.
    fn plan_page(
        &mut self,
        i: usize,
        doc: usize,
        page: usize,
        dx: f32,
        folio: Option<usize>,
    ) -> Result<(), PdfError> {
        let number = self.docs[doc].pages[page];
        self.rewrites.insert((doc, number), Rewrite::Page(i));
        let dict = self.docs[doc].dict(number)?;
        if let Some(folio) = folio
            && let Some(resources) = dict.reference("Resources")
        {
            let form = self.folio_form(folio)?;
            let before = self
                .rewrites
                .insert((doc, resources), Rewrite::Resources(form));
            if before.is_some() {
                return Err(PdfError::Unpackable("resources shared by two pages"));
            }
        }
        let Some(annotations) = dict.get("Annots") else {
            return Ok(());
        };
        let array = match reference(annotations) {
            Some(n) => self.docs[doc].value(n)?,
            None => annotations,
        };
        let offset = self.offsets[doc];
        for annotation in elements(array)? {
            let n = reference(annotation)
                .ok_or(PdfError::Unpackable("an annotation written into its page"))?;
            self.rewrites
                .insert((doc, n), Rewrite::Annotation { dx, offset });
        }
        Ok(())
    }

    /// The new number of the form that draws the sheet's page `folio`.
    fn folio_form(&self, folio: usize) -> Result<u32, PdfError> {
        let f = self
            .folio_doc
            .ok_or(PdfError::Unpackable("no sheet of page numbers"))?;
        let page = *self.docs[f]
            .pages
            .get(folio)
            .ok_or(PdfError::Unpackable("fewer page numbers than pages"))?;
        match contents(&self.docs[f].dict(page)?)?.as_slice() {
            [one] => Ok(self.tables[f][*one as usize]),
            _ => Err(PdfError::Unpackable("a page number not in one stream")),
        }
    }
}

/// The content streams of the page `page`.
fn contents(page: &Dict<'_>) -> Result<Vec<u32>, PdfError> {
    match page.get("Contents") {
        None => Ok(Vec::new()),
        Some(value) if value.starts_with(b"[") => elements(value)?
            .iter()
            .map(|e| reference(e).ok_or(PdfError::Unpackable("content that is no stream")))
            .collect(),
        Some(value) => {
            Ok(vec![reference(value).ok_or(PdfError::Unpackable(
                "content that is no stream",
            ))?])
        }
    }
}

impl Plan<'_, '_> {
    /// Every object of the joined PDF: its number and value.
    fn write(&self, layout: &Layout, trees: &[Tree<'_>]) -> Result<Vec<(u32, Vec<u8>)>, PdfError> {
        let mut out = Vec::new();
        for (d, doc) in self.docs.iter().enumerate() {
            for n in doc.numbers() {
                if !self.owned[d][n as usize] {
                    continue;
                }
                let text = self.renumberings[d].apply(doc.value(n)?)?;
                let value = self.rewritten(d, n, text, layout, trees)?;
                out.push((self.tables[d][n as usize], value));
            }
        }
        out.push((self.page_tree, self.page_tree_value()));
        out.push((self.struct_root, self.struct_root_value(trees)?));
        if trees.iter().any(|t| {
            t.outline
                .as_ref()
                .is_some_and(|(_, _, items)| !items.is_empty())
        }) {
            out.push((self.outline_root, self.outline_root_value(trees)));
        }
        for &(dx, folio, before, after) in &self.stamps {
            let (first, last) = stamp_content(dx, folio);
            out.push((before, stream(first.as_bytes())));
            out.push((after, stream(last.as_bytes())));
        }
        out.extend(self.blank_pages(layout)?);
        Ok(out)
    }

    /// Object `n` of PDF `d`, renumbered as `text`, with what changes in it.
    fn rewritten(
        &self,
        d: usize,
        n: u32,
        text: Vec<u8>,
        layout: &Layout,
        trees: &[Tree<'_>],
    ) -> Result<Vec<u8>, PdfError> {
        let Some(rewrite) = self.rewrites.get(&(d, n)) else {
            let prefix = trees.get(d).and_then(|t| t.id_prefix.as_deref());
            let text = match prefix {
                Some(prefix) if is_element_with_ids(&text) => prefixed_ids(&text, prefix)?,
                _ => text,
            };
            return self.shifted_destination(text);
        };
        let dict = Dict::read(&text)?;
        Ok(match *rewrite {
            Rewrite::Page(i) => self.page_value(d, &dict, layout.pages[i])?,
            Rewrite::Resources(form) => with_folio(&dict, form)?,
            Rewrite::Annotation { dx, offset } => annotation(&dict, dx, offset)?,
            Rewrite::TopItem { prev, next } => {
                let [parent, prev, next] =
                    [Some(self.outline_root), prev, next].map(|r| r.map(reference_to));
                dict.write(&[
                    ("Parent", parent.as_deref()),
                    ("Prev", prev.as_deref()),
                    ("Next", next.as_deref()),
                ])
            }
            Rewrite::Document => self.document_value(&dict, trees)?,
            Rewrite::Metadata => with_page_count(&text, &dict, self.pages.len())?,
            Rewrite::Catalog => self.catalog_value(&dict, layout)?,
            Rewrite::Form(i) => self.form_value(i, &text, &dict)?,
        })
    }

    /// A page's dictionary: in the joined page tree, its parent-tree key moved, and its
    /// content between the streams that move it and draw its page number.
    fn page_value(&self, d: usize, dict: &Dict<'_>, page: Page) -> Result<Vec<u8>, PdfError> {
        let Page::Copied { dx, folio, .. } = page else {
            return Err(PdfError::Unpackable("a blank page copied"));
        };
        let parent = reference_to(self.page_tree);
        let key = dict
            .integer("StructParents")
            .map(|k| (k + self.offsets[d]).to_string().into_bytes());
        let mut contents = None;
        if dx != 0.0 || folio.is_some() {
            let (before, after) = self
                .stamps
                .iter()
                .find(|(x, f, _, _)| *x == dx && *f == folio.is_some())
                .map(|&(_, _, b, a)| (b, a))
                .ok_or(PdfError::Unpackable("a page's stamp not numbered"))?;
            let own = dict.get("Contents").unwrap_or(b"[]");
            let own = if own.starts_with(b"[") {
                &own[1..own.len() - 1]
            } else {
                own
            };
            let mut value = format!("[{before} 0 R ").into_bytes();
            value.extend_from_slice(own);
            value.extend_from_slice(format!(" {after} 0 R]").as_bytes());
            contents = Some(value);
        }
        let mut resources = None;
        if let Some(folio) = folio
            && let Some(inline) = dict.get("Resources").filter(|r| reference(r).is_none())
        {
            resources = Some(with_folio(&Dict::read(inline)?, self.folio_form(folio)?)?);
        }
        let mut changes: Vec<(&str, Option<&[u8]>)> = vec![("Parent", Some(&parent))];
        if let Some(key) = &key {
            changes.push(("StructParents", Some(key)));
        }
        if let Some(contents) = &contents {
            changes.push(("Contents", Some(contents)));
        }
        if let Some(resources) = &resources {
            changes.push(("Resources", Some(resources)));
        }
        Ok(dict.write(&changes))
    }

    /// A destination object (`[page /XYZ left top zoom]`) moved with its page.
    fn shifted_destination(&self, text: Vec<u8>) -> Result<Vec<u8>, PdfError> {
        let head = &text[..text.len().min(40)];
        if !text.starts_with(b"[") || find(head, b"/XYZ").is_none() {
            return Ok(text);
        }
        self.destination(&text)
    }

    /// The destination `array` moved with the page it leads to.
    fn destination(&self, array: &[u8]) -> Result<Vec<u8>, PdfError> {
        let parts = elements(array)?;
        let dx = parts
            .first()
            .and_then(|page| reference(page))
            .and_then(|page| self.page_dx.get(&page))
            .copied()
            .unwrap_or(0.0);
        if dx == 0.0 || parts.get(1) != Some(&&b"/XYZ"[..]) {
            return Ok(array.to_vec());
        }
        Ok(shifted_numbers(&parts, dx, |i| i == 2))
    }

    /// The first PDF's `Document` element with every PDF's top-level elements as its kids.
    fn document_value(&self, dict: &Dict<'_>, trees: &[Tree<'_>]) -> Result<Vec<u8>, PdfError> {
        let mut kids = b"[".to_vec();
        for (d, tree) in trees.iter().enumerate() {
            for kid in &tree.document.1 {
                self.renumberings[d].apply_into(kid, &mut kids)?;
                kids.push(b' ');
            }
        }
        kids.push(b']');
        let root = reference_to(self.struct_root);
        Ok(dict.write(&[("K", Some(&kids)), ("P", Some(&root))]))
    }

    /// The first PDF's catalog, pointing at the joined page tree, structure tree and
    /// outline, with the joined page labels.
    fn catalog_value(&self, dict: &Dict<'_>, layout: &Layout) -> Result<Vec<u8>, PdfError> {
        let pages = reference_to(self.page_tree);
        let root = reference_to(self.struct_root);
        let outline = dict
            .get("Outlines")
            .is_some()
            .then(|| reference_to(self.outline_root));
        let labels = match layout.numbered_from {
            Some(from) => Some(self.page_labels(from)?),
            None => None,
        };
        let mut changes: Vec<(&str, Option<&[u8]>)> =
            vec![("Pages", Some(&pages)), ("StructTreeRoot", Some(&root))];
        if dict.get("Outlines").is_some() {
            changes.push(("Outlines", outline.as_deref()));
        }
        if let Some(labels) = &labels {
            changes.push(("PageLabels", Some(labels)));
        }
        Ok(dict.write(&changes))
    }

    /// The first PDF's page labels before page `from`, then 1, 2, 3...
    fn page_labels(&self, from: usize) -> Result<Vec<u8>, PdfError> {
        let head = &self.docs[0];
        let mut nums = b"<</Nums[".to_vec();
        if let Some(labels) = head.catalog()?.get("PageLabels") {
            let tree = head.resolve(labels)?;
            for (key, value) in pairs(tree.get("Nums"), "Kids", &tree)? {
                if usize::try_from(integer(key)?).is_ok_and(|k| k < from) {
                    nums.extend_from_slice(key);
                    nums.push(b' ');
                    self.renumberings[0].apply_into(value, &mut nums)?;
                    nums.push(b' ');
                }
            }
        }
        nums.extend_from_slice(format!("{from} <</S/D>>]>>").as_bytes());
        Ok(nums)
    }

    /// The content of the sheet's page `i` (renumbered as `text`) made a form, with the
    /// page's size and resources.
    fn form_value(&self, i: usize, text: &[u8], dict: &Dict<'_>) -> Result<Vec<u8>, PdfError> {
        let f = self
            .folio_doc
            .ok_or(PdfError::Unpackable("no sheet of page numbers"))?;
        let page = self.docs[f].dict(self.docs[f].pages[i])?;
        let media = page
            .get("MediaBox")
            .ok_or(PdfError::Unpackable("a page without a size"))?;
        let resources = match page.get("Resources") {
            Some(value) => self.renumberings[f].apply(value)?,
            None => b"<<>>".to_vec(),
        };
        let mut value = dict.write(&[
            ("Type", Some(b"/XObject")),
            ("Subtype", Some(b"/Form")),
            ("BBox", Some(media)),
            ("Resources", Some(&resources)),
        ]);
        value.extend_from_slice(&text[dict.end()..]);
        Ok(value)
    }

    fn page_tree_value(&self) -> Vec<u8> {
        let kids: Vec<String> = self.pages.iter().map(|n| format!("{n} 0 R")).collect();
        format!(
            "<</Type/Pages/Count {}/Kids[{}]>>",
            self.pages.len(),
            kids.join(" ")
        )
        .into_bytes()
    }

    /// The joined structure tree's root: the first PDF's `Document` element, every PDF's
    /// parent-tree entries (keys moved), table-header ids and roles.
    fn struct_root_value(&self, trees: &[Tree<'_>]) -> Result<Vec<u8>, PdfError> {
        let document = self.tables[0][trees[0].document.0 as usize];
        let mut value =
            format!("<</Type/StructTreeRoot/K[{document} 0 R]/ParentTree<</Nums[").into_bytes();
        let mut next_key = 0;
        for (d, tree) in trees.iter().enumerate() {
            for (key, parent) in &tree.parents {
                value.extend_from_slice(format!("{} ", key + self.offsets[d]).as_bytes());
                self.renumberings[d].apply_into(parent, &mut value)?;
                value.push(b' ');
            }
            next_key = self.offsets[d] + tree.next_key;
        }
        value.extend_from_slice(format!("]>>/ParentTreeNextKey {next_key}").as_bytes());
        let mut ids = Vec::new();
        for (d, tree) in trees.iter().enumerate() {
            for (id, element) in &tree.ids {
                let id = match &tree.id_prefix {
                    Some(prefix) => prefixed_string(id, prefix),
                    None => id.to_vec(),
                };
                ids.push((id, self.renumberings[d].apply(element)?));
            }
        }
        if !ids.is_empty() {
            ids.sort();
            value.extend_from_slice(b"/IDTree<</Names[");
            for (id, element) in ids {
                value.extend_from_slice(&id);
                value.push(b' ');
                value.extend_from_slice(&element);
                value.push(b' ');
            }
            value.extend_from_slice(b"]>>");
        }
        let mut roles: Vec<(&[u8], &[u8])> = Vec::new();
        for (key, role) in trees.iter().flat_map(|t| t.roles.iter()) {
            if !roles.iter().any(|(k, _)| k == key) {
                roles.push((key, role));
            }
        }
        if !roles.is_empty() {
            value.extend_from_slice(b"/RoleMap<<");
            for (key, role) in roles {
                value.push(b'/');
                value.extend_from_slice(key);
                value.push(b' ');
                value.extend_from_slice(role);
            }
            value.extend_from_slice(b">>");
        }
        value.extend_from_slice(b">>");
        Ok(value)
    }

    /// The joined outline's root: every PDF's top-level items, one after the other.
    fn outline_root_value(&self, trees: &[Tree<'_>]) -> Vec<u8> {
        let items: Vec<u32> = trees
            .iter()
            .enumerate()
            .flat_map(|(d, tree)| {
                tree.outline.iter().flat_map(move |(_, _, items)| {
                    items.iter().map(move |&n| self.tables[d][n as usize])
                })
            })
            .collect();
        let count: i64 = trees
            .iter()
            .filter_map(|t| t.outline.as_ref().map(|(_, count, _)| *count))
            .sum();
        format!(
            "<</Type/Outlines/First {} 0 R/Last {} 0 R/Count {count}>>",
            items.first().copied().unwrap_or(0),
            items.last().copied().unwrap_or(0)
        )
        .into_bytes()
    }

    /// The blank pages, each the size of the page before it.
    fn blank_pages(&self, layout: &Layout) -> Result<Vec<(u32, Vec<u8>)>, PdfError> {
        let mut media: Option<Vec<u8>> = None;
        let mut blanks = Vec::new();
        for (page, &number) in layout.pages.iter().zip(&self.pages) {
            match *page {
                Page::Copied { doc, page, .. } => {
                    let dict = self.docs[doc].dict(self.docs[doc].pages[page])?;
                    media = dict.get("MediaBox").map(<[u8]>::to_vec);
                }
                Page::Blank => {
                    let media = media
                        .as_deref()
                        .ok_or(PdfError::Unpackable("a blank page first"))?;
                    let mut value = format!(
                        "<</Type/Page/Parent {} 0 R/Resources<<>>/MediaBox",
                        self.page_tree
                    )
                    .into_bytes();
                    value.extend_from_slice(media);
                    value.extend_from_slice(b">>");
                    blanks.push((number, value));
                }
            }
        }
        Ok(blanks)
    }
}

/// The content drawn before a page's own (`q`, and the move) and after it (`Q`, then the
/// page number's form as an artifact).
fn stamp_content(dx: f32, folio: bool) -> (String, String) {
    let moved = if dx == 0.0 {
        String::new()
    } else {
        format!("1 0 0 1 {} 0 cm ", real(f64::from(dx)))
    };
    let mut after = "Q\n".to_string();
    if folio {
        after.push_str(&format!("q {moved}/Artifact BMC /{FOLIO_NAME} Do EMC Q\n"));
    }
    (format!("q {moved}\n"), after)
}

/// An uncompressed stream of `content`.
fn stream(content: &[u8]) -> Vec<u8> {
    let mut value = format!("<</Length {}>>\nstream\n", content.len()).into_bytes();
    value.extend_from_slice(content);
    value.extend_from_slice(b"\nendstream");
    value
}

/// A page's resources, with the form of its page number among its forms.
fn with_folio(resources: &Dict<'_>, form: u32) -> Result<Vec<u8>, PdfError> {
    let form = reference_to(form);
    let forms = match resources.get("XObject") {
        Some(forms) if reference(forms).is_some() => {
            return Err(PdfError::Unpackable(
                "forms listed in an object of their own",
            ));
        }
        Some(forms) => Dict::read(forms)?.write(&[(FOLIO_NAME, Some(&form))]),
        None => format!("<</{FOLIO_NAME} ")
            .into_bytes()
            .into_iter()
            .chain(form)
            .chain(*b">>")
            .collect(),
    };
    Ok(resources.write(&[("XObject", Some(&forms))]))
}

/// An annotation moved `dx` with its page, its parent-tree key moved by `offset`.
fn annotation(dict: &Dict<'_>, dx: f32, offset: i64) -> Result<Vec<u8>, PdfError> {
    let key = dict
        .integer("StructParent")
        .map(|k| (k + offset).to_string().into_bytes());
    let mut moved = Vec::new();
    if dx != 0.0 {
        for (name, even) in [("Rect", true), ("QuadPoints", true)] {
            if let Some(array) = dict.get(name) {
                let parts = elements(array)?;
                moved.push((name, shifted_numbers(&parts, dx, |i| (i % 2 == 0) == even)));
            }
        }
    }
    let mut changes: Vec<(&str, Option<&[u8]>)> = Vec::new();
    if let Some(key) = &key {
        changes.push(("StructParent", Some(key)));
    }
    for (name, value) in &moved {
        changes.push((name, Some(value)));
    }
    Ok(dict.write(&changes))
}

/// An array of `parts` with `dx` added to the numbers at the positions `moved` picks.
fn shifted_numbers(parts: &[&[u8]], dx: f32, moved: impl Fn(usize) -> bool) -> Vec<u8> {
    let mut out = b"[".to_vec();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        let number = std::str::from_utf8(part)
            .ok()
            .and_then(|t| t.parse::<f64>().ok());
        match number {
            Some(x) if moved(i) => out.extend_from_slice(real(x + f64::from(dx)).as_bytes()),
            _ => out.extend_from_slice(part),
        }
    }
    out.push(b']');
    out
}

/// A real number as PDF writes one: no exponent, at most four decimals.
fn real(x: f64) -> String {
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The metadata stream `text` with its page count set to `pages`.
fn with_page_count(text: &[u8], dict: &Dict<'_>, pages: usize) -> Result<Vec<u8>, PdfError> {
    const OPEN: &[u8] = b"<xmpTPg:NPages>";
    const CLOSE: &[u8] = b"</xmpTPg:NPages>";
    let length = usize::try_from(dict.integer("Length").unwrap_or(-1))
        .map_err(|_| PdfError::Unpackable("metadata without its length"))?;
    let rest = &text[dict.end()..];
    let start = find(rest, b"stream").ok_or(PdfError::Unpackable("metadata without data"))? + 6;
    let start = start
        + rest[start..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count()
            .min(2);
    let data = rest
        .get(start..start + length)
        .ok_or(PdfError::Unpackable("metadata shorter than its length"))?;
    let (Some(open), Some(close)) = (find(data, OPEN), find(data, CLOSE)) else {
        return Ok(text.to_vec());
    };
    let mut new = data[..open + OPEN.len()].to_vec();
    new.extend_from_slice(pages.to_string().as_bytes());
    new.extend_from_slice(&data[close..]);
    let length = new.len().to_string().into_bytes();
    let mut value = dict.write(&[("Length", Some(&length))]);
    value.extend_from_slice(b"\nstream\n");
    value.extend_from_slice(&new);
    value.extend_from_slice(b"\nendstream");
    Ok(value)
}

/// Whether `text` is a structure element that names table headers or is named by one.
fn is_element_with_ids(text: &[u8]) -> bool {
    find(text, b"/StructElem").is_some()
        && (find(text, b"/ID").is_some() || find(text, b"/Headers").is_some())
}

/// The structure element `text` with its id and the ids of its headers given `prefix`.
fn prefixed_ids(text: &[u8], prefix: &[u8]) -> Result<Vec<u8>, PdfError> {
    let dict = Dict::read(text)?;
    let id = dict.get("ID").map(|id| prefixed_string(id, prefix));
    let attributes = match dict.get("A") {
        Some(a) if a.starts_with(b"[") => {
            let mut out = b"[".to_vec();
            for attribute in elements(a)? {
                out.extend_from_slice(&prefixed_headers(attribute, prefix)?);
                out.push(b' ');
            }
            out.push(b']');
            Some(out)
        }
        Some(a) if a.starts_with(b"<<") => Some(prefixed_headers(a, prefix)?),
        _ => None,
    };
    let mut changes: Vec<(&str, Option<&[u8]>)> = Vec::new();
    if let Some(id) = &id {
        changes.push(("ID", Some(id)));
    }
    if let Some(attributes) = &attributes {
        changes.push(("A", Some(attributes)));
    }
    Ok(dict.write(&changes))
}

/// An attribute dictionary with the ids of its `/Headers` given `prefix`.
fn prefixed_headers(attribute: &[u8], prefix: &[u8]) -> Result<Vec<u8>, PdfError> {
    if !attribute.starts_with(b"<<") {
        return Ok(attribute.to_vec());
    }
    let dict = Dict::read(attribute)?;
    let Some(headers) = dict.get("Headers") else {
        return Ok(attribute.to_vec());
    };
    let mut out = b"[".to_vec();
    for header in elements(headers)? {
        out.extend_from_slice(&prefixed_string(header, prefix));
        out.push(b' ');
    }
    out.push(b']');
    Ok(dict.write(&[("Headers", Some(&out))]))
}

/// The literal string `string` with `prefix` put before its text.
fn prefixed_string(string: &[u8], prefix: &[u8]) -> Vec<u8> {
    match string.strip_prefix(b"(") {
        Some(rest) => [&b"("[..], prefix, rest].concat(),
        None => string.to_vec(),
    }
}
