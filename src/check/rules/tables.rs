//! Tables and topic facts: totals that add up, prose that agrees with the tables, and the
//! Article 5 clearance deadline against its extensions.

use crate::check::{Ctx, Draft, Label};
use crate::facts::Claim;
use crate::record::table::{figure, same_at_precision};
use crate::record::{Sp, Table};

use super::label;

/// A figure cell: its value, decimals written and the cell itself.
fn cell_figure(cell: &Sp<String>) -> Option<(f64, usize)> {
    figure(&cell.value)
}

/// Formats a sum at the precision of the total it is compared with.
fn show(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

/// Totals in one table: a "Total" column against the other figure columns of its unit, row
/// by row; a "Total" row against the other rows, column by column.
fn table_totals(table: &Table, out: &mut Vec<Draft>) {
    if let Some(total_col) = table.column("Total") {
        let unit = table.unit(total_col);
        let parts: Vec<usize> = (1..table.columns.len())
            .filter(|&i| i != total_col && table.unit(i) == unit)
            .collect();
        for row in &table.rows {
            let Some(total) = row.value.get(total_col) else {
                continue;
            };
            let Some((stated, decimals)) = cell_figure(total) else {
                continue;
            };
            let sum: f64 = parts
                .iter()
                .filter_map(|&i| row.value.get(i).and_then(cell_figure))
                .map(|(v, _)| v)
                .sum();
            if !same_at_precision(sum, stated, decimals) {
                let name = row.value.first().map_or("", |c| c.value.as_str());
                out.push(Draft::new(
                    format!(
                        "table `{}`, row {name}: the figures add up to {}, not {}",
                        table.id.value,
                        show(sum, decimals),
                        total.value
                    ),
                    vec![
                        Label::new(total.span.clone(), format!("total {}", total.value)),
                        Label::new(
                            row.span.clone(),
                            format!("adds up to {}", show(sum, decimals)),
                        ),
                    ],
                ));
            }
        }
    }
    let Some(total_row) = table.rows.iter().find(|r| Table::is_total(&r.value)) else {
        return;
    };
    for (i, total) in total_row.value.iter().enumerate().skip(1) {
        let Some((stated, decimals)) = cell_figure(total) else {
            continue;
        };
        let sum: f64 = table
            .rows
            .iter()
            .filter(|r| !Table::is_total(&r.value))
            .filter_map(|r| r.value.get(i).and_then(cell_figure))
            .map(|(v, _)| v)
            .sum();
        if !same_at_precision(sum, stated, decimals) {
            let column = table.columns.get(i).map_or("", |c| c.value.as_str());
            out.push(Draft::new(
                format!(
                    "table `{}`, column {column}: the rows add up to {}, not {}",
                    table.id.value,
                    show(sum, decimals),
                    total.value
                ),
                vec![Label::new(
                    total.span.clone(),
                    format!(
                        "total {}, rows add up to {}",
                        total.value,
                        show(sum, decimals)
                    ),
                )],
            ));
        }
    }
}

/// DOS601: table totals that do not add up.
pub fn totals(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for table in &ctx.record.tables {
        table_totals(table, &mut out);
    }
    out
}

/// The total a table gives for the row named `year`: its "Total" cell, else the sum of its
/// figure cells. With the cell (or row) to label.
fn year_total(table: &Table, year: i32) -> Option<(f64, Label)> {
    let row = table.row(&year.to_string())?;
    if let Some(col) = table.column("Total") {
        let cell = row.value.get(col)?;
        let (value, _) = cell_figure(cell)?;
        return Some((
            value,
            Label::new(
                cell.span.clone(),
                format!("table `{}`: {} in {year}", table.id.value, cell.value),
            ),
        ));
    }
    let figures: Vec<f64> = row
        .value
        .iter()
        .skip(1)
        .filter_map(cell_figure)
        .map(|(v, _)| v)
        .collect();
    if figures.is_empty() {
        return None;
    }
    let sum: f64 = figures.iter().sum();
    Some((
        sum,
        Label::new(
            row.span.clone(),
            format!("table `{}`: {sum} in {year}", table.id.value),
        ),
    ))
}

/// DOS602: a count stated in prose ("42 casualties in 2019") that the table's row for that
/// year contradicts.
pub fn prose_against_tables(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for f in ctx.facts {
        let Claim::CasualtyCount { year, count } = f.claim else {
            continue;
        };
        let Some((value, cell)) = ctx.record.tables.iter().find_map(|t| year_total(t, year)) else {
            continue;
        };
        let stated = count as f64;
        if !same_at_precision(value, stated, 0) {
            out.push(Draft::new(
                format!("the prose says {count} casualties in {year}, the table {value}"),
                vec![label(f, format!("{count} casualties in {year}")), cell],
            ));
        }
    }
    out
}

/// DOS603: the Article 5 deadline against the extensions granted: the deadline in force is
/// the last extension's (or the original one), and each extension moves it later.
pub fn article5(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let Some(c) = &ctx.record.clearance else {
        return out;
    };
    let mut previous = c.original_deadline.as_ref();
    for e in &c.extensions {
        if let Some(p) = previous
            && e.until.value <= p.value
        {
            out.push(Draft::new(
                format!(
                    "an extension to {} does not move the deadline of {} later",
                    e.until.value, p.value
                ),
                vec![
                    Label::new(
                        e.until.span.clone(),
                        format!("extended to {}", e.until.value),
                    ),
                    Label::new(p.span.clone(), format!("deadline {}", p.value)),
                ],
            ));
        }
        previous = Some(&e.until);
    }
    if let (Some(deadline), Some(expected)) = (&c.deadline, previous)
        && deadline.value != expected.value
    {
        let what = if c.extensions.is_empty() {
            "original deadline"
        } else {
            "last extension"
        };
        out.push(
            Draft::new(
                format!(
                    "the Article 5 deadline is {}, but the {what} gives {}",
                    deadline.value, expected.value
                ),
                vec![
                    Label::new(
                        deadline.span.clone(),
                        format!("deadline {}", deadline.value),
                    ),
                    Label::new(expected.span.clone(), format!("{what}: {}", expected.value)),
                ],
            )
            .help("the deadline in force is the one the last extension granted"),
        );
    }
    out
}
