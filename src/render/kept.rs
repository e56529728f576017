//! The profiles' PDFs as Typst wrote them, and what their layout showed, kept in the output
//! directory from one run to the next, so that a book made again after one record changed
//! is joined from the other profiles' PDFs without Typst laying them out or writing them
//! again.
//!
//! A PDF entry is named by its profile's PDF identifier and a key of everything its PDF is
//! made from (the inputs of the document it was laid out in, the primer of its set, the
//! PDF's settings, the template set, the versions of dossier and Typst), so an entry is
//! either the PDF Typst would write or not used at all. A layout entry is named by the
//! profile and the key of the document it was laid out in, and holds what a book needs of
//! its pages when they are not laid out again: how many there are, and their glyphs.
//!
//! The entries live in one file, [`STORE`] in [`KEPT_DIR`]: read when a run starts, written
//! again when its profiles' PDFs are made, with this run's entries and the other profiles'
//! (the store holds one PDF and one layout per profile). One file rather than one per
//! profile: creating 200 files cost a render's threads a quarter of a second of system
//! time, one file of the same bytes a few milliseconds. The store is written whole and then
//! renamed, without a sync (a lost store is made again); each entry carries its length and
//! a checksum, so an entry that is cut off or damaged is not used, and the whole ones before
//! it still are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::typst::KeptRuns;

/// The directory of the kept PDFs inside the output directory.
pub const KEPT_DIR: &str = ".dossier-kept";

/// The file in [`KEPT_DIR`] that holds the kept PDFs.
pub const STORE: &str = "store";

/// The first line of a store (its format's version).
const MAGIC: &[u8] = b"dossier kept PDFs 2\n";

/// A PDF as Typst wrote it, shared by the run that holds it and the store.
pub(super) type PdfBytes = Arc<[u8]>;

/// A kept PDF or layout as the store holds it.
#[derive(Clone)]
struct Entry {
    /// The run that made it (runs are counted from 1 in each store).
    run: u64,
    /// A PDF, or a layout as JSON.
    bytes: PdfBytes,
}

/// What a profile's pages were, as a book needs them when they are not laid out again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct KeptLayout {
    /// How many pages.
    pub(super) pages: usize,
    /// Their glyphs.
    pub(super) runs: KeptRuns,
}

/// A kept PDF or layout, as [`kept_pdfs`] and [`kept_layouts`] list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptPdf {
    /// The entry's name: the profile's PDF identifier and its key.
    pub name: String,
    /// The run of the store that made it (1 for the first).
    pub run: u64,
    /// Its size in bytes.
    pub len: usize,
}

/// The PDFs kept in `out_dir`, in the order of their names; none when there is no whole
/// store.
pub fn kept_pdfs(out_dir: &Path) -> Vec<KeptPdf> {
    listed(out_dir, Kind::Pdf)
}

/// The layouts kept in `out_dir`, in the order of their names; none when there is no whole
/// store.
pub fn kept_layouts(out_dir: &Path) -> Vec<KeptPdf> {
    listed(out_dir, Kind::Layout)
}

/// The entries of `kind` kept in `out_dir`, in the order of their names.
fn listed(out_dir: &Path, kind: Kind) -> Vec<KeptPdf> {
    let mut listed: Vec<KeptPdf> = read_store(&out_dir.join(KEPT_DIR).join(STORE))
        .into_iter()
        .filter(|(name, _)| name_parts(name).is_some_and(|(_, of)| of == kind))
        .map(|(name, entry)| KeptPdf {
            name,
            run: entry.run,
            len: entry.bytes.len(),
        })
        .collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    listed
}

/// The kept PDFs of an output directory, and which of them this run used or made.
pub(super) struct KeptPdfs {
    dir: PathBuf,
    /// Whether the kept PDFs are read (else only written).
    reuse: bool,
    /// What the store held when the run started.
    found: HashMap<String, Entry>,
    /// This run's number: one more than the latest in the store.
    run: u64,
    /// The entries this run used or made, by name.
    used: Mutex<HashMap<String, Entry>>,
}

