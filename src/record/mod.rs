//! The record model: one country, one topic, one yearly edition.
//!
//! A [`Record`] is loaded from TOML by [`load`](crate::record::load); every value keeps the
//! byte span it was read from, so that diagnostics can point back into the file.

pub mod countries;
mod load;
pub mod prose;
pub mod schema;
pub mod table;
pub mod topics;
mod unclosed;
pub mod write;

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

pub use load::{LoadError, LoadProblem, did_you_mean, load_record, parse_record};
pub use prose::{BrokenMarker, Prose, Segment};
pub use table::{Table, TableNote};
pub use topics::{Article7, Article7Report, Clearance, Extension};
pub use write::to_toml;

/// A value with the byte range of the TOML source it was read from.
///
/// Values built in code (not read from a file) carry an empty span at 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sp<T> {
    /// The value itself.
    pub value: T,
    /// Byte range in the record's source text.
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    /// Wraps a value with its span.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }

    /// Wraps a value that has no source position.
    pub fn detached(value: T) -> Self {
        Self { value, span: 0..0 }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A calendar date as written in records (`2022-08-25`, a TOML local date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar date written as a TOML local date, e.g. 2022-08-25.",
            "type": "string",
            "format": "date"
        })
    }
}

impl fmt::Display for Date {
    /// Formats as the profiles print dates: `6 December 2021`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%-d %B %Y"))
    }
}

/// The English name of month `month` (1 = January).
pub fn month_name(month: u32) -> Option<&'static str> {
    let month = chrono::Month::try_from(u8::try_from(month).ok()?).ok()?;
    Some(month.name())
}

/// The number (1 = January) of an English month name written out in full, in any case.
pub fn month_number(name: &str) -> Option<u32> {
    let month: chrono::Month = name.parse().ok()?;
    month
        .name()
        .eq_ignore_ascii_case(name)
        .then(|| month.number_from_month())
}

/// Declares a closed set of string values (a TOML string that must be one of a list).
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The keyword as written in records.
            pub fn keyword(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The human label used in rendered profiles.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the keyword as written in records.
            pub fn from_keyword(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.keyword())
            }
        }
    };
}

keyword_enum! {
    /// The five topics the monitor publishes per country.
    Topic {
        /// Cluster Munition Ban Policy (the default topic).
        ClusterMunitionBanPolicy = "cluster-munition-ban-policy" => "Cluster Munition Ban Policy",
        /// Mine Ban Policy.
        MineBanPolicy = "mine-ban-policy" => "Mine Ban Policy",
        /// Mine Action.
        MineAction = "mine-action" => "Mine Action",
        /// Casualties and Victim Assistance.
        CasualtiesAndVictimAssistance = "casualties-and-victim-assistance" => "Casualties and Victim Assistance",
        /// Support for Mine Action.
        SupportForMineAction = "support-for-mine-action" => "Support for Mine Action",
    }
}

impl Topic {
    /// The Monitor series that publishes the topic: the Cluster Munition Monitor for the
    /// cluster munition ban, the Landmine Monitor for the four mine topics.
    pub fn monitor(self) -> &'static str {
        match self {
            Topic::ClusterMunitionBanPolicy => CLUSTER_MUNITION_MONITOR,
            Topic::MineBanPolicy
            | Topic::MineAction
            | Topic::CasualtiesAndVictimAssistance
            | Topic::SupportForMineAction => LANDMINE_MONITOR,
        }
    }

    /// The topic whose label (as printed) is `label`.
    pub fn from_label(label: &str) -> Option<Self> {
        Topic::ALL.iter().copied().find(|t| t.label() == label)
    }
}

/// The series of the cluster munition topic.
pub const CLUSTER_MUNITION_MONITOR: &str = "Cluster Munition Monitor";
/// The series of the mine topics.
pub const LANDMINE_MONITOR: &str = "Landmine Monitor";
/// The Monitor as a whole, publisher of both series: for documents that span them.
pub const LANDMINE_AND_CLUSTER_MUNITION_MONITOR: &str = "Landmine and Cluster Munition Monitor";

/// The Monitor that publishes documents of `topics`: one series' name when they are all
/// its own, the Monitor as a whole otherwise (and when there are none).
pub fn monitor_of(topics: impl IntoIterator<Item = Topic>) -> &'static str {
    let mut series = topics.into_iter().map(Topic::monitor);
    match series.next() {
        Some(first) if series.all(|s| s == first) => first,
        _ => LANDMINE_AND_CLUSTER_MUNITION_MONITOR,
    }
}

