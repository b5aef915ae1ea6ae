//! The store over either database, written once: SQLite and PostgreSQL
//! take the same SQL (numbered parameters, `RETURNING`, `ON CONFLICT`), so
//! [`SqlStore`] is generic over sqlx's `Database`; what differs is said by
//! [`Backend`] (how a writing transaction begins, how a period's writers
//! exclude each other). Reading and writing records is in `records.rs`,
//! accounts and drafts in `accounts.rs`.
//!
//! Every `impl` of `SqlStore` repeats the same `where` clause: what the code
//! asks of a database (its connection executes queries; these Rust types are
//! its columns). Rust does not carry such bounds from a trait to its users,
//! so they are written where they are used.

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Type};

use crate::{
    AuditDetail, Coverage, Covered, Missing, Move, Moved, NewValue, PlanId, Refusal, StoreError, StoredValue, ValueRow,
    chain, changed, from_json, is_unique_violation, json, now, stored_value,
};
use kehoach_domain::Plan;
use kehoach_domain::access::SubmissionState;
use kehoach_domain::org::{Agency, Assignment, OrgUnit};
use kehoach_domain::value::Workflow;

/// What differs between the two databases.
pub trait Backend: Database {
    /// How a writing transaction begins. SQLite takes the write lock when a
    /// change begins, not at its first write: a deferred transaction that
    /// read first cannot wait for the lock (SQLite refuses at once to avoid a
    /// deadlock), while an immediate one waits out the busy timeout like any
    /// other writer.
    const BEGIN: &'static str;
    /// Serialises, until the transaction ends, the saves and submission moves
    /// of one plan's period (`$1` the plan, `$2` the period). PostgreSQL's
    /// writers do not exclude each other: they take an advisory lock.
    /// SQLite's immediate transactions already exclude every other writer, so
    /// its statement only reads its parameters.
    const EXCLUSIVE: &'static str;
    /// How the schema declares a table's own key, and a 64-bit integer
    /// column (`schema`).
    const ID: &'static str;
    const BIGINT: &'static str;
    fn rows_affected(result: &Self::QueryResult) -> u64;
}

impl Backend for sqlx::Sqlite {
    const BEGIN: &'static str = "BEGIN IMMEDIATE";
    const EXCLUSIVE: &'static str = "SELECT $1, $2";
    const ID: &'static str = "INTEGER PRIMARY KEY";
    const BIGINT: &'static str = "INTEGER";
    fn rows_affected(result: &Self::QueryResult) -> u64 {
        result.rows_affected()
    }
}

impl Backend for sqlx::Postgres {
    const BEGIN: &'static str = "BEGIN";
    const EXCLUSIVE: &'static str = "SELECT pg_advisory_xact_lock(hashtextextended($2, $1))";
    const ID: &'static str = "BIGSERIAL PRIMARY KEY";
    const BIGINT: &'static str = "BIGINT";
    fn rows_affected(result: &Self::QueryResult) -> u64 {
        result.rows_affected()
    }
}

/// A Rust type that goes into `DB` and comes back out of it as a column.
pub trait Column<DB: Database>: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> {}
impl<DB: Database, T> Column<DB> for T where T: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> {}

/// An audit entry as stored: id, at, actor, action, entity, detail,
/// records, previous hash, hash.
type EntryRow = (i64, String, String, String, String, String, String, Option<String>, Option<String>);

/// The store over one database.
#[derive(Debug)]
pub struct SqlStore<DB: Database> {
    pub(crate) pool: Pool<DB>,
}

impl<DB: Database> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        Self { pool: self.pool.clone() }
    }
}

/// The embedded default.
pub type SqliteStore = SqlStore<sqlx::Sqlite>;
/// For shared deployments.
pub type PgStore = SqlStore<sqlx::Postgres>;

