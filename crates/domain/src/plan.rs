//! The plan: what a resolution (nghị quyết) sets out for a year.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::number::format_vi;

/// A year's socio-economic development plan of one region, as adopted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The province (or other unit) the plan is for, e.g. "Bến Tre".
    pub region: String,
    /// The region's official code, where the plan was placed with one
    /// (`kehoach plan add --region 86`): the unit it is judged on, whatever
    /// name its text gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// The plan year (năm kế hoạch).
    pub year: i32,
    pub document: Document,
    /// Main targets (chỉ tiêu chủ yếu), in the order written.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Key tasks (nhiệm vụ trọng tâm) split into trackable items.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Figures that are reported but not judged (số liệu thành phần), read by
    /// the formulas of derived measures: beds, population.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// Doubts about the plan as a whole (year or region guessed, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<ReviewFlag>,
}

/// What span a plan covers: a year (kế hoạch năm), five years (kế hoạch 5
/// năm, 2026–2030), or the rest of a year after a merger (the new Vĩnh
/// Long's targets adopted 30/07/2025 for the rest of 2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    Year,
    FiveYear,
    RestOfYear,
}

impl PlanKind {
    pub const ALL: [Self; 3] = [Self::Year, Self::FiveYear, Self::RestOfYear];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::FiveYear => "five-year",
            Self::RestOfYear => "rest-of-year",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Year => "Kế hoạch năm",
            Self::FiveYear => "Kế hoạch 5 năm",
            Self::RestOfYear => "Kế hoạch phần còn lại của năm",
        }
    }

    /// The span of a plan of this kind from a year: the year itself, or
    /// five years from it; the rest of a year has no span of its own.
    pub fn span_of(self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let last = match self {
            Self::Year => year,
            Self::FiveYear => year + 4,
            Self::RestOfYear => return None,
        };
        Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(last, 12, 31)?))
    }
}

impl fmt::Display for PlanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for PlanKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| format!("“{s}” is not a kind of plan: year, five-year or rest-of-year"))
    }
}

/// The resolution that adopted the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Number and symbol, e.g. "24/NQ-HĐND".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Adopting body, e.g. "Hội đồng nhân dân tỉnh Bến Tre".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Date adopted (thông qua).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<NaiveDate>,
    /// Date in force (có hiệu lực).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// The file it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// One lettered (or numbered) target of the plan, holding one or more measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The letter or number as written: `a`, `đ`, `12`.
    pub code: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<Sector>,
    #[serde(default)]
    pub measures: Vec<Measure>,
    pub source: Span,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<ReviewFlag>,
}

/// One measurable figure of a target (chỉ tiêu thành phần).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Stable key `<target code>.<n>`, e.g. `a.1`, `e.3`.
    pub key: String,
    pub name: String,
    pub comparator: Comparator,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<Decimal>,
    /// Normalised unit: `%`, `tỷ đồng`, `triệu USD`, `giường bệnh/vạn dân`,
    /// or a counted noun such as `xã`. Empty for measures with no number.
    #[serde(default)]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// Named units the measure is about (the districts of a checklist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    pub kind: MeasureKind,
    /// How values of this measure combine across units and months.
    pub aggregation: Aggregation,
    /// A stretch goal (phấn đấu): still a target.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stretch: bool,
    /// The key of the measure this one is a part of ("trong đó").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// How the measure is computed from other figures where no figure of its
    /// own is reported, e.g. `[giuong_benh] / [dan_so] * 10000`: applied to
    /// the summed parts, it gives a ratio of sums up the hierarchy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// Its code in the national system of statistical indicators (mã chỉ
    /// tiêu thống kê quốc gia), where the planner gives one: plans of
    /// different regions are compared on measures of one code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    pub source: Span,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<ReviewFlag>,
}

/// A figure reported only to compute derived measures (số liệu thành phần):
/// the number of hospital beds, the average population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// The name formulas use in brackets: `dan_so` for `[dan_so]`.
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    /// `sum` for flows over the months, `latest` for stocks; both add up
    /// across units.
    pub aggregation: Aggregation,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One trackable item of the key tasks (nhiệm vụ trọng tâm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Stable key `<group>.<n>`, e.g. `b.3`.
    pub key: String,
    /// The group letter as written (`b`, `d`, `đ`).
    pub group: String,
    /// The milestone verb as written: `khởi công`, `hoàn thành`, `khánh thành`.
    pub action: String,
    /// The project or programme.
    pub object: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// The clause the item was read from.
    pub text: String,
    pub source: Span,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<ReviewFlag>,
}

/// Where in the input an item was read: 1-based lines, and a character range
/// (in characters, not bytes, counted over the normalised text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub line: u32,
    pub end_line: u32,
    pub start: u32,
    pub end: u32,
    /// The words of the input the item stands for.
    pub quote: String,
}

