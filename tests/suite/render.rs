//! Rendering records and books to PDF: print-readiness, determinism, literal prose.

use std::path::Path;

use crate::book_fonts::raster;
use crate::support::{
    TestProject, assert_print_ready, assert_words_in_order, minimal_record, object_streams,
    page_count, pdf_raw_text, pdf_text, tool, word_boxes,
};

#[test]
fn samples_render_to_print_ready_pdfs() {
    let project = TestProject::with_samples();
    let run = project.run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for rel in [
        "out/2022/kyrgyzstan.pdf",
        "out/2023/kyrgyzstan.pdf",
        "out/2022/armenia.pdf",
        "out/book-2022.pdf",
        "out/book-2023.pdf",
    ] {
        let path = project.path().join(rel);
        assert!(path.is_file(), "{rel} missing");
        assert_print_ready(&path, rel);
        let path = path.to_str().unwrap();
        let (_, info) = tool("pdfinfo", &[path]).expect("pdfinfo installed");
        assert!(info.contains("(A4)"), "{rel} is not A4: {info}");
        assert!(info.contains("Tagged:          yes"), "{rel} is not tagged");
        // Its small objects (the structure tree's most of all) in compressed object streams.
        assert!(
            object_streams(&project.read(rel)) > 0,
            "{rel} is not packed"
        );
    }
    let (_, info) = tool(
        "pdfinfo",
        &[project
            .path()
            .join("out/2022/kyrgyzstan.pdf")
            .to_str()
            .unwrap()],
    )
    .unwrap();
    assert!(
        info.contains("Title:           Kyrgyzstan: Cluster Munition Ban Policy (2022)"),
        "{info}"
    );
    assert!(
        info.contains("Author:          Cluster Munition Monitor"),
        "{info}"
    );
    assert!(
        info.contains("Aug 25") && info.contains("2022"),
        "date not from the record: {info}"
    );
    // The series of each topic, and the Monitor as a whole for a book holding both.
    for (rel, author) in [
        (
            "out/2023/examplestan.mine-ban-policy.pdf",
            "Landmine Monitor",
        ),
        ("out/2023/norway.pdf", "Cluster Munition Monitor"),
        ("out/book-2023.pdf", "Landmine and Cluster Munition Monitor"),
    ] {
        let path = project.path().join(rel);
        let (_, info) = tool("pdfinfo", &[path.to_str().unwrap()]).expect("pdfinfo installed");
        assert!(
            info.contains(&format!("Author:          {author}\n")),
            "{rel}: {info}"
        );
    }
    // The cover's kicker is letter-spaced: pdftotext breaks it up.
    let cover = pdf_text(&project.path().join("out/book-2023.pdf")).replace(' ', "");
    assert!(
        cover.contains("LANDMINEANDCLUSTERMUNITIONMONITOR"),
        "{cover}"
    );
    // The vote chart names the treaty of the topic's annual resolution.
    for (rel, treaty) in [
        (
            "out/2023/examplestan.mine-ban-policy.pdf",
            "Mine Ban Treaty",
        ),
        ("out/2023/kyrgyzstan.pdf", "Convention on Cluster Munitions"),
    ] {
        let text = pdf_text(&project.path().join(rel));
        let caption = format!("Annual UN General Assembly resolution on the {treaty}, by year");
        assert!(text.contains(&caption), "{rel}: {text}");
    }
}

