//! Registries of the convention's meetings and UN General Assembly resolutions
//! (`checks/meetings.toml`, `checks/resolutions.toml`), and the treaty's date rules.
//!
//! Unknown facts stay unknown: a resolution whose number was not found has none, a meeting
//! whose start day is uncertain records the range of possible start days.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;

use crate::record::Date;

/// The kind of a meeting: profiles' claims about "Meetings of States Parties" count only
/// formal meetings; claims about "meetings of the convention" count all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeetingKind {
    /// A Meeting of States Parties.
    MeetingOfStatesParties,
    /// A Review Conference.
    ReviewConference,
    /// Intersessional meetings in Geneva.
    Intersessional,
    /// A conference of the Oslo Process, the Dublin conference or the Signing Conference.
    Diplomatic,
    /// A regional or international conference on the convention.
    Conference,
}

impl MeetingKind {
    /// Whether the meeting is a formal meeting of States Parties (MSP or Review Conference).
    pub fn is_formal(self) -> bool {
        matches!(
            self,
            MeetingKind::MeetingOfStatesParties | MeetingKind::ReviewConference
        )
    }
}

/// One session of a meeting (most meetings have one; the Second Review Conference two).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// First day (the earliest, when the start day is uncertain).
    #[serde(deserialize_with = "toml_date")]
    pub start: NaiveDate,
    /// Latest possible first day, when sources disagree on the start day.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub start_latest: Option<NaiveDate>,
    /// Last day.
    #[serde(deserialize_with = "toml_date")]
    pub end: NaiveDate,
    /// Where it was held.
    pub place: String,
    /// Anything worth knowing (held virtually, uncertain dates...).
    pub note: Option<String>,
}

/// A meeting in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Stable id used by records, e.g. "3MSP".
    pub id: String,
    /// Full name, e.g. "Third Meeting of States Parties".
    pub name: String,
    /// Kind of meeting.
    pub kind: MeetingKind,
    /// Its sessions in date order.
    #[serde(rename = "session")]
    pub sessions: Vec<Session>,
}

impl Meeting {
    /// The first day of the first session.
    pub fn start(&self) -> NaiveDate {
        self.sessions.first().map_or(NaiveDate::MIN, |s| s.start)
    }

    /// The last day of the last session.
    pub fn end(&self) -> NaiveDate {
        self.sessions.last().map_or(NaiveDate::MIN, |s| s.end)
    }

