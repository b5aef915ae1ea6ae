//! The key tasks (nhiệm vụ trọng tâm): each task's latest progress by
//! group, and its lead agency's report of progress.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_domain::access::Action;
use kehoach_domain::number::parse_decimal;
use kehoach_store::{Against, Store, StoreError};
use std::collections::HashMap;

use super::Filters;
use super::KeyPath;
use crate::AppState;
use crate::error::AppError;
use crate::view::{Chrome, encode, html, number, percent};
use crate::viewer::{CsrfForm, Viewer};

struct TaskRow {
    key: String,
    action: String,
    object: String,
    place: String,
    deadline: String,
    status: &'static str,
    status_class: &'static str,
    percent: String,
    overdue: bool,
    narrative: String,
    /// Name, due, reached, overdue.
    milestones: Vec<(String, String, String, bool)>,
    lead: String,
    /// Whether the viewer may report this task's progress.
    may_report: bool,
    form: ProgressForm,
    error: String,
    open: bool,
}

struct TaskGroup {
    code: String,
    tasks: Vec<TaskRow>,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    chrome: Chrome,
    groups: Vec<TaskGroup>,
    statuses: Vec<(&'static str, &'static str)>,
    flash: String,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct ProgressForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    milestones: String,
    #[serde(default)]
    version: u32,
}

const TASK_STATUSES: [kehoach_domain::progress::TaskStatus; 5] = {
    use kehoach_domain::progress::TaskStatus::*;
    [NotStarted, InProgress, Done, Delayed, Cancelled]
};

