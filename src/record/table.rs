//! Tables as data: a caption, column headings with their units, and rows of cells as
//! printed. Figures stay text (`"1,204"`, `"0.52"`, `"–"`) so a record says what the page
//! says; [`figure`] reads the number a cell holds when a check or a total needs it.

use schemars::JsonSchema;
use serde::Serialize;

use super::Sp;

/// A table of figures: contamination by area, clearance or casualties by year...
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Table {
    /// Short name that identifies the table within the record, e.g. "contamination"
    /// (diffs align tables by it).
    pub id: Sp<String>,
    /// Caption as printed above the table.
    pub title: Sp<String>,
    /// Title of the prose section the table is printed after; after the last section when
    /// absent.
    pub section: Option<Sp<String>>,
    /// Column headings, left to right.
    pub columns: Vec<Sp<String>>,
    /// The unit of each column's figures (e.g. "km²"; "" for none), one per column.
    #[serde(default)]
    pub units: Vec<Sp<String>>,
    /// Rows of cells, as many cells as columns. The first cell names the row (a province,
    /// a year); a row named "Total" is the table's total row.
    pub rows: Vec<Sp<Vec<Sp<String>>>>,
    /// Footnotes, each on a row or on one cell of it.
    #[serde(default)]
    pub notes: Vec<TableNote>,
}

/// A footnote on a table row, or on one cell of it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TableNote {
    /// The row, by its first cell (e.g. "2019" or "Total").
    pub row: Sp<String>,
    /// The column heading, for a note on one cell; the whole row when absent.
    pub column: Option<Sp<String>>,
    /// The note's citation key (see `[citations]`).
    pub source: Sp<String>,
}

impl Table {
    /// The row whose first cell is `name` (compared without case).
    pub fn row(&self, name: &str) -> Option<&Sp<Vec<Sp<String>>>> {
        self.rows.iter().find(|r| {
            r.value
                .first()
                .is_some_and(|c| c.value.trim().eq_ignore_ascii_case(name))
        })
    }

    /// The index of the column headed `name` (compared without case).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.value.trim().eq_ignore_ascii_case(name))
    }

    /// The unit of column `index`, when one is given.
    pub fn unit(&self, index: usize) -> Option<&str> {
        self.units
            .get(index)
            .map(|u| u.value.as_str())
            .filter(|u| !u.is_empty())
    }

    /// Whether a row is the total row.
    pub fn is_total(row: &[Sp<String>]) -> bool {
        row.first()
            .is_some_and(|c| c.value.trim().eq_ignore_ascii_case("total"))
    }
}

/// The number a cell holds: digits with thousands separators (`1,204`, `1 204`), an optional
/// decimal point and sign; `None` for text, dashes and empty cells. Returned with the count
/// of decimals written, so sums can be compared at the printed precision.
pub fn figure(cell: &str) -> Option<(f64, usize)> {
    let text: String = cell
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let digits = text.strip_prefix(['-', '−']).unwrap_or(&text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len());
    let value: f64 = digits.parse().ok()?;
    let negative = text.len() != digits.len();
    Some((if negative { -value } else { value }, decimals))
}

/// Whether `sum` printed with `decimals` decimals reads `stated`.
pub fn same_at_precision(sum: f64, stated: f64, decimals: usize) -> bool {
    let scale = 10f64.powi(i32::try_from(decimals).unwrap_or(6));
    (sum * scale).round() == (stated * scale).round()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_printed() {
        assert_eq!(figure("1,204"), Some((1204.0, 0)));
        assert_eq!(figure(" 0.52 "), Some((0.52, 2)));
        assert_eq!(figure("–"), None);
        assert_eq!(figure(""), None);
        assert_eq!(figure("Batken"), None);
        assert_eq!(figure("-3"), Some((-3.0, 0)));
        assert!(same_at_precision(0.1 + 0.2, 0.3, 1));
        assert!(!same_at_precision(0.31, 0.3, 2));
    }
}
