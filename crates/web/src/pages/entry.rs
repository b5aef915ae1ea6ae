//! Data entry (nhập số liệu): an agency's figures for a period, checked
//! field by field (one bad field keeps everything typed), saved as a draft
//! or submitted for approval with the workflow move in one transaction.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_domain::access::{Action, SubmissionState};
use kehoach_domain::number::{format_vi, parse_decimal};
use kehoach_domain::org::Agency;
use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus};
use kehoach_domain::{Aggregation, Measure, Plan};
use kehoach_judge as judge;
use kehoach_store::{Accounts, Against, Move, NewValue, Store, StoreError, StoredValue};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

use super::{Filters, PeriodOption, bad_period, entry_period, period_options, references};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::view::{Chrome, encode, html};
use crate::viewer::{CsrfForm, Viewer};

struct Field {
    key: String,
    name: String,
    unit: String,
    target: String,
    /// What to type for this kind of measure.
    hint: &'static str,
    value: String,
    status: String,
    note: String,
    version: u32,
    /// Where the stored figure stands (nháp, chờ duyệt, đã duyệt…).
    workflow: &'static str,
    error: String,
    /// A figure far from the earlier ones: kept only with a note.
    warning: String,
    /// For a measure judged against last year: the figure it needs (its
    /// period's code and label), and whether it counts already.
    base: Option<(String, String, bool)>,
    /// For a checklist: each named unit, reached or not and when (the date
    /// as an `<input type=date>` value), in place of a value box.
    checklist: Vec<(String, bool, String)>,
}

/// Whether a measure is entered per named unit.
fn is_checklist(m: &Measure) -> bool {
    m.kind == kehoach_domain::MeasureKind::Checklist && !m.subjects.is_empty()
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    chrome: Chrome,
    agency: Agency,
    agencies: Vec<(Agency, bool)>,
    choose_agency: bool,
    period: String,
    period_label: String,
    periods: Vec<PeriodOption>,
    fields: Vec<Field>,
    state: &'static str,
    state_comment: String,
    locked: bool,
    /// Locked because it awaits approval (not because it is approved).
    awaiting: bool,
    submission_version: u32,
    flash: String,
    problem: String,
    unit_name: String,
}

/// What to type in a measure's field, by its kind: the figure as it is
/// judged, never the target's own wording (the key of the hint).
pub(crate) fn entry_hint(m: &Measure) -> &'static str {
    use kehoach_domain::MeasureKind::*;
    match m.kind {
        Growth => "growth-same-period-last-year",
        Share => "share-structure-percent-from-0",
        Change => "this-period-s-value-not",
        Ratio => "this-period-s-ratio-not",
        Count | Zero => "count-whole-number-not-negative",
        Deadline => "progress-reached-end-period-percent",
        Direction => "this-period-s-figure-compared",
        Checklist => "how-many-units-had-reached",
        Level if m.unit == "%" => "rate-reached-percent-from-0",
        Level if m.aggregation == Aggregation::Sum => "amount-this-period-alone-not",
        Level => "level-at-end-period-not",
    }
}

/// The agency whose form is asked for: the one in the address, or the
/// reporter's own; planners and administrators default to the first.
fn agency_of(viewer: &Viewer, asked: Option<&str>, agencies: &[Agency]) -> Option<Agency> {
    let code = asked.filter(|a| !a.is_empty()).or(viewer.agency()).or(agencies.first().map(|a| a.code.as_str()))?;
    agencies.iter().find(|a| a.code == code).cloned()
}

struct EntryContext {
    plan: Plan,
    unit: String,
    unit_name: String,
    agencies: Vec<Agency>,
    measures: Vec<Measure>,
    latest: HashMap<String, StoredValue>,
    /// The latest version of each figure's chain, illustrative ones of a
    /// demonstration included: what a save must name to replace it.
    versions: HashMap<String, u32>,
    /// What counts of this unit's figures: the references a new figure is
    /// compared with.
    released: HashMap<(String, Period), Decimal>,
    submission: Option<kehoach_store::Submission>,
}

