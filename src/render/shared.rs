//! PDFs made to share their fonts: a book joined from its profiles' PDFs.
//!
//! Every PDF of a set (a book's front matter, sections and profiles, or a document's worth
//! of profiles when there is no book) first draws the set's [`GlyphRuns`] (see
//! [`Primer`]), so all of them embed the same font subsets; its page numbers are drawn
//! from a sheet Typst writes the same way. A profile's PDF is then its pages as Typst
//! writes them with the page numbers put over them; the book joins the same PDFs behind its
//! front matter, each font kept once, and numbers its pages (`crate::render::pdf::book`).
//! No page is written twice.

use std::collections::HashMap;

use super::data::{Folio, Side};
use super::kept::{KeptPdfs, PdfBytes};
use super::pdf;
use super::typst::PdfMetadata;
use super::typst::{self, GlyphRuns, Pages, Primer};
use super::{Document, JobError, PdfSettings, Renderer};

/// A page with nothing on it but one letter, clipped to nothing inside an artifact: the
/// place of a [`Primer`]'s glyph runs.
const PRIMER_MARKER: &str = "#set page(width: 10pt, height: 10pt, margin: 0pt)\n\
#pdf.artifact(box(width: 0pt, height: 0pt, clip: true, [x]))\n";

/// What the PDFs of a set share: the primer they draw first, and one sheet of the page
/// numbers of its profiles ("1 / n" to "n / n" for each page count n), which Typst writes
/// once with the same primer.
pub(super) struct PdfSet {
    primer: Primer,
    /// Where each page count's numbers start on the sheet.
    folio_starts: HashMap<usize, usize>,
    /// The sheet as Typst wrote it. (Written when the set is made: written on first need,
    /// a thread waiting for another to write it could be the one rayon gives that work.)
    folio_pdf: Vec<u8>,
}

impl Renderer {
    /// The set of PDFs that show the glyphs of `runs` and the page numbers of profiles of
    /// `page_counts` pages.
    pub(super) fn pdf_set(
        &self,
        mut runs: GlyphRuns,
        page_counts: impl IntoIterator<Item = usize>,
    ) -> Result<PdfSet, JobError> {
        let mut counts: Vec<usize> = page_counts.into_iter().collect();
        counts.sort_unstable();
        counts.dedup();
        let mut folio_starts = HashMap::new();
        let mut folios = Vec::new();
        for n in counts {
            folio_starts.insert(n, folios.len());
            folios.extend((1..=n).map(|i| Folio {
                text: format!("{i} / {n}"),
                side: Side::Center,
            }));
        }
        let folios = self.folio_sheet("/folios", folios)?;
        runs.add_pages(&folios);
        let marker = Document {
            main_path: "/primer.typ".into(),
            main_text: PRIMER_MARKER.into(),
            files: Vec::new(),
        };
        let (marker, _) = self.base.lay_out(&marker).map_err(JobError::Typst)?;
        let primer = Primer::new(&marker, &runs).ok_or_else(|| {
            JobError::Typst(vec![typst::plain_error(
                "the primer's page holds no text".into(),
            )])
        })?;
        let folio_pdf = folios
            .primed(&primer)
            .pdf(&sheet_settings())
            .map_err(JobError::Typst)?;

        Ok(PdfSet {
            primer,
            folio_starts,
            folio_pdf,
        })
    }

    /// `pages` written as Typst writes them, after the set's primer.
    pub(super) fn primed_pdf(
        &self,
        set: &PdfSet,
        pages: &Pages,
        settings: &PdfSettings,
    ) -> Result<Vec<u8>, JobError> {
        pages
            .clone()
            .primed(&set.primer)
            .pdf(settings)
            .map_err(JobError::Typst)
    }

    /// What [`Renderer::primed_pdf`] writes, taken from `kept` when it holds it, else
    /// kept there.
    /// `document` is the key of the document the pages were laid out in (see
    /// `Renderer::batch_key`).
    pub(super) fn kept_pdf(
        &self,
        kept: &KeptPdfs,
        document: &str,
        set: &PdfSet,
        pages: &Pages,
        settings: &PdfSettings,
    ) -> Result<PdfBytes, JobError> {
        if let Some(pdf) = self.kept_pdf_of(kept, document, set, settings) {
            return Ok(pdf);
        }
        let pdf = PdfBytes::from(self.primed_pdf(set, pages, settings)?);
        kept.put(
            &settings.ident,
            &self.kept_key(document, set, settings),
            pdf.clone(),
        );
        Ok(pdf)
    }

    /// What [`Renderer::primed_pdf`] would write of the pages of a document of key
    /// `document`, when `kept` holds it.
    pub(super) fn kept_pdf_of(
        &self,
        kept: &KeptPdfs,
        document: &str,
        set: &PdfSet,
        settings: &PdfSettings,
    ) -> Option<PdfBytes> {
        kept.get(&settings.ident, &self.kept_key(document, set, settings))
    }

    /// The key a PDF is kept under: its document's, its set's primer and its settings.
    fn kept_key(&self, document: &str, set: &PdfSet, settings: &PdfSettings) -> String {
        self.key(&[
            document,
            &settings.ident,
            set.primer.digest(),
            &format!("{settings:?}"),
        ])
    }

    /// A profile's PDF (as [`Renderer::primed_pdf`] wrote it) with its page numbers, "1 /
    /// n" to "n / n", packed.
    pub(super) fn numbered_profile(
        &self,
        set: &PdfSet,
        raw: &[u8],
        pages: usize,
    ) -> Result<Vec<u8>, JobError> {
        let start = *set.folio_starts.get(&pages).ok_or_else(|| {
            JobError::Typst(vec![typst::plain_error(format!(
                "no page numbers laid out for {pages} pages"
            ))])
        })?;
        Ok(pdf::with_folios(raw, &set.folio_pdf, start)?)
    }
}

/// The settings of a sheet of page numbers' PDF, which is never written as it is.
/// (The archival standards ask for a title and a date all the same.)
pub(super) fn sheet_settings() -> PdfSettings {
    PdfSettings {
        ident: "folios".into(),
        date: Some((2000, 1, 1)),
        metadata: Some(PdfMetadata {
            title: "Page numbers".into(),
            author: String::new(),
            keywords: Vec::new(),
        }),
    }
}
