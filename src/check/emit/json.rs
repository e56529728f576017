//! JSON output, version 1 (documented in README.md, "Checking").

use serde_json::{Value, json};

use crate::check::{Finding, Label, counts};

fn label_json(source: &str, path: &std::path::Path, l: &Label) -> Value {
    let (line, column) = crate::record::line_col(source, l.span.start);
    let (end_line, end_column) = crate::record::line_col(source, l.span.end);
    json!({
        "path": path.display().to_string(),
        "start": l.span.start,
        "end": l.span.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "text": source.get(l.span.clone()).unwrap_or(""),
        "message": l.text,
    })
}

/// The findings as a JSON value.
pub fn value(findings: &[Finding], records: usize) -> Value {
    let (errors, warnings, infos) = counts(findings);
    let items: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (line, column) = f.line_col();
            let mut labels: Vec<Value> = f
                .draft
                .labels
                .iter()
                .map(|l| label_json(&f.source, &f.path, l))
                .collect();
            if let Some(e) = &f.draft.elsewhere {
                labels.extend(e.labels.iter().map(|l| label_json(&e.source, &e.path, l)));
            }
            json!({
                "code": f.rule.code,
                "rule": f.rule.name,
                "severity": f.severity.label(),
                "path": f.path.display().to_string(),
                "line": line,
                "column": column,
                "message": f.draft.message,
                "help": f.draft.help.clone().unwrap_or_else(|| f.rule.fix.to_string()),
                "labels": labels,
            })
        })
        .collect();
    json!({
        "version": 1,
        "findings": items,
        "summary": {
            "records": records,
            "error": errors,
            "warning": warnings,
            "info": infos,
        }
    })
}

/// The findings as pretty-printed JSON.
pub fn render(findings: &[Finding], records: usize) -> String {
    let mut text = serde_json::to_string_pretty(&value(findings, records)).unwrap_or_default();
    text.push('\n');
    text
}
