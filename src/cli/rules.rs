//! `dossier rules`: every rule of the checker.

use dossier::check::RULES;

use super::EXIT_OK;

/// Runs `dossier rules`.
pub(super) fn run() -> i32 {
    for r in RULES {
        println!(
            "{}  {:<32} {:<8} {}",
            r.code,
            r.name,
            r.severity.label(),
            first_sentence(r.what)
        );
    }
    EXIT_OK
}

fn first_sentence(text: &str) -> &str {
    text.split_once(". ").map_or(text, |(a, _)| a)
}
