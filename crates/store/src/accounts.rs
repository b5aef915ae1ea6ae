//! What the web application keeps beside the record: users, sessions, the
//! state of each agency's submission for a period, supervisors' comments.
//! One body of SQL for both databases, as in the store itself.

use kehoach_domain::access::{Role, SubmissionState};
use kehoach_domain::period::Period;
use std::future::Future;
use std::str::FromStr;

use crate::sql::{Backend, Column, SqlStore};
use crate::{AuditDetail, Missing, Moved, PlanId, Refusal, StoreError, is_unique_violation, now};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

/// A person who signs in.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub role: Role,
    /// The agency a reporter enters figures for.
    pub agency: Option<String>,
    pub password_hash: String,
    pub failed_logins: u32,
    /// RFC 3339; no login before then.
    pub locked_until: Option<String>,
    /// Set by someone else (a one-time password): to be changed by its
    /// owner before anything else.
    pub must_change_password: bool,
    /// Signs in no more.
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub name: String,
    pub role: Role,
    pub agency: Option<String>,
    pub password_hash: String,
    /// A one-time password, to be changed at the first sign-in.
    pub must_change_password: bool,
}

/// One move of an agency's submission for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub agency: String,
    pub period: Period,
    pub version: u32,
    pub state: SubmissionState,
    pub comment: String,
    pub by: String,
    pub at: String,
}

/// A move asked of a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Move<'a> {
    pub agency: &'a str,
    pub period: Period,
    pub to: SubmissionState,
    pub comment: &'a str,
    /// The version the person saw (0: none yet).
    pub expected_version: u32,
    /// For an approval: the figures the approver was shown, by version. The
    /// approval is refused if any has changed since.
    pub seen: Option<&'a [Seen]>,
}

/// One figure as an approver was shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub measure: String,
    pub org_unit: String,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub measure: String,
    pub author: String,
    pub body: String,
    pub at: String,
}

/// When failed logins lock an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout<'a> {
    pub max_failed: u32,
    /// RFC 3339: the end of a lock set now.
    pub until: &'a str,
    /// RFC 3339: now.
    pub now: &'a str,
}

