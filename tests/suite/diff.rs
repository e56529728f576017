//! Year-over-year review: `dossier diff` on records, editions and years.

use serde_json::Value;

use crate::support::{
    TestProject, assert_print_ready, minimal_record, normalize, object_streams, pdf_text,
};

/// Runs `dossier diff ARGS --format json` and parses the report.
fn json_diff(project: &TestProject, args: &[&str]) -> Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = project.run(&all);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", run.stdout))
}

fn record<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["records"]
        .as_array()
        .expect("records array")
        .iter()
        .find(|r| r["slug"] == slug)
        .unwrap_or_else(|| panic!("no record {slug} in {report:#}"))
}

fn changes(record: &Value) -> &Vec<Value> {
    record["changes"].as_array().expect("changes array")
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The first change of `kind` whose old and new values contain the given texts.
fn find<'a>(
    record: &'a Value,
    kind: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Option<&'a Value> {
    changes(record).iter().find(|c| {
        c["kind"] == kind
            && old.is_none_or(|o| text(&c["old"]).contains(o))
            && new.is_none_or(|n| text(&c["new"]).contains(n))
    })
}

#[test]
fn kyrgyzstan_2022_to_2023_is_classified() {
    let project = TestProject::with_samples();
    let report = json_diff(&project, &["profiles/2022", "profiles/2023"]);
    let kg = record(&report, "kyrgyzstan");
    assert_eq!(kg["status"], "changed");
    // The summary's last meeting year 2012 → 2013 is a correction of the past.
    let correction = find(kg, "correction", Some("in 2012"), Some("in 2013"))
        .unwrap_or_else(|| panic!("no 2012 → 2013 correction: {kg:#}"));
    assert!(
        text(&correction["path"]).starts_with("summary"),
        "{correction}"
    );
    // The latest vote, December 2021 → December 2022, is news.
    assert!(
        find(kg, "news", Some("December 2021"), Some("December 2022")).is_some(),
        "no news vote sentence: {kg:#}"
    );
    let vote = changes(kg)
        .iter()
        .find(|c| c["path"] == "votes.2022")
        .expect("the 2022 vote as a field change");
    assert_eq!(vote["kind"], "news");
    assert_eq!(vote["old"], Value::Null);
    assert_eq!(vote["new"], "Yes");
    // The dropped Second Review Conference sentence is a removal.
    let removal = changes(kg)
        .iter()
        .find(|c| c["kind"] == "removal" && text(&c["old"]).contains("Second Review Conference"))
        .unwrap_or_else(|| panic!("no removal of the 2RC sentence: {kg:#}"));
    assert_eq!(removal["new"], Value::Null);
    // "agreed to adopt" → "adopted" changes no fact: wording only.
    assert!(
        find(
            kg,
            "wording",
            Some("agreed to adopt"),
            Some("adopted the Convention")
        )
        .is_some(),
        "no wording change: {kg:#}"
    );
    // The conduct citation renamed with the same text is no change at all.
    assert!(
        !changes(kg)
            .iter()
            .any(|c| text(&c["path"]).contains("mfa-letter-2010")),
        "renamed citation reported: {kg:#}"
    );
    // Records are aligned by country and topic: Armenia was dropped in 2023, and Norway's
    // Mine Ban Policy and Mine Action profiles have no 2023 record.
    assert_eq!(record(&report, "armenia")["status"], "removed");
    assert_eq!(
        record(&report, "norway.mine-ban-policy")["status"],
        "removed"
    );
    assert_eq!(record(&report, "norway.mine-action")["status"], "removed");
    assert_eq!(report["summary"]["removed"], 3);
}

#[test]
fn georgia_news_is_news() {
    let project = TestProject::with_samples();
    let report = json_diff(&project, &["2022", "2023", "--country", "Georgia"]);
    let records = report["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{report:#}");
    let ge = record(&report, "georgia");
    let meeting = changes(ge)
        .iter()
        .find(|c| c["path"] == "meetings.10MSP")
        .unwrap_or_else(|| panic!("10MSP not reported: {ge:#}"));
    assert_eq!(meeting["kind"], "news");
    assert!(
        find(ge, "news", None, Some("Tenth Meeting")).is_some(),
        "{ge:#}"
    );
    // The summary's latest vote moved on a year: news, wording changes in it included.
    assert!(
        find(ge, "news", Some("December 2021"), Some("December 2022")).is_some(),
        "{ge:#}"
    );
}