#[test]
fn each_vote_is_drawn_with_its_year() {
    let project = TestProject::with_samples();
    let run = project.run(&["render", "profiles/2022/kyrgyzstan.toml", "--no-book"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_raw_text(&project.path().join("out/2022/kyrgyzstan.pdf"));
    let (_, chart) = text
        .split_once("UN General Assembly votes ")
        .expect("the vote chart's heading");
    // The record's seven votes, 2015 to 2021: each vote, then its year.
    let words: Vec<&str> = chart.split(' ').take(14).collect();
    for (i, pair) in words.chunks(2).enumerate() {
        assert_eq!(pair[1], (2015 + i).to_string(), "{chart}");
        assert!(
            ["Yes", "No", "Abstain", "Absent"].contains(&pair[0]),
            "{chart}"
        );
    }
}

#[test]
fn profile_text_contains_prose_and_footnotes_in_order() {
    let project = TestProject::with_samples();
    assert_eq!(
        project
            .run(&["render", "profiles/2022/kyrgyzstan.toml", "--no-book"])
            .code,
        0
    );
    let text = pdf_text(&project.path().join("out/2022/kyrgyzstan.pdf"));
    let record =
        dossier::record::load_record(&project.path().join("profiles/2022/kyrgyzstan.toml"))
            .unwrap();
    for (name, prose) in record.prose_blocks() {
        assert_words_in_order(&text, &prose.value.plain_text(), &name);
    }
    for citation in &record.citations {
        assert_words_in_order(
            &text,
            &citation.text.value.plain_text(),
            &citation.key.value,
        );
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let project = TestProject::with_samples();
    assert_eq!(
        project.run(&["render", "--out", "a", "--jobs", "2"]).code,
        0
    );
    assert_eq!(
        project.run(&["render", "--out", "b", "--jobs", "1"]).code,
        0
    );
    let mut compared = 0;
    for edition in ["2022", "2023"] {
        for entry in std::fs::read_dir(project.path().join("a").join(edition))
            .unwrap()
            .flatten()
        {
            let name = entry.file_name();
            let b = project.read(&format!("b/{edition}/{}", name.to_string_lossy()));
            assert!(
                std::fs::read(entry.path()).unwrap() == b,
                "{name:?} differs between runs"
            );
            compared += 1;
        }
    }
    assert!(
        project.read("a/book-2022.pdf") == project.read("b/book-2022.pdf"),
        "book differs"
    );
    assert!(compared >= 7, "only {compared} profiles compared");
}

#[test]
fn a_profile_is_the_same_laid_out_alone_or_with_others() {
    // Laid out alone, a profile's PDF numbers its font's glyphs for itself, not for its
    // book: the bytes differ, the pages and their text do not.
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "--out", "all"]).code, 0);
    for one in ["2022/norway", "2023/kyrgyzstan"] {
        let out = format!("one-{}", one.replace('/', "-"));
        let toml = format!("profiles/{one}.toml");
        let run = project.run(&["render", "--no-book", "--out", &out, &toml]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let alone = project.path().join(format!("{out}/{one}.pdf"));
        let with_others = project.path().join(format!("all/{one}.pdf"));
        let pages = page_count(&alone);
        assert!(pages >= 1);
        assert_eq!(pages, page_count(&with_others));
        for page in 1..=pages {
            assert!(
                raster(&alone, page, project.path()) == raster(&with_others, page, project.path()),
                "{one} page {page} looks different when laid out alone"
            );
        }
        let text = |pdf: &Path| tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).unwrap().1;
        assert_eq!(text(&alone), text(&with_others), "{one}'s text");
    }
}