pub trait Accounts: Send + Sync {
    fn create_user(&self, user: &NewUser, by: &str) -> impl Future<Output = Result<i64, StoreError>> + Send;
    fn users(&self) -> impl Future<Output = Result<Vec<User>, StoreError>> + Send;
    fn user(&self, username: &str) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;
    /// Records a failed login, counted in the database itself (so that
    /// attempts made at once all count), and locks the account until
    /// `lockout.until` when the count reaches `lockout.max_failed`; a lock
    /// already set is never cleared or shortened here. Returns the lock in
    /// force, if any.
    fn login_failed(
        &self,
        user: &User,
        lockout: &Lockout<'_>,
        from: &str,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;
    /// Records a login and opens a session, in one transaction, unless the
    /// account was locked meanwhile (`now` is the time compared with the
    /// lock): then nothing is written and the answer is `false`.
    fn login_succeeded(
        &self,
        user: &User,
        token_hash: &str,
        csrf: &str,
        expires_at: &str,
        from: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Ends a lock and clears the count of failed logins (an administrator's
    /// `kehoach user unlock`), in the audit log.
    fn unlock_user(&self, username: &str, by: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Sets a password: a one-time one (`must_change`), set by an
    /// administrator, ends every session of the user; one its owner chose
    /// keeps the session `keep` (the one it was changed in) and ends the
    /// others. Clears any lock. In the audit log, never the password.
    fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
        by: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Disables an account (its sessions end, it signs in no more) or
    /// enables it again, in the audit log.
    fn set_disabled(
        &self,
        username: &str,
        disabled: bool,
        by: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The user and CSRF token of a live session.
    fn session(&self, token_hash: &str) -> impl Future<Output = Result<Option<(User, String)>, StoreError>> + Send;
    /// Ends a session (a logout by `by`), in the audit log.
    fn end_session(&self, token_hash: &str, by: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The latest state of every submission of a plan.
    fn submissions(&self, id: PlanId) -> impl Future<Output = Result<Vec<Submission>, StoreError>> + Send;
    /// Every move of one submission, oldest first.
    fn submission_history(
        &self,
        id: PlanId,
        agency: &str,
        period: Period,
    ) -> impl Future<Output = Result<Vec<Submission>, StoreError>> + Send;
    /// Moves a submission to a new state if the workflow allows it from the
    /// version the person saw. A submit covers the agency's figures as they
    /// stand; an approval approves exactly the versions the approver saw
    /// ([`Move::seen`]) and says which figures it released.
    fn move_submission(
        &self,
        id: PlanId,
        step: &Move<'_>,
        by: &str,
    ) -> impl Future<Output = Result<Moved, StoreError>> + Send;
    fn add_comment(
        &self,
        id: PlanId,
        measure: &str,
        body: &str,
        by: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn comments(&self, id: PlanId, measure: &str) -> impl Future<Output = Result<Vec<Comment>, StoreError>> + Send;
}

/// A resolution read into a draft plan, under review.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: i64,
    pub file_name: String,
    pub source: String,
    pub plan_file: String,
    /// The plan it became, once confirmed.
    pub plan_id: Option<PlanId>,
    pub created_by: String,
    pub created_at: String,
}

/// Drafts of plans read from uploaded resolutions.
pub trait Drafts: Send + Sync {
    fn create_draft(
        &self,
        file_name: &str,
        source: &str,
        plan_file: &str,
        by: &str,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    fn draft(&self, id: i64) -> impl Future<Output = Result<Option<Draft>, StoreError>> + Send;
    /// Newest first, without their texts.
    fn drafts(&self) -> impl Future<Output = Result<Vec<Draft>, StoreError>> + Send;
    fn update_draft(&self, id: i64, plan_file: &str, by: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Saves the reviewed plan (and its province as a unit, when unknown) and
    /// marks the draft confirmed, in one transaction.
    fn confirm_draft(
        &self,
        id: i64,
        plan: &kehoach_domain::Plan,
        province: &kehoach_domain::org::OrgUnit,
        by: &str,
    ) -> impl Future<Output = Result<PlanId, StoreError>> + Send;
}

type UserRow = (i64, String, String, String, Option<String>, String, i32, Option<String>, bool, Option<String>);

/// The columns a [`UserRow`] reads, of `users` as `u`.
macro_rules! user_columns {
    () => {
        "u.id, u.username, u.name, u.role, u.agency, u.password_hash, u.failed_logins, u.locked_until, \
         u.must_change_password, u.disabled_at"
    };
}

fn user(row: UserRow) -> Result<User, StoreError> {
    let (id, username, name, role, agency, password_hash, failed_logins, locked_until, must_change_password, disabled) =
        row;
    Ok(User {
        id,
        username,
        name,
        role: role.parse().map_err(StoreError::Invalid)?,
        agency,
        password_hash,
        failed_logins: failed_logins.max(0) as u32,
        locked_until,
        must_change_password,
        disabled: disabled.is_some(),
    })
}

/// A user's row and the session's CSRF token.
type SessionRow =
    (i64, String, String, String, Option<String>, String, i32, Option<String>, bool, Option<String>, String);

type DraftRow = (i64, String, String, String, Option<i64>, String, String);

type SubmissionRow = (String, String, i64, String, String, String, String);

fn submission(row: SubmissionRow) -> Result<Submission, StoreError> {
    let (agency, period, version, state, comment, by, at) = row;
    Ok(Submission {
        agency,
        period: Period::from_str(&period).map_err(|e| StoreError::Invalid(e.to_string()))?,
        version: version as u32,
        state: state.parse().map_err(StoreError::Invalid)?,
        comment,
        by,
        at,
    })
}

impl<DB> Accounts for SqlStore<DB>
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
    async fn create_user(&self, u: &NewUser, by: &str) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let inserted: Result<(i64,), _> = sqlx::query_as(
            "INSERT INTO users (username, name, role, agency, password_hash, must_change_password, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.name)
        .bind(u.role.as_str())
        .bind(&u.agency)
        .bind(&u.password_hash)
        .bind(u.must_change_password)
        .bind(now())
        .fetch_one(&mut *tx)
        .await;
        let (id,) = match inserted {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Refused(Refusal::UsernameTaken(u.username.clone())));
            }
            Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
                return Err(StoreError::NotFound(Missing::Agency(u.agency.clone().unwrap_or_default())));
            }
            Err(e) => return Err(e.into()),
        };
        let detail =
            AuditDetail::Account { name: u.name.clone(), role: u.role.as_str().to_string(), agency: u.agency.clone() };
        Self::audit_in(&mut tx, by, "user.create", &format!("user {}", u.username), &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> =
            sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users u ORDER BY u.username"))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(user).collect()
    }

    async fn user(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> =
            sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users u WHERE u.username = $1"))
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        row.map(user).transpose()
    }

    async fn login_failed(&self, u: &User, lockout: &Lockout<'_>, from: &str) -> Result<Option<String>, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let (count, locked_until): (i32, Option<String>) = sqlx::query_as(
            "UPDATE users SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= $2 AND (locked_until IS NULL OR locked_until < $3) \
             THEN $3 ELSE locked_until END WHERE id = $1 RETURNING failed_logins, locked_until",
        )
        .bind(u.id)
        .bind(i64::from(lockout.max_failed))
        .bind(lockout.until)
        .fetch_one(&mut *tx)
        .await?;
        let locked = locked_until.filter(|until| until.as_str() > lockout.now);
        let detail = AuditDetail::LoginFailed {
            from: from.to_string(),
            count: count.max(0) as u32,
            locked_until: locked.clone(),
        };
        Self::audit_in(&mut tx, &u.username, "user.login_failed", &format!("user {}", u.username), &detail).await?;
        tx.commit().await?;
        Ok(locked)
    }

    async fn login_succeeded(
        &self,
        u: &User,
        token_hash: &str,
        csrf: &str,
        expires_at: &str,
        from: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let at = now();
        // Only while no lock is in force and the account is not
        // disabled: a lock set by attempts made at the same time wins
        // over a password checked before it.
        let cleared = sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 \
             AND (locked_until IS NULL OR locked_until <= $2) AND disabled_at IS NULL",
        )
        .bind(u.id)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        if DB::rows_affected(&cleared) == 0 {
            return Ok(false);
        }
        // Sessions past their time go when anyone logs in.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(&at).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(u.id)
        .bind(csrf)
        .bind(&at)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        let detail = AuditDetail::Login { from: from.to_string() };
        Self::audit_in(&mut tx, &u.username, "user.login", &format!("user {}", u.username), &detail).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn unlock_user(&self, username: &str, by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let done = sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = $1")
            .bind(username)
            .execute(&mut *tx)
            .await?;
        if DB::rows_affected(&done) == 0 {
            return Err(StoreError::NotFound(Missing::User(username.to_string())));
        }
        Self::audit_in(&mut tx, by, "user.unlock", &format!("user {username}"), &AuditDetail::Nothing {}).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        let row: Option<SessionRow> = sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            ", s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(a, b, c, d, e, f, g, h, i, j, csrf)| Ok((user((a, b, c, d, e, f, g, h, i, j))?, csrf))).transpose()
    }

    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
        by: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let done: Option<(i64,)> = sqlx::query_as(
            "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = NULL \
             WHERE username = $3 RETURNING id",
        )
        .bind(password_hash)
        .bind(must_change)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = done else {
            return Err(StoreError::NotFound(Missing::User(username.to_string())));
        };
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id)
            .bind(keep.unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        let detail = AuditDetail::Password { one_time: must_change };
        Self::audit_in(&mut tx, by, "user.passwd", &format!("user {username}"), &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_disabled(&self, username: &str, disabled: bool, by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let done: Option<(i64,)> = sqlx::query_as("UPDATE users SET disabled_at = $1 WHERE username = $2 RETURNING id")
            .bind(disabled.then(now))
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id,)) = done else {
            return Err(StoreError::NotFound(Missing::User(username.to_string())));
        };
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        Self::audit_in(&mut tx, by, action, &format!("user {username}"), &AuditDetail::Nothing {}).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str, by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let ended =
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        if DB::rows_affected(&ended) > 0 {
            Self::audit_in(&mut tx, by, "user.logout", &format!("user {by}"), &AuditDetail::Nothing {}).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn submissions(&self, id: PlanId) -> Result<Vec<Submission>, StoreError> {
        let rows: Vec<SubmissionRow> = sqlx::query_as(
            "SELECT s.agency, s.period, s.version, s.state, s.comment, s.by_user, s.at FROM submissions s \
             WHERE s.plan_id = $1 AND s.version = (SELECT MAX(t.version) FROM submissions t \
             WHERE t.plan_id = s.plan_id AND t.agency = s.agency AND t.period = s.period) \
             ORDER BY s.at DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(submission).collect()
    }

    async fn submission_history(
        &self,
        id: PlanId,
        agency: &str,
        period: Period,
    ) -> Result<Vec<Submission>, StoreError> {
        let rows: Vec<SubmissionRow> = sqlx::query_as(
            "SELECT agency, period, version, state, comment, by_user, at FROM submissions \
             WHERE plan_id = $1 AND agency = $2 AND period = $3 ORDER BY version",
        )
        .bind(id)
        .bind(agency)
        .bind(period.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(submission).collect()
    }

    async fn move_submission(&self, id: PlanId, step: &Move<'_>, by: &str) -> Result<Moved, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let moved = Self::move_in(&mut tx, id, step, by).await?;
        tx.commit().await?;
        Ok(moved)
    }

    async fn add_comment(&self, id: PlanId, measure: &str, body: &str, by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        sqlx::query("INSERT INTO comments (plan_id, measure, author, body, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(measure)
            .bind(by)
            .bind(body)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        let detail = AuditDetail::Comment { body: body.to_string() };
        Self::audit_in(&mut tx, by, "comment.add", &format!("plan {id} {measure}"), &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn comments(&self, id: PlanId, measure: &str) -> Result<Vec<Comment>, StoreError> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT measure, author, body, at FROM comments WHERE plan_id = $1 AND measure = $2 ORDER BY id",
        )
        .bind(id)
        .bind(measure)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(measure, author, body, at)| Comment { measure, author, body, at }).collect())
    }
}

impl<DB> Drafts for SqlStore<DB>
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
    async fn create_draft(&self, file_name: &str, source: &str, plan_file: &str, by: &str) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let at = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO plan_drafts (file_name, source, plan_file, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(file_name)
        .bind(source)
        .bind(plan_file)
        .bind(by)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        let detail = AuditDetail::Draft { file_name: file_name.to_string() };
        Self::audit_in(&mut tx, by, "draft.create", &format!("draft {id}"), &detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        let row: Option<DraftRow> = sqlx::query_as(
            "SELECT id, file_name, source, plan_file, plan_id, created_by, created_at FROM plan_drafts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, file_name, source, plan_file, plan_id, created_by, created_at)| Draft {
            id,
            file_name,
            source,
            plan_file,
            plan_id,
            created_by,
            created_at,
        }))
    }

    async fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>, String, String)> =
            sqlx::query_as("SELECT id, file_name, plan_id, created_by, created_at FROM plan_drafts ORDER BY id DESC")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, file_name, plan_id, created_by, created_at)| Draft {
                id,
                file_name,
                source: String::new(),
                plan_file: String::new(),
                plan_id,
                created_by,
                created_at,
            })
            .collect())
    }

    async fn update_draft(&self, id: i64, plan_file: &str, by: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let done =
            sqlx::query("UPDATE plan_drafts SET plan_file = $1, updated_at = $2 WHERE id = $3 AND plan_id IS NULL")
                .bind(plan_file)
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if DB::rows_affected(&done) == 0 {
            return Err(StoreError::Refused(Refusal::DraftConfirmed { draft: id, plan: None }));
        }
        Self::audit_in(&mut tx, by, "draft.update", &format!("draft {id}"), &AuditDetail::Nothing {}).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn confirm_draft(
        &self,
        id: i64,
        plan: &kehoach_domain::Plan,
        province: &kehoach_domain::org::OrgUnit,
        by: &str,
    ) -> Result<PlanId, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN).await?;
        let open: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT plan_id FROM plan_drafts WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        match open {
            None => return Err(StoreError::NotFound(Missing::Draft(id))),
            Some((Some(plan_id),)) => {
                return Err(StoreError::Refused(Refusal::DraftConfirmed { draft: id, plan: Some(plan_id) }));
            }
            Some((None,)) => {}
        }
        let (known,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM org_units WHERE code = $1")
            .bind(&province.code)
            .fetch_one(&mut *tx)
            .await?;
        if known == 0 {
            Self::put_org_units_in(&mut tx, std::slice::from_ref(province), by).await?;
        }
        let kind = kehoach_domain::PlanKind::Year;
        let (from, to) = kind
            .span_of(plan.year)
            .ok_or_else(|| StoreError::Invalid(format!("draft {id}: the plan year {} is not a year", plan.year)))?;
        Self::refuse_overlap_in(&mut tx, &province.code, kind, from, to).await?;
        let placed = crate::NewPlan { plan, region_code: &province.code, kind, from, to };
        let plan_id = Self::save_plan_in(&mut tx, plan, Some(&placed), by).await?;
        sqlx::query("UPDATE plan_drafts SET plan_id = $1, updated_at = $2 WHERE id = $3")
            .bind(plan_id)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = AuditDetail::Confirmed { plan: plan_id };
        Self::audit_in(&mut tx, by, "draft.confirm", &format!("draft {id}"), &detail).await?;
        tx.commit().await?;
        Ok(plan_id)
    }
}

