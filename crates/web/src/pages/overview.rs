//! The overview (tổng quan): every measure of the plan judged for a
//! period, filtered by sector, lead agency and verdict.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kehoach_analytics::Engine;
use kehoach_domain::Sector;
use kehoach_domain::access::Action;
use kehoach_domain::org::Agency;
use kehoach_judge::{self as judge, Book};
use kehoach_store::{Against, Store};
use std::collections::HashMap;

use super::{Count, Filters, PeriodOption, Row, against_of, bad_period, counts, period_of, period_options, rows};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::view::{Chrome, encode, html};
use crate::viewer::Viewer;

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    chrome: Chrome,
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
    let page = OverviewPage {
        chrome: viewer.chrome("overview", "overview"),
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
