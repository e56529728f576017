//! Laid-out pages: taken apart by part, given their running heads, primed, written as PDF.
//!
//! Several profiles are laid out in one document (a page run each) and each profile's pages
//! are then written as its own PDF, with its running heads (laid out on a sheet of their
//! own) over them and a [`Primer`] (laid out in a document of its own) before them. Typst
//! assigns every element a location from a root that is the same in every document, so
//! pages from two documents could not share one PDF (its tags and links are resolved by
//! location): [`Seeded`] roots each document's locations in a hash of its content, so that
//! pages of different documents never share one.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use typst::diag::SourceResult;
use typst::engine::Engine;
use typst::foundations::{
    Content, Datetime, Label, Output, Selector, Smart, StyleChain, Target, Value,
};
use typst::introspection::{Introspector, Location, Locator};

use typst::ecow::EcoString;
use typst::layout::{Frame, FrameItem, GroupItem, Point};
use typst::model::Document as _;
use typst::syntax::Span;
use typst::text::{Font, FontInstance, Glyph, TextItem};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::super::manifest::hex;
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
            page.frame = layered(&page.frame, overlay);
        }
        self
    }

    /// The pages behind a page of their own holding `primer` (the size of the first, with no
    /// number): the PDF then draws the primer first. Whoever writes the pages leaves that page
    /// out (see `crate::render::pdf`).
    pub fn primed(mut self, primer: &Primer) -> Self {
        if let Some(first) = self.pages.first() {
            let mut page = first.clone();
            let mut frame = Frame::hard(first.frame.size());
            frame.push_multiple(
                primer
                    .items
                    .iter()
                    .map(|item| (Point::zero(), item.clone())),
            );
            page.frame = frame;
            page.numbering = None;
            page.fill = Smart::Custom(None);
            self.pages.insert(0, page);
        }
        self
    }

    /// Writes the pages as one PDF, its small objects packed into compressed object streams
    /// ([`crate::render::pdf::pack`]).
    pub fn export(&self, settings: &PdfSettings) -> Result<Vec<u8>, Vec<TypstDiagnostic>> {
        let pdf = self.pdf(settings)?;
        crate::render::pdf::pack(&pdf).map_err(|e| vec![plain_error(e.to_string())])
    }

    /// Writes the pages as one PDF, as Typst writes it (unpacked): every page dossier
    /// writes, in a profile, a book or a redline, is written here.
    pub fn pdf(&self, settings: &PdfSettings) -> Result<Vec<u8>, Vec<TypstDiagnostic>> {
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
        typst_pdf::pdf(&document, &options).map_err(|errors| {
            errors
                .iter()
                .map(|e| plain_error(e.message.to_string()))
                .collect::<Vec<_>>()
        })
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

/// A new frame the size of `page` holding `page` as one group, then `overlay` over it. The
/// laid-out page is shared, not changed: changing a frame that other pages share would copy
/// every item on it, the text's glyphs included.
fn layered(page: &Frame, overlay: &Frame) -> Frame {
    let mut framed = Frame::hard(page.size());
    framed.push(
        Point::zero(),
        FrameItem::Group(GroupItem::new(page.clone())),
    );
    framed.push_frame(Point::zero(), overlay.clone());
    framed
}

/// The glyphs a set of documents shows: for each font, a run of its glyphs in the order the
/// documents first show them, each glyph with the text it first stands for.
///
/// Typst's PDF writer numbers a font's glyphs in the order a PDF first draws them and takes
/// each glyph's text from its first use: every PDF that first draws the same runs (see
/// [`Primer`]) embeds the same font subsets, byte for byte, so that PDFs can be joined with
/// each font kept once.
#[derive(Default, Clone)]
pub struct GlyphRuns {
    /// One text run per font, in the order the fonts first appear.
    runs: Vec<TextItem>,
    /// Each font's run.
    fonts: HashMap<FontInstance, usize>,
    /// The glyphs already in a run: the run's index and the glyph's id.
    seen: HashSet<(usize, u16)>,
}

impl GlyphRuns {
    /// The runs of `pages`, one after the other.
    pub fn of<'p>(pages: impl IntoIterator<Item = &'p Pages>) -> Self {
        let mut runs = Self::default();
        for pages in pages {
            runs.add_pages(pages);
        }
        runs
    }

    /// Adds the glyphs of `pages` that are not in the runs yet.
    pub fn add_pages(&mut self, pages: &Pages) {
        for page in &pages.pages {
            self.add_frame(&page.frame);
        }
    }

    /// Adds the glyphs of `other` that are not in the runs yet: the same runs as adding
    /// the pages `other` was made of, so the runs of several documents can be made apart
    /// (in parallel) and then put together in order.
    pub fn extend(&mut self, other: &GlyphRuns) {
        for run in &other.runs {
            self.add_text(run);
        }
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

/// What every PDF of a set of documents draws first: their [`GlyphRuns`], each font's
/// glyphs in the order of their ids, inside an artifact clipped to nothing, so that none of
/// it shows or is read out. In id order, a primer is the same for a set that shows the
/// same glyphs, wherever they first show: an edit that brings no new glyph changes no other
/// PDF of the set.
#[derive(Clone)]
pub struct Primer {
    items: Vec<FrameItem>,
    /// The runs drawn, each font's glyphs in the order of their ids.
    runs: Vec<TextItem>,
    /// What the runs are, as text that is the same from one run of dossier to the next;
    /// worked out when first asked for (only a book's kept PDFs need it).
    digest: OnceLock<String>,
}

impl Primer {
    /// The `runs` put in place of the one text item of `marker`'s first page (a page with
    /// nothing on it but that text inside a clipped artifact). `None` when the page holds no
    /// text item.
    pub fn new(marker: &LaidOut, runs: &GlyphRuns) -> Option<Self> {
        let page = marker.0.pages().first()?;
        let runs: Vec<TextItem> = runs.runs.iter().map(by_glyph_id).collect();
        let (frame, replaced) = with_runs(&page.frame, &runs);
        replaced.then(|| Self {
            items: frame.items().map(|(_, item)| item.clone()).collect(),
            runs,
            digest: OnceLock::new(),
        })
    }

    /// What the primer draws, as text that is the same from one run of dossier to the next
    /// for the same runs (Typst's own hashes of fonts and frames are not).
    pub fn digest(&self) -> &str {
        self.digest.get_or_init(|| stable_digest(&self.runs))
    }
}

/// A digest of `runs`: each font's bytes and index, and each run's size, paint, language,
/// glyphs and text. (Each font's bytes are digested once, however many runs it has.)
fn stable_digest(runs: &[TextItem]) -> String {
    use sha2::{Digest, Sha256};
    // A set uses a handful of fonts: each font's digest, in the order first met.
    let mut fonts: Vec<(&Font, [u8; 32])> = Vec::new();
    let mut hasher = Sha256::new();
    for run in runs {
        let run_font: &Font = &run.font;
        let font = match fonts.iter().find(|(font, _)| *font == run_font) {
            Some((_, digest)) => *digest,
            None => {
                let digest: [u8; 32] = Sha256::digest(run_font.data().as_slice()).into();
                fonts.push((run_font, digest));
                digest
            }
        };
        hasher.update(font);
        hasher.update(run.font.index().to_le_bytes());
        hasher.update(format!(
            "{:?} {:?} {:?} {:?}",
            run.size, run.fill, run.lang, run.region
        ));
        for glyph in &run.glyphs {
            hasher.update(format!("{glyph:?}"));
        }
        hasher.update(run.text.as_bytes());
    }
    hex(&hasher.finalize())
}

/// `run` with its glyphs in the order of their ids: a primer then depends on which glyphs
/// its set shows, not on where they first show, so an edit that brings no new glyph leaves
/// every PDF of the set as it was (and its kept copy of use).
fn by_glyph_id(run: &TextItem) -> TextItem {
    let mut glyphs: Vec<(&Glyph, &str)> = run
        .glyphs
        .iter()
        .map(|glyph| (glyph, run.text.get(glyph.range()).unwrap_or_default()))
        .collect();
    glyphs.sort_by_key(|(glyph, _)| glyph.id);
    let mut sorted = TextItem {
        text: EcoString::new(),
        glyphs: Vec::with_capacity(glyphs.len()),
        ..run.clone()
    };
    for (glyph, text) in glyphs {
        let start = sorted.text.len();
        sorted.text.push_str(text);
        let (Ok(start), Ok(end)) = (u16::try_from(start), u16::try_from(sorted.text.len())) else {
            continue;
        };
        sorted.glyphs.push(Glyph {
            range: start..end,
            ..glyph.clone()
        });
    }
    sorted
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
