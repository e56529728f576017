//! Laid-out pages: taken apart by part, given their running heads, primed, written as PDF.
//!
//! Several profiles are laid out in one document (a page run each) and each profile's pages
//! are then written as its own PDF, with its running heads (laid out on a sheet of their
//! own) over them and a [`Primer`] (laid out in a document of its own) before them. Typst
//! assigns every element a location from a root that is the same in every document, so
//! pages from two documents could not share one PDF (its tags and links are resolved by
//! location): [`Seeded`] roots each document's locations in a hash of its content, so that
//! pages of different documents never share one.

use typst::diag::SourceResult;
use typst::engine::Engine;
use typst::foundations::{
    Content, Datetime, Label, Output, Selector, Smart, StyleChain, Target, Value,
};
use typst::introspection::{Introspector, Location, Locator};

use typst::layout::{Frame, FrameItem, GroupItem, Point};
use typst::model::Document as _;
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::glyphs::Primer;
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
    pub(super) pages: Vec<Page>,
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
