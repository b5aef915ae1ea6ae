//! The pages and resources, one module each, every handler written the
//! same way: it asks `Viewer::require` (role and agency, on the server)
//! before it reads anything, reads the store or the live engine, renders a
//! template, and says why it could not with `?` and an [`AppError`].
//! What several pages share (the filters, the period asked for, the rows
//! of the overview and the public portal) is here; a page module uses only
//! this one and the modules below it (`viewer`, `view`, `error`, `live`),
//! except the public pages, which show the measure page's public face.

pub(crate) mod api;
pub(crate) mod approvals;
pub(crate) mod audit;
pub(crate) mod drafts;
pub(crate) mod entry;
pub(crate) mod measure;
pub(crate) mod overview;
pub(crate) mod plan;
pub(crate) mod plans;
pub(crate) mod public;
pub(crate) mod reports;
pub(crate) mod tasks;

use axum::http::StatusCode;
use kehoach_analytics::Engine;
use kehoach_domain::evaluate::{Evaluation, Status};
use kehoach_domain::period::Period;
use kehoach_domain::{Aggregation, Measure, Plan, Sector};
use kehoach_judge::Book;
use kehoach_store::Against;
use rust_decimal::Decimal;
use std::borrow::Borrow;
use std::collections::HashMap;

use crate::chart;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::view::{chip, number, percent};
use crate::viewer::Viewer;

/// What a page's address may ask for.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Filters {
    pub period: Option<String>,
    pub against: Option<String>,
    pub sector: Option<String>,
    pub agency: Option<String>,
    pub status: Option<String>,
    pub saved: Option<String>,
}

/// Why a period asked for cannot be shown.
pub(crate) enum BadPeriod {
    /// Not a period's code at all (`2025-13`).
    Unreadable(String),
    /// A period of another year than the plan's.
    OutsideYear(Period, i32),
}

/// The period asked for, or the default: the plan's year once it is over,
/// else the current month.
fn period_of(year: i32, asked: Option<&str>) -> Result<Period, BadPeriod> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            let p: Period = text.parse().map_err(|_| BadPeriod::Unreadable(text.to_string()))?;
            if p.year() != year {
                return Err(BadPeriod::OutsideYear(p, year));
            }
            Ok(p)
        }
        None => {
            use chrono::Datelike;
            let today = chrono::Utc::now().date_naive();
            Ok(if today.year() == year { Period::Month(year, today.month()) } else { Period::Year(year) })
        }
    }
}

/// The period of an entry form: one of the plan's year, or of the year
/// before, whose figures are the base of measures judged against last year.
fn entry_period(plan: &Plan, asked: Option<&str>) -> Result<Period, BadPeriod> {
    period_of(plan.year, asked).or_else(|e| period_of(plan.year - 1, asked).map_err(|_| e))
}

/// A period that is not one, answered on a page that says so.
fn bad_period(viewer: &Viewer) -> impl Fn(BadPeriod) -> AppError + '_ {
    |why| {
        let lang = viewer.lang;
        let text = match why {
            BadPeriod::Unreadable(text) => tr!(lang, "period-unreadable", period = text),
            BadPeriod::OutsideYear(p, year) => {
                tr!(lang, "period-outside-year", period = lang.period(p), year = year)
            }
        };
        viewer.refuse(StatusCode::BAD_REQUEST, "period-not-valid", &text)
    }
}

fn against_of(asked: Option<&str>) -> Against {
    if asked == Some("original") { Against::Original } else { Against::Current }
}

