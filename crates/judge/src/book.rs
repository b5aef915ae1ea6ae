//! A plan with the figures reported against it, ready to be judged: what the
//! command line's `status`, the web pages and the reports all start from.
//!
//! The figures are the analytics engine's figures of record (complete, as
//! the ledger works them out; a total still missing parts is not judged).
//! A `Book` either owns an engine filled from the store for the occasion
//! (`status`, the public portal's published figures, a report from the
//! command line) or borrows the engine a running application keeps current
//! with every save (the overview, the measure pages, the reports of the web).

use kehoach_analytics::{Engine, EngineError, MeasureDef, Scope};
use kehoach_domain::evaluate::{Evaluation, Tolerances, evaluate_periods};
use kehoach_domain::org::{self, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::{Measure, Plan};
use rust_decimal::Decimal;
use std::borrow::Borrow;

use kehoach_store::{Against, PlanId, Store, StoreError, StoredValue};

/// A plan and the engine holding its figures, owned (`Book`) or borrowed
/// (`Book<&Engine>`).
pub struct Book<E: Borrow<Engine> = Engine> {
    pub id: PlanId,
    /// The plan as judged: its original or current targets.
    pub plan: Plan,
    /// The plan's own unit (the province), by code.
    pub home: String,
    figures: E,
    /// Stored figures the engine could not take, left out of every verdict.
    pub left_out: Vec<LeftOut>,
}

/// A stored figure the engine cannot hold (more digits than kehoach stores,
/// or a unit or measure it does not know), written before the rules that
/// now refuse it at input, or by hand in the database. It is left out of
/// every verdict, and said wherever figures are judged, until a newer
/// version corrects it: one such figure never stops the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub measure: String,
    pub org_unit: String,
    pub period: Period,
    pub version: u32,
    pub value: Decimal,
    /// Why: what the engine could not take (worded where it is shown).
    pub why: EngineError,
}

impl LeftOut {
    pub fn of(v: &StoredValue, e: &EngineError) -> Self {
        Self::new(&v.measure, &v.org_unit, v.period, v.version, v.value, e)
    }

    pub fn new(measure: &str, org_unit: &str, period: Period, version: u32, value: Decimal, e: &EngineError) -> Self {
        Self { measure: measure.to_string(), org_unit: org_unit.to_string(), period, version, value, why: e.clone() }
    }

    /// The same figure (any version).
    pub fn is(&self, measure: &str, org_unit: &str, period: Period) -> bool {
        self.measure == measure && self.org_unit == org_unit && self.period == period
    }
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {} v{} ({}): {}", self.measure, self.org_unit, self.period, self.version, self.value, self.why)
    }
}

/// The plan's own unit: the region's code where the plan was placed with
/// one, else the unit named as its region, else the region's name.
/// Where its figures are entered and judged for every period of the plan:
/// after a merger that is still the former area (Bến Tre's 2025 plan is
/// judged on Bến Tre's figures, entered for unit 83 or summed from the units
/// that made it up), never the merged province's total, which belongs to
/// that province's own plans.
pub fn home_of(plan: &Plan, units: &[OrgUnit]) -> String {
    org::home_code(plan, units).unwrap_or_else(|| plan.region.clone())
}

/// An engine over a plan's measures and the units, holding `values`, and
/// the values it could not take (left out of every verdict until corrected;
/// the caller says so).
pub fn engine_of(
    plan: &Plan,
    units: Vec<OrgUnit>,
    values: impl IntoIterator<Item = StoredValue>,
) -> Result<(Engine, Vec<LeftOut>), StoreError> {
    let measures = MeasureDef::of_plan(plan).map_err(|e| StoreError::Invalid(format!("the plan's formulas: {e}")))?;
    let mut engine = Engine::new(measures, units);
    let mut left_out = Vec::new();
    for v in values {
        if let Err(e) = engine.apply(&v.measure, &v.org_unit, v.period, v.value) {
            left_out.push(LeftOut::of(&v, &e));
        }
    }
    Ok((engine, left_out))
}

impl Book<Engine> {
    /// Loads a plan (against its original or current targets) and the
    /// figures that count (the latest released version of each) that `keep`
    /// lets through into an engine of its own.
    pub async fn load(
        store: &impl Store,
        id: PlanId,
        against: Against,
        keep: impl Fn(&StoredValue) -> bool,
    ) -> Result<Self, StoreError> {
        let plan = store.plan(id, against).await?;
        let units = store.org_units().await?;
        let values = store.released_values(id).await?;
        Self::new(id, plan, units, values.into_iter().filter(|v| keep(v)))
    }

    pub fn new(
        id: PlanId,
        plan: Plan,
        units: Vec<OrgUnit>,
        values: impl IntoIterator<Item = StoredValue>,
    ) -> Result<Self, StoreError> {
        let (engine, left_out) = engine_of(&plan, units, values)?;
        Ok(Self { left_out, ..Self::over(id, plan, engine) })
    }
}

impl<E: Borrow<Engine>> Book<E> {
    /// A plan judged on the figures of an engine kept elsewhere.
    pub fn over(id: PlanId, plan: Plan, figures: E) -> Self {
        let home = home_of(&plan, figures.borrow().units());
        Self { id, plan, home, figures, left_out: Vec::new() }
    }

    pub fn units(&self) -> &[OrgUnit] {
        self.figures.borrow().units()
    }

    /// The complete figure of any measure or component for a period at the
    /// plan's own unit (own figure, formula, months, parts): the figure a
    /// verdict rests on.
    pub fn figure(&self, key: &str, period: Period) -> Option<Decimal> {
        let engine = self.figures.borrow();
        engine.record(key, Scope::Unit(&self.home), period).ok().flatten().filter(|f| f.complete()).map(|f| f.value)
    }

    /// How many of its parts the plan's unit has in for a period, when it
    /// has some but not all (the figure is partial, so not judged): `(in,
    /// expected)`.
    pub fn parts_in(&self, key: &str, period: Period) -> Option<(usize, usize)> {
        let engine = self.figures.borrow();
        let f = engine.record(key, Scope::Unit(&self.home), period).ok().flatten()?;
        (!f.complete()).then_some((f.reported, f.expected))
    }

    /// Judges every measure for each period; one list per period, in order.
    pub fn evaluate(&self, periods: &[Period]) -> Vec<Vec<(&Measure, Evaluation)>> {
        evaluate_periods(&self.plan, periods, &|key, p| self.figure(key, p), &Tolerances::default())
    }
}
