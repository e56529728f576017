//! Editorial state: records an editor still has to revisit.

use crate::check::{Ctx, Draft, Label};

/// DOS002: a record marked `needs_review` (as `dossier rollover` leaves every record).
pub fn needs_review(ctx: &Ctx<'_>) -> Vec<Draft> {
    ctx.record
        .needs_review
        .iter()
        .map(|note| {
            Draft::new(
                format!("the record needs review: {}", note.value),
                vec![Label::new(note.span.clone(), "marked here")],
            )
        })
        .collect()
}
