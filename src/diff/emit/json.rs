//! The versioned JSON report (`--format json`), documented in the README.

use serde_json::{Value, json};

use super::super::Diff;
use super::differing;

/// Version of the JSON layout; bumped on incompatible changes.
pub const VERSION: u32 = 1;

/// The report as a JSON value: only records that differ are listed.
pub fn to_value(diff: &Diff) -> Value {
    let summary = diff.summary();
    let records: Vec<Value> = differing(diff)
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut v {
                let counts: serde_json::Map<String, Value> = super::record_counts(r)
                    .into_iter()
                    .map(|(k, n)| (k.keyword().to_string(), json!(n)))
                    .collect();
                map.insert("counts".into(), Value::Object(counts));
            }
            v
        })
        .collect();
    json!({
        "version": VERSION,
        "old": diff.old,
        "new": diff.new,
        "summary": summary,
        "records": records,
    })
}

/// The report as pretty-printed JSON text with a final newline.
pub fn render(diff: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(diff)).unwrap_or_default();
    text.push('\n');
    text
}
