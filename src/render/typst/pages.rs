//! Laid-out pages: taken apart by part, numbered, put together into a book, written as PDF.
//!
//! Several profiles are laid out in one document (a page run each) and each profile's pages
//! are then written as its own PDF; a book is the same pages again, put behind its front
//! matter. Typst assigns every element a location from a root that is the same in every
//! document, so pages from two documents could not share one PDF (its tags and links are
//! resolved by location): [`Seeded`] roots each document's locations in a hash of its
//! content, so that pages of different documents never share one.

use typst::diag::SourceResult;
use typst::engine::Engine;
use typst::foundations::{
    Content, Datetime, Label, Output, Selector, Smart, StyleChain, Target, Value,
};
use typst::introspection::{Introspector, Location, Locator};
use std::collections::{HashMap, HashSet};

use typst::ecow::EcoString;
use typst::layout::{Abs, Frame, FrameItem, GroupItem, Point};
use typst::syntax::Span;
use typst::text::{FontInstance, Glyph, TextItem};
use typst::model::{Document as _, Numbering};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::{PdfSettings, TypstDiagnostic, plain_error, typst_version};

/// The standards every PDF dossier writes conforms to (tagged, archival and accessible).
const STANDARDS: &[PdfStandard] = &[PdfStandard::A_2a, PdfStandard::Ua_1];

/// The label of the metadata that opens each part of a document (its value: the part's id).
const PART_LABEL: &str = "dossier-part";

/// A paged document whose element locations are rooted in a hash of its content.
pub(super) struct Seeded(pub(super) PagedDocument);

impl Output for Seeded {
    fn target() -> Target {
        Target::Paged
    }

    fn create(
        engine: &mut Engine<'_>,
        content: &Content,
        styles: StyleChain<'_>,
    ) -> SourceResult<Self> {
        let seed = Location::new(typst::utils::hash128(content));
        typst_layout::layout_document_for_bundle(engine, content, Locator::synthesize(seed), styles)
            .map(Seeded)
    }

    fn introspector(&self) -> &dyn Introspector {
        self.0.introspector().as_ref()
    }
}

/// A laid-out document.
pub struct LaidOut(pub(super) PagedDocument);

impl LaidOut {
    /// All its pages.
    pub fn pages(&self) -> Pages {
        Pages {
            pages: self.0.pages().to_vec(),
            info: self.0.info().clone(),
        }
    }

    /// Its parts: each `[#metadata("ID")<dossier-part>]` starts one, up to the next part's
    /// first page. Returns each part's id and pages, in document order.
    pub fn parts(&self) -> Vec<(String, Pages)> {
        let introspector = self.0.introspector();
        let Some(label) = Label::new(PicoStr::intern(PART_LABEL)) else {
            return Vec::new();
        };
        let starts: Vec<(String, usize)> = introspector
            .query(&Selector::Label(label))
            .iter()
            .filter_map(|marker| {
                let id = match marker.get_by_name("value").ok()? {
                    Value::Str(id) => id.to_string(),
                    _ => return None,
                };
                let page = introspector.page(marker.location()?)?;
                Some((id, page.get() - 1))
            })
            .collect();
        let all = self.0.pages();
        starts
            .iter()
            .enumerate()
            .map(|(i, (id, first))| {
                let end = starts.get(i + 1).map_or(all.len(), |(_, next)| *next);
                let pages = Pages {
                    pages: all[*first..end.max(*first)].to_vec(),
                    info: self.0.info().clone(),
                };
                (id.clone(), pages)
            })
            .collect()
    }

    /// The pages of a sheet of page numbers or running heads, each to be laid over a page
    /// (one page per folio or head, with nothing else on it).
    pub fn overlays(&self) -> Overlays {
        Overlays(
            self.0
                .pages()
                .iter()
                .map(|page| page.frame.clone())
                .collect(),
        )
    }
}

/// Page numbers or running heads laid out on their own, one per page of a sheet.
#[derive(Clone)]
pub struct Overlays(Vec<Frame>);

/// Laid-out pages (cheap to clone: frames are shared) and the document details they came
/// with.
#[derive(Clone)]
pub struct Pages {
    pages: Vec<Page>,
    info: typst::model::DocumentInfo,
}

impl Pages {
    /// How many pages.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether there are no pages.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The pages with the overlays of `overlays` from the `start`-th on laid over the pages
    /// from the `first`-th on, one each.
    pub fn overlaid(mut self, first: usize, overlays: &Overlays, start: usize) -> Self {
        let pages = self.pages.iter_mut().skip(first);
        for (page, overlay) in pages.zip(overlays.0.iter().skip(start)) {
            page.frame = layered(Vec::new(), &page.frame, Point::zero(), Some(overlay));
        }
        self
    }

    /// The pages with `primer` drawn first, at the start of the first page.
    pub fn primed(mut self, primer: &Primer) -> Self {
        if let Some(first) = self.pages.first_mut() {
            first.frame = layered(primer.0.clone(), &first.frame, Point::zero(), None);
        }
        self
    }

