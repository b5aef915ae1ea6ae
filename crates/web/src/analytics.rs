//! The analytics engine inside the web application: built from the store
//! when the application starts, told of every figure saved through its
//! pages, and on PostgreSQL of every figure any other process saves
//! (`LISTEN/NOTIFY`, see `kehoach_store::notify`). `GET /api/analytics/figure`
//! answers from it, for anyone signed in (as the overview does).

use axum::extract::{Query, State as AxumState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kehoach_analytics::{Engine, Scope};
use kehoach_domain::access::Action;
use kehoach_domain::org;
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_store::notify::{Heard, Listener};
use kehoach_store::{AnyStore, NewValue, PlanId, StoreError};
use tokio::sync::RwLock;

use crate::State;
use crate::auth::Viewer;

/// The engine of the plan the application follows (none until built, or
/// after the notices were interrupted).
#[derive(Default)]
pub(crate) struct Live(RwLock<Option<(PlanId, Engine)>>);

impl Live {
    /// Builds the engine of `plan` unless it holds that plan's already.
    pub(crate) async fn ready(&self, store: &AnyStore, plan: PlanId) -> Result<(), StoreError> {
        if matches!(&*self.0.read().await, Some((p, _)) if *p == plan) {
            return Ok(());
        }
        let mut slot = self.0.write().await;
        if !matches!(&*slot, Some((p, _)) if *p == plan) {
            *slot = Some((plan, kehoach_store::analytics::engine(store, plan).await?));
        }
        Ok(())
    }

    /// Figures saved (committed) by this process.
    pub(crate) async fn saved(&self, plan: PlanId, values: &[NewValue]) {
        let mut slot = self.0.write().await;
        if let Some((p, engine)) = slot.as_mut()
            && *p == plan
        {
            for v in values.iter().filter(|v| v.origin != Origin::Illustrative) {
                if let Err(e) = engine.apply(&v.measure, &v.org_unit, v.period, v.value) {
                    tracing::warn!("analytics: {e}");
                }
            }
        }
    }

    async fn forget(&self) {
        *self.0.write().await = None;
    }
}

/// On PostgreSQL, starts listening for other processes' saves: call before
/// building the engine, so that no save falls between the two.
pub(crate) async fn listen(store: &AnyStore) -> Result<Option<Listener>, StoreError> {
    match store {
        AnyStore::Postgres(pg) => Ok(Some(Listener::new(pg).await?)),
        AnyStore::Sqlite(_) => Ok(None),
    }
}

/// Applies the notices as they come, for as long as the application runs.
pub(crate) fn follow(state: State, mut listener: Listener) {
    tokio::spawn(async move {
        loop {
            match listener.recv().await {
                Ok(Heard::Saved(v)) if !v.illustrative => {
                    let mut slot = state.analytics.0.write().await;
                    if let Some((p, engine)) = slot.as_mut()
                        && *p == v.plan_id
                        && let Err(e) = engine.apply(&v.measure, &v.org_unit, v.period, v.value)
                    {
                        tracing::warn!("analytics: {e}");
                    }
                }
                Ok(Heard::Saved(_)) => {}
                // Notices may have been lost: read everything again when next asked.
                Ok(Heard::Reconnected) => state.analytics.forget().await,
                Err(e) => {
                    tracing::warn!("analytics notices: {e}");
                    state.analytics.forget().await;
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct FigureQuery {
    measure: String,
    /// A unit by code or name; the nation when left out.
    unit: Option<String>,
    period: String,
}

fn plain(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// `GET /api/analytics/figure?measure=c.1&unit=83&period=2025-H1`:
/// `{"measure": …, "unit": …, "period": …, "value": "123.5"}` (the value as
/// an exact decimal string, `null` when there is none).
pub(crate) async fn figure(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Query(q): Query<FigureQuery>,
) -> Response {
    if let Err(r) = viewer.require(Action::Read, None, "/") {
        return r;
    }
    let period: Period = match q.period.parse() {
        Ok(p) => p,
        Err(e) => return plain(StatusCode::BAD_REQUEST, format!("{e}")),
    };
    if let Err(e) = state.analytics.ready(&state.store, state.plan()).await {
        tracing::error!("analytics: {e}");
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "the analytics engine could not be built".into());
    }
    let slot = state.analytics.0.read().await;
    let Some((_, engine)) = slot.as_ref() else {
        return plain(StatusCode::SERVICE_UNAVAILABLE, "the analytics engine is being rebuilt; try again".into());
    };
    let code = match q.unit.as_deref() {
        None => None,
        Some(u) => match org::find(engine.units(), u) {
            Some(unit) => Some(unit.code.clone()),
            None => return plain(StatusCode::NOT_FOUND, format!("no unit {u}")),
        },
    };
    let scope = code.as_deref().map_or(Scope::Nation, Scope::Unit);
    match engine.figure(&q.measure, scope, period) {
        Ok(value) => {
            let body = serde_json::json!({
                "measure": q.measure,
                "unit": code,
                "period": period.to_string(),
                "value": value.map(|v| v.normalize().to_string()),
            });
            ([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
        }
        Err(e) => plain(StatusCode::NOT_FOUND, e.to_string()),
    }
}
