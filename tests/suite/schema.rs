//! The record JSON Schema: generated from the types, committed, and right for every record.

use std::collections::BTreeSet;
use std::path::Path;

use dossier::record::write::SCHEMA_LINE;
use dossier::record::{Topic, parse_record};
use dossier::workflow::skeleton::{NewRecord, skeleton};
use serde_json::Value;

use crate::support::{TestProject, minimal_record, repo};

/// A TOML value as JSON, the way editors' schema validators see it: dates become strings.
fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

fn committed_schema() -> Value {
    let text = std::fs::read_to_string(repo().join("checks/record.schema.json"))
        .expect("checks/record.schema.json is committed");
    serde_json::from_str(&text).expect("the committed schema is JSON")
}

/// Validates a record text against the committed schema; the error text on failure.
fn validate(text: &str) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("urn:dossier:record", committed_schema())
        .expect("add schema");
    let index = compiler
        .compile("urn:dossier:record", &mut schemas)
        .expect("the schema compiles");
    let value: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
    schemas
        .validate(&toml_to_json(&value), index)
        .map_err(|e| format!("{e:#}"))
}

#[test]
fn committed_schema_is_what_the_types_generate() {
    let project = TestProject::empty();
    let run = project.run(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let committed = std::fs::read_to_string(repo().join("checks/record.schema.json")).unwrap();
    assert!(
        run.stdout == committed,
        "checks/record.schema.json is out of date: run `dossier schema --out checks/record.schema.json`"
    );
    let run = project.run(&["schema", "--out", "generated/record.schema.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        String::from_utf8(project.read("generated/record.schema.json")).unwrap(),
        committed
    );
}

#[test]
fn every_sample_record_validates_against_the_schema() {
    let mut seen = 0;
    for edition in std::fs::read_dir(repo().join("profiles"))
        .unwrap()
        .flatten()
    {
        for file in std::fs::read_dir(edition.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(file.path()).unwrap();
            assert_eq!(
                text.lines().next(),
                Some(SCHEMA_LINE),
                "{}",
                file.path().display()
            );
            if let Err(e) = validate(&text) {
                panic!("{} does not validate: {e}", file.path().display());
            }
            seen += 1;
        }
    }
    assert!(seen >= 7, "only {seen} sample records found");
}

#[test]
fn the_schema_directive_points_at_the_committed_schema() {
    let path = SCHEMA_LINE.trim_start_matches("#:schema").trim();
    let resolved = repo().join("profiles/2023").join(path);
    assert!(resolved.is_file(), "{} does not exist", resolved.display());
    assert_eq!(
        std::fs::canonicalize(resolved).unwrap(),
        std::fs::canonicalize(repo().join("checks/record.schema.json")).unwrap()
    );
}

#[test]
fn skeletons_validate_against_the_schema() {
    for &topic in Topic::ALL {
        let text = skeleton(&NewRecord {
            country: "Kyrgyzstan".into(),
            iso: "KG".into(),
            edition: 2024,
            topic,
        });
        if let Err(e) = validate(&text) {
            panic!("skeleton for {topic} does not validate: {e}");
        }
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let cases = [
        ("unknown top-level key", "colour = \"red\"\n"),
        ("unknown keyword", "[status]\nconvention = \"member\"\n"),
        (
            "unknown key in a table",
            "[status]\nconvention = \"signatory\"\nsigned_on = 2008-12-03\n",
        ),
        (
            "unknown key in a meeting",
            "[[meetings]]\nmeeting = \"4MSP\"\nrole = \"observer\"\nseat = 3\n",
        ),
        ("a citation that is not text", "[citations]\nkey = 3\n"),
        (
            "a date that is a number",
            "[status]\nconvention = \"signatory\"\nsigned = 2008\n",
        ),
    ];
    for (what, extra) in cases {
        let text = minimal_record("Kyrgyzstan", "KG", 2023, extra);
        assert!(
            parse_record(Path::new("x.toml"), &text).is_err(),
            "the loader accepts {what}"
        );
        assert!(validate(&text).is_err(), "the schema accepts {what}");
    }
    let missing = "country = \"Kyrgyzstan\"\niso = \"KG\"\nedition = 2023\n";
    assert!(
        validate(missing).is_err(),
        "the schema accepts a record without a topic"
    );
}

/// The keys the loader knows in a table, read from its "known keys here" help.
fn loader_keys(extra: &str) -> BTreeSet<String> {
    let text = minimal_record("Kyrgyzstan", "KG", 2023, extra);
    let error = parse_record(Path::new("x.toml"), &text).expect_err("the probe key is unknown");
    let problem = error
        .problems
        .iter()
        .find(|p| p.message.contains("zz_probe"))
        .unwrap_or_else(|| panic!("no unknown-key problem for {extra:?}: {}", error.brief()));
    let help = problem.help.as_deref().unwrap_or_default();
    let list = help
        .split("nown keys here: ")
        .nth(1)
        .expect("a list of known keys");
    list.split(", ").map(|k| k.trim().to_string()).collect()
}

/// The property names of the schema reached from `schema` (following `$ref`, `anyOf`, `items`).
fn schema_keys(root: &Value, schema: &Value) -> BTreeSet<String> {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        return props.keys().cloned().collect();
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        return schema_keys(root, root.pointer(pointer).expect("reference resolves"));
    }
    for key in ["items", "anyOf", "oneOf", "allOf"] {
        match schema.get(key) {
            Some(Value::Array(options)) => {
                for option in options {
                    let keys = schema_keys(root, option);
                    if !keys.is_empty() {
                        return keys;
                    }
                }
            }
            Some(inner @ Value::Object(_)) => return schema_keys(root, inner),
            _ => {}
        }
    }
    BTreeSet::new()
}

#[test]
fn schema_and_loader_know_the_same_keys() {
    let schema = committed_schema();
    assert_eq!(
        schema["additionalProperties"],
        Value::Bool(false),
        "unknown top-level keys must be rejected"
    );
    assert_eq!(
        loader_keys("zz_probe = 1\n"),
        schema_keys(&schema, &schema),
        "top level"
    );
    let tables = [
        (
            "status",
            "[status]\nconvention = \"signatory\"\nzz_probe = 1\n",
        ),
        ("treaties", "[treaties]\nzz_probe = 1\n"),
        ("conduct", "[conduct]\nzz_probe = 1\n"),
        (
            "meetings",
            "[[meetings]]\nmeeting = \"4MSP\"\nrole = \"observer\"\nzz_probe = 1\n",
        ),
        (
            "votes",
            "[[votes]]\nyear = 2022\nvote = \"yes\"\nzz_probe = 1\n",
        ),
        (
            "sections",
            "[[sections]]\ntitle = \"Policy\"\ntext = \"x\"\nzz_probe = 1\n",
        ),
        (
            "suppress",
            "[[suppress]]\nrule = \"DOS101\"\nreason = \"r\"\nzz_probe = 1\n",
        ),
    ];
    for (table, extra) in tables {
        let property = &schema["properties"][table];
        assert_eq!(
            loader_keys(extra),
            schema_keys(&schema, property),
            "[{table}]"
        );
    }
}
