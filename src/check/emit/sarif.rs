//! SARIF 2.1.0 output.

use serde_json::{Value, json};

use crate::check::{Finding, RULES, Severity};
use crate::record::LoadError;

fn region(source: &str, span: &std::ops::Range<usize>) -> Value {
    let (sl, sc) = crate::record::line_col(source, span.start);
    let (el, ec) = crate::record::line_col(source, span.end);
    json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec})
}

/// The findings as a SARIF 2.1.0 log; a file that did not load is a tool execution
/// notification of the run's invocation, which then did not succeed.
pub fn render(findings: &[Finding], load_errors: &[LoadError]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.what},
                "fullDescription": {"text": r.why},
                "help": {"text": format!("Example: {}\nFix: {}", r.example, r.fix)},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let uri = f.path.display().to_string().replace('\\', "/");
            let mut locations = Vec::new();
            let mut related = Vec::new();
            for (i, l) in f.draft.labels.iter().enumerate() {
                let loc = json!({
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": region(&f.source, &l.span),
                    },
                    "message": {"text": l.text},
                });
                if i == 0 {
                    locations.push(loc);
                } else {
                    related.push(loc);
                }
            }
            if let Some(e) = &f.draft.elsewhere {
                for l in &e.labels {
                    related.push(json!({
                        "physicalLocation": {
                            "artifactLocation": {"uri": e.path.display().to_string().replace('\\', "/")},
                            "region": region(&e.source, &l.span),
                        },
                        "message": {"text": l.text},
                    }));
                }
            }
            json!({
                "ruleId": f.rule.code,
                "level": level(f.severity),
                "message": {"text": f.draft.message},
                "locations": locations,
                "relatedLocations": related,
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dossier",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [invocation(load_errors)],
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// The run's invocation: whether every file loaded, and a notification for each problem of
/// one that did not.
fn invocation(load_errors: &[LoadError]) -> Value {
    let notifications: Vec<Value> = super::load_problems(load_errors)
        .map(|(error, problem, line, column)| {
            json!({
                "level": "error",
                "message": {"text": problem.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": error.path.display().to_string().replace('\\', "/")},
                        "region": {"startLine": line, "startColumn": column},
                    },
                }],
            })
        })
        .collect();
    json!({
        "executionSuccessful": load_errors.is_empty(),
        "toolExecutionNotifications": notifications,
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
