//! The one writer of record files: a [`Record`] as TOML in the canonical layout, which the
//! loader reads back to the same values.
//!
//! Every producer of new records (`dossier new`, `dossier import`, `dossier synth`) builds a
//! [`Record`] and writes it here; `dossier rollover` edits existing files in place with a
//! format-preserving editor instead, so that an editor's comments and layout survive.
//!
//! Prose goes into `"""` multi-line basic strings (with `\` and runs of `"` escaped), other
//! text into one-line basic strings; citations keep their order; dates are TOML local dates.
//! With [`WriteOptions::annotate`] every key gets a comment that explains it, and the
//! optional keys and tables the record leaves out are shown as commented-out examples.

use std::fmt::Write as _;

use super::{
    Attendance, Conduct, ConductFacts, ConventionStatus, Date, DepositKind, Overview, Prose,
    Record, Role, Sp, Status, Suppression, Topic, Treaties, TreatyStanding, Vote, VoteCast,
};

/// The schema line written at the top of every record (relative to `profiles/EDITION/`), so
/// TOML editors (taplo, Even Better TOML) find the schema.
pub const SCHEMA_LINE: &str = "#:schema ../../checks/record.schema.json";

/// How a record is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Comment lines written under the schema line (without the leading `# `).
    pub heading: Vec<String>,
    /// Explains every key in a comment above it and shows the optional keys and tables the
    /// record leaves out as commented-out examples: the skeleton of `dossier new`.
    pub annotate: bool,
}

/// The record as TOML text in the canonical layout, starting with the schema line.
pub fn to_toml(record: &Record) -> String {
    write_record(record, &WriteOptions::default())
}

/// The record as TOML text, written as `options` say.
pub fn write_record(record: &Record, options: &WriteOptions) -> String {
    let mut w = Writer {
        annotate: options.annotate,
        example_year: record.edition.value,
        ..Writer::default()
    };
    w.line(SCHEMA_LINE);
    for line in &options.heading {
        w.comment(line);
    }
    if options.annotate {
        w.comment(
            "Each key is explained by the comment above it. Lines starting with `#` are comments:",
        );
        w.comment(
            "uncomment an optional key to use it. Dates are written YYYY-MM-DD without quotes.",
        );
    }
    w.blank();
    top_level(&mut w, record);
    status(&mut w, record.status.as_ref());
    treaties(&mut w, record.treaties.as_ref());
    overview(&mut w, record.overview.as_ref());
    meetings(&mut w, &record.meetings);
    votes(&mut w, &record.votes);
    conduct(&mut w, record.conduct.as_ref());
    sections(&mut w, record);
    clearance(&mut w, record.clearance.as_ref());
    article7(&mut w, record.article7.as_ref());
    data_tables(&mut w, &record.tables);
    citations(&mut w, record);
    suppressions(&mut w, &record.suppress);
    w.out
}

