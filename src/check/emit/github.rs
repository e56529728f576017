//! GitHub Actions workflow annotations.

use crate::check::{Finding, Severity};
use crate::record::LoadError;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error file=...,line=...,col=...::message` line per problem of a file that did not
/// load, then one per finding.
pub fn render(findings: &[Finding], load_errors: &[LoadError]) -> String {
    let mut out = String::new();
    for (error, problem, line, col) in super::load_problems(load_errors) {
        out.push_str(&format!(
            "::error file={},line={line},col={col},title={}::{}\n",
            escape_property(&error.path.display().to_string()),
            escape_property("record does not load"),
            escape_data(&problem.message)
        ));
    }
    for f in findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (line, col) = f.line_col();
        let end = f
            .draft
            .labels
            .first()
            .map_or(line, |l| crate::record::line_col(&f.source, l.span.end).0);
        out.push_str(&format!(
            "::{kind} file={},line={line},endLine={end},col={col},title={}::{}\n",
            escape_property(&f.path.display().to_string()),
            escape_property(&format!("{} {}", f.rule.code, f.rule.name)),
            escape_data(&f.draft.message)
        ));
    }
    out
}
