//! Reported figures from a CSV file, as `kehoach values import` takes them:
//!
//! ```text
//! measure,period,org_unit,value,status,note
//! a.1,2025-9M,Vĩnh Long,"6,33",estimate,"vietnam.vn, 10/2025"
//! ```
//!
//! `measure` is a key of the plan (`c.1`); `period` is `2025`, `2025-H1`,
//! `2025-9M`, `2025-Q3` or `2025-09`; `org_unit` a code or name (empty: the
//! plan's province); `value` in Vietnamese or plain notation (`1.850,5`,
//! `1850.5`); `status` estimate, preliminary or official (in English or
//! Vietnamese; empty: estimate). The file is read all or nothing: any bad row
//! rejects it, with every error listed by line and column.

use kehoach_domain::Plan;
use kehoach_domain::number::parse_decimal;
use kehoach_domain::org::{self, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::value::ValueStatus;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// One figure, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    /// The line of the file (1 is the header).
    pub line: usize,
    pub measure: String,
    pub period: Period,
    /// The unit's code.
    pub org_unit: String,
    pub value: Decimal,
    pub status: ValueStatus,
    pub note: String,
}

/// What is wrong with one cell (or the file), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
        }
    }
}

/// Every error of a rejected file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s), nothing imported:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Rejected(pub Vec<RowError>);

/// The longest note a figure may carry, as on the entry form.
pub const MAX_NOTE: usize = 1000;

/// How far back a figure may go: the bases and comparisons a plan is
/// judged on (last year, a five-year plan's base year) are well within it.
pub const YEARS_BEFORE: i32 = 10;

const COLUMNS: [&str; 6] = ["measure", "period", "org_unit", "value", "status", "note"];
const REQUIRED: [&str; 3] = ["measure", "period", "value"];

/// Reads a CSV of figures for a yearly `plan`; units are matched against
/// `units`.
pub fn read_csv(text: &str, plan: &Plan, units: &[OrgUnit]) -> Result<Vec<ValueRow>, Rejected> {
    read_csv_until(text, plan, units, plan.year)
}

