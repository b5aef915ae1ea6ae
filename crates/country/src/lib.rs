//! The country's administrative units (đơn vị hành chính) with their official
//! codes: until 30/06/2025 63 provinces, 696 district-level units and 10,035
//! communes; from 01/07/2025 34 provinces and 3,321 communes (Decision
//! 19/2025/QĐ-TTg), no districts; the country itself, `VN`; and which old
//! units make up each new one. The data are `data/units/*.tsv`, regenerated
//! by `scripts/units/generate.py` from the MIT-licensed `vietnamadminunits`
//! package (source and licence beside them) and embedded here, so the build
//! needs no Python and a new database can hold the whole country.
//!
//! A unit's `successor` is set where figures carry over whole: an old
//! province to the new one it merged into; an old district, abolished, to
//! the new province of its old province; an old commune to the one new
//! commune it went into whole. A commune divided between several new ones
//! has no successor: its parts are said in [`Country::lineage`].

mod collate;

pub use collate::{compare_vi, fold, sort_vi};

use chrono::NaiveDate;
use kehoach_domain::org::{Lineage, OrgLevel, OrgUnit};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The day the units of the reform began.
pub const REFORM: NaiveDate = NaiveDate::from_ymd_opt(2025, 7, 1).expect("a date");

const UNITS: &str = include_str!("../../../data/units/units.tsv");
const LINEAGE: &str = include_str!("../../../data/units/lineage.tsv");

/// Every unit that existed, and the lineage between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub units: Vec<OrgUnit>,
    pub lineage: Vec<Lineage>,
}

/// A line of the data that cannot be read: which file, which line, why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {why}")]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub why: String,
}

/// The country as shipped (read once).
pub fn country() -> &'static Country {
    static COUNTRY: LazyLock<Country> =
        LazyLock::new(|| Country::read(UNITS, LINEAGE).expect("the embedded units are checked by the tests"));
    &COUNTRY
}

impl Country {
    /// Reads units and lineage in the form of `data/units`.
    pub fn read(units: &str, lineage: &str) -> Result<Self, DataError> {
        let mut all = Vec::new();
        for (line, fields) in rows(units) {
            let bad = |why: String| DataError { file: "units.tsv", line, why };
            let [code, level, name, parent, from, to] = fields[..] else {
                return Err(bad(format!("{} fields, not 6", fields.len())));
            };
            let date = |text: &str| {
                (!text.is_empty())
                    .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
                    .transpose()
                    .map_err(|_| bad(format!("“{text}” is not a date (YYYY-MM-DD)")))
            };
            let level: OrgLevel = level.parse().map_err(bad)?;
            let parent = (!parent.is_empty()).then_some(parent);
            let unit =
                OrgUnit { valid_from: date(from)?, valid_to: date(to)?, ..OrgUnit::new(code, name, level, parent) };
            all.push(unit);
        }
        let mut links = Vec::new();
        for (line, fields) in rows(lineage) {
            let bad = |why: String| DataError { file: "lineage.tsv", line, why };
            let [_level, new, old, whole] = fields[..] else {
                return Err(bad(format!("{} fields, not 4", fields.len())));
            };
            let whole = match whole {
                "yes" => true,
                "no" => false,
                other => return Err(bad(format!("“{other}” is neither yes nor no"))),
            };
            links.push(Lineage { successor: new.into(), from: REFORM, predecessor: old.into(), whole });
        }
        let mut country = Self { units: all, lineage: links };
        country.set_successors();
        Ok(country)
    }

