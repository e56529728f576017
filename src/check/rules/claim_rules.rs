//! Claims in prose against structured facts and against each other (families 1–7).

use std::collections::BTreeSet;

use crate::check::{Ctx, Draft, Label};
use crate::facts::{Activity, Claim, DateKind, Fact};
use crate::record::{Conduct, ConventionStatus, VoteCast};

use super::{attended, describe_attendance, label, of_the_convention, place};

fn dedup(labels: &mut Vec<Label>) {
    let mut seen = BTreeSet::new();
    labels.retain(|l| seen.insert((l.span.start, l.span.end)));
}

/// DOS101: "last participated ... in YEAR" against later attendance or another such claim.
pub fn last_meeting(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for claim in ctx.facts {
        let Claim::LastMeetingYear { year, formal_only } = claim.claim else {
            continue;
        };
        let mut labels = vec![label(claim, format!("says the last meeting was in {year}"))];
        let mut later = Vec::new();
        for f in ctx.facts {
            if let Some((id, y, kind)) = attended(f, ctx.registry) {
                let counts = if formal_only {
                    kind.is_formal()
                } else {
                    of_the_convention(kind)
                };
                if counts && y > year {
                    later.push(format!("{id} ({y})"));
                    labels.push(label(f, describe_attendance(f, ctx.registry)));
                }
            }
            if let Claim::LastMeetingYear { year: other, .. } = f.claim
                && other > year
                && f.origin.span() != claim.origin.span()
            {
                labels.push(label(f, format!("says the last meeting was in {other}")));
                later.push(format!("another claim ({other})"));
            }
        }
        dedup(&mut labels);
        if labels.len() > 1 {
            later.dedup();
            out.push(
                Draft::new(
                    format!(
                        "{} says the last meeting attended was in {year}, but the record shows {}",
                        place(claim),
                        later.join(", ")
                    ),
                    labels,
                )
                .help("correct the year in the claim (the detailed body is usually right) or the attendance entry"),
            );
        }
    }
    out
}

/// Present attendances at meetings of the convention, one per meeting.
fn convention_attendances<'a>(ctx: &'a Ctx<'_>) -> Vec<(&'a Fact, String)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for f in ctx.facts {
        if let Some((id, _, kind)) = attended(f, ctx.registry)
            && of_the_convention(kind)
            && seen.insert(id.clone())
        {
            out.push((f, id));
        }
    }
    out
}

/// DOS102: "first and only meeting" against several attendances or a plural claim.
pub fn only_attendance(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for claim in ctx
        .facts
        .iter()
        .filter(|f| f.claim == Claim::OnlyAttendance)
    {
        let mut labels = vec![label(claim, "says it attended only one meeting")];
        let attended = convention_attendances(ctx);
        if attended.len() > 1 {
            for (f, _) in &attended {
                labels.push(label(f, describe_attendance(f, ctx.registry)));
            }
        }
        for f in ctx.facts {
            if let Claim::MeetingCount {
                count,
                formal_only: false,
            } = f.claim
                && count.is_none_or(|n| n > 1)
            {
                labels.push(label(f, "speaks of several meetings"));
            }
        }
        dedup(&mut labels);
        if labels.len() > 1 {
            out.push(Draft::new(
                format!(
                    "{} says it attended only one meeting of the convention, but the record shows more",
                    place(claim)
                ),
                labels,
            ));
        }
    }
    // A stated count against the structured attendance list.
    let attended = convention_attendances(ctx);
    let structured: Vec<_> = attended
        .iter()
        .filter(|(f, _)| !f.origin.is_prose())
        .collect();
    if !ctx.record.meetings.is_empty() {
        for f in ctx.facts {
            if let Claim::MeetingCount {
                count: Some(n),
                formal_only,
            } = f.claim
            {
                let actual = structured
                    .iter()
                    .filter(|(_, id)| {
                        !formal_only || ctx.registry.meeting(id).is_some_and(|m| m.kind.is_formal())
                    })
                    .count();
                if actual != n as usize {
                    let mut labels = vec![label(f, format!("says {n} meeting(s)"))];
                    labels.extend(
                        structured
                            .iter()
                            .map(|(a, _)| label(a, describe_attendance(a, ctx.registry))),
                    );
                    out.push(Draft::new(
                        format!(
                            "{} says it attended {n} meeting(s), but {actual} are recorded",
                            place(f)
                        ),
                        labels,
                    ));
                }
            }
        }
    }
    out
}