/// A topic name that is none of the five topics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown topic; one of: {}", Topic::ALL.iter().map(|t| t.keyword()).collect::<Vec<_>>().join(", "))]
pub struct UnknownTopic(pub String);

impl std::str::FromStr for Topic {
    type Err = UnknownTopic;

    /// Parses a topic keyword as written in records and on the command line.
    fn from_str(text: &str) -> Result<Self, UnknownTopic> {
        Topic::from_keyword(text).ok_or_else(|| UnknownTopic(text.to_string()))
    }
}

keyword_enum! {
    /// A state's standing towards the Convention on Cluster Munitions.
    ConventionStatus {
        /// Bound by the convention (ratified or acceded, in force for it).
        StateParty = "state-party" => "State Party",
        /// Signed but not ratified.
        Signatory = "signatory" => "Signatory",
        /// Neither signed nor acceded.
        NonSignatory = "non-signatory" => "Non-signatory",
    }
}

keyword_enum! {
    /// How a state consented to be bound.
    DepositKind {
        /// Ratification after signature.
        Ratification = "ratification" => "Ratified",
        /// Accession without prior signature.
        Accession = "accession" => "Acceded",
    }
}

keyword_enum! {
    /// Standing towards a related treaty (Mine Ban Treaty, CCW).
    TreatyStanding {
        /// A State Party / High Contracting Party.
        Party = "party" => "State Party",
        /// Signed, not ratified.
        Signatory = "signatory" => "Signatory",
        /// Not party.
        NotParty = "not-party" => "Not party",
    }
}

keyword_enum! {
    /// A state's role at a registry meeting.
    Role {
        /// Took part as a State Party or signatory.
        Attended = "attended" => "Attended",
        /// Took part as an observer.
        Observer = "observer" => "Observer",
        /// Was invited and did not come.
        InvitedAbsent = "invited-absent" => "Invited, did not attend",
        /// Did not attend (invitation not stated).
        Absent = "absent" => "Did not attend",
        /// Was not invited.
        NotInvited = "not-invited" => "Not invited",
    }
}

impl Role {
    /// Whether the state was present at the meeting.
    pub fn present(self) -> bool {
        matches!(self, Role::Attended | Role::Observer)
    }
}

keyword_enum! {
    /// A vote cast on a UN General Assembly resolution.
    VoteCast {
        /// Voted in favour.
        Yes = "yes" => "Yes",
        /// Voted against.
        No = "no" => "No",
        /// Abstained.
        Abstain = "abstain" => "Abstain",
        /// Absent from the vote.
        Absent = "absent" => "Absent",
    }
}

keyword_enum! {
    /// What is known of one activity (use, production, transfer, stockpiling).
    Conduct {
        /// The state says it never did it.
        Never = "never" => "Never",
        /// No evidence that it did.
        NoEvidence = "no-evidence" => "No evidence",
        /// It did, or still does.
        Yes = "yes" => "Yes",
        /// Credibly alleged, denied by the state.
        Alleged = "alleged" => "Alleged, denied",
    }
}

impl Conduct {
    /// Whether the record states the activity did not happen.
    pub fn denies(self) -> bool {
        matches!(self, Conduct::Never | Conduct::NoEvidence)
    }
}

