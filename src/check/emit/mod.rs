//! Output formats of `dossier check`: human (miette), json, github annotations, sarif.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;
mod window;

use super::{Finding, counts};

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

/// Renders findings in a format; with `statistics`, the human format ends with the findings
/// grouped by family, rule and record before its summary line.
pub fn render(
    format: Format,
    findings: &[Finding],
    records: usize,
    color: bool,
    statistics: bool,
) -> String {
    match format {
        Format::Human => human::render(findings, records, color, statistics),
        Format::Json => json::render(findings, records),
        Format::Github => github::render(findings),
        Format::Sarif => sarif::render(findings),
    }
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
