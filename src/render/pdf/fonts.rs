//! One font subset per font in a book.
//!
//! Each compiled profile embeds its own subset of every font it uses, its glyphs numbered in
//! the order the profile first used them, so a book of 200 profiles would carry 200 subsets
//! of the same font. Here the documents of a book are surveyed ([`Survey::read`]), one subset
//! per font is cut from the original font with every glyph any of them uses
//! ([`SharedFonts::unite`]), the glyph numbers in their page contents are rewritten to it
//! ([`SharedFonts::renumber`]), and the book's font resources point at it
//! ([`BookFonts::install`]).
//!
//! The original glyph behind each glyph of a subset is found by its outline program: a subset
//! of a CFF font carries each glyph's charstring with its subroutines inlined, exactly as
//! cutting the whole font the same way gives it. A font that cannot be matched this way
//! (another outline format, a font the renderer does not have) keeps its subsets.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::sync::OnceLock;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream};
use rayon::prelude::*;
use read_fonts::FontRef;
use read_fonts::ps::cff::CffFontRef;
use read_fonts::types::Tag;
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::PdfError;
use super::content::{ContentError, TextState, recode_shown_text};

/// Why a document's text could not be moved to shared font subsets.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// A content stream could not be decompressed.
    #[error("cannot decompress a content stream: {0}")]
    Decode(#[source] lopdf::Error),
    /// The text a content stream shows could not be rewritten.
    #[error(transparent)]
    Content(#[from] ContentError),
}

/// Glyphs a CID font of a PDF can have (two-byte codes).
const MAX_GLYPHS: usize = 1 << 16;

/// The fonts documents are laid out with, by PostScript name: what shared subsets are cut
/// from.
pub struct FontPrograms<'a> {
    by_name: HashMap<String, Program<'a>>,
}

/// One original font.
struct Program<'a> {
    data: &'a [u8],
    index: u32,
    /// Each glyph's charstring as a subset carries it, to the glyph's id (computed once).
    glyphs: OnceLock<Option<HashMap<Vec<u8>, u16>>>,
}

impl<'a> FontPrograms<'a> {
    /// The CFF-outlined fonts among `fonts` (font file bytes and index in a collection).
    pub fn new(fonts: impl IntoIterator<Item = (&'a [u8], u32)>) -> Self {
        let mut by_name = HashMap::new();
        for (data, index) in fonts {
            let Some(name) = font_cff(data, index).and_then(cff_name) else {
                continue;
            };
            by_name.entry(name).or_insert(Program {
                data,
                index,
                glyphs: OnceLock::new(),
            });
        }
        Self { by_name }
    }
}

impl Program<'_> {
    /// Charstring to glyph id, for every glyph of the font.
    fn glyphs(&self) -> Option<&HashMap<Vec<u8>, u16>> {
        self.glyphs
            .get_or_init(|| {
                let count = CffFontRef::new(font_cff(self.data, self.index)?, 0, None)
                    .ok()?
                    .num_glyphs();
                let count = u16::try_from(count).ok()?;
                let all: Vec<u16> = (0..count).collect();
                let whole = cut(self.data, self.index, &all)?;
                let font = CffFontRef::new(&whole, 0, None).ok()?;
                let mut glyphs = HashMap::with_capacity(all.len());
                for gid in all {
                    let charstring = font.charstrings().get(usize::from(gid)).ok()?;
                    glyphs.entry(charstring.to_vec()).or_insert(gid);
                }
                Some(glyphs)
            })
            .as_ref()
    }
}

/// The CFF table of a font file.
fn font_cff(data: &[u8], index: u32) -> Option<&[u8]> {
    let font = FontRef::from_index(data, index).ok()?;
    font.table_data(Tag::new(b"CFF ")).map(|d| d.as_bytes())
}

/// The PostScript name a CFF program carries.
fn cff_name(cff: &[u8]) -> Option<String> {
    CffFontRef::new(cff, 0, None)
        .ok()?
        .metadata()?
        .name()
        .map(str::to_string)
}

/// The bare CFF program of a subset of `gids` (sorted) of a font: glyph `i` of the subset
/// is `gids[i]`.
fn cut(data: &[u8], index: u32, gids: &[u16]) -> Option<Vec<u8>> {
    let subset =
        subsetter::subset(data, index, &GlyphRemapper::new_from_glyphs_sorted(gids)).ok()?;
    font_cff(&subset, 0).map(<[u8]>::to_vec)
}

