//! The analytics engine fed from the store at start-up: the plan's measures
//! (with their rules and formulas) and components, the units, and the latest
//! version of every real figure (the illustrative ones of `init --demo` stay
//! out, as they stay off the pages). Saves reach it afterwards through
//! `Engine::apply`, in-process or from the notices of [`crate::notify`].

use crate::{Against, PlanId, Store, StoreError};
use kehoach_analytics::Engine;
use kehoach_domain::value::Origin;

/// The engine of one plan, holding its figures as stored now.
pub async fn engine(store: &impl Store, id: PlanId) -> Result<Engine, StoreError> {
    let plan = store.plan(id, Against::Current).await?;
    let values = store.latest_values(id).await?;
    crate::judge::engine_of(
        &plan,
        store.org_units().await?,
        values.into_iter().filter(|v| v.origin != Origin::Illustrative),
    )
}
