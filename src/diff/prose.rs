//! Prose compared word by word: whitespace and reflow ignored, citation markers atomic and
//! compared by the citation's text (so renumbered or renamed footnotes are no change),
//! moved paragraphs recognised as moves. Changed sentences are classified by the dates and
//! meetings they name.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices, get_diff_ratio};

use crate::record::prose::{Segment, marker_at};
use crate::record::{Prose, Record};
use crate::registry::Registry;
use crate::typography::{Language, fold, typeset_segments};

use super::{Change, ChangeKind, ChangeSource};

/// Paragraphs at least this similar (word-level ratio) are the same paragraph, edited.
const SAME_PARAGRAPH: f32 = 0.5;
/// A deleted and an inserted paragraph at least this similar are one paragraph moved.
const MOVED_PARAGRAPH: f32 = 0.8;
/// Sentences at least this similar are the same sentence, edited.
const SAME_SENTENCE: f32 = 0.4;

/// Whether a piece of prose is kept, deleted or inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both versions.
    Equal,
    /// Only in the old version.
    Delete,
    /// Only in the new version.
    Insert,
}

/// A run of words with one operation and one style, or one citation marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// Kept, deleted or inserted.
    pub op: Op,
    /// The words (single spaces between them), or the citation key for a marker.
    pub text: String,
    /// Whether the words are set in italics.
    pub italic: bool,
    /// For a citation marker: the citation's text.
    pub note: Option<String>,
    /// Whether a space separates the piece from the one before.
    pub space_before: bool,
}

/// How a paragraph fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphStatus {
    /// Same words (whitespace, reflow and footnote numbering aside).
    Unchanged,
    /// Edited in place.
    Changed,
    /// New.
    Added,
    /// Deleted.
    Removed,
    /// Moved here from elsewhere (maybe edited too).
    Moved,
    /// Moved from here to elsewhere (shown at its old place as a pointer).
    MovedAway,
}

/// One paragraph of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphDiff {
    /// What happened to it.
    pub status: ParagraphStatus,
    /// For a moved paragraph: where it was (`summary ¶2`); for a pointer left at the old
    /// place: where it went.
    pub moved: Option<String>,
    /// Its words; for [`ParagraphStatus::MovedAway`] the old words, all kept.
    pub pieces: Vec<Piece>,
}

/// One prose block (the summary or a section) compared.
#[derive(Debug, Clone, Serialize)]
pub struct BlockDiff {
    /// The block's name: "summary" or the section title.
    pub block: String,
    /// Its paragraphs in reading order (the new order; removed ones where they were).
    pub paragraphs: Vec<ParagraphDiff>,
}

impl BlockDiff {
    /// Whether nothing in the block changed.
    pub fn unchanged(&self) -> bool {
        self.paragraphs
            .iter()
            .all(|p| p.status == ParagraphStatus::Unchanged)
    }
}

/// A word, an italic word or a citation marker.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    italic: bool,
    note: Option<String>,
    space_before: bool,
    /// What comparisons use: the word, or the citation's text for a marker.
    key: String,
}

/// A paragraph as tokens.
#[derive(Debug, Clone)]
struct Para {
    tokens: Vec<Token>,
    keys: Vec<String>,
    joined: String,
}

/// Collapses runs of whitespace to single spaces and trims.
pub(crate) fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text without citation markers, whitespace collapsed.
pub(crate) fn without_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("[^") {
        out.push_str(&rest[..i]);
        match marker_at(&rest[i..]) {
            Some((_, length)) => rest = &rest[i + length..],
            None => {
                out.push_str("[^");
                rest = &rest[i + 2..];
            }
        }
    }
    out.push_str(rest);
    normalize_space(&out)
}