/// DOS103: "all meetings of the convention" against a recorded absence.
pub fn all_meetings(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for claim in ctx.facts.iter().filter(|f| f.claim == Claim::AllMeetings) {
        let mut labels = vec![label(claim, "says it attended all meetings")];
        for f in ctx.facts {
            if let Claim::Attendance { meeting, role, .. } = &f.claim {
                let counts = ctx
                    .registry
                    .meeting(meeting)
                    .is_some_and(|m| of_the_convention(m.kind));
                if counts && !role.present() {
                    labels.push(label(f, describe_attendance(f, ctx.registry)));
                }
            }
        }
        if labels.len() > 1 {
            out.push(Draft::new(
                format!("{} says it attended all meetings of the convention, but an absence is recorded", place(claim)),
                labels,
            ));
        }
    }
    out
}

/// DOS104: "has not attended since YEAR" against a later attendance.
pub fn not_since(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for claim in ctx.facts {
        let Claim::NotSince(year) = claim.claim else {
            continue;
        };
        let mut labels = vec![label(
            claim,
            format!("says it has not attended since {year}"),
        )];
        for f in ctx.facts {
            if let Some((_, y, kind)) = attended(f, ctx.registry)
                && of_the_convention(kind)
                && y > year
            {
                labels.push(label(f, describe_attendance(f, ctx.registry)));
            }
        }
        dedup(&mut labels);
        if labels.len() > 1 {
            out.push(Draft::new(
                format!(
                    "{} says it has not attended since {year}, but a later attendance is recorded",
                    place(claim)
                ),
                labels,
            ));
        }
    }
    out
}

/// Annual-resolution votes by year: (year, vote, fact).
fn annual_votes<'a>(ctx: &'a Ctx<'_>) -> Vec<(i32, VoteCast, &'a Fact)> {
    ctx.facts
        .iter()
        .filter_map(|f| match &f.claim {
            Claim::Vote {
                year: Some(y),
                vote,
                ..
            } => Some((*y, *vote, f)),
            Claim::VoteInYear { year, vote, .. } => Some((*year, *vote, f)),
            _ => None,
        })
        .collect()
}

fn vote_words(vote: VoteCast) -> &'static str {
    match vote {
        VoteCast::Yes => "voted in favour",
        VoteCast::No => "voted against",
        VoteCast::Abstain => "abstained",
        VoteCast::Absent => "was absent",
    }
}

/// DOS105: votes stated in prose against recorded votes and other claims.
pub fn votes(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let all = annual_votes(ctx);
    for claim in ctx.facts {
        let (from, vote, exact) = match claim.claim {
            Claim::VoteInYear { year, vote, .. } => (year, vote, true),
            Claim::VotedSince { year, vote } => (year, vote, false),
            _ => continue,
        };
        let mut labels = vec![label(
            claim,
            if exact {
                format!("says it {} in {from}", vote_words(vote))
            } else {
                format!("says it {} every year since {from}", vote_words(vote))
            },
        )];
        for (y, v, f) in &all {
            let in_scope = if exact { *y == from } else { *y >= from };
            if in_scope && *v != vote && f.origin.span() != claim.origin.span() {
                labels.push(label(f, format!("{} in {y}", vote_words(*v))));
            }
        }
        dedup(&mut labels);
        if labels.len() > 1 {
            out.push(Draft::new(
                format!("{} states a vote that the record contradicts", place(claim)),
                labels,
            ));
        }
    }
    out
}