async fn entry_context(
    state: &AppState,
    viewer: &Viewer,
    agency: &str,
    period: Period,
) -> Result<EntryContext, StoreError> {
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let units = state.store.org_units().await?;
    let unit = judge::home_of(&plan, &units);
    let unit_name = units.iter().find(|u| u.code == unit).map_or(unit.clone(), |u| u.name.clone());
    let leads: HashSet<String> = state
        .store
        .assignments(viewer.plan.id)
        .await?
        .into_iter()
        .filter(|a| a.lead == agency)
        .map(|a| a.measure)
        .collect();
    let measures: Vec<Measure> = plan.measures().filter(|m| leads.contains(&m.key)).cloned().collect();
    let here: Vec<StoredValue> = state
        .store
        .latest_values(viewer.plan.id)
        .await?
        .into_iter()
        .filter(|v| v.period == period && v.org_unit == unit)
        .collect();
    let versions = here.iter().map(|v| (v.measure.clone(), v.version)).collect();
    let latest =
        here.into_iter().filter(|v| v.origin != Origin::Illustrative).map(|v| (v.measure.clone(), v)).collect();
    let released = state
        .store
        .released_values(viewer.plan.id)
        .await?
        .into_iter()
        .filter(|v| v.org_unit == unit && v.origin != Origin::Illustrative && leads.contains(&v.measure))
        .map(|v| ((v.measure, v.period), v.value))
        .collect();
    let submission =
        state.store.submissions(viewer.plan.id).await?.into_iter().find(|s| s.agency == agency && s.period == period);
    let mut agencies = state.store.agencies().await?;
    crate::view::sort_vi(&mut agencies, |a| a.name.as_str());
    Ok(EntryContext { plan, unit, unit_name, agencies, measures, latest, versions, released, submission })
}

/// The figure a measure judged against last year needs beside this
/// period's: last year's actual for a change ("giảm 0,5 - 1 điểm %"), the
/// same period last year for a direction ("kéo giảm").
fn base_of(m: &Measure, period: Period) -> Option<Period> {
    use kehoach_domain::Comparator::*;
    match m.comparator {
        IncreaseBy | DecreaseBy => Some(Period::Year(period.year() - 1)),
        Increase | Decrease => Some(period.year_before()),
        _ => None,
    }
}

/// A checklist's named units as the form says they stand: `r.KEY.I` checked
/// when reached, `d.KEY.I` the day (`2025-09-15`, or `15/09/2025` typed).
fn checklist_of<'a>(
    m: &Measure,
    get: &impl Fn(&str) -> Option<&'a str>,
    lang: Lang,
) -> Result<Vec<kehoach_domain::checklist::Item>, String> {
    m.subjects
        .iter()
        .enumerate()
        .map(|(i, subject)| {
            let reached = get(&format!("r.{}.{i}", m.key)).is_some();
            let day = get(&format!("d.{}.{i}", m.key)).unwrap_or_default().trim();
            let on = if day.is_empty() || !reached {
                None
            } else {
                let parsed = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .or_else(|_| chrono::NaiveDate::parse_from_str(day, "%d/%m/%Y"));
                Some(parsed.map_err(|_| tr!(lang, "checklist-bad-date", subject = *subject, day = day))?)
            };
            Ok(kehoach_domain::checklist::Item { subject: subject.clone(), reached, on })
        })
        .collect()
}

/// What the entry page says beside the form.
#[derive(Default)]
struct Said<'a> {
    /// What was typed, shown again after a rejection.
    typed: Option<&'a HashMap<String, String>>,
    errors: HashMap<String, String>,
    warnings: HashMap<String, String>,
    /// In the viewer's language, as the rest.
    flash: &'a str,
    problem: &'a str,
}

