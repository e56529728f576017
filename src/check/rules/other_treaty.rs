//! Text from the other treaty: a cluster munition record naming a Mine Ban Treaty meeting
//! as the convention's own ("the convention's Third Meeting of States Parties in Managua in
//! 2001": the convention's was Oslo 2012, the Mine Ban Treaty's Managua 2001), and the other
//! way round. The registries of both treaties decide: the ordinal name is the record's
//! treaty's, the year (and city, when named) are the other treaty's meeting of that name. A
//! sentence that names the other treaty places its meeting rightly.

use crate::check::{Ctx, Draft};
use crate::facts::{Claim, Fact, Origin};
use crate::registry::{Meeting, Registry};

use super::label;

/// A meeting named as the record's treaty's whose year and city are those of the other
/// treaty's meeting of the same name: (the meeting the name resolved to, the one meant).
pub(crate) fn other_treatys_meeting<'r>(
    fact: &Fact,
    registry: &'r Registry,
) -> Option<(&'r Meeting, &'r Meeting)> {
    let Claim::MeetingMention {
        meeting,
        year,
        month,
    } = &fact.claim
    else {
        return None;
    };
    let Origin::Prose { sentence, .. } = &fact.origin else {
        return None;
    };
    let named = registry.meeting(meeting)?;
    if named.held_in(*year, *month) {
        return None;
    }
    let meant = registry.meetings.iter().find(|m| {
        m.treaty != named.treaty
            && m.name.eq_ignore_ascii_case(&named.name)
            && m.held_in(*year, *month)
    })?;
    let own_city = cities(named)
        .into_iter()
        .any(|city| sentence.contains(city) && !cities(meant).contains(&city));
    (!own_city).then_some((named, meant))
}

/// Whether the sentence of a fact names the treaty itself ("the Mine Ban Treaty's Third
/// Meeting of States Parties"), so that a meeting of that treaty is rightly placed.
pub(crate) fn names_treaty(fact: &Fact, meeting: &Meeting) -> bool {
    matches!(&fact.origin, Origin::Prose { sentence, .. } if meeting.treaty.is_named_in(sentence))
}

/// The cities a meeting was held in ("Managua" of "Managua, Nicaragua").
fn cities(meeting: &Meeting) -> Vec<&str> {
    meeting
        .sessions
        .iter()
        .filter_map(|s| s.place.split(',').next())
        .map(str::trim)
        .filter(|city| !city.is_empty())
        .collect()
}

/// DOS208: the other treaty's meeting named as this treaty's.
pub fn other_treaty_meeting(ctx: &Ctx<'_>) -> Vec<Draft> {
    ctx.facts
        .iter()
        .filter_map(|fact| {
            let (named, meant) = other_treatys_meeting(fact, ctx.registry)?;
            if names_treaty(fact, meant) {
                return None;
            }
            let theirs = format!("the {} of the {}", meant.name, meant.treaty.label());
            Some(
                Draft::new(
                    format!(
                        "the {} of the {} was held in {}; the one named here ({}) is {theirs}",
                        named.name,
                        named.treaty.label(),
                        named.when_where(),
                        meant.when_where(),
                    ),
                    vec![label(fact, theirs.clone())],
                )
                .help(format!(
                    "name the other treaty (\"{theirs}\"), or correct the city and year to this treaty's meeting: {}",
                    named.when_where()
                )),
            )
        })
        .collect()
}
