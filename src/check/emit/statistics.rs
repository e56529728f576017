//! `--statistics`: findings grouped by rule family, by rule and by record, so an editor sees
//! where the findings are before reading them one by one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::check::Finding;

/// Counts of one group: findings and the records they are in.
#[derive(Default)]
struct Group<'a> {
    findings: usize,
    records: BTreeSet<&'a Path>,
}

impl<'a> Group<'a> {
    fn add(&mut self, finding: &'a Finding) {
        self.findings += 1;
        self.records.insert(&finding.path);
    }

    fn in_records(&self) -> String {
        let n = self.records.len();
        format!(
            "{} in {n} record{}",
            self.findings,
            if n == 1 { "" } else { "s" }
        )
    }
}

/// The family of a rule code: "DOS302" is "DOS3xx".
fn family(code: &str) -> String {
    let cut = code.len().saturating_sub(2);
    format!("{}xx", &code[..cut])
}

/// The grouped summary: one line per family, per rule and per record, most findings first
/// within each part (then by code or path).
pub fn render(findings: &[Finding]) -> String {
    let mut families: BTreeMap<String, Group<'_>> = BTreeMap::new();
    let mut rules: BTreeMap<(&str, &str), Group<'_>> = BTreeMap::new();
    let mut records: BTreeMap<&Path, usize> = BTreeMap::new();
    for f in findings {
        families.entry(family(f.rule.code)).or_default().add(f);
        rules.entry((f.rule.code, f.rule.name)).or_default().add(f);
        *records.entry(&f.path).or_default() += 1;
    }
    let mut out = String::from("Findings by family:\n");
    for (family, group) in &families {
        let _ = writeln!(out, "  {family}: {}", group.in_records());
    }
    out.push_str("Findings by rule:\n");
    let mut by_rule: Vec<_> = rules.iter().collect();
    by_rule.sort_by_key(|(key, group)| (std::cmp::Reverse(group.findings), *key));
    for ((code, name), group) in by_rule {
        let _ = writeln!(out, "  {code} {name}: {}", group.in_records());
    }
    out.push_str("Findings by record:\n");
    let mut by_record: Vec<_> = records.into_iter().collect();
    by_record.sort_by_key(|(path, n)| (std::cmp::Reverse(*n), *path));
    for (path, n) in by_record {
        let _ = writeln!(out, "  {}: {n}", path.display());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn families_are_the_code_without_its_last_two_digits() {
        assert_eq!(family("DOS302"), "DOS3xx");
        assert_eq!(family("DOS001"), "DOS0xx");
    }
}