fn entry_page(viewer: &Viewer, ctx: &EntryContext, agency: &Agency, period: Period, said: Said<'_>) -> EntryPage {
    let Said { typed, errors, warnings, flash, problem } = said;
    let lang = viewer.lang;
    let fields = ctx
        .measures
        .iter()
        .map(|m| {
            let stored = ctx.latest.get(&m.key);
            let typed_field = |prefix: &str| typed.and_then(|t| t.get(&format!("{prefix}.{}", m.key))).cloned();
            let (items, free_note) = if is_checklist(m) {
                let (items, free) =
                    kehoach_domain::checklist::read(&m.subjects, stored.map_or("", |v| v.note.as_str()));
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| match typed {
                        Some(t) => (
                            item.subject,
                            t.contains_key(&format!("r.{}.{i}", m.key)),
                            t.get(&format!("d.{}.{i}", m.key)).cloned().unwrap_or_default(),
                        ),
                        None => (item.subject, item.reached, item.on.map(|d| d.to_string()).unwrap_or_default()),
                    })
                    .collect();
                (items, Some(free))
            } else {
                (Vec::new(), None)
            };
            Field {
                key: m.key.clone(),
                name: m.name.clone(),
                unit: m.unit.clone(),
                target: crate::words::target(m, lang),
                hint: lang.t(entry_hint(m)),
                // Exactly as stored: 10,4567 stays 10,4567.
                value: typed_field("v").unwrap_or_else(|| stored.map(|v| format_vi(v.value)).unwrap_or_default()),
                status: typed_field("s").unwrap_or_else(|| {
                    stored.map_or(ValueStatus::Estimate.as_str(), |v| v.status.as_str()).to_string()
                }),
                note: typed_field("n")
                    .unwrap_or_else(|| free_note.unwrap_or_else(|| stored.map(|v| v.note.clone()).unwrap_or_default())),
                version: ctx.versions.get(&m.key).copied().unwrap_or(0),
                workflow: stored.map_or("", |v| lang.label("workflow", v.workflow.as_str())),
                error: errors.get(&m.key).cloned().unwrap_or_default(),
                warning: warnings.get(&m.key).cloned().unwrap_or_default(),
                base: base_of(m, period).map(|p| {
                    let have = ctx.released.contains_key(&(m.key.clone(), p));
                    (p.to_string(), lang.period(p), have)
                }),
                checklist: items,
            }
        })
        .collect();
    let state = ctx.submission.as_ref().map(|s| s.state);
    EntryPage {
        chrome: viewer.chrome("data-entry", "entry"),
        agency: agency.clone(),
        agencies: ctx.agencies.iter().map(|a| (a.clone(), a.code == agency.code)).collect(),
        choose_agency: viewer.agency().is_none(),
        period: period.to_string(),
        period_label: lang.period(period),
        periods: period_options(ctx.plan.year, period, lang)
            .into_iter()
            .chain(period_options(ctx.plan.year - 1, period, lang))
            .collect(),
        fields,
        state: lang.label("submission", state.map_or("none", |s| s.as_str())),
        awaiting: state == Some(SubmissionState::Submitted),
        state_comment: ctx.submission.as_ref().map(|s| s.comment.clone()).unwrap_or_default(),
        locked: state.is_some_and(|s| !s.open()),
        submission_version: ctx.submission.as_ref().map_or(0, |s| s.version),
        flash: flash.into(),
        problem: problem.into(),
        unit_name: ctx.unit_name.clone(),
    }
}

pub(crate) async fn entry_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Filters>,
) -> Result<Response, AppError> {
    let next = format!("/entry?period={}", encode(q.period.as_deref().unwrap_or_default()));
    // Nobody outside sees even an empty form.
    viewer.require(Action::Read, None, &next)?;
    let agencies = state.store.agencies().await?;
    let Some(agency) = agency_of(&viewer, q.agency.as_deref(), &agencies) else {
        return Err(viewer.refuse(StatusCode::NOT_FOUND, "no-agency", viewer.lang.t("no-agency-text")));
    };
    viewer.require(Action::Enter, Some(&agency.code), &next)?;
    let plan_year = state.store.plan(viewer.plan.id, Against::Current).await?;
    let period = entry_period(&plan_year, q.period.as_deref()).map_err(bad_period(&viewer))?;
    let ctx = entry_context(&state, &viewer, &agency.code, period).await?;
    let flash = match q.saved.as_deref() {
        Some("submitted") => viewer.lang.t("figures-sent-approval"),
        Some("draft") => viewer.lang.t("draft-saved"),
        _ => "",
    };
    Ok(html(&entry_page(&viewer, &ctx, &agency, period, Said { flash, ..Said::default() })))
}

