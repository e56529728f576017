//! A small builder for end-to-end tests: a temporary project seeded with the repository's
//! templates, registries and (optionally) sample profiles, and a runner for the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary dossier project.
pub(crate) struct TestProject {
    dir: tempfile::TempDir,
}

/// What a run of the binary produced.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl TestProject {
    /// A project with templates and registries but no records.
    pub(crate) fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo().join("templates"), &dir.path().join("templates"));
        copy_dir(&repo().join("checks"), &dir.path().join("checks"));
        std::fs::create_dir_all(dir.path().join("profiles")).expect("profiles dir");
        Self { dir }
    }

    /// A project with the repository's sample profiles too.
    pub(crate) fn with_samples() -> Self {
        let project = Self::empty();
        copy_dir(&repo().join("profiles"), &project.path().join("profiles"));
        project
    }

    /// A project with a generated edition of twelve profiles of varied length (odd page
    /// counts, several documents' worth) in `corpus/`, a project of its own.
    pub(crate) fn with_generated_edition() -> Self {
        let project = Self::empty();
        let synth = project.run(&[
            "synth",
            "--countries",
            "12",
            "--editions",
            "1",
            "--seed",
            "5",
            "--out",
            "corpus",
        ]);
        assert_eq!(synth.code, 0, "{}", synth.stderr);
        project
    }

    /// The one book rendered into `dir` (relative to the root).
    pub(crate) fn book_in(&self, dir: &str) -> PathBuf {
        let books: Vec<PathBuf> = std::fs::read_dir(self.path().join(dir))
            .expect("an output directory")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        assert_eq!(books.len(), 1, "one book in {dir}: {books:?}");
        books[0].clone()
    }

    /// The project root.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating directories), relative to the root.
    pub(crate) fn file(&self, rel: &str, text: &str) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, text).expect("write");
        self
    }

    /// Writes raw bytes, relative to the root.
    pub(crate) fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, bytes).expect("write");
        self
    }

    /// Reads a file relative to the root.
    pub(crate) fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs `dossier ARGS` in the project root with colour off.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run dossier"))
    }

    /// The command for `dossier ARGS` in the project root, for tests that need more control.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.current_dir(self.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE");
        cmd
    }
}

/// A minimal valid record for `country` in `edition`, with the given extra TOML appended.
pub(crate) fn minimal_record(country: &str, iso: &str, edition: i32, extra: &str) -> String {
    format!(
        "country = \"{country}\"\niso = \"{iso}\"\ntopic = \"cluster-munition-ban-policy\"\nedition = {edition}\nlast_updated = {edition}-06-01\n{extra}"
    )
}

/// Runs an external tool and returns its standard output, or `None` when it is not installed.
pub(crate) fn tool(program: &str, args: &[&str]) -> Option<(bool, String)> {
    let output = Command::new(program).args(args).output().ok()?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Some((output.status.success(), text))
}

/// How many pages the PDF at `path` has.
pub(crate) fn page_count(path: &Path) -> usize {
    let (ok, info) = tool("pdfinfo", &[path.to_str().expect("utf-8 path")]).expect("pdfinfo");
    assert!(ok, "{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// Text of a PDF through `pdftotext` (layout off), with whitespace folded to single spaces.
pub(crate) fn pdf_text(path: &Path) -> String {
    pdftotext(path, &[])
}

/// Text of page `page` (from 1) of a PDF, as [`pdf_text`] gives the whole.
pub(crate) fn pdf_page_text(path: &Path, page: usize) -> String {
    let page = page.to_string();
    pdftotext(path, &["-f", &page, "-l", &page])
}

fn pdftotext(path: &Path, options: &[&str]) -> String {
    let mut args = options.to_vec();
    args.extend([path.to_str().expect("utf-8 path"), "-"]);
    let (ok, text) = tool("pdftotext", &args).expect("pdftotext is installed (poppler-utils)");
    assert!(ok, "pdftotext failed on {}: {text}", path.display());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of a PDF in the order its content draws it (`pdftotext -raw`), which is the order a
/// tagged PDF's reader follows, with whitespace folded to single spaces.
pub(crate) fn pdf_raw_text(path: &Path) -> String {
    pdftotext(path, &["-raw"])
}

/// A word `pdftotext -bbox` finds on a page, with its left and right edges in points.
pub(crate) struct WordBox {
    /// The word.
    pub text: String,
    /// Its left edge.
    pub left: f64,
    /// Its right edge.
    pub right: f64,
}

/// The width of page `page` (from 1) of a PDF and its words in reading order, with their
/// edges.
pub(crate) fn word_boxes(path: &Path, page: usize) -> (f64, Vec<WordBox>) {
    let page = page.to_string();
    let (ok, xml) = tool(
        "pdftotext",
        &[
            "-bbox",
            "-f",
            &page,
            "-l",
            &page,
            path.to_str().expect("utf-8 path"),
            "-",
        ],
    )
    .expect("pdftotext is installed (poppler-utils)");
    assert!(ok, "pdftotext failed on {}: {xml}", path.display());
    let attribute = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let width = xml
        .lines()
        .find(|l| l.trim_start().starts_with("<page"))
        .map(|l| attribute(l, "width"))
        .unwrap_or_else(|| panic!("no page {page} in {}", path.display()));
    let words = xml
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| WordBox {
            text: l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()].to_string(),
            left: attribute(l, "xMin"),
            right: attribute(l, "xMax"),
        })
        .collect();
    (width, words)
}

/// Lower-case letters and digits only: what survives any line breaking and hyphenation.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A PDF as a reader sees it: written out again with every stream, object streams included,
/// decompressed, so that a test can search its bytes.
pub(crate) fn pdf_plain_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut pdf = lopdf::Document::load_mem(bytes).expect("a PDF lopdf reads");
    pdf.decompress();
    let mut plain = Vec::new();
    pdf.save_to(&mut plain).expect("the PDF written again");
    plain
}

/// How many object streams (ISO 32000-1, 7.5.7) a PDF has.
pub(crate) fn object_streams(bytes: &[u8]) -> usize {
    let pdf = lopdf::Document::load_mem(bytes).expect("a PDF lopdf reads");
    pdf.objects
        .values()
        .filter_map(|object| object.as_stream().ok())
        .filter(|stream| stream.dict.has_type(b"ObjStm"))
        .count()
}

/// Asserts that a PDF is print-ready: every font embedded (`pdffonts`) and the file sound
/// (`qpdf --check`). `what` names it in failure messages.
pub(crate) fn assert_print_ready(path: &Path, what: &str) {
    let p = path.to_str().expect("utf-8 path");
    let (ok, fonts) = tool("pdffonts", &[p]).expect("pdffonts installed");
    assert!(ok, "{fonts}");
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts listed for {what}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cols[cols.len() - 5],
            "yes",
            "font not embedded in {what}: {row}"
        );
    }
    let (ok, check) = tool("qpdf", &["--check", p]).expect("qpdf installed");
    assert!(ok, "qpdf --check failed for {what}: {check}");
}

/// Asserts that the words of `expected` appear in `actual` in the same order.
pub(crate) fn assert_words_in_order(actual: &str, expected: &str, what: &str) {
    let stream = normalize(actual);
    let mut at = 0;
    for word in expected.split_whitespace() {
        let w = normalize(word);
        if w.is_empty() {
            continue;
        }
        match stream[at..].find(&w) {
            Some(i) => at += i + w.len(),
            None => panic!("{what}: word {word:?} missing or out of order in the PDF text"),
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