/// A paragraph's words and markers as tokens. Text is taken as it prints (typeset), and
/// words compare by their plain form, so a change of typography alone (`"` to `“`, `2012-13`
/// to `2012–13`, `4.9km2` to `4.9 km²`) is no change of wording.
fn tokenize(segments: &[Segment], record: &Record) -> Para {
    let mut tokens: Vec<Token> = Vec::new();
    let mut pending_space = false;
    for seg in &typeset_segments(segments, Language::English) {
        match seg {
            Segment::Text(t) | Segment::Italic(t) => {
                let italic = matches!(seg, Segment::Italic(_));
                let mut space = pending_space || t.starts_with(char::is_whitespace);
                for word in t.split_whitespace() {
                    tokens.push(Token {
                        text: word.to_string(),
                        italic,
                        note: None,
                        space_before: space && !tokens.is_empty(),
                        key: if italic {
                            format!("_{}", fold(word))
                        } else {
                            fold(word)
                        },
                    });
                    space = true;
                }
                pending_space = t.ends_with(char::is_whitespace)
                    || (t.trim().is_empty() && (pending_space || !t.is_empty()));
            }
            Segment::Cite(key) => {
                let note = record
                    .citation(key)
                    .map(|c| normalize_space(&c.text.value.text));
                tokens.push(Token {
                    text: key.clone(),
                    key: match &note {
                        Some(n) => format!("[^{n}]"),
                        None => format!("[^key:{key}]"),
                    },
                    italic: false,
                    note,
                    space_before: pending_space && !tokens.is_empty(),
                });
                pending_space = false;
            }
        }
    }
    let keys: Vec<String> = tokens.iter().map(|t| t.key.clone()).collect();
    Para {
        joined: keys.join(" "),
        tokens,
        keys,
    }
}

fn paragraphs(prose: &Prose, record: &Record) -> Vec<Para> {
    prose
        .paragraphs()
        .iter()
        .map(|p| tokenize(&p.segments, record))
        .collect()
}

fn ratio(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let ops = capture_diff_slices(Algorithm::Myers, a, b);
    get_diff_ratio(&ops, a.len(), b.len())
}

fn piece(t: &Token, op: Op) -> Piece {
    Piece {
        op,
        text: t.text.clone(),
        italic: t.italic,
        note: t.note.clone(),
        space_before: t.space_before,
    }
}

/// Appends a token as a piece, merging runs of words with the same op and style.
fn push_token(pieces: &mut Vec<Piece>, t: &Token, op: Op) {
    if t.note.is_none()
        && let Some(last) = pieces.last_mut()
        && last.op == op
        && last.italic == t.italic
        && last.note.is_none()
    {
        if t.space_before {
            last.text.push(' ');
        }
        last.text.push_str(&t.text);
        return;
    }
    pieces.push(piece(t, op));
}

fn all_pieces(p: &Para, op: Op) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for t in &p.tokens {
        push_token(&mut pieces, t, op);
    }
    pieces
}

/// Word-level diff of two paragraphs.
fn word_diff(old: &Para, new: &Para) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old.keys, &new.keys) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => new.tokens[n]
                .iter()
                .for_each(|t| push_token(&mut pieces, t, Op::Equal)),
            DiffTag::Delete => old.tokens[o]
                .iter()
                .for_each(|t| push_token(&mut pieces, t, Op::Delete)),
            DiffTag::Insert => new.tokens[n]
                .iter()
                .for_each(|t| push_token(&mut pieces, t, Op::Insert)),
            DiffTag::Replace => {
                old.tokens[o]
                    .iter()
                    .for_each(|t| push_token(&mut pieces, t, Op::Delete));
                new.tokens[n]
                    .iter()
                    .for_each(|t| push_token(&mut pieces, t, Op::Insert));
            }
        }
    }
    pieces
}

/// A place in a block's output still to be decided by move detection.
enum Slot {
    Done(ParagraphDiff),
    Inserted(usize),
    Deleted(usize),
}

/// A paragraph waiting for move detection.
struct Pending<'a> {
    block: String,
    index: usize,
    para: &'a Para,
}

