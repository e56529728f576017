//! Typography for print, from plain input: editors type straight quotes, hyphens in ranges
//! and `4.9km2`; the printed page shows “curly quotes”, `2012–2013`, `2–5 December` and
//! `4.9 km²` with the number and its unit kept on one line.
//!
//! The record keeps what the editor typed; [`typeset`] is applied to prose text when a page
//! is laid out, and [`fold`] maps typeset text back to plain characters so that the differ
//! never reports a typographic normalisation as a change of wording.
//!
//! Web addresses and `code spans` in backticks are left exactly as written, and so are
//! citation keys (they are not text: they never reach these functions).

use std::sync::LazyLock;

use regex::Regex;

use crate::record::prose::Segment;

/// The no-break space put between a number and its unit.
pub const NUMBER_UNIT_SPACE: char = '\u{00A0}';

/// The language whose quotation marks the printed text follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// English: “double” and ‘single’.
    #[default]
    English,
    /// French: « double » and ‹ single ›, with narrow no-break spaces inside.
    French,
    /// German: „double“ and ‚single‘.
    German,
}

impl Language {
    /// The language of a BCP 47 tag such as `en`, `en-GB`, `fr` or `de-CH`; `None` for a
    /// language whose quotation marks are not known here.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or(tag);
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Self::English),
            "fr" => Some(Self::French),
            "de" => Some(Self::German),
            _ => None,
        }
    }

    /// Opening and closing double quotation marks, with the spacing that goes inside them.
    fn double(self) -> (&'static str, &'static str) {
        match self {
            Self::English => ("\u{201C}", "\u{201D}"),
            Self::French => ("\u{00AB}\u{202F}", "\u{202F}\u{00BB}"),
            Self::German => ("\u{201E}", "\u{201C}"),
        }
    }

    /// Opening and closing single quotation marks.
    fn single(self) -> (&'static str, &'static str) {
        match self {
            Self::English => ("\u{2018}", "\u{2019}"),
            Self::French => ("\u{2039}\u{202F}", "\u{202F}\u{203A}"),
            Self::German => ("\u{201A}", "\u{2018}"),
        }
    }
}

/// Where a run of text sits in its paragraph, so that a quotation mark at the edge of a
/// run (next to an italic title or a citation marker) still gets its direction right.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The character just before the run, if any.
    pub before: Option<char>,
    /// The character just after the run, if any.
    pub after: Option<char>,
}

/// The typeset form of `text`: typographic quotes and apostrophes, en dashes in ranges of
/// years, days and months, and numbers bound to their units.
pub fn typeset(text: &str, language: Language, context: Context) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    let mut before = context.before;
    for url in VERBATIM.find_iter(text) {
        let plain = &text[last..url.start()];
        let after = Some(url.as_str().chars().next().unwrap_or(' '));
        out.push_str(&typeset_plain(plain, language, Context { before, after }));
        out.push_str(url.as_str());
        before = url.as_str().chars().last();
        last = url.end();
    }
    let tail = Context {
        before,
        after: context.after,
    };
    out.push_str(&typeset_plain(&text[last..], language, tail));
    out
}

/// The typeset form of a paragraph's segments: text and italics are typeset, each with the
/// characters of its neighbours as context; citation markers are kept as they are (a marker
/// stands where a word ends, so a quote before it closes).
pub fn typeset_segments(segments: &[Segment], language: Language) -> Vec<Segment> {
    let edge = |segment: &Segment, last: bool| match segment {
        Segment::Text(t) | Segment::Italic(t) => {
            if last {
                t.chars().next_back()
            } else {
                t.chars().next()
            }
        }
        Segment::Cite(_) => Some('.'),
    };
    segments
        .iter()
        .enumerate()
        .map(|(i, segment)| {
            let context = Context {
                before: i.checked_sub(1).and_then(|p| edge(&segments[p], true)),
                after: segments.get(i + 1).and_then(|n| edge(n, false)),
            };
            match segment {
                Segment::Text(t) => Segment::Text(typeset(t, language, context)),
                Segment::Italic(t) => Segment::Italic(typeset(t, language, context)),
                Segment::Cite(key) => Segment::Cite(key.clone()),
            }
        })
        .collect()
}

