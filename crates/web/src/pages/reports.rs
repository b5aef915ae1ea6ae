//! Reports and Excel templates from the web: download a period's report
//! (XLSX appendix, DOCX per Decree 30/2020, PDF), download an agency's
//! data-entry template, and upload it filled in (all or nothing, every bad
//! cell named).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kehoach_domain::access::{Action, SubmissionState};
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_store::{Accounts, Against, Move, Store, StoreError};
use serde::Deserialize;

use super::{PeriodOption, period_options, references};
use crate::AppState;
use crate::error::AppError;
use crate::upload::{Upload, UploadError};
use crate::view::{Chrome, html};
use crate::viewer::Viewer;

/// The largest template accepted.
pub(crate) const MAX_TEMPLATE: usize = 5 * 1024 * 1024;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    periods: Vec<PeriodOption>,
    /// Agencies whose template the viewer may download and upload.
    agencies: Vec<(String, String)>,
    /// What an upload did: stored figures, or every error.
    done: String,
    problems: Vec<String>,
    /// Whether this server typesets PDF.
    pdf: bool,
}

async fn page(state: &AppState, viewer: &Viewer, done: String, problems: Vec<String>) -> Result<ReportsPage, AppError> {
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let mut agencies: Vec<(String, String)> = state
        .store
        .agencies()
        .await?
        .into_iter()
        .filter(|a| viewer.may(Action::Enter, Some(&a.code)))
        .map(|a| (a.code, a.name))
        .collect();
    crate::view::sort_vi(&mut agencies, |a| a.1.as_str());
    let today = chrono::Utc::now().date_naive();
    // The latest period already over, the longest of those ending that day
    // (the year rather than December once the year is over).
    let current = Period::all_of(plan.year)
        .into_iter()
        .filter(|p| p.calendar().1 <= today)
        .max_by_key(|p| (p.calendar().1, p.calendar().1 - p.calendar().0))
        .unwrap_or(Period::Month(plan.year, 1));
    let periods = period_options(plan.year, current, viewer.lang);
    let pdf = state.settings.pdf.is_some();
    Ok(ReportsPage { chrome: viewer.chrome("reports", "reports"), periods, agencies, done, problems, pdf })
}

/// The reports page refusing an upload, answered `status`, saying why.
async fn refused(state: &AppState, viewer: &Viewer, status: StatusCode, problems: Vec<String>) -> AppError {
    match page(state, viewer, String::new(), problems).await {
        Ok(p) => AppError::form(status, &p),
        Err(e) => e,
    }
}

pub(crate) async fn reports(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::Read, None, "/reports")?;
    Ok(html(&page(&state, &viewer, String::new(), Vec::new()).await?))
}

#[derive(Deserialize)]
pub(crate) struct Download {
    period: Option<String>,
    format: Option<String>,
    against: Option<String>,
}

/// A download's `Content-Disposition`: the name in plain ASCII (what any
/// browser and proxy takes; anything else becomes `_`, so an agency code
/// in another script, a quote or a line break can never bend the header),
/// and the name as written in `filename*` (RFC 6266) for the browsers that
/// read it.
fn disposition(name: &str) -> String {
    let plain: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    if plain == name {
        return format!("attachment; filename=\"{plain}\"");
    }
    let exact = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{exact}")
}

fn attachment(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    ([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition(name))], bytes)
        .into_response()
}