/// Where a paragraph sits, for messages: `summary ¶2`.
fn place(block: &str, index: usize) -> String {
    format!("{block} ¶{}", index + 1)
}

/// Compares the prose of two records: block diffs for display and classified sentence
/// changes. Blocks are paired by name, paragraphs aligned within each block, then deleted
/// and inserted paragraphs that match are recognised as moves.
pub(crate) fn diff_prose(
    old: &Record,
    new: &Record,
    cut: NaiveDate,
    registry: &Registry,
) -> (Vec<BlockDiff>, Vec<Change>) {
    let old_blocks = blocks_of(old);
    let new_blocks = blocks_of(new);
    let empty: Vec<Para> = Vec::new();
    let mut classifier = Classifier::new(cut, registry);
    let mut alignment = Alignment::default();
    for (name, old_paras, new_paras) in paired_blocks(&old_blocks, &new_blocks, &empty) {
        alignment.block(name, old_paras, new_paras, &mut classifier);
    }
    let blocks = alignment.resolve(&mut classifier);
    (blocks, classifier.changes)
}

/// A record's prose blocks with their paragraphs.
fn blocks_of(record: &Record) -> Vec<(String, Vec<Para>)> {
    record
        .prose_blocks()
        .map(|(name, p)| (name, paragraphs(&p.value, record)))
        .collect()
}

/// The blocks to compare, in the new record's order, then the blocks only the old one has.
fn paired_blocks<'a>(
    old_blocks: &'a [(String, Vec<Para>)],
    new_blocks: &'a [(String, Vec<Para>)],
    empty: &'a Vec<Para>,
) -> Vec<(&'a str, &'a Vec<Para>, &'a Vec<Para>)> {
    let find = |blocks: &'a [(String, Vec<Para>)], name: &str| {
        blocks.iter().find(|(n, _)| n == name).map(|(_, p)| p)
    };
    let mut order: Vec<(&str, &Vec<Para>, &Vec<Para>)> = new_blocks
        .iter()
        .map(|(name, paras)| {
            (
                name.as_str(),
                find(old_blocks, name).unwrap_or(empty),
                paras,
            )
        })
        .collect();
    order.extend(
        old_blocks
            .iter()
            .filter(|(name, _)| find(new_blocks, name).is_none())
            .map(|(name, paras)| (name.as_str(), paras, empty)),
    );
    order
}

/// Paragraphs aligned block by block; unmatched ones wait for move detection.
#[derive(Default)]
struct Alignment<'a> {
    inserted: Vec<Pending<'a>>,
    deleted: Vec<Pending<'a>>,
    slots: Vec<(String, Vec<Slot>)>,
}

