//! `dossier rollover`: next year's edition with only edition, last-updated and review changes.

use dossier::record::{Record, load_record};
use serde_json::Value;

use crate::support::{TestProject, minimal_record, pdf_text};

/// A record's facts as JSON without the fields a rollover is meant to change.
fn facts(record: &Record) -> Value {
    let mut value = serde_json::to_value(record).unwrap();
    let object = value.as_object_mut().unwrap();
    for key in ["edition", "last_updated", "needs_review"] {
        object.remove(key);
    }
    value
}

#[test]
fn rollover_copies_every_record_with_only_the_intended_changes() {
    let project = TestProject::with_samples();
    let run = project.run(&["rollover", "2023", "2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut compared = 0;
    for entry in std::fs::read_dir(project.path().join("profiles/2023"))
        .unwrap()
        .flatten()
    {
        let old_path = entry.path();
        let new_path = project.path().join("profiles/2024").join(entry.file_name());
        let old = load_record(&old_path).unwrap();
        let new = load_record(&new_path).unwrap_or_else(|e| panic!("{}", e.brief()));
        assert_eq!(new.edition.value, 2024);
        assert!(new.last_updated.is_none());
        assert!(
            new.needs_review
                .as_ref()
                .unwrap()
                .value
                .contains("2023 edition")
        );
        assert_eq!(facts(&old), facts(&new), "{}", entry.path().display());
        // Text: the same lines, but for the three edits.
        let old_text = std::fs::read_to_string(&old_path).unwrap();
        let new_text = std::fs::read_to_string(&new_path).unwrap();
        let expected: Vec<String> = old_text
            .lines()
            .filter(|l| !l.starts_with("last_updated"))
            .map(|l| {
                if l == "edition = 2023" {
                    "edition = 2024".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        let actual: Vec<String> = new_text
            .lines()
            .filter(|l| !l.starts_with("needs_review"))
            .map(str::to_string)
            .collect();
        assert_eq!(expected, actual, "{}", new_path.display());
        assert_eq!(
            new_text
                .lines()
                .filter(|l| l.starts_with("needs_review"))
                .count(),
            1
        );
        compared += 1;
    }
    assert_eq!(compared, 7);
    // The report: the latest vote with the line it is on, dated prose, the removed date.
    assert!(
        run.stdout.contains("profiles/2024/kyrgyzstan.toml"),
        "{}",
        run.stdout
    );
    let kyrgyzstan =
        std::fs::read_to_string(project.path().join("profiles/2024/kyrgyzstan.toml")).unwrap();
    let lines: Vec<&str> = kyrgyzstan.lines().collect();
    let report: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.contains("kyrgyzstan"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    let vote = report
        .iter()
        .find(|l| l.contains("latest UNGA vote recorded is 2022"))
        .expect("vote item");
    let line: usize = vote
        .trim()
        .trim_start_matches("line ")
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(lines[line - 1], "year = 2022", "{vote}");
    assert!(
        report
            .iter()
            .any(|l| l.contains("add the vote of December 2023")),
        "{report:#?}"
    );
    let prose = report
        .iter()
        .find(|l| l.contains("In December 2022 it voted in favor"))
        .expect("dated prose");
    let line: usize = prose
        .trim()
        .trim_start_matches("line ")
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(lines[line - 1].contains("In December 2022"), "{prose}");
    assert!(
        report
            .iter()
            .any(|l| l.contains("last_updated 2023-09-05 was removed")),
        "{report:#?}"
    );
    assert!(
        report
            .iter()
            .any(|l| l.contains("latest meeting attended is 4MSP")),
        "{report:#?}"
    );
}

#[test]
fn rollover_never_overwrites_and_writes_nothing_when_it_would() {
    let project = TestProject::with_samples();
    project.file("profiles/2024/norway.toml", "# started by hand\n");
    let run = project.run(&["rollover", "2023", "2024"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("rollover_refuses_to_overwrite", run.stderr);
    assert_eq!(
        project.read("profiles/2024/norway.toml"),
        b"# started by hand\n"
    );
    assert!(
        !project
            .path()
            .join("profiles/2024/kyrgyzstan.toml")
            .exists()
    );
}

#[test]
fn rollover_stops_on_records_that_do_not_load() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/kyrgyzstan.toml",
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = 3\n"),
    );
    let run = project.run(&["rollover", "2023", "2024"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("kyrgyzstan.toml:6:11: `summary` must be a string"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join("profiles/2024").exists());
    let run = project.run(&["rollover", "2019", "2020"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no records in"), "{}", run.stderr);
}

#[test]
fn a_rolled_over_record_renders_with_the_review_notice() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/kyrgyzstan.toml",
        &minimal_record(
            "Kyrgyzstan",
            "KG",
            2023,
            "summary = \"In December 2022 it voted yes.\"\n",
        ),
    );
    assert_eq!(project.run(&["rollover", "2023", "2024"]).code, 0);
    let run = project.run(&["render", "profiles/2024", "--no-book"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&project.path().join("out/2024/kyrgyzstan.pdf"));
    assert!(text.contains("Needs review"), "{text}");
}

#[test]
fn rolled_over_samples_pass_check_and_diff_shows_only_edition_and_date() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["rollover", "2023", "2024"]).code, 0);
    let check = project.run(&["check", "profiles/2024", "--format", "json"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let json: Value = serde_json::from_str(&check.stdout).unwrap();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        vec!["DOS002"; 7],
        "only the needs-review notices: {codes:?}"
    );
    let diff = project.run(&["diff", "2023", "2024", "--exit-code"]);
    assert_eq!(diff.code, 0, "{}", diff.stdout);
    assert!(
        diff.stdout
            .contains("no differences in facts or prose (7 records compared)"),
        "{}",
        diff.stdout
    );
    for country in ["examplestan.mine-action", "georgia", "kyrgyzstan", "norway"] {
        let line = diff
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(country))
            .unwrap_or_else(|| panic!("no line for {country}: {}", diff.stdout));
        assert!(
            line.contains("edition 2023 → 2024") && line.contains("last updated"),
            "{line}"
        );
    }
}

#[test]
fn rollover_keeps_an_editors_comments_and_key_order() {
    let project = TestProject::with_samples();
    let original = std::fs::read_to_string(project.path().join("profiles/2023/georgia.toml"))
        .unwrap()
        .replace(
            "edition = 2023\nlast_updated = 2023-09-05\n",
            "edition = 2023 # the report year\n# Checked against the treaty collection.\nlast_updated = 2023-09-05\n",
        )
        .replace("iso = \"GE\"\n", "# Code checked by the desk.\niso = \"GE\"\n");
    project.file("profiles/2023/georgia.toml", &original);
    let run = project.run(&["rollover", "2023", "2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = String::from_utf8(project.read("profiles/2024/georgia.toml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let edition = lines.iter().position(|l| l.starts_with("edition")).unwrap();
    assert_eq!(lines[edition], "edition = 2024 # the report year", "{text}");
    assert!(lines[edition + 1].starts_with("needs_review = "), "{text}");
    assert_eq!(
        lines[edition + 2],
        "# Checked against the treaty collection.",
        "{text}"
    );
    assert!(
        text.contains("# Code checked by the desk.\niso = \"GE\"\n"),
        "{text}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("last_updated")),
        "{text}"
    );
    let record = load_record(&project.path().join("profiles/2024/georgia.toml")).unwrap();
    assert_eq!(record.edition.value, 2024);
}
