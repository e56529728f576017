//! The rules, one module per family of defects. Each rule is a function from a
//! [`Ctx`](super::Ctx) to drafts of findings; its row in [`RULES`](super::RULES) gives it a
//! code, name, severity and docs.

pub mod across;
pub mod carry_over;
pub mod citations;
pub mod claim_rules;
pub mod contamination;
pub mod dates;
pub mod footnotes;
pub mod incomplete;
pub mod lint;
pub mod location;
pub mod other_treaty;
pub mod positions;
pub mod quantities;
pub mod review;
pub mod tables;
pub mod usage;
pub mod words;

use crate::facts::{Claim, Fact};
use crate::record::Role;
use crate::registry::{MeetingKind, Registry};

use super::Label;

/// A label on a fact, saying `text`.
pub(crate) fn label(fact: &Fact, text: impl Into<String>) -> Label {
    Label::new(fact.origin.span(), text)
}

/// Where a fact was stated, for messages: "summary", "meetings[3]", "citation KEY".
pub(crate) fn place(fact: &Fact) -> String {
    match &fact.origin {
        crate::facts::Origin::Field { path, .. } => format!("`{path}`"),
        crate::facts::Origin::Prose { block, .. } => block.clone(),
    }
}

/// A meeting attended (present) according to a fact: (meeting id, year of attendance).
pub(crate) fn attended(fact: &Fact, registry: &Registry) -> Option<(String, i32, MeetingKind)> {
    let Claim::Attendance {
        meeting,
        role,
        part,
    } = &fact.claim
    else {
        return None;
    };
    if !role.present() {
        return None;
    }
    let m = registry.meeting(meeting)?;
    let session = match part {
        Some(p) => m.sessions.get((*p as usize).checked_sub(1)?)?,
        None => m.sessions.last()?,
    };
    use chrono::Datelike;
    Some((meeting.clone(), session.end.year(), m.kind))
}

/// Whether a meeting kind counts as a "meeting of the convention" (formal meetings and
/// intersessional meetings; not the Oslo Process or other conferences).
pub(crate) fn of_the_convention(kind: MeetingKind) -> bool {
    kind.is_formal() || kind == MeetingKind::Intersessional
}

/// "attended 4MSP (Lusaka, Zambia, September 2013) as observer".
pub(crate) fn describe_attendance(fact: &Fact, registry: &Registry) -> String {
    if let Claim::Attendance { meeting, role, .. } = &fact.claim {
        let when = registry
            .meeting(meeting)
            .map(|m| format!(" ({})", m.when_where()))
            .unwrap_or_default();
        let how = match role {
            Role::Observer => " as an observer",
            _ => "",
        };
        return format!("{} {meeting}{when}{how}", role_verb(*role));
    }
    fact.claim.to_string()
}

fn role_verb(role: Role) -> &'static str {
    match role {
        Role::Attended | Role::Observer => "attended",
        Role::InvitedAbsent => "invited to, did not attend",
        Role::Absent => "did not attend",
        Role::NotInvited => "not invited to",
    }
}

/// One sentence of a record's summary or sections, with the paragraph it is in.
pub(crate) struct ProseSentence<'a> {
    /// The prose block.
    pub(crate) prose: &'a crate::record::Prose,
    /// The paragraph's range in the block's text.
    pub(crate) paragraph: std::ops::Range<usize>,
    /// The sentence's range in the block's text.
    pub(crate) range: std::ops::Range<usize>,
}

impl ProseSentence<'_> {
    /// The sentence as written (markers included).
    pub(crate) fn text(&self) -> &str {
        &self.prose.text[self.range.clone()]
    }

    /// The paragraph as written.
    pub(crate) fn paragraph_text(&self) -> &str {
        &self.prose.text[self.paragraph.clone()]
    }

    /// The source span of a range of the sentence.
    pub(crate) fn span(&self, within: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.prose
            .source_range(self.range.start + within.start..self.range.start + within.end)
    }
}

/// Every sentence of a record's summary and sections, in reading order.
pub(crate) fn prose_sentences(record: &crate::record::Record) -> Vec<ProseSentence<'_>> {
    let mut out = Vec::new();
    for (_, block) in record.prose_blocks() {
        let prose = &block.value;
        for paragraph in crate::record::prose::paragraph_ranges(&prose.text) {
            let text = &prose.text[paragraph.clone()];
            for sentence in crate::facts::claims::sentences(text) {
                out.push(ProseSentence {
                    prose,
                    paragraph: paragraph.clone(),
                    range: paragraph.start + sentence.start..paragraph.start + sentence.end,
                });
            }
        }
    }
    out
}
