//! The analytics engine: every reported value of a plan (or of a ministry's
//! 200 measures over 3,321 communes and five years) in memory, aggregated
//! along the units (commune → district → province → nation, with validity
//! dates) and along periods (month → quarter → 6/9 months → year, year to
//! date).
//!
//! - **Storage** ([`columns`]): one dense block per (measure, month) with a
//!   slot per unit; values are scaled integers, exact and 4 bytes each.
//! - **Aggregates**: for every (measure, month) and every unit that has
//!   parts, two sums with their counts, kept up to date by every
//!   [`Engine::apply`] (replacing a value subtracts the old one and adds the
//!   new, and the change climbs to the nation): there is no rebuild step,
//!   and a saved value is in every aggregate as soon as `apply` returns.
//!   - the sum of **whatever the parts reported** (what a dashboard of
//!     national figures, or DuckDB's `SUM … GROUP BY`, shows): [`Engine::value`];
//!   - the sum of the parts whose own figure is **complete**, with how many
//!     parts there should be: the figure of record, which a report judges
//!     only when every part is in: [`Engine::record`].
//!
//!   A unit counts for its parent of that month ([`hierarchy`]: a merger on
//!   01/07/2025 moves July's values, not June's), in the months it existed.
//! - **Rules** (from [`kehoach_domain::ledger::rule`]): a flow (`Sum`) adds
//!   months and units; a stock takes the last month, summed over units; a
//!   rate (`Reported`) is only ever the unit's own figure; a derived measure
//!   applies its formula to the figures of its references at the same unit
//!   and period (a ratio of sums, never a mean of ratios). A figure reported
//!   for exactly the unit and period wins over anything worked out.
//!
//! [`Engine::record`] gives exactly what [`kehoach_domain::ledger::Ledger`]
//! gives for the same figures (a property test holds them equal): the
//! ledger states the rules plainly, the engine answers them fast enough for
//! the nation.
//!
//! Depends only on `kehoach-domain` and std (plus `rust_decimal` at the API
//! edge): the store feeds it, it never reads the store.

pub mod columns;
mod hierarchy;

use chrono::NaiveDate;
use kehoach_domain::formula::Expr;
use kehoach_domain::ledger::{self, DerivedError, Rule};
use kehoach_domain::org::{OrgLevel, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::{Aggregation, Plan};
use rust_decimal::Decimal;
use std::collections::HashMap;

use columns::Block;
pub use columns::{Columns, Overflow};
pub use kehoach_domain::ledger::Figure;

use hierarchy::{Hierarchy, Layout, NATION, NONE};

/// What the engine could not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("unknown measure {0}")]
    UnknownMeasure(String),
    #[error("unknown unit {0}")]
    UnknownUnit(String),
    #[error("{0} has too many digits for the analytics engine")]
    TooLarge(Decimal),
    /// A figure outside what kehoach stores (`value::storable`): it may
    /// still be in a database written before that rule, or by hand.
    #[error("{0}")]
    Unstorable(kehoach_domain::value::FigureProblem),
}

/// A measure as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureDef {
    pub key: String,
    pub rule: Rule,
    /// The formula of a derived measure.
    pub formula: Option<Expr>,
}

impl MeasureDef {
    pub fn new(key: impl Into<String>, rule: Rule) -> Self {
        Self { key: key.into(), rule, formula: None }
    }

    pub fn derived(key: impl Into<String>, formula: Expr) -> Self {
        Self { key: key.into(), rule: Rule::Derived, formula: Some(formula) }
    }

    /// A plan's measures (with their rules and formulas) and then its
    /// components, as the ledger reads them.
    pub fn of_plan(plan: &Plan) -> Result<Vec<MeasureDef>, DerivedError> {
        let mut formulas = ledger::derived(plan)?;
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
        Ok(measures)
    }
}

/// Where a figure is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The whole country: the nation's own unit, or the sum of the units
    /// without a parent.
    Nation,
    /// A unit by code.
    Unit(&'a str),
}

/// A place resolved to its index (see [`Engine::scope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeId {
    Nation,
    Unit(usize),
}

