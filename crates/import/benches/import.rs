//! Reading speed: the seed resolution, as text and as DOCX, against a budget
//! of 100 ms (issue: "well under 100 ms in a release build"). The peer in the
//! same run is the cost of only normalising the text (NFC, line ends), the
//! floor any reader pays; the report shows both.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const SEED: &str = include_str!("../tests/data/ben-tre-2025-nghi-quyet.txt");

fn reading(c: &mut Criterion) {
    let docx = kehoach_import::docx::testing::docx_of_text(SEED);
    let mut group = c.benchmark_group("seed");
    group.bench_function("normalise only (floor)", |b| b.iter(|| kehoach_import::text::Source::new(black_box(SEED))));
    group.bench_function("import text", |b| {
        b.iter(|| kehoach_import::import_bytes(black_box(SEED.as_bytes())).unwrap())
    });
    group.bench_function("import docx", |b| b.iter(|| kehoach_import::import_bytes(black_box(&docx)).unwrap()));
    group.finish();
}

criterion_group!(benches, reading);
criterion_main!(benches);
