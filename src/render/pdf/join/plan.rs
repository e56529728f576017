//! The joined PDF's numbering: which objects each PDF keeps, which are kept once, and
//! how the ones that change are written again.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::super::PdfError;
use super::super::doc::Doc;
use super::super::renumber::{Renumbering, for_each_reference};
use super::super::syntax::{Dict, elements, reference};
use super::folio::{Folio, decoded};
use super::{Layout, Page, SHARED_RESOURCES, Tree};

/// How an object is written again in the joined PDF, beyond its new numbers.
#[derive(Clone, Copy)]
pub(super) enum Rewrite {
    /// The joined PDF's page of this index.
    Page(usize),
    /// A page's resources, given those of the sheet's page of this index (its number).
    Resources(usize),
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
}

/// The streams drawn before and after a page's own content: they move it `dx` and, after
/// it, set the `state` (by index) that its page number is drawn in.
pub(super) struct Stamp {
    pub(super) dx: f32,
    pub(super) state: Option<usize>,
    pub(super) before: u32,
    pub(super) after: u32,
}

/// The joined PDF's numbering: each PDF's table, the objects kept once, and the new
/// objects' numbers.
pub(super) struct Plan<'d, 'a> {
    pub(super) docs: &'d [Doc<'a>],
    pub(super) folio_doc: Option<usize>,
    /// Each PDF's old numbers to new (`0`: left out).
    pub(super) tables: Vec<Vec<u32>>,
    /// Whether a PDF writes an object (not when it is left out or an earlier PDF's copy).
    pub(super) owned: Vec<Vec<bool>>,
    /// Each PDF's table, to renumber with.
    pub(super) renumberings: Vec<Renumbering>,
    /// The objects kept once, by what they are.
    pub(super) shared: HashMap<[u8; 32], u32>,
    /// How objects are written again, by PDF and old number.
    pub(super) rewrites: HashMap<(usize, u32), Rewrite>,
    /// The largest number given so far.
    pub(super) next: u32,
    pub(super) page_tree: u32,
    pub(super) struct_root: u32,
    pub(super) outline_root: u32,
    /// The joined PDF's pages' numbers.
    pub(super) pages: Vec<u32>,
    /// How far each page moves, by its new number.
    pub(super) page_dx: HashMap<u32, f32>,
    /// The streams before and after a page's content.
    pub(super) stamps: Vec<Stamp>,
    /// The states page numbers are drawn in, each once.
    pub(super) states: Vec<Vec<u8>>,
    /// The page numbers drawn, by the index of their page on the sheet.
    pub(super) folios: HashMap<usize, Folio>,
    /// The stream that draws a page's number, by the page's index in the joined PDF.
    pub(super) folio_streams: HashMap<usize, u32>,
    /// Each PDF's parent-tree keys move by this much.
    pub(super) offsets: Vec<i64>,
    /// The first page shown of each PDF the first PDF's links to parts lead to (see
    /// [`Layout::part_links`]), by its new number.
    pub(super) part_pages: Vec<u32>,
}