impl<'a> Alignment<'a> {
    /// Aligns the paragraphs of one block.
    fn block(
        &mut self,
        name: &str,
        old_paras: &'a [Para],
        new_paras: &'a [Para],
        classifier: &mut Classifier<'_>,
    ) {
        let mut slots = Vec::new();
        let old_keys: Vec<&str> = old_paras.iter().map(|p| p.joined.as_str()).collect();
        let new_keys: Vec<&str> = new_paras.iter().map(|p| p.joined.as_str()).collect();
        for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
            let (tag, o, n) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                slots.extend(n.map(|i| {
                    Slot::Done(ParagraphDiff {
                        status: ParagraphStatus::Unchanged,
                        moved: None,
                        pieces: all_pieces(&new_paras[i], Op::Equal),
                    })
                }));
            } else {
                let hunk = Hunk {
                    name,
                    old_paras,
                    new_paras,
                    old: o,
                    new: n,
                };
                self.hunk(&hunk, &mut slots, classifier);
            }
        }
        self.slots.push((name.to_string(), slots));
    }

    /// Aligns the paragraphs of one changed hunk: edited paragraphs are paired, best match
    /// first, in order; the others are deleted or inserted.
    fn hunk(
        &mut self,
        hunk: &Hunk<'a, '_>,
        slots: &mut Vec<Slot>,
        classifier: &mut Classifier<'_>,
    ) {
        let o = &hunk.old;
        let mut used_old = vec![false; o.len()];
        let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
        for j in hunk.new.clone() {
            let best = o
                .clone()
                .filter(|i| !used_old[i - o.start])
                .map(|i| (i, ratio(&hunk.old_paras[i].keys, &hunk.new_paras[j].keys)))
                .filter(|(_, r)| *r >= SAME_PARAGRAPH)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((i, _)) = best {
                used_old[i - o.start] = true;
            }
            pairs.push((j, best.map(|(i, _)| i)));
        }
        for i in o.clone().filter(|i| !used_old[i - o.start]) {
            slots.push(Slot::Deleted(self.deleted.len()));
            self.deleted.push(Pending {
                block: hunk.name.to_string(),
                index: i,
                para: &hunk.old_paras[i],
            });
        }
        for (j, paired) in pairs {
            let new_para = &hunk.new_paras[j];
            if let Some(i) = paired {
                classifier.paragraph(hunk.name, j, &hunk.old_paras[i], new_para);
                slots.push(Slot::Done(ParagraphDiff {
                    status: ParagraphStatus::Changed,
                    moved: None,
                    pieces: word_diff(&hunk.old_paras[i], new_para),
                }));
            } else {
                slots.push(Slot::Inserted(self.inserted.len()));
                self.inserted.push(Pending {
                    block: hunk.name.to_string(),
                    index: j,
                    para: new_para,
                });
            }
        }
    }

    /// Moves: a deleted paragraph that reappears elsewhere, nearly the same. Returns the
    /// deleted paragraph of each moved insertion, and the insertion of each moved deletion.
    fn moves(&self) -> (HashMap<usize, usize>, HashMap<usize, usize>) {
        let mut move_of_insert: HashMap<usize, usize> = HashMap::new();
        let mut move_of_delete: HashMap<usize, usize> = HashMap::new();
        for (ii, ins) in self.inserted.iter().enumerate() {
            let best = (self.deleted.iter().enumerate())
                .filter(|(di, _)| !move_of_delete.contains_key(di))
                .map(|(di, d)| (di, ratio(&d.para.keys, &ins.para.keys)))
                .filter(|(_, r)| *r >= MOVED_PARAGRAPH)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((di, _)) = best {
                move_of_insert.insert(ii, di);
                move_of_delete.insert(di, ii);
            }
        }
        (move_of_insert, move_of_delete)
    }

    /// The block diffs, every waiting paragraph now known as moved, added or removed.
    fn resolve(&mut self, classifier: &mut Classifier<'_>) -> Vec<BlockDiff> {
        let (move_of_insert, move_of_delete) = self.moves();
        let mut blocks = Vec::new();
        for (name, block_slots) in std::mem::take(&mut self.slots) {
            let paragraphs = block_slots
                .into_iter()
                .map(|slot| match slot {
                    Slot::Done(p) => p,
                    Slot::Inserted(ii) => {
                        self.inserted_paragraph(ii, move_of_insert.get(&ii), classifier)
                    }
                    Slot::Deleted(di) => {
                        self.deleted_paragraph(di, move_of_delete.get(&di), classifier)
                    }
                })
                .collect();
            blocks.push(BlockDiff {
                block: name,
                paragraphs,
            });
        }
        blocks
    }

    /// An inserted paragraph: moved here from deleted paragraph `moved_from`, or added.
    fn inserted_paragraph(
        &self,
        ii: usize,
        moved_from: Option<&usize>,
        classifier: &mut Classifier<'_>,
    ) -> ParagraphDiff {
        let ins = &self.inserted[ii];
        if let Some(&di) = moved_from {
            let del = &self.deleted[di];
            let from = place(&del.block, del.index);
            classifier.moved(&ins.block, ins.index, &from, del.para, ins.para);
            return ParagraphDiff {
                status: ParagraphStatus::Moved,
                moved: Some(from),
                pieces: word_diff(del.para, ins.para),
            };
        }
        classifier.added(&ins.block, ins.index, ins.para);
        ParagraphDiff {
            status: ParagraphStatus::Added,
            moved: None,
            pieces: all_pieces(ins.para, Op::Insert),
        }
    }

    /// A deleted paragraph: moved away to inserted paragraph `moved_to`, or removed.
    fn deleted_paragraph(
        &self,
        di: usize,
        moved_to: Option<&usize>,
        classifier: &mut Classifier<'_>,
    ) -> ParagraphDiff {
        let del = &self.deleted[di];
        if let Some(&ii) = moved_to {
            let to = &self.inserted[ii];
            return ParagraphDiff {
                status: ParagraphStatus::MovedAway,
                moved: Some(place(&to.block, to.index)),
                pieces: all_pieces(del.para, Op::Equal),
            };
        }
        classifier.removed(&del.block, del.index, del.para);
        ParagraphDiff {
            status: ParagraphStatus::Removed,
            moved: None,
            pieces: all_pieces(del.para, Op::Delete),
        }
    }
}

