//! The system of record: plans and their revisions, organisation units,
//! reported figures with every version kept, and an audit log written in the
//! same transaction as each change. One contract, two databases: SQLite (the
//! embedded default) and PostgreSQL (shared deployments).
//!
//! Nothing is updated in place. A revised target is a new version of its
//! measure; a new figure is a new version of its value; the latest wins and
//! the history stays. A figure submitted against a version that is no longer
//! the latest is refused as a conflict, not silently lost.

/// `AnyStore`'s methods call the same method of the backend it holds.
/// Defined before the modules so that each trait's impl for `AnyStore` uses it.
macro_rules! delegate {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            $crate::AnyStore::Sqlite($s) => $call.await,
            $crate::AnyStore::Postgres($s) => $call.await,
        }
    };
}

mod accounts;
pub mod chain;
pub mod notify;
pub use accounts::{Accounts, Comment, Draft, Drafts, Lockout, Move, NewUser, Seen, Submission, User};

use chrono::{NaiveDate, Utc};
use kehoach_domain::access::SubmissionState;
use kehoach_domain::org::{Agency, Assignment, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::progress::TaskProgress;
use kehoach_domain::value::{Origin, ValueStatus, Workflow};
use kehoach_domain::{Measure, Plan};
use rust_decimal::Decimal;
use std::future::Future;
use std::str::FromStr;

pub type PlanId = i64;

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(sqlx::Error),
    #[error("the database is locked by another writer and stayed so for 5 s; nothing was changed, try again")]
    Busy,
    #[error("database schema: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error(
        "{measure} {period} {org_unit} was changed meanwhile: you saw version {expected}, the latest is {current}; reload and enter it again"
    )]
    Conflict { measure: String, period: String, org_unit: String, expected: u32, current: u32 },
    #[error(
        "{measure} {period}: the figures of {agency} for this period are {}; they take no new figure until an approver returns or unlocks them",
        state.label_vi()
    )]
    Locked { measure: String, period: String, agency: String, state: SubmissionState },
    #[error("{subject}: the figures changed since they were shown ({}); look at them again before deciding", changes.join("; "))]
    Changed { subject: String, changes: Vec<String> },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            // SQLite's SQLITE_BUSY / SQLITE_LOCKED after the busy timeout.
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("5" | "6" | "517" | "262")) => Self::Busy,
            sqlx::Error::Database(db) if db.message().contains("database is locked") => Self::Busy,
            _ => Self::Database(e),
        }
    }
}

/// Which target version an evaluation is asked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    /// As adopted.
    Original,
    /// With every later decision applied.
    Current,
}

/// A later decision that changes one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The measure as the decision sets it (same key).
    pub measure: Measure,
    /// Number and body of the decision, e.g. "01/2025/NQ-HĐND".
    pub decision: String,
    pub decided_on: NaiveDate,
}

/// One version of a measure's target.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureVersion {
    pub version: u32,
    pub measure: Measure,
    pub decision: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub recorded_by: String,
}

/// A figure to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewValue {
    pub measure: String,
    pub org_unit: String,
    pub period: Period,
    pub value: Decimal,
    pub status: ValueStatus,
    pub note: String,
    pub origin: Origin,
    /// The agency whose submission an entered figure belongs to: required
    /// for [`Origin::Entered`], none for the others.
    pub agency: Option<String>,
    /// The version the person saw (0: none yet). `None` appends whatever is
    /// there, for imports of published figures.
    pub expected_version: Option<u32>,
}

/// A stored figure.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue {
    pub measure: String,
    pub org_unit: String,
    pub period: Period,
    pub version: u32,
    pub value: Decimal,
    pub status: ValueStatus,
    pub note: String,
    pub origin: Origin,
    /// The agency whose submission it belongs to (entered figures).
    pub agency: Option<String>,
    /// Where this version stands, and so whether it counts.
    pub workflow: Workflow,
    pub entered_by: String,
    pub entered_at: String,
}

/// Which figures `value_versions` lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Which {
    pub measure: String,
    pub period: Option<Period>,
    pub org_unit: Option<String>,
}

/// What [`Store::enter`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Entered {
    /// The new version of each figure.
    pub versions: Vec<u32>,
    /// The submission's new version, when it moved.
    pub moved: Option<Moved>,
}

/// A submission's move, and the figures it released.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub version: u32,
    /// The figures an approval made count (empty for other moves).
    pub released: Vec<StoredValue>,
}

/// Everything a new database starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub plan: Plan,
    pub units: Vec<OrgUnit>,
    pub agencies: Vec<Agency>,
    pub assignments: Vec<Assignment>,
    pub values: Vec<NewValue>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
}

