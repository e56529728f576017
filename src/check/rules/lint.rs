//! Prose surface (families 20–24): doubled words, missing spaces, mixed spellings,
//! "State Parties", unbalanced marks, lost dashes, totals.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Ctx, Draft, Label, Paragraph};
use crate::facts::claims::CleanText;

/// Each paragraph of the summary and sections, cleaned, with a way back to the source.
fn paragraphs<'c>(ctx: &'c Ctx<'_>) -> Vec<(&'c CleanText, &'c crate::record::Prose)> {
    ctx.paragraphs()
        .iter()
        .map(Paragraph::text_and_prose)
        .collect()
}

fn span(
    clean: &CleanText,
    prose: &crate::record::Prose,
    range: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    prose.source_range(clean.raw_range(range))
}

fn regex_rule(
    ctx: &Ctx<'_>,
    re: &Regex,
    make: impl Fn(&regex::Captures<'_>) -> Option<(String, String)>,
) -> Vec<Draft> {
    let mut out = Vec::new();
    for (clean, prose) in paragraphs(ctx) {
        for caps in re.captures_iter(&clean.text) {
            let Some(m) = caps.get(0) else { continue };
            if let Some((message, text)) = make(&caps) {
                out.push(Draft::new(
                    message,
                    vec![Label::new(span(clean, prose, m.range()), text)],
                ));
            }
        }
    }
    out
}

/// Words that English writes twice on purpose ("it had had", "said that that decision").
const DOUBLED_ON_PURPOSE: &[&str] = &["had", "that"];

/// DOS501: a word or phrase (up to four words) written twice in a row ("did not participate
/// did not participate", "the the Convention"), except the words doubled on purpose.
pub fn doubled(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (clean, prose) in paragraphs(ctx) {
        let words: Vec<(usize, usize, String)> = clean
            .text
            .split(' ')
            .scan(0usize, |pos, w| {
                let start = *pos;
                *pos += w.len() + 1;
                Some((start, start + w.len(), w.to_string()))
            })
            .filter(|(_, _, w)| !w.is_empty())
            .collect();
        let norm = |w: &str| w.to_lowercase();
        let mut i = 0;
        'outer: while i < words.len() {
            for n in (1..=4).rev() {
                if i + 2 * n > words.len() {
                    continue;
                }
                let a = &words[i..i + n];
                let b = &words[i + n..i + 2 * n];
                // Punctuation inside the first copy ends a phrase ("in 2012, 2012" is fine).
                if a.iter().zip(b).all(|(x, y)| norm(&x.2) == norm(&y.2))
                    && !(n == 1 && DOUBLED_ON_PURPOSE.contains(&norm(&a[0].2).as_str()))
                    && a.iter()
                        .all(|x| x.2.chars().all(|c| c.is_alphabetic() || c == '\''))
                {
                    let range = a[0].0..b[n - 1].1;
                    let phrase = a.iter().map(|x| x.2.as_str()).collect::<Vec<_>>().join(" ");
                    out.push(Draft::new(
                        format!("\"{phrase}\" is written twice"),
                        vec![Label::new(span(clean, prose, range), "doubled")],
                    ));
                    i += 2 * n;
                    continue 'outer;
                }
            }
            i += 1;
        }
    }
    out
}

static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z]{2,}(?:19|20)\d\d\b|\b(?:in|on|of|at|by|to|and|from|since|until|than)\d[\d,]*\b|\b(?:19|20)\d\d[a-z]{2,}\b|[a-z\d][,;][A-Za-z]|\b[A-Z][A-Z][a-z]{3,}\b").expect("valid regex")
});

/// The whitespace-delimited chunk of `text` around `range`.
fn chunk_around(text: &str, range: std::ops::Range<usize>) -> &str {
    let start = text[..range.start].rfind(' ').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find(' ')
        .map_or(text.len(), |i| range.end + i);
    &text[start..end]
}