/// One changed hunk of a block's paragraph alignment.
struct Hunk<'a, 'n> {
    name: &'n str,
    old_paras: &'a [Para],
    new_paras: &'a [Para],
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
}

/// The prose of a record on one side only: every paragraph added (`Op::Insert`) or
/// removed (`Op::Delete`).
pub(crate) fn whole_record(record: &Record, op: Op) -> Vec<BlockDiff> {
    let status = if op == Op::Insert {
        ParagraphStatus::Added
    } else {
        ParagraphStatus::Removed
    };
    record
        .prose_blocks()
        .map(|(block, prose)| BlockDiff {
            block,
            paragraphs: paragraphs(&prose.value, record)
                .iter()
                .map(|p| ParagraphDiff {
                    status,
                    moved: None,
                    pieces: all_pieces(p, op),
                })
                .collect(),
        })
        .collect()
}

/// A sentence: its plain text and its comparison keys.
struct Sentence {
    text: String,
    keys: Vec<String>,
}

const ABBREVIATIONS: &[&str] = &[
    "no.", "nos.", "p.", "pp.", "mr.", "mrs.", "ms.", "dr.", "st.", "e.g.", "i.e.", "vs.", "art.",
    "para.", "res.", "vol.", "ed.", "eds.", "op.", "cit.",
];

fn ends_sentence(word: &str, next: Option<&Token>) -> bool {
    let bare = word.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    if !bare.ends_with(['.', '!', '?']) {
        return false;
    }
    let lower = bare.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str())
        || (bare.len() <= 4
            && bare.chars().filter(|c| *c == '.').count() >= 1
            && bare.chars().next().is_some_and(char::is_uppercase)
            && bare.chars().filter(|c| c.is_alphabetic()).count() <= 2)
    {
        return false;
    }
    match next {
        Some(t) => !t.text.starts_with(|c: char| c.is_lowercase()),
        None => true,
    }
}

/// Splits a paragraph into sentences; citation markers stay with the sentence before them.
fn sentences(p: &Para) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut current: Vec<&Token> = Vec::new();
    let words: Vec<(usize, &Token)> = p
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.note.is_none() && !t.key.starts_with("[^key:"))
        .collect();
    let mut close_after: Option<usize> = None;
    for (i, t) in p.tokens.iter().enumerate() {
        if let Some(end) = close_after {
            let is_marker = t.key.starts_with("[^");
            if !is_marker && i > end {
                out.push(finish(&current));
                current.clear();
                close_after = None;
            }
        }
        current.push(t);
        if !t.key.starts_with("[^") {
            let next_word = words.iter().find(|(j, _)| *j > i).map(|(_, w)| *w);
            if ends_sentence(&t.text, next_word) {
                close_after = Some(i);
            }
        }
    }
    if !current.is_empty() {
        out.push(finish(&current));
    }
    out
}

