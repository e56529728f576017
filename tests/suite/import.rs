//! Importing saved profile pages: the three generations, their variations, cut-off files,
//! a whole page in the published shape, the export round trip and arbitrary input.

use std::path::PathBuf;

use dossier::import::{Generation, ImportError, ImportOptions, Imported, import_text};
use dossier::record::Record;
use proptest::prelude::*;

use crate::archive_page::{self, citation};
use crate::support::{TestProject, repo};

fn fixture_path(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Imports a fixture as `dossier import` would, with an ISO code for the fictional country.
fn import(name: &str) -> Imported {
    let options = ImportOptions {
        iso: Some("XE".into()),
        source_name: Some(name.into()),
        ..Default::default()
    };
    import_text(&fixture(name), &options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn titles(record: &Record) -> Vec<&str> {
    record
        .sections
        .iter()
        .map(|s| s.title.value.as_str())
        .collect()
}

#[test]
fn generation_a_narrative_report() {
    let imported = import("examplestan-2009-narrative.txt");
    let r = &imported.record;
    assert_eq!(imported.generation, Generation::A);
    assert_eq!(r.country.value, "Examplestan");
    assert_eq!(r.edition.value, 2009);
    assert!(r.last_updated.is_none() && r.summary.is_none() && r.incomplete.is_none());
    assert_eq!(titles(r), vec![""]);
    let text = &r.sections[0].text.value;
    // One and two blank lines both separate paragraphs; a space before a marker is kept.
    assert_eq!(text.paragraphs().len(), 3);
    assert!(text.text.contains("permit.” [^n2]"), "{}", text.text);
    // Footnotes with a leading space or no space after the bracket.
    assert_eq!(
        citation(r, "n2"),
        "Statement of Examplestan, Dublin Diplomatic Conference, 30 May 2008."
    );
    assert_eq!(
        citation(r, "n3"),
        "Interview with an official of the Ministry of Defence of Examplestan, Tarnovo, 12 March 2009."
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("edition 2009 inferred from the file name")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn generation_b_overview_block() {
    let imported = import("examplestan-2013-overview.txt");
    let r = &imported.record;
    assert_eq!(imported.generation, Generation::B);
    assert_eq!(
        r.last_updated.as_ref().map(|d| d.value.to_string()),
        Some("4 September 2013".into())
    );
    let o = r.overview.as_ref().expect("overview");
    assert_eq!(
        o.status.as_ref().map(|v| v.value.text.as_str()),
        Some("Signatory")
    );
    assert_eq!(
        o.legislation.as_ref().map(|v| v.value.text.as_str()),
        Some(""),
        "an empty value line stays empty"
    );
    assert_eq!(
        o.participation.as_ref().map(|v| v.value.text.as_str()),
        Some("Attended Fourth Meeting of States Parties in Lusaka, Zambia in September 2013")
    );
    assert_eq!(
        o.key_developments.as_ref().map(|v| v.value.text.as_str()),
        Some("Ratification bill sent to parliament in March 2013.")
    );
    assert_eq!(titles(r), vec!["Policy", "Stockpiling and destruction"]);
    assert_eq!(r.sections[0].text.value.paragraphs().len(), 2);
    assert_eq!(r.citations.len(), 3);
    assert!(r.incomplete.is_none());
}

#[test]
fn generation_b_mine_ban_policy_labels() {
    let imported = import("examplestan-2011-mine-ban-overview.txt");
    let r = &imported.record;
    assert_eq!(r.topic.value.keyword(), "mine-ban-policy");
    assert_eq!(r.slug(), "examplestan.mine-ban-policy");
    let o = r.overview.as_ref().expect("overview");
    assert_eq!(
        o.status.as_ref().map(|v| v.value.text.as_str()),
        Some("State Party")
    );
    assert!(o.legislation.is_none());
    assert!(
        o.key_developments
            .as_ref()
            .is_some_and(|v| v.value.text.starts_with("Destruction"))
    );
    assert_eq!(titles(r), vec!["Policy"]);
}

#[test]
fn generation_c_summary_labels() {
    let inline = import("examplestan-2023-summary-inline.txt");
    let r = &inline.record;
    assert_eq!(inline.generation, Generation::C);
    assert!(r.summary_label.is_none());
    assert!(
        r.summary
            .as_ref()
            .unwrap()
            .value
            .text
            .starts_with("Non-signatory Examplestan")
    );
    assert_eq!(
        titles(r),
        vec!["Policy", "Use, production, transfer, and stockpiling"]
    );
    assert!(r.sections[0].text.value.text.contains("possible.” [^n2]"));

    let own_line = import("examplestan-2018-summary-own-line.txt");
    let r = &own_line.record;
    assert!(
        r.last_updated.is_none(),
        "this page has no Last updated line"
    );
    assert_eq!(r.edition.value, 2018);
    assert_eq!(r.summary.as_ref().unwrap().value.paragraphs().len(), 2);
    assert_eq!(
        titles(r),
        vec!["Policy", "Production, transfer, use, and stockpiling"]
    );

    let five = import("examplestan-2016-five-year-spaced.txt");
    let r = &five.record;
    assert_eq!(
        r.summary_label.as_ref().map(|l| l.value.as_str()),
        Some("Five-Year Summary")
    );
    assert_eq!(titles(r), vec!["Policy", "Stockpile destruction"]);
    assert!(r.sections[1].text.value.text.contains("deadline. [^n3]"));
    assert_eq!(
        citation(r, "n3"),
        "Article 7 report of Examplestan, 30 April 2016."
    );
    assert!(r.incomplete.is_none(), "{:?}", r.incomplete);
}

#[test]
fn missing_title_and_lost_heading() {
    // No country line: the name comes from --country (the file name names no real country).
    let text = fixture("examplestan-2020-ten-year-no-title.txt");
    let err = import_text(
        &text,
        &ImportOptions {
            iso: Some("XE".into()),
            source_name: Some("page-2020.txt".into()),
            ..Default::default()
        },
    );
    let err = err.expect_err("no country anywhere");
    assert!(err.to_string().contains("no country line"), "{err}");
    let ok = import_text(
        &text,
        &ImportOptions {
            country: Some("Examplestan".into()),
            iso: Some("XE".into()),
            source_name: Some("page-2020.txt".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        ok.record.summary.as_ref().unwrap().value.paragraphs().len(),
        1
    );
    assert_eq!(
        titles(&ok.record),
        vec!["", "Transparency reporting"],
        "the blank line after the summary marks a lost heading"
    );

    let lost = import("examplestan-2019-lost-heading.txt");
    assert_eq!(titles(&lost.record), vec!["Policy", ""]);
}

#[test]
fn truncated_files_import_what_is_there() {
    let body = import("examplestan-2021-cut-in-body.txt");
    let note = body
        .record
        .incomplete
        .as_ref()
        .expect("marked incomplete")
        .value
        .clone();
    assert!(
        note.contains("the section “Policy”") && note.contains("Second Re”"),
        "{note}"
    );
    assert!(note.contains("footnote list (markers [1], [2]"), "{note}");
    assert!(
        body.record.sections[0]
            .text
            .value
            .text
            .trim_end()
            .ends_with("the Second Re"),
        "kept as published, nothing added"
    );
    assert!(!body.warnings.is_empty());

    let foot = import("examplestan-2022-cut-in-footnote.txt");
    let note = foot
        .record
        .incomplete
        .as_ref()
        .expect("marked incomplete")
        .value
        .clone();
    assert!(
        note.contains("footnote [2]") && note.contains("the text of footnote [3]"),
        "{note}"
    );
    assert_eq!(
        citation(&foot.record, "n2"),
        "Letter from the Ministry of Foreign Affairs of Examplestan, 3 Ju"
    );

    let complete = import("examplestan-2023-summary-inline.txt");
    assert!(complete.record.incomplete.is_none() && complete.warnings.is_empty());
}

#[test]
fn a_whole_page_keeps_prose_and_footnotes_exactly() {
    let path = archive_page::fixture_path();
    archive_page::import_keeps_prose_and_footnotes(&archive_page::fixture_page(&path));
}

#[test]
fn export_then_import_gives_the_same_record() {
    let project = TestProject::empty();
    let mut files: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures/import"))
        .unwrap()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut args = vec!["import", "--iso", "XE", "--country", "Examplestan"];
    args.extend(files.iter().map(String::as_str));
    let run = project.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut compared = 0;
    for edition in std::fs::read_dir(project.path().join("profiles"))
        .unwrap()
        .flatten()
    {
        for entry in std::fs::read_dir(edition.path()).unwrap().flatten() {
            let toml_path = entry.path();
            let original = std::fs::read_to_string(&toml_path).unwrap();
            let export = project.run(&["export", "--format", "text", toml_path.to_str().unwrap()]);
            assert_eq!(export.code, 0, "{}", export.stderr);
            let txt = project.path().join("again.txt");
            std::fs::write(&txt, &export.stdout).unwrap();
            let edition_arg = edition.file_name().to_string_lossy().into_owned();
            let again = project.run(&[
                "import",
                "--iso",
                "XE",
                "--edition",
                &edition_arg,
                "-o",
                "-",
                txt.to_str().unwrap(),
            ]);
            assert_eq!(again.code, 0, "{}", again.stderr);
            assert_eq!(
                again.stdout,
                original,
                "round trip of {}:\n{}",
                toml_path.display(),
                export.stdout
            );
            compared += 1;
        }
    }
    assert_eq!(compared, files.len());
}

#[test]
fn batch_goes_on_past_bad_files_and_never_overwrites() {
    let project = TestProject::empty();
    project.file("empty.txt", "");
    project.bytes("latin1.txt", b"Examplestan\n\xe9t\xe9\n");
    let good = fixture_path("examplestan-2023-summary-inline.txt");
    let good = good.to_str().unwrap();
    let run = project.run(&["import", "--iso", "XE", "empty.txt", "latin1.txt", good]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("empty.txt") && run.stderr.contains("latin1.txt"),
        "{}",
        run.stderr
    );
    let path = "profiles/2023/examplestan.toml";
    let first = project.read(path);
    project.file(path, "# edited by hand\n");
    let again = project.run(&["import", "--iso", "XE", good]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(project.read(path), b"# edited by hand\n");
    let forced = project.run(&["import", "--iso", "XE", "--force", good]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(project.read(path), first);
    // No year anywhere: a clear error for that file.
    project.file(
        "page.txt",
        "Examplestan\nCluster Munition Ban Policy\nSummary: Text.\n",
    );
    let no_year = project.run(&["import", "--iso", "XE", "page.txt"]);
    assert_eq!(no_year.code, 2);
    assert!(no_year.stderr.contains("--edition"), "{}", no_year.stderr);
}

/// Lines that look like parts of a profile, for building near-profile inputs.
fn profile_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Examplestan".to_string()),
        Just("Cluster Munition Ban Policy".to_string()),
        Just("Last updated: 05 September 2023".to_string()),
        Just("Last Updated: 31 Febtember 20".to_string()),
        Just("Summary:".to_string()),
        Just("Ten-Year Review: text.[2]".to_string()),
        Just("Commitment to the Convention on Cluster Munitions".to_string()),
        Just("Key developments".to_string()),
        Just("Policy".to_string()),
        Just(String::new()),
        Just("[1] A footnote.".to_string()),
        Just(" [99999]x".to_string()),
        Just("[^n1] [^".to_string()),
        "[\\[\\]0-9a-zA-Z “”\"\\\\_.:]{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        for options in [ImportOptions { iso: Some("XE".into()), edition: Some(2020), ..Default::default() }, ImportOptions::default()] {
            if let Err(e) = import_text(&text, &options) {
                prop_assert!(!matches!(e, ImportError::DoesNotLoadBack { .. }), "{}", e);
            }
        }
    }

    #[test]
    fn near_profiles_never_panic_and_load_back(lines in proptest::collection::vec(profile_line(), 0..30)) {
        let text = lines.join("\n");
        let options = ImportOptions { iso: Some("XE".into()), edition: Some(2020), country: Some("Examplestan".into()), ..Default::default() };
        match import_text(&text, &options) {
            // The record was loaded back from its own TOML: export must not panic either.
            Ok(imported) => { let _ = dossier::export::to_text(&imported.record); }
            Err(e) => prop_assert!(!matches!(e, ImportError::DoesNotLoadBack { .. }), "{}", e),
        }
    }
}

#[test]
fn an_area_without_an_iso_code_imports_with_its_slug_and_is_checked_and_diffed() {
    let project = TestProject::empty();
    let page = std::fs::read_to_string(
        repo().join("tests/fixtures/import/examplestan-2023-summary-inline.txt"),
    )
    .expect("fixture")
    .replace("Examplestan", "Somaliland");
    project.file("archive/somaliland-2023.txt", &page);
    let run = project.run(&["import", "archive/somaliland-2023.txt"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("“somaliland”"),
        "the note names the area code: {}{}",
        run.stdout,
        run.stderr
    );
    let record = String::from_utf8(project.read("profiles/2023/somaliland.toml")).expect("utf-8");
    assert!(record.contains("iso = \"somaliland\""), "{record}");
    let check = project.run(&["check", "profiles/2023/somaliland.toml"]);
    assert_ne!(check.code, 2, "{}{}", check.stdout, check.stderr);
    project.file(
        "profiles/2022/somaliland.toml",
        &record.replace("edition = 2023", "edition = 2022"),
    );
    let diff = project.run(&["diff", "2022", "2023"]);
    assert_eq!(diff.code, 0, "{}{}", diff.stdout, diff.stderr);
    let bad = project.run(&[
        "import",
        "archive/somaliland-2023.txt",
        "--iso",
        "Somaliland",
        "-o",
        "-",
    ]);
    assert_eq!(bad.code, 2, "{}{}", bad.stdout, bad.stderr);
}
