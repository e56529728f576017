//! Dates decided by treaty rules and by the registries (families 9–13).

use chrono::Datelike;

use crate::check::{Ctx, Draft, Label};
use crate::facts::{Claim, DateKind, Fact};
use crate::record::Date;
use crate::registry::{
    Adopted, TreatyId, article7_report_due, article17_in_force, record_treaty, stockpile_deadline,
};

use super::{label, place};

/// The treaty a fact is about: its own, else the record topic's.
fn treaty_of(ctx: &Ctx<'_>, f: &Fact) -> TreatyId {
    f.treaty.unwrap_or_else(|| record_treaty(ctx.record))
}

/// The dates of one kind stated about one treaty.
fn dates_of<'a>(ctx: &Ctx<'a>, kind: DateKind, treaty: TreatyId) -> Vec<(&'a Fact, Date)> {
    ctx.facts
        .iter()
        .filter(|f| treaty_of(ctx, f) == treaty)
        .filter_map(|f| match f.claim {
            Claim::Date { kind: k, date } if k == kind => Some((f, date)),
            _ => None,
        })
        .collect()
}

/// The treaties the record's dates are about, each once: a Mine Ban Treaty date in a cluster
/// munition profile is checked by the Mine Ban Treaty's rules, against its own dates only.
fn dated_treaties(ctx: &Ctx<'_>) -> std::collections::BTreeSet<TreatyId> {
    ctx.facts
        .iter()
        .filter(|f| matches!(f.claim, Claim::Date { .. }))
        .map(|f| treaty_of(ctx, f))
        .collect()
}

fn rule(
    ctx: &Ctx<'_>,
    from: DateKind,
    to: DateKind,
    compute: fn(TreatyId, Date) -> Date,
    article: fn(TreatyId) -> &'static str,
) -> Vec<Draft> {
    let mut out = Vec::new();
    for treaty in dated_treaties(ctx) {
        let Some((base, base_date)) = dates_of(ctx, from, treaty).into_iter().next() else {
            continue;
        };
        let expected = compute(treaty, base_date);
        let article = article(treaty);
        out.extend(
            dates_of(ctx, to, treaty)
                .into_iter()
                .filter(|(_, d)| *d != expected)
                .map(|(f, d)| {
                    Draft::new(
                        format!(
                            "{} date {d} does not follow {article}: expected {expected}",
                            to.label()
                        ),
                        vec![
                            label(f, format!("{} {d}", to.label())),
                            label(base, format!("{} {base_date}", from.label())),
                        ],
                    )
                    .help(format!(
                        "{article} gives {expected} from the {} date",
                        from.label()
                    ))
                }),
        );
    }
    out
}

/// DOS201: State Party date against the deposit date (Article 17).
pub fn article17(ctx: &Ctx<'_>) -> Vec<Draft> {
    rule(
        ctx,
        DateKind::Deposited,
        DateKind::InForce,
        article17_in_force,
        |_| "Article 17",
    )
}

/// DOS202: initial report due date against the State Party date (Article 7), and the Mine
/// Ban Treaty's annual reports: each submitted after the year it covers, the latest
/// report's date the latest submission listed.
pub fn article7(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = rule(
        ctx,
        DateKind::InForce,
        DateKind::ReportDue,
        article7_report_due,
        |_| "Article 7",
    );
    out.extend(article7_reports(ctx));
    out
}

/// The annual Article 7 reports a record lists, against the years they cover and the
/// latest report's date.
fn article7_reports(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut latest: Option<(&Fact, Date)> = None;
    for f in ctx.facts {
        let Claim::Article7Report {
            covers,
            submitted: Some(submitted),
        } = f.claim
        else {
            continue;
        };
        if submitted.0.year() <= covers {
            out.push(Draft::new(
                format!("the Article 7 report for {covers} is dated {submitted}, before the year it covers ended"),
                vec![label(f, format!("report for {covers}, submitted {submitted}"))],
            ).help("a report covers a calendar year and is submitted after it ends (the annual update is due by 30 April); correct the year or the date"));
        }
        if latest.is_none_or(|(_, d)| submitted > d) {
            latest = Some((f, submitted));
        }
    }
    let Some((report, newest)) = latest else {
        return out;
    };
    let treaty = treaty_of(ctx, report);
    for (f, d) in dates_of(ctx, DateKind::LastReport, treaty) {
        if d != newest {
            out.push(
                Draft::new(
                    format!("the latest Article 7 report is dated {d}, but the reports listed end with one submitted {newest}"),
                    vec![
                        label(f, format!("latest report {d}")),
                        label(report, format!("submitted {newest}")),
                    ],
                )
                .help("give the latest report's date, or add the missing report to the list"),
            );
        }
    }
    out
}

/// DOS203: stockpile deadline against the State Party date (the convention's Article 3, the
/// Mine Ban Treaty's Article 4).
pub fn article3(ctx: &Ctx<'_>) -> Vec<Draft> {
    rule(
        ctx,
        DateKind::InForce,
        DateKind::StockpileDeadline,
        stockpile_deadline,
        |treaty| treaty.stockpile_rule().0,
    )
}

/// DOS204: one treaty date stated with two values.
pub fn same_kind(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for treaty in dated_treaties(ctx) {
        for kind in [
            DateKind::Signed,
            DateKind::Deposited,
            DateKind::InForce,
            DateKind::ReportDue,
            DateKind::StockpileDeadline,
            DateKind::LastReport,
        ] {
            let dates = dates_of(ctx, kind, treaty);
            if let Some((first, d0)) = dates.first() {
                for (f, d) in &dates[1..] {
                    if d != d0 {
                        out.push(Draft::new(
                            format!("{} date stated as {d0} and as {d}", kind.label()),
                            vec![label(f, d.to_string()), label(first, d0.to_string())],
                        ));
                    }
                }
            }
        }
    }
    out
}

