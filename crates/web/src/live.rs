//! The analytics engine inside the web application: built from the store
//! when the application starts, told of every figure saved through its
//! pages, and on PostgreSQL of every figure any other process saves
//! (`LISTEN/NOTIFY`, see `kehoach_store::notify`). The overview, the measure
//! pages, the reports and the API (`pages::api`) judge its figures of record.

use kehoach_analytics::Engine;
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_judge::LeftOut;
use kehoach_judge::{Followed, Versions};
use kehoach_store::notify::{Heard, Listener, SavedValue};
use kehoach_store::{AnyStore, PlanId, StoreError, StoredValue};
use rust_decimal::Decimal;
use std::collections::HashMap;
use tokio::sync::{RwLock, RwLockReadGuard};

use crate::AppState;

/// The engine of each plan pages were asked for, with the version of each
/// figure it holds (none until built, or after the notices were interrupted
/// or a release could not be applied: the next reader builds it again from
/// the store, so it never answers with figures the store has replaced).
#[derive(Default)]
pub(crate) struct Live(RwLock<HashMap<PlanId, Held>>);

pub(crate) struct Held {
    engine: Engine,
    versions: Versions,
    /// Stored figures it cannot hold, out of every verdict until corrected.
    left_out: Vec<LeftOut>,
}

/// A released figure, however it reached this process.
pub(crate) struct Release<'a> {
    pub plan: PlanId,
    pub measure: &'a str,
    pub org_unit: &'a str,
    pub period: Period,
    pub version: u32,
    pub value: Decimal,
}