impl KeptPdfs {
    /// The kept PDFs of `out_dir`; with `reuse` off, none is read (each is made again).
    pub(super) fn new(out_dir: &Path, reuse: bool) -> Self {
        let dir = out_dir.join(KEPT_DIR);
        let found = read_store(&dir.join(STORE));
        let run = found.values().map(|entry| entry.run).max().unwrap_or(0) + 1;
        Self {
            dir,
            reuse,
            found,
            run,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The PDF of the profile `ident` kept under `key`, when there is a whole one.
    pub(super) fn get(&self, ident: &str, key: &str) -> Option<PdfBytes> {
        if !self.reuse {
            return None;
        }
        self.used_entry(entry_name(ident, key, Kind::Pdf))
    }

    /// Keeps `pdf`, the profile `ident`'s, under `key` (in the store [`KeptPdfs::save`]
    /// writes).
    pub(super) fn put(&self, ident: &str, key: &str, pdf: PdfBytes) {
        let entry = Entry {
            run: self.run,
            bytes: pdf,
        };
        self.lock().insert(entry_name(ident, key, Kind::Pdf), entry);
    }

    /// The layout of the profile `ident` kept for the document of key `document`, when
    /// there is a whole one.
    pub(super) fn layout(&self, ident: &str, document: &str) -> Option<KeptLayout> {
        if !self.reuse {
            return None;
        }
        let bytes = self.used_entry(entry_name(ident, document, Kind::Layout))?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Keeps `layout`, the profile `ident`'s laid out in the document of key `document`.
    pub(super) fn put_layout(&self, ident: &str, document: &str, layout: &KeptLayout) {
        let Ok(json) = serde_json::to_vec(layout) else {
            return;
        };
        let entry = Entry {
            run: self.run,
            bytes: PdfBytes::from(json),
        };
        let name = entry_name(ident, document, Kind::Layout);
        self.lock().insert(name, entry);
    }

    /// The bytes of the entry `name` found in the store, which this run then uses.
    fn used_entry(&self, name: String) -> Option<PdfBytes> {
        let entry = self.found.get(&name)?.clone();
        let bytes = entry.bytes.clone();
        self.lock().insert(name, entry);
        Some(bytes)
    }

    /// Writes the store: the entries this run used or made, and those of the profiles it
    /// did not touch (the older versions of its own profiles' PDFs are left out). A store
    /// that cannot be written is made again next time, so a failure is not an error.
    pub(super) fn save(&self) {
        let used = self.lock();
        if used.is_empty() {
            return;
        }
        let profiles: std::collections::HashSet<&str> =
            used.keys().filter_map(|name| ident_of(name)).collect();
        let mut entries: Vec<(&String, &Entry)> = self
            .found
            .iter()
            .filter(|(name, _)| ident_of(name).is_some_and(|ident| !profiles.contains(ident)))
            .chain(used.iter())
            .collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let store = self.dir.join(STORE);
        let tmp = self
            .dir
            .join(format!(".{STORE}.{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(&self.dir)
            .and_then(|()| write_store(&tmp, &entries))
            .and_then(|()| std::fs::rename(&tmp, &store));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
            return;
        }
        remove_single_files(&self.dir);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Removes the kept PDFs that earlier versions wrote to `dir` one file each (named as an
/// entry is).
fn remove_single_files(dir: &Path) {
    let Ok(files) = std::fs::read_dir(dir) else {
        return;
    };
    for file in files.flatten() {
        if ident_of(&file.file_name().to_string_lossy()).is_some() {
            let _ = std::fs::remove_file(file.path());
        }
    }
}

/// What an entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Layout,
}

impl Kind {
    /// The end of the name of an entry of this kind.
    fn suffix(self) -> &'static str {
        match self {
            Kind::Pdf => ".pdf",
            Kind::Layout => ".layout",
        }
    }
}

/// An entry's name: the profile, the key's first 32 characters and what it holds.
fn entry_name(ident: &str, key: &str, kind: Kind) -> String {
    format!("{ident}.{}{}", key.get(..32).unwrap_or(key), kind.suffix())
}

/// The profile an entry's name is of (`None` for a name that is no entry's).
fn ident_of(name: &str) -> Option<&str> {
    name_parts(name).map(|(ident, _)| ident)
}

/// The profile an entry's name is of and what the entry holds.
fn name_parts(name: &str) -> Option<(&str, Kind)> {
    [Kind::Pdf, Kind::Layout].into_iter().find_map(|kind| {
        let (ident, digest) = name.strip_suffix(kind.suffix())?.rsplit_once('.')?;
        (digest.len() == 32 && !ident.is_empty()).then_some((ident, kind))
    })
}

/// Writes a store to `path`: [`MAGIC`], then each entry as a line `run name length
/// checksum` and its PDF's bytes, each followed by a newline. (Through a buffer, not built
/// whole first: a store of 200 profiles is about 16 MB.)
fn write_store(path: &Path, entries: &[(&String, &Entry)]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(MAGIC)?;
    for (name, entry) in entries {
        let (run, len, sum) = (entry.run, entry.bytes.len(), checksum(&entry.bytes));
        writeln!(out, "{run} {name} {len} {sum:08x}")?;
        out.write_all(&entry.bytes)?;
        out.write_all(b"\n")?;
    }
    out.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    Ok(())
}

/// The whole entries of the store at `path`, by name: none when there is no store or it is
/// of another format; reading stops at the first entry that is cut off or damaged.
fn read_store(path: &Path) -> HashMap<String, Entry> {
    let mut entries = HashMap::new();
    let Ok(bytes) = std::fs::read(path) else {
        return entries;
    };
    let Some(mut rest) = bytes.strip_prefix(MAGIC) else {
        return entries;
    };
    while let Some((name, entry, after)) = next_entry(rest) {
        entries.insert(name, entry);
        rest = after;
    }
    entries
}

/// The entry at the start of `bytes` and the bytes after it, when it is whole.
fn next_entry(bytes: &[u8]) -> Option<(String, Entry, &[u8])> {
    let line_end = bytes.iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&bytes[..line_end]).ok()?;
    let mut fields = line.split(' ');
    let run: u64 = fields.next()?.parse().ok()?;
    let name = fields.next()?;
    let len: usize = fields.next()?.parse().ok()?;
    let sum = u32::from_str_radix(fields.next()?, 16).ok()?;
    let (_, kind) = name_parts(name)?;
    if fields.next().is_some() {
        return None;
    }
    let body = bytes.get(line_end + 1..)?;
    let held = body.get(..len)?;
    let after = body.get(len..)?.strip_prefix(b"\n")?;
    let ends = kind == Kind::Layout || held.trim_ascii_end().ends_with(b"%%EOF");
    let whole = checksum(held) == sum && ends;
    whole.then(|| {
        let entry = Entry {
            run,
            bytes: Arc::from(held),
        };
        (name.to_owned(), entry, after)
    })
}

/// A checksum of an entry's bytes (CRC-32).
fn checksum(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY1: &str = "0123456789abcdef0123456789abcdef0123";
    const KEY2: &str = "1123456789abcdef0123456789abcdef0123";
    const KEY3: &str = "2123456789abcdef0123456789abcdef0123";

    fn pdf(text: &str) -> PdfBytes {
        Arc::from(text.as_bytes())
    }

    fn names(out: &Path) -> Vec<(String, u64)> {
        kept_pdfs(out)
            .into_iter()
            .map(|k| (k.name, k.run))
            .collect()
    }

    #[test]
    fn a_kept_pdf_comes_back_and_what_was_not_used_goes() {
        let out = tempfile::tempdir().expect("a directory");
        let kept = KeptPdfs::new(out.path(), true);
        assert_eq!(kept.get("2023-a", KEY1), None, "nothing kept yet");
        kept.put("2023-a", KEY1, pdf("%PDF-1.7\n...\n%%EOF\n"));
        kept.put("2023-b", KEY3, pdf("%PDF-1.7\n.b.\n%%EOF\n"));
        // A PDF kept the way earlier versions kept them, one file each.
        let single = out
            .path()
            .join(KEPT_DIR)
            .join(entry_name("2023-b", KEY1, Kind::Pdf));
        std::fs::create_dir_all(out.path().join(KEPT_DIR)).unwrap();
        std::fs::write(&single, "%PDF-1.7\n%%EOF\n").unwrap();
        kept.save();
        assert!(!single.exists(), "a PDF kept in a file of its own is gone");
        let next = KeptPdfs::new(out.path(), true);
        assert_eq!(
            next.get("2023-a", KEY1).as_deref(),
            Some(&b"%PDF-1.7\n...\n%%EOF\n"[..])
        );
        next.put("2023-a", KEY2, pdf("%PDF-1.7\n.2.\n%%EOF\n"));
        next.save();
        assert_eq!(
            names(out.path()),
            [
                (entry_name("2023-a", KEY1, Kind::Pdf), 1),
                (entry_name("2023-a", KEY2, Kind::Pdf), 2),
                (entry_name("2023-b", KEY3, Kind::Pdf), 1)
            ],
            "both PDFs this run used or made, the other profile's as it was"
        );
        let third = KeptPdfs::new(out.path(), true);
        third.get("2023-a", KEY2).expect("kept");
        third.save();
        assert_eq!(
            names(out.path()),
            [
                (entry_name("2023-a", KEY2, Kind::Pdf), 2),
                (entry_name("2023-b", KEY3, Kind::Pdf), 1)
            ],
            "the version of a profile the run did not use is gone"
        );
    }

    #[test]
    fn nothing_is_read_when_every_pdf_is_to_be_made_again() {
        let out = tempfile::tempdir().expect("a directory");
        let kept = KeptPdfs::new(out.path(), true);
        kept.put("2023-a", KEY1, pdf("%PDF-1.7\n%%EOF\n"));
        kept.save();
        let again = KeptPdfs::new(out.path(), false);
        assert_eq!(again.get("2023-a", KEY1), None);
        assert!(
            KeptPdfs::new(out.path(), true)
                .get("2023-a", KEY1)
                .is_some()
        );
    }

    #[test]
    fn a_cut_off_or_damaged_entry_is_not_used_and_the_whole_ones_before_it_are() {
        let out = tempfile::tempdir().expect("a directory");
        let kept = KeptPdfs::new(out.path(), true);
        kept.put("2023-a", KEY1, pdf("%PDF-1.7\n1 0 obj\n<<>>\n%%EOF\n"));
        kept.put("2023-b", KEY1, pdf("%PDF-1.7\n2 0 obj\n<<>>\n%%EOF\n"));
        kept.put("2023-c", KEY1, pdf("%PDF-1.7\n1 0 obj\n<<"));
        kept.save();
        let store = out.path().join(KEPT_DIR).join(STORE);
        let whole = std::fs::read(&store).unwrap();
        let listed = |bytes: &[u8]| {
            std::fs::write(&store, bytes).unwrap();
            let kept = KeptPdfs::new(out.path(), true);
            ["2023-a", "2023-b", "2023-c"].map(|ident| kept.get(ident, KEY1).is_some())
        };
        assert_eq!(listed(&whole), [true, true, false], "a PDF without its end");
        let second = whole.windows(9).position(|w| w == b"2 0 obj\n<").unwrap();
        assert_eq!(listed(&whole[..second]), [true, false, false], "cut off");
        let mut damaged = whole.clone();
        damaged[second] = b'3';
        assert_eq!(listed(&damaged), [true, false, false], "damaged inside");
        assert_eq!(listed(b"another format\n"), [false, false, false]);
    }

    #[test]
    fn an_entry_name_gives_its_profile() {
        assert_eq!(
            ident_of(&entry_name("2023-a.b", KEY1, Kind::Pdf)),
            Some("2023-a.b")
        );
        assert_eq!(
            name_parts(&entry_name("2023-a.b", KEY1, Kind::Layout)),
            Some(("2023-a.b", Kind::Layout))
        );
        assert_eq!(ident_of("2023-a.pdf"), None);
        assert_eq!(ident_of("store"), None);
    }
}
