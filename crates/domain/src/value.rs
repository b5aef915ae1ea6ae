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
    /// Entered by a reporting agency.
    Entered,
    /// Published by an authority or the press, with its source in the note.
    Published,
    /// Generated for a demonstration (minh họa): not data.
    Illustrative,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entered => "entered",
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
            "published" => Ok(Self::Published),
            "illustrative" => Ok(Self::Illustrative),
            _ => Err(format!("unknown origin “{s}”")),
        }
    }
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

    /// Why `value` is out of range, in Vietnamese for the person who typed it.
    pub fn check(&self, value: Decimal) -> Result<(), String> {
        use crate::number::format_vi;
        if self.whole && !value.fract().is_zero() {
            return Err(format!("{} không phải số nguyên (chỉ tiêu đếm số lượng)", format_vi(value)));
        }
        match (self.min, self.max) {
            (Some(min), Some(max)) if value < min || value > max => {
                Err(format!("{} nằm ngoài khoảng {} – {}", format_vi(value), format_vi(min), format_vi(max)))
            }
            (Some(min), _) if value < min => Err(format!("{} nhỏ hơn {}", format_vi(value), format_vi(min))),
            _ => Ok(()),
        }
    }
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
    fn ranges_follow_the_kind_of_measure() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert!(Range::of(MeasureKind::Level, "%").check(d("100.5")).is_err());
        assert!(Range::of(MeasureKind::Level, "%").check(d("99.5")).is_ok());
        assert!(Range::of(MeasureKind::Growth, "%").check(d("-3.2")).is_ok());
        assert!(Range::of(MeasureKind::Count, "doanh nghiệp").check(d("12.5")).is_err());
        assert!(Range::of(MeasureKind::Level, "tỷ đồng").check(d("-1")).is_err());
    }
}
