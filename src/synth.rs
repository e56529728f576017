//! Synthetic corpora for benchmarks and tests: fictional countries with records shaped like
//! real ones.
//!
//! Each fictional country gets a history (signature, ratification or accession, meeting
//! attendance, annual UNGA votes, stated conduct) drawn from a small deterministic generator
//! seeded by [`SynthOptions::seed`]. Each edition then states what was known by its cutoff
//! (1 August of the edition year), in the monitor's stock phrasings, with footnotes and a
//! citations table. From one edition to the next the records drift as real ones do: new
//! votes and meetings, a country joining, reworded sentences and the odd corrected one.
//!
//! Meetings and resolutions come from the registry, so every reference resolves. Names are
//! made of syllables ("Varenia", "Oskaristan") and are clearly fictional.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::record::write::{WriteOptions, prose, write_record};
use crate::record::{
    Attendance, Citation, Conduct, ConductFacts, ConventionStatus, Date, DepositKind, Record, Role,
    Section, Sp, Status, Topic, Treaties, TreatyStanding, Vote, VoteCast, slugify,
};
use crate::registry::{
    Meeting, Registry, TreatyId, article7_report_due, article17_in_force, stockpile_deadline,
};

/// Generated records are of the cluster munition ban policy topic.
const CCM: TreatyId = TreatyId::ConventionOnClusterMunitions;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// Number of fictional countries (one record per country and edition).
    pub countries: usize,
    /// Number of consecutive editions, ending with `last_edition`.
    pub editions: usize,
    /// The most recent edition year.
    pub last_edition: i32,
    /// Seed of the generator: the same options give the same bytes.
    pub seed: u64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        Self {
            countries: 200,
            editions: 1,
            last_edition: 2023,
            seed: 1,
        }
    }
}

/// One generated record file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthFile {
    /// Path relative to the project root: `profiles/2023/varenia.toml`.
    pub path: PathBuf,
    /// The TOML text.
    pub text: String,
}

/// Generates every record of the corpus, edition by edition, countries in name order.
pub fn generate(options: &SynthOptions, registry: &Registry) -> Vec<SynthFile> {
    let mut rng = Rng::new(options.seed);
    let names = country_names(&mut rng, options.countries);
    let countries: Vec<Country> = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Country::new(&mut rng, name, i, registry))
        .collect();
    let first = options.last_edition - options.editions as i32 + 1;
    let mut files = Vec::new();
    for edition in first..=options.last_edition {
        for country in &countries {
            let record = country.record(edition, options.seed, registry);
            let heading = format!(
                "{}, {}, {edition} edition (synthetic record).",
                country.name,
                record.topic.label()
            );
            let options = WriteOptions {
                heading: vec![heading],
                annotate: false,
            };
            let text = write_record(&record, &options);
            files.push(SynthFile {
                path: PathBuf::from("profiles")
                    .join(edition.to_string())
                    .join(format!("{}.toml", slugify(&country.name))),
                text,
            });
        }
    }
    files
}

/// Writes the corpus under `dir` (as `dir/profiles/EDITION/NAME.toml`); returns the number
/// of records written.
pub fn write(dir: &Path, options: &SynthOptions, registry: &Registry) -> std::io::Result<usize> {
    let files = generate(options, registry);
    for file in &files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.text)?;
    }
    Ok(files.len())
}

/// A small deterministic generator (SplitMix64): enough for fictional data, no dependency.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A generator for one decision, independent of the order decisions are made in.
fn rng_for(seed: u64, parts: &[u64]) -> Rng {
    let mut rng = Rng::new(seed);
    for &p in parts {
        rng.0 ^= p.wrapping_mul(0x2545_F491_4F6C_DD1D);
        rng.next();
    }
    rng
}