#[test]
fn table_cells_that_changed_between_editions_are_listed_by_row_and_column() {
    let project = TestProject::with_samples();
    let report = json_diff(&project, &["profiles/2022", "profiles/2023"]);
    let casualties = record(&report, "examplestan.casualties-and-victim-assistance");
    let restated = changes(casualties)
        .iter()
        .find(|c| c["path"] == "tables.casualties.2021.Total")
        .unwrap_or_else(|| panic!("no change of the 2021 total: {casualties:#}"));
    assert_eq!(restated["kind"], "correction", "{restated}");
    assert_eq!(
        (&restated["old"], &restated["new"]),
        (&Value::from("36"), &Value::from("37"))
    );
    let added = changes(casualties)
        .iter()
        .find(|c| c["path"] == "tables.casualties.2022.Total")
        .unwrap_or_else(|| panic!("no new 2022 row: {casualties:#}"));
    assert_eq!(
        (&added["kind"], &added["old"]),
        (&Value::from("news"), &Value::Null)
    );
    let action = record(&report, "examplestan.mine-action");
    let area = changes(action)
        .iter()
        .find(|c| c["path"] == "tables.contamination.Total.Area")
        .unwrap_or_else(|| panic!("no change of the contaminated area: {action:#}"));
    assert_eq!(
        (&area["old"], &area["new"]),
        (&Value::from("5.60"), &Value::from("4.35"))
    );
}

