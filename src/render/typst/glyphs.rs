//! The glyphs a set of PDFs shows, and the primer that makes them embed the same font
//! subsets.
//!
//! Typst's PDF writer numbers a font's glyphs in the order a PDF first draws them and takes
//! each glyph's text from its first use. Every PDF of a set first draws the same
//! [`Primer`], made of the set's [`GlyphRuns`], so all of them embed the same font subsets,
//! byte for byte, and can be joined with each font kept once. A profile's runs can be kept
//! from one render to the next as plain data ([`KeptRuns`]): a book can then be primed for
//! profiles that are not laid out again.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use typst::ecow::EcoString;
use typst::layout::{Abs, Em, Frame, FrameItem};
use typst::syntax::Span;
use typst::text::{Font, FontInstance, FontVariant, FontVariations, Glyph, TextItem};

use super::super::manifest::hex;
use super::{Base, LaidOut, Pages};

/// The glyphs a set of documents shows: for each font, its glyphs in the order the
/// documents first show them, each with the text it first stands for.
#[derive(Default, Clone)]
pub struct GlyphRuns {
    /// One run per font, in the order the fonts first appear.
    runs: Vec<FontGlyphs>,
    /// Each font's run.
    fonts: HashMap<FontInstance, usize>,
    /// The glyphs already in a run: the run's index and the glyph's id.
    seen: HashSet<(usize, u16)>,
}

/// One font's glyphs in a [`GlyphRuns`].
#[derive(Clone)]
struct FontGlyphs {
    font: FontInstance,
    /// Each glyph's id and the text it first stands for.
    glyphs: Vec<(u16, EcoString)>,
}

/// [`GlyphRuns`] as plain data that outlives a render: each font by its place among the
/// fonts of the [`Base`] (which the keys of whatever keeps them cover), with its glyphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptRuns(Vec<(usize, Vec<(u16, String)>)>);

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
            let index = self.run_of(&run.font);
            for (id, text) in &run.glyphs {
                self.add_glyph(index, *id, text);
            }
        }
    }

    /// The runs as plain data, or `None` when one of their fonts is not one of `base`'s
    /// as it is (a variable font's instance).
    pub fn kept(&self, base: &Base) -> Option<KeptRuns> {
        let runs = self.runs.iter().map(|run| {
            if !run.font.variations().0.is_empty() {
                return None;
            }
            let place = base.fonts.iter().position(|font| font == run.font.font())?;
            let glyphs = run.glyphs.iter().map(|(id, text)| (*id, text.to_string()));
            Some((place, glyphs.collect()))
        });
        runs.collect::<Option<Vec<_>>>().map(KeptRuns)
    }

    /// The runs `kept` holds, with `base`'s fonts; `None` when a font is not there.
    pub fn from_kept(kept: &KeptRuns, base: &Base) -> Option<Self> {
        let mut runs = Self::default();
        for (place, glyphs) in &kept.0 {
            let font: Font = base.fonts.get(*place)?.clone();
            let instance = font.instantiate(
                FontVariant::default(),
                Abs::pt(10.0),
                &FontVariations::default(),
            );
            if !instance.variations().0.is_empty() {
                return None;
            }
            let index = runs.run_of(&instance);
            for (id, text) in glyphs {
                runs.add_glyph(index, *id, text);
            }
        }
        Some(runs)
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
        let index = self.run_of(&item.font);
        for glyph in &item.glyphs {
            let text = item.text.get(glyph.range()).unwrap_or_default();
            self.add_glyph(index, glyph.id, text);
        }
    }

    /// The index of `font`'s run, a new one when it has none yet.
    fn run_of(&mut self, font: &FontInstance) -> usize {
        if let Some(&index) = self.fonts.get(font) {
            return index;
        }
        self.runs.push(FontGlyphs {
            font: font.clone(),
            glyphs: Vec::new(),
        });
        self.fonts.insert(font.clone(), self.runs.len() - 1);
        self.runs.len() - 1
    }

    fn add_glyph(&mut self, run: usize, id: u16, text: &str) {
        if self.seen.insert((run, id)) {
            self.runs[run].glyphs.push((id, text.into()));
        }
    }
}

/// What every PDF of a set of documents draws first: their [`GlyphRuns`], each font's
/// glyphs in the order of their ids, as the text of a marker page (its size, paint and
/// language) inside an artifact clipped to nothing, so that none of it shows or is read
/// out. In id order, a primer is the same for a set that shows the same glyphs, wherever
/// they first show: an edit that brings no new glyph changes no other PDF of the set.
#[derive(Clone)]
pub struct Primer {
    pub(super) items: Vec<FrameItem>,
    /// The runs drawn, each font's glyphs in the order of their ids.
    runs: Vec<TextItem>,
    /// What the runs are, as text that is the same from one run of dossier to the next;
    /// worked out when first asked for (only a book's kept PDFs need it).
    digest: OnceLock<String>,
}

