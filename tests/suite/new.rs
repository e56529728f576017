//! `dossier new`: skeleton records that load, explain every field and never overwrite.

use dossier::record::{Topic, load_record};

use crate::support::TestProject;

/// Lines that set a key or open a table, outside multi-line strings, with the line above.
fn keys_with_line_above(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_string = false;
    let mut previous = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let was_in_string = in_string;
        if trimmed.matches("\"\"\"").count() % 2 == 1 {
            in_string = !in_string;
        }
        if !was_in_string && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push((trimmed.to_string(), previous.clone()));
        }
        previous = trimmed.to_string();
    }
    out
}

#[test]
fn new_writes_a_commented_skeleton_that_loads() {
    let project = TestProject::empty();
    let run = project.run(&["new", "Kyrgyzstan", "--edition", "2024", "--iso", "KG"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "profiles/2024/kyrgyzstan.toml");
    let path = project.path().join("profiles/2024/kyrgyzstan.toml");
    let record = load_record(&path).unwrap_or_else(|e| panic!("{}", e.brief()));
    assert_eq!(record.country.value, "Kyrgyzstan");
    assert_eq!(record.iso.value, "KG");
    assert_eq!(record.edition.value, 2024);
    assert_eq!(record.topic.value, Topic::ClusterMunitionBanPolicy);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("#:schema ../../checks/record.schema.json\n"));
    let keys = keys_with_line_above(&text);
    assert!(keys.len() >= 10, "{keys:?}");
    for (line, above) in keys {
        assert!(above.starts_with('#'), "`{line}` has no comment above it");
    }
}

#[test]
fn new_takes_a_topic_and_looks_up_a_missing_iso_in_the_country_table() {
    let project = TestProject::empty();
    let run = project.run(&[
        "new",
        "Côte d'Ivoire",
        "--edition",
        "2024",
        "--topic",
        "mine-action",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "profiles/2024/cote-d-ivoire.mine-action.toml"
    );
    let record = load_record(
        &project
            .path()
            .join("profiles/2024/cote-d-ivoire.mine-action.toml"),
    )
    .unwrap();
    assert_eq!(record.topic.value, Topic::MineAction);
    assert_eq!(record.country.value, "Côte d'Ivoire");
    assert_eq!(record.iso.value, "CI");
}

#[test]
fn new_writes_the_iso_code_of_kyrgyzstan_not_a_guess_from_its_letters() {
    let project = TestProject::empty();
    let run = project.run(&["new", "Kyrgyzstan", "--edition", "2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = project.read("profiles/2024/kyrgyzstan.toml");
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("iso = \"KG\""), "{text}");
}

#[test]
fn new_refuses_an_unknown_country_without_iso_and_suggests_the_flag() {
    let project = TestProject::empty();
    let run = project.run(&["new", "Examplestan", "--edition", "2024"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("unknown country name"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--iso"), "{}", run.stderr);
    assert!(
        !project
            .path()
            .join("profiles/2024/examplestan.toml")
            .exists()
    );
    let given = project.run(&["new", "Examplestan", "--edition", "2024", "--iso", "xe"]);
    assert_eq!(given.code, 0, "{}", given.stderr);
}

#[test]
fn new_refuses_to_overwrite() {
    let project = TestProject::empty();
    project.file("profiles/2024/kyrgyzstan.toml", "# an editor's work\n");
    let run = project.run(&["new", "Kyrgyzstan", "--edition", "2024", "--iso", "KG"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("new_refuses_to_overwrite", run.stderr);
    assert_eq!(
        project.read("profiles/2024/kyrgyzstan.toml"),
        b"# an editor's work\n"
    );
}

#[test]
fn new_rejects_a_bad_topic_and_finds_the_project_from_a_subdirectory() {
    let project = TestProject::empty();
    let run = project.run(&["new", "Kyrgyzstan", "--edition", "2024", "--topic", "mines"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown topic; one of: cluster-munition-ban-policy"),
        "{}",
        run.stderr
    );
    std::fs::create_dir_all(project.path().join("profiles/2023")).unwrap();
    let output = project
        .command(&["new", "Norway", "--edition", "2024", "--iso", "NO"])
        .current_dir(project.path().join("profiles/2023"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(project.path().join("profiles/2024/norway.toml").is_file());
}
