//! A measure's page (chỉ tiêu): its verdict for a period, the chart, every
//! version of its figures and of its target, and comments; also, as the
//! public sees it, for the portal.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_domain::Aggregation;
use kehoach_domain::access::{Action, Role};
use kehoach_domain::number::format_vi;
use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, Workflow};
use kehoach_judge::Book;
use kehoach_store::{Accounts, Against, Store, StoredValue};
use std::collections::HashMap;

use super::KeyPath;
use super::{Filters, PeriodOption, against_of, bad_period, months, period_of, period_options, target_band};
use crate::AppState;
use crate::chart;
use crate::error::AppError;
use crate::view::{Chrome, chip, encode, html, number, percent, when};
use crate::viewer::{CsrfForm, Viewer};

struct HistoryRow {
    period: String,
    unit: String,
    version: u32,
    value: String,
    status: &'static str,
    origin: &'static str,
    /// Where the version stands: đã duyệt, chờ duyệt, nháp, trả lại…
    workflow: &'static str,
    /// Whether it counts (approved or recorded).
    counts: bool,
    by: String,
    at: String,
    note: String,
}

struct VersionRow {
    version: u32,
    target: String,
    decision: String,
}

struct CommentRow {
    author: String,
    at: String,
    body: String,
}

#[derive(Template)]
#[template(path = "measure.html")]
struct MeasurePage {
    chrome: Chrome,
    public: bool,
    key: String,
    name: String,
    unit: String,
    target: String,
    quote: String,
    line: u32,
    resolution: String,
    period_label: String,
    periods: Vec<PeriodOption>,
    status: &'static str,
    chip: &'static str,
    actual: String,
    /// A figure of the plan's unit for the period awaiting approval: shown
    /// beside the judged one, it changes nothing until approved.
    pending: String,
    /// Parts in and expected of a total still missing some.
    parts: Option<(usize, usize)>,
    achievement: String,
    vs_last_year: String,
    forecast: String,
    basis: String,
    chart: String,
    history: Vec<HistoryRow>,
    versions: Vec<VersionRow>,
    comments: Vec<CommentRow>,
    may_comment: bool,
    formula: String,
}