/// What both databases do, one contract.
pub trait Store: Send + Sync {
    fn save_plan(&self, plan: &Plan, by: &str) -> impl Future<Output = Result<PlanId, StoreError>> + Send;
    /// A new database's first load, in one transaction: units, the plan and
    /// its figures, or nothing at all (a process killed half way leaves the
    /// database empty). Refused when a plan is already there.
    fn init(&self, setup: &Setup, by: &str) -> impl Future<Output = Result<PlanId, StoreError>> + Send;
    fn plans(&self) -> impl Future<Output = Result<Vec<(PlanId, String, i32)>, StoreError>> + Send;
    fn plan(&self, id: PlanId, against: Against) -> impl Future<Output = Result<Plan, StoreError>> + Send;
    fn revise(&self, id: PlanId, revision: &Revision, by: &str)
    -> impl Future<Output = Result<u32, StoreError>> + Send;
    fn measure_history(
        &self,
        id: PlanId,
        measure: &str,
    ) -> impl Future<Output = Result<Vec<MeasureVersion>, StoreError>> + Send;
    fn put_org_units(&self, units: &[OrgUnit], by: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn org_units(&self) -> impl Future<Output = Result<Vec<OrgUnit>, StoreError>> + Send;
    /// Stores figures all or nothing; returns the new version of each.
    fn submit_values(
        &self,
        id: PlanId,
        values: &[NewValue],
        by: &str,
    ) -> impl Future<Output = Result<Vec<u32>, StoreError>> + Send;
    /// Every version of one figure, oldest first.
    fn value_history(
        &self,
        id: PlanId,
        measure: &str,
        org_unit: &str,
        period: Period,
    ) -> impl Future<Output = Result<Vec<StoredValue>, StoreError>> + Send;
    /// The latest version of every figure of a plan, counted or not, with
    /// its workflow state.
    fn latest_values(&self, id: PlanId) -> impl Future<Output = Result<Vec<StoredValue>, StoreError>> + Send;
    /// The figures that count: of each figure, the latest version someone
    /// answerable released (approved, or recorded and published ones, which
    /// count once stored). Verdicts, reports and the public read these only.
    fn released_values(&self, id: PlanId) -> impl Future<Output = Result<Vec<StoredValue>, StoreError>> + Send;
    /// Every version of the figures asked for, oldest first within each
    /// figure, with its workflow state.
    fn value_versions(
        &self,
        id: PlanId,
        which: &Which,
    ) -> impl Future<Output = Result<Vec<StoredValue>, StoreError>> + Send;
    /// Stores an agency's figures and moves its submission, in one
    /// transaction: both or neither.
    fn enter(
        &self,
        id: PlanId,
        values: &[NewValue],
        step: Option<&Move<'_>>,
        by: &str,
    ) -> impl Future<Output = Result<Entered, StoreError>> + Send;
    /// Reports a task's progress; `expected_version` is the version the
    /// person saw (0: none yet). Returns the new version.
    fn report_progress(
        &self,
        id: PlanId,
        progress: &TaskProgress,
        expected_version: u32,
        by: &str,
    ) -> impl Future<Output = Result<u32, StoreError>> + Send;
    /// Every report of a task, oldest first, with who and when.
    fn task_history(
        &self,
        id: PlanId,
        task: &str,
    ) -> impl Future<Output = Result<Vec<(u32, TaskProgress, String, String)>, StoreError>> + Send;
    fn put_agencies(&self, agencies: &[Agency], by: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn agencies(&self) -> impl Future<Output = Result<Vec<Agency>, StoreError>> + Send;
    /// Sets who answers for measures (replacing what was set, in the audit log).
    fn assign(
        &self,
        id: PlanId,
        assignments: &[Assignment],
        by: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn assignments(&self, id: PlanId) -> impl Future<Output = Result<Vec<Assignment>, StoreError>> + Send;
    /// The audit log, newest first.
    fn audit(&self, limit: u32) -> impl Future<Output = Result<Vec<AuditEntry>, StoreError>> + Send;
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Invalid(format!("stored data unreadable: {e}")))
}

/// The columns of `value_versions` a [`ValueRow`] reads, prefixed `v.`
/// (a macro so that queries stay static text).
macro_rules! value_columns {
    () => {
        "v.measure, v.org_unit, v.period, v.version, v.value, v.status, v.note, v.origin, v.agency, v.entered_by, v.entered_at"
    };
}

/// A row of `value_versions` as read back.
type ValueRow = (String, String, String, i64, String, String, String, String, Option<String>, String, String);

/// What the submissions of a plan say about the versions they covered: the
/// moves of each (agency, period), and the (measure, unit, period, version)
/// each submit or approve move covered.
#[derive(Default)]
struct Coverage {
    /// (agency, period) → its moves: (version, state).
    moves: std::collections::HashMap<(String, String), Vec<(u32, SubmissionState)>>,
    /// (measure, unit, period, version) → the moves that covered it.
    covered: std::collections::HashMap<(String, String, String, u32), Vec<Covering>>,
}

/// A submit or approve move that covered a version: agency, the move's
/// version, its state.
type Covering = (String, u32, SubmissionState);

impl Coverage {
    /// The workflow state of one stored version.
    fn workflow(&self, origin: Origin, measure: &str, org_unit: &str, period: &str, version: u32) -> Workflow {
        if !origin.needs_approval() {
            return Workflow::Recorded;
        }
        let key = (measure.to_string(), org_unit.to_string(), period.to_string(), version);
        let Some(moves) = self.covered.get(&key) else { return Workflow::Draft };
        if moves.iter().any(|(_, _, s)| *s == SubmissionState::Approved) {
            return Workflow::Approved;
        }
        // Submitted: still awaiting, unless the move after it returned it.
        let (agency, at, _) = moves.iter().max_by_key(|(_, v, _)| *v).expect("not empty");
        let next = self
            .moves
            .get(&(agency.clone(), period.to_string()))
            .and_then(|m| m.iter().find(|(v, _)| *v == at + 1).map(|(_, s)| *s));
        match next {
            None => Workflow::Submitted,
            Some(_) => Workflow::Returned,
        }
    }
}

fn stored_value(row: ValueRow, coverage: &Coverage) -> Result<StoredValue, StoreError> {
    let (measure, org_unit, period, version, value, status, note, origin, agency, entered_by, entered_at) = row;
    let origin: Origin = origin.parse().map_err(StoreError::Invalid)?;
    let workflow = coverage.workflow(origin, &measure, &org_unit, &period, version as u32);
    Ok(StoredValue {
        measure,
        org_unit,
        period: period.parse().map_err(|e: kehoach_domain::period::PeriodError| StoreError::Invalid(e.to_string()))?,
        version: version as u32,
        value: Decimal::from_str(&value).map_err(|e| StoreError::Invalid(format!("stored figure {value}: {e}")))?,
        status: status.parse().map_err(StoreError::Invalid)?,
        note,
        origin,
        agency,
        workflow,
        entered_by,
        entered_at,
    })
}

/// What differs between the versions an approver saw and the figures as
/// they stand: one line per figure.
fn changed(seen: &[accounts::Seen], now: &[ValueRow]) -> Vec<String> {
    let mut changes = Vec::new();
    for row in now {
        let (measure, org_unit, version) = (&row.0, &row.1, row.3 as u32);
        match seen.iter().find(|s| &s.measure == measure && &s.org_unit == org_unit) {
            Some(s) if s.version == version => {}
            Some(s) => changes.push(format!("{measure} {org_unit}: v{} → v{version}", s.version)),
            None => changes.push(format!("{measure} {org_unit}: v{version} not shown")),
        }
    }
    for s in seen {
        if !now.iter().any(|r| r.0 == s.measure && r.1 == s.org_unit) {
            changes.push(format!("{} {}: v{} no longer there", s.measure, s.org_unit, s.version));
        }
    }
    changes
}

/// Whether a database error is a broken uniqueness rule: two writers took the
/// same version at once.
fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// One body of code for both databases: the SQL is the same (numbered
/// parameters, RETURNING), only the pool type differs.
macro_rules! store_impl {
    ($store:ident, $db:ty, $pool:ty, $begin:literal, $exclusive:literal) => {
        #[derive(Debug, Clone)]
        pub struct $store {
            pool: $pool,
        }

        impl $store {
            pub fn pool(&self) -> &$pool {
                &self.pool
            }

            /// Chains the audit entries written before the chain existed and
            /// seals the records then present, in one entry: once, the first
            /// time a database is opened with the head missing (a new
            /// database, or one from before the chain).
            async fn seal(&self) -> Result<(), StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let made = sqlx::query("INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING")
                    .bind(chain::GENESIS)
                    .execute(&mut *tx)
                    .await?;
                if made.rows_affected() == 0 {
                    return Ok(());
                }
                let old: Vec<(i64, String, String, String, String, String)> =
                    sqlx::query_as("SELECT id, at, actor, action, entity, detail FROM audit_log ORDER BY id").fetch_all(&mut *tx).await?;
                let (mut prev, mut last) = (chain::GENESIS.to_string(), 0);
                for (id, at, actor, action, entity, detail) in &old {
                    let hash = chain::hash(&prev, at, actor, action, entity, detail, "");
                    sqlx::query("UPDATE audit_log SET records = '', prev_hash = $1, hash = $2 WHERE id = $3")
                        .bind(&prev)
                        .bind(&hash)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    (prev, last) = (hash, *id);
                }
                sqlx::query("UPDATE audit_head SET last_id = $1, hash = $2 WHERE id = 1").bind(last).bind(&prev).execute(&mut *tx).await?;
                let records = Self::records_in(&mut tx).await?;
                if !records.is_empty() {
                    let detail = format!("{} earlier entries chained, {} records sealed", old.len(), records.len());
                    Self::log_in(&mut tx, "kehoach", "audit.seal", "audit_log", &detail, &records).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            /// Every record row, as the chain hashes it.
            async fn records_in(tx: &mut sqlx::Transaction<'_, $db>) -> Result<Vec<chain::Record>, StoreError> {
                use chain::rows;
                let mut out = Vec::new();
                let plans: Vec<rows::Plan> = sqlx::query_as(rows::PLANS).fetch_all(&mut **tx).await?;
                out.extend(plans.iter().map(rows::plan));
                let targets: Vec<rows::MeasureVersion> = sqlx::query_as(rows::MEASURE_VERSIONS).fetch_all(&mut **tx).await?;
                out.extend(targets.iter().map(rows::measure_version));
                let values: Vec<rows::ValueVersion> = sqlx::query_as(rows::VALUE_VERSIONS).fetch_all(&mut **tx).await?;
                out.extend(values.iter().map(rows::value_version));
                let moves: Vec<rows::Submission> = sqlx::query_as(rows::SUBMISSIONS).fetch_all(&mut **tx).await?;
                out.extend(moves.iter().map(rows::submission));
                let covered: Vec<rows::SubmissionFigure> = sqlx::query_as(rows::SUBMISSION_FIGURES).fetch_all(&mut **tx).await?;
                out.extend(covered.iter().map(rows::submission_figure));
                let progress: Vec<rows::TaskProgress> = sqlx::query_as(rows::TASK_PROGRESS).fetch_all(&mut **tx).await?;
                out.extend(progress.iter().map(rows::task_progress));
                Ok(out)
            }

            /// Checks the audit chain and every record against it (see
            /// [`chain::verify`]). Holding the head's row meanwhile, no
            /// record is written half-way through the check.
            pub async fn verify_audit(&self) -> Result<Result<chain::Intact, chain::Broken>, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let head: Option<(i64, String)> =
                    sqlx::query_as("UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_id, hash")
                        .fetch_optional(&mut *tx)
                        .await?;
                let entries: Vec<(i64, String, String, String, String, String, String, Option<String>, Option<String>)> =
                    sqlx::query_as(
                        "SELECT id, at, actor, action, entity, detail, records, prev_hash, hash FROM audit_log ORDER BY id",
                    )
                    .fetch_all(&mut *tx)
                    .await?;
                let entries: Vec<chain::Entry> = entries
                    .into_iter()
                    .map(|(id, at, actor, action, entity, detail, records, prev_hash, hash)| chain::Entry {
                        id,
                        at,
                        actor,
                        action,
                        entity,
                        detail,
                        records,
                        prev_hash,
                        hash,
                    })
                    .collect();
                let records = Self::records_in(&mut tx).await?;
                tx.rollback().await?;
                Ok(chain::verify(&entries, head, records))
            }

            /// Serialises, until the transaction ends, every save and every
            /// submission move of one plan's period: a save can then never
            /// slip in beside the approval of what it changes.
            async fn exclusive(tx: &mut sqlx::Transaction<'_, $db>, id: PlanId, period: &str) -> Result<(), StoreError> {
                sqlx::query($exclusive).bind(id).bind(period).execute(&mut **tx).await?;
                Ok(())
            }

            async fn coverage(&self, id: PlanId) -> Result<Coverage, StoreError> {
                let mut coverage = Coverage::default();
                let moves: Vec<(String, String, i64, String)> =
                    sqlx::query_as("SELECT agency, period, version, state FROM submissions WHERE plan_id = $1")
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                for (agency, period, version, state) in moves {
                    let state: SubmissionState = state.parse().map_err(StoreError::Invalid)?;
                    coverage.moves.entry((agency, period)).or_default().push((version as u32, state));
                }
                let covered: Vec<(String, String, i64, String, String, String, i64)> = sqlx::query_as(
                    "SELECT agency, period, submission_version, state, measure, org_unit, version FROM submission_figures WHERE plan_id = $1",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                for (agency, period, at, state, measure, org_unit, version) in covered {
                    let state: SubmissionState = state.parse().map_err(StoreError::Invalid)?;
                    coverage.covered.entry((measure, org_unit, period, version as u32)).or_default().push((agency, at as u32, state));
                }
                Ok(coverage)
            }

            /// The latest version of each figure of an agency's period that
            /// the agency entered: what it submits and an approver approves.
            async fn agency_figures(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: PlanId,
                agency: &str,
                period: &str,
            ) -> Result<Vec<ValueRow>, StoreError> {
                let sql = concat!(
                    "SELECT ", value_columns!(), " FROM value_versions v WHERE v.plan_id = $1 AND v.period = $2 AND v.agency = $3 \
                     AND v.origin = 'entered' AND v.version = (SELECT MAX(w.version) FROM value_versions w \
                     WHERE w.plan_id = v.plan_id AND w.measure = v.measure AND w.org_unit = v.org_unit AND w.period = v.period) \
                     ORDER BY v.measure, v.org_unit"
                );
                Ok(sqlx::query_as(sql).bind(id).bind(period).bind(agency).fetch_all(&mut **tx).await?)
            }

            /// Moves a submission (see [`Accounts::move_submission`]) inside
            /// a transaction: a submit records the versions it covers, an
            /// approval approves exactly the versions the approver saw.
            async fn move_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: PlanId,
                step: &Move<'_>,
                by: &str,
            ) -> Result<Moved, StoreError> {
                let Move { agency, period, to, comment, expected_version, seen } = *step;
                let period_text = period.to_string();
                Self::exclusive(tx, id, &period_text).await?;
                let latest: Option<(i64, String)> = sqlx::query_as(
                    "SELECT version, state FROM submissions WHERE plan_id = $1 AND agency = $2 AND period = $3 \
                     ORDER BY version DESC LIMIT 1",
                )
                .bind(id)
                .bind(agency)
                .bind(&period_text)
                .fetch_optional(&mut **tx)
                .await?;
                let current = latest.as_ref().map_or(0, |(v, _)| *v as u32);
                let from: Option<SubmissionState> = latest.map(|(_, s)| s.parse()).transpose().map_err(StoreError::Invalid)?;
                let subject = format!("{agency} {period}");
                let conflict = |current: u32| StoreError::Conflict {
                    measure: subject.clone(),
                    period: String::new(),
                    org_unit: String::new(),
                    expected: expected_version,
                    current,
                };
                if current != expected_version {
                    return Err(conflict(current));
                }
                if !SubmissionState::can_become(from, to) {
                    return Err(StoreError::Invalid(format!(
                        "{subject}: cannot go from {} to {}",
                        from.map_or("nothing", |s| s.label_vi()),
                        to.label_vi()
                    )));
                }
                let figures = Self::agency_figures(tx, id, agency, &period_text).await?;
                if to == SubmissionState::Approved {
                    let Some(seen) = seen else {
                        return Err(StoreError::Invalid(format!("{subject}: an approval names the versions of the figures approved")));
                    };
                    let changes = changed(seen, &figures);
                    if !changes.is_empty() {
                        return Err(StoreError::Changed { subject, changes });
                    }
                }
                let version = current + 1;
                let at = now();
                let inserted = sqlx::query(
                    "INSERT INTO submissions (plan_id, agency, period, version, state, comment, by_user, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(agency)
                .bind(&period_text)
                .bind(version as i64)
                .bind(to.as_str())
                .bind(comment)
                .bind(by)
                .bind(&at)
                .execute(&mut **tx)
                .await;
                if let Err(e) = inserted {
                    return Err(if is_unique_violation(&e) { conflict(version) } else { e.into() });
                }
                let mut records = vec![chain::rows::submission(&(
                    id,
                    agency.to_string(),
                    period_text.clone(),
                    version as i64,
                    to.as_str().to_string(),
                    comment.to_string(),
                    by.to_string(),
                    at,
                ))];
                let covers = matches!(to, SubmissionState::Submitted | SubmissionState::Approved);
                if covers {
                    for row in &figures {
                        sqlx::query(
                            "INSERT INTO submission_figures (plan_id, agency, period, submission_version, state, measure, org_unit, version) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        )
                        .bind(id)
                        .bind(agency)
                        .bind(&period_text)
                        .bind(version as i64)
                        .bind(to.as_str())
                        .bind(&row.0)
                        .bind(&row.1)
                        .bind(row.3)
                        .execute(&mut **tx)
                        .await?;
                        records.push(chain::rows::submission_figure(&(
                            id,
                            agency.to_string(),
                            period_text.clone(),
                            version as i64,
                            row.0.clone(),
                            row.1.clone(),
                            to.as_str().to_string(),
                            row.3,
                        )));
                    }
                }
                let listed: Vec<String> = figures.iter().map(|r| format!("{} {} v{}", r.0, r.1, r.3)).collect();
                let mut detail = format!("v{version}: {}", to.as_str());
                if !comment.is_empty() {
                    detail.push_str(&format!(" — {comment}"));
                }
                if covers && !listed.is_empty() {
                    detail.push_str(&format!(" [{}]", listed.join(", ")));
                }
                Self::log_in(tx, by, &format!("submission.{}", to.as_str()), &format!("plan {id} {subject}"), &detail, &records).await?;
                let released = if to == SubmissionState::Approved {
                    figures.into_iter().map(|row| stored_value(row, &Coverage::default()).map(|v| StoredValue { workflow: Workflow::Approved, ..v })).collect::<Result<_, _>>()?
                } else {
                    Vec::new()
                };
                Ok(Moved { version, released })
            }

            /// An audit entry that wrote no record (a login, an assignment…).
            async fn audit_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                actor: &str,
                action: &str,
                entity: &str,
                detail: &str,
            ) -> Result<(), StoreError> {
                Self::log_in(tx, actor, action, entity, detail, &[]).await
            }

            /// Appends an entry to the audit chain (see [`chain`]), with the
            /// records it wrote. Taking the head's row serialises appends
            /// until the transaction ends, so the chain never forks.
            async fn log_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                actor: &str,
                action: &str,
                entity: &str,
                detail: &str,
                records: &[chain::Record],
            ) -> Result<(), StoreError> {
                let head: Option<(String,)> = sqlx::query_as("UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING hash")
                    .fetch_optional(&mut **tx)
                    .await?;
                let Some((prev,)) = head else {
                    return Err(StoreError::Invalid(
                        "the audit log's head is missing: nothing can be recorded until `kehoach audit verify` is run and the log repaired".into(),
                    ));
                };
                let at = now();
                let lines = chain::lines(records);
                let hash = chain::hash(&prev, &at, actor, action, entity, detail, &lines);
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO audit_log (at, actor, action, entity, detail, records, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&at)
                .bind(actor)
                .bind(action)
                .bind(entity)
                .bind(detail)
                .bind(&lines)
                .bind(&prev)
                .bind(&hash)
                .fetch_one(&mut **tx)
                .await?;
                sqlx::query("UPDATE audit_head SET last_id = $1, hash = $2 WHERE id = 1").bind(id).bind(&hash).execute(&mut **tx).await?;
                Ok(())
            }

            async fn save_plan_in(tx: &mut sqlx::Transaction<'_, $db>, plan: &Plan, by: &str) -> Result<PlanId, StoreError> {
                let at = now();
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO plans (region, year, plan, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&plan.region)
                .bind(plan.year)
                .bind(json(plan)?)
                .bind(&at)
                .bind(by)
                .fetch_one(&mut **tx)
                .await?;
                let mut records =
                    vec![chain::rows::plan(&(id, plan.region.clone(), i64::from(plan.year), json(plan)?, at.clone(), by.to_string()))];
                for m in plan.measures() {
                    let target = json(m)?;
                    sqlx::query(
                        "INSERT INTO measure_versions (plan_id, measure, version, target, recorded_at, recorded_by) VALUES ($1, $2, 1, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(&m.key)
                    .bind(&target)
                    .bind(&at)
                    .bind(by)
                    .execute(&mut **tx)
                    .await?;
                    records.push(chain::rows::measure_version(&(id, m.key.clone(), 1, target, None, None, at.clone(), by.to_string())));
                }
                let detail = format!("{} {}: {} measures, {} tasks", plan.region, plan.year, plan.measures().count(), plan.tasks.len());
                Self::log_in(tx, by, "plan.save", &format!("plan {id}"), &detail, &records).await?;
                Ok(id)
            }

            async fn put_org_units_in(tx: &mut sqlx::Transaction<'_, $db>, units: &[OrgUnit], by: &str) -> Result<(), StoreError> {
                for u in units {
                    sqlx::query(
                        "INSERT INTO org_units (code, unit) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET unit = excluded.unit",
                    )
                    .bind(&u.code)
                    .bind(json(u)?)
                    .execute(&mut **tx)
                    .await?;
                }
                let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
                Self::audit_in(tx, by, "org_units.put", "org_units", &codes.join(", ")).await
            }

            async fn put_agencies_in(tx: &mut sqlx::Transaction<'_, $db>, agencies: &[Agency], by: &str) -> Result<(), StoreError> {
                for a in agencies {
                    sqlx::query("INSERT INTO agencies (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = excluded.name")
                        .bind(&a.code)
                        .bind(&a.name)
                        .execute(&mut **tx)
                        .await?;
                }
                let codes: Vec<&str> = agencies.iter().map(|a| a.code.as_str()).collect();
                Self::audit_in(tx, by, "agencies.put", "agencies", &codes.join(", ")).await?;
                Ok(())
            }

            async fn assign_in(tx: &mut sqlx::Transaction<'_, $db>, id: PlanId, assignments: &[Assignment], by: &str) -> Result<(), StoreError> {
                // Tasks are assigned under `task:<key>`: their keys are checked
                // against the plan's tasks, read once.
                let mut tasks: Option<std::collections::HashSet<String>> = None;
                for a in assignments {
                    let known = if let Some(task) = a.measure.strip_prefix("task:") {
                        if tasks.is_none() {
                            let plan: Option<(String,)> = sqlx::query_as("SELECT plan FROM plans WHERE id = $1")
                                .bind(id)
                                .fetch_optional(&mut **tx)
                                .await?;
                            let plan: Plan = from_json(&plan.ok_or_else(|| StoreError::NotFound(format!("plan {id}")))?.0)?;
                            tasks = Some(plan.tasks.into_iter().map(|t| t.key).collect());
                        }
                        i64::from(tasks.as_ref().is_some_and(|t| t.contains(task)))
                    } else {
                        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM measure_versions WHERE plan_id = $1 AND measure = $2")
                            .bind(id)
                            .bind(&a.measure)
                            .fetch_one(&mut **tx)
                            .await?;
                        n
                    };
                    if known == 0 {
                        return Err(StoreError::NotFound(format!("measure {} of plan {id}", a.measure)));
                    }
                    let (agency,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agencies WHERE code = $1")
                        .bind(&a.lead)
                        .fetch_one(&mut **tx)
                        .await?;
                    if agency == 0 {
                        return Err(StoreError::NotFound(format!("agency {}", a.lead)));
                    }
                    sqlx::query(
                        "INSERT INTO assignments (plan_id, measure, lead, contributors) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (plan_id, measure) DO UPDATE SET lead = excluded.lead, contributors = excluded.contributors",
                    )
                    .bind(id)
                    .bind(&a.measure)
                    .bind(&a.lead)
                    .bind(json(&a.contributors)?)
                    .execute(&mut **tx)
                    .await?;
                    let detail = format!("lead {}; units {}", a.lead, a.contributors.join(", "));
                    Self::audit_in(tx, by, "measure.assign", &format!("plan {id} {}", a.measure), &detail).await?;
                }
                Ok(())
            }

            async fn submit_values_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: PlanId,
                values: &[NewValue],
                by: &str,
            ) -> Result<Vec<u32>, StoreError> {
                let mut versions = Vec::with_capacity(values.len());
                let mut periods: Vec<String> = values.iter().map(|v| v.period.to_string()).collect();
                periods.sort();
                periods.dedup();
                for period in &periods {
                    Self::exclusive(tx, id, period).await?;
                }
                for v in values {
                    let period = v.period.to_string();
                    let subject = || format!("{} {} {period}", v.measure, v.org_unit);
                    if v.origin.needs_approval() != v.agency.is_some() {
                        return Err(StoreError::Invalid(format!(
                            "{}: a figure entered by an agency names that agency, and only such a figure does",
                            subject()
                        )));
                    }
                    if let Err(why) = kehoach_domain::value::storable(v.value) {
                        return Err(StoreError::Invalid(format!("{}: {why}", subject())));
                    }
                    let (current,): (Option<i64>,) = sqlx::query_as(
                        "SELECT MAX(version) FROM value_versions WHERE plan_id = $1 AND measure = $2 AND org_unit = $3 AND period = $4",
                    )
                    .bind(id)
                    .bind(&v.measure)
                    .bind(&v.org_unit)
                    .bind(&period)
                    .fetch_one(&mut **tx)
                    .await?;
                    let current = current.unwrap_or(0) as u32;
                    let conflict = |current: u32| StoreError::Conflict {
                        measure: v.measure.clone(),
                        period: period.clone(),
                        org_unit: v.org_unit.clone(),
                        expected: v.expected_version.unwrap_or(current),
                        current,
                    };
                    if v.expected_version.is_some_and(|seen| seen != current) {
                        return Err(conflict(current));
                    }
                    // An agency's period that awaits approval or is approved
                    // takes nothing new, from any path, until an approver
                    // returns or unlocks it: the figure's own agency and the
                    // measure's lead agency alike.
                    let locked: Option<(String, String)> = sqlx::query_as(
                        "SELECT s.agency, s.state FROM submissions s \
                         WHERE s.plan_id = $1 AND s.period = $2 AND s.state IN ('submitted', 'approved') \
                         AND (s.agency = $3 OR s.agency IN (SELECT a.lead FROM assignments a WHERE a.plan_id = $1 AND a.measure = $4)) \
                         AND s.version = (SELECT MAX(t.version) FROM submissions t WHERE t.plan_id = s.plan_id \
                         AND t.agency = s.agency AND t.period = s.period)",
                    )
                    .bind(id)
                    .bind(&period)
                    .bind(&v.agency)
                    .bind(&v.measure)
                    .fetch_optional(&mut **tx)
                    .await?;
                    if let Some((agency, state)) = locked {
                        let state = state.parse().map_err(StoreError::Invalid)?;
                        return Err(StoreError::Locked { measure: v.measure.clone(), period: period.clone(), agency, state });
                    }
                    let version = current + 1;
                    let row: chain::rows::ValueVersion = (
                        id,
                        v.measure.clone(),
                        v.org_unit.clone(),
                        period.clone(),
                        i64::from(version),
                        v.value.to_string(),
                        v.status.as_str().to_string(),
                        v.note.clone(),
                        v.origin.as_str().to_string(),
                        v.agency.clone(),
                        by.to_string(),
                        now(),
                    );
                    let inserted = sqlx::query(
                        "INSERT INTO value_versions (plan_id, measure, org_unit, period, version, value, status, note, origin, agency, entered_by, entered_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(row.0)
                    .bind(&row.1)
                    .bind(&row.2)
                    .bind(&row.3)
                    .bind(row.4)
                    .bind(&row.5)
                    .bind(&row.6)
                    .bind(&row.7)
                    .bind(&row.8)
                    .bind(&row.9)
                    .bind(&row.10)
                    .bind(&row.11)
                    .execute(&mut **tx)
                    .await;
                    if let Err(e) = inserted {
                        return Err(if is_unique_violation(&e) { conflict(version) } else { e.into() });
                    }
                    let detail = format!("v{version} = {} ({}, {})", v.value, v.status, v.origin.as_str());
                    let entity = format!("plan {id} {} {} {period}", v.measure, v.org_unit);
                    Self::log_in(tx, by, "value.submit", &entity, &detail, &[chain::rows::value_version(&row)]).await?;
                    versions.push(version);
                }
                Ok(versions)
            }
        }

        impl Store for $store {
            async fn save_plan(&self, plan: &Plan, by: &str) -> Result<PlanId, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let id = Self::save_plan_in(&mut tx, plan, by).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn init(&self, setup: &Setup, by: &str) -> Result<PlanId, StoreError> {
                let Setup { plan, units, agencies, assignments, values } = setup;
                let mut tx = self.pool.begin_with($begin).await?;
                let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plans").fetch_one(&mut *tx).await?;
                if existing > 0 {
                    return Err(StoreError::Invalid(format!("the database already holds {existing} plan(s); nothing changed")));
                }
                Self::put_org_units_in(&mut tx, units, by).await?;
                let id = Self::save_plan_in(&mut tx, plan, by).await?;
                Self::put_agencies_in(&mut tx, agencies, by).await?;
                Self::assign_in(&mut tx, id, assignments, by).await?;
                Self::submit_values_in(&mut tx, id, values, by).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn plans(&self) -> Result<Vec<(PlanId, String, i32)>, StoreError> {
                Ok(sqlx::query_as("SELECT id, region, year FROM plans ORDER BY id").fetch_all(&self.pool).await?)
            }

            async fn plan(&self, id: PlanId, against: Against) -> Result<Plan, StoreError> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT plan FROM plans WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
                let mut plan: Plan = from_json(&row.ok_or_else(|| StoreError::NotFound(format!("plan {id}")))?.0)?;
                if against == Against::Current {
                    let latest: Vec<(String, String)> = sqlx::query_as(
                        "SELECT v.measure, v.target FROM measure_versions v \
                         WHERE v.plan_id = $1 AND v.version = (SELECT MAX(w.version) FROM measure_versions w \
                         WHERE w.plan_id = v.plan_id AND w.measure = v.measure)",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                    for (key, target) in latest {
                        let revised: Measure = from_json(&target)?;
                        if let Some(m) = plan.targets.iter_mut().flat_map(|t| t.measures.iter_mut()).find(|m| m.key == key) {
                            *m = revised;
                        }
                    }
                }
                Ok(plan)
            }

            async fn revise(&self, id: PlanId, revision: &Revision, by: &str) -> Result<u32, StoreError> {
                let key = &revision.measure.key;
                let mut tx = self.pool.begin_with($begin).await?;
                let (current,): (Option<i64>,) =
                    sqlx::query_as("SELECT MAX(version) FROM measure_versions WHERE plan_id = $1 AND measure = $2")
                        .bind(id)
                        .bind(key)
                        .fetch_one(&mut *tx)
                        .await?;
                let Some(current) = current else {
                    return Err(StoreError::NotFound(format!("measure {key} of plan {id}")));
                };
                let version = current + 1;
                let row: chain::rows::MeasureVersion = (
                    id,
                    key.clone(),
                    version,
                    json(&revision.measure)?,
                    Some(revision.decision.clone()),
                    Some(revision.decided_on.to_string()),
                    now(),
                    by.to_string(),
                );
                let inserted = sqlx::query(
                    "INSERT INTO measure_versions (plan_id, measure, version, target, decision, decided_on, recorded_at, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(row.0)
                .bind(&row.1)
                .bind(row.2)
                .bind(&row.3)
                .bind(&row.4)
                .bind(&row.5)
                .bind(&row.6)
                .bind(&row.7)
                .execute(&mut *tx)
                .await;
                if let Err(e) = inserted {
                    return Err(if is_unique_violation(&e) {
                        StoreError::Conflict {
                            measure: key.clone(),
                            period: String::new(),
                            org_unit: String::new(),
                            expected: current as u32,
                            current: version as u32,
                        }
                    } else {
                        e.into()
                    });
                }
                let detail = format!(
                    "{key} → {} by {} of {}",
                    revision.measure.target_text(),
                    revision.decision,
                    revision.decided_on.format("%d/%m/%Y")
                );
                Self::log_in(&mut tx, by, "measure.revise", &format!("plan {id} {key}"), &detail, &[chain::rows::measure_version(&row)])
                    .await?;
                tx.commit().await?;
                Ok(version as u32)
            }

            async fn measure_history(&self, id: PlanId, measure: &str) -> Result<Vec<MeasureVersion>, StoreError> {
                let rows: Vec<(i64, String, Option<String>, Option<String>, String)> = sqlx::query_as(
                    "SELECT version, target, decision, decided_on, recorded_by FROM measure_versions \
                     WHERE plan_id = $1 AND measure = $2 ORDER BY version",
                )
                .bind(id)
                .bind(measure)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(version, target, decision, decided_on, recorded_by)| {
                        Ok(MeasureVersion {
                            version: version as u32,
                            measure: from_json(&target)?,
                            decision,
                            decided_on: decided_on.and_then(|d| NaiveDate::from_str(&d).ok()),
                            recorded_by,
                        })
                    })
                    .collect()
            }

            async fn put_org_units(&self, units: &[OrgUnit], by: &str) -> Result<(), StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                Self::put_org_units_in(&mut tx, units, by).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn org_units(&self) -> Result<Vec<OrgUnit>, StoreError> {
                let rows: Vec<(String,)> = sqlx::query_as("SELECT unit FROM org_units ORDER BY code").fetch_all(&self.pool).await?;
                rows.iter().map(|(u,)| from_json(u)).collect()
            }

            async fn submit_values(&self, id: PlanId, values: &[NewValue], by: &str) -> Result<Vec<u32>, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let versions = Self::submit_values_in(&mut tx, id, values, by).await?;
                tx.commit().await?;
                Ok(versions)
            }

            async fn value_history(
                &self,
                id: PlanId,
                measure: &str,
                org_unit: &str,
                period: Period,
            ) -> Result<Vec<StoredValue>, StoreError> {
                let which = Which { measure: measure.to_string(), period: Some(period), org_unit: Some(org_unit.to_string()) };
                self.value_versions(id, &which).await
            }

            async fn latest_values(&self, id: PlanId) -> Result<Vec<StoredValue>, StoreError> {
                let sql = concat!(
                    "SELECT ", value_columns!(), " FROM value_versions v WHERE v.plan_id = $1 AND v.version = (SELECT MAX(w.version) FROM value_versions w \
                     WHERE w.plan_id = v.plan_id AND w.measure = v.measure AND w.org_unit = v.org_unit AND w.period = v.period) \
                     ORDER BY v.measure, v.org_unit, v.period"
                );
                let rows: Vec<ValueRow> = sqlx::query_as(sql).bind(id).fetch_all(&self.pool).await?;
                let coverage = self.coverage(id).await?;
                rows.into_iter().map(|r| stored_value(r, &coverage)).collect()
            }

            async fn released_values(&self, id: PlanId) -> Result<Vec<StoredValue>, StoreError> {
                let sql = concat!(
                    "SELECT ", value_columns!(), " FROM value_versions v WHERE v.plan_id = $1 AND v.version = (SELECT MAX(w.version) FROM value_versions w \
                     WHERE w.plan_id = v.plan_id AND w.measure = v.measure AND w.org_unit = v.org_unit AND w.period = v.period \
                     AND (w.origin <> 'entered' OR EXISTS (SELECT 1 FROM submission_figures f WHERE f.plan_id = w.plan_id \
                     AND f.measure = w.measure AND f.org_unit = w.org_unit AND f.period = w.period AND f.version = w.version \
                     AND f.state = 'approved'))) \
                     ORDER BY v.measure, v.org_unit, v.period"
                );
                let rows: Vec<ValueRow> = sqlx::query_as(sql).bind(id).fetch_all(&self.pool).await?;
                // Released by definition: recorded, or approved.
                rows.into_iter()
                    .map(|r| {
                        let v = stored_value(r, &Coverage::default())?;
                        let workflow = if v.origin.needs_approval() { Workflow::Approved } else { Workflow::Recorded };
                        Ok(StoredValue { workflow, ..v })
                    })
                    .collect()
            }

            async fn value_versions(&self, id: PlanId, which: &Which) -> Result<Vec<StoredValue>, StoreError> {
                let sql = concat!(
                    "SELECT ", value_columns!(), " FROM value_versions v WHERE v.plan_id = $1 AND v.measure = $2 \
                     AND ($3 = '' OR v.period = $3) AND ($4 = '' OR v.org_unit = $4) \
                     ORDER BY v.org_unit, v.period, v.version"
                );
                let rows: Vec<ValueRow> = sqlx::query_as(sql)
                    .bind(id)
                    .bind(&which.measure)
                    .bind(which.period.map(|p| p.to_string()).unwrap_or_default())
                    .bind(which.org_unit.clone().unwrap_or_default())
                    .fetch_all(&self.pool)
                    .await?;
                let coverage = self.coverage(id).await?;
                rows.into_iter().map(|r| stored_value(r, &coverage)).collect()
            }

            async fn enter(&self, id: PlanId, values: &[NewValue], step: Option<&Move<'_>>, by: &str) -> Result<Entered, StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let versions = Self::submit_values_in(&mut tx, id, values, by).await?;
                let moved = match step {
                    Some(step) => Some(Self::move_in(&mut tx, id, step, by).await?),
                    None => None,
                };
                tx.commit().await?;
                Ok(Entered { versions, moved })
            }

            async fn report_progress(
                &self,
                id: PlanId,
                progress: &TaskProgress,
                expected_version: u32,
                by: &str,
            ) -> Result<u32, StoreError> {
                progress.validate().map_err(|e| StoreError::Invalid(format!("{}: {e}", progress.task)))?;
                let mut tx = self.pool.begin_with($begin).await?;
                let plan: Option<(String,)> =
                    sqlx::query_as("SELECT plan FROM plans WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                let plan: Plan = from_json(&plan.ok_or_else(|| StoreError::NotFound(format!("plan {id}")))?.0)?;
                if !plan.tasks.iter().any(|t| t.key == progress.task) {
                    return Err(StoreError::NotFound(format!("task {} of plan {id}", progress.task)));
                }
                let (current,): (Option<i64>,) =
                    sqlx::query_as("SELECT MAX(version) FROM task_progress WHERE plan_id = $1 AND task = $2")
                        .bind(id)
                        .bind(&progress.task)
                        .fetch_one(&mut *tx)
                        .await?;
                let current = current.unwrap_or(0) as u32;
                let conflict = |current: u32| StoreError::Conflict {
                    measure: progress.task.clone(),
                    period: String::new(),
                    org_unit: String::new(),
                    expected: expected_version,
                    current,
                };
                if expected_version != current {
                    return Err(conflict(current));
                }
                let version = current + 1;
                let row: chain::rows::TaskProgress =
                    (id, progress.task.clone(), i64::from(version), json(progress)?, by.to_string(), now());
                let inserted = sqlx::query(
                    "INSERT INTO task_progress (plan_id, task, version, progress, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(row.0)
                .bind(&row.1)
                .bind(row.2)
                .bind(&row.3)
                .bind(&row.4)
                .bind(&row.5)
                .execute(&mut *tx)
                .await;
                if let Err(e) = inserted {
                    return Err(if is_unique_violation(&e) { conflict(version) } else { e.into() });
                }
                let percent = progress.percent.map(|p| format!(" {p}%")).unwrap_or_default();
                let detail = format!("v{version}: {}{percent}", progress.status.as_str());
                let records = [chain::rows::task_progress(&row)];
                Self::log_in(&mut tx, by, "task.progress", &format!("plan {id} {}", progress.task), &detail, &records).await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn task_history(&self, id: PlanId, task: &str) -> Result<Vec<(u32, TaskProgress, String, String)>, StoreError> {
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT version, progress, entered_by, entered_at FROM task_progress WHERE plan_id = $1 AND task = $2 ORDER BY version",
                )
                .bind(id)
                .bind(task)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(|(v, p, by, at)| Ok((v as u32, from_json(&p)?, by, at))).collect()
            }

            async fn put_agencies(&self, agencies: &[Agency], by: &str) -> Result<(), StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                Self::put_agencies_in(&mut tx, agencies, by).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
                let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM agencies ORDER BY code").fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|(code, name)| Agency { code, name }).collect())
            }

            async fn assign(&self, id: PlanId, assignments: &[Assignment], by: &str) -> Result<(), StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                Self::assign_in(&mut tx, id, assignments, by).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn assignments(&self, id: PlanId) -> Result<Vec<Assignment>, StoreError> {
                let rows: Vec<(String, String, String)> =
                    sqlx::query_as("SELECT measure, lead, contributors FROM assignments WHERE plan_id = $1 ORDER BY measure")
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|(measure, lead, contributors)| Ok(Assignment { measure, lead, contributors: from_json(&contributors)? }))
                    .collect()
            }

            async fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
                let rows: Vec<(String, String, String, String, String)> =
                    sqlx::query_as("SELECT at, actor, action, entity, detail FROM audit_log ORDER BY id DESC LIMIT $1")
                        .bind(limit as i64)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(at, actor, action, entity, detail)| AuditEntry { at, actor, action, entity, detail })
                    .collect())
            }
        }
    };
}

// SQLite takes the write lock when a change begins, not at its first write:
// a deferred transaction that read first cannot wait for the lock (SQLite
// refuses at once to avoid a deadlock), while an immediate one waits out the
// busy timeout like any other writer.
//
// PostgreSQL's writers do not exclude each other: saves and submission moves
// of one plan's period take an advisory lock for the rest of their
// transaction. SQLite's immediate transactions already exclude every other
// writer, so its statement only reads its parameters.
store_impl!(SqliteStore, sqlx::Sqlite, sqlx::SqlitePool, "BEGIN IMMEDIATE", "SELECT $1, $2");
store_impl!(PgStore, sqlx::Postgres, sqlx::PgPool, "BEGIN", "SELECT pg_advisory_xact_lock(hashtextextended($2, $1))");

impl SqliteStore {
    /// Opens (creating if needed) a SQLite file in WAL mode and brings its
    /// schema up to date.
    pub async fn open(path: &str) -> Result<Self, StoreError> {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
        let options = SqliteConnectOptions::from_str(path)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let store = Self { pool };
        store.seal().await?;
        Ok(store)
    }
}

impl PgStore {
    /// Connects to PostgreSQL and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        // An unreachable server is said within seconds, not after a long wait.
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        notify::install(&pool).await?;
        let store = Self { pool };
        store.seal().await?;
        Ok(store)
    }
}