/// The font subsets a document embeds, matched to their original fonts.
struct Survey(Vec<Subset>);

/// One embedded subset (a Type0 font with Identity-H encoding over a CFF CID font).
struct Subset {
    /// The Type0 font dictionary.
    font: ObjectId,
    /// The original font's PostScript name.
    name: String,
    /// The original glyph of each code.
    gids: Vec<u16>,
    /// The width of each code (PDF glyph space), when given.
    widths: Vec<Option<f32>>,
    /// The text of each code (UTF-16BE), from its ToUnicode map.
    texts: HashMap<u16, Vec<u8>>,
    /// The font bounding box of the subset.
    bbox: [f32; 4],
    /// Its dictionaries (Type0, CID font, descriptor), as the shared font's models.
    models: [Dictionary; 3],
}

impl Survey {
    /// Finds the document's subsets of fonts in `programs`.
    fn read(pdf: &Pdf, programs: &FontPrograms<'_>) -> Self {
        let mut subsets: Vec<Subset> = pdf
            .objects
            .iter()
            .filter_map(|(&id, object)| read_subset(pdf, id, object.as_dict().ok()?, programs))
            .collect();
        subsets.sort_by_key(|s| s.font);
        Self(subsets)
    }

    /// The Type0 fonts found, with their original fonts' names.
    fn fonts(&self) -> impl Iterator<Item = (ObjectId, &str)> {
        self.0.iter().map(|s| (s.font, s.name.as_str()))
    }
}

fn read_subset(
    pdf: &Pdf,
    id: ObjectId,
    font: &Dictionary,
    programs: &FontPrograms<'_>,
) -> Option<Subset> {
    let is = |dict: &Dictionary, key: &[u8], value: &[u8]| matches!(dict.get(key), Ok(Object::Name(n)) if n.as_slice() == value);
    if !is(font, b"Type", b"Font") || !is(font, b"Subtype", b"Type0") {
        return None;
    }
    if !is(font, b"Encoding", b"Identity-H") {
        return None;
    }
    let cid_font = match font.get(b"DescendantFonts").ok()? {
        Object::Array(items) => deref(pdf, items.first()?)?,
        other => deref(pdf, other)?,
    };
    if !is(cid_font, b"Subtype", b"CIDFontType0") {
        return None;
    }
    let descriptor = deref(pdf, cid_font.get(b"FontDescriptor").ok()?)?;
    let program = match descriptor.get(b"FontFile3").ok()? {
        Object::Reference(r) => pdf.get_object(*r).ok()?.as_stream().ok()?,
        _ => return None,
    };
    let cff = program.decompressed_content().ok()?;
    let original = programs.by_name.get(&cff_name(&cff)?)?;
    let table = original.glyphs()?;
    let subset = CffFontRef::new(&cff, 0, None).ok()?;
    let count = usize::try_from(subset.num_glyphs()).ok()?;
    let gids = (0..count)
        .map(|i| table.get(subset.charstrings().get(i).ok()?).copied())
        .collect::<Option<Vec<u16>>>()?;
    let texts = match font.get(b"ToUnicode") {
        Ok(Object::Reference(r)) => to_unicode(
            &pdf.get_object(*r)
                .ok()?
                .as_stream()
                .ok()?
                .decompressed_content()
                .ok()?,
        ),
        _ => HashMap::new(),
    };
    Some(Subset {
        font: id,
        name: cff_name(&cff)?,
        widths: widths(cid_font.get(b"W").ok(), count),
        gids,
        texts,
        bbox: numbers(descriptor.get(b"FontBBox").ok()?)?,
        models: [font.clone(), cid_font.clone(), descriptor.clone()],
    })
}

