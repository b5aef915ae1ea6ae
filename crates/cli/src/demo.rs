//! An illustrative year for demonstrations (`kehoach init --demo`): monthly
//! figures for every measure around its target, generated deterministically.
//! They are stored with the origin `illustrative`, shown as MINH HỌA, and
//! never mixed with published or entered figures.

use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus};
use kehoach_domain::{Aggregation, Comparator, Measure, Plan};
use kehoach_store::NewValue;
use rust_decimal::Decimal;

// The same plan always gives the same demonstration.
use crate::splitmix::SplitMix as Mix;

impl Mix {
    /// A factor between 1 - spread and 1 + spread, in thousandths.
    fn factor(&mut self, spread_permille: u64) -> Decimal {
        let r = self.next() % (2 * spread_permille + 1);
        Decimal::new(1000 + r as i64 - spread_permille as i64, 3)
    }
}

fn target_of(m: &Measure) -> Decimal {
    m.value.or(m.high).or(m.low).unwrap_or(Decimal::ONE)
}

/// Twelve months of the plan year (and last year's, as the base and profile)
/// for every measure with a figure, at the unit given.
pub fn illustrative_year(plan: &Plan, unit: &str) -> Vec<NewValue> {
    let mut out = Vec::new();
    for (i, m) in plan.measures().enumerate() {
        let mut mix = Mix(0x6b65_686f_6163_6800 ^ ((i as u64 + 1) * 0x1000_0193));
        let target = target_of(m);
        for year in [plan.year - 1, plan.year] {
            let level = if year == plan.year { mix.factor(120) } else { mix.factor(150) * Decimal::new(93, 2) };
            for month in 1..=12u32 {
                let value = match (m.comparator, m.aggregation) {
                    (Comparator::Zero, _) => Decimal::from(mix.next().is_multiple_of(20) as i64),
                    (Comparator::Decrease | Comparator::Increase, _) => Decimal::from(40 + (mix.next() % 30) as i64),
                    (Comparator::CompleteBy, _) => (target * Decimal::from(month) / Decimal::from(12)).round_dp(1),
                    // A flow: a twelfth of the year each month, with seasons.
                    (_, Aggregation::Sum) => (target * level * mix.factor(250) / Decimal::from(12)).round_dp(2),
                    // A rate or a stock: near its level all year.
                    _ => (target * level * mix.factor(30)).round_dp(2),
                };
                out.push(demo_value(m, unit, Period::Month(year, month), value));
            }
        }
    }
    out
}

fn demo_value(m: &Measure, unit: &str, period: Period, value: Decimal) -> NewValue {
    NewValue {
        measure: m.key.clone(),
        org_unit: unit.to_string(),
        period,
        value,
        status: ValueStatus::Estimate,
        note: "MINH HỌA — số liệu giả lập, không phải số liệu thật".into(),
        origin: Origin::Illustrative,
        agency: None,
        expected_version: None,
    }
}
