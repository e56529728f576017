//! Reading records from TOML, keeping the span of every value and collecting every problem.
//!
//! The TOML is parsed with error recovery, then walked table by table: unknown keys, wrong
//! types, impossible dates and unknown keywords are all reported in one pass, each with its
//! span and, where a near miss is likely, a "did you mean" hint.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::prose::Prose;
use super::*;
use unclosed::Opened;

/// Largest record file accepted, in bytes (a record is a few kilobytes; this guards memory).
pub(super) const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// Largest prose block accepted, in bytes (a long profile section is a few tens of kilobytes).
pub(super) const MAX_PROSE_BYTES: usize = 1024 * 1024;

/// Deepest nesting of arrays and tables accepted (records need four levels).
const MAX_NESTING: usize = 32;

/// One problem found while loading a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, as a byte range of the source.
    pub span: Range<usize>,
    /// How to fix it.
    pub help: Option<String>,
}

/// A record that could not be loaded: the file, its text and every problem found.
#[derive(Debug, Clone)]
pub struct LoadError {
    /// The file.
    pub path: PathBuf,
    /// Its text (lossily decoded when it was not UTF-8).
    pub source: Arc<str>,
    /// The problems, in source order.
    pub problems: Vec<LoadProblem>,
}

impl LoadError {
    /// A single problem with the whole file (unreadable, not UTF-8, too large...).
    pub fn whole_file(
        path: &Path,
        source: Arc<str>,
        message: String,
        help: Option<String>,
    ) -> Self {
        let problem = LoadProblem {
            message,
            span: 0..0,
            help,
        };
        Self {
            path: path.to_path_buf(),
            source,
            problems: vec![problem],
        }
    }