impl<'d, 'a> Plan<'d, 'a> {
    pub(super) fn new(docs: &'d [Doc<'a>], folio_doc: Option<usize>) -> Self {
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
            states: Vec::new(),
            folios: HashMap::new(),
            folio_streams: HashMap::new(),
            offsets: Vec::new(),
            part_pages: Vec::new(),
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
    pub(super) fn number(&mut self, layout: &Layout, trees: &[Tree<'a>]) -> Result<(), PdfError> {
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
        // Every page's resources, those of the pages left out too: what only they use
        // (a primer's colours) is then kept once, not once per PDF.
        let docs = self.docs;
        for (d, doc) in docs.iter().enumerate() {
            let pages = if Some(d) == self.folio_doc {
                &used[d]
            } else {
                &doc.pages
            };
            let mut keys = HashMap::new();
            for &page in pages {
                self.share_resources(d, page, &mut keys)?;
            }
        }
        let left_out = self.left_out(trees, &used)?;
        for (d, doc) in self.docs.iter().enumerate() {
            for n in doc.numbers() {
                if self.tables[d][n as usize] == 0 && !left_out[d][n as usize] {
                    self.own(d, n);
                }
            }
        }
        self.alias_replaced(trees)?;
        self.part_pages = layout
            .part_links
            .iter()
            .map(|&target| {
                let first = used
                    .get(target)
                    .and_then(|pages| pages.first())
                    .ok_or(PdfError::Unpackable("a part without pages shown"))?;
                Ok(self.tables[target][*first as usize])
            })
            .collect::<Result<_, PdfError>>()?;
        self.read_folios(layout)?;
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
            for page in &layout.pages {
                if let Page::Copied {
                    folio: Some(folio), ..
                } = *page
                {
                    let number = *self.docs[f]
                        .pages
                        .get(folio)
                        .ok_or(PdfError::Unpackable("fewer page numbers than pages"))?;
                    used[f].push(number);
                }
            }
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

impl<'a> Plan<'_, 'a> {
    /// Which objects of each PDF the joined one leaves out: every PDF's catalog but the
    /// first's, page tree, structure root and outline root (the joined PDF has its own);
    /// the other PDFs' `Document` element, details, metadata and output intents; the pages
    /// the layout does not show (a primer's, a stand-in), with their content and resources;
    /// and all of the sheet of page numbers (but the resources its page numbers use, kept
    /// once with the others').
    fn left_out(&self, trees: &[Tree<'_>], used: &[Vec<u32>]) -> Result<Vec<Vec<bool>>, PdfError> {
        let mut out: Vec<Vec<bool>> = self
            .docs
            .iter()
            .map(|d| vec![false; d.size() as usize])
            .collect();
        for (d, doc) in self.docs.iter().enumerate() {
            let out = &mut out[d];
            if Some(d) == self.folio_doc {
                out.fill(true);
                continue;
            }
            for &page in doc.pages.iter().filter(|page| !used[d].contains(page)) {
                let dict = doc.dict(page)?;
                out[page as usize] = true;
                for n in contents(&dict)?
                    .into_iter()
                    .chain(dict.reference("Resources"))
                {
                    out[n as usize] = true;
                }
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
        for (i, page) in layout.pages.iter().enumerate() {
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
                    let state = match folio {
                        Some(folio) => Some(self.state_of(folio)?),
                        None => None,
                    };
                    if dx != 0.0 || state.is_some() {
                        self.stamp_streams(dx, state);
                    }
                    if folio.is_some() {
                        let stream = self.fresh();
                        self.folio_streams.insert(i, stream);
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

    /// The sheet's page number `folio`, once read.
    pub(super) fn folio(&self, folio: usize) -> Result<&Folio, PdfError> {
        self.folios
            .get(&folio)
            .ok_or(PdfError::Unpackable("a page number not read"))
    }

    /// The index of the state that the sheet's page number `folio` is drawn in.
    fn state_of(&mut self, folio: usize) -> Result<usize, PdfError> {
        let state = &self.folio(folio)?.state;
        Ok(match self.states.iter().position(|s| s == state) {
            Some(index) => index,
            None => {
                self.states.push(state.clone());
                self.states.len() - 1
            }
        })
    }

    /// The streams drawn before and after a page's content that move it `dx` and set the
    /// `state` of its page number, numbered the first time they are asked for.
    fn stamp_streams(&mut self, dx: f32, state: Option<usize>) {
        if self.stamp(dx, state).is_none() {
            let before = self.fresh();
            let after = self.fresh();
            self.stamps.push(Stamp {
                dx,
                state,
                before,
                after,
            });
        }
    }

    /// The streams around a page moved `dx` whose page number is drawn in `state`, once
    /// numbered.
    pub(super) fn stamp(&self, dx: f32, state: Option<usize>) -> Option<&Stamp> {
        self.stamps
            .iter()
            .find(|stamp| stamp.dx == dx && stamp.state == state)
    }

    /// Reads the sheet's page numbers that the layout draws.
    fn read_folios(&mut self, layout: &Layout) -> Result<(), PdfError> {
        for page in &layout.pages {
            if let Page::Copied {
                folio: Some(folio), ..
            } = *page
                && !self.folios.contains_key(&folio)
            {
                let read = self.read_folio(folio)?;
                self.folios.insert(folio, read);
            }
        }
        Ok(())
    }

    /// The page number that the sheet's page `folio` draws.
    fn read_folio(&self, folio: usize) -> Result<Folio, PdfError> {
        let (f, page) = self.sheet_page(folio)?;
        let sheet = &self.docs[f];
        let mut content = Vec::new();
        for n in contents(&page)? {
            content.extend_from_slice(&decoded(sheet.value(n)?)?);
            content.push(b'\n');
        }
        let names: HashSet<&[u8]> = resource_entries(sheet, &page)?
            .into_iter()
            .map(|(_, name, _)| name)
            .collect();
        Folio::read(&content, &names)
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

    /// The sheet of page numbers (its index among the PDFs) and its page `folio`.
    pub(super) fn sheet_page(&self, folio: usize) -> Result<(usize, Dict<'a>), PdfError> {
        let f = self
            .folio_doc
            .ok_or(PdfError::Unpackable("no sheet of page numbers"))?;
        let sheet = &self.docs[f];
        let page = *sheet
            .pages
            .get(folio)
            .ok_or(PdfError::Unpackable("fewer page numbers than pages"))?;
        Ok((f, sheet.dict(page)?))
    }

    /// Plans the joined PDF's page `i`, page `page` of PDF `doc`: its resources given
    /// those of its page number, its annotations moved with it.
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
            let before = self
                .rewrites
                .insert((doc, resources), Rewrite::Resources(folio));
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
}

/// A resource of a page: its kind, name and value.
pub(super) type Resource<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// The resources of the page `page` of `doc` (but its `ProcSet`): each kind, name and value.
pub(super) fn resource_entries<'a>(
    doc: &Doc<'a>,
    page: &Dict<'a>,
) -> Result<Vec<Resource<'a>>, PdfError> {
    let mut out = Vec::new();
    if let Some(resources) = page.get("Resources") {
        for (kind, entries) in doc.resolve(resources)?.entries() {
            if *kind != b"ProcSet" {
                for (name, value) in doc.resolve(entries)?.entries() {
                    out.push((*kind, *name, *value));
                }
            }
        }
    }
    Ok(out)
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
