//! `dossier watch`: re-renders the records an edit touches, keeping the last good PDF.
//!
//! A [`Watch`] waits for the file system to report a change (debounced `notify` events, or
//! notify's polling watcher where events are not available), then looks at the record files'
//! modification times and sizes. Each look reloads the files that changed; a record that fails to load is reported and its previous PDF is left
//! untouched, while a record that loads is re-rendered together with its edition's book.
//! When it watches a templates directory too, an edit there re-renders every record.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime};

use notify_debouncer_mini::notify::{self, RecursiveMode, Watcher};
use notify_debouncer_mini::{Config as DebounceConfig, DebounceEventResult, new_debouncer_opt};

use crate::project::Project;
use crate::project::{Skipped, collect_record_files};
use crate::record::{LoadError, Record, load_record};
use crate::render::{JobResult, JobSource, RenderError, RenderOptions, Renderer};

/// How often the files are looked at when no file-system events can be had: well under a
/// second from save to render start.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// How long events are gathered before a look: an editor's save is several events.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// How long an empty record file is given to be written before it counts as empty: an
/// editor saving in place truncates the file first, and a look can fall in between.
const SETTLE: Duration = Duration::from_secs(1);

/// The longest wait without a look, in case an event was lost.
const SAFETY_INTERVAL: Duration = Duration::from_secs(2);

/// File-system events under the watched paths, debounced.
struct Changes {
    /// The debouncer and its watcher, alive as long as this is (dropping it stops them).
    _debouncer: Box<dyn std::any::Any>,
    events: Receiver<DebounceEventResult>,
}

impl Changes {
    /// Watches `paths` with the platform's events, else with notify's polling watcher;
    /// `None` when neither can be set up (then the caller polls on its own).
    fn start(paths: &[PathBuf]) -> Option<Self> {
        let (sender, events) = std::sync::mpsc::channel();
        let events_config = DebounceConfig::default().with_timeout(DEBOUNCE);
        let polling_config = DebounceConfig::default()
            .with_timeout(DEBOUNCE)
            .with_notify_config(notify::Config::default().with_poll_interval(POLL_INTERVAL));
        let debouncer = watch_paths::<notify::RecommendedWatcher>(events_config, paths, &sender)
            .or_else(|_| watch_paths::<notify::PollWatcher>(polling_config, paths, &sender))
            .ok()?;
        Some(Self {
            _debouncer: debouncer,
            events,
        })
    }

    /// Blocks until something changed (or a while has passed), then drains the events.
    fn wait(&self) {
        match self.events.recv_timeout(SAFETY_INTERVAL) {
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL_INTERVAL),
            Ok(_) | Err(RecvTimeoutError::Timeout) => while self.events.try_recv().is_ok() {},
        }
    }
}

/// A debouncer over watcher `W` watching `paths`: directories recursively, a file through
/// its directory (editors replace a file when they save it).
fn watch_paths<W: Watcher + 'static>(
    config: DebounceConfig,
    paths: &[PathBuf],
    sender: &Sender<DebounceEventResult>,
) -> notify::Result<Box<dyn std::any::Any>> {
    let mut debouncer = new_debouncer_opt::<_, W>(config, sender.clone())?;
    for path in paths {
        if path.is_dir() {
            debouncer.watcher().watch(path, RecursiveMode::Recursive)?;
        } else {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            debouncer
                .watcher()
                .watch(dir, RecursiveMode::NonRecursive)?;
        }
    }
    Ok(Box::new(debouncer))
}

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
    /// An edition's documents could not be prepared; nothing of it was rendered.
    Failed(RenderError),
    /// The templates changed but cannot be read; the previous ones stay in use.
    TemplatesUnreadable(RenderError),
}