/// DOS502: words glued to numbers ("in2019", "since2015", "of240"), to each other at a comma
/// or semicolon ("stockpile,which"), or to a stray capital ("FTajikistan"). Numbers
/// ("1,240") and web and e-mail addresses and paths, where commas and run-together words are
/// part of the address, pass.
pub fn missing_space(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (clean, prose) in paragraphs(ctx) {
        for m in GLUED.find_iter(&clean.text) {
            let chunk = chunk_around(&clean.text, m.range());
            if ["://", "www.", "@", "/"].iter().any(|a| chunk.contains(a)) {
                continue;
            }
            let shown = chunk.trim_matches(|c: char| !c.is_alphanumeric());
            out.push(Draft::new(
                format!("missing space in \"{shown}\""),
                vec![Label::new(span(clean, prose, m.range()), "missing space")],
            ));
        }
    }
    out
}

/// Spelling variants that must not be mixed in one record.
const VARIANTS: &[(&str, &str)] = &[
    ("favor", "favour"),
    ("honor", "honour"),
    ("organization", "organisation"),
    ("universalization", "universalisation"),
    ("center", "centre"),
    ("labor", "labour"),
    ("program", "programme"),
];

static VARIANT_REGEXES: LazyLock<Vec<(&'static str, &'static str, Regex, Regex)>> =
    LazyLock::new(|| {
        let word =
            |w: &str| Regex::new(&format!(r"(?i)\b{w}(?:s|ed|ing|able)?\b")).expect("valid regex");
        VARIANTS
            .iter()
            .map(|&(us, uk)| (us, uk, word(us), word(uk)))
            .collect()
    });

/// DOS503: spelling variants mixed in one record.
pub fn mixed_spelling(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let paras = paragraphs(ctx);
    for (us, uk, us_re, uk_re) in VARIANT_REGEXES.iter() {
        let find = |re: &Regex| -> Option<Label> {
            paras.iter().find_map(|(clean, prose)| {
                re.find(&clean.text).map(|m| {
                    Label::new(span(clean, prose, m.range()), format!("\"{}\"", m.as_str()))
                })
            })
        };
        if let (Some(a), Some(b)) = (find(us_re), find(uk_re)) {
            let (first, second) = if a.span.start <= b.span.start {
                (a, b)
            } else {
                (b, a)
            };
            out.push(
                Draft::new(
                    format!("\"{us}\" and \"{uk}\" spellings mixed in one record"),
                    vec![second, first],
                )
                .help("use one spelling throughout the record"),
            );
        }
    }
    out
}

static STATE_PARTIES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bState Parties\b").expect("valid regex"));

/// DOS504: "State Parties".
pub fn state_parties(ctx: &Ctx<'_>) -> Vec<Draft> {
    regex_rule(ctx, &STATE_PARTIES, |_| {
        Some((
            "\"State Parties\" should be \"States Parties\"".into(),
            "write \"States Parties\"".into(),
        ))
    })
}

/// DOS505: unbalanced parentheses or quotes in a paragraph of the body, pointing at the
/// mark that has no partner.
pub fn unbalanced(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (clean, prose) in paragraphs(ctx) {
        if let Some((what, range)) = super::citations::unbalanced_marks(&clean.text) {
            out.push(Draft::new(
                format!("paragraph has unbalanced {what}"),
                vec![Label::new(
                    span(clean, prose, range),
                    format!("this mark has no partner: unbalanced {what}"),
                )],
            ));
        }
    }
    out
}

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([0-3]?\d)([0-3]\d) (January|February|March|April|May|June|July|August|September|October|November|December)\b").expect("valid regex")
});

/// DOS506: a day range that lost its dash ("1216 September").
pub fn date_range(ctx: &Ctx<'_>) -> Vec<Draft> {
    regex_rule(ctx, &RANGE, |caps| {
        let a: u32 = caps.get(1)?.as_str().parse().ok()?;
        let b: u32 = caps.get(2)?.as_str().parse().ok()?;
        let month = caps.get(3)?.as_str();
        (a >= 1 && a < b && b <= 31).then(|| {
            (
                format!("\"{a}{b:02} {month}\" looks like a day range without its dash"),
                format!("write \"{a}–{b} {month}\""),
            )
        })
    })
}