const ONSETS: &[&str] = &[
    "Av", "Bel", "Cor", "Dar", "El", "Fen", "Gal", "Hal", "Ist", "Jor", "Kal", "Lor", "Mar", "Nor",
    "Os", "Pel", "Quar", "Ros", "Sel", "Tor", "Ul", "Var", "Wes", "Xan", "Yor", "Zel",
];
const MIDDLES: &[&str] = &[
    "a", "e", "i", "o", "u", "ar", "en", "is", "on", "ul", "am", "et", "ir", "or", "an",
];
const ENDINGS: &[&str] = &[
    "ia", "stan", "land", "ova", "ador", "ria", "nia", "mark", "onia", "ica",
];

/// Unique fictional names, sorted.
fn country_names(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(n);
    let mut seen = std::collections::HashSet::new();
    while names.len() < n {
        let mut name = rng.pick(ONSETS).to_string();
        name.push_str(rng.pick::<&str>(MIDDLES));
        if rng.chance(0.3) {
            name.push_str(&rng.pick(ONSETS).to_lowercase());
        }
        name.push_str(rng.pick::<&str>(ENDINGS));
        if seen.insert(slugify(&name)) {
            names.push(name);
        }
    }
    names.sort();
    names
}

/// A two-letter code from the country's index: unique for the first 676 countries.
fn iso_code(index: usize) -> String {
    let a = (b'A' + (index / 26 % 26) as u8) as char;
    let b = (b'A' + (index % 26) as u8) as char;
    format!("{a}{b}")
}

/// How a country stands and behaves, independent of any edition.
#[derive(Debug, Clone)]
struct Country {
    name: String,
    iso: String,
    index: usize,
    signed: Option<NaiveDate>,
    deposited: Option<NaiveDate>,
    mine_ban: TreatyStanding,
    ccw: TreatyStanding,
    /// Role per registry meeting (by index into the registry), `None` when not recorded.
    roles: Vec<Option<Role>>,
    /// (year, vote) for each annual resolution year the country voted on.
    votes: Vec<(i32, VoteCast)>,
    stockpiled: bool,
    stated: i32,
    /// Edition from which a misdated sentence is corrected (0 when never misdated).
    corrected_in: i32,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A date some time in the years `from..from + span`.
fn some_day(rng: &mut Rng, from: i32, span: usize) -> NaiveDate {
    date(
        from + rng.below(span) as i32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
}

/// When the country signed and deposited its instrument, if it did.
fn joining(rng: &mut Rng) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let kind = rng.below(100);
    if kind < 45 {
        // Signed, then ratified.
        let signed = if rng.chance(0.6) {
            date(2008, 12, 3)
        } else {
            some_day(rng, 2009, 2)
        };
        let deposit = some_day(rng, signed.year() + 1, 8);
        (Some(signed), Some(deposit))
    } else if kind < 60 {
        // Acceded.
        (None, Some(some_day(rng, 2011, 12)))
    } else if kind < 70 {
        (Some(date(2008, 12, 3)), None)
    } else {
        (None, None)
    }
}

/// The country's role at each registry meeting, `None` when not recorded.
fn meeting_roles(
    rng: &mut Rng,
    registry: &Registry,
    signed: Option<NaiveDate>,
    deposited: Option<NaiveDate>,
) -> Vec<Option<Role>> {
    let engaged = signed.is_some() || deposited.is_some();
    let presence = if engaged { 0.85 } else { 0.35 };
    registry
        .meetings
        .iter()
        .map(|m| {
            let start = m.start();
            let member =
                deposited.is_some_and(|d| d <= start) || signed.is_some_and(|s| s <= start);
            if rng.chance(0.1) {
                None
            } else if rng.chance(presence) {
                Some(if member {
                    Role::Attended
                } else {
                    Role::Observer
                })
            } else if rng.chance(0.5) {
                Some(Role::InvitedAbsent)
            } else {
                Some(Role::Absent)
            }
        })
        .collect()
}

/// The country's vote on each annual resolution in the registry.
fn annual_votes(rng: &mut Rng, registry: &Registry, engaged: bool) -> Vec<(i32, VoteCast)> {
    let favour = if engaged { 0.95 } else { 0.55 };
    (2015..=2030)
        .filter(|&year| registry.annual_resolution(CCM, year).is_some())
        .map(|year| {
            let vote = if rng.chance(favour) {
                VoteCast::Yes
            } else if rng.chance(0.6) {
                VoteCast::Abstain
            } else if rng.chance(0.5) {
                VoteCast::Absent
            } else {
                VoteCast::No
            };
            (year, vote)
        })
        .collect()
}

/// Standing towards a related treaty: party with probability `p`.
fn standing(rng: &mut Rng, p: f64) -> TreatyStanding {
    if rng.chance(p) {
        TreatyStanding::Party
    } else {
        TreatyStanding::NotParty
    }
}

/// What one edition knows of a country: the facts before its cutoff (1 August).
struct Known<'a> {
    signed: Option<NaiveDate>,
    deposited: Option<NaiveDate>,
    in_force: Option<NaiveDate>,
    status: ConventionStatus,
    meetings: Vec<(&'a Meeting, Role)>,
    votes: Vec<(i32, VoteCast)>,
    /// Year of the last meeting attended, as this edition states it (misdated until the
    /// country's correction).
    last_present: Option<i32>,
    updated: NaiveDate,
}

/// A record's prose and its footnotes as they are written.
#[derive(Default)]
struct Footnotes(Vec<(String, String)>);

impl Footnotes {
    fn add(&mut self, key: impl Into<String>, text: impl Into<String>) {
        self.0.push((key.into(), text.into()));
    }