pub(crate) struct PeriodOption {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn period_options(year: i32, chosen: Period, lang: Lang) -> Vec<PeriodOption> {
    Period::all_of(year)
        .into_iter()
        .map(|p| PeriodOption { code: p.to_string(), label: lang.period(p), selected: p == chosen })
        .collect()
}

fn target_band(m: &Measure) -> Option<(Decimal, Decimal)> {
    match (m.value, m.low, m.high) {
        (Some(v), _, _) => Some((v, v)),
        (None, Some(l), Some(h)) => Some((l, h)),
        _ => None,
    }
}

/// The year's months of a measure at the plan's unit; running totals for
/// flows, so that the line meets the year's target.
fn months(figure: &dyn Fn(&str, Period) -> Option<Decimal>, m: &str, flow: bool, year: i32) -> [Option<Decimal>; 12] {
    let mut out: [Option<Decimal>; 12] = std::array::from_fn(|i| figure(m, Period::Month(year, i as u32 + 1)));
    if flow {
        let mut total = Some(Decimal::ZERO);
        for v in out.iter_mut() {
            total = match (total, *v) {
                (Some(t), Some(x)) => t.checked_add(x),
                _ => None,
            };
            *v = total;
        }
    }
    out
}

/// One row of the overview and the public portal.
pub(crate) struct Row {
    key: String,
    name: String,
    target: String,
    actual: String,
    /// Parts in and expected of a total still missing some.
    parts: Option<(usize, usize)>,
    unit: String,
    achievement: String,
    status: &'static str,
    chip: &'static str,
    lead: String,
    spark: String,
    sector: &'static str,
}

pub(crate) struct Count {
    label: &'static str,
    chip: &'static str,
    code: &'static str,
    n: usize,
}

pub(crate) fn counts(results: &[(&Measure, Evaluation)], lang: Lang) -> Vec<Count> {
    [Status::Exceeded, Status::Achieved, Status::OnTrack, Status::AtRisk, Status::NotAchieved, Status::NoData]
        .into_iter()
        .map(|s| Count {
            label: lang.label("status", s.as_str()),
            chip: chip(s),
            code: s.as_str(),
            n: results.iter().filter(|(_, e)| e.status == s).count(),
        })
        .collect()
}

pub(crate) fn rows<E: Borrow<Engine>>(
    book: &Book<E>,
    results: &[(&Measure, Evaluation)],
    leads: &HashMap<String, String>,
    period: Period,
    lang: Lang,
    keep: impl Fn(&Measure, &Evaluation, Option<Sector>) -> bool,
) -> Vec<Row> {
    let year = period.year();
    let sectors: HashMap<&str, Sector> = book
        .plan
        .targets
        .iter()
        .flat_map(|t| t.measures.iter().filter_map(move |m| Some((m.key.as_str(), t.sector?))))
        .collect();
    let figure = |k: &str, p: Period| book.figure(k, p);
    results
        .iter()
        .filter(|(m, e)| keep(m, e, sectors.get(m.key.as_str()).copied()))
        .map(|(m, e)| Row {
            key: m.key.clone(),
            name: m.name.clone(),
            target: crate::words::target(m, lang),
            actual: number(e.actual),
            parts: e.actual.is_none().then(|| book.parts_in(&m.key, period)).flatten(),
            unit: m.unit.clone(),
            achievement: percent(e.achievement_pct),
            status: lang.label("status", e.status.as_str()),
            chip: chip(e.status),
            lead: leads.get(&m.key).cloned().unwrap_or_default(),
            spark: chart::sparkline(&months(&figure, &m.key, m.aggregation == Aggregation::Sum, year)),
            sector: sectors.get(m.key.as_str()).map_or("", |s| lang.label("sector", s.as_str())),
        })
        .collect()
}

/// The figures a new one of a measure is compared with
/// (`value::references`), from what counts at the unit.
pub(crate) fn references(
    released: &HashMap<(String, Period), Decimal>,
    key: &str,
    period: Period,
) -> Vec<(kehoach_domain::value::Reference, Decimal)> {
    kehoach_domain::value::references(period, |p| released.get(&(key.to_string(), p)).copied())
}

/// A measure's or task's key in an address (`/measures/{key}`), by name: a
/// plan's own addresses (`/plans/{plan}/measures/{key}`) carry the plan too.
#[derive(serde::Deserialize)]
pub(crate) struct KeyPath {
    pub key: String,
}
