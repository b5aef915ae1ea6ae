//! What the store's test binaries share: a fresh SQLite file or PostgreSQL
//! database per test, and a way to run one test body on both.

#![allow(dead_code)] // each test binary uses its share of these

use kehoach_store::{PgStore, SqliteStore};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kehoach.db");
    let store = SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
    (store, dir)
}

/// A fresh database on the server `KEHOACH_TEST_POSTGRES` names; none where
/// it is not set, except under `CI=true`, where that fails the test.
pub async fn postgres() -> Option<(PgStore, String)> {
    let Ok(url) = std::env::var("KEHOACH_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").is_err(),
            "KEHOACH_TEST_POSTGRES is not set: under CI the PostgreSQL store tests must run"
        );
        eprintln!("KEHOACH_TEST_POSTGRES not set: PostgreSQL store tests not run here");
        return None;
    };
    use sqlx::Connection;
    let name = format!("kehoach_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("KEHOACH_TEST_POSTGRES reachable");
    // The name is ours (process id and a counter), not outside input.
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.unwrap();
    let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
    Some((PgStore::open(&format!("{base}/{name}")).await.unwrap(), name))
}

/// Drops a test database once its test is done.
pub async fn drop_database(store: PgStore, name: &str) {
    use sqlx::Connection;
    store.pool().close().await;
    let url = std::env::var("KEHOACH_TEST_POSTGRES").unwrap();
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&mut admin)
        .await
        .unwrap();
}

/// Runs one test body against SQLite and, where configured, PostgreSQL.
macro_rules! on_both {
    ($name:ident, $body:ident) => {
        #[tokio::test]
        async fn $name() {
            let (store, _dir) = common::sqlite().await;
            $body(&store).await;
            if let Some((store, name)) = common::postgres().await {
                $body(&store).await;
                common::drop_database(store, &name).await;
            }
        }
    };
}