/// Maps typeset characters back to what an editor types: curly quotes to straight ones,
/// en dashes between digits or month names to hyphens, no-break spaces to spaces and
/// superscript digits of units to digits. Text compared after folding differs only in
/// wording, never in typography.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // French marks carry a narrow no-break space inside: « oui » was typed "oui".
            '\u{00AB}' | '\u{2039}' if chars.peek() == Some(&'\u{202F}') => {
                chars.next();
                out.push(if c == '\u{00AB}' { '"' } else { '\'' });
            }
            '\u{202F}' if matches!(chars.peek(), Some('\u{00BB}' | '\u{203A}')) => {}
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2039}' | '\u{203A}' => out.push('\''),
            '\u{2013}' => out.push('-'),
            '\u{00A0}' | '\u{202F}' | '\u{2009}' => out.push(' '),
            '\u{00B2}' => out.push('2'),
            '\u{00B3}' => out.push('3'),
            _ => out.push(c),
        }
    }
    out
}

/// The plain form of `text` that typography cannot change: two texts with the same plain
/// form differ in typography only (`4.9km2` and `4.9 km²`, `"a"` and `“a”`).
pub fn plain_form(text: &str) -> String {
    fold(&typeset(text, Language::English, Context::default()))
}

/// Web addresses and code spans, which keep every character as written.
static VERBATIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)\]]|`[^`\n]*`"#)
        .expect("verbatim pattern")
});

/// `2012-2013`, `2012-13`: a range of years.
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:19|20)\d\d)-((?:19|20)\d\d|\d\d)\b").expect("year range pattern")
});

/// `2-5 December`: a range of days before a month's name.
static DAY_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b([1-9]|[12]\d|3[01])-([1-9]|[12]\d|3[01])(\s+)(?:{MONTHS})\b"
    ))
    .expect("day range pattern")
});

/// `31 May-2 June`, `May 2020-June 2021`: a range from one date to another in another month.
static DATE_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    let day_month = format!(r"(?:[1-9]|[12]\d|3[01])\s+(?:{MONTHS})");
    let month_year = format!(r"(?:{MONTHS})\s+(?:19|20)\d\d");
    Regex::new(&format!(
        r"\b({day_month}(?:\s+(?:19|20)\d\d)?|{month_year})-({day_month}|{month_year})\b"
    ))
    .expect("date span pattern")
});

/// `May-June`: a range of months.
static MONTH_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b({MONTHS})-({MONTHS})\b")).expect("month range pattern")
});

/// A number and its unit: `4.9km2`, `155mm`, `12 ha`. `155-mm`, the adjective, is kept.
static NUMBER_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d+(?:[.,]\d+)*)(?:[ \u{00A0}\u{202F}]?)(km2|km²|m2|m²|km|mm|cm|kg|ha)\b")
        .expect("number and unit pattern")
});

/// English month names, for day and month ranges.
const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// Typesetting of text that holds no web address.
fn typeset_plain(text: &str, language: Language, context: Context) -> String {
    let text = replace_ranges(text);
    let text = bind_units(&text);
    curl_quotes(&text, language, context)
}

/// En dashes in ranges of years (ascending only), days, dates and months.
fn replace_ranges(text: &str) -> String {
    let years = YEAR_RANGE.replace_all(text, |c: &regex::Captures<'_>| {
        let end = c.get(0).map_or(text.len(), |m| m.end());
        let part_of_a_date = text[end..].starts_with('-');
        if ascending_years(&c[1], &c[2]) && !part_of_a_date {
            format!("{}\u{2013}{}", &c[1], &c[2])
        } else {
            c[0].to_string()
        }
    });
    let days = DAY_RANGE.replace_all(&years, |c: &regex::Captures<'_>| {
        let (first, last): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        if first < last {
            let month = &c[0][c[1].len() + 1 + c[2].len() + c[3].len()..];
            format!("{}\u{2013}{}{NUMBER_UNIT_SPACE}{month}", &c[1], &c[2])
        } else {
            c[0].to_string()
        }
    });
    let dates = DATE_SPAN.replace_all(&days, "${1}\u{2013}${2}");
    MONTH_RANGE
        .replace_all(&dates, "${1}\u{2013}${2}")
        .into_owned()
}

/// Whether `first-second` reads as a range of years: `2012-2013`, `2012-13`.
fn ascending_years(first: &str, second: &str) -> bool {
    let start: u32 = first.parse().unwrap_or(u32::MAX);
    let end: u32 = match second.len() {
        2 => (start / 100) * 100 + second.parse::<u32>().unwrap_or(0),
        _ => second.parse().unwrap_or(0),
    };
    start < end
}

/// A no-break space between a number and its unit, and superscript area units.
fn bind_units(text: &str) -> String {
    NUMBER_UNIT
        .replace_all(text, |c: &regex::Captures<'_>| {
            let unit = match &c[2] {
                "km2" => "km²",
                "m2" => "m²",
                other => other,
            };
            format!("{}{NUMBER_UNIT_SPACE}{unit}", &c[1])
        })
        .into_owned()
}

/// Straight quotes and apostrophes become typographic ones, by what stands around them.
fn curl_quotes(text: &str, language: Language, context: Context) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = if i == 0 {
            context.before
        } else {
            Some(chars[i - 1])
        };
        let after = chars.get(i + 1).copied().or(context.after);
        match c {
            '"' => {
                let (open, close) = language.double();
                out.push_str(if opens(before, after) { open } else { close });
            }
            '\'' => out.push_str(single_quote(before, after, language)),
            _ => out.push(c),
        }
    }
    out
}

/// The mark for a straight single quote: an apostrophe inside or at the end of a word
/// (“it’s”, “States’”) and before a decade (“’90s”), else an opening or closing quote.
fn single_quote(before: Option<char>, after: Option<char>, language: Language) -> &'static str {
    let apostrophe = "\u{2019}";
    let letter_before = before.is_some_and(char::is_alphanumeric);
    if letter_before {
        return apostrophe;
    }
    if after.is_some_and(|c| c.is_ascii_digit()) && opens(before, after) {
        return apostrophe;
    }
    let (open, close) = language.single();
    if opens(before, after) { open } else { close }
}

/// Whether a quotation mark between `before` and `after` opens a quotation: it follows
/// the start of the text, a space, an opening bracket, a dash or another opening mark, and
/// is followed by something other than a space.
fn opens(before: Option<char>, after: Option<char>) -> bool {
    let after_space = after.is_none_or(char::is_whitespace);
    match before {
        None => !after_space,
        Some(c) => {
            (c.is_whitespace() || "([{\u{2013}\u{2014}/\u{201C}\u{2018}\u{00AB}".contains(c))
                && !after_space
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> String {
        typeset(text, Language::English, Context::default())
    }

    #[test]
    fn straight_quotes_become_curly_by_position() {
        assert_eq!(
            en(r#"It said the matter was "under consideration." It's the States' view."#),
            "It said the matter was \u{201C}under consideration.\u{201D} It\u{2019}s the States\u{2019} view."
        );
        assert_eq!(
            en("a 'working' paper from the '90s"),
            "a \u{2018}working\u{2019} paper from the \u{2019}90s"
        );
        assert_eq!(
            en(r#"("join as soon as possible")"#),
            "(\u{201C}join as soon as possible\u{201D})"
        );
    }

    #[test]
    fn quotes_follow_the_language() {
        let fr = typeset(r#"dit "oui""#, Language::French, Context::default());
        assert_eq!(fr, "dit \u{00AB}\u{202F}oui\u{202F}\u{00BB}");
        let de = typeset(r#"sagte "ja""#, Language::German, Context::default());
        assert_eq!(de, "sagte \u{201E}ja\u{201C}");
        assert_eq!(Language::from_tag("en-GB"), Some(Language::English));
        assert_eq!(Language::from_tag("fr_CH"), Some(Language::French));
        assert_eq!(Language::from_tag("ky"), None);
    }

    #[test]
    fn a_quote_at_the_edge_of_a_run_uses_its_neighbours() {
        // `"` then an italic title: the run is just the mark; the title follows it.
        let open = typeset(
            "\"",
            Language::English,
            Context {
                before: Some(' '),
                after: Some('C'),
            },
        );
        assert_eq!(open, "\u{201C}");
        let close = typeset(
            "\" and",
            Language::English,
            Context {
                before: Some('0'),
                after: None,
            },
        );
        assert_eq!(close, "\u{201D} and");
    }

    #[test]
    fn segments_are_typeset_with_their_neighbours_and_markers_kept() {
        let segments = vec![
            Segment::Text("see \"".into()),
            Segment::Italic("Monitor 2010".into()),
            Segment::Text("\" (2009-2010)".into()),
            Segment::Cite("it's-a-key".into()),
            Segment::Text(" and 'so' on".into()),
        ];
        let typeset = typeset_segments(&segments, Language::English);
        assert_eq!(
            typeset,
            vec![
                Segment::Text("see \u{201C}".into()),
                Segment::Italic("Monitor 2010".into()),
                Segment::Text("\u{201D} (2009\u{2013}2010)".into()),
                Segment::Cite("it's-a-key".into()),
                Segment::Text(" and \u{2018}so\u{2019} on".into()),
            ]
        );
    }

    #[test]
    fn ranges_get_an_en_dash_and_other_hyphens_stay() {
        assert_eq!(
            en("in 2012-2013 and 2016-18"),
            "in 2012\u{2013}2013 and 2016\u{2013}18"
        );
        assert_eq!(
            en("held 2-5 December 2014"),
            "held 2\u{2013}5\u{00A0}December 2014"
        );
        assert_eq!(en("from May-June 2013"), "from May\u{2013}June 2013");
        assert_eq!(
            en("met 31 May-2 June 2021"),
            "met 31 May\u{2013}2 June 2021"
        );
        assert_eq!(
            en("from 30 December 2019-3 January 2020"),
            "from 30 December 2019\u{2013}3 January 2020"
        );
        assert_eq!(
            en("between May 2020-June 2021"),
            "between May 2020\u{2013}June 2021"
        );
        // Not ranges: a letter number, a descending pair, a resolution, a compound.
        for kept in [
            "Letter No. 011-14/809",
            "Note 2014-2012",
            "Resolution 76/47",
            "a 155-mm projectile",
            "LOV 2009-12-15 nr 28",
            "the 5-6 options",
            "on 31 May-related dates",
        ] {
            assert_eq!(en(kept), kept);
        }
    }

    #[test]
    fn numbers_keep_their_units_on_one_line() {
        assert_eq!(en("about 4.9km2 remain"), "about 4.9\u{00A0}km² remain");
        assert_eq!(
            en("1,240 m2 and 155mm shells"),
            "1,240\u{00A0}m² and 155\u{00A0}mm shells"
        );
        assert_eq!(en("12 ha"), "12\u{00A0}ha");
        assert_eq!(en("155-mm shells and 2 mines"), "155-mm shells and 2 mines");
    }

    #[test]
    fn web_addresses_and_code_spans_are_left_as_written() {
        let text = r#"See "https://example.org/a-b/2012-2013?q='x'" for 2012-2013."#;
        assert_eq!(
            en(text),
            "See \u{201C}https://example.org/a-b/2012-2013?q='x'\u{201D} for 2012\u{2013}2013."
        );
        assert_eq!(VERBATIM.find_iter(text).count(), 1);
        let code = "run `say \"2012-2013\"` then \"go\"";
        assert_eq!(en(code), "run `say \"2012-2013\"` then \u{201C}go\u{201D}");
    }

    #[test]
    fn folding_undoes_typesetting() {
        for plain in [
            r#"It said "under consideration" in 2012-2013; it's 4.9 km2."#,
            "held 2-5 December at 155 mm",
        ] {
            assert_eq!(fold(&en(plain)), plain, "{plain}");
        }
        let fr = typeset(r#"dit "oui" et"#, Language::French, Context::default());
        assert_eq!(fold(&fr), r#"dit "oui" et"#);
    }

    #[test]
    fn the_plain_form_ignores_typography_only() {
        assert_eq!(plain_form("4.9km2"), plain_form("4.9\u{00A0}km²"));
        assert_eq!(
            plain_form("\u{201C}join\u{201D} in 2012\u{2013}13"),
            plain_form(r#""join" in 2012-13"#)
        );
        assert_ne!(plain_form("4.9 km2"), plain_form("4.8 km2"));
        assert_ne!(
            plain_form(r#"said "yes" and"#),
            plain_form(r#"said "yes"and"#)
        );
    }
}
