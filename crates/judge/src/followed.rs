//! The analytics engine fed from the store: the plan's measures (with their
//! rules and formulas) and components, the units, and the figures that count
//! (of each figure the latest released version: approved, recorded or
//! published; the illustrative ones of `init --demo` stay out, as they stay
//! off the pages). Releases reach it afterwards through `Engine::apply`,
//! in-process or from the notices of `kehoach_store::notify`, by version.

use crate::LeftOut;
use kehoach_analytics::Engine;
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_store::{Against, PlanId, Store, StoreError};
use std::collections::HashMap;

/// A figure: measure, unit, period.
pub type FigureKey = (String, String, Period);

/// The version of each figure an engine holds, so that a release arriving
/// late (an older version after a newer one) or twice changes nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Versions(HashMap<FigureKey, u32>);

impl Versions {
    /// Whether `version` of a figure is newer than the one held; if so, it
    /// is the one held from now on.
    pub fn take(&mut self, measure: &str, org_unit: &str, period: Period, version: u32) -> bool {
        let held = self.0.entry((measure.to_string(), org_unit.to_string(), period)).or_insert(0);
        if version > *held {
            *held = version;
            true
        } else {
            false
        }
    }

    /// The version held of a figure (0: none).
    pub fn of(&self, measure: &str, org_unit: &str, period: Period) -> u32 {
        self.0.get(&(measure.to_string(), org_unit.to_string(), period)).copied().unwrap_or(0)
    }
}

/// The engine of one plan, holding the figures that count as stored now.
pub async fn engine(store: &impl Store, id: PlanId) -> Result<Engine, StoreError> {
    Ok(followed(store, id).await?.engine)
}

/// An engine and what it was built from.
pub struct Followed {
    pub engine: Engine,
    /// The version of each figure it holds (or left out).
    pub versions: Versions,
    /// The stored figures it could not take.
    pub left_out: Vec<LeftOut>,
}

/// [`engine`], with the version of each figure it holds and the figures it
/// left out.
pub async fn followed(store: &impl Store, id: PlanId) -> Result<Followed, StoreError> {
    let plan = store.plan(id, Against::Current).await?;
    let values: Vec<_> =
        store.released_values(id).await?.into_iter().filter(|v| v.origin != Origin::Illustrative).collect();
    let mut versions = Versions::default();
    for v in &values {
        versions.take(&v.measure, &v.org_unit, v.period, v.version);
    }
    let (engine, left_out) = crate::book::engine_of(&plan, store.org_units().await?, values)?;
    Ok(Followed { engine, versions, left_out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_or_repeated_version_is_not_taken() {
        let mut v = Versions::default();
        let p = Period::Month(2025, 3);
        assert!(v.take("c.1", "83", p, 2));
        assert!(!v.take("c.1", "83", p, 2), "a duplicate");
        assert!(!v.take("c.1", "83", p, 1), "an older version arriving late");
        assert!(v.take("c.1", "83", p, 3));
        assert!(v.take("c.1", "829", p, 1), "another figure");
        assert_eq!(v.of("c.1", "83", p), 3);
    }
}