/// DOS106: status words against each other, signature dates and deposit dates.
pub fn status(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let statuses: Vec<(&Fact, ConventionStatus)> = ctx
        .facts
        .iter()
        .filter_map(|f| match f.claim {
            Claim::Status(s) => Some((f, s)),
            _ => None,
        })
        .collect();
    if let Some((first, s0)) = statuses.first() {
        for (f, s) in &statuses[1..] {
            if s != s0 {
                out.push(Draft::new(
                    format!("status stated as {} and as {}", s0.label(), s.label()),
                    vec![label(f, s.label()), label(first, s0.label())],
                ));
            }
        }
    }
    for (f, s) in &statuses {
        if *s == ConventionStatus::NonSignatory {
            for d in ctx.facts {
                if let Claim::Date {
                    kind: DateKind::Signed,
                    date,
                } = d.claim
                {
                    out.push(Draft::new(
                        format!(
                            "{} says Non-signatory, but a signature date is given",
                            place(f)
                        ),
                        vec![
                            label(f, "non-signatory"),
                            label(d, format!("signed {date}")),
                        ],
                    ));
                }
            }
        }
    }
    if let Some(status) = &ctx.record.status
        && status.convention.value == ConventionStatus::StateParty
        && status.deposited.is_none()
        && status.in_force.is_none()
    {
        out.push(
            Draft::new(
                "State Party without a ratification, accession or entry-into-force date",
                vec![Label::new(status.convention.span.clone(), "State Party")],
            )
            .help("add `deposited` (and `in_force`) to [status]"),
        );
    }
    out
}

fn names(list: &[Activity]) -> String {
    list.iter()
        .map(|a| a.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// DOS107: two denied activity lists naming different activities.
pub fn activity_lists(ctx: &Ctx<'_>) -> Vec<Draft> {
    let lists: Vec<(&Fact, BTreeSet<Activity>, &[Activity])> = ctx
        .facts
        .iter()
        .filter_map(|f| match &f.claim {
            Claim::ActivityList {
                activities,
                denied: true,
            } if activities.len() >= 2 => Some((
                f,
                activities.iter().copied().collect(),
                activities.as_slice(),
            )),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (i, (a, sa, la)) in lists.iter().enumerate() {
        for (b, sb, lb) in &lists[i + 1..] {
            if sa != sb && (sa.is_subset(sb) || sb.is_subset(sa)) {
                out.push(Draft::new(
                    format!(
                        "{} and {} deny different activities ({} / {})",
                        place(b),
                        place(a),
                        names(lb),
                        names(la)
                    ),
                    vec![
                        label(b, format!("denies {}", names(lb))),
                        label(a, format!("denies {}", names(la))),
                    ],
                ));
            }
        }
    }
    out
}

/// DOS108: a denied activity recorded as done in the structured conduct.
pub fn conduct(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for f in ctx.facts {
        let Claim::ActivityList {
            activities,
            denied: true,
        } = &f.claim
        else {
            continue;
        };
        for c in ctx.facts {
            if let Claim::Conduct {
                activity,
                conduct: Conduct::Yes,
            } = c.claim
            {
                // Denying export or import alone does not deny every transfer.
                if activities.contains(&activity) && activity != Activity::Transfer {
                    out.push(Draft::new(
                        format!(
                            "{} denies {}, which the record says happened",
                            place(f),
                            activity.label()
                        ),
                        vec![
                            label(f, format!("denies {}", activity.label())),
                            label(c, format!("{}: yes", activity.label())),
                        ],
                    ));
                }
            }
        }
    }
    out
}

/// DOS109: membership of a related treaty stated two ways.
pub fn treaties(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let facts: Vec<_> = ctx
        .facts
        .iter()
        .filter_map(|f| match f.claim {
            Claim::Treaty { treaty, standing } => Some((f, treaty, standing)),
            _ => None,
        })
        .collect();
    for (i, (a, ta, sa)) in facts.iter().enumerate() {
        if let Some((b, _, sb)) = facts[..i].iter().find(|(_, tb, sb)| tb == ta && sb != sa) {
            out.push(Draft::new(
                format!(
                    "{} membership stated as {} and as {}",
                    ta.label(),
                    sb.label(),
                    sa.label()
                ),
                vec![label(a, sa.label()), label(b, sb.label())],
            ));
        }
    }
    out
}