/// Reads a CSV of figures for `plan` whose span ends in `last_year` (a
/// five-year plan takes figures up to its last year).
pub fn read_csv_until(text: &str, plan: &Plan, units: &[OrgUnit], last_year: i32) -> Result<Vec<ValueRow>, Rejected> {
    let text: String = text.trim_start_matches('\u{feff}').nfc().collect();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(e) => return Err(Rejected(vec![RowError { line: 1, column: String::new(), message: e.to_string() }])),
    };
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            errors.push(RowError {
                line: 1,
                column: (i + 1).to_string(),
                message: format!("unknown column “{name}” (expected {})", COLUMNS.join(",")),
            });
        }
    }
    for required in REQUIRED {
        if !header.iter().any(|h| h == required) {
            errors.push(RowError {
                line: 1,
                column: String::new(),
                message: format!("the column “{required}” is missing"),
            });
        }
    }
    if !errors.is_empty() {
        return Err(Rejected(errors));
    }
    let at = |name: &str| header.iter().position(|h| h == name);
    let default_unit = org::home_code(plan, units);
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, Period, String, ValueStatus), usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(RowError { line, column: String::new(), message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            errors.push(RowError {
                line,
                column: String::new(),
                message: format!("{} cells where the header has {}", record.len(), header.len()),
            });
            continue;
        }
        let cell = |name: &str| at(name).and_then(|i| record.get(i)).unwrap_or("");
        let mut bad = |column: &str, message: String| errors.push(RowError { line, column: column.into(), message });

        let measure = cell("measure");
        if !plan.reports(measure) {
            bad("measure", format!("no measure or component “{measure}” in the plan"));
        }
        let period = match cell("period").parse::<Period>() {
            Ok(p) if p.year() > last_year && last_year == plan.year => {
                bad("period", format!("{p} is after the plan year {}", plan.year));
                None
            }
            Ok(p) if p.year() > last_year => {
                bad("period", format!("{p} is after the plan's last year {last_year}"));
                None
            }
            Ok(p) if p.year() < plan.year - YEARS_BEFORE => {
                bad(
                    "period",
                    format!(
                        "{p} is more than {YEARS_BEFORE} years before the plan year {}: a typing mistake?",
                        plan.year
                    ),
                );
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                bad("period", e.to_string());
                None
            }
        };
        let unit_text = cell("org_unit");
        let unit = if unit_text.is_empty() {
            default_unit.clone().or_else(|| {
                bad("org_unit", format!("no unit given and the plan's region “{}” is not a known unit", plan.region));
                None
            })
        } else {
            match org::find(units, unit_text) {
                Some(u) => Some(u.code.clone()),
                None => {
                    bad("org_unit", format!("no unit “{unit_text}”"));
                    None
                }
            }
        };
        // A plan is judged on its own region: a figure counts only for the
        // region itself (its area, in any period) or for a unit that made it
        // up during the period. Anything else would be stored and count for
        // nothing.
        let unit = match (unit, period, default_unit.as_deref()) {
            (Some(code), Some(p), Some(region)) => {
                let u = units.iter().find(|u| u.code == code).expect("found above");
                if org::counts_toward(units, u, region, p) {
                    Some(code)
                } else {
                    let region_name = units.iter().find(|r| r.code == region).map_or(region, |r| r.name.as_str());
                    let (start, end) = p.calendar();
                    bad(
                        "org_unit",
                        if org::existed_during(u, start, end) {
                            format!(
                                "{} ({}) is not part of {region_name} ({region}) in {p}: this plan is judged on \
                                 {region_name}'s own figures; give the figure for {region} or for a unit that made \
                                 it up in {p}",
                                u.name, u.code
                            )
                        } else {
                            format!(
                                "{} ({}) did not exist in {p}: give the figure for {region_name} ({region}) or for a \
                                 unit that made it up in {p}",
                                u.name, u.code
                            )
                        },
                    );
                    None
                }
            }
            (unit, ..) => unit,
        };
        let value = match parse_decimal(cell("value")) {
            Ok(v) => match plan.measure(measure).map(|m| kehoach_domain::value::check_figure(m.kind, &m.unit, v)) {
                Some(Err(why)) => {
                    bad("value", why.to_string());
                    None
                }
                _ => match kehoach_domain::value::storable(v) {
                    Ok(()) => Some(v),
                    Err(why) => {
                        bad("value", why.to_string());
                        None
                    }
                },
            },
            Err(e) => {
                bad("value", e.to_string());
                None
            }
        };
        // As on the entry form: a note says where a figure comes from, in a
        // few lines, not a document.
        if cell("note").chars().count() > MAX_NOTE {
            bad("note", format!("the note is longer than {MAX_NOTE} characters"));
        }
        let status_text = cell("status");
        let status = if status_text.is_empty() {
            Some(ValueStatus::Estimate)
        } else {
            match status_text.parse::<ValueStatus>() {
                Ok(s) => Some(s),
                Err(e) => {
                    bad("status", e);
                    None
                }
            }
        };
        if let (Some(period), Some(unit), Some(value), Some(status)) = (period, unit, value, status) {
            if !plan.reports(measure) {
                continue;
            }
            let key = (measure.to_string(), period, unit.clone(), status);
            if let Some(first) = seen.insert(key, line) {
                errors.push(RowError {
                    line,
                    column: String::new(),
                    message: format!("the same figure (measure, period, unit, status) as line {first}"),
                });
                continue;
            }
            rows.push(ValueRow {
                line,
                measure: measure.to_string(),
                period,
                org_unit: unit,
                value,
                status,
                note: cell("note").to_string(),
            });
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(Rejected(errors)) }
}
