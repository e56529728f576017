//! Facts from prose: claim patterns kept as data in `checks/claims.toml`.
//!
//! Prose is split into paragraphs and sentences (markers removed, line breaks folded), each
//! sentence is matched against every pattern, and every match becomes a [`Fact`] whose
//! origin points at the exact bytes in the record's TOML source.

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use regex::{Captures, Regex};
use serde::Deserialize;

use super::{Activity, Claim, DateKind, Fact, Hazards, Origin, Treaty};
use crate::record::{ConventionStatus, Date, Prose, Record, Role, TreatyStanding, VoteCast};
use crate::registry::{Registry, TreatyId};

/// Name of the claim patterns file inside the checks directory.
pub const CLAIMS_FILE: &str = "claims.toml";

/// The kind of fact a claim pattern yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PatternKind {
    /// [`Claim::LastMeetingYear`].
    LastMeetingYear,
    /// [`Claim::MeetingCount`].
    MeetingCount,
    /// [`Claim::OnlyAttendance`].
    OnlyAttendance,
    /// [`Claim::AllMeetings`].
    AllMeetings,
    /// [`Claim::Attendance`] for each formal meeting held in the years listed.
    AttendedYears,
    /// [`Claim::NotSince`].
    NotSince,
    /// [`Claim::VoteInYear`].
    VoteInYear,
    /// [`Claim::VotedSince`].
    VotedSince,
    /// [`Claim::Status`].
    Status,
    /// [`Claim::Treaty`], one per treaty listed.
    Treaty,
    /// [`Claim::ActivityList`].
    ActivityList,
    /// [`Claim::Date`] of the pattern's `date` kind.
    Date,
    /// [`Claim::MeetingMention`].
    MeetingMention,
    /// [`Claim::ResolutionCited`].
    ResolutionCited,
    /// [`Claim::CasualtyCount`].
    CasualtyCount,
    /// [`Claim::Contamination`]: contaminated, or not when the `neg` group matched.
    Contamination,
    /// [`Claim::ContaminatedArea`] of the `number` group, in km².
    ContaminatedArea,
}

/// Which date a `date` pattern states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum DateName {
    Signed,
    Deposited,
    InForce,
    ReportDue,
    StockpileDeadline,
    LastReport,
}

impl DateName {
    fn kind(self) -> DateKind {
        match self {
            DateName::Signed => DateKind::Signed,
            DateName::Deposited => DateKind::Deposited,
            DateName::InForce => DateKind::InForce,
            DateName::ReportDue => DateKind::ReportDue,
            DateName::StockpileDeadline => DateKind::StockpileDeadline,
            DateName::LastReport => DateKind::LastReport,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternRaw {
    name: String,
    kind: PatternKind,
    regex: String,
    date: Option<DateName>,
    unless: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternsFile {
    #[serde(default)]
    claim: Vec<PatternRaw>,
}

/// One compiled claim pattern.
#[derive(Debug, Clone)]
pub struct ClaimPattern {
    /// Stable name, shown in diagnostics.
    pub name: String,
    /// What fact it yields.
    pub kind: PatternKind,
    /// The compiled pattern.
    pub regex: Regex,
    /// A sentence also matching this yields no fact.
    pub unless: Option<Regex>,
    /// What the phrasing says.
    pub description: Option<String>,
    date: Option<DateKind>,
}

/// Every claim pattern, compiled once.
#[derive(Debug, Clone)]
pub struct ClaimPatterns {
    /// The patterns in file order.
    pub patterns: Vec<ClaimPattern>,
}

/// Problems reading `checks/claims.toml`.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PatternError {
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    #[diagnostic(code(dossier::claims::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file or one of its patterns is invalid.
    #[error("{path}: {problem}")]
    #[diagnostic(code(dossier::claims::invalid))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: PatternProblem,
    },
}

/// What is wrong with the text of a claims file.
#[derive(Debug, thiserror::Error)]
pub enum PatternProblem {
    /// The text is not a valid table of patterns.
    #[error("line {line}, column {column}: {message}")]
    Toml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the TOML reader said.
        message: String,
    },
    /// A pattern's regular expression does not compile.
    #[error("claim pattern `{pattern}`{part}: {source}")]
    Regex {
        /// The pattern's name.
        pattern: String,
        /// Which expression: empty for `regex`, " (unless)" for `unless`.
        part: &'static str,
        /// The regex compiler's error.
        source: Box<regex::Error>,
    },
    /// A date pattern does not say which date it states.
    #[error(
        "claim pattern `{0}`: kind \"date\" needs `date = \"signed\"` (or deposited, in-force, report-due, stockpile-deadline, last-report)"
    )]
    DateKindMissing(String),
}

