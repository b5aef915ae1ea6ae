//! Saved figures announced to every process sharing one PostgreSQL
//! (`LISTEN/NOTIFY`), so that each process's analytics engine takes in the
//! others' saves within moments.
//!
//! Only figures that count are announced: a trigger on `value_versions`
//! calls `pg_notify('kehoach_values', …)` for every recorded, published or
//! illustrative version, and one on `submission_figures` for every version
//! an approval releases, inside the transaction that writes it: PostgreSQL
//! delivers the notice when (and only if) that transaction commits, in commit
//! order. The trigger is installed when a `PgStore` opens (idempotently,
//! under an advisory lock, so that processes starting together do not race)
//! rather than by a migration: the SQLite schema has no counterpart, and the
//! two migration folders stay identical.

use crate::{PgStore, PlanId, StoreError};
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The channel saved figures are announced on.
pub const CHANNEL: &str = "kehoach_values";

const INSTALL: [&str; 4] = [
    // A recorded, published or illustrative figure counts once stored.
    "CREATE OR REPLACE FUNCTION kehoach_notify_value() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       IF NEW.origin <> 'entered' THEN \
         PERFORM pg_notify('kehoach_values', json_build_object('plan_id', NEW.plan_id, 'measure', NEW.measure, \
           'org_unit', NEW.org_unit, 'period', NEW.period, 'version', NEW.version, 'value', NEW.value, 'origin', NEW.origin)::text); \
       END IF; \
       RETURN NEW; \
     END $$",
    "CREATE OR REPLACE TRIGGER kehoach_notify_value AFTER INSERT ON value_versions \
     FOR EACH ROW EXECUTE FUNCTION kehoach_notify_value()",
    // An agency's figure counts once approved: the approval announces it.
    "CREATE OR REPLACE FUNCTION kehoach_notify_approval() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
       IF NEW.state = 'approved' THEN \
         PERFORM pg_notify('kehoach_values', json_build_object('plan_id', v.plan_id, 'measure', v.measure, \
           'org_unit', v.org_unit, 'period', v.period, 'version', v.version, 'value', v.value, 'origin', v.origin)::text) \
         FROM value_versions v WHERE v.plan_id = NEW.plan_id AND v.measure = NEW.measure \
           AND v.org_unit = NEW.org_unit AND v.period = NEW.period AND v.version = NEW.version; \
       END IF; \
       RETURN NEW; \
     END $$",
    "CREATE OR REPLACE TRIGGER kehoach_notify_approval AFTER INSERT ON submission_figures \
     FOR EACH ROW EXECUTE FUNCTION kehoach_notify_approval()",
];

/// Installs (or replaces) the trigger.
pub(crate) async fn install(pool: &sqlx::PgPool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    // Any fixed number: serialises concurrent installs.
    sqlx::query("SELECT pg_advisory_xact_lock(7046255601)").execute(&mut *tx).await?;
    for sql in INSTALL {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A figure some process released (stored or approved): the latest
/// version of it that counts, unless a higher version is already known.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedValue {
    pub plan_id: PlanId,
    pub measure: String,
    pub org_unit: String,
    pub period: Period,
    pub version: u32,
    pub value: Decimal,
    /// Entered, published or illustrative (`init --demo`): an engine of
    /// real figures skips the illustrative ones.
    pub illustrative: bool,
}

impl SavedValue {
    /// Reads a notice's payload.
    pub fn parse(payload: &str) -> Result<Self, StoreError> {
        #[derive(serde::Deserialize)]
        struct Raw {
            plan_id: i64,
            measure: String,
            org_unit: String,
            period: String,
            version: i64,
            value: String,
            #[serde(default)]
            origin: String,
        }
        let bad = |e: String| StoreError::Invalid(format!("notice {payload}: {e}"));
        let raw: Raw = serde_json::from_str(payload).map_err(|e| bad(e.to_string()))?;
        Ok(Self {
            plan_id: raw.plan_id,
            period: Period::from_str(&raw.period).map_err(|e| bad(e.to_string()))?,
            value: Decimal::from_str(&raw.value).map_err(|e| bad(e.to_string()))?,
            version: u32::try_from(raw.version).map_err(|e| bad(e.to_string()))?,
            illustrative: raw.origin == Origin::Illustrative.as_str(),
            measure: raw.measure,
            org_unit: raw.org_unit,
        })
    }
}

/// Listens for saved figures. Start listening **before** reading the
/// figures to start from, then apply every notice in order: a save that
/// commits in between is then both read and announced, never lost.
pub struct Listener(sqlx::postgres::PgListener);

/// What the listener heard.
#[derive(Debug)]
pub enum Heard {
    Saved(SavedValue),
    /// The connection dropped and was made again: notices in between may be
    /// lost, so whoever keeps figures should read them again.
    Reconnected,
    /// The store was closed (the process is stopping): listen no more, so
    /// that the connection goes back and the close can finish.
    Closed,
}

impl Listener {
    pub async fn new(store: &PgStore) -> Result<Self, StoreError> {
        let mut l = sqlx::postgres::PgListener::connect_with(store.pool()).await?;
        l.listen(CHANNEL).await?;
        Ok(Self(l))
    }

    /// Waits for the next notice.
    pub async fn recv(&mut self) -> Result<Heard, StoreError> {
        match self.0.try_recv().await {
            Ok(Some(n)) => Ok(Heard::Saved(SavedValue::parse(n.payload())?)),
            Ok(None) => Ok(Heard::Reconnected),
            Err(sqlx::Error::PoolClosed) => Ok(Heard::Closed),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_back() {
        let n = SavedValue::parse(
            r#"{"plan_id": 3, "measure": "c.1", "org_unit": "829", "period": "2025-03", "version": 2, "value": "12.50", "origin": "entered"}"#,
        )
        .unwrap();
        assert_eq!(n.period, Period::Month(2025, 3));
        assert_eq!(n.value, Decimal::new(1250, 2));
        assert!(!n.illustrative);
        assert!(SavedValue::parse("{}").is_err());
    }
}
