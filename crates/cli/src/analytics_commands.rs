//! The analytics engine fed from the store: built at start-up from the
//! latest version of every figure, then kept current by every save (on
//! PostgreSQL, by the notices of all processes sharing the database).

use anyhow::{Context, Result, bail};
use kehoach_analytics::{Engine, Scope};
use kehoach_domain::org;
use kehoach_domain::period::Period;
use kehoach_store::notify::{Heard, Listener};
use kehoach_store::{AnyStore, PlanId, Store};
use std::io::Write;
use std::str::FromStr;

/// The engine of a plan as stored now (see `kehoach_judge::followed`).
pub async fn engine_from_store(store: &impl Store, id: PlanId) -> Result<Engine> {
    Ok(kehoach_judge::engine(store, id).await?)
}

/// Prints one figure, then again every time a save by any process sharing
/// the PostgreSQL database changes it (`FIGURE <value>`, `-` for none).
pub async fn watch(
    database: &str,
    measure: &str,
    unit: Option<&str>,
    period: &str,
    plan: Option<PlanId>,
) -> Result<()> {
    let period = Period::from_str(period)?;
    let store = crate::store_commands::open(database).await?;
    let AnyStore::Postgres(pg) = &store else {
        bail!("watch follows the saves of other processes through PostgreSQL: give a postgres:// database");
    };
    let id = crate::store_commands::plan_id(&store, plan).await?;
    // Listen first, then read: a save committed in between is both read and heard.
    let mut listener = Listener::new(pg).await?;
    let mut engine = engine_from_store(&store, id).await?;
    let code = match unit {
        None => None,
        Some(u) => Some(org::find(engine.units(), u).with_context(|| format!("no unit {u}"))?.code.clone()),
    };
    let figure = |engine: &Engine| -> Result<String> {
        let scope = code.as_deref().map_or(Scope::Nation, Scope::Unit);
        Ok(engine.figure(measure, scope, period)?.map_or("-".to_string(), |v| v.normalize().to_string()))
    };
    let mut out = std::io::stdout();
    let mut last = figure(&engine)?;
    writeln!(out, "FIGURE {last}")?;
    out.flush()?;
    loop {
        match listener.recv().await? {
            Heard::Saved(v) if v.plan_id == id && !v.illustrative => {
                if let Err(e) = engine.apply(&v.measure, &v.org_unit, v.period, v.value) {
                    eprintln!("kehoach: ignored a saved figure: {e}");
                }
            }
            Heard::Saved(_) => continue,
            Heard::Reconnected => engine = engine_from_store(&store, id).await?,
            Heard::Closed => return Ok(()),
        }
        let now = figure(&engine)?;
        if now != last {
            writeln!(out, "FIGURE {now}")?;
            out.flush()?;
            last = now;
        }
    }
}

#[derive(clap::Subcommand)]
pub enum AnalyticsCommand {
    /// Print a figure from the analytics engine, then again whenever a save by
    /// any kehoach process sharing the PostgreSQL database changes it.
    Watch {
        /// The measure, e.g. c.1.
        #[arg(long)]
        measure: String,
        /// A unit by code or name; the nation when left out.
        #[arg(long)]
        unit: Option<String>,
        /// 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09.
        #[arg(long)]
        period: String,
        #[arg(long = "plan")]
        plan_id: Option<PlanId>,
    },
}

pub async fn run(database: &str, command: AnalyticsCommand) -> Result<()> {
    match command {
        AnalyticsCommand::Watch { measure, unit, period, plan_id } => {
            watch(database, &measure, unit.as_deref(), &period, plan_id).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    /// The built-in plan in SQLite: the engine built from the store gives the
    /// published figures (Bến Tre's own, not the merged Vĩnh Long's), and adds
    /// a district's months into its province and Vĩnh Long's into the nation.
    #[tokio::test]
    async fn the_engine_built_from_the_store_gives_its_figures() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db").display().to_string();
        // With the illustrative year of `--demo`, which the engine leaves out.
        crate::store_commands::init(&db, None, true).await.unwrap();
        let store = crate::store_commands::open(&db).await.unwrap();
        let id = crate::store_commands::plan_id(&store, None).await.unwrap();
        let mut engine = engine_from_store(&store, id).await.unwrap();
        let d = |s: &str| Some(Decimal::from_str(s).unwrap());
        assert_eq!(engine.figure("c.1", Scope::Unit("83"), Period::Year(2024)).unwrap(), d("1630"));
        assert_eq!(engine.figure("a.1", Scope::Unit("83"), Period::Year(2024)).unwrap(), d("5.68"));
        // The merged Vĩnh Long's own figures are not Bến Tre's plan's to hold.
        assert_eq!(engine.figure("a.1", Scope::Unit("86"), Period::Year(2025)).unwrap(), None);
        // A rate is never summed: the nation has no growth rate of its own here.
        assert_eq!(engine.figure("a.1", Scope::Nation, Period::Year(2025)).unwrap(), None);
        engine.apply("c.1", "829", Period::Month(2025, 3), Decimal::from(125)).unwrap();
        engine.apply("c.1", "86", Period::Month(2025, 8), Decimal::from(70)).unwrap();
        assert_eq!(engine.figure("c.1", Scope::Unit("83"), Period::FirstHalf(2025)).unwrap(), d("125"));
        assert_eq!(engine.figure("c.1", Scope::Nation, Period::Year(2025)).unwrap(), d("195"));
    }
}
