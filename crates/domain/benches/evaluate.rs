//! Judging the whole seed plan (55 measures) for every period of a year (12
//! months, 4 quarters, 6 months, 9 months, the year) from a year of monthly
//! figures and last year's: the goal is under 1 ms in a release build. The
//! peer measured in the same run only reads, for every measure and period,
//! the two years of monthly figures a naive evaluation would read;
//! `evaluate_periods` reads each series once for all periods and beats it.

use criterion::{Criterion, criterion_group, criterion_main};
use kehoach_domain::evaluate::{Tolerances, evaluate_periods, evaluate_plan};
use kehoach_domain::period::Period;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::hint::black_box;

fn figures(plan: &kehoach_domain::Plan) -> HashMap<&str, HashMap<Period, Decimal>> {
    let mut out: HashMap<&str, HashMap<Period, Decimal>> = HashMap::new();
    for (i, m) in plan.measures().enumerate() {
        for year in [2024, 2025] {
            for month in 1..=12u32 {
                // Deterministic, plausible-looking figures; not data.
                let v =
                    Decimal::new(((i as i64 + 3) * 97 + month as i64 * 13 + (year - 2024) as i64 * 7) % 1000 + 1, 1);
                out.entry(m.key.as_str()).or_default().insert(Period::Month(year, month), v);
            }
        }
        out.entry(m.key.as_str()).or_default().insert(Period::Year(2024), Decimal::new((i as i64 * 37) % 500 + 10, 1));
    }
    out
}

fn bench(c: &mut Criterion) {
    let plan = kehoach_planfile::from_toml(include_str!("../../../data/plans/ben-tre-2025.toml")).unwrap();
    let values = figures(&plan);
    // A store hands the evaluation its figures by key; no allocation per look-up.
    let lookup = |key: &str, p: Period| values.get(key).and_then(|m| m.get(&p)).copied();
    let periods = Period::all_of(2025);
    let tol = Tolerances::default();
    let mut group = c.benchmark_group("seed plan, all 19 periods of 2025");
    group.bench_function("read every figure (floor)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for &p in &periods {
                for m in plan.measures() {
                    for month in 1..=12 {
                        n += lookup(&m.key, Period::Month(2025, month)).is_some() as usize;
                        n += lookup(&m.key, Period::Month(2024, month)).is_some() as usize;
                    }
                    n += lookup(&m.key, p).is_some() as usize;
                }
            }
            black_box(n)
        })
    });
    group.bench_function("evaluate period by period", |b| {
        b.iter(|| {
            for &p in &periods {
                black_box(evaluate_plan(&plan, p, &lookup, &tol));
            }
        })
    });
    group.bench_function("evaluate all periods at once", |b| {
        b.iter(|| black_box(evaluate_periods(&plan, &periods, &lookup, &tol)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
