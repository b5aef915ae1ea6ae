//! Reported figures (số liệu báo cáo): estimate first, then preliminary,
//! then official; each later figure revises the one before.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::plan::MeasureKind;
use std::fmt;
use std::str::FromStr;

/// How final a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueStatus {
    /// Ước tính / ước thực hiện.
    Estimate,
    /// Sơ bộ.
    Preliminary,
    /// Chính thức.
    Official,
}

impl ValueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Estimate => "estimate",
            Self::Preliminary => "preliminary",
            Self::Official => "official",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Estimate => "Ước tính",
            Self::Preliminary => "Sơ bộ",
            Self::Official => "Chính thức",
        }
    }
}

impl fmt::Display for ValueStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ValueStatus {
    type Err = String;

    /// English or Vietnamese, any case: `estimate`, `ước tính`, `ước thực hiện`,
    /// `preliminary`, `sơ bộ`, `official`, `chính thức`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        match t.as_str() {
            "estimate" | "ước tính" | "ước" | "ước thực hiện" | "ước đạt" => Ok(Self::Estimate),
            "preliminary" | "sơ bộ" => Ok(Self::Preliminary),
            "official" | "chính thức" => Ok(Self::Official),
            _ => Err(format!(
                "“{}” is not a status: estimate (ước tính), preliminary (sơ bộ) or official (chính thức)",
                s.trim()
            )),
        }
    }
}

/// Where a figure comes from. Illustrative figures are generated for a
/// demonstration and are never mixed with real ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Entered by a reporting agency (web form or template): it counts only
    /// once an approver has approved it.
    Entered,
    /// Recorded by a planner who answers for it (the command line's `values
    /// import`): it counts once stored.
    Recorded,
    /// Published by an authority or the press, with its source in the note.
    Published,
    /// Generated for a demonstration (minh họa): not data.
    Illustrative,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entered => "entered",
            Self::Recorded => "recorded",
            Self::Published => "published",
            Self::Illustrative => "illustrative",
        }
    }
}

impl FromStr for Origin {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "entered" => Ok(Self::Entered),
            "recorded" => Ok(Self::Recorded),
            "published" => Ok(Self::Published),
            "illustrative" => Ok(Self::Illustrative),
            _ => Err(format!("unknown origin “{s}”")),
        }
    }
}

impl Origin {
    /// Whether a figure of this origin goes through an agency's submission
    /// and an approver before it counts.
    pub fn needs_approval(self) -> bool {
        self == Self::Entered
    }
}

/// Where one version of a figure stands in the reporting workflow, and so
/// whether it counts: only approved and recorded figures are judged, shown
/// to the public and printed in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workflow {
    /// Nháp: saved by its agency, seen by that agency only.
    Draft,
    /// Chờ duyệt: submitted, awaiting an approver.
    Submitted,
    /// Trả lại: sent back by the approver; never counts.
    Returned,
    /// Đã duyệt: approved exactly as the approver saw it.
    Approved,
    /// Đã ghi nhận: recorded by a planner or taken from a published source.
    Recorded,
}

impl Workflow {
    pub const ALL: [Workflow; 5] = [Self::Draft, Self::Submitted, Self::Returned, Self::Approved, Self::Recorded];

    /// Whether a figure in this state is judged.
    pub fn counts(self) -> bool {
        matches!(self, Self::Approved | Self::Recorded)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Recorded => "recorded",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Draft => "Nháp",
            Self::Submitted => "Chờ duyệt",
            Self::Returned => "Trả lại",
            Self::Approved => "Đã duyệt",
            Self::Recorded => "Đã ghi nhận",
        }
    }
}

impl fmt::Display for Workflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Workflow {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|w| w.as_str() == s).ok_or_else(|| format!("unknown workflow state “{s}”"))
    }
}

/// The most decimals a stored figure may carry, and the largest magnitude
/// (exclusive): together they keep every figure exact in the analytics
/// engine's 64-bit scaled integers (10^12 × 10^6 < 2^63), in the store's
/// decimal text and in the reports. Plans count money in tỷ or triệu đồng, so
/// a figure of a thousand billion units or more is a typing error.
pub const MAX_DECIMALS: u32 = 6;
pub const MAX_MAGNITUDE: i64 = 1_000_000_000_000;

/// Why a figure cannot be taken: a kind, so that each interface words it in
/// its reader's language (the web in Vietnamese or English, from its table
/// of messages); `Display` is the English of the command line and of files.
/// One rule for the entry form, the templates and every import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureProblem {
    /// "-0" typed: not a figure.
    NegativeZero,
    /// More than [`MAX_DECIMALS`] decimals.
    TooManyDecimals(Decimal),
    /// [`MAX_MAGNITUDE`] or more: a typing error or a wrong unit.
    TooLarge(Decimal),
    /// A fraction for a measure that counts.
    NotWhole(Decimal),
    /// Outside `min`–`max` (a share or a rate in per cent).
    OutOfRange { value: Decimal, min: Decimal, max: Decimal },
    /// Below `min` (a level or a count below zero).
    Below { value: Decimal, min: Decimal },
}

