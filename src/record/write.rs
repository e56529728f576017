//! Writing records as TOML that the loader reads back to the same values.
//!
//! Prose goes into `"""` multi-line basic strings (with `\` and runs of `"` escaped), other
//! text into one-line basic strings; citations keep their order; dates are TOML local dates.

use std::fmt::Write as _;

use super::{Date, Prose, Record, Sp};

/// The schema line written at the top of every record (relative to `profiles/EDITION/`).
pub const SCHEMA_LINE: &str = "#:schema ../../checks/record.schema.json";

/// The record as TOML text, starting with the schema line.
#[expect(
    clippy::too_many_lines,
    reason = "long function: split into named steps"
)]
pub fn to_toml(record: &Record) -> String {
    let mut w = Writer::default();
    w.line(SCHEMA_LINE);
    w.blank();
    w.string("country", &record.country);
    w.string("iso", &record.iso);
    w.raw("topic", &quote(record.topic.keyword()));
    w.raw("edition", &record.edition.value.to_string());
    w.date("last_updated", record.last_updated.as_ref());
    w.opt_string("needs_review", record.needs_review.as_ref());
    w.opt_string("incomplete", record.incomplete.as_ref());
    w.opt_string("summary_label", record.summary_label.as_ref());
    if let Some(summary) = &record.summary {
        w.blank();
        w.prose("summary", summary);
    }
    if let Some(s) = &record.status {
        w.table("[status]");
        w.raw("convention", &quote(s.convention.keyword()));
        w.date("signed", s.signed.as_ref());
        w.date("deposited", s.deposited.as_ref());
        if let Some(k) = &s.deposit_kind {
            w.raw("deposit_kind", &quote(k.keyword()));
        }
        w.date("in_force", s.in_force.as_ref());
        w.date("report_due", s.report_due.as_ref());
        w.date("stockpile_deadline", s.stockpile_deadline.as_ref());
        w.date("legislation", s.legislation.as_ref());
    }
    if let Some(t) = &record.treaties {
        w.table("[treaties]");
        if let Some(v) = &t.mine_ban_treaty {
            w.raw("mine_ban_treaty", &quote(v.keyword()));
        }
        if let Some(v) = &t.ccw {
            w.raw("ccw", &quote(v.keyword()));
        }
    }
    if let Some(o) = &record.overview {
        w.table("[overview]");
        for (key, value) in [
            ("status", &o.status),
            ("legislation", &o.legislation),
            ("participation", &o.participation),
            ("key_developments", &o.key_developments),
        ] {
            if let Some(value) = value {
                w.raw(key, &quote(&value.text));
            }
        }
    }
    for m in &record.meetings {
        w.table("[[meetings]]");
        w.string("meeting", &m.meeting);
        w.raw("role", &quote(m.role.keyword()));
        if let Some(part) = &m.part {
            w.raw("part", &part.value.to_string());
        }
        w.opt_string("source", m.source.as_ref());
    }
    for v in &record.votes {
        w.table("[[votes]]");
        if let Some(year) = &v.year {
            w.raw("year", &year.value.to_string());
        }
        w.opt_string("resolution", v.resolution.as_ref());
        w.raw("vote", &quote(v.vote.keyword()));
        w.opt_string("source", v.source.as_ref());
    }
    if let Some(c) = &record.conduct {
        w.table("[conduct]");
        for (key, value) in [
            ("used", &c.used),
            ("produced", &c.produced),
            ("transferred", &c.transferred),
            ("stockpiled", &c.stockpiled),
        ] {
            if let Some(value) = value {
                w.raw(key, &quote(value.keyword()));
            }
        }
        if let Some(stated) = &c.stated {
            w.raw("stated", &stated.value.to_string());
        }
        w.date("stockpile_destroyed", c.stockpile_destroyed.as_ref());
        w.opt_string("source", c.source.as_ref());
    }
    for s in &record.sections {
        w.table("[[sections]]");
        w.string("title", &s.title);
        w.prose("text", &s.text);
    }
    if let Some(c) = &record.clearance {
        w.clearance(c);
    }
    for t in &record.tables {
        w.data_table(t);
    }
    if !record.citations.is_empty() {
        w.table("[citations]");
        for c in &record.citations {
            w.raw(&key(&c.key), &quote(&c.text.text));
        }
    }
    for s in &record.suppress {
        w.table("[[suppress]]");
        w.string("rule", &s.rule);
        w.string("reason", &s.reason);
        w.opt_string("matching", s.matching.as_ref());
    }
    w.out
}

/// A list of strings on one line: `["a", "b"]`.
fn string_list(items: &[Sp<String>]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(&i.value)).collect();
    format!("[{}]", quoted.join(", "))
}

impl Writer {
    fn clearance(&mut self, c: &super::Clearance) {
        self.table("[clearance]");
        self.date("original_deadline", c.original_deadline.as_ref());
        self.date("deadline", c.deadline.as_ref());
        if let Some(on_track) = &c.on_track {
            self.raw("on_track", &on_track.value.to_string());
        }
        for e in &c.extensions {
            self.table("[[clearance.extensions]]");
            self.opt_string("granted", e.granted.as_ref());
            self.date("until", Some(&e.until));
            self.opt_string("source", e.source.as_ref());
        }
    }

    fn data_table(&mut self, t: &super::Table) {
        self.table("[[tables]]");
        self.string("id", &t.id);
        self.string("title", &t.title);
        self.opt_string("section", t.section.as_ref());
        self.raw("columns", &string_list(&t.columns));
        if !t.units.is_empty() {
            self.raw("units", &string_list(&t.units));
        }
        self.line("rows = [");
        for row in &t.rows {
            self.line(&format!("  {},", string_list(&row.value)));
        }
        self.line("]");
        for n in &t.notes {
            self.table("[[tables.notes]]");
            self.string("row", &n.row);
            self.opt_string("column", n.column.as_ref());
            self.string("source", &n.source);
        }
    }
}

/// Accumulates the TOML text.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn table(&mut self, header: &str) {
        self.blank();
        self.line(header);
    }

    fn raw(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.out, "{key} = {value}");
    }

    fn string(&mut self, key: &str, value: &Sp<String>) {
        self.raw(key, &quote(&value.value));
    }

    fn opt_string(&mut self, key: &str, value: Option<&Sp<String>>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    fn date(&mut self, key: &str, value: Option<&Sp<Date>>) {
        if let Some(value) = value {
            self.raw(key, &value.value.0.format("%Y-%m-%d").to_string());
        }
    }

    fn prose(&mut self, key: &str, value: &Sp<Prose>) {
        self.raw(key, &multiline(&value.text));
    }
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
