//! What an audit entry says beyond its action and entity: its `detail`,
//! written as a compact JSON object with stable snake_case fields, in no
//! language, so that each reader words it in its own (the web in the
//! viewer's, the command line in English). Decimals are kept as the text
//! stored, never rounded; statuses by their codes.
//!
//! Entries written before this hold an English sentence; they keep it (the
//! chain hashes the text as written) and read back as that text.

use serde::{Deserialize, Serialize};

/// The detail of one audit entry, by the action that wrote it. Each shape
/// has its own set of fields, so that the JSON alone says which it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum AuditDetail {
    /// `value.submit`: a figure's new version.
    Figure { version: u32, value: String, status: String, origin: String },
    /// `task.progress`: a task's new report; the percentage as a decimal.
    Progress {
        version: u32,
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        percent: Option<String>,
    },
    /// `submission.*`: an agency's period moved to `state`, with the figure
    /// versions a submit or an approval covered.
    Submission { version: u32, state: String, comment: String, figures: Vec<Covered> },
    /// `measure.revise`: the target as the decision sets it (`target` as
    /// the plan writes targets), `decided_on` as `2025-02-19`.
    Revision { measure: String, target: String, decision: String, decided_on: String },
    /// `measure.assign`: the lead agency and the units that report their part.
    Assignment { lead: String, units: Vec<String> },
    /// `plan.save`.
    Plan { region: String, year: i32, measures: usize, tasks: usize },
    /// `org_units.put`, `agencies.put`: the codes written.
    Codes { codes: Vec<String> },
    /// `audit.seal`: entries from before the chain chained, records sealed.
    Seal { chained: usize, sealed: usize },
    /// `user.create`: the role by its code.
    Account {
        name: String,
        role: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agency: Option<String>,
    },
    /// `user.login`: the client's address.
    Login { from: String },
    /// `user.login_failed`: wrong passwords in a row, and the lock they set.
    LoginFailed {
        from: String,
        count: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locked_until: Option<String>,
    },
    /// `user.passwd`: a one-time password set by someone else, or a
    /// password its owner chose.
    Password { one_time: bool },
    /// `comment.add`.
    Comment { body: String },
    /// `draft.create`: the resolution's file.
    Draft { file_name: String },
    /// `draft.confirm`: the plan it became.
    Confirmed { plan: i64 },
    /// `user.unlock`, `user.disable`, `user.enable`, `user.logout`,
    /// `draft.update`: the action says it all (`{}`).
    Nothing {},
}

/// A figure version a submission's move covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Covered {
    pub measure: String,
    pub org_unit: String,
    pub version: u32,
}

impl AuditDetail {
    /// The detail an entry of `action` holds, if it is one written as JSON
    /// and of that action's shape; `None` for the English text of an older
    /// entry, or what this version does not know.
    pub fn read(action: &str, text: &str) -> Option<Self> {
        if !text.starts_with('{') {
            return None;
        }
        let detail: Self = serde_json::from_str(text).ok()?;
        detail.fits(action).then_some(detail)
    }

    /// Whether an entry of `action` writes this shape.
    fn fits(&self, action: &str) -> bool {
        match self {
            Self::Figure { .. } => action == "value.submit",
            Self::Progress { .. } => action == "task.progress",
            Self::Submission { state, .. } => action.strip_prefix("submission.") == Some(state.as_str()),
            Self::Revision { .. } => action == "measure.revise",
            Self::Assignment { .. } => action == "measure.assign",
            Self::Plan { .. } => action == "plan.save",
            Self::Codes { .. } => matches!(action, "org_units.put" | "agencies.put"),
            Self::Seal { .. } => action == "audit.seal",
            Self::Account { .. } => action == "user.create",
            Self::Login { .. } => action == "user.login",
            Self::LoginFailed { .. } => action == "user.login_failed",
            Self::Password { .. } => action == "user.passwd",
            Self::Comment { .. } => action == "comment.add",
            Self::Draft { .. } => action == "draft.create",
            Self::Confirmed { .. } => action == "draft.confirm",
            Self::Nothing {} => {
                matches!(
                    action,
                    "user.unlock" | "user.disable" | "user.enable" | "user.logout" | "draft.update" | "plan.default"
                )
            }
        }
    }