/// `a | b | c`: the keywords of a closed set, for comments.
fn choices<E: Copy>(all: &[E], keyword: fn(E) -> &'static str) -> String {
    all.iter()
        .map(|e| keyword(*e))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The top-level keys: identity, dates, notes and the summary.
fn top_level(w: &mut Writer, record: &Record) {
    let year = w.example_year;
    w.key(
        "country",
        "Country name as printed in the profile.",
        Some(text(&record.country)),
        "",
    );
    w.key(
        "iso",
        "ISO 3166-1 alpha-2 code: two capital letters.",
        Some(text(&record.iso)),
        "",
    );
    let topics = choices(Topic::ALL, Topic::keyword);
    let topic = quote(record.topic.keyword());
    w.key(
        "topic",
        &format!("The profile's topic: {topics}"),
        Some(topic),
        "",
    );
    let edition = record.edition.value.to_string();
    w.key(
        "edition",
        "Edition year: the monitor's report year.",
        Some(edition),
        "",
    );
    w.key(
        "last_updated",
        "Date printed as \"Last updated\"; set it when the text is final.",
        record.last_updated.as_ref().map(date),
        &format!("{year}-08-01"),
    );
    let review = record.needs_review.as_ref().map(text);
    w.key(
        "needs_review",
        "What an editor must review before this record is final.",
        review,
        "",
    );
    let incomplete = record.incomplete.as_ref().map(text);
    w.key(
        "incomplete",
        "What the imported page was missing.",
        incomplete,
        "",
    );
    let label = record.summary_label.as_ref().map(text);
    w.key(
        "summary_label",
        "The label the summary was published under.",
        label,
        "",
    );
    if let Some(summary) = &record.summary {
        w.blank();
        w.key(
            "summary",
            "The summary paragraph(s), set apart at the top of the profile. Blank lines separate\n\
             paragraphs; [^key] cites a source from [citations]; _Title_ sets a title in italics.",
            Some(multiline(&summary.text)),
            "",
        );
    }
}

/// The `[status]` table.
fn status(w: &mut Writer, status: Option<&Status>) {
    let Some(s) = status else { return };
    w.table(
        "[status]",
        "Standing towards the Convention on Cluster Munitions.",
    );
    let convention = quote(s.convention.keyword());
    let all = choices(ConventionStatus::ALL, ConventionStatus::keyword);
    w.key("convention", &all, Some(convention), "");
    w.key(
        "signed",
        "Date of signature.",
        s.signed.as_ref().map(date),
        "2008-12-03",
    );
    w.key(
        "deposited",
        "Date the instrument of ratification or accession was deposited.",
        s.deposited.as_ref().map(date),
        "2008-12-03",
    );
    w.key(
        "deposit_kind",
        &format!(
            "How the state consented to be bound: {}",
            choices(DepositKind::ALL, DepositKind::keyword)
        ),
        s.deposit_kind.as_ref().map(|k| quote(k.keyword())),
        "\"ratification\"",
    );
    w.key(
        "in_force",
        "Date the convention entered into force for the state (Article 17).",
        s.in_force.as_ref().map(date),
        "2010-08-01",
    );
    w.key(
        "report_due",
        "Due date of the initial Article 7 transparency report.",
        s.report_due.as_ref().map(date),
        "2011-01-28",
    );
    w.key(
        "stockpile_deadline",
        "Article 3 stockpile destruction deadline.",
        s.stockpile_deadline.as_ref().map(date),
        "2018-08-01",
    );
    w.key(
        "legislation",
        "Date national implementation legislation was adopted.",
        s.legislation.as_ref().map(date),
        "2009-06-19",
    );
}

/// The `[treaties]` table.
fn treaties(w: &mut Writer, treaties: Option<&Treaties>) {
    let Some(t) = treaties else { return };
    let all = choices(TreatyStanding::ALL, TreatyStanding::keyword);
    w.table(
        "[treaties]",
        &format!("Standing towards related treaties: {all}"),
    );
    let standing = |v: &Option<Sp<TreatyStanding>>| v.as_ref().map(|v| quote(v.keyword()));
    w.key(
        "mine_ban_treaty",
        "The 1997 Mine Ban Treaty.",
        standing(&t.mine_ban_treaty),
        "",
    );
    w.key(
        "ccw",
        "The Convention on Conventional Weapons (CCW).",
        standing(&t.ccw),
        "",
    );
}

/// The `[overview]` table of the 2010–2014 pages, values as published.
fn overview(w: &mut Writer, overview: Option<&Overview>) {
    let Some(o) = overview else { return };
    w.table(
        "[overview]",
        "The overview block of the page, value by value, as published.",
    );
    for (key, value) in [
        ("status", &o.status),
        ("legislation", &o.legislation),
        ("participation", &o.participation),
        ("key_developments", &o.key_developments),
    ] {
        let value = value.as_ref().map(|v| quote(&v.text));
        w.key(key, "A value of the overview block.", value, "");
    }
}

/// The `[[meetings]]` tables (an example when annotating a record without any).
fn meetings(w: &mut Writer, meetings: &[Attendance]) {
    if meetings.is_empty() && w.annotate {
        let example = Attendance {
            meeting: Sp::detached("4MSP".into()),
            role: Sp::detached(Role::Observer),
            part: Some(Sp::detached(1)),
            source: Some(Sp::detached("key".into())),
        };
        w.commented(|w| attendance(w, &example));
    }
    for m in meetings {
        attendance(w, m);
    }
}

/// One `[[meetings]]` table.
fn attendance(w: &mut Writer, m: &Attendance) {
    w.table(
        "[[meetings]]",
        "Meeting attendance: one [[meetings]] table per meeting, by id from checks/meetings.toml.",
    );
    w.key(
        "meeting",
        "Registry id of the meeting.",
        Some(text(&m.meeting)),
        "",
    );
    let roles = format!("Role: {}", choices(Role::ALL, Role::keyword));
    w.key("role", &roles, Some(quote(m.role.keyword())), "");
    w.key(
        "part",
        "For a meeting held in parts, the part (1-based) this entry is about.",
        m.part.as_ref().map(|p| p.value.to_string()),
        "",
    );
    w.key(
        "source",
        "Citation key of the source.",
        m.source.as_ref().map(text),
        "",
    );
}

/// The `[[votes]]` tables (an example when annotating a record without any).
fn votes(w: &mut Writer, votes: &[Vote]) {
    if votes.is_empty() && w.annotate {
        let example = Vote {
            year: Some(Sp::detached(w.example_year - 1)),
            resolution: None,
            vote: Sp::detached(VoteCast::Yes),
            source: Some(Sp::detached("key".into())),
        };
        w.commented(|w| vote(w, &example));
    }
    for v in votes {
        vote(w, v);
    }
}

/// One `[[votes]]` table.
fn vote(w: &mut Writer, v: &Vote) {
    w.table(
        "[[votes]]",
        "UN General Assembly votes: one [[votes]] table per vote. `year` names the annual\n\
         resolution on the convention; `resolution = \"68/182\"` names another one instead.",
    );
    let year = v.year.as_ref().map(|y| y.value.to_string());
    w.key("year", "Year of the annual resolution.", year, "");
    let resolution = v.resolution.as_ref().map(text);
    w.key(
        "resolution",
        "Registry id of another resolution.",
        resolution,
        "",
    );
    let casts = format!("Vote: {}", choices(VoteCast::ALL, VoteCast::keyword));
    w.key("vote", &casts, Some(quote(v.vote.keyword())), "");
    w.key(
        "source",
        "Citation key of the source.",
        v.source.as_ref().map(text),
        "",
    );
}

/// The `[conduct]` table (an example when annotating a record without one).
fn conduct(w: &mut Writer, conduct: Option<&ConductFacts>) {
    match conduct {
        Some(c) => conduct_table(w, c),
        None if w.annotate => {
            let never = || Some(Sp::detached(Conduct::Never));
            let example = ConductFacts {
                used: never(),
                produced: never(),
                transferred: never(),
                stockpiled: never(),
                stated: Some(Sp::detached(w.example_year - 1)),
                stockpile_destroyed: None,
                source: Some(Sp::detached("key".into())),
            };
            w.commented(|w| conduct_table(w, &example));
        }
        None => {}
    }
}

/// One `[conduct]` table.
fn conduct_table(w: &mut Writer, c: &ConductFacts) {
    let all = choices(Conduct::ALL, Conduct::keyword);
    w.table(
        "[conduct]",
        &format!("Use, production, transfer and stockpiling: {all}"),
    );
    for (key, doc, value) in [
        ("used", "Use of cluster munitions.", &c.used),
        ("produced", "Production.", &c.produced),
        (
            "transferred",
            "Transfer (import or export).",
            &c.transferred,
        ),
        ("stockpiled", "Stockpiling.", &c.stockpiled),
    ] {
        w.key(key, doc, value.as_ref().map(|v| quote(v.keyword())), "");
    }
    let stated = c.stated.as_ref().map(|s| s.value.to_string());
    w.key("stated", "Year the state made the statement.", stated, "");
    w.key(
        "stockpile_destroyed",
        "Date stockpile destruction was completed.",
        c.stockpile_destroyed.as_ref().map(date),
        "2010-07-16",
    );
    w.key(
        "source",
        "Citation key of the source.",
        c.source.as_ref().map(text),
        "",
    );
}

/// The `[[sections]]` tables.
fn sections(w: &mut Writer, record: &Record) {
    for s in &record.sections {
        w.table(
            "[[sections]]",
            "Titled prose sections, in order: one [[sections]] table each.",
        );
        w.key("title", "Heading as printed.", Some(text(&s.title)), "");
        w.key(
            "text",
            "The section's paragraphs (blank lines separate paragraphs).",
            Some(multiline(&s.text.text)),
            "",
        );
    }
}

/// The `[citations]` table (written empty when annotating, for the editor to fill).
fn citations(w: &mut Writer, record: &Record) {
    if record.citations.is_empty() && !w.annotate {
        return;
    }
    w.table(
        "[citations]",
        "Sources cited in the prose with [^key] markers: key = \"footnote text\".",
    );
    for c in &record.citations {
        w.line(&format!("{} = {}", key(&c.key), quote(&c.text.text)));
    }
}

/// The `[[suppress]]` tables (an example when annotating a record without any).
fn suppressions(w: &mut Writer, suppress: &[Suppression]) {
    if suppress.is_empty() && w.annotate {
        let example = Suppression {
            rule: Sp::detached("DOS101".into()),
            reason: Sp::detached("why the finding does not apply".into()),
            matching: Some(Sp::detached(w.example_year.to_string())),
        };
        w.commented(|w| suppression(w, &example));
    }
    for s in suppress {
        suppression(w, s);
    }
}

/// One `[[suppress]]` table.
fn suppression(w: &mut Writer, s: &Suppression) {
    w.table(
        "[[suppress]]",
        "Checker findings excused on purpose, each with its reason.",
    );
    w.key("rule", "Rule code or name.", Some(text(&s.rule)), "");
    w.key(
        "reason",
        "Why the finding is wrong or accepted.",
        Some(text(&s.reason)),
        "",
    );
    let matching = s.matching.as_ref().map(text);
    w.key(
        "matching",
        "Optional text the finding must mention.",
        matching,
        "",
    );
}

/// A list of strings on one line: `["a", "b"]`.
fn string_list(items: &[Sp<String>]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(&i.value)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Mine Action's `[clearance]` table and its extensions.
fn clearance(w: &mut Writer, clearance: Option<&super::Clearance>) {
    let Some(c) = clearance else { return };
    w.table(
        "[clearance]",
        "Mine Action: the Article 5 clearance deadline.",
    );
    let original = c.original_deadline.as_ref().map(date);
    w.key(
        "original_deadline",
        "The first Article 5 deadline.",
        original,
        "",
    );
    let deadline = c.deadline.as_ref().map(date);
    w.key("deadline", "The deadline now in force.", deadline, "");
    let on_track = c.on_track.as_ref().map(|b| b.value.to_string());
    w.key(
        "on_track",
        "Whether the state is on track to meet it.",
        on_track,
        "",
    );
    for e in &c.extensions {
        w.table(
            "[[clearance.extensions]]",
            "One extension of the deadline, oldest first.",
        );
        let granted = e.granted.as_ref().map(text);
        w.key("granted", "The meeting that granted it.", granted, "");
        w.key("until", "The new deadline.", Some(date(&e.until)), "");
        let source = e.source.as_ref().map(text);
        w.key("source", "Citation key of the source.", source, "");
    }
}

/// Mine Ban Policy's `[article7]` table and its reports.
fn article7(w: &mut Writer, article7: Option<&super::Article7>) {
    let Some(a) = article7 else { return };
    w.table(
        "[article7]",
        "Mine Ban Policy: the Mine Ban Treaty's Article 7 transparency reports.",
    );
    let last = a.last_submitted.as_ref().map(date);
    w.key(
        "last_submitted",
        "Date the latest report was submitted.",
        last,
        "",
    );
    for r in &a.reports {
        w.table(
            "[[article7.reports]]",
            "One report, by the calendar year it covers, oldest first.",
        );
        w.key(
            "covers",
            "The calendar year it covers.",
            Some(r.covers.value.to_string()),
            "",
        );
        let submitted = r.submitted.as_ref().map(date);
        w.key("submitted", "Date it was submitted.", submitted, "");
        let source = r.source.as_ref().map(text);
        w.key("source", "Citation key of the source.", source, "");
    }
}

/// The `[[tables]]` of figures, one row of cells per line.
fn data_tables(w: &mut Writer, tables: &[super::Table]) {
    for t in tables {
        w.table(
            "[[tables]]",
            "A table of figures, printed after its section.",
        );
        w.key("id", "Short name of the table.", Some(text(&t.id)), "");
        w.key("title", "Caption as printed.", Some(text(&t.title)), "");
        let section = t.section.as_ref().map(text);
        w.key("section", "The section it follows.", section, "");
        w.key(
            "columns",
            "Column headings.",
            Some(string_list(&t.columns)),
            "",
        );
        let units = (!t.units.is_empty()).then(|| string_list(&t.units));
        w.key("units", "Each column's unit (\"\" for none).", units, "");
        let rows: Vec<String> = t
            .rows
            .iter()
            .map(|r| format!("  {},\n", string_list(&r.value)))
            .collect();
        let rows = format!("[\n{}]", rows.concat());
        w.key("rows", "One row of cells per line.", Some(rows), "");
        for n in &t.notes {
            w.table("[[tables.notes]]", "A footnote on a row or one cell.");
            w.key("row", "The row, by its first cell.", Some(text(&n.row)), "");
            let column = n.column.as_ref().map(text);
            w.key("column", "The column, for a note on one cell.", column, "");
            w.key(
                "source",
                "Citation key of the note.",
                Some(text(&n.source)),
                "",
            );
        }
    }
}

/// Accumulates the TOML text.
#[derive(Default)]
struct Writer {
    out: String,
    /// Whether keys get explanatory comments and absent optional keys examples.
    annotate: bool,
    /// Whether keys and headers are written commented out (an example block).
    commented: bool,
    /// The year examples use.
    example_year: i32,
}

impl Writer {
    fn line(&mut self, line: &str) {
        if self.commented {
            self.out.push_str("# ");
        }
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// Comment lines; characters a comment cannot hold are left out.
    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            self.out.push_str("# ");
            self.out
                .extend(line.chars().filter(|c| !c.is_control() || *c == '\t'));
            self.out.push('\n');
        }
    }

    fn table(&mut self, header: &str, doc: &str) {
        self.blank();
        if self.annotate {
            self.comment(doc);
        }
        self.line(header);
    }

    /// `key = value` with its comment, or the commented-out `example` when there is no value
    /// and the record is annotated (nothing when the example is empty).
    fn key(&mut self, key: &str, doc: &str, value: Option<String>, example: &str) {
        match value {
            Some(value) => {
                if self.annotate {
                    self.comment(doc);
                }
                self.line(&format!("{key} = {value}"));
            }
            None if self.annotate && !example.is_empty() => {
                self.comment(doc);
                self.comment(&format!("{key} = {example}"));
            }
            None => {}
        }
    }

    /// Writes what `write` writes commented out.
    fn commented(&mut self, write: impl FnOnce(&mut Self)) {
        self.commented = true;
        write(self);
        self.commented = false;
    }
}

/// A text value as a TOML string.
fn text(value: &Sp<String>) -> String {
    quote(&value.value)
}

/// A date value as a TOML local date.
fn date(value: &Sp<Date>) -> String {
    value.value.0.format("%Y-%m-%d").to_string()
}

/// A key as TOML: bare when it only uses letters, digits, `-` and `_`, quoted otherwise.
fn key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        name.to_string()
    } else {
        quote(name)
    }
}

/// A one-line TOML basic string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `"""` multi-line basic string whose decoded value is exactly `text`.
///
/// The newline after the opening quotes is trimmed by TOML, so the text starts on the next
/// line. A `"` is escaped when another `"` or the closing quotes follow it, so no run of three
/// can form; `\` and control characters other than newline and tab are escaped.
fn multiline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str("\"\"\"\n");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if chars.peek().is_none_or(|&n| n == '"') => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// Prose built in code (not read from a file), for producers of records.
pub fn prose(text: impl Into<String>) -> Sp<Prose> {
    Sp::detached(Prose::detached(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiline_strings_decode_to_the_same_text() {
        for text in [
            "plain\n",
            "ends with a quote\"",
            "three \"\"\" quotes and \\ a backslash",
            "\"\"\"\"\"\"",
            "tab\tand \u{7} bell and \r return",
            "",
        ] {
            let doc = format!("x = {}\ny = {}\n", multiline(text), quote(text));
            let value: toml::Table = toml::from_str(&doc).expect("valid TOML");
            assert_eq!(value["x"].as_str(), Some(text), "{doc}");
            assert_eq!(value["y"].as_str(), Some(text), "{doc}");
        }
    }
}
