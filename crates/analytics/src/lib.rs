//! The analytics engine: every reported value of a plan (or of a ministry's
//! 200 measures over 3,321 communes and five years) in memory, aggregated
//! along the units (commune → province → nation, with validity dates) and
//! along periods (month → quarter → 6/9 months → year, year to date).
//!
//! - **Storage** ([`columns`]): one dense block per (measure, month) with a
//!   slot per unit; values are scaled integers, exact and 4 bytes each.
//! - **Aggregates**: for every (measure, month) the sum and count of the
//!   values of each province's communes, kept up to date by every
//!   [`Engine::apply`] (replacing a value subtracts the old one and adds the
//!   new): there is no rebuild step, and a saved value is in every
//!   aggregate as soon as `apply` returns. A commune's value counts for the
//!   province it belonged to **in that month** (a merger on 01/07/2025 moves
//!   July's values, not June's).
//! - **Rules** (from [`kehoach_domain::ledger::rule`]): a flow (`Sum`) adds
//!   months and units; a stock takes the last month with data in the period,
//!   summed over units; a rate (`Reported`) is only ever the unit's own
//!   figure; a derived measure applies its formula to the aggregated figures
//!   of its references at the same unit and period (a ratio of sums, never a
//!   mean of ratios). A figure reported for exactly the unit and month (or
//!   period) wins over the sum of its parts, as in the ledger.
//!
//! Depends only on `kehoach-domain` and std (plus `rust_decimal` at the API
//! edge): the store feeds it, it never reads the store.

pub mod columns;

use chrono::NaiveDate;
use kehoach_domain::formula::Expr;
use kehoach_domain::ledger::Rule;
use kehoach_domain::org::{self, OrgLevel, OrgUnit};
use kehoach_domain::period::Period;
use rust_decimal::Decimal;
use std::collections::HashMap;

pub use columns::{Columns, Overflow};

/// What the engine could not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("unknown measure {0}")]
    UnknownMeasure(String),
    #[error("unknown unit {0}")]
    UnknownUnit(String),
    #[error("{0} has too many digits for the analytics engine")]
    TooLarge(Decimal),
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
}

/// Where a figure is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The whole country: the sum of the provinces.
    Nation,
    /// A unit by code.
    Unit(&'a str),
}

/// A unit resolved to its index (see [`Engine::scope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeId {
    Nation,
    Province(usize),
    Unit(usize),
}

/// Per (measure, month): sum and count of each province's communes.
#[derive(Debug, Clone)]
struct Agg {
    sums: Vec<i128>,
    counts: Vec<u32>,
}

const MAX_DEPTH: u8 = 16;

