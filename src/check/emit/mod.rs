//! Output formats of `dossier check`: human (miette), json, github annotations, sarif.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;
mod window;

use super::{Finding, Outcome, counts};
use crate::record::LoadError;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets and labels, for people.
    #[default]
    Human,
    /// Versioned JSON (`{"version": 1, ...}`), documented in README.md.
    Json,
    /// GitHub Actions workflow annotations (`::error file=...`).
    Github,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
}

/// Renders a check's outcome in a format; with `statistics`, the human format ends with the
/// findings grouped by family, rule and record before its summary line. The machine formats
/// also carry every problem of a record file that did not load (the human format leaves
/// those to the diagnostics printed as files are read).
pub fn render(format: Format, outcome: &Outcome, color: bool, statistics: bool) -> String {
    let Outcome {
        findings,
        load_errors,
        records,
    } = outcome;
    match format {
        Format::Human => human::render(findings, *records, color, statistics),
        Format::Json => json::render(findings, load_errors, *records),
        Format::Github => github::render(findings, load_errors),
        Format::Sarif => sarif::render(findings, load_errors),
    }
}

/// Every problem of the files that did not load, each with its file, line and column.
fn load_problems(
    load_errors: &[LoadError],
) -> impl Iterator<Item = (&LoadError, &crate::record::LoadProblem, usize, usize)> {
    load_errors.iter().flat_map(|e| {
        e.problems.iter().map(move |p| {
            let (line, column) = crate::record::line_col(&e.source, p.span.start);
            (e, p, line, column)
        })
    })
}

/// "2 errors, 1 warning, 0 info in 5 records".
pub fn summary_line(findings: &[Finding], records: usize) -> String {
    let (e, w, i) = counts(findings);
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}, {} info in {}",
        plural(e, "error"),
        plural(w, "warning"),
        i,
        plural(records, "record")
    )
}
