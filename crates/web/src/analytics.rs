//! The analytics engine inside the web application: built from the store
//! when the application starts, told of every figure saved through its
//! pages, and on PostgreSQL of every figure any other process saves
//! (`LISTEN/NOTIFY`, see `kehoach_store::notify`). The overview, the measure
//! pages and the reports judge its figures of record; `GET
//! /api/analytics/figure` and `GET /api/analytics/dashboard` answer from it,
//! for anyone signed in (as the overview does).

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
use rust_decimal::Decimal;
use tokio::sync::{RwLock, RwLockReadGuard};

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

    /// The engine of `plan`, built first if need be, for reading: saves wait
    /// until the guard is dropped.
    pub(crate) async fn engine(
        &self,
        store: &AnyStore,
        plan: PlanId,
    ) -> Result<RwLockReadGuard<'_, Engine>, StoreError> {
        // The notices may drop the engine between building and reading it
        // (a lost connection): build it again, a few times at most.
        for _ in 0..3 {
            self.ready(store, plan).await?;
            let slot = self.0.read().await;
            if let Ok(engine) = RwLockReadGuard::try_map(slot, |s| match s {
                Some((p, engine)) if *p == plan => Some(engine),
                _ => None,
            }) {
                return Ok(engine);
            }
        }
        Err(StoreError::Busy)
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

    /// Drops the engine after lost notices: the next page builds it again
    /// from the store.
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

fn json(body: &serde_json::Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// A decimal as an exact JSON string.
fn exact(v: Option<Decimal>) -> serde_json::Value {
    v.map_or(serde_json::Value::Null, |v| v.normalize().to_string().into())
}

/// What one figure says: `value`, the sum of whatever has been reported
/// (every month and part that is in); `record`, the figure of record a
/// report judges, or `null` while some part is missing; `reported` and
/// `expected`, how many parts are in when the figure is a sum of parts.
/// Also gives the value itself.
fn figure_json(
    engine: &Engine,
    measure: &str,
    scope: Scope<'_>,
    period: Period,
) -> Result<(serde_json::Value, Option<Decimal>), String> {
    let value = engine.figure(measure, scope, period).map_err(|e| e.to_string())?;
    let record = engine.record(measure, scope, period).map_err(|e| e.to_string())?;
    let body = serde_json::json!({
        "value": exact(value),
        "record": exact(record.filter(|f| f.complete()).map(|f| f.value)),
        "reported": record.map(|f| f.reported),
        "expected": record.map(|f| f.expected),
    });
    Ok((body, value))
}

/// What every analytics question starts with: may the viewer read, the
/// engine (built if need be), and the unit (by code or name; the nation when
/// left out) and period asked for.
async fn ask<'a>(
    state: &'a State,
    viewer: &Viewer,
    unit: Option<&str>,
    period: &str,
) -> Result<(RwLockReadGuard<'a, Engine>, Option<String>, Period), Response> {
    viewer.require(Action::Read, None, "/")?;
    let period: Period = period.parse().map_err(|e| plain(StatusCode::BAD_REQUEST, format!("{e}")))?;
    let engine = state.analytics.engine(&state.store, state.plan()).await.map_err(|e| {
        tracing::error!("analytics: {e}");
        plain(StatusCode::SERVICE_UNAVAILABLE, "the analytics engine could not be built; try again".into())
    })?;
    let code = match unit {
        None => None,
        Some(u) => match org::find(engine.units(), u) {
            Some(unit) => Some(unit.code.clone()),
            None => return Err(plain(StatusCode::NOT_FOUND, format!("no unit {u}"))),
        },
    };
    Ok((engine, code, period))
}

/// `GET /api/analytics/figure?measure=c.1&unit=83&period=2025-H1`:
/// `{"measure", "unit", "period", "value", "record", "reported", "expected"}`
/// (see `figure_json`; decimals as exact strings).
pub(crate) async fn figure(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Query(q): Query<FigureQuery>,
) -> Response {
    let (engine, code, period) = match ask(&state, &viewer, q.unit.as_deref(), &q.period).await {
        Ok(asked) => asked,
        Err(r) => return r,
    };
    let scope = code.as_deref().map_or(Scope::Nation, Scope::Unit);
    match figure_json(&engine, &q.measure, scope, period) {
        Ok((mut body, _)) => {
            body["measure"] = q.measure.into();
            body["unit"] = code.into();
            body["period"] = period.to_string().into();
            json(&body)
        }
        Err(e) => plain(StatusCode::NOT_FOUND, e),
    }
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct DashboardQuery {
    /// A unit by code or name; the nation when left out.
    unit: Option<String>,
    period: String,
}

/// `GET /api/analytics/dashboard?unit=86&period=2025`: one place's
/// dashboard, every measure of the plan (and component) this period against
/// the same period last year: `{"unit", "period", "measures": [{"measure",
/// "this": {…}, "last_year": {…}, "growth_pct"}]}`, each figure as
/// `/api/analytics/figure` gives it; the growth is of the values, to two
/// decimals, `null` when last year's is missing or zero.
pub(crate) async fn dashboard(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let (engine, code, period) = match ask(&state, &viewer, q.unit.as_deref(), &q.period).await {
        Ok(asked) => asked,
        Err(r) => return r,
    };
    let scope = code.as_deref().map_or(Scope::Nation, Scope::Unit);
    let before = period.year_before();
    let mut rows = Vec::with_capacity(engine.measures().len());
    for m in engine.measures() {
        let (Ok((this, now)), Ok((last, then))) =
            (figure_json(&engine, &m.key, scope, period), figure_json(&engine, &m.key, scope, before))
        else {
            continue;
        };
        let growth = match (now, then) {
            (Some(t), Some(l)) if !l.is_zero() => {
                (t - l).checked_mul(Decimal::ONE_HUNDRED).and_then(|x| x.checked_div(l)).map(|g| g.round_dp(2))
            }
            _ => None,
        };
        rows.push(
            serde_json::json!({ "measure": m.key, "this": this, "last_year": last, "growth_pct": exact(growth) }),
        );
    }
    json(&serde_json::json!({ "unit": code, "period": period.to_string(), "measures": rows }))
}
