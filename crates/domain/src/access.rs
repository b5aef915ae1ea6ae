//! Who may do what: the roles of the people who follow a plan, and the
//! states a period's figures go through from entry to approval. The web
//! layer asks these rules on every request; they are data, so one table
//! test covers them.

use std::fmt;
use std::str::FromStr;

/// A person's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Quản trị: users and settings; everything a planner does.
    Admin,
    /// Cán bộ kế hoạch: owns the plan, assigns agencies, compiles reports.
    Planner,
    /// Cán bộ báo cáo: enters figures and task progress for their agency.
    Reporter,
    /// Lãnh đạo duyệt: approves or returns a period's submissions.
    Approver,
    /// Đại biểu HĐND giám sát: reads everything, comments, never edits.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Planner, Role::Reporter, Role::Approver, Role::Supervisor];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Planner => "planner",
            Self::Reporter => "reporter",
            Self::Approver => "approver",
            Self::Supervisor => "supervisor",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Admin => "Quản trị",
            Self::Planner => "Cán bộ kế hoạch",
            Self::Reporter => "Cán bộ báo cáo",
            Self::Approver => "Lãnh đạo duyệt",
            Self::Supervisor => "Đại biểu giám sát",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role “{s}”: admin, planner, reporter, approver or supervisor"))
    }
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the published plan and figures (the public portal).
    ReadPublic,
    /// Read everything inside: overview, measures, tasks, submissions.
    Read,
    /// Enter figures and task progress for an agency.
    Enter,
    /// Approve, return or unlock a period's submission.
    Approve,
    /// Comment on a measure.
    Comment,
    /// Change the plan: import, revise targets, assign agencies.
    Plan,
    /// Read the audit log.
    Audit,
    /// Manage users.
    Administer,
}

/// Whether someone (`None`: not logged in) may do `action`; for `Enter`,
/// `agency` is the agency whose figures are concerned and `own` the
/// person's agency.
pub fn allowed(role: Option<Role>, action: Action, own: Option<&str>, agency: Option<&str>) -> bool {
    let Some(role) = role else { return action == Action::ReadPublic };
    match action {
        Action::ReadPublic | Action::Read => true,
        Action::Enter => match role {
            Role::Reporter => own.is_some() && own == agency,
            Role::Admin | Role::Planner => true,
            Role::Approver | Role::Supervisor => false,
        },
        Action::Approve => matches!(role, Role::Approver | Role::Admin),
        Action::Comment => matches!(role, Role::Supervisor | Role::Planner | Role::Approver | Role::Admin),
        Action::Plan => matches!(role, Role::Planner | Role::Admin),
        Action::Audit => matches!(role, Role::Admin | Role::Planner | Role::Supervisor | Role::Approver),
        Action::Administer => role == Role::Admin,
    }
}

/// Where an agency's figures for a period stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubmissionState {
    /// Nháp: saved, still being entered.
    Draft,
    /// Đã gửi: waiting for approval.
    Submitted,
    /// Trả lại: sent back with a comment; the reporter corrects it.
    Returned,
    /// Đã duyệt: locked; only an approver's unlock reopens it.
    Approved,
    /// Mở khóa: reopened by an approver (logged).
    Unlocked,
}

impl SubmissionState {
    pub const ALL: [SubmissionState; 5] =
        [Self::Draft, Self::Submitted, Self::Returned, Self::Approved, Self::Unlocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Unlocked => "unlocked",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Draft => "Nháp",
            Self::Submitted => "Chờ duyệt",
            Self::Returned => "Trả lại",
            Self::Approved => "Đã duyệt",
            Self::Unlocked => "Mở khóa",
        }
    }

    /// Whether figures may still be entered: not while they await approval
    /// (the approver approves what they saw) nor once approved, until an
    /// approver returns or unlocks them.
    pub fn open(self) -> bool {
        !matches!(self, Self::Submitted | Self::Approved)
    }

    /// The moves the workflow allows: a reporter saves and submits while the
    /// period is open; an approver approves or returns what was submitted,
    /// and unlocks what was approved.
    pub fn can_become(from: Option<Self>, to: Self) -> bool {
        use SubmissionState::*;
        matches!(
            (from, to),
            (None | Some(Draft | Returned | Unlocked), Draft | Submitted)
                | (Some(Submitted), Approved | Returned)
                | (Some(Approved), Unlocked)
        )
    }
}

impl FromStr for SubmissionState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| format!("unknown submission state “{s}”"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_reads_only_what_is_published() {
        for action in [Action::Read, Action::Enter, Action::Approve, Action::Comment, Action::Plan, Action::Audit] {
            assert!(!allowed(None, action, None, Some("SCT")), "{action:?}");
        }
        assert!(allowed(None, Action::ReadPublic, None, None));
    }

    #[test]
    fn a_reporter_enters_only_for_their_own_agency() {
        assert!(allowed(Some(Role::Reporter), Action::Enter, Some("SCT"), Some("SCT")));
        assert!(!allowed(Some(Role::Reporter), Action::Enter, Some("SCT"), Some("SYT")));
        assert!(!allowed(Some(Role::Reporter), Action::Enter, None, None));
        assert!(!allowed(Some(Role::Reporter), Action::Approve, Some("SCT"), None));
        assert!(!allowed(Some(Role::Supervisor), Action::Enter, None, Some("SCT")));
        assert!(allowed(Some(Role::Supervisor), Action::Comment, None, None));
        assert!(!allowed(Some(Role::Approver), Action::Plan, None, None));
    }

    #[test]
    fn approval_locks_and_only_an_unlock_reopens() {
        use SubmissionState::*;
        assert!(SubmissionState::can_become(None, Submitted));
        assert!(SubmissionState::can_become(Some(Submitted), Approved));
        assert!(!SubmissionState::can_become(Some(Approved), Submitted));
        assert!(!SubmissionState::can_become(Some(Approved), Draft));
        assert!(SubmissionState::can_become(Some(Approved), Unlocked));
        assert!(SubmissionState::can_become(Some(Unlocked), Submitted));
        assert!(!SubmissionState::can_become(None, Approved));
        assert!(!SubmissionState::can_become(Some(Draft), Approved));
        assert!(!Approved.open() && Returned.open());
        // What awaits approval takes nothing new until it is returned.
        assert!(!Submitted.open());
        assert!(!SubmissionState::can_become(Some(Submitted), Draft));
        assert!(!SubmissionState::can_become(Some(Submitted), Submitted));
    }
}
