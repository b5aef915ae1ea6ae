//! The figure of any measure or component, at any unit, for any period,
//! from what was reported (sổ số liệu): a figure reported for exactly that
//! unit and period wins; otherwise it is derived, in this order:
//!
//! 1. **by formula**, for a derived measure: the formula applied to its
//!    references at the same unit and period. Applied to summed parts, this
//!    is the ratio of sums (beds per 10,000 people of a province is the
//!    province's beds over its population, not the mean of district ratios);
//! 2. **over time**, from the unit's own months: a flow adds its months
//!    (only when every month is in), a stock or rate takes the last month;
//! 3. **up the hierarchy**, from the units that made it up during the
//!    period: flows, counts and stocks add up; rates, growth and shares do
//!    not (they are reported, or derived by formula).
//!
//! A unit is a part of another during a period when it existed during the
//! period and its parent, followed through its successors to the period's
//! last day, is that other unit: when provinces merge on 01/07/2025, the
//! communes of the old one count for the new one from July, whether or not
//! their parent link was rewritten.
//!
//! A sum over parts says how many parts reported: a total missing some of
//! them is shown as partial and never judged.

use rust_decimal::Decimal;
use std::collections::HashMap;

use crate::formula::{Expr, Formula, FormulaError};
use crate::org::{self, OrgUnit};
use crate::period::Period;
use crate::plan::{Aggregation, Measure, MeasureKind, Plan};

/// How a series combines over months and across units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Months add up, units add up (exports, new enterprises).
    Sum,
    /// The last month stands; units add up (beds, members, communes
    /// meeting a standard).
    Stock,
    /// Computed by formula from other series.
    Derived,
    /// The last month stands; units do not add up (rates, growth, shares):
    /// only a reported figure counts.
    Reported,
}

/// A figure with how much of it is in: `reported` of `expected` parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub value: Decimal,
    pub reported: usize,
    pub expected: usize,
}

impl Figure {
    fn whole(value: Decimal) -> Self {
        Self { value, reported: 1, expected: 1 }
    }

    pub fn complete(&self) -> bool {
        self.reported == self.expected
    }
}

/// A formula that cannot be used, and the measure it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {error}")]
pub struct DerivedError {
    pub key: String,
    pub error: FormulaError,
}

/// Reads the formulas of a plan's derived measures, checking that each
/// parses, refers only to measures and components of the plan, and that no
/// formula depends on itself.
pub fn derived(plan: &Plan) -> Result<HashMap<String, Expr>, DerivedError> {
    let mut formulas = Vec::new();
    for m in plan.measures() {
        let Some(text) = &m.formula else { continue };
        let expr: Expr = text.parse().map_err(|error| DerivedError { key: m.key.clone(), error })?;
        if let Some(unknown) = expr.references().into_iter().find(|r| !plan.reports(r)) {
            return Err(DerivedError {
                key: m.key.clone(),
                error: FormulaError::Syntax {
                    at: text.find(&format!("[{unknown}]")).unwrap_or(0),
                    message: format!("[{unknown}] is neither a measure nor a component of the plan"),
                },
            });
        }
        formulas.push(Formula { defines: m.key.clone(), expr });
    }
    crate::formula::order(&formulas).map_err(|error| {
        let key = match &error {
            FormulaError::Cycle(path) => path.split(" → ").next().unwrap_or_default().to_string(),
            _ => String::new(),
        };
        DerivedError { key, error }
    })?;
    Ok(formulas.into_iter().map(|f| (f.defines, f.expr)).collect())
}

/// How a measure combines, from its kind, unit and formula.
pub fn rule(measure: &Measure) -> Rule {
    if measure.formula.is_some() {
        return Rule::Derived;
    }
    let rate = measure.unit == "%" || measure.unit == "‰" || measure.unit.contains('/');
    match (measure.aggregation, measure.kind) {
        (_, MeasureKind::Growth | MeasureKind::Share | MeasureKind::Change | MeasureKind::Ratio) => Rule::Reported,
        _ if rate => Rule::Reported,
        (Aggregation::Sum, _) => Rule::Sum,
        (Aggregation::Latest, _) => Rule::Stock,
        (Aggregation::Ratio | Aggregation::None, _) => Rule::Reported,
    }
}

