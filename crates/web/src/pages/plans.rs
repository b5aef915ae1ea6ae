//! The plans a database holds side by side (`/plans`), by region and span:
//! the one the pages follow marked, drafts being reviewed after them.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kehoach_domain::access::Action;
use kehoach_store::{Drafts, PlanEntry, Store};

use crate::AppState;
use crate::error::AppError;
use crate::view::{Chrome, html, sort_vi};
use crate::viewer::Viewer;

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    chrome: Chrome,
    rows: Vec<Row>,
    drafts: Vec<(i64, String)>,
    may_import: bool,
}

struct Row {
    id: i64,
    region: String,
    code: String,
    span: String,
    kind: &'static str,
    followed: bool,
    /// Its last day, for the order.
    to: chrono::NaiveDate,
}

pub(crate) async fn plans(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::Read, None, "/plans")?;
    let followed = state.plan();
    let country = kehoach_country::country();
    let mut rows: Vec<Row> = state
        .store
        .plans()
        .await?
        .into_iter()
        .map(|p: PlanEntry| {
            // The region by its code where the plan was added with one, else
            // as the resolution names it, over the plan's span.
            let unit = country.find_during(p.region_code.as_deref().unwrap_or(&p.region), p.from, p.to);
            let code = p.region_code.clone().or_else(|| unit.map(|u| u.code.clone()));
            let name = unit.map_or_else(|| p.region.clone(), |u| u.name.clone());
            Row {
                id: p.id,
                region: name,
                code: code.unwrap_or_default(),
                span: format!("{} – {}", p.from.format("%d/%m/%Y"), p.to.format("%d/%m/%Y")),
                kind: viewer.lang.label("plan-kind", p.kind.as_str()),
                followed: p.id == followed,
                to: p.to,
            }
        })
        .collect();
    // By region in Vietnamese order, the latest span first within one.
    rows.sort_by(|a, b| b.to.cmp(&a.to).then(b.id.cmp(&a.id)));
    sort_vi(&mut rows, |r| kehoach_domain::org::short_name(&r.region));
    let may_import = viewer.may(Action::Plan, None);
    let drafts = if may_import {
        state.store.drafts().await?.into_iter().filter(|d| d.plan_id.is_none()).map(|d| (d.id, d.file_name)).collect()
    } else {
        Vec::new()
    };
    let page = PlansPage { chrome: viewer.chrome("plans-title", "plans"), rows, drafts, may_import };
    Ok(html(&page))
}
