//! Reported figures (số liệu báo cáo): estimate first, then preliminary,
//! then official; each later figure revises the one before.

use serde::{Deserialize, Serialize};
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
}
