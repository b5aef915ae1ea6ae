//! The scoring rules of `facts-check` (tests/data/facts-check), in Rust, so
//! that `cargo test` holds the reader to the same bar as the shared script.

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub matched: usize,
    pub expected: usize,
    pub precision: f64,
    pub tasks: usize,
    pub tasks_expected: usize,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "measures {}/{} recall, {:.2} precision; tasks {}/{}",
            self.matched, self.expected, self.precision, self.tasks, self.tasks_expected
        )
    }
}

fn norm(v: &Value) -> String {
    let s = match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    s.nfc().collect::<String>().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn close(a: &Value, b: &Value) -> bool {
    match (num(a), num(b)) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        _ => false,
    }
}

fn numbers_match(fact: &Value, m: &Value) -> bool {
    if fact.get("value").is_some() {
        close(&m["value"], &fact["value"])
    } else {
        close(&m["low"], &fact["low"]) && close(&m["high"], &fact["high"])
    }
}

fn unit_match(fact: &Value, m: &Value) -> bool {
    let unit = norm(&m["unit"]);
    match fact.get("unit") {
        Some(u) => unit == norm(u),
        None => fact["unit_any"].as_array().is_some_and(|a| a.iter().any(|u| norm(u) == unit)),
    }
}

fn fact_matches(fact: &Value, m: &Value) -> bool {
    let comparator = norm(&m["comparator"]);
    if !fact["comparator"].as_array().is_some_and(|a| a.iter().any(|c| c.as_str() == Some(comparator.as_str()))) {
        return false;
    }
    if let Some(deadline) = fact.get("deadline") {
        let got = m["deadline"].as_str().unwrap_or("");
        if got.get(..10) != deadline.as_str() {
            return false;
        }
    }
    let mut readings = vec![fact];
    if let Some(others) = fact.get("any_of").and_then(Value::as_array) {
        readings.extend(others.iter());
    }
    readings.iter().any(|r| numbers_match(r, m) && unit_match(r, m))
}

/// Scores a plan (the JSON view) against a facts file.
pub fn score(facts: &Value, plan: &Value) -> Score {
    let mut by_code: Vec<(String, Vec<Value>)> = Vec::new();
    for t in plan["targets"].as_array().into_iter().flatten() {
        let code = norm(&t["code"]);
        let measures = t["measures"].as_array().cloned().unwrap_or_default();
        match by_code.iter_mut().find(|(c, _)| *c == code) {
            Some((_, ms)) => ms.extend(measures),
            None => by_code.push((code, measures)),
        }
    }
    let everything: Vec<(String, usize, &Value)> =
        by_code.iter().flat_map(|(c, ms)| ms.iter().enumerate().map(move |(i, m)| (c.clone(), i, m))).collect();
    let (mut expected, mut matched) = (0, 0);
    let mut used: Vec<(String, usize)> = Vec::new();
    for t in facts["targets"].as_array().into_iter().flatten() {
        let code = norm(&t["code"]);
        let got: Vec<&(String, usize, &Value)> =
            everything.iter().filter(|(c, _, _)| code == "*" || *c == code).collect();
        for fact in t["measures"].as_array().into_iter().flatten() {
            expected += 1;
            let hit = got
                .iter()
                .filter(|(_, _, m)| fact_matches(fact, m))
                .map(|(c, i, _)| (c.clone(), *i))
                .find(|key| !used.contains(key));
            if let Some(key) = hit {
                matched += 1;
                used.push(key);
            }
        }
        if let Some(names) = t.get("named_units").and_then(Value::as_array) {
            let subjects: Vec<String> = got
                .iter()
                .flat_map(|(_, _, m)| m["subjects"].as_array().cloned().unwrap_or_default())
                .map(|s| norm(&s))
                .collect();
            for name in names {
                expected += 1;
                if subjects.contains(&norm(name)) {
                    matched += 1;
                }
            }
        }
    }
    let qualitative = ["zero", "decrease", "increase"];
    let numeric_produced = everything
        .iter()
        .filter(|(_, _, m)| {
            (!m["value"].is_null() || !m["low"].is_null()) && !qualitative.contains(&norm(&m["comparator"]).as_str())
        })
        .count();
    let precision = if numeric_produced > 0 { used.len() as f64 / numeric_produced as f64 } else { 0.0 };

    let tasks = plan["tasks"].as_array().cloned().unwrap_or_default();
    let facts_tasks = facts["tasks"].as_array().cloned().unwrap_or_default();
    let task_hits = facts_tasks
        .iter()
        .filter(|ft| {
            tasks.iter().any(|pt| {
                let hay = norm(&Value::String(format!("{} {}", text(&pt["object"]), text(&pt["text"]))));
                if !hay.contains(&norm(&ft["object"])) {
                    return false;
                }
                if ft.get("group").is_some() && norm(&pt["group"]) != norm(&ft["group"]) {
                    return false;
                }
                if let Some(action) = ft.get("action") {
                    let hay = norm(&Value::String(format!("{} {}", text(&pt["action"]), text(&pt["text"]))));
                    if !hay.contains(&norm(action)) {
                        return false;
                    }
                }
                if ft.get("quantity").is_some()
                    && !(close(&pt["quantity"], &ft["quantity"]) && norm(&pt["unit"]) == norm(&ft["unit"]))
                {
                    return false;
                }
                true
            })
        })
        .count();
    Score { matched, expected, precision, tasks: task_hits, tasks_expected: facts_tasks.len() }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads a file of the test data folder.
pub fn data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn facts(name: &str) -> Value {
    serde_json::from_slice(&data(name)).expect("facts file is JSON")
}
