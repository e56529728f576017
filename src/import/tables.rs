//! Tables that saved pages spread one cell per line: the headings, then each row's cells,
//! each on a line of its own. A run of such lines is rebuilt into columns and rows when its
//! cells fall into rows of one length whose cells after the first are figures; a run that
//! looks like a table but does not is reported and kept as text.

use super::lines::Line;
use crate::record::table::figure;
use crate::record::{Sp, Table, TableNote, slugify};

/// A table rebuilt from the lines `first..=last` (1-based line numbers).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FoundTable {
    /// Line number of the first heading.
    pub first: usize,
    /// Line number of the last cell.
    pub last: usize,
    /// Column headings, units taken off.
    pub columns: Vec<String>,
    /// Each column's unit ("" for none).
    pub units: Vec<String>,
    /// The rows, one cell per column, footnote markers taken off.
    pub rows: Vec<Vec<String>>,
    /// The footnote markers found in cells: (row, column, footnote number).
    pub marks: Vec<(usize, usize, u32)>,
}

/// Units recognised in parentheses at the end of a heading: "Area (km²)".
const UNITS: [&str; 8] = ["km²", "m²", "km2", "m2", "sq km", "ha", "hectares", "%"];

/// A cell without the footnote marker it ends with ("1.52[3]", "Northfold [2]"), and the
/// marker's number.
fn unmarked(text: &str) -> (&str, Option<u32>) {
    if let Some(open) = text.rfind('[')
        && let Some(number) = text[open + 1..].strip_suffix(']')
        && let Ok(n) = number.parse::<u32>()
        && open > 0
    {
        return (text[..open].trim_end(), Some(n));
    }
    (text, None)
}

/// Whether a line can be one cell: short, and not a sentence.
fn cell_like(text: &str) -> bool {
    let text = unmarked(text).0;
    !text.is_empty()
        && text.chars().count() <= 60
        && text.split_whitespace().count() <= 8
        && (is_figure(text) || !text.ends_with(['.', '!', '?', ':', ';', ',']))
        && super::lines::footnote_line(text).is_none()
}

/// A figure, or a dash standing for none.
fn is_figure(text: &str) -> bool {
    figure(text).is_some() || matches!(text, "–" | "—" | "-")
}

/// Splits "Area (km²)" into ("Area", "km²"); other headings have no unit.
fn heading_and_unit(heading: &str) -> (String, String) {
    if let Some(open) = heading.rfind(" (")
        && let Some(inner) = heading[open + 2..].strip_suffix(')')
        && UNITS.contains(&inner)
    {
        return (heading[..open].to_string(), inner.to_string());
    }
    (heading.to_string(), String::new())
}

/// A year such as 2019, which names a row rather than counting something.
fn is_year(text: &str) -> bool {
    text.len() == 4
        && (text.starts_with("19") || text.starts_with("20"))
        && text.bytes().all(|b| b.is_ascii_digit())
}

/// Rows are named alike: all by year, or all by a name (a province); "Total" fits either.
fn row_key_fits(key: &str, by_year: bool) -> bool {
    key.eq_ignore_ascii_case("total")
        || if by_year {
            is_year(key)
        } else {
            !is_figure(key)
        }
}

/// The best table in a run of cell lines: (lines skipped before it, columns, rows).
fn best_table(cells: &[&str]) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for skip in 0..cells.len() {
        let Some(first_figure) = cells[skip..].iter().position(|c| is_figure(c)) else {
            break;
        };
        for n in [first_figure.saturating_sub(1), first_figure] {
            if n < 2 {
                continue;
            }
            let mut rows = 0;
            let body = &cells[skip + n..];
            let by_year = body.first().is_some_and(|c| is_year(c));
            while let Some(row) = body.get(rows * n..(rows + 1) * n) {
                if row_key_fits(row[0], by_year) && row[1..].iter().all(|c| is_figure(c)) {
                    rows += 1;
                } else {
                    break;
                }
            }
            let covered = (rows + 1) * n;
            if rows >= 2 && best.is_none_or(|(_, bn, br)| covered > (br + 1) * bn) {
                best = Some((skip, n, rows));
            }
        }
    }
    best
}

