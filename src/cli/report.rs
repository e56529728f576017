//! Printing diagnostics and progress for people: colour when wanted, nothing when quiet.

use std::io::IsTerminal;
use std::path::PathBuf;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use dossier::project::{Skipped, collect_record_files, load_records};
use dossier::record::{LoadError, Record};
use dossier::render::{DiagnosticGroup, RenderDiagnostic, Severity};

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Makes this the colour decision of the whole run, taken by `anstream` for each
    /// stream: `--color always` or `never` as given; `auto` colours a terminal unless
    /// `NO_COLOR` (or `CLICOLOR=0`) says otherwise.
    fn apply(self) {
        match self {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        }
        .write_global();
    }
}

/// Whether what is written to `stream` is coloured (see [`ColorChoice::apply`]).
fn colours(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// Prints diagnostics and status lines to standard error.
#[derive(Debug, Clone)]
pub(crate) struct Reporter {
    /// Whether to colour what goes to standard error.
    pub(crate) color: bool,
    /// Whether to colour what goes to standard output.
    pub(crate) color_stdout: bool,
    /// Whether to print only errors.
    pub(crate) quiet: bool,
}

impl Reporter {
    /// A reporter for the given colour choice and verbosity.
    pub(crate) fn new(color: ColorChoice, quiet: bool) -> Self {
        color.apply();
        Self {
            color: colours(&std::io::stderr()),
            color_stdout: colours(&std::io::stdout()),
            quiet,
        }
    }

    /// The project, or `None` after printing why there is none.
    pub(crate) fn found(
        &self,
        project: Result<dossier::project::Project, dossier::project::ProjectError>,
    ) -> Option<dossier::project::Project> {
        project.map_err(|e| self.error(&e)).ok()
    }

    /// Renders a miette diagnostic as text.
    pub(crate) fn render(&self, diagnostic: &dyn Diagnostic) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let mut out = String::new();
        if handler.render_report(&mut out, diagnostic).is_err() {
            out = diagnostic.to_string();
        }
        out
    }

    /// Prints that a file under the given paths was passed over, and why.
    pub(crate) fn skipped(&self, skipped: &Skipped) {
        self.status(&format!(
            "warning: skipped {}: {}",
            skipped.path.display(),
            skipped.reason
        ));
    }

    /// Loads the record files under `paths`, printing the files passed over and every
    /// problem of the records that do not load; returns the records that do, and the errors.
    pub(crate) fn load_records(&self, paths: &[PathBuf]) -> (Vec<Record>, Vec<LoadError>) {
        let (files, skipped) = collect_record_files(paths);
        for s in &skipped {
            self.skipped(s);
        }
        let (records, errors) = load_records(&files);
        for e in &errors {
            self.load_error(e);
        }
        (records, errors)
    }

    /// Prints every problem of a record that failed to load.
    pub(crate) fn load_error(&self, error: &LoadError) {
        eprintln!("{}", error.brief());
        for report in error.diagnostics() {
            eprintln!("{}", self.render(&report));
        }
    }

    /// Prints an error (always, even when quiet).
    pub(crate) fn error(&self, diagnostic: &dyn Diagnostic) {
        eprintln!("{}", self.render(diagnostic));
    }

    /// Prints `error: MESSAGE` (always, even when quiet).
    pub(crate) fn failure(&self, message: &str) {
        eprintln!("error: {message}");
    }

    /// Prints `warning: MESSAGE` unless quiet.
    pub(crate) fn warning(&self, message: &str) {
        self.status(&format!("warning: {message}"));
    }

    /// Prints a status line unless quiet.
    pub(crate) fn status(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// Prints a render diagnostic (warnings only when not quiet).
    pub(crate) fn render_diagnostic(&self, d: &RenderDiagnostic) {
        if d.severity < Severity::Error && self.quiet {
            return;
        }
        let kind = d.severity.label();
        let at = d
            .location
            .as_ref()
            .map(|l| format!(" (at {l})"))
            .unwrap_or_default();
        eprintln!("{kind}: {}: {}{at}", d.subject, d.message);
        for hint in &d.hints {
            eprintln!("  hint: {hint}");
        }
    }

    /// Prints a diagnostic that several outputs share once, naming the first few outputs.
    pub(crate) fn render_diagnostic_group(&self, group: &DiagnosticGroup<'_>) {
        let [_, second, rest @ ..] = group.subjects.as_slice() else {
            return self.render_diagnostic(group.diagnostic);
        };
        let d = group.diagnostic;
        if d.severity < Severity::Error && self.quiet {
            return;
        }
        let at = d
            .location
            .as_ref()
            .map(|l| format!(" (at {l})"))
            .unwrap_or_default();
        let named = match rest {
            [] => format!("{} and {second}", d.subject),
            [third] => format!("{}, {second} and {third}", d.subject),
            [third, more @ ..] => {
                format!("{}, {second}, {third} and {} more", d.subject, more.len())
            }
        };
        eprintln!(
            "{}: {}{at}, in {} outputs: {named}",
            d.severity.label(),
            d.message,
            group.subjects.len()
        );
        for hint in &d.hints {
            eprintln!("  hint: {hint}");
        }
    }

    /// A progress bar on a terminal, or `None` (then plain lines are printed instead).
    pub(crate) fn progress(&self, len: usize, what: &str) -> Option<indicatif::ProgressBar> {
        if self.quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(len as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(what.to_string());
        Some(bar)
    }
}