    /// Writes the pages as one PDF, its small objects packed into compressed object streams
    /// ([`crate::render::pdf::pack`]): every PDF dossier writes, a profile, a book or a
    /// redline, is written here.
    pub fn export(&self, settings: &PdfSettings) -> Result<Vec<u8>, Vec<TypstDiagnostic>> {
        let document = PagedDocument::new(
            self.pages.iter().cloned().collect(),
            self.info_with(settings),
        );
        let timestamp = settings
            .date
            .and_then(|(y, m, d)| Datetime::from_ymd_hms(y, m, d, 0, 0, 0))
            .map(Timestamp::new_utc);
        let standards =
            PdfStandards::new(STANDARDS).map_err(|e| vec![plain_error(e.message().to_string())])?;
        let options = PdfOptions {
            ident: Smart::Custom(settings.ident.clone()),
            creator: Smart::Custom(Some(format!(
                "dossier {} (Typst {})",
                env!("CARGO_PKG_VERSION"),
                typst_version()
            ))),
            timestamp,
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
            errors
                .iter()
                .map(|e| plain_error(e.message.to_string()))
                .collect::<Vec<_>>()
        })?;
        crate::render::pdf::pack(&pdf).map_err(|e| vec![plain_error(e.to_string())])
    }

    /// The document details of the PDF: the pages' own, with `settings`' metadata and date.
    fn info_with(&self, settings: &PdfSettings) -> typst::model::DocumentInfo {
        let mut info = self.info.clone();
        if let Some(metadata) = &settings.metadata {
            info.title = Some(metadata.title.as_str().into());
            info.author = vec![metadata.author.as_str().into()];
            info.keywords = metadata
                .keywords
                .iter()
                .map(|k| k.as_str().into())
                .collect();
        }
        if let Some(date) = settings
            .date
            .and_then(|(y, m, d)| Datetime::from_ymd(y, m, d))
        {
            info.date = Smart::Custom(Some(date));
        }
        info
    }
}

/// The pages of an edition's book, put together from laid-out pages.
pub struct BookPages {
    pages: Vec<Page>,
    info: typst::model::DocumentInfo,
    /// Pages of the book's body so far (after the front matter).
    body: usize,
}

impl BookPages {
    /// Starts a book with its front matter, whose last `placeholders` pages stand for the
    /// parts (one each, their links' targets): those pages are held back, and each one's
    /// tags go onto its part's first page, so the contents' links lead there.
    pub fn new(front: &LaidOut, placeholders: usize) -> (Self, Vec<Vec<FrameItem>>) {
        let all = front.0.pages();
        let keep = all.len().saturating_sub(placeholders);
        let tags = all[keep..]
            .iter()
            .map(|page| {
                page.frame
                    .items()
                    .filter(|(_, item)| matches!(item, FrameItem::Tag(_)))
                    .map(|(_, item)| item.clone())
                    .collect()
            })
            .collect();
        let book = Self {
            pages: all[..keep].to_vec(),
            info: front.0.info().clone(),
            body: 0,
        };
        (book, tags)
    }

    /// Puts a part's pages in, numbered on from the last, the placeholder's `tags` on its
    /// first page; then a blank page when that leaves the next part on a left-hand page.
    pub fn add_part(&mut self, part: &Pages, tags: Vec<FrameItem>) {
        let numbering = "1".parse().ok().map(Numbering::Pattern);
        for (i, page) in part.pages.iter().enumerate() {
            let mut page = page.clone();
            if i == 0 {
                page.frame = layered(tags.clone(), &page.frame, Point::zero(), None);
            }
            self.body += 1;
            page.numbering = numbering.clone();
            page.number = self.body as u64;
            self.pages.push(page);
        }
        if part.pages.len() % 2 == 1
            && let Some(last) = part.pages.last()
        {
            let mut blank = last.clone();
            blank.frame = Frame::hard(last.frame.size());
            self.body += 1;
            blank.number = self.body as u64;
            blank.numbering = numbering;
            self.pages.push(blank);
        }
    }

    /// The finished book: `folios` laid over the body's numbered pages (one folio per page
    /// that shows one, in order), and every page moved `binding` points towards the spine.
    pub fn finish(self, folios: &Overlays, binding: f64) -> Pages {
        let front = self.pages.len() - self.body;
        let mut folios = folios.0.iter();
        let mut pages = self.pages;
        for (i, page) in pages.iter_mut().enumerate() {
            if page.frame.is_empty() {
                continue;
            }
            let folio = if i >= front { folios.next() } else { None };
            let towards_spine = if i % 2 == 0 { binding } else { -binding };
            let at = Point::with_x(Abs::pt(towards_spine));
            page.frame = layered(Vec::new(), &page.frame, at, folio);
        }
        Pages {
            pages,
            info: self.info,
        }
    }
}

