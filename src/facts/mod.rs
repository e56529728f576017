//! The fact model at the centre of dossier.
//!
//! A [`Fact`] is one typed statement a record makes ([`Claim`]) plus where it was made
//! ([`Origin`]): a structured TOML field, or a sentence of prose recognised by a claim
//! pattern. Check, diff and render are views of the same set of facts, so a claim is
//! understood the same way everywhere.

pub mod claims;

use std::fmt;
use std::ops::Range;

use crate::record::{
    Article7, Attendance, Conduct, ConductFacts, ConventionStatus, Date, Record, Role, Sp, Status,
    Treaties, TreatyStanding, Vote, VoteCast,
};
use crate::registry::{Registry, TreatyId, record_treaty};

pub use claims::{ClaimPatterns, prose_facts};

/// A related treaty a record states membership of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Treaty {
    /// The 1997 Mine Ban Treaty.
    MineBanTreaty,
    /// The Convention on Conventional Weapons.
    Ccw,
}

impl Treaty {
    /// The treaty's usual name.
    pub fn label(self) -> &'static str {
        match self {
            Treaty::MineBanTreaty => "Mine Ban Treaty",
            Treaty::Ccw => "Convention on Conventional Weapons",
        }
    }
}

/// One of the four activities the convention bans (besides assistance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Activity {
    /// Use.
    Use,
    /// Production.
    Production,
    /// Transfer (import or export).
    Transfer,
    /// Stockpiling.
    Stockpiling,
}

impl Activity {
    /// Every activity, in the order profiles list them.
    pub const ALL: [Activity; 4] = [
        Activity::Use,
        Activity::Production,
        Activity::Transfer,
        Activity::Stockpiling,
    ];

    /// The activity as a noun ("use").
    pub fn label(self) -> &'static str {
        match self {
            Activity::Use => "use",
            Activity::Production => "production",
            Activity::Transfer => "transfer",
            Activity::Stockpiling => "stockpiling",
        }
    }
}

/// What contamination a sentence or table speaks of: mines, cluster munition remnants, or
/// (when it names neither) both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hazards {
    /// Landmines (antipersonnel mines, mined areas).
    pub mines: bool,
    /// Cluster munition remnants.
    pub cluster_munition_remnants: bool,
}

impl Hazards {
    /// The hazards a text names; both when it names neither.
    pub fn named_in(text: &str) -> Self {
        let lower = text.to_lowercase();
        let remnants = lower.contains("cluster munition") || lower.contains("submunition");
        let mines = lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w,
                "mine" | "mines" | "mined" | "landmine" | "landmines" | "minefield" | "minefields"
            )
        });
        if mines || remnants {
            Self {
                mines,
                cluster_munition_remnants: remnants,
            }
        } else {
            Self {
                mines: true,
                cluster_munition_remnants: true,
            }
        }
    }

    /// Whether the two speak of at least one hazard in common.
    pub fn overlap(self, other: Self) -> bool {
        (self.mines && other.mines)
            || (self.cluster_munition_remnants && other.cluster_munition_remnants)
    }

    /// " by mines", " by cluster munition remnants", or "" when both are meant.
    pub fn by(self) -> &'static str {
        match (self.mines, self.cluster_munition_remnants) {
            (true, false) => " by mines",
            (false, true) => " by cluster munition remnants",
            _ => "",
        }
    }
}

/// Which treaty-relevant date a [`Claim::Date`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateKind {
    /// Signature.
    Signed,
    /// Deposit of the instrument of ratification or accession.
    Deposited,
    /// Entry into force for the state (State Party from).
    InForce,
    /// Initial Article 7 report due.
    ReportDue,
    /// Article 3 stockpile destruction deadline.
    StockpileDeadline,
    /// Stockpile destruction completed.
    StockpileDestroyed,
    /// National implementation legislation adopted.
    Legislation,
    /// The latest Article 7 transparency report submitted.
    LastReport,
}

