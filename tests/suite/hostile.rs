//! Hostile and broken input: clear errors with positions, literal output, no escape from
//! the project, no half-written files.

use std::time::{Duration, Instant};

use crate::support::{TestProject, minimal_record, pdf_plain_bytes, pdf_text, tool};

fn render_one(project: &TestProject) -> crate::support::Run {
    project.run(&["render", "--no-book"])
}

#[test]
fn invalid_utf8_is_reported_with_position() {
    let project = TestProject::empty();
    let mut bytes = minimal_record("Bytia", "BY", 2023, "").into_bytes();
    bytes.extend_from_slice(b"summary = \"caf\xe9\"\n");
    project.bytes("profiles/2023/bytia.toml", &bytes);
    let run = render_one(&project);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("profiles/2023/bytia.toml:6:15: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn bom_and_crlf_records_render() {
    let project = TestProject::empty();
    let text = format!(
        "\u{feff}{}",
        minimal_record(
            "Bomland",
            "BO",
            2023,
            "summary = \"\"\"\nLine one.\nLine two.\n\"\"\"\n"
        )
        .replace('\n', "\r\n")
    );
    project.file("profiles/2023/bomland.toml", &text);
    let run = render_one(&project);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&project.path().join("out/2023/bomland.pdf")).contains("Line one. Line two."));
}

#[test]
fn empty_file_and_duplicate_keys() {
    let project = TestProject::empty();
    project.file("profiles/2023/empty.toml", "");
    project.file(
        "profiles/2023/dup.toml",
        &format!("{}iso = \"DU\"\n", minimal_record("Dupia", "DU", 2023, "")),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("profiles/2023/empty.toml:1:1: the file is empty"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("profiles/2023/dup.toml:6:1: TOML syntax: duplicate key"),
        "{}",
        run.stderr
    );
}

#[test]
fn deep_nesting_is_refused_without_crashing() {
    let project = TestProject::empty();
    let deep = format!(
        "{}x = {}{}\n",
        minimal_record("Deepia", "DE", 2023, ""),
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    project.file("profiles/2023/deep.toml", &deep);
    let run = render_one(&project);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("profiles/2023/deep.toml:6:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("nested more than 32 deep"),
        "{}",
        run.stderr
    );
}

#[test]
fn fifty_megabytes_of_prose_is_refused_quickly() {
    let project = TestProject::empty();
    let mut text = minimal_record("Hugeland", "HU", 2023, "summary = \"\"\"\n");
    let words = "word ".repeat(10 * 1024 * 1024);
    text.push_str(&words);
    text.push_str("\n\"\"\"\n");
    assert!(text.len() > 50_000_000);
    project.file("profiles/2023/huge.toml", &text);
    let started = Instant::now();
    let run = render_one(&project);
    assert_eq!(run.code, 2, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(
        run.stderr
            .contains("profiles/2023/huge.toml:6:11: `summary` is 52428"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn impossible_dates_are_errors() {
    let project = TestProject::empty();
    project.file("profiles/2023/feb.toml", "country = \"Febland\"\niso = \"FE\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2023\n[status]\nconvention = \"state-party\"\nsigned = 2023-02-30\n");
    let run = render_one(&project);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("profiles/2023/feb.toml:7:10: impossible date"),
        "{}",
        run.stderr
    );
}

#[test]
fn control_characters_are_rejected() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/bell.toml",
        &minimal_record("Bellia", "BE", 2023, "summary = \"ring \\u0007 ring\"\n"),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "profiles/2023/bell.toml:6:11: `summary` contains the control character U+0007"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn self_citing_footnote_prints_literally() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/loop.toml",
        &minimal_record("Loopia", "LO", 2023, "summary = \"A claim.[^a] Another.[^b]\"\n[citations]\na = \"See [^a] and [^b].\"\nb = \"See [^a].\"\n"),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&project.path().join("out/2023/loopia.pdf"));
    assert!(text.contains("See [^a] and [^b]."), "{text}");
}

#[test]
fn stray_files_in_an_edition_are_skipped_with_a_warning() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/ok.toml",
        &minimal_record("Okland", "OK", 2023, ""),
    );
    project.file("profiles/2023/notes.txt", "editor's notes");
    let run = render_one(&project);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: skipped")
            && run.stderr.contains("notes.txt: not a .toml record"),
        "{}",
        run.stderr
    );
    assert!(project.path().join("out/2023/okland.pdf").is_file());
}

#[test]
fn output_paths_cannot_escape_the_output_directory() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/evil.toml",
        &minimal_record("../../../../tmp/Evil/..", "EV", 2023, ""),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made: Vec<_> = std::fs::read_dir(project.path().join("out/2023"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(made, vec!["tmp-evil.pdf".to_string()]);
}

#[test]
fn a_profile_template_without_profile_pages_is_explained() {
    let project = TestProject::empty();
    project.file(
        "templates/profile.typ",
        "#let profile-document(data) = [An older template.]\n",
    );
    project.file(
        "profiles/2023/olden.toml",
        &minimal_record("Oldenland", "OL", 2023, ""),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("olden.toml"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates/profile.typ must define `profile-pages(data)`"),
        "{}",
        run.stderr
    );
}

#[test]
fn templates_cannot_read_outside_the_project() {
    let project = TestProject::empty();
    project.file(
        "templates/profile.typ",
        "#let profile-pages(data) = read(\"../../../../../../etc/passwd\")\n",
    );
    project.file(
        "profiles/2023/peek.toml",
        &minimal_record("Peekland", "PE", 2023, ""),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: profiles/2023/peek.toml") || run.stderr.contains("peek.toml"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/profile.typ:1:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("root:"), "leaked: {}", run.stderr);
    assert!(!project.path().join("out/2023/peekland.pdf").exists());
}

#[test]
fn scripts_the_fonts_cannot_show_are_named_in_a_warning() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/script.toml",
        &minimal_record(
            "Scriptia",
            "SC",
            2023,
            "summary = \"Names: 東京, القاهرة, 🙂.\"\n",
        ),
    );
    let run = render_one(&project);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: profiles/2023/script.toml: the bundled fonts cannot show 東 (U+6771)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("🙂 (U+1F642)"), "{}", run.stderr);
    let text = pdf_text(&project.path().join("out/2023/scriptia.pdf"));
    assert!(
        text.contains("[U+6771][U+4EAC]") && text.contains("[U+1F642]"),
        "{text}"
    );
}

