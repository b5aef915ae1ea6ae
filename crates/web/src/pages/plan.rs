//! Plan administration (quản lý kế hoạch): revise a target by a later
//! decision, and set the agency that answers for a measure. Planners and
//! administrators only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use kehoach_domain::Comparator;
use kehoach_domain::access::Action;
use kehoach_domain::number::parse_decimal;
use kehoach_domain::org::{Agency, Assignment};
use kehoach_store::{Against, Revision, Store, StoreError};
use std::collections::HashMap;

use super::KeyPath;
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::view::{Chrome, encode, html};
use crate::viewer::{CsrfForm, Viewer};

/// The comparators a decision can set, as the form offers them (their
/// words keyed `comparator.<code>`).
const CHOICES: [Comparator; 9] = [
    Comparator::AtLeast,
    Comparator::Above,
    Comparator::AtMost,
    Comparator::Below,
    Comparator::Between,
    Comparator::About,
    Comparator::Equal,
    Comparator::IncreaseBy,
    Comparator::DecreaseBy,
];

struct Row {
    key: String,
    name: String,
    target: String,
    versions: u32,
    lead: String,
    /// Codes of the units that report their part.
    contributors: Vec<String>,
    /// The year of the plan before whose assignment is offered (lead and
    /// units preselected, for the planner to confirm); 0 when none is.
    offered: i32,
    /// What was typed in this row's form, when it was refused.
    form: RevisionForm,
    error: String,
    open: bool,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct RevisionForm {
    #[serde(default)]
    comparator: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    low: String,
    #[serde(default)]
    high: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    date: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    chrome: Chrome,
    region: String,
    year: i32,
    rows: Vec<Row>,
    agencies: Vec<Agency>,
    /// Units below the province that can report a part: (code, name).
    units: Vec<(String, String)>,
    choices: Vec<(&'static str, &'static str)>,
    flash: String,
}

/// Years follow on: the assignments of the region's plan of the year before,
/// by the measures of this plan they match (the same national indicator
/// code, else the same name, tones and case aside), with that year.
async fn offered_assignments(
    state: &AppState,
    id: kehoach_store::PlanId,
    plan: &kehoach_domain::Plan,
) -> Result<HashMap<String, (Assignment, i32)>, StoreError> {
    use kehoach_country::fold;
    let units = state.store.org_units().await?;
    let home = kehoach_domain::org::home_code(plan, &units);
    let mut offered = HashMap::new();
    for entry in state.store.plans().await? {
        if entry.id == id || entry.year != plan.year - 1 || entry.kind != kehoach_domain::PlanKind::Year {
            continue;
        }
        let before = state.store.plan(entry.id, Against::Current).await?;
        if home.is_none() || kehoach_domain::org::home_code(&before, &units) != home {
            continue;
        }
        let by_key: HashMap<String, Assignment> =
            state.store.assignments(entry.id).await?.into_iter().map(|a| (a.measure.clone(), a)).collect();
        for m in plan.measures() {
            let same = |b: &&kehoach_domain::Measure| match (&m.indicator, &b.indicator) {
                (Some(x), Some(y)) => x == y,
                _ => fold(&b.name) == fold(&m.name),
            };
            if let Some(a) = before.measures().find(same).and_then(|b| by_key.get(&b.key)) {
                offered.insert(m.key.clone(), (Assignment { measure: m.key.clone(), ..a.clone() }, entry.year));
            }
        }
    }
    Ok(offered)
}

/// The plan page; with `refused`, one measure's form open again with what
/// was typed and why it was refused.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    refused: Option<(&str, RevisionForm, String)>,
    flash: &str,
) -> Result<PlanPage, StoreError> {
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let assignments: HashMap<String, Assignment> =
        state.store.assignments(viewer.plan.id).await?.into_iter().map(|a| (a.measure.clone(), a)).collect();
    let offered = offered_assignments(state, viewer.plan.id, &plan).await?;
    let mut rows = Vec::new();
    for m in plan.measures() {
        let versions = state.store.measure_history(viewer.plan.id, &m.key).await?.len() as u32;
        let (form, error, open) = match &refused {
            Some((key, form, error)) if *key == m.key => (form.clone(), error.clone(), true),
            _ => (
                RevisionForm { comparator: m.comparator.as_str().to_string(), ..RevisionForm::default() },
                String::new(),
                false,
            ),
        };
        let (assigned, offered) = match (assignments.get(&m.key), offered.get(&m.key)) {
            (Some(a), _) => (Some(a), 0),
            (None, Some((a, year))) => (Some(a), *year),
            (None, None) => (None, 0),
        };
        rows.push(Row {
            key: m.key.clone(),
            name: m.name.clone(),
            target: crate::words::target(m, viewer.lang),
            versions,
            lead: assigned.map(|a| a.lead.clone()).unwrap_or_default(),
            contributors: assigned.map(|a| a.contributors.clone()).unwrap_or_default(),
            offered,
            form,
            error,
            open,
        });
    }
    Ok(PlanPage {
        chrome: viewer.chrome("plan-administration", "plan"),
        region: plan.region.clone(),
        year: plan.year,
        rows,
        agencies: {
            let mut a = state.store.agencies().await?;
            crate::view::sort_vi(&mut a, |a| a.name.as_str());
            a
        },
        units: {
            let mut units: Vec<(String, String)> = state
                .store
                .org_units()
                .await?
                .into_iter()
                .filter(|u| {
                    matches!(u.level, kehoach_domain::org::OrgLevel::District | kehoach_domain::org::OrgLevel::Commune)
                })
                .map(|u| (u.code, u.name))
                .collect();
            crate::view::sort_vi(&mut units, |u| u.1.as_str());
            units
        },
        choices: CHOICES.iter().map(|c| (c.as_str(), viewer.lang.label("comparator", c.as_str()))).collect(),
        flash: flash.to_string(),
    })
}