impl Primer {
    /// The `runs` put in place of the one text item of `marker`'s first page (a page with
    /// nothing on it but that text inside a clipped artifact), drawn as it is. `None` when
    /// the page holds no text item.
    pub fn new(marker: &LaidOut, runs: &GlyphRuns) -> Option<Self> {
        let page = marker.0.pages().first()?;
        let look = first_text(&page.frame)?;
        let runs: Vec<TextItem> = runs.runs.iter().map(|run| by_glyph_id(run, look)).collect();
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
            "{:?} {:?} {:?} {:?} {:?}",
            run.font.variations(),
            run.size,
            run.fill,
            run.lang,
            run.region
        ));
        for glyph in &run.glyphs {
            hasher.update(format!("{glyph:?}"));
        }
        hasher.update(run.text.as_bytes());
    }
    hex(&hasher.finalize())
}

/// The first text item of `frame`, in the order it draws them.
fn first_text(frame: &Frame) -> Option<&TextItem> {
    frame.items().find_map(|(_, item)| match item {
        FrameItem::Text(text) => Some(text),
        FrameItem::Group(group) => first_text(&group.frame),
        _ => None,
    })
}

/// `run` as a text item drawn as `look` is, its glyphs in the order of their ids, each at
/// the font's own advance: the item depends on which glyphs its set shows and what each
/// first stands for, not on where or how they first show, so an edit that brings no new
/// glyph leaves every PDF of the set as it was (and its kept copy of use). A glyph whose
/// text would not fit the item's 64 KiB of text is left out.
fn by_glyph_id(run: &FontGlyphs, look: &TextItem) -> TextItem {
    let mut glyphs: Vec<&(u16, EcoString)> = run.glyphs.iter().collect();
    glyphs.sort_by_key(|(id, _)| *id);
    let mut sorted = TextItem {
        font: run.font.clone(),
        size: look.size,
        fill: look.fill.clone(),
        stroke: None,
        lang: look.lang,
        region: look.region,
        text: EcoString::new(),
        glyphs: Vec::with_capacity(glyphs.len()),
    };
    for (id, text) in glyphs {
        let start = sorted.text.len();
        let (Ok(start), Ok(end)) = (u16::try_from(start), u16::try_from(start + text.len())) else {
            continue;
        };
        sorted.text.push_str(text);
        sorted.glyphs.push(Glyph {
            id: *id,
            x_advance: run.font.x_advance(*id).unwrap_or(Em::zero()),
            x_offset: Em::zero(),
            y_advance: Em::zero(),
            y_offset: Em::zero(),
            range: start..end,
            span: (Span::detached(), 0),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::typst::tests::{base, laid_out};

    #[test]
    fn runs_kept_as_data_come_back_as_they_were() {
        let base = base();
        let pages = laid_out(&base, "Ünïcode — “quoted” *bold* _italic_ `raw` 2012–2013").pages();
        let runs = GlyphRuns::of([&pages]);
        let kept = runs.kept(&base).expect("the bundled fonts are the base's");
        assert!(kept.0.len() >= 3, "several fonts: {kept:?}");
        let back = GlyphRuns::from_kept(&kept, &base).expect("the same fonts");
        assert_eq!(back.kept(&base), Some(kept.clone()));
        let marker = laid_out(&base, "x");
        let (primer, again) = (
            Primer::new(&marker, &runs).expect("a marker"),
            Primer::new(&marker, &back).expect("a marker"),
        );
        assert_eq!(primer.digest(), again.digest());

        let mut extended = GlyphRuns::default();
        extended.extend(&back);
        assert_eq!(extended.kept(&base), Some(kept.clone()));
        let elsewhere = KeptRuns(vec![(base.fonts.len(), vec![(1, "a".into())])]);
        assert!(
            GlyphRuns::from_kept(&elsewhere, &base).is_none(),
            "no such font"
        );
    }

    #[test]
    fn a_primer_depends_on_which_glyphs_show_not_on_their_order() {
        let base = base();
        let marker = laid_out(&base, "x");
        let primer = |text: &str| {
            let pages = laid_out(&base, text).pages();
            Primer::new(&marker, &GlyphRuns::of([&pages]))
                .expect("a marker")
                .digest()
                .to_owned()
        };
        assert_eq!(primer("abc cab"), primer("cba bca"));
        assert_ne!(primer("abc"), primer("abd"));
    }
}