fn finish(tokens: &[&Token]) -> Sentence {
    let mut text = String::new();
    for t in tokens.iter().filter(|t| !t.key.starts_with("[^")) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&t.text);
    }
    Sentence {
        text,
        keys: tokens.iter().map(|t| t.key.clone()).collect(),
    }
}

/// Years, with a month when one is written just before, that a text names.
pub(crate) fn date_mentions(text: &str) -> BTreeSet<(i32, Option<u32>)> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:(January|February|March|April|May|June|July|August|September|October|November|December)\s+)?((?:19|20)\d\d)\b")
            .expect("valid regex")
    });
    DATE.captures_iter(text)
        .filter_map(|c| {
            let year: i32 = c.get(2)?.as_str().parse().ok()?;
            let month = c
                .get(1)
                .and_then(|m| crate::record::month_number(m.as_str()));
            Some((year, month))
        })
        .collect()
}

/// The last day a year-and-month mention can stand for.
pub(crate) fn latest_day((year, month): (i32, Option<u32>)) -> Option<NaiveDate> {
    match month {
        Some(m) if m < 12 => NaiveDate::from_ymd_opt(year, m + 1, 1).and_then(|d| d.pred_opt()),
        _ => NaiveDate::from_ymd_opt(year, 12, 31),
    }
}

/// Whether a prose change is accounted for by a changed claim recognised in one of the
/// `sentences` (then the claim's own change says it all).
pub(crate) fn explained_by(change: &Change, sentences: &[String]) -> bool {
    if change.source != ChangeSource::Prose || sentences.is_empty() {
        return false;
    }
    let sides: Vec<String> = [&change.old, &change.new]
        .into_iter()
        .flatten()
        .map(|s| without_markers(s))
        .collect();
    sentences.iter().any(|s| {
        let s = without_markers(s);
        !s.is_empty()
            && sides
                .iter()
                .any(|side| side.contains(&s) || s.contains(side.as_str()))
    })
}

/// Classifies sentence-level changes by the dates and meetings the sentences name.
struct Classifier<'a> {
    cut: NaiveDate,
    registry: &'a Registry,
    changes: Vec<Change>,
}

impl<'a> Classifier<'a> {
    fn new(cut: NaiveDate, registry: &'a Registry) -> Self {
        Self {
            cut,
            registry,
            changes: Vec::new(),
        }
    }

    fn after(&self, mention: (i32, Option<u32>)) -> bool {
        latest_day(mention).is_some_and(|d| d > self.cut)
    }

    fn names_event(&self, text: &str) -> bool {
        !date_mentions(text).is_empty()
            || self
                .registry
                .meetings
                .iter()
                .any(|m| text.contains(&m.name))
    }

