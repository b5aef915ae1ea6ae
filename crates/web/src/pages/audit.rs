//! The audit log (nhật ký thay đổi), newest first, searched.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kehoach_domain::access::Action;
use kehoach_store::Store;

use crate::AppState;
use crate::error::AppError;
use crate::view::{Chrome, html, when};
use crate::viewer::Viewer;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: String,
    entries: Vec<(String, String, String, String, String)>,
}

#[derive(serde::Deserialize)]
pub(crate) struct Search {
    q: Option<String>,
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(s): Query<Search>,
) -> Result<Response, AppError> {
    viewer.require(Action::Audit, None, "/audit")?;
    let q = s.q.unwrap_or_default().trim().to_lowercase();
    let entries = state
        .store
        .audit(2000)
        .await?
        .into_iter()
        .filter(|e| {
            q.is_empty() || [&e.actor, &e.action, &e.entity, &e.detail].iter().any(|f| f.to_lowercase().contains(&q))
        })
        .take(500)
        .map(|e| (when(&e.at), e.actor, e.action, e.entity, e.detail))
        .collect();
    Ok(html(&AuditPage { chrome: viewer.chrome("Nhật ký thay đổi", "audit"), q, entries }))
}
