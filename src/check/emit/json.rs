//! JSON output, version 1 (documented in README.md, "Checking").

use serde_json::{Value, json};

use crate::check::{Finding, Label, counts};
use crate::record::LoadError;

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

/// The findings, and the problems of the files that did not load, as a JSON value.
pub fn value(findings: &[Finding], load_errors: &[LoadError], records: usize) -> Value {
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
    let unread: Vec<Value> = super::load_problems(load_errors)
        .map(|(error, problem, line, column)| {
            json!({
                "path": error.path.display().to_string(),
                "line": line,
                "column": column,
                "message": problem.message,
                "help": problem.help,
            })
        })
        .collect();
    json!({
        "version": 1,
        "findings": items,
        "load_errors": unread,
        "summary": {
            "records": records,
            "unread_files": load_errors.len(),
            "error": errors,
            "warning": warnings,
            "info": infos,
        }
    })
}

/// The findings, and the problems of the files that did not load, as pretty-printed JSON.
pub fn render(findings: &[Finding], load_errors: &[LoadError], records: usize) -> String {
    let value = value(findings, load_errors, records);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
