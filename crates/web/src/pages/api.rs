//! The analytics API, answered from the live engine for anyone signed in
//! (as the overview is): `GET /api/analytics/figure` and
//! `GET /api/analytics/dashboard`. Decimals are exact JSON strings.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kehoach_analytics::{Engine, Scope};
use kehoach_domain::access::Action;
use kehoach_domain::org;
use kehoach_domain::period::Period;
use rust_decimal::Decimal;
use tokio::sync::RwLockReadGuard;

use crate::AppState;
use crate::viewer::Viewer;

#[derive(Debug, serde::Deserialize)]
pub(crate) struct DashboardQuery {
    /// A unit by code or name; the nation when left out.
    unit: Option<String>,
    period: String,
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
    state: &'a AppState,
    viewer: &Viewer,
    unit: Option<&str>,
    period: &str,
) -> Result<(RwLockReadGuard<'a, Engine>, Option<String>, Period), Response> {
    viewer.require(Action::Read, None, "/").map_err(IntoResponse::into_response)?;
    let period: Period = period.parse().map_err(|e| plain(StatusCode::BAD_REQUEST, format!("{e}")))?;
    let engine = state.analytics.engine(&state.store, viewer.plan.id).await.map_err(|e| {
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
pub(crate) async fn figure(State(state): State<AppState>, viewer: Viewer, Query(q): Query<FigureQuery>) -> Response {
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

/// `GET /api/analytics/dashboard?unit=86&period=2025`: one place's
/// dashboard, every measure of the plan (and component) this period against
/// the same period last year: `{"unit", "period", "measures": [{"measure",
/// "this": {…}, "last_year": {…}, "growth_pct"}]}`, each figure as
/// `/api/analytics/figure` gives it; the growth is of the values, to two
/// decimals, `null` when last year's is missing or zero.
pub(crate) async fn dashboard(
    State(state): State<AppState>,
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