fn month_name(m: u32) -> &'static str {
    crate::record::month_name(m).unwrap_or("?")
}

/// DOS205: meetings named with a year or month they were not held in; unknown meeting ids.
pub fn meetings(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for f in ctx.facts {
        match &f.claim {
            Claim::MeetingMention {
                meeting,
                year,
                month,
            } => {
                let Some(m) = ctx.registry.meeting(meeting) else {
                    continue;
                };
                // The other treaty's meeting is DOS208's finding, or rightly placed when the
                // sentence names that treaty.
                let other_treatys = super::other_treaty::other_treatys_meeting(f, ctx.registry);
                if !m.held_in(*year, *month) && other_treatys.is_none() {
                    let stated = match month {
                        Some(mm) => format!("{} {year}", month_name(*mm)),
                        None => year.to_string(),
                    };
                    out.push(
                        Draft::new(
                            format!("the {} was not held in {stated}", m.name),
                            vec![label(f, format!("placed in {stated}"))],
                        )
                        .help(format!(
                            "checks/meetings.toml: {} was held in {}",
                            m.name,
                            m.when_where()
                        )),
                    );
                }
            }
            Claim::Attendance { meeting, .. }
                if !f.origin.is_prose() && ctx.registry.meeting(meeting).is_none() =>
            {
                out.push(
                    Draft::new(
                        ctx.registry.unknown_meeting(meeting),
                        vec![label(f, "unknown meeting")],
                    )
                    .help("use an id from checks/meetings.toml, or add the meeting there"),
                );
            }
            _ => {}
        }
    }
    out
}

/// DOS206: resolutions cited with a date the registry contradicts.
pub fn resolutions(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for f in ctx.facts {
        if let Claim::Vote {
            resolution, year, ..
        } = &f.claim
        {
            if !f.origin.is_prose() && ctx.registry.resolution(resolution).is_none() {
                let message = match year {
                    Some(y) => {
                        format!(
                            "no annual resolution on the {} is registered for {y}",
                            record_treaty(ctx.record).label()
                        )
                    }
                    None => format!("resolution `{resolution}` is not in checks/resolutions.toml"),
                };
                out.push(Draft::new(message, vec![label(f, "voted on here")]).help(
                    "add the resolution to checks/resolutions.toml, or correct the reference",
                ));
            }
            continue;
        }
        let Claim::ResolutionCited {
            number,
            date: Some(date),
        } = &f.claim
        else {
            continue;
        };
        let Some(r) = ctx.registry.resolution(number) else {
            continue;
        };
        let wrong = match r.adopted {
            Adopted::Day(d) => d != date.0,
            Adopted::Month(y, m) => y != date.0.year() || m != date.0.month(),
            Adopted::Year(y) => y != date.0.year(),
        };
        if wrong && !r.uncertain {
            let adopted = match r.adopted {
                Adopted::Day(d) => Date(d).to_string(),
                Adopted::Month(y, m) => format!("{} {y}", month_name(m)),
                Adopted::Year(y) => y.to_string(),
            };
            out.push(
                Draft::new(
                    format!("resolution {number} was adopted on {adopted}, not {date}"),
                    vec![label(f, format!("dated {date}"))],
                )
                .help(format!(
                    "checks/resolutions.toml: {number} \"{}\", adopted {adopted}",
                    r.title
                )),
            );
        }
    }
    out
}

/// The latest (year, month) an event stated by a fact refers to, when it is dated.
fn event_month(f: &Fact, ctx: &Ctx<'_>) -> Option<(i32, u32, String)> {
    match &f.claim {
        Claim::VoteInYear { year, month, .. } => {
            Some((*year, month.unwrap_or(1), format!("a vote in {year}")))
        }
        Claim::Vote { year: Some(y), .. } => {
            let m = ctx
                .registry
                .annual_resolution(record_treaty(ctx.record), *y)
                .and_then(|r| r.adopted.month())
                .unwrap_or(12);
            Some((*y, m, format!("the vote of {y}")))
        }
        Claim::MeetingMention {
            meeting,
            year,
            month,
        } => Some((*year, month.unwrap_or(1), format!("{meeting} in {year}"))),
        Claim::Date { kind, date } => Some((
            date.0.year(),
            date.0.month(),
            format!("{} {date}", kind.label()),
        ))
        .filter(|_| !matches!(kind, DateKind::ReportDue | DateKind::StockpileDeadline)),
        Claim::Attendance { meeting, role, .. } if role.present() => {
            let m = ctx.registry.meeting(meeting)?;
            let s = m.start();
            Some((
                s.year(),
                s.month(),
                format!("{meeting} ({})", m.when_where()),
            ))
        }
        _ => None,
    }
}

/// DOS207: events dated after the record's last-updated date.
pub fn after_update(ctx: &Ctx<'_>) -> Vec<Draft> {
    let Some(updated) = &ctx.record.last_updated else {
        return Vec::new();
    };
    let limit = (updated.value.0.year(), updated.value.0.month());
    let mut out = Vec::new();
    for f in ctx.facts {
        if let Some((y, m, what)) = event_month(f, ctx)
            && (y, m) > limit
        {
            out.push(Draft::new(
                format!(
                    "{} reports {what}, after the last update ({})",
                    place(f),
                    updated.value
                ),
                vec![
                    label(f, what),
                    Label::new(updated.span.clone(), "last updated"),
                ],
            ));
        }
    }
    out
}
