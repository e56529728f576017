//! Contamination stated by two topics of one country and edition (part of DOS401): a ban
//! policy profile saying "contaminated by cluster munition remnants" or "no known
//! contamination", or giving an area in km², against the Mine Action profile's prose and its
//! contamination table.

use std::ops::Range;

use super::across::disagreement;
use crate::check::{Checked, Draft, Label};
use crate::facts::{Claim, Fact, Hazards};
use crate::record::Record;
use crate::record::table::{figure, same_at_precision};

/// What one statement says of the extent of contamination.
#[derive(Debug, Clone, PartialEq)]
enum Extent {
    /// No known contamination.
    None,
    /// Contaminated, extent not stated.
    Present,
    /// Contaminated over this many km²: the figure, its decimals and the text as printed.
    Area(f64, usize, String),
}

/// One statement about contamination, in prose or in a contamination table.
#[derive(Debug, Clone)]
struct Statement {
    hazards: Hazards,
    extent: Extent,
    span: Range<usize>,
}

impl Statement {
    /// "no known contamination by mines", "4.35 km² contaminated".
    fn describe(&self) -> String {
        match &self.extent {
            Extent::None => format!("no known contamination{}", self.hazards.by()),
            Extent::Present => format!("contaminated{}", self.hazards.by()),
            Extent::Area(_, _, printed) => {
                format!("{printed} km² contaminated{}", self.hazards.by())
            }
        }
    }

    /// Whether the two statements cannot both be true.
    fn contradicts(&self, other: &Statement) -> bool {
        if !self.hazards.overlap(other.hazards) {
            return false;
        }
        match (&self.extent, &other.extent) {
            (Extent::None, Extent::Present) | (Extent::Present, Extent::None) => true,
            (Extent::None, Extent::Area(a, ..)) | (Extent::Area(a, ..), Extent::None) => *a > 0.0,
            (Extent::Area(a, da, _), Extent::Area(b, db, _)) => {
                !same_at_precision(*a, *b, (*da).min(*db))
            }
            _ => false,
        }
    }

    /// Whether the two give the same area.
    fn same_area(&self, other: &Statement) -> bool {
        match (&self.extent, &other.extent) {
            (Extent::Area(a, da, _), Extent::Area(b, db, _)) => {
                self.hazards.overlap(other.hazards) && same_at_precision(*a, *b, (*da).min(*db))
            }
            _ => false,
        }
    }
}

/// The statements about contamination in a record: its prose claims, then the total area of
/// each contamination table (a table whose id starts with "contamination", its "Total" row,
/// the column in km²; the hazards named in its title).
fn statements(record: &Record, facts: &[Fact]) -> Vec<Statement> {
    let mut out: Vec<Statement> = facts
        .iter()
        .filter_map(|f| {
            let (hazards, extent) = match &f.claim {
                Claim::Contamination {
                    hazards,
                    contaminated,
                } => (
                    *hazards,
                    if *contaminated {
                        Extent::Present
                    } else {
                        Extent::None
                    },
                ),
                Claim::ContaminatedArea { hazards, area } => {
                    let (value, decimals) = figure(area)?;
                    (*hazards, Extent::Area(value, decimals, area.clone()))
                }
                _ => return None,
            };
            Some(Statement {
                hazards,
                extent,
                span: f.origin.span(),
            })
        })
        .collect();
    for table in &record.tables {
        if !table.id.value.starts_with("contamination") {
            continue;
        }
        let area = (0..table.columns.len())
            .find(|&i| matches!(table.unit(i), Some("km²" | "km2" | "sq km")));
        let (Some(column), Some(total)) = (area, table.row("total")) else {
            continue;
        };
        let Some(cell) = total.value.get(column) else {
            continue;
        };
        if let Some((value, decimals)) = figure(&cell.value) {
            out.push(Statement {
                hazards: Hazards::named_in(&table.title.value),
                extent: Extent::Area(value, decimals, cell.value.trim().to_string()),
                span: cell.span.clone(),
            });
        }
    }
    out
}

/// Each statement here that another topic's statements contradict: once per statement, and
/// for an area only when no area stated there agrees with it.
pub fn disagreements(record: &Record, facts: &[Fact], sib: &Checked) -> Vec<Draft> {
    let theirs = statements(&sib.record, &sib.facts);
    let mut out = Vec::new();
    for ours in statements(record, facts) {
        if theirs.iter().any(|t| ours.same_area(t)) {
            continue;
        }
        let Some(other) = theirs.iter().find(|t| ours.contradicts(t)) else {
            continue;
        };
        out.push(disagreement(
            format!(
                "contamination: {} here, {} in the {} profile ({})",
                ours.describe(),
                other.describe(),
                sib.record.topic.value.label(),
                sib.record.path.display()
            ),
            Label::new(ours.span.clone(), ours.describe()),
            sib,
            Label::new(other.span.clone(), other.describe()),
        ));
    }
    out
}
