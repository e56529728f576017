//! The main job: `dossier build` renders everything and reports the checker's findings.

use crate::archive_page;
use crate::support::TestProject;

/// The main command as the README's quick start writes it: the arguments after `--` on the
/// `cargo run` line of the "Two commands" block.
fn readme_main_command() -> Vec<String> {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).expect("README");
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run"))
        .expect("a `cargo run` line in the README");
    let command = line.split('#').next().unwrap_or(line);
    let (_, args) = command
        .split_once(" -- ")
        .expect("the README's command passes arguments after --");
    args.split_whitespace().map(str::to_string).collect()
}

#[test]
fn the_readme_quick_start_renders_everything_and_reports_findings() {
    let args = readme_main_command();
    assert_eq!(args, ["build"], "the quick start changed: update this test");
    let project = TestProject::with_samples();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = project.run(&args);
    assert_eq!(run.code, 0, "documented exit code 0\n{}", run.stderr);
    let out = project.path().join("out");
    for edition in std::fs::read_dir(project.path().join("profiles"))
        .expect("profiles")
        .flatten()
    {
        let year = edition.file_name().to_string_lossy().into_owned();
        assert!(
            out.join(format!("book-{year}.pdf")).is_file(),
            "book {year}"
        );
        for record in std::fs::read_dir(edition.path())
            .expect("edition")
            .flatten()
        {
            let name = record
                .file_name()
                .to_string_lossy()
                .replace(".toml", ".pdf");
            assert!(out.join(&year).join(&name).is_file(), "{year}/{name}");
        }
    }
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(report.contains("DOS101"), "{report}");
    assert!(report.contains("DOS301"), "{report}");
    assert!(
        report.contains("2 errors, 0 warnings, 0 info in 17 records"),
        "{report}"
    );
}

#[test]
fn checking_an_imported_page_finds_its_two_defects() {
    let path = archive_page::fixture_path();
    archive_page::check_finds_both_defects(&archive_page::fixture_page(&path));
}

#[test]
fn a_record_file_that_does_not_load_is_reported_once_and_counted() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/bytia.toml",
        &crate::support::minimal_record("Bytia", "BY", 2023, ""),
    );
    project.file("profiles/2023/empty.toml", "");
    let run = project.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("profiles/2023/empty.toml:1:1: the file is empty")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: 1 record file could not be read and was not checked"),
        "{}",
        run.stderr
    );
    assert!(project.path().join("out/2023/bytia.pdf").is_file());
}
