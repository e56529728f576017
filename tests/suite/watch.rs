//! `dossier watch`: an edit re-renders the PDF; a broken save keeps the last good one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dossier::project::Project;
use dossier::render::RenderOptions;
use dossier::workflow::watch::{Event, Watch};

use crate::support::{TestProject, minimal_record, pdf_text};

/// Kills the watcher when the test ends, however it ends.
struct Watcher {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watcher {
    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

/// Waits until `ready` holds, up to `limit`; panics with `what` and the watcher's output.
fn wait_for(watcher: &Watcher, limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < limit,
            "timed out waiting for {what}; watch said:\n{}",
            watcher.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

#[test]
fn watch_renders_edits_and_keeps_the_last_good_pdf() {
    let project = TestProject::empty();
    let record = "profiles/2023/kyrgyzstan.toml";
    project.file(
        record,
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = \"First words.\"\n"),
    );
    let mut child = project
        .command(&["watch", "--no-book"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dossier watch");
    let mut pipe = child.stderr.take().unwrap();
    let stderr = Arc::new(Mutex::new(String::new()));
    let sink = stderr.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let watcher = Watcher { child, stderr };
    let pdf = project.path().join("out/2023/kyrgyzstan.pdf");

    // The first render (a cold start compiles fonts and templates: allow for a busy machine).
    wait_for(&watcher, Duration::from_secs(120), "the first PDF", || {
        watcher.stderr().contains("watching 1 record")
    });
    let first = read(&pdf).expect("the first PDF is written before watching starts");
    assert!(pdf_text(&pdf).contains("First words."));

    // An edit: the PDF changes and shows the new text.
    project.file(
        record,
        &minimal_record(
            "Kyrgyzstan",
            "KG",
            2023,
            "summary = \"Second words, edited.\"\n",
        ),
    );
    wait_for(&watcher, Duration::from_secs(60), "the edited PDF", || {
        read(&pdf).is_some_and(|b| b != first)
    });
    assert!(pdf_text(&pdf).contains("Second words, edited."));
    let good = read(&pdf).unwrap();

    // A broken save: diagnostics with line and column, and the last good PDF stays.
    project.file(
        record,
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = \"Third words\n"),
    );
    wait_for(&watcher, Duration::from_secs(60), "the load error", || {
        watcher.stderr().contains("the last good PDF is kept")
    });
    assert!(
        watcher
            .stderr()
            .contains("profiles/2023/kyrgyzstan.toml:6:"),
        "{}",
        watcher.stderr()
    );
    assert_eq!(read(&pdf).unwrap(), good, "a broken save changed the PDF");

    // Fixed again: rendered again.
    project.file(
        record,
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = \"Fourth words.\"\n"),
    );
    // The PDF is written before the message is printed: wait for both.
    wait_for(&watcher, Duration::from_secs(60), "the fixed PDF", || {
        read(&pdf).is_some_and(|b| b != good) && watcher.stderr().contains("loads again")
    });
    assert!(pdf_text(&pdf).contains("Fourth words."));
    let fixed = read(&pdf).unwrap();

    // A template edit: every record is rendered again with it.
    let style = String::from_utf8(project.read("templates/style.typ")).unwrap();
    assert!(style.contains("upper(\"Summary\")"));
    project.file(
        "templates/style.typ",
        &style.replace("upper(\"Summary\")", "upper(\"Overview\")"),
    );
    wait_for(
        &watcher,
        Duration::from_secs(60),
        "the re-templated PDF",
        || read(&pdf).is_some_and(|b| b != fixed) && watcher.stderr().contains("templates changed"),
    );
    assert!(pdf_text(&pdf).contains("OVERVIEW"), "{}", pdf_text(&pdf));
}

#[test]
fn watch_fails_cleanly_on_a_missing_path() {
    let project = TestProject::empty();
    let run = project.run(&["watch", "profiles/1999"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("profiles/1999 does not exist"),
        "{}",
        run.stderr
    );
}

/// The paths of the files a poll reported as passed over.
fn skipped(events: &[Event]) -> Vec<PathBuf> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Skipped(s) => Some(s.path.clone()),
            _ => None,
        })
        .collect()
}

/// A watch of `project`'s profiles through the library, without books, writing to `out/`.
fn library_watch(project: &TestProject) -> (Watch, Project) {
    let found = Project::at(project.path()).expect("the project");
    let options = RenderOptions {
        books: false,
        ..RenderOptions::default()
    };
    let roots = vec![found.profiles.clone()];
    let out = project.path().join("out");
    let watch = Watch::for_project(&found, options, roots, out).expect("a watch");
    (watch, found)
}

#[test]
fn watch_reports_a_stray_file_once_and_an_editors_temporary_file_never() {
    let project = TestProject::empty();
    project.file(
        "profiles/2023/kyrgyzstan.toml",
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = \"Words.\"\n"),
    );
    project.file("profiles/2023/notes.txt", "not a record\n");
    let (mut watch, found) = library_watch(&project);
    let notes = found.profiles.join("2023/notes.txt");
    // What is there when the watch starts is reported at once.
    assert_eq!(skipped(&watch.poll()), vec![notes.clone()]);

    // A temporary file that is gone by the next look is never reported.
    let temporary = found.profiles.join("2023/sedX1b2c3");
    std::fs::write(&temporary, "half a save").unwrap();
    assert_eq!(skipped(&watch.poll()), Vec::<PathBuf>::new());
    std::fs::remove_file(&temporary).unwrap();
    assert_eq!(skipped(&watch.poll()), Vec::<PathBuf>::new());

    // A file that stays is reported at the look after it appeared, and only then.
    let stray = found.profiles.join("2023/draft.md");
    std::fs::write(&stray, "a draft").unwrap();
    assert_eq!(skipped(&watch.poll()), Vec::<PathBuf>::new());
    assert_eq!(skipped(&watch.poll()), vec![stray]);
    assert_eq!(skipped(&watch.poll()), Vec::<PathBuf>::new());
}

#[test]
fn watch_keeps_the_templates_in_use_while_an_edit_to_them_does_not_parse() {
    let project = TestProject::empty();
    let record = "profiles/2023/kyrgyzstan.toml";
    project.file(
        record,
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = \"Words.\"\n"),
    );
    let (mut watch, _) = library_watch(&project);
    watch.poll();
    let pdf = project.path().join("out/2023/kyrgyzstan.pdf");
    assert!(pdf_text(&pdf).contains("Words."));

    let style = String::from_utf8(project.read("templates/style.typ")).unwrap();
    let broken = style.replacen(
        "#let ink = rgb(\"#1b1b1b\")",
        "#let ink = rgb(\"#1b1b1b\"",
        1,
    );
    assert_ne!(broken, style);
    project.file("templates/style.typ", &broken);
    let reported: Vec<String> = watch
        .poll()
        .iter()
        .filter_map(|event| match event {
            Event::TemplatesUnreadable(error) => Some(error.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert!(
        reported[0].starts_with("templates/style.typ:")
            && reported[0].ends_with("unclosed delimiter"),
        "{reported:?}"
    );
    // A record saved meanwhile is rendered with the templates in use.
    project.file(
        record,
        &minimal_record("Kyrgyzstan", "KG", 2023, "summary = \"Other words.\"\n"),
    );
    watch.poll();
    assert!(
        pdf_text(&pdf).contains("Other words."),
        "{}",
        pdf_text(&pdf)
    );
}