impl DateKind {
    /// A short label ("signature").
    pub fn label(self) -> &'static str {
        match self {
            DateKind::Signed => "signature",
            DateKind::Deposited => "ratification or accession",
            DateKind::InForce => "State Party",
            DateKind::ReportDue => "initial Article 7 report due",
            DateKind::StockpileDeadline => "stockpile destruction deadline",
            DateKind::StockpileDestroyed => "stockpile destruction completed",
            DateKind::Legislation => "implementation legislation",
            DateKind::LastReport => "latest Article 7 report submitted",
        }
    }
}

/// What a fact says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Claim {
    /// Standing towards the convention.
    Status(ConventionStatus),
    /// A treaty-relevant date.
    Date {
        /// Which date.
        kind: DateKind,
        /// The date.
        date: Date,
    },
    /// Standing towards a related treaty.
    Treaty {
        /// Which treaty.
        treaty: Treaty,
        /// The standing.
        standing: TreatyStanding,
    },
    /// Role at a registry meeting.
    Attendance {
        /// Registry id.
        meeting: String,
        /// The role.
        role: Role,
        /// For a meeting in parts, which part.
        part: Option<u32>,
    },
    /// A vote on a UNGA resolution.
    Vote {
        /// Registry id of the resolution ("ccm-2019", "76/47"), or `annual-YEAR` when the
        /// registry has no resolution for that year.
        resolution: String,
        /// For the annual resolution on the convention: its year.
        year: Option<i32>,
        /// The vote.
        vote: VoteCast,
    },
    /// What is known of one activity.
    Conduct {
        /// The activity.
        activity: Activity,
        /// What is known.
        conduct: Conduct,
    },
    /// The year the state made its statement on its conduct.
    ConductStated(i32),
    /// The date printed as "Last updated".
    LastUpdated(Date),
    /// A source in the citations table.
    Citation {
        /// Its key.
        key: String,
        /// Its text.
        text: String,
    },
    /// Prose: "last participated in a meeting of the convention in YEAR".
    LastMeetingYear {
        /// The year.
        year: i32,
        /// Whether the claim speaks of formal Meetings of States Parties only.
        formal_only: bool,
    },
    /// Prose: attended exactly this many meetings ("a meeting", "two meetings").
    MeetingCount {
        /// The count; `None` for vague plurals ("meetings", "a couple").
        count: Option<u32>,
        /// Whether the claim speaks of formal Meetings of States Parties only.
        formal_only: bool,
    },
    /// Prose: "its first and only meeting" of the convention.
    OnlyAttendance,
    /// Prose: "has taken part in all meetings of the convention".
    AllMeetings,
    /// Prose: "has not attended since YEAR" ("since then" resolved to a year).
    NotSince(i32),
    /// Prose: a vote in a given year (and month), e.g. "In December 2021, X voted in favor".
    VoteInYear {
        /// The year.
        year: i32,
        /// The month, when stated.
        month: Option<u32>,
        /// The vote.
        vote: VoteCast,
    },
    /// Prose: "has voted in favor of the annual resolution ... since YEAR" (or abstained...).
    VotedSince {
        /// The first year of the run.
        year: i32,
        /// The vote cast every year since.
        vote: VoteCast,
    },
    /// Prose: a list of activities stated together ("never used, produced, or exported").
    ActivityList {
        /// The activities named (export and import count as transfer).
        activities: Vec<Activity>,
        /// Whether the sentence denies them ("never", "does not").
        denied: bool,
    },
    /// Prose: a registry meeting named with a year and maybe a month.
    MeetingMention {
        /// Registry id the name resolved to.
        meeting: String,
        /// The year stated.
        year: i32,
        /// The month stated.
        month: Option<u32>,
    },
    /// One figure cell of a table, by table id, row (its first cell) and column heading.
    TableCell {
        /// The table's id.
        table: String,
        /// The row's name.
        row: String,
        /// The column's heading (with its position when two columns share a heading).
        column: String,
        /// The cell as printed.
        value: String,
    },
    /// A footnote on a table row, or on one cell of it.
    TableNote {
        /// The table's id.
        table: String,
        /// The row's name.
        row: String,
        /// The column's heading, for a note on one cell.
        column: Option<String>,
        /// The text of the citation it names (its key when the record lacks it).
        text: String,
    },
    /// Prose: a count of casualties in a year ("42 casualties in 2019").
    CasualtyCount {
        /// The year.
        year: i32,
        /// The number of casualties stated.
        count: u64,
    },
    /// An Article 7 transparency report, by the calendar year it covers.
    Article7Report {
        /// The year covered.
        covers: i32,
        /// When it was submitted, when known.
        submitted: Option<Date>,
    },
    /// Prose: whether the country is contaminated ("is contaminated by cluster munition
    /// remnants", "has no known contamination").
    Contamination {
        /// The hazards the sentence speaks of.
        hazards: Hazards,
        /// Whether it says there is contamination.
        contaminated: bool,
    },
    /// Prose: the extent of contamination in km² ("hazardous areas covering 4.35 km²").
    ContaminatedArea {
        /// The hazards the sentence speaks of.
        hazards: Hazards,
        /// The area as printed, in km².
        area: String,
    },
    /// Prose or footnote: a UNGA resolution cited by number, maybe with a date.
    ResolutionCited {
        /// The number, e.g. "76/47".
        number: String,
        /// The date stated, when complete.
        date: Option<Date>,
    },
}