static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d[\d,]*\d|\d)((?: [a-z]+){0,3}) \(([^()]*)\)").expect("valid regex")
});
static PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:and )?(\d[\d,]*\d|\d) [a-z]+").expect("valid regex"));

fn number(text: &str) -> Option<u64> {
    text.replace(',', "").parse().ok()
}

/// DOS507: a total with a breakdown that does not add up.
pub fn totals(ctx: &Ctx<'_>) -> Vec<Draft> {
    regex_rule(ctx, &TOTAL, |caps| {
        let total = number(caps.get(1)?.as_str())?;
        let inner = caps.get(3)?.as_str();
        let parts: Vec<&str> = inner.split([';', ',']).collect();
        if parts.len() < 2 {
            return None;
        }
        let mut sum = 0;
        for p in &parts {
            sum += number(PART.captures(p)?.get(1)?.as_str())?;
        }
        (sum != total).then(|| {
            (
                format!("the parts ({inner}) add up to {sum}, not {total}"),
                format!("total {total}, parts add up to {sum}"),
            )
        })
    })
}

/// Each paragraph of the summary and sections as written (markers kept), with its prose.
fn raw_paragraphs<'a>(
    ctx: &'a Ctx<'_>,
) -> impl Iterator<Item = (std::ops::Range<usize>, &'a crate::record::Prose)> {
    ctx.record.prose_blocks().flat_map(|(_, prose)| {
        crate::record::prose::paragraph_ranges(&prose.value.text)
            .into_iter()
            .map(move |range| (range, &prose.value))
    })
}

static STRAY_SPACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?P<marker> +(?:\[\^[A-Za-z0-9_.:-]+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))|\S(?P<punct> +)[,;:.?!](?:\s|$|\[\^|[¹²³⁴⁵⁶⁷⁸⁹⁰])|\S(?P<double> {2,})\S|\S(?P<trailing>[ \t]+)$")
        .expect("valid regex")
});

/// DOS508: a space before a footnote marker (`[^key]`, or a superscript number as pasted from
/// a published page) or before punctuation, doubled spaces, trailing spaces.
pub fn stray_space(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for (range, prose) in raw_paragraphs(ctx) {
        // Up to the end of the paragraph's last line, so trailing spaces are seen.
        let end = prose.text[range.end..]
            .find('\n')
            .map_or(prose.text.len(), |i| range.end + i);
        let range = range.start..end;
        let text = &prose.text[range.clone()];
        for caps in STRAY_SPACE.captures_iter(text) {
            let (m, what) = if let Some(m) = caps.name("marker") {
                (m, "a space before a footnote marker")
            } else if let Some(m) = caps.name("punct") {
                (m, "a space before punctuation")
            } else if let Some(m) = caps.name("double") {
                (m, "doubled spaces")
            } else if let Some(m) = caps.name("trailing") {
                (m, "trailing spaces")
            } else {
                continue;
            };
            let at = range.start + m.start();
            let end = if caps.name("marker").is_some() {
                at + m.as_str().len() - m.as_str().trim_start().len()
            } else {
                range.start + m.end()
            };
            out.push(Draft::new(
                what,
                vec![Label::new(prose.source_range(at..end), "delete this space")],
            ));
        }
    }
    out
}

static GLUED_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<number>\d+(?:[.,]\d+)?)(?P<unit>mm|cm|km|kg|km²|m²|ha)\b")
        .expect("valid regex")
});
static SPACED_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d+(?:[.,]\d+)?[ \u{a0}-](?P<unit>mm|cm|km|kg|km²|m²|ha)\b")
        .expect("valid regex")
});

