//! Approvals (duyệt số liệu): what agencies submitted, shown by version;
//! an approver approves exactly the versions seen, returns or unlocks with
//! a reason.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_domain::access::{Action, SubmissionState};
use kehoach_domain::number::format_vi;
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_judge as judge;
use kehoach_store::{Accounts, Against, Move, Store, StoreError};
use rust_decimal::Decimal;
use std::collections::HashMap;

use super::references;
use crate::AppState;

/// A submission in an address: its agency and period.
#[derive(serde::Deserialize)]
pub(crate) struct SubmissionPath {
    agency: String,
    period: String,
}
use crate::error::AppError;
use crate::view::{Chrome, html, when};
use crate::viewer::{CsrfForm, Viewer};

/// A figure as the approver is shown it, and approves it: by version.
struct ShownFigure {
    key: String,
    name: String,
    unit: String,
    org_unit: String,
    value: String,
    version: u32,
    note: String,
    /// Far from the same unit's earlier figures (the note says why).
    warning: String,
}

struct SubmissionRow {
    id: String,
    agency: String,
    agency_name: String,
    period: String,
    period_label: String,
    state: &'static str,
    waiting: bool,
    approved: bool,
    by: String,
    at: String,
    comment: String,
    version: u32,
    figures: Vec<ShownFigure>,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    chrome: Chrome,
    waiting: Vec<SubmissionRow>,
    others: Vec<SubmissionRow>,
    problem: String,
}

async fn approvals_page(state: &AppState, viewer: &Viewer, problem: &str) -> Result<ApprovalsPage, StoreError> {
    let submissions = state.store.submissions(viewer.plan.id).await?;
    let agencies: HashMap<String, String> =
        state.store.agencies().await?.into_iter().map(|a| (a.code, a.name)).collect();
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let latest = state.store.latest_values(viewer.plan.id).await?;
    let released: HashMap<(String, Period), Decimal> = {
        let units = state.store.org_units().await?;
        let home = judge::home_of(&plan, &units);
        state
            .store
            .released_values(viewer.plan.id)
            .await?
            .into_iter()
            .filter(|v| v.org_unit == home && v.origin != Origin::Illustrative)
            .map(|v| ((v.measure, v.period), v.value))
            .collect()
    };
    let mut waiting = Vec::new();
    let mut others = Vec::new();
    for s in submissions {
        // Exactly what an approval would approve: the latest version of each
        // figure the agency entered for the period.
        let figures = latest
            .iter()
            .filter(|v| v.period == s.period && v.origin == Origin::Entered && v.agency.as_deref() == Some(&s.agency))
            .map(|v| {
                let m = plan.measure(&v.measure);
                ShownFigure {
                    key: v.measure.clone(),
                    name: m.map(|m| m.name.clone()).unwrap_or_default(),
                    unit: m.map(|m| m.unit.clone()).unwrap_or_default(),
                    org_unit: v.org_unit.clone(),
                    value: format_vi(v.value),
                    version: v.version,
                    note: v.note.clone(),
                    warning: kehoach_domain::value::unlikely(v.value, &references(&released, &v.measure, v.period))
                        .map(|u| crate::words::unusual(&u, viewer.lang))
                        .unwrap_or_default(),
                }
            })
            .collect();
        let row = SubmissionRow {
            id: format!("{}/{}", s.agency, s.period),
            agency_name: agencies.get(&s.agency).cloned().unwrap_or_else(|| s.agency.clone()),
            agency: s.agency.clone(),
            period: s.period.to_string(),
            period_label: viewer.lang.period(s.period),
            state: viewer.lang.label("submission", s.state.as_str()),
            waiting: s.state == SubmissionState::Submitted,
            approved: s.state == SubmissionState::Approved,
            by: s.by,
            at: when(&s.at),
            comment: s.comment,
            version: s.version,
            figures,
        };
        if row.waiting { waiting.push(row) } else { others.push(row) }
    }
    Ok(ApprovalsPage { chrome: viewer.chrome("approvals", "approvals"), waiting, others, problem: problem.into() })
}

