//! `dossier check`: the consistency checker.
//!
//! The engine loads records (and, for each, the previous edition and the other topics of the
//! same country and edition), extracts facts once per record, runs every rule of the
//! [`catalog`] table, applies suppressions and severity settings, and sorts findings
//! deterministically. Emitters in [`emit`] print them.

pub mod catalog;
pub mod emit;
pub mod rules;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::facts::claims::CleanText;
use crate::facts::{ClaimPatterns, Fact, extract};
use crate::project::relative_to_cwd;
use crate::record::{LoadError, Prose, Record, Sp, load_record};
use crate::registry::{Registry, TreatyId};
use crate::walk::{WalkOptions, walk};

pub use catalog::{RULES, Rule, rule_by_code_or_name};

pub use crate::severity::Severity;

/// A checker rule's setting in `checks/rules.toml` or the `[rules]` table of `dossier.toml`:
/// a [`Severity`], or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    /// Findings fail the check.
    Error,
    /// Findings are shown and do not fail the check.
    Warning,
    /// Findings are shown as information.
    Info,
    /// The rule does not run.
    Off,
}

impl RuleSetting {
    /// The severity findings get, `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Error => Some(Severity::Error),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Off => None,
        }
    }
}

/// Problems with the rule settings.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SettingsError {
    /// The rules file could not be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(dossier::check::settings_io))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The rules file is not a valid `[rules]` table.
    #[error("{path}:{line}:{column}: not a valid table of rule settings")]
    #[diagnostic(
        code(dossier::check::settings_invalid),
        help(
            "write `[rules]` and one line per rule: RULE = \"error\" | \"warning\" | \"info\" | \"off\""
        )
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The TOML reader's error.
        source: Box<toml::de::Error>,
    },
    /// A setting names no rule.
    #[error("{from}: unknown rule `{rule}` (see `dossier rules`)")]
    #[diagnostic(code(dossier::check::unknown_rule))]
    UnknownRule {
        /// The file the setting is in.
        from: String,
        /// The rule as written.
        rule: String,
    },
}

/// A labelled span in a record's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Byte range in the record's source.
    pub span: Range<usize>,
    /// What this side of the finding says.
    pub text: String,
}

impl Label {
    /// A label at `span` saying `text`.
    pub fn new(span: Range<usize>, text: impl Into<String>) -> Self {
        Self {
            span,
            text: text.into(),
        }
    }
}

/// Labels in another record (the previous edition, another topic).
#[derive(Debug, Clone)]
pub struct Elsewhere {
    /// That record's path.
    pub path: PathBuf,
    /// That record's source.
    pub source: Arc<str>,
    /// Labels in it.
    pub labels: Vec<Label>,
}

/// What a rule reports, before the engine adds the rule, severity and file.
#[derive(Debug, Clone)]
pub struct Draft {
    /// One-line message.
    pub message: String,
    /// Labels in the checked record; the first is the primary one.
    pub labels: Vec<Label>,
    /// Labels in another record.
    pub elsewhere: Option<Elsewhere>,
    /// How to fix it, when the rule's docs are not specific enough.
    pub help: Option<String>,
}

impl Draft {
    /// A draft with a message and labels.
    pub fn new(message: impl Into<String>, labels: Vec<Label>) -> Self {
        Self {
            message: message.into(),
            labels,
            elsewhere: None,
            help: None,
        }
    }

    /// Adds help text.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// One finding of one rule in one record.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// Effective severity (after configuration).
    pub severity: Severity,
    /// The record's path.
    pub path: PathBuf,
    /// The record's source.
    pub source: Arc<str>,
    /// What the rule reported.
    pub draft: Draft,
}

impl Finding {
    /// Start of the primary label (0 when there is none).
    pub fn offset(&self) -> usize {
        self.draft.labels.first().map_or(0, |l| l.span.start)
    }