impl<DB> SqlStore<DB>
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    usize: ColumnIndex<DB::Row>,
    i64: Column<DB>,
    i32: Column<DB>,
    bool: Column<DB>,
    String: Column<DB>,
    Option<String>: Column<DB>,
    Option<i64>: Column<DB>,
    for<'s> &'s str: Type<DB> + Encode<'s, DB>,
    for<'s> Option<&'s str>: Type<DB> + Encode<'s, DB>,
{
    pub fn pool(&self) -> &Pool<DB> {
        &self.pool
    }

    /// Chains the audit entries written before the chain existed and
    /// seals the records then present, in one entry: once, the first
    /// time a database is opened with the head missing (a new
    /// database, or one from before the chain).
    pub(crate) async fn seal(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let made =
            sqlx::query("INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING")
                .bind(chain::GENESIS)
                .execute(&mut *tx)
                .await?;
        if DB::rows_affected(&made) == 0 {
            return Ok(());
        }
        let old: Vec<(i64, String, String, String, String, String)> =
            sqlx::query_as("SELECT id, at, actor, action, entity, detail FROM audit_log ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
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
        sqlx::query("UPDATE audit_head SET last_id = $1, hash = $2 WHERE id = 1")
            .bind(last)
            .bind(&prev)
            .execute(&mut *tx)
            .await?;
        let records = Self::records_in(&mut tx).await?;
        if !records.is_empty() {
            let detail = AuditDetail::Seal { chained: old.len(), sealed: records.len() };
            Self::log_in(&mut tx, "kehoach", "audit.seal", "audit_log", &detail, &records).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every record row, as the chain hashes it.
    pub(crate) async fn records_in(tx: &mut sqlx::Transaction<'_, DB>) -> Result<Vec<chain::Record>, StoreError> {
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
        let covered: Vec<rows::SubmissionFigure> =
            sqlx::query_as(rows::SUBMISSION_FIGURES).fetch_all(&mut **tx).await?;
        out.extend(covered.iter().map(rows::submission_figure));
        let progress: Vec<rows::TaskProgress> = sqlx::query_as(rows::TASK_PROGRESS).fetch_all(&mut **tx).await?;
        out.extend(progress.iter().map(rows::task_progress));
        Ok(out)
    }

    /// Checks the audit chain and every record against it (see
    /// [`chain::verify`]). Holding the head's row meanwhile, no
    /// record is written half-way through the check.
    pub async fn verify_audit(&self) -> Result<Result<chain::Intact, chain::Broken>, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let head: Option<(i64, String)> =
            sqlx::query_as("UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_id, hash")
                .fetch_optional(&mut *tx)
                .await?;
        let entries: Vec<EntryRow> = sqlx::query_as(
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
    pub(crate) async fn exclusive(
        tx: &mut sqlx::Transaction<'_, DB>,
        id: PlanId,
        period: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(DB::EXCLUSIVE).bind(id).bind(period).execute(&mut **tx).await?;
        Ok(())
    }

    pub(crate) async fn coverage(&self, id: PlanId) -> Result<Coverage, StoreError> {
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
            coverage
                .covered
                .entry((measure, org_unit, period, version as u32))
                .or_default()
                .push((agency, at as u32, state));
        }
        Ok(coverage)
    }

    /// The latest version of each figure of an agency's period that
    /// the agency entered: what it submits and an approver approves.
    pub(crate) async fn agency_figures(
        tx: &mut sqlx::Transaction<'_, DB>,
        id: PlanId,
        agency: &str,
        period: &str,
    ) -> Result<Vec<ValueRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            value_columns!(),
            " FROM value_versions v WHERE v.plan_id = $1 AND v.period = $2 AND v.agency = $3 \
             AND v.origin = 'entered' AND v.version = (SELECT MAX(w.version) FROM value_versions w \
             WHERE w.plan_id = v.plan_id AND w.measure = v.measure AND w.org_unit = v.org_unit AND w.period = v.period) \
             ORDER BY v.measure, v.org_unit"
        );
        Ok(sqlx::query_as(sql).bind(id).bind(period).bind(agency).fetch_all(&mut **tx).await?)
    }

    /// Moves a submission (see [`Accounts::move_submission`]) inside
    /// a transaction: a submit records the versions it covers, an
    /// approval approves exactly the versions the approver saw.
    pub(crate) async fn move_in(
        tx: &mut sqlx::Transaction<'_, DB>,
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
            return Err(StoreError::Transition { subject, from, to });
        }
        let figures = Self::agency_figures(tx, id, agency, &period_text).await?;
        if to == SubmissionState::Approved {
            let Some(seen) = seen else {
                return Err(StoreError::Refused(Refusal::ApprovalWithoutVersions { subject }));
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
        let covered = if covers { figures.as_slice() } else { &[] };
        let detail = AuditDetail::Submission {
            version,
            state: to.as_str().to_string(),
            comment: comment.to_string(),
            figures: covered
                .iter()
                .map(|r| Covered { measure: r.0.clone(), org_unit: r.1.clone(), version: r.3 as u32 })
                .collect(),
        };
        Self::log_in(
            tx,
            by,
            &format!("submission.{}", to.as_str()),
            &format!("plan {id} {subject}"),
            &detail,
            &records,
        )
        .await?;
        let released = if to == SubmissionState::Approved {
            figures
                .into_iter()
                .map(|row| {
                    stored_value(row, &Coverage::default()).map(|v| StoredValue { workflow: Workflow::Approved, ..v })
                })
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        Ok(Moved { version, released })
    }

    /// An audit entry that wrote no record (a login, an assignment…).
    pub(crate) async fn audit_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        actor: &str,
        action: &str,
        entity: &str,
        detail: &AuditDetail,
    ) -> Result<(), StoreError> {
        Self::log_in(tx, actor, action, entity, detail, &[]).await
    }

    /// Appends an entry to the audit chain (see [`chain`]), with the
    /// records it wrote and its detail as JSON (see [`AuditDetail`]).
    /// Taking the head's row serialises appends until the transaction
    /// ends, so the chain never forks.
    pub(crate) async fn log_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        actor: &str,
        action: &str,
        entity: &str,
        detail: &AuditDetail,
        records: &[chain::Record],
    ) -> Result<(), StoreError> {
        let detail = detail.to_json();
        let head: Option<(String,)> =
            sqlx::query_as("UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING hash")
                .fetch_optional(&mut **tx)
                .await?;
        let Some((prev,)) = head else {
            return Err(StoreError::Invalid(
                "the audit log's head is missing: nothing can be recorded until `kehoach audit verify` is run and the log repaired".into(),
            ));
        };
        let at = now();
        let lines = chain::lines(records);
        let hash = chain::hash(&prev, &at, actor, action, entity, &detail, &lines);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO audit_log (at, actor, action, entity, detail, records, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&at)
        .bind(actor)
        .bind(action)
        .bind(entity)
        .bind(&detail)
        .bind(&lines)
        .bind(&prev)
        .bind(&hash)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query("UPDATE audit_head SET last_id = $1, hash = $2 WHERE id = 1")
            .bind(id)
            .bind(&hash)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Refuses a plan of `kind` for the region `code` over `from`–`to` when
    /// a plan of the same kind for that region covers part of the span.
    pub(crate) async fn refuse_overlap_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        code: &str,
        kind: kehoach_domain::PlanKind,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<(), StoreError> {
        let rows: Vec<(i64, String, i32, String, String, String, String)> =
            sqlx::query_as("SELECT id, region, year, region_code, kind, span_from, span_to FROM plans ORDER BY id")
                .fetch_all(&mut **tx)
                .await?;
        let units: Vec<(String,)> = sqlx::query_as("SELECT unit FROM org_units").fetch_all(&mut **tx).await?;
        let units: Vec<OrgUnit> = units.iter().map(|(u,)| from_json(u)).collect::<Result<_, _>>()?;
        for e in rows.into_iter().map(crate::records::plan_entry) {
            let e = e?;
            // A plan written before codes names its region: its unit's code.
            let region = e.region_code.clone().unwrap_or_else(|| {
                kehoach_domain::org::find(&units, &e.region).map_or_else(|| e.region.clone(), |u| u.code.clone())
            });
            if e.kind == kind && region == code && e.from <= to && from <= e.to {
                let (other, kind, from, to) = (e.id, e.kind, e.from, e.to);
                return Err(StoreError::Refused(crate::Refusal::PlanOverlaps { other, kind, region, from, to }));
            }
        }
        Ok(())
    }

    /// Saves a plan: a yearly plan of its year for the region it names, or
    /// `placed` for a region (by code) over a span.
    pub(crate) async fn save_plan_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        plan: &Plan,
        placed: Option<&crate::NewPlan<'_>>,
        by: &str,
    ) -> Result<PlanId, StoreError> {
        let at = now();
        let (code, kind, from, to) = placed.map_or_else(
            || (String::new(), kehoach_domain::PlanKind::Year, String::new(), String::new()),
            |p| (p.region_code.to_string(), p.kind, p.from.to_string(), p.to.to_string()),
        );
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO plans (region, year, plan, recorded_at, recorded_by, region_code, kind, span_from, span_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&plan.region)
        .bind(plan.year)
        .bind(json(plan)?)
        .bind(&at)
        .bind(by)
        .bind(code)
        .bind(kind.as_str())
        .bind(from)
        .bind(to)
        .fetch_one(&mut **tx)
        .await?;
        let mut records = vec![chain::rows::plan(&(
            id,
            plan.region.clone(),
            i64::from(plan.year),
            json(plan)?,
            at.clone(),
            by.to_string(),
        ))];
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
            records.push(chain::rows::measure_version(&(
                id,
                m.key.clone(),
                1,
                target,
                None,
                None,
                at.clone(),
                by.to_string(),
            )));
        }
        let detail = AuditDetail::Plan {
            region: plan.region.clone(),
            year: plan.year,
            measures: plan.measures().count(),
            tasks: plan.tasks.len(),
        };
        Self::log_in(tx, by, "plan.save", &format!("plan {id}"), &detail, &records).await?;
        Ok(id)
    }

    pub(crate) async fn put_org_units_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        units: &[OrgUnit],
        by: &str,
    ) -> Result<(), StoreError> {
        for u in units {
            sqlx::query(
                "INSERT INTO org_units (code, unit) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET unit = excluded.unit",
            )
            .bind(&u.code)
            .bind(json(u)?)
            .execute(&mut **tx)
            .await?;
        }
        let codes = AuditDetail::Codes { codes: units.iter().map(|u| u.code.clone()).collect() };
        Self::audit_in(tx, by, "org_units.put", "org_units", &codes).await
    }

    pub(crate) async fn put_agencies_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        agencies: &[Agency],
        by: &str,
    ) -> Result<(), StoreError> {
        for a in agencies {
            sqlx::query("INSERT INTO agencies (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = excluded.name")
                .bind(&a.code)
                .bind(&a.name)
                .execute(&mut **tx)
                .await?;
        }
        let codes = AuditDetail::Codes { codes: agencies.iter().map(|a| a.code.clone()).collect() };
        Self::audit_in(tx, by, "agencies.put", "agencies", &codes).await?;
        Ok(())
    }

    pub(crate) async fn assign_in(
        tx: &mut sqlx::Transaction<'_, DB>,
        id: PlanId,
        assignments: &[Assignment],
        by: &str,
    ) -> Result<(), StoreError> {
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
                    let plan: Plan = from_json(&plan.ok_or_else(|| StoreError::NotFound(Missing::Plan(id)))?.0)?;
                    tasks = Some(plan.tasks.into_iter().map(|t| t.key).collect());
                }
                i64::from(tasks.as_ref().is_some_and(|t| t.contains(task)))
            } else {
                let (n,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM measure_versions WHERE plan_id = $1 AND measure = $2")
                        .bind(id)
                        .bind(&a.measure)
                        .fetch_one(&mut **tx)
                        .await?;
                n
            };
            if known == 0 {
                return Err(StoreError::NotFound(Missing::Measure { plan: id, measure: a.measure.clone() }));
            }
            let (agency,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agencies WHERE code = $1")
                .bind(&a.lead)
                .fetch_one(&mut **tx)
                .await?;
            if agency == 0 {
                return Err(StoreError::NotFound(Missing::Agency(a.lead.clone())));
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
            let detail = AuditDetail::Assignment { lead: a.lead.clone(), units: a.contributors.clone() };
            Self::audit_in(tx, by, "measure.assign", &format!("plan {id} {}", a.measure), &detail).await?;
        }
        Ok(())
    }

    pub(crate) async fn submit_values_in(
        tx: &mut sqlx::Transaction<'_, DB>,
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
                return Err(StoreError::Refused(Refusal::AgencyOfFigure { subject: subject() }));
            }
            if let Err(problem) = kehoach_domain::value::storable(v.value) {
                return Err(StoreError::Refused(Refusal::Figure { subject: subject(), problem }));
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
            let detail =
                AuditDetail::Figure { version, value: row.5.clone(), status: row.6.clone(), origin: row.8.clone() };
            let entity = format!("plan {id} {} {} {period}", v.measure, v.org_unit);
            Self::log_in(tx, by, "value.submit", &entity, &detail, &[chain::rows::value_version(&row)]).await?;
            versions.push(version);
        }
        Ok(versions)
    }
}