/// A file's modification time and size: what tells a poll that it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// Whether a file read empty is probably half-way through a save (emptied just now).
fn mid_save(bytes: &[u8], stamp: &Stamp) -> bool {
    bytes.is_empty()
        && stamp
            .modified
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age < SETTLE)
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
    /// Files passed over that were reported (once each).
    skipped: BTreeSet<PathBuf>,
    /// Files passed over at the last look and not reported yet: a file that is not a record
    /// is reported when the watch starts, or later once it outlives a look, so that an
    /// editor's (or `sed -i`'s) temporary file, gone by the next look, is never reported.
    unsettled: Option<BTreeSet<PathBuf>>,
    templates: Option<(PathBuf, BTreeMap<PathBuf, Stamp>)>,
    changes: Option<Changes>,
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
            unsettled: None,
            templates: None,
            changes: None,
        }
    }

    /// Watches a project's records under `roots`, rendered with its templates (which are
    /// watched too) and registries into `out_dir`.
    pub fn for_project(
        project: &Project,
        options: RenderOptions,
        roots: Vec<PathBuf>,
        out_dir: PathBuf,
    ) -> Result<Self, RenderError> {
        let renderer = Renderer::for_project(project, options)?;
        Ok(Self::new(renderer, roots, out_dir).with_templates(project.templates.clone()))
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

    /// Waits until the files may have changed: a file-system event under the watched
    /// paths (or the templates), debounced. Where no watcher can be set up, it waits
    /// [`POLL_INTERVAL`].
    pub fn wait(&mut self) {
        self.start_watching();
        match &self.changes {
            Some(changes) => changes.wait(),
            None => std::thread::sleep(POLL_INTERVAL),
        }
    }

    /// Starts watching the roots and the templates for events, once.
    fn start_watching(&mut self) {
        if self.changes.is_none() {
            let mut paths = self.roots.clone();
            paths.extend(self.templates.as_ref().map(|(dir, _)| dir.clone()));
            self.changes = Changes::start(&paths);
        }
    }

    /// Records that currently load.
    pub fn records(&self) -> usize {
        self.good.len()
    }

    /// Looks at the files once: reloads what changed and re-renders what it touches.
    pub fn poll(&mut self) -> Vec<Event> {
        self.start_watching();
        let mut events = Vec::new();
        let mut touched = Touched::default();
        let (files, skipped) = collect_record_files(&self.roots);
        self.report_skipped(skipped, &mut events);
        self.reload_templates(&mut events, &mut touched);
        self.forget_removed(&files, &mut events, &mut touched);
        for path in &files {
            self.reload(path, &mut events, &mut touched);
        }
        self.render(&touched, &mut events);
        events
    }

    /// Reports the files passed over that are new and settled: all of them at the first
    /// look, later only those already there at the look before.
    fn report_skipped(&mut self, skipped: Vec<Skipped>, events: &mut Vec<Event>) {
        let first = self.unsettled.is_none();
        let before = self.unsettled.take().unwrap_or_default();
        let mut unsettled = BTreeSet::new();
        for s in skipped {
            if self.skipped.contains(&s.path) {
                continue;
            }
            if first || before.contains(&s.path) {
                self.skipped.insert(s.path.clone());
                events.push(Event::Skipped(s));
            } else {
                unsettled.insert(s.path);
            }
        }
        self.unsettled = Some(unsettled);
    }

    /// Reads the templates again when they changed; then every record is touched.
    fn reload_templates(&mut self, events: &mut Vec<Event>, touched: &mut Touched) {
        let Some((dir, stamps)) = &mut self.templates else {
            return;
        };
        let now = template_stamps(dir);
        if now == *stamps {
            return;
        }
        *stamps = now;
        match self.renderer.reload_templates(dir) {
            Ok(()) => {
                events.push(Event::TemplatesChanged);
                for record in self.good.values() {
                    touched.editions.insert(record.edition.value);
                    touched.records.insert(record.path.clone());
                }
            }
            Err(e) => events.push(Event::TemplatesUnreadable(e)),
        }
    }

    /// Forgets the record files that are gone; their editions' books are touched.
    fn forget_removed(
        &mut self,
        files: &[PathBuf],
        events: &mut Vec<Event>,
        touched: &mut Touched,
    ) {
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
                touched.editions.insert(old.edition.value);
            }
            events.push(Event::Removed(path));
        }
    }

    /// Loads a record file again when its stamp and its bytes changed.
    fn reload(&mut self, path: &Path, events: &mut Vec<Event>, touched: &mut Touched) {
        let Some(now) = stamp(path) else { return };
        if self.stamps.get(path) == Some(&now) {
            return;
        }
        let Ok(bytes) = std::fs::read(path) else {
            return;
        };
        if mid_save(&bytes, &now) {
            return;
        }
        self.stamps.insert(path.to_path_buf(), now);
        if self.texts.get(path) == Some(&bytes) {
            return;
        }
        self.texts.insert(path.to_path_buf(), bytes);
        match load_record(path) {
            Ok(record) => {
                if self.broken.remove(path).is_some() {
                    events.push(Event::Recovered(path.to_path_buf()));
                }
                if let Some(old) = self.good.get(path) {
                    touched.editions.insert(old.edition.value);
                }
                touched.editions.insert(record.edition.value);
                touched.records.insert(path.to_path_buf());
                self.good.insert(path.to_path_buf(), record);
            }
            Err(error) => {
                let brief = error.brief();
                if self.broken.get(path) != Some(&brief) {
                    self.broken.insert(path.to_path_buf(), brief);
                    events.push(Event::LoadFailed(error));
                }
            }
        }
    }

    /// Renders the touched records' profiles and their editions' books.
    fn render(&self, touched: &Touched, events: &mut Vec<Event>) {
        for &edition in &touched.editions {
            let records: Vec<Record> = self
                .good
                .values()
                .filter(|r| r.edition.value == edition)
                .cloned()
                .collect();
            if records.is_empty() {
                continue;
            }
            let jobs = match self.renderer.jobs(&records) {
                Ok(jobs) => jobs,
                Err(e) => {
                    events.push(Event::Failed(e));
                    continue;
                }
            };
            let jobs: Vec<_> = jobs
                .into_iter()
                .filter(|job| match &job.source {
                    JobSource::Record(path) => touched.records.contains(path),
                    JobSource::Edition(_) => true,
                })
                .collect();
            let results = self
                .renderer
                .run_jobs(&jobs, &self.out_dir, &|_: &JobResult| {});
            events.extend(results.into_iter().map(Event::Rendered));
        }
    }
}

/// What a poll found changed: records whose profiles, and editions whose books, are made
/// again.
#[derive(Default)]
struct Touched {
    editions: BTreeSet<i32>,
    records: BTreeSet<PathBuf>,
}

/// The stamp of every file under a templates directory.
fn template_stamps(dir: &Path) -> BTreeMap<PathBuf, Stamp> {
    crate::walk::walk(dir, crate::walk::WalkOptions::default())
        .files
        .into_iter()
        .filter_map(|path| stamp(&path).map(|s| (path, s)))
        .collect()
}
