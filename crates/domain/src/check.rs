//! Consistency checks on a plan (`kehoach check`): what a reviewer should look
//! at before the plan is confirmed.

use rust_decimal::Decimal;
use std::collections::HashSet;
use std::fmt;

use crate::number::format_vi;
use crate::plan::{Comparator, Measure, MeasureKind, Plan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The plan cannot be right as it stands.
    Error,
    /// Probably wrong; a person should look.
    Warning,
    /// Marked for review by the reader.
    Review,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Review => "review",
        })
    }
}

/// One thing the checks found, tied to the item and its source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The measure, target or task key.
    pub key: String,
    /// The first line of the item in the source, when known.
    pub line: Option<u32>,
    /// What is wrong, as a kind: worded in English by `Display` (the
    /// command line), and in the interface's language by the web.
    pub problem: Problem,
}

/// What the checks can find. The figures are as the plan holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Two measures share a key.
    KeyTwice,
    /// A range whose low end is above its high end.
    LowAboveHigh { low: Decimal, high: Decimal },
    /// A range that lacks an end.
    RangeNeedsBoth,
    /// A comparator that takes a figure has none.
    NeedsValue { comparator: Comparator },
    /// A figure with no unit.
    NoUnit,
    /// A percentage that is not a growth or a change, outside 0–100.
    PercentOutside { value: Decimal },
    /// A deadline in another year than the plan's.
    DeadlineOutsideYear { deadline: chrono::NaiveDate, year: i32 },
    /// The shares of one structure do not add up to 100 % (the keys added).
    SharesNot100 { total: Decimal, shares: Vec<String> },
    /// A part ("trong đó") larger than its total.
    PartExceedsTotal { part: String, value: Decimal, total: String, total_value: Decimal, unit: String },
    /// The parts of a total add up to more than it.
    PartsExceedTotal { sum: Decimal, total_value: Decimal, unit: String },
    /// A task that restates a measure's figure, which would be counted twice.
    TaskRepeatsMeasure { task: String, measure: String, quantity: Decimal, unit: String },
    /// A derived measure's formula that cannot be used.
    Formula(crate::formula::FormulaError),
    /// What the reader flagged on the item: the field in doubt and why.
    Review { field: String, reason: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyTwice => f.write_str("the key is used twice"),
            Self::LowAboveHigh { low, high } => {
                write!(f, "low end {} is above high end {}", format_vi(*low), format_vi(*high))
            }
            Self::RangeNeedsBoth => f.write_str("a range needs both low and high"),
            Self::NeedsValue { comparator } => write!(f, "comparator {comparator} needs a value"),
            Self::NoUnit => f.write_str("the figure has no unit"),
            Self::PercentOutside { value } => write!(f, "{}% is outside 0–100 %", format_vi(*value)),
            Self::DeadlineOutsideYear { deadline, year } => {
                write!(f, "deadline {} is outside the plan year {year}", deadline.format("%d/%m/%Y"))
            }
            Self::SharesNot100 { total, shares } => {
                write!(f, "the shares add up to {}%, not 100% ({})", format_vi(*total), shares.join(" + "))
            }
            Self::PartExceedsTotal { part, value, total, total_value, unit } => write!(
                f,
                "part {part} ({} {unit}) exceeds its total {total} ({} {unit})",
                format_vi(*value),
                format_vi(*total_value)
            ),
            Self::PartsExceedTotal { sum, total_value, unit } => write!(
                f,
                "its parts add up to {} {unit}, more than the total {} {unit}",
                format_vi(*sum),
                format_vi(*total_value)
            ),
            Self::TaskRepeatsMeasure { task, measure, quantity, unit } => {
                write!(f, "task {task} repeats measure {measure} ({} {unit}): track it once", format_vi(*quantity))
            }
            Self::Formula(e) => write!(f, "formula: {e}"),
            Self::Review { field, reason } => write!(f, "{field}: {reason}"),
        }
    }
}

/// Runs every check; findings come in plan order.
pub fn check(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    for target in &plan.targets {
        review_findings(&target.code, target.source.line, &target.review, &mut findings);
        for m in &target.measures {
            if !seen.insert(m.key.as_str()) {
                findings.push(measure_finding(Severity::Error, m, Problem::KeyTwice));
            }
            check_numbers(plan, m, &mut findings);
            review_findings(&m.key, m.source.line, &m.review, &mut findings);
        }
        check_shares(target.code.as_str(), &target.measures, &mut findings);
        check_parts(plan, &target.measures, &mut findings);
    }
    check_tasks(plan, &mut findings);
    if let Err(e) = crate::ledger::derived(plan) {
        let line = plan.measure(&e.key).map_or(0, |m| m.source.line);
        findings.push(finding(Severity::Error, &e.key, line, Problem::Formula(e.error)));
    }
    findings
}