/// The record's table for a table found after the section titled `section` (empty when the
/// page lost the heading); `n` numbers the page's tables from 1.
pub(super) fn to_table(found: &FoundTable, section: &str, n: usize) -> Table {
    let detached = |items: &[String]| items.iter().cloned().map(Sp::detached).collect();
    let (id, title) = if section.is_empty() {
        (format!("table-{n}"), format!("Table {n}"))
    } else {
        (slugify(section), section.to_string())
    };
    Table {
        id: Sp::detached(id),
        title: Sp::detached(title),
        section: (!section.is_empty()).then(|| Sp::detached(section.to_string())),
        columns: detached(&found.columns),
        units: if found.units.iter().all(String::is_empty) {
            Vec::new()
        } else {
            detached(&found.units)
        },
        rows: found
            .rows
            .iter()
            .map(|r| Sp::detached(detached(r)))
            .collect(),
        notes: found
            .marks
            .iter()
            .filter_map(|&(row, column, number)| {
                let name = found.rows.get(row)?.first()?;
                Some(TableNote {
                    row: Sp::detached(name.clone()),
                    column: (column > 0)
                        .then(|| found.columns.get(column).cloned())
                        .flatten()
                        .map(Sp::detached),
                    source: Sp::detached(format!("n{number}")),
                })
            })
            .collect(),
    }
}

/// Finds the tables in a page's lines; returns them and a warning for each run of cell
/// lines that looks like a table but cannot be rebuilt.
pub(super) fn find_tables(lines: &[Line]) -> (Vec<FoundTable>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && cell_like(&lines[i].text) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let run = &lines[start..i];
        let marked: Vec<(&str, Option<u32>)> = run.iter().map(|l| unmarked(&l.text)).collect();
        let cells: Vec<&str> = marked.iter().map(|(c, _)| *c).collect();
        match best_table(&cells) {
            Some((skip, n, rows)) => {
                let (columns, units) = cells[skip..skip + n]
                    .iter()
                    .map(|h| heading_and_unit(h))
                    .unzip();
                let body = &cells[skip + n..skip + n + rows * n];
                let marks = marked[skip + n..skip + n + rows * n]
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (_, mark))| mark.map(|m| (i / n, i % n, m)))
                    .collect();
                found.push(FoundTable {
                    marks,
                    first: run[skip].no,
                    last: run[skip + n + rows * n - 1].no,
                    columns,
                    units,
                    rows: body
                        .chunks(n)
                        .map(|r| r.iter().map(|c| (*c).to_string()).collect())
                        .collect(),
                });
            }
            None if cells.iter().filter(|c| is_figure(c)).count() >= 4 => {
                warnings.push(format!(
                    "lines {}–{} look like a table set one cell per line, but their cells do not fall into rows of one length; kept as text",
                    run[0].no,
                    run[run.len() - 1].no
                ));
            }
            None => {}
        }
    }
    (found, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                no: i + 1,
                text: t.trim().to_string(),
            })
            .collect()
    }

    #[test]
    fn a_heading_before_the_table_stays_text() {
        let page = lines(
            "Contamination\nProvince\nConfirmed\nArea (km²)\nNorthfold\n12\n1.52\nEastmarch\n7\n0.83\nTotal\n19\n2.35\nClearance went on.",
        );
        let (found, warnings) = find_tables(&page);
        assert!(warnings.is_empty());
        assert_eq!(found.len(), 1);
        let t = &found[0];
        assert_eq!((t.first, t.last), (2, 13));
        assert_eq!(t.columns, ["Province", "Confirmed", "Area"]);
        assert_eq!(t.units, ["", "", "km²"]);
        assert_eq!(t.rows[2], ["Total", "19", "2.35"]);
    }

    #[test]
    fn year_rows_and_broken_tables() {
        let page = lines("Year\nKilled\nInjured\n2021\n3\n4\n2022\n5\n6");
        let (found, _) = find_tables(&page);
        assert_eq!(found[0].rows, [["2021", "3", "4"], ["2022", "5", "6"]]);

        let broken = lines("Year\nKilled\nInjured\n2021\n3\n4\n2022\n5\nsix\n7");
        let (found, warnings) = find_tables(&broken);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