async fn tasks_page(
    state: &AppState,
    viewer: &Viewer,
    refused: Option<(&str, ProgressForm, String)>,
    flash: &str,
) -> Result<TasksPage, AppError> {
    use kehoach_domain::progress::TaskStatus;
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let leads: HashMap<String, String> =
        state.store.assignments(viewer.plan.id).await?.into_iter().map(|a| (a.measure, a.lead)).collect();
    let today = chrono::Utc::now().date_naive();
    let mut groups: Vec<TaskGroup> = Vec::new();
    for t in &plan.tasks {
        let history = state.store.task_history(viewer.plan.id, &t.key).await?;
        let version = history.last().map_or(0, |(v, ..)| *v);
        let latest = history.last().map(|(_, p, _, _)| p.clone());
        let status = latest.as_ref().map(|p| p.status);
        let deadline = t.deadline.unwrap_or_else(|| {
            chrono::NaiveDate::from_ymd_opt(plan.year, 12, 31).expect("a plan year has a 31 December")
        });
        let done = matches!(status, Some(TaskStatus::Done | TaskStatus::Cancelled));
        let lead = leads.get(&kehoach_domain::org::Assignment::task_key(&t.key)).cloned().unwrap_or_default();
        let (form, error, open) = match &refused {
            Some((key, form, error)) if *key == t.key => (form.clone(), error.clone(), true),
            _ => (
                ProgressForm {
                    status: status.unwrap_or(TaskStatus::NotStarted).as_str().into(),
                    percent: latest.as_ref().and_then(|p| p.percent).map(|p| number(Some(p))).unwrap_or_default(),
                    narrative: latest.as_ref().map(|p| p.narrative.clone()).unwrap_or_default(),
                    milestones: latest
                        .as_ref()
                        .map(|p| kehoach_domain::progress::format_milestones(&p.milestones))
                        .unwrap_or_default(),
                    version,
                },
                String::new(),
                false,
            ),
        };
        let row = TaskRow {
            key: t.key.clone(),
            action: t.action.clone(),
            object: t.object.clone(),
            place: t.place.clone().unwrap_or_default(),
            deadline: deadline.format("%d/%m/%Y").to_string(),
            status: viewer.lang.label("task", status.map_or("not_reported", |s| s.as_str())),
            status_class: match status {
                Some(TaskStatus::Done) => "chip achieved",
                Some(TaskStatus::Delayed) => "chip not-achieved",
                Some(TaskStatus::InProgress) => "chip on-track",
                _ => "chip no-data",
            },
            percent: percent(latest.as_ref().and_then(|p| p.percent)),
            overdue: !done && (deadline < today || latest.as_ref().is_some_and(|p| !p.overdue(today).is_empty())),
            milestones: latest
                .as_ref()
                .map(|p| {
                    let day =
                        |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
                    p.milestones
                        .iter()
                        .map(|m| {
                            let late = m.reached.is_none() && m.due.is_some_and(|d| d < today);
                            (m.name.clone(), day(m.due), day(m.reached), late)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            narrative: latest.map(|p| p.narrative).unwrap_or_default(),
            may_report: !lead.is_empty() && viewer.may(Action::Enter, Some(&lead)),
            lead,
            form,
            error,
            open,
        };
        match groups.iter_mut().find(|g| g.code == t.group) {
            Some(g) => g.tasks.push(row),
            None => groups.push(TaskGroup { code: t.group.clone(), tasks: vec![row] }),
        }
    }
    Ok(TasksPage {
        chrome: viewer.chrome("key-tasks", "tasks"),
        groups,
        statuses: TASK_STATUSES.iter().map(|s| (s.as_str(), viewer.lang.label("task", s.as_str()))).collect(),
        flash: flash.to_string(),
    })
}

pub(crate) async fn tasks(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Filters>,
) -> Result<Response, AppError> {
    viewer.require(Action::Read, None, "/tasks")?;
    let flash = match q.saved.as_deref() {
        Some(key) if !key.is_empty() => tr!(viewer.lang, "task-progress-saved", task = key),
        _ => String::new(),
    };
    Ok(html(&tasks_page(&state, &viewer, None, &flash).await?))
}

pub(crate) async fn report_progress(
    State(state): State<AppState>,
    Path(KeyPath { key }): Path<KeyPath>,
    CsrfForm(viewer, form): CsrfForm<ProgressForm>,
) -> Result<Response, AppError> {
    use kehoach_domain::progress::{TaskProgress, TaskStatus};
    viewer.require(Action::Read, None, "/tasks")?;
    if !state.store.plan(viewer.plan.id, Against::Current).await?.tasks.iter().any(|t| t.key == key) {
        return Err(AppError::NotFound);
    }
    let lead = state
        .store
        .assignments(viewer.plan.id)
        .await?
        .into_iter()
        .find(|a| a.measure == kehoach_domain::org::Assignment::task_key(&key))
        .map(|a| a.lead);
    viewer.require(Action::Enter, lead.as_deref(), "/tasks")?;
    // The tasks page again, this task's form open with what was typed, and
    // what was wrong, in the viewer's language.
    let lang = viewer.lang;
    let refuse = async |error: &str| -> AppError {
        match tasks_page(&state, &viewer, Some((key.as_str(), form.clone(), error.to_string())), "").await {
            Ok(page) => AppError::form(StatusCode::UNPROCESSABLE_ENTITY, &page),
            Err(e) => e,
        }
    };
    let Ok(status) = form.status.parse::<TaskStatus>() else {
        return Err(refuse(lang.t("choose-task-status")).await);
    };
    let percent = match form.percent.trim() {
        "" => None,
        text => match parse_decimal(text.trim_end_matches('%').trim()) {
            Ok(p) => Some(p),
            Err(_) => {
                let error = tr!(lang, "progress-not-a-percent", text = text);
                return Err(refuse(&error).await);
            }
        },
    };
    let milestones = match kehoach_domain::progress::parse_milestones(&form.milestones) {
        Ok(m) => m,
        Err((line, _)) => {
            let error = tr!(lang, "milestone-line-wrong", line = line);
            return Err(refuse(&error).await);
        }
    };
    if form.narrative.chars().count() > 4000 {
        return Err(refuse(lang.t("narrative-too-long")).await);
    }
    let progress =
        TaskProgress { task: key.clone(), status, percent, milestones, narrative: form.narrative.trim().into() };
    if let Err(e) = progress.validate() {
        let error = match e {
            kehoach_domain::progress::ProgressError::DoneBelowFull(_) => "done-means-100",
            kehoach_domain::progress::ProgressError::OutOfRange(_) => "progress-0-to-100",
        };
        return Err(refuse(lang.t(error)).await);
    }

    match state.store.report_progress(viewer.plan.id, &progress, form.version, &viewer.username()).await {
        Ok(_) => Ok(Redirect::to(&viewer.plan.at(&format!("/tasks?saved={}", encode(&key)))).into_response()),
        Err(StoreError::Conflict { .. }) => Err(refuse(lang.t("task-changed-meanwhile")).await),
        Err(e) => Err(e.into()),
    }
}
