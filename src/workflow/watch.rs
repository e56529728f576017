//! `dossier watch`: re-renders the records an edit touches, keeping the last good PDF.
//!
//! A [`Watch`] polls the record files' modification times and sizes. Each poll reloads the
//! files that changed; a record that fails to load is reported and its previous PDF is left
//! untouched, while a record that loads is re-rendered together with its edition's book.
//! When it watches a templates directory too, an edit there re-renders every record.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::project::{Skipped, collect_record_files};
use crate::record::{LoadError, Record, load_record};
use crate::render::{JobResult, Renderer};

/// How often the files are looked at: well under a second from save to render start.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// What a poll found and did.
#[derive(Debug)]
pub enum Event {
    /// A file under the watched paths was passed over.
    Skipped(Skipped),
    /// A record does not load (new or changed problems); its previous PDF is kept.
    LoadFailed(LoadError),
    /// A record that did not load loads again.
    Recovered(PathBuf),
    /// A record file disappeared.
    Removed(PathBuf),
    /// A PDF was rendered (or failed to render: see its diagnostics).
    Rendered(JobResult),
    /// The templates changed: every record is rendered again.
    TemplatesChanged,
    /// The templates changed but cannot be read; the previous ones stay in use.
    TemplatesUnreadable(String),
}

/// A file's modification time and size: what tells a poll that it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
    })
}

/// The watcher's state between polls.
pub struct Watch {
    renderer: Renderer,
    roots: Vec<PathBuf>,
    out_dir: PathBuf,
    stamps: BTreeMap<PathBuf, Stamp>,
    texts: BTreeMap<PathBuf, Vec<u8>>,
    good: BTreeMap<PathBuf, Record>,
    broken: BTreeMap<PathBuf, String>,
    skipped: BTreeSet<PathBuf>,
    templates: Option<(PathBuf, BTreeMap<PathBuf, Stamp>)>,
}

impl Watch {
    /// Watches the record files under `roots` (files or directories), writing PDFs to
    /// `out_dir`. Nothing happens until the first [`poll`](Watch::poll), which renders all.
    pub fn new(renderer: Renderer, roots: Vec<PathBuf>, out_dir: PathBuf) -> Self {
        Self {
            renderer,
            roots,
            out_dir,
            stamps: BTreeMap::new(),
            texts: BTreeMap::new(),
            good: BTreeMap::new(),
            broken: BTreeMap::new(),
            skipped: BTreeSet::new(),
            templates: None,
        }
    }

    /// Also watches the templates under `dir`, which the renderer was built from.
    pub fn with_templates(mut self, dir: PathBuf) -> Self {
        let stamps = template_stamps(&dir);
        self.templates = Some((dir, stamps));
        self
    }

    /// The output directory.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Records that currently load.
    pub fn records(&self) -> usize {
        self.good.len()
    }

    /// Looks at the files once: reloads what changed and re-renders what it touches.
    #[expect(
        clippy::too_many_lines,
        reason = "long function: split into named steps"
    )]
    pub fn poll(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let (files, skipped) = collect_record_files(&self.roots);
        for s in skipped {
            if self.skipped.insert(s.path.clone()) {
                events.push(Event::Skipped(s));
            }
        }
        // Editions whose books must be rebuilt, and records whose profiles must be.
        let mut editions: BTreeSet<i32> = BTreeSet::new();
        let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
        if let Some((dir, stamps)) = &mut self.templates {
            let now = template_stamps(dir);
            if now != *stamps {
                *stamps = now;
                match self.renderer.reload_templates(dir) {
                    Ok(()) => {
                        events.push(Event::TemplatesChanged);
                        for record in self.good.values() {
                            editions.insert(record.edition.value);
                            changed.insert(record.path.clone());
                        }
                    }
                    Err(e) => events.push(Event::TemplatesUnreadable(e.to_string())),
                }
            }
        }
        let current: BTreeSet<&PathBuf> = files.iter().collect();
        let gone: Vec<PathBuf> = self
            .stamps
            .keys()
            .filter(|p| !current.contains(p))
            .cloned()
            .collect();
        for path in gone {
            self.stamps.remove(&path);
            self.texts.remove(&path);
            self.broken.remove(&path);
            if let Some(old) = self.good.remove(&path) {
                editions.insert(old.edition.value);
            }
            events.push(Event::Removed(path));
        }
        for path in &files {
            let Some(now) = stamp(path) else { continue };
            if self.stamps.get(path) == Some(&now) {
                continue;
            }
            self.stamps.insert(path.clone(), now);
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            if self.texts.get(path) == Some(&bytes) {
                continue;
            }
            self.texts.insert(path.clone(), bytes);
            match load_record(path) {
                Ok(record) => {
                    if self.broken.remove(path).is_some() {
                        events.push(Event::Recovered(path.clone()));
                    }
                    if let Some(old) = self.good.get(path) {
                        editions.insert(old.edition.value);
                    }
                    editions.insert(record.edition.value);
                    changed.insert(path.clone());
                    self.good.insert(path.clone(), record);
                }
                Err(error) => {
                    let brief = error.brief();
                    if self.broken.get(path) != Some(&brief) {
                        self.broken.insert(path.clone(), brief);
                        events.push(Event::LoadFailed(error));
                    }
                }
            }
        }
        for edition in editions {
            let records: Vec<Record> = self
                .good
                .values()
                .filter(|r| r.edition.value == edition)
                .cloned()
                .collect();
            if records.is_empty() {
                continue;
            }
            let subjects: BTreeSet<String> = records
                .iter()
                .filter(|r| changed.contains(&r.path))
                .map(|r| r.path.display().to_string())
                .collect();
            let jobs: Vec<_> = self
                .renderer
                .jobs(&records)
                .into_iter()
                .filter(|j| subjects.contains(&j.subject) || j.subject.starts_with("book "))
                .collect();
            let results = self
                .renderer
                .run_jobs(&jobs, &self.out_dir, &|_: &JobResult| {});
            events.extend(results.into_iter().map(Event::Rendered));
        }
        events
    }
}

/// The stamp of every file under a templates directory.
fn template_stamps(dir: &Path) -> BTreeMap<PathBuf, Stamp> {
    fn walk(dir: &Path, into: &mut BTreeMap<PathBuf, Stamp>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, into);
            } else if let Some(s) = stamp(&path) {
                into.insert(path, s);
            }
        }
    }
    let mut stamps = BTreeMap::new();
    walk(dir, &mut stamps);
    stamps
}
