//! Loading records: spans, problems with line and column, suggestions.

use std::path::Path;

use dossier::record::parse_record;

use crate::support::minimal_record;

fn problems(text: &str) -> String {
    parse_record(Path::new("r.toml"), text)
        .map(|_| String::new())
        .unwrap_or_else(|e| e.brief())
}

#[test]
fn sample_records_load() {
    for rel in [
        "2022/kyrgyzstan.toml",
        "2023/kyrgyzstan.toml",
        "2022/norway.toml",
        "2022/georgia.toml",
        "2022/armenia.toml",
    ] {
        let path = crate::support::repo().join("profiles").join(rel);
        if let Err(e) = dossier::record::load_record(&path) {
            panic!("{}", e.brief());
        }
    }
}

#[test]
fn every_problem_in_one_pass() {
    let text = minimal_record(
        "X",
        "XX",
        2023,
        "[status]\nconvention = \"state-partie\"\nsigned = 2023-02-29\n[[meetings]]\nmeeting = \"3MSP\"\nrole = \"observr\"\nrloe = 1\n",
    );
    let out = problems(&text);
    assert!(
        out.contains("r.toml:7:14: `status.convention` = \"state-partie\" is not a known value"),
        "{out}"
    );
    assert!(
        out.contains("r.toml:8:10: impossible date: expected day between 01 and 28"),
        "{out}"
    );
    assert!(
        out.contains("r.toml:11:8: `meetings[0].role` = \"observr\" is not a known value"),
        "{out}"
    );
    assert!(
        out.contains("r.toml:12:1: unknown key `rloe` in `meetings[0]`"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 4, "{out}");
}

#[test]
fn missing_required_keys_are_named() {
    let out = problems("country = \"X\"\n");
    for key in ["iso", "topic", "edition"] {
        assert!(
            out.contains(&format!("missing the required key `{key}`")),
            "{out}"
        );
    }
}

#[test]
fn prose_spans_point_into_the_file() {
    let text = minimal_record(
        "X",
        "XX",
        2023,
        "summary = \"\"\"\nFirst line.\nSecond [^a] here.\n\"\"\"\n[citations]\na = \"A source.\"\n",
    );
    let record = parse_record(Path::new("r.toml"), &text).unwrap();
    let summary = &record.summary.as_ref().unwrap().value;
    let at = summary.text.find("Second").unwrap();
    let src = summary.source_offset(at);
    assert_eq!(&text[src..src + 6], "Second");
    let marker = &summary.markers()[0];
    let range = summary.source_range(marker.range.clone());
    assert_eq!(&text[range], "[^a]");
}

#[test]
fn bom_crlf_and_duplicates() {
    let crlf = minimal_record("X", "XX", 2023, "").replace('\n', "\r\n");
    assert_eq!(problems(&format!("\u{feff}{crlf}")), "");
    let dup = format!("{}country = \"Y\"\n", minimal_record("X", "XX", 2023, ""));
    assert!(
        problems(&dup).contains("r.toml:6:1: TOML syntax: duplicate key"),
        "{}",
        problems(&dup)
    );
    assert!(problems("").contains("the file is empty"));
}

#[test]
fn pasted_control_characters_are_named_where_they_are() {
    for (c, code) in [('\u{b}', "U+000B"), ('\u{c}', "U+000C"), ('\0', "U+0000")] {
        let text = minimal_record(
            "X",
            "XX",
            2023,
            &format!(
                "[[sections]]\ntitle = \"Policy\"\ntext = \"\"\"\nIt signed{c} in 2008.\n\"\"\"\n"
            ),
        );
        let out = problems(&text);
        assert!(
            out.contains(&format!(
                "r.toml:9:10: invisible control character {code} in the text"
            )),
            "{out}"
        );
    }
    // Without the character, the same record loads.
    let clean = minimal_record(
        "X",
        "XX",
        2023,
        "[[sections]]\ntitle = \"Policy\"\ntext = \"\"\"\nIt signed in 2008.\n\"\"\"\n",
    );
    assert_eq!(problems(&clean), "");
}

#[test]
fn a_broken_line_is_reported_as_syntax_alone() {
    // The parser reads `iso = [` as an array and `[summary` as a table; the record reader
    // would then complain about their types, on the very line the syntax error is on.
    let unclosed = format!(
        "{}iso = [\n",
        minimal_record("X", "XX", 2023, "").replace("iso = \"XX\"\n", "")
    );
    assert_eq!(
        problems(&unclosed).lines().collect::<Vec<_>>(),
        ["r.toml:5:7: this `[` is never closed: the array needs a `]` before the end of the file"],
        "{}",
        problems(&unclosed)
    );
    let header = format!("{}[summary\n", minimal_record("X", "XX", 2023, ""));
    let out = problems(&header);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("TOML syntax: unclosed table"), "{out}");
    // A problem on another line than the syntax error is still reported in the same pass.
    let both = format!(
        "{}[summary\n",
        minimal_record("X", "XX", 2023, "").replace("edition = 2023", "edition = \"soon\"")
    );
    let out = problems(&both);
    assert!(out.contains("TOML syntax: unclosed table"), "{out}");
    assert!(out.contains("edition"), "{out}");
}