impl ClaimPatterns {
    /// Loads `claims.toml` from a checks directory; a missing file means no patterns.
    pub fn load(checks_dir: &Path) -> Result<Self, PatternError> {
        let path = checks_dir.join(CLAIMS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(PatternError::Io { path, error }),
        };
        Self::parse(&text).map_err(|problem| PatternError::Invalid { path, problem })
    }

    /// Parses the text of a claims file.
    pub fn parse(text: &str) -> Result<Self, PatternProblem> {
        let file: PatternsFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |s| crate::record::line_col(text, s.start));
            PatternProblem::Toml {
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let mut patterns = Vec::new();
        for raw in file.claim {
            let compile = |expression: &str, part: &'static str| {
                Regex::new(&ascii_word_boundaries(expression)).map_err(|e| PatternProblem::Regex {
                    pattern: raw.name.clone(),
                    part,
                    source: Box::new(e),
                })
            };
            let regex = compile(&raw.regex, "")?;
            let unless = raw
                .unless
                .as_deref()
                .map(|u| compile(u, " (unless)"))
                .transpose()?;
            if raw.kind == PatternKind::Date && raw.date.is_none() {
                return Err(PatternProblem::DateKindMissing(raw.name));
            }
            patterns.push(ClaimPattern {
                name: raw.name,
                kind: raw.kind,
                regex,
                unless,
                description: raw.description,
                date: raw.date.map(DateName::kind),
            });
        }
        Ok(Self { patterns })
    }
}