    /// 1-based line and column of the primary label.
    pub fn line_col(&self) -> (usize, usize) {
        crate::record::line_col(&self.source, self.offset())
    }
}

/// A record with its facts.
#[derive(Debug)]
pub struct Checked {
    /// The record.
    pub record: Record,
    /// Every fact it states.
    pub facts: Vec<Fact>,
}

/// What a rule sees: one record, its facts, the registries and its neighbours.
pub struct Ctx<'a> {
    /// The record being checked.
    pub record: &'a Record,
    /// Its facts (fields, then prose, in source order within each).
    pub facts: &'a [Fact],
    /// Meetings and resolutions.
    pub registry: &'a Registry,
    /// The previous edition of the same country and topic, when there is one.
    pub previous: Option<&'a Checked>,
    /// The other topics of the same country in the same edition.
    pub siblings: Vec<&'a Checked>,
    /// The paragraphs of the summary and sections, cleaned once for all the rules that read
    /// them (see [`Ctx::paragraphs`]).
    paragraphs: OnceLock<Vec<Paragraph<'a>>>,
}

impl<'a> Ctx<'a> {
    /// What the rules see of `record`, whose facts are `facts`.
    pub fn new(
        record: &'a Record,
        facts: &'a [Fact],
        registry: &'a Registry,
        previous: Option<&'a Checked>,
        siblings: Vec<&'a Checked>,
    ) -> Self {
        Self {
            record,
            facts,
            registry,
            previous,
            siblings,
            paragraphs: OnceLock::new(),
        }
    }

    /// Every paragraph of the record's summary and sections, in order, cleaned (markers
    /// removed, line breaks folded). Worked out when a rule first asks for it.
    pub fn paragraphs(&self) -> &[Paragraph<'a>] {
        self.paragraphs.get_or_init(|| {
            let mut out = Vec::new();
            for (block, prose) in self.record.prose_blocks() {
                for range in crate::record::prose::paragraph_ranges(&prose.value.text) {
                    out.push(Paragraph {
                        block: block.clone(),
                        prose,
                        clean: CleanText::new(&prose.value.text, range),
                    });
                }
            }
            out
        })
    }
}

/// One paragraph of a record's summary or of a section.
pub struct Paragraph<'a> {
    /// The name of its block: "summary", or the section's title.
    pub block: String,
    /// The prose it is part of.
    pub prose: &'a Sp<Prose>,
    /// Its text, cleaned, with a way back to the source.
    pub clean: CleanText,
}

impl Paragraph<'_> {
    /// Its cleaned text and the prose it maps back into.
    pub fn text_and_prose(&self) -> (&CleanText, &Prose) {
        (&self.clean, &self.prose.value)
    }
}

/// Severity settings: rule code or name to severity, `None` for "off".
#[derive(Debug, Clone, Default)]
pub struct Settings {
    overrides: BTreeMap<String, Option<Severity>>,
}

impl Settings {
    /// Reads `checks/rules.toml` (a `[rules]` table; a missing file sets nothing), then
    /// applies `extra` (the `[rules]` table of `dossier.toml`) on top.
    pub fn load(
        checks_dir: &Path,
        extra: &BTreeMap<String, RuleSetting>,
    ) -> Result<Self, SettingsError> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            rules: BTreeMap<String, RuleSetting>,
        }
        let path = checks_dir.join("rules.toml");
        let mut settings = Settings::default();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(SettingsError::Io { path, source }),
        };
        if let Some(text) = text {
            let file: File = toml::from_str(&text).map_err(|source| {
                let (line, column) = source
                    .span()
                    .map_or((1, 1), |s| crate::record::line_col(&text, s.start));
                SettingsError::Invalid {
                    path: path.clone(),
                    line,
                    column,
                    source: Box::new(source),
                }
            })?;
            settings.apply(&file.rules, &path.display().to_string())?;
        }
        settings.apply(extra, crate::project::CONFIG_FILE)?;
        Ok(settings)
    }

    fn apply(
        &mut self,
        table: &BTreeMap<String, RuleSetting>,
        from: &str,
    ) -> Result<(), SettingsError> {
        for (key, setting) in table {
            let rule = rule_by_code_or_name(key).ok_or_else(|| SettingsError::UnknownRule {
                from: from.to_string(),
                rule: key.clone(),
            })?;
            self.overrides
                .insert(rule.code.to_string(), setting.severity());
        }
        Ok(())
    }

    /// The effective severity of a rule, `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.overrides.get(rule.code) {
            Some(s) => *s,
            None => Some(rule.severity),
        }
    }
}

