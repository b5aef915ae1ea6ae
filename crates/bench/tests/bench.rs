//! `kehoach-bench`: the generator is deterministic, and the engine's answers
//! on its data agree with a sum computed here straight from the CSV.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn kehoach(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kehoach-bench")).args(args).output().expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn generate(dir: &Path, seed: &str) {
    let d = dir.to_str().unwrap();
    let args = ["gen", "--communes", "90", "--provinces", "3", "--measures", "9", "--months", "24"];
    kehoach(&[&args[..], &["--density", "0.8", "--seed", seed, "-o", d]].concat());
}

#[test]
fn the_generator_is_deterministic_and_the_engine_sums_its_data() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    generate(&a, "42");
    generate(&b, "42");
    generate(&c, "43");
    for f in ["datavalue.csv", "orgunit.csv", "population.csv"] {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
    }
    assert_ne!(std::fs::read(a.join("datavalue.csv")).unwrap(), std::fs::read(c.join("datavalue.csv")).unwrap());

    let answers = tmp.path().join("answers");
    let out = kehoach(&["run", "--data", a.to_str().unwrap(), "--runs", "1", "--answers", answers.to_str().unwrap()]);
    assert!(out.contains("\"q5_ms\""), "{out}");

    // Q1 by hand: 2025 totals per indicator and province, in cents.
    let orgunit = std::fs::read_to_string(a.join("orgunit.csv")).unwrap();
    let province: HashMap<&str, &str> = orgunit.lines().skip(1).filter_map(|l| l.split_once(',')).collect();
    let values = std::fs::read_to_string(a.join("datavalue.csv")).unwrap();
    let mut want: HashMap<(String, String), i64> = HashMap::new();
    for l in values.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if !f[2].starts_with("2025") {
            continue;
        }
        let cents = match f[3].split_once('.') {
            Some((i, d)) => i.parse::<i64>().unwrap() * 100 + d.parse::<i64>().unwrap(),
            None => f[3].parse::<i64>().unwrap() * 100,
        };
        *want.entry((f[0].to_string(), province[f[1]].to_string())).or_default() += cents;
    }
    let q1 = std::fs::read_to_string(answers.join("q1.csv")).unwrap();
    let mut got: HashMap<(String, String), i64> = HashMap::new();
    for l in q1.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let v: rust_decimal::Decimal = f[2].parse().unwrap();
        let cents = (v * rust_decimal::Decimal::ONE_HUNDRED).normalize();
        got.insert((f[0].to_string(), f[1].to_string()), cents.to_string().parse().unwrap());
    }
    assert_eq!(got, want);
}
