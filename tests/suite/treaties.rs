//! Registries per treaty: Mine Ban Treaty meetings and votes are checked against that treaty
//! only, and the convention's claims are not confused by them.

use crate::support::TestProject;

/// A record of `topic` for Examplestan, 2023 edition, with `extra` TOML appended.
fn record(topic: &str, extra: &str) -> String {
    format!(
        "country = \"Examplestan\"\niso = \"XE\"\ntopic = \"{topic}\"\nedition = 2023\nlast_updated = 2023-06-01\n{extra}"
    )
}

/// Checks one record file of the project and returns the JSON findings.
fn findings(project: &TestProject, path: &str) -> Vec<serde_json::Value> {
    let run = project.run(&["check", path, "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    value["findings"].as_array().expect("findings").clone()
}

fn rules(findings: &[serde_json::Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect()
}

const MINE_BAN_LAST_2019: &str = r#"
summary = """
State Party Examplestan last participated in a meeting of the Mine Ban Treaty in 2019.
"""

[status]
convention = "state-party"

[[meetings]]
meeting = "MBT-4RC"
role = "attended"

[[meetings]]
meeting = "MBT-19MSP"
role = "attended"
"#;

#[test]
fn a_mine_ban_claim_is_checked_against_the_mine_ban_treaty_meetings() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-ban-policy.toml";
    project.file(path, &record("mine-ban-policy", MINE_BAN_LAST_2019));
    let found = findings(&project, path);
    let last: Vec<_> = found
        .iter()
        .filter(|f| f["rule"] == "last-meeting-contradiction")
        .collect();
    assert_eq!(last.len(), 1, "{found:#?}");
    assert_eq!(last[0]["severity"], "error");
    let labels: Vec<String> = last[0]["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        labels.iter().any(|l| l.contains("2019")),
        "the claim is labelled: {labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.contains("MBT-19MSP")),
        "the 2021 meeting is labelled: {labels:?}"
    );
}

#[test]
fn a_consistent_mine_ban_record_passes() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-ban-policy.toml";
    let text = MINE_BAN_LAST_2019.replace("in 2019.", "in 2021.");
    project.file(path, &record("mine-ban-policy", &text));
    let found = findings(&project, path);
    assert!(
        !rules(&found).contains(&"last-meeting-contradiction"),
        "{found:#?}"
    );
}

#[test]
fn the_convention_record_is_not_confused_by_mine_ban_meetings() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.toml";
    let text = r#"
summary = """
Non-signatory Examplestan last participated in a meeting of the convention in 2013.
"""

[status]
convention = "non-signatory"

[[meetings]]
meeting = "4MSP"
role = "observer"

[[meetings]]
meeting = "MBT-19MSP"
role = "observer"
"#;
    project.file(path, &record("cluster-munition-ban-policy", text));
    let found = findings(&project, path);
    assert!(
        !rules(&found).contains(&"last-meeting-contradiction"),
        "{found:#?}"
    );
}

#[test]
fn the_mine_ban_record_is_not_confused_by_convention_meetings() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-ban-policy.toml";
    let text = r#"
summary = """
State Party Examplestan last participated in a meeting of the Mine Ban Treaty in 2019.
"""

[status]
convention = "state-party"

[[meetings]]
meeting = "MBT-4RC"
role = "attended"

[[meetings]]
meeting = "10MSP"
role = "observer"
"#;
    project.file(path, &record("mine-ban-policy", text));
    let found = findings(&project, path);
    assert!(
        !rules(&found).contains(&"last-meeting-contradiction"),
        "{found:#?}"
    );
}

#[test]
fn mine_ban_votes_are_checked_against_that_treaty_alone() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-ban-policy.toml";
    let text = r#"
summary = """
Examplestan has voted in favor of the annual resolution promoting the Mine Ban Treaty since 2015.
"""

[[votes]]
year = 2018
vote = "abstain"
"#;
    project.file(path, &record("mine-ban-policy", text));
    let found = findings(&project, path);
    assert!(rules(&found).contains(&"vote-contradiction"), "{found:#?}");
    assert!(
        !rules(&found).contains(&"resolution-mismatch"),
        "the Mine Ban Treaty's 2018 resolution is registered: {found:#?}"
    );

    // The same abstention on the convention's resolution says nothing about the treaty.
    let convention = "profiles/2023/examplestan.toml";
    let text = r#"
