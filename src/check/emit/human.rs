//! Human output: one miette diagnostic per finding, labels on every side, then a summary.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::check::{Elsewhere, Finding, Severity};

struct Report<'a> {
    finding: &'a Finding,
    source: NamedSource<String>,
    related: Vec<Other>,
}

struct Other {
    source: NamedSource<String>,
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
        let labels = self.finding.draft.labels.iter().enumerate().map(|(i, l)| {
            let span = (l.span.start, l.span.end.saturating_sub(l.span.start));
            if i == 0 {
                LabeledSpan::new_primary_with_span(Some(l.text.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(l.text.clone()), span)
            }
        });
        Some(Box::new(labels.collect::<Vec<_>>().into_iter()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|o| o as &dyn Diagnostic)))
        }
    }
}

fn other(e: &Elsewhere) -> Other {
    Other {
        source: NamedSource::new(e.path.display().to_string(), e.source.to_string()),
        labels: e
            .labels
            .iter()
            .map(|l| {
                LabeledSpan::new_with_span(
                    Some(l.text.clone()),
                    (l.span.start, l.span.end.saturating_sub(l.span.start)),
                )
            })
            .collect(),
        message: format!("see {}", e.path.display()),
    }
}

/// Renders every finding and a summary line.
pub fn render(findings: &[Finding], records: usize, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for f in findings {
        let report = Report {
            finding: f,
            source: NamedSource::new(f.path.display().to_string(), f.source.to_string()),
            related: f.draft.elsewhere.iter().map(other).collect(),
        };
        let mut text = String::new();
        if handler.render_report(&mut text, &report).is_err() {
            text = format!("{}: {}\n", f.rule.code, f.draft.message);
        }
        out.push_str(&text);
        out.push('\n');
    }
    out.push_str(&super::summary_line(findings, records));
    out.push('\n');
    out
}