    /// The citations table: each key once, in order of first use.
    fn into_citations(self) -> Vec<Citation> {
        let mut seen = std::collections::HashSet::new();
        self.0
            .into_iter()
            .filter(|(key, _)| seen.insert(key.clone()))
            .map(|(key, text)| Citation {
                key: Sp::detached(key),
                text: prose(text),
            })
            .collect()
    }
}

impl Country {
    fn new(rng: &mut Rng, name: String, index: usize, registry: &Registry) -> Self {
        let (signed, deposited) = joining(rng);
        let roles = meeting_roles(rng, registry, signed, deposited);
        let votes = annual_votes(rng, registry, signed.is_some() || deposited.is_some());
        Self {
            name,
            iso: iso_code(index),
            index,
            signed,
            deposited,
            mine_ban: standing(rng, 0.7),
            ccw: standing(rng, 0.6),
            roles,
            votes,
            stockpiled: rng.chance(0.2),
            stated: 2009 + rng.below(6) as i32,
            corrected_in: if rng.chance(0.15) {
                2012 + rng.below(12) as i32
            } else {
                0
            },
        }
    }

    /// What the edition `edition` knows of the country.
    fn known<'a>(&self, edition: i32, seed: u64, registry: &'a Registry) -> Known<'a> {
        let cutoff = date(edition, 8, 1);
        let signed = self.signed.filter(|d| *d < cutoff);
        let deposited = self.deposited.filter(|d| *d < cutoff);
        let status = match (signed, deposited) {
            (_, Some(_)) => ConventionStatus::StateParty,
            (Some(_), None) => ConventionStatus::Signatory,
            (None, None) => ConventionStatus::NonSignatory,
        };
        let meetings: Vec<(&Meeting, Role)> = registry
            .meetings
            .iter()
            .zip(&self.roles)
            .filter(|(m, _)| m.end() < cutoff)
            .filter_map(|(m, r)| r.map(|r| (m, r)))
            .collect();
        let misdated = self.corrected_in > edition && edition > 2010;
        let last_present = meetings
            .iter()
            .filter(|(_, r)| r.present())
            .map(|(m, _)| m.start().year())
            .max()
            .map(|year| if misdated { year - 1 } else { year });
        let updated = date(
            edition,
            6 + rng_for(seed, &[self.index as u64, edition as u64, 1]).below(3) as u32,
            1 + rng_for(seed, &[self.index as u64, edition as u64, 2]).below(28) as u32,
        );
        Known {
            signed,
            deposited,
            in_force: deposited.map(|d| article17_in_force(CCM, Date(d)).0),
            status,
            meetings,
            votes: self
                .votes
                .iter()
                .copied()
                .filter(|(y, _)| *y < edition)
                .collect(),
            last_present,
            updated,
        }
    }

    /// The sentence on use, production, transfer and stockpiling.
    fn conduct_sentence(&self) -> String {
        let name = &self.name;
        if self.stockpiled {
            format!("{name} has never used or produced cluster munitions, but has stockpiled them.")
        } else {
            format!(
                "{name} has never used, produced, transferred, or stockpiled cluster munitions."
            )
        }
    }

    /// The summary paragraph.
    fn summary(&self, known: &Known<'_>, w: &mut Writer) -> String {
        let name = &self.name;
        let label = known.status.label();
        let mut summary = vec![match (known.signed, known.deposited) {
            (Some(s), Some(d)) => format!(
                "{label} {name} signed the Convention on Cluster Munitions on {} and ratified it on {}.",
                long_date(s),
                long_date(d)
            ),
            (None, Some(d)) => format!(
                "{label} {name} acceded to the Convention on Cluster Munitions on {}.",
                long_date(d)
            ),
            (Some(s), None) => format!(
                "{label} {name} signed the Convention on Cluster Munitions on {}, but has not ratified it.",
                long_date(s)
            ),
            (None, None) => w.choose(
                "summary-status",
                &[
                    format!("{label} {name} has not taken any steps to join the Convention on Cluster Munitions."),
                    format!("{label} {name} has expressed interest in the Convention on Cluster Munitions, but has not joined it."),
                ],
            ),
        }];
        if let Some(year) = known.last_present {
            summary.push(format!(
                "{name} last participated in a meeting of the convention in {year}."
            ));
        }
        if let Some(&(year, VoteCast::Yes)) = known.votes.last() {
            summary.push(format!(
                "In December {year}, {name} voted in favor of a key United Nations (UN) resolution that promotes the convention."
            ));
        }
        summary.push(self.conduct_sentence());
        let mut text = wrap(&summary.join(" "));
        text.push('\n');
        text
    }

    /// The `[status]` table.
    fn status(&self, known: &Known<'_>) -> Status {
        let dated = |d: Option<NaiveDate>| d.map(|d| Sp::detached(Date(d)));
        let force = known.in_force.map(Date);
        Status {
            convention: Sp::detached(known.status),
            signed: dated(known.signed),
            deposited: dated(known.deposited),
            deposit_kind: known.deposited.map(|_| {
                Sp::detached(if known.signed.is_some() {
                    DepositKind::Ratification
                } else {
                    DepositKind::Accession
                })
            }),
            in_force: dated(known.in_force),
            report_due: force.map(|f| Sp::detached(article7_report_due(CCM, f))),
            stockpile_deadline: force.map(|f| Sp::detached(stockpile_deadline(CCM, f))),
            legislation: None,
        }
    }

    /// The `[conduct]` table.
    fn conduct(&self) -> ConductFacts {
        let stated = |c: Conduct| Some(Sp::detached(c));
        ConductFacts {
            used: stated(Conduct::Never),
            produced: stated(Conduct::Never),
            transferred: stated(if self.stockpiled {
                Conduct::NoEvidence
            } else {
                Conduct::Never
            }),
            stockpiled: stated(if self.stockpiled {
                Conduct::Yes
            } else {
                Conduct::Never
            }),
            stated: Some(Sp::detached(self.stated)),
            stockpile_destroyed: None,
            source: Some(Sp::detached(format!("letter-{}", self.stated))),
        }
    }

    /// The record of this country for one edition.
    fn record(&self, edition: i32, seed: u64, registry: &Registry) -> Record {
        let known = self.known(edition, seed, registry);
        let mut w = Writer::new(seed, self.index as u64, edition);
        let mut notes = Footnotes::default();
        let summary = self.summary(&known, &mut w);
        let policy = self.policy(&known, &mut w, &mut notes, registry, seed);
        let conduct = self.conduct_text(&mut w);
        let last_vote = known.votes.len().saturating_sub(1);
        Record {
            path: PathBuf::new(),
            source: Arc::from(""),
            country: Sp::detached(self.name.clone()),
            iso: Sp::detached(self.iso.clone()),
            topic: Sp::detached(Topic::ClusterMunitionBanPolicy),
            edition: Sp::detached(edition),
            last_updated: Some(Sp::detached(Date(known.updated))),
            needs_review: None,
            incomplete: None,
            status: Some(self.status(&known)),
            treaties: Some(Treaties {
                mine_ban_treaty: Some(Sp::detached(self.mine_ban)),
                ccw: Some(Sp::detached(self.ccw)),
            }),
            overview: None,
            meetings: known
                .meetings
                .iter()
                .map(|(m, role)| Attendance {
                    meeting: Sp::detached(m.id.clone()),
                    role: Sp::detached(*role),
                    part: None,
                    source: None,
                })
                .collect(),
            votes: (known.votes.iter().enumerate())
                .map(|(i, &(year, vote))| Vote {
                    year: Some(Sp::detached(year)),
                    resolution: None,
                    vote: Sp::detached(vote),
                    source: (i == last_vote).then(|| Sp::detached(format!("unga-{year}"))),
                })
                .collect(),
            conduct: Some(self.conduct()),
            summary_label: None,
            summary: Some(prose(summary)),
            sections: vec![
                section("Policy", &policy),
                section("Use, production, transfer, and stockpiling", &conduct),
            ],
            clearance: None,
            article7: None,
            tables: Vec::new(),
            citations: notes.into_citations(),
            suppress: Vec::new(),
        }
    }

    /// The first paragraph of the policy section: how the country stands, and its letter.
    fn standing_paragraph(
        &self,
        known: &Known<'_>,
        w: &mut Writer,
        notes: &mut Footnotes,
    ) -> String {
        let name = &self.name;
        let treaty_source = || {
            format!(
                "Convention on Cluster Munitions, status of {name}, United Nations Treaty Collection, accessed {}.",
                long_date(known.updated)
            )
        };
        let mut para = Vec::new();
        match (known.signed, known.deposited) {
            (Some(s), Some(d)) => {
                para.push(format!("{name} signed the Convention on Cluster Munitions on {} and ratified on {}.[^un-treaty]", long_date(s), long_date(d)));
                notes.add("un-treaty", treaty_source());
            }
            (None, Some(d)) => {
                para.push(format!("{name} acceded to the convention on {}.[^un-treaty]", long_date(d)));
                notes.add("un-treaty", treaty_source());
            }
            (Some(s), None) => para.push(format!("{name} signed the convention on {}, but it has not ratified it.", long_date(s))),
            (None, None) => para.push(w.choose("policy-open", &[
                format!("The Republic of {name} has not acceded to the Convention on Cluster Munitions."),
                format!("{name} remains outside the Convention on Cluster Munitions."),
            ])),
        }
        if let Some(force) = known.in_force {
            para.push(format!(
                "The convention entered into force for {name} on {}.",
                long_date(force)
            ));
            let due = article7_report_due(CCM, Date(force)).0;
            para.push(format!(
                "Its initial Article 7 transparency report is due by {}.",
                long_date(due)
            ));
        }
        para.push(format!(
            "{name}'s most recent comment on the convention came in a {} letter to the Monitor.[^letter-{}]",
            self.stated, self.stated
        ));
        let letter = date(
            self.stated,
            3 + (self.index % 8) as u32,
            1 + (self.index % 27) as u32,
        );
        notes.add(
            format!("letter-{}", self.stated),
            format!(
                "Letter from the Ministry of Foreign Affairs of {name} to the Monitor, {}.",
                long_date(letter)
            ),
        );
        para.join(" ")
    }

    /// The paragraph on meetings: the last one attended, an invitation declined.
    fn meetings_paragraph(&self, known: &Known<'_>, notes: &mut Footnotes) -> Option<String> {
        let name = &self.name;
        let mut para = Vec::new();
        if let Some(year) = known.last_present {
            para.push(format!(
                "{name} last participated in a meeting of the convention in {year}."
            ));
            let last = known.meetings.iter().rev().find(|(_, r)| r.present());
            if let Some((m, _)) = last {
                let key = format!("statement-{}", slugify(&m.id));
                para.push(format!(
                    "It took part in the {} in {}.[^{key}]",
                    m.name,
                    m.when_where()
                ));
                notes.add(
                    key,
                    format!("Statement of {name}, {}, {}.", m.name, m.when_where()),
                );
            }
        } else if !known.meetings.is_empty() {
            para.push(format!(
                "{name} has never participated in a meeting of the convention."
            ));
        }
        let declined = known
            .meetings
            .iter()
            .rev()
            .find(|(_, r)| *r == Role::InvitedAbsent);
        if let Some((m, _)) = declined {
            para.push(format!(
                "It was invited to, but did not attend, the convention's {}.",
                m.name
            ));
        }
        (!para.is_empty()).then(|| para.join(" "))
    }

    /// The sentences on the latest UNGA vote and the streak of votes in favour.
    fn vote_sentences(
        &self,
        known: &Known<'_>,
        notes: &mut Footnotes,
        registry: &Registry,
    ) -> Vec<String> {
        let name = &self.name;
        let Some(&(year, vote)) = known.votes.last() else {
            return Vec::new();
        };
        let mut para = vec![match vote {
            VoteCast::Yes => format!(
                "In December {year}, {name} voted in favor of a key UNGA resolution that calls on states outside the convention to “join as soon as possible.”[^unga-{year}]"
            ),
            VoteCast::Abstain => format!(
                "{name} abstained from the vote on the annual UNGA resolution promoting the convention in {year}.[^unga-{year}]"
            ),
            VoteCast::Absent => format!(
                "{name} was absent from the vote on the annual UNGA resolution promoting the convention in {year}.[^unga-{year}]"
            ),
            VoteCast::No => format!(
                "{name} voted against the annual UNGA resolution promoting the convention in {year}.[^unga-{year}]"
            ),
        }];
        let number = registry
            .annual_resolution(CCM, year)
            .and_then(|r| r.number.clone())
            .unwrap_or_else(|| format!("of {year}"));
        notes.add(format!("unga-{year}"), format!("“Implementation of the Convention on Cluster Munitions,” UNGA Resolution {number}, December {year}."));
        let streak = known
            .votes
            .iter()
            .rev()
            .take_while(|(_, v)| *v == VoteCast::Yes)
            .last();
        if vote == VoteCast::Yes
            && let Some(&(since, _)) = streak
            && since < year
        {
            para.push(format!("It has voted in favor of the annual resolution promoting the convention since {since}."));
        }
        para
    }

    /// The sentence on the Mine Ban Treaty and the CCW.
    fn treaties_sentence(&self) -> String {
        let name = &self.name;
        match (self.mine_ban, self.ccw) {
            (TreatyStanding::Party, TreatyStanding::Party) => format!(
                "{name} is party to the Mine Ban Treaty and the Convention on Conventional Weapons (CCW)."
            ),
            (TreatyStanding::Party, _) => format!(
                "{name} is party to the Mine Ban Treaty, but not to the Convention on Conventional Weapons (CCW)."
            ),
            (_, TreatyStanding::Party) => format!(
                "{name} is party to the Convention on Conventional Weapons (CCW), but not to the Mine Ban Treaty."
            ),
            _ => format!(
                "{name} is not party to the Mine Ban Treaty or the Convention on Conventional Weapons (CCW)."
            ),
        }
    }

    /// The policy section's paragraphs.
    fn policy(
        &self,
        known: &Known<'_>,
        w: &mut Writer,
        notes: &mut Footnotes,
        registry: &Registry,
        seed: u64,
    ) -> Vec<String> {
        let mut policy = vec![
            self.standing_paragraph(known, w, notes),
            w.filler(&self.name, 3),
        ];
        policy.extend(self.meetings_paragraph(known, notes));
        let mut para = self.vote_sentences(known, notes, registry);
        para.push(self.treaties_sentence());
        policy.push(para.join(" "));
        if rng_for(seed, &[self.index as u64, 7]).chance(0.6) {
            policy.push(w.filler(&self.name, 4));
        }
        policy
    }

    /// The paragraphs of the section on use, production, transfer and stockpiling. The
    /// statement denies what the summary denies, as in the published profiles.
    fn conduct_text(&self, w: &mut Writer) -> Vec<String> {
        let name = &self.name;
        let denied = if self.stockpiled {
            "used or produced"
        } else {
            "used, produced, transferred, or stockpiled"
        };
        let stated = self.stated;
        let mut conduct = vec![format!(
            "{name} told the Monitor in {stated} that it has never {denied} cluster munitions.[^letter-{stated}]"
        )];
        if self.stockpiled {
            conduct.push(format!("{name} holds a stockpile of cluster munitions whose size it has not disclosed. {}", w.choose("stockpile", &[
                "It has said that it is considering options for the destruction of the stockpile.".to_string(),
                "Officials have indicated that a destruction plan is under preparation.".to_string(),
            ])));
        } else {
            conduct.push(self.conduct_sentence());
        }
        conduct
    }
}

