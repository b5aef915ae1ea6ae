//! The engine's answers equal a naive computation straight from the list of
//! values, for every rule, every unit level and every period, across a
//! merger of provinces (01/07/2025) and of communes, through a district
//! level, whether the values came
//! in through the bulk loader or one save at a time, and after corrections.

use chrono::NaiveDate;
use kehoach_analytics::{Engine, MeasureDef, Scope, month_number};
use kehoach_domain::ledger::Rule;
use kehoach_domain::org::{self, OrgLevel, OrgUnit};
use kehoach_domain::period::Period;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn unit(code: &str, level: OrgLevel, parent: Option<&str>, to: Option<NaiveDate>, successor: Option<&str>) -> OrgUnit {
    OrgUnit { valid_to: to, successor: successor.map(Into::into), ..OrgUnit::new(code, code, level, parent) }
}

/// Three provinces, P1 merged into P3 on 01/07/2025; commune X7 merged into
/// X5 on the same day; P2 has a district D2 between it and commune X4.
fn units() -> Vec<OrgUnit> {
    let end = Some(d(2025, 6, 30));
    vec![
        unit("VN", OrgLevel::Nation, None, None, None),
        unit("P1", OrgLevel::Province, Some("VN"), end, Some("P3")),
        unit("P2", OrgLevel::Province, Some("VN"), None, None),
        unit("P3", OrgLevel::Province, Some("VN"), None, None),
        unit("X1", OrgLevel::Commune, Some("P1"), None, None),
        unit("X2", OrgLevel::Commune, Some("P1"), None, None),
        unit("X3", OrgLevel::Commune, Some("P2"), None, None),
        unit("X4", OrgLevel::Commune, Some("D2"), None, None),
        unit("X5", OrgLevel::Commune, Some("P3"), None, None),
        unit("X6", OrgLevel::Commune, Some("P3"), None, None),
        unit("X7", OrgLevel::Commune, Some("P1"), end, Some("X5")),
        unit("D2", OrgLevel::District, Some("P2"), None, None),
    ]
}

const MEASURES: [&str; 4] = ["s", "k", "r", "d"];

fn measures() -> Vec<MeasureDef> {
    vec![
        MeasureDef::new("s", Rule::Sum),
        MeasureDef::new("k", Rule::Stock),
        MeasureDef::new("r", Rule::Reported),
        MeasureDef::derived("d", "[s] / [k] * 100".parse().unwrap()),
    ]
}

/// The naive reference: every figure computed from the raw list.
struct Naive {
    units: Vec<OrgUnit>,
    raw: HashMap<(usize, String, i32), Decimal>,
}

impl Naive {
    /// The unit `unit` counts for in a month: its parent followed through
    /// successors to the month's last day, if it existed that month.
    fn parent_in(&self, unit: &OrgUnit, month: i32) -> Option<String> {
        let (start, end) = Period::Month(month.div_euclid(12), month.rem_euclid(12) as u32 + 1).calendar();
        let existed = unit.valid_from.is_none_or(|f| f <= end) && unit.valid_to.is_none_or(|t| t >= start);
        let parent = self.units.iter().find(|u| Some(&u.code) == unit.parent.as_ref())?;
        existed.then(|| org::current(&self.units, parent, end).code.clone())
    }

    fn month(&self, m: usize, scope: &str, month: i32, own_only: bool) -> Option<Decimal> {
        // The nation's own figures are those of its unit, VN.
        let own = if scope.is_empty() { "VN" } else { scope };
        if let Some(v) = self.raw.get(&(m, own.to_string(), month)) {
            return Some(*v);
        }
        if own_only {
            return None;
        }
        // Whatever the parts have, at any depth.
        self.units
            .iter()
            .filter(|u| self.parent_in(u, month).as_deref() == Some(own))
            .filter_map(|u| self.month(m, &u.code, month, false))
            .reduce(|a, b| a + b)
    }

    fn value(&self, m: usize, scope: &str, period: Period) -> Option<Decimal> {
        let (a, b) = period.months();
        let months: Vec<i32> = (a..=b).map(|mo| month_number(period.year(), mo)).collect();
        match MEASURES[m] {
            "s" => months.iter().filter_map(|&mo| self.month(m, scope, mo, false)).reduce(|x, y| x + y),
            "k" => months.iter().rev().find_map(|&mo| self.month(m, scope, mo, false)),
            "r" => months.iter().rev().find_map(|&mo| self.month(m, scope, mo, true)),
            _ => {
                let own = if scope.is_empty() { "VN" } else { scope };
                if months.len() == 1
                    && let Some(v) = self.raw.get(&(m, own.to_string(), months[0]))
                {
                    return Some(*v);
                }
                let s = self.value(0, scope, period)?;
                let k = self.value(1, scope, period)?;
                if k.is_zero() { None } else { s.checked_div(k).and_then(|q| q.checked_mul(Decimal::from(100))) }
            }
        }
    }
}