/// One country's profile on one topic in one edition.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "dossier record", deny_unknown_fields)]
pub struct Record {
    /// Where the record was read from (as given, relative paths kept relative).
    #[serde(skip)]
    #[schemars(skip)]
    pub path: PathBuf,
    /// The full TOML source, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub source: Arc<str>,
    /// Country name as printed, e.g. "Kyrgyzstan".
    pub country: Sp<String>,
    /// ISO 3166-1 alpha-2 code, e.g. "KG"; for an area without one, the Monitor's own code or a slug, e.g. "somaliland".
    pub iso: Sp<String>,
    /// The profile's topic.
    pub topic: Sp<Topic>,
    /// Edition year (the monitor's report year).
    pub edition: Sp<i32>,
    /// Date printed as "Last updated"; omitted when the page has none.
    pub last_updated: Option<Sp<Date>>,
    /// A note that the record needs an editor's review (set by `dossier rollover`).
    pub needs_review: Option<Sp<String>>,
    /// Set by `dossier import` when the source text was cut off: what is missing.
    pub incomplete: Option<Sp<String>>,
    /// Standing towards the topic's treaty: the Convention on Cluster Munitions, or the Mine
    /// Ban Treaty in a Mine Ban Policy record.
    pub status: Option<Status>,
    /// Standing towards related treaties.
    pub treaties: Option<Treaties>,
    /// The overview block of the 2010–2014 pages, value by value, as published.
    pub overview: Option<Overview>,
    /// Meeting attendance, each a reference to `checks/meetings.toml`.
    #[serde(default)]
    pub meetings: Vec<Attendance>,
    /// UN General Assembly votes.
    #[serde(default)]
    pub votes: Vec<Vote>,
    /// Use, production, transfer and stockpiling.
    pub conduct: Option<ConductFacts>,
    /// The label the summary was published under when it is not plain "Summary", e.g.
    /// "Five-Year Summary" or "Ten-Year Review" (without the colon).
    pub summary_label: Option<Sp<String>>,
    /// The summary paragraph(s), set apart at the top of the profile.
    pub summary: Option<Sp<Prose>>,
    /// Titled prose sections, in order.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Mine Action: the Article 5 clearance deadline and its extensions.
    pub clearance: Option<Clearance>,
    /// Mine Ban Policy: the Mine Ban Treaty's Article 7 transparency reports.
    pub article7: Option<Article7>,
    /// Tables of figures (contamination, clearance, casualties...), printed as tables.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// Sources cited in the prose with `[^key]`, in order of definition.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, Prose>", extend("default" = {}))]
    pub citations: Vec<Citation>,
    /// Checker findings excused on purpose, each with its reason.
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// Treaty status and the dates that come with it (the Mine Ban Treaty's in a Mine Ban Policy
/// record: Article 17 entry into force, Article 7 report, Article 4 stockpile deadline).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Status {
    /// State Party, signatory or non-signatory.
    pub convention: Sp<ConventionStatus>,
    /// Date of signature.
    pub signed: Option<Sp<Date>>,
    /// Date the instrument of ratification or accession was deposited.
    pub deposited: Option<Sp<Date>>,
    /// Whether the deposit was a ratification or an accession.
    pub deposit_kind: Option<Sp<DepositKind>>,
    /// Date the convention entered into force for the state (Article 17).
    pub in_force: Option<Sp<Date>>,
    /// Due date of the initial Article 7 transparency report.
    pub report_due: Option<Sp<Date>>,
    /// Article 3 stockpile destruction deadline.
    pub stockpile_deadline: Option<Sp<Date>>,
    /// Date national implementation legislation was adopted.
    pub legislation: Option<Sp<Date>>,
}

/// Standing towards the convention's neighbour treaties.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Treaties {
    /// The 1997 Mine Ban Treaty.
    pub mine_ban_treaty: Option<Sp<TreatyStanding>>,
    /// The Convention on Conventional Weapons.
    pub ccw: Option<Sp<TreatyStanding>>,
}

/// The overview block of the 2010–2014 pages: label lines each followed by a value line.
///
/// Each value is kept as published (an empty string when the page printed the label with an
/// empty value line); facts are recognised in it like in any other prose.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Overview {
    /// Value under "Convention on Cluster Munitions status" (or the Mine Ban Treaty's).
    pub status: Option<Sp<Prose>>,
    /// Value under "National implementation legislation" (pages from 2013 on).
    pub legislation: Option<Sp<Prose>>,
    /// Value under "Participation in ... meetings".
    pub participation: Option<Sp<Prose>>,
    /// Value under "Key developments".
    pub key_developments: Option<Sp<Prose>>,
}

/// Attendance at one registry meeting.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Attendance {
    /// Registry id, e.g. "3MSP" (see `checks/meetings.toml`).
    pub meeting: Sp<String>,
    /// The state's role.
    pub role: Sp<Role>,
    /// For a meeting held in parts, the part (1-based) this entry is about.
    pub part: Option<Sp<u32>>,
    /// Citation key of the source.
    pub source: Option<Sp<String>>,
}

/// One UN General Assembly vote.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Vote {
    /// Year of the annual resolution on the convention (when `resolution` is not given).
    pub year: Option<Sp<i32>>,
    /// Registry id of another resolution, e.g. "68/182" (see `checks/resolutions.toml`).
    pub resolution: Option<Sp<String>>,
    /// The vote cast.
    pub vote: Sp<VoteCast>,
    /// Citation key of the source.
    pub source: Option<Sp<String>>,
}

