//! Across records: other topics of the same edition, the previous edition (families 14,
//! 18, 19).

use crate::check::{Checked, Ctx, Draft, Elsewhere, Label, is_own_fact};
use crate::facts::{Claim, DateKind, Fact, Treaty};
use crate::record::{ConventionStatus, TreatyStanding};
use crate::registry::TreatyId;

/// The identity of a past fact that should not change between editions, and its value.
/// The Mine Ban Treaty's status and dates are keyed by the treaty, so that a Mine Ban Policy
/// profile's status meets the other topics' "not party to the Mine Ban Treaty".
fn keyed(fact: &Fact) -> Option<(String, String, &'static str)> {
    let mine_ban = fact.treaty == Some(TreatyId::MineBanTreaty);
    match &fact.claim {
        Claim::Status(s) if mine_ban => {
            let standing = match s {
                ConventionStatus::StateParty => TreatyStanding::Party,
                ConventionStatus::Signatory => TreatyStanding::Signatory,
                ConventionStatus::NonSignatory => TreatyStanding::NotParty,
            };
            Some((
                Treaty::MineBanTreaty.label().into(),
                standing.label().into(),
                "treaty",
            ))
        }
        Claim::Date { kind, date } if mine_ban && *kind != DateKind::LastReport => Some((
            format!("Mine Ban Treaty {} date", kind.label()),
            date.to_string(),
            "date",
        )),
        Claim::Status(s) => Some(("status".into(), s.label().into(), "status")),
        Claim::Date { kind, date }
            if matches!(
                kind,
                DateKind::Signed
                    | DateKind::Deposited
                    | DateKind::InForce
                    | DateKind::StockpileDestroyed
            ) =>
        {
            Some((format!("{} date", kind.label()), date.to_string(), "date"))
        }
        Claim::Treaty { treaty, standing } => {
            Some((treaty.label().into(), standing.label().into(), "treaty"))
        }
        Claim::Attendance {
            meeting,
            role,
            part,
        } => Some((
            match part {
                Some(p) => format!("attendance at {meeting} part {p}"),
                None => format!("attendance at {meeting}"),
            },
            role.label().into(),
            "attendance",
        )),
        Claim::Vote {
            resolution, vote, ..
        } => Some((format!("vote on {resolution}"), vote.label().into(), "vote")),
        Claim::Conduct { activity, conduct } => {
            Some((activity.label().into(), conduct.label().into(), "conduct"))
        }
        _ => None,
    }
}

fn first_by_key<'a>(facts: &'a [Fact], key: &str) -> Option<(&'a Fact, String)> {
    facts
        .iter()
        .find_map(|f| keyed(f).and_then(|(k, v, _)| (k == key).then_some((f, v))))
}

fn elsewhere(other: &Checked, labels: Vec<Label>) -> Elsewhere {
    Elsewhere {
        path: other.record.path.clone(),
        source: other.record.source.clone(),
        labels,
    }
}

/// DOS401: two topics of one edition that disagree on shared facts: treaty status and
/// membership (in fields or prose), treaty dates, and contamination.
pub fn topics(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for sib in &ctx.siblings {
        out.extend(standing_disagreements(ctx.facts, sib));
        out.extend(super::contamination::disagreements(
            ctx.record, ctx.facts, sib,
        ));
    }
    out
}

/// Status, treaty membership and treaty dates stated differently in another topic: each
/// value stated here (field or prose) against each other value stated there.
fn standing_disagreements(facts: &[Fact], sib: &Checked) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in facts {
        let Some((key, value, cat)) = keyed(f) else {
            continue;
        };
        if !matches!(cat, "status" | "treaty" | "date")
            || !seen.insert((key.clone(), value.clone()))
        {
            continue;
        }
        let mut theirs = std::collections::BTreeSet::new();
        for g in &sib.facts {
            let Some((other_key, other, _)) = keyed(g) else {
                continue;
            };
            if other_key != key || other == value || !theirs.insert(other.clone()) {
                continue;
            }
            out.push(disagreement(
                format!(
                    "{key}: {value} here, {other} in the {} profile ({})",
                    sib.record.topic.value.label(),
                    sib.record.path.display()
                ),
                Label::new(f.origin.span(), value.clone()),
                sib,
                Label::new(g.origin.span(), other),
            ));
        }
    }
    out
}

/// A finding with one label here and one in another record.
pub(super) fn disagreement(message: String, here: Label, other: &Checked, there: Label) -> Draft {
    let mut d = Draft::new(message, vec![here]);
    d.elsewhere = Some(elsewhere(other, vec![there]));
    d
}

/// DOS402: past facts of the previous edition that changed or vanished.
pub fn editions(ctx: &Ctx<'_>) -> Vec<Draft> {
    let Some(prev) = ctx.previous else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let categories: std::collections::BTreeSet<&str> = ctx
        .facts
        .iter()
        .filter_map(|f| keyed(f).map(|k| k.2))
        .collect();
    // The previous edition is compared on the facts this record is checked on.
    for g in prev.facts.iter().filter(|g| is_own_fact(ctx.record, g)) {
        let Some((key, old, cat)) = keyed(g) else {
            continue;
        };
        if !seen.insert(key.clone()) {
            continue;
        }
        let prev_label = vec![Label::new(
            g.origin.span(),
            format!("{} edition: {old}", prev.record.edition.value),
        )];
        match first_by_key(ctx.facts, &key) {
            Some((f, new)) if new != old => {
                let mut d = Draft::new(
                    format!(
                        "{key} changed from {old} ({} edition) to {new}",
                        prev.record.edition.value
                    ),
                    vec![Label::new(
                        f.origin.span(),
                        format!("{} edition: {new}", ctx.record.edition.value),
                    )],
                )
                .help("confirm the correction, or restore the previous edition's value");
                d.elsewhere = Some(elsewhere(prev, prev_label));
                out.push(d);
            }
            None if categories.contains(cat) => {
                let anchor = ctx
                    .record
                    .last_updated
                    .as_ref()
                    .map_or(ctx.record.edition.span.clone(), |l| l.span.clone());
                let mut d = Draft::new(
                    format!(
                        "{key} ({old}) in the {} edition is gone from this one",
                        prev.record.edition.value
                    ),
                    vec![Label::new(anchor, "this edition")],
                )
                .help("restore the fact, or confirm that it was wrong");
                d.elsewhere = Some(elsewhere(prev, prev_label));
                out.push(d);
            }
            _ => {}
        }
    }
    out
}

/// DOS403: last-updated older than the previous edition's.
pub fn last_updated(ctx: &Ctx<'_>) -> Vec<Draft> {
    let (Some(prev), Some(now)) = (ctx.previous, &ctx.record.last_updated) else {
        return Vec::new();
    };
    let Some(before) = &prev.record.last_updated else {
        return Vec::new();
    };
    if now.value >= before.value {
        return Vec::new();
    }
    let mut d = Draft::new(
        format!(
            "last updated {} is older than the {} edition's {}",
            now.value, prev.record.edition.value, before.value
        ),
        vec![Label::new(now.span.clone(), "this edition")],
    );
    d.elsewhere = Some(elsewhere(
        prev,
        vec![Label::new(before.span.clone(), "previous edition")],
    ));
    vec![d]
}