/// Hierarchy depth and formula nesting are bounded: a loop in the units'
/// parent links must end, not overflow.
const MAX_DEPTH: u8 = 24;

/// Figures of one plan over a set of units.
pub struct Ledger<'a> {
    rules: HashMap<&'a str, Rule>,
    formulas: HashMap<String, Expr>,
    units: &'a [OrgUnit],
    /// Each unit's possible parts: the units whose parent it is, or whose
    /// parent it succeeded (see [`Ledger::parts`]).
    parts: HashMap<&'a str, Vec<&'a OrgUnit>>,
    reported: &'a dyn Fn(&str, &str, Period) -> Option<Decimal>,
}

impl<'a> Ledger<'a> {
    /// `reported(key, unit code, period)` gives the figure reported for
    /// exactly that unit and period (the latest version), if any.
    pub fn new(
        plan: &'a Plan,
        units: &'a [OrgUnit],
        reported: &'a dyn Fn(&str, &str, Period) -> Option<Decimal>,
    ) -> Result<Self, DerivedError> {
        let formulas = derived(plan)?;
        let mut rules: HashMap<&str, Rule> = plan.measures().map(|m| (m.key.as_str(), rule(m))).collect();
        for c in &plan.components {
            let r = if c.aggregation == Aggregation::Sum { Rule::Sum } else { Rule::Stock };
            rules.entry(c.key.as_str()).or_insert(r);
        }
        let mut parts: HashMap<&str, Vec<&OrgUnit>> = HashMap::new();
        for u in units {
            let Some(mut at) = u.parent.as_deref().and_then(|p| units.iter().find(|x| x.code == p)) else { continue };
            // The parent and everything that succeeded it, a loop cut short.
            for _ in 0..units.len() {
                let list = parts.entry(at.code.as_str()).or_default();
                if list.iter().any(|x| x.code == u.code) {
                    break;
                }
                list.push(u);
                match at.successor.as_deref().and_then(|s| units.iter().find(|x| x.code == s)) {
                    Some(next) => at = next,
                    None => break,
                }
            }
        }
        Ok(Self { rules, formulas, units, parts, reported })
    }

    pub fn rule(&self, key: &str) -> Option<Rule> {
        self.rules.get(key).copied()
    }

    /// The complete figure of a series, or none.
    pub fn value(&self, key: &str, unit: &str, period: Period) -> Option<Decimal> {
        self.figure(key, unit, period).filter(Figure::complete).map(|f| f.value)
    }

    /// The figure of a series, partial sums included.
    pub fn figure(&self, key: &str, unit: &str, period: Period) -> Option<Figure> {
        self.figure_at(key, unit, period, 0)
    }

    fn figure_at(&self, key: &str, unit: &str, period: Period, depth: u8) -> Option<Figure> {
        if let Some(v) = (self.reported)(key, unit, period) {
            return Some(Figure::whole(v));
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        let rule = self.rule(key)?;
        if rule == Rule::Derived {
            let expr = self.formulas.get(key)?;
            let lookup = |r: &str| self.complete_at(r, unit, period, depth + 1);
            return expr.eval(&lookup).ok().map(Figure::whole);
        }
        if let Some(v) = self.over_months(key, rule, unit, period, depth) {
            return Some(Figure::whole(v));
        }
        if rule == Rule::Reported {
            return None;
        }
        self.over_parts(key, unit, period, depth)
    }

    fn complete_at(&self, key: &str, unit: &str, period: Period, depth: u8) -> Option<Decimal> {
        self.figure_at(key, unit, period, depth).filter(Figure::complete).map(|f| f.value)
    }

    /// A longer period from the unit's own months.
    fn over_months(&self, key: &str, rule: Rule, unit: &str, period: Period, depth: u8) -> Option<Decimal> {
        if matches!(period, Period::Month(..)) {
            return None;
        }
        let (first, last) = period.months();
        let year = period.year();
        let month = |m: u32| {
            let p = Period::Month(year, m);
            // Months are the unit's own, or summed from its parts.
            match rule {
                Rule::Sum | Rule::Stock => self.complete_at(key, unit, p, depth + 1),
                _ => (self.reported)(key, unit, p),
            }
        };
        match rule {
            Rule::Sum => (first..=last).try_fold(Decimal::ZERO, |total, m| total.checked_add(month(m)?)),
            _ => month(last),
        }
    }

    /// The units that made up `unit` during the period: they existed during
    /// it, and their parent, followed through its successors to the period's
    /// last day, is `unit`.
    pub fn parts(&self, unit: &str, period: Period) -> Vec<&'a OrgUnit> {
        let (start, end) = period.calendar();
        let Some(candidates) = self.parts.get(unit) else { return Vec::new() };
        candidates
            .iter()
            .copied()
            .filter(|p| org::existed_during(p, start, end))
            .filter(|p| {
                let parent = p.parent.as_deref().and_then(|c| self.units.iter().find(|u| u.code == c));
                parent.is_some_and(|parent| org::current(self.units, parent, end).code == unit)
            })
            .collect()
    }

