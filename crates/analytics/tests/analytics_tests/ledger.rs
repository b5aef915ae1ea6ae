//! The figure of record from the engine is the ledger's, exactly: the same
//! value and the same count of parts in and expected, for every rule
//! (flows, stocks, rates, a ratio by formula, components), every unit of a
//! three-level hierarchy with a merger of provinces, of districts and of
//! communes, every period of two years, figures reported for months and
//! for longer periods at any level, through the bulk loader, one save at a
//! time, and after corrections. The pages and reports judge what the
//! engine gives; the ledger is the rules written plainly.

use chrono::NaiveDate;
use kehoach_analytics::{Engine, Figure, MeasureDef, Scope, month_number};
use kehoach_domain::ledger::Ledger;
use kehoach_domain::org::{OrgLevel, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::{Aggregation, Comparator, Component, Measure, MeasureKind, Plan, Target};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn unit(code: &str, level: OrgLevel, parent: Option<&str>) -> OrgUnit {
    OrgUnit::new(code, code, level, parent)
}

/// The nation VN; provinces P1 (merged into P3 on 01/07/2025), P2, P3;
/// districts D1 (P1, abolished with it: its communes go straight to P3),
/// D2 (P2), D3 (P3, created 01/04/2025); communes X1, X2 (D1), X3 (D2), X4
/// (D3), X5 (P3, no district), X6 (D2, merged into X3 on 01/10/2025).
fn units() -> Vec<OrgUnit> {
    let end_june = Some(day(2025, 6, 30));
    let mut p1 = unit("P1", OrgLevel::Province, Some("VN"));
    (p1.valid_to, p1.successor) = (end_june, Some("P3".into()));
    let mut d1 = unit("D1", OrgLevel::District, Some("P1"));
    (d1.valid_to, d1.successor) = (end_june, Some("P3".into()));
    let mut d3 = unit("D3", OrgLevel::District, Some("P3"));
    d3.valid_from = Some(day(2025, 4, 1));
    let mut x6 = unit("X6", OrgLevel::Commune, Some("D2"));
    (x6.valid_to, x6.successor) = (Some(day(2025, 9, 30)), Some("X3".into()));
    vec![
        unit("VN", OrgLevel::Nation, None),
        p1,
        unit("P2", OrgLevel::Province, Some("VN")),
        unit("P3", OrgLevel::Province, Some("VN")),
        d1,
        unit("D2", OrgLevel::District, Some("P2")),
        d3,
        unit("X1", OrgLevel::Commune, Some("D1")),
        unit("X2", OrgLevel::Commune, Some("D1")),
        unit("X3", OrgLevel::Commune, Some("D2")),
        unit("X4", OrgLevel::Commune, Some("D3")),
        unit("X5", OrgLevel::Commune, Some("P3")),
        x6,
    ]
}

/// A flow, a stock, a rate, a ratio by formula of two components.
fn plan() -> Plan {
    use Aggregation::{Latest, Ratio, Sum};
    use MeasureKind::Level;
    let measures = [
        ("flow", "tỷ đồng", Level, Sum, None),
        ("stock", "người", Level, Latest, None),
        ("rate", "%", Level, Latest, None),
        ("beds", "giường bệnh/vạn dân", MeasureKind::Ratio, Ratio, Some("[b] / [n] * 10000")),
    ]
    .map(|(key, unit, kind, aggregation, formula): (&str, &str, _, _, Option<&str>)| Measure {
        value: Some(Decimal::ONE),
        unit: unit.into(),
        formula: formula.map(Into::into),
        ..Measure::new(key, key, Comparator::AtLeast, kind, aggregation)
    });
    let component = |key: &str, name: &str, unit: &str, aggregation| Component {
        key: key.into(),
        name: name.into(),
        unit: unit.into(),
        aggregation,
    };
    Plan {
        components: vec![component("b", "Giường", "giường", Sum), component("n", "Dân số", "người", Latest)],
        ..Plan::new("P3", 2025, vec![Target::of("a", measures.to_vec())])
    }
}

const KEYS: [&str; 6] = ["flow", "stock", "rate", "beds", "b", "n"];

fn periods() -> Vec<Period> {
    let mut all = Period::all_of(2024);
    all.extend(Period::all_of(2025));
    all
}

type Values = HashMap<(String, String, Period), Decimal>;

fn check(engine: &Engine, plan: &Plan, units: &[OrgUnit], values: &Values) -> Result<(), TestCaseError> {
    let reported = |k: &str, u: &str, p: Period| values.get(&(k.to_string(), u.to_string(), p)).copied();
    let ledger = Ledger::new(plan, units, &reported).unwrap();
    for key in KEYS {
        for u in units {
            for period in periods() {
                let got: Option<Figure> = engine.record(key, Scope::Unit(&u.code), period).unwrap();
                let want = ledger.figure(key, &u.code, period);
                prop_assert_eq!(got, want, "{} at {} for {}", key, u.code, period);
            }
        }
    }
    Ok(())
}

/// (key, unit, period, mantissa, scale): most figures monthly, some for a
/// quarter, a half, nine months or a year.
type Op = (usize, usize, Period, i64, u32);

fn op() -> impl Strategy<Value = Op> {
    let period = prop_oneof![
        6 => (0i32..24).prop_map(|m| Period::Month(2024 + m / 12, (m % 12) as u32 + 1)),
        1 => prop::sample::select(periods()),
    ];
    (0usize..KEYS.len(), 0usize..13, period, 0i64..500_000, 0u32..3)
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 0..160)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_gives_the_ledgers_figure_of_record(bulk in ops(), saves in ops()) {
        let (plan, units) = (plan(), units());
        let mut engine = Engine::new(MeasureDef::of_plan(&plan).unwrap(), units.clone());
        let mut values = Values::new();
        // The bulk path: monthly figures through a loader's columns, the
        // rest as saves, then the aggregates computed at once.
        let mut cols = engine.columns();
        for &(k, u, period, mantissa, scale) in &bulk {
            let value = Decimal::new(mantissa, scale);
            match period {
                Period::Month(y, m) => {
                    let i = engine.measure_id(KEYS[k]).unwrap();
                    cols.put(i, month_number(y, m), u, mantissa, scale).unwrap();
                }
                _ => {
                    engine.apply(KEYS[k], &units[u].code, period, value).unwrap();
                }
            }
            values.insert((KEYS[k].into(), units[u].code.clone(), period), value);
        }
        engine.absorb(cols).unwrap();
        check(&engine, &plan, &units, &values)?;
        // One save at a time: new figures and corrections alike.
        for &(k, u, period, mantissa, scale) in &saves {
            let value = Decimal::new(mantissa, scale);
            let before = values.insert((KEYS[k].into(), units[u].code.clone(), period), value);
            let old = engine.apply(KEYS[k], &units[u].code, period, value).unwrap();
            prop_assert_eq!(old, before);
        }
        check(&engine, &plan, &units, &values)?;
    }
}

