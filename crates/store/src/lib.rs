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
mod detail;
pub mod notify;
pub use accounts::{Accounts, Comment, Draft, Drafts, Lockout, Move, NewUser, Seen, Submission, User};
pub use detail::{AuditDetail, Covered};

use chrono::{NaiveDate, Utc};
use kehoach_domain::access::SubmissionState;
use kehoach_domain::org::{Agency, Assignment, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::progress::TaskProgress;
use kehoach_domain::value::{Origin, ValueStatus, Workflow};
use kehoach_domain::{Measure, Plan, PlanKind};
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
    #[error("{subject}: cannot go from {} to {}", from.map_or("nothing", |s| s.as_str()), to.as_str())]
    Transition { subject: String, from: Option<SubmissionState>, to: SubmissionState },
    #[error("not found: {0}")]
    NotFound(Missing),
    /// A change refused for a reason the person who asked can act on.
    #[error("{0}")]
    Refused(Refusal),
    /// Stored data that cannot be read back, or a request no interface
    /// makes (the command line's own mistakes): said as it is, in English.
    #[error("{0}")]
    Invalid(String),
}

/// Why a change is refused: a kind, worded where it is shown (`Display` is
/// the command line's English; the web words it in the viewer's language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{subject}: an approval names the versions of the figures approved")]
    ApprovalWithoutVersions { subject: String },
    #[error("{subject}: a figure entered by an agency names that agency, and only such a figure does")]
    AgencyOfFigure { subject: String },
    #[error("{subject}: {problem}")]
    Figure { subject: String, problem: kehoach_domain::value::FigureProblem },
    #[error("{task}: {problem}")]
    Progress { task: String, problem: kehoach_domain::progress::ProgressError },
    #[error("the user name {0} is taken")]
    UsernameTaken(String),
    #[error("draft {draft} is already confirmed{}", plan.map(|p| format!(" as plan {p}")).unwrap_or_default())]
    DraftConfirmed { draft: i64, plan: Option<PlanId> },
    #[error(
        "plan {other} is already a {kind} plan for {region} over {from} – {to}; a plan of the same kind may not overlap it"
    )]
    PlanOverlaps { other: PlanId, kind: PlanKind, region: String, from: NaiveDate, to: NaiveDate },
}

/// What was asked for and is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Plan(PlanId),
    Measure { plan: PlanId, measure: String },
    Task { plan: PlanId, task: String },
    Agency(String),
    User(String),
    Draft(i64),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Plan(id) => write!(f, "plan {id}"),
            Self::Measure { plan, measure } => write!(f, "measure {measure} of plan {plan}"),
            Self::Task { plan, task } => write!(f, "task {task} of plan {plan}"),
            Self::Agency(code) => write!(f, "agency {code}"),
            Self::User(name) => write!(f, "user {name}"),
            Self::Draft(id) => write!(f, "draft {id}"),
        }
    }
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

/// A plan as the list of plans shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEntry {
    pub id: PlanId,
    /// The region as its resolution names it ("Bến Tre").
    pub region: String,
    /// The region's official code, where the plan was added with one.
    pub region_code: Option<String>,
    pub year: i32,
    pub kind: PlanKind,
    /// The first and last day it covers.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A plan added beside the others: for a region (by code) over a span.
#[derive(Debug, Clone, Copy)]
pub struct NewPlan<'a> {
    pub plan: &'a Plan,
    pub region_code: &'a str,
    pub kind: PlanKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
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
    /// What it concerns, in words the log is searched by: `plan 1 c.1`,
    /// `user an`, `draft 3`, `agencies`.
    pub entity: String,
    /// As stored: JSON ([`AuditDetail`]), or the English text of an entry
    /// written before details were JSON.
    pub detail: String,
}

impl AuditEntry {
    /// Its detail read, if written as JSON (see [`AuditDetail::read`]).
    pub fn read_detail(&self) -> Option<AuditDetail> {
        AuditDetail::read(&self.action, &self.detail)
    }

    /// Its detail in English, as the command line has always said it
    /// (`v1 = 180.2 (estimate, entered)`); an older or unknown entry's
    /// text as stored.
    pub fn detail_en(&self) -> String {
        self.read_detail().map_or_else(|| self.detail.clone(), |d| d.english(&self.action))
    }
}

/// What both databases do, one contract.
pub trait Store: Send + Sync {
    fn save_plan(&self, plan: &Plan, by: &str) -> impl Future<Output = Result<PlanId, StoreError>> + Send;
    /// A new database's first load, in one transaction: units, the plan and
    /// its figures, or nothing at all (a process killed half way leaves the
    /// database empty). Refused when a plan is already there.
    fn init(&self, setup: &Setup, by: &str) -> impl Future<Output = Result<PlanId, StoreError>> + Send;
    /// Every plan, oldest first.
    fn plans(&self) -> impl Future<Output = Result<Vec<PlanEntry>, StoreError>> + Send;
    /// Adds a plan beside the others (never changing them): refused when
    /// one of the same kind for the same region covers part of its span.
    fn add_plan(&self, new: &NewPlan<'_>, by: &str) -> impl Future<Output = Result<PlanId, StoreError>> + Send;
    /// The plan worked on when none is named: the latest chosen, else the
    /// first; none in an empty database.
    fn default_plan(&self) -> impl Future<Output = Result<Option<PlanId>, StoreError>> + Send;
    fn choose_default_plan(&self, id: PlanId, by: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
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
    ) -> impl Future<Output = Result<Vec<StoredValue>, StoreError>> + Send {
        let which = Which { measure: measure.to_string(), period: Some(period), org_unit: Some(org_unit.to_string()) };
        async move { self.value_versions(id, &which).await }
    }
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

mod records;
mod schema;
pub use schema::migrator;
mod sql;
pub use sql::{Backend, PgStore, SqlStore, SqliteStore};

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
        schema::migrator::<sqlx::Sqlite>().run(&pool).await?;
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
        schema::migrator::<sqlx::Postgres>().run(&pool).await?;
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
    async fn plans(&self) -> Result<Vec<PlanEntry>, StoreError> {
        delegate!(self, s => s.plans())
    }
    async fn add_plan(&self, new: &NewPlan<'_>, by: &str) -> Result<PlanId, StoreError> {
        delegate!(self, s => s.add_plan(new, by))
    }
    async fn default_plan(&self) -> Result<Option<PlanId>, StoreError> {
        delegate!(self, s => s.default_plan())
    }
    async fn choose_default_plan(&self, id: PlanId, by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.choose_default_plan(id, by))
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