/// Rewrites `\b` and `\B` as ASCII word boundaries. Unicode-aware boundaries make the regex
/// engine fall back to its slowest matcher on text with curly quotes or accented letters; for
/// English prose the ASCII boundary is the same test, and several times faster.
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(b @ ('b' | 'B')) => {
                    out.push_str("(?-u:\\");
                    out.push(b);
                    out.push(')');
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Prose text with markers removed and line breaks folded, mapped back to the raw text.
#[derive(Debug, Clone)]
pub struct CleanText {
    /// The cleaned text.
    pub text: String,
    /// For each byte of `text` (and one past the end): its offset in the raw prose text.
    map: Vec<usize>,
}

impl CleanText {
    /// Cleans the raw prose range `range` of `raw`.
    pub fn new(raw: &str, range: Range<usize>) -> Self {
        let mut text = String::with_capacity(range.len());
        let mut map = Vec::with_capacity(range.len() + 1);
        let slice = &raw[range.clone()];
        let mut iter = slice.char_indices().peekable();
        let mut prev: Option<char> = None;
        while let Some((i, c)) = iter.next() {
            let at = range.start + i;
            if c == '['
                && let Some((_, length)) = crate::record::prose::marker_at(&slice[i..])
            {
                while iter.peek().is_some_and(|&(j, _)| j < i + length) {
                    iter.next();
                }
                continue;
            }
            if c == '_' {
                let next = iter.peek().map(|&(_, n)| n);
                let word_inside = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                if !word_inside {
                    continue;
                }
            }
            if c.is_whitespace() {
                while iter.peek().is_some_and(|&(_, n)| n.is_whitespace()) {
                    iter.next();
                }
                if !text.is_empty() {
                    text.push(' ');
                    map.push(at);
                }
                prev = Some(' ');
                continue;
            }
            let mut buf = [0u8; 4];
            for _ in 0..c.encode_utf8(&mut buf).len() {
                map.push(at);
            }
            text.push(c);
            prev = Some(c);
        }
        while text.ends_with(' ') {
            text.pop();
            map.pop();
        }
        map.push(range.end);
        Self { text, map }
    }

    /// The raw range of a range of the cleaned text.
    pub fn raw_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.map[range.start.min(self.map.len() - 1)];
        let end = if range.end == 0 {
            start
        } else {
            // One past the last byte of the range.
            let last = self.map[(range.end - 1).min(self.map.len() - 1)];
            let next = self.map[range.end.min(self.map.len() - 1)];
            next.max(last + 1).max(start)
        };
        start..end
    }
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "No", "no", "p", "pp", "Mr", "Mrs", "Ms", "Dr", "St", "e.g", "i.e", "etc", "vol", "Vol",
    "para", "Art", "art", "Nos", "cf", "U.S", "U.N", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

/// Ranges of the sentences of a cleaned paragraph.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '?' | '!') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            let at_space = j < chars.len() && chars[j].1 == ' ';
            let next_starts = chars
                .get(j + 1)
                .is_some_and(|&(_, n)| n.is_uppercase() || matches!(n, '"' | '“' | '('));
            if at_space && next_starts && !(c == '.' && is_abbreviation(&text[start..pos])) {
                let end = chars[j].0;
                out.push(start..end);
                start = chars[j + 1].0;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    ABBREVIATIONS.contains(&word)
}

fn group<'t>(caps: &Captures<'t>, names: &[&str]) -> Option<regex::Match<'t>> {
    names.iter().find_map(|n| caps.name(n))
}

fn group_year(caps: &Captures<'_>) -> Option<i32> {
    group(caps, &["year", "year2"]).and_then(|m| m.as_str().parse().ok())
}

fn group_month(caps: &Captures<'_>) -> Option<u32> {
    group(caps, &["month", "month2"]).and_then(|m| crate::record::month_number(m.as_str()))
}

fn group_date(caps: &Captures<'_>) -> Option<Date> {
    let day: u32 = group(caps, &["day", "day2"])?.as_str().parse().ok()?;
    NaiveDate::from_ymd_opt(group_year(caps)?, group_month(caps)?, day).map(Date)
}

fn parse_vote(text: &str) -> Option<VoteCast> {
    let t = text.to_lowercase();
    if t.starts_with("voted in favo") {
        Some(VoteCast::Yes)
    } else if t.starts_with("voted against") {
        Some(VoteCast::No)
    } else if t.starts_with("abstained") {
        Some(VoteCast::Abstain)
    } else if t.starts_with("was absent") {
        Some(VoteCast::Absent)
    } else {
        None
    }
}

fn parse_count(text: &str) -> Option<u32> {
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let t = text.to_lowercase();
    words
        .iter()
        .position(|w| *w == t)
        .map(|i| i as u32)
        .or_else(|| t.parse().ok())
}

fn activities(list: &str) -> Vec<Activity> {
    let mut out = Vec::new();
    for word in list.split(|c: char| !c.is_alphabetic()) {
        let w = word.to_lowercase();
        let activity = if w.starts_with("use") {
            Activity::Use
        } else if w.starts_with("produc") {
            Activity::Production
        } else if w.starts_with("transfer") || w.starts_with("export") || w.starts_with("import") {
            Activity::Transfer
        } else if w.starts_with("stockpil") {
            Activity::Stockpiling
        } else {
            continue;
        };
        if !out.contains(&activity) {
            out.push(activity);
        }
    }
    out
}