impl Live {
    /// Builds the engine of `plan` unless it holds that plan's already.
    pub(crate) async fn ready(&self, store: &AnyStore, plan: PlanId) -> Result<(), StoreError> {
        if self.0.read().await.contains_key(&plan) {
            return Ok(());
        }
        let mut held = self.0.write().await;
        if let std::collections::hash_map::Entry::Vacant(slot) = held.entry(plan) {
            let Followed { engine, versions, left_out } = kehoach_judge::followed(store, plan).await?;
            for out in &left_out {
                tracing::error!("analytics: a stored figure is left out of every verdict until corrected: {out}");
            }
            slot.insert(Held { engine, versions, left_out });
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
        // The notices may drop the engines between building and reading one
        // (a lost connection): build it again, a few times at most.
        for _ in 0..3 {
            self.ready(store, plan).await?;
            let held = self.0.read().await;
            if let Ok(engine) = RwLockReadGuard::try_map(held, |h| h.get(&plan).map(|h| &h.engine)) {
                return Ok(engine);
            }
        }
        Err(StoreError::Busy)
    }

    /// The stored figures the engine of `plan` leaves out (none if it is
    /// not built).
    pub(crate) async fn left_out(&self, plan: PlanId) -> Vec<LeftOut> {
        self.0.read().await.get(&plan).map(|h| h.left_out.clone()).unwrap_or_default()
    }

    /// Figures released (committed as recorded, or approved), by this
    /// process or announced by another. A version older than the one held,
    /// or the same again, changes nothing; one the engine cannot take puts
    /// the figure out of the engine (the version it replaces no longer
    /// counts either) and on the list of those left out, until a newer
    /// version corrects it.
    pub(crate) async fn released(&self, releases: impl IntoIterator<Item = Release<'_>>) {
        let mut engines = self.0.write().await;
        for r in releases {
            // A plan whose engine is not built takes the figure when it is.
            let Some(held) = engines.get_mut(&r.plan) else { continue };
            if !held.versions.take(r.measure, r.org_unit, r.period, r.version) {
                continue;
            }
            held.left_out.retain(|o| !o.is(r.measure, r.org_unit, r.period));
            let Err(e) = held.engine.apply(r.measure, r.org_unit, r.period, r.value) else { continue };
            let out = LeftOut::new(r.measure, r.org_unit, r.period, r.version, r.value, &e);
            tracing::error!("analytics: a released figure is left out of every verdict until corrected: {out}");
            // Unknown units and measures were never in; anything else is taken out.
            let _ = held.engine.remove(r.measure, r.org_unit, r.period);
            held.left_out.push(out);
        }
    }

    /// Released figures as the store gives them (the illustrative ones stay
    /// out, as they stay out when the engine is built).
    pub(crate) async fn released_values(&self, plan: PlanId, values: &[StoredValue]) {
        self.released(values.iter().filter(|v| v.origin != Origin::Illustrative).map(|v| Release {
            plan,
            measure: &v.measure,
            org_unit: &v.org_unit,
            period: v.period,
            version: v.version,
            value: v.value,
        }))
        .await;
    }

    /// Drops the engines after lost notices: the next page builds its
    /// plan's again from the store.
    async fn forget(&self) {
        self.0.write().await.clear();
    }

    /// The version of a figure the engine holds (0: none, or no engine).
    #[cfg(test)]
    pub(crate) async fn version_of(&self, plan: PlanId, measure: &str, org_unit: &str, period: Period) -> Option<u32> {
        self.0.read().await.get(&plan).map(|h| h.versions.of(measure, org_unit, period))
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
pub(crate) fn follow(state: AppState, mut listener: Listener) {
    tokio::spawn(async move {
        loop {
            match listener.recv().await {
                Ok(Heard::Saved(v)) if !v.illustrative => {
                    state.analytics.released([release_of(&v)]).await;
                }
                Ok(Heard::Saved(_)) => {}
                // Notices may have been lost: read everything again when next asked.
                Ok(Heard::Reconnected) => state.analytics.forget().await,
                // Stopping: the listener's connection goes back to the pool.
                Ok(Heard::Closed) => break,
                Err(e) => {
                    tracing::warn!("analytics notices: {e}");
                    state.analytics.forget().await;
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
}

fn release_of(v: &SavedValue) -> Release<'_> {
    Release {
        plan: v.plan_id,
        measure: &v.measure,
        org_unit: &v.org_unit,
        period: v.period,
        version: v.version,
        value: v.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehoach_analytics::Scope;
    use kehoach_domain::value::ValueStatus;
    use kehoach_store::{NewValue, Setup, Store};
    use std::str::FromStr;

    fn read(path: &str) -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../").to_string() + path).unwrap()
    }

    /// The engine holds what the store says counts, however the releases
    /// arrive: out of order or twice; one it cannot take is left out, and
    /// said, until a newer version corrects it.
    #[tokio::test]
    async fn releases_out_of_order_or_twice_leave_the_engine_equal_to_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = AnyStore::open(&dir.path().join("k.db").display().to_string()).await.unwrap();
        let plan = kehoach_planfile::from_toml(&read("data/plans/ben-tre-2025.toml")).unwrap();
        let units = kehoach_planfile::org_units_from_toml(&read("data/org-units/ben-tre.toml")).unwrap();
        let id = store
            .init(&Setup { plan, units, agencies: vec![], assignments: vec![], values: vec![] }, "test")
            .await
            .unwrap();
        let march = Period::Month(2025, 3);
        let live = Live::default();
        live.ready(&store, id).await.unwrap();
        let mut saved = Vec::new();
        for (i, v) in ["10", "20", "30"].into_iter().enumerate() {
            let value = NewValue {
                measure: "c.1".into(),
                org_unit: "83".into(),
                period: march,
                value: Decimal::from_str(v).unwrap(),
                status: ValueStatus::Estimate,
                note: String::new(),
                origin: Origin::Recorded,
                agency: None,
                expected_version: Some(i as u32),
            };
            store.submit_values(id, std::slice::from_ref(&value), "test").await.unwrap();
            saved.push(value);
        }
        let release = |version: u32| Release {
            plan: id,
            measure: "c.1",
            org_unit: "83",
            period: march,
            version,
            value: saved[version as usize - 1].value,
        };
        // Newest first, then the older ones late, and the newest again.
        for order in [3, 1, 3, 2] {
            live.released([release(order)]).await;
        }
        let stored = store.released_values(id).await.unwrap();
        let of_record = stored.iter().find(|v| v.measure == "c.1" && v.period == march).unwrap();
        assert_eq!((of_record.version, of_record.value), (3, Decimal::from(30)));
        async fn held(live: &Live, store: &AnyStore, id: PlanId, march: Period) -> Option<Decimal> {
            let engine = live.engine(store, id).await.unwrap();
            engine.figure("c.1", Scope::Unit("83"), march).unwrap()
        }
        assert_eq!(held(&live, &store, id, march).await, Some(of_record.value));
        assert_eq!(live.version_of(id, "c.1", "83", march).await, Some(3));

        // A release the engine cannot take (a unit it does not know) is left
        // out and said; the rest stands.
        live.released([Release { org_unit: "99999", version: 1, ..release(3) }]).await;
        assert_eq!(held(&live, &store, id, march).await, Some(Decimal::from(30)));
        let out = live.left_out(id).await;
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].why.to_string().contains("99999"), "{}", out[0]);

        // A newer version it cannot hold (more digits than kehoach stores)
        // takes the older one out with it: neither counts until corrected.
        let huge = Decimal::from_str("10000000000000000000").unwrap();
        live.released([Release { version: 4, value: huge, ..release(3) }]).await;
        assert_eq!(held(&live, &store, id, march).await, None, "the replaced figure no longer counts");
        let out = live.left_out(id).await;
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[1].to_string().contains("c.1 83 2025-03 v4 (10000000000000000000)"), "{}", out[1]);
        // A correction takes it off the list and back into the verdicts.
        live.released([Release { version: 5, value: Decimal::from(31), ..release(3) }]).await;
        assert_eq!(held(&live, &store, id, march).await, Some(Decimal::from(31)));
        assert_eq!(live.left_out(id).await.len(), 1);
    }
}