/// The plan page again, `key`'s form open with `form` and why it was refused.
async fn refused(state: &AppState, viewer: &Viewer, key: &str, form: RevisionForm, error: String) -> AppError {
    match page(state, viewer, Some((key, form, error)), "").await {
        Ok(p) => AppError::form(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => e.into(),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct Saved {
    saved: Option<String>,
    /// A plan just added from a resolution.
    added: Option<i64>,
}

pub(crate) async fn plan(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan")?;
    let flash = match (q.added, q.saved.as_deref()) {
        (Some(added), _) => tr!(viewer.lang, "plan-added-beside", plan = added, current = state.plan()),
        (None, Some(key)) if !key.is_empty() => tr!(viewer.lang, "measure-change-saved", measure = key),
        _ => String::new(),
    };
    Ok(html(&page(&state, &viewer, None, &flash).await?))
}

/// Reads the form into the revised measure, or says what is wrong, in
/// `lang`.
fn revised(current: &kehoach_domain::Measure, form: &RevisionForm, lang: Lang) -> Result<Revision, String> {
    let comparator = CHOICES
        .iter()
        .copied()
        .find(|c| c.as_str() == form.comparator)
        .ok_or_else(|| lang.t("choose-comparator").to_string())?;
    let number = |label: &str, text: &str| {
        parse_decimal(text.trim())
            .map_err(|_| tr!(lang, "field-not-a-number", field = lang.t(label), text = text.trim()))
    };
    let mut m = current.clone();
    m.comparator = comparator;
    let range = comparator == Comparator::Between || (!form.low.trim().is_empty() && form.value.trim().is_empty());
    if range {
        let (low, high) = (number("low", &form.low)?, number("high", &form.high)?);
        if low > high {
            return Err(lang.t("low-above-high").into());
        }
        (m.value, m.low, m.high) = (None, Some(low), Some(high));
    } else {
        (m.value, m.low, m.high) = (Some(number("value", &form.value)?), None, None);
    }
    let decision = form.decision.trim();
    if decision.is_empty() || decision.chars().count() > 200 {
        return Err(lang.t("decision-number-needed").into());
    }
    let decided_on = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(form.date.trim(), "%d/%m/%Y"))
        .map_err(|_| lang.t("decision-date-not-valid").to_string())?;
    Ok(Revision { measure: m, decision: decision.to_string(), decided_on })
}

pub(crate) async fn revise(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    CsrfForm(viewer, form): CsrfForm<RevisionForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan")?;
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let current = plan.measure(&key).ok_or(AppError::NotFound)?;
    let revision = match revised(current, &form, viewer.lang) {
        Ok(r) => r,
        Err(error) => return Err(refused(&state, &viewer, &key, form, error).await),
    };
    state.store.revise(viewer.plan.id, &revision, &viewer.username()).await?;
    Ok(Redirect::to(&viewer.plan.at(&format!("/plan?saved={}", encode(&key)))).into_response())
}

pub(crate) async fn assign(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    CsrfForm(viewer, form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan")?;
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let contributors: Vec<String> = form.iter().filter(|(k, _)| k == "unit").map(|(_, v)| v.clone()).collect();
    let known = state.store.org_units().await?;
    if let Some(unknown) = contributors.iter().find(|c| !known.iter().any(|u| &u.code == *c)) {
        let error = tr!(viewer.lang, "unknown-unit", unit = unknown);
        return Err(refused(&state, &viewer, &key, RevisionForm::default(), error).await);
    }
    let lead = field("lead").unwrap_or_default().to_string();
    let assignment = Assignment { measure: key.clone(), lead, contributors };
    match state.store.assign(viewer.plan.id, &[assignment], &viewer.username()).await {
        Ok(()) => Ok(Redirect::to(&viewer.plan.at(&format!("/plan?saved={}", encode(&key)))).into_response()),
        Err(e @ (StoreError::Refused(_) | StoreError::NotFound(_))) => {
            let why = crate::words::refusal(&e, viewer.lang);
            Err(refused(&state, &viewer, &key, RevisionForm::default(), why).await)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_reads_vietnamese_numbers_and_dates() {
        let plan = kehoach_planfile_stub();
        let form = RevisionForm {
            comparator: "at_least".into(),
            value: "8".into(),
            decision: "01/2025/NQ-HĐND".into(),
            date: "19/02/2025".into(),
            ..RevisionForm::default()
        };
        let r = revised(&plan, &form, Lang::Vi).unwrap();
        assert_eq!(r.measure.target_text(), "≥ 8%");
        assert_eq!(r.decided_on, NaiveDate::from_ymd_opt(2025, 2, 19).unwrap());
        let bad = RevisionForm { comparator: "between".into(), low: "6,5".into(), high: "6,0".into(), ..form.clone() };
        assert!(revised(&plan, &bad, Lang::Vi).unwrap_err().contains("Cận dưới"));
        let bad = RevisionForm { value: "tám".into(), ..form.clone() };
        assert!(revised(&plan, &bad, Lang::Vi).unwrap_err().contains("không phải là số"));
        assert_eq!(
            revised(&plan, &bad, Lang::En).unwrap_err(),
            "Value: “tám” is not a number (write it like 1.850,5)."
        );
        let bad = RevisionForm { date: "2025-02-30".into(), ..form };
        assert!(revised(&plan, &bad, Lang::Vi).is_err());
    }

    fn kehoach_planfile_stub() -> kehoach_domain::Measure {
        let m = kehoach_domain::Measure::new(
            "a.1",
            "Tăng trưởng GRDP",
            Comparator::Between,
            kehoach_domain::MeasureKind::Growth,
            kehoach_domain::Aggregation::None,
        );
        kehoach_domain::Measure {
            low: Some("6".parse().unwrap()),
            high: Some("6.5".parse().unwrap()),
            unit: "%".into(),
            ..m
        }
    }
}