#[test]
fn sample_prose_prints_typographic_quotes_and_dashes() {
    let project = TestProject::with_samples();
    let record = "profiles/2023/kyrgyzstan.toml";
    let source = String::from_utf8(project.read(record)).expect("utf-8");
    assert!(
        source.contains("\"under consideration.\""),
        "the sample types straight quotes"
    );
    assert!(source.contains("2007-2008"), "the sample types a hyphen");
    let run = project.run(&["render", record, "--no-book"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&project.path().join("out/2023/kyrgyzstan.pdf"));
    assert!(
        text.contains("\u{201C}under consideration.\u{201D}"),
        "{text}"
    );
    assert!(text.contains("2007\u{2013}2008"), "{text}");
    assert!(!text.contains("\"under"), "{text}");
    // A letter's reference number is not a range.
    assert!(text.contains("011-14/809"), "{text}");
}

#[test]
fn table_cells_break_between_words_never_inside_one() {
    let project = TestProject::with_samples();
    let record = "profiles/2023/kyrgyzstan.toml";
    let run = project.run(&["render", record, "--no-book"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&project.path().join("out/2023/kyrgyzstan.pdf"));
    // The attendance table names the Second Review Conference (from the meetings
    // registry) in its narrow first column, where the name has to wrap.
    assert!(text.contains("Second Review"), "{text}");
    assert!(text.contains("Conference"), "{text}");
    // A word hyphenated at a line's end reads as its first part and a soft hyphen.
    for split in ["Confer\u{AD}", "Confer-"] {
        assert!(!text.contains(split), "{text}");
    }
}

#[test]
fn hostile_prose_prints_literally() {
    let project = TestProject::empty();
    let hostile = r##"summary = '''Try #read("/etc/passwd") and $x^2$ and *bold* and @ref and <label> and \ and #set page(width: 1cm) and [^not a key] and `raw`.'''
"##;
    project.file(
        "profiles/2023/testland.toml",
        &minimal_record("Testland", "TL", 2023, hostile),
    );
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&project.path().join("out/2023/testland.pdf"));
    for literal in [
        // Quotes outside code are set as typographic ones; the markup stays literal.
        "#read(\u{201C}/etc/passwd\u{201D})",
        "$x^2$",
        "*bold*",
        "@ref",
        "<label>",
        " \\ ",
        // A number and its unit are bound by a no-break space, which reads as a space.
        "#set page(width: 1 cm)",
        "[^not a key]",
        "`raw`",
    ] {
        assert!(
            text.contains(literal),
            "{literal:?} not printed literally in: {text}"
        );
    }
}

#[test]
fn broken_records_are_reported_and_the_rest_still_render() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/good.toml",
        &minimal_record("Goodland", "GL", 2023, ""),
    );
    project.file(
        "profiles/2023/syntax.toml",
        "country = \"Syntaxia\"\niso = \"SX\nedition = 2023\n",
    );
    project.file(
        "profiles/2023/unknown.toml",
        &minimal_record("Unknownia", "UK", 2023, "contry = \"typo\"\n"),
    );
    project.file("profiles/2023/baddate.toml", "country = \"Datia\"\niso = \"DT\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2023\nlast_updated = 2023-02-30\n");
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        project.path().join("out/2023/goodland.pdf").is_file(),
        "the good record was not rendered"
    );
    let stderr = &run.stderr;
    assert!(stderr.contains("profiles/2023/syntax.toml:2:"), "{stderr}");
    assert!(
        stderr.contains("profiles/2023/unknown.toml:6:1: unknown key `contry` at the top level"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `country`?"), "{stderr}");
    assert!(
        stderr.contains("profiles/2023/baddate.toml:5:16:"),
        "{stderr}"
    );
}

#[test]
fn us_letter_by_option() {
    let project = TestProject::with_samples();
    assert_eq!(
        project
            .run(&[
                "render",
                "profiles/2023/norway.toml",
                "--paper",
                "us-letter",
                "--no-book"
            ])
            .code,
        0
    );
    let (_, info) = tool(
        "pdfinfo",
        &[project.path().join("out/2023/norway.pdf").to_str().unwrap()],
    )
    .unwrap();
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
}

#[test]
fn book_has_contents_bookmarks_and_right_hand_starts() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "profiles/2022"]).code, 0);
    let book = project.path().join("out/book-2022.pdf");
    let text = pdf_text(&book);
    assert!(text.contains("Contents"), "no table of contents");
    for country in ["Armenia", "Georgia", "Kyrgyzstan", "Norway"] {
        assert!(text.contains(country), "{country} missing from the book");
    }
    // Each profile starts on an odd page: page i's text starts with the topic line.
    let pages = page_count(&book);
    let mut starts = Vec::new();
    let mut sections = Vec::new();
    for page in 1..=pages {
        let p = page.to_string();
        let (_, t) = tool(
            "pdftotext",
            &["-f", &p, "-l", &p, book.to_str().unwrap(), "-"],
        )
        .unwrap();
        let squeezed = t.replace(char::is_whitespace, "");
        if squeezed.starts_with("CLUSTERMUNITIONBANPOLICY") {
            starts.push(page);
        }
        if squeezed.starts_with("COUNTRYPROFILES2022") {
            sections.push(page);
        }
    }
    // The edition holds several topics: each has a section, whose title page comes first.
    assert_eq!(sections.len(), 5, "section title pages: {sections:?}");
    assert!(sections.iter().all(|p| p % 2 == 1), "{sections:?}");
    assert_eq!(sections[0] + 2, starts[0], "{sections:?} {starts:?}");
    assert_eq!(starts.len(), 4, "profile starts: {starts:?}");
    assert!(
        starts.iter().all(|p| p % 2 == 1),
        "a profile starts on a left-hand page: {starts:?}"
    );
    // The contents give, for each country, the number printed at the foot of its first page.
    let page_text = |page: usize| {
        let p = page.to_string();
        tool(
            "pdftotext",
            &["-layout", "-f", &p, "-l", &p, book.to_str().unwrap(), "-"],
        )
        .unwrap()
        .1
    };
    let contents = page_text(3);
    for (country, start) in ["Armenia", "Georgia", "Kyrgyzstan", "Norway"]
        .iter()
        .zip(&starts)
    {
        let listed = contents
            .lines()
            .find(|l| l.trim_start().starts_with(country))
            .and_then(|l| l.split_whitespace().last())
            .unwrap_or_else(|| panic!("{country} not in the contents: {contents}"));
        let text = page_text(*start);
        let printed = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .trim();
        assert_eq!(
            listed, printed,
            "{country}: contents say {listed}, page says {printed}"
        );
    }
    // Viewers show the printed numbers: roman in the front matter, arabic from the first
    // profile on.
    let (_, labels) = tool(
        "qpdf",
        &["--json", "--json-key=pagelabels", book.to_str().unwrap()],
    )
    .unwrap();
    let labels: serde_json::Value = serde_json::from_str(&labels).unwrap();
    // Each range's style and first number; a page's label is its range's first number plus
    // its offset in the range.
    let ranges: Vec<(u64, String, u64)> = labels["pagelabels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["index"].as_u64().unwrap(),
                l["label"]["/S"].as_str().unwrap().to_string(),
                l["label"]["/St"].as_u64().unwrap_or(1),
            )
        })
        .collect();
    let front = sections[0] as u64 - 1;
    for page in 0..pages as u64 {
        let (index, style, first) = ranges
            .iter()
            .rev()
            .find(|(index, _, _)| *index <= page)
            .expect("a label from the first page on");
        let number = first + page - index;
        let expected = if page < front {
            ("/r", page + 1)
        } else {
            ("/D", page - front + 1)
        };
        assert_eq!(
            (style.as_str(), number),
            expected,
            "label of page {}",
            page + 1
        );
    }
    let bytes = std::fs::read(&book).unwrap();
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(
        xmp.contains(&format!("<xmpTPg:NPages>{pages}</xmpTPg:NPages>")),
        "the metadata does not give {pages} pages"
    );
    let (_, outline) = tool(
        "qpdf",
        &["--json", "--json-key=outlines", book.to_str().unwrap()],
    )
    .unwrap();
    for country in ["Armenia", "Georgia", "Kyrgyzstan", "Norway"] {
        assert!(
            outline.contains(&format!("\"title\": \"{country}\"")),
            "no bookmark for {country}: {outline}"
        );
    }
}

