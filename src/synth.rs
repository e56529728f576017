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

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::record::{Role, slugify};
use crate::registry::{
    Registry, TreatyId, article7_report_due, article17_in_force, stockpile_deadline,
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
            let text = country.record(edition, options.seed, registry);
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
    mine_ban: &'static str,
    ccw: &'static str,
    /// Role per registry meeting (by index into the registry), `None` when not recorded.
    roles: Vec<Option<Role>>,
    /// (year, vote) for each annual resolution year the country voted on.
    votes: Vec<(i32, &'static str)>,
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

impl Country {
    #[expect(
        clippy::too_many_lines,
        reason = "long function: split into named steps"
    )]
    fn new(rng: &mut Rng, name: String, index: usize, registry: &Registry) -> Self {
        let kind = rng.below(100);
        let (signed, deposited) = if kind < 45 {
            // Signed, then ratified.
            let signed = if rng.chance(0.6) {
                date(2008, 12, 3)
            } else {
                date(
                    2009 + rng.below(2) as i32,
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
            };
            let deposit = date(
                signed.year() + 1 + rng.below(8) as i32,
                1 + rng.below(12) as u32,
                1 + rng.below(28) as u32,
            );
            (Some(signed), Some(deposit))
        } else if kind < 60 {
            // Acceded.
            let deposit = date(
                2011 + rng.below(12) as i32,
                1 + rng.below(12) as u32,
                1 + rng.below(28) as u32,
            );
            (None, Some(deposit))
        } else if kind < 70 {
            (Some(date(2008, 12, 3)), None)
        } else {
            (None, None)
        };
        let engaged = signed.is_some() || deposited.is_some();
        let presence = if engaged { 0.85 } else { 0.35 };
        let roles = registry
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
            .collect();
        let mut votes = Vec::new();
        let favour = if engaged { 0.95 } else { 0.55 };
        for year in 2015..=2030 {
            if registry.annual_resolution(CCM, year).is_none() {
                continue;
            }
            let vote = if rng.chance(favour) {
                "yes"
            } else if rng.chance(0.6) {
                "abstain"
            } else if rng.chance(0.5) {
                "absent"
            } else {
                "no"
            };
            votes.push((year, vote));
        }
        Self {
            name,
            iso: iso_code(index),
            index,
            signed,
            deposited,
            mine_ban: if rng.chance(0.7) {
                "party"
            } else {
                "not-party"
            },
            ccw: if rng.chance(0.6) {
                "party"
            } else {
                "not-party"
            },
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

    /// The TOML record of this country for one edition.
    #[expect(
        clippy::too_many_lines,
        reason = "long function: split into named steps"
    )]
    fn record(&self, edition: i32, seed: u64, registry: &Registry) -> String {
        let cutoff = date(edition, 8, 1);
        let mut w = Writer::new(seed, self.index as u64, edition);
        let name = &self.name;
        let signed = self.signed.filter(|d| *d < cutoff);
        let deposited = self.deposited.filter(|d| *d < cutoff);
        let status = match (signed, deposited) {
            (_, Some(_)) => "state-party",
            (Some(_), None) => "signatory",
            (None, None) => "non-signatory",
        };
        let meetings: Vec<(&crate::registry::Meeting, Role)> = registry
            .meetings
            .iter()
            .zip(&self.roles)
            .filter(|(m, _)| m.end() < cutoff)
            .filter_map(|(m, r)| r.map(|r| (m, r)))
            .collect();
        let votes: Vec<(i32, &str)> = self
            .votes
            .iter()
            .copied()
            .filter(|(y, _)| *y < edition)
            .collect();
        let last_present = meetings
            .iter()
            .filter(|(_, r)| r.present())
            .map(|(m, _)| m.start().year())
            .max();

        // Summary.
        let label = match status {
            "state-party" => "State Party",
            "signatory" => "Signatory",
            _ => "Non-signatory",
        };
        let mut summary = Vec::new();
        match (signed, deposited) {
            (Some(s), Some(d)) => summary.push(format!(
                "{label} {name} signed the Convention on Cluster Munitions on {} and ratified it on {}.",
                long_date(s),
                long_date(d)
            )),
            (None, Some(d)) => summary.push(format!(
                "{label} {name} acceded to the Convention on Cluster Munitions on {}.",
                long_date(d)
            )),
            (Some(s), None) => summary.push(format!(
                "{label} {name} signed the Convention on Cluster Munitions on {}, but has not ratified it.",
                long_date(s)
            )),
            (None, None) => summary.push(w.choose(
                "summary-status",
                &[
                    format!("{label} {name} has not taken any steps to join the Convention on Cluster Munitions."),
                    format!("{label} {name} has expressed interest in the Convention on Cluster Munitions, but has not joined it."),
                ],
            )),
        }
        if let Some(year) = last_present {
            let year = if self.corrected_in > edition && edition > 2010 {
                year - 1
            } else {
                year
            };
            summary.push(format!(
                "{name} last participated in a meeting of the convention in {year}."
            ));
        }
        if let Some(&(year, "yes")) = votes.last() {
            summary.push(format!(
                "In December {year}, {name} voted in favor of a key United Nations (UN) resolution that promotes the convention."
            ));
        }
        let mut out = String::new();
        let updated = date(
            edition,
            6 + rng_for(seed, &[self.index as u64, edition as u64, 1]).below(3) as u32,
            1 + rng_for(seed, &[self.index as u64, edition as u64, 2]).below(28) as u32,
        );
        let _ = writeln!(
            out,
            "# {name}, Cluster Munition Ban Policy, {edition} edition (synthetic record).\n"
        );
        let _ = writeln!(out, "country = \"{name}\"");
        let _ = writeln!(out, "iso = \"{}\"", self.iso);
        let _ = writeln!(out, "topic = \"cluster-munition-ban-policy\"");
        let _ = writeln!(out, "edition = {edition}");
        let _ = writeln!(out, "last_updated = {}\n", updated.format("%Y-%m-%d"));
        let conduct_sentence = if self.stockpiled {
            format!("{name} has never used or produced cluster munitions, but has stockpiled them.")
        } else {
            format!(
                "{name} has never used, produced, transferred, or stockpiled cluster munitions."
            )
        };
        summary.push(conduct_sentence.clone());
        let _ = writeln!(
            out,
            "summary = \"\"\"\n{}\n\"\"\"\n",
            wrap(&summary.join(" "))
        );

        // Structured facts.
        let _ = writeln!(out, "[status]\nconvention = \"{status}\"");
        if let Some(s) = signed {
            let _ = writeln!(out, "signed = {}", s.format("%Y-%m-%d"));
        }
        let mut in_force = None;
        if let Some(d) = deposited {
            let force = article17_in_force(CCM, crate::record::Date(d));
            in_force = Some(force.0);
            let _ = writeln!(out, "deposited = {}", d.format("%Y-%m-%d"));
            let kind = if signed.is_some() {
                "ratification"
            } else {
                "accession"
            };
            let _ = writeln!(out, "deposit_kind = \"{kind}\"");
            let _ = writeln!(out, "in_force = {}", force.0.format("%Y-%m-%d"));
            let _ = writeln!(
                out,
                "report_due = {}",
                article7_report_due(CCM, force).0.format("%Y-%m-%d")
            );
            let _ = writeln!(
                out,
                "stockpile_deadline = {}",
                stockpile_deadline(CCM, force).0.format("%Y-%m-%d")
            );
        }
        let _ = writeln!(
            out,
            "\n[treaties]\nmine_ban_treaty = \"{}\"\nccw = \"{}\"\n",
            self.mine_ban, self.ccw
        );
        for (m, role) in &meetings {
            let _ = writeln!(
                out,
                "[[meetings]]\nmeeting = \"{}\"\nrole = \"{}\"\n",
                m.id,
                role.keyword()
            );
        }
        let mut citations: Vec<(String, String)> = Vec::new();
        for (i, (year, vote)) in votes.iter().enumerate() {
            let _ = write!(out, "[[votes]]\nyear = {year}\nvote = \"{vote}\"\n");
            if i + 1 == votes.len() {
                let _ = writeln!(out, "source = \"unga-{year}\"");
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "[conduct]\nused = \"never\"\nproduced = \"never\"\ntransferred = \"{}\"\nstockpiled = \"{}\"\nstated = {}\nsource = \"letter-{}\"\n",
            if self.stockpiled {
                "no-evidence"
            } else {
                "never"
            },
            if self.stockpiled { "yes" } else { "never" },
            self.stated,
            self.stated
        );

        // Policy section.
        let mut policy: Vec<String> = Vec::new();
        let mut para = Vec::new();
        match (signed, deposited) {
            (Some(s), Some(d)) => {
                para.push(format!("{name} signed the Convention on Cluster Munitions on {} and ratified on {}.[^un-treaty]", long_date(s), long_date(d)));
                citations.push(("un-treaty".into(), format!("Convention on Cluster Munitions, status of {name}, United Nations Treaty Collection, accessed {}.", long_date(updated))));
            }
            (None, Some(d)) => {
                para.push(format!("{name} acceded to the convention on {}.[^un-treaty]", long_date(d)));
                citations.push(("un-treaty".into(), format!("Convention on Cluster Munitions, status of {name}, United Nations Treaty Collection, accessed {}.", long_date(updated))));
            }
            (Some(s), None) => para.push(format!("{name} signed the convention on {}, but it has not ratified it.", long_date(s))),
            (None, None) => para.push(w.choose("policy-open", &[
                format!("The Republic of {name} has not acceded to the Convention on Cluster Munitions."),
                format!("{name} remains outside the Convention on Cluster Munitions."),
            ])),
        }
        if let Some(force) = in_force {
            para.push(format!(
                "The convention entered into force for {name} on {}.",
                long_date(force)
            ));
            let due = article7_report_due(CCM, crate::record::Date(force)).0;
            para.push(format!(
                "Its initial Article 7 transparency report is due by {}.",
                long_date(due)
            ));
        }
        para.push(format!(
            "{name}'s most recent comment on the convention came in a {} letter to the Monitor.[^letter-{}]",
            self.stated, self.stated
        ));
        citations.push((
            format!("letter-{}", self.stated),
            format!(
                "Letter from the Ministry of Foreign Affairs of {name} to the Monitor, {}.",
                long_date(date(
                    self.stated,
                    3 + (self.index % 8) as u32,
                    1 + (self.index % 27) as u32
                ))
            ),
        ));
        policy.push(para.join(" "));
        policy.push(w.filler(name, 3));

        let mut para = Vec::new();
        if let Some(year) = last_present {
            let year = if self.corrected_in > edition && edition > 2010 {
                year - 1
            } else {
                year
            };
            let last = meetings
                .iter()
                .rev()
                .find(|(_, r)| r.present())
                .map(|(m, _)| *m);
            para.push(format!(
                "{name} last participated in a meeting of the convention in {year}."
            ));
            if let Some(m) = last {
                para.push(format!(
                    "It took part in the {} in {}.[^statement-{}]",
                    m.name,
                    m.when_where(),
                    slugify(&m.id)
                ));
                citations.push((
                    format!("statement-{}", slugify(&m.id)),
                    format!("Statement of {name}, {}, {}.", m.name, m.when_where()),
                ));
            }
        } else if !meetings.is_empty() {
            para.push(format!(
                "{name} has never participated in a meeting of the convention."
            ));
        }
        if let Some(m) = meetings
            .iter()
            .rev()
            .find(|(_, r)| *r == Role::InvitedAbsent)
            .map(|(m, _)| *m)
        {
            para.push(format!(
                "It was invited to, but did not attend, the convention's {}.",
                m.name
            ));
        }
        if !para.is_empty() {
            policy.push(para.join(" "));
        }

        let mut para = Vec::new();
        if let Some(&(year, vote)) = votes.last() {
            match vote {
                "yes" => para.push(format!("In December {year}, {name} voted in favor of a key UNGA resolution that calls on states outside the convention to “join as soon as possible.”[^unga-{year}]")),
                "abstain" => para.push(format!("{name} abstained from the vote on the annual UNGA resolution promoting the convention in {year}.[^unga-{year}]")),
                "absent" => para.push(format!("{name} was absent from the vote on the annual UNGA resolution promoting the convention in {year}.[^unga-{year}]")),
                _ => para.push(format!("{name} voted against the annual UNGA resolution promoting the convention in {year}.[^unga-{year}]")),
            }
            let number = registry
                .annual_resolution(CCM, year)
                .and_then(|r| r.number.clone())
                .unwrap_or_else(|| format!("of {year}"));
            citations.push((format!("unga-{year}"), format!("“Implementation of the Convention on Cluster Munitions,” UNGA Resolution {number}, December {year}.")));
            let streak = votes.iter().rev().take_while(|(_, v)| *v == "yes").last();
            if vote == "yes"
                && let Some(&(since, _)) = streak
                && since < year
            {
                para.push(format!("It has voted in favor of the annual resolution promoting the convention since {since}."));
            }
        }
        if self.mine_ban == "not-party" && self.ccw == "not-party" {
            para.push(format!("{name} is not party to the Mine Ban Treaty or the Convention on Conventional Weapons (CCW)."));
        } else if self.mine_ban == "party" && self.ccw == "party" {
            para.push(format!("{name} is party to the Mine Ban Treaty and the Convention on Conventional Weapons (CCW)."));
        } else if self.mine_ban == "party" {
            para.push(format!("{name} is party to the Mine Ban Treaty, but not to the Convention on Conventional Weapons (CCW)."));
        } else {
            para.push(format!("{name} is party to the Convention on Conventional Weapons (CCW), but not to the Mine Ban Treaty."));
        }
        policy.push(para.join(" "));
        if rng_for(seed, &[self.index as u64, 7]).chance(0.6) {
            policy.push(w.filler(name, 4));
        }
        let _ = writeln!(
            out,
            "[[sections]]\ntitle = \"Policy\"\ntext = \"\"\"\n{}\n\"\"\"\n",
            policy
                .iter()
                .map(|p| wrap(p))
                .collect::<Vec<_>>()
                .join("\n\n")
        );

        // Conduct section.
        // The statement denies what the summary denies, as in the published profiles.
        let denied = if self.stockpiled {
            "used or produced"
        } else {
            "used, produced, transferred, or stockpiled"
        };
        let mut conduct = vec![format!(
            "{} told the Monitor in {} that it has never {denied} cluster munitions.[^letter-{}]",
            name, self.stated, self.stated
        )];
        if self.stockpiled {
            conduct.push(format!("{name} holds a stockpile of cluster munitions whose size it has not disclosed. {}", w.choose("stockpile", &[
                "It has said that it is considering options for the destruction of the stockpile.".to_string(),
                "Officials have indicated that a destruction plan is under preparation.".to_string(),
            ])));
        } else {
            conduct.push(conduct_sentence);
        }
        let _ = writeln!(
            out,
            "[[sections]]\ntitle = \"Use, production, transfer, and stockpiling\"\ntext = \"\"\"\n{}\n\"\"\"\n",
            conduct
                .iter()
                .map(|p| wrap(p))
                .collect::<Vec<_>>()
                .join("\n\n")
        );

        let _ = writeln!(out, "[citations]");
        let mut seen = std::collections::HashSet::new();
        for (key, text) in citations {
            if seen.insert(key.clone()) {
                let _ = writeln!(out, "{key} = \"{text}\"");
            }
        }
        out
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
