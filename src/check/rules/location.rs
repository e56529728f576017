//! Where a record's file lies: the edition directory and the file name its fields give.

use crate::check::{Ctx, Draft, Label, directory_edition};
use crate::record::{Record, Topic};

/// DOS004: a record whose edition directory or file name disagrees with its `edition`,
/// `country` or `topic`.
pub fn record_location(ctx: &Ctx<'_>) -> Vec<Draft> {
    let record = ctx.record;
    let mut drafts: Vec<Draft> = edition_directory_mismatch(record).into_iter().collect();
    drafts.extend(file_name_mismatch(record));
    drafts
}

/// The edition of the directory the record lies in (`profiles/2023/`) when it is not the
/// record's own.
fn edition_directory_mismatch(record: &Record) -> Option<Draft> {
    let year = directory_edition(record.path.parent()?)?;
    let edition = record.edition.value;
    (year != edition).then(|| {
        Draft::new(
            format!(
                "the record lies in the {year} edition's directory but says `edition = {edition}`"
            ),
            vec![Label::new(
                record.edition.span.clone(),
                format!("{year} by its directory"),
            )],
        )
        .help(format!(
            "correct `edition` to {year}, or move the file to the {edition} edition's directory"
        ))
    })
}

/// The name the record's country and topic give its file, when the file has another.
fn file_name_mismatch(record: &Record) -> Option<Draft> {
    let actual = record.path.file_name()?.to_str()?;
    let expected = record.file_name();
    if actual == expected {
        return None;
    }
    let mut labels = vec![Label::new(record.country.span.clone(), "country")];
    if record.topic.value != Topic::ClusterMunitionBanPolicy || actual.matches('.').count() > 1 {
        labels.push(Label::new(record.topic.span.clone(), "topic"));
    }
    Some(
        Draft::new(
            format!("the file is named `{actual}`, but its country and topic make it `{expected}`"),
            labels,
        )
        .help(format!(
            "rename the file to `{expected}`, or correct `country` or `topic` if they are the mistake"
        )),
    )
}