pub(crate) async fn entry(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| form.get(k).map(String::as_str);
    viewer.require(Action::Read, None, "/entry")?;
    let agencies = state.store.agencies().await?;
    let Some(agency) = agency_of(&viewer, get("agency"), &agencies) else {
        return Err(viewer.refuse(StatusCode::NOT_FOUND, "no-agency", viewer.lang.t("no-agency-text")));
    };
    viewer.require(Action::Enter, Some(&agency.code), "/entry")?;
    let lang = viewer.lang;
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let period = entry_period(&plan, get("period")).map_err(bad_period(&viewer))?;
    let submit = get("action") == Some("submit");
    let ctx = entry_context(&state, &viewer, &agency.code, period).await?;
    let again =
        |status: StatusCode, errors: HashMap<String, String>, warnings: HashMap<String, String>, problem: &str| {
            let said = Said { typed: Some(&form), errors, warnings, flash: "", problem };
            Err(AppError::form(status, &entry_page(&viewer, &ctx, &agency, period, said)))
        };
    if let Some(s) = ctx.submission.as_ref().filter(|s| !s.state.open()) {
        let problem = if s.state == SubmissionState::Submitted {
            lang.t("entry-awaiting-approval")
        } else {
            lang.t("entry-approved-locked")
        };
        return again(StatusCode::CONFLICT, HashMap::new(), HashMap::new(), problem);
    }
    // Read every field first: one bad field keeps all that was typed.
    let mut errors = HashMap::new();
    let mut warnings = HashMap::new();
    let mut values = Vec::new();
    for m in &ctx.measures {
        let status_text = get(&format!("s.{}", m.key)).unwrap_or("estimate");
        let free = get(&format!("n.{}", m.key)).unwrap_or_default().trim();
        // A checklist is entered per named unit: its figure is how many have
        // reached it, and which and when go in its note.
        let checklist = if is_checklist(m) {
            match checklist_of(m, &get, lang) {
                Ok(items) => Some(items),
                Err(why) => {
                    errors.insert(m.key.clone(), why);
                    continue;
                }
            }
        } else {
            None
        };
        let (counted, note_text);
        let (text, note) = match &checklist {
            Some(items) => {
                let reached = items.iter().filter(|i| i.reached).count();
                if reached == 0 && free.is_empty() && !ctx.latest.contains_key(&m.key) {
                    continue;
                }
                counted = reached.to_string();
                note_text = kehoach_domain::checklist::note(items, free);
                (counted.as_str(), note_text.as_str())
            }
            None => (get(&format!("v.{}", m.key)).unwrap_or_default().trim(), free),
        };
        if text.is_empty() {
            continue;
        }
        if text.chars().count() > 40 || note.chars().count() > 1000 {
            errors.insert(m.key.clone(), lang.t("too-long").to_string());
            continue;
        }
        let value = match parse_decimal(text) {
            Ok(v) => v,
            Err(kehoach_domain::number::NumberError::OutOfRange(_)) => {
                errors.insert(m.key.clone(), tr!(lang, "too-many-digits", text = text));
                continue;
            }
            Err(_) => {
                errors.insert(m.key.clone(), tr!(lang, "not-a-number", text = text));
                continue;
            }
        };
        if let Err(why) = kehoach_domain::value::check_figure(m.kind, &m.unit, value) {
            errors.insert(m.key.clone(), tr!(lang, "figure-refused", why = crate::words::figure(&why, lang)));
            continue;
        }
        let Ok(status) = status_text.parse::<ValueStatus>() else {
            errors.insert(m.key.clone(), lang.t("choose-kind-of-figure").to_string());
            continue;
        };
        let stored = ctx.latest.get(&m.key);
        // The same figure posted back is no new version.
        if stored.is_some_and(|s| s.value == value && s.status == status && s.note == note) {
            continue;
        }
        if let Some(why) = kehoach_domain::value::unlikely(value, &references(&ctx.released, &m.key, period))
            && note.is_empty()
        {
            warnings.insert(m.key.clone(), tr!(lang, "unlikely-needs-note", why = crate::words::unusual(&why, lang)));
            continue;
        }
        let seen = get(&format!("ver.{}", m.key)).and_then(|v| v.parse().ok()).unwrap_or(0);
        values.push(NewValue {
            measure: m.key.clone(),
            org_unit: ctx.unit.clone(),
            period,
            value,
            status,
            note: note.to_string(),
            origin: Origin::Entered,
            agency: Some(agency.code.clone()),
            expected_version: Some(seen),
        });
    }
    if !errors.is_empty() || !warnings.is_empty() {
        let problem = tr!(lang, "fields-refused", n = (errors.len() + warnings.len()));
        return again(StatusCode::UNPROCESSABLE_ENTITY, errors, warnings, &problem);
    }
    let by = viewer.username();
    let to = if submit { SubmissionState::Submitted } else { SubmissionState::Draft };
    let seen = get("submission_version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let step = Move { agency: &agency.code, period, to, comment: "", expected_version: seen, seen: None };
    // Saving a draft again with nothing changed moves nothing.
    let unchanged =
        values.is_empty() && !submit && ctx.submission.as_ref().is_some_and(|s| s.state == SubmissionState::Draft);
    match state.enter(viewer.plan.id, &values, (!unchanged).then_some(&step), &by).await {
        Ok(_) => {}
        Err(StoreError::Conflict { measure, period: p, .. }) if !p.is_empty() => {
            let problem = tr!(lang, "measure-changed-meanwhile", measure = measure);
            return again(StatusCode::CONFLICT, HashMap::new(), HashMap::new(), &problem);
        }
        Err(StoreError::Conflict { .. }) => {
            return again(StatusCode::CONFLICT, HashMap::new(), HashMap::new(), lang.t("period-state-changed"));
        }
        Err(StoreError::Locked { .. }) => {
            return again(StatusCode::CONFLICT, HashMap::new(), HashMap::new(), lang.t("period-locked-nothing-saved"));
        }
        Err(e) => return Err(e.into()),
    }
    let saved = if submit { "submitted" } else { "draft" };
    Ok(Redirect::to(&viewer.plan.at(&format!("/entry?period={period}&agency={}&saved={saved}", encode(&agency.code))))
        .into_response())
}
