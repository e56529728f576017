//! The rules, one module per family of defects. Each rule is a function from a
//! [`Ctx`](super::Ctx) to drafts of findings; its row in [`RULES`](super::RULES) gives it a
//! code, name, severity and docs.

pub mod across;
pub mod citations;
pub mod claim_rules;
pub mod contamination;
pub mod dates;
pub mod footnotes;
pub mod incomplete;
pub mod lint;
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