    /// The text stored: compact JSON.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an audit detail is text, numbers and lists")
    }

    /// In English, as the command line has always said it (`v1 = 180.2
    /// (estimate, entered)`); `action` is the entry's, which says what a
    /// [`AuditDetail::Nothing`] stands for.
    pub fn english(&self, action: &str) -> String {
        match self {
            Self::Figure { version, value, status, origin } => format!("v{version} = {value} ({status}, {origin})"),
            Self::Progress { version, status, percent } => {
                let percent = percent.as_ref().map(|p| format!(" {p}%")).unwrap_or_default();
                format!("v{version}: {status}{percent}")
            }
            Self::Submission { version, state, comment, figures } => {
                let mut text = format!("v{version}: {state}");
                if !comment.is_empty() {
                    text.push_str(&format!(" — {comment}"));
                }
                if !figures.is_empty() {
                    let listed: Vec<String> =
                        figures.iter().map(|f| format!("{} {} v{}", f.measure, f.org_unit, f.version)).collect();
                    text.push_str(&format!(" [{}]", listed.join(", ")));
                }
                text
            }
            Self::Revision { measure, target, decision, decided_on } => {
                format!("{measure} → {target} by {decision} of {}", day(decided_on))
            }
            Self::Assignment { lead, units } => format!("lead {lead}; units {}", units.join(", ")),
            Self::Plan { region, year, measures, tasks } => {
                format!("{region} {year}: {measures} measures, {tasks} tasks")
            }
            Self::Codes { codes } => codes.join(", "),
            Self::Seal { chained, sealed } => format!("{chained} earlier entries chained, {sealed} records sealed"),
            Self::Account { name, role, agency } => {
                format!("{name} ({role}{})", agency.as_ref().map(|a| format!(", {a}")).unwrap_or_default())
            }
            Self::Login { from } => format!("from {from}"),
            Self::LoginFailed { from, count, locked_until } => match locked_until {
                Some(until) => format!("wrong password from {from} ({count} in a row); locked until {until}"),
                None => format!("wrong password from {from} ({count} in a row)"),
            },
            Self::Password { one_time: true } => "one-time password set; other sessions ended".into(),
            Self::Password { one_time: false } => "password changed; other sessions ended".into(),
            Self::Comment { body } => body.clone(),
            Self::Draft { file_name } => file_name.clone(),
            Self::Confirmed { plan } => format!("plan {plan}"),
            Self::Nothing {} => match action {
                "user.unlock" => "failed logins cleared",
                "user.disable" => "signs in no more; sessions ended",
                "user.enable" => "may sign in again",
                "user.logout" => "session ended",
                "draft.update" => "plan file corrected",
                "plan.default" => "worked on when no plan is named",
                _ => "",
            }
            .into(),
        }
    }
}

