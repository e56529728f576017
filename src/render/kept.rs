//! The profiles' PDFs as Typst wrote them, kept in the output directory from one run to the
//! next, so that a book made again after one record changed is joined from the other
//! profiles' PDFs without Typst writing them again.
//!
//! An entry is named by its profile's PDF identifier and a key of everything its PDF is
//! made from (the inputs of the document it was laid out in, the primer of its set, the
//! PDF's settings, the template set, the versions of dossier and Typst), so an entry is
//! either the PDF Typst would write or not used at all. Entries are written without a
//! sync (a lost one is written again), and one that does not end as a PDF ends is not used.
//! A profile's entries that a run did not use are removed at its end: the store holds one
//! PDF per profile.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The directory of the kept PDFs inside the output directory.
pub const KEPT_DIR: &str = ".dossier-kept";

/// The kept PDFs of an output directory, and which of them this run used.
pub(super) struct KeptPdfs {
    dir: PathBuf,
    /// Whether the kept PDFs are read (else only written).
    reuse: bool,
    used: Mutex<HashSet<String>>,
}

impl KeptPdfs {
    /// The kept PDFs of `out_dir`; with `reuse` off, none is read (each is made again).
    pub(super) fn new(out_dir: &Path, reuse: bool) -> Self {
        Self {
            dir: out_dir.join(KEPT_DIR),
            reuse,
            used: Mutex::new(HashSet::new()),
        }
    }

    /// The PDF of the profile `ident` kept under `key`, when there is a whole one.
    pub(super) fn get(&self, ident: &str, key: &str) -> Option<Vec<u8>> {
        if !self.reuse {
            return None;
        }
        let name = file_name(ident, key);
        let bytes = std::fs::read(self.dir.join(&name)).ok()?;
        if !bytes.trim_ascii_end().ends_with(b"%%EOF") {
            return None;
        }
        self.mark(name);
        Some(bytes)
    }

    /// Keeps `pdf`, the profile `ident`'s, under `key`. A PDF that cannot be kept is
    /// made again next time, so a failure is not an error.
    pub(super) fn put(&self, ident: &str, key: &str, pdf: &[u8]) {
        let name = file_name(ident, key);
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let kept = std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&tmp, pdf))
            .and_then(|()| std::fs::rename(&tmp, self.dir.join(&name)));
        if kept.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        self.mark(name);
    }

    /// Removes the entries of the profiles this run used that it did not use itself (the
    /// older versions of their PDFs).
    pub(super) fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let used = self
            .used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let profiles: HashSet<&str> = used.iter().filter_map(|name| ident_of(name)).collect();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stale = ident_of(&name).is_some_and(|ident| profiles.contains(ident));
            if stale && !used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    fn mark(&self, name: String) {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(name);
    }
}

/// An entry's file name: the profile and the key's first 32 characters.
fn file_name(ident: &str, key: &str) -> String {
    format!("{ident}.{}.pdf", key.get(..32).unwrap_or(key))
}

/// The profile an entry's file name is of (`None` for a file that is no entry).
fn ident_of(name: &str) -> Option<&str> {
    let (ident, digest) = name.strip_suffix(".pdf")?.rsplit_once('.')?;
    (digest.len() == 32 && !ident.starts_with('.')).then_some(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY1: &str = "0123456789abcdef0123456789abcdef0123";
    const KEY2: &str = "1123456789abcdef0123456789abcdef0123";
    const KEY3: &str = "2123456789abcdef0123456789abcdef0123";

    #[test]
    fn a_kept_pdf_comes_back_and_what_was_not_used_goes() {
        let out = tempfile::tempdir().expect("a directory");
        let kept = KeptPdfs::new(out.path(), true);
        assert_eq!(kept.get("2023-a", KEY1), None, "nothing kept yet");
        kept.put("2023-a", KEY1, b"%PDF-1.7\n...\n%%EOF\n");
        kept.put("2023-a", KEY2, b"%PDF-1.7\n...\n%%EOF\n");
        kept.put("2023-b", KEY3, b"%PDF-1.7\n...\n%%EOF\n");
        let next = KeptPdfs::new(out.path(), true);
        assert_eq!(
            next.get("2023-a", KEY1).as_deref(),
            Some(&b"%PDF-1.7\n...\n%%EOF\n"[..])
        );
        next.prune();
        let mut left: Vec<String> = std::fs::read_dir(out.path().join(KEPT_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [file_name("2023-a", KEY1), file_name("2023-b", KEY3)],
            "the other version of a profile the run used is gone, another profile's stays"
        );
    }

    #[test]
    fn nothing_is_read_when_every_pdf_is_to_be_made_again() {
        let out = tempfile::tempdir().expect("a directory");
        KeptPdfs::new(out.path(), true).put("2023-a", KEY1, b"%PDF-1.7\n%%EOF\n");
        let again = KeptPdfs::new(out.path(), false);
        assert_eq!(again.get("2023-a", KEY1), None);
        assert!(
            KeptPdfs::new(out.path(), true)
                .get("2023-a", KEY1)
                .is_some()
        );
    }

    #[test]
    fn a_cut_off_pdf_is_not_used() {
        let out = tempfile::tempdir().expect("a directory");
        let kept = KeptPdfs::new(out.path(), true);
        kept.put("2023-a", KEY1, b"%PDF-1.7\n1 0 obj\n<<");
        assert_eq!(KeptPdfs::new(out.path(), true).get("2023-a", KEY1), None);
    }
}
