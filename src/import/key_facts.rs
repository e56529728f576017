//! The key-facts box of a Mine Action page: "Mine Ban Treaty Article 5 deadline: 1 April
//! 2020", "Convention on Cluster Munitions Article 4 deadline: 1 August 2020", "Extent of
//! contamination: Heavy", each on its own line or glued together on one, becomes the
//! record's `[clearance]` facts instead of a heading.

use std::sync::OnceLock;

use regex::Regex;

use super::lines::parse_day_month_year;
use crate::record::Date;

/// What the key-facts box of a page says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct KeyFacts {
    /// The Mine Ban Treaty's Article 5 clearance deadline.
    pub article5: Option<Date>,
    /// The Convention on Cluster Munitions' Article 4 clearance deadline.
    pub article4: Option<Date>,
    /// Whether the box says the state is on track to meet its deadline.
    pub on_track: Option<bool>,
    /// The extent of contamination as the box gives it.
    pub extent: Option<String>,
    /// Values that were to be dates and are not, with their label.
    pub unreadable: Vec<(String, String)>,
}

impl KeyFacts {
    /// Whether the box said anything.
    pub(super) fn is_empty(&self) -> bool {
        self.article5.is_none()
            && self.article4.is_none()
            && self.on_track.is_none()
            && self.extent.is_none()
    }
}

/// One label of the box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Article5,
    Article4,
    Extent,
}

fn labels() -> &'static Regex {
    static LABELS: OnceLock<Regex> = OnceLock::new();
    LABELS.get_or_init(|| {
        Regex::new(
            r"(?i)(?P<a5>Mine Ban Treaty Article 5 deadline)|(?P<a4>Convention on Cluster Munitions Article 4 deadline)|(?P<extent>Extent of (?:[A-Za-z/]+ )?contamination)",
        )
        .expect("the key-facts labels compile")
    })
}

/// Reads a line of the box into `facts`: true when the whole line is made of known labels,
/// each followed by a colon and its value; false (and the facts untouched) for any other
/// line. A deadline that is no date keeps the line as text, and is noted in `unreadable`.
pub(super) fn read_line(text: &str, facts: &mut KeyFacts) -> bool {
    let found: Vec<(Label, std::ops::Range<usize>, String)> = labels()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = if c.name("a5").is_some() {
                Label::Article5
            } else if c.name("a4").is_some() {
                Label::Article4
            } else {
                Label::Extent
            };
            Some((label, whole.range(), whole.as_str().to_string()))
        })
        .collect();
    if found.first().is_none_or(|(_, r, _)| r.start != 0) {
        return false;
    }
    let mut values = Vec::with_capacity(found.len());
    for (i, (label, range, name)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(text.len(), |(_, r, _)| r.start);
        let Some(value) = text[range.end..end].trim_start().strip_prefix(':') else {
            return false;
        };
        values.push((*label, name.clone(), value.trim().to_string()));
    }
    let unreadable: Vec<(String, String)> = values
        .iter()
        .filter(|(label, _, value)| *label != Label::Extent && leading_date(value).is_none())
        .map(|(_, name, value)| (name.clone(), value.clone()))
        .collect();
    if !unreadable.is_empty() {
        facts.unreadable.extend(unreadable);
        return false;
    }
    for (label, _, value) in values {
        let lower = value.to_lowercase();
        if lower.contains("not on track") {
            facts.on_track = Some(false);
        } else if lower.contains("on track") {
            facts.on_track = Some(true);
        }
        match label {
            Label::Extent => facts.extent = Some(value),
            Label::Article5 => facts.article5 = leading_date(&value),
            Label::Article4 => facts.article4 = leading_date(&value),
        }
    }
    true
}

/// The date a value starts with: "1 April 2020 (on track)".
fn leading_date(value: &str) -> Option<Date> {
    let words: Vec<&str> = value.split_whitespace().take(3).collect();
    let words: Vec<String> = words
        .iter()
        .map(|w| w.trim_end_matches([',', ';', '.']).to_string())
        .collect();
    parse_day_month_year(&words.join(" "))
}

/// Whether a line is the title above the box ("Key facts", "Key data").
pub(super) fn box_title(text: &str) -> bool {
    matches!(
        text.trim_end_matches(':').to_lowercase().as_str(),
        "key facts" | "key data"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<Date> {
        Some(Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn one_label_per_line_or_glued_together() {
        let mut facts = KeyFacts::default();
        assert!(read_line(
            "Mine Ban Treaty Article 5 deadline: 1 April 2020 (not on track)",
            &mut facts
        ));
        assert_eq!(facts.article5, date(2020, 4, 1));
        assert_eq!(facts.on_track, Some(false));

        let mut glued = KeyFacts::default();
        assert!(read_line(
            "Mine Ban Treaty Article 5 deadline: 1 April 2020 Convention on Cluster Munitions Article 4 deadline: 1 August 2025 Extent of contamination: Medium",
            &mut glued
        ));
        assert_eq!(glued.article5, date(2020, 4, 1));
        assert_eq!(glued.article4, date(2025, 8, 1));
        assert_eq!(glued.extent.as_deref(), Some("Medium"));
        assert!(glued.unreadable.is_empty());
    }

    #[test]
    fn other_lines_are_left_alone() {
        let mut facts = KeyFacts::default();
        assert!(!read_line(
            "Its Mine Ban Treaty Article 5 deadline: 1 April 2020",
            &mut facts
        ));
        assert!(!read_line("Mine Ban Treaty Article 5 deadline", &mut facts));
        assert!(facts.is_empty());
        let mut odd = KeyFacts::default();
        assert!(!read_line(
            "Mine Ban Treaty Article 5 deadline: to be decided",
            &mut odd
        ));
        assert!(odd.is_empty());
        assert_eq!(odd.unreadable.len(), 1);
    }
}