fn finding(severity: Severity, key: &str, line: u32, problem: Problem) -> Finding {
    Finding { severity, key: key.to_string(), line: (line > 0).then_some(line), problem }
}

/// What the reader flagged on an item, as findings to review.
fn review_findings(key: &str, line: u32, flags: &[crate::plan::ReviewFlag], out: &mut Vec<Finding>) {
    out.extend(flags.iter().map(|flag| {
        let problem = Problem::Review { field: flag.field.clone(), reason: flag.reason.clone() };
        finding(Severity::Review, key, line, problem)
    }));
}

fn measure_finding(severity: Severity, m: &Measure, problem: Problem) -> Finding {
    finding(severity, &m.key, m.source.line, problem)
}

fn check_numbers(plan: &Plan, m: &Measure, out: &mut Vec<Finding>) {
    match (m.low, m.high) {
        (Some(low), Some(high)) if low > high => {
            out.push(measure_finding(Severity::Error, m, Problem::LowAboveHigh { low, high }))
        }
        _ => {}
    }
    if m.comparator.is_range() && (m.low.is_none() || m.high.is_none()) {
        out.push(measure_finding(Severity::Error, m, Problem::RangeNeedsBoth));
    }
    let needs_value =
        !m.comparator.is_range() && !m.comparator.is_qualitative() && m.comparator != Comparator::CompleteBy;
    if needs_value && m.value.is_none() && m.low.is_none() {
        out.push(measure_finding(Severity::Error, m, Problem::NeedsValue { comparator: m.comparator }));
    }
    if (m.value.is_some() || m.low.is_some()) && m.unit.trim().is_empty() {
        out.push(measure_finding(Severity::Warning, m, Problem::NoUnit));
    }
    if m.unit == "%" && m.kind != MeasureKind::Growth && m.kind != MeasureKind::Change {
        for v in [m.value, m.low, m.high].into_iter().flatten() {
            if v > Decimal::ONE_HUNDRED || v < Decimal::ZERO {
                out.push(measure_finding(Severity::Warning, m, Problem::PercentOutside { value: v }));
            }
        }
    }
    if let Some(deadline) = m.deadline {
        use chrono::Datelike;
        if deadline.year() != plan.year {
            out.push(measure_finding(Severity::Warning, m, Problem::DeadlineOutsideYear { deadline, year: plan.year }));
        }
    }
}

/// Shares of one structure (cơ cấu kinh tế) should add up to 100 %.
fn check_shares(code: &str, measures: &[Measure], out: &mut Vec<Finding>) {
    let shares: Vec<&Measure> = measures.iter().filter(|m| m.kind == MeasureKind::Share && m.unit == "%").collect();
    if shares.len() < 2 {
        return;
    }
    let total: Decimal = shares.iter().filter_map(|m| m.value).sum();
    // Published structures are rounded to two decimals per share.
    let tolerance = Decimal::new(5, 1);
    if (total - Decimal::ONE_HUNDRED).abs() > tolerance {
        out.push(finding(
            Severity::Warning,
            code,
            shares[0].source.line,
            Problem::SharesNot100 { total, shares: shares.iter().map(|m| m.key.clone()).collect() },
        ));
    }
}

/// Parts (“trong đó”) of a level or a count can't exceed their total.
fn check_parts(plan: &Plan, measures: &[Measure], out: &mut Vec<Finding>) {
    for total in measures {
        if !matches!(total.kind, MeasureKind::Level | MeasureKind::Count) {
            continue;
        }
        let Some(total_value) = total.value else { continue };
        let parts: Vec<&Measure> = plan
            .measures()
            .filter(|m| m.part_of.as_deref() == Some(total.key.as_str()) && m.unit == total.unit && m.value.is_some())
            .collect();
        for part in &parts {
            let v = part.value.unwrap_or_default();
            if v > total_value {
                out.push(measure_finding(
                    Severity::Error,
                    part,
                    Problem::PartExceedsTotal {
                        part: part.key.clone(),
                        value: v,
                        total: total.key.clone(),
                        total_value,
                        unit: total.unit.clone(),
                    },
                ));
            }
        }
        let sum: Decimal = parts.iter().filter_map(|m| m.value).sum();
        if parts.len() > 1 && sum > total_value {
            out.push(measure_finding(
                Severity::Error,
                total,
                Problem::PartsExceedTotal { sum, total_value, unit: total.unit.clone() },
            ));
        }
    }
}

