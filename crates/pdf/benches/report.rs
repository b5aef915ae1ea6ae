//! A yearly report of the built-in plan with its published figures, in each
//! format. Goal: under 1 s per format in a release build. The peer measured
//! in the same run is the floor every format starts from: judging the plan
//! and building the report's model.

use criterion::{Criterion, criterion_group, criterion_main};
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_judge::Book;
use kehoach_report::model::Issuer;
use kehoach_store::{Against, StoredValue};
use std::collections::HashMap;

fn book() -> Book {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    let read = |p: &str| std::fs::read_to_string(format!("{data}/{p}")).expect("built-in data");
    let plan = kehoach_planfile::from_toml(&read("plans/ben-tre-2025.toml")).unwrap();
    let units = kehoach_planfile::org_units_from_toml(&read("org-units/ben-tre.toml")).unwrap();
    let rows = kehoach_values::read_csv(&read("ben-tre-published.csv"), &plan, &units).unwrap();
    let values: Vec<StoredValue> = rows
        .into_iter()
        .map(|r| StoredValue {
            measure: r.measure,
            org_unit: r.org_unit,
            period: r.period,
            version: 1,
            value: r.value,
            status: r.status,
            note: r.note,
            origin: Origin::Published,
            agency: None,
            workflow: kehoach_domain::value::Workflow::Recorded,
            entered_by: "bench".into(),
            entered_at: String::new(),
        })
        .collect();
    Book::new(1, plan, units, values).expect("the built-in plan's figures")
}

fn reports(c: &mut Criterion) {
    let book = book();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let model = || {
        let issuer = Issuer::planning_department(&book.plan, date);
        kehoach_report::gather::from_book(
            &book,
            Period::Year(2025),
            Against::Current,
            &HashMap::new(),
            &HashMap::new(),
            issuer,
            date,
        )
        .unwrap()
    };
    let report = model();
    let mut g = c.benchmark_group("yearly report");
    g.sample_size(10);
    g.bench_function("model (peer: judging and wording, shared by every format)", |b| b.iter(model));
    g.bench_function("xlsx", |b| b.iter(|| kehoach_report::xlsx::appendix(&report).unwrap()));
    g.bench_function("docx", |b| b.iter(|| kehoach_report::docx::report(&report).unwrap()));
    g.bench_function("pdf", |b| b.iter(|| kehoach_pdf::report(&report).unwrap()));
    g.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);