/// The outcome of a check run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings in deterministic order (path, line, rule code, message).
    pub findings: Vec<Finding>,
    /// Records that could not be loaded.
    pub load_errors: Vec<LoadError>,
    /// How many records were checked.
    pub records: usize,
}

/// The edition a directory of `profiles/` holds: its name, when that is a year.
pub(crate) fn directory_edition(dir: &Path) -> Option<i32> {
    dir.file_name()?.to_str()?.parse().ok()
}

/// The year directories under a `profiles` directory, listed once, in ascending year order.
#[derive(Debug, Clone)]
struct EditionDirs(Vec<(i32, PathBuf)>);

impl EditionDirs {
    /// Lists the directories of `profiles` whose name is a year.
    fn list(profiles: &Path) -> Self {
        let listing = WalkOptions {
            max_depth: Some(1),
            ..WalkOptions::default()
        };
        let mut years: Vec<(i32, PathBuf)> = walk(profiles, listing)
            .dirs
            .into_iter()
            .filter_map(|dir| Some((directory_edition(&dir)?, dir)))
            .collect();
        years.sort();
        Self(years)
    }

    /// The file of the same name in the nearest earlier edition that has one.
    fn previous(&self, path: &Path, edition: i32) -> Option<PathBuf> {
        let name = path.file_name()?;
        self.0
            .iter()
            .rev()
            .filter(|(year, _)| *year < edition)
            .map(|(_, dir)| dir.join(name))
            .find(|p| p.is_file())
    }
}

/// Files in the same directory for the same country and another topic; directory
/// listings are read once and shared through `listings`.
fn sibling_paths(
    path: &Path,
    slug: &str,
    listings: &mut HashMap<PathBuf, Vec<String>>,
) -> Vec<PathBuf> {
    let country = slug.split('.').next().unwrap_or(slug);
    let Some(dir) = path.parent() else {
        return Vec::new();
    };
    let names = listings.entry(dir.to_path_buf()).or_insert_with(|| {
        let read_from = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let listing = WalkOptions {
            max_depth: Some(1),
            ..WalkOptions::default()
        };
        walk(read_from, listing)
            .files
            .iter()
            .filter_map(|file| file.file_name()?.to_str().map(str::to_string))
            .filter(|n| n.ends_with(".toml"))
            .collect::<Vec<String>>()
    });
    let own = path.file_name().and_then(|n| n.to_str());
    let prefix = format!("{country}.");
    names
        .iter()
        .filter(|name| {
            let stem = name.trim_end_matches(".toml");
            (stem == country || stem.starts_with(&prefix)) && Some(name.as_str()) != own
        })
        .map(|name| dir.join(name))
        .collect()
}