#[test]
fn a_missing_bracket_is_one_problem_at_the_bracket_it_leaves_open() {
    // Without its `]`, the parser reads every following line as more of the array and
    // reports an error on each, the missing bracket last, at the end of the file.
    let extra = "[[tables]]\nsection = \"Casualties\"\ncolumns = [\"Year\", \"Killed\"\nrows = [\n  [\"2019\", \"3\"],\n  [\"2020\", \"4\"],\n]\nnotes = \"A note.\"\n";
    let text = minimal_record("X", "XX", 2023, extra);
    let out = problems(&text);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["r.toml:8:11: this `[` is never closed: the array needs a `]` before line 9"],
        "{out}"
    );
    // A problem before the bracket is still reported.
    let earlier = text.replace("edition = 2023", "edition = 2023\nmystery = 1");
    let out = problems(&earlier);
    assert!(out.contains("r.toml:5:1:"), "{out}");
    assert!(
        out.contains("r.toml:9:11: this `[` is never closed"),
        "{out}"
    );
}

#[test]
fn a_text_left_open_is_one_problem_at_its_opening_quotes() {
    // Without its closing quotes the summary runs on to the next text's opening ones, and
    // the parser reads the prose after them as TOML: an error on every line of it.
    let extra = "summary = \"\"\"\nProse of the summary.\n\n[status]\nconvention = \"non-signatory\"\n\n[[sections]]\ntitle = \"Policy\"\ntext = \"\"\"\nThe policy, in prose: many words, none of them TOML.\nAnd another line of them.\n\"\"\"\n";
    let text = minimal_record("X", "XX", 2023, extra);
    let out = problems(&text);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["r.toml:6:11: this `\"\"\"` is never closed: the text needs a `\"\"\"` before line 9"],
        "{out}"
    );
}

#[test]
fn a_comma_after_a_value_is_named_as_such() {
    let text = minimal_record("X", "XX", 2023, "").replace("iso = \"XX\"", "iso = \"XX\",");
    assert_eq!(
        problems(&text).lines().collect::<Vec<_>>(),
        ["r.toml:2:11: a comma after the value: a value ends with its line"],
        "{}",
        problems(&text)
    );
    // A comma inside a list in brackets is not one.
    let list = minimal_record("X", "XX", 2023, "[[tables]]\ncolumns = [\"a\",\n  \"b\"]\n");
    assert!(
        !problems(&list).contains("a comma after the value"),
        "{}",
        problems(&list)
    );
}

#[test]
fn a_vote_with_a_wrong_year_is_not_also_said_to_name_none() {
    let vote = |year: &str| {
        minimal_record(
            "X",
            "XX",
            2023,
            &format!("[[votes]]\n{year}vote = \"yes\"\n"),
        )
    };
    let out = problems(&vote("year = \"2015\"\n"));
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["r.toml:7:8: `votes[0].year` must be a whole number, found string"],
        "{out}"
    );
    let out = problems(&vote(""));
    assert!(
        out.contains("`votes[0]` names neither `year` nor `resolution`"),
        "{out}"
    );
}

#[test]
fn a_missing_keyword_says_which_values_it_may_take() {
    let text = minimal_record(
        "X",
        "XX",
        2023,
        "[[meetings]]\nmeeting = \"1MSP\"\n\n[[votes]]\nyear = 2015\n",
    );
    // A misspelt key still has the missing one suggested.
    let misspelt = text.replace(
        "meeting = \"1MSP\"\n",
        "meeting = \"1MSP\"\nrloe = \"attended\"\n",
    );
    let error = parse_record(Path::new("r.toml"), &misspelt).expect_err("a key misspelt");
    assert!(
        error.problems.iter().any(|p| p
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `role`?"))),
        "{}",
        error.brief()
    );
    let error = parse_record(Path::new("r.toml"), &text).expect_err("two keys missing");
    let helps: Vec<(String, String)> = error
        .problems
        .iter()
        .map(|p| (p.message.clone(), p.help.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        helps,
        [
            (
                "`meetings[0]` is missing the required key `role`".to_string(),
                "add `role = \"attended\"` or another of: attended, observer, invited-absent, absent, not-invited".to_string()
            ),
            (
                "`votes[0]` is missing the required key `vote`".to_string(),
                "add `vote = \"yes\"` or another of: yes, no, abstain, absent".to_string()
            ),
        ],
    );
}
