//! `dossier check`: every rule against its failing and passing fixture, the sample data as
//! the acceptance oracle, output formats and exit codes.

use std::path::{Path, PathBuf};

use dossier::check::RULES;

use crate::support::{TestProject, repo};

fn fixtures() -> PathBuf {
    repo().join("tests").join("fixtures").join("check")
}

/// The fixture files of one side ("fail" or "pass") of a rule: `SIDE.toml`, then
/// `SIDE-2.toml`, `SIDE-3.toml`... in order, as stems ("fail", "fail-2"...).
fn fixture_stems(name: &str, side: &str) -> Vec<String> {
    let dir = fixtures().join(name);
    let mut stems: Vec<(u32, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixture directory {name}: {e}"))
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().to_string();
            let stem = file.strip_suffix(".toml")?;
            let number = if stem == side {
                1
            } else {
                stem.strip_prefix(side)?.strip_prefix('-')?.parse().ok()?
            };
            Some((number, stem.to_string()))
        })
        .collect();
    stems.sort();
    stems.into_iter().map(|(_, stem)| stem).collect()
}

/// Sets up a project with one fixture of a rule (stem "fail", "pass-2"...), runs the check
/// on the fixture record and returns (rules found, human output, exit code).
fn run_fixture(name: &str, stem: &str) -> (Vec<String>, String, i32) {
    let dir = fixtures().join(name);
    let project = TestProject::empty();
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).ok();
    let main = read(&format!("{stem}.toml"))
        .unwrap_or_else(|| panic!("missing fixture {name}/{stem}.toml"));
    project.file("profiles/2023/examplestan.toml", &main);
    // Every fixture lies at the same path, whatever its edition and topic: where a record
    // lies is checked on that rule's own fixtures alone.
    if name != "record-location" {
        project.file("dossier.toml", "[rules]\nrecord-location = \"off\"\n");
    }
    if let Some(prev) = read(&format!("{stem}.prev.toml")) {
        project.file("profiles/2022/examplestan.toml", &prev);
    }
    if let Some(other) = read(&format!("{stem}.other.toml")) {
        project.file("profiles/2023/examplestan.mine-action.toml", &other);
    }
    let json = project.run(&[
        "check",
        "profiles/2023/examplestan.toml",
        "--format",
        "json",
    ]);
    assert_ne!(json.code, 2, "{name}/{stem}: {}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("{name}/{stem}: bad json {e}: {}", json.stdout));
    let codes = value["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect();
    let human = project.run(&["check", "profiles/2023/examplestan.toml"]);
    (codes, human.stdout, human.code)
}

#[test]
fn every_rule_fires_on_its_failing_fixtures_and_not_on_its_passing_ones() {
    let mut problems = Vec::new();
    for rule in RULES {
        let fails = fixture_stems(rule.name, "fail");
        let passes = fixture_stems(rule.name, "pass");
        if fails.is_empty() || passes.is_empty() {
            problems.push(format!("{} needs fail.toml and pass.toml", rule.name));
        }
        for stem in fails {
            let (found, out, _) = run_fixture(rule.name, &stem);
            if !found.iter().any(|c| c == rule.name) {
                problems.push(format!("{} did not fire on {stem}.toml:\n{out}", rule.name));
            }
            insta::assert_snapshot!(format!("{}-{stem}", rule.name), out);
        }
        for stem in passes {
            let (found, out, _) = run_fixture(rule.name, &stem);
            if found.iter().any(|c| c == rule.name) {
                problems.push(format!("{} fired on {stem}.toml:\n{out}", rule.name));
            }
            insta::assert_snapshot!(format!("{}-{stem}", rule.name), out);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_directory_belongs_to_a_rule() {
    for entry in std::fs::read_dir(fixtures()).expect("fixtures").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(
            RULES.iter().any(|r| r.name == name),
            "fixture directory {name} names no rule"
        );
    }
}

#[test]
fn rule_codes_and_names_are_unique() {
    let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    codes.sort();
    codes.dedup();
    names.sort();
    names.dedup();
    assert_eq!(codes.len(), RULES.len());
    assert_eq!(names.len(), RULES.len());
}

fn findings(stdout: &str) -> Vec<(String, String, String)> {
    let value: serde_json::Value = serde_json::from_str(stdout).expect("json");
    value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").replace('\\', "/"),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn sample_profiles_report_the_2022_kyrgyzstan_defects_and_nothing_else() {
    let project = TestProject::with_samples();
    let run = project.run(&["check", "profiles/", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let serious: Vec<_> = findings(&run.stdout)
        .into_iter()
        .filter(|(_, _, s)| s != "info")
        .collect();
    assert_eq!(
        serious,
        vec![
            (
                "profiles/2022/kyrgyzstan.toml".to_string(),
                "last-meeting-contradiction".to_string(),
                "error".to_string()
            ),
            (
                "profiles/2022/kyrgyzstan.toml".to_string(),
                "duplicate-citation".to_string(),
                "error".to_string()
            ),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn the_2023_edition_is_clean() {
    let project = TestProject::with_samples();
    let run = project.run(&["check", "profiles/2023"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn the_seed_contradiction_is_labelled_on_both_sides() {
    let project = TestProject::with_samples();
    let run = project.run(&["check", "profiles/2022/kyrgyzstan.toml"]);
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    assert!(out.contains("DOS101"), "{out}");
    assert!(out.contains("says the last meeting was in 2012"), "{out}");
    assert!(out.contains("attended 4MSP"), "{out}");
    assert!(out.contains("DOS301"), "{out}");
    assert!(out.contains("mfa-letter-2010-conduct"), "{out}");
    insta::assert_snapshot!("kyrgyzstan-2022", out);
}

#[test]
fn prose_only_page_text_is_checked() {
    // A whole page in the published shape, put into a record with prose only: the summary
    // and the body as they are, the footnotes as citations. Import builds the same shape.
    let page = std::fs::read_to_string(crate::archive_page::fixture_path()).expect("page");
    let record = prose_only_record(&page);
    let project = TestProject::empty();
    project.file("profiles/2022/kyrgyzstan.toml", &record);
    let run = project.run(&["check", "profiles/2022/kyrgyzstan.toml", "--format", "json"]);
    let rules: Vec<String> = findings(&run.stdout).into_iter().map(|f| f.1).collect();
    assert!(
        rules.contains(&"last-meeting-contradiction".to_string()),
        "{}",
        run.stdout
    );
    assert!(
        rules.contains(&"duplicate-citation".to_string()),
        "{}",
        run.stdout
    );
}

/// A crude conversion of a page's text: each non-empty line becomes a paragraph of one
/// section, `[n]` footnotes become citations `nN`, markers `[n]` become `[^nN]`.
fn prose_only_record(page: &str) -> String {
    let mut body = Vec::new();
    let mut notes = Vec::new();
    for line in page.lines().map(str::trim).filter(|p| !p.is_empty()) {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('[')
            && let Some((n, text)) = rest.split_once(']')
            && n.chars().all(|c| c.is_ascii_digit())
        {
            notes.push(format!("n{n} = {:?}", text.trim()));
            continue;
        }
        let mut p = line.to_string();
        for i in (1..=20).rev() {
            p = p.replace(&format!(" [{i}]"), &format!("[^n{i}]"));
            p = p.replace(&format!("[{i}]"), &format!("[^n{i}]"));
        }
        body.push(p);
    }
    let text = body
        .join("\n\n")
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\"\\\"\"");
    format!(
        "country = \"Examplestan\"\niso = \"XE\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2022\n\n[[sections]]\ntitle = \"\"\ntext = \"\"\"\n{text}\n\"\"\"\n\n[citations]\n{}\n",
        notes.join("\n")
    )
}

#[test]
fn formats_and_exit_codes() {
    let project = TestProject::with_samples();
    let github = project.run(&[
        "check",
        "profiles/2022/kyrgyzstan.toml",
        "--format",
        "github",
    ]);
    assert_eq!(github.code, 1);
    assert!(
        github
            .stdout
            .lines()
            .all(|l| l.starts_with("::error file=profiles/2022/kyrgyzstan.toml,line=")),
        "{}",
        github.stdout
    );
    let sarif = project.run(&[
        "check",
        "profiles/2022/kyrgyzstan.toml",
        "--format",
        "sarif",
    ]);
    let value: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("sarif json");
    assert_eq!(value["version"], "2.1.0");
    assert_eq!(
        value["runs"][0]["results"].as_array().map(Vec::len),
        Some(2)
    );
    let json = project.run(&["check", "profiles/2022/kyrgyzstan.toml", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["error"], 2);
    let missing = project.run(&["check", "profiles/1999"]);
    assert_eq!(missing.code, 2);
    let explain = project.run(&["explain", "DOS101"]);
    assert_eq!(explain.code, 0);
    assert!(explain.stdout.contains("last-meeting-contradiction"));
    assert_eq!(project.run(&["explain", "DOS999"]).code, 2);
    let rules = project.run(&["rules"]);
    assert_eq!(rules.stdout.lines().count(), RULES.len());
}

#[test]
fn severity_config_and_deny() {
    let project = TestProject::with_samples();
    project.file(
        "checks/rules.toml",
        "[rules]\nduplicate-citation = \"off\"\nDOS101 = \"warning\"\n",
    );
    let run = project.run(&["check", "profiles/2022/kyrgyzstan.toml", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let f = findings(&run.stdout);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].2, "warning");
    let deny = project.run(&[
        "check",
        "profiles/2022/kyrgyzstan.toml",
        "--deny",
        "warning",
    ]);
    assert_eq!(deny.code, 1);
    project.file("dossier.toml", "[rules]\nDOS101 = \"off\"\n");
    let run = project.run(&["check", "profiles/2022/kyrgyzstan.toml", "--format", "json"]);
    assert!(findings(&run.stdout).is_empty(), "{}", run.stdout);
}

#[test]
fn suppressions_need_to_match_something() {
    let project = TestProject::with_samples();
    let path = Path::new("profiles/2022/kyrgyzstan.toml");
    let mut text = String::from_utf8(project.read(path.to_str().expect("utf-8"))).expect("utf-8");
    text.push_str("\n[[suppress]]\nrule = \"duplicate-citation\"\nreason = \"two footnotes in print\"\nmatching = \"mfa-letter-2010-conduct\"\n");
    project.file("profiles/2022/kyrgyzstan.toml", &text);
    let run = project.run(&["check", "profiles/2022/kyrgyzstan.toml", "--format", "json"]);
    let rules: Vec<String> = findings(&run.stdout).into_iter().map(|f| f.1).collect();
    assert_eq!(
        rules,
        vec!["last-meeting-contradiction".to_string()],
        "{}",
        run.stdout
    );
}

#[test]
fn a_cut_off_imported_page_gets_one_finding_about_its_cut_and_the_rest_is_checked() {
    let project = TestProject::empty();
    for (page, year, lost) in [
        (
            "examplestan-2021-cut-in-body.txt",
            "2021",
            ["the section “Policy”", "markers [1], [2] have no text"],
        ),
        (
            "examplestan-2022-cut-in-footnote.txt",
            "2022",
            ["the rest of footnote [2]", "the text of footnote [3]"],
        ),
    ] {
        let text = std::fs::read_to_string(repo().join("tests/fixtures/import").join(page))
            .expect("import fixture");
        project.file(&format!("archive/{page}"), &text);
        let import = project.run(&["import", &format!("archive/{page}"), "--iso", "XE"]);
        assert_eq!(import.code, 0, "{}{}", import.stdout, import.stderr);
        let record = format!("profiles/{year}/examplestan.toml");
        let run = project.run(&["check", &record, "--format", "json"]);
        let found = findings(&run.stdout);
        let rules: Vec<&str> = found.iter().map(|(_, rule, _)| rule.as_str()).collect();
        assert_eq!(
            rules.iter().filter(|r| **r == "incomplete-record").count(),
            1,
            "{page}: {}",
            run.stdout
        );
        let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        let said = value["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "incomplete-record")
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default();
        for what in lost {
            assert!(
                said.contains(what),
                "{page}: the finding does not say {what}: {said}"
            );
        }
        for about_the_cut in [
            "missing-citation",
            "unused-citation",
            "footnote-numbering",
            "citation-unbalanced-quotes",
        ] {
            assert!(
                !rules.contains(&about_the_cut),
                "{page}: {about_the_cut} reported on a cut-off page: {}",
                run.stdout
            );
        }
    }
}

#[test]
fn statistics_group_findings_by_family_rule_and_record() {
    let project = TestProject::with_samples();
    let run = project.run(&["check", "profiles/", "--statistics"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    let stats = out
        .find("Findings by family:")
        .map(|at| &out[at..])
        .unwrap_or_else(|| panic!("no statistics: {out}"));
    assert!(stats.contains("DOS1xx: 1 in 1 record"), "{stats}");
    assert!(stats.contains("DOS3xx: 1 in 1 record"), "{stats}");
    assert!(
        stats.contains("DOS101 last-meeting-contradiction: 1 in 1 record"),
        "{stats}"
    );
    assert!(
        stats.contains("profiles/2022/kyrgyzstan.toml: 2"),
        "{stats}"
    );
    let plain = project.run(&["check", "profiles/"]);
    assert!(
        !plain.stdout.contains("Findings by family:"),
        "{}",
        plain.stdout
    );
}

#[test]
fn human_output_cuts_long_paragraph_lines_to_windows_around_labels() {
    let project = TestProject::empty();
    let filler = "It said that the review of the convention was continuing. ".repeat(8);
    let record = crate::support::minimal_record(
        "Examplestan",
        "XE",
        2023,
        &format!(
            "summary = \"\"\"\n{filler}It wrote.[^leter] {filler}It wrote again.[^missing] {filler}\n\"\"\"\n\n[citations]\nletter = \"Letter, 2010.\"\n"
        ),
    );
    project.file("profiles/2023/examplestan.toml", &record);
    let run = project.run(&["check", "profiles/2023/examplestan.toml"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let longest = run
        .stdout
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    assert!(
        longest <= 140,
        "a line of {longest} characters:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("It wrote.[^leter]"), "{}", run.stdout);
    assert!(run.stdout.contains("[^missing]"), "{}", run.stdout);
    assert!(run.stdout.contains('…'), "{}", run.stdout);
}

#[test]
fn check_reports_the_files_it_passes_over() {
    let project = TestProject::with_samples();
    project.file("profiles/2023/notes.txt", "an editor's notes\n");
    let run = project.run(&["check", "profiles/2023", "--format", "json"]);
    assert!(
        run.stderr.contains("skipped") && run.stderr.contains("notes.txt"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_rule_setting_names_its_file_and_position() {
    let project = TestProject::with_samples();
    project.file("checks/rules.toml", "[rules]\nDOS101 = \"loud\"\n");
    let run = project.run(&["check", "profiles/2023/norway.toml"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("rules.toml:2:10"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown variant `loud`"),
        "{}",
        run.stderr
    );
}

#[test]
fn records_named_in_an_ignore_file_are_left_out_of_a_directory_walk() {
    let project = TestProject::with_samples();
    project.file("profiles/2023/draft/broken.toml", "this is = = not toml\n");
    let before = project.run(&["check", "profiles/2023"]);
    assert_eq!(before.code, 2, "{}", before.stderr);
    assert!(before.stderr.contains("broken.toml"), "{}", before.stderr);
    project.file("profiles/.gitignore", "draft/\n");
    let after = project.run(&["check", "profiles/2023"]);
    assert!(!after.stderr.contains("broken.toml"), "{}", after.stderr);
    assert_ne!(after.code, 2, "{}", after.stderr);
}

#[test]
fn record_files_that_do_not_load_are_counted_after_the_summary() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/bytia.toml",
        &crate::support::minimal_record("Bytia", "BY", 2023, ""),
    );
    project.file("profiles/2023/empty.toml", "");
    project.bytes("profiles/2023/latin1.toml", b"country = \"caf\xe9\"\n");
    let run = project.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("in 1 record"), "{}", run.stdout);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("error: 2 record files could not be read and were not checked"),
        "{}",
        run.stderr
    );

    std::fs::remove_file(project.path().join("profiles/2023/latin1.toml")).unwrap();
    let run = project.run(&["check"]);
    assert!(
        run.stderr
            .contains("error: 1 record file could not be read and was not checked"),
        "{}",
        run.stderr
    );

    std::fs::remove_file(project.path().join("profiles/2023/empty.toml")).unwrap();
    let run = project.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("could not be read"), "{}", run.stderr);
}

#[test]
fn the_machine_formats_carry_files_that_do_not_load_with_their_positions() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/bytia.toml",
        &crate::support::minimal_record("Bytia", "BY", 2023, ""),
    );
    project.file(
        "profiles/2023/broken.toml",
        "country = \"Brokia\"\n\n[summary\n",
    );
    let message = |run: &crate::support::Run| {
        assert_eq!(run.code, 2, "{}", run.stderr);
        run.stdout.clone()
    };

    let json = message(&project.run(&["check", "--format", "json"]));
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    let unread = value["load_errors"].as_array().expect("load_errors");
    assert_eq!(unread.len(), 1, "{json}");
    assert_eq!(unread[0]["path"], "profiles/2023/broken.toml", "{json}");
    assert_eq!(unread[0]["line"], 3, "{json}");
    assert!(
        unread[0]["message"].as_str().unwrap_or("").contains("TOML"),
        "{json}"
    );
    assert_eq!(value["summary"]["unread_files"], 1, "{json}");
    assert_eq!(value["summary"]["records"], 1, "{json}");

    let github = message(&project.run(&["check", "--format", "github"]));
    assert!(
        github.starts_with(
            "::error file=profiles/2023/broken.toml,line=3,col=9,title=record does not load::"
        ),
        "{github}"
    );

    let sarif = message(&project.run(&["check", "--format", "sarif"]));
    let value: serde_json::Value = serde_json::from_str(&sarif).expect("sarif json");
    let invocation = &value["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{sarif}");
    let location = &invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"], "profiles/2023/broken.toml",
        "{sarif}"
    );
    assert_eq!(location["region"]["startLine"], 3, "{sarif}");

    std::fs::remove_file(project.path().join("profiles/2023/broken.toml")).unwrap();
    let sarif = project.run(&["check", "--format", "sarif"]).stdout;
    let value: serde_json::Value = serde_json::from_str(&sarif).expect("sarif json");
    assert_eq!(
        value["runs"][0]["invocations"][0]["executionSuccessful"], true,
        "{sarif}"
    );
    let json = project.run(&["check", "--format", "json"]).stdout;
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["load_errors"], serde_json::json!([]), "{json}");
}