/// Where a fact was stated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A structured field, e.g. `meetings[3]` or `status.signed`.
    Field {
        /// Dotted path of the field.
        path: String,
        /// Byte range of the value in the record's source.
        span: Range<usize>,
    },
    /// A sentence of prose matched by a claim pattern.
    Prose {
        /// The prose block: "summary", a section title, or "citation KEY".
        block: String,
        /// Byte range of the matched text in the record's source.
        span: Range<usize>,
        /// The matched sentence as written.
        sentence: String,
        /// The claim pattern that recognised it.
        pattern: String,
    },
}

impl Origin {
    /// Byte range in the record's source.
    pub fn span(&self) -> Range<usize> {
        match self {
            Origin::Field { span, .. } | Origin::Prose { span, .. } => span.clone(),
        }
    }

    /// Whether the fact comes from prose.
    pub fn is_prose(&self) -> bool {
        matches!(self, Origin::Prose { .. })
    }
}

/// One fact a record states, and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fact {
    /// What is stated.
    pub claim: Claim,
    /// Where.
    pub origin: Origin,
    /// The treaty the fact is about: a registry meeting's or resolution's treaty, the treaty
    /// a sentence names, else the record topic's; `None` for facts about no one treaty
    /// (membership of related treaties, citations, the last-updated date).
    pub treaty: Option<TreatyId>,
}

impl Fact {
    /// Whether the fact belongs with the facts about `treaty` (it is about it, or about no
    /// one treaty).
    pub fn concerns(&self, treaty: TreatyId) -> bool {
        self.treaty.is_none_or(|t| t == treaty)
    }
}