summary = """
Examplestan has voted in favor of the annual resolution promoting the Mine Ban Treaty since 2015.
"""

[[votes]]
year = 2018
vote = "abstain"
"#;
    project.file(convention, &record("cluster-munition-ban-policy", text));
    let found = findings(&project, convention);
    assert!(!rules(&found).contains(&"vote-contradiction"), "{found:#?}");
}

#[test]
fn mine_ban_treaty_dates_follow_its_own_articles() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-ban-policy.toml";
    let text = r#"
[status]
convention = "state-party"
signed = 1997-12-03
deposited = 1998-07-09
in_force = 1999-03-01
stockpile_deadline = 2003-03-01
"#;
    project.file(path, &record("mine-ban-policy", text));
    let found = findings(&project, path);
    assert!(found.is_empty(), "{found:#?}");

    let wrong = text.replace("in_force = 1999-03-01", "in_force = 1999-01-01");
    project.file(path, &record("mine-ban-policy", &wrong));
    let found = findings(&project, path);
    assert!(rules(&found).contains(&"article17-in-force"), "{found:#?}");
}

#[test]
fn a_mine_ban_policy_status_meets_the_other_topics_treaty_membership() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/examplestan.mine-ban-policy.toml",
        &record(
            "mine-ban-policy",
            "[status]\nconvention = \"state-party\"\n",
        ),
    );
    let path = "profiles/2023/examplestan.toml";
    project.file(
        path,
        &record(
            "cluster-munition-ban-policy",
            "[treaties]\nmine_ban_treaty = \"not-party\"\n",
        ),
    );
    let found = findings(&project, path);
    assert!(rules(&found).contains(&"topic-disagreement"), "{found:#?}");

    project.file(
        path,
        &record(
            "cluster-munition-ban-policy",
            "[treaties]\nmine_ban_treaty = \"party\"\n",
        ),
    );
    let found = findings(&project, path);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn mine_ban_article7_reports_print_in_the_key_facts_and_are_checked() {
    let project = TestProject::empty();
    let path = "profiles/2023/examplestan.mine-ban-policy.toml";
    let reports = "\n[status]\nconvention = \"state-party\"\nin_force = 2001-10-01\nreport_due = 2002-03-30\n\n[article7]\nlast_submitted = 2023-04-26\n\n[[article7.reports]]\ncovers = 2021\nsubmitted = 2022-04-28\n\n[[article7.reports]]\ncovers = 2022\nsubmitted = 2023-04-26\n";
    project.file(path, &record("mine-ban-policy", reports));
    let found = findings(&project, path);
    assert!(found.is_empty(), "{found:#?}");
    let run = project.run(&["render", "--no-book"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = crate::support::pdf_text(
        &project
            .path()
            .join("out/2023/examplestan.mine-ban-policy.pdf"),
    );
    for words in [
        "Latest Article 7 report",
        "26 April 2023",
        "Article 7 reports for",
        "2021, 2022",
    ] {
        assert!(text.contains(words), "{words:?} missing in: {text}");
    }

    // A latest-report date behind the reports listed, in the record or in its prose.
    let behind = reports.replace("last_submitted = 2023-04-26", "last_submitted = 2022-04-28");
    project.file(path, &record("mine-ban-policy", &behind));
    let found = findings(&project, path);
    assert!(rules(&found).contains(&"article7-report-due"), "{found:#?}");

    // The convention's dates in a cluster munition profile do not meet these.
    let convention = "profiles/2023/examplestan.toml";
    project.file(path, &record("mine-ban-policy", reports));
    project.file(
        convention,
        &record(
            "cluster-munition-ban-policy",
            "\nsummary = \"\"\"\nThe Mine Ban Treaty entered into force for Examplestan on 1 October 2001.\n\"\"\"\n\n[status]\nconvention = \"state-party\"\ndeposited = 2011-09-08\nreport_due = 2012-08-28\n",
        ),
    );
    let found = findings(&project, convention);
    assert!(
        !rules(&found).contains(&"article7-report-due"),
        "{found:#?}"
    );
}
