//! Property tests: no input makes the loader or the prose parser panic, and prose offsets
//! always map inside the source.

use std::path::Path;

use dossier::record::{Prose, parse_record};
use proptest::prelude::*;

fn toml_ish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "country = \"X\"\n",
        "iso = \"XX\"\n",
        "topic = \"cluster-munition-ban-policy\"\n",
        "edition = 2023\n",
        "last_updated = 2023-02-30\n",
        "[status]\n",
        "convention = \"state-party\"\n",
        "[[meetings]]\n",
        "meeting = \"3MSP\"\n",
        "role = \"observer\"\n",
        "summary = \"\"\"\n",
        "\"\"\"\n",
        "[citations]\n",
        "a = 'x'\n",
        "[[",
        "]]",
        "{",
        "}",
        "\\u00",
        "\"",
        "'''",
        "\r\n",
        "\u{feff}",
        "#",
        "=",
        "[^a]",
        "columns = [\"a\", \"b\"\n",
        "rows = [\n",
        "  [\"2019\", 3],\n",
        "t = { a = 1\n",
        "_x_",
        "\n\n",
    ]);
    prop::collection::vec(
        prop_oneof![atoms.prop_map(String::from), any::<String>()],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn loader_never_panics(text in toml_ish()) {
        match parse_record(Path::new("p.toml"), &text) {
            Ok(record) => {
                for (_, prose) in record.prose_blocks() {
                    for m in prose.value.markers() {
                        let range = prose.value.source_range(m.range);
                        prop_assert!(range.end <= record.source.len());
                    }
                }
            }
            Err(e) => {
                prop_assert!(!e.problems.is_empty());
                for p in &e.problems {
                    prop_assert!(p.span.start <= e.source.len() + 1);
                }
                let _ = e.brief();
            }
        }
    }

    #[test]
    fn prose_parser_never_panics(text in any::<String>()) {
        let prose = Prose::detached(text.clone());
        let paragraphs = prose.paragraphs();
        for p in &paragraphs {
            prop_assert!(p.range.end <= text.len());
        }
        let _ = prose.markers();
        let plain = prose.plain_text();
        prop_assert!(plain.len() <= text.len() + 2 * paragraphs.len());
    }
}