/// A new frame the size of `page` holding `first` (tags), then `page` as one group at `at`,
/// then `overlay` at `at` over it. The laid-out page is shared, not changed: changing a frame
/// that other pages share (a profile's page in its own PDF and in the book) would copy every
/// item on it, the text's glyphs included.
fn layered(first: Vec<FrameItem>, page: &Frame, at: Point, overlay: Option<&Frame>) -> Frame {
    let mut framed = Frame::hard(page.size());
    framed.push_multiple(first.into_iter().map(|item| (Point::zero(), item)));
    framed.push(at, FrameItem::Group(GroupItem::new(page.clone())));
    if let Some(overlay) = overlay {
        framed.push_frame(at, overlay.clone());
    }
    framed
}

/// The glyphs a set of documents shows: for each font, a run of its glyphs in the order the
/// documents first show them, each glyph with the text it first stands for.
///
/// Typst's PDF writer numbers a font's glyphs in the order a PDF first draws them and takes
/// each glyph's text from its first use: every PDF that first draws the same runs (see
/// [`Primer`]) embeds the same font subsets, byte for byte, so that PDFs can be joined with
/// each font kept once.
#[derive(Default)]
pub struct GlyphRuns {
    /// One text run per font, in the order the fonts first appear.
    runs: Vec<TextItem>,
    /// Each font's run.
    fonts: HashMap<FontInstance, usize>,
    /// The glyphs already in a run: the run's index and the glyph's id.
    seen: HashSet<(usize, u16)>,
}

impl GlyphRuns {
    /// Adds the glyphs of `pages` that are not in the runs yet.
    pub fn add_pages(&mut self, pages: &Pages) {
        for page in &pages.pages {
            self.add_frame(&page.frame);
        }
    }

    /// Adds the glyphs of `overlays` that are not in the runs yet.
    pub fn add_overlays(&mut self, overlays: &Overlays) {
        for frame in &overlays.0 {
            self.add_frame(frame);
        }
    }

    /// How many glyphs the runs hold, every font's together.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether the runs hold no glyph.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    fn add_frame(&mut self, frame: &Frame) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => self.add_frame(&group.frame),
                FrameItem::Text(text) => self.add_text(text),
                _ => {}
            }
        }
    }

    fn add_text(&mut self, item: &TextItem) {
        let run = match self.fonts.get(&item.font) {
            Some(&run) => run,
            None => {
                self.runs.push(TextItem {
                    font: item.font.clone(),
                    size: item.size,
                    fill: item.fill.clone(),
                    stroke: None,
                    lang: item.lang,
                    region: item.region,
                    text: EcoString::new(),
                    glyphs: Vec::new(),
                });
                self.fonts.insert(item.font.clone(), self.runs.len() - 1);
                self.runs.len() - 1
            }
        };
        for glyph in &item.glyphs {
            let text = item.text.get(glyph.range()).unwrap_or_default();
            let start = self.runs[run].text.len();
            let Ok(end) = u16::try_from(start + text.len()) else {
                continue;
            };
            if !self.seen.insert((run, glyph.id)) {
                continue;
            }
            let run = &mut self.runs[run];
            run.text.push_str(text);
            run.glyphs.push(Glyph {
                range: start as u16..end,
                span: (Span::detached(), 0),
                ..glyph.clone()
            });
        }
    }
}

/// What every PDF of a set of documents draws first: their [`GlyphRuns`], inside an
/// artifact clipped to nothing, so that none of it shows or is read out.
#[derive(Clone)]
pub struct Primer(Vec<FrameItem>);

impl Primer {
    /// The `runs` put in place of the one text item of `marker`'s first page (a page with
    /// nothing on it but that text inside a clipped artifact). `None` when the page holds no
    /// text item.
    pub fn new(marker: &LaidOut, runs: &GlyphRuns) -> Option<Self> {
        let page = marker.0.pages().first()?;
        let (frame, replaced) = with_runs(&page.frame, &runs.runs);
        replaced.then(|| Self(frame.items().map(|(_, item)| item.clone()).collect()))
    }
}

/// `frame` with its first text item replaced by `runs` (all at its position), and whether
/// it held one.
fn with_runs(frame: &Frame, runs: &[TextItem]) -> (Frame, bool) {
    let mut out = Frame::new(frame.size(), frame.kind());
    let mut replaced = false;
    for (at, item) in frame.items() {
        match item {
            FrameItem::Text(_) if !replaced => {
                replaced = true;
                out.push_multiple(runs.iter().map(|run| (*at, FrameItem::Text(run.clone()))));
            }
            FrameItem::Group(group) if !replaced => {
                let (inner, found) = with_runs(&group.frame, runs);
                replaced = found;
                let mut group = group.clone();
                group.frame = inner;
                out.push(*at, FrameItem::Group(group));
            }
            _ => out.push(*at, item.clone()),
        }
    }
    (out, replaced)
}
