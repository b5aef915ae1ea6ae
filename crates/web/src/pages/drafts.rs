//! Reading a resolution through the web: upload (the importer runs), review
//! the draft beside the source text, correct the plan file, confirm it.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_domain::access::Action;
use kehoach_domain::check::{Severity, check};
use kehoach_domain::org::OrgUnit;
use kehoach_store::{Draft, Drafts, StoreError};

use crate::AppState;
use crate::error::AppError;
use crate::upload::{Upload, UploadError};
use crate::view::{Chrome, html, when};
use crate::viewer::{CsrfForm, Viewer};

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    drafts: Vec<(i64, String, String, String, String)>,
    problem: String,
}

/// The import page; with a `problem` (in the viewer's language), answered
/// `status` (the upload form refused, saying why).
async fn import_page(state: &AppState, viewer: &Viewer, status: StatusCode, problem: &str) -> AppError {
    match import_page_of(state, viewer, problem).await {
        Ok(page) => AppError::form(status, &page),
        Err(e) => e,
    }
}

async fn import_page_of(state: &AppState, viewer: &Viewer, problem: &str) -> Result<ImportPage, AppError> {
    let drafts = state.store.drafts().await?;
    let rows = drafts
        .into_iter()
        .map(|d| {
            let confirmed = match d.plan_id {
                Some(p) => tr!(viewer.lang, "draft-confirmed", plan = p),
                None => viewer.lang.t("draft-in-review").to_string(),
            };
            (d.id, d.file_name, d.created_by, when(&d.created_at), confirmed)
        })
        .collect();
    Ok(ImportPage { chrome: viewer.chrome("read-resolution", "plan"), drafts: rows, problem: problem.into() })
}

pub(crate) async fn import_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan/import")?;
    Ok(html(&import_page_of(&state, &viewer, "").await?))
}

/// The largest resolution accepted (a DOCX with tables is well under this).
pub(crate) const MAX_UPLOAD: usize = 10 * 1024 * 1024;

pub(crate) async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    form: Multipart,
) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan/import")?;
    let Upload { file, .. } = match Upload::read(form, &viewer).await? {
        Ok(parts) => parts,
        Err(UploadError::TooLarge) => {
            let problem = viewer.lang.t("file-did-not-arrive-too");
            return Err(import_page(&state, &viewer, StatusCode::PAYLOAD_TOO_LARGE, problem).await);
        }
        Err(UploadError::Malformed) => {
            let problem = viewer.lang.t("upload-form-not-valid-file");
            return Err(import_page(&state, &viewer, StatusCode::BAD_REQUEST, problem).await);
        }
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let problem = viewer.lang.t("choose-resolution-file-docx-txt");
        return Err(import_page(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, problem).await);
    };
    let imported = match read_resolution(&state, bytes).await {
        Ok(Ok(i)) => i,
        Ok(Err(e)) => {
            let problem = match viewer.lang {
                crate::i18n::Lang::Vi => format!("Không đọc được “{name}”: {}. Chưa có gì được lưu.", vietnamese(&e)),
                crate::i18n::Lang::En => format!("Could not read “{name}”: {e}. Nothing was saved."),
            };
            return Err(import_page(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, &problem).await);
        }
        Err(busy) => {
            return Err(import_page(&state, &viewer, StatusCode::SERVICE_UNAVAILABLE, viewer.lang.t(busy)).await);
        }
    };
    let mut plan = imported.plan;
    plan.document.file = Some(name.clone());
    let id = state
        .store
        .create_draft(&name, &imported.source, &kehoach_planfile::to_toml(&plan), &viewer.username())
        .await?;
    Ok(Redirect::to(&format!("/plan/drafts/{id}")).into_response())
}

/// How long a resolution may take to read, and to wait for the one being
/// read before it. The seed takes milliseconds; the reader is linear and
/// its input bounded, so only a hostile file comes near.
const READING_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Reads a resolution on the blocking pool, one at a time (a permit held
/// until the reading really ends, even after the answer gave up on it), so
/// that uploads never hold the async workers and every other page answers
/// meanwhile. The outer error is the answer (a key) when it took too long.
async fn read_resolution(
    state: &AppState,
    bytes: axum::body::Bytes,
) -> Result<Result<kehoach_import::Imported, kehoach_import::ImportError>, &'static str> {
    let busy = "another-resolution-being-read-please";
    let slow = "file-could-not-read-within";
    let Ok(Ok(permit)) = tokio::time::timeout(READING_TIME, state.imports.clone().acquire_owned()).await else {
        return Err(busy);
    };
    let reading = tokio::task::spawn_blocking(move || {
        let read = kehoach_import::import_bytes(&bytes);
        drop(permit);
        read
    });
    match tokio::time::timeout(READING_TIME, reading).await {
        Ok(Ok(read)) => Ok(read),
        Ok(Err(_)) | Err(_) => Err(slow),
    }
}

