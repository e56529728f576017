//! The redline PDF: the profiles in the print layout (`templates/redline.typ`), deletions
//! struck through, insertions underlined, a change bar beside each changed paragraph.

use std::path::Path;

use serde_json::{Value, json};

use crate::render::{Base, Conformance, Document, Paper};

use super::super::{Diff, RecordStatus};
use super::{editions_line, kind_counts, record_counts, record_line, status_word, summary_counts};

/// What goes into the redline.
#[derive(Debug, Clone, Copy, Default)]
pub struct RedlineOptions {
    /// Paper size.
    pub paper: Paper,
    /// Print only profiles with changes (otherwise unchanged profiles are printed too).
    pub changed_only: bool,
}

/// Problems making the redline.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RedlineError {
    /// The templates could not be read.
    #[error("cannot read the templates in {path}: {error}")]
    #[diagnostic(code(dossier::diff::templates))]
    Templates {
        /// The templates directory.
        path: std::path::PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// Typst could not lay out the redline.
    #[error("cannot typeset the redline: {0}")]
    #[diagnostic(code(dossier::diff::typeset))]
    Typeset(String),
}

/// The template data of the redline.
pub fn data(diff: &Diff, options: RedlineOptions) -> Value {
    let summary = diff.summary();
    let records: Vec<Value> = diff
        .records
        .iter()
        .filter(|r| !options.changed_only || r.differs())
        .map(|r| {
            let counts = if r.status == RecordStatus::Changed {
                kind_counts(&record_counts(r))
            } else {
                String::new()
            };
            let changes: Vec<Value> = r
                .changes
                .iter()
                .map(|c| {
                    json!({
                        "kind": c.kind.keyword(),
                        "path": c.path,
                        "old": c.old,
                        "new": c.new,
                    })
                })
                .collect();
            json!({
                "country": r.country,
                "topic": r.topic,
                "editions": editions_line(r),
                "status": status_word(r.status),
                "counts": counts,
                "changes": changes,
                "blocks": r.prose.iter().map(|b| json!({
                    "title": b.block,
                    "paragraphs": b.paragraphs,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "title": format!("Redline: {} → {}", diff.old, diff.new),
        "author": crate::render::data::AUTHOR,
        "old": diff.old,
        "new": diff.new,
        "paper": options.paper.typst_name(),
        "records_line": format!("Records: {}.", record_line(&summary)),
        "changes_line": format!("Changes: {}.", kind_counts(&summary_counts(&summary))),
        "records": records,
    })
}

/// Typesets the redline with the templates under `templates_dir`; returns the PDF bytes.
pub fn render(
    diff: &Diff,
    templates_dir: &Path,
    options: RedlineOptions,
) -> Result<Vec<u8>, RedlineError> {
    let base = Base::new(templates_dir).map_err(|error| RedlineError::Templates {
        path: templates_dir.to_path_buf(),
        error,
    })?;
    let mut bytes = serde_json::to_vec_pretty(&data(diff, options)).unwrap_or_default();
    bytes.push(b'\n');
    let ident: String = format!("redline-{}-{}", diff.old, diff.new)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let document = Document {
        main_path: "/redline.typ".into(),
        main_text: "#import \"/templates/redline.typ\": redline-document\n#redline-document(json(\"/redline.json\"))\n".into(),
        data_path: "/redline.json".into(),
        data: bytes,
        ident,
        // The newest edition compared, never the clock: a rerun gives the same bytes.
        date: diff
            .records
            .iter()
            .filter_map(|r| r.new_edition.or(r.old_edition))
            .max()
            .map(|year| (year, 1, 1))
            .or(Some((1970, 1, 1))),
        conformance: Conformance::Archival,
    };
    match base.compile_pdf(&document) {
        Ok((pdf, _warnings)) => Ok(pdf),
        Err(errors) => Err(RedlineError::Typeset(
            errors
                .iter()
                .map(|e| match &e.location {
                    Some(at) => format!("{} (at {at})", e.message),
                    None => e.message.clone(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}
