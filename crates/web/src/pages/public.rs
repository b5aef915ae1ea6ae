//! The public portal (công khai): the plan's verdicts and each measure
//! from the figures that count, for anyone; and every such figure as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kehoach_domain::access::Action;
use kehoach_domain::value::Origin;
use kehoach_judge::Book;
use kehoach_store::{Against, Store, StoredValue};
use std::collections::HashMap;

use super::KeyPath;
use super::{Count, Filters, PeriodOption, Row, bad_period, counts, measure, period_of, period_options, rows};
use crate::AppState;
use crate::error::AppError;
use crate::view::{Chrome, html};
use crate::viewer::Viewer;

/// Figures the public sees: those published, and those of periods whose
/// lead agency's submission an approver has approved.
/// What the public sees of the figures that count: all but the illustrative
/// ones of a demonstration. (Which figures count, approved or recorded, the
/// store decides: `Store::released_values`.)
fn published(v: &StoredValue) -> bool {
    v.origin != Origin::Illustrative
}

#[derive(Template)]
#[template(path = "public.html")]
struct PublicPage {
    chrome: Chrome,
    region: String,
    year: i32,
    resolution: String,
    period_label: String,
    periods: Vec<PeriodOption>,
    counts: Vec<Count>,
    rows: Vec<Row>,
    period: String,
}

pub(crate) async fn public(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Filters>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadPublic, None, "/public")?;
    // From the engine kept current, not from the store on every request:
    // it holds exactly the released figures that are not illustrative.
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let live = state.analytics.engine(&state.store, viewer.plan.id).await?;
    let book = Book::over(viewer.plan.id, plan, &*live);
    let period = period_of(book.plan.year, q.period.as_deref()).map_err(bad_period(&viewer))?;
    let results = book.evaluate(&[period]).pop().unwrap_or_default();
    let lang = viewer.lang;
    let rows = rows(&book, &results, &HashMap::new(), period, lang, |_, _, _| true);
    let page = PublicPage {
        chrome: viewer.chrome("plan-results-public", "public"),
        region: book.plan.region.clone(),
        year: book.plan.year,
        resolution: book.plan.document.number.clone().unwrap_or_default(),
        period_label: lang.period(period),
        periods: period_options(book.plan.year, period, lang),
        counts: counts(&results, lang),
        rows,
        period: period.to_string(),
    };
    Ok(html(&page))
}

pub(crate) async fn public_measure(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(KeyPath { key }): Path<KeyPath>,
    Query(q): Query<Filters>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadPublic, None, "/public")?;
    measure::page(&state, &viewer, &key, &q, true, published).await
}

/// Every figure that counts, one per line, for anyone to download.
/// A text cell of the public CSV: one a spreadsheet would take as a
/// formula (`=`, `+`, `-`, `@`, and a tab or carriage return before them) is
/// written as text; quotes, commas and line breaks are quoted.
fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

pub(crate) async fn public_csv(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::ReadPublic, None, "/public")?;
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let values = state.store.released_values(viewer.plan.id).await?;
    let mut out = String::from("measure,name,period,org_unit,value,unit,status,origin\r\n");
    let field = csv_text;
    for v in values.iter().filter(|v| published(v)) {
        let m = plan.measure(&v.measure);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            field(&v.measure),
            field(m.map_or("", |m| m.name.as_str())),
            v.period,
            field(&v.org_unit),
            v.value,
            field(m.map_or("", |m| m.unit.as_str())),
            v.status.as_str(),
            v.origin.as_str()
        ));
    }
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"so-lieu-cong-khai.csv\""),
    ];
    Ok((headers, out).into_response())
}

#[cfg(test)]
mod csv_tests {
    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(super::csv_text("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for formula in ["+1+1", "-2+3", "@SUM(A1)", "\t=1"] {
            assert!(super::csv_text(formula).trim_start_matches('"').starts_with('\''), "{formula}");
        }
        assert_eq!(super::csv_text("Kim ngạch xuất khẩu"), "Kim ngạch xuất khẩu");
        assert_eq!(super::csv_text("tỷ USD, giá hiện hành"), "\"tỷ USD, giá hiện hành\"");
    }
}
