//! Incremental rendering: the manifest in the output directory skips unchanged outputs, and
//! synthetic corpora load and render.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::support::TestProject;

/// Every PDF under `out`, with its bytes and modification time.
fn snapshot(out: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    fn walk(dir: &Path, root: &Path, into: &mut BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
        for entry in std::fs::read_dir(dir).expect("read out dir").flatten() {
            let path = entry.path();
            if path.is_dir() && !entry.file_name().to_string_lossy().starts_with('.') {
                walk(&path, root, into);
            } else if path.extension().is_some_and(|e| e == "pdf") {
                let modified = entry.metadata().and_then(|m| m.modified()).expect("mtime");
                let bytes = std::fs::read(&path).expect("read pdf");
                into.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    (bytes, modified),
                );
            }
        }
    }
    let mut map = BTreeMap::new();
    walk(out, out, &mut map);
    map
}

/// The outputs whose bytes or modification time differ between two snapshots.
fn changed(
    before: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>,
    after: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>,
) -> Vec<String> {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "different outputs"
    );
    before
        .iter()
        .filter(|(path, old)| after[*path] != **old)
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// Waits until the file system clock has moved on, so rewritten files get a new mtime.
fn tick(project: &TestProject) {
    let probe = project.path().join(".tick");
    let start = {
        std::fs::write(&probe, b"0").unwrap();
        std::fs::metadata(&probe).unwrap().modified().unwrap()
    };
    loop {
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&probe, b"1").unwrap();
        if std::fs::metadata(&probe).unwrap().modified().unwrap() > start {
            break;
        }
    }
}

#[test]
fn editing_one_record_rerenders_only_it_and_its_book() {
    let project = TestProject::with_samples();
    let first = project.run(&["render"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("19 PDFs written"), "{}", first.stderr);
    assert!(project.path().join("out/.dossier-manifest.json").is_file());
    let before = snapshot(&project.path().join("out"));
    assert_eq!(before.len(), 19, "{:?}", before.keys());

    tick(&project);
    let unchanged = project.run(&["render"]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.stderr);
    assert!(
        unchanged.stderr.contains("19 up to date"),
        "{}",
        unchanged.stderr
    );
    assert!(
        unchanged.stderr.contains("0 PDFs written"),
        "{}",
        unchanged.stderr
    );
    assert_eq!(
        changed(&before, &snapshot(&project.path().join("out"))),
        Vec::<String>::new()
    );

    let rel = "profiles/2023/georgia.toml";
    let text = String::from_utf8(project.read(rel)).unwrap();
    let edited = text.replacen("[[sections]]\ntitle = ", "[[sections]]\ntitle = \"Added heading\"\ntext = \"\"\"\nAn added paragraph about the 2023 edition.\n\"\"\"\n\n[[sections]]\ntitle = ", 1);
    assert_ne!(
        edited, text,
        "the sample record has no section to edit before"
    );
    project.file(rel, &edited);
    tick(&project);
    let again = project.run(&["render"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("17 up to date"), "{}", again.stderr);
    assert!(again.stderr.contains("2 PDFs written"), "{}", again.stderr);
    let after = snapshot(&project.path().join("out"));
    assert_eq!(
        changed(&before, &after),
        vec!["2023/georgia.pdf".to_string(), "book-2023.pdf".to_string()]
    );
    for (path, (bytes, _)) in &after {
        if path.ends_with("georgia.pdf") && path.starts_with("2023") {
            assert_ne!(
                bytes, &before[path].0,
                "the edited record's PDF did not change"
            );
        }
    }
}

#[test]
fn force_rerenders_everything() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render"]).code, 0);
    let before = snapshot(&project.path().join("out"));
    tick(&project);
    let run = project.run(&["render", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("19 PDFs written"), "{}", run.stderr);
    assert_eq!(
        changed(&before, &snapshot(&project.path().join("out"))).len(),
        19
    );
}

#[test]
fn a_template_change_invalidates_every_output() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render"]).code, 0);
    let before = snapshot(&project.path().join("out"));
    let style = String::from_utf8(project.read("templates/style.typ")).unwrap();
    project.file(
        "templates/style.typ",
        &format!("{style}\n// A comment changes no page, but the template set.\n"),
    );
    tick(&project);
    let run = project.run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("19 PDFs written"), "{}", run.stderr);
    assert_eq!(
        changed(&before, &snapshot(&project.path().join("out"))).len(),
        19
    );
}

