//! Exporting records as plain text in the shape of the 2015-on published pages.
//!
//! One line per paragraph: country, topic, "Last updated", the key-facts box of a Mine Action
//! record (its `[clearance]` deadlines and extent), the summary under its label, the
//! overview block (when the record has one), each section's heading (an empty line when the
//! heading was lost) and paragraphs, then the footnotes as `[n] text`. Importing the text
//! gives back the record it came from.

use std::collections::HashMap;

use crate::record::{Prose, Record, Topic};

/// The record as plain text.
pub fn to_text(record: &Record) -> String {
    let numbers = footnote_numbers(record);
    let mut page = Page::default();
    page.line(&record.country.value);
    page.line(record.topic.label());
    if let Some(date) = &record.last_updated {
        page.line(&format!(
            "Last updated: {}",
            date.value.0.format("%d %B %Y")
        ));
    }
    key_facts(record, &mut page);
    summary(record, &numbers, &mut page);
    overview(record, &numbers, &mut page);
    for section in &record.sections {
        page.line(&section.title.value);
        for p in paragraphs(&section.text.value, &numbers) {
            page.line(&p);
        }
    }
    for citation in &record.citations {
        let number = numbers
            .get(citation.key.value.as_str())
            .copied()
            .unwrap_or(0);
        let text = paragraphs(&citation.text.value, &numbers);
        page.labelled(&format!("[{number}]"), " ", &text);
    }
    page.text
}

/// The text of a page being written, one line at a time.
#[derive(Default)]
struct Page {
    text: String,
}

impl Page {
    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    /// `label` then the first paragraph on its line (after `separator`), the others below;
    /// the label alone when there are no paragraphs.
    fn labelled(&mut self, label: &str, separator: &str, paragraphs: &[String]) {
        match paragraphs.split_first() {
            Some((first, rest)) => {
                self.line(&format!("{label}{separator}{first}"));
                for p in rest {
                    self.line(p);
                }
            }
            None => self.line(label),
        }
    }
}

/// The key-facts box: "Mine Ban Treaty Article 5 deadline: 1 April 2020 (not on track)", the
/// convention's Article 4 deadline and the extent of contamination, one per line.
fn key_facts(record: &Record, page: &mut Page) {
    let Some(c) = &record.clearance else {
        return;
    };
    let long = |d: &crate::record::Date| d.0.format("%-d %B %Y").to_string();
    if let Some(d) = &c.deadline {
        let track = match c.on_track.as_ref().map(|b| b.value) {
            Some(true) => " (on track)",
            Some(false) => " (not on track)",
            None => "",
        };
        page.line(&format!(
            "Mine Ban Treaty Article 5 deadline: {}{track}",
            long(&d.value)
        ));
    }
    if let Some(d) = &c.cluster_munition_deadline {
        page.line(&format!(
            "Convention on Cluster Munitions Article 4 deadline: {}",
            long(&d.value)
        ));
    }
    if let Some(extent) = &c.extent {
        page.line(&format!("Extent of contamination: {}", extent.value));
    }
}

/// The summary under its label ("Summary: ..."), when the record has one.
fn summary(record: &Record, numbers: &HashMap<&str, u32>, page: &mut Page) {
    if record.summary.is_none() && record.summary_label.is_none() {
        return;
    }
    let label = record
        .summary_label
        .as_ref()
        .map_or("Summary", |l| l.value.as_str());
    let text = record
        .summary
        .as_ref()
        .map(|s| paragraphs(&s.value, numbers))
        .unwrap_or_default();
    page.labelled(label, ": ", &text);
}

/// The overview block of the 2010–2014 pages, when the record has one.
fn overview(record: &Record, numbers: &HashMap<&str, u32>, page: &mut Page) {
    let Some(o) = &record.overview else {
        return;
    };
    let mine_ban = record.topic.value == Topic::MineBanPolicy;
    let (heading, treaty, key) = if mine_ban {
        (
            "Mine ban policy overview",
            "Mine Ban Treaty",
            "Key Developments",
        )
    } else {
        (
            "Commitment to the Convention on Cluster Munitions",
            "Convention on Cluster Munitions",
            "Key developments",
        )
    };
    page.line(heading);
    let status = format!("{treaty} status");
    let participation = format!("Participation in {treaty} meetings");
    for (label, value) in [
        (status.as_str(), &o.status),
        ("National implementation legislation", &o.legislation),
        (participation.as_str(), &o.participation),
        (key, &o.key_developments),
    ] {
        if let Some(value) = value {
            page.line(label);
            page.line(&paragraphs(&value.value, numbers).join(" "));
        }
    }
}

/// The published number of each citation key: `n3` (and `n3-2`) is 3; other keys are
/// numbered in order after the highest such number.
fn footnote_numbers(record: &Record) -> HashMap<&str, u32> {
    let published = published_number;
    let mut next = record
        .citations
        .iter()
        .filter_map(|c| published(&c.key.value))
        .max()
        .unwrap_or(0);
    let mut numbers = HashMap::new();
    for c in &record.citations {
        let n = match published(&c.key.value) {
            Some(n) => n,
            None => {
                next += 1;
                next
            }
        };
        numbers.insert(c.key.value.as_str(), n);
    }
    numbers
}

/// The published number kept in an imported citation key: 3 for `n3` and `n3-2`.
fn published_number(key: &str) -> Option<u32> {
    let rest = key.strip_prefix('n')?;
    let digits = rest.split('-').next()?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The paragraphs of prose, each on one line, with `[^key]` markers written `[n]`.
fn paragraphs(prose: &Prose, numbers: &HashMap<&str, u32>) -> Vec<String> {
    let text = &prose.text;
    let mut with_numbers = String::with_capacity(text.len());
    let mut at = 0;
    for marker in prose.markers() {
        with_numbers.push_str(&text[at..marker.range.start]);
        match numbers
            .get(marker.key.as_str())
            .copied()
            .or_else(|| published_number(&marker.key))
        {
            Some(n) => with_numbers.push_str(&format!("[{n}]")),
            None => with_numbers.push_str(&text[marker.range.clone()]),
        }
        at = marker.range.end;
    }
    with_numbers.push_str(&text[at..]);
    crate::record::prose::paragraph_ranges(&with_numbers)
        .into_iter()
        .map(|r| {
            with_numbers[r]
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}