impl fmt::Display for FigureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NegativeZero => f.write_str("“-0” is not a figure: write 0"),
            Self::TooManyDecimals(v) => {
                write!(f, "{v} has more than {MAX_DECIMALS} decimals: round it before entering it")
            }
            Self::TooLarge(v) => {
                write!(f, "{} is too large (a thousand billion units or more): check the unit", v.normalize())
            }
            Self::NotWhole(v) => write!(f, "{v} is not a whole number (the measure counts)"),
            Self::OutOfRange { value, min, max } => write!(f, "{value} is outside {min} – {max}"),
            Self::Below { value, min } => write!(f, "{value} is less than {min}"),
        }
    }
}

/// Whether every store can hold `value` exactly.
pub fn storable(value: Decimal) -> Result<(), FigureProblem> {
    if value.is_zero() && value.is_sign_negative() {
        return Err(FigureProblem::NegativeZero);
    }
    if value.normalize().scale() > MAX_DECIMALS {
        return Err(FigureProblem::TooManyDecimals(value));
    }
    if value.abs() >= Decimal::from(MAX_MAGNITUDE) {
        return Err(FigureProblem::TooLarge(value));
    }
    Ok(())
}

/// The values a figure of a measure can take: a share or a coverage rate in
/// per cent lies within 0–100; levels, ratios and counts are not negative;
/// counts are whole. Growth rates and changes may be anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub whole: bool,
}

impl Range {
    pub fn of(kind: MeasureKind, unit: &str) -> Self {
        let percent = unit == "%";
        match kind {
            MeasureKind::Growth | MeasureKind::Change => Self { min: None, max: None, whole: false },
            MeasureKind::Count | MeasureKind::Zero => Self { min: Some(Decimal::ZERO), max: None, whole: true },
            _ if percent => Self { min: Some(Decimal::ZERO), max: Some(Decimal::ONE_HUNDRED), whole: false },
            _ => Self { min: Some(Decimal::ZERO), max: None, whole: false },
        }
    }

    /// Whether `value` lies in the range.
    pub fn check(&self, value: Decimal) -> Result<(), FigureProblem> {
        if self.whole && !value.fract().is_zero() {
            return Err(FigureProblem::NotWhole(value));
        }
        match (self.min, self.max) {
            (Some(min), Some(max)) if value < min || value > max => Err(FigureProblem::OutOfRange { value, min, max }),
            (Some(min), _) if value < min => Err(FigureProblem::Below { value, min }),
            _ => Ok(()),
        }
    }
}

/// Whether a figure may be stored for a measure: what every store can hold
/// ([`storable`]) and what the measure's kind allows ([`Range`]).
pub fn check_figure(kind: MeasureKind, unit: &str, value: Decimal) -> Result<(), FigureProblem> {
    storable(value)?;
    Range::of(kind, unit).check(value)
}

/// An earlier figure a new one is compared with, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// Cùng kỳ năm trước: the same period a year before.
    LastYear(crate::period::Period),
    /// One of the three months before a month.
    MonthBefore(crate::period::Period),
}

impl Reference {
    pub fn period(self) -> crate::period::Period {
        match self {
            Self::LastYear(p) | Self::MonthBefore(p) => p,
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LastYear(_) => f.write_str("the same period last year"),
            Self::MonthBefore(p) => write!(f, "{p}"),
        }
    }
}

/// The earlier figures a new one of `period` is compared with: the same
/// period last year and, for a month, the three months before it; `figure`
/// gives the same unit's figure that counts for a period.
pub fn references(
    period: crate::period::Period,
    figure: impl Fn(crate::period::Period) -> Option<Decimal>,
) -> Vec<(Reference, Decimal)> {
    use crate::period::Period;
    let mut asked = vec![Reference::LastYear(period.year_before())];
    if let Period::Month(y, m) = period {
        for back in 1..=3u32 {
            let (y, m) = if m > back { (y, m - back) } else { (y - 1, m + 12 - back) };
            asked.push(Reference::MonthBefore(Period::Month(y, m)));
        }
    }
    asked.into_iter().filter_map(|r| figure(r.period()).map(|v| (r, v))).collect()
}

/// A figure far from what the same unit reported before, with the earlier
/// figures it is far from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusual {
    pub value: Decimal,
    pub references: Vec<(Reference, Decimal)>,
}

impl fmt::Display for Unusual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is far from the figures reported before (", self.value.normalize())?;
        for (i, (what, r)) in self.references.iter().enumerate() {
            let sep = if i == 0 { "" } else { "; " };
            write!(f, "{sep}{what}: {}", r.normalize())?;
        }
        f.write_str(")")
    }
}

