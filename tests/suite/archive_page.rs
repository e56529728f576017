//! Assertions over one whole published archive page in the 2015-on shape, shared by the
//! fixture tests (a page written for the project, with the same two defects as the published
//! seed page) and the opt-in acceptance test on the seed page itself (`seeds.rs`).

use std::path::Path;

use dossier::record::Record;

use crate::support::{TestProject, assert_words_in_order, pdf_text};

/// What a page is and what its import must give.
pub(crate) struct Page<'a> {
    /// The saved plain-text page.
    pub path: &'a Path,
    /// Extra `dossier import` arguments (e.g. `--iso` for a fictional country).
    pub import_args: &'a [&'a str],
    /// The record path the import writes, relative to the project.
    pub record: &'a str,
    /// The ISO code the record must carry.
    pub iso: &'a str,
    /// The year the summary gives as the last meeting attended (the defect).
    pub claimed_last_meeting: i32,
    /// The later year of attendance the body gives.
    pub attended_later: i32,
}

impl Page<'_> {
    /// The page's text.
    pub(crate) fn text(&self) -> String {
        std::fs::read_to_string(self.path)
            .unwrap_or_else(|e| panic!("{}: {e}", self.path.display()))
    }

    /// Imports the page into `project` and loads the record it wrote.
    pub(crate) fn import(&self, project: &TestProject) -> Record {
        let mut args = vec!["import", self.path.to_str().expect("utf-8 path")];
        args.extend_from_slice(self.import_args);
        let run = project.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("edition 2022 inferred"),
            "{}",
            run.stderr
        );
        dossier::record::load_record(&project.path().join(self.record))
            .unwrap_or_else(|e| panic!("{}", e.brief()))
    }
}

/// The footnote text of citation `key`.
pub(crate) fn citation<'r>(record: &'r Record, key: &str) -> &'r str {
    &record
        .citation(key)
        .unwrap_or_else(|| panic!("no citation {key}"))
        .text
        .value
        .text
}

/// Import keeps every line of prose and every footnote exactly, and the PDF shows them in order.
pub(crate) fn import_keeps_prose_and_footnotes(page: &Page<'_>) {
    let text = page.text();
    let project = TestProject::empty();
    let record = page.import(&project);
    assert_eq!(record.iso.value, page.iso);
    assert!(record.incomplete.is_none());
    let summary = &record.summary.as_ref().expect("summary").value.text;
    let claim = format!(
        "last participated in a meeting of the convention in {}",
        page.claimed_last_meeting
    );
    assert!(summary.contains(&claim), "{summary}");
    assert_eq!(citation(&record, "n1"), citation(&record, "n5"));
    assert_eq!(record.citations.len(), 5);
    let all: String = record
        .prose_blocks()
        .map(|(_, p)| p.value.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    for line in text
        .lines()
        .skip(3)
        .filter(|l| !l.starts_with('[') && l.len() > 60)
    {
        let expected = line.replace('[', "[^n");
        assert!(all.contains(&expected), "missing: {expected}");
    }
    let render = project.run(&["render", page.record, "--no-book"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    let pdf = project.path().join("out").join(
        page.record
            .trim_start_matches("profiles/")
            .replace(".toml", ".pdf"),
    );
    let printed = pdf_text(&pdf);
    let prose: Vec<&str> = text
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with('[') && *l != "Summary")
        .collect();
    assert_words_in_order(&printed, &without_markers(&prose.join(" ")), "page prose");
    for line in text.lines().filter(|l| l.starts_with('[')) {
        let body = line.split_once(']').map_or(line, |(_, rest)| rest);
        assert_words_in_order(&printed, body, "page footnote");
    }
}

/// The imported page gets both defects: the summary's last-meeting year contradicted by the
/// body (DOS101, naming both years) and one source cited as two footnotes (DOS301).
pub(crate) fn check_finds_both_defects(page: &Page<'_>) {
    let project = TestProject::empty();
    page.import(&project);
    let run = project.run(&["check", page.record, "--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json output");
    let findings = json["findings"].as_array().expect("findings array");
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"DOS101"), "{codes:?}");
    assert!(codes.contains(&"DOS301"), "{codes:?}");
    let last_meeting = findings
        .iter()
        .find(|f| f["code"] == "DOS101")
        .expect("DOS101");
    let shown = last_meeting.to_string();
    for year in [page.claimed_last_meeting, page.attended_later] {
        assert!(shown.contains(&year.to_string()), "{shown}");
    }
}

/// The text with `[n]` markers removed (they print as footnote numbers, not in line).
pub(crate) fn without_markers(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        match rest[open..].find(']') {
            Some(close)
                if rest[open + 1..open + close]
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push('[');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The project's own page in the seed's shape, with the same two defects.
pub(crate) fn fixture_page(path: &Path) -> Page<'_> {
    Page {
        path,
        import_args: &["--iso", "XE"],
        record: "profiles/2022/examplestan.toml",
        iso: "XE",
        claimed_last_meeting: 2013,
        attended_later: 2014,
    }
}

/// The path of the project's own page in the seed's shape.
pub(crate) fn fixture_path() -> std::path::PathBuf {
    crate::support::repo()
        .join("tests/fixtures/archive/examplestan-2022-cluster-munition-ban-policy.txt")
}