/// `/reports/download?period=2025-H1&format=docx`.
pub(crate) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Download>,
) -> Result<Response, AppError> {
    viewer.require(Action::Read, None, "/reports")?;
    let Some(period) = q.period.as_deref().and_then(|p| p.parse::<Period>().ok()) else {
        return Err(viewer.refuse(StatusCode::BAD_REQUEST, "period-not-valid", viewer.lang.t("choose-period")));
    };
    let lang = viewer.lang;
    let against = if q.against.as_deref() == Some("original") { Against::Original } else { Against::Current };
    let request = kehoach_report::Request {
        plan: viewer.plan.id,
        period,
        against,
        date: chrono::Utc::now().date_naive(),
        issuer: None,
    };
    // The figures of record of the application's engine; the guard is dropped
    // before typesetting.
    let engine = state.analytics.engine(&state.store, viewer.plan.id).await?;
    let gathered = kehoach_report::gather(&state.store, &request, Some(&engine)).await;
    drop(engine);
    let report = match gathered {
        Ok(r) => r,
        Err(kehoach_report::GatherError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(viewer.refuse(StatusCode::BAD_REQUEST, "report-not-made", &e.to_string())),
    };
    let format = q.format.unwrap_or_default();
    let stem = format!("bao-cao-{period}");
    // Typesetting takes a few hundred milliseconds of CPU: off the async workers.
    let pdf = state.settings.pdf;
    let made = tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, &'static str, &'static str), String> {
        match format.as_str() {
            "xlsx" => kehoach_report::xlsx::appendix(&report)
                .map(|b| (b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"))
                .map_err(|e| e.to_string()),
            "docx" => kehoach_report::docx::report(&report)
                .map(|b| (b, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"))
                .map_err(|e| e.to_string()),
            "pdf" => match pdf {
                Some(typeset) => typeset(&report).map(|b| (b, "application/pdf", "pdf")),
                None => Err(lang.t("no-pdf-here").to_string()),
            },
            other => Err(tr!(lang, "not-a-report-format", format = other)),
        }
    })
    .await;
    match made {
        Ok(Ok((bytes, mime, ext))) => Ok(attachment(bytes, mime, &format!("{stem}.{ext}"))),
        Ok(Err(e)) => Err(viewer.refuse(StatusCode::BAD_REQUEST, "report-not-made", &e)),
        Err(e) => Err(viewer.refuse(StatusCode::INTERNAL_SERVER_ERROR, "report-not-made", &e.to_string())),
    }
}

#[derive(Deserialize)]
pub(crate) struct TemplateQuery {
    agency: Option<String>,
    period: Option<String>,
}

/// `/reports/template?agency=SCT&period=2025-Q1`: the agency's workbook.
pub(crate) async fn template(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TemplateQuery>,
) -> Result<Response, AppError> {
    let agency = q.agency.unwrap_or_default();
    viewer.require(Action::Enter, Some(&agency), "/reports")?;
    let Some(period) = q.period.as_deref().and_then(|p| p.parse::<Period>().ok()) else {
        return Err(viewer.refuse(StatusCode::BAD_REQUEST, "period-not-valid", viewer.lang.t("choose-period")));
    };
    let cannot = |status, why: String| viewer.refuse(status, "template-not-made", &why);
    let spec = match kehoach_report::gather::template_spec(&state.store, viewer.plan.id, &agency, period).await {
        Ok(s) => s,
        Err(kehoach_report::gather::TemplateError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(cannot(StatusCode::BAD_REQUEST, e.to_string())),
    };
    let bytes =
        kehoach_report::template::write(&spec).map_err(|e| cannot(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("bieu-nhap-{}-{period}.xlsx", spec.agency),
    ))
}

/// A filled template uploaded: the uploader's right to enter figures is
/// checked before the file is opened; the workbook is then read against the
/// template the server says that agency's workbook is for its period (the
/// measures it reports, the plan's unit), never against what its hidden
/// sheet claims; its figures become the agency's draft or submission (as
/// the uploader chose), stored with the workflow move in one transaction,
/// each checked for a conflict like the entry form's.
pub(crate) async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    form: Multipart,
) -> Result<Response, AppError> {
    // A reporter enters for their own agency; planners and administrators
    // for any; nobody else opens a workbook here.
    viewer.require(Action::Enter, viewer.agency(), "/reports")?;
    let lang = viewer.lang;
    let Upload { file, action } = match Upload::read(form, &viewer).await? {
        Ok(parts) => parts,
        Err(UploadError::TooLarge) => {
            let problem = lang.t("workbook-did-not-arrive").to_string();
            return Err(refused(&state, &viewer, StatusCode::PAYLOAD_TOO_LARGE, vec![problem]).await);
        }
        Err(UploadError::Malformed) => {
            let problem = lang.t("workbook-form-not-valid").to_string();
            return Err(refused(&state, &viewer, StatusCode::BAD_REQUEST, vec![problem]).await);
        }
    };
    let refuse = async |problems: Vec<String>| -> Result<Response, AppError> {
        Err(refused(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, problems).await)
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refuse(vec![lang.t("choose-workbook").into()]).await;
    };
    let rejected = |rejected: kehoach_report::template::Rejected| {
        let mut problems = vec![tr!(lang, "workbook-errors", file = name, n = rejected.0.len())];
        problems.extend(rejected.0.iter().map(|e| crate::template_words::cell_error(e, lang)));
        problems
    };
    let header = match kehoach_report::template::header(&bytes) {
        Ok(h) => h,
        Err(r) => return refuse(rejected(r)).await,
    };
    // Whose figures: a reporter's own agency, whatever the workbook says.
    let agency = viewer.agency().unwrap_or(&header.agency).to_string();
    let spec = match kehoach_report::gather::template_spec(&state.store, viewer.plan.id, &agency, header.period).await {
        Ok(spec) => spec,
        Err(kehoach_report::gather::TemplateError::Store(e)) => return Err(e.into()),
        Err(e) => {
            return {
                let problem = tr!(lang, "workbook-not-read", file = name, why = e);
                refuse(vec![problem]).await
            };
        }
    };
    let plan = state.store.plan(viewer.plan.id, Against::Current).await?;
    let read = match kehoach_report::template::read(&bytes, &plan, &spec) {
        Ok(r) => r,
        Err(r) => return refuse(rejected(r)).await,
    };
    // A figure far from the unit's earlier ones comes only with a note.
    let released: std::collections::HashMap<(String, Period), rust_decimal::Decimal> = state
        .store
        .released_values(viewer.plan.id)
        .await?
        .into_iter()
        .filter(|v| v.org_unit == spec.unit && v.origin != Origin::Illustrative)
        .map(|v| ((v.measure, v.period), v.value))
        .collect();
    let unlikely: Vec<String> = read
        .figures
        .iter()
        .filter(|f| f.note.is_empty())
        .filter_map(|f| {
            let refs = references(&released, &f.measure, read.period);
            kehoach_domain::value::unlikely(f.value, &refs).map(|why| {
                let why = crate::words::unusual(&why, lang);
                tr!(lang, "workbook-unlikely", sheet = kehoach_report::template::ENTRY_SHEET, cell = f.cell, why = why)
            })
        })
        .collect();
    if !unlikely.is_empty() {
        let mut problems = vec![tr!(lang, "workbook-unlikely-count", file = name, n = unlikely.len())];
        problems.extend(unlikely);
        return refuse(problems).await;
    }
    let values = read.new_values(Origin::Entered, Some(&spec.agency));
    if values.is_empty() {
        let done = tr!(lang, "workbook-empty", file = name);
        return Ok(html(&page(&state, &viewer, done, Vec::new()).await?));
    }
    let submit = action.as_deref() == Some("submit");
    let current = state
        .store
        .submission_history(viewer.plan.id, &spec.agency, read.period)
        .await?
        .last()
        .map_or(0, |s| s.version);
    let to = if submit { SubmissionState::Submitted } else { SubmissionState::Draft };
    let step =
        Move { agency: &spec.agency, period: read.period, to, comment: "", expected_version: current, seen: None };
    match state.enter(viewer.plan.id, &values, Some(&step), &viewer.username()).await {
        Ok(_) => {
            let mut done = tr!(
                lang,
                if submit { "workbook-submitted" } else { "workbook-drafted" },
                n = values.len(),
                agency = spec.agency,
                period = lang.period(read.period),
                file = name
            );
            if !read.converted.is_empty() {
                done.push(' ');
                done.push_str(&tr!(lang, "workbook-converted", cells = read.converted.join(", ")));
            }
            Ok(html(&page(&state, &viewer, done, Vec::new()).await?))
        }
        Err(StoreError::Conflict { measure, period, .. }) => {
            let problem = tr!(lang, "workbook-stale", measure = measure, period = period);
            refuse(vec![problem]).await
        }
        Err(StoreError::Locked { period, state, .. }) => {
            let state = lang.label("submission", state.as_str());
            {
                let problem = tr!(lang, "workbook-locked", period = period, state = state);
                refuse(vec![problem]).await
            }
        }
        Err(e @ (StoreError::Refused(_) | StoreError::Transition { .. })) => {
            let problem = tr!(lang, "workbook-refused", why = crate::words::refusal(&e, lang));
            refuse(vec![problem]).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_download_name_is_plain_ascii_with_the_exact_name_beside_it() {
        assert_eq!(
            super::disposition("bieu-nhap-SCT-2025-09.xlsx"),
            "attachment; filename=\"bieu-nhap-SCT-2025-09.xlsx\""
        );
        let odd = super::disposition("bieu-nhap-SỞ\"\r\nX: y.xlsx");
        assert!(odd.starts_with("attachment; filename=\"bieu-nhap-S____X__y.xlsx\"; filename*=UTF-8''"), "{odd}");
        assert!(odd.is_ascii() && !odd.contains('\r') && !odd.contains('\n'), "{odd}");
    }
}