#[test]
fn emit_typst_writes_main_files_data_and_templates() {
    let project = TestProject::with_samples();
    let run = project.run(&[
        "render",
        "profiles/2023/kyrgyzstan.toml",
        "--emit-typst",
        "src-typ",
        "--out",
        "pdf",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = project.path().join("src-typ");
    let main = std::fs::read_to_string(root.join("2023/kyrgyzstan.typ")).unwrap();
    assert!(
        main.contains("/templates/profile.typ") && main.contains("/2023/kyrgyzstan.json"),
        "{main}"
    );
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("2023/kyrgyzstan.json")).unwrap()).unwrap();
    assert_eq!(data["country"], "Kyrgyzstan");
    assert!(Path::new(&root.join("templates/style.typ")).is_file());
    // A book is assembled from its profiles' PDFs: no document of its own is written, but
    // the templates of its front matter and page numbers are there.
    assert!(!root.join("book-2023.typ").exists());
    assert!(root.join("templates/book.typ").is_file());
    assert!(root.join("templates/folios.typ").is_file());
}

/// The left edge of the first word pdftotext finds on a page.
fn first_word_left(pdf: &Path, page: usize) -> f64 {
    let (_, words) = word_boxes(pdf, page);
    words
        .first()
        .unwrap_or_else(|| panic!("no word on page {page} of {}", pdf.display()))
        .left
}