fn years_in(text: &str) -> Vec<i32> {
    let bytes = text.as_bytes();
    let mut years = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let window = &bytes[i..i + 4];
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let boundary_after = i + 4 == bytes.len() || !bytes[i + 4].is_ascii_alphanumeric();
        if boundary_before
            && boundary_after
            && window.iter().all(u8::is_ascii_digit)
            && (window.starts_with(b"19") || window.starts_with(b"20"))
        {
            if let Ok(y) = std::str::from_utf8(window).unwrap_or("").parse() {
                years.push(y);
            }
            i += 4;
            continue;
        }
        i += 1;
    }
    years
}

/// Resolves a meeting's name ("Third Meeting of States Parties") against the registry, among
/// the meetings of `treaty` (of the convention when no treaty is known).
pub fn resolve_meeting<'r>(
    registry: &'r Registry,
    name: &str,
    treaty: Option<TreatyId>,
) -> Option<&'r crate::registry::Meeting> {
    let wanted = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let treaty = treaty.unwrap_or_default();
    registry.meetings.iter().find(|m| {
        m.treaty == treaty
            && (m.name.eq_ignore_ascii_case(&wanted) || m.id.eq_ignore_ascii_case(&wanted))
    })
}

/// The treaty a prose claim is about: the one its matched words name, else the topic's; a
/// treaty date, the treaty its sentence names ("The Mine Ban Treaty entered into force for X
/// on ..."). Membership of related treaties, citations and cited resolutions are about no one
/// treaty; a resolved meeting is about its own.
fn prose_treaty(
    claim: &Claim,
    (matched, sentence): (&str, &str),
    topic: Option<TreatyId>,
    registry: &Registry,
) -> Option<TreatyId> {
    match claim {
        Claim::Date { .. } => TreatyId::named_in(matched)
            .or_else(|| TreatyId::named_in(sentence))
            .or(topic),
        Claim::Treaty { .. } | Claim::Citation { .. } | Claim::ResolutionCited { .. } => None,
        Claim::Attendance { meeting, .. } | Claim::MeetingMention { meeting, .. } => {
            registry.meeting(meeting).map(|m| m.treaty)
        }
        _ => TreatyId::named_in(matched).or(topic),
    }
}

/// A block of prose to read claims from.
struct Block<'a> {
    name: String,
    prose: &'a Prose,
}

fn blocks(record: &Record) -> Vec<Block<'_>> {
    let mut out: Vec<Block<'_>> = record
        .prose_blocks()
        .map(|(name, p)| Block {
            name,
            prose: &p.value,
        })
        .collect();
    for c in &record.citations {
        out.push(Block {
            name: format!("citation {}", c.key.value),
            prose: &c.text.value,
        });
    }
    out
}

/// The facts stated in a record's prose (summary, sections, citation texts), in source order.
pub fn prose_facts(record: &Record, registry: &Registry, patterns: &ClaimPatterns) -> Vec<Fact> {
    let mut facts = Vec::new();
    let topic = TreatyId::of_topic(record.topic.value);
    for block in blocks(record) {
        let is_citation = block.name.starts_with("citation ");
        for para in crate::record::prose::paragraph_ranges(&block.prose.text) {
            let clean = CleanText::new(&block.prose.text, para);
            for sentence in sentences(&clean.text) {
                let text = &clean.text[sentence.clone()];
                // Each pattern on its own: a single regex runs on the fast lazy DFA with literal
                // prefilters, where a set of them needs the slow overlapping matcher.
                for pattern in patterns.patterns.iter().filter(|p| p.regex.is_match(text)) {
                    if is_citation && pattern.kind != PatternKind::ResolutionCited {
                        continue;
                    }
                    if pattern.unless.as_ref().is_some_and(|u| u.is_match(text)) {
                        continue;
                    }
                    for caps in pattern.regex.captures_iter(text) {
                        let whole = caps.get(0).map_or(0..0, |m| m.range());
                        let earlier = &clean.text[..sentence.start + whole.start];
                        let matched = &text[whole.clone()];
                        let context = TreatyId::named_in(matched).or(topic);
                        let claims = claims_of(pattern, &caps, registry, earlier, text, context);
                        if claims.is_empty() {
                            continue;
                        }
                        let abs = sentence.start + whole.start..sentence.start + whole.end;
                        let raw = clean.raw_range(abs);
                        let span = block.prose.source_range(raw);
                        for claim in claims {
                            let treaty = prose_treaty(&claim, (matched, text), topic, registry);
                            facts.push(Fact {
                                treaty,
                                claim,
                                origin: Origin::Prose {
                                    block: block.name.clone(),
                                    span: span.clone(),
                                    sentence: text.to_string(),
                                    pattern: pattern.name.clone(),
                                },
                            });
                        }
                    }
                }
            }
        }
    }
    facts.sort_by_key(|f| f.origin.span().start);
    facts
}

