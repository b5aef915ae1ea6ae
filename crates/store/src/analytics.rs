//! The analytics engine fed from the store at start-up: the plan's measures
//! (with their rules and formulas) and components, the units, and the latest
//! version of every real figure (the illustrative ones of `init --demo` stay
//! out, as they stay off the pages). Saves reach it afterwards through
//! `Engine::apply`, in-process or from the notices of [`crate::notify`].

use crate::{Against, PlanId, Store, StoreError};
use kehoach_analytics::{Engine, MeasureDef};
use kehoach_domain::Aggregation;
use kehoach_domain::ledger::{self, Rule};
use kehoach_domain::value::Origin;

/// The engine of one plan, holding its figures as stored now.
pub async fn engine(store: &impl Store, id: PlanId) -> Result<Engine, StoreError> {
    let plan = store.plan(id, Against::Current).await?;
    let mut formulas = ledger::derived(&plan).map_err(|e| StoreError::Invalid(format!("the plan's formulas: {e}")))?;
    let mut measures: Vec<MeasureDef> = plan
        .measures()
        .map(|m| match formulas.remove(&m.key) {
            Some(expr) => MeasureDef::derived(m.key.clone(), expr),
            None => MeasureDef::new(m.key.clone(), ledger::rule(m)),
        })
        .collect();
    for c in &plan.components {
        if !measures.iter().any(|m| m.key == c.key) {
            let rule = if c.aggregation == Aggregation::Sum { Rule::Sum } else { Rule::Stock };
            measures.push(MeasureDef::new(c.key.clone(), rule));
        }
    }
    let mut engine = Engine::new(measures, store.org_units().await?);
    for v in store.latest_values(id).await? {
        if v.origin == Origin::Illustrative {
            continue;
        }
        engine
            .apply(&v.measure, &v.org_unit, v.period, v.value)
            .map_err(|e| StoreError::Invalid(format!("{} {} {}: {e}", v.measure, v.org_unit, v.period)))?;
    }
    Ok(engine)
}