/// The page of measure `key`; for the public, only the figures `keep`
/// lets through and nothing of who entered them.
pub(super) async fn page(
    state: &AppState,
    viewer: &Viewer,
    key: &str,
    q: &Filters,
    public: bool,
    keep: impl Fn(&StoredValue) -> bool,
) -> Result<Response, AppError> {
    let against = if public { Against::Current } else { against_of(q.against.as_deref()) };
    // The public reads only what counts; signed-in users see every latest
    // figure, marked with where it stands.
    let all = if public {
        state.store.released_values(viewer.plan.id).await?
    } else {
        state.store.latest_values(viewer.plan.id).await?
    };
    let plan = state.store.plan(viewer.plan.id, against).await?;
    let Some(measure) = plan.measure(key).cloned() else { return Err(AppError::NotFound) };
    let period = period_of(plan.year, q.period.as_deref()).map_err(bad_period(viewer))?;
    let mine: Vec<StoredValue> = all.into_iter().filter(|v| keep(v)).collect();
    // The engine this application keeps current holds the figures that
    // count and are not illustrative: what everyone is judged on, the
    // public included.
    let live = state.analytics.engine(&state.store, viewer.plan.id).await?;
    let book = Book::over(viewer.plan.id, plan, &*live);
    let evaluation = book.evaluate(&[period]).pop().unwrap_or_default().into_iter().find(|(m, _)| m.key == key);
    let Some((_, e)) = evaluation else { return Err(AppError::NotFound) };
    let flow = measure.aggregation == Aggregation::Sum;
    let year = book.plan.year;
    let figure = |k: &str, p: Period| book.figure(k, p);
    let (this_year, last_year) = (months(&figure, key, flow, year), months(&figure, key, flow, year - 1));
    let series = chart::Series {
        this_year,
        last_year,
        target: target_band(&measure),
        forecast: e.forecast.as_ref().map(|f| f.value),
        unit: measure.unit.clone(),
        year,
    };
    let svg = chart::measure_chart(&series, viewer.lang);
    let lang = viewer.lang;
    let unit_names: HashMap<&str, &str> = book.units().iter().map(|u| (u.code.as_str(), u.name.as_str())).collect();
    let pending = mine
        .iter()
        .find(|v| {
            !public
                && v.measure == key
                && v.period == period
                && v.org_unit == book.home
                && v.workflow == Workflow::Submitted
        })
        .map(|v| format_vi(v.value))
        .unwrap_or_default();
    let mut history = Vec::new();
    let mut figures: Vec<&StoredValue> = mine.iter().filter(|v| v.measure == key).collect();
    figures.sort_by_key(|v| std::cmp::Reverse(v.period.calendar().1));
    for v in figures.into_iter().take(24) {
        let versions = state.store.value_history(viewer.plan.id, key, &v.org_unit, v.period).await?;
        for h in versions.into_iter().rev().filter(|h| if public { keep(h) && h.workflow.counts() } else { true }) {
            // Another agency's drafts stay with it; of its other figures a
            // reporter sees the value, not who typed it or the note.
            let theirs =
                viewer.role() == Some(Role::Reporter) && h.agency.is_some() && h.agency.as_deref() != viewer.agency();
            if theirs && !h.workflow.counts() && h.workflow != Workflow::Submitted {
                continue;
            }
            history.push(HistoryRow {
                period: lang.period(h.period),
                unit: unit_names.get(h.org_unit.as_str()).map_or(h.org_unit.clone(), |n| n.to_string()),
                version: h.version,
                value: format_vi(h.value),
                status: lang.label("figure", h.status.as_str()),
                origin: lang.label("origin", h.origin.as_str()),
                workflow: lang.label("workflow", h.workflow.as_str()),
                counts: h.workflow.counts(),
                by: if public || theirs { String::new() } else { h.entered_by.clone() },
                at: when(&h.entered_at),
                note: if theirs { String::new() } else { h.note.clone() },
            });
        }
    }
    let versions = state
        .store
        .measure_history(viewer.plan.id, key)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            target: crate::words::target(&v.measure, lang),
            decision: match (v.decision, v.decided_on) {
                (Some(d), Some(on)) => {
                    tr!(lang, "decision-of", decision = d, date = on.format("%d/%m/%Y"))
                }
                _ => lang.t("adopting-resolution").to_string(),
            },
        })
        .collect();
    let comments = if public {
        Vec::new()
    } else {
        state
            .store
            .comments(viewer.plan.id, key)
            .await?
            .into_iter()
            .map(|c| CommentRow { author: c.author, at: when(&c.at), body: c.body })
            .collect()
    };
    let page = MeasurePage {
        chrome: viewer
            .chrome_titled(format!("{} {}", measure.key, measure.name), if public { "public" } else { "overview" }),
        public,
        key: measure.key.clone(),
        name: measure.name.clone(),
        unit: measure.unit.clone(),
        target: crate::words::target(&measure, lang),
        quote: measure.source.quote.clone(),
        line: measure.source.line,
        resolution: book.plan.document.number.clone().unwrap_or_default(),
        period_label: lang.period(period),
        periods: period_options(year, period, lang),
        status: lang.label("status", e.status.as_str()),
        chip: chip(e.status),
        actual: number(e.actual),
        pending,
        parts: e.actual.is_none().then(|| book.parts_in(key, period)).flatten(),
        achievement: percent(e.achievement_pct),
        vs_last_year: percent(e.vs_last_year_pct),
        forecast: e
            .forecast
            .as_ref()
            .map(|f| format!("{} ({})", number(Some(f.value)), crate::words::forecast(f, lang)))
            .unwrap_or_default(),
        basis: crate::words::basis(&e.basis, lang),
        chart: svg,
        history,
        versions,
        comments,
        may_comment: !public && viewer.may(Action::Comment, None),
        formula: measure.formula.clone().unwrap_or_default(),
    };
    Ok(html(&page))
}

pub(crate) async fn measure(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(KeyPath { key }): Path<KeyPath>,
    Query(q): Query<Filters>,
) -> Result<Response, AppError> {
    viewer.require(Action::Read, None, &format!("/measures/{key}"))?;
    page(&state, &viewer, &key, &q, false, |v| v.origin != Origin::Illustrative).await
}

#[derive(serde::Deserialize)]
pub(crate) struct CommentForm {
    body: String,
}

pub(crate) async fn comment(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    CsrfForm(viewer, form): CsrfForm<CommentForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::Comment, None, &format!("/measures/{key}"))?;
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    if !plan.reports(&key) {
        return Err(AppError::NotFound);
    }
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return Err(viewer.refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "comment-not-valid",
            viewer.lang.t("comment-length"),
        ));
    }
    state.store.add_comment(viewer.plan.id, &key, body, &viewer.username()).await?;
    Ok(Redirect::to(&viewer.plan.at(&format!("/measures/{}", encode(&key)))).into_response())
}