/// Checks record files: the whole pipeline from paths to sorted findings.
pub fn check_files(
    files: &[PathBuf],
    profiles: &Path,
    registry: &Registry,
    patterns: &ClaimPatterns,
    settings: &Settings,
) -> Outcome {
    let results: Vec<Result<Record, LoadError>> =
        files.par_iter().map(|f| load_record(f)).collect();
    let mut records = Vec::new();
    let mut load_errors = Vec::new();
    for r in results {
        match r {
            Ok(record) => records.push(record),
            Err(e) => load_errors.push(e),
        }
    }
    // Every record's facts are extracted once; a neighbour that is itself being checked is
    // shared, only the others are loaded from disk.
    let extracted: Vec<Checked> = records
        .into_par_iter()
        .map(|record| {
            let facts = extract(&record, registry, patterns);
            Checked { record, facts }
        })
        .collect();
    let links = neighbour_links(&extracted, profiles);
    let neighbours = Neighbours::gather(&extracted, &links, registry, patterns);
    let mut findings: Vec<Finding> = extracted
        .par_iter()
        .zip(links.par_iter())
        .flat_map_iter(|(c, (prev, sibs))| {
            let facts = own_facts(&c.record, c.facts.clone());
            let ctx = Ctx::new(
                &c.record,
                &facts,
                registry,
                prev.as_ref().and_then(|p| neighbours.get(p)),
                sibs.iter().filter_map(|p| neighbours.get(p)).collect(),
            );
            check_record(&ctx, settings)
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.path, a.offset(), a.rule.code, &a.draft.message).cmp(&(
            &b.path,
            b.offset(),
            b.rule.code,
            &b.draft.message,
        ))
    });
    Outcome {
        findings,
        load_errors,
        records: extracted.len(),
    }
}

/// Each record's previous edition and sibling topics, as paths.
type NeighbourLinks = Vec<(Option<PathBuf>, Vec<PathBuf>)>;

/// For each record, the path of its previous edition and those of its other topics.
fn neighbour_links(records: &[Checked], profiles: &Path) -> NeighbourLinks {
    let editions = EditionDirs::list(profiles);
    let mut listings = HashMap::new();
    records
        .iter()
        .map(|c| {
            let r = &c.record;
            let prev = editions
                .previous(&r.path, r.edition.value)
                .map(|p| relative_to_cwd(&p));
            (prev, sibling_paths(&r.path, &r.slug(), &mut listings))
        })
        .collect()
}

/// The records the checked ones are compared with: those checked in the same run, found by
/// path, and the others, loaded from disk once each.
struct Neighbours<'a> {
    checked: HashMap<&'a Path, &'a Checked>,
    loaded: HashMap<PathBuf, Checked>,
}

impl<'a> Neighbours<'a> {
    /// Indexes `checked` and loads every other record `links` names.
    fn gather(
        checked: &'a [Checked],
        links: &NeighbourLinks,
        registry: &Registry,
        patterns: &ClaimPatterns,
    ) -> Self {
        let checked: HashMap<&Path, &Checked> = checked
            .iter()
            .map(|c| (c.record.path.as_path(), c))
            .collect();
        let mut wanted: Vec<&PathBuf> = links
            .iter()
            .flat_map(|(prev, sibs)| prev.iter().chain(sibs))
            .filter(|p| !checked.contains_key(p.as_path()))
            .collect();
        wanted.sort();
        wanted.dedup();
        let loaded = wanted
            .par_iter()
            .filter_map(|p| {
                let record = load_record(p).ok()?;
                let facts = extract(&record, registry, patterns);
                Some(((*p).clone(), Checked { record, facts }))
            })
            .collect();
        Self { checked, loaded }
    }

    /// The record at `path`, when it exists and loads.
    fn get(&self, path: &Path) -> Option<&Checked> {
        self.checked
            .get(path)
            .copied()
            .or_else(|| self.loaded.get(path))
    }
}

/// The facts a record is checked on: those about its topic's treaty, or about no one treaty.
/// A cluster munition profile's mention of a Mine Ban Treaty meeting is no claim about the
/// convention, and the other way round.
fn own_facts(record: &Record, mut facts: Vec<Fact>) -> Vec<Fact> {
    facts.retain(|f| is_own_fact(record, f));
    facts
}

/// Whether `record` is checked on `fact`: the fact is about the record's topic's treaty, or
/// about no one treaty.
pub(crate) fn is_own_fact(record: &Record, fact: &Fact) -> bool {
    TreatyId::of_topic(record.topic.value).is_none_or(|treaty| fact.concerns(treaty))
}

