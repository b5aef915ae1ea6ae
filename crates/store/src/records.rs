//! The records of [`Store`]: plans and their revisions, units, figures,
//! task progress, agencies and assignments, on either database.

use chrono::NaiveDate;
use kehoach_domain::org::{Agency, Assignment, OrgUnit};
use kehoach_domain::progress::TaskProgress;
use kehoach_domain::value::Workflow;
use kehoach_domain::{Measure, Plan, PlanKind};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use std::str::FromStr;

use crate::sql::{Backend, Column, SqlStore};
use crate::{
    Against, AuditDetail, AuditEntry, Coverage, Entered, MeasureVersion, Missing, Move, NewPlan, NewValue, PlanEntry,
    PlanId, Refusal, Revision, Setup, Store, StoreError, StoredValue, ValueRow, Which, chain, from_json,
    is_unique_violation, json, now, stored_value,
};

/// A row of `plans` as listed; a span left empty is the plan year's.
pub(crate) fn plan_entry(
    (id, region, year, code, kind, from, to): (i64, String, i32, String, String, String, String),
) -> Result<PlanEntry, StoreError> {
    let (year_from, year_to) =
        PlanKind::Year.span_of(year).ok_or_else(|| StoreError::Invalid(format!("plan {id}: year {year}")))?;
    let day = |text: &str, default| {
        if text.is_empty() {
            return Ok(default);
        }
        NaiveDate::from_str(text).map_err(|e| StoreError::Invalid(format!("plan {id}: stored span {text}: {e}")))
    };
    Ok(PlanEntry {
        id,
        region,
        region_code: (!code.is_empty()).then_some(code),
        year,
        kind: kind.parse().map_err(StoreError::Invalid)?,
        from: day(&from, year_from)?,
        to: day(&to, year_to)?,
    })
}

/// version, target, decision, decided on, recorded by.
type MeasureVersionRow = (i64, String, Option<String>, Option<String>, String);