/// The treaty a structured field's fact is about.
fn field_treaty(claim: &Claim, record: &Record, registry: &Registry) -> Option<TreatyId> {
    match claim {
        Claim::Attendance { meeting, .. } => Some(
            registry
                .meeting(meeting)
                .map_or_else(|| record_treaty(record), |m| m.treaty),
        ),
        Claim::Vote { resolution, .. } => Some(
            registry
                .resolution(resolution)
                .map_or_else(|| record_treaty(record), |r| r.treaty),
        ),
        Claim::Treaty { .. } | Claim::LastUpdated(_) | Claim::Citation { .. } => None,
        _ => TreatyId::of_topic(record.topic.value),
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Claim::Status(s) => write!(f, "status: {}", s.label()),
            Claim::Date { kind, date } => write!(f, "{}: {date}", kind.label()),
            Claim::Treaty { treaty, standing } => {
                write!(f, "{}: {}", treaty.label(), standing.label())
            }
            Claim::Attendance {
                meeting,
                role,
                part,
            } => {
                let part = part.map(|p| format!(" part {p}")).unwrap_or_default();
                write!(f, "{meeting}{part}: {}", role.label())
            }
            Claim::Vote {
                resolution, vote, ..
            } => write!(f, "vote on {resolution}: {}", vote.label()),
            Claim::Conduct { activity, conduct } => {
                write!(f, "{}: {}", activity.label(), conduct.label())
            }
            Claim::ConductStated(y) => write!(f, "conduct statement made in {y}"),
            Claim::LastUpdated(d) => write!(f, "last updated {d}"),
            Claim::Citation { key, text } => write!(f, "citation {key}: {text}"),
            Claim::LastMeetingYear {
                year,
                formal_only: true,
            } => write!(f, "last Meeting of States Parties attended in {year}"),
            Claim::LastMeetingYear {
                year,
                formal_only: false,
            } => write!(f, "last meeting of the convention attended in {year}"),
            Claim::MeetingCount { count, .. } => match count {
                Some(n) => write!(f, "attended {n} meeting(s)"),
                None => write!(f, "attended several meetings"),
            },
            Claim::OnlyAttendance => write!(f, "attended only one meeting"),
            Claim::AllMeetings => write!(f, "attended all meetings"),
            Claim::NotSince(y) => write!(f, "has not attended since {y}"),
            Claim::VoteInYear { year, month, vote } => {
                write!(f, "voted {} in {}", vote.label(), month_year(*month, *year))
            }
            Claim::VotedSince { year, vote } => {
                write!(f, "voted {} every year since {year}", vote.label())
            }
            Claim::ActivityList { activities, denied } => {
                let names: Vec<&str> = activities.iter().map(|a| a.label()).collect();
                let did = if *denied { "never" } else { "did" };
                write!(f, "{did} {}", names.join(", "))
            }
            Claim::MeetingMention {
                meeting,
                year,
                month,
            } => write!(f, "{meeting} placed in {}", month_year(*month, *year)),
            Claim::CasualtyCount { .. }
            | Claim::Article7Report { .. }
            | Claim::Contamination { .. }
            | Claim::ContaminatedArea { .. }
            | Claim::TableCell { .. }
            | Claim::TableNote { .. }
            | Claim::ResolutionCited { .. } => fmt_topic_claim(self, f),
        }
    }
}

/// Writes the claims about a topic's own facts (casualties, reports, contamination, table
/// cells, cited resolutions); the other claims are written by `Display` itself.
fn fmt_topic_claim(claim: &Claim, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match claim {
        Claim::CasualtyCount { year, count } => write!(f, "{count} casualties in {year}"),
        Claim::Article7Report { covers, submitted } => {
            write!(f, "Article 7 report for {covers}")?;
            submitted.map_or(Ok(()), |d| write!(f, " submitted {d}"))
        }
        Claim::Contamination {
            hazards,
            contaminated: true,
        } => write!(f, "contaminated{}", hazards.by()),
        Claim::Contamination {
            hazards,
            contaminated: false,
        } => write!(f, "no known contamination{}", hazards.by()),
        Claim::ContaminatedArea { hazards, area } => {
            write!(f, "{area} km² contaminated{}", hazards.by())
        }
        Claim::TableCell {
            table,
            row,
            column,
            value,
        } => write!(f, "table {table}, {row}, {column}: {value}"),
        Claim::TableNote {
            table,
            row,
            column,
            text,
        } => {
            let place = column
                .as_ref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default();
            write!(f, "note in table {table}, {row}{place}: {text}")
        }
        Claim::ResolutionCited { number, date } => match date {
            Some(d) => write!(f, "resolution {number} of {d}"),
            None => write!(f, "resolution {number}"),
        },
        _ => Ok(()),
    }
}

/// "5/2013" for a month and year, "2013" for a year alone.
fn month_year(month: Option<u32>, year: i32) -> String {
    match month {
        Some(m) => format!("{m}/{year}"),
        None => year.to_string(),
    }
}

fn field(path: impl Into<String>, span: &Range<usize>) -> Origin {
    Origin::Field {
        path: path.into(),
        span: span.clone(),
    }
}

