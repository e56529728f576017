//! The main job: `dossier build` renders everything and reports the checker's findings.

use crate::support::{shared, TestProject};

#[test]
fn build_renders_every_record_and_book_and_reports_findings() {
    let project = TestProject::with_samples();
    let run = project.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for rel in [
        "out/2022/armenia.pdf",
        "out/2022/georgia.pdf",
        "out/2022/kyrgyzstan.pdf",
        "out/2022/norway.pdf",
        "out/2023/georgia.pdf",
        "out/2023/kyrgyzstan.pdf",
        "out/2023/norway.pdf",
        "out/book-2022.pdf",
        "out/book-2023.pdf",
    ] {
        assert!(project.path().join(rel).is_file(), "{rel} missing");
    }
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(report.contains("DOS101"), "{report}");
    assert!(report.contains("DOS301"), "{report}");
    assert!(
        report.contains("2 errors, 0 warnings, 0 info in 7 records"),
        "{report}"
    );
}

#[test]
fn checking_the_imported_seed_finds_its_two_defects() {
    let project = TestProject::empty();
    let seed = shared().join("seeds/kyrgyzstan-2022-cluster-munition-ban-policy.txt");
    let imported = project.run(&["import", seed.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let run = project.run(&["check", "profiles/2022/kyrgyzstan.toml", "--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json output");
    let findings = json["findings"].as_array().expect("findings array");
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"DOS101"), "{codes:?}");
    assert!(codes.contains(&"DOS301"), "{codes:?}");
    let last_meeting = findings.iter().find(|f| f["code"] == "DOS101").unwrap();
    let text = last_meeting.to_string();
    assert!(text.contains("2012") && text.contains("2013"), "{text}");
}