/// Why a resolution could not be read, in Vietnamese (the reader's own
/// messages are English, for the command line).
fn vietnamese(e: &kehoach_import::ImportError) -> String {
    use kehoach_import::{ImportError as E, docx::DocxError as D};
    // Kilobytes written the Vietnamese way (9.142 KB): a user whose file is
    // 30 KB sees how much text it unpacks to beside the limit, in one unit.
    let kb = |bytes: usize| format!("{} KB", kehoach_domain::number::format_vi(bytes.div_ceil(1024).into()));
    match e {
        E::Empty => "tệp trống".into(),
        E::Binary => "tệp không phải văn bản (chứa dữ liệu nhị phân); hãy dùng tệp .txt hoặc .docx".into(),
        E::TooLarge { bytes, limit } => {
            format!("tệp nặng {}, vượt giới hạn {} của một nghị quyết", kb(*bytes), kb(*limit))
        }
        E::TooLong { bytes, limit } => format!(
            "phần chữ của tệp dài {}, vượt giới hạn {} của một nghị quyết (một nghị quyết thường chỉ vài chục KB \
             chữ); hãy tải lên riêng nghị quyết, không kèm phụ lục hay văn bản khác",
            kb(*bytes),
            kb(*limit)
        ),
        E::TooMany { what, count, limit } => format!(
            "đọc ra {count} {}, nhiều hơn {limit} của bất kỳ nghị quyết nào; hãy tải lên riêng nghị quyết",
            match what {
                kehoach_import::Counted::Measures => "chỉ tiêu",
                kehoach_import::Counted::Tasks => "nhiệm vụ",
            }
        ),
        E::Encoding(_) => "không nhận ra bảng mã của văn bản; hãy lưu lại dưới dạng UTF-8 hoặc .docx".into(),
        E::NoTargets => "không tìm thấy danh mục chỉ tiêu: cần một mục như “2. Các chỉ tiêu chủ yếu” với các chỉ tiêu \
                         có số liệu (a) … 6,5%; b) …)"
            .into(),
        E::Io(_) => "không đọc được tệp".into(),
        E::Docx(D::LegacyOrEncrypted) => "tệp là văn bản Word 97-2003 (.doc) hoặc có mật khẩu; hãy mở bằng Word hoặc \
                                          LibreOffice và lưu lại dưới dạng .docx không mật khẩu"
            .into(),
        E::Docx(D::TooLarge { part, .. }) => format!("phần {part} của tệp DOCX quá lớn khi giải nén"),
        E::Docx(D::MissingDocument) => "tệp không phải văn bản Word (thiếu word/document.xml)".into(),
        E::Docx(other) => format!("tệp DOCX bị hỏng hoặc không đọc được ({other})"),
    }
}

struct SourceLine {
    n: usize,
    text: String,
    marked: bool,
}

struct DraftMeasure {
    key: String,
    name: String,
    target: String,
    kind: &'static str,
    line: u32,
    review: String,
}