/// The vote claim of a "voted ... in YEAR" or "has voted ... since YEAR" match.
fn vote_claim(kind: PatternKind, caps: &Captures<'_>) -> Option<Claim> {
    let year = group_year(caps)?;
    let vote = caps.name("vote").and_then(|v| parse_vote(v.as_str()))?;
    Some(if kind == PatternKind::VotedSince {
        Claim::VotedSince { year, vote }
    } else {
        Claim::VoteInYear {
            year,
            month: group_month(caps),
            vote,
        }
    })
}

/// The claims one match of a pattern makes.
fn claims_of(
    pattern: &ClaimPattern,
    caps: &Captures<'_>,
    registry: &Registry,
    earlier: &str,
    sentence: &str,
    treaty: Option<TreatyId>,
) -> Vec<Claim> {
    let formal_only = caps.name("formal").is_some();
    match pattern.kind {
        PatternKind::LastMeetingYear => group_year(caps)
            .map(|year| Claim::LastMeetingYear { year, formal_only })
            .into_iter()
            .collect(),
        PatternKind::MeetingCount => {
            let count = caps.name("number").and_then(|m| parse_count(m.as_str()));
            vec![Claim::MeetingCount { count, formal_only }]
        }
        PatternKind::OnlyAttendance => vec![Claim::OnlyAttendance],
        PatternKind::AllMeetings => vec![Claim::AllMeetings],
        PatternKind::AttendedYears => attended_years(caps, registry, sentence, treaty),
        PatternKind::NotSince => {
            let year = group_year(caps).or_else(|| {
                // "since then": the latest year named earlier in the paragraph.
                years_in(earlier).into_iter().max()
            });
            year.map(Claim::NotSince).into_iter().collect()
        }
        PatternKind::VoteInYear | PatternKind::VotedSince => {
            vote_claim(pattern.kind, caps).into_iter().collect()
        }
        PatternKind::Status => status_claim(caps).into_iter().collect(),
        PatternKind::Treaty => treaty_claims(caps),
        PatternKind::ActivityList => {
            let list = activities(caps.name("list").map_or("", |m| m.as_str()));
            if list.is_empty() {
                return Vec::new();
            }
            vec![Claim::ActivityList {
                activities: list,
                denied: caps.name("neg").is_some(),
            }]
        }
        PatternKind::Date => match (pattern.date, group_date(caps)) {
            (Some(kind), Some(date)) => vec![Claim::Date { kind, date }],
            _ => Vec::new(),
        },
        PatternKind::MeetingMention => meeting_mention(caps, registry, treaty)
            .into_iter()
            .collect(),
        PatternKind::CasualtyCount | PatternKind::Contamination | PatternKind::ContaminatedArea => {
            figure_claims(pattern.kind, caps, sentence)
        }
        PatternKind::ResolutionCited => match caps.name("resolution") {
            Some(number) => vec![Claim::ResolutionCited {
                number: number.as_str().to_string(),
                date: group_date(caps),
            }],
            None => Vec::new(),
        },
    }
}