/// A section whose paragraphs are wrapped as editors write them.
fn section(title: &str, paragraphs: &[String]) -> Section {
    let mut text = paragraphs
        .iter()
        .map(|p| wrap(p))
        .collect::<Vec<_>>()
        .join("\n\n");
    text.push('\n');
    Section {
        title: Sp::detached(title.to_string()),
        text: prose(text),
    }
}

/// Chooses wordings for one record: a wording stays from one edition to the next most of the
/// time, and changes now and then, as editors reword.
struct Writer {
    seed: u64,
    country: u64,
    edition: i32,
}

impl Writer {
    fn new(seed: u64, country: u64, edition: i32) -> Self {
        Self {
            seed,
            country,
            edition,
        }
    }

    /// The wording period of a slot: editions in the same period share a wording.
    fn period(&self, slot: &str) -> u64 {
        let salt = slot
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        let length = 2 + (salt ^ self.country) % 4;
        ((self.edition as u64) + salt % length) / length
    }

    fn choose(&mut self, slot: &str, options: &[String]) -> String {
        let salt = slot
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        let mut rng = rng_for(self.seed, &[self.country, salt, self.period(slot)]);
        rng.pick(options).clone()
    }

    /// A paragraph of `n` sentences without checkable claims.
    fn filler(&mut self, name: &str, n: usize) -> String {
        let salt = n as u64 * 7919;
        let mut rng = rng_for(self.seed, &[self.country, salt, self.period("filler")]);
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < n.min(FILLER.len()) {
            let i = rng.below(FILLER.len());
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked
            .iter()
            .map(|&i| FILLER[i].replace("{name}", name))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

const FILLER: &[&str] = &[
    "{name} has expressed support for the humanitarian objectives of the convention on several occasions.",
    "Officials of {name} told the Monitor that the question of joining remains under review by the relevant ministries.",
    "{name} has taken part in regional workshops on the convention organized by other states and civil society.",
    "There are no reports of cluster munition remnants on the territory of {name}.",
    "Civil society groups in {name} have urged the government to take further steps on the convention.",
    "{name} has not elaborated its views on the convention in statements to the UN General Assembly First Committee.",
    "The government of {name} has described the humanitarian harm caused by cluster munitions as unacceptable.",
    "A delegation of {name} met representatives of the Cluster Munition Coalition to discuss the convention.",
    "{name} has condemned the use of cluster munitions in recent conflicts in general terms.",
    "No national implementation measures have been reported by {name} to date.",
    "{name} has said that its armed forces do not include cluster munitions in their doctrine.",
    "The Monitor has not received further information on the policy of {name} in the reporting period.",
];

/// Wraps prose at about 95 columns, as editors write records.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.len() > 95 {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}
