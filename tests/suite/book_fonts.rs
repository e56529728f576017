//! A book embeds each font once (one subset with every glyph its profiles use) and what every
//! profile repeats (the output intent's colour profile) once, and its pages look exactly like
//! the profiles' own pages.

use std::path::Path;

use crate::support::{TestProject, assert_print_ready, tool};

/// Font names `pdffonts` lists for a PDF, subset tags removed, one per embedded font.
fn font_names(pdf: &Path) -> Vec<String> {
    let (ok, listing) = tool("pdffonts", &[pdf.to_str().unwrap()]).expect("pdffonts installed");
    assert!(ok, "{listing}");
    listing
        .lines()
        .skip(2)
        .filter_map(|row| row.split_whitespace().next())
        .map(|name| {
            name.split_once('+')
                .map_or(name, |(_, rest)| rest)
                .to_string()
        })
        .collect()
}

#[test]
fn a_book_embeds_each_font_once() {
    let project = TestProject::with_samples();
    let run = project.run(&["render", "profiles/2022"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = project.path().join("out/book-2022.pdf");
    assert_print_ready(&book, "the book");
    let mut names = font_names(&book);
    let listed = names.len();
    names.sort();
    names.dedup();
    assert_eq!(
        listed,
        names.len(),
        "a font is embedded more than once: {names:?}"
    );
    // Every font of every profile is among the book's.
    for country in ["armenia", "georgia", "kyrgyzstan", "norway"] {
        let profile = project.path().join(format!("out/2022/{country}.pdf"));
        for name in font_names(&profile) {
            assert!(
                names.contains(&name),
                "{country}'s font {name} is not in the book"
            );
        }
    }
    // The first profile's pages read the same in the book (its folios aside): the shared
    // subsets give each glyph its text.
    let profile = project.path().join("out/2022/armenia.pdf");
    let start = first_profile_page(&book);
    for page in 1..=2 {
        assert_eq!(
            page_text(&profile, page),
            page_text(&book, start + page - 1),
            "page {page}"
        );
    }
}

/// The text of one page, its last line (the folio) left out.
fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    let (ok, text) = tool(
        "pdftotext",
        &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    )
    .expect("pdftotext installed");
    assert!(ok, "{text}");
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.pop();
    lines.join("\n")
}

/// The book page where the first profile starts: the first that begins with the topic line.
fn first_profile_page(book: &Path) -> usize {
    (1..20)
        .find(|page| {
            let p = page.to_string();
            let (_, text) = tool(
                "pdftotext",
                &["-f", &p, "-l", &p, book.to_str().unwrap(), "-"],
            )
            .unwrap();
            text.replace(char::is_whitespace, "")
                .starts_with("CLUSTERMUNITIONBANPOLICY")
        })
        .expect("a profile page in the book")
}

/// A page rasterised at 144 dpi, grey levels row by row, with its width.
pub(crate) fn raster(pdf: &Path, page: usize, dir: &Path) -> (usize, Vec<u8>) {
    let stem = dir.join(format!("page-{page}"));
    let p = page.to_string();
    let (ok, out) = tool(
        "pdftoppm",
        &[
            "-r",
            "144",
            "-gray",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    )
    .expect("pdftoppm installed");
    assert!(ok, "{out}");
    let bytes = std::fs::read(stem.with_extension("pgm")).unwrap();
    // Binary PGM: "P5", width, height, maximum, one whitespace, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    let width: usize = fields[1].parse().unwrap();
    (width, bytes[at + 1..].to_vec())
}

#[test]
fn book_pages_look_exactly_like_the_profiles_pages() {
    let project = TestProject::with_samples();
    let run = project.run(&["render", "profiles/2022"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = project.path().join("out/book-2022.pdf");
    let start = first_profile_page(&book);
    let profile = project.path().join("out/2022/armenia.pdf");
    let (width, own) = raster(&profile, 1, project.path());
    let (book_width, in_book) = raster(&book, start, project.path());
    assert_eq!(width, book_width);
    assert_eq!(own.len(), in_book.len());
    // A right-hand page moves 8.5 pt (17 pixels at 144 dpi) towards the spine; the folio at
    // the foot differs ("1 / 2" against "1"), so the lowest tenth of the page is left out.
    let shift = 17;
    let rows = own.len() / width * 9 / 10;
    let mut differing = 0;
    for row in 0..rows {
        for x in 0..width - shift {
            if own[row * width + x] != in_book[row * width + x + shift] {
                differing += 1;
            }
        }
    }
    assert!(
        own[..rows * width].iter().any(|&v| v < 128),
        "the profile's page is blank"
    );
    assert_eq!(differing, 0, "{differing} pixels differ");
}

/// The ICC colour profiles a PDF carries (streams whose data has the profile signature),
/// their data.
fn icc_profiles(pdf: &Path) -> Vec<Vec<u8>> {
    let document = lopdf::Document::load(pdf).unwrap();
    document
        .objects
        .values()
        .filter_map(|object| object.as_stream().ok())
        .filter_map(|stream| stream.decompressed_content().ok())
        .filter(|data| data.get(36..40) == Some(b"acsp".as_slice()))
        .collect()
}

#[test]
fn a_book_carries_each_colour_profile_once() {
    let project = TestProject::with_samples();
    let run = project.run(&["render", "profiles/2022"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = project.path().join("out");
    let mut own = icc_profiles(&out.join("2022/armenia.pdf"));
    assert!(!own.is_empty(), "a profile has its colour profiles");
    let mut in_book = icc_profiles(&out.join("book-2022.pdf"));
    let carried = in_book.len();
    in_book.sort();
    in_book.dedup();
    assert_eq!(carried, in_book.len(), "a colour profile is repeated");
    // Each of the profile's colour profiles is the book's.
    own.sort();
    own.dedup();
    assert!(own.iter().all(|icc| in_book.contains(icc)));
}