/// A place as the aggregates see it: its own unit (for its own figures) and
/// its slot (for the sums of its parts), either possibly absent.
#[derive(Debug, Clone, Copy)]
struct Place {
    unit: Option<usize>,
    slot: Option<usize>,
}

/// Per (measure, month), per slot: the sum and count of what the parts
/// reported, and of the parts whose figure is complete.
#[derive(Debug, Clone)]
struct Agg {
    any_sum: Vec<i128>,
    any_n: Vec<u32>,
    full_sum: Vec<i128>,
    full_n: Vec<u32>,
}

impl Agg {
    fn new(slots: usize) -> Self {
        Self { any_sum: vec![0; slots], any_n: vec![0; slots], full_sum: vec![0; slots], full_n: vec![0; slots] }
    }

    /// A part's figures (whatever it has, complete) counted in or out.
    fn add(&mut self, slot: usize, figs: Figs, sign: i128) {
        let n = |x: Option<i128>| u32::from(x.is_some());
        let apply = |sum: &mut i128, count: &mut u32, v: Option<i128>| {
            *sum += sign * v.unwrap_or(0);
            // Saturating: a loop in parent links must not bring a count below zero.
            *count = if sign > 0 { count.saturating_add(n(v)) } else { count.saturating_sub(n(v)) };
        };
        apply(&mut self.any_sum[slot], &mut self.any_n[slot], figs.any);
        apply(&mut self.full_sum[slot], &mut self.full_n[slot], figs.full);
    }

    /// A slot's figures from its parts, `expected` of them.
    fn figs(&self, slot: usize, expected: u32) -> Figs {
        Figs {
            any: (self.any_n[slot] > 0).then_some(self.any_sum[slot]),
            full: (expected > 0 && self.full_n[slot] == expected).then_some(self.full_sum[slot]),
        }
    }
}

/// A unit's month at the measure's scale: whatever it has (its own value,
/// else the sum of what its parts reported) and its complete figure (its
/// own value, else the sum of its parts when every one is complete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Figs {
    any: Option<i128>,
    full: Option<i128>,
}

impl Figs {
    fn own(v: Option<i64>) -> Self {
        let v = v.map(i128::from);
        Self { any: v, full: v }
    }
}

/// What one month holds for one measure: the values, the sums of the parts
/// and who counts for whom; the one place a unit's month is read from.
#[derive(Clone, Copy, Default)]
struct MonthView<'a> {
    block: Option<&'a Block>,
    agg: Option<&'a Agg>,
    layout: Option<&'a Layout>,
}

impl MonthView<'_> {
    /// A place's month: its unit's own value, else its parts' sums.
    fn figs(&self, place: Place) -> Figs {
        let own = place.unit.and_then(|u| self.block?.get(u));
        if own.is_some() {
            return Figs::own(own);
        }
        match (place.slot, self.agg, self.layout) {
            (Some(slot), Some(agg), Some(layout)) => agg.figs(slot, layout.expected[slot]),
            _ => Figs::default(),
        }
    }
}

/// Formulas nest and hierarchies climb at most this deep, as in the ledger.
const MAX_DEPTH: u8 = 24;

