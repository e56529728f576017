//! `dossier watch [PATHS]`: re-renders the records an edit touches, until interrupted.

use dossier::project::{Project, ProjectError};
use dossier::render::{RenderOptions, Severity};
use dossier::workflow::watch::{Event, Watch};

use super::args::{OutputArgs, PathArgs};
use super::render::plural;
use super::{EXIT_ERROR, Reporter};

/// Arguments of `dossier watch`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub(crate) paths: PathArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    /// Do not render the edition books.
    #[arg(long)]
    pub(crate) no_book: bool,
}

/// Runs `dossier watch`; returns only when it cannot start.
pub(super) fn run(args: Args, project: Result<Project, ProjectError>, reporter: &Reporter) -> i32 {
    let Some(project) = reporter.found(project) else {
        return EXIT_ERROR;
    };
    let roots = args.paths.or_profiles(&project);
    if let Some(missing) = roots.iter().find(|root| !root.exists()) {
        reporter.failure(&format!("{} does not exist", missing.display()));
        return EXIT_ERROR;
    }
    let options = RenderOptions {
        paper: args
            .output
            .paper
            .or(project.config.paper)
            .unwrap_or_default(),
        books: !args.no_book,
        book_topics: Vec::new(),
        keep_layouts: true,
        reuse_kept: true,
    };
    let out_dir = args.output.out.unwrap_or_else(|| project.default_out_dir());
    let mut watch = match Watch::for_project(&project, options, roots.clone(), out_dir) {
        Ok(watch) => watch,
        Err(e) => {
            reporter.error(&e);
            return EXIT_ERROR;
        }
    };
    let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    let mut first = true;
    loop {
        for event in watch.poll() {
            report(&event, &watch, reporter);
        }
        if first {
            first = false;
            reporter.status(&format!(
                "watching {} record{} in {}; press Ctrl-C to stop",
                watch.records(),
                plural(watch.records()),
                shown.join(", ")
            ));
        }
        watch.wait();
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
        Event::Failed(e) => reporter.error(e),
        Event::TemplatesUnreadable(e) => {
            reporter.error(e);
            reporter.status("the previous templates stay in use");
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