    /// A unit's figure as the sum of the units that made it up during the
    /// period.
    fn over_parts(&self, key: &str, unit: &str, period: Period, depth: u8) -> Option<Figure> {
        let parts = self.parts(unit, period);
        if parts.is_empty() {
            return None;
        }
        let mut total = Decimal::ZERO;
        let mut reported = 0;
        for p in &parts {
            if let Some(f) = self.figure_at(key, &p.code, period, depth + 1).filter(Figure::complete) {
                total = total.checked_add(f.value)?;
                reported += 1;
            }
        }
        (reported > 0).then_some(Figure { value: total, reported, expected: parts.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgLevel;
    use crate::plan::{Comparator, Component, Target};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn measure(key: &str, unit: &str, kind: MeasureKind, aggregation: Aggregation, formula: Option<&str>) -> Measure {
        let m = Measure::new(key, key, Comparator::AtLeast, kind, aggregation);
        Measure { value: Some(Decimal::ONE), unit: unit.into(), formula: formula.map(Into::into), ..m }
    }

    fn plan() -> Plan {
        Plan {
            components: vec![
                Component {
                    key: "beds".into(),
                    name: "Giường bệnh".into(),
                    unit: "giường".into(),
                    aggregation: Aggregation::Latest,
                },
                Component {
                    key: "population".into(),
                    name: "Dân số".into(),
                    unit: "người".into(),
                    aggregation: Aggregation::Latest,
                },
            ],
            ..Plan::new(
                "P",
                2025,
                vec![Target::of(
                    "a",
                    vec![
                        measure("exports", "triệu USD", MeasureKind::Level, Aggregation::Sum, None),
                        measure("members", "người", MeasureKind::Level, Aggregation::Latest, None),
                        measure("poverty", "%", MeasureKind::Level, Aggregation::Latest, None),
                        measure(
                            "beds_rate",
                            "giường bệnh/vạn dân",
                            MeasureKind::Ratio,
                            Aggregation::Ratio,
                            Some("[beds] / [population] * 10000"),
                        ),
                    ],
                )],
            )
        }
    }

    fn unit(code: &str, parent: Option<&str>, valid_to: Option<NaiveDate>) -> OrgUnit {
        OrgUnit {
            code: code.into(),
            name: code.into(),
            level: if parent.is_some() { OrgLevel::District } else { OrgLevel::Province },
            parent: parent.map(Into::into),
            valid_from: None,
            valid_to,
            successor: None,
        }
    }

    type Values = HashMap<(String, String, Period), Decimal>;

    fn reported(values: &Values) -> impl Fn(&str, &str, Period) -> Option<Decimal> + '_ {
        move |k, u, p| values.get(&(k.to_string(), u.to_string(), p)).copied()
    }

    fn put(values: &mut Values, k: &str, u: &str, p: Period, v: &str) {
        values.insert((k.into(), u.into(), p), d(v));
    }

    #[test]
    fn flows_add_up_over_districts_and_months_and_partial_totals_are_not_judged() {
        let plan = plan();
        let units = vec![unit("P", None, None), unit("D1", Some("P"), None), unit("D2", Some("P"), None)];
        let mut v = Values::new();
        for m in 1..=3 {
            put(&mut v, "exports", "D1", Period::Month(2025, m), "10.5");
            put(&mut v, "exports", "D2", Period::Month(2025, m), "20");
        }
        {
            let lookup = reported(&v);
            let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
            assert_eq!(ledger.value("exports", "P", Period::Month(2025, 2)), Some(d("30.5")));
            assert_eq!(ledger.value("exports", "P", Period::Quarter(2025, 1)), Some(d("91.5")));
            assert_eq!(ledger.value("exports", "D1", Period::Quarter(2025, 1)), Some(d("31.5")));
        }
        // April: only one district in.
        put(&mut v, "exports", "D1", Period::Month(2025, 4), "7");
        {
            let lookup = reported(&v);
            let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
            let april = ledger.figure("exports", "P", Period::Month(2025, 4)).unwrap();
            assert_eq!((april.value, april.reported, april.expected), (d("7"), 1, 2));
            assert_eq!(ledger.value("exports", "P", Period::Month(2025, 4)), None);
        }
        // A figure the province reports itself wins over the sum of parts.
        put(&mut v, "exports", "P", Period::Month(2025, 4), "28");
        let lookup = reported(&v);
        let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
        assert_eq!(ledger.value("exports", "P", Period::Month(2025, 4)), Some(d("28")));
    }

    #[test]
    fn stocks_take_the_last_month_and_rates_never_add_up() {
        let plan = plan();
        let units = vec![unit("P", None, None), unit("D1", Some("P"), None), unit("D2", Some("P"), None)];
        let mut v = Values::new();
        for (u, m, x) in [("D1", 5, "100"), ("D1", 6, "110"), ("D2", 6, "40")] {
            put(&mut v, "members", u, Period::Month(2025, m), x);
        }
        put(&mut v, "poverty", "D1", Period::FirstHalf(2025), "3");
        put(&mut v, "poverty", "D2", Period::FirstHalf(2025), "2");
        let lookup = reported(&v);
        let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
        assert_eq!(ledger.value("members", "P", Period::FirstHalf(2025)), Some(d("150")));
        assert_eq!(ledger.value("members", "D1", Period::FirstHalf(2025)), Some(d("110")));
        assert_eq!(ledger.value("poverty", "P", Period::FirstHalf(2025)), None);
        assert_eq!(ledger.value("poverty", "D1", Period::FirstHalf(2025)), Some(d("3")));
    }

    #[test]
    fn beds_per_ten_thousand_people_is_a_ratio_of_sums() {
        let plan = plan();
        let units = vec![unit("P", None, None), unit("D1", Some("P"), None), unit("D2", Some("P"), None)];
        let mut v = Values::new();
        let y = Period::Year(2025);
        put(&mut v, "beds", "D1", y, "300");
        put(&mut v, "population", "D1", y, "100000");
        put(&mut v, "beds", "D2", y, "100");
        put(&mut v, "population", "D2", y, "300000");
        let lookup = reported(&v);
        let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
        // 400 beds for 400,000 people: 10 per 10,000, not the mean (30 + 3,33) / 2.
        assert_eq!(ledger.value("beds_rate", "P", y), Some(d("10")));
        assert_eq!(ledger.value("beds_rate", "D1", y), Some(d("30")));
    }

    #[test]
    fn an_abolished_district_counts_only_for_the_periods_it_existed() {
        let plan = plan();
        let end_june = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let units = vec![unit("P", None, None), unit("D1", Some("P"), Some(end_june)), unit("D2", Some("P"), None)];
        let mut v = Values::new();
        put(&mut v, "exports", "D1", Period::FirstHalf(2025), "5");
        put(&mut v, "exports", "D2", Period::FirstHalf(2025), "6");
        put(&mut v, "exports", "D2", Period::Quarter(2025, 3), "4");
        let lookup = reported(&v);
        let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
        assert_eq!(ledger.value("exports", "P", Period::FirstHalf(2025)), Some(d("11")));
        assert_eq!(ledger.value("exports", "P", Period::Quarter(2025, 3)), Some(d("4")));
    }

    #[test]
    fn the_districts_of_a_merged_province_count_for_its_successor_from_the_merger() {
        let plan = plan();
        let end_june = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let mut old = unit("P", None, Some(end_june));
        old.successor = Some("Q".into());
        // D1 keeps its parent link to P; D2 was moved to Q by hand.
        let units = vec![old, unit("Q", None, None), unit("D1", Some("P"), None), unit("D2", Some("Q"), None)];
        let mut v = Values::new();
        for m in 1..=12 {
            put(&mut v, "exports", "D1", Period::Month(2025, m), "1");
            put(&mut v, "exports", "D2", Period::Month(2025, m), "10");
        }
        let lookup = reported(&v);
        let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
        // Before the merger D1 is P's part, after it Q's.
        assert_eq!(ledger.value("exports", "P", Period::Month(2025, 6)), Some(d("1")));
        assert_eq!(ledger.value("exports", "P", Period::Month(2025, 7)), None);
        assert_eq!(ledger.value("exports", "Q", Period::Month(2025, 7)), Some(d("11")));
        assert_eq!(ledger.value("exports", "Q", Period::Month(2025, 6)), Some(d("10")));
        // Q's year: its months, each with the parts it had that month.
        assert_eq!(ledger.value("exports", "Q", Period::Year(2025)), Some(d("126")));
        let codes = |p: Period| ledger.parts("Q", p).iter().map(|u| u.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(Period::FirstHalf(2025)), ["D2"]);
        assert_eq!(codes(Period::Year(2025)), ["D1", "D2"]);
    }

    #[test]
    fn bad_formulas_are_refused_with_the_measure_named() {
        let mut p = plan();
        p.targets[0].measures[3].formula = Some("[beds] / [people] * 10000".into());
        let e = derived(&p).unwrap_err();
        assert_eq!(e.key, "beds_rate");
        assert!(e.to_string().contains("[people] is neither"), "{e}");
        p.targets[0].measures[3].formula = Some("[beds] / ".into());
        assert!(derived(&p).is_err());
        p.targets[0].measures[3].formula = Some("[members] * 2".into());
        p.targets[0].measures[1].formula = Some("[beds_rate] + 1".into());
        let e = derived(&p).unwrap_err();
        assert!(matches!(e.error, FormulaError::Cycle(_)), "{e}");
    }

    #[test]
    fn a_loop_in_parent_links_ends() {
        let plan = plan();
        let units = vec![unit("A", Some("B"), None), unit("B", Some("A"), None)];
        let v = Values::new();
        let lookup = reported(&v);
        let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
        assert_eq!(ledger.value("exports", "A", Period::Year(2025)), None);
    }

    proptest! {
        /// Against a naive reference: a province's total of a flow for any
        /// period is the sum over districts and months; its ratio is the sum
        /// of numerators over the sum of denominators.
        #[test]
        fn totals_and_ratios_equal_the_naive_reference(
            cells in proptest::collection::vec((0usize..4, 1u32..=12, 0i64..1_000_000, 0u32..3), 0..60),
            beds in proptest::collection::vec(0i64..5_000, 4),
            people in proptest::collection::vec(1i64..900_000, 4),
            period in prop_oneof![
                (1u32..=12).prop_map(|m| Period::Month(2025, m)),
                (1u32..=4).prop_map(|q| Period::Quarter(2025, q)),
                Just(Period::FirstHalf(2025)),
                Just(Period::NineMonths(2025)),
                Just(Period::Year(2025)),
            ],
        ) {
            let plan = plan();
            let mut units = vec![unit("P", None, None)];
            let districts = ["D0", "D1", "D2", "D3"];
            units.extend(districts.iter().map(|c| unit(c, Some("P"), None)));
            let mut v = Values::new();
            for &(u, m, x, scale) in &cells {
                v.insert(("exports".into(), districts[u].into(), Period::Month(2025, m)), Decimal::new(x, scale));
            }
            for i in 0..4 {
                v.insert(("beds".into(), districts[i].into(), period), Decimal::from(beds[i]));
                v.insert(("population".into(), districts[i].into(), period), Decimal::from(people[i]));
            }
            let lookup = reported(&v);
            let ledger = Ledger::new(&plan, &units, &lookup).unwrap();
            let (first, last) = period.months();
            let complete = districts.iter().all(|u| (first..=last).all(|m| v.contains_key(&("exports".to_string(), u.to_string(), Period::Month(2025, m)))));
            let naive: Decimal = districts
                .iter()
                .flat_map(|u| (first..=last).map(move |m| (*u, m)))
                .filter_map(|(u, m)| v.get(&("exports".to_string(), u.to_string(), Period::Month(2025, m))))
                .sum();
            prop_assert_eq!(ledger.value("exports", "P", period), complete.then_some(naive));
            let ratio = Decimal::from(beds.iter().sum::<i64>()) / Decimal::from(people.iter().sum::<i64>()) * Decimal::from(10000);
            prop_assert_eq!(ledger.value("beds_rate", "P", period), Some(ratio));
        }
    }
}
