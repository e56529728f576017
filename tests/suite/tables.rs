//! Tables as data: records hold tables, profiles print them as tables, totals are checked.

use crate::support::{TestProject, assert_print_ready, page_count, pdf_text, tool, word_boxes};

const MINE_ACTION: &str = r#"country = "Examplestan"
iso = "XE"
topic = "mine-action"
edition = 2023
last_updated = 2023-06-01

[[sections]]
title = "Contamination"
text = """
Examplestan reports mined areas in three provinces.
"""

[[sections]]
title = "Clearance"
text = """
Clearance continued in the north.
"""

[[tables]]
id = "contamination"
title = "Mined areas by province"
section = "Contamination"
columns = ["Province", "Confirmed hazardous areas", "Area", "Suspected hazardous areas", "Area"]
units = ["", "", "km²", "", "km²"]
rows = [
  ["Northfold", "12", "1.52", "3", "0.40"],
  ["Eastmarch", "7", "0.83", "0", "0.00"],
  ["Total", "19", "2.35", "3", "0.40"],
]
"#;

#[test]
fn a_table_prints_as_a_table_after_its_section() {
    let project = TestProject::empty();
    project.file("profiles/2023/examplestan.mine-action.toml", MINE_ACTION);
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let pdf = project.path().join("out/2023/examplestan.mine-action.pdf");
    assert_print_ready(&pdf, "mine action profile");
    let text = pdf_text(&pdf);
    // Rows in order, each row's cells together, the unit under its heading.
    for row in [
        "Northfold 12 1.52 3 0.40",
        "Eastmarch 7 0.83 0 0.00",
        "Total 19 2.35 3 0.40",
    ] {
        assert!(text.contains(row), "row {row:?} missing in: {text}");
    }
    assert!(text.contains("(km²)"), "unit missing in: {text}");
    let (table, north, clearance) = (
        text.find("Mined areas by province").expect("caption"),
        text.find("Northfold").expect("row"),
        text.find("Clearance continued").expect("next section"),
    );
    assert!(
        text.find("three provinces").expect("section") < table
            && table < north
            && north < clearance,
        "the table follows its section: {text}"
    );
    // Figures are right-aligned: in the layout text the rows end in the same column.
    let (_, layout) = tool("pdftotext", &["-layout", pdf.to_str().expect("path"), "-"])
        .expect("pdftotext installed");
    let end_of = |word: &str| {
        let line = layout
            .lines()
            .find(|l| l.trim_start().starts_with(word))
            .unwrap_or_else(|| panic!("no line starts with {word}: {layout}"));
        line.trim_end().chars().count()
    };
    assert_eq!(end_of("Northfold"), end_of("Eastmarch"), "{layout}");
    // The bold total row is a little wider; its last figure still ends in the same place.
    assert!(
        end_of("Northfold").abs_diff(end_of("Total")) <= 1,
        "{layout}"
    );
}