/// The facts stated by a record's structured fields, in source order.
pub fn field_facts(record: &Record, registry: &Registry) -> Vec<Fact> {
    let mut facts = Vec::new();
    if let Some(d) = &record.last_updated {
        facts.push(field_fact(
            Claim::LastUpdated(d.value),
            field("last_updated", &d.span),
        ));
    }
    if let Some(status) = &record.status {
        status_facts(status, &mut facts);
    }
    if let Some(t) = &record.treaties {
        treaty_facts(t, &mut facts);
    }
    attendance_facts(&record.meetings, &mut facts);
    vote_facts(&record.votes, registry, record_treaty(record), &mut facts);
    if let Some(c) = &record.conduct {
        conduct_facts(c, &mut facts);
    }
    if let Some(a) = &record.article7 {
        article7_facts(a, &mut facts);
    }
    for (claim, origin) in table_cells(record) {
        facts.push(field_fact(claim, origin));
    }
    for c in &record.citations {
        facts.push(field_fact(
            Claim::Citation {
                key: c.key.value.clone(),
                text: c.text.value.text.clone(),
            },
            field(format!("citations.{}", c.key.value), &c.text.span),
        ));
    }
    for fact in &mut facts {
        fact.treaty = field_treaty(&fact.claim, record, registry);
    }
    facts
}

/// A fact of a structured field; its treaty is decided once all field facts are known.
fn field_fact(claim: Claim, origin: Origin) -> Fact {
    Fact {
        claim,
        origin,
        treaty: None,
    }
}

/// A date fact of a field, when the field is set.
fn date_fact(path: &str, kind: DateKind, value: Option<&Sp<Date>>) -> Option<Fact> {
    value.map(|d| {
        field_fact(
            Claim::Date {
                kind,
                date: d.value,
            },
            field(path, &d.span),
        )
    })
}

/// The facts of the `[status]` table: standing and dates.
fn status_facts(status: &Status, facts: &mut Vec<Fact>) {
    facts.push(field_fact(
        Claim::Status(status.convention.value),
        field("status.convention", &status.convention.span),
    ));
    let dates = [
        ("status.signed", DateKind::Signed, &status.signed),
        ("status.deposited", DateKind::Deposited, &status.deposited),
        ("status.in_force", DateKind::InForce, &status.in_force),
        ("status.report_due", DateKind::ReportDue, &status.report_due),
        (
            "status.stockpile_deadline",
            DateKind::StockpileDeadline,
            &status.stockpile_deadline,
        ),
        (
            "status.legislation",
            DateKind::Legislation,
            &status.legislation,
        ),
    ];
    facts.extend(
        dates
            .into_iter()
            .filter_map(|(path, kind, value)| date_fact(path, kind, value.as_ref())),
    );
}

/// The facts of the `[treaties]` table.
fn treaty_facts(t: &Treaties, facts: &mut Vec<Fact>) {
    for (path, treaty, value) in [
        (
            "treaties.mine_ban_treaty",
            Treaty::MineBanTreaty,
            &t.mine_ban_treaty,
        ),
        ("treaties.ccw", Treaty::Ccw, &t.ccw),
    ] {
        if let Some(s) = value {
            facts.push(field_fact(
                Claim::Treaty {
                    treaty,
                    standing: s.value,
                },
                field(path, &s.span),
            ));
        }
    }
}

/// The facts of the `[[meetings]]` tables.
fn attendance_facts(meetings: &[Attendance], facts: &mut Vec<Fact>) {
    for (i, a) in meetings.iter().enumerate() {
        let claim = Claim::Attendance {
            meeting: a.meeting.value.clone(),
            role: a.role.value,
            part: a.part.as_ref().map(|p| p.value),
        };
        let span = a.meeting.span.start..a.role.span.end.max(a.meeting.span.end);
        facts.push(field_fact(claim, field(format!("meetings[{i}]"), &span)));
    }
}

/// The facts of the `[[votes]]` tables, each resolution named by its registry id.
fn vote_facts(votes: &[Vote], registry: &Registry, treaty: TreatyId, facts: &mut Vec<Fact>) {
    for (i, v) in votes.iter().enumerate() {
        let (resolution, year) = match (&v.resolution, &v.year) {
            (Some(r), _) => (
                registry
                    .resolution(&r.value)
                    .map_or(r.value.clone(), |res| res.id.clone()),
                None,
            ),
            (None, Some(y)) => (
                registry
                    .annual_resolution(treaty, y.value)
                    .map_or(format!("annual-{}", y.value), |r| r.id.clone()),
                Some(y.value),
            ),
            (None, None) => continue,
        };
        let start = v
            .year
            .as_ref()
            .map(|y| y.span.start)
            .or(v.resolution.as_ref().map(|r| r.span.start))
            .unwrap_or(v.vote.span.start);
        let span = start.min(v.vote.span.start)..v.vote.span.end.max(start);
        facts.push(field_fact(
            Claim::Vote {
                resolution,
                year,
                vote: v.vote.value,
            },
            field(format!("votes[{i}]"), &span),
        ));
    }
}