    /// `file:line:col: message` lines, one per problem (for logs and tests).
    pub fn brief(&self) -> String {
        self.problems
            .iter()
            .map(|p| {
                let (line, col) = line_col(&self.source, p.span.start);
                format!("{}:{line}:{col}: {}", self.path.display(), p.message)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Each problem as its own miette diagnostic, with the source attached when the lines
    /// around the problem are short enough to show.
    pub fn diagnostics(&self) -> Vec<ProblemReport> {
        self.problems
            .iter()
            .map(|p| ProblemReport {
                problem: p.clone(),
                source: snippet_fits(&self.source, p.span.start).then(|| {
                    NamedSource::new(self.path.display().to_string(), self.source.clone())
                        .with_language("toml")
                }),
            })
            .collect()
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{}: {n} problem{}",
            self.path.display(),
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for LoadError {}

/// One load problem as a renderable miette diagnostic.
#[derive(Debug)]
pub struct ProblemReport {
    problem: LoadProblem,
    source: Option<NamedSource<Arc<str>>>,
}

/// Whether the lines around `offset` are short enough to quote in a diagnostic (a snippet of
/// a 50 MB single-line string helps nobody).
fn snippet_fits(source: &str, offset: usize) -> bool {
    const MAX_LINE: usize = 400;
    let offset = offset.min(source.len());
    let mut start = offset;
    for _ in 0..4 {
        match source.as_bytes()[..start].iter().rposition(|&b| b == b'\n') {
            Some(i) => start = i,
            None => {
                start = 0;
                break;
            }
        }
    }
    let mut end = offset;
    for _ in 0..4 {
        match source.as_bytes()[end..].iter().position(|&b| b == b'\n') {
            Some(i) => end += i + 1,
            None => {
                end = source.len();
                break;
            }
        }
    }
    source.as_bytes()[start..end]
        .split(|&b| b == b'\n')
        .all(|line| line.len() <= MAX_LINE)
}

impl fmt::Display for ProblemReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl std::error::Error for ProblemReport {}

impl Diagnostic for ProblemReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("dossier::load"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.problem.span.clone();
        let label = LabeledSpan::new_primary_with_span(Some("here".into()), span.start..span.end);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Reads and parses a record file.
pub fn load_record(path: &Path) -> Result<Record, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| {
        LoadError::whole_file(
            path,
            Arc::from(""),
            format!("cannot read the file: {e}"),
            None,
        )
    })?;
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(LoadError::whole_file(
            path,
            Arc::from(""),
            format!(
                "the file is {} bytes; records are limited to {MAX_RECORD_BYTES}",
                bytes.len()
            ),
            Some("split the text or check that this is really a record".into()),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            let problem = LoadProblem {
                message: format!("the file is not valid UTF-8 (bad byte at offset {at})"),
                span: at..at + 1,
                help: Some("save the file as UTF-8".into()),
            };
            return Err(LoadError {
                path: path.to_path_buf(),
                source: lossy,
                problems: vec![problem],
            });
        }
    };
    parse_record(path, &text)
}

/// Parses a record from its TOML text; `path` is used for messages only.
pub fn parse_record(path: &Path, text: &str) -> Result<Record, LoadError> {
    // A byte-order mark is accepted and skipped; spans stay relative to the text we keep.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source: Arc<str> = Arc::from(text);
    let fail = |problems: Vec<LoadProblem>| LoadError {
        path: path.to_path_buf(),
        source: source.clone(),
        problems,
    };
    if text.trim().is_empty() {
        return Err(fail(vec![LoadProblem {
            message: "the file is empty".into(),
            span: 0..0,
            help: Some("a record needs at least country, iso, topic and edition; `dossier new` writes a skeleton".into()),
        }]));
    }
    if let Some(span) = too_deep(text) {
        return Err(fail(vec![LoadProblem {
            message: format!("arrays or tables are nested more than {MAX_NESTING} deep"),
            span,
            help: Some("records need at most a few levels of nesting".into()),
        }]));
    }
    let (doc, errors) = DeTable::parse_recoverable(text);
    let (mut problems, cut) = syntax_problems(text, errors);
    let syntax_failed = !problems.is_empty();
    let syntax_spans: Vec<Range<usize>> = problems.iter().map(|p| p.span.clone()).collect();
    let syntax_lines: Vec<usize> = syntax_spans
        .iter()
        .map(|s| line_col(text, s.start).0)
        .collect();
    // Keep reading what the parser recovered, so one pass reports every problem; when the
    // syntax is broken, missing keys and whatever the parser made of a broken line (`iso = [`
    // read as an array) are likely effects of it and are not reported.
    let mut reader = Reader {
        source: text,
        problems: Vec::new(),
    };
    let record = reader.record(doc.get_ref(), doc.span(), path, source.clone());
    problems.extend(reader.problems.into_iter().filter(|p| {
        let overlaps = syntax_spans.iter().any(|s| {
            s.start < p.span.end.max(p.span.start + 1) && p.span.start < s.end.max(s.start + 1)
        });
        let effect_of_syntax = syntax_failed && p.message.contains("missing the required key");
        let on_a_broken_line = syntax_lines.contains(&line_col(text, p.span.start).0);
        !(overlaps || effect_of_syntax || on_a_broken_line || p.span.start >= cut)
    }));
    match record {
        Some(record) if problems.is_empty() => Ok(record),
        _ => {
            problems.sort_by_key(|p| (p.span.start, p.span.end));
            problems.dedup();
            if problems.is_empty() {
                problems.push(LoadProblem {
                    message: "the record is incomplete".into(),
                    span: 0..0,
                    help: None,
                });
            }
            Err(fail(problems))
        }
    }
}

/// The syntax problems of `text`, from the parser's `errors`, and the offset from which
/// nothing else is reported. Where an array, inline table or multi-line text was left open,
/// the parser's errors on every line it then swallowed give way to one problem at the mark
/// that opened it, and what the record reader would make of those lines is not reported
/// either.
fn syntax_problems(text: &str, errors: Vec<toml::de::Error>) -> (Vec<LoadProblem>, usize) {
    let mut problems: Vec<LoadProblem> = errors
        .into_iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            match control_character(text, span.start) {
                Some(c) => control_character_problem(c, span),
                None if ends_line_with_a_comma(text, span.start) => LoadProblem {
                    message: "a comma after the value: a value ends with its line".into(),
                    span,
                    help: Some(
                        "remove the `,` (commas go between the elements of a list in brackets)"
                            .into(),
                    ),
                },
                None => LoadProblem {
                    message: syntax_message(e.message()),
                    span,
                    help: syntax_help(e.message()),
                },
            }
        })
        .collect();
    let unclosed = if problems.is_empty() {
        None
    } else {
        unclosed::find(text)
    };
    let Some(unclosed) = unclosed else {
        return (problems, usize::MAX);
    };
    let cut = unclosed.open.start;
    problems.retain(|p| p.span.start < cut);
    let before = match unclosed.next {
        Some(next) => format!("before line {}", line_col(text, next).0),
        None => "before the end of the file".to_string(),
    };
    let (opener, closer, what) = (
        unclosed.opened.opener(),
        unclosed.opened.closer(),
        unclosed.opened.noun(),
    );
    let help = match unclosed.opened {
        Opened::Text(_) => format!("end the text with `{closer}` on a line of its own"),
        _ => format!("add `{closer}` after the {what}'s last element"),
    };
    problems.push(LoadProblem {
        message: format!("this `{opener}` is never closed: the {what} needs a `{closer}` {before}"),
        span: unclosed.open,
        help: Some(help),
    });
    (problems, cut)
}

/// Finds the first place where brackets or braces nest deeper than [`MAX_NESTING`], outside
/// strings. A cheap scan that protects the recursive parser from stack exhaustion.
fn too_deep(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                i = unclosed::after_string(bytes, i);
                continue;
            }
            b'#' => {
                i = unclosed::end_of_line(bytes, i);
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i..i + 1);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The invisible control character at byte `at` of `text`, if there is one: TOML text may
/// hold none but tab and line ends, and word processors paste some (U+000B for a line break,
/// U+000C for a page break) where nothing shows.
fn control_character(text: &str, at: usize) -> Option<char> {
    text.get(at..)?
        .chars()
        .next()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether the text at `at` is a comma with nothing after it on its line but a comment: a
/// comma put after a value as if the lines of a record were a list.
fn ends_line_with_a_comma(text: &str, at: usize) -> bool {
    let Some(rest) = text.get(at..).and_then(|rest| rest.strip_prefix(',')) else {
        return false;
    };
    let line = rest.split('\n').next().unwrap_or(rest).trim();
    line.is_empty() || line.starts_with('#')
}

/// The problem of a control character `c` at `span`, named by its code point since it does
/// not show.
fn control_character_problem(c: char, span: Range<usize>) -> LoadProblem {
    LoadProblem {
        message: format!(
            "invisible control character U+{:04X} in the text",
            u32::from(c)
        ),
        span,
        help: Some(
            "delete it (pasted text brings these along); a paragraph break is an empty line".into(),
        ),
    }
}

fn syntax_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    if first.starts_with("invalid date") {
        format!(
            "impossible date: {}",
            first
                .trim_start_matches("invalid date")
                .trim_start_matches([',', ' '])
        )
    } else {
        format!("TOML syntax: {first}")
    }
}

fn syntax_help(message: &str) -> Option<String> {
    let m = message.to_ascii_lowercase();
    if m.contains("duplicate key") {
        Some("each key may appear once per table; remove or rename one of them".into())
    } else if m.contains("date") || m.contains("day") || m.contains("month") {
        Some("dates are written YYYY-MM-DD and must exist in the calendar".into())
    } else if m.contains("string") || m.contains("quote") {
        Some(
            "text values need quotes; long prose goes between triple quotes \"\"\" ... \"\"\""
                .into(),
        )
    } else {
        Some("see the record format in README.md, or `dossier new` for a skeleton".into())
    }
}

type Value<'i> = Spanned<DeValue<'i>>;

/// Walks the parsed TOML, collecting problems.
struct Reader<'s> {
    source: &'s str,
    problems: Vec<LoadProblem>,
}

/// A table being read: which keys were asked for, so the rest can be reported as unknown.
struct TableCtx<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    path: String,
    known: Vec<&'static str>,
}

