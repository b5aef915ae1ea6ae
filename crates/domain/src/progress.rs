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
    pub fn validate(&self) -> Result<(), String> {
        if let Some(p) = self.percent {
            if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
                return Err(format!("percent {p} is outside 0–100"));
            }
            if self.status == TaskStatus::Done && p != Decimal::ONE_HUNDRED {
                return Err(format!("a task done is at 100 %, not {p} %"));
            }
        }
        Ok(())
    }
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
}