/// Something the reader was unsure of, for a person to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFlag {
    /// The field in doubt (`unit`, `comparator`, `value`, …).
    pub field: String,
    pub reason: String,
}

impl ReviewFlag {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

/// How a figure is compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// `đạt X`, `ít nhất X`, `X trở lên`, `tối thiểu X`.
    AtLeast,
    /// `trên X`.
    Above,
    /// `không quá X`, `tối đa X`.
    AtMost,
    /// `dưới X`.
    Below,
    /// `X - Y`, `từ X đến Y`.
    Between,
    /// `khoảng X`.
    About,
    /// A planned level, as for the shares of an economic structure.
    Equal,
    /// `tăng X%` of a level compared with last year.
    IncreaseBy,
    /// `giảm X%` (of a rate: percentage points) from last year.
    DecreaseBy,
    /// `kiềm chế, kéo giảm`: lower than last year, no number.
    Decrease,
    /// `tăng`: higher than last year, no number.
    Increase,
    /// `không xảy ra`, `không để`: no occurrence.
    Zero,
    /// `Đến ngày D hoàn thành`: done by a date.
    CompleteBy,
}

impl Comparator {
    pub const ALL: [Comparator; 13] = [
        Self::AtLeast,
        Self::Above,
        Self::AtMost,
        Self::Below,
        Self::Between,
        Self::About,
        Self::Equal,
        Self::IncreaseBy,
        Self::DecreaseBy,
        Self::Decrease,
        Self::Increase,
        Self::Zero,
        Self::CompleteBy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AtLeast => "at_least",
            Self::Above => "above",
            Self::AtMost => "at_most",
            Self::Below => "below",
            Self::Between => "between",
            Self::About => "about",
            Self::Equal => "equal",
            Self::IncreaseBy => "increase_by",
            Self::DecreaseBy => "decrease_by",
            Self::Decrease => "decrease",
            Self::Increase => "increase",
            Self::Zero => "zero",
            Self::CompleteBy => "complete_by",
        }
    }

    /// Whether the comparator needs `low` and `high` rather than `value`.
    pub fn is_range(self) -> bool {
        matches!(self, Self::Between)
    }

    /// Whether the comparator carries no number of its own.
    pub fn is_qualitative(self) -> bool {
        matches!(self, Self::Decrease | Self::Increase | Self::Zero)
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Comparator {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown comparator “{s}”"))
    }
}

/// What sort of figure a measure is; decides how it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// A growth rate (tốc độ tăng trưởng).
    Growth,
    /// A share of a structure (cơ cấu).
    Share,
    /// A level: a flow over the year or a stock at a date.
    Level,
    /// A ratio such as beds per 10,000 people.
    Ratio,
    /// A count of things (new cooperatives, communes).
    Count,
    /// A change from last year's actual.
    Change,
    /// A direction against last year, no number.
    Direction,
    /// No occurrence allowed.
    Zero,
    /// Done by a date.
    Deadline,
    /// Each named unit reaches a standard.
    Checklist,
}

impl MeasureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Growth => "growth",
            Self::Share => "share",
            Self::Level => "level",
            Self::Ratio => "ratio",
            Self::Count => "count",
            Self::Change => "change",
            Self::Direction => "direction",
            Self::Zero => "zero",
            Self::Deadline => "deadline",
            Self::Checklist => "checklist",
        }
    }
}

/// How values combine up the hierarchy and over the months of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Flows and counts add up (exports, revenue, new enterprises).
    Sum,
    /// Numerators and denominators add up separately (beds per 10,000 people).
    Ratio,
    /// A stock or a rate: the latest value stands (coverage, poverty rate).
    Latest,
    /// Not combined: computed at each level from other figures (growth rates).
    None,
}

/// The sector a target belongs to, as resolutions group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Kinh tế.
    Economy,
    /// Văn hóa - xã hội.
    Society,
    /// Môi trường.
    Environment,
    /// Quốc phòng - an ninh.
    DefenceSecurity,
    /// Cải cách hành chính, xây dựng chính quyền.
    Administration,
}

impl Sector {
    pub const ALL: [Sector; 5] =
        [Self::Economy, Self::Society, Self::Environment, Self::DefenceSecurity, Self::Administration];

    /// The sector's code, as stored (`defence_security`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Economy => "economy",
            Self::Society => "society",
            Self::Environment => "environment",
            Self::DefenceSecurity => "defence_security",
            Self::Administration => "administration",
        }
    }

    /// The heading a Vietnamese report uses for the sector.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Economy => "Kinh tế",
            Self::Society => "Văn hóa - xã hội",
            Self::Environment => "Môi trường",
            Self::DefenceSecurity => "Quốc phòng - an ninh",
            Self::Administration => "Cải cách hành chính",
        }
    }
}