impl<'t, 'i> TableCtx<'t, 'i> {
    fn new(table: &'t DeTable<'i>, span: Range<usize>, path: &str) -> Self {
        Self {
            table,
            span,
            path: path.to_string(),
            known: Vec::new(),
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Value<'i>> {
        self.known.push(key);
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    /// Whether the table has `key`, whatever its value.
    fn has(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| k.get_ref().as_ref() == key)
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

impl Reader<'_> {
    fn problem(&mut self, message: String, span: Range<usize>, help: Option<String>) {
        self.problems.push(LoadProblem {
            message,
            span,
            help,
        });
    }

    /// Reports keys the table has but nobody asked for.
    fn finish(&mut self, ctx: TableCtx<'_, '_>) {
        for (key, _) in ctx.table.iter() {
            let name = key.get_ref().as_ref();
            if !ctx.known.contains(&name) {
                let help = match did_you_mean(name, &ctx.known) {
                    Some(s) => format!(
                        "did you mean `{s}`? Known keys here: {}",
                        ctx.known.join(", ")
                    ),
                    None => format!("known keys here: {}", ctx.known.join(", ")),
                };
                let where_ = if ctx.path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in `{}`", ctx.path)
                };
                self.problem(
                    format!("unknown key `{name}` {where_}"),
                    key.span(),
                    Some(help),
                );
            }
        }
    }

    fn required<T>(
        &mut self,
        ctx: &mut TableCtx<'_, '_>,
        key: &'static str,
        read: impl FnOnce(&mut Self, &Value<'_>, &str) -> Option<T>,
    ) -> Option<T> {
        match ctx.get(key) {
            Some(v) => read(self, v, &ctx.key_path(key)),
            None => {
                self.missing(ctx, key, None);
                None
            }
        }
    }

    /// A required key whose value is one of `all`'s keywords; when it is missing, the
    /// problem says which values it may take.
    fn required_keyword<E: Copy>(
        &mut self,
        ctx: &mut TableCtx<'_, '_>,
        key: &'static str,
        all: &[E],
        keyword: fn(E) -> &'static str,
        parse: fn(&str) -> Option<E>,
    ) -> Option<Sp<E>> {
        // Asked for even when it is missing, so that a misspelt key is told it.
        if let Some(v) = ctx.get(key) {
            return self.keyword(v, &ctx.key_path(key), all, keyword, parse);
        }
        let names: Vec<&str> = all.iter().map(|e| keyword(*e)).collect();
        let first = names.first().copied().unwrap_or_default();
        let help = format!(
            "add `{key} = \"{first}\"` or another of: {}",
            names.join(", ")
        );
        self.missing(ctx, key, Some(help));
        None
    }

    /// Reports that `ctx`'s table lacks the required `key`.
    fn missing(&mut self, ctx: &TableCtx<'_, '_>, key: &str, help: Option<String>) {
        let where_ = if ctx.path.is_empty() {
            "the record".to_string()
        } else {
            format!("`{}`", ctx.path)
        };
        let span = if ctx.path.is_empty() {
            0..0
        } else {
            ctx.span.clone()
        };
        self.problem(
            format!("{where_} is missing the required key `{key}`"),
            span,
            help,
        );
    }

    fn optional<T>(
        &mut self,
        ctx: &mut TableCtx<'_, '_>,
        key: &'static str,
        read: impl FnOnce(&mut Self, &Value<'_>, &str) -> Option<T>,
    ) -> Option<T> {
        let v = ctx.get(key)?;
        read(self, v, &ctx.key_path(key))
    }

    fn wrong_type(&mut self, v: &Value<'_>, path: &str, expected: &str) {
        let found = v.get_ref().type_str();
        self.problem(
            format!("`{path}` must be {expected}, found {found}"),
            v.span(),
            None,
        );
    }

    fn string(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<String>> {
        match v.get_ref() {
            DeValue::String(s) => {
                if let Some(c) = s
                    .chars()
                    .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
                {
                    self.problem(
                        format!("`{path}` contains the control character U+{:04X}", c as u32),
                        v.span(),
                        Some("remove it; control characters cannot be printed".into()),
                    );
                    return None;
                }
                Some(Sp::new(s.to_string(), v.span()))
            }
            _ => {
                self.wrong_type(v, path, "a string");
                None
            }
        }
    }

    fn integer(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<i64>> {
        match v.get_ref() {
            DeValue::Integer(i) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Some(Sp::new(n, v.span())),
                    Err(_) => {
                        self.problem(
                            format!("`{path}` is not a usable whole number"),
                            v.span(),
                            None,
                        );
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(v, path, "a whole number");
                None
            }
        }
    }

    fn year(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<i32>> {
        let n = self.integer(v, path)?;
        if (1900..=2200).contains(&n.value) {
            Some(Sp::new(n.value as i32, n.span))
        } else {
            self.problem(
                format!("`{path}` = {} is not a plausible year", n.value),
                n.span,
                Some("years are written in full, e.g. 2023".into()),
            );
            None
        }
    }

    fn small_number(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<u32>> {
        let n = self.integer(v, path)?;
        match u32::try_from(n.value) {
            Ok(x) if (1..=100).contains(&x) => Some(Sp::new(x, n.span)),
            _ => {
                self.problem(format!("`{path}` must be between 1 and 100"), n.span, None);
                None
            }
        }
    }

    fn date(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<Date>> {
        let help =
            Some("write dates as YYYY-MM-DD, e.g. 2022-08-25 (no quotes needed)".to_string());
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => Some((d.year as i32, d.month as u32, d.day as u32)),
                _ => {
                    self.problem(
                        format!("`{path}` must be a date without a time"),
                        v.span(),
                        help,
                    );
                    return None;
                }
            },
            DeValue::String(s) => parse_ymd(s),
            _ => {
                self.wrong_type(v, path, "a date");
                return None;
            }
        };
        let Some((y, m, d)) = parsed else {
            self.problem(format!("`{path}` is not a date"), v.span(), help);
            return None;
        };
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) if (1900..=2200).contains(&y) => Some(Sp::new(Date(date), v.span())),
            Some(_) => {
                self.problem(
                    format!("`{path}`: the year {y} is not plausible"),
                    v.span(),
                    help,
                );
                None
            }
            None => {
                self.problem(
                    format!("`{path}`: {y:04}-{m:02}-{d:02} is not a real date"),
                    v.span(),
                    help,
                );
                None
            }
        }
    }

    fn keyword<E: Copy>(
        &mut self,
        v: &Value<'_>,
        path: &str,
        all: &[E],
        keyword: fn(E) -> &'static str,
        parse: fn(&str) -> Option<E>,
    ) -> Option<Sp<E>> {
        let s = self.string(v, path)?;
        match parse(&s.value) {
            Some(e) => Some(Sp::new(e, s.span)),
            None => {
                let names: Vec<&str> = all.iter().map(|e| keyword(*e)).collect();
                let help = match did_you_mean(&s.value, &names) {
                    Some(g) => format!("did you mean \"{g}\"? One of: {}", names.join(", ")),
                    None => format!("one of: {}", names.join(", ")),
                };
                self.problem(
                    format!("`{path}` = \"{}\" is not a known value", s.value),
                    s.span,
                    Some(help),
                );
                None
            }
        }
    }

    fn prose(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<Prose>> {
        let s = self.string(v, path)?;
        if s.value.len() > MAX_PROSE_BYTES {
            self.problem(
                format!("`{path}` is {} bytes of prose; the limit is {MAX_PROSE_BYTES} bytes", s.value.len()),
                v.span().start..v.span().start + 3,
                Some("a profile section is a few pages; split the text or check the file for pasted garbage".into()),
            );
            return None;
        }
        let map = string_map(self.source, v.span());
        Some(Sp::new(Prose::with_map(s.value, map), s.span))
    }

    fn table<'t, 'i>(&mut self, v: &'t Value<'i>, path: &str) -> Option<TableCtx<'t, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(TableCtx::new(t, v.span(), path)),
            _ => {
                self.wrong_type(v, path, "a table");
                None
            }
        }
    }

    fn array_of_tables<'t, 'i>(&mut self, v: &'t Value<'i>, path: &str) -> Vec<TableCtx<'t, 'i>> {
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.table(item, &format!("{path}[{i}]")))
                .collect(),
            _ => {
                self.wrong_type(v, path, "an array of tables ([[...]])");
                Vec::new()
            }
        }
    }

    fn record(
        &mut self,
        doc: &DeTable<'_>,
        span: Range<usize>,
        path: &Path,
        source: Arc<str>,
    ) -> Option<Record> {
        let mut top = TableCtx::new(doc, span, "");
        let country = self.required(&mut top, "country", Self::string);
        let iso = self.required(&mut top, "iso", Self::string);
        let topic = self.required_keyword(
            &mut top,
            "topic",
            Topic::ALL,
            Topic::keyword,
            Topic::from_keyword,
        );
        let edition = self.required(&mut top, "edition", Self::year);
        let last_updated = self.optional(&mut top, "last_updated", Self::date);
        let needs_review = self.optional(&mut top, "needs_review", Self::string);
        let incomplete = self.optional(&mut top, "incomplete", Self::string);
        let status = self.optional(&mut top, "status", Self::status);
        let treaties = self.optional(&mut top, "treaties", Self::treaties);
        let overview = self.optional(&mut top, "overview", Self::overview);
        let meetings = self
            .optional(&mut top, "meetings", Self::meetings)
            .unwrap_or_default();
        let votes = self
            .optional(&mut top, "votes", Self::votes)
            .unwrap_or_default();
        let conduct = self.optional(&mut top, "conduct", Self::conduct);
        let summary_label = self.optional(&mut top, "summary_label", Self::string);
        let summary = self.optional(&mut top, "summary", Self::prose);
        let sections = self
            .optional(&mut top, "sections", Self::sections)
            .unwrap_or_default();
        let clearance = self.optional(&mut top, "clearance", Self::clearance);
        let article7 = self.optional(&mut top, "article7", Self::article7);
        let tables = self
            .optional(&mut top, "tables", Self::tables)
            .unwrap_or_default();
        let citations = self
            .optional(&mut top, "citations", Self::citations)
            .unwrap_or_default();
        let suppress = self
            .optional(&mut top, "suppress", Self::suppressions)
            .unwrap_or_default();
        self.finish(top);
        self.check_identity(iso.as_ref(), country.as_ref());
        Some(Record {
            path: path.to_path_buf(),
            source,
            country: country?,
            iso: iso?,
            topic: topic?,
            edition: edition?,
            last_updated,
            needs_review,
            incomplete,
            status,
            treaties,
            overview,
            meetings,
            votes,
            conduct,
            summary_label,
            summary,
            sections,
            clearance,
            article7,
            tables,
            citations,
            suppress,
        })
    }

    /// Reports an `iso` that is neither an ISO code nor an area slug, and an empty `country`.
    fn check_identity(&mut self, iso: Option<&Sp<String>>, country: Option<&Sp<String>>) {
        if let Some(iso) = iso
            && !is_area_code(&iso.value)
        {
            self.problem(
                format!(
                    "`iso` = \"{}\" is neither an ISO 3166-1 alpha-2 code nor an area slug",
                    iso.value
                ),
                iso.span.clone(),
                Some("two capital letters, e.g. \"KG\" for Kyrgyzstan, or for an area without an ISO code a slug such as \"western-sahara\"".into()),
            );
        }
        if let Some(country) = country
            && country.value.trim().is_empty()
        {
            self.problem("`country` is empty".into(), country.span.clone(), None);
        }
    }

    fn status(&mut self, v: &Value<'_>, path: &str) -> Option<Status> {
        let mut t = self.table(v, path)?;
        let convention = self.required_keyword(
            &mut t,
            "convention",
            ConventionStatus::ALL,
            ConventionStatus::keyword,
            ConventionStatus::from_keyword,
        );
        let status = Status {
            convention: convention.unwrap_or_else(|| Sp::detached(ConventionStatus::NonSignatory)),
            signed: self.optional(&mut t, "signed", Self::date),
            deposited: self.optional(&mut t, "deposited", Self::date),
            deposit_kind: self.optional(&mut t, "deposit_kind", |r, v, p| {
                r.keyword(
                    v,
                    p,
                    DepositKind::ALL,
                    DepositKind::keyword,
                    DepositKind::from_keyword,
                )
            }),
            in_force: self.optional(&mut t, "in_force", Self::date),
            report_due: self.optional(&mut t, "report_due", Self::date),
            stockpile_deadline: self.optional(&mut t, "stockpile_deadline", Self::date),
            legislation: self.optional(&mut t, "legislation", Self::date),
        };
        self.finish(t);
        Some(status)
    }

    fn treaties(&mut self, v: &Value<'_>, path: &str) -> Option<Treaties> {
        let mut t = self.table(v, path)?;
        let standing = |r: &mut Self, v: &Value<'_>, p: &str| {
            r.keyword(
                v,
                p,
                TreatyStanding::ALL,
                TreatyStanding::keyword,
                TreatyStanding::from_keyword,
            )
        };
        let treaties = Treaties {
            mine_ban_treaty: self.optional(&mut t, "mine_ban_treaty", standing),
            ccw: self.optional(&mut t, "ccw", standing),
        };
        self.finish(t);
        Some(treaties)
    }