/// Use, production, transfer and stockpiling.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ConductFacts {
    /// Use of cluster munitions.
    pub used: Option<Sp<Conduct>>,
    /// Production.
    pub produced: Option<Sp<Conduct>>,
    /// Transfer (import or export).
    pub transferred: Option<Sp<Conduct>>,
    /// Stockpiling.
    pub stockpiled: Option<Sp<Conduct>>,
    /// Year the state made the statement.
    pub stated: Option<Sp<i32>>,
    /// Date stockpile destruction was completed.
    pub stockpile_destroyed: Option<Sp<Date>>,
    /// Citation key of the source.
    pub source: Option<Sp<String>>,
}

/// A titled prose section.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Section {
    /// Heading as printed; empty when the published page lost it.
    pub title: Sp<String>,
    /// The section's paragraphs (blank lines separate paragraphs).
    pub text: Sp<Prose>,
}

/// One source in the citations table.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Citation {
    /// The key used in `[^key]` markers.
    pub key: Sp<String>,
    /// The footnote text (prose: italics allowed).
    pub text: Sp<Prose>,
}

/// A checker finding excused on purpose.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Suppression {
    /// Rule code or name, e.g. "DOS101" or "last-meeting-contradiction".
    pub rule: Sp<String>,
    /// Why the finding is wrong or accepted: required.
    pub reason: Sp<String>,
    /// Optional text the finding must mention (narrows the suppression).
    pub matching: Option<Sp<String>>,
}

impl Record {
    /// The file stem that identifies the record within its edition: `kyrgyzstan` for the
    /// default topic, `kyrgyzstan.mine-action` for the others.
    pub fn slug(&self) -> String {
        record_slug(&self.country.value, self.topic.value)
    }

    /// `kyrgyzstan.toml` and so on: the file name the record should have.
    pub fn file_name(&self) -> String {
        format!("{}.toml", self.slug())
    }

    /// Every prose block of the record with a name for it: the summary, then the sections.
    pub fn prose_blocks(&self) -> impl Iterator<Item = (String, &Sp<Prose>)> {
        self.summary
            .iter()
            .map(|p| ("summary".to_string(), p))
            .chain(self.sections.iter().enumerate().map(|(i, s)| {
                let name = if s.title.is_empty() {
                    format!("section {}", i + 1)
                } else {
                    s.title.value.clone()
                };
                (name, &s.text)
            }))
    }

    /// Looks up a citation by key.
    pub fn citation(&self, key: &str) -> Option<&Citation> {
        self.citations.iter().find(|c| c.key.value == key)
    }

    /// 1-based line and column of a byte offset in the record's source.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.source, offset)
    }
}

/// Whether `code` can identify a country or area: two capital letters (an ISO 3166-1 alpha-2
/// code or the Monitor's own, such as "XK"), or, for an area without one, a slug of lower-case
/// letters and digits joined by single hyphens ("nagorno-karabakh").
pub fn is_area_code(code: &str) -> bool {
    let iso = code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase());
    let slug = code.len() > 2
        && code.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    iso || slug
}

/// Lower-case ASCII slug of a name: letters and digits kept, everything else one `-`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = fold_latin(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("unnamed");
    }
    slug
}

/// File stem of a record: the country slug, plus `.topic` for topics other than the default.
pub fn record_slug(country: &str, topic: Topic) -> String {
    let country = slugify(country);
    if topic == Topic::ClusterMunitionBanPolicy {
        country
    } else {
        format!("{country}.{}", topic.keyword())
    }
}

/// Maps common accented Latin letters to their base letter for slugs (Côte → cote).
fn fold_latin(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_name_the_monitor_series_of_their_topics() {
        use Topic::*;
        assert_eq!(
            monitor_of([ClusterMunitionBanPolicy]),
            "Cluster Munition Monitor"
        );
        assert_eq!(
            monitor_of([MineBanPolicy, MineAction, SupportForMineAction]),
            "Landmine Monitor"
        );
        assert_eq!(
            monitor_of([MineAction, ClusterMunitionBanPolicy]),
            "Landmine and Cluster Munition Monitor"
        );
        assert_eq!(monitor_of([]), "Landmine and Cluster Munition Monitor");
        for topic in Topic::ALL {
            assert_eq!(Topic::from_label(topic.label()), Some(*topic));
        }
        assert_eq!(Topic::from_label("Cluster munitions"), None);
    }
}