/// DOS509: a number glued to its unit ("155mm") in a record that elsewhere sets the same unit
/// apart ("155 mm" or "155-mm"): the record's own style decides, so a record written wholly in
/// one style passes.
pub fn unit_spacing(ctx: &Ctx<'_>) -> Vec<Draft> {
    let paras = paragraphs(ctx);
    let spaced: Vec<(String, Label)> = paras
        .iter()
        .flat_map(|(clean, prose)| {
            SPACED_UNIT.captures_iter(&clean.text).filter_map(|caps| {
                let m = caps.get(0)?;
                Some((
                    caps["unit"].to_string(),
                    Label::new(
                        span(clean, prose, m.range()),
                        format!("\"{}\" here", m.as_str()),
                    ),
                ))
            })
        })
        .collect();
    let mut out = Vec::new();
    for (clean, prose) in &paras {
        for caps in GLUED_UNIT.captures_iter(&clean.text) {
            let (Some(m), Some(unit)) = (caps.get(0), caps.name("unit")) else {
                continue;
            };
            let Some((_, style)) = spaced.iter().find(|(u, _)| u == unit.as_str()) else {
                continue;
            };
            let number = &caps["number"];
            out.push(
                Draft::new(
                    format!(
                        "\"{}\" is written without the space the record uses elsewhere",
                        m.as_str()
                    ),
                    vec![
                        Label::new(
                            span(clean, prose, m.range()),
                            format!("write \"{number} {}\"", unit.as_str()),
                        ),
                        style.clone(),
                    ],
                )
                .help(format!(
                    "write \"{number} {}\" (or \"{number}-{}\" as an adjective)",
                    unit.as_str(),
                    unit.as_str()
                )),
            );
        }
    }
    out
}

const YEAR_LIST: &str = r"(?P<list>(?:19|20)\d\d(?:(?:, |,? and )(?:19|20)\d\d)+)";

static COUNTED_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<count>two|three|four|five|six|seven|eight|nine|ten) (?P<noun>(?:[A-Za-z]+ ){{0,4}}?(?:meetings|conferences|sessions|letters|statements|workshops|reports|votes))\b[^.;()]{{0,30}}?(?::| in) (?:in )?{YEAR_LIST}"
    ))
    .expect("valid regex")
});
/// A vague plural count introducing a list: "several meetings: in 2013".
static VAGUE_COUNT_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<count>several|a number of|numerous|multiple|various) (?P<noun>(?:[A-Za-z]+ ){0,4}?(?:meetings|conferences|sessions|letters|statements|workshops|reports|votes))\b[^.;:()]{0,40}?: (?:in )?(?P<list>(?:19|20)\d\d)(?P<more>(?:, |,? and )(?:19|20)\d\d)?")
        .expect("valid regex")
});
static SINGULAR_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:the|a|its) (?P<noun>Meeting of States Parties|Review Conference|intersessional meeting|annual meeting) (?:(?:held )?in [A-Z][a-z]+ )?in {YEAR_LIST}"
    ))
    .expect("valid regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:19|20)\d\d").expect("valid regex"));

fn count_word(word: &str) -> Option<usize> {
    [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ]
    .iter()
    .position(|w| *w == word)
    .map(|i| i + 2)
}

/// DOS510: a count word against the years it introduces ("three meetings: in 2011, 2012,
/// 2013 and 2015"; "several meetings: in 2013"), or one meeting in the singular held in several years ("the Meeting of
/// States Parties in 2012 and 2013").
pub fn count_mismatch(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = regex_rule(ctx, &COUNTED_LIST, |caps| {
        let said = count_word(&caps["count"])?;
        let listed = YEAR.find_iter(&caps["list"]).count();
        (said != listed).then(|| {
            (
                format!(
                    "\"{} {}\" introduces {listed} years: {}",
                    &caps["count"], &caps["noun"], &caps["list"]
                ),
                format!("{said} said, {listed} listed"),
            )
        })
    });
    out.extend(regex_rule(ctx, &VAGUE_COUNT_LIST, |caps| {
        caps.name("more").is_none().then(|| {
            (
                format!(
                    "\"{} {}\" introduces one year: {}",
                    &caps["count"], &caps["noun"], &caps["list"]
                ),
                "a plural count, one item listed".to_string(),
            )
        })
    }));
    out.extend(regex_rule(ctx, &SINGULAR_MEETING, |caps| {
        let noun = &caps["noun"];
        Some((
            format!(
                "one \"{noun}\" is said to be held in several years: {}",
                &caps["list"]
            ),
            "singular noun, several years".to_string(),
        ))
    }));
    out
}
