//! The audit log (nhật ký thay đổi), newest first, searched.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kehoach_domain::access::Action;
use kehoach_store::Store;

use crate::AppState;
use crate::audit_words;
use crate::error::AppError;
use crate::view::{Chrome, html, when};
use crate::viewer::Viewer;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: String,
    entries: Vec<Entry>,
}

/// An entry as the page shows it: the action in words, its code beside.
struct Entry {
    at: String,
    actor: String,
    /// What the action did, in the viewer's language; empty for an action
    /// this version does not know (its code is shown).
    action: &'static str,
    code: String,
    entity: String,
    detail: String,
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
    // Searched as stored (codes, the detail's JSON) and as shown (words).
    let entries = state
        .store
        .audit(2000)
        .await?
        .into_iter()
        .map(|e| {
            let shown = Entry {
                at: when(&e.at),
                actor: e.actor.clone(),
                action: audit_words::action(&e.action, viewer.lang).unwrap_or_default(),
                detail: audit_words::detail(&e.action, &e.detail, viewer.lang),
                entity: audit_words::entity(&e.entity, viewer.lang),
                code: e.action.clone(),
            };
            (e, shown)
        })
        .filter(|(e, shown)| {
            q.is_empty()
                || [&*e.actor, &e.action, &e.entity, &e.detail, shown.action, &shown.entity, &shown.detail]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&q))
        })
        .take(500)
        .map(|(_, shown)| shown)
        .collect();
    Ok(html(&AuditPage { chrome: viewer.chrome("audit-log-title", "audit"), q, entries }))
}
