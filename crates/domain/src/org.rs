//! Organisation units (đơn vị hành chính): nation, province, district,
//! commune, each valid for a span of dates, with the unit that succeeded it
//! when it was merged or abolished. A plan adopted for an old province is
//! still followed after a merger: its figures are reported by the successor.

use chrono::NaiveDate;

use crate::period::Period;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgLevel {
    Nation,
    /// Tỉnh, thành phố trực thuộc trung ương.
    Province,
    /// Huyện, thị xã, thành phố thuộc tỉnh (abolished on 01/07/2025).
    District,
    /// Xã, phường, đặc khu.
    Commune,
}

/// One administrative unit over the span it existed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// A stable code (the official one where known, e.g. "83" for Bến Tre).
    pub code: String,
    pub name: String,
    pub level: OrgLevel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    /// Last day the unit existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    /// The unit that took over (merger, abolition), by code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
}

impl OrgUnit {
    /// A province known only by the name a plan gives it (a plan read from a
    /// resolution of a province not loaded yet): the name is its code.
    pub fn province(name: &str) -> Self {
        Self::new(name, name, OrgLevel::Province, None)
    }

    /// A unit valid at every date, with no successor (set them after).
    pub fn new(code: &str, name: &str, level: OrgLevel, parent: Option<&str>) -> Self {
        Self {
            code: code.to_string(),
            name: name.to_string(),
            level,
            parent: parent.map(str::to_string),
            valid_from: None,
            valid_to: None,
            successor: None,
        }
    }

    /// Whether the unit existed on a day.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| day >= from) && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// Splits a name into its level word, if any, and the rest, lower-cased with
/// whitespace collapsed: "tỉnh Bến Tre" → (Some(Province), "bến tre").
fn key(name: &str) -> (Option<OrgLevel>, String) {
    let joined = name.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    for (prefix, level) in [
        ("tỉnh ", OrgLevel::Province),
        ("thành phố ", OrgLevel::District),
        ("huyện ", OrgLevel::District),
        ("thị xã ", OrgLevel::District),
        ("quận ", OrgLevel::District),
        ("xã ", OrgLevel::Commune),
        ("phường ", OrgLevel::Commune),
        ("thị trấn ", OrgLevel::Commune),
    ] {
        if let Some(rest) = joined.strip_prefix(prefix) {
            return (Some(level), rest.to_string());
        }
    }
    (None, joined)
}

/// Finds a unit by code or name. "Bến Tre" is the province, not the city of
/// the same name ("thành phố Bến Tre"): an exact name wins, then a name with
/// the level word the query gives, then the highest level of that name.
pub fn find<'a>(units: &'a [OrgUnit], code_or_name: &str) -> Option<&'a OrgUnit> {
    let wanted = code_or_name.trim();
    if let Some(u) = units.iter().find(|u| u.code == wanted) {
        return Some(u);
    }
    let lower = wanted.to_lowercase();
    if let Some(u) = units.iter().find(|u| u.name.to_lowercase() == lower) {
        return Some(u);
    }
    let (level, name) = key(wanted);
    units
        .iter()
        .filter(|u| key(&u.name).1 == name)
        .filter(|u| level.is_none_or(|l| u.level == l || (l == OrgLevel::District && u.level == OrgLevel::Province)))
        .min_by_key(|u| u.level)
}

/// The unit that carries `unit`'s figures on a day: itself while it exists,
/// then its successor, and so on.
pub fn current<'a>(units: &'a [OrgUnit], unit: &'a OrgUnit, day: NaiveDate) -> &'a OrgUnit {
    let mut at = unit;
    for _ in 0..units.len() {
        if at.valid_on(day) {
            return at;
        }
        match at.successor.as_deref().and_then(|s| units.iter().find(|u| u.code == s)) {
            Some(next) => at = next,
            None => return at,
        }
    }
    at
}

/// Whether a unit existed at some time between two days.
pub fn existed_during(unit: &OrgUnit, start: NaiveDate, end: NaiveDate) -> bool {
    unit.valid_from.is_none_or(|from| from <= end) && unit.valid_to.is_none_or(|to| to >= start)
}

/// Whether a figure of `unit` for `period` counts toward `region`'s: it is
/// the region itself (a region's own figures are for its area in every
/// period, also after it merged into another), or it existed during the
/// period and its parent, followed through successors to the period's last
/// day, is the region or counts toward it (the ledger's rule for parts).
pub fn counts_toward(units: &[OrgUnit], unit: &OrgUnit, region: &str, period: Period) -> bool {
    let (start, end) = period.calendar();
    let mut at = unit;
    for _ in 0..16 {
        if at.code == region {
            return true;
        }
        if !existed_during(at, start, end) {
            return false;
        }
        let Some(parent) = at.parent.as_deref().and_then(|c| units.iter().find(|u| u.code == c)) else {
            return false;
        };
        at = current(units, parent, end);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn units() -> Vec<OrgUnit> {
        vec![
            OrgUnit {
                code: "83".into(),
                name: "Bến Tre".into(),
                level: OrgLevel::Province,
                parent: None,
                valid_from: None,
                valid_to: Some(d(2025, 6, 30)),
                successor: Some("86".into()),
            },
            OrgUnit {
                code: "86".into(),
                name: "Vĩnh Long".into(),
                level: OrgLevel::Province,
                parent: None,
                valid_from: None,
                valid_to: None,
                successor: None,
            },
        ]
    }

    #[test]
    fn a_merged_province_is_followed_through_its_successor() {
        let all = units();
        let ben_tre = find(&all, "tỉnh Bến Tre").unwrap();
        assert_eq!(ben_tre.code, "83");
        assert_eq!(find(&all, "83").unwrap().name, "Bến Tre");
        assert_eq!(current(&all, ben_tre, d(2025, 3, 31)).name, "Bến Tre");
        assert_eq!(current(&all, ben_tre, d(2025, 9, 30)).name, "Vĩnh Long");
        assert!(find(&all, "Trà Vinh").is_none());
        // The city of Bến Tre does not hide the province of the same name.
        let mut with_city = all.clone();
        with_city.insert(
            0,
            OrgUnit {
                code: "829".into(),
                name: "thành phố Bến Tre".into(),
                level: OrgLevel::District,
                parent: Some("83".into()),
                valid_from: None,
                valid_to: Some(d(2025, 6, 30)),
                successor: Some("86".into()),
            },
        );
        assert_eq!(find(&with_city, "Bến Tre").unwrap().code, "83");
        assert_eq!(find(&with_city, "tỉnh Bến Tre").unwrap().code, "83");
        assert_eq!(find(&with_city, "thành phố Bến Tre").unwrap().code, "829");
    }
}

/// A reporting agency (cơ quan, đơn vị): a department, the statistics
/// office, the police, a commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
}

/// Who answers for a measure: the lead agency (cơ quan chủ trì) and the
/// units that report their part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub measure: String,
    pub lead: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<String>,
}

impl Assignment {
    /// Tasks are assigned like measures, under the key `task:<key>`, so that
    /// a task `b.3` never meets a measure `b.3`.
    pub fn task_key(task: &str) -> String {
        format!("task:{task}")
    }
}