#[test]
fn a_deleted_pdf_is_rendered_again_and_a_failed_one_is_retried() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "--no-book"]).code, 0);
    std::fs::remove_file(project.path().join("out/2022/norway.pdf")).unwrap();
    let run = project.run(&["render", "--no-book"]);
    assert!(run.stderr.contains("1 PDF written"), "{}", run.stderr);
    assert!(project.path().join("out/2022/norway.pdf").is_file());
    // A template that fails every document: nothing is recorded, so fixing it renders again.
    let profile = String::from_utf8(project.read("templates/profile.typ")).unwrap();
    project.file(
        "templates/profile.typ",
        &format!("{profile}\n#let broken = defined-nowhere\n"),
    );
    let failed = project.run(&["render", "--no-book"]);
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    project.file("templates/profile.typ", &profile);
    let fixed = project.run(&["render", "--no-book"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert!(fixed.stderr.contains("17 PDFs written"), "{}", fixed.stderr);
}

#[test]
fn a_damaged_profile_pdf_does_not_stop_its_book_and_force_repairs_it() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "profiles/2022"]).code, 0);
    let norway = project.read("out/2022/norway.pdf");
    // Damaged outside dossier: the manifest still takes it for up to date.
    project.bytes("out/2022/norway.pdf", b"not a PDF any more");
    let rel = "profiles/2022/armenia.toml";
    let text = String::from_utf8(project.read(rel)).unwrap();
    project.file(
        rel,
        &text.replacen(
            "[[sections]]",
            "[[sections]]\ntitle = \"Note\"\ntext = \"An added note.\"\n\n[[sections]]",
            1,
        ),
    );
    // The book is made from the records' pages, not from the profiles' PDFs.
    let run = project.run(&["render", "profiles/2022"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = crate::support::pdf_text(&project.path().join("out/book-2022.pdf"));
    assert!(
        book.contains("An added note.") && book.contains("Norway"),
        "{book}"
    );
    assert_eq!(project.read("out/2022/norway.pdf"), b"not a PDF any more");
    let forced = project.run(&["render", "profiles/2022", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(
        project.read("out/2022/norway.pdf"),
        norway,
        "--force wrote it again"
    );
}

#[test]
fn synthetic_corpus_loads_and_renders() {
    let project = TestProject::empty();
    let run = project.run(&[
        "synth",
        "--countries",
        "4",
        "--editions",
        "2",
        "--seed",
        "7",
        "--out",
        "corpus",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let corpus = project.path().join("corpus");
    let (files, _) = dossier::project::collect_record_files(&[corpus.join("profiles")]);
    assert_eq!(files.len(), 8, "{files:?}");
    let (records, errors) = dossier::project::load_records(&files);
    assert!(
        errors.is_empty(),
        "{:?}",
        errors
            .iter()
            .map(dossier::record::LoadError::brief)
            .collect::<Vec<_>>()
    );
    for record in &records {
        assert!(
            record.sections.len() >= 2,
            "{} has too few sections",
            record.path.display()
        );
        assert!(
            record.citations.len() >= 2,
            "{} has too few citations",
            record.path.display()
        );
    }
    let render = project.run(&["render", "--project", "corpus", "--out", "corpus/out"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert!(
        render.stderr.contains("10 PDFs written"),
        "{}",
        render.stderr
    );
    // Same seed, same corpus; another seed, another one.
    assert_eq!(
        project
            .run(&[
                "synth",
                "--countries",
                "4",
                "--editions",
                "2",
                "--seed",
                "7",
                "--out",
                "again"
            ])
            .code,
        0
    );
    assert_eq!(
        project
            .run(&[
                "synth",
                "--countries",
                "4",
                "--editions",
                "2",
                "--seed",
                "8",
                "--out",
                "other"
            ])
            .code,
        0
    );
    let read = |dir: &str| {
        let (files, _) =
            dossier::project::collect_record_files(&[project.path().join(dir).join("profiles")]);
        files
            .iter()
            .map(|f| std::fs::read(f).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(read("corpus"), read("again"));
    assert_ne!(read("corpus"), read("other"));
}

#[test]
fn a_synthetic_corpus_restates_its_denials_consistently() {
    // Generated statements deny the activities the summary denies, so the checker's
    // activity-list rule has nothing to say about a synthetic corpus of any size.
    let project = TestProject::empty();
    let synth = [
        "synth",
        "--countries",
        "30",
        "--editions",
        "2",
        "--seed",
        "3",
        "--out",
        "corpus",
    ];
    assert_eq!(project.run(&synth).code, 0);
    let check = project.run(&[
        "--project",
        "corpus",
        "check",
        "corpus/profiles",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).expect("json report");
    let findings = report["findings"].as_array().expect("findings");
    // Nor do the rules on footnotes carrying two events, the other treaty's meetings,
    // positions on joining and carried-over sentences: the generated text is consistent.
    for code in ["DOS107", "DOS111", "DOS208", "DOS404", "DOS405"] {
        let found = findings.iter().filter(|f| f["code"] == code).count();
        assert_eq!(found, 0, "{code}: {}", check.stdout);
    }
    // The corpus does carry the deliberate drift it is generated with.
    assert!(
        !findings.is_empty(),
        "no findings at all on 60 generated records"
    );
}

/// The kept PDFs of `out`: their names and the run that made each.
fn kept(out: &Path) -> BTreeMap<String, u64> {
    dossier::render::kept_pdfs(out)
        .into_iter()
        .map(|kept| (kept.name, kept.run))
        .collect()
}

/// The kept layouts of `out`: their names and the run that laid each out.
fn layouts(out: &Path) -> BTreeMap<String, u64> {
    dossier::render::kept_layouts(out)
        .into_iter()
        .map(|kept| (kept.name, kept.run))
        .collect()
}

/// A generated edition of 12 records rendered with its book into `corpus/out` (whose path
/// is returned), and its first record's file.
fn rendered_edition(project: &TestProject) -> (PathBuf, PathBuf) {
    let run = project.run(&RENDER);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = project.path().join("corpus/out");
    assert_eq!(
        kept(&out).len(),
        12,
        "one kept PDF a profile: {:?}",
        kept(&out)
    );
    assert_eq!(layouts(&out).len(), 12, "one layout a profile");
    assert!(
        kept(&out)
            .values()
            .chain(layouts(&out).values())
            .all(|&run| run == 1)
    );
    let (files, _) =
        dossier::project::collect_record_files(&[project.path().join("corpus/profiles")]);
    (out, files[0].clone())
}

/// The render of the generated edition with its book.
const RENDER: [&str; 5] = ["render", "--project", "corpus", "--out", "corpus/out"];

/// `edited` with `sentence(first)` after the first line of its first section's text
/// (`first`).
fn add_to_first_section(edited: &Path, sentence: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(edited).unwrap();
    let opening = "text = \"\"\"\n";
    let start = text.find(opening).expect("a section's text") + opening.len();
    let first = &text[start..start + text[start..].find('\n').unwrap() + 1];
    let edited_text = text.replacen(first, &format!("{first}{}", sentence(first)), 1);
    std::fs::write(edited, edited_text).unwrap();
}

/// The book of a render of the generated edition from scratch, into `corpus/fresh`, and
/// the book in `corpus/out`.
fn fresh_and_kept_books(project: &TestProject) -> (Vec<u8>, Vec<u8>) {
    let fresh = project.run(&["render", "--project", "corpus", "--out", "corpus/fresh"]);
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    let book = |dir: &str| std::fs::read(project.book_in(dir)).unwrap();
    (book("corpus/fresh"), book("corpus/out"))
}

#[test]
fn a_book_made_again_joins_the_kept_pdfs_of_the_profiles_that_did_not_change() {
    let project = TestProject::with_generated_edition();
    let (out, edited) = rendered_edition(&project);
    let before = kept(&out);

    // A sentence the record already has, said twice: no glyph the edition lacks. Only the
    // profiles laid out in one document with the edited one are laid out and written again.
    add_to_first_section(&edited, str::to_owned);
    tick(&project);
    let run = project.run(&RENDER);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("2 PDFs written"), "{}", run.stderr);
    let after = kept(&out);
    assert_eq!(after.len(), 12, "the older versions are gone: {after:?}");
    let unchanged = before
        .iter()
        .filter(|(name, _)| after.get(*name) == Some(&1))
        .count();
    let made_again = after.values().filter(|&&run| run == 2).count();
    assert_eq!(unchanged + made_again, 12, "{after:?}");
    assert!(
        (10..12).contains(&unchanged),
        "the profiles of the other documents are joined as kept: {unchanged} of 12"
    );
    let laid_out = layouts(&out);
    assert_eq!(
        laid_out.len(),
        12,
        "the older versions are gone: {laid_out:?}"
    );
    assert_eq!(
        laid_out.values().filter(|&&run| run == 1).count(),
        unchanged,
        "the profiles whose PDFs are kept are not laid out again: {laid_out:?}"
    );

    let (fresh, joined) = fresh_and_kept_books(&project);
    assert!(
        fresh == joined,
        "the book joined from kept PDFs is the book made from scratch"
    );
}

#[test]
fn a_glyph_new_to_the_book_has_every_profile_laid_out_again() {
    let project = TestProject::with_generated_edition();
    let (out, edited) = rendered_edition(&project);
    // Letters no generated record has: the book's font subsets, which every profile's PDF
    // in it embeds, change.
    add_to_first_section(&edited, |_| "Its envoy in Ǿrsted wrote twice.\n".into());
    tick(&project);
    let run = project.run(&RENDER);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("cannot show"), "{}", run.stderr);
    assert!(
        kept(&out).values().all(|&run| run == 2),
        "every PDF is made again: {:?}",
        kept(&out)
    );
    assert!(
        layouts(&out).values().all(|&run| run == 2),
        "every profile is laid out again: {:?}",
        layouts(&out)
    );
    let (fresh, joined) = fresh_and_kept_books(&project);
    assert!(fresh == joined, "the book is the book made from scratch");
}

#[test]
fn a_damaged_kept_pdf_is_made_again() {
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "profiles/2022"]).code, 0);
    let out = project.path().join("out");
    let book = project.read("out/book-2022.pdf");
    let store = out
        .join(dossier::render::KEPT_DIR)
        .join(dossier::render::STORE);
    let damage = |cut: bool| {
        let mut bytes = std::fs::read(&store).unwrap();
        // Inside the first entry's PDF, past its header line.
        let middle = bytes.iter().position(|&b| b == b'%').unwrap() + 200;
        if cut {
            bytes.truncate(middle);
        } else {
            // Damaged where the end does not show it.
            bytes[middle..middle + 64].fill(b'x');
        }
        std::fs::write(&store, &bytes).unwrap();
    };
    let whole = kept(&out);
    assert!(!whole.is_empty());
    for (cut, what) in [(true, "cut off"), (false, "damaged inside")] {
        // Seen and made again when the book is (here, as its PDF was deleted).
        damage(cut);
        assert!(
            kept(&out).len() < whole.len(),
            "{what}: an entry is not read"
        );
        std::fs::remove_file(out.join("book-2022.pdf")).unwrap();
        let run = project.run(&["render", "profiles/2022"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            project.read("out/book-2022.pdf") == book,
            "{what}: the book is made again from whole PDFs"
        );
        assert_eq!(
            kept(&out).keys().collect::<Vec<_>>(),
            whole.keys().collect::<Vec<_>>(),
            "{what}: the store is whole again"
        );
    }
    // `--force` makes every PDF again, as it makes every output.
    let latest = kept(&out).into_values().max().unwrap();
    let run = project.run(&["render", "profiles/2022", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(project.read("out/book-2022.pdf") == book);
    assert!(
        kept(&out).values().all(|&run| run == latest + 1),
        "--force does not join kept PDFs: {:?}",
        kept(&out)
    );
}