impl<DB> Store for SqlStore<DB>
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
    async fn save_plan(&self, plan: &Plan, by: &str) -> Result<PlanId, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let id = Self::save_plan_in(&mut tx, plan, None, by).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn init(&self, setup: &Setup, by: &str) -> Result<PlanId, StoreError> {
        let Setup { plan, units, agencies, assignments, values } = setup;
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plans").fetch_one(&mut *tx).await?;
        if existing > 0 {
            return Err(StoreError::Invalid(format!("the database already holds {existing} plan(s); nothing changed")));
        }
        Self::put_org_units_in(&mut tx, units, by).await?;
        // A yearly plan of its region, by code where the units name it.
        let span = PlanKind::Year.span_of(plan.year);
        let code = kehoach_domain::org::home_code(plan, units);
        let placed = code.as_deref().zip(span).map(|(region_code, (from, to))| NewPlan {
            plan,
            region_code,
            kind: PlanKind::Year,
            from,
            to,
        });
        let id = Self::save_plan_in(&mut tx, plan, placed.as_ref(), by).await?;
        Self::put_agencies_in(&mut tx, agencies, by).await?;
        Self::assign_in(&mut tx, id, assignments, by).await?;
        Self::submit_values_in(&mut tx, id, values, by).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn plans(&self) -> Result<Vec<PlanEntry>, StoreError> {
        let rows: Vec<(i64, String, i32, String, String, String, String)> =
            sqlx::query_as("SELECT id, region, year, region_code, kind, span_from, span_to FROM plans ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(plan_entry).collect()
    }

    async fn add_plan(&self, new: &NewPlan<'_>, by: &str) -> Result<PlanId, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        Self::refuse_overlap_in(&mut tx, new.region_code, new.kind, new.from, new.to).await?;
        let id = Self::save_plan_in(&mut tx, new.plan, Some(new), by).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn default_plan(&self) -> Result<Option<PlanId>, StoreError> {
        let chosen: Option<(i64,)> = sqlx::query_as("SELECT plan_id FROM default_plans ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        if let Some((id,)) = chosen {
            return Ok(Some(id));
        }
        let first: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM plans ORDER BY id LIMIT 1").fetch_optional(&self.pool).await?;
        Ok(first.map(|(id,)| id))
    }

    async fn choose_default_plan(&self, id: PlanId, by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let known: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM plans WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        if known.is_none() {
            return Err(StoreError::NotFound(Missing::Plan(id)));
        }
        sqlx::query("INSERT INTO default_plans (plan_id, chosen_at, chosen_by) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(now())
            .bind(by)
            .execute(&mut *tx)
            .await?;
        Self::audit_in(&mut tx, by, "plan.default", &format!("plan {id}"), &AuditDetail::Nothing {}).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn plan(&self, id: PlanId, against: Against) -> Result<Plan, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT plan FROM plans WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        let mut plan: Plan = from_json(&row.ok_or_else(|| StoreError::NotFound(Missing::Plan(id)))?.0)?;
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
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let (current,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM measure_versions WHERE plan_id = $1 AND measure = $2")
                .bind(id)
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
        let Some(current) = current else {
            return Err(StoreError::NotFound(Missing::Measure { plan: id, measure: key.clone() }));
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
        let detail = AuditDetail::Revision {
            measure: key.clone(),
            target: revision.measure.target_text(),
            decision: revision.decision.clone(),
            decided_on: revision.decided_on.to_string(),
        };
        Self::log_in(
            &mut tx,
            by,
            "measure.revise",
            &format!("plan {id} {key}"),
            &detail,
            &[chain::rows::measure_version(&row)],
        )
        .await?;
        tx.commit().await?;
        Ok(version as u32)
    }

    async fn measure_history(&self, id: PlanId, measure: &str) -> Result<Vec<MeasureVersion>, StoreError> {
        let rows: Vec<MeasureVersionRow> = sqlx::query_as(
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
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        Self::put_org_units_in(&mut tx, units, by).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn org_units(&self) -> Result<Vec<OrgUnit>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT unit FROM org_units ORDER BY code").fetch_all(&self.pool).await?;
        rows.iter().map(|(u,)| from_json(u)).collect()
    }

    async fn submit_values(&self, id: PlanId, values: &[NewValue], by: &str) -> Result<Vec<u32>, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let versions = Self::submit_values_in(&mut tx, id, values, by).await?;
        tx.commit().await?;
        Ok(versions)
    }

    async fn latest_values(&self, id: PlanId) -> Result<Vec<StoredValue>, StoreError> {
        let sql = concat!(
            "SELECT ",
            value_columns!(),
            " FROM value_versions v WHERE v.plan_id = $1 AND v.version = (SELECT MAX(w.version) FROM value_versions w \
             WHERE w.plan_id = v.plan_id AND w.measure = v.measure AND w.org_unit = v.org_unit AND w.period = v.period) \
             ORDER BY v.measure, v.org_unit, v.period"
        );
        let rows: Vec<ValueRow> = sqlx::query_as(sql).bind(id).fetch_all(&self.pool).await?;
        let coverage = self.coverage(id).await?;
        rows.into_iter().map(|r| stored_value(r, &coverage)).collect()
    }

    async fn released_values(&self, id: PlanId) -> Result<Vec<StoredValue>, StoreError> {
        let sql = concat!(
            "SELECT ",
            value_columns!(),
            " FROM value_versions v WHERE v.plan_id = $1 AND v.version = (SELECT MAX(w.version) FROM value_versions w \
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
            "SELECT ",
            value_columns!(),
            " FROM value_versions v WHERE v.plan_id = $1 AND v.measure = $2 \
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

    async fn enter(
        &self,
        id: PlanId,
        values: &[NewValue],
        step: Option<&Move<'_>>,
        by: &str,
    ) -> Result<Entered, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
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
        progress
            .validate()
            .map_err(|problem| StoreError::Refused(Refusal::Progress { task: progress.task.clone(), problem }))?;
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let plan: Option<(String,)> =
            sqlx::query_as("SELECT plan FROM plans WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let plan: Plan = from_json(&plan.ok_or_else(|| StoreError::NotFound(Missing::Plan(id)))?.0)?;
        if !plan.tasks.iter().any(|t| t.key == progress.task) {
            return Err(StoreError::NotFound(Missing::Task { plan: id, task: progress.task.clone() }));
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
        let detail = AuditDetail::Progress {
            version,
            status: progress.status.as_str().to_string(),
            percent: progress.percent.map(|p| p.to_string()),
        };
        let records = [chain::rows::task_progress(&row)];
        Self::log_in(&mut tx, by, "task.progress", &format!("plan {id} {}", progress.task), &detail, &records).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn task_history(
        &self,
        id: PlanId,
        task: &str,
    ) -> Result<Vec<(u32, TaskProgress, String, String)>, StoreError> {
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
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        Self::put_agencies_in(&mut tx, agencies, by).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM agencies ORDER BY code").fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(code, name)| Agency { code, name }).collect())
    }

    async fn assign(&self, id: PlanId, assignments: &[Assignment], by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
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
            .map(|(measure, lead, contributors)| {
                Ok(Assignment { measure, lead, contributors: from_json(&contributors)? })
            })
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
