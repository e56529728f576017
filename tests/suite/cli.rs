//! The command line as a whole: help with examples, completions, colour, project config.

use dossier::check::RuleSetting;
use dossier::project::Project;

use crate::support::TestProject;

/// The subcommands `dossier --help` lists (but `help`).
fn subcommands(project: &TestProject) -> Vec<String> {
    let run = project.run(&["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let commands = run
        .stdout
        .split_once("Commands:\n")
        .map(|(_, rest)| rest)
        .expect("`dossier --help` lists the commands");
    commands
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_has_help_with_an_example() {
    let project = TestProject::empty();
    let names = subcommands(&project);
    for wanted in [
        "build",
        "render",
        "watch",
        "new",
        "rollover",
        "schema",
        "completions",
    ] {
        assert!(names.iter().any(|n| n == wanted), "no `{wanted}` command");
    }
    for name in names {
        let run = project.run(&[&name, "--help"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(
            run.stdout.contains("Example"),
            "`dossier {name} --help` has no example"
        );
        assert!(
            run.stdout.contains(&format!("dossier {name}")),
            "`dossier {name} --help`"
        );
        insta::assert_snapshot!(format!("help_{name}"), run.stdout);
    }
}

#[test]
fn completions_cover_every_command() {
    let project = TestProject::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = project.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for name in subcommands(&project) {
            assert!(
                run.stdout.contains(&name),
                "{shell} completions lack `{name}`"
            );
        }
    }
    let run = project.run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid value 'tcsh'"),
        "{}",
        run.stderr
    );
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let project = TestProject::empty();
    project.file("profiles/2023/x.toml", "country = 3\n");
    let plain = project.run(&["render", "profiles/2023/x.toml"]);
    assert_eq!(plain.code, 2);
    assert!(plain.stderr.contains("x.toml:1:11"), "{}", plain.stderr);
    assert!(
        !plain.stderr.contains('\u{1b}'),
        "NO_COLOR is set, yet: {}",
        plain.stderr
    );
    let never = project.run(&["--color", "never", "render", "profiles/2023/x.toml"]);
    assert!(!never.stderr.contains('\u{1b}'));
    let always = project.run(&["--color", "always", "render", "profiles/2023/x.toml"]);
    assert!(
        always.stderr.contains('\u{1b}'),
        "--color always gave no colour"
    );
}

#[test]
fn project_config_is_found_from_subdirectories_and_read() {
    let project = TestProject::empty();
    project.file(
        "dossier.toml",
        "out_dir = \"pdf\"\npaper = \"us-letter\"\n\n[rules]\nDOS101 = \"warning\"\nlast-meeting-contradiction = \"off\"\n",
    );
    std::fs::create_dir_all(project.path().join("profiles/2023")).unwrap();
    let found = Project::discover(&project.path().join("profiles/2023")).unwrap();
    assert_eq!(found.root, project.path());
    assert_eq!(found.default_out_dir(), project.path().join("pdf"));
    assert_eq!(
        found.config.rules.get("DOS101"),
        Some(&RuleSetting::Warning)
    );
    assert_eq!(
        found.config.rules.get("last-meeting-contradiction"),
        Some(&RuleSetting::Off)
    );
}

#[test]
fn a_bad_rule_severity_is_an_error_with_its_position() {
    let project = TestProject::empty();
    project.file("dossier.toml", "[rules]\nDOS101 = \"loud\"\n");
    let run = project.run(&["new", "Norway", "--edition", "2024", "--iso", "NO"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("dossier.toml: 2:10: unknown variant `loud`"),
        "{}",
        run.stderr
    );
}
