//! The two outside forms of a plan:
//!
//! - the **plan file** (TOML) that a reviewer corrects and confirms, with each
//!   item's source sentence as a comment above it; it loads back unchanged;
//! - the **JSON view** that scripts and the API read, with numbers as JSON
//!   numbers (exact decimals, never through floating point).

use kehoach_domain::{Measure, Plan, Span, Task};
use rust_decimal::Decimal;
use serde_json::{Map, Number, Value, json};
use std::str::FromStr;
use toml_edit::{DocumentMut, Item, Table};

/// Why a plan file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
}

/// Writes the plan file: TOML with the source sentences as comments.
pub fn to_toml(plan: &Plan) -> String {
    let plain = toml::to_string(plan).expect("a plan always serialises to TOML");
    let mut doc: DocumentMut = plain.parse().expect("toml's own output parses");
    doc.decor_mut().set_prefix(header(plan));
    if let Some(targets) = doc.get_mut("targets").and_then(Item::as_array_of_tables_mut) {
        for (target, source) in targets.iter_mut().zip(&plan.targets) {
            inline_tables(target);
            target
                .decor_mut()
                .set_prefix(format!("\n{}", comment(&format!("{}) {}", source.code, source.source.quote))));
            if let Some(measures) = target.get_mut("measures").and_then(Item::as_array_of_tables_mut) {
                for (m, plan_m) in measures.iter_mut().zip(&source.measures) {
                    inline_tables(m);
                    m.decor_mut().set_prefix(format!("\n{}", comment(&measure_comment(plan_m))));
                }
            }
        }
    }
    if let Some(tasks) = doc.get_mut("tasks").and_then(Item::as_array_of_tables_mut) {
        for (t, task) in tasks.iter_mut().zip(&plan.tasks) {
            inline_tables(t);
            t.decor_mut().set_prefix(format!("\n{}", comment(&task_comment(task))));
        }
    }
    doc.to_string()
}

fn header(plan: &Plan) -> String {
    let mut lines = vec![
        format!("Kế hoạch phát triển kinh tế - xã hội năm {} — {}", plan.year, plan.region),
        "Tệp kế hoạch của kehoach: rà soát, sửa và xác nhận trước khi đưa vào theo dõi.".to_string(),
        "Plan file: review and correct it; `kehoach check FILE` checks it again.".to_string(),
        "Numbers are written as strings (\"6388.3\") so that they stay exact decimals.".to_string(),
    ];
    if let Some(file) = &plan.document.file {
        lines.push(format!("Read from: {file}"));
    }
    let flagged = plan.measures().filter(|m| !m.review.is_empty()).count();
    if flagged > 0 {
        lines.push(format!("{flagged} measure(s) carry a `review` note: look at those first."));
    }
    comment(&lines.join("\n"))
}

fn measure_comment(m: &Measure) -> String {
    format!("{} — {} — «{}» (line {})", m.key, m.target_text(), m.source.quote, m.source.line)
}

fn task_comment(t: &Task) -> String {
    format!("{} — «{}» (line {})", t.key, t.text, t.source.line)
}

