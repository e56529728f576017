//! The JSON Schema of the record format, generated from the Rust types.

use super::Record;

/// The JSON Schema (draft 2020-12) describing a record file, as pretty-printed JSON.
pub fn record_schema_json() -> String {
    let schema = schemars::schema_for!(Record);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
