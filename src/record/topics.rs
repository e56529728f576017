//! Structured facts of particular topics: Mine Action's Article 5 clearance deadline and its
//! extensions, Mine Ban Policy's Article 7 transparency reports.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Date, Sp};

/// Mine Action: the Mine Ban Treaty's Article 5 clearance deadline and its history.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Clearance {
    /// The first Article 5 deadline: ten years after the treaty entered into force for the
    /// state.
    pub original_deadline: Option<Sp<Date>>,
    /// The deadline now in force: the original one, or the last extension's.
    pub deadline: Option<Sp<Date>>,
    /// Extensions granted by Meetings of States Parties or Review Conferences, oldest first.
    #[serde(default)]
    pub extensions: Vec<Extension>,
    /// Whether the profile judges the state on track to meet the deadline.
    pub on_track: Option<Sp<bool>>,
}

/// One extension of the Article 5 deadline.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Extension {
    /// The meeting that granted it, by id from `checks/mbt-meetings.toml`, e.g. "MBT-19MSP".
    pub granted: Option<Sp<String>>,
    /// The new deadline.
    pub until: Sp<Date>,
    /// Citation key of the source.
    pub source: Option<Sp<String>>,
}

/// Mine Ban Policy: the Mine Ban Treaty's Article 7 transparency reports (an annual update is
/// due by 30 April, covering the calendar year before).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Article7 {
    /// Date the latest report was submitted.
    pub last_submitted: Option<Sp<Date>>,
    /// Reports submitted, one per calendar year covered, oldest first.
    #[serde(default)]
    pub reports: Vec<Article7Report>,
}

/// One Article 7 transparency report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Article7Report {
    /// The calendar year the report covers, e.g. 2022 for the report due by 30 April 2023.
    pub covers: Sp<i32>,
    /// Date it was submitted, when known.
    pub submitted: Option<Sp<Date>>,
    /// Citation key of the source.
    pub source: Option<Sp<String>>,
}