/// `# ` comment lines, wrapped at about 100 characters.
fn comment(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + word.chars().count() > 98 {
                out.push_str(&format!("# {line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&format!("# {line}\n"));
    }
    out
}

/// Small tables (a source span, review notes) read better on one line; the
/// measures stay as `[[targets.measures]]` sections.
fn inline_tables(table: &mut Table) {
    let keys: Vec<String> = table
        .iter()
        .filter(|(k, v)| v.is_table() || (v.is_array_of_tables() && *k != "measures"))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in keys {
        if let Some(item) = table.get_mut(&key) {
            let taken = std::mem::take(item);
            *item = match taken.into_value() {
                Ok(mut v) => {
                    v.decor_mut().set_prefix(" ");
                    Item::Value(v)
                }
                Err(original) => original,
            };
        }
    }
}

/// Reads a file of organisation units (`[[units]]` tables, as in
/// `data/org-units/ben-tre.toml`).
pub fn org_units_from_toml(text: &str) -> Result<Vec<kehoach_domain::org::OrgUnit>, PlanFileError> {
    #[derive(serde::Deserialize)]
    struct File {
        units: Vec<kehoach_domain::org::OrgUnit>,
    }
    let file: File = toml::from_str(text)?;
    let mut seen = std::collections::HashSet::new();
    for u in &file.units {
        if !seen.insert(u.code.as_str()) {
            return Err(PlanFileError::Invalid { key: u.code.clone(), message: "the code is used twice".into() });
        }
    }
    for u in &file.units {
        for link in [&u.parent, &u.successor].into_iter().flatten() {
            if !seen.contains(link.as_str()) {
                return Err(PlanFileError::Invalid {
                    key: u.code.clone(),
                    message: format!("refers to an unknown unit {link}"),
                });
            }
        }
    }
    Ok(file.units)
}

/// Reads a file of agencies and the lead agency of each target letter (as in
/// `data/agencies/ben-tre.toml`); every measure of a target goes to its lead.
pub fn agencies_from_toml(
    text: &str,
    plan: &Plan,
) -> Result<(Vec<kehoach_domain::org::Agency>, Vec<kehoach_domain::org::Assignment>), PlanFileError> {
    #[derive(serde::Deserialize)]
    struct File {
        agencies: Vec<kehoach_domain::org::Agency>,
        #[serde(default)]
        leads: std::collections::BTreeMap<String, String>,
        /// Lead agency of each group of key tasks, by its letter.
        #[serde(default)]
        task_leads: std::collections::BTreeMap<String, String>,
    }
    let file: File = toml::from_str(text)?;
    let mut assignments = Vec::new();
    for (code, lead) in &file.leads {
        if !file.agencies.iter().any(|a| &a.code == lead) {
            return Err(PlanFileError::Invalid {
                key: code.clone(),
                message: format!("lead {lead} is not in the agencies"),
            });
        }
        let Some(target) = plan.targets.iter().find(|t| &t.code == code) else {
            return Err(PlanFileError::Invalid { key: code.clone(), message: "no such target in the plan".into() });
        };
        assignments.extend(target.measures.iter().map(|m| kehoach_domain::org::Assignment {
            measure: m.key.clone(),
            lead: lead.clone(),
            contributors: vec![],
        }));
    }
    for (group, lead) in &file.task_leads {
        if !file.agencies.iter().any(|a| &a.code == lead) {
            return Err(PlanFileError::Invalid {
                key: format!("task group {group}"),
                message: format!("lead {lead} is not in the agencies"),
            });
        }
        let tasks: Vec<_> = plan.tasks.iter().filter(|t| &t.group == group).collect();
        if tasks.is_empty() {
            return Err(PlanFileError::Invalid {
                key: format!("task group {group}"),
                message: "no such group of tasks in the plan".into(),
            });
        }
        assignments.extend(tasks.into_iter().map(|t| kehoach_domain::org::Assignment {
            measure: kehoach_domain::org::Assignment::task_key(&t.key),
            lead: lead.clone(),
            contributors: vec![],
        }));
    }
    Ok((file.agencies, assignments))
}

/// Reads a plan file back.
pub fn from_toml(text: &str) -> Result<Plan, PlanFileError> {
    let plan: Plan = toml::from_str(text)?;
    for m in plan.measures() {
        if m.comparator.is_range() && (m.low.is_none() || m.high.is_none()) {
            return Err(PlanFileError::Invalid {
                key: m.key.clone(),
                message: "comparator between needs low and high".into(),
            });
        }
    }
    Ok(plan)
}

fn number(d: Option<Decimal>) -> Value {
    match d {
        // With serde_json's arbitrary_precision the digits pass through as
        // written: 6388.3 stays 6388.3, 33.10 stays 33.10.
        Some(d) => Number::from_str(&d.to_string()).map(Value::Number).unwrap_or(Value::Null),
        None => Value::Null,
    }
}

fn span(s: &Span) -> Value {
    json!({"line": s.line, "end_line": s.end_line, "start": s.start, "end": s.end, "quote": s.quote})
}

fn review(flags: &[kehoach_domain::ReviewFlag]) -> Value {
    Value::Array(flags.iter().map(|f| json!({"field": f.field, "reason": f.reason})).collect())
}

/// The JSON view of a plan: the shape `kehoach import --json` prints.
pub fn to_json(plan: &Plan) -> Value {
    let targets: Vec<Value> = plan
        .targets
        .iter()
        .map(|t| {
            json!({
                "code": t.code,
                "title": t.title,
                "sector": t.sector,
                "measures": t.measures.iter().map(measure_json).collect::<Vec<_>>(),
                "source": span(&t.source),
                "review": review(&t.review),
            })
        })
        .collect();
    let tasks: Vec<Value> = plan
        .tasks
        .iter()
        .map(|t| {
            json!({
                "key": t.key,
                "group": t.group,
                "action": t.action,
                "object": t.object,
                "place": t.place,
                "quantity": number(t.quantity),
                "unit": t.unit,
                "deadline": t.deadline.map(|d| d.to_string()),
                "text": t.text,
                "source": span(&t.source),
                "review": review(&t.review),
            })
        })
        .collect();
    let d = &plan.document;
    json!({
        "region": plan.region,
        "year": plan.year,
        "document": {
            "number": d.number, "title": d.title, "body": d.body,
            "adopted": d.adopted.map(|x| x.to_string()), "effective": d.effective.map(|x| x.to_string()),
            "file": d.file,
        },
        "targets": targets,
        "tasks": tasks,
        "review": review(&plan.review),
    })
}

fn measure_json(m: &Measure) -> Value {
    let mut obj = Map::new();
    obj.insert("key".into(), json!(m.key));
    obj.insert("name".into(), json!(m.name));
    obj.insert("comparator".into(), json!(m.comparator.as_str()));
    obj.insert("value".into(), number(m.value));
    obj.insert("low".into(), number(m.low));
    obj.insert("high".into(), number(m.high));
    obj.insert("unit".into(), json!(m.unit));
    obj.insert("deadline".into(), json!(m.deadline.map(|d| d.to_string())));
    obj.insert("subjects".into(), json!(m.subjects));
    obj.insert("kind".into(), json!(m.kind.as_str()));
    obj.insert("aggregation".into(), json!(m.aggregation));
    obj.insert("stretch".into(), json!(m.stretch));
    obj.insert("part_of".into(), json!(m.part_of));
    obj.insert("indicator".into(), json!(m.indicator));
    obj.insert("target_text".into(), json!(m.target_text()));
    obj.insert("source".into(), span(&m.source));
    obj.insert("review".into(), review(&m.review));
    Value::Object(obj)
}