fn periods() -> Vec<Period> {
    let mut all = Period::all_of(2024);
    all.extend(Period::all_of(2025));
    all
}

/// (measure, unit index, month 0..24 from 2024-01, mantissa, scale)
type Op = (usize, usize, i32, i64, u32);

fn op() -> impl Strategy<Value = Op> {
    // Any unit, the nation's own included. A derived measure's own figure
    // for a month wins over its formula.
    (0usize..4, 0usize..12, 0i32..24, -2_000_000i64..2_000_000, 0u32..4)
}

fn check(engine: &Engine, naive: &Naive) -> Result<(), TestCaseError> {
    let scopes: Vec<String> =
        std::iter::once(String::new()).chain(naive.units.iter().map(|u| u.code.clone())).collect();
    for (m, key) in MEASURES.iter().enumerate() {
        for scope in &scopes {
            for period in periods() {
                let s = if scope.is_empty() || scope == "VN" { Scope::Nation } else { Scope::Unit(scope) };
                let got = engine.figure(key, s, period).unwrap();
                // The nation unit and the nation scope are the same place.
                let want = naive.value(m, if scope == "VN" { "" } else { scope }, period);
                prop_assert_eq!(got, want, "{} at {:?} for {}", key, scope, period);
            }
        }
    }
    // The national table (every measure × province) agrees too.
    for period in [Period::Year(2024), Period::Year(2025), Period::Quarter(2025, 3)] {
        let mut want = Vec::new();
        for m in 0..MEASURES.len() {
            for (p, &u) in engine.provinces().iter().enumerate() {
                if let Some(v) = naive.value(m, &naive.units[u].code, period) {
                    want.push((m, p, v));
                }
            }
        }
        prop_assert_eq!(engine.province_totals(period), want);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_answers_like_the_naive_reference(bulk in prop::collection::vec(op(), 0..60),
                                                   saves in prop::collection::vec(op(), 0..40)) {
        let units = units();
        let mut engine = Engine::new(measures(), units.clone());
        let mut naive = Naive { units: units.clone(), raw: HashMap::new() };
        let base = month_number(2024, 1);
        // Half of the bulk in one loader's columns, half in another's, then absorbed.
        let (first, second) = bulk.split_at(bulk.len() / 2);
        let mut c1 = engine.columns();
        let mut c2 = engine.columns();
        for (cols, part) in [(&mut c1, first), (&mut c2, second)] {
            for &(m, u, mo, mantissa, scale) in part {
                cols.put(m, base + mo, u, mantissa, scale).unwrap();
                naive.raw.insert((m, units[u].code.clone(), base + mo), Decimal::new(mantissa, scale));
            }
        }
        c1.merge(c2).unwrap();
        engine.absorb(c1).unwrap();
        check(&engine, &naive)?;
        // Then saves one by one: new values and corrections of old ones.
        for &(m, u, mo, mantissa, scale) in &saves {
            let value = Decimal::new(mantissa, scale);
            let period = Period::Month(2024 + mo / 12, (mo % 12) as u32 + 1);
            let old = engine.apply(MEASURES[m], &units[u].code, period, value).unwrap();
            let before = naive.raw.insert((m, units[u].code.clone(), base + mo), value);
            prop_assert_eq!(old, before);
        }
        check(&engine, &naive)?;
        // Corrections of everything saved so far.
        let keys: Vec<_> = naive.raw.keys().cloned().collect();
        for (i, (m, code, mo)) in keys.into_iter().enumerate().take(10) {
            let value = Decimal::new(i as i64 * 37 - 100, 1);
            let period = Period::Month(mo.div_euclid(12), mo.rem_euclid(12) as u32 + 1);
            engine.apply(MEASURES[m], &code, period, value).unwrap();
            naive.raw.insert((m, code, mo), value);
        }
        check(&engine, &naive)?;
        // Figures taken out (a newer version the engine cannot hold), and
        // one that was never there.
        let keys: Vec<_> = naive.raw.keys().cloned().collect();
        for (m, code, mo) in keys.into_iter().step_by(3) {
            let period = Period::Month(mo.div_euclid(12), mo.rem_euclid(12) as u32 + 1);
            let held = naive.raw.remove(&(m, code.clone(), mo));
            prop_assert_eq!(engine.remove(MEASURES[m], &code, period).unwrap(), held);
            prop_assert_eq!(engine.remove(MEASURES[m], &code, period).unwrap(), None);
        }
        check(&engine, &naive)?;
    }
}

#[test]
fn a_figure_outside_the_storable_range_is_refused_and_changes_nothing() {
    let mut engine = Engine::new(measures(), units());
    let march = Period::Month(2025, 3);
    engine.apply("s", "X1", march, Decimal::from(4)).unwrap();
    for typed in ["10000000000000000000", "0.0000000000000000001", "-1000000000000"] {
        let err = engine.apply("s", "X1", march, typed.parse().unwrap()).unwrap_err();
        assert!(matches!(err, kehoach_analytics::EngineError::Unstorable(_)), "{typed}: {err:?}");
    }
    assert_eq!(engine.figure("s", Scope::Unit("P1"), march).unwrap(), Some(Decimal::from(4)));
    assert_eq!(engine.remove("s", "X1", march).unwrap(), Some(Decimal::from(4)));
    assert_eq!(engine.figure("s", Scope::Unit("P1"), march).unwrap(), None);
    assert_eq!(engine.figure("s", Scope::Nation, march).unwrap(), None);
}

#[test]
fn a_merged_province_gets_its_communes_from_the_month_of_the_merger() {
    let mut engine = Engine::new(measures(), units());
    for month in 1..=12 {
        engine.apply("s", "X1", Period::Month(2025, month), Decimal::ONE).unwrap();
    }
    let year = Period::Year(2025);
    assert_eq!(engine.figure("s", Scope::Unit("P1"), year).unwrap(), Some(Decimal::from(6)));
    assert_eq!(engine.figure("s", Scope::Unit("P3"), year).unwrap(), Some(Decimal::from(6)));
    assert_eq!(engine.figure("s", Scope::Nation, year).unwrap(), Some(Decimal::from(12)));
    assert_eq!(engine.figure("s", Scope::Unit("P3"), Period::FirstHalf(2025)).unwrap(), None);
}

#[test]
fn a_value_with_more_decimals_rescales_the_measure_exactly() {
    let mut engine = Engine::new(measures(), units());
    engine.apply("s", "X1", Period::Month(2025, 1), Decimal::from(3_000_000_000i64)).unwrap();
    engine.apply("s", "X2", Period::Month(2025, 1), "0.000001".parse().unwrap()).unwrap();
    assert_eq!(
        engine.figure("s", Scope::Unit("P1"), Period::Month(2025, 1)).unwrap(),
        Some("3000000000.000001".parse().unwrap())
    );
    // A yearly figure reported as such wins over the months.
    engine.apply("s", "P2", Period::Year(2025), Decimal::from(7)).unwrap();
    engine.apply("s", "X3", Period::Month(2025, 2), Decimal::from(5)).unwrap();
    assert_eq!(engine.figure("s", Scope::Unit("P2"), Period::Year(2025)).unwrap(), Some(Decimal::from(7)));
    assert_eq!(engine.figure("s", Scope::Unit("P2"), Period::FirstHalf(2025)).unwrap(), Some(Decimal::from(5)));
}

#[test]
fn a_district_and_its_communes_reporting_the_same_month_count_once() {
    let mut engine = Engine::new(measures(), units());
    let march = Period::Month(2025, 3);
    engine.apply("s", "X4", march, Decimal::from(40)).unwrap();
    engine.apply("s", "X3", march, Decimal::from(1)).unwrap();
    assert_eq!(engine.figure("s", Scope::Unit("P2"), march).unwrap(), Some(Decimal::from(41)));
    // The district's own figure stands for its commune X4, not beside it.
    engine.apply("s", "D2", march, Decimal::from(45)).unwrap();
    assert_eq!(engine.figure("s", Scope::Unit("D2"), march).unwrap(), Some(Decimal::from(45)));
    assert_eq!(engine.figure("s", Scope::Unit("P2"), march).unwrap(), Some(Decimal::from(46)));
    assert_eq!(engine.figure("s", Scope::Nation, march).unwrap(), Some(Decimal::from(46)));
}