#[test]
fn pdfs_hold_no_absolute_paths() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render"]).code, 0);
    let root = project.path().to_string_lossy().into_owned();
    for rel in ["out/2022/kyrgyzstan.pdf", "out/book-2023.pdf"] {
        // Searched as a reader sees it: most of a packed PDF is compressed.
        let bytes = pdf_plain_bytes(&project.read(rel));
        assert!(
            bytes.windows(15).any(|w| w == b"/StructTreeRoot"),
            "{rel}: its objects were not read"
        );
        assert!(
            !bytes.windows(root.len()).any(|w| w == root.as_bytes()),
            "{rel} contains the project path"
        );
        assert!(
            !bytes.windows(5).any(|w| w == b"/tmp/"),
            "{rel} contains a temporary path"
        );
    }
}

#[test]
fn killing_a_render_leaves_no_partial_pdf() {
    let project = TestProject::empty();
    let prose = "The delegation attended and spoke at length about the convention. ".repeat(400);
    for i in 0..40 {
        let country =
            format!("Killtest{}", (b'a' + (i as u8 % 26)) as char).repeat(1) + &i.to_string();
        project.file(
            &format!("profiles/2023/k{i}.toml"),
            &minimal_record(
                &country,
                "KT",
                2023,
                &format!("summary = \"\"\"\n{prose}\n\"\"\"\n"),
            ),
        );
    }
    let mut child = project
        .command(&["render", "--jobs", "2"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = project.path().join("out/2023");
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let pdfs = std::fs::read_dir(&out)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
                    .count()
            })
            .unwrap_or(0);
        if pdfs >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status();
    let _ = child.wait();
    let mut checked = 0;
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".pdf") {
            let (ok, msg) =
                tool("qpdf", &["--check", entry.path().to_str().unwrap()]).expect("qpdf installed");
            assert!(ok, "{name} is not a whole PDF: {msg}");
            checked += 1;
        } else {
            assert!(
                name.starts_with('.') && name.ends_with(".tmp"),
                "unexpected file {name}"
            );
        }
    }
    assert!(
        checked >= 2,
        "the render was killed before writing anything"
    );
    assert!(
        checked < 41,
        "the render finished before it was killed; nothing was tested"
    );
    // The next run cleans up what the killed one left behind.
    assert_eq!(project.run(&["render", "--no-book"]).code, 0);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unknown_meetings_and_resolutions_are_reported_by_render_and_check() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/unknownia.toml",
        &minimal_record("Unknownia", "UN", 2023, "[[meetings]]\nmeeting = \"99MSP\"\nrole = \"attended\"\n\n[[votes]]\nresolution = \"99/999\"\nvote = \"yes\"\n\n[[votes]]\nyear = 2031\nvote = \"no\"\n"),
    );
    let render = render_one(&project);
    assert_eq!(render.code, 0, "{}", render.stderr);
    for expected in [
        "profiles/2023/unknownia.toml:7:11: meeting `99MSP` is not in checks/meetings.toml nor checks/mbt-meetings.toml",
        "profiles/2023/unknownia.toml:11:14: resolution `99/999` is not in checks/resolutions.toml",
        "profiles/2023/unknownia.toml:15:8: no annual resolution on the Convention on Cluster Munitions is registered for 2031",
    ] {
        assert!(
            render.stderr.contains(expected),
            "missing {expected:?} in {}",
            render.stderr
        );
    }
    let check = project.run(&["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let messages: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["code"], f["message"]))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("DOS205") && m.contains("99MSP")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("DOS206") && m.contains("99/999")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("DOS206") && m.contains("2031")),
        "{messages:?}"
    );
}

#[test]
fn an_output_path_that_is_a_file_is_said_once() {
    let project = TestProject::with_samples();
    project.file("out", "a file where the output directory goes\n");
    let run = project.run(&["render"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr.matches("cannot write").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("/out: it is a file; the output goes to a directory"),
        "{}",
        run.stderr
    );
    assert_eq!(
        project.read("out"),
        b"a file where the output directory goes\n",
        "the file is left as it was"
    );
}

#[test]
fn a_misspelt_meeting_id_gets_the_known_one_suggested() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/typoland.toml",
        &minimal_record(
            "Typoland",
            "TY",
            2023,
            "[[meetings]]\nmeeting = \"SANTIAGO2010\"\nrole = \"attended\"\n",
        ),
    );
    let suggestion = "meeting `SANTIAGO2010` is not in checks/meetings.toml nor checks/mbt-meetings.toml (did you mean `SANTIAGO-2010`?)";
    let render = render_one(&project);
    assert!(render.stderr.contains(suggestion), "{}", render.stderr);
    let check = project.run(&["check", "--format", "json"]);
    assert!(check.stdout.contains(suggestion), "{}", check.stdout);
}