/// A task that restates a measure (same figure and unit) would be counted twice.
fn check_tasks(plan: &Plan, out: &mut Vec<Finding>) {
    for task in &plan.tasks {
        review_findings(&task.key, task.source.line, &task.review, out);
        if let Some(deadline) = task.deadline {
            use chrono::Datelike;
            if deadline.year() != plan.year {
                out.push(finding(
                    Severity::Warning,
                    &task.key,
                    task.source.line,
                    Problem::DeadlineOutsideYear { deadline, year: plan.year },
                ));
            }
        }
        let (Some(quantity), Some(unit)) = (task.quantity, task.unit.as_deref()) else { continue };
        for m in plan.measures() {
            if m.value == Some(quantity) && m.unit == unit {
                out.push(finding(
                    Severity::Warning,
                    &task.key,
                    task.source.line,
                    Problem::TaskRepeatsMeasure {
                        task: task.key.clone(),
                        measure: m.key.clone(),
                        quantity,
                        unit: unit.to_string(),
                    },
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Aggregation, Span, Target, Task};
    use std::str::FromStr;

    fn measure(key: &str, comparator: Comparator, value: &str, unit: &str, kind: MeasureKind) -> Measure {
        let m = Measure::new(key, key, comparator, kind, Aggregation::Sum);
        let (value, unit) = (Some(Decimal::from_str(value).unwrap()), unit.into());
        Measure { value, unit, source: Span { line: 7, end_line: 7, ..Span::default() }, ..m }
    }

    fn plan(measures: Vec<Measure>) -> Plan {
        Plan::new("X", 2025, vec![Target { title: "t".into(), ..Target::of("b", measures) }])
    }

    #[test]
    fn shares_must_add_to_100() {
        let ok = plan(vec![
            measure("b.1", Comparator::Equal, "33.10", "%", MeasureKind::Share),
            measure("b.2", Comparator::Equal, "21.64", "%", MeasureKind::Share),
            measure("b.3", Comparator::Equal, "41.97", "%", MeasureKind::Share),
            measure("b.4", Comparator::Equal, "3.30", "%", MeasureKind::Share),
        ]);
        assert!(check(&ok).is_empty(), "{:?}", check(&ok));
        let bad = plan(vec![
            measure("b.1", Comparator::Equal, "33.10", "%", MeasureKind::Share),
            measure("b.2", Comparator::Equal, "41.97", "%", MeasureKind::Share),
        ]);
        let found = check(&bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].problem.to_string().contains("75,07%"), "{}", found[0].problem);
        assert_eq!(found[0].line, Some(7));
    }

    #[test]
    fn parts_cannot_exceed_their_total() {
        let mut part = measure("e.2", Comparator::AtLeast, "7000", "tỷ đồng", MeasureKind::Level);
        part.part_of = Some("e.1".into());
        let p = plan(vec![measure("e.1", Comparator::AtLeast, "6388.3", "tỷ đồng", MeasureKind::Level), part]);
        let found = check(&p);
        assert!(
            found
                .iter()
                .any(|f| f.key == "e.2" && f.severity == Severity::Error && f.problem.to_string().contains("exceeds"))
        );
    }

    #[test]
    fn low_above_high_and_deadlines_outside_the_year() {
        let mut m = measure("a.1", Comparator::Between, "0", "%", MeasureKind::Growth);
        m.value = None;
        m.low = Some(Decimal::from(7));
        m.high = Some(Decimal::from(6));
        let mut d = measure("t.1", Comparator::CompleteBy, "100", "%", MeasureKind::Deadline);
        d.deadline = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
        let found = check(&plan(vec![m, d]));
        assert!(found.iter().any(|f| f.key == "a.1" && f.problem.to_string().contains("above high end")));
        assert!(found.iter().any(|f| f.key == "t.1" && f.problem.to_string().contains("outside the plan year 2025")));
    }

    #[test]
    fn a_task_repeating_a_measure_is_reported() {
        let mut p = plan(vec![measure("i.3", Comparator::AtLeast, "50", "doanh nghiệp", MeasureKind::Count)]);
        p.tasks.push(Task {
            key: "d.9".into(),
            group: "d".into(),
            action: "phấn đấu".into(),
            object: "doanh nghiệp chuyển lên từ hộ kinh doanh".into(),
            place: None,
            quantity: Some(Decimal::from(50)),
            unit: Some("doanh nghiệp".into()),
            deadline: None,
            text: String::new(),
            source: Span { line: 40, ..Span::default() },
            review: vec![],
        });
        let found = check(&p);
        assert!(
            found
                .iter()
                .any(|f| f.key == "d.9" && f.problem.to_string().contains("repeats measure i.3") && f.line == Some(40))
        );
    }
}