/// The store a `--database` URL names: a file path or `sqlite://PATH` for
/// SQLite, `postgres://…` for PostgreSQL.
#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    /// Checks the audit chain and every record against it.
    pub async fn verify_audit(&self) -> Result<Result<chain::Intact, chain::Broken>, StoreError> {
        match self {
            Self::Sqlite(s) => s.verify_audit().await,
            Self::Postgres(s) => s.verify_audit().await,
        }
    }

    /// Closes every connection, waiting for those in use to be given back:
    /// on SQLite the last one folds the write-ahead log into the database.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.pool().close().await,
            Self::Postgres(s) => s.pool().close().await,
        }
    }

    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(PgStore::open(url).await?))
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            Ok(Self::Sqlite(SqliteStore::open(&format!("sqlite://{path}")).await?))
        }
    }
}

impl Store for AnyStore {
    async fn save_plan(&self, plan: &Plan, by: &str) -> Result<PlanId, StoreError> {
        delegate!(self, s => s.save_plan(plan, by))
    }
    async fn init(&self, setup: &Setup, by: &str) -> Result<PlanId, StoreError> {
        delegate!(self, s => s.init(setup, by))
    }
    async fn plans(&self) -> Result<Vec<(PlanId, String, i32)>, StoreError> {
        delegate!(self, s => s.plans())
    }
    async fn plan(&self, id: PlanId, against: Against) -> Result<Plan, StoreError> {
        delegate!(self, s => s.plan(id, against))
    }
    async fn revise(&self, id: PlanId, revision: &Revision, by: &str) -> Result<u32, StoreError> {
        delegate!(self, s => s.revise(id, revision, by))
    }
    async fn measure_history(&self, id: PlanId, measure: &str) -> Result<Vec<MeasureVersion>, StoreError> {
        delegate!(self, s => s.measure_history(id, measure))
    }
    async fn put_org_units(&self, units: &[OrgUnit], by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.put_org_units(units, by))
    }
    async fn org_units(&self) -> Result<Vec<OrgUnit>, StoreError> {
        delegate!(self, s => s.org_units())
    }
    async fn submit_values(&self, id: PlanId, values: &[NewValue], by: &str) -> Result<Vec<u32>, StoreError> {
        delegate!(self, s => s.submit_values(id, values, by))
    }
    async fn value_history(
        &self,
        id: PlanId,
        measure: &str,
        org_unit: &str,
        period: Period,
    ) -> Result<Vec<StoredValue>, StoreError> {
        delegate!(self, s => s.value_history(id, measure, org_unit, period))
    }
    async fn latest_values(&self, id: PlanId) -> Result<Vec<StoredValue>, StoreError> {
        delegate!(self, s => s.latest_values(id))
    }
    async fn released_values(&self, id: PlanId) -> Result<Vec<StoredValue>, StoreError> {
        delegate!(self, s => s.released_values(id))
    }
    async fn value_versions(&self, id: PlanId, which: &Which) -> Result<Vec<StoredValue>, StoreError> {
        delegate!(self, s => s.value_versions(id, which))
    }
    async fn enter(
        &self,
        id: PlanId,
        values: &[NewValue],
        step: Option<&Move<'_>>,
        by: &str,
    ) -> Result<Entered, StoreError> {
        delegate!(self, s => s.enter(id, values, step, by))
    }
    async fn report_progress(
        &self,
        id: PlanId,
        progress: &TaskProgress,
        expected_version: u32,
        by: &str,
    ) -> Result<u32, StoreError> {
        delegate!(self, s => s.report_progress(id, progress, expected_version, by))
    }
    async fn task_history(
        &self,
        id: PlanId,
        task: &str,
    ) -> Result<Vec<(u32, TaskProgress, String, String)>, StoreError> {
        delegate!(self, s => s.task_history(id, task))
    }
    async fn put_agencies(&self, agencies: &[Agency], by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.put_agencies(agencies, by))
    }
    async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        delegate!(self, s => s.agencies())
    }
    async fn assign(&self, id: PlanId, assignments: &[Assignment], by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.assign(id, assignments, by))
    }
    async fn assignments(&self, id: PlanId) -> Result<Vec<Assignment>, StoreError> {
        delegate!(self, s => s.assignments(id))
    }
    async fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        delegate!(self, s => s.audit(limit))
    }
}