    /// Sets each old unit's `successor` where its figures carry over whole.
    fn set_successors(&mut self) {
        let before = REFORM.pred_opt().expect("a day before");
        let mut whole: HashMap<&str, Vec<&str>> = HashMap::new();
        for l in self.lineage.iter().filter(|l| l.whole) {
            whole.entry(l.predecessor.as_str()).or_default().push(&l.successor);
        }
        let old_province = |unit: &OrgUnit| unit.level == OrgLevel::Province && unit.valid_to == Some(before);
        let province_successor: HashMap<String, String> = self
            .units
            .iter()
            .filter(|u| old_province(u))
            .filter_map(|u| match whole.get(u.code.as_str()).map(Vec::as_slice) {
                Some([one]) => Some((u.code.clone(), (*one).to_string())),
                _ => None,
            })
            .collect();
        let district_province: HashMap<String, String> = self
            .units
            .iter()
            .filter(|u| u.level == OrgLevel::District)
            .filter_map(|u| Some((u.code.clone(), province_successor.get(u.parent.as_deref()?)?.clone())))
            .collect();
        for unit in self.units.iter_mut().filter(|u| u.valid_to == Some(before)) {
            unit.successor = match unit.level {
                OrgLevel::Province => province_successor.get(&unit.code).cloned(),
                OrgLevel::District => district_province.get(&unit.code).cloned(),
                _ => match whole.get(unit.code.as_str()).map(Vec::as_slice) {
                    // Not also divided: a commune that went whole into one
                    // new commune and nowhere else.
                    Some([one]) if !self.lineage.iter().any(|l| !l.whole && l.predecessor == unit.code) => {
                        Some((*one).to_string())
                    }
                    _ => None,
                },
            };
        }
    }

    /// The unit a code named on a day.
    pub fn unit_on(&self, code: &str, day: NaiveDate) -> Option<&OrgUnit> {
        kehoach_domain::org::find_on(&self.units, code, day)
    }

    /// The unit a code (or, failing that, a name) named at some time
    /// between two days: a plan's region over its span. Of a code reused
    /// within the span, the later unit.
    pub fn find_during(&self, code_or_name: &str, from: NaiveDate, to: NaiveDate) -> Option<&OrgUnit> {
        use kehoach_domain::org::existed_during;
        let wanted = code_or_name.trim();
        let by_code = self.units.iter().filter(|u| u.code == wanted && existed_during(u, from, to));
        if let Some(u) = by_code.max_by_key(|u| u.valid_from) {
            return Some(u);
        }
        let during: Vec<OrgUnit> = self.units.iter().filter(|u| existed_during(u, from, to)).cloned().collect();
        let found = kehoach_domain::org::find(&during, wanted)?;
        self.units.iter().find(|u| u.code == found.code && u.valid_from == found.valid_from)
    }

    /// The units that existed on a day.
    pub fn on(&self, day: NaiveDate) -> impl Iterator<Item = &OrgUnit> {
        self.units.iter().filter(move |u| u.valid_on(day))
    }

    /// What the old units of `unit` were: for a unit that began with the
    /// reform, the units it was formed from.
    pub fn predecessors(&self, unit: &OrgUnit) -> Vec<(&Lineage, &OrgUnit)> {
        let Some(from) = unit.valid_from else { return Vec::new() };
        let before = from.pred_opt().expect("a day before");
        self.lineage
            .iter()
            .filter(|l| l.successor == unit.code && l.from == from)
            .filter_map(|l| Some((l, self.unit_on(&l.predecessor, before)?)))
            .collect()
    }

    /// What became of `unit`: for a unit that ended with the reform, the
    /// units it went into (a district, abolished, into none: its communes
    /// say where they went).
    pub fn successors(&self, unit: &OrgUnit) -> Vec<(&Lineage, &OrgUnit)> {
        let Some(to) = unit.valid_to else { return Vec::new() };
        let after = to.succ_opt().expect("a day after");
        self.lineage
            .iter()
            .filter(|l| l.predecessor == unit.code && l.from == after)
            .filter_map(|l| Some((l, self.unit_on(&l.successor, after)?)))
            .collect()
    }
}

/// The rows of a data file: line numbers from 1, fields split at tabs;
/// comments (`#`) and blank lines skipped.
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

#[cfg(test)]
mod tests;