    fn push(&mut self, kind: ChangeKind, path: String, old: Option<&str>, new: Option<&str>) {
        self.changes.push(Change {
            kind,
            path,
            what: "sentence".into(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            source: ChangeSource::Prose,
        });
    }

    fn deleted(&mut self, path: String, text: &str) {
        let kind = if self.names_event(text) {
            ChangeKind::Removal
        } else {
            ChangeKind::Wording
        };
        self.push(kind, path, Some(text), None);
    }

    fn inserted(&mut self, path: String, text: &str) {
        let mentions = date_mentions(text);
        let kind = if mentions.iter().any(|m| self.after(*m)) {
            ChangeKind::News
        } else if self.names_event(text) {
            ChangeKind::Correction
        } else {
            ChangeKind::Wording
        };
        self.push(kind, path, None, Some(text));
    }

    fn edited(&mut self, path: String, old: &str, new: &str) {
        let before = date_mentions(old);
        let now = date_mentions(new);
        let added: Vec<_> = now.difference(&before).copied().collect();
        let kind = if added.iter().any(|m| self.after(*m)) {
            ChangeKind::News
        } else if !added.is_empty() {
            ChangeKind::Correction
        } else if now.is_subset(&before) && now != before {
            ChangeKind::Removal
        } else {
            ChangeKind::Wording
        };
        self.push(kind, path, Some(old), Some(new));
    }

    /// Sentence changes between two versions of a paragraph.
    fn paragraph(&mut self, block: &str, index: usize, old: &Para, new: &Para) {
        let path = place(block, index);
        let old_s = sentences(old);
        let new_s = sentences(new);
        let old_keys: Vec<String> = old_s.iter().map(|s| s.keys.join(" ")).collect();
        let new_keys: Vec<String> = new_s.iter().map(|s| s.keys.join(" ")).collect();
        for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
            let (tag, o, n) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                continue;
            }
            let mut used = vec![false; o.len()];
            for j in n.clone() {
                let best = o
                    .clone()
                    .filter(|i| !used[i - o.start])
                    .map(|i| (i, ratio(&old_s[i].keys, &new_s[j].keys)))
                    .filter(|(_, r)| *r >= SAME_SENTENCE)
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                match best {
                    Some((i, _)) => {
                        used[i - o.start] = true;
                        if old_s[i].text == new_s[j].text {
                            // Only a citation changed; its source is compared as a fact.
                            continue;
                        }
                        self.edited(path.clone(), &old_s[i].text, &new_s[j].text);
                    }
                    None => self.inserted(path.clone(), &new_s[j].text),
                }
            }
            for i in o.clone() {
                if !used[i - o.start] {
                    self.deleted(path.clone(), &old_s[i].text);
                }
            }
        }
    }

    fn moved(&mut self, block: &str, index: usize, from: &str, old: &Para, new: &Para) {
        self.push(
            ChangeKind::Wording,
            place(block, index),
            Some(&format!("paragraph at {from}")),
            Some("moved here"),
        );
        if old.keys != new.keys {
            self.paragraph(block, index, old, new);
        }
    }

    fn added(&mut self, block: &str, index: usize, p: &Para) {
        for s in sentences(p) {
            self.inserted(place(block, index), &s.text);
        }
    }

    fn removed(&mut self, block: &str, index: usize, p: &Para) {
        for s in sentences(p) {
            self.deleted(place(block, index), &s.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Para {
        let record = crate::record::parse_record(
            std::path::Path::new("x.toml"),
            "country = \"X\"\niso = \"XX\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2023\n",
        )
        .expect("minimal record");
        tokenize(&crate::record::prose::parse_segments(text), &record)
    }

    #[test]
    fn sentences_split_after_markers_not_abbreviations() {
        let p = para("It voted in favor.[^a] See No. 5 on p. 3. Done.");
        let s: Vec<String> = sentences(&p).into_iter().map(|s| s.text).collect();
        assert_eq!(s, vec!["It voted in favor.", "See No. 5 on p. 3.", "Done."]);
    }

    #[test]
    fn mentions_take_the_month_before_the_year() {
        let m = date_mentions("In December 2021, and in 2012 and 2013 (resolution 76/47).");
        assert_eq!(
            m.into_iter().collect::<Vec<_>>(),
            vec![(2012, None), (2013, None), (2021, Some(12))]
        );
    }

    /// A record whose prose is `summary` and one section "Policy" holding `policy`.
    fn record(summary: &str, policy: &str) -> Record {
        let text = format!(
            "country = \"X\"\niso = \"XX\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2023\n\
             summary = \"\"\"\n{summary}\"\"\"\n[[sections]]\ntitle = \"Policy\"\n\
             text = \"\"\"\n{policy}\"\"\"\n[citations]\na = \"Letter, 2021.\"\nb = \"Statement, 2022.\"\n"
        );
        crate::record::parse_record(std::path::Path::new("x.toml"), &text).expect("record")
    }

    fn diff(old: &Record, new: &Record) -> Vec<BlockDiff> {
        let registry = Registry::default();
        let cut = NaiveDate::from_ymd_opt(2023, 8, 1).expect("date");
        diff_prose(old, new, cut, &registry).0
    }

    #[test]
    fn a_changed_marker_is_one_deleted_and_one_inserted_token() {
        let old = para("It wrote to the Monitor.[^a] Nothing else.");
        let new = para("It wrote to the Monitor.[^b] Nothing else.");
        let pieces = word_diff(&old, &new);
        let changed: Vec<(Op, &str)> = pieces
            .iter()
            .filter(|p| p.op != Op::Equal)
            .map(|p| (p.op, p.text.as_str()))
            .collect();
        assert_eq!(changed, vec![(Op::Delete, "a"), (Op::Insert, "b")]);
        assert!(pieces.iter().all(|p| !p.text.contains("[^")), "{pieces:?}");
    }

    #[test]
    fn a_paragraph_moved_between_blocks_is_a_move_not_an_edit() {
        let moved =
            "Officials said the question of joining remains under review by the ministries.";
        let old = record(
            &format!("It has not joined.\n\n{moved}\n"),
            "It took part in a meeting.\n",
        );
        let new = record(
            "It has not joined.\n",
            &format!("It took part in a meeting.\n\n{moved}\n"),
        );
        let blocks = diff(&old, &new);
        let statuses: Vec<(String, Vec<ParagraphStatus>)> = blocks
            .iter()
            .map(|b| {
                (
                    b.block.clone(),
                    b.paragraphs.iter().map(|p| p.status).collect(),
                )
            })
            .collect();
        assert_eq!(
            statuses,
            vec![
                (
                    "summary".to_string(),
                    vec![ParagraphStatus::Unchanged, ParagraphStatus::MovedAway]
                ),
                (
                    "Policy".to_string(),
                    vec![ParagraphStatus::Unchanged, ParagraphStatus::Moved]
                ),
            ]
        );
        assert_eq!(blocks[1].paragraphs[1].moved.as_deref(), Some("summary ¶2"));
    }

    #[test]
    fn an_edited_paragraph_stays_aligned_with_its_old_self() {
        let old = record("It voted yes in 2021.[^a] It signed.\n", "Policy text.\n");
        let new = record("It voted yes in 2022.[^a] It signed.\n", "Policy text.\n");
        let blocks = diff(&old, &new);
        assert_eq!(blocks[0].paragraphs.len(), 1);
        assert_eq!(blocks[0].paragraphs[0].status, ParagraphStatus::Changed);
        assert_eq!(blocks[1].paragraphs[0].status, ParagraphStatus::Unchanged);
    }

    #[test]
    fn typography_alone_is_no_change_of_wording() {
        let old = record(
            "It called it \"under consideration\" in 2012-2013.[^a]\n",
            "About 4.9km2 remain, it's said.\n",
        );
        let new = record(
            "It called it \u{201C}under consideration\u{201D} in 2012\u{2013}2013.[^a]\n",
            "About 4.9\u{00A0}km² remain, it\u{2019}s said.\n",
        );
        let blocks = diff(&old, &new);
        assert!(blocks.iter().all(BlockDiff::unchanged), "{blocks:?}");
        let edited = record(
            "It called it \u{201C}under review\u{201D} in 2012\u{2013}2013.[^a]\n",
            "About 4.9\u{00A0}km² remain, it\u{2019}s said.\n",
        );
        let blocks = diff(&old, &edited);
        assert_eq!(blocks[0].paragraphs[0].status, ParagraphStatus::Changed);
        assert!(blocks[1].unchanged(), "{:?}", blocks[1]);
    }

    #[test]
    fn markers_are_removed_whole_and_broken_ones_kept() {
        assert_eq!(
            without_markers("It signed.[^un-treaty:2]  Then [^ not a key] and [^]."),
            "It signed. Then [^ not a key] and [^]."
        );
    }
}
