//! The overview (tổng quan): every measure of the plan judged for a
//! period, filtered by sector, lead agency and verdict.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kehoach_analytics::Engine;
use kehoach_domain::Sector;
use kehoach_domain::access::Action;
use kehoach_domain::org::Agency;
use kehoach_domain::period::Period;
use kehoach_judge::{self as judge, Book};
use kehoach_store::{Against, Store};
use std::collections::HashMap;

use super::{Count, Filters, PeriodOption, Row, against_of, bad_period, counts, period_of, period_options, rows};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::view::{Chrome, encode, html};
use crate::viewer::Viewer;
use crate::words::amount;

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    chrome: Chrome,
    /// A five-year plan's years, and each measure's standing over them.
    five_years: Vec<i32>,
    five_year: Vec<FiveYearRow>,
    region: String,
    year: i32,
    period_label: String,
    periods: Vec<PeriodOption>,
    original: bool,
    counts: Vec<Count>,
    rows: Vec<Row>,
    /// The filter's value (the Vietnamese name, as addresses carry it),
    /// the name shown, and whether it is chosen.
    sectors: Vec<(&'static str, &'static str, bool)>,
    agencies: Vec<(Agency, bool)>,
    status: String,
    total: usize,
    period: String,
    /// Stored figures the engine leaves out, said until corrected.
    /// Link to the measure, and what was left out.
    left_out: Vec<(String, String)>,
}

/// A measure of a five-year plan over its years: the figure of each year
/// so far, what they give, and what each year left must reach.
struct FiveYearRow {
    key: String,
    name: String,
    target: String,
    reading: &'static str,
    years: Vec<String>,
    so_far: String,
    needed: String,
}

/// Each measure of a five-year plan read as its target is written (a
/// growth: a compound average a year; a flow said over the period: a total;
/// anything else: the level at the end), from the figures of record of its
/// years.
fn five_year_rows<E: std::borrow::Borrow<Engine>>(book: &Book<E>, years: &[i32], lang: Lang) -> Vec<FiveYearRow> {
    use kehoach_domain::fiveyear::{Reading, standing};
    use kehoach_domain::{Aggregation, MeasureKind};
    let periods: Vec<Period> = years.iter().map(|y| Period::Year(*y)).collect();
    let by_year = book.evaluate(&periods);
    let show = |d: Option<rust_decimal::Decimal>, unit: &str| d.map_or_else(|| "—".into(), |d| amount(d, unit));
    book.plan
        .measures()
        .enumerate()
        .filter_map(|(i, m)| {
            // As written: a growth is an average a year ("bình quân giai
            // đoạn … tăng X%/năm"); a flow said over the period ("cả giai
            // đoạn", "5 năm") a total; anything else a level by the end
            // ("đến năm 2030 đạt …"). The reading is shown beside the name.
            let said = kehoach_country::fold(&format!("{} {}", m.name, m.source.quote));
            let over_period = ["ca giai doan", "5 nam", "nam nam"].iter().any(|w| said.contains(w));
            let reading = match (m.kind, m.aggregation) {
                (MeasureKind::Growth, _) => Reading::AverageGrowth,
                (_, Aggregation::Sum) if over_period => Reading::Total,
                _ => Reading::EndLevel,
            };
            // A target of a level or a rate (at least, about, between …);
            // a change ("giảm 0,5 - 1%/năm") or a deadline is judged year by year.
            use kehoach_domain::Comparator::*;
            if !matches!(m.comparator, AtLeast | Above | About | Between | Equal) {
                return None;
            }
            let target = m.value.or(m.low)?;
            let figures: Vec<Option<rust_decimal::Decimal>> =
                by_year.iter().map(|year| year.get(i).and_then(|(_, e)| e.actual)).collect();
            let s = standing(reading, target, &figures).ok()?;
            // What the years left need: an amount a year for a total, else
            // a rate a year.
            let unit = if reading == Reading::Total { m.unit.as_str() } else { "%" };
            let needed = s.needed.map(|n| tr!(lang, "five-year-a-year", amount = amount(n, unit)));
            Some(FiveYearRow {
                key: m.key.clone(),
                name: m.name.clone(),
                target: crate::words::target(m, lang),
                reading: lang.label(
                    "five-year",
                    match reading {
                        Reading::AverageGrowth => "average-growth",
                        Reading::EndLevel => "end-level",
                        Reading::Total => "total",
                    },
                ),
                years: figures.iter().map(|f| show(*f, &m.unit)).collect(),
                so_far: show(s.so_far, if reading == Reading::AverageGrowth { "%" } else { &m.unit }),
                needed: needed.unwrap_or_else(|| "—".into()),
            })
        })
        .collect()
}