/// Runs every rule on one record, then applies its suppressions and the severity settings.
pub fn check_record(ctx: &Ctx<'_>, settings: &Settings) -> Vec<Finding> {
    let record = ctx.record;
    let mut findings = Vec::new();
    for rule in RULES {
        let Some(severity) = settings.severity(rule) else {
            continue;
        };
        let Some(run) = rule.run else { continue };
        for draft in run(ctx) {
            findings.push(Finding {
                rule,
                severity,
                path: record.path.clone(),
                source: record.source.clone(),
                draft,
            });
        }
    }
    rules::incomplete::drop_findings_on_lost_text(record, &mut findings);
    let mut used = vec![false; record.suppress.len()];
    findings.retain(|f| {
        let mut keep = true;
        for (i, s) in record.suppress.iter().enumerate() {
            let names_rule = s.rule.value == f.rule.code || s.rule.value == f.rule.name;
            let matches = s.matching.as_ref().is_none_or(|m| {
                f.draft.message.contains(&m.value)
                    || f.draft.labels.iter().any(|l| {
                        l.text.contains(&m.value)
                            || f.source
                                .get(l.span.clone())
                                .is_some_and(|t| t.contains(&m.value))
                    })
            });
            if names_rule && matches {
                used[i] = true;
                keep = false;
            }
        }
        keep
    });
    if let Some(rule) = rule_by_code_or_name("unused-suppression")
        && let Some(severity) = settings.severity(rule)
    {
        for (s, used) in record.suppress.iter().zip(used) {
            if used {
                continue;
            }
            let known = rule_by_code_or_name(&s.rule.value).is_some();
            let message = if known {
                format!("suppression of `{}` suppresses nothing", s.rule.value)
            } else {
                format!("suppression names an unknown rule `{}`", s.rule.value)
            };
            findings.push(Finding {
                rule,
                severity,
                path: record.path.clone(),
                source: record.source.clone(),
                draft: Draft::new(
                    message,
                    vec![Label::new(s.rule.span.clone(), "this suppression")],
                )
                .help("remove the suppression, or fix its `rule` or `matching`"),
            });
        }
    }
    findings
}

/// Counts findings by severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    findings
        .iter()
        .fold((0, 0, 0), |(e, w, i), f| match f.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Ctx;
    use crate::record::parse_record;
    use crate::registry::Registry;

    #[test]
    fn a_records_paragraphs_are_its_summary_then_its_sections_cleaned() {
        let text = "country = \"X\"\niso = \"XX\"\ntopic = \"cluster-munition-ban-policy\"\n\
                    edition = 2022\nsummary = \"\"\"\nFirst, with a note.[^a]\n\nSecond\nline.\n\"\"\"\n\n\
                    [[sections]]\ntitle = \"Policy\"\ntext = \"\"\"\nThird _here_.\n\"\"\"\n";
        let record = parse_record(Path::new("x.toml"), text).expect("record");
        let checks = Path::new(env!("CARGO_MANIFEST_DIR")).join("checks");
        let registry = Registry::load(&checks).expect("registry");
        let ctx = Ctx::new(&record, &[], &registry, None, Vec::new());
        let seen: Vec<(&str, &str)> = ctx
            .paragraphs()
            .iter()
            .map(|p| (p.block.as_str(), p.clean.text.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("summary", "First, with a note."),
                ("summary", "Second line."),
                ("Policy", "Third here."),
            ]
        );
        // Asked again, the same paragraphs, not cleaned anew.
        assert!(std::ptr::eq(ctx.paragraphs(), ctx.paragraphs()));
        let third = &ctx.paragraphs()[2];
        let raw = third.prose.source_range(third.clean.raw_range(0..5));
        assert_eq!(&text[raw], "Third");
    }
}
