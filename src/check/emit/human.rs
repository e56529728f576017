//! Human output: one miette diagnostic per finding, labels on every side (long lines cut to
//! windows around them), then a summary.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::window::Windowed;
use crate::check::{Elsewhere, Finding, Label, Severity};

struct Report<'a> {
    finding: &'a Finding,
    source: NamedSource<Windowed>,
    labels: Vec<LabeledSpan>,
    related: Vec<Other>,
}

struct Other {
    source: NamedSource<Windowed>,
    labels: Vec<LabeledSpan>,
    message: String,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.draft.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.draft.message)
    }
}

impl std::error::Error for Report<'_> {}

impl fmt::Debug for Other {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Other {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Other {}

impl Diagnostic for Other {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.clone().into_iter()))
    }
}

impl Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}({})",
            self.finding.rule.code, self.finding.rule.name
        )))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self
            .finding
            .draft
            .help
            .clone()
            .unwrap_or_else(|| self.finding.rule.fix.to_string());
        Some(Box::new(format!(
            "{help}\n(`dossier explain {}` for more)",
            self.finding.rule.code
        )))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.clone().into_iter()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|o| o as &dyn Diagnostic)))
        }
    }
}

/// The source cut to windows around the labels, and the labels placed in it; the first
/// label is the primary one when `primary` is set.
fn windowed(
    path: &std::path::Path,
    source: &Arc<str>,
    labels: &[Label],
    primary: bool,
) -> (NamedSource<Windowed>, Vec<LabeledSpan>) {
    let spans: Vec<_> = labels.iter().map(|l| l.span.clone()).collect();
    let window = Windowed::new(source.clone(), &spans);
    let labels = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let span = window.map_range(&l.span);
            let span = (span.start, span.len());
            if primary && i == 0 {
                LabeledSpan::new_primary_with_span(Some(l.text.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(l.text.clone()), span)
            }
        })
        .collect();
    (NamedSource::new(path.display().to_string(), window), labels)
}

fn other(e: &Elsewhere) -> Other {
    let (source, labels) = windowed(&e.path, &e.source, &e.labels, false);
    Other {
        source,
        labels,
        message: format!("see {}", e.path.display()),
    }
}

/// Renders every finding, with `statistics` the findings grouped by family, rule and record,
/// and a summary line.
pub fn render(findings: &[Finding], records: usize, color: bool, statistics: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for f in findings {
        let (source, labels) = windowed(&f.path, &f.source, &f.draft.labels, true);
        let report = Report {
            finding: f,
            source,
            labels,
            related: f.draft.elsewhere.iter().map(other).collect(),
        };
        let mut text = String::new();
        if handler.render_report(&mut text, &report).is_err() {
            text = format!("{}: {}\n", f.rule.code, f.draft.message);
        }
        out.push_str(&text);
        out.push('\n');
    }
    if statistics && !findings.is_empty() {
        out.push_str(&super::statistics::render(findings));
    }
    out.push_str(&super::summary_line(findings, records));
    out.push('\n');
    out
}