pub(crate) async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Filters>,
) -> Result<Response, AppError> {
    viewer.require(Action::Read, None, "/")?;
    let against = against_of(q.against.as_deref());
    let plan = state.store.plan(viewer.plan.id, against).await?;
    let period = period_of(plan.year, q.period.as_deref()).map_err(bad_period(&viewer))?;
    let leads: HashMap<String, String> =
        state.store.assignments(viewer.plan.id).await?.into_iter().map(|a| (a.measure, a.lead)).collect();
    let mut agencies = state.store.agencies().await?;
    // The figures of record of the engine this application keeps current
    // (illustrative figures never reach it).
    let engine = state.analytics.engine(&state.store, viewer.plan.id).await?;
    let book = Book::over(viewer.plan.id, plan, &*engine);
    let results = book.evaluate(&[period]).pop().unwrap_or_default();
    let sector = q.sector.clone().unwrap_or_default();
    let agency = q.agency.clone().unwrap_or_default();
    let status = q.status.clone().unwrap_or_default();
    let lang = viewer.lang;
    let rows = rows(&book, &results, &leads, period, lang, |m, e, s| {
        (sector.is_empty() || s.map_or("", |s| s.label_vi()) == sector)
            && (agency.is_empty() || leads.get(&m.key) == Some(&agency))
            && (status.is_empty() || e.status.as_str() == status)
    });
    let mut sectors: Vec<Sector> = book.plan.targets.iter().filter_map(|t| t.sector).collect();
    // Sectors come back in later groups ("Văn hóa - xã hội" before and after
    // "Môi trường"): each once, in order of first appearance.
    let mut seen = std::collections::HashSet::new();
    sectors.retain(|s| seen.insert(*s));
    let sectors =
        sectors.into_iter().map(|s| (s.label_vi(), lang.label("sector", s.as_str()), s.label_vi() == sector)).collect();
    crate::view::sort_vi(&mut agencies, |a| a.name.as_str());
    let agencies = agencies.into_iter().map(|a| (a.clone(), a.code == agency)).collect();
    let five_years: Vec<i32> = if viewer.plan.kind == kehoach_domain::PlanKind::FiveYear {
        viewer.plan.years.clone().collect()
    } else {
        Vec::new()
    };
    let five_year = if five_years.is_empty() { Vec::new() } else { five_year_rows(&book, &five_years, lang) };
    let page = OverviewPage {
        chrome: viewer.chrome("overview", "overview"),
        five_years,
        five_year,
        region: book.plan.region.clone(),
        year: book.plan.year,
        period_label: lang.period(period),
        periods: period_options(book.plan.year, period, lang),
        original: against == Against::Original,
        counts: counts(&results, lang),
        total: results.len(),
        rows,
        sectors,
        agencies,
        status,
        period: period.to_string(),
        left_out: left_out_rows(&book, &state.analytics.left_out(viewer.plan.id).await, lang),
    };
    Ok(html(&page))
}

/// The figures left out of the calculations, as a reader of the overview
/// names them: the measure and the unit by name, the version in words, and a
/// link to the measure where the figure is corrected.
fn left_out_rows<E: std::borrow::Borrow<Engine>>(
    book: &Book<E>,
    left_out: &[judge::LeftOut],
    lang: Lang,
) -> Vec<(String, String)> {
    left_out
        .iter()
        .map(|o| {
            let measure = book.plan.measures().find(|m| m.key == o.measure);
            let name = measure.map_or(o.measure.as_str(), |m| m.name.as_str());
            let unit = book.units().iter().find(|u| u.code == o.org_unit).map_or(o.org_unit.as_str(), |u| &u.name);
            let text = tr!(
                lang,
                "left-out-figure",
                name = name,
                key = o.measure,
                unit = unit,
                period = lang.period(o.period),
                version = o.version,
                why = crate::words::left_out(&o.why, lang)
            );
            (format!("/measures/{}", encode(&o.measure)), text)
        })
        .collect()
}
