//! `dossier watch [PATHS]`: re-renders the records an edit touches, until interrupted.

use std::path::PathBuf;

use crate::project::{Project, ProjectError};
use crate::render::{Paper, RenderOptions, Renderer, Severity};
use crate::workflow::watch::{Event, POLL_INTERVAL, Watch};

use super::{EXIT_ERROR, Reporter};

/// Arguments of `dossier watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Record files or directories to watch (default: the project's profiles/).
    pub paths: Vec<PathBuf>,
    /// Output directory (default: `out/`, or `out_dir` in dossier.toml).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Paper size.
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Do not render the edition books.
    #[arg(long)]
    pub no_book: bool,
}

/// Runs `dossier watch`; returns only when it cannot start.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let (project, registry) = match super::project_with_registry(project, reporter) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let options = RenderOptions {
        paper: args.paper.or(project.config.paper).unwrap_or_default(),
        books: !args.no_book,
    };
    let renderer = match Renderer::new(&project.templates, registry, options) {
        Ok(r) => r,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let roots = if args.paths.is_empty() {
        vec![project.profiles.clone()]
    } else {
        args.paths.clone()
    };
    for root in &roots {
        if !root.exists() {
            reporter.failure(&format!("{} does not exist", root.display()));
            return EXIT_ERROR;
        }
    }
    let out_dir = args.out.unwrap_or_else(|| project.default_out_dir());
    let mut watch =
        Watch::new(renderer, roots.clone(), out_dir).with_templates(project.templates.clone());
    let mut first = true;
    loop {
        let events = watch.poll();
        for event in events {
            report(&event, &watch, reporter);
        }
        if first {
            first = false;
            let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
            reporter.status(&format!(
                "watching {} record{} in {}; press Ctrl-C to stop",
                watch.records(),
                if watch.records() == 1 { "" } else { "s" },
                shown.join(", ")
            ));
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

fn report(event: &Event, watch: &Watch, reporter: &Reporter) {
    match event {
        Event::Skipped(s) => reporter.skipped(s),
        Event::LoadFailed(e) => {
            reporter.load_error(e);
            reporter.status(&format!(
                "{}: not rendered; the last good PDF is kept",
                e.path.display()
            ));
        }
        Event::Recovered(path) => reporter.status(&format!("{}: loads again", path.display())),
        Event::Removed(path) => reporter.status(&format!("{}: removed", path.display())),
        Event::TemplatesChanged => {
            reporter.status("templates changed: rendering every record again");
        }
        Event::TemplatesUnreadable(e) => {
            reporter.status(&format!("error: {e}; the previous templates stay in use"));
        }
        Event::Rendered(result) => {
            for d in &result.diagnostics {
                reporter.render_diagnostic(d);
            }
            if result.written {
                reporter.status(&format!(
                    "rendered {}",
                    watch.out_dir().join(&result.output).display()
                ));
            } else if !result
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
            {
                reporter.failure(&format!("{} was not written", result.output.display()));
            }
        }
    }
}