    /// The years the meeting was held in.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.sessions.iter().map(|s| s.start.year()).collect();
        years.dedup();
        years
    }

    /// Whether a session was held in the given year and (when given) month.
    pub fn held_in(&self, year: i32, month: Option<u32>) -> bool {
        self.sessions.iter().any(|s| {
            let first = s.start;
            let last = s.end;
            let months = [(first.year(), first.month()), (last.year(), last.month())];
            months
                .iter()
                .any(|&(y, m)| y == year && month.is_none_or(|mm| mm == m))
        })
    }

    /// "Lusaka, September 2013" style summary of where and when (first session).
    pub fn when_where(&self) -> String {
        self.sessions
            .iter()
            .map(|s| format!("{}, {}", s.place, s.start.format("%B %Y")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// How precisely a resolution's adoption date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adopted {
    /// The exact day.
    Day(NaiveDate),
    /// Only the month.
    Month(i32, u32),
}

impl Adopted {
    /// The year of adoption.
    pub fn year(self) -> i32 {
        match self {
            Adopted::Day(d) => d.year(),
            Adopted::Month(y, _) => y,
        }
    }

    /// The month of adoption.
    pub fn month(self) -> u32 {
        match self {
            Adopted::Day(d) => d.month(),
            Adopted::Month(_, m) => m,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum AdoptedRaw {
    Day(toml::value::Datetime),
    Month(String),
}

/// The recorded vote count, where known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Votes in favour.
    pub yes: Option<u32>,
    /// Votes against.
    pub no: Option<u32>,
    /// Abstentions.
    pub abstain: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResolutionRaw {
    id: String,
    number: Option<String>,
    annual: Option<i32>,
    title: String,
    adopted: AdoptedRaw,
    #[serde(default)]
    uncertain: bool,
    #[serde(default)]
    tally: Tally,
    note: Option<String>,
}

/// A UN General Assembly resolution in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Stable id used by records: the number where known ("76/47"), else "ccm-YEAR".
    pub id: String,
    /// The resolution number ("76/47"), when known.
    pub number: Option<String>,
    /// For the annual resolution on the convention: its year.
    pub annual: Option<i32>,
    /// Title.
    pub title: String,
    /// Adoption date, as precisely as known.
    pub adopted: Adopted,
    /// Whether the number or date is uncertain (sources disagree or it is inferred).
    pub uncertain: bool,
    /// Recorded vote, where known.
    pub tally: Tally,
    /// Remarks.
    pub note: Option<String>,
}

/// Problems reading a registry file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RegistryError {
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    #[diagnostic(code(dossier::registry::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not a valid registry.
    #[error("{path}:{line}:{column}: {message}")]
    #[diagnostic(code(dossier::registry::invalid))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// The meetings and resolutions registries.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Meetings in date order.
    pub meetings: Vec<Meeting>,
    /// Resolutions in date order.
    pub resolutions: Vec<Resolution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingsFile {
    meeting: Vec<Meeting>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResolutionsFile {
    resolution: Vec<ResolutionRaw>,
}

impl Registry {
    /// Loads `meetings.toml` and `resolutions.toml` from a checks directory.
    pub fn load(checks_dir: &Path) -> Result<Self, RegistryError> {
        let meetings_path = checks_dir.join("meetings.toml");
        let resolutions_path = checks_dir.join("resolutions.toml");
        let meetings: MeetingsFile = read_toml(&meetings_path)?;
        let resolutions: ResolutionsFile = read_toml(&resolutions_path)?;
        let mut registry = Registry {
            meetings: meetings.meeting,
            resolutions: Vec::new(),
        };
        for raw in resolutions.resolution {
            let adopted = match &raw.adopted {
                AdoptedRaw::Day(dt) => to_naive(dt).map(Adopted::Day),
                AdoptedRaw::Month(s) => parse_month(s),
            };
            let Some(adopted) = adopted else {
                return Err(RegistryError::Invalid {
                    path: resolutions_path,
                    line: 0,
                    column: 0,
                    message: format!(
                        "resolution {}: `adopted` must be a date or \"YYYY-MM\"",
                        raw.id
                    ),
                });
            };
            registry.resolutions.push(Resolution {
                id: raw.id,
                number: raw.number,
                annual: raw.annual,
                title: raw.title,
                adopted,
                uncertain: raw.uncertain,
                tally: raw.tally,
                note: raw.note,
            });
        }
        registry.meetings.sort_by_key(Meeting::start);
        Ok(registry)
    }

    /// The meeting with this id.
    pub fn meeting(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// The resolution with this id or number.
    pub fn resolution(&self, id: &str) -> Option<&Resolution> {
        self.resolutions
            .iter()
            .find(|r| r.id == id || r.number.as_deref() == Some(id))
    }

    /// The annual resolution on the convention adopted in `year`.
    pub fn annual_resolution(&self, year: i32) -> Option<&Resolution> {
        self.resolutions.iter().find(|r| r.annual == Some(year))
    }
}

impl Registry {
    /// References a record makes that this registry does not know: meetings by id, votes
    /// by resolution id or year. Each with the byte range of the reference and a message.
    pub fn unknown_references(
        &self,
        record: &crate::record::Record,
    ) -> Vec<(std::ops::Range<usize>, String)> {
        let mut out = Vec::new();
        for a in &record.meetings {
            if self.meeting(&a.meeting.value).is_none() {
                out.push((
                    a.meeting.span.clone(),
                    format!(
                        "meeting `{}` is not in checks/meetings.toml",
                        a.meeting.value
                    ),
                ));
            }
        }
        for v in &record.votes {
            match (&v.resolution, &v.year) {
                (Some(r), _) if self.resolution(&r.value).is_none() => {
                    out.push((
                        r.span.clone(),
                        format!("resolution `{}` is not in checks/resolutions.toml", r.value),
                    ));
                }
                (None, Some(y)) if self.annual_resolution(y.value).is_none() => {
                    out.push((
                        y.span.clone(),
                        format!(
                            "no annual resolution on the convention is registered for {}",
                            y.value
                        ),
                    ));
                }
                _ => {}
            }
        }
        out
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, RegistryError> {
    let text = std::fs::read_to_string(path).map_err(|error| RegistryError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    toml::from_str(&text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((0, 0), |s| crate::record::line_col(&text, s.start));
        RegistryError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().to_string(),
        }
    })
}

fn to_naive(dt: &toml::value::Datetime) -> Option<NaiveDate> {
    match (dt.date, dt.time) {
        (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()),
        _ => None,
    }
}

fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let dt = toml::value::Datetime::deserialize(d)?;
    to_naive(&dt).ok_or_else(|| serde::de::Error::custom(format!("{dt} is not a calendar date")))
}

fn toml_date_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    toml_date(d).map(Some)
}

fn parse_month(s: &str) -> Option<Adopted> {
    let (y, m) = s.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(Adopted::Month(y, m))
}

/// The convention's own entry into force (1 August 2010).
pub fn convention_entry_into_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2010, 8, 1).expect("valid date")
}

/// Article 17: the date the convention enters into force for a state that deposited its
/// instrument on `deposit`: the first day of the sixth month after the deposit month, or
/// the convention's own entry into force for the first thirty instruments (deposited
/// before 1 March 2010; the thirtieth was deposited on 16 February 2010).
pub fn article17_in_force(deposit: Date) -> Date {
    let d = deposit.0;
    let first_of_month = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid date");
    let in_force = first_of_month + Months::new(6);
    Date(in_force.max(convention_entry_into_force()))
}

/// Article 7: the initial transparency report is due 180 days after entry into force for
/// the state.
pub fn article7_report_due(in_force: Date) -> Date {
    Date(in_force.0 + chrono::Days::new(180))
}

/// Article 3: stockpile destruction deadline, 8 years after entry into force for the state.
pub fn article3_stockpile_deadline(in_force: Date) -> Date {
    Date(in_force.0 + Months::new(96))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn treaty_rules_match_the_worked_examples() {
        assert_eq!(article17_in_force(date(2011, 9, 8)), date(2012, 3, 1));
        assert_eq!(article17_in_force(date(2010, 11, 5)), date(2011, 5, 1));
        assert_eq!(article17_in_force(date(2008, 12, 3)), date(2010, 8, 1));
        assert_eq!(article7_report_due(date(2012, 3, 1)), date(2012, 8, 28));
        assert_eq!(
            article3_stockpile_deadline(date(2010, 8, 1)),
            date(2018, 8, 1)
        );
    }
}