/// `2025-02-19` as `19/02/2025`; other text as it is.
fn day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), |d| d.format("%d/%m/%Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        text.to_string()
    }

    /// Every shape, as stored, and in English as the command line said it
    /// before details were JSON.
    fn every_shape() -> Vec<(&'static str, AuditDetail, &'static str, &'static str)> {
        use AuditDetail::*;
        let covered = |measure: &str, version| Covered { measure: s(measure), org_unit: s("83"), version };
        vec![
            (
                "value.submit",
                Figure { version: 1, value: s("180.20"), status: s("estimate"), origin: s("entered") },
                r#"{"version":1,"value":"180.20","status":"estimate","origin":"entered"}"#,
                "v1 = 180.20 (estimate, entered)",
            ),
            (
                "task.progress",
                Progress { version: 2, status: s("in_progress"), percent: Some(s("37.5")) },
                r#"{"version":2,"status":"in_progress","percent":"37.5"}"#,
                "v2: in_progress 37.5%",
            ),
            (
                "task.progress",
                Progress { version: 1, status: s("not_started"), percent: None },
                r#"{"version":1,"status":"not_started"}"#,
                "v1: not_started",
            ),
            (
                "submission.approved",
                Submission {
                    version: 3,
                    state: s("approved"),
                    comment: s("đủ số liệu"),
                    figures: vec![covered("c.1", 2), covered("c.2", 1)],
                },
                r#"{"version":3,"state":"approved","comment":"đủ số liệu","figures":[{"measure":"c.1","org_unit":"83","version":2},{"measure":"c.2","org_unit":"83","version":1}]}"#,
                "v3: approved — đủ số liệu [c.1 83 v2, c.2 83 v1]",
            ),
            (
                "submission.draft",
                Submission { version: 1, state: s("draft"), comment: s(""), figures: vec![] },
                r#"{"version":1,"state":"draft","comment":"","figures":[]}"#,
                "v1: draft",
            ),
            (
                "measure.revise",
                Revision {
                    measure: s("a.1"),
                    target: s("≥ 8%"),
                    decision: s("01/2025/NQ-HĐND"),
                    decided_on: s("2025-02-19"),
                },
                r#"{"measure":"a.1","target":"≥ 8%","decision":"01/2025/NQ-HĐND","decided_on":"2025-02-19"}"#,
                "a.1 → ≥ 8% by 01/2025/NQ-HĐND of 19/02/2025",
            ),
            (
                "measure.assign",
                Assignment { lead: s("SCT"), units: vec![s("83"), s("84")] },
                r#"{"lead":"SCT","units":["83","84"]}"#,
                "lead SCT; units 83, 84",
            ),
            (
                "plan.save",
                Plan { region: s("Bến Tre"), year: 2025, measures: 33, tasks: 12 },
                r#"{"region":"Bến Tre","year":2025,"measures":33,"tasks":12}"#,
                "Bến Tre 2025: 33 measures, 12 tasks",
            ),
            ("agencies.put", Codes { codes: vec![s("SCT"), s("SYT")] }, r#"{"codes":["SCT","SYT"]}"#, "SCT, SYT"),
            (
                "audit.seal",
                Seal { chained: 4, sealed: 73 },
                r#"{"chained":4,"sealed":73}"#,
                "4 earlier entries chained, 73 records sealed",
            ),
            (
                "user.create",
                Account { name: s("Người mới"), role: s("reporter"), agency: Some(s("SCT")) },
                r#"{"name":"Người mới","role":"reporter","agency":"SCT"}"#,
                "Người mới (reporter, SCT)",
            ),
            (
                "user.create",
                Account { name: s("An"), role: s("planner"), agency: None },
                r#"{"name":"An","role":"planner"}"#,
                "An (planner)",
            ),
            ("user.login", Login { from: s("10.0.0.1") }, r#"{"from":"10.0.0.1"}"#, "from 10.0.0.1"),
            (
                "user.login_failed",
                LoginFailed { from: s("10.0.0.1"), count: 5, locked_until: Some(s("2025-03-31T10:15:00.000Z")) },
                r#"{"from":"10.0.0.1","count":5,"locked_until":"2025-03-31T10:15:00.000Z"}"#,
                "wrong password from 10.0.0.1 (5 in a row); locked until 2025-03-31T10:15:00.000Z",
            ),
            (
                "user.login_failed",
                LoginFailed { from: s("10.0.0.1"), count: 1, locked_until: None },
                r#"{"from":"10.0.0.1","count":1}"#,
                "wrong password from 10.0.0.1 (1 in a row)",
            ),
            (
                "user.passwd",
                Password { one_time: true },
                r#"{"one_time":true}"#,
                "one-time password set; other sessions ended",
            ),
            ("comment.add", Comment { body: s("Ghi chú") }, r#"{"body":"Ghi chú"}"#, "Ghi chú"),
            ("draft.create", Draft { file_name: s("nq.docx") }, r#"{"file_name":"nq.docx"}"#, "nq.docx"),
            ("draft.confirm", Confirmed { plan: 2 }, r#"{"plan":2}"#, "plan 2"),
            ("user.disable", Nothing {}, "{}", "signs in no more; sessions ended"),
            ("draft.update", Nothing {}, "{}", "plan file corrected"),
            ("plan.default", Nothing {}, "{}", "worked on when no plan is named"),
        ]
    }

    #[test]
    fn each_shape_is_stored_as_compact_json_and_read_back_by_its_action() {
        for (action, detail, json, english) in every_shape() {
            assert_eq!(detail.to_json(), json, "{action}");
            assert_eq!(AuditDetail::read(action, json).as_ref(), Some(&detail), "{action}: {json}");
            assert_eq!(detail.english(action), english, "{action}");
        }
    }

    #[test]
    fn older_text_and_shapes_of_another_action_are_not_read() {
        assert_eq!(AuditDetail::read("value.submit", "v1 = 180.2 (estimate, entered)"), None);
        assert_eq!(AuditDetail::read("comment.add", "{không phải JSON"), None);
        assert_eq!(AuditDetail::read("user.login", r#"{"from":"10.0.0.1","count":1}"#), None);
        assert_eq!(AuditDetail::read("user.login", r#"{"from":"10.0.0.1","extra":1}"#), None);
        assert_eq!(
            AuditDetail::read("submission.returned", r#"{"version":1,"state":"draft","comment":"","figures":[]}"#),
            None
        );
        assert_eq!(AuditDetail::read("comment.add", "{}"), None);
        assert_eq!(day("2025-02-19"), "19/02/2025");
        assert_eq!(day("hôm qua"), "hôm qua");
    }
}
