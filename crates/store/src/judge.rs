//! A plan with the figures reported against it, ready to be judged: what the
//! command line's `status`, the web pages and the reports all start from.

use kehoach_domain::evaluate::{Evaluation, Tolerances, evaluate_periods};
use kehoach_domain::ledger::{DerivedError, Ledger};
use kehoach_domain::org::{self, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::{Measure, Plan};
use rust_decimal::Decimal;
use std::collections::HashMap;

use crate::{Against, PlanId, Store, StoreError, StoredValue};

/// Everything needed to judge a plan, owned.
#[derive(Debug, Clone)]
pub struct Book {
    pub id: PlanId,
    pub plan: Plan,
    pub units: Vec<OrgUnit>,
    /// The plan's own unit (the province), by code.
    pub home: String,
    values: HashMap<(String, String, Period), Decimal>,
}

impl Book {
    /// Loads a plan (against its original or current targets) and the
    /// latest version of the figures `keep` lets through.
    pub async fn load(
        store: &impl Store,
        id: PlanId,
        against: Against,
        keep: impl Fn(&StoredValue) -> bool,
    ) -> Result<Self, StoreError> {
        let plan = store.plan(id, against).await?;
        let units = store.org_units().await?;
        let values = store.latest_values(id).await?;
        Ok(Self::new(id, plan, units, values.into_iter().filter(|v| keep(v))))
    }

    pub fn new(id: PlanId, plan: Plan, units: Vec<OrgUnit>, values: impl IntoIterator<Item = StoredValue>) -> Self {
        let home = org::find(&units, &plan.region).map_or_else(|| plan.region.clone(), |u| u.code.clone());
        let values = values.into_iter().map(|v| ((v.measure, v.org_unit, v.period), v.value)).collect();
        Self { id, plan, units, home, values }
    }

    /// The unit that carries the plan's figures for a period: the province,
    /// or its successor once it has merged.
    pub fn unit_for(&self, period: Period) -> &str {
        match self.units.iter().find(|u| u.code == self.home) {
            Some(home) => &org::current(&self.units, home, period.calendar().1).code,
            None => &self.home,
        }
    }

    fn reported(&self, key: &str, unit: &str, period: Period) -> Option<Decimal> {
        self.values.get(&(key.to_string(), unit.to_string(), period)).copied()
    }

    /// Runs `f` with the figure of any measure or component for a period
    /// at the plan's unit, worked out as the evaluation does (formula,
    /// months, units).
    pub fn with_figures<R>(
        &self,
        f: impl FnOnce(&dyn Fn(&str, Period) -> Option<Decimal>) -> R,
    ) -> Result<R, DerivedError> {
        let reported = |k: &str, u: &str, p: Period| self.reported(k, u, p);
        let ledger = Ledger::new(&self.plan, &self.units, &reported)?;
        let lookup = |key: &str, p: Period| -> Option<Decimal> {
            ledger.value(key, self.unit_for(p), p).or_else(|| ledger.value(key, &self.home, p))
        };
        Ok(f(&lookup))
    }

    /// Judges every measure for each period; one list per period, in order.
    pub fn evaluate(&self, periods: &[Period]) -> Result<Vec<Vec<(&Measure, Evaluation)>>, DerivedError> {
        self.with_figures(|lookup| evaluate_periods(&self.plan, periods, lookup, &Tolerances::default()))
    }
}