    fn overview(&mut self, v: &Value<'_>, path: &str) -> Option<Overview> {
        let mut t = self.table(v, path)?;
        let overview = Overview {
            status: self.optional(&mut t, "status", Self::prose),
            legislation: self.optional(&mut t, "legislation", Self::prose),
            participation: self.optional(&mut t, "participation", Self::prose),
            key_developments: self.optional(&mut t, "key_developments", Self::prose),
        };
        self.finish(t);
        Some(overview)
    }

    fn meetings(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Attendance>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let meeting = self.required(&mut t, "meeting", Self::string);
            let role =
                self.required_keyword(&mut t, "role", Role::ALL, Role::keyword, Role::from_keyword);
            let part = self.optional(&mut t, "part", Self::small_number);
            let source = self.optional(&mut t, "source", Self::string);
            self.finish(t);
            if let (Some(meeting), Some(role)) = (meeting, role) {
                out.push(Attendance {
                    meeting,
                    role,
                    part,
                    source,
                });
            }
        }
        Some(out)
    }

    fn votes(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Vote>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let year = self.optional(&mut t, "year", Self::year);
            let resolution = self.optional(&mut t, "resolution", Self::string);
            let vote = self.required_keyword(
                &mut t,
                "vote",
                VoteCast::ALL,
                VoteCast::keyword,
                VoteCast::from_keyword,
            );
            let source = self.optional(&mut t, "source", Self::string);
            // A `year` or `resolution` whose value is wrong has had its own problem.
            if !t.has("year") && !t.has("resolution") {
                self.problem(
                    format!("`{}` names neither `year` nor `resolution`", t.path),
                    t.span.clone(),
                    Some("give `year = 2021` for the annual resolution on the convention, or `resolution = \"68/182\"`".into()),
                );
            }
            self.finish(t);
            if let Some(vote) = vote {
                out.push(Vote {
                    year,
                    resolution,
                    vote,
                    source,
                });
            }
        }
        Some(out)
    }

    fn conduct(&mut self, v: &Value<'_>, path: &str) -> Option<ConductFacts> {
        let mut t = self.table(v, path)?;
        let kw = |r: &mut Self, v: &Value<'_>, p: &str| {
            r.keyword(v, p, Conduct::ALL, Conduct::keyword, Conduct::from_keyword)
        };
        let conduct = ConductFacts {
            used: self.optional(&mut t, "used", kw),
            produced: self.optional(&mut t, "produced", kw),
            transferred: self.optional(&mut t, "transferred", kw),
            stockpiled: self.optional(&mut t, "stockpiled", kw),
            stated: self.optional(&mut t, "stated", Self::year),
            stockpile_destroyed: self.optional(&mut t, "stockpile_destroyed", Self::date),
            source: self.optional(&mut t, "source", Self::string),
        };
        self.finish(t);
        Some(conduct)
    }

    fn sections(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Section>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let title = self.required(&mut t, "title", Self::string);
            let text = self.required(&mut t, "text", Self::prose);
            self.finish(t);
            if let (Some(title), Some(text)) = (title, text) {
                out.push(Section { title, text });
            }
        }
        Some(out)
    }

    fn boolean(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, v.span())),
            _ => {
                self.wrong_type(v, path, "true or false");
                None
            }
        }
    }

    fn strings(&mut self, v: &Value<'_>, path: &str) -> Option<Sp<Vec<Sp<String>>>> {
        match v.get_ref() {
            DeValue::Array(items) => {
                let cells = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.string(item, &format!("{path}[{i}]")))
                    .collect();
                Some(Sp::new(cells, v.span()))
            }
            _ => {
                self.wrong_type(v, path, "an array of strings");
                None
            }
        }
    }

    fn rows(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Sp<Vec<Sp<String>>>>> {
        match v.get_ref() {
            DeValue::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.strings(item, &format!("{path}[{i}]")))
                    .collect(),
            ),
            _ => {
                self.wrong_type(v, path, "an array of rows, each an array of strings");
                None
            }
        }
    }

    fn clearance(&mut self, v: &Value<'_>, path: &str) -> Option<Clearance> {
        let mut t = self.table(v, path)?;
        let original_deadline = self.optional(&mut t, "original_deadline", Self::date);
        let deadline = self.optional(&mut t, "deadline", Self::date);
        let extensions = self
            .optional(&mut t, "extensions", Self::extensions)
            .unwrap_or_default();
        let on_track = self.optional(&mut t, "on_track", Self::boolean);
        let cluster_munition_deadline =
            self.optional(&mut t, "cluster_munition_deadline", Self::date);
        let extent = self.optional(&mut t, "extent", Self::string);
        self.finish(t);
        Some(Clearance {
            original_deadline,
            deadline,
            extensions,
            on_track,
            cluster_munition_deadline,
            extent,
        })
    }

    fn extensions(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Extension>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let granted = self.optional(&mut t, "granted", Self::string);
            let until = self.required(&mut t, "until", Self::date);
            let source = self.optional(&mut t, "source", Self::string);
            self.finish(t);
            if let Some(until) = until {
                out.push(Extension {
                    granted,
                    until,
                    source,
                });
            }
        }
        Some(out)
    }

    fn article7(&mut self, v: &Value<'_>, path: &str) -> Option<Article7> {
        let mut t = self.table(v, path)?;
        let last_submitted = self.optional(&mut t, "last_submitted", Self::date);
        let reports = self
            .optional(&mut t, "reports", Self::article7_reports)
            .unwrap_or_default();
        self.finish(t);
        Some(Article7 {
            last_submitted,
            reports,
        })
    }

    fn article7_reports(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Article7Report>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let covers = self.required(&mut t, "covers", Self::year);
            let submitted = self.optional(&mut t, "submitted", Self::date);
            let source = self.optional(&mut t, "source", Self::string);
            self.finish(t);
            if let Some(covers) = covers {
                out.push(Article7Report {
                    covers,
                    submitted,
                    source,
                });
            }
        }
        Some(out)
    }

    fn tables(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Table>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let id = self.required(&mut t, "id", Self::string);
            let title = self.required(&mut t, "title", Self::string);
            let section = self.optional(&mut t, "section", Self::string);
            let columns = self.required(&mut t, "columns", Self::strings);
            let units = self.optional(&mut t, "units", Self::strings);
            let rows = self
                .required(&mut t, "rows", Self::rows)
                .unwrap_or_default();
            let notes = self
                .optional(&mut t, "notes", Self::table_notes)
                .unwrap_or_default();
            if let Some(columns) = &columns {
                self.table_shape(columns, units.as_ref(), &rows, &t.path);
            }
            self.finish(t);
            if let (Some(id), Some(title), Some(columns)) = (id, title, columns) {
                out.push(Table {
                    id,
                    title,
                    section,
                    columns: columns.value,
                    units: units.map(|u| u.value).unwrap_or_default(),
                    rows,
                    notes,
                });
            }
        }
        Some(out)
    }

    /// Every row, and the units, must have one cell per column.
    fn table_shape(
        &mut self,
        columns: &Sp<Vec<Sp<String>>>,
        units: Option<&Sp<Vec<Sp<String>>>>,
        rows: &[Sp<Vec<Sp<String>>>],
        path: &str,
    ) {
        let n = columns.value.len();
        let lists = units
            .map(|u| (format!("{path}.units"), u))
            .into_iter()
            .chain(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| (format!("{path}.rows[{i}]"), r)),
            );
        let mut wrong = Vec::new();
        for (name, list) in lists {
            if list.value.len() != n {
                wrong.push((name, list.value.len(), list.span.clone()));
            }
        }
        for (name, len, span) in wrong {
            self.problem(
                format!("`{name}` has {len} cells for {n} columns"),
                span,
                Some("give one cell per column; write \"\" for an empty cell".into()),
            );
        }
    }

    fn table_notes(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<TableNote>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let row = self.required(&mut t, "row", Self::string);
            let column = self.optional(&mut t, "column", Self::string);
            let source = self.required(&mut t, "source", Self::string);
            self.finish(t);
            if let (Some(row), Some(source)) = (row, source) {
                out.push(TableNote {
                    row,
                    column,
                    source,
                });
            }
        }
        Some(out)
    }

    fn citations(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Citation>> {
        let t = self.table(v, path)?;
        let mut out = Vec::new();
        for (key, value) in t.table.iter() {
            let name = key.get_ref().as_ref();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
            {
                self.problem(
                    format!(
                        "citation key `{name}` may only use letters, digits, `-`, `_`, `.` and `:`"
                    ),
                    key.span(),
                    Some("markers are written [^key], so the key must be simple".into()),
                );
                continue;
            }
            if let Some(text) = self.prose(value, &format!("{path}.{name}")) {
                out.push(Citation {
                    key: Sp::new(name.to_string(), key.span()),
                    text,
                });
            }
        }
        Some(out)
    }

    fn suppressions(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Suppression>> {
        let mut out = Vec::new();
        for mut t in self.array_of_tables(v, path) {
            let rule = self.required(&mut t, "rule", Self::string);
            let reason = self.required(&mut t, "reason", Self::string);
            let matching = self.optional(&mut t, "matching", Self::string);
            if let Some(reason) = &reason
                && reason.value.trim().is_empty()
            {
                self.problem(
                    "a suppression needs a reason".into(),
                    reason.span.clone(),
                    Some("say why the finding does not apply".into()),
                );
            }
            self.finish(t);
            if let (Some(rule), Some(reason)) = (rule, reason) {
                out.push(Suppression {
                    rule,
                    reason,
                    matching,
                });
            }
        }
        Some(out)
    }
}

/// Parses `YYYY-MM-DD` into its three numbers (no calendar check).
fn parse_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let mut parts = s.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// The known name closest to `name`, when it is close enough to be a likely typo, or the
/// singular or plural of it (`treaty` for `treaties`).
pub fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let plural_of = |one: &str, other: &str| {
        other == format!("{one}s")
            || other == format!("{one}es")
            || one
                .strip_suffix('y')
                .is_some_and(|stem| other == format!("{stem}ies"))
    };
    if let Some(k) = known.iter().find(|k| {
        let k = k.to_lowercase();
        plural_of(&lower, &k) || plural_of(&k, &lower)
    }) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (strsim::osa_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| {
            *d <= (k.chars().count() / 3).max(1)
                + usize::from(lower.replace(['-', '_', ' '], "") == k.replace(['-', '_', ' '], ""))
                    * 2
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Maps decoded string offsets to source offsets for the TOML string literal at `span`.
///
/// Returns checkpoints as used by [`Prose`]: one at the start, and one after every escape
/// sequence or skipped line-ending backslash, where decoded and source offsets drift apart.
fn string_map(source: &str, span: Range<usize>) -> Vec<(usize, usize)> {
    let Some(raw) = source.get(span.clone()) else {
        return vec![(0, span.start)];
    };
    let (quote, literal) = if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with('"') {
        (1, false)
    } else {
        (1, true)
    };
    let mut pos = quote;
    // A newline right after an opening triple quote is trimmed.
    if quote == 3 {
        if raw[pos..].starts_with("\r\n") {
            pos += 2;
        } else if raw[pos..].starts_with('\n') {
            pos += 1;
        }
    }
    let body_end = raw.len().saturating_sub(quote).max(pos);
    let mut map = vec![(0, span.start + pos)];
    if literal {
        return map;
    }
    let bytes = raw.as_bytes();
    let mut decoded = 0usize;
    while pos < body_end {
        if bytes[pos] == b'\\' && pos + 1 < body_end {
            let next = bytes[pos + 1];
            let (consumed, produced) = match next {
                b'u' => (
                    6,
                    char_len(raw.get(pos + 2..(pos + 6).min(body_end)).unwrap_or(""), 16),
                ),
                b'U' => (
                    10,
                    char_len(raw.get(pos + 2..(pos + 10).min(body_end)).unwrap_or(""), 16),
                ),
                b'\n' | b'\r' | b' ' | b'\t' => {
                    // Line-ending backslash: skip all whitespace and newlines that follow.
                    let mut j = pos + 1;
                    while j < body_end && matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r') {
                        j += 1;
                    }
                    (j - pos, 0)
                }
                _ => (
                    1 + raw
                        .get(pos + 1..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8),
                    1,
                ),
            };
            // Stay on character boundaries whatever the escape looked like.
            let mut next = (pos + consumed).min(body_end);
            while !raw.is_char_boundary(next) {
                next += 1;
            }
            pos = next;
            decoded += produced;
            map.push((decoded, span.start + pos));
        } else {
            let c = raw
                .get(pos..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
            pos += c;
            decoded += c;
        }
    }
    map
}

/// UTF-8 length of the character with the given hex code (1 when it is malformed).
fn char_len(hex: &str, radix: u32) -> usize {
    u32::from_str_radix(hex, radix)
        .ok()
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos() {
        assert_eq!(
            did_you_mean("contry", &["country", "iso", "topic"]),
            Some("country")
        );
        assert_eq!(did_you_mean("zzzzzz", &["country", "iso", "topic"]), None);
    }

    #[test]
    fn suggestions_catch_two_letters_swapped() {
        assert_eq!(
            did_you_mean("rloe", &["meeting", "role", "part"]),
            Some("role")
        );
        assert_eq!(did_you_mean("vtoe", &["year", "vote"]), Some("vote"));
    }

    #[test]
    fn suggestions_catch_a_singular_or_plural() {
        let known = ["treaties", "meetings", "status", "conduct"];
        assert_eq!(did_you_mean("treaty", &known), Some("treaties"));
        assert_eq!(did_you_mean("Meeting", &known), Some("meetings"));
        assert_eq!(did_you_mean("statuses", &known), Some("status"));
        assert_eq!(did_you_mean("treatise", &["treaty"]), None);
    }

    #[test]
    fn string_map_tracks_escapes() {
        let src = r#"x = "a\tb c""#;
        let map = string_map(src, 4..src.len());
        let prose = Prose::with_map("a\tb c".into(), map);
        // 'c' is decoded offset 4; in the source it sits at 10.
        assert_eq!(
            &src[prose.source_offset(4)..prose.source_offset(4) + 1],
            "c"
        );
    }

    #[test]
    fn nesting_guard_ignores_strings() {
        assert!(too_deep("a = \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"").is_none());
        assert!(too_deep(&format!("a = {}", "[".repeat(40))).is_some());
    }
}