fn deref<'p>(pdf: &'p Pdf, object: &'p Object) -> Option<&'p Dictionary> {
    match object {
        Object::Reference(r) => pdf.get_dictionary(*r).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn number(object: &Object) -> Option<f32> {
    match object {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn numbers(object: &Object) -> Option<[f32; 4]> {
    let Object::Array(items) = object else {
        return None;
    };
    let values: Vec<f32> = items.iter().filter_map(number).collect();
    values.try_into().ok()
}

/// The width of each of `count` codes from a CID font's `W` array (both of its forms).
fn widths(array: Option<&Object>, count: usize) -> Vec<Option<f32>> {
    let mut widths = vec![None; count];
    let Some(Object::Array(items)) = array else {
        return widths;
    };
    let mut set = |code: usize, width: f32| {
        if let Some(slot) = widths.get_mut(code) {
            *slot = Some(width);
        }
    };
    let mut i = 0;
    while i < items.len() {
        let first = number(&items[i]).map_or(0, |n| n as usize);
        match (items.get(i + 1), items.get(i + 2)) {
            (Some(Object::Array(list)), _) => {
                for (k, w) in list.iter().filter_map(number).enumerate() {
                    set(first + k, w);
                }
                i += 2;
            }
            (Some(last), Some(width)) => {
                let (last, width) = (number(last).map_or(0, |n| n as usize), number(width));
                for code in first..=last.min(first + MAX_GLYPHS) {
                    set(code, width.unwrap_or(0.0));
                }
                i += 3;
            }
            _ => break,
        }
    }
    widths
}

/// The code-to-text pairs of a ToUnicode CMap (`bfchar` and `bfrange` entries).
fn to_unicode(cmap: &[u8]) -> HashMap<u16, Vec<u8>> {
    let text = String::from_utf8_lossy(cmap);
    let mut map = HashMap::new();
    let hex = |token: &str| -> Option<Vec<u8>> {
        let digits = token.strip_prefix('<')?.strip_suffix('>')?;
        (0..digits.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
            .collect()
    };
    let code = |bytes: &[u8]| match bytes {
        [a, b] => Some(u16::from_be_bytes([*a, *b])),
        _ => None,
    };
    for block in text.split("beginbfchar").skip(1) {
        let body = block.split("endbfchar").next().unwrap_or_default();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        for pair in tokens.chunks_exact(2) {
            if let (Some(from), Some(to)) = (hex(pair[0]).as_deref().and_then(code), hex(pair[1])) {
                map.insert(from, to);
            }
        }
    }
    for block in text.split("beginbfrange").skip(1) {
        let body = block.split("endbfrange").next().unwrap_or_default();
        let tokens: Vec<&str> = body.split_whitespace().collect();
        for triple in tokens.chunks_exact(3) {
            let (Some(low), Some(high), Some(mut to)) = (
                hex(triple[0]).as_deref().and_then(code),
                hex(triple[1]).as_deref().and_then(code),
                hex(triple[2]),
            ) else {
                continue;
            };
            for c in low..=high {
                map.insert(c, to.clone());
                if let Some(last) = to.last_mut() {
                    *last = last.wrapping_add(1);
                }
            }
        }
    }
    map
}

/// One subset per font for a set of documents.
struct SharedFonts {
    fonts: BTreeMap<String, SharedFont>,
}

/// The shared subset of one font.
struct SharedFont {
    /// The new code of each original glyph used.
    codes: HashMap<u16, u16>,
    /// The bare CFF program.
    program: Vec<u8>,
    /// The width of each new code.
    widths: Vec<f32>,
    /// The text of each new code (UTF-16BE).
    texts: Vec<Option<Vec<u8>>>,
    /// The union of the subsets' bounding boxes.
    bbox: [f32; 4],
    /// A subset's dictionaries, as models.
    models: [Dictionary; 3],
}

impl SharedFonts {
    /// Cuts one subset per font from the original fonts, with every glyph the surveyed
    /// documents use.
    fn unite(surveys: &[&Survey], programs: &FontPrograms<'_>) -> Self {
        let mut by_name: BTreeMap<&str, Vec<&Subset>> = BTreeMap::new();
        for subset in surveys.iter().flat_map(|s| &s.0) {
            by_name.entry(&subset.name).or_default().push(subset);
        }
        let fonts = by_name
            .into_iter()
            .filter_map(|(name, subsets)| {
                let program = programs.by_name.get(name)?;
                Some((name.to_string(), SharedFont::cut(program, &subsets)?))
            })
            .collect();
        Self { fonts }
    }

    /// Rewrites the glyph codes of every text shown in the document's pages and forms with
    /// the subsets surveyed to the shared subsets' codes.
    fn renumber(&self, pdf: &mut Pdf, survey: &Survey) -> Result<(), FontError> {
        let mut recode: HashMap<ObjectId, Vec<u16>> = HashMap::new();
        for subset in &survey.0 {
            if let Some(shared) = self.fonts.get(&subset.name) {
                let codes = subset.gids.iter().map(|g| shared.codes[g]).collect();
                recode.insert(subset.font, codes);
            }
        }
        if recode.is_empty() {
            return Ok(());
        }
        let mut holders: Vec<Holder> = Vec::new();
        for page in pdf.page_iter() {
            let Ok(dict) = pdf.get_dictionary(page) else {
                continue;
            };
            let contents = match dict.get(b"Contents") {
                Ok(Object::Reference(r)) => vec![*r],
                Ok(Object::Array(items)) => {
                    items.iter().filter_map(|i| i.as_reference().ok()).collect()
                }
                _ => Vec::new(),
            };
            holders.push((contents, font_resources(pdf, dict)));
        }
        for (&id, object) in &pdf.objects {
            if let Object::Stream(stream) = object
                && matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n.as_slice() == b"Form")
            {
                holders.push((vec![id], font_resources(pdf, &stream.dict)));
            }
        }
        let mut done = HashSet::new();
        for (streams, resources) in holders {
            let fonts: HashMap<Vec<u8>, &Vec<u16>> = resources
                .into_iter()
                .filter_map(|(name, font)| Some((name, recode.get(&font)?)))
                .collect();
            if fonts.is_empty() {
                continue;
            }
            let mut state = TextState::default();
            for id in streams {
                if done.insert(id) {
                    rewrite_stream(pdf, id, &fonts, &mut state)?;
                }
            }
        }
        Ok(())
    }
}

/// The fonts of a book's documents (front matter, folio sheet, parts), surveyed, and the
/// subsets they share.
pub(super) struct BookFonts {
    front: Survey,
    sheet: Survey,
    parts: Vec<Survey>,
    shared: SharedFonts,
}

impl BookFonts {
    /// Surveys the documents (the parts in parallel), cuts one subset per font for all of
    /// them, and renumbers the glyphs their pages show to it.
    pub(super) fn share(
        front: &mut Pdf,
        sheet: &mut Pdf,
        parts: &mut [(String, String, Pdf)],
        programs: &FontPrograms<'_>,
    ) -> Result<Self, PdfError> {
        let front_survey = Survey::read(front, programs);
        let sheet_survey = Survey::read(sheet, programs);
        let part_surveys: Vec<Survey> = parts
            .par_iter()
            .map(|(_, _, pdf)| Survey::read(pdf, programs))
            .collect();
        let mut all = vec![&front_survey, &sheet_survey];
        all.extend(&part_surveys);
        let shared = SharedFonts::unite(&all, programs);
        let failed = |what: &str| {
            let what = what.to_string();
            move |source| PdfError::Fonts { what, source }
        };
        shared
            .renumber(front, &front_survey)
            .map_err(failed("the book's front matter"))?;
        shared
            .renumber(sheet, &sheet_survey)
            .map_err(failed("the folio sheet"))?;
        parts
            .par_iter_mut()
            .zip(&part_surveys)
            .try_for_each(|((_, label, pdf), survey)| {
                shared.renumber(pdf, survey).map_err(failed(label))
            })?;
        Ok(Self {
            front: front_survey,
            sheet: sheet_survey,
            parts: part_surveys,
            shared,
        })
    }

    /// The front matter's surveyed fonts, their ids moved by `shift`, with their names.
    pub(super) fn front_fonts(&self, shift: u32) -> Vec<(ObjectId, String)> {
        moved(&self.front, shift)
    }

    /// The folio sheet's surveyed fonts, their ids moved by `shift`, with their names.
    pub(super) fn sheet_fonts(&self, shift: u32) -> Vec<(ObjectId, String)> {
        moved(&self.sheet, shift)
    }

    /// Part `i`'s surveyed fonts, their ids moved by `shift`, with their names.
    pub(super) fn part_fonts(&self, i: usize, shift: u32) -> Vec<(ObjectId, String)> {
        self.parts
            .get(i)
            .map(|s| moved(s, shift))
            .unwrap_or_default()
    }

    /// Adds the shared subsets to `book`; returns, for each of the `moved` fonts (their ids
    /// in the book and names) that has one, the shared font that replaces it.
    pub(super) fn install(
        &self,
        book: &mut Pdf,
        moved: Vec<(ObjectId, String)>,
    ) -> HashMap<ObjectId, ObjectId> {
        let installed: HashMap<&str, ObjectId> = self
            .shared
            .fonts
            .iter()
            .map(|(name, font)| (name.as_str(), font.install(book, name)))
            .collect();
        moved
            .into_iter()
            .filter_map(|(old, name)| Some((old, *installed.get(name.as_str())?)))
            .collect()
    }
}

/// Every surveyed font of `survey` with its name, its id moved by `shift`.
fn moved(survey: &Survey, shift: u32) -> Vec<(ObjectId, String)> {
    survey
        .fonts()
        .map(|((id, generation), name)| ((id + shift, generation), name.to_string()))
        .collect()
}

impl SharedFont {
    fn cut(program: &Program<'_>, subsets: &[&Subset]) -> Option<Self> {
        let mut gids: Vec<u16> = subsets
            .iter()
            .flat_map(|s| s.gids.iter().copied())
            .collect();
        gids.push(0);
        gids.sort_unstable();
        gids.dedup();
        let cff = cut(program.data, program.index, &gids)?;
        let count = CffFontRef::new(&cff, 0, None).ok()?.num_glyphs();
        if usize::try_from(count).ok()? != gids.len() {
            return None;
        }
        let codes: HashMap<u16, u16> = gids
            .iter()
            .enumerate()
            .map(|(code, &gid)| Some((gid, u16::try_from(code).ok()?)))
            .collect::<Option<_>>()?;
        let mut widths = vec![None; gids.len()];
        let mut texts = vec![None; gids.len()];
        let mut bbox = subsets.first()?.bbox;
        for subset in subsets {
            for (old, gid) in subset.gids.iter().enumerate() {
                let new = usize::from(codes[gid]);
                if widths[new].is_none() {
                    widths[new] = subset.widths[old];
                }
                if texts[new].is_none() {
                    texts[new] = u16::try_from(old)
                        .ok()
                        .and_then(|c| subset.texts.get(&c))
                        .cloned();
                }
            }
            bbox = [
                bbox[0].min(subset.bbox[0]),
                bbox[1].min(subset.bbox[1]),
                bbox[2].max(subset.bbox[2]),
                bbox[3].max(subset.bbox[3]),
            ];
        }
        Some(Self {
            codes,
            program: cff,
            widths: widths.into_iter().map(|w| w.unwrap_or(0.0)).collect(),
            texts,
            bbox,
            models: subsets.first()?.models.clone(),
        })
    }

    /// Adds the font's objects to `book`; returns its Type0 font dictionary.
    fn install(&self, book: &mut Pdf, name: &str) -> ObjectId {
        let mut digest = Sha256::new();
        digest.update(name.as_bytes());
        digest.update(&self.program);
        let tag: String = digest.finalize()[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let [type0, cid_font, descriptor] = self.models.clone();
        let untagged = |dict: &Dictionary, key: &[u8]| match dict.get(key) {
            Ok(Object::Name(n)) => {
                let n = String::from_utf8_lossy(n);
                let rest = n.split_once('+').map_or(n.as_ref(), |(_, rest)| rest);
                Object::Name(format!("{tag}+{rest}").into_bytes())
            }
            _ => Object::Name(format!("{tag}+{name}").into_bytes()),
        };
        let program = compressed(
            Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]),
            self.program.clone(),
        );
        let program = book.add_object(program);
        let cid_set = book.add_object(compressed(Dictionary::new(), cid_set(self.widths.len())));
        let mut descriptor_dict = descriptor;
        descriptor_dict.set("FontName", untagged(&descriptor_dict, b"FontName"));
        descriptor_dict.set(
            "FontBBox",
            Object::Array(self.bbox.iter().map(|&v| Object::Real(v)).collect()),
        );
        descriptor_dict.set("FontFile3", Object::Reference(program));
        descriptor_dict.set("CIDSet", Object::Reference(cid_set));
        let descriptor = book.add_object(descriptor_dict);
        let mut cid_dict = cid_font;
        cid_dict.set("BaseFont", untagged(&cid_dict, b"BaseFont"));
        cid_dict.set("FontDescriptor", Object::Reference(descriptor));
        cid_dict.set("W", width_array(&self.widths));
        let cid_font = book.add_object(cid_dict);
        let mut cmap_dict = Dictionary::from_iter([("Type", Object::Name(b"CMap".to_vec()))]);
        cmap_dict.set("WMode", Object::Integer(0));
        let cmap = book.add_object(compressed(cmap_dict, cmap(&self.texts)));
        let mut font = type0;
        font.set("BaseFont", untagged(&font, b"BaseFont"));
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font)]),
        );
        font.set("ToUnicode", Object::Reference(cmap));
        book.add_object(font)
    }
}