#[test]
fn tables_round_trip_through_the_record_file() {
    let project = TestProject::empty();
    project.file("profiles/2023/examplestan.mine-action.toml", MINE_ACTION);
    let run = project.run(&["check", "profiles/2023/examplestan.mine-action.toml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let broken = MINE_ACTION.replace(
        r#"["Eastmarch", "7", "0.83", "0", "0.00"],"#,
        r#"["Eastmarch", "7", "0.83", "0"],"#,
    );
    project.file("profiles/2023/examplestan.mine-action.toml", &broken);
    let run = project.run(&["check", "profiles/2023/examplestan.mine-action.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has 4 cells for 5 columns"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_imported_contamination_table_becomes_a_table_and_prints_as_one() {
    let project = TestProject::empty();
    let page = std::fs::read_to_string(
        crate::support::repo().join("tests/fixtures/archive/examplestan-2023-mine-action.txt"),
    )
    .expect("fixture");
    project.file("archive/examplestan-2023-mine-action.txt", &page);
    let run = project.run(&[
        "import",
        "archive/examplestan-2023-mine-action.txt",
        "--iso",
        "XE",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let rel = "profiles/2023/examplestan.mine-action.toml";
    let toml = String::from_utf8(project.read(rel)).expect("utf-8");
    let record = dossier::record::parse_record(std::path::Path::new(rel), &toml)
        .unwrap_or_else(|e| panic!("{}", e.brief()));
    assert_eq!(record.tables.len(), 1, "{toml}");
    let table = &record.tables[0];
    assert_eq!(
        table.section.as_ref().map(|s| s.value.as_str()),
        Some("Contamination")
    );
    let columns: Vec<&str> = table.columns.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(
        columns,
        [
            "Province",
            "Confirmed hazardous areas",
            "Area",
            "Suspected hazardous areas",
            "Area"
        ]
    );
    let units: Vec<&str> = table.units.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(units, ["", "", "km²", "", "km²"]);
    let rows: Vec<Vec<&str>> = table
        .rows
        .iter()
        .map(|r| r.value.iter().map(|c| c.value.as_str()).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["Northfold", "12", "1.52", "3", "0.40"],
            ["Eastmarch", "7", "0.83", "0", "0.00"],
            ["Total", "19", "2.35", "3", "0.40"],
        ]
    );
    // The cells are no longer loose headings or paragraphs.
    assert!(
        !record.sections.iter().any(|s| s.title.value == "Northfold"),
        "{toml}"
    );
    assert_eq!(record.sections.len(), 2, "{toml}");

    let run = project.run(&["render", rel, "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&project.path().join("out/2023/examplestan.mine-action.pdf"));
    let mut at = 0;
    for row in [
        "Northfold 12 1.52 3 0.40",
        "Eastmarch 7 0.83 0 0.00",
        "Total 19 2.35 3 0.40",
    ] {
        let found = text[at..]
            .find(row)
            .unwrap_or_else(|| panic!("row {row:?} missing or out of order in: {text}"));
        at += found + row.len();
    }
}

#[test]
fn cells_that_do_not_form_rows_are_reported_and_kept_as_text() {
    let project = TestProject::empty();
    let page = "Examplestan\nCasualties and Victim Assistance\nLast updated: 12 July 2023\nSummary: Casualties fell.\nCasualties\nYear\nKilled\nInjured\n2021\n3\n4\n2022\n5\nsix\n7\n";
    project.file("archive/examplestan-2023-casualties.txt", page);
    let run = project.run(&[
        "import",
        "archive/examplestan-2023-casualties.txt",
        "--iso",
        "XE",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("look like a table") || run.stdout.contains("look like a table"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let toml = String::from_utf8(
        project.read("profiles/2023/examplestan.casualties-and-victim-assistance.toml"),
    )
    .expect("utf-8");
    assert!(!toml.contains("[[tables]]"), "{toml}");
    assert!(toml.contains("six"), "the text is kept: {toml}");
}

#[test]
fn the_differ_compares_tables_cell_by_cell() {
    let project = TestProject::empty();
    let old = MINE_ACTION
        .replace("edition = 2023", "edition = 2022")
        .replace("last_updated = 2023-06-01", "last_updated = 2022-06-01");
    project.file("profiles/2022/examplestan.mine-action.toml", &old);
    // One figure corrected, one row gone, one row added; the rest unchanged.
    let new = MINE_ACTION
        .replace(
            r#"["Northfold", "12", "1.52", "3", "0.40"],"#,
            r#"["Northfold", "12", "1.61", "3", "0.40"],"#,
        )
        .replace(
            r#"["Eastmarch", "7", "0.83", "0", "0.00"],"#,
            r#"["Westvale", "7", "0.83", "0", "0.00"],"#,
        )
        .replace(
            r#"["Total", "19", "2.35", "3", "0.40"],"#,
            r#"["Total", "19", "2.44", "3", "0.40"],"#,
        );
    project.file("profiles/2023/examplestan.mine-action.toml", &new);
    let run = project.run(&["diff", "2022", "2023", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let changes = value["records"][0]["changes"].as_array().expect("changes");
    let find = |path: &str| {
        changes
            .iter()
            .find(|c| c["path"] == path)
            .unwrap_or_else(|| panic!("no change at {path}: {changes:#?}"))
    };
    let area = find("tables.contamination.Northfold.Area (3)");
    assert_eq!(
        (area["old"].as_str(), area["new"].as_str()),
        (Some("1.52"), Some("1.61"))
    );
    let total = find("tables.contamination.Total.Area (3)");
    assert_eq!(total["new"], "2.44");
    assert!(find("tables.contamination.Eastmarch.Confirmed hazardous areas")["new"].is_null());
    assert!(find("tables.contamination.Westvale.Confirmed hazardous areas")["old"].is_null());
    assert!(
        !changes
            .iter()
            .any(|c| c["path"] == "tables.contamination.Northfold.Confirmed hazardous areas"),
        "an unchanged cell is no change: {changes:#?}"
    );
}

#[test]
fn the_key_facts_box_shows_the_article_5_deadline_and_whether_on_track() {
    let project = TestProject::empty();
    let record = format!(
        "{MINE_ACTION}\n[clearance]\noriginal_deadline = 2013-03-01\ndeadline = 2021-03-01\non_track = false\n\n[[clearance.extensions]]\ngranted = \"MBT-12MSP\"\nuntil = 2018-03-01\n\n[[clearance.extensions]]\ngranted = \"MBT-16MSP\"\nuntil = 2021-03-01\n"
    );
    project.file("profiles/2023/examplestan.mine-action.toml", &record);
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&project.path().join("out/2023/examplestan.mine-action.pdf"));
    // The box is a grid: pdftotext reads its labels, then its values.
    for words in [
        "Article 5 deadline",
        "On track to meet the deadline",
        "1 March 2021",
        "extended 2 times (originally 1 March 2013)",
        "No Contamination",
    ] {
        assert!(text.contains(words), "{words:?} missing in: {text}");
    }
}

/// The contamination record with a footnote on one cell and one on a whole row.
fn with_notes(cell_source: &str) -> String {
    format!(
        "{MINE_ACTION}\n[[tables.notes]]\nrow = \"Northfold\"\ncolumn = \"Confirmed hazardous areas\"\nsource = \"{cell_source}\"\n\n[[tables.notes]]\nrow = \"Total\"\nsource = \"survey\"\n\n[citations]\nsurvey = \"National survey of mined areas, 2022 (fictional).\"\nrecount = \"Recount of Northfold's hazardous areas, 2023 (fictional).\"\n"
    )
}

#[test]
fn a_footnote_on_a_cell_or_row_prints_as_a_marker_and_counts_as_a_citation() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-action.toml";
    project.file(path, &with_notes("recount"));
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&project.path().join("out/2023/examplestan.mine-action.pdf"));
    // Markers 1 and 2 follow their cells; the notes are footnotes, not lines under the table.
    assert!(
        text.contains("Northfold 121 1.52"),
        "no marker after the cell: {text}"
    );
    assert!(
        text.contains("Total2 19"),
        "no marker after the row's name: {text}"
    );
    for note in [
        "1Recount of Northfold’s hazardous areas",
        "2National survey of mined areas",
    ] {
        assert!(text.contains(note), "footnote {note:?} missing: {text}");
    }
    assert!(!text.contains("Total: National"), "{text}");

    // Both citations are used (no DOS303); a note naming no citation is DOS302.
    let json = project.run(&["check", path, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let rules: Vec<&str> = value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect();
    assert!(!rules.contains(&"unused-citation"), "{}", json.stdout);
    project.file(path, &with_notes("lost-source"));
    let json = project.run(&["check", path, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let rules: Vec<&str> = value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect();
    assert!(rules.contains(&"missing-citation"), "{}", json.stdout);
    assert!(
        rules.contains(&"unused-citation"),
        "recount is no longer cited: {}",
        json.stdout
    );
}

#[test]
fn the_differ_shows_a_footnote_added_to_a_cell() {
    let project = TestProject::empty();
    let old = with_notes("recount")
        .replace("edition = 2023", "edition = 2022")
        .replace("last_updated = 2023-06-01", "last_updated = 2022-06-01")
        .replace(
            "[[tables.notes]]\nrow = \"Northfold\"\ncolumn = \"Confirmed hazardous areas\"\nsource = \"recount\"\n\n",
            "",
        );
    project.file("profiles/2022/examplestan.mine-action.toml", &old);
    project.file(
        "profiles/2023/examplestan.mine-action.toml",
        &with_notes("recount"),
    );
    let run = project.run(&["diff", "2022", "2023", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let changes = value["records"][0]["changes"].as_array().expect("changes");
    let added = changes
        .iter()
        .find(|c| c["path"] == "tables.contamination.notes.Northfold.Confirmed hazardous areas")
        .unwrap_or_else(|| panic!("no change for the new note: {changes:#?}"));
    assert!(added["old"].is_null(), "{added}");
    assert!(
        added["new"]
            .as_str()
            .is_some_and(|n| n.starts_with("Recount of Northfold")),
        "{added}"
    );
    assert!(
        !changes
            .iter()
            .any(|c| c["path"] == "tables.contamination.notes.Total"),
        "an unchanged note is no change: {changes:#?}"
    );
}

#[test]
fn markers_in_imported_cells_become_notes_on_those_cells() {
    let page = std::fs::read_to_string(
        crate::support::repo().join("tests/fixtures/archive/examplestan-2023-mine-action.txt"),
    )
    .expect("fixture")
    .replacen("1.52\n", "1.52[2]\n", 1)
    .replacen("Total\n", "Total [3]\n", 1)
    .replace(
        "[1] Examplestan, annual transparency report for calendar year 2022.",
        "[1] Examplestan, annual transparency report for calendar year 2022.\n[2] Resurvey of Northfold, 2023.\n[3] Totals as reported by the national authority.",
    );
    let options = dossier::import::ImportOptions {
        iso: Some("XE".into()),
        ..Default::default()
    };
    let imported = dossier::import::import_text(&page, &options).expect("imports");
    let table = &imported.record.tables[0];
    let rows: Vec<&str> = table
        .rows
        .iter()
        .map(|r| r.value[0].value.as_str())
        .collect();
    assert_eq!(
        rows,
        ["Northfold", "Eastmarch", "Total"],
        "{}",
        imported.toml
    );
    assert_eq!(table.rows[0].value[2].value, "1.52");
    let notes: Vec<(&str, Option<&str>, &str)> = table
        .notes
        .iter()
        .map(|n| {
            (
                n.row.value.as_str(),
                n.column.as_ref().map(|c| c.value.as_str()),
                n.source.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [("Northfold", Some("Area"), "n2"), ("Total", None, "n3")],
        "{}",
        imported.toml
    );
    assert!(
        imported.record.citation("n2").is_some(),
        "{}",
        imported.toml
    );
}

/// `MINE_ACTION` with the contamination table's rows replaced by `rows` (TOML array items).
fn with_rows(rows: &str) -> String {
    let start = MINE_ACTION.find("rows = [").expect("rows");
    format!("{}rows = [\n{rows}]\n", &MINE_ACTION[..start])
}

/// A project holding `MINE_ACTION` with `rows`, rendered; the profile's PDF.
fn render_with_rows(rows: &str) -> (TestProject, std::path::PathBuf) {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/examplestan.mine-action.toml",
        &with_rows(rows),
    );
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let pdf = project.path().join("out/2023/examplestan.mine-action.pdf");
    (project, pdf)
}

#[test]
fn a_table_longer_than_a_page_goes_on_over_the_next_with_every_row() {
    let rows: String = (0..90)
        .map(|i| format!("  [\"District {i:02}\", \"{i}\", \"1.{i:02}\", \"0\", \"0.00\"],\n"))
        .collect();
    let (_project, pdf) = render_with_rows(&rows);
    let text = pdf_text(&pdf);
    for i in 0..90 {
        let row = format!("District {i:02} {i} 1.{i:02} 0 0.00");
        assert!(text.contains(&row), "row {row:?} missing in: {text}");
    }
    assert!(
        page_count(&pdf) >= 3,
        "90 rows fit on fewer than two pages?"
    );
    // The header is repeated on the page the table goes on to.
    assert!(
        text.matches("Confirmed hazardous areas").count() >= 2,
        "{text}"
    );
}

#[test]
fn a_cell_longer_than_a_page_is_printed_whole() {
    let long = vec!["word"; 2500].join(" ");
    let rows = format!(
        "  [\"Northfold {long}\", \"12\", \"1.52\", \"3\", \"0.40\"],\n  [\"Eastmarch\", \"7\", \"0.83\", \"0\", \"0.00\"],\n"
    );
    let (_project, pdf) = render_with_rows(&rows);
    let text = pdf_text(&pdf);
    assert_eq!(text.matches("word").count(), 2500);
    // The next row follows (its cells in whatever order the text extractor reads them).
    for cell in ["Eastmarch", "0.83", "0.00"] {
        assert!(text.contains(cell), "{cell} missing");
    }
}

#[test]
fn footnotes_are_numbered_in_print_order_with_a_repeated_source_keeping_its_number() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-action.toml";
    let record = MINE_ACTION
        .replace(
            "Examplestan reports mined areas in three provinces.",
            "Examplestan reports mined areas in three provinces.[^survey] A recount \
             followed.[^recount] The survey's figures stand.[^survey]",
        )
        // The row's notes are listed right to left; they print left to right.
        + "\n[[tables.notes]]\nrow = \"Northfold\"\ncolumn = \"Suspected hazardous areas\"\n\
           source = \"ministry\"\n\n[[tables.notes]]\nrow = \"Northfold\"\n\
           column = \"Confirmed hazardous areas\"\nsource = \"letter\"\n\n[citations]\n\
           survey = \"National survey of mined areas, 2022 (fictional).\"\n\
           recount = \"Recount of Northfold's hazardous areas, 2023 (fictional).\"\n\
           ministry = \"Ministry of Defence, figures for suspected areas (fictional).\"\n\
           letter = \"Letter from the mine action centre, 2023 (fictional).\"\n";
    project.file(path, &record);
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&project.path().join("out/2023/examplestan.mine-action.pdf"));
    for marked in [
        "provinces.1",
        "followed.2",
        "stand.1",
        "Northfold 123 1.52 34 0.40",
    ] {
        assert!(text.contains(marked), "{marked:?} missing: {text}");
    }
    let entries = [
        "1National survey of mined areas",
        "2Recount of Northfold",
        "3Letter from the mine action centre",
        "4Ministry of Defence",
    ];
    let at: Vec<usize> = entries
        .iter()
        .map(|e| {
            text.find(e)
                .unwrap_or_else(|| panic!("{e:?} missing: {text}"))
        })
        .collect();
    assert!(at.is_sorted(), "footnotes out of order: {text}");
    assert_eq!(
        text.matches("National survey of mined areas").count(),
        1,
        "the repeated source printed twice: {text}"
    );
}

#[test]
fn a_table_prints_once_when_two_sections_share_its_title() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-action.toml";
    let record = MINE_ACTION.replace("title = \"Clearance\"", "title = \"Contamination\"");
    project.file(path, &record);
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = pdf_text(&project.path().join("out/2023/examplestan.mine-action.pdf"));
    assert_eq!(
        text.matches("Mined areas by province").count(),
        1,
        "the table printed after each section of its title: {text}"
    );
}

/// The right edge of word `word` on the first page of `pdf`, as a share of the page's width.
fn right_edge_share(pdf: &std::path::Path, word: &str) -> f64 {
    let (width, words) = word_boxes(pdf, 1);
    let found = words
        .iter()
        .find(|w| w.text == word)
        .unwrap_or_else(|| panic!("{word} not on the first page of {}", pdf.display()));
    found.right / width
}

/// A record with one table of a year column and four columns of figures, whose labels are
/// `label` and `other`.
fn casualties(label: &str, other: &str) -> String {
    format!(
        r#"country = "Examplestan"
iso = "XE"
topic = "casualties-and-victim-assistance"
edition = 2023
last_updated = 2023-06-01

[[sections]]
title = "Casualties"
text = """
Casualties were recorded in two years.
"""

[[tables]]
id = "casualties"
title = "Casualties by outcome"
section = "Casualties"
columns = ["Year", "Killed", "Injured", "Unknown", "Total"]
rows = [
  ["{label}", "9111", "21", "1", "9133"],
  ["{other}", "10", "26", "1", "37"],
]
"#
    )
}

#[test]
fn figures_stay_near_a_short_label_and_give_way_to_long_text() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/examplestan.casualties-and-victim-assistance.toml",
        &casualties("2020", "2021"),
    );
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let pdf = project
        .path()
        .join("out/2023/examplestan.casualties-and-victim-assistance.pdf");
    // Short labels: the four columns of figures share the width, the first one near the year.
    let first = right_edge_share(&pdf, "9111");
    assert!(first < 0.4, "the first figure ends at {first} of the page");
    assert!(right_edge_share(&pdf, "9133") > 0.8);

    // A label as long as a sentence takes the width the figures leave.
    let long = "Recorded by the national authority before the survey was completed";
    project.file(
        "profiles/2023/examplestan.casualties-and-victim-assistance.toml",
        &casualties(long, "2021"),
    );
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let first = right_edge_share(&pdf, "9111");
    assert!(first > 0.6, "the first figure ends at {first} of the page");
}
