//! Classifying the lines of a saved profile page: header lines, labels, headings, footnotes.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::record::{Date, Topic};

/// One line of the input, trimmed, with its 1-based line number.
#[derive(Debug, Clone)]
pub(super) struct Line {
    /// 1-based line number in the input.
    pub no: usize,
    /// The text without surrounding whitespace (empty for a blank line).
    pub text: String,
}

impl Line {
    /// Whether the line holds no visible text.
    pub(super) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits the input into trimmed lines, dropping a byte-order mark and control characters
/// (which records cannot hold); returns the lines and how many characters were dropped.
pub(super) fn split_lines(text: &str) -> (Vec<Line>, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut dropped = 0;
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let clean: String = raw
                .chars()
                .filter(|&c| {
                    let keep = !c.is_control() || c == '\t';
                    if !keep && c != '\r' {
                        dropped += 1;
                    }
                    keep
                })
                .collect();
            Line {
                no: i + 1,
                text: clean.trim().to_string(),
            }
        })
        .collect();
    (lines, dropped)
}

/// Characters that may end a complete sentence or footnote.
pub(super) fn ends_complete(text: &str) -> bool {
    text.chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '”' | '"' | '’' | '\'' | ')' | ']' | '»' | '…'
        )
    })
}

/// The topic a line names, when the whole line is a topic title.
pub(super) fn topic_line(text: &str) -> Option<Topic> {
    Topic::ALL
        .iter()
        .copied()
        .find(|t| t.label().eq_ignore_ascii_case(text))
}

/// What a "Last updated" line gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DateLine {
    /// The date.
    Date(Date),
    /// The text after the label, which is no date.
    Unreadable(String),
}

/// `Last updated: 05 September 2023` (or `Last Updated:`): the date, or the unreadable
/// rest when the line is a date line whose date cannot be read; `None` for other lines.
pub(super) fn date_line(text: &str) -> Option<DateLine> {
    let rest = text
        .strip_prefix("Last updated")
        .or_else(|| text.strip_prefix("Last Updated"))?;
    let rest = rest.trim_start().strip_prefix(':').unwrap_or(rest).trim();
    Some(
        parse_day_month_year(rest)
            .map_or_else(|| DateLine::Unreadable(rest.to_string()), DateLine::Date),
    )
}

/// `5 September 2023` or `05 September 2023`.
pub(super) fn parse_day_month_year(text: &str) -> Option<Date> {
    let mut parts = text.split_whitespace();
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || day.len() > 2 || year.len() != 4 {
        return None;
    }
    let month = crate::record::month_number(month)?;
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)?;
    (1900..=2200)
        .contains(&year.parse::<i32>().ok()?)
        .then_some(Date(date))
}

/// A summary label line: the label (without colon) and any text after it on the same line.
///
/// Matches "Summary", "Summary: text", "Five-Year Summary: text", "Ten-Year Review" and the
/// like; a label alone on its line may omit the colon.
pub(super) fn summary_label(text: &str) -> Option<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^((?:[\p{Lu}][\p{L}\-]* ){0,2}(?:Summary|Review))(?:\s*:\s*(.*)|\s*)$")
            .expect("valid regex")
    });
    let caps = re.captures(text)?;
    let label = caps.get(1)?.as_str().to_string();
    let rest = caps.get(2).map_or("", |m| m.as_str()).to_string();
    Some((label, rest))
}

/// Which overview value a label line introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OverviewField {
    /// "... status".
    Status,
    /// "National implementation legislation".
    Legislation,
    /// "Participation in ... meetings".
    Participation,
    /// "Key developments".
    KeyDevelopments,
}

/// The overview field a label line introduces, if it is one.
pub(super) fn overview_label(text: &str) -> Option<OverviewField> {
    let lower = text.to_lowercase();
    if text.chars().count() > 80 || ends_complete(text) {
        return None;
    }
    if (lower.starts_with("convention on cluster munitions")
        || lower.starts_with("mine ban treaty"))
        && lower.ends_with(" status")
    {
        Some(OverviewField::Status)
    } else if lower == "national implementation legislation" {
        Some(OverviewField::Legislation)
    } else if lower.starts_with("participation in ") && lower.ends_with(" meetings") {
        Some(OverviewField::Participation)
    } else if lower == "key developments" {
        Some(OverviewField::KeyDevelopments)
    } else {
        None
    }
}

/// Whether the line is the heading of an overview block.
pub(super) fn overview_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower == "commitment to the convention on cluster munitions"
        || lower == "mine ban policy overview"
}

/// A footnote line `[n] text` (leading space and the space after the bracket optional).
pub(super) fn footnote_line(text: &str) -> Option<(u32, &str)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find(']')?;
    let digits = &rest[..close];
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = digits.parse().ok()?;
    Some((number, rest[close + 1..].trim_start()))
}

/// Headings the monitor uses, in any of their published word orders.
pub(super) fn known_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    matches!(
        lower.as_str(),
        "policy" | "stockpile destruction" | "transparency reporting" | "cluster munition remnants"
    ) || (lower.contains("production") && lower.contains("transfer"))
}

/// Whether a line looks like a section heading: short, capitalised, no final punctuation and
/// no footnote marker.
pub(super) fn heading_like(text: &str) -> bool {
    let starts_upper = text.chars().next().is_some_and(char::is_uppercase);
    let last_ok = text
        .chars()
        .next_back()
        .is_some_and(|c| !ends_complete(&c.to_string()) && !matches!(c, ',' | ';' | ':'));
    starts_upper
        && last_ok
        && text.chars().count() <= 80
        && text.split_whitespace().count() <= 10
        && markers(text).is_empty()
}

/// Byte ranges and numbers of the `[n]` footnote markers in a line of prose.
pub(super) fn markers(text: &str) -> Vec<(std::ops::Range<usize>, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\[([0-9]{1,4})\]").expect("valid regex"));
    re.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let number = c.get(1)?.as_str().parse().ok()?;
            Some((whole.range(), number))
        })
        .collect()
}

/// A year (1997–2100) standing alone in a file name, e.g. `kyrgyzstan-2022-...txt`.
pub(super) fn year_in_name(name: &str) -> Option<i32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)").expect("valid regex")
    });
    re.captures_iter(name)
        .filter_map(|c| c.get(1)?.as_str().parse::<i32>().ok())
        .find(|y| (1997..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_lines() {
        assert_eq!(
            summary_label("Five-Year Summary: Text here."),
            Some(("Five-Year Summary".into(), "Text here.".into()))
        );
        assert_eq!(
            summary_label("Summary"),
            Some(("Summary".into(), String::new()))
        );
        assert_eq!(summary_label("Summary of the year was good."), None);
        assert_eq!(footnote_line("[12]Text"), Some((12, "Text")));
        assert_eq!(footnote_line("[x] Text"), None);
        assert!(matches!(
            date_line("Last Updated: 04 September 2013"),
            Some(DateLine::Date(_))
        ));
        assert!(matches!(
            date_line("Last updated: 31 Febtember 2013"),
            Some(DateLine::Unreadable(_))
        ));
        assert_eq!(year_in_name("kyrgyzstan-2022-cluster.txt"), Some(2022));
        assert_eq!(year_in_name("a12022.txt"), None);
        assert!(heading_like("Use, production, transfer, and stockpiling"));
        assert!(!heading_like("It signed in 2008.[1]"));
    }
}