impl Accounts for crate::AnyStore {
    async fn create_user(&self, u: &NewUser, by: &str) -> Result<i64, StoreError> {
        delegate!(self, s => s.create_user(u, by))
    }
    async fn users(&self) -> Result<Vec<User>, StoreError> {
        delegate!(self, s => s.users())
    }
    async fn user(&self, username: &str) -> Result<Option<User>, StoreError> {
        delegate!(self, s => s.user(username))
    }
    async fn login_failed(&self, u: &User, lockout: &Lockout<'_>, from: &str) -> Result<Option<String>, StoreError> {
        delegate!(self, s => s.login_failed(u, lockout, from))
    }
    async fn login_succeeded(
        &self,
        u: &User,
        token_hash: &str,
        csrf: &str,
        expires_at: &str,
        from: &str,
    ) -> Result<bool, StoreError> {
        delegate!(self, s => s.login_succeeded(u, token_hash, csrf, expires_at, from))
    }
    async fn unlock_user(&self, username: &str, by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.unlock_user(username, by))
    }
    async fn session(&self, token_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        delegate!(self, s => s.session(token_hash))
    }
    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
        by: &str,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.set_password(username, password_hash, must_change, keep, by))
    }
    async fn set_disabled(&self, username: &str, disabled: bool, by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.set_disabled(username, disabled, by))
    }
    async fn end_session(&self, token_hash: &str, by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.end_session(token_hash, by))
    }
    async fn submissions(&self, id: PlanId) -> Result<Vec<Submission>, StoreError> {
        delegate!(self, s => s.submissions(id))
    }
    async fn submission_history(
        &self,
        id: PlanId,
        agency: &str,
        period: Period,
    ) -> Result<Vec<Submission>, StoreError> {
        delegate!(self, s => s.submission_history(id, agency, period))
    }
    async fn move_submission(&self, id: PlanId, step: &Move<'_>, by: &str) -> Result<Moved, StoreError> {
        delegate!(self, s => s.move_submission(id, step, by))
    }
    async fn add_comment(&self, id: PlanId, measure: &str, body: &str, by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.add_comment(id, measure, body, by))
    }
    async fn comments(&self, id: PlanId, measure: &str) -> Result<Vec<Comment>, StoreError> {
        delegate!(self, s => s.comments(id, measure))
    }
}

impl Drafts for crate::AnyStore {
    async fn create_draft(&self, file_name: &str, source: &str, plan_file: &str, by: &str) -> Result<i64, StoreError> {
        delegate!(self, s => s.create_draft(file_name, source, plan_file, by))
    }
    async fn draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        delegate!(self, s => s.draft(id))
    }
    async fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        delegate!(self, s => s.drafts())
    }
    async fn update_draft(&self, id: i64, plan_file: &str, by: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.update_draft(id, plan_file, by))
    }
    async fn confirm_draft(
        &self,
        id: i64,
        plan: &kehoach_domain::Plan,
        province: &kehoach_domain::org::OrgUnit,
        by: &str,
    ) -> Result<PlanId, StoreError> {
        delegate!(self, s => s.confirm_draft(id, plan, province, by))
    }
}