pub(crate) async fn approvals(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::Approve, None, "/approvals")?;
    Ok(html(&approvals_page(&state, &viewer, "").await?))
}

/// An approver's decision, as posted: `seen` repeats, one
/// `measure|unit|version` per figure shown.
#[derive(Default)]
pub(crate) struct Decision {
    decision: String,
    comment: Option<String>,
    version: u32,
    seen: Vec<kehoach_store::Seen>,
}

impl Decision {
    fn read(fields: Vec<(String, String)>) -> Result<Self, String> {
        let mut d = Decision::default();
        for (k, v) in fields {
            match k.as_str() {
                "decision" => d.decision = v,
                "comment" => d.comment = Some(v),
                "version" => d.version = v.parse().map_err(|_| format!("version “{v}”"))?,
                "seen" => {
                    let mut parts = v.splitn(3, '|');
                    let (Some(measure), Some(org_unit), Some(version)) = (parts.next(), parts.next(), parts.next())
                    else {
                        return Err(format!("seen “{v}”"));
                    };
                    let version = version.parse().map_err(|_| format!("seen “{v}”"))?;
                    d.seen.push(kehoach_store::Seen { measure: measure.into(), org_unit: org_unit.into(), version });
                }
                _ => {}
            }
        }
        Ok(d)
    }
}

pub(crate) async fn decide(
    State(state): State<AppState>,
    Path(SubmissionPath { agency, period }): Path<SubmissionPath>,
    CsrfForm(viewer, fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::Approve, None, "/approvals")?;
    let lang = viewer.lang;
    let invalid = |text: &str| viewer.refuse(StatusCode::BAD_REQUEST, "decision-not-valid", text);
    let form = Decision::read(fields).map_err(|what| invalid(&tr!(lang, "field-unreadable", field = what)))?;
    let period = period.parse::<Period>().map_err(|_| AppError::NotFound)?;
    let comment = form.comment.as_deref().unwrap_or_default().trim();
    let to = match form.decision.as_str() {
        "approve" => SubmissionState::Approved,
        "return" => SubmissionState::Returned,
        "unlock" => SubmissionState::Unlocked,
        _ => return Err(invalid(lang.t("choose-decision"))),
    };
    // The approvals page again, saying why nothing was done.
    let again = async |status: StatusCode, problem: &str| -> AppError {
        match approvals_page(&state, &viewer, problem).await {
            Ok(page) => AppError::form(status, &page),
            Err(e) => e.into(),
        }
    };
    if matches!(to, SubmissionState::Returned | SubmissionState::Unlocked) && comment.is_empty() {
        return Err(again(StatusCode::UNPROCESSABLE_ENTITY, lang.t("reason-required")).await);
    }
    if comment.chars().count() > 2000 {
        return Err(again(StatusCode::UNPROCESSABLE_ENTITY, lang.t("decision-comment-too-long")).await);
    }
    let seen = (to == SubmissionState::Approved).then_some(form.seen.as_slice());
    let step = Move { agency: &agency, period, to, comment, expected_version: form.version, seen };
    let problem = match state.move_submission(viewer.plan.id, &step, &viewer.username()).await {
        Ok(_) => return Ok(Redirect::to(&viewer.plan.at("/approvals")).into_response()),
        Err(StoreError::Changed { changes, .. }) => {
            tr!(lang, "not-approved-changed", changes = changes.join("; "))
        }
        Err(StoreError::Conflict { expected, current, .. }) => {
            tr!(lang, "not-done-period-moved", seen = expected, now = current)
        }
        Err(e @ (StoreError::Refused(_) | StoreError::Transition { .. })) => {
            tr!(lang, "not-done", why = crate::words::refusal(&e, lang))
        }
        Err(e) => return Err(e.into()),
    };
    Err(again(StatusCode::CONFLICT, &problem).await)
}
