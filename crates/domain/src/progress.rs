//! Progress of key tasks (tiến độ nhiệm vụ): a status, a percentage, the
//! milestones reached or due, and what the agency says of it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Chưa triển khai.
    NotStarted,
    /// Đang triển khai.
    InProgress,
    /// Hoàn thành.
    Done,
    /// Chậm tiến độ.
    Delayed,
    /// Dừng thực hiện.
    Cancelled,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Delayed => "delayed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::NotStarted => "Chưa triển khai",
            Self::InProgress => "Đang triển khai",
            Self::Done => "Hoàn thành",
            Self::Delayed => "Chậm tiến độ",
            Self::Cancelled => "Dừng thực hiện",
        }
    }
}

impl FromStr for TaskStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::NotStarted, Self::InProgress, Self::Done, Self::Delayed, Self::Cancelled]
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| format!("“{s}” is not a task status (not_started, in_progress, done, delayed, cancelled)"))
    }
}

/// A milestone of a task: what, when it is due, and when it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reached: Option<NaiveDate>,
}

/// One report of a task's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// The task key (`b.3`).
    pub task: String,
    pub status: TaskStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub narrative: String,
}

impl TaskProgress {
    /// Milestones past their due date and not reached: what makes a task
    /// overdue on a report.
    pub fn overdue(&self, today: NaiveDate) -> Vec<&Milestone> {
        self.milestones.iter().filter(|m| m.reached.is_none() && m.due.is_some_and(|d| d < today)).collect()
    }

    /// Checks what a person typed: a percentage from 0 to 100, done at 100 %.
    pub fn validate(&self) -> Result<(), ProgressError> {
        if let Some(p) = self.percent {
            if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
                return Err(ProgressError::OutOfRange(p));
            }
            if self.status == TaskStatus::Done && p != Decimal::ONE_HUNDRED {
                return Err(ProgressError::DoneBelowFull(p));
            }
        }
        Ok(())
    }
}

/// Why a progress report cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    #[error("percent {0} is outside 0–100")]
    OutOfRange(Decimal),
    #[error("a task done is at 100 %, not {0} %")]
    DoneBelowFull(Decimal),
}

/// Reads milestones as a person types them, one per line:
/// `name | due | reached`, dates as `31/03/2025` or `2025-03-31`, the dates
/// optional (`Khởi công | 31/03/2025`). Says which line is wrong and why.
pub fn parse_milestones(text: &str) -> Result<Vec<Milestone>, (usize, String)> {
    let date = |line: usize, s: &str| -> Result<Option<NaiveDate>, (usize, String)> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%d/%m/%Y")
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
            .map(Some)
            .map_err(|_| (line, format!("“{s}” is not a date (31/03/2025)")))
    };
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let mut parts = raw.split('|');
        let name = parts.next().unwrap_or_default().trim();
        if name.is_empty() {
            return Err((line, "a milestone needs a name before the first |".into()));
        }
        if name.chars().count() > 200 {
            return Err((line, "the name is longer than 200 characters".into()));
        }
        let due = date(line, parts.next().unwrap_or_default())?;
        let reached = date(line, parts.next().unwrap_or_default())?;
        if parts.next().is_some() {
            return Err((line, "at most three parts: name | due | reached".into()));
        }
        out.push(Milestone { name: name.to_string(), due, reached });
    }
    if out.len() > 50 {
        return Err((51, "at most 50 milestones".into()));
    }
    Ok(out)
}

/// Writes milestones the way `parse_milestones` reads them.
pub fn format_milestones(milestones: &[Milestone]) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
    milestones
        .iter()
        .map(|m| {
            let line = format!("{} | {} | {}", m.name, day(m.due), day(m.reached));
            line.trim_end_matches([' ', '|']).to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_milestones_and_checks() {
        let d = |m: u32| NaiveDate::from_ymd_opt(2025, m, 1);
        let p = TaskProgress {
            task: "b.3".into(),
            status: TaskStatus::InProgress,
            percent: Some(Decimal::from(40)),
            milestones: vec![
                Milestone { name: "khởi công".into(), due: d(3), reached: d(2) },
                Milestone { name: "thông xe".into(), due: d(6), reached: None },
            ],
            narrative: String::new(),
        };
        assert_eq!(p.overdue(d(7).unwrap()).len(), 1);
        assert!(p.validate().is_ok());
        let done_early = TaskProgress { status: TaskStatus::Done, ..p.clone() };
        assert!(done_early.validate().is_err());
        assert_eq!("delayed".parse(), Ok(TaskStatus::Delayed));
    }

    #[test]
    fn milestones_are_read_as_typed_and_errors_name_the_line() {
        let m = parse_milestones("Khởi công | 31/03/2025 | 15/03/2025\n\nThông xe | 2025-09-30\nNghiệm thu").unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].reached, NaiveDate::from_ymd_opt(2025, 3, 15));
        assert_eq!(m[1].due, NaiveDate::from_ymd_opt(2025, 9, 30));
        assert_eq!((m[2].due, m[2].reached), (None, None));
        assert_eq!(parse_milestones("A | 31/02/2025").unwrap_err().0, 1);
        assert_eq!(parse_milestones("A\n | 01/01/2025").unwrap_err().0, 2);
        assert!(parse_milestones("A | | | x").is_err());
        assert_eq!(format_milestones(&m), "Khởi công | 31/03/2025 | 15/03/2025\nThông xe | 30/09/2025\nNghiệm thu");
    }

    proptest::proptest! {
        #[test]
        fn written_milestones_read_back(
            items in proptest::collection::vec(("[a-zA-Zà-ỹ ]{0,20}[a-zà-ỹ]", proptest::option::of(0i64..20000), proptest::option::of(0i64..20000)), 0..8)
        ) {
            let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let ms: Vec<Milestone> = items
                .into_iter()
                .map(|(name, due, reached)| Milestone {
                    name: name.trim().to_string(),
                    due: due.map(|d| base + chrono::Duration::days(d)),
                    reached: reached.map(|d| base + chrono::Duration::days(d)),
                })
                .filter(|m| !m.name.is_empty())
                .collect();
            // A milestone reached but with no due date writes an empty middle part.
            proptest::prop_assert_eq!(parse_milestones(&format_milestones(&ms)).unwrap(), ms);
        }

        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = parse_milestones(&s);
        }
    }
}