/// Absolute month number: `year × 12 + month − 1`.
pub fn month_number(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

/// The analytics engine (see the crate documentation).
pub struct Engine {
    measures: Vec<MeasureDef>,
    measure_ix: HashMap<String, usize>,
    units: Vec<OrgUnit>,
    unit_ix: HashMap<String, usize>,
    /// Unit index of each province (province index → unit index).
    provinces: Vec<usize>,
    /// Province index of each unit that is a province.
    province_of_unit: Vec<Option<usize>>,
    /// The province each unit below province level was created under.
    home: Vec<Option<usize>>,
    /// The nation's own unit, if the units name one: its own figures win.
    nation: Option<usize>,
    cols: Columns,
    /// `aggs[measure][month − cols.first]`, aligned with the blocks.
    aggs: Vec<Vec<Option<Agg>>>,
    /// Own figures for quarters, halves, 9 months, years.
    other: HashMap<(usize, usize, Period), Decimal>,
}

impl Engine {
    /// An empty engine over these measures and units.
    pub fn new(measures: Vec<MeasureDef>, units: Vec<OrgUnit>) -> Self {
        let measure_ix = measures.iter().enumerate().map(|(i, m)| (m.key.clone(), i)).collect();
        let unit_ix: HashMap<String, usize> = units.iter().enumerate().map(|(i, u)| (u.code.clone(), i)).collect();
        let mut provinces = Vec::new();
        let mut province_of_unit = vec![None; units.len()];
        for (i, u) in units.iter().enumerate() {
            if u.level == OrgLevel::Province {
                province_of_unit[i] = Some(provinces.len());
                provinces.push(i);
            }
        }
        let home = (0..units.len())
            .map(|i| {
                if matches!(units[i].level, OrgLevel::Province | OrgLevel::Nation) {
                    return None;
                }
                let mut at = i;
                for _ in 0..MAX_DEPTH {
                    let parent = units[at].parent.as_deref().and_then(|p| unit_ix.get(p))?;
                    if units[*parent].level == OrgLevel::Province {
                        return Some(*parent);
                    }
                    at = *parent;
                }
                None
            })
            .collect();
        let n = measures.len();
        let nation = units.iter().position(|u| u.level == OrgLevel::Nation);
        Self {
            nation,
            cols: Columns::new(n, units.len()),
            aggs: vec![Vec::new(); n],
            measures,
            measure_ix,
            units,
            unit_ix,
            provinces,
            province_of_unit,
            home,
            other: HashMap::new(),
        }
    }

    pub fn measures(&self) -> &[MeasureDef] {
        &self.measures
    }

    pub fn units(&self) -> &[OrgUnit] {
        &self.units
    }

    /// Unit index of each province, in the order of the units.
    pub fn provinces(&self) -> &[usize] {
        &self.provinces
    }

    pub fn measure_id(&self, key: &str) -> Option<usize> {
        self.measure_ix.get(key).copied()
    }

    pub fn unit_id(&self, code: &str) -> Option<usize> {
        self.unit_ix.get(code).copied()
    }

    pub fn scope(&self, scope: Scope<'_>) -> Option<ScopeId> {
        match scope {
            Scope::Nation => Some(ScopeId::Nation),
            Scope::Unit(code) => {
                let u = self.unit_id(code)?;
                Some(match (self.units[u].level, self.province_of_unit[u]) {
                    (OrgLevel::Nation, _) => ScopeId::Nation,
                    (_, Some(p)) => ScopeId::Province(p),
                    _ => ScopeId::Unit(u),
                })
            }
        }
    }

    /// An empty set of columns for a loader to fill (see [`Engine::absorb`]).
    pub fn columns(&self) -> Columns {
        Columns::new(self.measures.len(), self.units.len())
    }

    /// The province index a unit's value counts for in a month.
    fn province_in(&self, unit: usize, month: i32) -> Option<usize> {
        let home = self.home[unit]?;
        let day = NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)?;
        let now = org::current(&self.units, &self.units[home], day);
        self.unit_id(&now.code).and_then(|u| self.province_of_unit[u])
    }

    /// Province index per unit for a month (`usize::MAX`: none).
    fn province_table(&self, month: i32) -> Vec<usize> {
        // Each home province resolves once; the units share the answer.
        let mut by_home: HashMap<usize, usize> = HashMap::new();
        (0..self.units.len())
            .map(|u| match self.home[u] {
                None => usize::MAX,
                Some(h) => *by_home.entry(h).or_insert_with(|| {
                    let day = NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1);
                    day.map(|d| org::current(&self.units, &self.units[h], d))
                        .and_then(|p| self.unit_id(&p.code))
                        .and_then(|u| self.province_of_unit[u])
                        .unwrap_or(usize::MAX)
                }),
            })
            .collect()
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
            for s in &mut a.sums {
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
        let Period::Month(y, mo) = period else {
            return Ok(self.other.insert((m, u, period), value));
        };
        let v = value.normalize();
        let mantissa = i64::try_from(v.mantissa()).map_err(|_| EngineError::TooLarge(value))?;
        self.put(m, u, month_number(y, mo), mantissa, v.scale()).map_err(|_| EngineError::TooLarge(value))
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
        let (old_first, was_empty) = (self.cols.first, !self.cols.started());
        let old = self.cols.put(m, month, u, mantissa, scale)?;
        self.align(old_first, was_empty);
        let s = self.cols.scale(m);
        let new = i128::from(mantissa) * i128::from(columns::pow10(s - scale.min(s)));
        if let Some(p) = self.province_in(u, month) {
            let off = (month - self.cols.first) as usize;
            let n = self.provinces.len();
            let row = &mut self.aggs[m];
            if row.len() <= off {
                row.resize(off + 1, None);
            }
            let agg = row[off].get_or_insert_with(|| Agg { sums: vec![0; n], counts: vec![0; n] });
            agg.sums[p] += new - i128::from(old.unwrap_or(0));
            if old.is_none() {
                agg.counts[p] += 1;
            }
        }
        Ok(old.map(|o| Decimal::from_i128_with_scale(i128::from(o), s)))
    }

    /// Takes the values a loader read (replacing any of the same cell) and
    /// computes the aggregates: the start-up path, two threads.
    pub fn absorb(&mut self, cols: Columns) -> Result<(), Overflow> {
        self.cols.merge(cols)?;
        let first = self.cols.first;
        let span = self.cols.blocks.iter().map(Vec::len).max().unwrap_or(0);
        let tables: Vec<Vec<usize>> = (0..span).map(|off| self.province_table(first + off as i32)).collect();
        let n = self.provinces.len();
        let cols = &self.cols;
        let mut aggs = vec![Vec::new(); self.measures.len()];
        let half = aggs.len().div_ceil(2).max(1);
        std::thread::scope(|s| {
            for (c, chunk) in aggs.chunks_mut(half).enumerate() {
                let tables = &tables;
                s.spawn(move || {
                    for (i, row) in chunk.iter_mut().enumerate() {
                        let m = c * half + i;
                        *row = cols.blocks[m]
                            .iter()
                            .enumerate()
                            .map(|(off, b)| {
                                let b = b.as_ref()?;
                                let mut agg = Agg { sums: vec![0; n], counts: vec![0; n] };
                                let table = &tables[off];
                                for (u, v) in b.iter() {
                                    let p = table[u];
                                    if p != usize::MAX {
                                        agg.sums[p] += i128::from(v);
                                        agg.counts[p] += 1;
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

    /// A month's figure at the measure's scale: the unit's own value, else
    /// the sum of its parts that month.
    #[inline]
    fn month_raw(&self, m: usize, scope: ScopeId, month: i32) -> Option<i128> {
        let off = usize::try_from(month - self.cols.first).ok()?;
        let block = self.cols.blocks[m].get(off)?.as_ref()?;
        match scope {
            ScopeId::Unit(u) => block.get(u).map(i128::from),
            ScopeId::Province(p) => {
                if let Some(v) = block.get(self.provinces[p]) {
                    return Some(i128::from(v));
                }
                let agg = self.aggs[m].get(off)?.as_ref()?;
                (agg.counts[p] > 0).then_some(agg.sums[p])
            }
            ScopeId::Nation => {
                if let Some(v) = self.nation.and_then(|u| block.get(u)) {
                    return Some(i128::from(v));
                }
                let agg = self.aggs[m].get(off).and_then(Option::as_ref);
                let mut total = None;
                for (p, &pu) in self.provinces.iter().enumerate() {
                    let v =
                        block.get(pu).map(i128::from).or_else(|| agg.filter(|a| a.counts[p] > 0).map(|a| a.sums[p]));
                    if let Some(v) = v {
                        total = Some(total.unwrap_or(0) + v);
                    }
                }
                total
            }
        }
    }

    /// A reported rate: only the unit's own value counts.
    fn month_own(&self, m: usize, scope: ScopeId, month: i32) -> Option<i128> {
        let u = match scope {
            ScopeId::Unit(u) => u,
            ScopeId::Province(p) => self.provinces[p],
            ScopeId::Nation => self.nation?,
        };
        self.cols.block(m, month)?.get(u).map(i128::from)
    }

    fn span_raw(&self, m: usize, scope: ScopeId, a: i32, b: i32) -> Option<i128> {
        match self.measures[m].rule {
            Rule::Sum => (a..=b).filter_map(|mo| self.month_raw(m, scope, mo)).reduce(|x, y| x + y),
            Rule::Stock => (a..=b).rev().find_map(|mo| self.month_raw(m, scope, mo)),
            Rule::Reported => (a..=b).rev().find_map(|mo| self.month_own(m, scope, mo)),
            Rule::Derived => None,
        }
    }

    fn own_other(&self, m: usize, scope: ScopeId, period: Option<Period>) -> Option<Decimal> {
        let period = period?;
        if self.other.is_empty() || matches!(period, Period::Month(..)) {
            return None;
        }
        let u = match scope {
            ScopeId::Unit(u) => u,
            ScopeId::Province(p) => self.provinces[p],
            ScopeId::Nation => self.nation?,
        };
        self.other.get(&(m, u, period)).copied()
    }

    /// A measure's figure at a unit for a period, by index.
    pub fn value(&self, m: usize, scope: ScopeId, period: Period) -> Option<Decimal> {
        let (a, b) = period.months();
        let span = (month_number(period.year(), a), month_number(period.year(), b));
        self.value_at(m, scope, span, Some(period), 0)
    }

    /// A figure over the months `first..=last` (absolute month numbers).
    pub fn value_over(&self, m: usize, scope: ScopeId, first: i32, last: i32) -> Option<Decimal> {
        self.value_at(m, scope, (first, last), None, 0)
    }

    fn value_at(
        &self,
        m: usize,
        scope: ScopeId,
        span: (i32, i32),
        period: Option<Period>,
        depth: u8,
    ) -> Option<Decimal> {
        if let Some(v) = self.own_other(m, scope, period) {
            return Some(v);
        }
        let def = &self.measures[m];
        if def.rule == Rule::Derived {
            // A month's own figure wins over the formula, as in the ledger.
            if span.0 == span.1
                && let Some(v) = self.month_own(m, scope, span.0)
            {
                return Some(self.to_decimal(m, v));
            }
            if depth >= MAX_DEPTH {
                return None;
            }
            let expr = def.formula.as_ref()?;
            let lookup = |r: &str| self.measure_id(r).and_then(|i| self.value_at(i, scope, span, period, depth + 1));
            return expr.eval(&lookup).ok();
        }
        self.span_raw(m, scope, span.0, span.1).map(|v| self.to_decimal(m, v))
    }

    /// A measure's figure at a unit (or the nation) for a period.
    pub fn figure(&self, measure: &str, scope: Scope<'_>, period: Period) -> Result<Option<Decimal>, EngineError> {
        let m = self.measure_id(measure).ok_or_else(|| EngineError::UnknownMeasure(measure.to_string()))?;
        let s = self.scope(scope).ok_or_else(|| match scope {
            Scope::Unit(c) => EngineError::UnknownUnit(c.to_string()),
            Scope::Nation => EngineError::UnknownUnit(String::new()),
        })?;
        Ok(self.value(m, s, period))
    }

    /// Year to date, month by month (January … `last`).
    pub fn year_to_date(&self, m: usize, scope: ScopeId, year: i32, last: u32) -> Vec<Option<Decimal>> {
        (1..=last).map(|mo| self.value_over(m, scope, month_number(year, 1), month_number(year, mo))).collect()
    }

    /// Every summed measure's total per province for a period: the national
    /// table of a report (measure index, province index, total).
    pub fn province_totals(&self, period: Period) -> Vec<(usize, usize, Decimal)> {
        let (a, b) = period.months();
        let (a, b) = (month_number(period.year(), a), month_number(period.year(), b));
        let n = self.provinces.len();
        let mut out = Vec::with_capacity(self.measures.len() * n);
        let mut acc = vec![0i128; n];
        let mut seen = vec![false; n];
        for m in 0..self.measures.len() {
            if self.measures[m].rule != Rule::Sum {
                for p in 0..n {
                    if let Some(v) = self.value(m, ScopeId::Province(p), period) {
                        out.push((m, p, v));
                    }
                }
                continue;
            }
            acc.fill(0);
            seen.fill(false);
            for mo in a..=b {
                let Some(off) = usize::try_from(mo - self.cols.first).ok() else { continue };
                let Some(Some(block)) = self.cols.blocks[m].get(off) else { continue };
                let agg = self.aggs[m].get(off).and_then(Option::as_ref);
                for p in 0..n {
                    let v = match block.get(self.provinces[p]) {
                        Some(own) => Some(i128::from(own)),
                        None => agg.filter(|a| a.counts[p] > 0).map(|a| a.sums[p]),
                    };
                    if let Some(v) = v {
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
}
