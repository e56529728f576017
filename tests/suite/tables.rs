//! Tables as data: records hold tables, profiles print them as tables, totals are checked.

use crate::support::{TestProject, assert_print_ready, pdf_text, tool};

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