/// The worked case behind the property: a district missing for a month
/// leaves the province's month and year partial, and its figure completes
/// both.
#[test]
fn a_missing_district_leaves_the_province_partial_until_it_reports() {
    let (plan, units) = (plan(), units());
    let mut engine = Engine::new(MeasureDef::of_plan(&plan).unwrap(), units);
    for m in 1..=12 {
        engine.apply("flow", "X3", Period::Month(2024, m), Decimal::from(10)).unwrap();
        if m != 4 {
            engine.apply("flow", "X6", Period::Month(2024, m), Decimal::from(1)).unwrap();
        }
    }
    let record = |e: &Engine, p| e.record("flow", Scope::Unit("P2"), p).unwrap();
    // P2 has one district, D2, which has two communes: April is partial at
    // D2, so D2 is missing from P2's April.
    assert_eq!(
        record(&engine, Period::Month(2024, 3)),
        Some(Figure { value: Decimal::from(11), reported: 1, expected: 1 })
    );
    assert_eq!(record(&engine, Period::Month(2024, 4)), None);
    assert_eq!(
        engine.record("flow", Scope::Unit("D2"), Period::Month(2024, 4)).unwrap().map(|f| f.complete()),
        Some(false)
    );
    assert_eq!(record(&engine, Period::Year(2024)), None);
    // Whatever was reported, for a dashboard: every value that is in.
    assert_eq!(engine.figure("flow", Scope::Unit("P2"), Period::Year(2024)).unwrap(), Some(Decimal::from(131)));
    engine.apply("flow", "X6", Period::Month(2024, 4), Decimal::from(1)).unwrap();
    assert_eq!(
        record(&engine, Period::Year(2024)),
        Some(Figure { value: Decimal::from(132), reported: 1, expected: 1 })
    );
}

/// Units whose parents name each other are bad data, not a reason to hang
/// or panic: saves and questions end, as the ledger's do, and the units
/// outside the loop keep the ledger's figures.
#[test]
fn a_loop_in_parent_links_ends() {
    let (plan, mut units) = (plan(), units());
    // P1 → X1 → D1 → P1.
    units[1].parent = Some("X1".into());
    let mut engine = Engine::new(MeasureDef::of_plan(&plan).unwrap(), units.clone());
    let mut values = Values::new();
    for (u, m) in [("X1", 1), ("P1", 1), ("D1", 2), ("X1", 2), ("X2", 1), ("X3", 1), ("X6", 1), ("X3", 2)] {
        for key in ["flow", "stock"] {
            engine.apply(key, u, Period::Month(2025, m), Decimal::from(3)).unwrap();
            values.insert((key.into(), u.into(), Period::Month(2025, m)), Decimal::from(3));
        }
    }
    let mut cols = engine.columns();
    cols.put(0, month_number(2025, 3), 7, 5, 0).unwrap();
    values.insert(("flow".into(), "X1".into(), Period::Month(2025, 3)), Decimal::from(5));
    engine.absorb(cols).unwrap();
    let reported = |k: &str, u: &str, p: Period| values.get(&(k.to_string(), u.to_string(), p)).copied();
    let ledger = Ledger::new(&plan, &units, &reported).unwrap();
    for u in &units {
        for p in periods() {
            let got = engine.record("flow", Scope::Unit(&u.code), p).unwrap();
            let _ = engine.figure("stock", Scope::Unit(&u.code), p).unwrap();
            if ["P2", "D2", "X2", "X3", "X6"].contains(&u.code.as_str()) {
                assert_eq!(got, ledger.figure("flow", &u.code, p), "{} for {p}", u.code);
            }
        }
    }
    assert_eq!(
        engine.record("flow", Scope::Unit("P2"), Period::Month(2025, 1)).unwrap(),
        Some(Figure { value: Decimal::from(6), reported: 1, expected: 1 })
    );
    let _ = engine.record("flow", Scope::Nation, Period::Year(2025)).unwrap();
}
