//! The rule table: every rule with its stable code, kebab-case name, default severity, docs
//! and function. Adding a rule touches three places: its function in `rules/`, its row
//! here, and its fixtures under `tests/fixtures/check/NAME/`.

use super::rules::{
    across, carry_over, citations, claim_rules, dates, footnotes, incomplete, lint, location,
    other_treaty, positions, quantities, review, tables, usage, words,
};
use super::{Ctx, Draft, Severity};

/// A rule's function: the drafts of its findings for one record.
pub type RuleFn = fn(&Ctx<'_>) -> Vec<Draft>;

/// One rule of the checker.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. "DOS101".
    pub code: &'static str,
    /// Kebab-case name, e.g. "last-meeting-contradiction".
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// What it finds.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// An example of text it flags.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The check; `None` for rules the engine applies itself.
    pub run: Option<RuleFn>,
}

macro_rules! rules {
    ($($code:literal $name:literal $sev:ident $run:expr, $what:literal, $why:literal, $example:literal, $fix:literal;)+) => {
        /// Every rule, ordered by code.
        pub static RULES: &[Rule] = &[$(Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            what: $what,
            why: $why,
            example: $example,
            fix: $fix,
            run: $run,
        }),+];
    };
}

rules! {
    "DOS001" "unused-suppression" Warning None,
        "A `[[suppress]]` entry that excuses no finding, or names an unknown rule.",
        "Stale suppressions hide future defects of the same rule.",
        "[[suppress]] rule = \"doubled-words\" reason = \"...\" in a record with no doubled words",
        "Delete the suppression, or correct its `rule` or `matching`.";
    "DOS002" "needs-review" Info Some(review::needs_review),
        "A record marked `needs_review`, as `dossier rollover` marks every record of a new edition.",
        "A rolled-over record repeats last year's facts; its latest vote, meetings and dated sentences must be revisited before print.",
        "needs_review = \"rolled over from the 2023 edition: check the latest vote and meeting claims\"",
        "Revisit what `dossier rollover` listed, set `last_updated`, then delete the `needs_review` line.";
    "DOS003" "incomplete-record" Info Some(incomplete::incomplete),
        "A record marked `incomplete`, as `dossier import` marks a page that was cut off: the finding repeats what is missing (which footnotes have no text, which section stops mid-sentence).",
        "A cut-off page cannot be checked in full. One finding says so; the other rules stay quiet about what is missing (markers whose footnotes were lost, citations whose citing text was lost, a paragraph that stops mid-sentence) and check everything that is there.",
        "incomplete = \"cut off: missing the text of footnotes [4], [5]\"",
        "Restore the missing text from the published page, then delete the `incomplete` line.";
    "DOS004" "record-location" Error Some(location::record_location),
        "A record whose file is not where its fields put it: in the directory of its `edition` (`profiles/2023/` for `edition = 2023`), named by its country and topic as `dossier new` names it (`georgia.toml`, `georgia.mine-action.toml`).",
        "Editions, their books, the previous edition a record is compared with and a country's other topics are all found by directory and file name: a record in the wrong place is printed in the wrong book, or twice, and checked against nothing.",
        "`edition = 2032` in profiles/2023/georgia.toml; Georgia's record saved as armenia.toml",
        "Correct the field if it is the mistake (a typo in `edition`, `country` or `topic`); otherwise move or rename the file to the place the finding names.";
    "DOS101" "last-meeting-contradiction" Error Some(claim_rules::last_meeting),
        "A claim of the last meeting attended (\"last participated in a meeting of the convention in YEAR\") contradicted by a later attendance, in the structured list or in prose.",
        "The summary is what readers quote; a wrong last-meeting year is the most common published contradiction.",
        "Summary: \"last participated in a meeting of the convention in 2012\"; body: \"Meetings of States Parties in 2012 and 2013\".",
        "Correct the year in the claim (the body is usually right), or the attendance entry.";
    "DOS102" "only-attendance-contradiction" Error Some(claim_rules::only_attendance),
        "\"its first and only meeting\" while the record shows more than one meeting of the convention, or speaks of meetings in the plural. Non-formal conferences (kind conference, diplomatic) do not count.",
        "A claim of a single attendance is a strong statement; it must match the attendance record.",
        "\"its first and only meeting of the convention\" and \"has participated in several meetings\".",
        "Reword one of the claims, or correct the attendance list.";
    "DOS103" "all-meetings-contradiction" Error Some(claim_rules::all_meetings),
        "\"has taken part in all meetings of the convention\" while a meeting is listed as not attended.",
        "An absolute claim is false as soon as one absence is recorded.",
        "\"attended all meetings of the convention\" and `role = \"absent\"` for 1MSP.",
        "Qualify the claim (\"most meetings\") or correct the attendance entry.";
    "DOS104" "not-since-contradiction" Error Some(claim_rules::not_since),
        "\"has not attended since YEAR\" (or \"since then\", resolved to the latest year named before it) while a later attendance is recorded.",
        "The claim silently goes stale when a state attends again.",
        "\"but not since 2015\" and attendance at the Tenth Meeting of States Parties in 2022.",
        "Update the sentence to the latest attendance.";
    "DOS105" "vote-contradiction" Error Some(claim_rules::votes),
        "A vote stated in prose (\"In December 2021, X voted in favor\", \"has voted in favor ... since 2016\") that disagrees with a recorded vote or another claim.",
        "UNGA votes are the most-updated fact of a profile; old and new wording drift apart.",
        "\"has voted in favor of the annual resolution since 2016\" and an abstention recorded for 2018.",
        "Correct the vote record or the sentence.";
    "DOS106" "status-contradiction" Error Some(claim_rules::status),
        "Status words disagree: \"Non-signatory\" with a signature date, prose status against the structured status, or \"State Party\" without a ratification, accession or entry-into-force date.",
        "Status opens every profile and drives the treaty-date checks.",
        "\"Non-signatory X\" in the summary and \"signed the convention on 3 December 2008\" in the body.",
        "Correct the status or the date.";
    "DOS107" "activity-list-mismatch" Warning Some(claim_rules::activity_lists),
        "Two denials of activities (\"never used, produced, or exported\") in different places list different activities.",
        "A dropped activity usually means one copy of the sentence was edited and the other was not.",
        "Summary \"never used, produced, or exported\"; body \"never produced or exported\".",
        "Make both lists name the same activities.";
    "DOS108" "conduct-contradiction" Error Some(claim_rules::conduct),
        "Prose denies an activity (\"has never used\") that the structured conduct records as done.",
        "Use and production findings are the profile's most sensitive claims.",
        "`used = \"yes\"` and \"has never used cluster munitions\".",
        "Correct the conduct field or the sentence.";
    "DOS109" "treaty-contradiction" Error Some(claim_rules::treaties),
        "Membership of the Mine Ban Treaty or the CCW stated two ways.",
        "Treaty membership is copied between topics and editions; contradictions spread.",
        "\"is not party to the Mine Ban Treaty\" and `mine_ban_treaty = \"party\"`.",
        "Correct the field or the sentence.";
    "DOS110" "footnote-contradiction" Error Some(footnotes::contradicted),
        "A sentence contradicted by the footnote it cites: \"has never commented\" or \"has never attended\" supported by a statement, a letter or an attendance record; \"in a May 2013 letter\" supported by a letter dated in another month or year. A footnote of another kind (a later report about the event) is not compared.",
        "The footnote is the evidence; when it says the opposite of the sentence, one of them is wrong, and readers who check the source lose trust in the profile.",
        "\"It has never commented on its position.[^n4]\" with n4 = \"Statement of Examplestan, UNGA First Committee, 14 October 2019.\"",
        "Correct the sentence (\"has not commented since 2019\") or its date, or cite the right document.";
    "DOS111" "footnote-two-events" Warning Some(footnotes::two_events),
        "One footnote marker after a sentence that names two meetings or two documents (two Meetings of States Parties with their years, two dated letters or statements), whose footnote is a meeting record or a letter or statement naming only one of them. A footnote that names both, or a later report that names neither, passes.",
        "Each event a sentence reports needs its source; a footnote that documents one of two events leaves the other unsupported, usually because a second marker was lost when the sentence was extended.",
        "\"It attended the Second Meeting of States Parties in Beirut in 2011 and the Third Meeting of States Parties in Oslo in 2012.[^n5]\" with n5 = \"Report of the Second Meeting of States Parties, Beirut, September 2011.\"",
        "Add a marker for the other event (or name its source in the same footnote), or drop the event the sources do not support.";
    "DOS201" "article17-in-force" Error Some(dates::article17),
        "The State Party date is not the first day of the sixth month after the deposit month (Article 17), or the convention's entry into force (1 August 2010) for the first thirty.",
        "The date is computed by treaty rule; any other date is a typo.",
        "Deposited 8 September 2011, State Party 1 February 2012 (should be 1 March 2012).",
        "Recompute the date from the deposit date.";
    "DOS202" "article7-report-due" Error Some(dates::article7),
        "The initial Article 7 report due date is not 180 days after entry into force for the state (each treaty's dates against its own); or an annual report listed in `[article7]` is dated before the end of the year it covers, or the latest report's date is not the latest submission listed.",
        "The deadline is computed by treaty rule.",
        "State Party 1 March 2012, report due 1 September 2012 (should be 28 August 2012).",
        "Recompute the due date.";
    "DOS203" "article3-stockpile-deadline" Error Some(dates::article3),
        "The stockpile destruction deadline is not 8 years after entry into force for the state.",
        "The deadline is computed by treaty rule.",
        "State Party 1 August 2010, deadline 1 August 2019 (should be 1 August 2018).",
        "Recompute the deadline.";
    "DOS204" "date-contradiction" Error Some(dates::same_kind),
        "The same treaty date (signature, ratification, State Party, report due) stated with two values.",
        "Dates are restated in summary and body and drift apart.",
        "`signed = 2008-12-03` and \"signed the convention on 4 December 2008\".",
        "Use one date everywhere.";
    "DOS205" "meeting-date-mismatch" Error Some(dates::meetings),
        "A meeting named with a year or month it was not held in (per checks/meetings.toml), or an attendance entry for a meeting the registry does not know.",
        "Meeting names and dates are easy to mix up (3MSP was 2012, 4MSP 2013).",
        "\"Third Meeting of States Parties in Oslo in September 2013\".",
        "Correct the meeting's name or date.";
    "DOS206" "resolution-mismatch" Error Some(dates::resolutions),
        "A UNGA resolution cited with a date that does not match checks/resolutions.toml, or a vote on a resolution the registry does not know.",
        "Resolution numbers and dates are copied from year to year and go wrong.",
        "\"UNGA Resolution 76/47, 6 December 2020\" (adopted 6 December 2021).",
        "Correct the number or the date.";
    "DOS207" "event-after-update" Warning Some(dates::after_update),
        "An event dated after the record's last-updated date.",
        "A page cannot report what happened after it was last updated: either the date or the event is wrong.",
        "last_updated = 2022-08-25 and \"In December 2022, X voted in favor\".",
        "Update `last_updated`, or correct the event's date.";
    "DOS208" "other-treaty-meeting" Error Some(other_treaty::other_treaty_meeting),
        "A meeting named as the record's treaty's whose year (and city, when named) are those of the other treaty's meeting of the same name, per checks/meetings.toml and checks/mbt-meetings.toml: a cluster munition record's \"Third Meeting of States Parties in Managua in 2001\" is the Mine Ban Treaty's, and the other way round.",
        "Both treaties number their meetings the same way; a sentence copied from the other topic's profile names the wrong treaty's meeting and misdates this one's.",
        "\"the convention's Third Meeting of States Parties in Managua in 2001\" in a Cluster Munition Ban Policy record (the convention's 3MSP was Oslo, September 2012).",
        "Name the other treaty (\"the Mine Ban Treaty's Third Meeting of States Parties\"), or give this treaty's meeting its own city and year.";
    "DOS301" "duplicate-citation" Error Some(citations::duplicates),
        "The same source under two citation keys (after normalising spaces, quotes and case).",
        "Duplicate footnotes look careless in print and hide that two claims rest on one source.",
        "Footnotes [1] and [5] both \"Letter No. 011-14/809 ... 30 April 2010.\"",
        "Keep one key and cite it in both places.";
    "DOS302" "missing-citation" Error Some(citations::missing),
        "A `[^key]` marker or a `source = \"key\"` field naming no citation, or a `[^` whose `]` was left out.",
        "The footnote would print empty, or the marker print as text.",
        "\"...as possible.[^unga-76-74]\" with only `unga-76-47` defined.",
        "Fix the key or add the citation.";
    "DOS303" "unused-citation" Warning Some(citations::unused),
        "A citation no marker or source field refers to.",
        "Usually the marker was deleted or mistyped.",
        "`[citations] old-letter = \"...\"` never cited.",
        "Cite it or delete it.";
    "DOS304" "citation-unbalanced-quotes" Warning Some(citations::unbalanced),
        "A citation text with unbalanced quotation marks or parentheses; the label points at the mark that has no partner.",
        "Titles in footnotes lose their opening quote when copied.",
        "`Implementation of the Convention on Cluster Munitions,” UNGA Resolution 76/47`",
        "Add the missing quotation mark or parenthesis.";
    "DOS305" "footnote-numbering" Warning Some(citations::numbering),
        "Published footnote numbers (imported `[N]` markers, kept as `[^nN]`) that skip a number or go backwards in reading order. Citing an earlier footnote again is fine.",
        "A gap means a footnote or its marker was lost in editing; a number out of order means text was moved without renumbering.",
        "\"...its position.[^n3] It voted in favor.[^n5]\" with no [^n4] anywhere before.",
        "Restore the lost marker or footnote, or renumber the footnotes in reading order.";
    "DOS401" "topic-disagreement" Warning Some(across::topics),
        "Two topics of one country in one edition state different shared facts: treaty status or membership (in fields or in prose), treaty dates, or contamination (\"contaminated by cluster munition remnants\", \"no known contamination\", an area in km² against the other topic's prose or its contamination table's total).",
        "Readers see all topics of a country side by side.",
        "Ban Policy `mine_ban_treaty = \"party\"`, Mine Action `mine_ban_treaty = \"not-party\"`; Ban Policy \"has no known contamination\", Mine Action \"is contaminated by cluster munition remnants\".",
        "Make the topics agree.";
    "DOS402" "edition-fact-changed" Warning Some(across::editions),
        "A past fact of the previous edition (status, treaty date, membership, attendance, vote, conduct) that changed or vanished.",
        "Past facts should not move between editions; when they do it is a correction a reviewer must confirm.",
        "2022: `in_force = 2011-03-01`; 2023: `in_force = 2011-03-12`.",
        "Confirm the correction (and suppress with a reason) or restore the fact.";
    "DOS403" "last-updated-regressed" Warning Some(across::last_updated),
        "The record's last-updated date is older than the previous edition's.",
        "A page copied from an older edition loses the newer edition's updates.",
        "2022 last updated 2022-08-25; 2023 last updated 2021-09-13.",
        "Start the new edition from the latest one, and update the date.";
    "DOS404" "position-change-without-news" Warning Some(positions::position_change),
        "The position on joining (no plans to join / considering joining / intends to join, each with its documented phrasings) differs from the previous edition's, and neither the paragraph stating it nor a footnote it cites names a year from the previous edition's last update on.",
        "A position moves because of a statement or an event, and the profile must report it; a change with no news is usually a sentence copied from an older edition or from another country.",
        "2022: \"Examplestan is considering accession to the convention.\"; 2023: \"Examplestan has no plans to join the convention.\" with no dated statement near it.",
        "Report the statement or event that changed the position, with its date and source, or restore the previous edition's wording.";
    "DOS405" "superseded-carry-over" Warning Some(carry_over::superseded),
        "A sentence naming the latest meeting attended or the latest vote (\"most recently attended ... in 2019\", \"its most recent vote ... 2020\"), identical or nearly identical to a sentence of the previous edition, while this edition records a later attendance or vote. Sentences read as last-meeting, not-since or vote claims are left to DOS101, DOS104 and DOS105.",
        "A sentence carried over unchanged from last year's profile goes stale as soon as the new edition's facts move on; readers take \"most recently\" at its word.",
        "2022 and 2023: \"Examplestan most recently attended the Ninth Meeting of States Parties in 2019.\"; 2023 meetings list the Tenth Meeting of States Parties (2022) as attended.",
        "Update the sentence to the latest recorded meeting or vote.";
    "DOS501" "doubled-words" Warning Some(lint::doubled),
        "A word or phrase written twice in a row, an article before a treaty name included (\"the the Convention\", \"a a\"). \"had had\" and \"that that\", which English doubles on purpose, pass.",
        "Editing slips survive proofreading surprisingly often.",
        "\"did not participate did not participate\", \"has it has\", \"joined the the Convention\".",
        "Delete the repetition.";
    "DOS502" "missing-space" Warning Some(lint::missing_space),
        "Words glued to numbers (\"in2019\", \"since2015\", \"of240\", \"2015and\"), to each other at a comma or semicolon (\"stockpile,which\", \"2014;Tajikistan\"), or to a stray capital (\"FTajikistan\"). Numbers (\"1,240\") and web and e-mail addresses pass; units glued to numbers are DOS509's.",
        "Lost spaces come from copying text between documents.",
        "\"voted in favor in2015\", \"its stockpile,which remains\".",
        "Add the space, or delete the stray character.";
    "DOS503" "mixed-spelling" Warning Some(lint::mixed_spelling),
        "One record mixing spelling variants (favor/favour, organization/organisation).",
        "House style needs one spelling per record.",
        "\"voted in favor\" and \"voted in favour\" in one record.",
        "Use the house spelling throughout.";
    "DOS504" "state-parties" Warning Some(lint::state_parties),
        "\"State Parties\" for \"States Parties\".",
        "The convention's term is \"States Parties\".",
        "\"the Meeting of State Parties\".",
        "Write \"States Parties\".";
    "DOS505" "unbalanced-punctuation" Warning Some(lint::unbalanced),
        "A paragraph of the summary or a section with unbalanced parentheses or quotation marks; the label points at the mark that has no partner. Apostrophes (\"Examplestan’s\", \"States Parties’\") are not quotation marks. Footnotes are DOS304's.",
        "The closing mark is usually lost in editing.",
        "\"the Convention on Conventional Weapons (CCW.\"",
        "Add the missing mark.";
    "DOS506" "date-range-dash" Warning Some(lint::date_range),
        "A day range that lost its dash (\"1216 September\").",
        "Dashes are lost when text passes through plain-text tools.",
        "\"held in Geneva on 1216 September 2011\".",
        "Write \"12–16 September\".";
    "DOS507" "total-mismatch" Warning Some(lint::totals),
        "A total followed by a breakdown in parentheses that does not add up.",
        "Casualty figures are quoted; a wrong sum undermines them.",
        "\"342 casualties (74 killed; 260 injured)\".",
        "Correct the total or the parts.";
    "DOS508" "stray-space" Warning Some(lint::stray_space),
        "A space before a footnote marker (`[^n3]`, or a superscript number \"¹\" pasted from a published page) or before punctuation, doubled spaces, or spaces at the end of a line of prose.",
        "Stray spaces survive copying from word processors and web pages; in print a marker or a comma set off by a space looks careless.",
        "\"its position .[^n3]\", \"the convention  in 2019\", \"as an observer. [^n4]\"",
        "Delete the space.";
    "DOS509" "unit-spacing" Warning Some(lint::unit_spacing),
        "A number glued to its unit (\"155mm\", \"12km\") in a record that elsewhere sets the same unit apart (\"155 mm\", or \"155-mm\" as an adjective). A record written wholly in one style passes.",
        "One record, one style: glued units come from copied military and survey documents and stand out next to the house style.",
        "\"stockpiles of 155mm artillery projectiles\" and \"105 mm projectiles\" in one record",
        "Write \"155 mm\" (or \"155-mm projectiles\").";
    "DOS510" "count-mismatch" Warning Some(lint::count_mismatch),
        "A count word against the years it introduces (\"three meetings: in 2011, 2012, 2013 and 2015\"; \"several meetings: in 2013\", a plural for a list of one), or one meeting in the singular said to be held in several years (\"the Meeting of States Parties in 2012 and 2013\").",
        "A list that grew by one item while its count did not, or a plural that lost its s, is left behind when an edition adds a year.",
        "\"it attended three meetings: in 2011, 2012, 2013 and 2015\"",
        "Make the count match the list (\"four meetings\"), or write the plural (\"the Meetings of States Parties in 2012 and 2013\").";
    "DOS511" "glued-words" Warning Some(words::glued_words),
        "Two words run together (\"resolutionwhich\", \"Conventionon\", \"PartiesIn\", \"stockpileof\"): a token of body prose that is no word of the English word list (checks/english-words.txt, from SCOWL) nor a name that the record (its country, the capitalised words of its footnotes), the country table, the treaties or the registries know, and that splits into two listed words, one of them a short function word (of, on, in, the, which...), the other at least three letters (six before a two-letter word at the end: \"grantor\" passes). A case change inside the token must be the split. The parts of a hyphenated compound are tested one by one; numbers, URLs, e-mail addresses, abbreviations and acronyms are passed over.",
        "A lost space survives a spell checker that knows neither half is wrong, and copying between documents loses spaces at line and footnote boundaries.",
        "\"the annual resolutionwhich it supported\", \"the Meeting of States PartiesIn 2019\"",
        "Add the space; if the token is a name, suppress the finding with `matching`.";
    "DOS512" "misspelt-title" Warning Some(usage::misspelt_title),
        "A treaty's name or a UN resolution's title, in the body or a footnote, within one to three letters of the spelling that the treaty table or the resolution registries give (\"Convention on Cluster Munition\", \"Mine Ban Traety\", \"Implementation of the Convention on Cluster Munitons\"). Case, spaces, hyphens and punctuation are not compared; a lower-case phrase is no title.",
        "Titles are copied into footnotes and searched for; a misspelt one reads as careless and is not found.",
        "\"“Implementation of the Convention on Cluster Munitons,” UNGA Resolution 77/79\"",
        "Write the title as the registries spell it.";
    "DOS513" "country-adjective" Warning Some(usage::country_adjective),
        "A one-word country name used as an adjective before a noun that speaks for the state (\"the Chile delegation\", \"the France government\"): the nouns are delegation, government, representative(s), ministry, authorities, embassy, armed forces, army and military. Names of several words (\"the United States government\") and names in use as their own adjective (Kosovo, Palestine) are passed over.",
        "House style writes the adjective (\"the Chilean delegation\") or \"the delegation of Chile\"; the noun form reads as translated.",
        "\"the Chile delegation said it was reviewing the convention\"",
        "Write the adjective, or \"the delegation of Chile\".";
    "DOS601" "table-total-mismatch" Error Some(tables::totals),
        "A table's \"Total\" column that is not the sum of the row's other figures of the same unit, or a \"Total\" row that is not the sum of the rows above it.",
        "Tables are where readers take figures from; a total that does not add up discredits the whole table.",
        "rows = [[\"2019\", \"30\", \"12\", \"0\", \"40\"]] under columns Year, Killed, Injured, Unknown, Total.",
        "Correct the total or the figure that is wrong; keep one breakdown (outcome, status, device) per table.";
    "DOS602" "table-prose-mismatch" Error Some(tables::prose_against_tables),
        "A count stated in prose (\"42 casualties in 2019\") that disagrees with the table's row for that year (its Total cell, else the sum of its figures).",
        "The prose and the table are read side by side; two different figures for one year cannot both be right.",
        "\"Examplestan recorded 42 casualties in 2019.\" with a casualty table whose 2019 total is 40.",
        "Correct the sentence or the table.";
    "DOS603" "article5-deadline-mismatch" Error Some(tables::article5),
        "A Mine Action record's `[clearance]` Article 5 deadline that is not the last extension's (or, without extensions, the original deadline), or an extension that does not move the deadline later.",
        "The deadline and whether the state is on track are the key facts of a mine action profile; the extension history decides them.",
        "deadline = 2020-04-01 with an extension granted until 2023-03-01.",
        "Set `deadline` to the last extension's `until`, or correct the extension list.";
    "DOS604" "quantity-mismatch" Warning Some(quantities::quantity_mismatch),
        "One quantity stated twice in a record with two figures (\"58 mined areas\" in the summary, \"63 mined areas\" in the body), for the same years, or a figure against the table column of the same name (its row for the one year the sentence names, else its Total row). Sentences that speak of a change, a part or an estimate (\"from\", \"remaining\", \"more than\", \"another\"...) and sentences that compare two figures of one thing are passed over.",
        "A figure updated in one place and not in the other leaves the reader two answers to one question; the summary is the one that gets quoted.",
        "Summary: \"at the end of 2022 Examplestan reported 58 mined areas\"; Contamination: \"at the end of 2022 there were 63 mined areas\".",
        "Correct the figure that is out of date, or say what each figure counts (\"58 confirmed mined areas\", \"63 mined areas in all\").";
}

/// Looks a rule up by code ("DOS101", any case) or name ("last-meeting-contradiction").
pub fn rule_by_code_or_name(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}