#[test]
fn json_is_versioned_with_summary_counts() {
    let project = TestProject::with_samples();
    let report = json_diff(&project, &["profiles/2022", "profiles/2023"]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["old"], "profiles/2022");
    let kinds = &report["summary"]["kinds"];
    let mut total = 0;
    for r in report["records"].as_array().unwrap() {
        for c in changes(r) {
            for key in ["kind", "path", "what", "source"] {
                assert!(c.get(key).is_some(), "change without {key}: {c}");
            }
            total += 1;
        }
        for kind in ["news", "correction", "removal", "wording"] {
            let n = changes(r).iter().filter(|c| c["kind"] == kind).count();
            assert_eq!(r["counts"][kind], n, "{kind} count of {}", r["slug"]);
        }
    }
    let sum: u64 = ["news", "correction", "removal", "wording"]
        .iter()
        .map(|k| kinds[*k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, total);
    assert!(total > 0);
    // Unchanged records are counted, not listed.
    assert_eq!(report["summary"]["unchanged"], 1, "norway is carried over");
    assert!(
        report["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["slug"] != "norway")
    );
}

#[test]
fn kind_filter_keeps_only_that_kind() {
    let project = TestProject::with_samples();
    let report = json_diff(&project, &["2022", "2023", "--kind", "news"]);
    let mut seen = 0;
    for r in report["records"].as_array().unwrap() {
        for c in changes(r) {
            assert_eq!(c["kind"], "news", "{c}");
            seen += 1;
        }
        assert_ne!(r["status"], "removed", "a removed record is a removal");
    }
    assert!(seen > 0);
}

#[test]
fn terminal_and_markdown_show_the_changes() {
    let project = TestProject::with_samples();
    let run = project.run(&["diff", "profiles/2022", "profiles/2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'), "colour with NO_COLOR set");
    assert!(run.stdout.contains("kyrgyzstan"), "{}", run.stdout);
    assert!(run.stdout.contains("[-agreed to adopt-]"), "{}", run.stdout);
    assert!(run.stdout.contains("{+adopted+}"), "{}", run.stdout);
    assert!(run.stdout.contains("correction"), "{}", run.stdout);
    let colored = project.run(&["diff", "2022", "2023", "--color", "always"]);
    assert!(colored.stdout.contains("\x1b[31m"), "{}", colored.stdout);

    let md = project.run(&["diff", "2022", "2023", "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.starts_with("## dossier diff"), "{}", md.stdout);
    assert!(
        md.stdout.contains("| kyrgyzstan | changed |"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("~~agreed to adopt~~"), "{}", md.stdout);
    assert!(md.stdout.contains("**adopted**"), "{}", md.stdout);
}

#[test]
fn identical_editions_are_an_empty_diff() {
    let project = TestProject::with_samples();
    let run = project.run(&["diff", "profiles/2023", "profiles/2023", "--exit-code"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no differences"), "{}", run.stdout);
    let report = json_diff(&project, &["2023", "2023", "--exit-code"]);
    assert_eq!(report["records"].as_array().unwrap().len(), 0);
    assert_eq!(report["summary"]["unchanged"], 7);
}

#[test]
fn differences_exit_1_with_exit_code() {
    let project = TestProject::with_samples();
    let run = project.run(&["diff", "2022", "2023", "--exit-code"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = project.run(&["diff", "2022", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = project.run(&["diff", "2022", "2031"]);
    assert_eq!(run.code, 2, "a missing edition is an input error");
}

const BODY: &str = r#"
[[sections]]
title = "Policy"
text = """
Alpha states that it supports a ban on cluster munitions and has said so many times since the conference.

Alpha attended the conference in Dublin in May 2008 and spoke about its position on the treaty at length.[^one]

Alpha has not used cluster munitions and says it never will use them in any circumstances.[^two]
"""

[citations]
one = "Statement of Alpha, Dublin, May 2008."
two = "Letter from the Ministry of Defence of Alpha, 2010."
"#;

#[test]
fn moved_paragraph_reads_as_moved() {
    let project = TestProject::empty();
    project.file("old/alpha.toml", &minimal_record("Alpha", "AL", 2022, BODY));
    // Move the first paragraph to the end.
    let moved = BODY
        .replace(
            "Alpha states that it supports a ban on cluster munitions and has said so many times since the conference.\n\n",
            "",
        )
        .replace(
            "in any circumstances.[^two]\n",
            "in any circumstances.[^two]\n\nAlpha states that it supports a ban on cluster munitions and has said so many times since the conference.\n",
        );
    assert_ne!(moved, BODY);
    project.file(
        "new/alpha.toml",
        &minimal_record("Alpha", "AL", 2022, &moved),
    );
    let report = json_diff(&project, &["old/alpha.toml", "new/alpha.toml"]);
    let r = record(&report, "alpha");
    let statuses: Vec<&str> = r["prose"][0]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| text(&p["status"]))
        .collect();
    assert!(statuses.contains(&"moved"), "{statuses:?}");
    assert!(
        !statuses.contains(&"added") && !statuses.contains(&"removed"),
        "{statuses:?}"
    );
    assert!(changes(r).iter().all(|c| c["kind"] == "wording"), "{r:#}");
}

#[test]
fn reflow_and_footnote_renumbering_are_no_change() {
    let project = TestProject::empty();
    project.file("old/alpha.toml", &minimal_record("Alpha", "AL", 2022, BODY));
    let renamed = BODY
        .replace("[^one]", "[^dublin-2008]")
        .replace("one = ", "dublin-2008 = ")
        .replace(
            "supports a ban on cluster munitions and",
            "supports a ban on cluster\n   munitions   and",
        );
    project.file(
        "new/alpha.toml",
        &minimal_record("Alpha", "AL", 2022, &renamed),
    );
    let run = project.run(&["diff", "old/alpha.toml", "new/alpha.toml", "--exit-code"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // A real edit is still seen.
    project.file(
        "new/alpha.toml",
        &minimal_record(
            "Alpha",
            "AL",
            2022,
            &renamed.replace("at length", "briefly"),
        ),
    );
    let run = project.run(&["diff", "old/alpha.toml", "new/alpha.toml", "--exit-code"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("[-at length.-]") || run.stdout.contains("[-at length"),
        "{}",
        run.stdout
    );
}

#[test]
fn redline_pdf_is_print_ready_and_shows_both_versions() {
    let project = TestProject::with_samples();
    let run = project.run(&[
        "diff",
        "2022",
        "2023",
        "--format",
        "pdf",
        "--out",
        "redline.pdf",
        "--changed-only",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = project.path().join("redline.pdf");
    assert_print_ready(&path, "the redline");
    let text = normalize(&pdf_text(&path));
    for words in [
        "agreed to adopt",
        "adopted the Convention",
        "in 2012",
        "in 2013",
        "Second Review Conference",
        "December 2021",
        "December 2022",
    ] {
        assert!(
            text.contains(&normalize(words)),
            "{words:?} missing from the redline: {text}"
        );
    }
    // The first page lists the records that follow, each with what became of it.
    let first = normalize(&crate::support::pdf_page_text(&path, 1));
    for row in [
        "Country Topic Record",
        "Armenia Cluster Munition Ban Policy removed",
        "Kyrgyzstan Cluster Munition Ban Policy changed 5 news, 1 correction, 3 removals",
    ] {
        assert!(first.contains(&normalize(row)), "{row:?} missing: {first}");
    }
    // The redline counts its footnotes page by page (two notes on one page are 1 and 2).
    for note in [
        "1Mine Ban Act of Examplestan",
        "2Article 7 report of Examplestan",
    ] {
        assert!(
            text.contains(&normalize(note)),
            "{note:?} missing from the redline: {text}"
        );
    }
    // Norway's cluster munition profile is unchanged (its other topics were removed).
    assert!(
        !text.contains(&normalize("destruction of its stockpile on 16 July 2010")),
        "--changed-only printed an unchanged profile"
    );
    // Without --changed-only the unchanged profile is printed too.
    let run = project.run(&[
        "diff", "2022", "2023", "--format", "pdf", "--out", "all.pdf",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&project.path().join("all.pdf")).contains("Norway"));
    assert_print_ready(&project.path().join("all.pdf"), "the redline");
    assert!(
        object_streams(&project.read("all.pdf")) > 0,
        "the redline is not packed"
    );
}

#[test]
fn works_as_a_git_diff_driver() {
    let project = TestProject::with_samples();
    let root = project.path();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(root)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
    };
    let Ok(out) = git(&["init", "-q"]) else {
        eprintln!("git is not installed; skipping");
        return;
    };
    assert!(out.status.success());
    project.file(".gitattributes", "profiles/**/*.toml diff=dossier\n");
    for args in [
        &["add", "."][..],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-qm",
            "x",
        ],
    ] {
        assert!(git(args).unwrap().status.success());
    }
    let old = std::fs::read_to_string(root.join("profiles/2022/kyrgyzstan.toml")).unwrap();
    project.file(
        "profiles/2022/kyrgyzstan.toml",
        &old.replace(
            "in a meeting of the convention in 2012",
            "in a meeting of the convention in 2013",
        ),
    );
    let driver = format!("{} diff --git", env!("CARGO_BIN_EXE_dossier"));
    let out = git(&["-c", &format!("diff.dossier.command={driver}"), "diff"]).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("a/profiles/2022/kyrgyzstan.toml"),
        "{stdout}"
    );
    assert!(stdout.contains("correction"), "{stdout}");
    assert!(stdout.contains("[-2012.-]"), "{stdout}");
}

#[test]
fn a_redline_of_two_empty_editions_is_refused_and_nothing_is_written() {
    let project = TestProject::empty();
    std::fs::create_dir_all(project.path().join("profiles/2022")).expect("dir");
    std::fs::create_dir_all(project.path().join("profiles/2023")).expect("dir");
    let run = project.run(&[
        "diff",
        "profiles/2022",
        "profiles/2023",
        "--format",
        "pdf",
        "--out",
        "redline.pdf",
    ]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("nothing to compare"), "{}", run.stderr);
    assert!(!project.path().join("redline.pdf").exists());
}