/// The facts of the `[conduct]` table.
fn conduct_facts(c: &ConductFacts, facts: &mut Vec<Fact>) {
    let activities = [
        ("conduct.used", Activity::Use, &c.used),
        ("conduct.produced", Activity::Production, &c.produced),
        ("conduct.transferred", Activity::Transfer, &c.transferred),
        ("conduct.stockpiled", Activity::Stockpiling, &c.stockpiled),
    ];
    for (path, activity, value) in activities {
        if let Some(v) = value {
            facts.push(field_fact(
                Claim::Conduct {
                    activity,
                    conduct: v.value,
                },
                field(path, &v.span),
            ));
        }
    }
    if let Some(y) = &c.stated {
        facts.push(field_fact(
            Claim::ConductStated(y.value),
            field("conduct.stated", &y.span),
        ));
    }
    facts.extend(date_fact(
        "conduct.stockpile_destroyed",
        DateKind::StockpileDestroyed,
        c.stockpile_destroyed.as_ref(),
    ));
}

/// The facts of the `[article7]` table: the latest report's date and each report.
fn article7_facts(a: &Article7, facts: &mut Vec<Fact>) {
    facts.extend(date_fact(
        "article7.last_submitted",
        DateKind::LastReport,
        a.last_submitted.as_ref(),
    ));
    for (i, r) in a.reports.iter().enumerate() {
        let end = r
            .submitted
            .as_ref()
            .map_or(r.covers.span.end, |s| s.span.end);
        facts.push(field_fact(
            Claim::Article7Report {
                covers: r.covers.value,
                submitted: r.submitted.as_ref().map(|s| s.value),
            },
            field(
                format!("article7.reports[{i}]"),
                &(r.covers.span.start..end.max(r.covers.span.end)),
            ),
        ));
    }
}

/// The cells of a record's tables after each row's first (which names the row), as facts.
fn table_cells(record: &Record) -> Vec<(Claim, Origin)> {
    let mut out = Vec::new();
    for t in &record.tables {
        let headings: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let shared = t.columns.iter().filter(|o| o.value == c.value).count() > 1;
                if shared {
                    format!("{} ({})", c.value, i + 1)
                } else {
                    c.value.clone()
                }
            })
            .collect();
        for row in &t.rows {
            let Some(name) = row.value.first() else {
                continue;
            };
            for (cell, column) in row.value.iter().zip(&headings).skip(1) {
                let claim = Claim::TableCell {
                    table: t.id.value.clone(),
                    row: name.value.clone(),
                    column: column.clone(),
                    value: cell.value.clone(),
                };
                let path = format!("tables.{}.{}.{column}", t.id.value, name.value);
                out.push((claim, field(path, &cell.span)));
            }
        }
        for n in &t.notes {
            let text = record
                .citation(&n.source.value)
                .map_or_else(|| n.source.value.clone(), |c| c.text.value.text.clone());
            let column = n.column.as_ref().map(|c| c.value.clone());
            let path = format!(
                "tables.{}.notes.{}{}",
                t.id.value,
                n.row.value,
                column.as_ref().map(|c| format!(".{c}")).unwrap_or_default()
            );
            let claim = Claim::TableNote {
                table: t.id.value.clone(),
                row: n.row.value.clone(),
                column,
                text,
            };
            out.push((claim, field(path, &n.source.span)));
        }
    }
    out
}

/// Every fact a record states: its structured fields, then its prose.
pub fn extract(record: &Record, registry: &Registry, patterns: &ClaimPatterns) -> Vec<Fact> {
    let mut facts = field_facts(record, registry);
    facts.extend(prose_facts(record, registry, patterns));
    facts
}
