//! The joined PDF's objects written: the PDFs' own, renumbered and changed where the plan
//! says, and the joined PDF's page tree, structure root, outline root and page stamps.

use rayon::prelude::*;

use super::super::PART_LINK;
use super::super::PdfError;
use super::super::doc::Doc;
use super::super::renumber::Copied;
use super::super::source::find;
use super::super::syntax::{Dict, elements, real, reference, reference_to, stream_data};
use super::folio::{MARKER, PREFIX};
use super::plan::{Plan, Rewrite, resource_entries};
use super::{Layout, Page, Tree, integer, tree_entries};

/// A resource of a page number: its kind, name and value.
type FolioResource = (String, String, Vec<u8>);

/// An object's value in the joined PDF.
pub(super) enum Value<'p> {
    /// As a PDF wrote it, to be changed as it is copied.
    Own(&'p [u8], Copied<'p>),
    /// Written anew, renumbered.
    Written(Vec<u8>),
}

impl<'a> Plan<'_, 'a> {
    /// Every object of the joined PDF: its number and value.
    pub(super) fn write<'p>(
        &'p self,
        layout: &Layout,
        trees: &'p [Tree<'_>],
    ) -> Result<Vec<(u32, Value<'p>)>, PdfError> {
        // Each PDF's objects written on the pool's threads: most of a join's work.
        let written: Vec<Vec<(u32, Value<'p>)>> = self
            .docs
            .par_iter()
            .enumerate()
            .map(|(d, doc)| self.own_objects(d, doc, layout, trees))
            .collect::<Result<_, _>>()?;
        let mut out: Vec<(u32, Value<'p>)> = written.into_iter().flatten().collect();
        let mut new = vec![
            (self.page_tree, self.page_tree_value()),
            (self.struct_root, self.struct_root_value(trees)?),
        ];
        if trees.iter().any(|t| {
            t.outline
                .as_ref()
                .is_some_and(|(_, _, items)| !items.is_empty())
        }) {
            new.push((self.outline_root, self.outline_root_value(trees)));
        }
        for stamp in &self.stamps {
            let state = stamp.state.map(|s| self.states[s].as_slice());
            let (first, last) = stamp_content(stamp.dx, state);
            new.push((stamp.before, stream(&first)));
            new.push((stamp.after, stream(&last)));
        }
        let mut streams: Vec<(usize, u32)> =
            self.folio_streams.iter().map(|(&i, &n)| (i, n)).collect();
        streams.sort_unstable();
        for (i, number) in streams {
            let Page::Copied {
                folio: Some(folio), ..
            } = layout.pages[i]
            else {
                return Err(PdfError::Unpackable(
                    "a page number's stream on a page without",
                ));
            };
            new.push((number, stream(&self.folio(folio)?.draw)));
        }
        new.extend(self.blank_pages(layout)?);
        out.extend(new.into_iter().map(|(n, value)| (n, Value::Written(value))));
        Ok(out)
    }

    /// The objects PDF `d` writes itself: as it wrote them, to be renumbered as they are
    /// packed, or renumbered and changed where the plan says.
    fn own_objects<'p>(
        &'p self,
        d: usize,
        doc: &Doc<'a>,
        layout: &Layout,
        trees: &'p [Tree<'_>],
    ) -> Result<Vec<(u32, Value<'p>)>, PdfError> {
        let prefix = trees.get(d).and_then(|t| t.id_prefix.as_deref());
        let mut out = Vec::new();
        for n in doc.numbers() {
            if !self.owned[d][n as usize] {
                continue;
            }
            let own = doc.value(n)?;
            let rewrite = self.rewrites.get(&(d, n));
            let value = if rewrite.is_none() && !is_destination(own) {
                Value::Own(
                    own,
                    Copied {
                        renumbering: &self.renumberings[d],
                        id_prefix: prefix.filter(|_| is_element_with_ids(own)),
                    },
                )
            } else {
                let text = self.renumberings[d].apply(own)?;
                Value::Written(self.rewritten(rewrite, d, text, layout, trees)?)
            };
            out.push((self.tables[d][n as usize], value));
        }
        Ok(out)
    }

    /// An object of PDF `d`, renumbered as `text`, with what changes in it: `rewrite`, or
    /// (none) the move of the page a destination leads to.
    fn rewritten(
        &self,
        rewrite: Option<&Rewrite>,
        d: usize,
        text: Vec<u8>,
        layout: &Layout,
        trees: &[Tree<'_>],
    ) -> Result<Vec<u8>, PdfError> {
        let Some(rewrite) = rewrite else {
            return self.shifted_destination(text);
        };
        let dict = Dict::read(&text)?;
        Ok(match *rewrite {
            Rewrite::Page(i) => self.page_value(d, &dict, i, layout.pages[i])?,
            Rewrite::Resources(folio) => with_folio(&dict, &self.folio_resources(folio)?)?,
            Rewrite::Annotation { dx, offset } => annotation(&dict, dx, offset, &self.part_pages)?,
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
        })
    }

    /// A page's dictionary (the joined PDF's page `i`): in the joined page tree, its
    /// parent-tree key moved, and its content between the streams that move it and draw its
    /// page number.
    fn page_value(
        &self,
        d: usize,
        dict: &Dict<'_>,
        i: usize,
        page: Page,
    ) -> Result<Vec<u8>, PdfError> {
        let Page::Copied { dx, folio, .. } = page else {
            return Err(PdfError::Unpackable("a blank page copied"));
        };
        let parent = reference_to(self.page_tree);
        let key = dict
            .integer("StructParents")
            .map(|k| (k + self.offsets[d]).to_string().into_bytes());
        let mut contents = None;
        let state = match folio {
            Some(folio) => {
                let state = &self.folio(folio)?.state;
                self.states.iter().position(|s| s == state)
            }
            None => None,
        };
        if dx != 0.0 || state.is_some() {
            let stamp = self
                .stamp(dx, state)
                .ok_or(PdfError::Unpackable("a page's stamp not numbered"))?;
            let own = dict.get("Contents").unwrap_or(b"[]");
            let own = if own.starts_with(b"[") {
                &own[1..own.len() - 1]
            } else {
                own
            };
            let mut value = format!("[{} 0 R ", stamp.before).into_bytes();
            value.extend_from_slice(own);
            value.extend_from_slice(format!(" {} 0 R", stamp.after).as_bytes());
            if let Some(number) = self.folio_streams.get(&i) {
                value.extend_from_slice(format!(" {number} 0 R").as_bytes());
            }
            value.push(b']');
            contents = Some(value);
        }
        let mut resources = None;
        if let Some(folio) = folio
            && let Some(inline) = dict.get("Resources").filter(|r| reference(r).is_none())
        {
            resources = Some(with_folio(
                &Dict::read(inline)?,
                &self.folio_resources(folio)?,
            )?);
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

    /// The resources of the sheet's page `folio` (each kind, name and renumbered value),
    /// its marker's property list among them.
    fn folio_resources(&self, folio: usize) -> Result<Vec<FolioResource>, PdfError> {
        let (f, page) = self.sheet_page(folio)?;
        let mut out = Vec::new();
        if let Some(marker) = &self.folio(folio)?.marker {
            out.push(("Properties".into(), MARKER.into(), marker.clone()));
        }
        for (kind, name, value) in resource_entries(&self.docs[f], &page)? {
            if name == MARKER.as_bytes() {
                return Err(PdfError::Unpackable(
                    "a page number's resource named as its marker",
                ));
            }
            out.push((
                String::from_utf8_lossy(kind).into_owned(),
                String::from_utf8_lossy(name).into_owned(),
                self.renumberings[f].apply(value)?,
            ));
        }
        Ok(out)
    }

    /// A destination object (`[page /XYZ left top zoom]`) moved with its page.
    fn shifted_destination(&self, text: Vec<u8>) -> Result<Vec<u8>, PdfError> {
        if !is_destination(&text) {
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
        let labels = self.page_labels(layout)?;
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

    /// The joined PDF's page labels: the first PDF's, for those of its pages the joined PDF
    /// shows (a range whose first pages are left out starts at its first page shown,
    /// numbered on), then 1, 2, 3... from the layout's numbered page. `None` when there are
    /// none.
    fn page_labels(&self, layout: &Layout) -> Result<Option<Vec<u8>>, PdfError> {
        let head = &self.docs[0];
        let mut ranges: Vec<(usize, Dict<'_>)> = Vec::new();
        if let Some(labels) = head.catalog()?.get("PageLabels") {
            for (key, value) in tree_entries(&head.resolve(labels)?, "Nums")? {
                let key = usize::try_from(integer(key)?)
                    .map_err(|_| PdfError::Unpackable("a negative page label key"))?;
                ranges.push((key, head.resolve(value)?));
            }
        }
        if ranges.is_empty() && layout.numbered_from.is_none() {
            return Ok(None);
        }
        let end = layout.numbered_from.unwrap_or(layout.pages.len());
        let mut nums = b"<</Nums[".to_vec();
        let mut current = None;
        for (i, page) in layout.pages.iter().enumerate().take(end) {
            let Page::Copied { doc: 0, page, .. } = *page else {
                continue;
            };
            let Some(range) = ranges.iter().rposition(|(start, _)| *start <= page) else {
                continue;
            };
            if current == Some(range) {
                continue;
            }
            current = Some(range);
            let (start, label) = &ranges[range];
            let first = label.integer("St").unwrap_or(1) + (page - start) as i64;
            let first = first.to_string().into_bytes();
            nums.extend_from_slice(format!("{i} ").as_bytes());
            let label = label.write(&[("St", Some(&first))]);
            self.renumberings[0].apply_into(&label, &mut nums)?;
            nums.push(b' ');
        }
        if let Some(from) = layout.numbered_from {
            nums.extend_from_slice(format!("{from} <</S/D>>").as_bytes());
        }
        nums.extend_from_slice(b"]>>");
        Ok(Some(nums))
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

/// The content drawn before a page's own (`q`, and the move) and after it (`Q`, then, when
/// a page number follows, the move again and the `state` it is drawn in: nothing is drawn
/// after the number, so nothing needs restoring).
fn stamp_content(dx: f32, state: Option<&[u8]>) -> (Vec<u8>, Vec<u8>) {
    let moved = if dx == 0.0 {
        String::new()
    } else {
        format!("1 0 0 1 {} 0 cm ", real(f64::from(dx), 4))
    };
    let mut after = b"Q\n".to_vec();
    if let Some(state) = state {
        after.extend_from_slice(moved.as_bytes());
        after.extend_from_slice(state);
        after.push(b'\n');
    }
    (format!("q {moved}\n").into_bytes(), after)
}

/// An uncompressed stream of `content`.
fn stream(content: &[u8]) -> Vec<u8> {
    let mut value = format!("<</Length {}>>\nstream\n", content.len()).into_bytes();
    value.extend_from_slice(content);
    value.extend_from_slice(b"\nendstream");
    value
}

/// A page's resources with `added` (kind, name and value: a page number's, its names
/// given [`PREFIX`]) among them.
fn with_folio(resources: &Dict<'_>, added: &[FolioResource]) -> Result<Vec<u8>, PdfError> {
    let mut kinds: Vec<(&str, Vec<u8>)> = Vec::new();
    for (kind, _, _) in added {
        if kinds.iter().any(|(k, _)| k == kind) {
            continue;
        }
        let names: Vec<(String, &[u8])> = added
            .iter()
            .filter(|(k, _, _)| k == kind)
            .map(|(_, name, value)| (format!("{PREFIX}{name}"), value.as_slice()))
            .collect();
        let changes: Vec<(&str, Option<&[u8]>)> = names
            .iter()
            .map(|(name, value)| (name.as_str(), Some(*value)))
            .collect();
        let merged = match resources.get(kind) {
            Some(entries) if reference(entries).is_some() => {
                return Err(PdfError::Unpackable(
                    "resources listed in an object of their own",
                ));
            }
            Some(entries) => {
                let entries = Dict::read(entries)?;
                if names.iter().any(|(name, _)| entries.get(name).is_some()) {
                    return Err(PdfError::Unpackable(
                        "a page's resource named as a page number's",
                    ));
                }
                entries.write(&changes)
            }
            None => Dict::read(b"<<>>")?.write(&changes),
        };
        kinds.push((kind.as_str(), merged));
    }
    let changes: Vec<(&str, Option<&[u8]>)> = kinds
        .iter()
        .map(|(kind, value)| (*kind, Some(value.as_slice())))
        .collect();
    Ok(resources.write(&changes))
}

/// An annotation moved `dx` with its page, its parent-tree key moved by `offset`.
fn annotation(
    dict: &Dict<'_>,
    dx: f32,
    offset: i64,
    part_pages: &[u32],
) -> Result<Vec<u8>, PdfError> {
    let key = dict
        .integer("StructParent")
        .map(|k| (k + offset).to_string().into_bytes());
    let part_page = match dict.get("A").filter(|action| action.starts_with(b"<<")) {
        Some(action) => part_page(&Dict::read(action)?, part_pages)?,
        None => None,
    };
    let destination = part_page.map(|page| format!("[{page} 0 R/Fit]").into_bytes());
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
    if let Some(destination) = &destination {
        changes.push(("A", None));
        changes.push(("Dest", Some(destination)));
    }
    Ok(dict.write(&changes))
}

/// The page a link's `action` leads to when it is a link to a part (see
/// [`super::super::part_link`]): the first page of the part, from `part_pages`.
fn part_page(action: &Dict<'_>, part_pages: &[u32]) -> Result<Option<u32>, PdfError> {
    let Some(uri) = action.get("URI").and_then(|uri| uri.strip_prefix(b"(")) else {
        return Ok(None);
    };
    let Some(part) = uri.strip_prefix(PART_LINK.as_bytes()) else {
        return Ok(None);
    };
    std::str::from_utf8(part.strip_suffix(b")").unwrap_or(part))
        .ok()
        .and_then(|part| part.parse::<usize>().ok())
        .and_then(|part| part_pages.get(part).copied())
        .map(Some)
        .ok_or(PdfError::Unpackable(
            "a link to a part the PDF does not join",
        ))
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
            Some(x) if moved(i) => out.extend_from_slice(real(x + f64::from(dx), 4).as_bytes()),
            _ => out.extend_from_slice(part),
        }
    }
    out.push(b']');
    out
}

/// The metadata stream `text` with its page count set to `pages`.
fn with_page_count(text: &[u8], dict: &Dict<'_>, pages: usize) -> Result<Vec<u8>, PdfError> {
    const OPEN: &[u8] = b"<xmpTPg:NPages>";
    const CLOSE: &[u8] = b"</xmpTPg:NPages>";
    let data = stream_data(text, dict)?;
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

/// Whether `text` is an explicit destination that places its page's top left (`/XYZ`),
/// which moves with the page.
fn is_destination(text: &[u8]) -> bool {
    text.starts_with(b"[") && find(&text[..text.len().min(40)], b"/XYZ").is_some()
}

/// Whether `text` is a structure element with ids of its own or of its headers, which a
/// joined PDF's later PDFs give a prefix.
fn is_element_with_ids(text: &[u8]) -> bool {
    find(text, b"/StructElem").is_some()
        && (find(text, b"/ID").is_some() || find(text, b"/Headers").is_some())
}

/// The literal string `string` with `prefix` put before its text.
fn prefixed_string(string: &[u8], prefix: &[u8]) -> Vec<u8> {
    match string.strip_prefix(b"(") {
        Some(rest) => [&b"("[..], prefix, rest].concat(),
        None => string.to_vec(),
    }
}