impl Measure {
    /// A measure with what every measure has (key, name, how it is compared,
    /// what kind of figure it is, how its figures combine) and nothing else:
    /// no figure, no unit, no source. The rest is set by whoever builds it
    /// (`Measure { value, unit, ..Measure::new(…) }`).
    pub fn new(
        key: impl Into<String>,
        name: impl Into<String>,
        comparator: Comparator,
        kind: MeasureKind,
        aggregation: Aggregation,
    ) -> Self {
        Self {
            key: key.into(),
            name: name.into(),
            comparator,
            value: None,
            low: None,
            high: None,
            unit: String::new(),
            deadline: None,
            subjects: Vec::new(),
            kind,
            aggregation,
            stretch: false,
            part_of: None,
            formula: None,
            indicator: None,
            source: Span::default(),
            review: Vec::new(),
        }
    }

    /// The target written for a reader: `6,0 - 6,5 %`, `≥ 1.850 triệu USD`.
    pub fn target_text(&self) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else if self.unit == "%" {
            "%".to_string()
        } else {
            format!(" {}", self.unit)
        };
        let v = |d: Option<Decimal>| d.map(format_vi).unwrap_or_else(|| "?".into());
        let text = match self.comparator {
            Comparator::AtLeast => format!("≥ {}{unit}", v(self.value)),
            Comparator::Above => format!("> {}{unit}", v(self.value)),
            Comparator::AtMost => format!("≤ {}{unit}", v(self.value)),
            Comparator::Below => format!("< {}{unit}", v(self.value)),
            Comparator::Between => format!("{} - {}{unit}", v(self.low), v(self.high)),
            Comparator::About => format!("khoảng {}{unit}", v(self.value)),
            Comparator::Equal => format!("{}{unit}", v(self.value)),
            Comparator::IncreaseBy => format!("tăng {}{unit}", range_or_value(self)),
            Comparator::DecreaseBy => format!("giảm {}{unit}", range_or_value(self)),
            Comparator::Decrease => "giảm so với năm trước".to_string(),
            Comparator::Increase => "tăng so với năm trước".to_string(),
            Comparator::Zero => "không xảy ra".to_string(),
            Comparator::CompleteBy => match (self.value, self.deadline) {
                (Some(value), Some(date)) => format!("{}{unit} trước {}", format_vi(value), date.format("%d/%m/%Y")),
                (None, Some(date)) => format!("hoàn thành trước {}", date.format("%d/%m/%Y")),
                (Some(value), None) => format!("{}{unit} trong năm", format_vi(value)),
                (None, None) => "hoàn thành trong năm".to_string(),
            },
        };
        if self.subjects.is_empty() { text } else { format!("{text}: {}", self.subjects.join(", ")) }
    }
}

fn range_or_value(m: &Measure) -> String {
    match (m.value, m.low, m.high) {
        (Some(v), _, _) => format_vi(v),
        (None, Some(lo), Some(hi)) => format!("{} - {}", format_vi(lo), format_vi(hi)),
        _ => "?".to_string(),
    }
}

impl Target {
    /// A group `code` holding `measures`, with no title, sector or source.
    pub fn of(code: impl Into<String>, measures: Vec<Measure>) -> Self {
        Self {
            code: code.into(),
            title: String::new(),
            sector: None,
            measures,
            source: Span::default(),
            review: Vec::new(),
        }
    }
}

impl Plan {
    /// A plan of `region` for `year` holding `targets` and nothing else (no
    /// document, tasks or components); the rest is set by whoever builds it
    /// (`Plan { tasks, ..Plan::new(…) }`).
    pub fn new(region: impl Into<String>, year: i32, targets: Vec<Target>) -> Self {
        Self {
            region: region.into(),
            region_code: None,
            year,
            document: Document::default(),
            targets,
            tasks: Vec::new(),
            components: Vec::new(),
            review: Vec::new(),
        }
    }

    /// Every measure of every target, in order.
    pub fn measures(&self) -> impl Iterator<Item = &Measure> {
        self.targets.iter().flat_map(|t| t.measures.iter())
    }

    pub fn measure(&self, key: &str) -> Option<&Measure> {
        self.measures().find(|m| m.key == key)
    }

    pub fn component(&self, key: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.key == key)
    }

    /// Whether figures can be reported under this key: a measure or a
    /// component.
    pub fn reports(&self, key: &str) -> bool {
        self.measure(key).is_some() || self.component(key).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparators_round_trip_their_names() {
        for c in Comparator::ALL {
            assert_eq!(c.as_str().parse::<Comparator>().unwrap(), c);
        }
        assert!("more_or_less".parse::<Comparator>().is_err());
    }
}