#[test]
fn book_pages_move_towards_the_spine() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "profiles/2022"]).code, 0);
    let book = project.path().join("out/book-2022.pdf");
    let armenia = project.path().join("out/2022/armenia.pdf");
    // Armenia is the first profile, after its section's title page (5) and a blank page: book
    // pages 7 (right-hand) and 8 (left-hand) are its pages 1 and 2, moved 8.5 pt right and
    // left.
    let recto = first_word_left(&book, 7) - first_word_left(&armenia, 1);
    let verso = first_word_left(&book, 8) - first_word_left(&armenia, 2);
    assert!(
        (recto - 8.5).abs() < 0.01,
        "right-hand page moved {recto} pt"
    );
    assert!(
        (verso + 8.5).abs() < 0.01,
        "left-hand page moved {verso} pt"
    );
}

#[test]
fn the_book_holds_a_section_per_topic_or_the_topics_asked_for() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "profiles/2023"]).code, 0);
    let book = project.path().join("out/book-2023.pdf");
    let path = book.to_str().unwrap();
    // The contents list each topic, then its profiles, in the order of the topics.
    let (_, contents) = tool("pdftotext", &["-layout", "-f", "3", "-l", "3", path, "-"]).unwrap();
    let topics = [
        "Cluster Munition Ban Policy",
        "Mine Ban Policy",
        "Mine Action",
        "Casualties and Victim Assistance",
        "Support for Mine Action",
    ];
    let mut at = 0;
    for topic in topics {
        let line = contents[at..]
            .lines()
            .find(|l| l.trim_start().starts_with(topic))
            .unwrap_or_else(|| panic!("{topic} not in the contents: {contents}"));
        let page: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        at += contents[at..].find(line).unwrap() + line.len();
        let next = contents[at..]
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap();
        assert!(
            next.trim_start().starts_with("Examplestan")
                || next.trim_start().starts_with("Georgia"),
            "{topic} is not followed by its profiles: {contents}"
        );
        // The section's title page is where the contents say, numbered like the others.
        let physical = (1..=60).find(|p| {
            let p = p.to_string();
            let (_, t) = tool("pdftotext", &["-layout", "-f", &p, "-l", &p, path, "-"]).unwrap();
            t.replace(char::is_whitespace, "")
                .starts_with("COUNTRYPROFILES2023")
                && t.contains(topic)
                && t.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .map(str::trim)
                    == Some(page.to_string().as_str())
        });
        assert!(
            physical.is_some(),
            "no title page numbered {page} for {topic}"
        );
    }
    let (_, outline) = tool("qpdf", &["--json", "--json-key=outlines", path]).unwrap();
    for topic in topics {
        assert!(
            outline.contains(&format!("\"title\": \"{topic}\"")),
            "no bookmark for {topic}: {outline}"
        );
    }
    let (_, info) = tool("pdfinfo", &[path]).unwrap();
    assert!(info.contains("Country Profiles 2023"), "{info}");
    // The cover counts the profiles, not the sections' title pages.
    let records = std::fs::read_dir(project.path().join("profiles/2023"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("toml".as_ref()))
        .count();
    let (_, cover) = tool("pdftotext", &["-f", "1", "-l", "1", path, "-"]).unwrap();
    assert!(
        cover.contains(&format!("{records} profiles")),
        "the cover does not count {records} profiles: {cover}"
    );

    // One topic: no sections, its name in the title, only its profiles.
    let run = project.run(&["render", "profiles/2023", "--book-topic", "mine-action"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&book);
    assert!(!text.contains("Mine Ban Policy"), "{text}");
    assert!(
        !text.contains("COUNTRY PROFILES 2023\n\nMine Action"),
        "{text}"
    );
    let (_, info) = tool("pdfinfo", &[path]).unwrap();
    assert!(
        info.contains("Mine Action: Country Profiles 2023"),
        "{info}"
    );
    let (_, outline) = tool("qpdf", &["--json", "--json-key=outlines", path]).unwrap();
    assert!(
        !outline.contains("\"title\": \"Cluster Munition Ban Policy\""),
        "{outline}"
    );

    // Two topics: a section each.
    let run = project.run(&[
        "render",
        "profiles/2023",
        "--book-topic",
        "mine-action",
        "--book-topic",
        "mine-ban-policy",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let (_, outline) = tool("qpdf", &["--json", "--json-key=outlines", path]).unwrap();
    for topic in ["Mine Ban Policy", "Mine Action"] {
        assert!(
            outline.contains(&format!("\"title\": \"{topic}\"")),
            "{outline}"
        );
    }
    assert!(
        !outline.contains("\"title\": \"Support for Mine Action\""),
        "{outline}"
    );
}

#[test]
fn a_footnote_a_template_writes_itself_is_numbered_beside_the_records_footnotes() {
    let project = TestProject::empty();
    let record = minimal_record("Examplestan", "XE", 2023, "")
        + "\n[[sections]]\ntitle = \"Policy\"\ntext = \"\"\"\nExamplestan signed the \
           convention.[^letter]\n\"\"\"\n\n[citations]\nletter = \"Letter from the ministry \
           (fictional).\"\n";
    project.file("profiles/2023/examplestan.toml", &record);
    // The template adds a note of its own after the profile's body.
    let profile = String::from_utf8(project.read("templates/profile.typ")).expect("UTF-8");
    let profile = profile.replacen(
        "    profile-body(data)\n",
        "    profile-body(data)\n    [A remark#footnote[A note the template writes.]]\n",
        1,
    );
    assert!(profile.contains("A note the template writes"), "{profile}");
    project.file("templates/profile.typ", &profile);
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&project.path().join("out/2023/examplestan.pdf"));
    for words in [
        "convention.1",
        "A remark2",
        "1Letter from the ministry",
        "2A note the template writes.",
    ] {
        assert!(text.contains(words), "{words:?} missing: {text}");
    }
}

/// The templates' style file with the text colour's closing parenthesis taken away, and the
/// line and column where Typst finds the unclosed delimiter.
fn style_without_a_parenthesis(project: &TestProject) -> (String, usize, usize) {
    let style = String::from_utf8(project.read("templates/style.typ")).expect("UTF-8");
    let (index, line) = style
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with("#let ink = rgb("))
        .expect("the text colour");
    let column = line.find('(').expect("a parenthesis") + 1;
    let broken = style.replacen(
        "#let ink = rgb(\"#1b1b1b\")",
        "#let ink = rgb(\"#1b1b1b\"",
        1,
    );
    assert_ne!(broken, style, "the text colour is no longer #1b1b1b");
    (broken, index + 1, column)
}

#[test]
fn a_template_that_does_not_parse_is_reported_once_before_any_document() {
    let project = TestProject::with_samples();
    let (broken, line, column) = style_without_a_parenthesis(&project);
    project.file("templates/style.typ", &broken);
    let run = project.run(&["render"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let first = format!("templates/style.typ:{line}:{column}: unclosed delimiter");
    assert_eq!(run.stderr.matches(&first).count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("more syntax errors in the templates, most likely caused by this one"),
        "{}",
        run.stderr
    );
    // Said once, not once for every record.
    assert!(run.stderr.lines().count() < 20, "{}", run.stderr);
    assert!(!project.path().join("out").exists(), "nothing is written");
}

#[test]
fn a_template_mistake_that_fails_every_document_is_reported_once_with_the_outputs() {
    let project = TestProject::with_samples();
    let style = String::from_utf8(project.read("templates/style.typ")).expect("UTF-8");
    let broken = style.replacen("rgb(\"#1b1b1b\")", "rgb(undefined-colour)", 1);
    assert_ne!(broken, style);
    project.file("templates/style.typ", &broken);
    let records = dossier::walk::walk(
        &project.path().join("profiles"),
        dossier::walk::WalkOptions::default(),
    )
    .files
    .iter()
    .filter(|path| path.extension().is_some_and(|e| e == "toml"))
    .count();
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr
            .matches("unknown variable: undefined-colour")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("in {records} outputs: profiles/")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{records} failures")),
        "{}",
        run.stderr
    );
}