/// A flate-compressed stream.
fn compressed(mut dict: Dictionary, content: Vec<u8>) -> Stream {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    match encoder.write_all(&content).and_then(|()| encoder.finish()) {
        Ok(bytes) => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            Stream::new(dict, bytes)
        }
        Err(_) => Stream::new(dict, content),
    }
}

/// A CIDSet naming codes `0..count`.
fn cid_set(count: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF; count / 8];
    if !count.is_multiple_of(8) {
        bytes.push(!(0xFF >> (count % 8)));
    }
    bytes
}

/// A `W` array: runs of codes of one width as `first last width`.
fn width_array(widths: &[f32]) -> Object {
    let mut items = Vec::new();
    let mut first = 0;
    while first < widths.len() {
        let mut last = first;
        while last + 1 < widths.len() && widths[last + 1] == widths[first] {
            last += 1;
        }
        if widths[first] != 0.0 {
            items.extend([
                Object::Integer(first as i64),
                Object::Integer(last as i64),
                Object::Real(widths[first]),
            ]);
        }
        first = last + 1;
    }
    Object::Array(items)
}

/// A ToUnicode CMap for codes with these texts.
fn cmap(texts: &[Option<Vec<u8>>]) -> Vec<u8> {
    let mut out = String::from(
        "%!PS-Adobe-3.0 Resource-CMap\n%%DocumentNeededResources: procset CIDInit\n\
         %%IncludeResource: procset CIDInit\n%%BeginResource: CMap Custom\n\
         %%Title: (Custom Adobe Identity 0)\n%%Version: 1\n%%EndComments\n\
         /CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo 3 dict dup begin\n    /Registry (Adobe) def\n    /Ordering (Identity) def\n\
         \x20   /Supplement 0 def\nend def\n/CMapName /Custom def\n/CMapVersion 1 def\n\
         /CMapType 0 def\n/WMode 0 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, &Vec<u8>)> = texts
        .iter()
        .enumerate()
        .filter_map(|(code, text)| Some((code, text.as_ref()?)))
        .collect();
    for block in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, text) in block {
            let hex: String = text.iter().map(|b| format!("{b:02X}")).collect();
            out.push_str(&format!("<{code:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str(
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n%%EndResource\n%%EOF",
    );
    out.into_bytes()
}

/// The fonts named in a page's or form's resources (inherited ones not included).
fn font_resources(pdf: &Pdf, holder: &Dictionary) -> HashMap<Vec<u8>, ObjectId> {
    let Some(resources) = holder.get(b"Resources").ok().and_then(|r| deref(pdf, r)) else {
        return HashMap::new();
    };
    let Some(fonts) = resources.get(b"Font").ok().and_then(|f| deref(pdf, f)) else {
        return HashMap::new();
    };
    fonts
        .iter()
        .filter_map(|(name, font)| Some((name.clone(), font.as_reference().ok()?)))
        .collect()
}

/// A page or form: its content streams, drawn in order, and the fonts its resources name.
type Holder = (Vec<ObjectId>, HashMap<Vec<u8>, ObjectId>);

/// Rewrites the codes shown in one content stream with fonts in `fonts`; a stream that
/// changes is compressed again.
fn rewrite_stream(
    pdf: &mut Pdf,
    id: ObjectId,
    fonts: &HashMap<Vec<u8>, &Vec<u16>>,
    state: &mut TextState,
) -> Result<(), FontError> {
    let Ok(Object::Stream(stream)) = pdf.get_object_mut(id) else {
        return Ok(());
    };
    let rewritten = if stream.dict.has(b"Filter") {
        let plain = stream.decompressed_content().map_err(FontError::Decode)?;
        recode_shown_text(&plain, fonts, state)?
    } else {
        recode_shown_text(&stream.content, fonts, state)?
    };
    if let Some(bytes) = rewritten {
        let mut dict = std::mem::take(&mut stream.dict);
        dict.remove(b"Filter");
        dict.remove(b"DecodeParms");
        dict.remove(b"Length");
        *stream = compressed(dict, bytes);
    }
    Ok(())
}
