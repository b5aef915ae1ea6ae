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

impl OrgLevel {
    pub const ALL: [Self; 4] = [Self::Nation, Self::Province, Self::District, Self::Commune];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nation => "nation",
            Self::Province => "province",
            Self::District => "district",
            Self::Commune => "commune",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Nation => "Cả nước",
            Self::Province => "Cấp tỉnh",
            Self::District => "Cấp huyện",
            Self::Commune => "Cấp xã",
        }
    }
}

impl std::fmt::Display for OrgLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for OrgLevel {
    type Err = String;

    /// `nation` (or `country`), `province`, `district`, `commune`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "country" => Ok(Self::Nation),
            t => Self::ALL
                .into_iter()
                .find(|l| l.as_str() == t)
                .ok_or_else(|| format!("“{s}” is not a level: nation, province, district or commune")),
        }
    }
}

/// One administrative unit over the span it existed. A code names one unit
/// at a time, not for ever: after the reform of 01/07/2025 most new units
/// took the code of one they were formed from (the new Vĩnh Long kept 86,
/// old Vĩnh Long's), so a unit is its code on a day ([`find_on`]).
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

/// An old unit's part in a new one: which units a reform (01/07/2025) made
/// each new unit of (hợp nhất, sáp nhập), and where an old unit was divided
/// between several new ones, each part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// The new unit, by code, and the day it began.
    pub successor: String,
    pub from: NaiveDate,
    /// The old unit, by code; it ended the day before `from`.
    pub predecessor: String,
    /// The whole old unit went into this one; false where it was divided
    /// between several new units.
    pub whole: bool,
}

/// The code of the unit a plan is judged on: its region's code where the
/// plan was placed with one, else the unit its region names; none for a
/// region no unit names.
pub fn home_code(plan: &crate::Plan, units: &[OrgUnit]) -> Option<String> {
    plan.region_code.clone().or_else(|| find(units, &plan.region).map(|u| u.code.clone()))
}

/// The unit a code named on a day: codes are reused across a reform, so
/// "86" is old Vĩnh Long until 30/06/2025 and the new one after.
pub fn find_on<'a>(units: &'a [OrgUnit], code: &str, day: NaiveDate) -> Option<&'a OrgUnit> {
    units.iter().find(|u| u.code == code && u.valid_on(day))
}

/// The unit a code names now, or else last named: the one that began
/// latest (a code typed without a date means the unit of today).
pub fn latest<'a>(units: &'a [OrgUnit], code: &str) -> Option<&'a OrgUnit> {
    units.iter().filter(|u| u.code == code).max_by_key(|u| u.valid_from)
}

/// A unit's name without its level word: "Tỉnh Bến Tre" → "Bến Tre",
/// "Xã Giồng Trôm" → "Giồng Trôm" (how lists sort and people say them).
pub fn short_name(name: &str) -> &str {
    const WORDS: [&str; 9] =
        ["tỉnh ", "thành phố ", "huyện ", "thị xã ", "quận ", "xã ", "phường ", "thị trấn ", "đặc khu "];
    let lower = name.to_lowercase();
    WORDS
        .iter()
        .find(|w| lower.starts_with(*w))
        // Lower-casing keeps these words' lengths (no letter of them changes size).
        .map_or(name, |w| name[w.len()..].trim_start())
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
    if let Some(u) = latest(units, wanted) {
        return Some(u);
    }
    // Of units of one name, the latest (the new Vĩnh Long, not the old).
    let newest = std::cmp::Reverse;
    let lower = wanted.to_lowercase();
    if let Some(u) = units.iter().filter(|u| u.name.to_lowercase() == lower).min_by_key(|u| newest(u.valid_from)) {
        return Some(u);
    }
    let (level, name) = key(wanted);
    units
        .iter()
        .filter(|u| key(&u.name).1 == name)
        .filter(|u| level.is_none_or(|l| u.level == l || (l == OrgLevel::District && u.level == OrgLevel::Province)))
        .min_by_key(|u| (u.level, newest(u.valid_from)))
}

/// The unit that carries `unit`'s figures on a day: itself while it exists,
/// then its successor, and so on.
pub fn current<'a>(units: &'a [OrgUnit], unit: &'a OrgUnit, day: NaiveDate) -> &'a OrgUnit {
    let mut at = unit;
    for _ in 0..units.len() {
        if at.valid_on(day) {
            return at;
        }
        match at.successor.as_deref().and_then(|s| find_on(units, s, day).or_else(|| latest(units, s))) {
            Some(next) if !std::ptr::eq(next, at) => at = next,
            _ => return at,
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
        // The parent as the unit knew it: on the last day both lived.
        let day = at.valid_to.map_or(end, |to| to.min(end));
        let Some(parent) = at.parent.as_deref().and_then(|c| find_on(units, c, day).or_else(|| latest(units, c)))
        else {
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

    /// A code reused across the reform: old Vĩnh Long (86) until
    /// 30/06/2025, the new one, formed of it and Bến Tre (83), after.
    #[test]
    fn a_code_names_one_unit_on_a_day() {
        let ended = |code: &str, name: &str, level, parent: Option<&str>, successor: Option<&str>| OrgUnit {
            valid_to: Some(d(2025, 6, 30)),
            successor: successor.map(Into::into),
            ..OrgUnit::new(code, name, level, parent)
        };
        let units = vec![
            OrgUnit::new("VN", "Việt Nam", OrgLevel::Nation, None),
            ended("83", "Tỉnh Bến Tre", OrgLevel::Province, Some("VN"), Some("86")),
            ended("86", "Tỉnh Vĩnh Long", OrgLevel::Province, Some("VN"), Some("86")),
            ended("855", "Thành phố Vĩnh Long", OrgLevel::District, Some("86"), Some("86")),
            OrgUnit {
                valid_from: Some(d(2025, 7, 1)),
                ..OrgUnit::new("86", "Tỉnh Vĩnh Long", OrgLevel::Province, Some("VN"))
            },
        ];
        assert_eq!(find_on(&units, "86", d(2025, 3, 1)), Some(&units[2]));
        assert_eq!(find_on(&units, "86", d(2025, 9, 1)), Some(&units[4]));
        assert_eq!(find(&units, "86"), Some(&units[4]), "a code alone is today's unit");
        assert_eq!(find(&units, "Vĩnh Long"), Some(&units[4]));
        assert_eq!(current(&units, &units[1], d(2025, 9, 1)), &units[4]);
        assert_eq!(current(&units, &units[2], d(2025, 9, 1)), &units[4], "old 86 is carried by new 86");
        assert_eq!(current(&units, &units[2], d(2025, 3, 1)), &units[2]);
        // The old district counts toward old Vĩnh Long before the reform,
        // and, as a unit gone, toward nothing after.
        assert!(counts_toward(&units, &units[3], "86", Period::Month(2025, 3)));
        assert!(!counts_toward(&units, &units[3], "86", Period::Month(2025, 9)));
        assert!(counts_toward(&units, &units[4], "VN", Period::Month(2025, 9)));
        assert_eq!("country".parse(), Ok(OrgLevel::Nation));
        assert_eq!("commune".parse(), Ok(OrgLevel::Commune));
        assert!("ward".parse::<OrgLevel>().is_err());
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