/// Absolute month number: `year × 12 + month − 1`.
pub fn month_number(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

fn month_bounds(month: i32) -> (NaiveDate, NaiveDate) {
    let p = Period::Month(month.div_euclid(12), month.rem_euclid(12) as u32 + 1);
    p.calendar()
}

fn whole(value: Decimal) -> Figure {
    Figure { value, reported: 1, expected: 1 }
}

/// The analytics engine (see the crate documentation).
pub struct Engine {
    measures: Vec<MeasureDef>,
    measure_ix: HashMap<String, usize>,
    tree: Hierarchy,
    /// Unit index of each province.
    provinces: Vec<usize>,
    cols: Columns,
    /// `aggs[measure][month − cols.first]`, aligned with the blocks.
    aggs: Vec<Vec<Option<Agg>>>,
    /// Who counts for whom, per distinct month layout.
    layouts: Vec<Layout>,
    /// The layout of each month from `layout_first` (`NONE`: not made yet):
    /// a plain array, as every question about a month reads it.
    layout_of: Vec<u32>,
    layout_first: i32,
    /// Own figures for quarters, halves, 9 months, years.
    other: HashMap<(usize, usize, Period), Decimal>,
}

impl Engine {
    /// An empty engine over these measures and units.
    pub fn new(measures: Vec<MeasureDef>, units: Vec<OrgUnit>) -> Self {
        let measure_ix = measures.iter().enumerate().map(|(i, m)| (m.key.clone(), i)).collect();
        let provinces =
            units.iter().enumerate().filter(|(_, u)| u.level == OrgLevel::Province).map(|(i, _)| i).collect();
        let n = measures.len();
        let tree = Hierarchy::new(units);
        Self {
            cols: Columns::new(n, tree.units.len()),
            aggs: vec![Vec::new(); n],
            measures,
            measure_ix,
            tree,
            provinces,
            layouts: Vec::new(),
            layout_of: Vec::new(),
            layout_first: 0,
            other: HashMap::new(),
        }
    }

    pub fn measures(&self) -> &[MeasureDef] {
        &self.measures
    }

    pub fn units(&self) -> &[OrgUnit] {
        &self.tree.units
    }

    /// Unit index of each province, in the order of the units.
    pub fn provinces(&self) -> &[usize] {
        &self.provinces
    }

    pub fn measure_id(&self, key: &str) -> Option<usize> {
        self.measure_ix.get(key).copied()
    }

    pub fn unit_id(&self, code: &str) -> Option<usize> {
        self.tree.unit_ix.get(code).copied()
    }

    pub fn scope(&self, scope: Scope<'_>) -> Option<ScopeId> {
        match scope {
            Scope::Nation => Some(ScopeId::Nation),
            Scope::Unit(code) => {
                let u = self.unit_id(code)?;
                Some(if Some(u) == self.tree.nation { ScopeId::Nation } else { ScopeId::Unit(u) })
            }
        }
    }

    fn place(&self, scope: ScopeId) -> Place {
        match scope {
            ScopeId::Nation => Place { unit: self.tree.nation, slot: Some(NATION) },
            ScopeId::Unit(u) => Place { unit: Some(u), slot: self.tree.slot_of[u] },
        }
    }

    fn slot_place(&self, slot: usize) -> Place {
        Place { unit: self.tree.slot_unit[slot], slot: Some(slot) }
    }

    /// An empty set of columns for a loader to fill (see [`Engine::absorb`]).
    pub fn columns(&self) -> Columns {
        Columns::new(self.measures.len(), self.tree.units.len())
    }

    /// The layout of a month, made the first time the month holds a value.
    fn ensure_layout(&mut self, month: i32) -> usize {
        if self.layout_of.is_empty() {
            self.layout_first = month;
        }
        if month < self.layout_first {
            let shift = (self.layout_first - month) as usize;
            self.layout_of.splice(0..0, std::iter::repeat_n(NONE, shift));
            self.layout_first = month;
        }
        let at = (month - self.layout_first) as usize;
        if self.layout_of.len() <= at {
            self.layout_of.resize(at + 1, NONE);
        }
        if self.layout_of[at] != NONE {
            return self.layout_of[at] as usize;
        }
        let (start, end) = month_bounds(month);
        let layout = self.tree.layout(start, end);
        // Months share a layout until a unit is created, merged or abolished.
        let i = self.layouts.iter().position(|l| *l == layout).unwrap_or_else(|| {
            self.layouts.push(layout);
            self.layouts.len() - 1
        });
        self.layout_of[at] = i as u32;
        i
    }

    fn layout(&self, month: i32) -> Option<&Layout> {
        let i = *self.layout_of.get(usize::try_from(month - self.layout_first).ok()?)?;
        (i != NONE).then(|| &self.layouts[i as usize])
    }

    /// Keeps `aggs` aligned with the blocks after the columns grew.
    fn align(&mut self, old_first: i32, was_empty: bool) {
        if was_empty || self.cols.first >= old_first {
            return;
        }
        let shift = (old_first - self.cols.first) as usize;
        for row in &mut self.aggs {
            let mut v: Vec<Option<Agg>> = vec![None; shift];
            v.append(row);
            *row = v;
        }
    }

    fn rescale(&mut self, measure: usize, scale: u32) -> Result<(), Overflow> {
        let have = self.cols.scale(measure);
        if scale <= have {
            return Ok(());
        }
        self.cols.rescale(measure, scale)?;
        let factor = i128::from(columns::pow10(scale - have));
        for a in self.aggs[measure].iter_mut().flatten() {
            for s in a.any_sum.iter_mut().chain(a.full_sum.iter_mut()) {
                *s = s.checked_mul(factor).ok_or(Overflow)?;
            }
        }
        Ok(())
    }

    /// Saves a value (the latest version of a figure): it is in every
    /// aggregate when this returns. Returns the value it replaces.
    pub fn apply(
        &mut self,
        measure: &str,
        unit: &str,
        period: Period,
        value: Decimal,
    ) -> Result<Option<Decimal>, EngineError> {
        let m = self.measure_id(measure).ok_or_else(|| EngineError::UnknownMeasure(measure.to_string()))?;
        let u = self.unit_id(unit).ok_or_else(|| EngineError::UnknownUnit(unit.to_string()))?;
        // Every figure the rule lets in fits the columns at any scale
        // (10^12 × 10^6 < i64::MAX), so a refusal here leaves the engine as
        // it was: nothing is half applied.
        kehoach_domain::value::storable(value).map_err(EngineError::Unstorable)?;
        let Period::Month(y, mo) = period else {
            return Ok(self.other.insert((m, u, period), value));
        };
        let v = value.normalize();
        let mantissa = i64::try_from(v.mantissa()).map_err(|_| EngineError::TooLarge(value))?;
        self.put(m, u, month_number(y, mo), mantissa, v.scale()).map_err(|_| EngineError::TooLarge(value))
    }

    /// Takes a figure out (a version that cannot be held replaced it):
    /// every aggregate is without it when this returns. Returns the value
    /// it held.
    pub fn remove(&mut self, measure: &str, unit: &str, period: Period) -> Result<Option<Decimal>, EngineError> {
        let m = self.measure_id(measure).ok_or_else(|| EngineError::UnknownMeasure(measure.to_string()))?;
        let u = self.unit_id(unit).ok_or_else(|| EngineError::UnknownUnit(unit.to_string()))?;
        let Period::Month(y, mo) = period else {
            return Ok(self.other.remove(&(m, u, period)));
        };
        let month = month_number(y, mo);
        if self.cols.block(m, month).and_then(|b| b.get(u)).is_none() {
            return Ok(None);
        }
        let layout = self.ensure_layout(month);
        let place = self.place(ScopeId::Unit(u));
        let before = self.month(m, month).figs(place);
        let old = self.cols.clear(m, month, u);
        let after = self.month(m, month).figs(place);
        self.lift(m, month, layout, u, before, after);
        Ok(old.map(|o| Decimal::from_i128_with_scale(i128::from(o), self.cols.scale(m))))
    }

    /// [`Engine::apply`] by index, the value as `mantissa × 10^-scale`.
    pub fn put(
        &mut self,
        m: usize,
        u: usize,
        month: i32,
        mantissa: i64,
        scale: u32,
    ) -> Result<Option<Decimal>, Overflow> {
        self.rescale(m, scale)?;
        let layout = self.ensure_layout(month);
        let place = self.place(ScopeId::Unit(u));
        let before = self.month(m, month).figs(place);
        let (old_first, was_empty) = (self.cols.first, !self.cols.started());
        let old = self.cols.put(m, month, u, mantissa, scale)?;
        self.align(old_first, was_empty);
        let after = self.month(m, month).figs(place);
        self.lift(m, month, layout, u, before, after);
        Ok(old.map(|o| Decimal::from_i128_with_scale(i128::from(o), self.cols.scale(m))))
    }

    /// Carries a change of a unit's month up to the nation: each parent's
    /// sums take the difference, and the parent's own figures, if they
    /// changed, go on to its parent.
    fn lift(&mut self, m: usize, month: i32, layout: usize, unit: usize, before: Figs, after: Figs) {
        let off = (month - self.cols.first) as usize;
        let slots = self.tree.slots();
        let (mut child, mut before, mut after) = (unit, before, after);
        for _ in 0..MAX_DEPTH {
            let p = self.layouts[layout].parent[child];
            if before == after || p == NONE {
                return;
            }
            let p = p as usize;
            let was = self.month(m, month).figs(self.slot_place(p));
            let row = &mut self.aggs[m];
            if row.len() <= off {
                row.resize(off + 1, None);
            }
            let agg = row[off].get_or_insert_with(|| Agg::new(slots));
            agg.add(p, before, -1);
            agg.add(p, after, 1);
            let now = self.month(m, month).figs(self.slot_place(p));
            let Some(pu) = self.tree.slot_unit[p] else { return };
            (child, before, after) = (pu, was, now);
        }
    }

    /// Takes the values a loader read (replacing any of the same cell) and
    /// computes the aggregates: the start-up path, two threads.
    pub fn absorb(&mut self, cols: Columns) -> Result<(), Overflow> {
        self.cols.merge(cols)?;
        let first = self.cols.first;
        let span = self.cols.blocks.iter().map(Vec::len).max().unwrap_or(0);
        let layouts: Vec<usize> = (0..span).map(|off| self.ensure_layout(first + off as i32)).collect();
        let slots = self.tree.slots();
        let (cols, tree, all) = (&self.cols, &self.tree, &self.layouts);
        let mut aggs = vec![Vec::new(); self.measures.len()];
        let half = aggs.len().div_ceil(2).max(1);
        std::thread::scope(|s| {
            for (c, chunk) in aggs.chunks_mut(half).enumerate() {
                let layouts = &layouts;
                s.spawn(move || {
                    for (i, row) in chunk.iter_mut().enumerate() {
                        let m = c * half + i;
                        *row = cols.blocks[m]
                            .iter()
                            .enumerate()
                            .map(|(off, b)| {
                                let b = b.as_ref()?;
                                let layout = &all[layouts[off]];
                                let mut agg = Agg::new(slots);
                                // Units without parts first, straight from the block…
                                for (u, v) in b.iter() {
                                    let p = layout.parent[u];
                                    if p != NONE && tree.slot_of[u].is_none() {
                                        agg.add(p as usize, Figs::own(Some(v)), 1);
                                    }
                                }
                                // …then the wholes, each after all of its parts.
                                for &slot in &layout.order {
                                    let Some(u) = tree.slot_unit[slot] else { continue };
                                    let p = layout.parent[u];
                                    if p != NONE {
                                        let view = MonthView { block: Some(b), agg: Some(&agg), layout: Some(layout) };
                                        let figs = view.figs(Place { unit: Some(u), slot: Some(slot) });
                                        agg.add(p as usize, figs, 1);
                                    }
                                }
                                Some(agg)
                            })
                            .collect();
                    }
                });
            }
        });
        self.aggs = aggs;
        Ok(())
    }

    /// How many monthly values are held, and the bytes of their blocks.
    pub fn size(&self) -> (usize, usize) {
        (self.cols.len(), self.cols.bytes())
    }

    fn to_decimal(&self, m: usize, v: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(v, self.cols.scale(m)).unwrap_or(Decimal::MAX)
    }

    fn month(&self, m: usize, month: i32) -> MonthView<'_> {
        let Ok(off) = usize::try_from(month - self.cols.first) else { return MonthView::default() };
        MonthView {
            block: self.cols.blocks[m].get(off).and_then(Option::as_ref),
            agg: self.aggs[m].get(off).and_then(Option::as_ref),
            layout: self.layout(month),
        }
    }

    /// A place's own value for a month, at the measure's scale.
    fn month_own(&self, m: usize, place: Place, month: i32) -> Option<i128> {
        self.cols.block(m, month)?.get(place.unit?).map(i128::from)
    }

    // ------------------------------------------------ what the parts reported

    fn span_raw(&self, m: usize, place: Place, a: i32, b: i32) -> Option<i128> {
        let month = |mo| self.month(m, mo).figs(place).any;
        match self.measures[m].rule {
            Rule::Sum => (a..=b).filter_map(month).reduce(|x, y| x + y),
            Rule::Stock => (a..=b).rev().find_map(month),
            Rule::Reported => (a..=b).rev().find_map(|mo| self.month_own(m, place, mo)),
            Rule::Derived => None,
        }
    }

    fn own_other(&self, m: usize, place: Place, period: Period) -> Option<Decimal> {
        if self.other.is_empty() || matches!(period, Period::Month(..)) {
            return None;
        }
        self.other.get(&(m, place.unit?, period)).copied()
    }

    /// A measure's figure at a place for a period, by index: whatever was
    /// reported (a flow adds the months and parts that have a value), as a
    /// dashboard of national figures shows it. See [`Engine::record`] for
    /// the figure a report judges.
    pub fn value(&self, m: usize, scope: ScopeId, period: Period) -> Option<Decimal> {
        let (a, b) = period.months();
        let span = (month_number(period.year(), a), month_number(period.year(), b));
        self.value_at(m, self.place(scope), span, Some(period), 0)
    }

    /// [`Engine::value`] over the months `first..=last` (absolute month numbers).
    pub fn value_over(&self, m: usize, scope: ScopeId, first: i32, last: i32) -> Option<Decimal> {
        self.value_at(m, self.place(scope), (first, last), None, 0)
    }

    fn value_at(&self, m: usize, place: Place, span: (i32, i32), period: Option<Period>, depth: u8) -> Option<Decimal> {
        if let Some(v) = period.and_then(|p| self.own_other(m, place, p)) {
            return Some(v);
        }
        let def = &self.measures[m];
        if def.rule == Rule::Derived {
            // A month's own figure wins over the formula, as in the ledger.
            if span.0 == span.1
                && let Some(v) = self.month_own(m, place, span.0)
            {
                return Some(self.to_decimal(m, v));
            }
            if depth >= MAX_DEPTH {
                return None;
            }
            let expr = def.formula.as_ref()?;
            let lookup = |r: &str| self.measure_id(r).and_then(|i| self.value_at(i, place, span, period, depth + 1));
            return expr.eval(&lookup).ok();
        }
        self.span_raw(m, place, span.0, span.1).map(|v| self.to_decimal(m, v))
    }

    /// A measure's figure at a unit (or the nation) for a period: whatever
    /// was reported (see [`Engine::value`]).
    pub fn figure(&self, measure: &str, scope: Scope<'_>, period: Period) -> Result<Option<Decimal>, EngineError> {
        let (m, s) = self.resolve(measure, scope)?;
        Ok(self.value(m, s, period))
    }

    fn resolve(&self, measure: &str, scope: Scope<'_>) -> Result<(usize, ScopeId), EngineError> {
        let m = self.measure_id(measure).ok_or_else(|| EngineError::UnknownMeasure(measure.to_string()))?;
        let s = self.scope(scope).ok_or_else(|| match scope {
            Scope::Unit(c) => EngineError::UnknownUnit(c.to_string()),
            Scope::Nation => EngineError::UnknownUnit(String::new()),
        })?;
        Ok((m, s))
    }

    /// Year to date, month by month (January … `last`).
    pub fn year_to_date(&self, m: usize, scope: ScopeId, year: i32, last: u32) -> Vec<Option<Decimal>> {
        (1..=last).map(|mo| self.value_over(m, scope, month_number(year, 1), month_number(year, mo))).collect()
    }

    /// Every measure's figure per province for a period (as
    /// [`Engine::value`]): the national table of a report (measure index,
    /// province index, total).
    pub fn province_totals(&self, period: Period) -> Vec<(usize, usize, Decimal)> {
        let (a, b) = period.months();
        let (a, b) = (month_number(period.year(), a), month_number(period.year(), b));
        let n = self.provinces.len();
        let mut out = Vec::with_capacity(self.measures.len() * n);
        let mut acc = vec![0i128; n];
        let mut seen = vec![false; n];
        let places: Vec<Place> = self.provinces.iter().map(|&u| self.place(ScopeId::Unit(u))).collect();
        for m in 0..self.measures.len() {
            if self.measures[m].rule != Rule::Sum || !self.other.is_empty() {
                for (p, &u) in self.provinces.iter().enumerate() {
                    if let Some(v) = self.value(m, ScopeId::Unit(u), period) {
                        out.push((m, p, v));
                    }
                }
                continue;
            }
            // The flows' fast path: one pass over the months' sums.
            acc.fill(0);
            seen.fill(false);
            for mo in a..=b {
                let view = self.month(m, mo);
                if view.block.is_none() {
                    continue;
                }
                for (p, &place) in places.iter().enumerate() {
                    if let Some(v) = view.figs(place).any {
                        acc[p] += v;
                        seen[p] = true;
                    }
                }
            }
            for p in 0..n {
                if seen[p] {
                    out.push((m, p, self.to_decimal(m, acc[p])));
                }
            }
        }
        out
    }

    // ------------------------------------------------ the figure of record

    /// The figure of record of a measure at a place for a period, worked out
    /// as [`kehoach_domain::ledger::Ledger::figure`] does: the place's own
    /// figure; else by formula; else from its own months (a flow only when
    /// every month is complete); else the sum of its parts, partial (never
    /// judged) when some are missing.
    pub fn record(&self, measure: &str, scope: Scope<'_>, period: Period) -> Result<Option<Figure>, EngineError> {
        let (m, s) = self.resolve(measure, scope)?;
        Ok(self.record_at(m, s, period))
    }

    /// [`Engine::record`] by index.
    pub fn record_at(&self, m: usize, scope: ScopeId, period: Period) -> Option<Figure> {
        self.record_in(m, self.place(scope), period, 0)
    }

    fn own_period(&self, m: usize, place: Place, period: Period) -> Option<Decimal> {
        match period {
            Period::Month(y, mo) => self.month_own(m, place, month_number(y, mo)).map(|v| self.to_decimal(m, v)),
            _ => self.other.get(&(m, place.unit?, period)).copied(),
        }
    }

    fn record_in(&self, m: usize, place: Place, period: Period, depth: u8) -> Option<Figure> {
        if let Some(v) = self.own_period(m, place, period) {
            return Some(whole(v));
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        let rule = self.measures[m].rule;
        if rule == Rule::Derived {
            let expr = self.measures[m].formula.as_ref()?;
            let lookup = |r: &str| {
                let i = self.measure_id(r)?;
                self.record_in(i, place, period, depth + 1).filter(Figure::complete).map(|f| f.value)
            };
            return expr.eval(&lookup).ok().map(whole);
        }
        if let Some(v) = self.over_months(m, rule, place, period) {
            return Some(whole(v));
        }
        if rule == Rule::Reported {
            return None;
        }
        self.over_parts(m, place, period, depth)
    }

    /// A longer period from the place's own months (each complete).
    fn over_months(&self, m: usize, rule: Rule, place: Place, period: Period) -> Option<Decimal> {
        if matches!(period, Period::Month(..)) {
            return None;
        }
        let (a, b) = period.months();
        let (a, b) = (month_number(period.year(), a), month_number(period.year(), b));
        let v = match rule {
            Rule::Sum => (a..=b).try_fold(0i128, |t, mo| Some(t + self.month(m, mo).figs(place).full?))?,
            Rule::Stock => self.month(m, b).figs(place).full?,
            _ => self.month_own(m, place, b)?,
        };
        Some(self.to_decimal(m, v))
    }

    /// The sum of the place's complete parts, with how many there are.
    fn over_parts(&self, m: usize, place: Place, period: Period, depth: u8) -> Option<Figure> {
        let slot = place.slot?;
        if let Period::Month(y, mo) = period {
            // Kept up to date by every save.
            let view = self.month(m, month_number(y, mo));
            let (agg, layout) = (view.agg?, view.layout?);
            return (agg.full_n[slot] > 0).then(|| Figure {
                value: self.to_decimal(m, agg.full_sum[slot]),
                reported: agg.full_n[slot] as usize,
                expected: layout.expected[slot] as usize,
            });
        }
        let (start, end) = period.calendar();
        let (mut total, mut reported, mut expected) = (Decimal::ZERO, 0, 0);
        for u in self.tree.parts(slot, start, end) {
            expected += 1;
            let part = self.place(ScopeId::Unit(u));
            if let Some(f) = self.record_in(m, part, period, depth + 1).filter(Figure::complete) {
                total = total.checked_add(f.value)?;
                reported += 1;
            }
        }
        (reported > 0).then_some(Figure { value: total, reported, expected })
    }
}