#[derive(Template)]
#[template(path = "draft.html")]
struct DraftPage {
    chrome: Chrome,
    id: i64,
    file_name: String,
    region: String,
    year: String,
    confirmed: Option<i64>,
    lines: Vec<SourceLine>,
    measures: Vec<DraftMeasure>,
    findings: Vec<(&'static str, String, String)>,
    /// How many measures, tasks, errors and findings, in words.
    summary: String,
    plan_file: String,
    problem: String,
    flash: String,
}

fn draft_page(viewer: &Viewer, draft: &Draft, typed: Option<&str>, problem: &str, flash: &str) -> DraftPage {
    let text = typed.unwrap_or(&draft.plan_file);
    let parsed = kehoach_planfile::from_toml(text);
    let (measures, tasks, findings, region, year) = match &parsed {
        Ok(plan) => {
            let measures = plan
                .measures()
                .map(|m| DraftMeasure {
                    key: m.key.clone(),
                    name: m.name.clone(),
                    target: crate::words::target(m, viewer.lang),
                    kind: viewer.lang.label("kind", m.kind.as_str()),
                    line: m.source.line,
                    review: m
                        .review
                        .iter()
                        .map(|r| crate::words::review(&r.field, &r.reason, viewer.lang))
                        .collect::<Vec<_>>()
                        .join("; "),
                })
                .collect();
            let findings = check(plan)
                .into_iter()
                .map(|f| {
                    let severity = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Review => "review",
                    };
                    (
                        f.severity,
                        viewer.lang.label("severity", severity),
                        f.key,
                        crate::words::problem(&f.problem, viewer.lang),
                    )
                })
                .collect();
            (measures, plan.tasks.len(), findings, plan.region.clone(), plan.year.to_string())
        }
        Err(_) => (Vec::new(), 0, Vec::new(), String::new(), String::new()),
    };
    let marked: std::collections::HashSet<u32> = measures.iter().map(|m: &DraftMeasure| m.line).collect();
    let lines = draft
        .source
        .lines()
        .enumerate()
        .map(|(i, t)| SourceLine { n: i + 1, text: t.to_string(), marked: marked.contains(&((i + 1) as u32)) })
        .collect();
    let errors = findings.iter().filter(|(s, ..)| *s == Severity::Error).count();
    let findings: Vec<(&'static str, String, String)> = findings.into_iter().map(|(_, s, k, m)| (s, k, m)).collect();
    let summary = tr!(
        viewer.lang,
        "draft-summary",
        measures = measures.len(),
        tasks = tasks,
        errors = errors,
        findings = findings.len()
    );
    DraftPage {
        chrome: viewer.chrome_titled(tr!(viewer.lang, "draft-heading", file = draft.file_name), "plan"),
        id: draft.id,
        file_name: draft.file_name.clone(),
        region,
        year,
        confirmed: draft.plan_id,
        lines,
        measures,
        findings,
        summary,
        plan_file: text.to_string(),
        problem: problem.to_string(),
        flash: flash.to_string(),
    }
}

/// A draft by its number, or not found.
async fn load(state: &AppState, id: i64) -> Result<Draft, AppError> {
    state.store.draft(id).await?.ok_or(AppError::NotFound)
}

#[derive(serde::Deserialize)]
pub(crate) struct Saved {
    saved: Option<String>,
}

pub(crate) async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan/import")?;
    let draft = load(&state, id).await?;
    let flash = if q.saved.is_some() { viewer.lang.t("draft-correction-saved") } else { "" };
    Ok(html(&draft_page(&viewer, &draft, None, "", flash)))
}

#[derive(serde::Deserialize)]
pub(crate) struct PlanFileForm {
    plan_file: String,
    action: Option<String>,
}

pub(crate) async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<PlanFileForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::Plan, None, "/plan/import")?;
    let draft = load(&state, id).await?;
    let refuse = |problem: &str| {
        AppError::form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &draft_page(&viewer, &draft, Some(&form.plan_file), problem, ""),
        )
    };
    if draft.plan_id.is_some() {
        return Err(refuse(viewer.lang.t("draft-already-confirmed")));
    }
    let plan = kehoach_planfile::from_toml(&form.plan_file)
        .map_err(|e| refuse(&tr!(viewer.lang, "plan-file-wrong", why = e)))?;
    let by = viewer.username();
    // Another planner may confirm the draft meanwhile: said on the form.
    let refused = |e: StoreError| match e {
        StoreError::Refused(r) => refuse(&crate::words::refused(&r, viewer.lang)),
        e => e.into(),
    };
    state.store.update_draft(id, &form.plan_file, &by).await.map_err(refused)?;
    if form.action.as_deref() != Some("confirm") {
        return Ok(Redirect::to(&format!("/plan/drafts/{id}?saved=1")).into_response());
    }
    let errors: Vec<String> = check(&plan)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.key, crate::words::problem(&f.problem, viewer.lang)))
        .collect();
    if !errors.is_empty() {
        let n = errors.len();
        return Err(refuse(&tr!(viewer.lang, "errors-before-confirm", n = n, errors = errors.join("; "))));
    }
    let units = kehoach_store::Store::org_units(&state.store).await?;
    // The region: a unit the database holds, else the country's unit of that
    // name in the plan's year, else (a name no list knows) the name itself.
    let year = kehoach_domain::PlanKind::Year.span_of(plan.year);
    let in_country = || {
        let (from, to) = year?;
        kehoach_country::country().find_during(&plan.region, from, to).cloned()
    };
    let known = kehoach_domain::org::find(&units, &plan.region).cloned().or_else(in_country);
    let province = known.clone().unwrap_or_else(|| OrgUnit::province(&plan.region));
    // Judged on that unit, by its code, when a list knows it.
    let plan = kehoach_domain::Plan { region_code: known.map(|u| u.code), ..plan };
    let plan_id = state.store.confirm_draft(id, &plan, &province, &by).await.map_err(refused)?;
    // A plan beside the others: the pages go on following theirs.
    Ok(Redirect::to(&format!("/plan?added={plan_id}")).into_response())
}