/// The claims of casualty counts and contamination: a count in a year, whether there is
/// contamination (and of what), an area in km².
fn figure_claims(kind: PatternKind, caps: &Captures<'_>, sentence: &str) -> Vec<Claim> {
    match kind {
        PatternKind::CasualtyCount => {
            let count = group(caps, &["number", "number2"])
                .and_then(|m| m.as_str().replace(',', "").parse().ok());
            match (group_year(caps), count) {
                (Some(year), Some(count)) => vec![Claim::CasualtyCount { year, count }],
                _ => Vec::new(),
            }
        }
        PatternKind::Contamination => vec![Claim::Contamination {
            hazards: Hazards::named_in(sentence),
            contaminated: caps.name("neg").is_none(),
        }],
        PatternKind::ContaminatedArea => group(caps, &["number", "number2"])
            .map(|m| Claim::ContaminatedArea {
                hazards: Hazards::named_in(sentence),
                area: m.as_str().to_string(),
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Attendance at the formal meeting of each year a list names ("in 2011, 2012 and 2014").
fn attended_years(
    caps: &Captures<'_>,
    registry: &Registry,
    sentence: &str,
    treaty: Option<TreatyId>,
) -> Vec<Claim> {
    let role = if sentence.contains("observer") {
        Role::Observer
    } else {
        Role::Attended
    };
    let list = caps.name("list").map_or("", |m| m.as_str());
    years_in(list)
        .into_iter()
        .filter_map(|year| {
            registry
                .meetings
                .iter()
                .filter(|m| {
                    m.treaty == treaty.unwrap_or_default()
                        && m.kind.is_formal()
                        && m.years().contains(&year)
                })
                .min_by_key(|m| m.start())
        })
        .map(|m| Claim::Attendance {
            meeting: m.id.clone(),
            role,
            part: None,
        })
        .collect()
}

/// The standing towards the convention a sentence names.
fn status_claim(caps: &Captures<'_>) -> Option<Claim> {
    let status = match caps.name("status")?.as_str().to_lowercase().as_str() {
        "non-signatory" => ConventionStatus::NonSignatory,
        "signatory" => ConventionStatus::Signatory,
        "state party" => ConventionStatus::StateParty,
        _ => return None,
    };
    Some(Claim::Status(status))
}

/// The standing towards each related treaty a list names.
fn treaty_claims(caps: &Captures<'_>) -> Vec<Claim> {
    let standing = if caps.name("neg").is_some() {
        TreatyStanding::NotParty
    } else {
        TreatyStanding::Party
    };
    let list = caps.name("list").map_or("", |m| m.as_str());
    let mut out = Vec::new();
    if list.contains("Mine Ban Treaty") {
        out.push(Claim::Treaty {
            treaty: Treaty::MineBanTreaty,
            standing,
        });
    }
    if list.contains("Conventional Weapons") || list.contains("CCW") {
        out.push(Claim::Treaty {
            treaty: Treaty::Ccw,
            standing,
        });
    }
    out
}

/// A registry meeting named with its year.
fn meeting_mention(
    caps: &Captures<'_>,
    registry: &Registry,
    treaty: Option<TreatyId>,
) -> Option<Claim> {
    let meeting = resolve_meeting(registry, caps.name("name")?.as_str(), treaty)?;
    Some(Claim::MeetingMention {
        meeting: meeting.id.clone(),
        year: group_year(caps)?,
        month: group_month(caps),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn patterns() -> ClaimPatterns {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("checks");
        ClaimPatterns::load(&dir).expect("claims.toml loads")
    }

    fn registry() -> Registry {
        Registry::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("checks")).expect("registry")
    }

    fn claims(summary: &str) -> Vec<Claim> {
        let text = format!(
            "country = \"X\"\niso = \"XX\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2022\nsummary = \"\"\"\n{summary}\n\"\"\"\n"
        );
        let record = crate::record::parse_record(Path::new("x.toml"), &text).expect("record");
        prose_facts(&record, &registry(), &patterns())
            .into_iter()
            .map(|f| f.claim)
            .collect()
    }

    #[test]
    fn last_meeting_year() {
        assert_eq!(
            claims("Kyrgyzstan last participated in a meeting of the convention in 2012."),
            vec![Claim::LastMeetingYear {
                year: 2012,
                formal_only: false
            }]
        );
        assert_eq!(
            claims("X last participated in 2019."),
            vec![Claim::LastMeetingYear {
                year: 2019,
                formal_only: false
            }]
        );
    }

    #[test]
    fn attended_years_and_since_then() {
        let c = claims(
            "X participated as an observer at the convention's Meetings of States Parties in\n2012 and 2013, but has not attended since then.",
        );
        assert!(c.contains(&Claim::Attendance {
            meeting: "4MSP".into(),
            role: Role::Observer,
            part: None
        }));
        assert!(c.contains(&Claim::NotSince(2013)), "{c:?}");
    }

    #[test]
    fn votes() {
        assert_eq!(
            claims("In December 2021, Kyrgyzstan voted in favor of a key UN resolution."),
            vec![Claim::VoteInYear {
                year: 2021,
                month: Some(12),
                vote: VoteCast::Yes
            }]
        );
        assert_eq!(
            claims(
                "It has voted in favor of the annual resolution promoting the convention since 2016."
            ),
            vec![Claim::VotedSince {
                year: 2016,
                vote: VoteCast::Yes
            }]
        );
        assert!(
            claims("In 2015 it voted in favor of the resolution in the First Committee.")
                .is_empty()
        );
    }

    #[test]
    fn status_treaties_activities() {
        let c = claims(
            "Non-signatory Kyrgyzstan has not signed. Kyrgyzstan is not party to the Mine Ban Treaty or the Convention on Conventional Weapons (CCW). It has never used, produced, or exported cluster munitions.",
        );
        assert!(c.contains(&Claim::Status(ConventionStatus::NonSignatory)));
        assert!(c.contains(&Claim::Treaty {
            treaty: Treaty::MineBanTreaty,
            standing: TreatyStanding::NotParty
        }));
        assert!(c.contains(&Claim::Treaty {
            treaty: Treaty::Ccw,
            standing: TreatyStanding::NotParty
        }));
        assert!(c.contains(&Claim::ActivityList {
            activities: vec![Activity::Use, Activity::Production, Activity::Transfer],
            denied: true
        }));
    }

    #[test]
    fn dates_mentions_resolutions() {
        let c = claims(
            "X signed the convention on 3 December 2008. It attended the Third Meeting of States Parties in Oslo in September 2013. See UNGA Resolution 76/47, 6 December 2021.",
        );
        let d = |y, m, d| Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert!(c.contains(&Claim::Date {
            kind: DateKind::Signed,
            date: d(2008, 12, 3)
        }));
        assert!(c.contains(&Claim::MeetingMention {
            meeting: "3MSP".into(),
            year: 2013,
            month: Some(9)
        }));
        assert!(
            claims("It attended meetings, most recently the Ninth Meeting of States Parties held in Geneva in September 2019.")
                .contains(&Claim::MeetingMention {
                    meeting: "9MSP".into(),
                    year: 2019,
                    month: Some(9)
                })
        );
        assert!(c.contains(&Claim::ResolutionCited {
            number: "76/47".into(),
            date: Some(d(2021, 12, 6))
        }));
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let s = "Letter No. 011 from the Ministry. It said so. Done";
        let parts: Vec<&str> = sentences(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(
            parts,
            vec!["Letter No. 011 from the Ministry.", "It said so.", "Done"]
        );
    }

    #[test]
    fn spans_point_into_the_source() {
        let text = "country = \"X\"\niso = \"XX\"\ntopic = \"cluster-munition-ban-policy\"\nedition = 2022\nsummary = \"\"\"\nIt was here.[^a] X last participated in a\nmeeting of the convention in 2012.\n\"\"\"\n";
        let record = crate::record::parse_record(Path::new("x.toml"), text).expect("record");
        let facts = prose_facts(&record, &registry(), &patterns());
        let span = facts[0].origin.span();
        assert_eq!(
            &text[span],
            "last participated in a\nmeeting of the convention in 2012"
        );
    }
}
