//! The redline PDF: the profiles in the print layout (`templates/redline.typ`), deletions
//! struck through, insertions underlined, a change bar beside each changed paragraph.

use std::path::Path;

use serde::Serialize;

use crate::render::{Base, DataFile, Document, Paper, PdfSettings, TypstDiagnostic};

use super::super::prose::ParagraphDiff;
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
    /// The redline's data could not be written as JSON.
    #[error("cannot write the redline's data: {0}")]
    #[diagnostic(code(dossier::diff::data))]
    Data(#[from] serde_json::Error),
    /// Neither side holds a record: there is nothing to show, and no edition to date it by.
    #[error("nothing to compare: neither {old} nor {new} holds a record")]
    #[diagnostic(
        code(dossier::diff::empty),
        help("name edition directories or records that exist, e.g. profiles/2022 profiles/2023")
    )]
    Empty {
        /// The old side as named.
        old: String,
        /// The new side as named.
        new: String,
    },
    /// Typst could not lay out the redline.
    #[error("cannot typeset the redline: {}", describe(.0))]
    #[diagnostic(code(dossier::diff::typeset))]
    Typeset(Vec<TypstDiagnostic>),
}

/// What `templates/redline.typ` receives (see `templates/DATA.md`).
#[derive(Debug, Serialize)]
pub struct RedlineData<'a> {
    /// PDF author metadata.
    pub author: &'static str,
    /// `Changes: ...` line of the first page.
    pub changes_line: String,
    /// The new side's label.
    pub new: &'a str,
    /// The old side's label.
    pub old: &'a str,
    /// Paper size, as Typst names it.
    pub paper: &'static str,
    /// The records printed, in order.
    pub records: Vec<RedlineRecord<'a>>,
    /// `Records: ...` line of the first page.
    pub records_line: String,
    /// PDF title and heading.
    pub title: String,
}

/// One record of the redline.
#[derive(Debug, Serialize)]
pub struct RedlineRecord<'a> {
    /// The prose, block by block.
    pub blocks: Vec<RedlineBlock<'a>>,
    /// The classified changes.
    pub changes: Vec<RedlineChange<'a>>,
    /// Change counts by kind (empty unless the record is in both editions and changed).
    pub counts: String,
    /// Country name.
    pub country: &'a str,
    /// The editions compared, as printed.
    pub editions: String,
    /// `added`, `removed`, `changed` or `unchanged`.
    pub status: &'static str,
    /// Topic label.
    pub topic: &'a str,
}

/// One classified change.
#[derive(Debug, Serialize)]
pub struct RedlineChange<'a> {
    /// The change kind's keyword.
    pub kind: &'static str,
    /// The new value, when there is one.
    pub new: Option<&'a str>,
    /// The old value, when there was one.
    pub old: Option<&'a str>,
    /// Where in the record.
    pub path: &'a str,
}

/// One prose block (summary or section) compared.
#[derive(Debug, Serialize)]
pub struct RedlineBlock<'a> {
    /// Its paragraphs compared, in reading order.
    pub paragraphs: &'a [ParagraphDiff],
    /// `summary` or the section title.
    pub title: &'a str,
}

/// The template data of the redline.
pub fn data(diff: &Diff, options: RedlineOptions) -> RedlineData<'_> {
    let summary = diff.summary();
    let records = diff
        .records
        .iter()
        .filter(|r| !options.changed_only || r.differs())
        .map(|r| RedlineRecord {
            country: &r.country,
            topic: &r.topic,
            editions: editions_line(r),
            status: status_word(r.status),
            counts: if r.status == RecordStatus::Changed {
                kind_counts(&record_counts(r))
            } else {
                String::new()
            },
            changes: r
                .changes
                .iter()
                .map(|c| RedlineChange {
                    kind: c.kind.keyword(),
                    path: &c.path,
                    old: c.old.as_deref(),
                    new: c.new.as_deref(),
                })
                .collect(),
            blocks: r
                .prose
                .iter()
                .map(|b| RedlineBlock {
                    title: &b.block,
                    paragraphs: &b.paragraphs,
                })
                .collect(),
        })
        .collect();
    RedlineData {
        title: format!("Redline: {} → {}", diff.old, diff.new),
        author: crate::record::LANDMINE_AND_CLUSTER_MUNITION_MONITOR,
        old: &diff.old,
        new: &diff.new,
        paper: options.paper.typst_name(),
        records_line: format!("Records: {}.", record_line(&summary)),
        changes_line: format!("Changes: {}.", kind_counts(&summary_counts(&summary))),
        records,
    }
}

/// Typesets the redline with the templates under `templates_dir`; returns the PDF bytes.
pub fn render(
    diff: &Diff,
    templates_dir: &Path,
    options: RedlineOptions,
) -> Result<Vec<u8>, RedlineError> {
    // The newest edition compared dates the PDF, never the clock: a rerun gives the same bytes.
    let Some(year) = diff
        .records
        .iter()
        .filter_map(|r| r.new_edition.or(r.old_edition))
        .max()
    else {
        return Err(RedlineError::Empty {
            old: diff.old.clone(),
            new: diff.new.clone(),
        });
    };
    let base = Base::new(templates_dir).map_err(|error| RedlineError::Templates {
        path: templates_dir.to_path_buf(),
        error,
    })?;
    let mut bytes = serde_json::to_vec_pretty(&data(diff, options))?;
    bytes.push(b'\n');
    let ident: String = format!("redline-{}-{}", diff.old, diff.new)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let document = Document {
        main_path: "/redline.typ".into(),
        main_text: "#import \"/templates/redline.typ\": redline-document\n#redline-document(json(\"/redline.json\"))\n".into(),
        files: vec![DataFile {
            path: "/redline.json".into(),
            bytes,
        }],
    };
    let settings = PdfSettings {
        ident,
        date: Some((year, 1, 1)),
        metadata: None,
    };
    match base.compile_pdf(&document, &settings) {
        Ok((pdf, _warnings)) => Ok(pdf),
        Err(errors) => Err(RedlineError::Typeset(errors)),
    }
}

/// The compiler's errors, each with its position: `message (at file:line:col); ...`.
fn describe(errors: &[TypstDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| match &e.location {
            Some(at) => format!("{} (at {at})", e.message),
            None => e.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
