//! Writing a comparison: text to standard output or a file, or the redline PDF.

use std::path::Path;

use dossier::diff::Diff;
use dossier::diff::emit::pdf::RedlineOptions;
use dossier::diff::emit::{self, Format};
use dossier::project::Project;

use super::Args;
use crate::cli::Reporter;

/// Writes the terminal, JSON or Markdown output to `out` or standard output.
pub(super) fn write_text(
    diff: &Diff,
    format: Format,
    out: Option<&Path>,
    reporter: &Reporter,
) -> bool {
    let text = match format {
        Format::Json => emit::json::render(diff),
        Format::Markdown => emit::markdown::render(diff),
        _ => emit::terminal::render(diff, out.is_none() && reporter.color_stdout),
    };
    match out {
        Some(path) => write(path, text.as_bytes(), reporter),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth reporting.
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
            true
        }
    }
}

/// Typesets the redline PDF with the project's templates and writes it.
pub(super) fn write_redline(
    diff: &Diff,
    args: &Args,
    project: Option<&Project>,
    reporter: &Reporter,
) -> bool {
    let Some(project) = project else {
        reporter.failure("the redline PDF needs a dossier project (for its templates)");
        return false;
    };
    let options = RedlineOptions {
        paper: args.paper.or(project.config.paper).unwrap_or_default(),
        changed_only: args.changed_only,
    };
    match emit::pdf::render(diff, &project.templates, options) {
        Ok(pdf) => {
            let path = args
                .out
                .clone()
                .unwrap_or_else(|| project.default_out_dir().join("redline.pdf"));
            let ok = write(&path, &pdf, reporter);
            if ok {
                reporter.status(&format!("wrote {}", path.display()));
            }
            ok
        }
        Err(e) => {
            reporter.error(&e);
            false
        }
    }
}

fn write(path: &Path, bytes: &[u8], reporter: &Reporter) -> bool {
    dossier::render::write_atomically(path, bytes)
        .map_err(|e| reporter.failure(&format!("cannot write {}: {e}", path.display())))
        .is_ok()
}