/// Whether a figure is far from what the same unit reported before (the same
/// period last year, its recent months): more than three times or less than
/// a third of each reference, or of the other sign. Such a figure is taken
/// only with a note saying why; what to do is the caller's to say.
pub fn unlikely(value: Decimal, references: &[(Reference, Decimal)]) -> Option<Unusual> {
    let three = Decimal::from(3);
    let far = |r: Decimal| {
        if r.is_zero() {
            return false;
        }
        if value.is_sign_negative() != r.is_sign_negative() && !value.is_zero() {
            return true;
        }
        let (v, r) = (value.abs(), r.abs());
        v > r * three || v * three < r
    };
    let refs: Vec<(Reference, Decimal)> = references.iter().filter(|(_, r)| !r.is_zero()).copied().collect();
    if refs.is_empty() || !refs.iter().all(|(_, r)| far(*r)) {
        return None;
    }
    Some(Unusual { value, references: refs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_in_both_languages() {
        assert_eq!("Sơ bộ".parse(), Ok(ValueStatus::Preliminary));
        assert_eq!(" official ".parse(), Ok(ValueStatus::Official));
        assert_eq!("ước tính".parse(), Ok(ValueStatus::Estimate));
        assert!("final".parse::<ValueStatus>().is_err());
        assert!(ValueStatus::Estimate < ValueStatus::Official);
    }

    #[test]
    fn a_figure_must_be_one_every_store_holds_exactly() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(storable(d("10.4567")).is_ok());
        // "-0" typed is read as a negative zero (from_str would drop the sign).
        assert!(storable(crate::number::parse_decimal("-0").unwrap()).is_err());
        assert!(storable(-Decimal::ZERO).is_err());
        assert_eq!(storable(d("0.0000001")), Err(FigureProblem::TooManyDecimals(d("0.0000001"))));
        assert!(storable(d("1.50000000")).is_ok(), "trailing zeros are not digits");
        assert_eq!(
            storable(d("10000000000000000000")).unwrap_err().to_string(),
            "10000000000000000000 is too large (a thousand billion units or more): check the unit"
        );
        assert!(storable(d("999999999999.999999")).is_ok());
        assert_eq!(check_figure(MeasureKind::Count, "hợp tác xã", d("2.5")), Err(FigureProblem::NotWhole(d("2.5"))));
        assert_eq!(
            check_figure(MeasureKind::Level, "%", d("101")),
            Err(FigureProblem::OutOfRange { value: d("101"), min: d("0"), max: d("100") })
        );
        assert!(check_figure(MeasureKind::Growth, "%", d("-2.5")).is_ok());
    }

    #[test]
    fn a_figure_far_from_every_earlier_one_is_unlikely() {
        use crate::period::Period;
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let (last_year, last_month) =
            (Reference::LastYear(Period::Month(2024, 9)), Reference::MonthBefore(Period::Month(2025, 8)));
        let refs = vec![(last_year, d("150")), (last_month, d("160"))];
        assert_eq!(unlikely(d("170"), &refs), None);
        let why = unlikely(d("1700"), &refs).unwrap();
        assert_eq!(why.references, refs);
        assert_eq!(
            why.to_string(),
            "1700 is far from the figures reported before (the same period last year: 150; 2025-08: 160)"
        );
        assert!(unlikely(d("40"), &refs).is_some());
        assert!(unlikely(d("-150"), &refs).is_some());
        // Close to one reference is enough.
        assert_eq!(unlikely(d("480"), &[(last_year, d("150")), (last_month, d("400"))]), None);
        assert_eq!(unlikely(d("5"), &[]), None);
    }

    #[test]
    fn references_are_last_year_and_the_three_months_before() {
        use crate::period::Period;
        let refs = references(Period::Month(2025, 2), |p| Some(Decimal::from(p.to_string().len())));
        let asked: Vec<Reference> = refs.into_iter().map(|(r, _)| r).collect();
        assert_eq!(
            asked,
            [
                Reference::LastYear(Period::Month(2024, 2)),
                Reference::MonthBefore(Period::Month(2025, 1)),
                Reference::MonthBefore(Period::Month(2024, 12)),
                Reference::MonthBefore(Period::Month(2024, 11)),
            ]
        );
        assert_eq!(references(Period::Year(2025), |_| None), []);
    }

    #[test]
    fn only_approved_and_recorded_figures_count() {
        for w in Workflow::ALL {
            assert_eq!(w.counts(), matches!(w, Workflow::Approved | Workflow::Recorded), "{w}");
            assert_eq!(w.as_str().parse(), Ok(w));
        }
        assert!(Origin::Entered.needs_approval());
        assert!(!Origin::Recorded.needs_approval());
        assert_eq!("recorded".parse(), Ok(Origin::Recorded));
    }

    #[test]
    fn ranges_follow_the_kind_of_measure() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(Range::of(MeasureKind::Level, "%").check(d("100.5")).is_err());
        assert!(Range::of(MeasureKind::Level, "%").check(d("99.5")).is_ok());
        assert!(Range::of(MeasureKind::Growth, "%").check(d("-3.2")).is_ok());
        assert!(Range::of(MeasureKind::Count, "doanh nghiệp").check(d("12.5")).is_err());
        assert!(Range::of(MeasureKind::Level, "tỷ đồng").check(d("-1")).is_err());
    }
}
